//! The travel plan (reisplan): the guide's nine themes in five stages, each with its core
//! message, tips, concrete steps and reflection questions, in Dutch and English. The content
//! is ours, written from the guide, and ships in `content/journey.json`. A collaboration
//! tracks its progress per step and answers the questions in its own words.

use crate::error::{Invalid, choice, optional_text, required_text};
use crate::vocab::vocabulary;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

impl Text {
    /// The text in English or Dutch. Takes a reference too, as templates pass one.
    pub fn get(&self, english: impl std::borrow::Borrow<bool>) -> &str {
        if *english.borrow() { &self.en } else { &self.nl }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Stage {
    pub key: String,
    #[serde(flatten)]
    pub name: Text,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Step {
    pub key: String,
    #[serde(flatten)]
    pub text: Text,
    /// Where in Reisgenoot this work is done, if it is.
    pub place: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Question {
    pub key: String,
    #[serde(flatten)]
    pub text: Text,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Theme {
    pub number: u8,
    pub stage: String,
    pub title: Text,
    pub core: Text,
    pub tips: Vec<Text>,
    pub steps: Vec<Step>,
    pub questions: Vec<Question>,
    pub elements: Vec<u8>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Element {
    pub number: u8,
    #[serde(flatten)]
    pub name: Text,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Journey {
    pub stages: Vec<Stage>,
    pub themes: Vec<Theme>,
    pub elements: Vec<Element>,
}

impl Journey {
    pub fn theme(&self, number: u8) -> Option<&Theme> {
        self.themes.iter().find(|t| t.number == number)
    }

    pub fn step(&self, key: &str) -> Option<(&Theme, &Step)> {
        self.themes.iter().find_map(|t| t.steps.iter().find(|s| s.key == key).map(|s| (t, s)))
    }

    pub fn question(&self, key: &str) -> Option<(&Theme, &Question)> {
        self.themes.iter().find_map(|t| t.questions.iter().find(|q| q.key == key).map(|q| (t, q)))
    }
}

/// The built-in travel plan.
pub fn journey() -> &'static Journey {
    static JOURNEY: OnceLock<Journey> = OnceLock::new();
    JOURNEY.get_or_init(|| serde_json::from_str(include_str!("../content/journey.json")).unwrap_or_else(|e| panic!("content/journey.json is invalid: {e}")))
}

vocabulary!(
    StepStatus { NietBegonnen = "niet_begonnen", Bezig = "bezig", Gedaan = "gedaan", NietVanToepassing = "niet_van_toepassing" }
);

/// A collaboration's state of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepProgress {
    pub step_key: String,
    pub status: StepStatus,
    pub note: String,
    /// The date the state was set (YYYY-MM-DD).
    pub on: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct StepInput {
    pub status: String,
    pub note: String,
}

/// Checks a step's new state; `on` is today's date, supplied by the caller.
pub fn parse_step(step_key: &str, input: &StepInput, on: &str) -> Result<StepProgress, Invalid> {
    let mut errors = Invalid::default();
    if journey().step(step_key).is_none() {
        errors.add("step", "err.choice");
    }
    let status = choice(&mut errors, "status", &input.status, StepStatus::from_code);
    let note = optional_text(&mut errors, "note", &input.note, 2000);
    match status {
        Some(status) => errors.or(StepProgress { step_key: step_key.to_string(), status, note, on: on.to_string() }),
        None => Err(errors),
    }
}

/// A reflection question answered in the collaboration's own words, on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reflection {
    pub question_key: String,
    pub answer: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReflectionInput {
    pub question_key: String,
    pub answer: String,
}

pub fn parse_reflection(input: &ReflectionInput) -> Result<Reflection, Invalid> {
    let mut errors = Invalid::default();
    if journey().question(&input.question_key).is_none() {
        errors.add("question_key", "err.choice");
    }
    let answer = required_text(&mut errors, "answer", &input.answer, 5000);
    errors.or(Reflection { question_key: input.question_key.clone(), answer })
}

/// How far a theme (or the whole journey) has come: steps done out of the steps that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub done: usize,
    pub busy: usize,
    pub applicable: usize,
}

impl Tally {
    pub fn percent(&self) -> usize {
        (self.done * 100).checked_div(self.applicable).unwrap_or(100)
    }
}

/// Counts the steps of `theme` by the collaboration's progress; a step without a recorded
/// state has not begun, and a step marked "niet van toepassing" does not count.
pub fn tally(theme: &Theme, progress: &[StepProgress]) -> Tally {
    let mut t = Tally::default();
    for step in &theme.steps {
        let status = progress.iter().find(|p| p.step_key == step.key).map(|p| p.status).unwrap_or(StepStatus::NietBegonnen);
        match status {
            StepStatus::NietVanToepassing => {}
            StepStatus::Gedaan => {
                t.done += 1;
                t.applicable += 1;
            }
            StepStatus::Bezig => {
                t.busy += 1;
                t.applicable += 1;
            }
            StepStatus::NietBegonnen => t.applicable += 1,
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_built_in_journey_has_nine_themes_in_five_stages_with_unique_keys() {
        let j = journey();
        assert_eq!(j.stages.len(), 5);
        assert_eq!(j.themes.iter().map(|t| t.number).collect::<Vec<_>>(), (1..=9).collect::<Vec<_>>());
        let mut keys = HashSet::new();
        for t in &j.themes {
            assert!(j.stages.iter().any(|s| s.key == t.stage), "theme {} has an unknown stage", t.number);
            assert!(!t.steps.is_empty() && !t.questions.is_empty() && !t.tips.is_empty(), "theme {} is incomplete", t.number);
            for key in t.steps.iter().map(|s| &s.key).chain(t.questions.iter().map(|q| &q.key)) {
                assert!(keys.insert(key.clone()), "duplicate key {key}");
            }
            for text in t.steps.iter().map(|s| &s.text).chain(t.questions.iter().map(|q| &q.text)).chain(t.tips.iter()).chain([&t.title, &t.core]) {
                assert!(!text.nl.trim().is_empty() && !text.en.trim().is_empty(), "theme {}: a text lacks a language", t.number);
            }
            assert!(t.elements.iter().all(|e| (1..=8).contains(e)));
        }
        assert_eq!(j.elements.len(), 8);
    }

    #[test]
    fn tally_ignores_steps_that_do_not_apply() {
        let theme = &journey().themes[0];
        let progress: Vec<StepProgress> = theme
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepProgress {
                step_key: s.key.clone(),
                status: if i == 0 { StepStatus::NietVanToepassing } else { StepStatus::Gedaan },
                note: String::new(),
                on: "2026-11-24".into(),
            })
            .collect();
        let t = tally(theme, &progress);
        assert_eq!((t.done, t.applicable, t.percent()), (theme.steps.len() - 1, theme.steps.len() - 1, 100));
        assert_eq!(tally(theme, &[]).percent(), 0);
    }

    #[test]
    fn unknown_steps_and_statuses_are_refused() {
        let ok = StepInput { status: "bezig".into(), note: "Gestart in oktober".into() };
        let key = &journey().themes[0].steps[0].key;
        assert!(parse_step(key, &ok, "2026-11-24").is_ok());
        assert!(parse_step("bestaat-niet", &ok, "2026-11-24").is_err());
        assert!(parse_step(key, &StepInput { status: "klaar".into(), ..Default::default() }, "2026-11-24").is_err());
    }
}
