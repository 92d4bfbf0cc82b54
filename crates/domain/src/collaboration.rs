//! The collaboration (samenwerking): who works together, at what scale, for which area and
//! which ages. Everything else in Reisgenoot belongs to one.

use crate::area::AreaCode;
use crate::error::{Invalid, choice, optional_text, required_text};
use crate::ids::CollaborationId;
use crate::vocab::vocabulary;
use serde::Deserialize;

vocabulary!(
    /// Schaalniveau: the level at which the collaboration makes its agreements.
    Scale { Wijk = "wijk", Gemeente = "gemeente", Regio = "regio", Landelijk = "landelijk" }
);

vocabulary!(
    /// Leeftijdsfocus. The documents split the span −9 months to 27 years at 12.
    AgeFocus { Under12 = "12-", Over12 = "12+", Both = "beide" }
);

vocabulary!(
    CollaborationStatus { Verkenning = "verkenning", Actief = "actief", Gepauzeerd = "gepauzeerd", Beeindigd = "beeindigd" }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Collaboration {
    pub id: CollaborationId,
    pub name: String,
    pub description: String,
    pub scale: Scale,
    pub area_codes: Vec<AreaCode>,
    /// The CBS classification year the area codes belong to (codes change every 1 January).
    pub area_year: i32,
    pub age_focus: AgeFocus,
    pub status: CollaborationStatus,
    pub version: i64,
}

/// Raw input, as it arrives from a form or the API.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CollaborationInput {
    pub name: String,
    pub description: String,
    pub scale: String,
    pub area_codes: Vec<String>,
    #[serde(deserialize_with = "crate::error::lenient_number")]
    pub area_year: Option<i32>,
    pub age_focus: String,
    pub status: String,
}

/// Validated input for creating or updating a collaboration.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCollaboration {
    pub name: String,
    pub description: String,
    pub scale: Scale,
    pub area_codes: Vec<AreaCode>,
    pub area_year: i32,
    pub age_focus: AgeFocus,
    pub status: CollaborationStatus,
}

impl NewCollaboration {
    /// `current_year` is the classification year assumed when the input names none.
    pub fn parse(input: &CollaborationInput, current_year: i32) -> Result<NewCollaboration, Invalid> {
        let mut errors = Invalid::default();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let description = optional_text(&mut errors, "description", &input.description, 5000);
        let scale = choice(&mut errors, "scale", &input.scale, Scale::from_code);
        let age_focus = choice(&mut errors, "age_focus", &input.age_focus, AgeFocus::from_code);
        let status = if input.status.trim().is_empty() {
            Some(CollaborationStatus::Verkenning)
        } else {
            choice(&mut errors, "status", &input.status, CollaborationStatus::from_code)
        };
        let mut area_codes = Vec::new();
        for raw in input.area_codes.iter().filter(|c| !c.trim().is_empty()) {
            match AreaCode::parse(raw) {
                Some(code) if !area_codes.contains(&code) => area_codes.push(code),
                Some(_) => {}
                None => {
                    errors.add("area_codes", "err.area_code");
                    break;
                }
            }
        }
        if area_codes.len() > 500 {
            errors.add("area_codes", "err.too_many");
        }
        let area_year = input.area_year.unwrap_or(current_year);
        if !(1980..=2100).contains(&area_year) {
            errors.add("area_year", "err.year");
        }
        match (scale, age_focus, status) {
            (Some(scale), Some(age_focus), Some(status)) => errors.or(NewCollaboration { name, description, scale, area_codes, area_year, age_focus, status }),
            _ => Err(errors),
        }
    }
}

/// Splits a free-text list of area codes ("GM0363, WK036300\nBU03630000") into its parts.
pub fn split_codes(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CollaborationInput {
        CollaborationInput {
            name: " Samen Opgroeien ".into(),
            scale: "gemeente".into(),
            age_focus: "beide".into(),
            area_codes: split_codes("gm0363, WK0363AA\nWK0363AA"),
            ..Default::default()
        }
    }

    #[test]
    fn parses_and_normalises() {
        let parsed = NewCollaboration::parse(&input(), 2026).expect("valid");
        assert_eq!(parsed.name, "Samen Opgroeien");
        assert_eq!(parsed.status, CollaborationStatus::Verkenning);
        let codes: Vec<_> = parsed.area_codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes, ["GM0363", "WK0363AA"]);
    }

    #[test]
    fn reports_every_bad_field_at_once() {
        let bad =
            CollaborationInput { name: " ".into(), scale: "provincie".into(), age_focus: "".into(), area_codes: vec!["XX1".into()], ..Default::default() };
        let err = NewCollaboration::parse(&bad, 2026).expect_err("invalid");
        let fields: Vec<_> = err.errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "scale", "age_focus", "area_codes"]);
    }
}
