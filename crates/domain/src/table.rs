//! Tables as people hand them over: CSV saved by Excel or another program (comma, semicolon or
//! tab; UTF-8 with or without BOM, or Windows-1252) and XLSX workbooks (the first sheet). Both
//! become the same `Table` of text cells with the line each row came from, so one validation
//! serves both. XLSX is a ZIP archive: its directory is checked for the number of entries and
//! their unpacked size before anything is unpacked, and unpacking stops at the declared size.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    /// Whether numbers are written with a decimal comma (semicolon-separated files, Dutch Excel).
    pub decimal_comma: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line in the file (CSV) or the row number in the sheet (XLSX), counting the header as 1.
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

/// Limits on what an XLSX may unpack to.
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

/// Reads a CSV or an XLSX, told apart by the ZIP signature.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Table, TableError> {
    if bytes.starts_with(b"PK\x03\x04") { read_xlsx(bytes, limits) } else { read_csv(bytes) }
}

/// Text from UTF-8 (a BOM is dropped) or, when the bytes are not UTF-8, from Windows-1252.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect()),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™',
        'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

pub fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let text = decode(bytes);
    let separator = sniff_separator(&text);
    let mut records = Records { text: &text, pos: 0, line: 1, separator };
    let (_, header) = records.next_record()?.ok_or(TableError::Empty)?;
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_string()).collect();
    if header.iter().all(String::is_empty) {
        return Err(TableError::Empty);
    }
    let mut rows = Vec::new();
    while let Some((line, cells)) = records.next_record()? {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Exactly as many slots as cells, and a cell that needs no trimming kept as it is: a
        // million-row file is held whole while it is checked.
        let mut trimmed = Vec::with_capacity(cells.len());
        trimmed.extend(cells.into_iter().map(|c| if c.trim().len() == c.len() { c } else { c.trim().to_string() }));
        rows.push(Row { line, cells: trimmed });
    }
    Ok(Table { header, rows, decimal_comma: separator != ',' })
}

/// The separator is whichever of `;`, tab and `,` the header line uses most outside quotes.
fn sniff_separator(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '\n' if !quoted => break,
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 2)).unwrap_or(2);
    [';', '\t', ','][best]
}

struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    separator: char,
}

impl Records<'_> {
    /// The next record and the line it starts on; quoted fields may hold separators, doubled
    /// quotes and line breaks.
    fn next_record(&mut self) -> Result<Option<(usize, Vec<String>)>, TableError> {
        if self.pos >= self.text.len() {
            return Ok(None);
        }
        let start_line = self.line;
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut quoted = false;
        let mut chars = self.text[self.pos..].char_indices().peekable();
        let mut end = self.text.len() - self.pos;
        while let Some((i, c)) = chars.next() {
            if quoted {
                match c {
                    '"' if chars.peek().is_some_and(|&(_, n)| n == '"') => {
                        chars.next();
                        cell.push('"');
                    }
                    '"' => quoted = false,
                    '\n' => {
                        self.line += 1;
                        cell.push(c);
                    }
                    _ => cell.push(c),
                }
                continue;
            }
            match c {
                '"' if cell.trim().is_empty() => {
                    cell.clear();
                    quoted = true;
                }
                '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {}
                '\n' => {
                    end = i + 1;
                    break;
                }
                c if c == self.separator => cells.push(std::mem::take(&mut cell)),
                _ => cell.push(c),
            }
        }
        if quoted {
            return Err(TableError::UnclosedQuote(start_line));
        }
        cells.push(cell);
        self.pos += end;
        self.line += 1;
        Ok(Some((start_line, cells)))
    }
}

/// A number as a person typed it: `1234`, `12,5` or `1.234,5` with a decimal comma, `12.5` or
/// `1,234.5` with a decimal point. Infinity, NaN and exponents are not numbers here.
pub fn number(raw: &str, decimal_comma: bool) -> Option<f64> {
    let text: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}')).collect();
    let (thousands, decimal) = if decimal_comma { ('.', ',') } else { (',', '.') };
    // With a decimal comma a lone point is still read as a decimal point ("12.5"), unless it
    // groups thousands ("1.234"): files mix both conventions.
    let grouped = |s: &str, sep: char| {
        let mut groups = s.trim_start_matches('-').split(sep);
        groups.next().is_some_and(|g| (1..=3).contains(&g.len())) && groups.all(|g| g.len() == 3)
    };
    let integer_part = text.split(decimal).next().unwrap_or("");
    let normalised = if integer_part.contains(thousands) && grouped(integer_part, thousands) {
        text.replace(thousands, "").replace(decimal, ".")
    } else if decimal_comma && !text.contains(',') {
        text
    } else {
        text.replace(decimal, ".")
    };
    let body = normalised.strip_prefix('-').unwrap_or(&normalised);
    let well_formed = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.matches('.').count() <= 1
        && !body.starts_with('.')
        && !body.ends_with('.');
    if !well_formed {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

pub fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<Table, TableError> {
    let archive = Zip::open(bytes, limits)?;
    let strings = match archive.file("xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(&String::from_utf8_lossy(&xml)),
        None => Vec::new(),
    };
    let sheet = first_sheet(&archive)?;
    let xml = archive.file(&sheet)?.ok_or(TableError::Corrupt)?;
    let mut rows = sheet_rows(&String::from_utf8_lossy(&xml), &strings).into_iter();
    let header = rows.next().ok_or(TableError::Empty)?;
    if header.cells.iter().all(|c| c.trim().is_empty()) {
        return Err(TableError::Empty);
    }
    let header = header.cells.into_iter().map(|h| h.trim().to_string()).collect();
    let rows = rows.filter(|r| r.cells.iter().any(|c| !c.trim().is_empty())).collect();
    Ok(Table { header, rows, decimal_comma: false })
}

/// The path of the workbook's first sheet, through the workbook and its relationships.
fn first_sheet(archive: &Zip<'_>) -> Result<String, TableError> {
    let fallback = "xl/worksheets/sheet1.xml".to_string();
    let (Some(workbook), Some(rels)) = (archive.file("xl/workbook.xml")?, archive.file("xl/_rels/workbook.xml.rels")?) else {
        return Ok(fallback);
    };
    let workbook = String::from_utf8_lossy(&workbook);
    let Some(id) = elements(&workbook, "sheet").next().and_then(|(attrs, _)| attribute(attrs, "r:id")) else { return Ok(fallback) };
    let rels = String::from_utf8_lossy(&rels);
    let target = elements(&rels, "Relationship").find(|(attrs, _)| attribute(attrs, "Id").as_deref() == Some(&id)).and_then(|(a, _)| attribute(a, "Target"));
    Ok(match target {
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_string(),
        Some(t) => format!("xl/{t}"),
        None => fallback,
    })
}

fn shared_strings(xml: &str) -> Vec<String> {
    elements(xml, "si").map(|(_, inner)| elements(inner, "t").map(|(_, text)| unescape(text)).collect()).collect()
}

fn sheet_rows(xml: &str, strings: &[String]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (n, (attrs, inner)) in elements(xml, "row").enumerate() {
        let line = attribute(attrs, "r").and_then(|r| r.parse().ok()).unwrap_or(n + 1);
        let mut cells: Vec<String> = Vec::new();
        for (attrs, inner) in elements(inner, "c") {
            let column = attribute(attrs, "r").map_or(cells.len(), |r| column_index(&r));
            let value = match attribute(attrs, "t").as_deref() {
                Some("s") => first(inner, "v").and_then(|v| v.trim().parse::<usize>().ok()).and_then(|i| strings.get(i)).cloned().unwrap_or_default(),
                Some("inlineStr") => elements(inner, "t").map(|(_, t)| unescape(t)).collect(),
                _ => first(inner, "v").map(unescape).unwrap_or_default(),
            };
            if column >= 16_384 {
                continue;
            }
            if cells.len() <= column {
                cells.resize(column + 1, String::new());
            }
            cells[column] = value;
        }
        rows.push(Row { line, cells });
    }
    rows
}

/// `C7` → 2.
fn column_index(reference: &str) -> usize {
    reference
        .bytes()
        .take_while(u8::is_ascii_uppercase)
        .fold(0usize, |acc, b| acc.saturating_mul(26).saturating_add(usize::from(b - b'A') + 1))
        .saturating_sub(1)
}

/// The elements named `name` in `xml` (not nested in each other), as (attributes, inner text).
fn elements<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut rest = xml;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find(&open)?;
            let after = &rest[start + open.len()..];
            // `<c` must not match `<cols`: the name ends at a space, `>` or `/`.
            if !after.starts_with([' ', '>', '/', '\t', '\n', '\r']) {
                rest = after;
                continue;
            }
            let tag_end = after.find('>')?;
            let attrs = &after[..tag_end];
            if attrs.ends_with('/') {
                rest = &after[tag_end + 1..];
                return Some((attrs.trim_end_matches('/'), ""));
            }
            let body = &after[tag_end + 1..];
            let end = body.find(&close)?;
            rest = &body[end + close.len()..];
            return Some((attrs, &body[..end]));
        }
    })
}

fn first<'a>(xml: &'a str, name: &'a str) -> Option<&'a str> {
    elements(xml, name).next().map(|(_, inner)| inner)
}

fn attribute(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        let at = rest.find(name)?;
        let before_ok = at == 0 || rest[..at].ends_with([' ', '\t', '\n', '\r']);
        let after = rest[at + name.len()..].trim_start();
        if before_ok && let Some(after) = after.strip_prefix('=') {
            let after = after.trim_start();
            let quote = after.chars().next()?;
            if quote == '"' || quote == '\'' {
                let value = &after[1..];
                return value.find(quote).map(|end| unescape(&value[..end]));
            }
        }
        rest = &rest[at + name.len()..];
    }
}

fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let entity_end = rest[at..].find(';').map(|e| at + e);
        let entity = entity_end.map(|e| &rest[at + 1..e]);
        let decoded = match entity {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("apos") => Some('\''),
            Some(e) if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, entity_end) {
            (Some(c), Some(end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A ZIP archive read from its central directory.
struct Zip<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
}

struct Entry {
    name: String,
    method: u16,
    compressed: u64,
    unpacked: u64,
    offset: u64,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl<'a> Zip<'a> {
    fn open(bytes: &'a [u8], limits: Limits) -> Result<Zip<'a>, TableError> {
        let corrupt = TableError::Corrupt;
        // The end-of-directory record sits in the last 22 bytes plus a comment of up to 64 KiB.
        let search_from = bytes.len().saturating_sub(22 + 65_535);
        let eocd = (search_from..bytes.len().saturating_sub(21)).rev().find(|&i| u32_at(bytes, i) == Some(0x0605_4b50)).ok_or(corrupt)?;
        let count = usize::from(u16_at(bytes, eocd + 10).ok_or(corrupt)?);
        let mut at = u32_at(bytes, eocd + 16).ok_or(corrupt)? as usize;
        if count > limits.entries {
            return Err(TableError::TooLarge);
        }
        let mut entries = Vec::with_capacity(count);
        let mut total = 0u64;
        for _ in 0..count {
            if u32_at(bytes, at) != Some(0x0201_4b50) {
                return Err(corrupt);
            }
            let field = |offset: usize| u32_at(bytes, at + offset).map(u64::from).ok_or(corrupt);
            let name_len = usize::from(u16_at(bytes, at + 28).ok_or(corrupt)?);
            let extra_len = usize::from(u16_at(bytes, at + 30).ok_or(corrupt)?);
            let comment_len = usize::from(u16_at(bytes, at + 32).ok_or(corrupt)?);
            let name = bytes.get(at + 46..at + 46 + name_len).ok_or(corrupt)?;
            let entry = Entry {
                name: String::from_utf8_lossy(name).into_owned(),
                method: u16_at(bytes, at + 10).ok_or(corrupt)?,
                compressed: field(20)?,
                unpacked: field(24)?,
                offset: field(42)?,
            };
            total = total.saturating_add(entry.unpacked);
            if total > limits.unpacked_bytes {
                return Err(TableError::TooLarge);
            }
            entries.push(entry);
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(Zip { bytes, entries })
    }

    /// The unpacked bytes of one entry, never more than its declared size.
    fn file(&self, name: &str) -> Result<Option<Vec<u8>>, TableError> {
        let corrupt = TableError::Corrupt;
        let Some(entry) = self.entries.iter().find(|e| e.name == name) else { return Ok(None) };
        let local = usize::try_from(entry.offset).map_err(|_| corrupt)?;
        if u32_at(self.bytes, local) != Some(0x0403_4b50) {
            return Err(corrupt);
        }
        let name_len = usize::from(u16_at(self.bytes, local + 26).ok_or(corrupt)?);
        let extra_len = usize::from(u16_at(self.bytes, local + 28).ok_or(corrupt)?);
        let start = local + 30 + name_len + extra_len;
        let size = usize::try_from(entry.compressed).map_err(|_| corrupt)?;
        let data = self.bytes.get(start..start.checked_add(size).ok_or(corrupt)?).ok_or(corrupt)?;
        let limit = usize::try_from(entry.unpacked).map_err(|_| corrupt)?;
        match entry.method {
            0 => Ok(Some(data.to_vec())),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit).map(Some).map_err(|_| corrupt),
            _ => Err(corrupt),
        }
    }
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
        ] {
            assert_eq!(number(raw, comma), expected, "{raw:?} comma={comma}");
        }
    }

    fn zip(files: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut directory = Vec::new();
        for (name, data) in files {
            let packed = if deflate { miniz_oxide::deflate::compress_to_vec(data, 6) } else { data.to_vec() };
            let offset = out.len() as u32;
            let method: u16 = if deflate { 8 } else { 0 };
            out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            out.extend_from_slice(&[20, 0, 0, 0]);
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0; 8]);
            out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&packed);
            directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            directory.extend_from_slice(&[20, 0, 20, 0, 0, 0]);
            directory.extend_from_slice(&method.to_le_bytes());
            directory.extend_from_slice(&[0; 8]);
            directory.extend_from_slice(&(packed.len() as u32).to_le_bytes());
            directory.extend_from_slice(&(data.len() as u32).to_le_bytes());
            directory.extend_from_slice(&(name.len() as u16).to_le_bytes());
            directory.extend_from_slice(&[0; 12]);
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(name.as_bytes());
        }
        let at = out.len() as u32;
        out.extend_from_slice(&directory);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(files.len() as u16).to_le_bytes());
        out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    const SHEET: &str = r#"<worksheet><cols><col min="1"/></cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>gebied</t></is></c><c r="C1" t="s"><v>1</v></c></row><row r="3"><c r="A3" t="str"><v>THZ &amp; co</v></c><c r="C3"><v>12.5</v></c></row></sheetData></worksheet>"#;
    const STRINGS: &str = r#"<sst><si><t>indicator</t></si><si><r><t>waar</t></r><r><t xml:space="preserve">de</t></r></si></sst>"#;

    #[test]
    fn reads_the_first_sheet_of_a_workbook_packed_or_stored() {
        for deflate in [true, false] {
            let bytes = zip(&[("xl/sharedStrings.xml", STRINGS.as_bytes()), ("xl/worksheets/sheet1.xml", SHEET.as_bytes())], deflate);
            let table = read(&bytes, Limits::default()).expect("reads");
            assert_eq!(table.header, ["indicator", "gebied", "waarde"]);
            assert_eq!(table.rows, [Row { line: 3, cells: vec!["THZ & co".into(), String::new(), "12.5".into()] }]);
        }
    }

    #[test]
    fn refuses_archives_over_the_limits_before_unpacking() {
        let big = vec![b'a'; 10_000];
        let bytes = zip(&[("xl/worksheets/sheet1.xml", &big)], true);
        assert!(bytes.len() < 1_000, "highly compressible");
        assert_eq!(read(&bytes, Limits { entries: 10, unpacked_bytes: 5_000 }), Err(TableError::TooLarge));
        let many: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
        assert_eq!(read(&zip(&refs, false), Limits { entries: 10, unpacked_bytes: 5_000 }), Err(TableError::TooLarge));
        assert_eq!(read(b"PK\x03\x04garbage", Limits::default()), Err(TableError::Corrupt));
    }

    #[test]
    fn never_panics_on_truncated_or_altered_input() {
        let bytes = zip(&[("xl/sharedStrings.xml", STRINGS.as_bytes()), ("xl/worksheets/sheet1.xml", SHEET.as_bytes())], true);
        for cut in 0..bytes.len() {
            let _ = read(&bytes[..cut], Limits::default());
        }
        let mut altered = bytes.clone();
        for i in 0..altered.len() {
            altered[i] ^= 0x5A;
            let _ = read(&altered, Limits::default());
            altered[i] ^= 0x5A;
        }
    }
}
