//! The meeting structure (overlegstructuur): bodies on three levels, each with the seven
//! meeting agreements of the guide — purpose, participants, topics, frequency, duration and
//! form, how often the form itself is evaluated, and how it is connected — and the checks
//! that show where the structure is thin.

use crate::date::{add_months, is_date};
use crate::error::{Invalid, choice, optional_count, optional_id, optional_text, required_text};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary!(
    Level { Bestuurlijk = "bestuurlijk", Coordinerend = "coordinerend", Uitvoerend = "uitvoerend" }
);

vocabulary!(
    BodyKind {
        LeaBestuurlijk = "lea_bestuurlijk",
        Oogo = "oogo",
        Stuurgroep = "stuurgroep",
        Projectgroep = "projectgroep",
        Werkgroep = "werkgroep",
        Mdo = "mdo",
        Overig = "overig",
    }
);

vocabulary!(
    MeetingMode { Fysiek = "fysiek", Online = "online", Hybride = "hybride" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyContent {
    pub name: String,
    pub level: Level,
    pub kind: BodyKind,
    /// 1. Purpose and assignment.
    pub purpose: String,
    /// 2. Participants: the partners at the table, and who is invited per topic.
    pub partners: Vec<i64>,
    pub invited: String,
    /// 3. Topics.
    pub topics: String,
    /// 4. How often it meets, per year.
    pub per_year: Option<u32>,
    /// 5. Duration in minutes, and where.
    pub minutes: Option<u32>,
    pub mode: Option<MeetingMode>,
    /// 6. Every how many months the form of the meeting itself is evaluated, and when it last was.
    pub evaluate_every_months: Option<u32>,
    pub last_evaluated: String,
    /// 7. Connection: the body it reports to, how signals from practice reach it, who has the regie.
    pub reports_to: Option<i64>,
    pub signals: String,
    pub regie: String,
}

impl BodyContent {
    /// Whether all seven agreements of the body are made: purpose, participants, topics, how
    /// often, how long and where, when the form is evaluated, and how it connects.
    pub fn agreements_complete(&self) -> bool {
        !self.purpose.trim().is_empty()
            && !self.partners.is_empty()
            && !self.topics.trim().is_empty()
            && self.per_year.is_some()
            && self.minutes.is_some()
            && self.mode.is_some()
            && self.evaluate_every_months.is_some()
            && (self.reports_to.is_some() || !self.signals.trim().is_empty() || !self.regie.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BodyInput {
    pub name: String,
    pub level: String,
    pub kind: String,
    pub purpose: String,
    pub partners: Vec<String>,
    pub invited: String,
    pub topics: String,
    pub per_year: String,
    pub minutes: String,
    pub mode: String,
    pub evaluate_every_months: String,
    pub last_evaluated: String,
    pub reports_to: String,
    pub signals: String,
    pub regie: String,
}

impl BodyContent {
    pub fn parse(input: &BodyInput) -> Result<BodyContent, Invalid> {
        let mut errors = Invalid::default();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let level = choice(&mut errors, "level", &input.level, Level::from_code);
        let kind = choice(&mut errors, "kind", &input.kind, BodyKind::from_code);
        let purpose = optional_text(&mut errors, "purpose", &input.purpose, 5000);
        let mut partners: Vec<i64> = Vec::new();
        for raw in &input.partners {
            match raw.trim().parse::<i64>() {
                Ok(id) if !partners.contains(&id) => partners.push(id),
                Ok(_) => {}
                Err(_) => errors.add("partners", "err.choice"),
            }
        }
        let invited = optional_text(&mut errors, "invited", &input.invited, 2000);
        let topics = optional_text(&mut errors, "topics", &input.topics, 5000);
        let per_year = optional_count(&mut errors, "per_year", &input.per_year, 365);
        let minutes = optional_count(&mut errors, "minutes", &input.minutes, 24 * 60);
        let mode = match input.mode.trim() {
            "" => None,
            code => choice(&mut errors, "mode", code, MeetingMode::from_code),
        };
        let evaluate_every_months = optional_count(&mut errors, "evaluate_every_months", &input.evaluate_every_months, 120);
        let last_evaluated = crate::date::written(&input.last_evaluated);
        if !last_evaluated.is_empty() && !is_date(&last_evaluated) {
            errors.add("last_evaluated", "err.date");
        }
        let reports_to = optional_id(&mut errors, "reports_to", &input.reports_to);
        let signals = optional_text(&mut errors, "signals", &input.signals, 2000);
        let regie = optional_text(&mut errors, "regie", &input.regie, 500);
        match (level, kind) {
            (Some(level), Some(kind)) => errors.or(BodyContent {
                name,
                level,
                kind,
                purpose,
                partners,
                invited,
                topics,
                per_year,
                minutes,
                mode,
                evaluate_every_months,
                last_evaluated,
                reports_to,
                signals,
                regie,
            }),
            _ => Err(errors),
        }
    }
}

/// What the structure page warns about, per body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    NoPurpose,
    NoEvaluationRhythm,
    /// Reports to no body and no body reports to it (in a structure of more than one body).
    Unconnected,
    EvaluationOverdue,
    /// Has a rhythm but no evaluation on record yet: not late, since nothing says when it began.
    NotYetEvaluated,
}

impl Flag {
    pub fn key(self) -> &'static str {
        match self {
            Flag::NoPurpose => "bodies.flag_no_purpose",
            Flag::NoEvaluationRhythm => "bodies.flag_no_rhythm",
            Flag::NotYetEvaluated => "bodies.flag_not_evaluated",
            Flag::Unconnected => "bodies.flag_unconnected",
            Flag::EvaluationOverdue => "bodies.flag_overdue",
        }
    }
}

/// The flags of every body, given all bodies of the collaboration and today's date.
pub fn flags(bodies: &[(i64, BodyContent)], today: &str) -> Vec<(i64, Vec<Flag>)> {
    bodies
        .iter()
        .map(|(id, b)| {
            let mut f = Vec::new();
            if b.purpose.is_empty() {
                f.push(Flag::NoPurpose);
            }
            match b.evaluate_every_months {
                None => f.push(Flag::NoEvaluationRhythm),
                Some(months) => {
                    let due = add_months(&b.last_evaluated, months);
                    if b.last_evaluated.is_empty() {
                        f.push(Flag::NotYetEvaluated);
                    } else if due.is_some_and(|due| due.as_str() <= today) {
                        f.push(Flag::EvaluationOverdue);
                    }
                }
            }
            let reports = b.reports_to.is_some_and(|to| bodies.iter().any(|(other, _)| *other == to));
            let reported_to = bodies.iter().any(|(_, other)| other.reports_to == Some(*id));
            if bodies.len() > 1 && !reports && !reported_to {
                f.push(Flag::Unconnected);
            }
            (*id, f)
        })
        .collect()
}

/// Inner-ring partners that sit in no body.
pub fn partners_in_no_body(inner_ring: &[i64], bodies: &[(i64, BodyContent)]) -> Vec<i64> {
    inner_ring.iter().copied().filter(|p| !bodies.iter().any(|(_, b)| b.partners.contains(p))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(name: &str, level: &str, reports_to: &str, evaluate: &str, last: &str, partners: &[&str]) -> BodyContent {
        BodyContent::parse(&BodyInput {
            name: name.into(),
            level: level.into(),
            kind: "werkgroep".into(),
            purpose: "Doel".into(),
            reports_to: reports_to.into(),
            evaluate_every_months: evaluate.into(),
            last_evaluated: last.into(),
            partners: partners.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        })
        .expect("valid")
    }

    #[test]
    fn flags_show_missing_rhythm_overdue_evaluation_and_loose_bodies() {
        let bodies = vec![
            (1, body("LEA", "bestuurlijk", "", "12", "2025-01-15", &["10"])),
            (2, body("Werkgroep", "uitvoerend", "1", "", "", &["11"])),
            (3, body("Los", "uitvoerend", "", "6", "2026-10-01", &[])),
            (4, body("Nieuw", "bestuurlijk", "1", "12", "", &[])),
        ];
        let f = flags(&bodies, "2026-11-24");
        assert_eq!(f[0].1, [Flag::EvaluationOverdue]);
        assert_eq!(f[1].1, [Flag::NoEvaluationRhythm]);
        assert_eq!(f[2].1, [Flag::Unconnected]);
        assert_eq!(f[3].1, [Flag::NotYetEvaluated], "a new body is not late");
        assert_eq!(partners_in_no_body(&[10, 11, 12], &bodies), [12]);
    }

    #[test]
    fn counts_and_dates_are_checked() {
        let err = BodyContent::parse(&BodyInput {
            name: "X".into(),
            level: "bestuurlijk".into(),
            kind: "oogo".into(),
            per_year: "nul".into(),
            last_evaluated: "morgen".into(),
            ..Default::default()
        })
        .expect_err("invalid");
        assert_eq!(err.errors.iter().map(|e| e.field).collect::<Vec<_>>(), ["per_year", "last_evaluated"]);
    }
}
