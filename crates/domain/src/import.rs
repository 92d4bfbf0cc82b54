//! Importing measurements from a table, all or nothing. `plan` checks every row against the
//! collaboration's indicators, the area classification, locked periods and what is already
//! stored, and either returns what to write or every problem at once, each with its line,
//! column and reason. A file that holds data about persons (a column of citizen service
//! numbers, names, dates of birth) is refused as a whole, whatever else it holds.
//!
//! Files run to a million rows, so nothing here keeps text per row: rows are read one at a
//! time from the `Sheet`, each area code and period is kept once and named by a number, a
//! planned row takes 48 bytes, and repeated rows are found by sorting those, not in a map of
//! strings.

use crate::area::AreaCode;
use crate::error::Invalid;
use crate::indicator::{MeasurementStatus, PeriodType, check_parts, is_period, normalise_period};
use crate::measure::{IndicatorKind, Parts};
use crate::table::{RowBuf, Sheet, TableError, number};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What the import needs to know of one indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorRef {
    pub id: i64,
    pub kind: IndicatorKind,
    pub period_type: PeriodType,
}

/// What is already stored for one indicator, area and period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Existing {
    pub parts: Parts,
    pub status: MeasurementStatus,
}

/// The measurements stored for the indicators a file names, found by indicator, area and
/// period. Each area code and period is kept once, so a re-import of a million rows compares
/// against 48 bytes a row instead of two strings a row. Made by `StoredBuilder`.
#[derive(Debug, Default)]
pub struct Stored {
    areas: HashMap<Box<str>, u32>,
    periods: HashMap<Box<str>, u32>,
    /// Sorted by (indicator, area, period).
    rows: Vec<((i64, u32, u32), Existing)>,
}

impl Stored {
    pub fn get(&self, indicator: i64, area: &str, period: &str) -> Option<&Existing> {
        let key = (indicator, *self.areas.get(area)?, *self.periods.get(period)?);
        self.rows.binary_search_by_key(&key, |(k, _)| *k).ok().and_then(|i| self.rows.get(i)).map(|(_, e)| e)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Collects what is stored, in any order.
#[derive(Debug, Default)]
pub struct StoredBuilder(Stored);

impl StoredBuilder {
    pub fn insert(&mut self, indicator: i64, area: &str, period: &str, existing: Existing) {
        let key = (indicator, intern(&mut self.0.areas, area), intern(&mut self.0.periods, period));
        self.0.rows.push((key, existing));
    }

    pub fn build(mut self) -> Stored {
        self.0.rows.sort_unstable_by_key(|(k, _)| *k);
        self.0.rows.shrink_to_fit();
        self.0
    }
}

/// The number of `name`, given it if new.
fn intern(names: &mut HashMap<Box<str>, u32>, name: &str) -> u32 {
    if let Some(&n) = names.get(name) {
        return n;
    }
    // More than four thousand million distinct names would not fit in memory first.
    let n = u32::try_from(names.len()).unwrap_or(u32::MAX);
    names.insert(name.into(), n);
    n
}

/// What the checks compare against.
pub struct Context<'a> {
    /// By code, upper-cased.
    pub indicators: &'a HashMap<String, IndicatorRef>,
    /// The codes of the collaboration's area classification.
    pub areas: &'a HashSet<String>,
    pub locked: &'a HashSet<String>,
    pub existing: &'a Stored,
    /// Replace stored values that differ, instead of reporting them.
    pub replace: bool,
    /// Whether the uploader may see stored values raw (a steward). For anyone else nothing
    /// the plan reports may depend on a stored value: a row for a submitted or approved cell
    /// is refused, and one for a draft is refused or replaced, whatever its value.
    pub raw: bool,
}

/// One row to write: the area and period are numbers into the plan's `areas` and `periods`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Planned {
    /// The line it came from (lines past four thousand million read as the last of those).
    pub line: u32,
    pub area: u32,
    pub period: u32,
    pub indicator: i64,
    pub parts: Parts,
}

/// What an import will write: rows ordered by indicator, area and period (the order of the
/// database's unique index, so that writing them appends to it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub rows: usize,
    pub new: Vec<Planned>,
    pub replaced: Vec<Planned>,
    pub unchanged: usize,
    /// The area codes and the periods the rows name, each once, sorted.
    pub areas: Vec<String>,
    pub periods: Vec<String>,
}

impl Plan {
    pub fn area(&self, row: &Planned) -> &str {
        self.areas.get(row.area as usize).map_or("", String::as_str)
    }

    pub fn period(&self, row: &Planned) -> &str {
        self.periods.get(row.period as usize).map_or("", String::as_str)
    }

    /// Every row to write: the new ones, then the replaced ones.
    pub fn writes(&self) -> impl Iterator<Item = &Planned> {
        self.new.iter().chain(&self.replaced)
    }

    /// The (indicator, period) pairs written, each once, sorted.
    pub fn indicator_periods(&self) -> Vec<(i64, &str)> {
        // Inserted one by one: collecting would first gather a pair per row.
        let mut pairs = BTreeSet::new();
        for p in self.writes() {
            pairs.insert((p.indicator, p.period));
        }
        pairs.into_iter().map(|(indicator, period)| (indicator, self.periods.get(period as usize).map_or("", String::as_str))).collect()
    }
}

/// One bad row: its line, the column (as the file names it) and a message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: String,
    pub message: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    Table(TableError),
    /// Required columns (by their Dutch name) that the header lacks.
    MissingColumns(Vec<&'static str>),
    /// Columns that hold data about persons, with the reason as a message key.
    PersonLevel(Vec<(String, &'static str)>),
    NoRows,
    Problems(Vec<Problem>),
}

impl From<TableError> for Refusal {
    fn from(e: TableError) -> Refusal {
        Refusal::Table(e)
    }
}

/// The columns an import reads and the names a header may give them.
const COLUMNS: [(&str, &[&str]); 5] = [
    ("indicator", &["indicator", "indicatorcode", "code indicator", "indicator_code"]),
    ("gebied", &["gebied", "gebiedscode", "gebied_code", "area", "regio", "regiocode"]),
    ("periode", &["periode", "period"]),
    ("teller", &["teller", "waarde", "aantal", "som", "numerator", "value", "count"]),
    ("noemer", &["noemer", "n", "denominator"]),
];

pub const REQUIRED: [&str; 4] = ["indicator", "gebied", "periode", "teller"];

fn normalise_header(h: &str) -> String {
    h.trim().to_lowercase().replace(['-', '.'], " ")
}

/// Plans an import of `sheet`; nothing is written unless every row is sound. The rows are read
/// once, for the checks on persons and on each row together.
pub fn plan(sheet: &Sheet<'_>, ctx: &Context<'_>) -> Result<Plan, Refusal> {
    let headers: Vec<String> = sheet.header.iter().map(|h| normalise_header(h)).collect();
    let index = COLUMNS.map(|(_, names)| headers.iter().position(|h| names.contains(&h.as_str())));
    let missing: Vec<&'static str> = COLUMNS.iter().zip(&index).filter(|((name, _), i)| i.is_none() && REQUIRED.contains(name)).map(|((n, _), _)| *n).collect();
    let mut persons = PersonScan::new(&sheet.header, index[2]);
    let mut planner = missing.is_empty().then(|| Planner::new(sheet, ctx, index));
    let mut rows = 0;
    sheet.each_row(|row| {
        rows += 1;
        persons.scan(row);
        if let Some(planner) = &mut planner {
            planner.row(row);
        }
    })?;
    let person = persons.found(&sheet.header);
    if !person.is_empty() {
        return Err(Refusal::PersonLevel(person));
    }
    match planner {
        None => Err(Refusal::MissingColumns(missing)),
        Some(_) if rows == 0 => Err(Refusal::NoRows),
        Some(planner) => planner.finish(rows),
    }
}

/// What became of a row that passed the checks of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    New,
    Replaced,
    Unchanged,
    /// It meets a stored value it may not change: a problem is pending.
    Refused,
    /// An earlier row has the same indicator, area and period.
    Repeated,
}

/// A row that passed the checks of its own, as small as a `Planned` so the one becomes the
/// other in place.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    line: u32,
    area: u32,
    period: u32,
    outcome: Outcome,
    indicator: i64,
    parts: Parts,
}

impl Candidate {
    fn planned(self) -> Planned {
        Planned { line: self.line, area: self.area, period: self.period, indicator: self.indicator, parts: self.parts }
    }
}

fn short_line(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// The problems found so far, with the columns named as the file names them.
struct Report {
    names: [String; 5],
    problems: Vec<Problem>,
}

impl Report {
    fn add(&mut self, line: usize, column: usize, message: &'static str, value: &str) {
        let column = self.names.get(column).cloned().unwrap_or_default();
        self.problems.push(Problem { line, column, message, value: value.to_string() });
    }
}

struct Planner<'c> {
    ctx: &'c Context<'c>,
    index: [Option<usize>; 5],
    width: usize,
    decimal_comma: bool,
    report: Report,
    /// Problems from comparing with what is stored: dropped for a row that repeats another.
    pending: Vec<Problem>,
    candidates: Vec<Candidate>,
    /// The area codes and periods named so far, each with its number.
    areas: HashMap<&'c str, u32>,
    periods: HashMap<Box<str>, u32>,
    /// The indicator code of the row before, as written, and what it names.
    code: Option<(String, Option<IndicatorRef>)>,
}

impl<'c> Planner<'c> {
    fn new(sheet: &Sheet<'_>, ctx: &'c Context<'c>, index: [Option<usize>; 5]) -> Planner<'c> {
        let names = index.map(|i| i.and_then(|i| sheet.header.get(i)).cloned().unwrap_or_default());
        Planner {
            ctx,
            index,
            width: sheet.header.len(),
            decimal_comma: sheet.decimal_comma,
            report: Report { names, problems: Vec::new() },
            pending: Vec::new(),
            candidates: Vec::new(),
            areas: HashMap::new(),
            periods: HashMap::new(),
            code: None,
        }
    }

    /// Checks one row on its own and against what is stored.
    fn row(&mut self, row: &RowBuf) {
        let ctx = self.ctx;
        let line = row.line;
        if row.len() > self.width {
            self.report.problems.push(Problem { line, column: String::new(), message: "err.row_length", value: row.len().to_string() });
            return;
        }
        let index = self.index;
        let cell = |column: usize| index[column].map_or("", |i| row.cell(i));
        let code = cell(0);
        let indicator = if code.is_empty() {
            self.report.add(line, 0, "err.required", code);
            None
        } else {
            // Files come grouped by indicator: a code is looked up only where it differs from the row before's.
            if self.code.as_ref().is_none_or(|(last, _)| last != code) {
                let upper: String = code.chars().flat_map(char::to_uppercase).collect();
                self.code = Some((code.to_string(), ctx.indicators.get(upper.as_str()).copied()));
            }
            let found = self.code.as_ref().and_then(|(_, found)| *found);
            if found.is_none() {
                self.report.add(line, 0, "err.unknown_indicator", code);
            }
            found
        };
        for column in [1, 2, 3] {
            if cell(column).is_empty() {
                self.report.add(line, column, "err.required", "");
            }
        }
        let Some(indicator) = indicator else { return };

        let mut errors = Invalid::default();
        let area = AreaCode::parse(cell(1));
        if area.is_none() {
            errors.add("area", "err.area_code");
        }
        let period = normalise_period(cell(2).trim());
        let period = period.as_ref();
        if !is_period(indicator.period_type, period) {
            errors.add("period", "err.period");
        }
        let numerator = number(cell(3), self.decimal_comma);
        let denominator = Some(cell(4).trim()).filter(|d| !d.is_empty()).map(|d| number(d, self.decimal_comma));
        let parts = check_parts(&mut errors, indicator.kind, numerator, denominator);
        let (Some(area), Some(parts), true) = (area, parts, errors.errors.is_empty()) else {
            for e in errors.errors {
                let column = match e.field {
                    "area" => 1,
                    "period" => 2,
                    "numerator" => 3,
                    _ => 4,
                };
                // An empty cell was reported as missing already.
                if !cell(column).is_empty() || column == 4 {
                    self.report.add(line, column, e.code, cell(column));
                }
            }
            return;
        };

        let area_number = match self.areas.get(area.as_str()) {
            Some(&n) => n,
            None => match ctx.areas.get(area.as_str()) {
                Some(known) => {
                    let n = u32::try_from(self.areas.len()).unwrap_or(u32::MAX);
                    self.areas.insert(known.as_str(), n);
                    n
                }
                None => {
                    self.report.add(line, 1, "err.unknown_area", cell(1));
                    return;
                }
            },
        };
        if ctx.locked.contains(period) {
            self.report.add(line, 2, "err.period_locked", cell(2));
            return;
        }
        let period_number = intern(&mut self.periods, period);
        let outcome = match ctx.existing.get(indicator.id, area.as_str(), period) {
            None => Outcome::New,
            // Without raw access the answer may not tell whether the row equals what is stored.
            Some(e) if !ctx.raw && matches!(e.status, MeasurementStatus::Ingediend | MeasurementStatus::Goedgekeurd) => {
                self.pending.push(Problem { line, column: self.report.names[3].clone(), message: "err.value_locked", value: String::new() });
                Outcome::Refused
            }
            Some(_) if !ctx.raw && ctx.replace => Outcome::Replaced,
            Some(_) if !ctx.raw => {
                self.pending.push(Problem { line, column: self.report.names[3].clone(), message: "err.value_exists", value: String::new() });
                Outcome::Refused
            }
            Some(e) if e.parts == parts => Outcome::Unchanged,
            Some(e) if e.status == MeasurementStatus::Goedgekeurd => {
                self.pending.push(Problem { line, column: self.report.names[3].clone(), message: "err.approved_value", value: cell(3).to_string() });
                Outcome::Refused
            }
            Some(_) if ctx.replace => Outcome::Replaced,
            Some(_) => {
                self.pending.push(Problem { line, column: self.report.names[3].clone(), message: "err.differs", value: cell(3).to_string() });
                Outcome::Refused
            }
        };
        self.candidates.push(Candidate { line: short_line(line), area: area_number, period: period_number, outcome, indicator: indicator.id, parts });
    }

    /// Finds repeated rows and gives the plan, or every problem in the order of the file.
    fn finish(mut self, rows: usize) -> Result<Plan, Refusal> {
        // Numbered in sorted order, rows sort as the database's unique index does.
        let (areas, area_rank) = sorted(self.areas.iter().map(|(name, &n)| (*name, n)));
        let (periods, period_rank) = sorted(self.periods.iter().map(|(name, &n)| (&**name, n)));
        for c in &mut self.candidates {
            c.area = area_rank.get(c.area as usize).copied().unwrap_or(c.area);
            c.period = period_rank.get(c.period as usize).copied().unwrap_or(c.period);
        }
        self.candidates.sort_unstable_by_key(|c| (c.indicator, c.area, c.period, c.line));
        let mut repeated = Vec::new();
        let mut first = 0;
        for i in 1..self.candidates.len() {
            let (earlier, this) = (self.candidates[first], self.candidates[i]);
            if (earlier.indicator, earlier.area, earlier.period) == (this.indicator, this.area, this.period) {
                self.report.add(this.line as usize, 1, "err.duplicate_row", &earlier.line.to_string());
                self.candidates[i].outcome = Outcome::Repeated;
                repeated.push(this.line);
            } else {
                first = i;
            }
        }
        repeated.sort_unstable();
        let mut problems = self.report.problems;
        problems.extend(self.pending.into_iter().filter(|p| repeated.binary_search(&short_line(p.line)).is_err()));
        if !problems.is_empty() {
            // Stable: a row's own problems stay in the order of its columns.
            problems.sort_by_key(|p| p.line);
            return Err(Refusal::Problems(problems));
        }
        let mut replaced = Vec::new();
        let mut unchanged = 0;
        self.candidates.retain(|c| match c.outcome {
            Outcome::New => true,
            Outcome::Replaced => {
                replaced.push(c.planned());
                false
            }
            Outcome::Unchanged => {
                unchanged += 1;
                false
            }
            Outcome::Refused | Outcome::Repeated => false,
        });
        let mut new: Vec<Planned> = self.candidates.into_iter().map(Candidate::planned).collect();
        new.shrink_to_fit();
        Ok(Plan { rows, new, replaced, unchanged, areas, periods })
    }
}

/// The names in sorted order, and for each old number the new one.
fn sorted<'n>(names: impl Iterator<Item = (&'n str, u32)>) -> (Vec<String>, Vec<u32>) {
    let mut names: Vec<(&str, u32)> = names.collect();
    names.sort_unstable();
    let mut rank = vec![0; names.len()];
    for (new, (_, old)) in names.iter().enumerate() {
        if let Some(slot) = rank.get_mut(*old as usize) {
            *slot = u32::try_from(new).unwrap_or(u32::MAX);
        }
    }
    (names.into_iter().map(|(name, _)| name.to_string()).collect(), rank)
}

/// The indicator codes a sheet names, upper-cased: what is stored for other indicators need
/// not be compared against. Empty when the sheet has no indicator column.
pub fn indicator_codes(sheet: &Sheet<'_>) -> Result<HashSet<String>, TableError> {
    let Some(i) = sheet.header.iter().position(|h| COLUMNS[0].1.contains(&normalise_header(h).as_str())) else { return Ok(HashSet::new()) };
    let mut named: HashSet<String> = HashSet::new();
    sheet.each_row(|row| {
        let code = row.cell(i);
        if !code.is_empty() && !named.contains(code) {
            named.insert(code.to_string());
        }
    })?;
    Ok(named.into_iter().map(|c| c.to_uppercase()).collect())
}

/// Columns that hold data about persons: a header that names them, a citizen service number
/// (nine digits passing the eleven test) or a calendar date in any cell, written as text or a
/// spreadsheet's date cell. The period column is the one place a date is no birth date (it
/// is refused there as no period).
struct PersonScan {
    reasons: Vec<Option<&'static str>>,
    period: Option<usize>,
}

impl PersonScan {
    fn new(header: &[String], period: Option<usize>) -> PersonScan {
        PersonScan { reasons: header.iter().map(|h| person_header(h)).collect(), period }
    }

    fn scan(&mut self, row: &RowBuf) {
        let period = self.period;
        // A column past the header's is still a column of the file.
        if row.len() > self.reasons.len() {
            self.reasons.resize(row.len(), None);
        }
        for (i, reason) in self.reasons.iter_mut().enumerate().filter(|(_, r)| r.is_none()) {
            let cell = row.cell(i).trim();
            if passes_eleven_test(cell) {
                *reason = Some("err.person_bsn");
            } else if Some(i) != period && (row.is_date(i) || looks_like_date(cell)) {
                *reason = Some("err.person_birth");
            }
        }
    }

    fn found(self, header: &[String]) -> Vec<(String, &'static str)> {
        // A column past the header's is named by its number.
        let name = |i: usize| header.get(i).cloned().unwrap_or_else(|| (i + 1).to_string());
        self.reasons.into_iter().enumerate().filter_map(|(i, reason)| Some((name(i), reason?))).collect()
    }
}

/// Why a column's header says it holds data about persons, if it does.
fn person_header(header: &str) -> Option<&'static str> {
    let h = normalise_header(header);
    let compact: String = h.chars().filter(char::is_ascii_alphanumeric).collect();
    const NAMES: [&str; 12] =
        ["naam", "voornaam", "achternaam", "roepnaam", "voorletters", "name", "firstname", "lastname", "adres", "address", "straat", "huisnummer"];
    if compact.contains("bsn") || compact.contains("burgerservice") {
        Some("err.person_bsn")
    } else if compact.contains("geboort") || compact.contains("birth") {
        Some("err.person_birth")
    } else if NAMES.contains(&compact.as_str()) || h.starts_with("naam ") || compact.contains("leerlingnummer") || compact.contains("clientnummer") {
        Some("err.person_name")
    } else {
        None
    }
}

/// The citizen service number check: nine digits d1..d9 with 9·d1 + 8·d2 + … + 2·d8 − d9
/// divisible by 11 (and not zero).
pub fn passes_eleven_test(raw: &str) -> bool {
    // Every cell of a file passes through here: no allocation, and most are no nine bytes long.
    let digits = raw.as_bytes();
    if digits.len() != 9 || !digits.iter().all(u8::is_ascii_digit) || digits.iter().all(|&d| d == b'0') {
        return false;
    }
    let weighted: i64 = digits.iter().zip([9, 8, 7, 6, 5, 4, 3, 2, -1]).map(|(&d, w)| i64::from(d - b'0') * w).sum();
    weighted % 11 == 0
}

/// `2014-03-12`, `12-03-2014`, `12/3/2014`: a day, not a period.
fn looks_like_date(raw: &str) -> bool {
    if !(6..=10).contains(&raw.len()) || !raw.contains(['-', '/', '.']) {
        return false;
    }
    let mut parts = raw.split(['-', '/', '.']);
    let (Some(a), Some(b), Some(c), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else { return false };
    let numeric = [a, b, c].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric && matches!((a.len(), b.len(), c.len()), (4, 1..=2, 1..=2) | (1..=2, 1..=2, 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Sheet;

    type Fixture = (HashMap<String, IndicatorRef>, HashSet<String>, HashSet<String>, Stored);

    fn context_parts() -> Fixture {
        let indicators = HashMap::from([
            ("THZ".to_string(), IndicatorRef { id: 1, kind: IndicatorKind::Aantal, period_type: PeriodType::Schooljaar }),
            ("VVE".to_string(), IndicatorRef { id: 2, kind: IndicatorKind::Verhouding, period_type: PeriodType::Jaar }),
        ]);
        let areas = ["GM0344", "WK034401", "BU03440101", "BU0363AD03"].into_iter().map(String::from).collect();
        let locked = HashSet::from(["2023-2024".to_string()]);
        let mut existing = StoredBuilder::default();
        existing.insert(1, "WK034401", "2024-2025", Existing { parts: Parts::count(4.0), status: MeasurementStatus::Ingediend });
        existing.insert(1, "GM0344", "2024-2025", Existing { parts: Parts::count(10.0), status: MeasurementStatus::Goedgekeurd });
        existing.insert(2, "GM0344", "2024", Existing { parts: Parts::ratio(1.0, 2.0), status: MeasurementStatus::Concept });
        (indicators, areas, locked, existing.build())
    }

    fn run(csv: &str, replace: bool) -> Result<Plan, Refusal> {
        run_as(csv, replace, true)
    }

    fn run_as(csv: &str, replace: bool, raw: bool) -> Result<Plan, Refusal> {
        let (indicators, areas, locked, existing) = context_parts();
        let sheet = Sheet::csv(csv.as_bytes())?;
        plan(&sheet, &Context { indicators: &indicators, areas: &areas, locked: &locked, existing: &existing, replace, raw })
    }

    #[test]
    fn without_raw_access_no_answer_depends_on_a_stored_value() {
        // Every guess for a submitted, an approved and a draft cell gets the same answer.
        for (cell, stored) in [("THZ;WK034401;2024-2025", 4), ("THZ;GM0344;2024-2025", 10)] {
            let answers: Vec<String> = (0..12)
                .flat_map(|guess| {
                    [false, true].map(|replace| format!("{:?}", run_as(&format!("Indicator;Gebied;Periode;Teller\n{cell};{guess}\n"), replace, false)))
                })
                .collect();
            assert!(answers.iter().all(|a| a == &answers[0]), "{cell}: {answers:?}");
            assert!(answers[0].contains("err.value_locked"), "{}", answers[0]);
            // A steward is told when a row equals what is stored.
            let raw = run_as(&format!("Indicator;Gebied;Periode;Teller\n{cell};{stored}\n"), false, true).expect("unchanged");
            assert_eq!(raw.unchanged, 1);
        }
        let draft =
            |guess: &str, replace| format!("{:?}", run_as(&format!("Indicator;Gebied;Periode;Teller;Noemer\nVVE;GM0344;2024;{guess};2\n"), replace, false));
        assert_eq!(draft("1", false), draft("0", false), "the same refusal for the stored draft and another value");
        assert!(draft("1", false).contains("err.value_exists"));
        let (same, other) = (
            run_as("Indicator;Gebied;Periode;Teller;Noemer\nVVE;GM0344;2024;1;2\n", true, false),
            run_as("Indicator;Gebied;Periode;Teller;Noemer\nVVE;GM0344;2024;0;2\n", true, false),
        );
        let counts = |p: Result<Plan, Refusal>| p.map(|p| (p.new.len(), p.replaced.len(), p.unchanged)).expect("planned");
        assert_eq!((counts(same), counts(other)), ((0, 1, 0), (0, 1, 0)), "replaced, never reported unchanged");
    }

    fn problems(csv: &str) -> Vec<(usize, String, &'static str, String)> {
        let Err(Refusal::Problems(problems)) = run(csv, false) else { panic!("no problems reported") };
        problems.into_iter().map(|p| (p.line, p.column, p.message, p.value)).collect()
    }

    #[test]
    fn a_sound_file_plans_new_unchanged_and_replaced_rows() {
        let csv = "Indicator;Gebied;Periode;Teller;Noemer\nTHZ;GM0344;2024-2025;10;\nthz;WK034401;2024-2025;5;\nVVE;BU0363AD03;2024;45,0;60\n";
        assert!(matches!(run(csv, false), Err(Refusal::Problems(p)) if p.len() == 1 && p[0].message == "err.differs" && p[0].line == 3));
        let plan = run(csv, true).expect("plans");
        assert_eq!((plan.rows, plan.new.len(), plan.replaced.len(), plan.unchanged), (3, 1, 1, 1));
        assert_eq!(plan.new[0].parts, Parts::ratio(45.0, 60.0));
        assert_eq!((plan.area(&plan.new[0]), plan.period(&plan.new[0]), plan.new[0].line), ("BU0363AD03", "2024", 4));
        assert_eq!((plan.area(&plan.replaced[0]), plan.period(&plan.replaced[0]), plan.replaced[0].parts), ("WK034401", "2024-2025", Parts::count(5.0)));
    }

    #[test]
    fn what_is_stored_is_found_by_indicator_area_and_period() {
        let (_, _, _, stored) = context_parts();
        assert_eq!(stored.len(), 3);
        assert_eq!(stored.get(1, "GM0344", "2024-2025").map(|e| e.status), Some(MeasurementStatus::Goedgekeurd));
        assert_eq!(stored.get(2, "GM0344", "2024").map(|e| e.parts), Some(Parts::ratio(1.0, 2.0)));
        assert_eq!(stored.get(2, "GM0344", "2024-2025"), None, "another indicator's period");
        assert_eq!(stored.get(1, "BU03440101", "2024-2025"), None);
        assert!(Stored::default().get(1, "GM0344", "2024").is_none());
    }

    #[test]
    fn the_plan_is_ordered_as_the_unique_index_and_names_each_area_and_period_once() {
        let csv = "indicator,gebied,periode,teller,noemer\nVVE,WK034401,2025,1,2\nTHZ,WK034401,2025-2026,3,\nVVE,GM0344,2026,4,5\nVVE,GM0344,2025,6,7\n";
        let plan = run(csv, false).expect("plans");
        let rows: Vec<(i64, &str, &str, u32)> = plan.new.iter().map(|p| (p.indicator, plan.area(p), plan.period(p), p.line)).collect();
        assert_eq!(rows, [(1, "WK034401", "2025-2026", 3), (2, "GM0344", "2025", 5), (2, "GM0344", "2026", 4), (2, "WK034401", "2025", 2)]);
        assert_eq!(plan.areas, ["GM0344", "WK034401"]);
        assert_eq!(plan.periods, ["2025", "2025-2026", "2026"]);
        assert_eq!(plan.indicator_periods(), [(1, "2025-2026"), (2, "2025"), (2, "2026")]);
    }

    #[test]
    fn a_repeated_row_names_the_first_and_hides_its_own_comparison() {
        // Line 2 differs from what is stored; lines 3 and 5 repeat it, line 4 is another period.
        let csv = "indicator;gebied;periode;teller\nTHZ;WK034401;2024-2025;5\nthz;wk034401;2024-2025;6\nTHZ;WK034401;2025-2026;5\nTHZ;WK034401;2024-2025;4\n";
        assert_eq!(
            problems(csv),
            [
                (2, "teller".into(), "err.differs", "5".into()),
                (3, "gebied".into(), "err.duplicate_row", "2".into()),
                (5, "gebied".into(), "err.duplicate_row", "2".into()),
            ]
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_line_column_and_reason() {
        let csv = "indicator;gebied;periode;teller;noemer\n\
                   XXX;GM0344;2025-2026;1;\n\
                   THZ;GM03;2025-2026;1;\n\
                   THZ;GM9999;2025-2026;1;\n\
                   THZ;GM0344;2025;1;\n\
                   THZ;GM0344;2025-2026;veel;\n\
                   THZ;GM0344;2025-2026;-2;\n\
                   THZ;GM0344;2025-2026;2,5;\n\
                   THZ;GM0344;2025-2026;2;4\n\
                   VVE;GM0344;2025;5;\n\
                   VVE;GM0344;2026;5;0\n\
                   VVE;WK034401;2025;9;4\n\
                   THZ;WK034401;2023-2024;1;\n\
                   THZ;BU03440101;2025-2026;1;\n\
                   THZ;BU03440101;2025-2026;1;\n\
                   THZ;GM0344;2024-2025;11;\n\
                   ;GM0344;2025-2026;1;\n\
                   THZ;;2025-2026;1;\n\
                   THZ;GM0344;2025-2026;1;;extra\n";
        let problems = problems(csv);
        let got: Vec<(usize, &str, &str)> = problems.iter().map(|(line, column, message, _)| (*line, column.as_str(), *message)).collect();
        assert_eq!(
            got,
            [
                (2, "indicator", "err.unknown_indicator"),
                (3, "gebied", "err.area_code"),
                (4, "gebied", "err.unknown_area"),
                (5, "periode", "err.period"),
                (6, "teller", "err.decimal"),
                (7, "teller", "err.negative"),
                (8, "teller", "err.whole_number"),
                (9, "noemer", "err.no_denominator"),
                (10, "noemer", "err.denominator"),
                (11, "noemer", "err.denominator"),
                (12, "teller", "err.above_denominator"),
                (13, "periode", "err.period_locked"),
                (15, "gebied", "err.duplicate_row"),
                (16, "teller", "err.approved_value"),
                (17, "indicator", "err.required"),
                (18, "gebied", "err.required"),
                (19, "", "err.row_length"),
            ]
        );
    }

    #[test]
    fn files_about_persons_are_refused_before_any_row() {
        let by_header = "indicator,gebied,periode,teller,Geboortedatum\nTHZ,GM0344,2025-2026,1,\n";
        assert!(matches!(run(by_header, false), Err(Refusal::PersonLevel(c)) if c == [("Geboortedatum".to_string(), "err.person_birth")]));
        let by_bsn = "indicator,gebied,periode,teller,kenmerk\nTHZ,GM0344,2025-2026,1,111222333\n";
        assert!(matches!(run(by_bsn, false), Err(Refusal::PersonLevel(c)) if c[0].1 == "err.person_bsn"));
        let by_date = "indicator,gebied,periode,teller,dag\nTHZ,GM0344,2025-2026,1,12-03-2014\n";
        assert!(matches!(run(by_date, false), Err(Refusal::PersonLevel(c)) if c[0].1 == "err.person_birth"));
        let by_name = "indicator,gebied,periode,teller,Achternaam\nTHZ,GM0344,2025-2026,1,Jansen\n";
        assert!(matches!(run(by_name, false), Err(Refusal::PersonLevel(_))));
        let area_name_is_fine = "indicator,gebied,gebiedsnaam,periode,teller\nTHZ,GM0344,Utrecht,2025-2026,1\n";
        assert!(run(area_name_is_fine, false).is_ok());
    }

    #[test]
    fn the_eleven_test() {
        assert!(passes_eleven_test("111222333"));
        assert!(passes_eleven_test("123456782"));
        assert!(!passes_eleven_test("123456789"));
        assert!(!passes_eleven_test("000000000"));
        assert!(!passes_eleven_test("12345678"));
        assert!(!passes_eleven_test("12345678a"));
    }

    #[test]
    fn missing_columns_are_named() {
        assert_eq!(run("indicator;gebied\nTHZ;GM0344\n", false), Err(Refusal::MissingColumns(vec!["periode", "teller"])));
        assert_eq!(run("indicator;gebied;periode;teller\n", false), Err(Refusal::NoRows));
    }

    fn run_bytes(bytes: &[u8]) -> Result<Plan, Refusal> {
        let (indicators, areas, locked, existing) = context_parts();
        let sheet = Sheet::open(bytes, crate::table::Limits::default())?;
        plan(&sheet, &Context { indicators: &indicators, areas: &areas, locked: &locked, existing: &existing, replace: false, raw: true })
    }

    #[test]
    fn files_as_excel_and_libreoffice_save_them_plan_alike() {
        for (name, bytes) in [
            ("metingen.csv", &include_bytes!("../tests/fixtures/metingen.csv")[..]),
            ("unicode-tekst.txt", &include_bytes!("../tests/fixtures/unicode-tekst.txt")[..]),
            ("unicode-tekst-be.txt", &include_bytes!("../tests/fixtures/unicode-tekst-be.txt")[..]),
            ("sep.csv", &include_bytes!("../tests/fixtures/sep.csv")[..]),
            ("mac.csv", &include_bytes!("../tests/fixtures/mac.csv")[..]),
            ("metingen.xlsx", &include_bytes!("../tests/fixtures/metingen.xlsx")[..]),
            ("metingen.xls", &include_bytes!("../tests/fixtures/metingen.xls")[..]),
            ("metingen.ods", &include_bytes!("../tests/fixtures/metingen.ods")[..]),
        ] {
            let plan = run_bytes(bytes).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!((name, plan.rows, plan.new.len()), (name, 3, 3));
            let vve = plan.new.iter().find(|p| p.indicator == 2).expect("the ratio");
            assert_eq!((name, plan.period(vve), vve.parts), (name, "2025", Parts::ratio(45.0, 60.0)));
        }
    }

    #[test]
    fn date_cells_are_data_about_persons_except_in_the_period_column() {
        // The same birth dates as date cells of a workbook and as text in a CSV: both refused.
        for (name, bytes) in [
            ("geboortedata.xlsx", &include_bytes!("../tests/fixtures/geboortedata.xlsx")[..]),
            ("geboortedata.xls", &include_bytes!("../tests/fixtures/geboortedata.xls")[..]),
            ("geboortedata.ods", &include_bytes!("../tests/fixtures/geboortedata.ods")[..]),
            ("geboortedata.csv", &include_bytes!("../tests/fixtures/geboortedata.csv")[..]),
        ] {
            assert_eq!(run_bytes(bytes), Err(Refusal::PersonLevel(vec![("dag".into(), "err.person_birth")])), "{name}");
        }
        // A date in the period column is a wrong period, said as such.
        let problems = problems("indicator,gebied,periode,teller\nTHZ,GM0344,2025-03-04,1\n");
        assert_eq!(problems.iter().map(|p| p.2).collect::<Vec<_>>(), ["err.period"]);
        // A column past the header's is searched too.
        assert_eq!(
            run("indicator,gebied,periode,teller\nTHZ,GM0344,2025-2026,1,03-04-2015\n", false),
            Err(Refusal::PersonLevel(vec![("5".into(), "err.person_birth")]))
        );
    }

    #[test]
    fn quarters_and_halves_are_read_as_people_write_them() {
        assert_eq!(crate::indicator::normalise_period("2025-K1"), "2025-Q1");
        assert_eq!(crate::indicator::normalise_period("2025-k4"), "2025-Q4");
        assert_eq!(crate::indicator::normalise_period("2025-h2"), "2025-H2");
        assert_eq!(crate::indicator::normalise_period("2025-2026"), "2025-2026");
        assert_eq!(crate::indicator::normalise_period("2025-Q3"), "2025-Q3");
    }

    /// The reader's and the checks' peak memory on a large workbook named by
    /// `REISGENOOT_LARGE_XLSX` (one ratio indicator `VVE`, yearly, over areas `BU0344nnnn`):
    /// `REISGENOOT_LARGE_XLSX=big.xlsx cargo test -p reisgenoot-domain large_workbook -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn a_large_workbook_is_planned_in_bounded_memory() {
        let Ok(path) = std::env::var("REISGENOOT_LARGE_XLSX") else { return };
        let bytes = std::fs::read(&path).expect("reads the file");
        let started = std::time::Instant::now();
        let indicators = HashMap::from([("VVE".to_string(), IndicatorRef { id: 2, kind: IndicatorKind::Verhouding, period_type: PeriodType::Jaar })]);
        let areas: HashSet<String> = (0..10_000).map(|i| format!("BU0344{i:04}")).collect();
        let (locked, existing) = (HashSet::new(), Stored::default());
        let sheet = Sheet::open(&bytes, crate::table::Limits::default()).expect("opens");
        let codes = indicator_codes(&sheet).expect("reads");
        let plan =
            plan(&sheet, &Context { indicators: &indicators, areas: &areas, locked: &locked, existing: &existing, replace: false, raw: true }).expect("plans");
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let peak = status.lines().find(|l| l.starts_with("VmHWM")).unwrap_or("VmHWM: ?");
        eprintln!("{} bytes, {} rows, {} new, codes {codes:?}, {:?}, peak {peak}", bytes.len(), plan.rows, plan.new.len(), started.elapsed());
        assert_eq!(plan.new.len(), plan.rows);
    }
}
