//! The execution programme: ambitions with their goals and activities on one page, forms for
//! each, an activity's page with its status, progress notes and agreements, and a timeline
//! (our own SVG with the same facts as a table). Activities past their end date that are not
//! finished or stopped are flagged "over tijd", computed from today's date.

use super::{Form, Page, PageResult, collaboration_access, form_page, render};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::collaboration::Collaboration;
use domain::programme::ActivityContent;
use store::StoreError;
use store::programme::{Activity, Goal};

mod activity;
mod forms;
mod timeline;

use activity::{add_note, change_status, show};
use forms::{create_activity, create_ambition, create_goal, edit_activity, edit_ambition, edit_goal, new_activity, new_ambition, new_goal};
use forms::{update_activity, update_ambition, update_goal};
use timeline::timeline_page;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/programma", overview)
        .get("/samenwerkingen/{id}/programma/tijdlijn", timeline_page)
        .get("/samenwerkingen/{id}/programma/ambities/nieuw", new_ambition)
        .post("/samenwerkingen/{id}/programma/ambities", create_ambition)
        .get("/samenwerkingen/{id}/programma/ambities/{ambition}/bewerken", edit_ambition)
        .post("/samenwerkingen/{id}/programma/ambities/{ambition}/bewerken", update_ambition)
        .get("/samenwerkingen/{id}/programma/ambities/{ambition}/doelen/nieuw", new_goal)
        .post("/samenwerkingen/{id}/programma/ambities/{ambition}/doelen", create_goal)
        .get("/samenwerkingen/{id}/programma/doelen/{goal}/bewerken", edit_goal)
        .post("/samenwerkingen/{id}/programma/doelen/{goal}/bewerken", update_goal)
        .get("/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten/nieuw", new_activity)
        .post("/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten", create_activity)
        .get("/samenwerkingen/{id}/programma/activiteiten/{activity}", show)
        .get("/samenwerkingen/{id}/programma/activiteiten/{activity}/bewerken", edit_activity)
        .post("/samenwerkingen/{id}/programma/activiteiten/{activity}/bewerken", update_activity)
        .post("/samenwerkingen/{id}/programma/activiteiten/{activity}/status", change_status)
        .post("/samenwerkingen/{id}/programma/activiteiten/{activity}/voortgang", add_note)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/programma")
}

async fn frame(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, action: Action, title: &str) -> Result<(Collaboration, Role, Page), AppError> {
    let (c, role) = collaboration_access(state, &visitor.user, id, action).await?;
    let page = Page::new(lang, title).user(&visitor.user).in_collab(&c, role, "programme");
    Ok((c, role, page))
}

/// A refused post: the form again with its errors (400), a stale version (409), or a
/// reference outside the collaboration (400).
fn refused(page: &Page, view: Form, err: StoreError) -> PageResult {
    match err {
        StoreError::Conflict(_) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        StoreError::Reference(field) => {
            Ok(form_page(page, &view.errors(page, Some(&domain::Invalid::single(field, "err.not_in_collaboration"))), StatusCode::BAD_REQUEST))
        }
        other => Err(other.into()),
    }
}

fn invalid(page: &Page, view: Form, invalid: &domain::Invalid) -> PageResult {
    Ok(form_page(page, &view.errors(page, Some(invalid)), StatusCode::BAD_REQUEST))
}

/// A person's name, or a dash.
fn person_name(people: &[domain::person::Person], id: Option<i64>) -> String {
    id.and_then(|id| people.iter().find(|p| p.id.0 == id)).map(|p| p.name.clone()).unwrap_or_else(|| "—".into())
}

// ---- the programme ----

pub struct ActivityRow {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub status: String,
    pub trekker: String,
    pub overdue: bool,
}

pub struct GoalView {
    pub id: i64,
    pub title: String,
    pub measure: String,
    pub target: String,
    pub activities: Vec<ActivityRow>,
    /// The goal's indicators from the three perspectives, as HTML (empty without indicators).
    pub perspectives: String,
}

pub struct AmbitionView {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub goals: Vec<GoalView>,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct OverviewTemplate<'a> {
    page: &'a Page,
    id: i64,
    ambitions: Vec<AmbitionView>,
    overdue: Vec<(i64, String, String)>,
    can_edit: bool,
}

fn period(lang: Lang, a: &ActivityContent) -> String {
    format!("{} – {}", lang.date(&a.starts), lang.date(&a.ends))
}

async fn overview(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Read, "programme.title").await?;
    let (ambitions, goals, activities, people) =
        (state.db.ambitions(c.id).await?, state.db.goals(c.id).await?, state.db.activities(c.id).await?, state.db.people(c.id).await?);
    let today = crate::today();
    let row = |a: &Activity| ActivityRow {
        id: a.id,
        title: a.content.title.clone(),
        period: period(lang, &a.content),
        status: lang.label("activitystatus", a.content.status.code()),
        trekker: person_name(&people, a.content.trekker),
        overdue: a.content.overdue(&today),
    };
    let indicators = state.indicators(c.id).await?;
    let mut perspectives = std::collections::HashMap::new();
    for g in &goals {
        perspectives.insert(g.id, super::perspective::render_for_goal(&state, lang, c.id, g.id, &g.content.title, &indicators).await?);
    }
    let goal_view = |g: &Goal| GoalView {
        perspectives: perspectives.get(&g.id).cloned().unwrap_or_default(),
        id: g.id,
        title: g.content.title.clone(),
        measure: g.content.measure.clone(),
        target: if g.content.target_date.is_empty() { String::new() } else { lang.date(&g.content.target_date) },
        activities: activities.iter().filter(|a| a.goal_id == g.id).map(row).collect(),
    };
    let ambitions = ambitions
        .iter()
        .map(|a| AmbitionView {
            id: a.id,
            title: a.content.title.clone(),
            description: a.content.description.clone(),
            goals: goals.iter().filter(|g| g.ambition_id == a.id).map(goal_view).collect(),
        })
        .collect();
    let overdue = activities.iter().filter(|a| a.content.overdue(&today)).map(|a| (a.id, a.content.title.clone(), lang.date(&a.content.ends))).collect();
    Ok(render(&OverviewTemplate { page: &page, id, ambitions, overdue, can_edit: role.allows(Action::Edit) }))
}
