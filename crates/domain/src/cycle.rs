//! The learning cycle (plan, do, check, act) per period. Plan is the indicators' targets and
//! do is the programme's activities: both are read from where they live, not copied. What a
//! cycle holds itself is what only the conversation adds: the findings and the meeting where
//! they were discussed, the decisions taken — each linked to the agreement or activity it
//! changes — and the successes worth celebrating.

use crate::error::{Invalid, optional_text, required_text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CycleInput {
    /// The period the cycle looks back on, e.g. 2026-H1 or 2025-2026.
    pub period: String,
    pub title: String,
    pub findings: String,
    /// The meeting where the findings were discussed.
    pub meeting: String,
    pub successes: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CycleContent {
    pub period: String,
    pub title: String,
    pub findings: String,
    pub meeting: Option<i64>,
    pub successes: String,
    pub decisions: Vec<Decision>,
}

/// A decision of the act phase and what it changes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Decision {
    pub text: String,
    pub agreement: Option<i64>,
    pub activity: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DecisionInput {
    pub text: String,
    pub agreement: String,
    pub activity: String,
}

fn reference(errors: &mut Invalid, field: &'static str, raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        text => text.parse().ok().or_else(|| {
            errors.add(field, "err.choice");
            None
        }),
    }
}

/// A decision taken in a meeting: an agenda item that ends in a decision and has a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDecision {
    /// The agenda item's title.
    pub item: String,
    /// What was decided.
    pub text: String,
    /// The agreement it is about.
    pub agreement: Option<i64>,
}

/// The decisions a meeting took, in agenda order: what a learning cycle linked to it lists
/// without typing them again.
pub fn meeting_decisions(meeting: &crate::meeting::MeetingContent) -> Vec<MeetingDecision> {
    meeting
        .items
        .iter()
        .filter(|i| i.outcome == crate::meeting::Outcome::Besluit && !i.result.trim().is_empty())
        .map(|i| MeetingDecision { item: i.title.clone(), text: i.result.clone(), agreement: i.agreement })
        .collect()
}

/// A period as cycles use them: a year, a school year, a half year or a quarter.
pub fn is_cycle_period(period: &str) -> bool {
    use crate::indicator::{PeriodType, is_period};
    [PeriodType::Jaar, PeriodType::Schooljaar, PeriodType::Halfjaar, PeriodType::Kwartaal].into_iter().any(|t| is_period(t, period))
}

/// Whether an indicator's period falls in the cycle's: the same period, or one that starts in
/// the same year (a school year 2025-2026 belongs to the cycles of 2025).
pub fn covers(cycle: &str, period: &str) -> bool {
    cycle == period || (cycle.get(..4).is_some() && cycle.get(..4) == period.get(..4))
}

impl CycleContent {
    /// Checks the cycle's own fields; decisions are kept from `previous`.
    pub fn parse(input: &CycleInput, previous: Option<&CycleContent>) -> Result<CycleContent, Invalid> {
        let mut errors = Invalid::default();
        let period = input.period.trim().to_string();
        if !is_cycle_period(&period) {
            errors.add("period", "err.cycle_period");
        }
        let content = CycleContent {
            title: required_text(&mut errors, "title", &input.title, 200),
            findings: optional_text(&mut errors, "findings", &input.findings, 8000),
            meeting: reference(&mut errors, "meeting", &input.meeting),
            successes: optional_text(&mut errors, "successes", &input.successes, 4000),
            decisions: previous.map(|p| p.decisions.clone()).unwrap_or_default(),
            period,
        };
        errors.or(content)
    }
}

impl Decision {
    pub fn parse(input: &DecisionInput) -> Result<Decision, Invalid> {
        let mut errors = Invalid::default();
        let decision = Decision {
            text: required_text(&mut errors, "text", &input.text, 2000),
            agreement: reference(&mut errors, "agreement", &input.agreement),
            activity: reference(&mut errors, "activity", &input.activity),
        };
        errors.or(decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_has_a_period_and_a_title_and_keeps_its_decisions() {
        let input = CycleInput { period: "2026-H1".into(), title: "Eerste halfjaar 2026".into(), meeting: "4".into(), ..Default::default() };
        let before = CycleContent { decisions: vec![Decision { text: "Afspraak aanpassen".into(), agreement: Some(2), activity: None }], ..Default::default() };
        let cycle = CycleContent::parse(&input, Some(&before)).expect("valid");
        assert_eq!((cycle.meeting, cycle.decisions.len()), (Some(4), 1));
        let bad = CycleContent::parse(&CycleInput { period: "voorjaar".into(), meeting: "x".into(), ..Default::default() }, None).expect_err("invalid");
        assert_eq!(bad.for_field("period"), Some("err.cycle_period"));
        assert_eq!(bad.for_field("title"), Some("err.required"));
        assert_eq!(bad.for_field("meeting"), Some("err.choice"));
        assert!(Decision::parse(&DecisionInput::default()).is_err());
    }

    #[test]
    fn a_cycle_covers_periods_of_its_year() {
        assert!(covers("2026-H1", "2026-H1"));
        assert!(covers("2025", "2025-2026"));
        assert!(covers("2026-H1", "2026"));
        assert!(!covers("2026-H1", "2025-2026"));
    }
}
