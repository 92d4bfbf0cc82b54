//! The shared vision and the joint analysis behind it: the societal task, hard data (a figure
//! or report, with source and date) and soft signals (what was heard, from whom, when),
//! bottlenecks and improvement points, the shared perspective, principles, and what the
//! pedagogische basis means here. Every adoption is a version; each partner endorses one.

use crate::date::optional_date as dated;
use crate::error::{Invalid, optional_text};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary!(
    /// Whose voice a soft signal carries.
    SignalSource { Ouders = "ouders", Jongeren = "jongeren", Kinderen = "kinderen", Professionals = "professionals", Anders = "anders" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardData {
    pub what: String,
    pub source: String,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftSignal {
    pub what: String,
    pub from: SignalSource,
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VisionContent {
    /// The maatschappelijke opgave.
    pub task: String,
    pub hard_data: Vec<HardData>,
    pub soft_signals: Vec<SoftSignal>,
    pub bottlenecks: String,
    pub improvements: String,
    /// The shared perspective: the "stip op de horizon".
    pub perspective: String,
    pub principles: String,
    /// What the pedagogische basis means locally; measuring starts by agreeing on it.
    pub definition: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct HardDataInput {
    pub what: String,
    pub source: String,
    pub date: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SoftSignalInput {
    pub what: String,
    pub from: String,
    pub date: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct VisionInput {
    pub task: String,
    pub hard_data: Vec<HardDataInput>,
    pub soft_signals: Vec<SoftSignalInput>,
    pub bottlenecks: String,
    pub improvements: String,
    pub perspective: String,
    pub principles: String,
    pub definition: String,
}

impl VisionContent {
    /// Rows left empty in a form are skipped; a row with text needs a valid date, if any.
    pub fn parse(input: &VisionInput) -> Result<VisionContent, Invalid> {
        let mut errors = Invalid::default();
        let mut text = |field: &'static str, raw: &str| optional_text(&mut errors, field, raw, 10_000);
        let (task, bottlenecks, improvements) = (text("task", &input.task), text("bottlenecks", &input.bottlenecks), text("improvements", &input.improvements));
        let (perspective, principles, definition) =
            (text("perspective", &input.perspective), text("principles", &input.principles), text("definition", &input.definition));
        let mut hard_data = Vec::new();
        for (n, row) in input.hard_data.iter().enumerate().filter(|(_, r)| !r.what.trim().is_empty()) {
            let since = errors.errors.len();
            let what = optional_text(&mut errors, "hard_data", &row.what, 2000);
            let source = optional_text(&mut errors, "hard_data", &row.source, 500);
            if source.is_empty() {
                errors.add("hard_data", "err.source_needed");
            }
            let date = dated(&mut errors, "hard_data", &row.date);
            errors.in_row(since, n + 1);
            hard_data.push(HardData { what, source, date });
        }
        let mut soft_signals = Vec::new();
        for (n, row) in input.soft_signals.iter().enumerate().filter(|(_, r)| !r.what.trim().is_empty()) {
            let since = errors.errors.len();
            let what = optional_text(&mut errors, "soft_signals", &row.what, 2000);
            let from = SignalSource::from_code(row.from.trim());
            if from.is_none() {
                errors.add("soft_signals", "err.choice");
            }
            let date = dated(&mut errors, "soft_signals", &row.date);
            errors.in_row(since, n + 1);
            soft_signals.extend(from.map(|from| SoftSignal { what, from, date }));
        }
        errors.or(VisionContent { task, hard_data, soft_signals, bottlenecks, improvements, perspective, principles, definition })
    }

    /// A vision can be adopted once it states the task and the shared perspective.
    pub fn adoptable(&self) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        if self.task.is_empty() {
            errors.add("task", "err.required_to_adopt");
        }
        if self.perspective.is_empty() {
            errors.add("perspective", "err.required_to_adopt");
        }
        errors.or(())
    }

    /// The text fields side by side for comparing two versions: (field, this, other).
    pub fn side_by_side(&self, other: &VisionContent) -> Vec<(&'static str, String, String)> {
        let list_hard = |v: &VisionContent| v.hard_data.iter().map(|h| format!("{} ({}, {})", h.what, h.source, h.date)).collect::<Vec<_>>().join("\n");
        let list_soft = |v: &VisionContent| v.soft_signals.iter().map(|s| format!("{} ({}, {})", s.what, s.from, s.date)).collect::<Vec<_>>().join("\n");
        vec![
            ("task", self.task.clone(), other.task.clone()),
            ("hard_data", list_hard(self), list_hard(other)),
            ("soft_signals", list_soft(self), list_soft(other)),
            ("bottlenecks", self.bottlenecks.clone(), other.bottlenecks.clone()),
            ("improvements", self.improvements.clone(), other.improvements.clone()),
            ("perspective", self.perspective.clone(), other.perspective.clone()),
            ("principles", self.principles.clone(), other.principles.clone()),
            ("definition", self.definition.clone(), other.definition.clone()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_rows_are_skipped_and_filled_rows_are_checked() {
        let input = VisionInput {
            task: "Elk kind groeit op in een veilige omgeving".into(),
            hard_data: vec![
                HardDataInput { what: "12% van de kinderen groeit op in armoede".into(), source: "CBS".into(), date: "2025-01-01".into() },
                HardDataInput::default(),
            ],
            soft_signals: vec![SoftSignalInput { what: "Ouders voelen zich alleen staan".into(), from: "ouders".into(), date: "2025-03-01".into() }],
            perspective: "Samen opgroeien".into(),
            ..Default::default()
        };
        let v = VisionContent::parse(&input).expect("valid");
        assert_eq!((v.hard_data.len(), v.soft_signals.len()), (1, 1));
        assert!(v.adoptable().is_ok());
        let bad =
            VisionInput { hard_data: vec![HardDataInput { what: "Een cijfer".into(), source: String::new(), date: "gisteren".into() }], ..Default::default() };
        let err = VisionContent::parse(&bad).expect_err("invalid");
        assert_eq!(err.errors.iter().map(|e| (e.code, e.row)).collect::<Vec<_>>(), [("err.source_needed", Some(1)), ("err.date", Some(1))]);
        let second = VisionInput {
            hard_data: vec![
                HardDataInput { what: "Een".into(), source: "CBS".into(), date: "12-3-2026".into() },
                HardDataInput::default(),
                HardDataInput { what: "Twee".into(), source: "GGD".into(), date: "31-31-2026".into() },
            ],
            ..Default::default()
        };
        let err = VisionContent::parse(&second).expect_err("the third row's date");
        assert_eq!(err.errors.iter().map(|e| (e.field, e.code, e.row)).collect::<Vec<_>>(), [("hard_data", "err.date", Some(3))]);
        assert!(VisionContent::default().adoptable().is_err());
    }
}
