//! Agreements and convenants: what partners agree, what each contributes and is responsible
//! for ("waar kunnen we jullie voor vinden?"), who holds the mandate, and when it is reviewed.
//! Every change is a new version, so versions can be compared and each party assents to one.
//! A data-sharing agreement also records the legal basis, purpose, data categories (only
//! aggregates), retention and each party's role under the AVG.

use crate::date::optional_date as date;
use crate::error::{Invalid, choice, optional_id, optional_text, required_text};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary!(
    AgreementKind {
        Samenwerkingsovereenkomst = "samenwerkingsovereenkomst",
        Werkafspraak = "werkafspraak",
        Resultaatafspraak = "resultaatafspraak",
        Financieel = "financiele_afspraak",
        Gegevensdeling = "gegevensdeling",
    }
);

vocabulary!(
    AgreementStatus { Concept = "concept", Vastgesteld = "vastgesteld", Herzien = "herzien", Beeindigd = "beeindigd" }
);

vocabulary!(
    /// A party's role in a data flow (AVG).
    DataRole { Verantwoordelijke = "verwerkingsverantwoordelijke", Verwerker = "verwerker", Ontvanger = "ontvanger" }
);

vocabulary!(
    /// A party's answer to one version.
    Assent { Instemming = "instemming", Voorbehoud = "voorbehoud", NogNiet = "nog_niet" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub partner_id: i64,
    pub contribution: String,
    pub responsibility: String,
    pub data_role: Option<DataRole>,
}

/// Everything one version of an agreement says. Stored whole per version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementContent {
    pub title: String,
    pub text: String,
    pub kind: AgreementKind,
    pub status: AgreementStatus,
    pub mandate: String,
    pub start: String,
    pub end: String,
    pub review: String,
    pub legal_basis: String,
    pub purpose: String,
    pub data_categories: String,
    pub retention: String,
    pub parties: Vec<Party>,
    /// The body that owns the agreement: its meetings put the review on the agenda.
    #[serde(default)]
    pub body: Option<i64>,
}

impl AgreementContent {
    /// Whether `other` says the same as this one and differs at most in its status: the
    /// parties' assent is to what an agreement says, so moving it from draft to adopted keeps
    /// every answer, and any other change asks for assent again.
    pub fn same_terms(&self, other: &AgreementContent) -> bool {
        let mut other = other.clone();
        other.status = self.status;
        *self == other
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PartyInput {
    pub partner_id: i64,
    pub contribution: String,
    pub responsibility: String,
    pub data_role: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AgreementInput {
    pub title: String,
    pub text: String,
    pub kind: String,
    pub status: String,
    /// Who may decide on behalf of the parties.
    pub mandate: String,
    /// YYYY-MM-DD, or empty.
    pub start: String,
    pub end: String,
    /// The date the agreement is to be reviewed (YYYY-MM-DD).
    pub review: String,
    pub legal_basis: String,
    pub purpose: String,
    pub data_categories: String,
    pub retention: String,
    pub parties: Vec<PartyInput>,
    /// The id of the body that owns the agreement, or empty.
    pub body: String,
}

/// Reads a party's answer; a reservation must say why.
pub fn parse_assent(assent: &str, reason: &str) -> Result<(Assent, String), Invalid> {
    let assent = Assent::from_code(assent.trim()).ok_or_else(|| Invalid::single("assent", "err.choice"))?;
    let reason = reason.trim().to_string();
    if assent == Assent::Voorbehoud && reason.is_empty() {
        return Err(Invalid::single("reason", "err.reason_needed"));
    }
    Ok((assent, reason))
}

impl AgreementContent {
    pub fn parse(input: &AgreementInput) -> Result<AgreementContent, Invalid> {
        let mut errors = Invalid::default();
        let title = required_text(&mut errors, "title", &input.title, 200);
        let text = required_text(&mut errors, "text", &input.text, 50_000);
        let kind = choice(&mut errors, "kind", &input.kind, AgreementKind::from_code);
        let status = if input.status.trim().is_empty() {
            Some(AgreementStatus::Concept)
        } else {
            choice(&mut errors, "status", &input.status, AgreementStatus::from_code)
        };
        let mandate = optional_text(&mut errors, "mandate", &input.mandate, 2000);
        let start = date(&mut errors, "start", &input.start);
        let end = date(&mut errors, "end", &input.end);
        let review = date(&mut errors, "review", &input.review);
        if !start.is_empty() && !end.is_empty() && end < start {
            errors.add("end", "err.end_before_start");
        }
        let legal_basis = optional_text(&mut errors, "legal_basis", &input.legal_basis, 2000);
        let purpose = optional_text(&mut errors, "purpose", &input.purpose, 2000);
        let data_categories = optional_text(&mut errors, "data_categories", &input.data_categories, 2000);
        let retention = optional_text(&mut errors, "retention", &input.retention, 500);
        let body = optional_id(&mut errors, "body", &input.body);
        let mut parties: Vec<Party> = Vec::new();
        for p in &input.parties {
            if parties.iter().any(|q| q.partner_id == p.partner_id) {
                continue;
            }
            let data_role = match p.data_role.trim() {
                "" => None,
                code => {
                    let role = DataRole::from_code(code);
                    if role.is_none() {
                        errors.add("parties", "err.choice");
                    }
                    role
                }
            };
            let contribution = optional_text(&mut errors, "parties", &p.contribution, 2000);
            let responsibility = optional_text(&mut errors, "parties", &p.responsibility, 2000);
            parties.push(Party { partner_id: p.partner_id, contribution, responsibility, data_role });
        }
        if kind == Some(AgreementKind::Gegevensdeling) {
            // The guide: agree beforehand which data are needed and who is responsible for them.
            for (field, value) in [("legal_basis", &legal_basis), ("purpose", &purpose), ("data_categories", &data_categories), ("retention", &retention)] {
                if value.is_empty() {
                    errors.add(field, "err.required_for_data_sharing");
                }
            }
            if !parties.iter().any(|p| p.data_role == Some(DataRole::Verantwoordelijke)) {
                errors.add("parties", "err.controller_needed");
            }
        }
        match (kind, status) {
            (Some(kind), Some(status)) => errors.or(AgreementContent {
                title,
                text,
                kind,
                status,
                mandate,
                start,
                end,
                review,
                legal_basis,
                purpose,
                data_categories,
                retention,
                parties,
                body,
            }),
            _ => Err(errors),
        }
    }

    /// Whether the review date has come (on or before `today`, YYYY-MM-DD) for a living agreement.
    pub fn review_due(&self, today: &str) -> bool {
        !self.review.is_empty() && self.review.as_str() <= today && self.status != AgreementStatus::Beeindigd
    }
}

/// One line of a text comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Same(String),
    Removed(String),
    Added(String),
}

/// A line-by-line comparison (longest common subsequence), as people read a tracked change.
pub fn diff_lines(before: &str, after: &str) -> Vec<Line> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(Line::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(Line::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(Line::Added(b[j].to_string()));
            j += 1;
        }
    }
    out
}

/// The fields (other than the text) that differ between two versions: (field, before, after).
pub fn changed_fields(a: &AgreementContent, b: &AgreementContent) -> Vec<(&'static str, String, String)> {
    let pairs: [(&'static str, String, String); 11] = [
        ("title", a.title.clone(), b.title.clone()),
        ("kind", a.kind.code().into(), b.kind.code().into()),
        ("status", a.status.code().into(), b.status.code().into()),
        ("mandate", a.mandate.clone(), b.mandate.clone()),
        ("start", a.start.clone(), b.start.clone()),
        ("end", a.end.clone(), b.end.clone()),
        ("review", a.review.clone(), b.review.clone()),
        ("legal_basis", a.legal_basis.clone(), b.legal_basis.clone()),
        ("purpose", a.purpose.clone(), b.purpose.clone()),
        ("data_categories", a.data_categories.clone(), b.data_categories.clone()),
        ("retention", a.retention.clone(), b.retention.clone()),
    ];
    let mut changed: Vec<_> = pairs.into_iter().filter(|(_, x, y)| x != y).collect();
    if a.body != b.body {
        let id = |c: &AgreementContent| c.body.map(|b| b.to_string()).unwrap_or_default();
        changed.push(("body", id(a), id(b)));
    }
    if a.parties != b.parties {
        let list = |c: &AgreementContent| c.parties.iter().map(|p| p.partner_id.to_string()).collect::<Vec<_>>().join(", ");
        changed.push(("parties", list(a), list(b)));
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AgreementInput {
        AgreementInput {
            title: "Convenant pedagogische basis".into(),
            text: "Artikel 1\nWe werken samen.\nArtikel 2".into(),
            kind: "samenwerkingsovereenkomst".into(),
            review: "2026-06-30".into(),
            parties: vec![PartyInput { partner_id: 1, contribution: "Een trekker".into(), ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn dates_are_checked_and_the_end_follows_the_start() {
        let bad = AgreementInput { start: "2026-05-01".into(), end: "2026-01-01".into(), ..input() };
        assert_eq!(AgreementContent::parse(&bad).expect_err("invalid").for_field("end"), Some("err.end_before_start"));
    }

    #[test]
    fn data_sharing_needs_its_avg_facts_and_a_controller() {
        let sharing = AgreementInput { kind: "gegevensdeling".into(), ..input() };
        let err = AgreementContent::parse(&sharing).expect_err("invalid");
        let fields: Vec<_> = err.errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["legal_basis", "purpose", "data_categories", "retention", "parties"]);
        let complete = AgreementInput {
            legal_basis: "Publieke taak (art. 6 lid 1 sub e AVG)".into(),
            purpose: "Monitoren van de afspraken".into(),
            data_categories: "Geaggregeerde aantallen per wijk".into(),
            retention: "5 jaar".into(),
            parties: vec![PartyInput { partner_id: 1, data_role: "verwerkingsverantwoordelijke".into(), ..Default::default() }],
            ..sharing
        };
        assert!(AgreementContent::parse(&complete).is_ok());
    }

    #[test]
    fn review_is_due_on_the_date_unless_ended() {
        let mut c = AgreementContent::parse(&input()).expect("valid");
        assert!(!c.review_due("2026-06-29") && c.review_due("2026-06-30"));
        c.status = AgreementStatus::Beeindigd;
        assert!(!c.review_due("2027-01-01"));
    }

    #[test]
    fn the_diff_shows_removed_and_added_lines_and_changed_fields() {
        let diff = diff_lines("a\nb\nc", "a\nB\nc\nd");
        assert_eq!(diff, [Line::Same("a".into()), Line::Removed("b".into()), Line::Added("B".into()), Line::Same("c".into()), Line::Added("d".into())]);
        let a = AgreementContent::parse(&input()).expect("valid");
        let b = AgreementContent { status: AgreementStatus::Vastgesteld, ..a.clone() };
        assert_eq!(changed_fields(&a, &b), [("status", "concept".to_string(), "vastgesteld".to_string())]);
    }

    #[test]
    fn only_a_status_change_keeps_the_same_terms() {
        let a = AgreementContent::parse(&input()).expect("valid");
        assert!(a.same_terms(&AgreementContent { status: AgreementStatus::Vastgesteld, ..a.clone() }));
        assert!(!a.same_terms(&AgreementContent { text: format!("{} En meer.", a.text), ..a.clone() }));
        assert!(!a.same_terms(&AgreementContent { review: "2031-01-01".into(), status: AgreementStatus::Herzien, ..a.clone() }));
    }
}
