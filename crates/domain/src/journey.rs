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

/// What exists of a collaboration's work, as the travel plan reads it: counts and facts
/// gathered from the rest of the product, with no I/O here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Work {
    pub partners: usize,
    pub inner_ring: usize,
    pub outer_ring: usize,
    /// Sectors for which the "wie missen we nog?" check still misses a partner.
    pub missing_sectors: usize,
    /// Partners of the inner ring without an active ambassador.
    pub inner_without_ambassador: usize,
    pub partners_with_sector_gemeente: usize,
    /// The roles (codes) of people who have not left, once each.
    pub roles: Vec<String>,
    pub portfolios: usize,
    pub portfolios_held: usize,
    pub portfolios_with_mandate: usize,
    pub members: usize,
    pub vision_data: bool,
    pub vision_analysis: bool,
    pub vision_definition: bool,
    pub vision_perspective: bool,
    pub vision_adopted: bool,
    pub bodies: usize,
    /// Bodies whose seven agreements are all filled in.
    pub bodies_complete: usize,
    pub meetings: usize,
    /// Adopted agreements by kind (codes).
    pub adopted_kinds: Vec<String>,
    pub legal_marks: usize,
    pub contributions: usize,
    pub contributing_partners: usize,
    pub pots: usize,
    pub obstacles: usize,
    pub own_examples: usize,
    pub scans: usize,
    pub goals: usize,
    pub active_indicators: usize,
    pub cycles: usize,
    pub cycles_with_decisions: usize,
    pub activities: usize,
    pub activities_with_trekker: usize,
}

impl Work {
    fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
    fn adopted(&self, kind: &str) -> bool {
        self.adopted_kinds.iter().any(|k| k == kind)
    }
}

/// Where a step's work lives when the product shows it is done: the page below the
/// collaboration (`""` for its overview), or `None` while the work is not there (or the step
/// is one the product cannot see, such as a first meeting's conversation).
pub fn seen(step_key: &str, w: &Work) -> Option<&'static str> {
    rule(step_key, w).and_then(|(done, place)| done.then_some(place))
}

/// The page where the product keeps a step's work, for the steps it can see.
pub fn seen_place(step_key: &str) -> Option<&'static str> {
    rule(step_key, &Work::default()).map(|(_, place)| place)
}

fn rule(step_key: &str, w: &Work) -> Option<(bool, &'static str)> {
    Some(match step_key {
        "t1-bijeenkomst" => (w.meetings > 0, "vergaderingen"),
        "t1-gegevens" => (w.vision_data, "visie"),
        "t1-analyse" => (w.vision_analysis, "visie"),
        "t1-begrip" => (w.vision_definition, "visie"),
        "t1-perspectief" => (w.vision_perspective && w.vision_adopted, "visie"),
        "t1-uitwerking" => (w.vision_adopted, "visie"),
        "t2-wie-nodig" => (w.partners >= 2, "partners"),
        "t2-wie-mist" => (w.partners > 0 && w.missing_sectors == 0, ""),
        "t2-partners" => (w.partners >= 2, "partners"),
        "t2-ringen" => (w.inner_ring > 0 && w.outer_ring > 0, "partners"),
        "t2-ouders-jongeren" => (w.has_role("oudervertegenwoordiger") || w.has_role("jongerenvertegenwoordiger"), "personen"),
        "t3-ambassadeurs" => (w.inner_ring > 0 && w.inner_without_ambassador == 0, "personen"),
        "t3-ouder-ambassadeur" => (w.has_role("oudervertegenwoordiger") && w.has_role("ambassadeur"), "personen"),
        "t3-gemeente" => (w.partners_with_sector_gemeente > 0 && (w.has_role("beleidsmedewerker") || w.has_role("regisseur")), "personen"),
        "t3-overdraagbaar" => (w.portfolios_held > 0 && w.has_role("ambassadeur"), "portefeuilles"),
        "t4-overlegvormen" => (w.bodies > 0, "overleg"),
        "t4-overlegafspraken" => (w.bodies_complete > 0, "overleg"),
        "t4-rollen" => (w.portfolios_with_mandate > 0, "portefeuilles"),
        "t4-mandaat" => (w.has_role("bestuurder"), "personen"),
        "t4-wettelijk-kader" => (w.legal_marks > 0, "verantwoordelijkheden"),
        "t4-convenant" => (w.adopted("samenwerkingsovereenkomst"), "afspraken"),
        "t5-financieel-beeld" => (w.contributions > 0, "financien"),
        "t5-wie-investeert" => (w.contributing_partners >= 2, "financien"),
        "t5-budgetvorm" => (w.pots > 0, "financien"),
        "t5-continuiteit" => (w.adopted("financiele_afspraak"), "afspraken"),
        "t5-knelpunt" | "t8-tekorten" => (w.obstacles > 0, "knelpunten"),
        "t6-regisseur" => (w.has_role("regisseur"), "personen"),
        "t6-portefeuilles" => (w.portfolios_held > 0, "portefeuilles"),
        "t6-leden" => (w.members >= 2, "leden"),
        "t6-successen" => (w.own_examples > 0, "voorbeelden"),
        "t6-zelfscan" => (w.scans > 0, "scans"),
        "t7-doelen" => (w.goals > 0, "programma"),
        "t7-indicatoren" => (w.active_indicators > 0, "indicatoren"),
        "t7-data-afspraken" => (w.adopted("gegevensdeling"), "afspraken"),
        "t7-dialoog" => (w.cycles > 0, "cycli"),
        "t9-looptijd" | "t9-activiteiten" => (w.activities > 0, "programma"),
        "t9-trekker" => (w.activities_with_trekker > 0, "programma"),
        "t9-afspraken" => (w.adopted("resultaatafspraak"), "afspraken"),
        "t9-evalueren" => (w.cycles_with_decisions > 0, "cycli"),
        _ => return None,
    })
}

/// A step as the travel plan shows it: the hand mark when there is one (it overrides), else
/// done when the product shows the work, else not begun.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub status: StepStatus,
    /// Whether someone marked the step by hand.
    pub by_hand: bool,
    /// Where the work lives, when the product shows it.
    pub seen: Option<&'static str>,
}

pub fn effective(step_key: &str, progress: &[StepProgress], work: &Work) -> Effective {
    let seen = seen(step_key, work);
    match progress.iter().find(|p| p.step_key == step_key) {
        Some(p) => Effective { status: p.status, by_hand: true, seen },
        None => Effective { status: if seen.is_some() { StepStatus::Gedaan } else { StepStatus::NietBegonnen }, by_hand: false, seen },
    }
}

/// The progress with every step the product shows as done and nobody marked by hand added as
/// done, for counting.
pub fn with_work(progress: &[StepProgress], work: &Work) -> Vec<StepProgress> {
    let mut all = progress.to_vec();
    for theme in &journey().themes {
        for step in &theme.steps {
            if !progress.iter().any(|p| p.step_key == step.key) && seen(&step.key, work).is_some() {
                all.push(StepProgress { step_key: step.key.clone(), status: StepStatus::Gedaan, note: String::new(), on: String::new() });
            }
        }
    }
    all
}

/// What to do next: the first open step (not done, not "niet van toepassing") of the first
/// stage that still has one, with its theme.
pub fn next_step<'a>(progress: &[StepProgress], work: &Work) -> Option<(&'a Stage, &'a Theme, &'a Step)> {
    let j: &'a Journey = journey();
    for stage in &j.stages {
        for theme in j.themes.iter().filter(|t| t.stage == stage.key) {
            for step in &theme.steps {
                let e = effective(&step.key, progress, work);
                if matches!(e.status, StepStatus::NietBegonnen | StepStatus::Bezig) {
                    return Some((stage, theme, step));
                }
            }
        }
    }
    None
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

    #[test]
    fn work_in_the_product_marks_steps_done_and_a_hand_mark_overrides() {
        let none = Work::default();
        assert_eq!(super::next_step(&[], &none).map(|(_, _, s)| s.key.as_str()), Some("t1-bijeenkomst"));
        let work = Work {
            partners: 3,
            inner_ring: 2,
            outer_ring: 1,
            vision_perspective: true,
            vision_adopted: true,
            bodies: 1,
            bodies_complete: 1,
            adopted_kinds: vec!["samenwerkingsovereenkomst".into()],
            active_indicators: 1,
            cycles: 1,
            cycles_with_decisions: 1,
            ..Default::default()
        };
        for key in ["t1-perspectief", "t2-partners", "t2-ringen", "t4-overlegafspraken", "t4-convenant", "t7-indicatoren", "t9-evalueren"] {
            assert!(super::seen(key, &work).is_some(), "{key}");
        }
        assert_eq!(super::seen("t4-convenant", &work), Some("afspraken"));
        assert_eq!(super::seen("t5-continuiteit", &work), None, "a convenant is no financial agreement");
        let e = super::effective("t2-ringen", &[], &work);
        assert_eq!((e.status, e.by_hand), (StepStatus::Gedaan, false));
        let hand = vec![StepProgress { step_key: "t2-ringen".into(), status: StepStatus::Bezig, note: String::new(), on: "2026-01-01".into() }];
        let e = super::effective("t2-ringen", &hand, &work);
        assert_eq!((e.status, e.by_hand, e.seen), (StepStatus::Bezig, true, Some("partners")));
        let all = super::with_work(&hand, &work);
        let theme2 = journey().theme(2).expect("theme 2");
        let t = tally(theme2, &all);
        assert_eq!((t.done, t.busy), (3, 1), "partners present and no sector missing; the rings marked busy by hand");
        let t4 = journey().theme(4).expect("theme 4");
        assert_eq!(tally(t4, &super::with_work(&[], &work)).done, 3);
    }
}
