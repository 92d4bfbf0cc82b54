//! Importing measurements from a table, all or nothing. `plan` checks every row against the
//! collaboration's indicators, the area classification, locked periods and what is already
//! stored, and either returns what to write or every problem at once, each with its line,
//! column and reason. A file that holds data about persons (a column of citizen service
//! numbers, names, dates of birth) is refused as a whole before any row is read.

use crate::indicator::{Measurement, MeasurementInput, MeasurementStatus, PeriodType};
use crate::measure::{IndicatorKind, Parts};
use crate::table::{Table, TableError, number};
use std::collections::{HashMap, HashSet};

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

pub type Key = (i64, String, String);

/// What the checks compare against.
pub struct Context<'a> {
    /// By code, upper-cased.
    pub indicators: &'a HashMap<String, IndicatorRef>,
    /// The codes of the collaboration's area classification.
    pub areas: &'a HashSet<String>,
    pub locked: &'a HashSet<String>,
    pub existing: &'a HashMap<Key, Existing>,
    /// Replace stored values that differ, instead of reporting them.
    pub replace: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub indicator: i64,
    pub measurement: Measurement,
}

/// What an import will write.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub rows: usize,
    pub new: Vec<Planned>,
    pub replaced: Vec<Planned>,
    pub unchanged: usize,
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

/// Plans an import of `table`; nothing is written unless every row is sound.
pub fn plan(table: &Table, ctx: &Context<'_>) -> Result<Plan, Refusal> {
    let person = person_columns(table);
    if !person.is_empty() {
        return Err(Refusal::PersonLevel(person));
    }
    let headers: Vec<String> = table.header.iter().map(|h| normalise_header(h)).collect();
    let index: Vec<Option<usize>> = COLUMNS.iter().map(|(_, names)| headers.iter().position(|h| names.contains(&h.as_str()))).collect();
    let missing: Vec<&'static str> = COLUMNS.iter().zip(&index).filter(|((name, _), i)| i.is_none() && REQUIRED.contains(name)).map(|((n, _), _)| *n).collect();
    if !missing.is_empty() {
        return Err(Refusal::MissingColumns(missing));
    }
    if table.rows.is_empty() {
        return Err(Refusal::NoRows);
    }
    let column_name = |i: Option<usize>| i.and_then(|i| table.header.get(i)).cloned().unwrap_or_default();
    let names: Vec<String> = index.iter().map(|&i| column_name(i)).collect();
    let mut problems = Vec::new();
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut plan = Plan { rows: table.rows.len(), ..Plan::default() };
    for row in &table.rows {
        let mut problem = |column: usize, message: &'static str, value: &str| {
            problems.push(Problem { line: row.line, column: names[column].clone(), message, value: value.to_string() })
        };
        if row.cells.len() > table.header.len() {
            problems.push(Problem { line: row.line, column: String::new(), message: "err.row_length", value: row.cells.len().to_string() });
            continue;
        }
        let cell = |column: usize| index[column].and_then(|i| row.cells.get(i)).map_or("", String::as_str);
        let code = cell(0);
        let indicator = match code {
            "" => {
                problem(0, "err.required", code);
                None
            }
            _ => ctx.indicators.get(&code.to_uppercase()).copied().or_else(|| {
                problem(0, "err.unknown_indicator", code);
                None
            }),
        };
        let numeric = |raw: &str| number(raw, table.decimal_comma).map_or_else(|| raw.to_string(), |n| n.to_string());
        let input = MeasurementInput { area: cell(1).into(), period: cell(2).into(), numerator: numeric(cell(3)), denominator: numeric(cell(4)) };
        for column in [1, 2, 3] {
            if cell(column).is_empty() {
                problem(column, "err.required", "");
            }
        }
        let Some(indicator) = indicator else { continue };
        let measurement = match Measurement::parse(&input, indicator.kind, indicator.period_type) {
            Ok(m) => m,
            Err(invalid) => {
                for e in invalid.errors {
                    let column = match e.field {
                        "area" => 1,
                        "period" => 2,
                        "numerator" => 3,
                        _ => 4,
                    };
                    // An empty cell was reported as missing already.
                    if !cell(column).is_empty() || column == 4 {
                        problem(column, e.code, cell(column));
                    }
                }
                continue;
            }
        };
        if !ctx.areas.contains(measurement.area.as_str()) {
            problem(1, "err.unknown_area", cell(1));
            continue;
        }
        if ctx.locked.contains(&measurement.period) {
            problem(2, "err.period_locked", cell(2));
            continue;
        }
        let key = (indicator.id, measurement.area.as_str().to_string(), measurement.period.clone());
        let stored = ctx.existing.get(&key);
        if let Some(first) = seen.insert(key, row.line) {
            problem(1, "err.duplicate_row", &first.to_string());
            continue;
        }
        let planned = Planned { indicator: indicator.id, measurement };
        match stored {
            None => plan.new.push(planned),
            Some(e) if e.parts == planned.measurement.parts => plan.unchanged += 1,
            Some(e) if e.status == MeasurementStatus::Goedgekeurd => problem(3, "err.approved_value", cell(3)),
            Some(_) if ctx.replace => plan.replaced.push(planned),
            Some(_) => problem(3, "err.differs", cell(3)),
        }
    }
    if problems.is_empty() { Ok(plan) } else { Err(Refusal::Problems(problems)) }
}

/// The indicator codes a table names, upper-cased: what is stored for other indicators need
/// not be compared against. Empty when the table has no indicator column.
pub fn indicator_codes(table: &Table) -> HashSet<String> {
    let Some(i) = table.header.iter().position(|h| COLUMNS[0].1.contains(&normalise_header(h).as_str())) else { return HashSet::new() };
    let named: HashSet<&str> = table.rows.iter().filter_map(|r| r.cells.get(i)).map(String::as_str).filter(|c| !c.is_empty()).collect();
    named.into_iter().map(str::to_uppercase).collect()
}

/// Columns that hold data about persons: a header that names them, a citizen service number
/// (nine digits passing the eleven test) or a calendar date in any cell.
pub fn person_columns(table: &Table) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    for (i, header) in table.header.iter().enumerate() {
        let h = normalise_header(header);
        let compact: String = h.chars().filter(char::is_ascii_alphanumeric).collect();
        const NAMES: [&str; 12] =
            ["naam", "voornaam", "achternaam", "roepnaam", "voorletters", "name", "firstname", "lastname", "adres", "address", "straat", "huisnummer"];
        let reason = if compact.contains("bsn") || compact.contains("burgerservice") {
            Some("err.person_bsn")
        } else if compact.contains("geboort") || compact.contains("birth") {
            Some("err.person_birth")
        } else if NAMES.contains(&compact.as_str()) || h.starts_with("naam ") || compact.contains("leerlingnummer") || compact.contains("clientnummer") {
            Some("err.person_name")
        } else {
            let cells = table.rows.iter().filter_map(|r| r.cells.get(i)).map(|c| c.trim());
            let mut reason = None;
            for c in cells {
                if passes_eleven_test(c) {
                    reason = Some("err.person_bsn");
                    break;
                }
                if looks_like_date(c) {
                    reason = Some("err.person_birth");
                    break;
                }
            }
            reason
        };
        if let Some(reason) = reason {
            found.push((header.clone(), reason));
        }
    }
    found
}

/// The citizen service number check: nine digits d1..d9 with 9·d1 + 8·d2 + … + 2·d8 − d9
/// divisible by 11 (and not zero).
pub fn passes_eleven_test(raw: &str) -> bool {
    // Every cell of a file passes through here: most are no nine characters long.
    if raw.len() != 9 {
        return false;
    }
    let digits: Vec<u32> = raw.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || digits.iter().all(|&d| d == 0) {
        return false;
    }
    let sum: i64 = digits[..8].iter().zip((2..=9).rev()).map(|(&d, w)| i64::from(d) * w).sum::<i64>() - i64::from(digits[8]);
    sum % 11 == 0
}

/// `2014-03-12`, `12-03-2014`, `12/3/2014`: a day, not a period.
fn looks_like_date(raw: &str) -> bool {
    if !(6..=10).contains(&raw.len()) || !raw.contains(['-', '/', '.']) {
        return false;
    }
    let parts: Vec<&str> = raw.split(['-', '/', '.']).collect();
    let numeric = parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    numeric && parts.len() == 3 && matches!((parts[0].len(), parts[1].len(), parts[2].len()), (4, 1..=2, 1..=2) | (1..=2, 1..=2, 4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::read_csv;

    type Fixture = (HashMap<String, IndicatorRef>, HashSet<String>, HashSet<String>, HashMap<Key, Existing>);

    fn context_parts() -> Fixture {
        let indicators = HashMap::from([
            ("THZ".to_string(), IndicatorRef { id: 1, kind: IndicatorKind::Aantal, period_type: PeriodType::Schooljaar }),
            ("VVE".to_string(), IndicatorRef { id: 2, kind: IndicatorKind::Verhouding, period_type: PeriodType::Jaar }),
        ]);
        let areas = ["GM0344", "WK034401", "BU03440101", "BU0363AD03"].into_iter().map(String::from).collect();
        let locked = HashSet::from(["2023-2024".to_string()]);
        let existing = HashMap::from([
            ((1, "GM0344".to_string(), "2024-2025".to_string()), Existing { parts: Parts::count(10.0), status: MeasurementStatus::Goedgekeurd }),
            ((1, "WK034401".to_string(), "2024-2025".to_string()), Existing { parts: Parts::count(4.0), status: MeasurementStatus::Ingediend }),
        ]);
        (indicators, areas, locked, existing)
    }

    fn run(csv: &str, replace: bool) -> Result<Plan, Refusal> {
        let (indicators, areas, locked, existing) = context_parts();
        let table = read_csv(csv.as_bytes())?;
        plan(&table, &Context { indicators: &indicators, areas: &areas, locked: &locked, existing: &existing, replace })
    }

    #[test]
    fn a_sound_file_plans_new_unchanged_and_replaced_rows() {
        let csv = "Indicator;Gebied;Periode;Teller;Noemer\nTHZ;GM0344;2024-2025;10;\nthz;WK034401;2024-2025;5;\nVVE;BU0363AD03;2024;45,0;60\n";
        assert!(matches!(run(csv, false), Err(Refusal::Problems(p)) if p.len() == 1 && p[0].message == "err.differs" && p[0].line == 3));
        let plan = run(csv, true).expect("plans");
        assert_eq!((plan.rows, plan.new.len(), plan.replaced.len(), plan.unchanged), (3, 1, 1, 1));
        assert_eq!(plan.new[0].measurement.parts, Parts::ratio(45.0, 60.0));
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
        let Err(Refusal::Problems(problems)) = run(csv, false) else { panic!("refused") };
        let got: Vec<(usize, &str, &str)> = problems.iter().map(|p| (p.line, p.column.as_str(), p.message)).collect();
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
}
