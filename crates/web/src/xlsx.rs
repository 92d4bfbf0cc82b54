//! One-sheet XLSX workbooks for the exports, written by `rust_xlsxwriter`: numbers as number
//! cells with formats that Dutch Excel and LibreOffice show as `1.234` and `12,5`, text as text
//! (a "geheim" or a value that starts with `=` never becomes a number or a formula), a bold
//! header row with the panes frozen below it, and columns as wide as what they hold. The same
//! rows as CSV for Dutch spreadsheets (`csv`).

use crate::error::AppError;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A cell of the sheet.
pub enum Cell {
    Text(String),
    Number(f64),
    /// An amount of money in cents: always two decimals ("12,50"), as money is read.
    Euros(i64),
    Empty,
}

/// The widest a column gets, in characters; longer text wraps out of sight as in any sheet.
const WIDEST: usize = 60;

/// A workbook with one sheet named `name`, whose first row is the header.
pub fn workbook(name: &str, rows: &[Vec<Cell>]) -> Result<Vec<u8>, AppError> {
    workbook_with_header(name, 0, rows)
}

/// A workbook with one sheet named `name`, whose row `header` (0-based) names the columns: it
/// is bold and the panes are frozen below it. Rows above it (a description) stay as text.
pub fn workbook_with_header(name: &str, header: usize, rows: &[Vec<Cell>]) -> Result<Vec<u8>, AppError> {
    write(name, header, rows).map_err(|e| AppError::Internal(format!("writing a workbook: {e}")))
}

fn write(name: &str, header: usize, rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(name))?;
    let bold = Format::new().set_bold();
    let whole = Format::new().set_num_format("#,##0");
    let fraction = Format::new().set_num_format("#,##0.0##");
    let money = Format::new().set_num_format("#,##0.00");
    let mut widths: Vec<usize> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError)?;
        let is_header = r as usize == header;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            let shown = match cell {
                Cell::Text(t) => {
                    // A cell holds at most 32,767 characters.
                    let t: String = t.chars().take(32_767).collect();
                    if is_header {
                        sheet.write_string_with_format(r, c, &t, &bold)?
                    } else {
                        sheet.write_string(r, c, &t)?
                    };
                    t.chars().count()
                }
                Cell::Number(n) if n.is_finite() => {
                    let format = if n.fract() == 0.0 { &whole } else { &fraction };
                    sheet.write_number_with_format(r, c, *n, format)?;
                    format!("{n:.3}").trim_end_matches('0').len() + 2
                }
                Cell::Euros(cents) => {
                    sheet.write_number_with_format(r, c, *cents as f64 / 100.0, &money)?;
                    format!("{:.2}", *cents as f64 / 100.0).len() + 2
                }
                Cell::Number(_) | Cell::Empty => 0,
            };
            // Description rows above the header do not widen the table's columns.
            if r as usize >= header || row.len() > 2 {
                if widths.len() <= c as usize {
                    widths.resize(c as usize + 1, 0);
                }
                widths[c as usize] = widths[c as usize].max(shown);
            }
        }
    }
    for (c, width) in widths.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.set_column_width(c, (width + 2).clamp(8, WIDEST) as f64)?;
    }
    if header < rows.len() {
        let below = u32::try_from(header + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.set_freeze_panes(below, 0)?;
    }
    book.save_to_buffer()
}

/// A name Excel accepts for a sheet: at most 31 characters, none of `[]:*?/\`, not starting or
/// ending with an apostrophe, not empty.
fn sheet_name(name: &str) -> String {
    let name: String = name.chars().filter(|c| !"[]:*?/\\".contains(*c) && !c.is_control()).take(31).collect();
    let name = name.trim().trim_matches('\'').trim();
    if name.is_empty() { "Blad1".to_string() } else { name.to_string() }
}

/// CSV for Dutch spreadsheets: semicolons, decimal commas, a byte-order mark. The scan
/// and indicator exports write it beside the workbook.
pub fn csv(rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                // A text that a spreadsheet would read as a formula starts with a quote mark.
                Cell::Text(t) if t.starts_with(['=', '+', '-', '@']) => format!("\"'{}\"", t.replace('"', "\"\"")),
                Cell::Text(t) => format!("\"{}\"", t.replace('"', "\"\"")),
                // Exactly as precise as the number is (a published rate has one decimal: "8,1",
                // never "8,10"); the shortest text that reads back as the same number.
                Cell::Number(n) => format!("{n}").replace('.', ","),
                Cell::Euros(cents) => format!("{}{},{:02}", if *cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_ones_excel_accepts() {
        assert_eq!(sheet_name("Uitkomsten [2025]: a/b"), "Uitkomsten 2025 ab");
        assert_eq!(sheet_name("'?'"), "Blad1");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }

    #[test]
    fn a_written_workbook_reads_back_with_numbers_as_numbers_and_text_as_text() {
        let book = workbook(
            "Uitkomsten",
            &[
                vec![Cell::Text("gebied".into()), Cell::Text("waarde".into()), Cell::Text("formule".into())],
                vec![Cell::Text("GM0344 & co".into()), Cell::Number(1234.5), Cell::Text("=1+1".into())],
                vec![Cell::Text("GM0363".into()), Cell::Text("geheim".into()), Cell::Empty],
            ],
        )
        .expect("writes");
        let table = domain::table::read(&book, domain::table::Limits::default()).expect("a well-formed workbook");
        assert_eq!(table.header, ["gebied", "waarde", "formule"]);
        assert_eq!(table.rows[0].cells, ["GM0344 & co", "1234.5", "=1+1"]);
        assert_eq!(table.rows[1].cells, ["GM0363", "geheim"]);
    }
}
