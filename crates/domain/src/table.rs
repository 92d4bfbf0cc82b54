//! Tables as people hand them over: CSV and text saved by Excel, LibreOffice or another program
//! (comma, semicolon or tab, or the separator a first line `sep=;` names; UTF-8 with or without
//! BOM, UTF-16 with BOM as Excel's "Unicode text", or Windows-1252; Windows, Unix or old Mac
//! line ends) and spreadsheets (the first sheet of an XLSX, XLS, XLSB or ODS workbook, read
//! through `calamine`). All become the same rows of text cells with the line each row came
//! from, so one validation serves them all; a spreadsheet cell formatted as a date is marked as
//! one (`RowBuf::is_date`) and written as `YYYY-MM-DD`.
//!
//! A `Sheet` is the file's text (CSV) or the workbook's bytes (XLSX) with its header read; its
//! rows are read each time they are visited, one at a time into a `RowBuf` that is reused, so
//! checking a million-row import holds the file once and never a million rows of cells. An
//! XLSX sheet is streamed from the archive cell by cell on each visit; XLS, XLSB and ODS
//! workbooks (at most 65,536 rows for XLS) are read whole. Before a ZIP-based workbook is
//! opened, its directory is checked for the number of entries and their unpacked size.
//! `Table` collects the rows of a small file (an area list) for code that wants them all.

use calamine::{Data, DataRef, Reader};
use std::borrow::Cow;
use std::io::Cursor;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    /// Whether numbers are written with a decimal comma (semicolon-separated files, Dutch Excel).
    pub decimal_comma: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line in the file (CSV) or the row number in the sheet, counting the header as 1.
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// No header row.
    Empty,
    /// A quoted field that never closes, starting on this line.
    UnclosedQuote(usize),
    /// More entries or unpacked bytes than allowed.
    TooLarge,
    /// Not a workbook we can read.
    Corrupt,
}

impl TableError {
    /// The message key that explains the problem.
    pub fn message(self) -> &'static str {
        match self {
            TableError::Empty => "err.file_empty",
            TableError::UnclosedQuote(_) => "err.unclosed_quote",
            TableError::TooLarge => "err.file_too_large",
            TableError::Corrupt => "err.file_corrupt",
        }
    }
}

/// Limits on what a ZIP-based workbook (XLSX, ODS) may unpack to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub entries: usize,
    pub unpacked_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { entries: 1_000, unpacked_bytes: 200 * 1024 * 1024 }
    }
}

/// Reads a CSV or a workbook whole, told apart by its first bytes.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Table, TableError> {
    Sheet::open(bytes, limits)?.table()
}

pub fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    Sheet::csv(bytes)?.table()
}

/// A file's header and what its rows are read from.
pub struct Sheet<'a> {
    pub header: Vec<String>,
    /// Whether numbers are written with a decimal comma (semicolon-separated files, Dutch Excel).
    pub decimal_comma: bool,
    body: Body<'a>,
}

impl std::fmt::Debug for Sheet<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sheet").field("header", &self.header).field("decimal_comma", &self.decimal_comma).finish_non_exhaustive()
    }
}

enum Body<'a> {
    /// The decoded text; the rows start at byte `start` on line `line`.
    Csv { text: Cow<'a, str>, start: usize, line: usize, separator: u8 },
    /// An XLSX workbook, streamed again on each visit; the header is row `header` (0-based).
    Xlsx { bytes: &'a [u8], sheet: String, header: u32 },
    /// The first sheet of an XLS, XLSB or ODS workbook, read whole.
    Whole { range: calamine::Range<Data>, header: u32 },
}

/// The signature of an OLE compound file: an XLS workbook (or an encrypted XLSX).
const COMPOUND_FILE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

impl<'a> Sheet<'a> {
    /// Opens a CSV or a workbook, told apart by its first bytes, and reads its header.
    pub fn open(bytes: &'a [u8], limits: Limits) -> Result<Sheet<'a>, TableError> {
        if bytes.starts_with(b"PK\x03\x04") {
            guarded(|| Sheet::zipped(bytes, limits))
        } else if bytes.starts_with(COMPOUND_FILE) {
            guarded(|| {
                let book = calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes)).map_err(|_| TableError::Corrupt)?;
                Sheet::whole(calamine::Sheets::Xls(book))
            })
        } else {
            Sheet::csv(bytes)
        }
    }

    /// An XLSX, XLSB or ODS workbook: a ZIP archive, whose directory is checked first.
    fn zipped(bytes: &'a [u8], limits: Limits) -> Result<Sheet<'a>, TableError> {
        let names = check_archive(bytes, limits)?;
        if names.iter().any(|n| n == "xl/workbook.xml") {
            return Sheet::xlsx(bytes);
        }
        let book = if names.iter().any(|n| n == "xl/workbook.bin") {
            calamine::Sheets::Xlsb(calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| TableError::Corrupt)?)
        } else if names.iter().any(|n| n == "content.xml") {
            calamine::Sheets::Ods(calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| TableError::Corrupt)?)
        } else {
            return Err(TableError::Corrupt);
        };
        Sheet::whole(book)
    }

    pub fn csv(bytes: &'a [u8]) -> Result<Sheet<'a>, TableError> {
        let text = decode(bytes);
        // Excel writes and reads a first line `sep=;` that names the separator; it is no row.
        let (separator, start) = match named_separator(&text) {
            Some((separator, start)) => (separator, start),
            None => (sniff_separator(&text), 0),
        };
        let mut records = Records { text: &text, pos: start, line: 1, separator };
        let mut row = RowBuf::default();
        if !records.next_into(&mut row)? {
            return Err(TableError::Empty);
        }
        let header: Vec<String> = row.cells().map(str::to_string).collect();
        if header.iter().all(String::is_empty) {
            return Err(TableError::Empty);
        }
        let (start, line) = (records.pos, records.line);
        Ok(Sheet { header, decimal_comma: separator != b',', body: Body::Csv { text, start, line, separator } })
    }

    fn xlsx(bytes: &'a [u8]) -> Result<Sheet<'a>, TableError> {
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| TableError::Corrupt)?;
        let sheet = book.sheet_names().into_iter().next().ok_or(TableError::Empty)?;
        let mut header = None;
        let mut row = RowBuf::default();
        stream_xlsx(&mut book, &sheet, &mut row, 0, &mut |row| {
            header = Some((row.line, row.cells().map(str::to_string).collect::<Vec<_>>()));
            false
        })?;
        let (line, header) = header.ok_or(TableError::Empty)?;
        let header_row = u32::try_from(line - 1).map_err(|_| TableError::Corrupt)?;
        Ok(Sheet { header, decimal_comma: false, body: Body::Xlsx { bytes, sheet, header: header_row } })
    }

    fn whole<R: std::io::Read + std::io::Seek>(mut book: calamine::Sheets<R>) -> Result<Sheet<'a>, TableError> {
        let range = book.worksheet_range_at(0).ok_or(TableError::Empty)?.map_err(|_| TableError::Corrupt)?;
        let mut header = None;
        let mut row = RowBuf::default();
        visit_range(&range, &mut row, 0, &mut |row| {
            header = Some((row.line, row.cells().map(str::to_string).collect::<Vec<_>>()));
            false
        });
        let (line, header) = header.ok_or(TableError::Empty)?;
        let header_row = u32::try_from(line - 1).map_err(|_| TableError::Corrupt)?;
        Ok(Sheet { header, decimal_comma: false, body: Body::Whole { range, header: header_row } })
    }

    /// Calls `visit` with each row after the header that is not blank, in order, each read into
    /// the same buffer.
    pub fn each_row(&self, mut visit: impl FnMut(&RowBuf)) -> Result<(), TableError> {
        let mut row = RowBuf::default();
        let mut all = |row: &RowBuf| {
            visit(row);
            true
        };
        match &self.body {
            Body::Csv { text, start, line, separator } => {
                let mut records = Records { text, pos: *start, line: *line, separator: *separator };
                while records.next_into(&mut row)? {
                    if !row.is_blank() {
                        all(&row);
                    }
                }
                Ok(())
            }
            Body::Xlsx { bytes, sheet, header } => guarded(|| {
                let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(*bytes)).map_err(|_| TableError::Corrupt)?;
                stream_xlsx(&mut book, sheet, &mut row, header + 1, &mut all)
            }),
            Body::Whole { range, header } => {
                visit_range(range, &mut row, header + 1, &mut all);
                Ok(())
            }
        }
    }

    /// Every row at hand.
    pub fn table(&self) -> Result<Table, TableError> {
        let mut rows = Vec::new();
        self.each_row(|row| rows.push(Row { line: row.line, cells: row.cells().map(str::to_string).collect() }))?;
        Ok(Table { header: self.header.clone(), rows, decimal_comma: self.decimal_comma })
    }
}

/// Runs the spreadsheet reader on bytes from outside: a workbook it cannot read is corrupt, also
/// where the reader panics on it (as `calamine` does on some damaged XLS files) instead of
/// answering an error.
fn guarded<T>(read: impl FnOnce() -> Result<T, TableError>) -> Result<T, TableError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or(Err(TableError::Corrupt))
}

/// Checks a ZIP archive's directory against the limits before anything is unpacked, and gives
/// the names of its entries.
fn check_archive(bytes: &[u8], limits: Limits) -> Result<Vec<String>, TableError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| TableError::Corrupt)?;
    if archive.len() > limits.entries {
        return Err(TableError::TooLarge);
    }
    let mut total = 0u64;
    let mut names = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| TableError::Corrupt)?;
        total = total.saturating_add(entry.size());
        if total > limits.unpacked_bytes {
            return Err(TableError::TooLarge);
        }
        names.push(entry.name().map_err(|_| TableError::Corrupt)?.into_owned());
    }
    Ok(names)
}

/// Streams the rows of an XLSX sheet from row `from` (0-based) on, cell by cell, calling
/// `visit` for each row that is not blank until it answers false.
fn stream_xlsx<R: std::io::Read + std::io::Seek>(
    book: &mut calamine::Xlsx<R>,
    sheet: &str,
    row: &mut RowBuf,
    from: u32,
    visit: &mut dyn FnMut(&RowBuf) -> bool,
) -> Result<(), TableError> {
    let mut cells = book.worksheet_cells_reader(sheet).map_err(|_| TableError::Corrupt)?;
    let mut current: Option<u32> = None;
    row.clear();
    while let Some(cell) = cells.next_cell().map_err(|_| TableError::Corrupt)? {
        let (r, c) = cell.get_position();
        if r < from {
            continue;
        }
        if current != Some(r) {
            if current.is_some() && !row.is_blank() && !visit(row) {
                return Ok(());
            }
            row.clear();
            row.line = r as usize + 1;
            current = Some(r);
        }
        row.put(c as usize, cell.get_value());
    }
    if current.is_some() && !row.is_blank() {
        visit(row);
    }
    Ok(())
}

/// The rows of a sheet read whole, from row `from` (0-based, absolute) on.
fn visit_range(range: &calamine::Range<Data>, row: &mut RowBuf, from: u32, visit: &mut dyn FnMut(&RowBuf) -> bool) {
    let Some((top, left)) = range.start() else { return };
    for (i, cells) in range.rows().enumerate() {
        let r = top as usize + i;
        if r < from as usize {
            continue;
        }
        row.clear();
        row.line = r + 1;
        for (j, value) in cells.iter().enumerate() {
            row.put(left as usize + j, &data_ref(value));
        }
        if !row.is_blank() && !visit(row) {
            return;
        }
    }
}

/// A cell of a sheet read whole as the streamed kind, its text borrowed.
fn data_ref(value: &Data) -> DataRef<'_> {
    match value {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(d) => DataRef::DateTime(*d),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

/// One row's cells, overwritten for each row read: the text of all cells in one string, and
/// where each cell lies in it.
#[derive(Debug, Clone, Default)]
pub struct RowBuf {
    /// The line in the file (CSV) or the row number in the sheet, counting the header as 1.
    pub line: usize,
    text: String,
    cells: Vec<Range<usize>>,
    /// The columns whose cells a spreadsheet formats as a date.
    dates: Vec<usize>,
}

impl RowBuf {
    /// The cell in column `i`; empty past the end of the row.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).and_then(|r| self.text.get(r.clone())).unwrap_or("")
    }

    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.cells.len()).map(|i| self.cell(i))
    }

    /// Whether the cell in column `i` is a date cell of a spreadsheet.
    pub fn is_date(&self, i: usize) -> bool {
        self.dates.contains(&i)
    }

    /// How many cells the row has, empty ones included.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    fn is_blank(&self) -> bool {
        self.cells().all(|c| c.trim().is_empty())
    }

    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.dates.clear();
    }

    /// Ends the cell that began at `start` in the text, without its surrounding white space.
    fn end_trimmed(&mut self, start: usize) {
        let cell = self.text.get(start..).unwrap_or("");
        // Most cells begin and end in a visible ASCII character: nothing to trim, nothing to decode.
        let visible = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
        if visible(cell.as_bytes().first()) && visible(cell.as_bytes().last()) {
            self.cells.push(start..self.text.len());
            return;
        }
        let from = start + (cell.len() - cell.trim_start().len());
        self.cells.push(from..from + cell.trim().len());
    }

    /// Puts a spreadsheet cell's value in column `column` as text (a later cell that names an
    /// earlier column takes its place).
    fn put(&mut self, column: usize, value: &DataRef<'_>) {
        use std::fmt::Write;
        if column >= 16_384 || matches!(value, DataRef::Empty) {
            return;
        }
        let start = self.text.len();
        let mut date = false;
        let _ = match value {
            DataRef::Empty => Ok(()),
            DataRef::String(s) => write!(self.text, "{s}"),
            DataRef::SharedString(s) => write!(self.text, "{s}"),
            DataRef::Int(i) => write!(self.text, "{i}"),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => write!(self.text, "{}", *f as i64),
            DataRef::Float(f) => write!(self.text, "{f}"),
            DataRef::Bool(b) => write!(self.text, "{}", if *b { "TRUE" } else { "FALSE" }),
            DataRef::DateTime(d) if d.is_datetime() && d.as_f64() >= 1.0 => {
                date = true;
                let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
                if (h, min, s) == (0, 0, 0) {
                    write!(self.text, "{y:04}-{m:02}-{day:02}")
                } else {
                    write!(self.text, "{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
                }
            }
            DataRef::DateTime(d) => {
                let (_, _, _, h, min, s, _) = d.to_ymd_hms_milli();
                write!(self.text, "{h:02}:{min:02}:{s:02}")
            }
            // ODS writes dates as ISO 8601 (a time of day alone starts with `T` or is a duration).
            DataRef::DateTimeIso(s) => {
                date = !s.starts_with('T');
                write!(self.text, "{}", s.replacen('T', " ", 1).trim())
            }
            DataRef::DurationIso(s) => write!(self.text, "{s}"),
            DataRef::Error(e) => write!(self.text, "{e}"),
        };
        let (from, to) = {
            let cell = &self.text[start..];
            let from = start + (cell.len() - cell.trim_start().len());
            (from, from + cell.trim().len())
        };
        if self.cells.len() <= column {
            self.cells.resize(column + 1, 0..0);
        }
        self.cells[column] = from..to;
        if date {
            self.dates.push(column);
        } else {
            self.dates.retain(|&c| c != column);
        }
    }
}

/// Text from UTF-16 with its BOM (Excel's "Unicode text"), from UTF-8 (a BOM is dropped) or,
/// when the bytes are not UTF-8, from Windows-1252.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some((encoding_rs::UTF_16LE, &bytes[2..]))
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some((encoding_rs::UTF_16BE, &bytes[2..]))
    } else if bytes.len() >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
        // UTF-16 without its BOM: ASCII text with a zero after each byte.
        Some((encoding_rs::UTF_16LE, bytes))
    } else if bytes.len() >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0 {
        Some((encoding_rs::UTF_16BE, bytes))
    } else {
        None
    };
    if let Some((encoding, rest)) = utf16 {
        return Cow::Owned(encoding.decode_without_bom_handling(rest).0.into_owned());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()),
    }
}

/// The separator a first line `sep=;` names (as Excel writes it), and where the next line starts.
fn named_separator(text: &str) -> Option<(u8, usize)> {
    let head = text.get(..4)?;
    if !head.eq_ignore_ascii_case("sep=") {
        return None;
    }
    let end = text.find(['\r', '\n']).unwrap_or(text.len());
    let separator = match text.get(4..end)?.trim_matches('"') {
        "" => b',',
        s if s.len() == 1 => s.as_bytes()[0],
        "\\t" => b'\t',
        _ => return None,
    };
    let next = match text.as_bytes().get(end..end + 2) {
        Some(b"\r\n") => end + 2,
        Some(_) => end + 1,
        None => end,
    };
    Some((separator, next))
}

/// The separator is whichever of `;`, tab and `,` the header line uses most outside quotes.
fn sniff_separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'\n' | b'\r' if !quoted => break,
            b'"' => quoted = !quoted,
            b';' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 2)).unwrap_or(2);
    [b';', b'\t', b','][best]
}

struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    separator: u8,
}

impl Records<'_> {
    /// Reads the next record into `row`, each cell trimmed, with the line it starts on; false
    /// at the end of the text. A line ends in LF, CRLF or a lone CR (old Mac files). Quoted
    /// fields may hold separators, doubled quotes and line breaks. The text is scanned as
    /// bytes: every byte that means something here is ASCII, so the runs copied in between are
    /// whole characters.
    fn next_into(&mut self, row: &mut RowBuf) -> Result<bool, TableError> {
        let (text, bytes) = (self.text, self.text.as_bytes());
        if self.pos >= bytes.len() {
            return Ok(false);
        }
        row.clear();
        row.line = self.line;
        let separator = self.separator;
        let mut at = self.pos;
        let mut cell = 0;
        let mut quoted = false;
        // The bytes that end a run of plain text, outside quotes and inside.
        let mut plain_ends = [false; 256];
        for b in [separator, b'"', b'\n', b'\r'] {
            plain_ends[usize::from(b)] = true;
        }
        let quoted_ends = {
            let mut ends = [false; 256];
            for b in [b'"', b'\n', b'\r'] {
                ends[usize::from(b)] = true;
            }
            ends
        };
        loop {
            let ends = if quoted { &quoted_ends } else { &plain_ends };
            let Some(run) = bytes.get(at..).and_then(|rest| rest.iter().position(|&b| ends[usize::from(b)])) else {
                if quoted {
                    return Err(TableError::UnclosedQuote(row.line));
                }
                row.text.push_str(text.get(at..).unwrap_or(""));
                at = bytes.len();
                break;
            };
            row.text.push_str(text.get(at..at + run).unwrap_or(""));
            at += run;
            let next = bytes.get(at + 1).copied();
            match bytes[at] {
                // A CR before an LF is part of that line end.
                b'\r' if next == Some(b'\n') => {}
                b'\n' | b'\r' if quoted => {
                    self.line += 1;
                    row.text.push('\n');
                }
                b'\n' | b'\r' => {
                    at += 1;
                    break;
                }
                b'"' if quoted && next == Some(b'"') => {
                    row.text.push('"');
                    at += 1;
                }
                b'"' if quoted => quoted = false,
                // A quote opens a quoted field only where the field begins (after white space).
                b'"' if row.text.get(cell..).is_some_and(|c| c.trim().is_empty()) => {
                    row.text.truncate(cell);
                    quoted = true;
                }
                b'"' => row.text.push('"'),
                _ => {
                    row.end_trimmed(cell);
                    cell = row.text.len();
                }
            }
            at += 1;
        }
        row.end_trimmed(cell);
        self.pos = at;
        self.line += 1;
        Ok(true)
    }
}

/// A number as a person typed it: `1234`, `12,5` or `1.234,5` with a decimal comma, `12.5` or
/// `1,234.5` with a decimal point; spaces (also non-breaking ones) between digits are left out.
/// Infinity, NaN and exponents are not numbers here. With a decimal comma a lone point is still
/// read as a decimal point (`12.5`, `0.500`), unless it groups thousands (`1.234`): files mix
/// both conventions. The one number parser of the import and of the forms
/// (`indicator::decimal`).
pub fn number(raw: &str, decimal_comma: bool) -> Option<f64> {
    // Most cells are whole numbers of a few digits: read exactly as an integer.
    if (1..=15).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit()) {
        return raw.bytes().try_fold(0u64, |n, b| n.checked_mul(10)?.checked_add(u64::from(b - b'0'))).map(|n| n as f64);
    }
    let (thousands, decimal) = if decimal_comma { (b'.', b',') } else { (b',', b'.') };
    // Digits, signs and separators only: anything else stays in the text and makes it no number.
    let mut compact = [0u8; 64];
    let mut len = 0;
    for c in raw.trim().chars() {
        match c {
            ' ' | '\u{a0}' => {}
            '0'..='9' | '-' | '.' | ',' if len < compact.len() => {
                compact[len] = c as u8;
                len += 1;
            }
            _ => return None,
        }
    }
    let text = &mut compact[..len];
    let integer_part = &text[..text.iter().position(|&b| b == decimal).unwrap_or(len)];
    // Grouped: one to three digits that do not start with 0, then groups of exactly three.
    let grouped = |part: &[u8]| {
        let mut groups = part.strip_prefix(b"-").unwrap_or(part).split(|&b| b == thousands);
        groups.next().is_some_and(|g| (1..=3).contains(&g.len()) && !g.starts_with(b"0")) && groups.all(|g| g.len() == 3)
    };
    let len = if integer_part.contains(&thousands) && grouped(integer_part) {
        let mut kept = 0;
        for i in 0..len {
            if text[i] != thousands {
                text[kept] = if text[i] == decimal { b'.' } else { text[i] };
                kept += 1;
            }
        }
        kept
    } else {
        if !decimal_comma || text.contains(&b',') {
            text.iter_mut().filter(|b| **b == decimal).for_each(|b| *b = b'.');
        }
        len
    };
    let normalised = std::str::from_utf8(&compact[..len]).ok()?;
    let body = normalised.strip_prefix('-').unwrap_or(normalised);
    let well_formed = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|&b| b == b'.').count() <= 1
        && !body.starts_with('.')
        && !body.ends_with('.');
    if !well_formed {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dutch_excel_csv_with_bom_semicolons_and_quotes() {
        let csv = "\u{feff}indicator;gebied;waarde\r\nTHZ;\"BU0363AD03\";\"1.234,5\"\r\n\r\nVSV;GM0344;\"met \"\"quote\"\" en;\nregel\"\r\n";
        let table = read_csv(csv.as_bytes()).expect("reads");
        assert_eq!(table.header, ["indicator", "gebied", "waarde"]);
        assert!(table.decimal_comma);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[0].cells, ["THZ", "BU0363AD03", "1.234,5"]);
        assert_eq!(table.rows[1].line, 4);
        assert_eq!(table.rows[1].cells[2], "met \"quote\" en;\nregel");
        assert_eq!(number(&table.rows[0].cells[2], table.decimal_comma), Some(1234.5));
    }

    #[test]
    fn reads_windows_1252() {
        let bytes = b"naam,waarde\nCura\xe7ao \x80,5\n";
        let table = read_csv(bytes).expect("reads");
        assert_eq!(table.rows[0].cells, ["Curaçao €", "5"]);
        assert!(!table.decimal_comma);
    }

    #[test]
    fn an_unclosed_quote_names_its_line() {
        assert_eq!(read_csv(b"a,b\n1,2\n\"3,4\n"), Err(TableError::UnclosedQuote(3)));
        assert_eq!(read_csv(b""), Err(TableError::Empty));
    }

    #[test]
    fn numbers_in_both_conventions() {
        for (raw, comma, expected) in [
            ("12", true, Some(12.0)),
            ("12,5", true, Some(12.5)),
            ("12.5", true, Some(12.5)),
            ("1.234", true, Some(1234.0)),
            ("1.234.567,8", true, Some(1_234_567.8)),
            ("12.5", false, Some(12.5)),
            ("1,234.5", false, Some(1234.5)),
            ("-3", false, Some(-3.0)),
            (" 7 ", false, Some(7.0)),
            ("", false, None),
            ("abc", false, None),
            ("inf", false, None),
            ("NaN", false, None),
            ("1e5", false, None),
            ("12,5", false, None),
            ("1.2.3", false, None),
            (".", true, None),
            ("0.500", true, Some(0.5)),
            // A leading 0 groups no thousands; a comma in a file with decimal points is no number.
            ("0,500", false, None),
            ("-0.25", true, Some(-0.25)),
            ("1\u{a0}234,5", true, Some(1234.5)),
            ("+3", false, None),
            ("3.", false, None),
            (&"1".repeat(64), false, "1".repeat(64).parse().ok()),
            (&"1".repeat(65), false, None),
        ] {
            assert_eq!(number(raw, comma), expected, "{raw:?} comma={comma}");
        }
    }

    #[test]
    fn a_sheet_reads_its_rows_one_at_a_time_into_one_buffer() {
        let csv = b"indicator,gebied\n  THZ , \"GM0344\" \n\n,\nVVE,\"a,\nb\",extra\n";
        let sheet = Sheet::open(csv, Limits::default()).expect("opens");
        assert_eq!((sheet.header.as_slice(), sheet.decimal_comma), (["indicator".to_string(), "gebied".to_string()].as_slice(), false));
        let mut seen = Vec::new();
        sheet.each_row(|row| seen.push((row.line, row.cells().map(str::to_string).collect::<Vec<_>>(), row.cell(7).to_string()))).expect("reads");
        assert_eq!(seen, [(2, vec!["THZ".into(), "GM0344".into()], String::new()), (5, vec!["VVE".into(), "a,\nb".into(), "extra".into()], String::new())]);
        // Reading again starts over, and the whole table holds the same rows.
        let mut first = 0;
        sheet.each_row(|row| first = if first == 0 { row.line } else { first }).expect("reads");
        assert_eq!(first, 2);
        assert_eq!(sheet.table().expect("reads").rows.len(), 2);
    }

    #[test]
    fn an_unclosed_quote_in_a_sheet_is_found_when_its_rows_are_read() {
        let sheet = Sheet::csv(b"a;b\n1;2\n\"3;4\n").expect("the header reads");
        let mut lines = Vec::new();
        assert_eq!(sheet.each_row(|row| lines.push(row.line)), Err(TableError::UnclosedQuote(3)));
        assert_eq!(lines, [2]);
        assert_eq!(Sheet::csv(b"\"a;b\n").map(|s| s.header), Err(TableError::UnclosedQuote(1)));
    }

    const HEADER: [&str; 5] = ["indicator", "gebied", "periode", "teller", "noemer"];

    fn rows(table: &Table) -> Vec<(usize, Vec<&str>)> {
        table.rows.iter().map(|r| (r.line, r.cells.iter().map(String::as_str).collect())).collect()
    }

    #[test]
    fn reads_text_as_excel_and_libreoffice_save_it() {
        let expected = [
            (2, vec!["THZ", "GM0344", "2025-2026", "12", ""]),
            (3, vec!["THZ", "WK034401", "2025-2026", "5", ""]),
            (4, vec!["VVE", "GM0344", "2025", "45", "60"]),
        ];
        for (name, bytes, decimal_comma) in [
            // "Unicode-tekst": UTF-16 LE with BOM, tabs, CRLF; and the same big-endian.
            ("unicode-tekst.txt", &include_bytes!("../tests/fixtures/unicode-tekst.txt")[..], true),
            ("unicode-tekst-be.txt", &include_bytes!("../tests/fixtures/unicode-tekst-be.txt")[..], true),
            // A first line `sep=;`, which Excel reads as the separator and not as a row.
            ("sep.csv", &include_bytes!("../tests/fixtures/sep.csv")[..], true),
            // "CSV (Macintosh)": a lone CR ends each line.
            ("mac.csv", &include_bytes!("../tests/fixtures/mac.csv")[..], true),
            ("metingen.csv", &include_bytes!("../tests/fixtures/metingen.csv")[..], true),
        ] {
            let table = read(bytes, Limits::default()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!((name, table.header.as_slice(), table.decimal_comma), (name, HEADER.map(String::from).as_slice(), decimal_comma));
            // Lines count as Excel shows them: the `sep=` line is none.
            assert_eq!(rows(&table), expected, "{name}");
        }
        // A quoted cell may break its line with a lone CR too, and a CR-only file counts its lines.
        let table = read_csv(b"a;b\r1;\"x\ry\"\r2;3\r").expect("reads");
        assert_eq!(rows(&table), [(2, vec!["1", "x\ny"]), (4, vec!["2", "3"])]);
        assert_eq!(read_csv(b"sep=,\r\na;b,c\r\n1;2,3\r\n").expect("reads").header, ["a;b", "c"], "the named separator wins");
    }

    #[test]
    fn reads_the_first_sheet_of_xlsx_xls_and_ods_as_libreoffice_writes_them() {
        for (name, bytes) in [
            ("metingen.xlsx", &include_bytes!("../tests/fixtures/metingen.xlsx")[..]),
            ("metingen.xls", &include_bytes!("../tests/fixtures/metingen.xls")[..]),
            ("metingen.ods", &include_bytes!("../tests/fixtures/metingen.ods")[..]),
        ] {
            let sheet = Sheet::open(bytes, Limits::default()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!((name, sheet.header.as_slice(), sheet.decimal_comma), (name, HEADER.map(String::from).as_slice(), false));
            let table = sheet.table().expect("reads");
            let got: Vec<(usize, Vec<&str>)> = rows(&table);
            assert_eq!(got.len(), 3, "{name}: {got:?}");
            assert_eq!((got[0].0, &got[0].1[..4]), (2, &["THZ", "GM0344", "2025-2026", "12"][..]), "{name}");
            assert_eq!((got[2].0, &got[2].1[..]), (4, &["VVE", "GM0344", "2025", "45", "60"][..]), "{name}");
            let mut dates = 0;
            sheet.each_row(|row| dates += (0..row.len()).filter(|&i| row.is_date(i)).count()).expect("reads");
            assert_eq!(dates, 0, "{name}");
        }
    }

    #[test]
    fn date_cells_are_marked_and_written_as_dates() {
        for (name, bytes) in [
            ("geboortedata.xlsx", &include_bytes!("../tests/fixtures/geboortedata.xlsx")[..]),
            ("geboortedata.xls", &include_bytes!("../tests/fixtures/geboortedata.xls")[..]),
            ("geboortedata.ods", &include_bytes!("../tests/fixtures/geboortedata.ods")[..]),
        ] {
            let sheet = Sheet::open(bytes, Limits::default()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let mut seen = Vec::new();
            sheet.each_row(|row| seen.push((row.cell(4).to_string(), row.is_date(4), row.is_date(3)))).expect("reads");
            assert_eq!(seen, [("2015-03-04".to_string(), true, false), ("2016-11-30".to_string(), true, false)], "{name}");
        }
    }

    /// A ZIP archive of `files`, packed.
    fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            out.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).expect("starts");
            out.write_all(data).expect("writes");
        }
        out.finish().expect("finishes").into_inner()
    }

    #[test]
    fn refuses_archives_over_the_limits_before_unpacking() {
        let big = vec![b'a'; 10_000];
        let bytes = zip(&[("xl/workbook.xml", &big)]);
        assert!(bytes.len() < 1_000, "highly compressible");
        assert_eq!(read(&bytes, Limits { entries: 10, unpacked_bytes: 5_000 }), Err(TableError::TooLarge));
        let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
        assert_eq!(read(&zip(&refs), Limits { entries: 10, unpacked_bytes: 5_000 }), Err(TableError::TooLarge));
        assert_eq!(read(b"PK\x03\x04garbage", Limits::default()), Err(TableError::Corrupt));
        assert_eq!(read(&zip(&[("readme.txt", b"hello")]), Limits::default()), Err(TableError::Corrupt), "an archive that is no workbook");
        assert_eq!(read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1garbage", Limits::default()), Err(TableError::Corrupt));
    }

    #[test]
    fn never_panics_on_truncated_or_altered_workbooks() {
        for bytes in [&include_bytes!("../tests/fixtures/metingen.xlsx")[..], &include_bytes!("../tests/fixtures/metingen.xls")[..]] {
            for cut in (0..bytes.len()).step_by(7) {
                let _ = read(&bytes[..cut], Limits::default());
            }
            let mut altered = bytes.to_vec();
            for i in (0..altered.len()).step_by(3) {
                altered[i] ^= 0x5A;
                let _ = read(&altered, Limits::default());
                altered[i] ^= 0x5A;
            }
        }
    }
}
