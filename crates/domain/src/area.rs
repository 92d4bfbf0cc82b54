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
    fn every_code_in_the_real_cbs_2024_classification_parses() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/gwb_2024_codes.txt");
        let text = std::fs::read_to_string(path).expect("the CBS code list ships with the tests");
        let mut count = 0;
        for code in text.lines().filter(|l| !l.is_empty()) {
            assert!(AreaCode::parse(code).is_some(), "{code}");
            count += 1;
        }
        assert_eq!(count, 342 + 3393 + 14574);
    }
}
