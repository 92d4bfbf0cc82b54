//! The responsibility matrix: per topic (leerplicht, VVE, thuiszitters …) which partner is
//! responsible, which contributes, and where responsibilities blur (grijs gebied, the
//! "porous edges" where partners must find each other).

use crate::error::{Invalid, required_text};
use crate::vocab::vocabulary;
use serde::Deserialize;

vocabulary!(
    Mark { Verantwoordelijk = "verantwoordelijk", DraagtBij = "draagt_bij", GrijsGebied = "grijs_gebied" }
);

/// Topics most collaborations meet, offered as a start.
pub const COMMON_TOPICS: &[&str] = &[
    "Leerplicht en verzuim",
    "Jeugdhulp op school",
    "Voor- en vroegschoolse educatie (VVE)",
    "Leerlingenvervoer",
    "Thuiszitters",
    "Doorgaande lijn van opvang naar school",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub topic: i64,
    pub partner: i64,
    pub mark: Mark,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TopicInput {
    pub name: String,
}

pub fn parse_topic(input: &TopicInput) -> Result<String, Invalid> {
    let mut errors = Invalid::default();
    let name = required_text(&mut errors, "name", &input.name, 200);
    errors.or(name)
}

/// Reads a cell's value from a form or the API: empty means no mark.
pub fn parse_mark(raw: &str) -> Result<Option<Mark>, Invalid> {
    match raw.trim() {
        "" => Ok(None),
        code => Mark::from_code(code).map(Some).ok_or_else(|| Invalid::single("mark", "err.choice")),
    }
}

/// What the matrix shows needs talking about: topics nobody is responsible for, and topics
/// with a grey zone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Gaps {
    pub without_responsible: Vec<i64>,
    pub grey: Vec<i64>,
}

pub fn gaps(topics: &[Topic], cells: &[Cell]) -> Gaps {
    let has = |topic: i64, mark: Mark| cells.iter().any(|c| c.topic == topic && c.mark == mark);
    Gaps {
        without_responsible: topics.iter().filter(|t| !has(t.id, Mark::Verantwoordelijk)).map(|t| t.id).collect(),
        grey: topics.iter().filter(|t| has(t.id, Mark::GrijsGebied)).map(|t| t.id).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_name_topics_without_a_responsible_partner_and_grey_zones() {
        let topics = [Topic { id: 1, name: "Leerplicht".into() }, Topic { id: 2, name: "Thuiszitters".into() }];
        let cells = [
            Cell { topic: 1, partner: 10, mark: Mark::Verantwoordelijk },
            Cell { topic: 2, partner: 10, mark: Mark::GrijsGebied },
            Cell { topic: 2, partner: 11, mark: Mark::DraagtBij },
        ];
        assert_eq!(gaps(&topics, &cells), Gaps { without_responsible: vec![2], grey: vec![2] });
        assert_eq!(parse_mark(""), Ok(None));
        assert!(parse_mark("misschien").is_err());
    }
}
