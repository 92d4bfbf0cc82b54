//! Case reviews (casusbesprekingen): the reviews per body for those who take part in them, a
//! form that lists what in the lesson might identify a child and saves only after the writer
//! confirms it does not, and the results per period — shares, median days and what stood in
//! the way — with every small group secret, as a chart and a table. From the results a share
//! becomes a draft measurement of an indicator; a learning cycle shows its period's figures.
//!
//! Who sees what: writing needs Edit and removing needs Manage, as everywhere. The individual
//! reviews are shown to Edit only: they name no child, but a few of them with their dates and
//! age bands could still be recognised by someone who knows the area. A lezer reads the
//! results, where that cannot happen.

use super::{Page, PageResult, collaboration_access, render};
use crate::AppState;
use crate::i18n::Lang;
use crate::indicator::shown;
use crate::routes::Routes;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::case_review::Finding;
use domain::measure::Published;

mod form;
mod results;

pub use results::{CycleCheck, cycle_check};
mod handoff;

use form::{create, delete, delete_form, edit_form, new_form, update};
use handoff::to_measurement;
use results::{results, set_minimum};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/casusbesprekingen", list)
        .get("/samenwerkingen/{id}/casusbesprekingen/nieuw", new_form)
        .post("/samenwerkingen/{id}/casusbesprekingen", create)
        .get("/samenwerkingen/{id}/casusbesprekingen/resultaten", results)
        .post("/samenwerkingen/{id}/casusbesprekingen/meting", to_measurement)
        .post("/samenwerkingen/{id}/casusbesprekingen/minimum", set_minimum)
        .get("/samenwerkingen/{id}/casusbesprekingen/{review}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/casusbesprekingen/{review}/bewerken", update)
        .get("/samenwerkingen/{id}/casusbesprekingen/{review}/verwijderen", delete_form)
        .post("/samenwerkingen/{id}/casusbesprekingen/{review}/verwijderen", delete)
}

pub(super) fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/casusbesprekingen")
}

/// The findings of a lesson as the page lists them: what kind, and the words.
pub(super) fn listed(lang: &Lang, findings: &[Finding]) -> Vec<(String, String)> {
    findings.iter().map(|f| (lang.label("clue", f.clue.code()), f.text.clone())).collect()
}

/// A percentage as it may be shown.
pub fn percent(lang: &Lang, p: Published) -> String {
    match p {
        Published::Value(_) => format!("{}%", shown(lang, p)),
        _ => shown(lang, p),
    }
}

/// One review in the list.
pub struct ReviewRow {
    pub id: i64,
    pub date: String,
    pub age_band: String,
    pub domains: String,
    pub offer: String,
    pub days: String,
    pub barrier: String,
    pub lesson: String,
}

/// The reviews of one body.
pub struct BodyGroup {
    pub anchor: String,
    pub name: String,
    pub new_href: String,
    pub rows: Vec<ReviewRow>,
}

#[derive(Template)]
#[template(path = "case_reviews.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    groups: Vec<BodyGroup>,
    has_bodies: bool,
    can_manage: bool,
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.title").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let bodies = state.db.bodies(c.id).await?;
    let stored = state.db.case_reviews(c.id).await?;
    let row = |s: &store::case_review::StoredReview| {
        let r = &s.review;
        ReviewRow {
            id: s.id,
            date: lang.date(&r.date),
            age_band: lang.label("ageband", r.age_band.code()),
            domains: r.domains.iter().map(|d| lang.label("casedomain", d.code())).collect::<Vec<_>>().join(", "),
            offer: lang.label("offer", r.offer.code()),
            days: r.days.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            barrier: r.barrier.map(|b| lang.label("barrier", b.code())).unwrap_or_else(|| "—".into()),
            lesson: r.lesson.clone(),
        }
    };
    // Every body with reviews, and the MDOs that have none yet; then reviews of removed bodies.
    let mut groups: Vec<BodyGroup> = bodies
        .iter()
        .filter_map(|b| {
            let rows: Vec<ReviewRow> = stored.iter().filter(|s| s.review.body == Some(b.id)).map(row).collect();
            (!rows.is_empty() || b.content.kind == domain::body::BodyKind::Mdo).then(|| BodyGroup {
                anchor: format!("overleg-{}", b.id),
                name: b.content.name.clone(),
                new_href: format!("{}/nieuw?overleg={}", base(id), b.id),
                rows,
            })
        })
        .collect();
    let loose: Vec<ReviewRow> = stored.iter().filter(|s| !s.review.body.is_some_and(|b| bodies.iter().any(|x| x.id == b))).map(row).collect();
    if !loose.is_empty() {
        groups.push(BodyGroup { anchor: "overleg-verwijderd".into(), name: lang.t("case_reviews.body_removed").into(), new_href: String::new(), rows: loose });
    }
    Ok(render(&ListTemplate { page: &page, id, groups, has_bodies: !bodies.is_empty(), can_manage: role.allows(Action::Manage) }))
}
