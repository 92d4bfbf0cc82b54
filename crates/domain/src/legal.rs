//! The legal map (wettelijk kader): which laws, instances and consultation bodies apply at
//! which age, from −9 months to 27 years. The reference is ours, each fact with its source,
//! and ships in `content/legal.json`.

use crate::journey::Text;
use serde::Deserialize;
use std::sync::OnceLock;

/// The span the map shows: from pregnancy (−9 months) to the 27th birthday.
pub const FIRST_MONTH: i32 = -9;
pub const LAST_MONTH: i32 = 27 * 12;

#[derive(Debug, Clone, Deserialize)]
pub struct Extension {
    pub to_months: i32,
    #[serde(flatten)]
    pub text: Text,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Law {
    pub key: String,
    pub name: String,
    pub summary: Text,
    /// First month of age it covers (−9: from pregnancy).
    pub from_months: i32,
    /// The month of age where it stops (exclusive).
    pub to_months: i32,
    /// A conditional extension beyond `to_months`, e.g. continued youth care.
    pub extension: Option<Extension>,
    pub instances: Vec<String>,
    pub bodies: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    pub key: String,
    pub name: String,
    pub full: Text,
    pub between: Text,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LegalMap {
    pub laws: Vec<Law>,
    pub bodies: Vec<Body>,
}

pub fn legal_map() -> &'static LegalMap {
    static MAP: OnceLock<LegalMap> = OnceLock::new();
    MAP.get_or_init(|| serde_json::from_str(include_str!("../content/legal.json")).unwrap_or_else(|e| panic!("content/legal.json is invalid: {e}")))
}

/// An age the map can be asked about: pregnancy, or a whole year of life (0 to 27).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    Pregnancy,
    Years(u8),
}

impl Age {
    /// Reads "zwangerschap" (or "-1") and whole years 0–27.
    pub fn parse(raw: &str) -> Option<Age> {
        match raw.trim() {
            "zwangerschap" | "-1" => Some(Age::Pregnancy),
            years => years.parse::<u8>().ok().filter(|y| *y <= 27).map(Age::Years),
        }
    }

    /// The months of age this covers, as a half-open range.
    pub fn months(self) -> (i32, i32) {
        match self {
            Age::Pregnancy => (FIRST_MONTH, 0),
            Age::Years(y) => (i32::from(y) * 12, i32::from(y) * 12 + 12),
        }
    }
}

/// What applies at an age: the laws that cover (part of) that year, and the laws that only
/// apply there through a conditional extension.
pub struct Answer<'a> {
    pub laws: Vec<&'a Law>,
    pub extended: Vec<&'a Law>,
    pub instances: Vec<&'a str>,
    pub bodies: Vec<&'a str>,
}

pub fn at(map: &LegalMap, age: Age) -> Answer<'_> {
    let (from, to) = age.months();
    let overlaps = |a: i32, b: i32| a < to && from < b;
    let laws: Vec<&Law> = map.laws.iter().filter(|l| overlaps(l.from_months, l.to_months)).collect();
    let extended =
        map.laws.iter().filter(|l| !overlaps(l.from_months, l.to_months) && l.extension.as_ref().is_some_and(|e| overlaps(l.to_months, e.to_months))).collect();
    let mut instances: Vec<&str> = laws.iter().flat_map(|l| l.instances.iter().map(String::as_str)).collect();
    instances.sort_unstable();
    instances.dedup();
    let mut bodies: Vec<&str> = laws.iter().flat_map(|l| l.bodies.iter().map(String::as_str)).collect();
    bodies.sort_unstable();
    bodies.dedup();
    Answer { laws, extended, instances, bodies }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(age: Age) -> Vec<String> {
        at(legal_map(), age).laws.iter().map(|l| l.key.clone()).collect()
    }

    #[test]
    fn ages_parse_from_pregnancy_to_27() {
        assert_eq!(Age::parse("zwangerschap"), Some(Age::Pregnancy));
        assert_eq!(Age::parse("16"), Some(Age::Years(16)));
        assert_eq!(Age::parse("28"), None);
        assert_eq!(Age::parse("tien"), None);
        assert_eq!(Age::Years(3).months(), (36, 48));
    }

    /// The expected laws per age, with why (the sources are in the content as well).
    #[test]
    fn the_map_names_the_right_laws_at_3_10_16_and_20() {
        let table: &[(u8, &[&str], &[&str])] = &[
            // 3: childcare and youth health care; not yet school or compulsory education.
            (3, &["jeugdwet", "wet-kinderopvang", "wpg"], &["wpo", "leerplichtwet", "wmo", "participatiewet"]),
            // 10: primary school, compulsory education, out-of-school care, youth care.
            (10, &["jeugdwet", "wpo", "leerplichtwet", "wet-kinderopvang", "wpg"], &["wvo", "wmo", "participatiewet"]),
            // 16: secondary school or mbo, compulsory education or the qualification duty, youth care.
            (16, &["jeugdwet", "wvo", "web", "leerplichtwet", "wpg"], &["wet-kinderopvang", "wpo", "wmo"]),
            // 20: adulthood: social support, participation, mbo; youth care only as an extension.
            (20, &["wmo", "participatiewet", "web"], &["jeugdwet", "wpo", "wet-kinderopvang", "leerplichtwet"]),
        ];
        for (age, present, absent) in table {
            let found = keys(Age::Years(*age));
            for key in *present {
                assert!(found.iter().any(|k| k == key), "at {age} the map should name {key}: {found:?}");
            }
            for key in *absent {
                assert!(!found.iter().any(|k| k == key), "at {age} the map should not name {key}: {found:?}");
            }
            // Laws for every age (care insurance, long-term care, privacy) apply throughout.
            for key in ["zvw", "wlz", "avg"] {
                assert!(found.iter().any(|k| k == key), "at {age}: {key}");
            }
        }
        let extended: Vec<&str> = at(legal_map(), Age::Years(20)).extended.iter().map(|l| l.key.as_str()).collect();
        assert!(extended.contains(&"jeugdwet"), "youth care can continue past 18: {extended:?}");
    }

    #[test]
    fn every_law_has_a_source_a_sensible_span_and_both_languages() {
        let map = legal_map();
        assert!(map.laws.len() >= 13);
        for l in &map.laws {
            assert!(!l.sources.is_empty(), "{}", l.key);
            assert!(l.from_months >= FIRST_MONTH && l.from_months < l.to_months, "{}", l.key);
            assert!(!l.summary.nl.is_empty() && !l.summary.en.is_empty(), "{}", l.key);
        }
        for b in ["OOGO", "LEA", "RMC"] {
            assert!(map.bodies.iter().any(|x| x.name.starts_with(b)), "{b}");
        }
    }
}
