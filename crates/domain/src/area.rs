//! CBS region codes: `GM` + 4 digits (gemeente), `WK` + 6 (wijk), `BU` + 8 (buurt). Since the
//! 2023 classification the wijk and buurt parts after the gemeente number may hold capitals
//! (e.g. `BU0363AD03`), so only the gemeente number is required to be digits.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AreaLevel {
    Gemeente,
    Wijk,
    Buurt,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AreaCode(String);

impl AreaCode {
    /// Accepts a code in any case with surrounding spaces (CBS pads its codes), and returns it
    /// upper-cased, or `None` when it is not a gemeente, wijk or buurt code.
    pub fn parse(raw: &str) -> Option<AreaCode> {
        let code = raw.trim().to_ascii_uppercase();
        let (prefix, rest) = code.split_at_checked(2)?;
        let tail_len = match prefix {
            "GM" => 0,
            "WK" => 2,
            "BU" => 4,
            _ => return None,
        };
        let (gemeente, tail) = rest.split_at_checked(4)?;
        let valid =
            gemeente.bytes().all(|b| b.is_ascii_digit()) && tail.len() == tail_len && tail.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        valid.then_some(AreaCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> AreaLevel {
        match &self.0[..2] {
            "GM" => AreaLevel::Gemeente,
            "WK" => AreaLevel::Wijk,
            _ => AreaLevel::Buurt,
        }
    }

    /// The gemeente this area lies in, e.g. `GM0363` for `BU0363AD03`.
    pub fn gemeente(&self) -> AreaCode {
        AreaCode(format!("GM{}", &self.0[2..6]))
    }
}

/// The name of a gemeente in the CBS 2024 classification, e.g. "Utrecht" for `GM0344`.
pub fn gemeente_name(code: &str) -> Option<&'static str> {
    include_str!("../data/gemeenten-2024.csv").lines().find_map(|line| line.split_once(',').filter(|(c, _)| *c == code).map(|(_, name)| name))
}

/// One area of a classification year, with the area it lies in (none for a gemeente).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub code: AreaCode,
    pub name: String,
    pub parent: Option<AreaCode>,
}

/// The classification that ships with Reisgenoot, used until an operator loads another year.
pub const BUILTIN_YEAR: i32 = 2024;

pub fn builtin() -> Vec<Area> {
    let table = crate::table::read_csv(include_bytes!("../data/gwb-2024.csv")).unwrap_or_else(|e| panic!("data/gwb-2024.csv: {e:?}"));
    hierarchy(&table).unwrap_or_else(|e| panic!("data/gwb-2024.csv: {e:?}"))
}

/// Reads a CBS area list with the columns `code`, `level` (or `niveau`), a name (`name_full`,
/// `name` or `naam`) and `parent_code` (or `parent`, `ouder`). The country row is skipped; a
/// buurt must lie in a wijk and a wijk in a gemeente of the same list, each with the same
/// gemeente number. Every bad line is reported at once.
pub fn hierarchy(table: &crate::table::Table) -> Result<Vec<Area>, Vec<crate::import::Problem>> {
    use crate::import::Problem;
    let find = |names: &[&str]| names.iter().find_map(|n| table.header.iter().position(|h| h.trim().eq_ignore_ascii_case(n)));
    let (code, level, name, parent) =
        (find(&["code"]), find(&["level", "niveau"]), find(&["name_full", "name", "naam"]), find(&["parent_code", "parent", "ouder"]));
    let (Some(code), Some(name), Some(parent)) = (code, name, parent) else {
        return Err(vec![Problem { line: 1, column: String::new(), message: "err.area_columns", value: table.header.join(",") }]);
    };
    let mut problems = Vec::new();
    let mut areas = Vec::new();
    for row in &table.rows {
        let cell = |i: usize| row.cells.get(i).map_or("", |c| c.trim());
        if level.is_some_and(|l| cell(l) == "land") || cell(code) == "NL00" {
            continue;
        }
        let Some(area) = AreaCode::parse(cell(code)) else {
            problems.push(Problem { line: row.line, column: table.header[code].clone(), message: "err.area_code", value: cell(code).into() });
            continue;
        };
        let parent_code = match (area.level(), AreaCode::parse(cell(parent))) {
            (AreaLevel::Gemeente, _) => None,
            (AreaLevel::Wijk, Some(p)) if p.level() == AreaLevel::Gemeente && p == area.gemeente() => Some(p),
            (AreaLevel::Buurt, Some(p)) if p.level() == AreaLevel::Wijk && p.gemeente() == area.gemeente() => Some(p),
            _ => {
                problems.push(Problem { line: row.line, column: table.header[parent].clone(), message: "err.area_parent", value: cell(parent).into() });
                continue;
            }
        };
        areas.push((row.line, Area { code: area, name: cell(name).to_string(), parent: parent_code }));
    }
    let known: std::collections::HashSet<&AreaCode> = areas.iter().map(|(_, a)| &a.code).collect();
    for (line, area) in &areas {
        if let Some(p) = area.parent.as_ref().filter(|p| !known.contains(p)) {
            problems.push(Problem { line: *line, column: table.header[parent].clone(), message: "err.area_parent", value: p.to_string() });
        }
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() { Ok(areas.into_iter().map(|(_, a)| a).collect()) } else { Err(problems) }
}

impl std::fmt::Display for AreaCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_levels_including_alphanumeric_codes() {
        for (raw, level) in [
            ("GM0363", AreaLevel::Gemeente),
            (" wk036300 ", AreaLevel::Wijk),
            ("WK0363AA", AreaLevel::Wijk),
            ("BU03630000", AreaLevel::Buurt),
            ("BU0363AD03", AreaLevel::Buurt),
        ] {
            let code = AreaCode::parse(raw).unwrap_or_else(|| panic!("{raw} should parse"));
            assert_eq!(code.level(), level);
            assert_eq!(code.gemeente().as_str(), "GM0363");
        }
    }

    #[test]
    fn gemeente_names_come_from_the_2024_classification() {
        assert_eq!(gemeente_name("GM0344"), Some("Utrecht"));
        assert_eq!(gemeente_name("GM0363"), Some("Amsterdam"));
        assert_eq!(gemeente_name("GM9999"), None);
    }

    #[test]
    fn refuses_malformed_codes() {
        for raw in ["", "GM363", "GM03631", "WK03630", "BU036300001", "XX0363", "GMAB12", "BU0363ad0", "WK0363-1", "NL00"] {
            assert_eq!(AreaCode::parse(raw), None, "{raw} should not parse");
        }
    }

    #[test]
    fn the_builtin_2024_classification_is_whole() {
        let areas = builtin();
        let count = |level| areas.iter().filter(|a| a.code.level() == level).count();
        assert_eq!((count(AreaLevel::Gemeente), count(AreaLevel::Wijk), count(AreaLevel::Buurt)), (342, 3393, 14574));
        let annen = areas.iter().find(|a| a.code.as_str() == "BU0363AD03").expect("an alphanumeric Amsterdam buurt");
        assert_eq!(annen.parent.as_ref().map(AreaCode::as_str), Some("WK0363AD"));
    }

    #[test]
    fn a_hierarchy_with_bad_lines_reports_them_all() {
        let csv = "code,level,name,parent_code\nGM0344,gemeente,Utrecht,NL00\nWK034401,wijk,West,GM0344\nBU03440101,buurt,A,WK034499\nBU0344010X,buurt,B,GM0344\nXX1,buurt,C,WK034401\n";
        let table = crate::table::read_csv(csv.as_bytes()).expect("csv");
        let problems = hierarchy(&table).expect_err("bad lines");
        let got: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.message)).collect();
        assert_eq!(got, [(4, "err.area_parent"), (5, "err.area_parent"), (6, "err.area_code")]);
    }
}
