//! Tables as people hand them over: CSV saved by Excel or another program (comma, semicolon or
//! tab; UTF-8 with or without BOM, or Windows-1252) and XLSX workbooks (the first sheet). Both
//! become the same rows of text cells with the line each row came from, so one validation
//! serves both. XLSX is a ZIP archive: its directory is checked for the number of entries and
//! their unpacked size before anything is unpacked, and unpacking stops at the declared size.
//!
//! A `Sheet` is the file's text with its header read; its rows are parsed each time they are
//! visited, one at a time into a `RowBuf` that is reused, so checking a million-row import holds
//! the text once and never a million rows of cells. `Table` collects the rows of a small file
//! (an area list) for code that wants them all at hand.

use std::borrow::Cow;
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

/// Reads a CSV or an XLSX whole, told apart by the ZIP signature.
pub fn read(bytes: &[u8], limits: Limits) -> Result<Table, TableError> {
    Sheet::open(bytes, limits)?.table()
}

pub fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    Sheet::csv(bytes)?.table()
}

pub fn read_xlsx(bytes: &[u8], limits: Limits) -> Result<Table, TableError> {
    Sheet::xlsx(bytes, limits)?.table()
}

/// A file's header and the text its rows are read from.
#[derive(Debug)]
pub struct Sheet<'a> {
    pub header: Vec<String>,
    /// Whether numbers are written with a decimal comma (semicolon-separated files, Dutch Excel).
    pub decimal_comma: bool,
    body: Body<'a>,
}

#[derive(Debug)]
enum Body<'a> {
    /// The decoded text; the rows start at byte `start` on line `line`.
    Csv { text: Cow<'a, str>, start: usize, line: usize, separator: u8 },
    /// The sheet's XML with its shared strings; the rows start at byte `start`, and `index` is
    /// the position of the first (what a row without a number is numbered by).
    Xlsx { xml: String, strings: Vec<String>, start: usize, index: usize },
}

impl<'a> Sheet<'a> {
    /// Opens a CSV or an XLSX, told apart by the ZIP signature, and reads its header.
    pub fn open(bytes: &'a [u8], limits: Limits) -> Result<Sheet<'a>, TableError> {
        if bytes.starts_with(b"PK\x03\x04") { Sheet::xlsx(bytes, limits) } else { Sheet::csv(bytes) }
    }

    pub fn csv(bytes: &'a [u8]) -> Result<Sheet<'a>, TableError> {
        let text = decode(bytes);
        let separator = sniff_separator(&text);
        let mut records = Records { text: &text, pos: 0, line: 1, separator };
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

    pub fn xlsx(bytes: &'a [u8], limits: Limits) -> Result<Sheet<'a>, TableError> {
        let archive = Zip::open(bytes, limits)?;
        let strings = match archive.file("xl/sharedStrings.xml")? {
            Some(xml) => shared_strings(&String::from_utf8_lossy(&xml)),
            None => Vec::new(),
        };
        let sheet = first_sheet(&archive)?;
        let xml = archive.file(&sheet)?.ok_or(TableError::Corrupt)?;
        let xml = String::from_utf8(xml).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        let mut rows = XlsxRows { elements: Elements::new(&xml, "row"), strings: &strings, index: 0 };
        let mut row = RowBuf::default();
        if !rows.next_into(&mut row) || row.cells().all(|c| c.trim().is_empty()) {
            return Err(TableError::Empty);
        }
        let header = row.cells().map(|c| c.trim().to_string()).collect();
        let (start, index) = (xml.len() - rows.elements.rest.len(), rows.index);
        Ok(Sheet { header, decimal_comma: false, body: Body::Xlsx { xml, strings, start, index } })
    }

    /// The rows after the header, leaving out blank ones.
    pub fn rows(&self) -> Rows<'_> {
        Rows(match &self.body {
            Body::Csv { text, start, line, separator } => Source::Csv(Records { text, pos: *start, line: *line, separator: *separator }),
            Body::Xlsx { xml, strings, start, index } => {
                Source::Xlsx(XlsxRows { elements: Elements::new(xml.get(*start..).unwrap_or(""), "row"), strings, index: *index })
            }
        })
    }

    /// Every row at hand.
    pub fn table(&self) -> Result<Table, TableError> {
        let mut rows = Vec::new();
        let mut reader = self.rows();
        let mut row = RowBuf::default();
        while reader.next_into(&mut row)? {
            rows.push(Row { line: row.line, cells: row.cells().map(str::to_string).collect() });
        }
        Ok(Table { header: self.header.clone(), rows, decimal_comma: self.decimal_comma })
    }
}

/// One row's cells, overwritten by each `Rows::next_into`: the text of all cells in one
/// string, and where each cell lies in it.
#[derive(Debug, Clone, Default)]
pub struct RowBuf {
    /// The line in the file (CSV) or the row number in the sheet (XLSX), counting the header as 1.
    pub line: usize,
    text: String,
    cells: Vec<Range<usize>>,
}

impl RowBuf {
    /// The cell in column `i`; empty past the end of the row.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).and_then(|r| self.text.get(r.clone())).unwrap_or("")
    }

    pub fn cells(&self) -> impl Iterator<Item = &str> {
        (0..self.cells.len()).map(|i| self.cell(i))
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
}

/// Reads the rows of a sheet one by one.
pub struct Rows<'s>(Source<'s>);

enum Source<'s> {
    Csv(Records<'s>),
    Xlsx(XlsxRows<'s>),
}

impl Rows<'_> {
    /// Reads the next row that is not blank into `row`; false after the last.
    pub fn next_into(&mut self, row: &mut RowBuf) -> Result<bool, TableError> {
        loop {
            let more = match &mut self.0 {
                Source::Csv(records) => records.next_into(row)?,
                Source::Xlsx(rows) => rows.next_into(row),
            };
            if !more || !row.is_blank() {
                return Ok(more);
            }
        }
    }
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

/// The separator is whichever of `;`, tab and `,` the header line uses most outside quotes.
fn sniff_separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'\n' if !quoted => break,
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
    /// at the end of the text. Quoted fields may hold separators, doubled quotes and line
    /// breaks. The text is scanned as bytes: every byte that means something here is ASCII, so
    /// the runs copied in between are whole characters.
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
            ends[usize::from(b'"')] = true;
            ends[usize::from(b'\n')] = true;
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
                b'\n' if quoted => {
                    self.line += 1;
                    row.text.push('\n');
                }
                b'\n' => {
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
                b'\r' if next == Some(b'\n') => {}
                b'\r' => row.text.push('\r'),
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

/// The path of the workbook's first sheet, through the workbook and its relationships.
fn first_sheet(archive: &Zip<'_>) -> Result<String, TableError> {
    let fallback = "xl/worksheets/sheet1.xml".to_string();
    let (Some(workbook), Some(rels)) = (archive.file("xl/workbook.xml")?, archive.file("xl/_rels/workbook.xml.rels")?) else {
        return Ok(fallback);
    };
    let workbook = String::from_utf8_lossy(&workbook);
    let Some(id) = Elements::new(&workbook, "sheet").next().and_then(|(attrs, _)| attribute(attrs, "r:id")) else { return Ok(fallback) };
    let rels = String::from_utf8_lossy(&rels);
    let target =
        Elements::new(&rels, "Relationship").find(|(attrs, _)| attribute(attrs, "Id").as_deref() == Some(&id)).and_then(|(a, _)| attribute(a, "Target"));
    Ok(match target {
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_string(),
        Some(t) => format!("xl/{t}"),
        None => fallback,
    })
}

fn shared_strings(xml: &str) -> Vec<String> {
    Elements::new(xml, "si").map(|(_, inner)| Elements::new(inner, "t").map(|(_, text)| unescape(text)).collect()).collect()
}

/// The rows of a sheet's XML; `index` counts the rows read, for a row without its number.
struct XlsxRows<'s> {
    elements: Elements<'s>,
    strings: &'s [String],
    index: usize,
}

impl XlsxRows<'_> {
    fn next_into(&mut self, row: &mut RowBuf) -> bool {
        let Some((attrs, inner)) = self.elements.next() else { return false };
        self.index += 1;
        row.clear();
        row.line = attribute(attrs, "r").and_then(|r| r.parse().ok()).unwrap_or(self.index);
        for (attrs, inner) in Elements::new(inner, "c") {
            let column = attribute(attrs, "r").map_or(row.cells.len(), |r| column_index(&r));
            if column >= 16_384 {
                continue;
            }
            let start = row.text.len();
            match attribute(attrs, "t").as_deref() {
                Some("s") => {
                    let shared = first(inner, "v").and_then(|v| v.trim().parse::<usize>().ok()).and_then(|i| self.strings.get(i));
                    row.text.push_str(shared.map_or("", String::as_str));
                }
                Some("inlineStr") => Elements::new(inner, "t").for_each(|(_, t)| unescape_into(&mut row.text, t)),
                _ => unescape_into(&mut row.text, first(inner, "v").unwrap_or("")),
            }
            // A later cell may name an earlier column: it takes that column's place.
            if row.cells.len() <= column {
                row.cells.resize(column + 1, 0..0);
            }
            row.cells[column] = start..row.text.len();
        }
        true
    }
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
struct Elements<'a> {
    rest: &'a str,
    open: String,
    close: String,
}

impl<'a> Elements<'a> {
    fn new(xml: &'a str, name: &str) -> Elements<'a> {
        Elements { rest: xml, open: format!("<{name}"), close: format!("</{name}>") }
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        loop {
            let start = self.rest.find(&self.open)?;
            let after = &self.rest[start + self.open.len()..];
            // `<c` must not match `<cols`: the name ends at a space, `>` or `/`.
            if !after.starts_with([' ', '>', '/', '\t', '\n', '\r']) {
                self.rest = after;
                continue;
            }
            let tag_end = after.find('>')?;
            let attrs = &after[..tag_end];
            if attrs.ends_with('/') {
                self.rest = &after[tag_end + 1..];
                return Some((attrs.trim_end_matches('/'), ""));
            }
            let body = &after[tag_end + 1..];
            let end = body.find(&self.close)?;
            self.rest = &body[end + self.close.len()..];
            return Some((attrs, &body[..end]));
        }
    }
}

fn first<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    Elements::new(xml, name).next().map(|(_, inner)| inner)
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
    let mut out = String::with_capacity(text.len());
    unescape_into(&mut out, text);
    out
}

/// Appends `text` to `out` with its character and entity references replaced.
fn unescape_into(out: &mut String, text: &str) {
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
        let mut rows = sheet.rows();
        let mut row = RowBuf::default();
        let mut seen = Vec::new();
        while rows.next_into(&mut row).expect("reads") {
            seen.push((row.line, row.cells().map(str::to_string).collect::<Vec<_>>(), row.cell(7).to_string()));
        }
        assert_eq!(seen, [(2, vec!["THZ".into(), "GM0344".into()], String::new()), (5, vec!["VVE".into(), "a,\nb".into(), "extra".into()], String::new())]);
        // Reading again starts over, and the whole table holds the same rows.
        assert!(sheet.rows().next_into(&mut row).expect("reads") && row.line == 2);
        assert_eq!(sheet.table().expect("reads").rows.len(), 2);
    }

    #[test]
    fn an_unclosed_quote_in_a_sheet_is_found_when_its_rows_are_read() {
        let sheet = Sheet::csv(b"a;b\n1;2\n\"3;4\n").expect("the header reads");
        let mut rows = sheet.rows();
        let mut row = RowBuf::default();
        assert_eq!(rows.next_into(&mut row), Ok(true));
        assert_eq!(rows.next_into(&mut row), Err(TableError::UnclosedQuote(3)));
        assert_eq!(Sheet::csv(b"\"a;b\n").map(|s| s.header), Err(TableError::UnclosedQuote(1)));
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
    fn a_cell_may_name_an_earlier_column_and_a_row_may_lack_its_number() {
        let sheet = r#"<worksheet><sheetData><row><c><v>a</v></c><c><v>b</v></c></row><row><c r="C2"><v>3</v></c><c r="A2"><v>1</v></c><c r="C2"><v>4</v></c><c r="XFE2"><v>far</v></c></row></sheetData></worksheet>"#;
        let bytes = zip(&[("xl/worksheets/sheet1.xml", sheet.as_bytes())], false);
        let table = read(&bytes, Limits::default()).expect("reads");
        assert_eq!(table.header, ["a", "b"]);
        assert_eq!(table.rows, [Row { line: 2, cells: vec!["1".into(), String::new(), "4".into()] }]);
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
