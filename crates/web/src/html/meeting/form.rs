//! The meeting's edit form: agenda, attendance and minutes as parallel repeated fields, saved
//! with a version check.

use super::{base, expected};
use crate::AppState;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, choices, collaboration_access, render, see_other, with_empty};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::meeting::{AgendaItemInput, AttendanceInput, MeetingContent, MeetingInput, MeetingStatus, Outcome, Presence};
use store::StoreError;

/// The edit form as posted: the agenda and attendance come as parallel repeated fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MeetingForm {
    body: String,
    date: String,
    time: String,
    minutes: String,
    place: String,
    status: String,
    notes: String,
    item_title: Vec<String>,
    item_outcome: Vec<String>,
    item_minutes: Vec<String>,
    item_note: Vec<String>,
    item_agreement: Vec<String>,
    item_indicator: Vec<String>,
    item_result: Vec<String>,
    att_person: Vec<String>,
    att_presence: Vec<String>,
    att_substitute: Vec<String>,
}

fn nth(list: &[String], i: usize) -> String {
    list.get(i).cloned().unwrap_or_default()
}

impl MeetingForm {
    fn input(self) -> MeetingInput {
        let items = (0..self.item_title.len())
            .map(|i| AgendaItemInput {
                title: nth(&self.item_title, i),
                outcome: nth(&self.item_outcome, i),
                minutes: nth(&self.item_minutes, i),
                note: nth(&self.item_note, i),
                agreement: nth(&self.item_agreement, i),
                indicator: nth(&self.item_indicator, i),
                result: nth(&self.item_result, i),
            })
            .collect();
        let attendance = (0..self.att_person.len())
            .map(|i| AttendanceInput { person: nth(&self.att_person, i), presence: nth(&self.att_presence, i), substitute: nth(&self.att_substitute, i) })
            .collect();
        MeetingInput {
            body: self.body,
            date: self.date,
            time: self.time,
            minutes: self.minutes,
            place: self.place,
            status: self.status,
            notes: self.notes,
            items,
            attendance,
        }
    }
}

fn input_of(m: &MeetingContent) -> MeetingInput {
    let n = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let id = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    MeetingInput {
        body: id(m.body),
        date: m.date.clone(),
        time: m.time.clone(),
        minutes: n(m.minutes),
        place: m.place.clone(),
        status: m.status.code().into(),
        notes: m.notes.clone(),
        items: m
            .items
            .iter()
            .map(|i| AgendaItemInput {
                title: i.title.clone(),
                outcome: i.outcome.code().into(),
                minutes: n(i.minutes),
                note: i.note.clone(),
                agreement: id(i.agreement),
                indicator: id(i.indicator),
                result: i.result.clone(),
            })
            .collect(),
        attendance: m
            .attendance
            .iter()
            .map(|a| AttendanceInput { person: a.person.to_string(), presence: a.presence.code().into(), substitute: a.substitute.clone() })
            .collect(),
    }
}

/// One agenda row of the edit form; `n` numbers the ids.
pub struct ItemRow {
    pub n: usize,
    pub item: AgendaItemInput,
}

/// One person's attendance row of the edit form.
pub struct AttendanceRow {
    pub n: usize,
    pub person: i64,
    pub name: String,
    pub presence: String,
    pub substitute: String,
}

#[derive(Template)]
#[template(path = "meeting_form.html")]
struct EditTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
    items: Vec<ItemRow>,
    attendance: Vec<AttendanceRow>,
    outcomes: Vec<(String, String)>,
    agreements: Vec<(String, String)>,
    indicators: Vec<(String, String)>,
    presences: Vec<(String, String)>,
    notes: String,
}

/// Blank agenda rows offered below the existing ones, to add items without script.
const BLANK_ROWS: usize = 3;

/// The edit page; `form` carries the action, version and way back.
async fn edit_response(state: &AppState, page: &Page, c: &Collaboration, input: &MeetingInput, form: Form, status: StatusCode) -> PageResult {
    let bodies = state.db.bodies(c.id).await?;
    let people = state.db.people(c.id).await?;
    let agreements = state.db.agreements(c.id).await?;
    let indicators = state.indicators(c.id).await?;
    let form = form
        .intro(page.t("meetings.edit_intro"))
        .select(
            "body",
            page.t("field.body"),
            with_empty(page.t("meetings.no_body"), bodies.iter().map(|b| (b.id.to_string(), b.content.name.clone())).collect()),
            &input.body,
            false,
        )
        .date(page, "date", page.t("field.date"), &input.date, true)
        .time(page, "time", page.t("field.time"), &input.time, false)
        .number("minutes", page.t("field.minutes"), &input.minutes, false)
        .text("place", page.t("field.place"), &input.place, false)
        .select("status", page.t("field.status"), choices(page, "meetingstatus", MeetingStatus::ALL, MeetingStatus::code), &input.status, true);
    let mut items: Vec<ItemRow> = input.items.iter().cloned().enumerate().map(|(n, item)| ItemRow { n, item }).collect();
    let start = items.len();
    items.extend((0..BLANK_ROWS).map(|k| ItemRow { n: start + k, item: AgendaItemInput::default() }));
    let content = MeetingContent::parse(input).ok();
    let body = input.body.parse::<i64>().ok().and_then(|b| bodies.iter().find(|x| x.id == b));
    let listed = content.unwrap_or_else(|| MeetingContent {
        attendance: input
            .attendance
            .iter()
            .filter_map(|a| a.person.parse().ok())
            .map(|person| domain::meeting::Attendance { person, presence: Presence::Aanwezig, substitute: String::new() })
            .collect(),
        ..MeetingContent::parse(&MeetingInput { date: "2000-01-01".into(), ..Default::default() }).expect("a bare meeting parses")
    });
    let attendance = expected(&people, body, &listed)
        .into_iter()
        .enumerate()
        .map(|(n, p)| {
            let row = input.attendance.iter().find(|a| a.person == p.id.0.to_string());
            AttendanceRow {
                n,
                person: p.id.0,
                name: p.name.clone(),
                presence: row.map(|a| a.presence.clone()).unwrap_or_default(),
                substitute: row.map(|a| a.substitute.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let mut response = render(&EditTemplate {
        page,
        form: &form,
        items,
        attendance,
        outcomes: choices(page, "outcome", Outcome::ALL, Outcome::code),
        agreements: with_empty(page.t("meetings.no_agreement"), agreements.iter().map(|a| (a.id.to_string(), a.content.title.clone())).collect()),
        indicators: with_empty(
            page.t("meetings.no_indicator"),
            indicators.iter().map(|i| (i.id.to_string(), format!("{} {}", i.content.code, i.content.name))).collect(),
        ),
        presences: with_empty(page.t("meetings.presence_unknown"), choices(page, "presence", Presence::ALL, Presence::code)),
        notes: input.notes.clone(),
    });
    *response.status_mut() = status;
    Ok(response)
}

fn edit_frame(page: &Page, id: i64, meeting: i64, version: i64) -> Form {
    Form::new(format!("{}/{meeting}/bewerken", base(id)), page.t("form.save")).hidden("version", version).cancel(format!("{}/{meeting}", base(id)))
}

pub(super) async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, meeting)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let m = state.db.meeting(c.id, meeting).await?;
    let page = Page::new(lang, "meetings.edit").user(&visitor.user).in_collab(&c, role, "meetings");
    edit_response(&state, &page, &c, &input_of(&m.content), edit_frame(&page, id, meeting, m.version), StatusCode::OK).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, meeting)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "meetings.edit").user(&visitor.user).in_collab(&c, role, "meetings");
    let (input, version) = (body.parse::<MeetingForm>()?.input(), body.version()?);
    let form = edit_frame(&page, id, meeting, version);
    let refuse = |form: Form, invalid: &domain::Invalid| form.errors(&page, Some(invalid));
    let content = match MeetingContent::parse(&input) {
        Ok(content) => content,
        Err(invalid) => return edit_response(&state, &page, &c, &input, refuse(form, &invalid), StatusCode::BAD_REQUEST).await,
    };
    match state.db.update_meeting(&actor(&visitor, origin), c.id, meeting, version, &content).await {
        Ok(_) => Ok(see_other(&format!("{}/{meeting}", base(id)))),
        Err(StoreError::Conflict(_)) => edit_response(&state, &page, &c, &input, form.message(page.t("error.stale")), StatusCode::CONFLICT).await,
        Err(StoreError::Reference(field)) => {
            let invalid = domain::Invalid::single(field, "err.not_in_collaboration");
            edit_response(&state, &page, &c, &input, refuse(form, &invalid), StatusCode::BAD_REQUEST).await
        }
        Err(other) => Err(other.into()),
    }
}
