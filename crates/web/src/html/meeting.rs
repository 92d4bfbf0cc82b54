//! Meetings: planned one at a time or as a series at the body's rhythm, from an agenda
//! template; agenda items that end in information, a decision or an action (pointing at an
//! agreement), attendance with substitutes and a flag for three absences in a row, minutes,
//! action points with "mijn actiepunten" across collaborations, and calendar files.

use super::{Page, PageResult, collaboration_access, render};
use crate::AppState;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::meeting::{ActionStatus, MeetingContent, absent_in_a_row};
use domain::person::Person;
use store::body::Body;
use store::meeting::Meeting;

mod actions;
mod calendar;
mod card;
mod form;
mod plan;

use actions::{add_action, mine, update_action};
use calendar::{calendar, meeting_calendar};
use card::show;
use form::{edit_form, update};
use plan::{create, new_form};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/vergaderingen", list)
        .get("/samenwerkingen/{id}/vergaderingen.ics", calendar)
        .get("/samenwerkingen/{id}/vergaderingen/nieuw", new_form)
        .post("/samenwerkingen/{id}/vergaderingen", create)
        .get("/samenwerkingen/{id}/vergaderingen/{meeting}", show)
        .get("/samenwerkingen/{id}/vergaderingen/{meeting}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/vergaderingen/{meeting}/bewerken", update)
        .get("/samenwerkingen/{id}/vergaderingen/{meeting}/agenda.ics", meeting_calendar)
        .post("/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", add_action)
        .post("/samenwerkingen/{id}/actiepunten/{action}", update_action)
        .get("/actiepunten", mine)
}

/// Three absences in a row: the moment the guide asks members to address each other.
pub const ABSENCE_STREAK: usize = 3;

pub(super) fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/vergaderingen")
}

pub(super) fn body_name(bodies: &[Body], id: Option<i64>) -> String {
    id.and_then(|id| bodies.iter().find(|b| b.id == id)).map(|b| b.content.name.clone()).unwrap_or_else(|| "—".into())
}

/// A meeting's title where it has no other: its body and date.
pub(super) fn meeting_title(lang: &Lang, bodies: &[Body], m: &MeetingContent) -> String {
    format!("{} {}", body_name(bodies, m.body), lang.date(&m.date))
}

/// The people expected at a body's meetings: those of the partners at its table (everyone,
/// when no partner is named), plus whoever is already on the meeting's list.
pub(super) fn expected<'a>(people: &'a [Person], body: Option<&Body>, meeting: &MeetingContent) -> Vec<&'a Person> {
    let seats: &[i64] = body.map(|b| b.content.partners.as_slice()).unwrap_or(&[]);
    people
        .iter()
        .filter(|p| {
            let listed = meeting.attendance.iter().any(|a| a.person == p.id.0);
            let seated = !p.left && (seats.is_empty() || p.partner_id.is_some_and(|partner| seats.contains(&partner.0)));
            listed || seated
        })
        .collect()
}

/// People absent three times in a row from their body's held meetings, by body.
pub(super) fn absences(meetings: &[Meeting], body: Option<i64>) -> Vec<i64> {
    let of_body: Vec<&MeetingContent> = meetings.iter().filter(|m| m.content.body == body && body.is_some()).map(|m| &m.content).collect();
    absent_in_a_row(&of_body, ABSENCE_STREAK)
}

pub struct MeetingRow {
    pub id: i64,
    pub date: String,
    pub time: String,
    pub body: String,
    pub status: String,
    pub items: usize,
    pub open_actions: usize,
    pub past: bool,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    rows: Vec<MeetingRow>,
    absent: Vec<(String, String)>,
    can_edit: bool,
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "meetings.title").user(&visitor.user).in_collab(&c, role, "meetings");
    let (meetings, bodies, people, points) =
        (state.db.meetings(c.id).await?, state.db.bodies(c.id).await?, state.db.people(c.id).await?, state.db.action_points(c.id, None).await?);
    let today = crate::today();
    let rows = meetings
        .iter()
        .map(|m| MeetingRow {
            id: m.id,
            date: lang.date(&m.content.date),
            time: m.content.time.clone(),
            body: body_name(&bodies, m.content.body),
            status: lang.label("meetingstatus", m.content.status.code()),
            items: m.content.items.len(),
            open_actions: points.iter().filter(|p| p.meeting_id == m.id && p.point.status != ActionStatus::Gedaan).count(),
            past: m.content.date < today,
        })
        .collect();
    let mut absent = Vec::new();
    for b in &bodies {
        for person in absences(&meetings, Some(b.id)) {
            if let Some(p) = people.iter().find(|p| p.id.0 == person) {
                absent.push((p.name.clone(), b.content.name.clone()));
            }
        }
    }
    Ok(render(&ListTemplate { page: &page, id, rows, absent, can_edit: role.allows(Action::Edit) }))
}
