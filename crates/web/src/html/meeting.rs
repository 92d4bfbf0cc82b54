//! Meetings: planned one at a time or as a series at the body's rhythm, from an agenda
//! template; agenda items that end in information, a decision or an action (pointing at an
//! agreement), attendance with substitutes and a flag for three absences in a row, minutes,
//! action points with "mijn actiepunten" across collaborations, and calendar files.

use super::{Form, Kept, Page, PageResult, choices, collaboration_access, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::indicator::shown;
use crate::meeting::plan_meetings;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::meeting::{
    ActionPoint, ActionPointInput, ActionStatus, AgendaItemInput, AttendanceInput, Event, MeetingContent, MeetingInput, MeetingStatus, Outcome, PlanInput,
    Presence, absent_in_a_row, ics, templates,
};
use domain::person::Person;
use std::collections::HashMap;
use store::StoreError;
use store::body::Body;
use store::meeting::{ActionPointRow, Meeting};

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

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/vergaderingen")
}

fn body_name(bodies: &[Body], id: Option<i64>) -> String {
    id.and_then(|id| bodies.iter().find(|b| b.id == id)).map(|b| b.content.name.clone()).unwrap_or_else(|| "—".into())
}

/// A meeting's title where it has no other: its body and date.
fn meeting_title(lang: &Lang, bodies: &[Body], m: &MeetingContent) -> String {
    format!("{} {}", body_name(bodies, m.body), lang.date(&m.date))
}

/// The people expected at a body's meetings: those of the partners at its table (everyone,
/// when no partner is named), plus whoever is already on the meeting's list.
fn expected<'a>(people: &'a [Person], body: Option<&Body>, meeting: &MeetingContent) -> Vec<&'a Person> {
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
fn absences(meetings: &[Meeting], body: Option<i64>) -> Vec<i64> {
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

// ---- planning ----

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PlanQuery {
    overleg: String,
}

async fn plan_view(state: &AppState, page: &Page, c: &Collaboration, input: &PlanInput) -> Result<Form, AppError> {
    let bodies = state.db.bodies(c.id).await?;
    let english = page.lang == Lang::En;
    let body_choices = with_empty(page.t("meetings.no_body"), bodies.iter().map(|b| (b.id.to_string(), b.content.name.clone())).collect());
    let template_choices = templates().iter().map(|t| (t.key.clone(), t.name.get(english).to_string())).collect();
    let template_hint = templates().iter().map(|t| format!("{}: {}", t.name.get(english), t.intro.get(english))).collect::<Vec<_>>().join(" ");
    Ok(Form::new(base(c.id.0), page.t("meetings.plan"))
        .intro(page.t("meetings.plan_intro"))
        .select("body", page.t("field.body"), body_choices, &input.body, false)
        .select("template", page.t("field.template"), template_choices, if input.template.is_empty() { "leeg" } else { &input.template }, true)
        .hint(&template_hint)
        .date(page, "date", page.t("field.date"), &input.date, true)
        .time(page, "time", page.t("field.time"), &input.time, false)
        .number("minutes", page.t("field.minutes"), &input.minutes, false)
        .text("place", page.t("field.place"), &input.place, false)
        .number("count", page.t("field.count"), if input.count.is_empty() { "1" } else { &input.count }, false)
        .hint(page.t("meetings.count_hint"))
        .cancel(base(c.id.0)))
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<PlanQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "meetings.plan").user(&visitor.user).in_collab(&c, role, "meetings");
    let bodies = state.db.bodies(c.id).await?;
    // Prefill from the chosen body: its duration, and the template that fits its kind.
    let body = bodies.iter().find(|b| b.id.to_string() == q.overleg);
    let template = match body.map(|b| b.content.kind) {
        Some(domain::body::BodyKind::LeaBestuurlijk) => "lea_bestuurlijk",
        Some(domain::body::BodyKind::Oogo) => "oogo_bestuurlijk",
        Some(domain::body::BodyKind::Werkgroep) => "lea_werkgroep",
        _ => "leeg",
    };
    let input = PlanInput {
        body: body.map(|b| b.id.to_string()).unwrap_or_default(),
        template: template.into(),
        minutes: body.and_then(|b| b.content.minutes).map(|m| m.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    Ok(form_page(&page, &plan_view(&state, &page, &c, &input).await?, StatusCode::OK))
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "meetings.plan").user(&visitor.user).in_collab(&c, role, "meetings");
    let input: PlanInput = body.parse()?;
    let view = plan_view(&state, &page, &c, &input).await?;
    let planned = match plan_meetings(&state, &c, lang, &input).await {
        Ok(planned) => planned,
        Err(AppError::Invalid(invalid)) => return Ok(form_page(&page, &view.errors(&page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        Err(other) => return Err(other.into()),
    };
    match state.db.create_meetings(&actor(&visitor, origin), c.id, &planned).await {
        Ok(created) => Ok(see_other(&format!("{}/{}", base(id), created.first().map(|m| m.id).unwrap_or_default()))),
        Err(StoreError::Reference(field)) => {
            Ok(form_page(&page, &view.errors(&page, Some(&domain::Invalid::single(field, "err.not_in_collaboration"))), StatusCode::BAD_REQUEST))
        }
        Err(other) => Err(other.into()),
    }
}

// ---- one meeting ----

pub struct ItemView {
    pub title: String,
    pub outcome: String,
    pub outcome_code: &'static str,
    pub minutes: String,
    pub note: String,
    pub result: String,
    pub agreement: Option<(i64, String)>,
    /// A decision or action about an agreement can change it from here.
    pub changes_agreement: bool,
    /// The indicator card the item discusses.
    pub card: Option<IndicatorCard>,
}

/// An indicator as an agenda item shows it: its latest published figures against target.
pub struct IndicatorCard {
    pub id: i64,
    pub name: String,
    pub perspective: String,
    /// The latest periods with an approved figure: period, figure, target, on or off track.
    pub periods: Vec<(String, String, String, String)>,
}

/// The card of `indicator` with its last three approved periods, published by its rules.
async fn indicator_card(state: &AppState, lang: &Lang, c: &Collaboration, indicator: i64) -> Result<Option<IndicatorCard>, AppError> {
    let i = match state.indicator(c.id, indicator).await {
        Ok(i) => i,
        Err(store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let k = &i.content;
    let totals = crate::indicator::published_totals(state, c.id, indicator).await?;
    let periods = totals[totals.len().saturating_sub(3)..]
        .iter()
        .map(|(period, published)| {
            let published = *published;
            let target = k.target(period).map(|t| shown(lang, domain::measure::Published::Value(t))).unwrap_or_else(|| "—".into());
            let on_track = match published {
                domain::measure::Published::Value(v) => {
                    k.on_track(period, v).map(|on| lang.t(if on { "indicators.on_track" } else { "indicators.off_track" }).to_string()).unwrap_or_default()
                }
                _ => String::new(),
            };
            (period.clone(), shown(lang, published), target, on_track)
        })
        .collect();
    Ok(Some(IndicatorCard { id: i.id, name: format!("{} {}", k.code, k.name), perspective: lang.label("perspective", k.perspective.code()), periods }))
}

pub struct AttendanceView {
    pub name: String,
    pub partner: String,
    pub presence: String,
    pub substitute: String,
    pub flagged: bool,
}

pub struct ActionView {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub overdue: bool,
    pub status: &'static str,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct ShowTemplate<'a> {
    page: &'a Page,
    id: i64,
    meeting: i64,
    body: String,
    date: String,
    m: &'a MeetingContent,
    status: String,
    items: Vec<ItemView>,
    reviews: Vec<(i64, String, String)>,
    attendance: Vec<AttendanceView>,
    actions: Vec<ActionView>,
    statuses: Vec<(String, String)>,
    owners: Vec<(String, String)>,
    can_edit: bool,
    can_manage: bool,
    /// An action-point form as it was refused, if one was.
    kept: Kept,
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, meeting)): Path<(i64, i64)>) -> PageResult {
    meeting_view(&state, lang, &visitor, id, meeting, Kept::default()).await
}

/// A meeting's page, with an action-point form as it was refused when `kept` holds one (then 400).
async fn meeting_view(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, meeting: i64, kept: Kept) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let m = state.db.meeting(c.id, meeting).await?;
    let (bodies, agreements, people, partners) =
        (state.db.bodies(c.id).await?, state.db.agreements(c.id).await?, state.db.people(c.id).await?, state.db.partners(c.id).await?);
    let members = state.db.members(c.id).await?;
    let mut page = Page::new(lang, "meetings.title").user(&visitor.user).in_collab(&c, role, "meetings");
    page.title = meeting_title(&lang, &bodies, &m.content);
    let can_edit = role.allows(Action::Edit);
    let mut items = Vec::new();
    for i in &m.content.items {
        let card = match i.indicator {
            Some(indicator) => indicator_card(state, &lang, &c, indicator).await?,
            None => None,
        };
        let agreement = i.agreement.and_then(|a| agreements.iter().find(|x| x.id == a)).map(|a| (a.id, a.content.title.clone()));
        items.push(ItemView {
            title: i.title.clone(),
            outcome: lang.label("outcome", i.outcome.code()),
            outcome_code: i.outcome.code(),
            minutes: i.minutes.map(|n| format!("{n} min")).unwrap_or_default(),
            note: i.note.clone(),
            result: i.result.clone(),
            changes_agreement: can_edit && agreement.is_some() && i.outcome != Outcome::Informatie,
            agreement,
            card,
        });
    }
    // Reviews due by the meeting's date of agreements the body owns, not yet on the agenda.
    let on_agenda: Vec<i64> = m.content.agreements().collect();
    let reviews = agreements
        .iter()
        .filter(|a| m.content.body.is_some() && a.content.body == m.content.body && a.content.review_due(&m.content.date) && !on_agenda.contains(&a.id))
        .map(|a| (a.id, a.content.title.clone(), lang.date(&a.content.review)))
        .collect();
    let all_meetings = state.db.meetings(c.id).await?;
    let flagged = absences(&all_meetings, m.content.body);
    let body = m.content.body.and_then(|b| bodies.iter().find(|x| x.id == b));
    let attendance = expected(&people, body, &m.content)
        .into_iter()
        .map(|p| {
            let record = m.content.attendance.iter().find(|a| a.person == p.id.0);
            AttendanceView {
                name: p.name.clone(),
                partner: p.partner_id.and_then(|id| partners.iter().find(|x| x.id == id)).map(|x| x.name.clone()).unwrap_or_default(),
                presence: record.map(|a| lang.label("presence", a.presence.code())).unwrap_or_else(|| "—".into()),
                substitute: record.map(|a| a.substitute.clone()).unwrap_or_default(),
                flagged: flagged.contains(&p.id.0),
            }
        })
        .collect();
    let today = crate::today();
    let owner_name = |owner: Option<i64>| owner.and_then(|o| members.iter().find(|x| x.user_id == o)).map(|x| x.name.clone()).unwrap_or_else(|| "—".into());
    let actions = state
        .db
        .action_points(c.id, Some(meeting))
        .await?
        .into_iter()
        .map(|row| ActionView {
            id: row.id,
            version: row.version,
            owner: owner_name(row.point.owner),
            due: lang.date(&row.point.due),
            overdue: row.point.overdue(&today),
            status: row.point.status.code(),
            status_label: lang.label("actionstatus", row.point.status.code()),
            title: row.point.title,
        })
        .collect();
    let owners = with_empty(page.t("meetings.no_owner"), members.iter().map(|x| (x.user_id.to_string(), x.name.clone())).collect());
    let status = if kept.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut response = render(&ShowTemplate {
        id,
        meeting,
        body: body_name(&bodies, m.content.body),
        date: lang.date(&m.content.date),
        m: &m.content,
        status: lang.label("meetingstatus", m.content.status.code()),
        items,
        reviews,
        attendance,
        actions,
        statuses: choices(&page, "actionstatus", ActionStatus::ALL, ActionStatus::code),
        owners,
        can_edit,
        can_manage: role.allows(Action::Manage),
        page: &page,
        kept,
    });
    *response.status_mut() = status;
    Ok(response)
}

// ---- editing agenda, attendance and minutes ----

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

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, meeting)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let m = state.db.meeting(c.id, meeting).await?;
    let page = Page::new(lang, "meetings.edit").user(&visitor.user).in_collab(&c, role, "meetings");
    edit_response(&state, &page, &c, &input_of(&m.content), edit_frame(&page, id, meeting, m.version), StatusCode::OK).await
}

async fn update(
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

// ---- action points ----

async fn add_action(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, meeting)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    state.db.meeting(c.id, meeting).await?;
    let (input, control): (ActionPointInput, domain::Invalid) = body.parse_kept()?;
    let point = match control.before(ActionPoint::parse(&input)) {
        Ok(point) => point,
        Err(invalid) => {
            let kept = Kept::new(lang, "action", "f-action-", &body, &invalid, &[("title", "field.title"), ("owner", "field.owner"), ("due", "field.due")]);
            return meeting_view(&state, lang, &visitor, id, meeting, kept).await;
        }
    };
    state.db.create_action_point(&actor(&visitor, origin), c.id, meeting, &point).await?;
    Ok(see_other(&format!("{}/{meeting}#actiepunten", base(id))))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct StatusForm {
    status: String,
    version: i64,
    /// Where to go back to: the meeting, or "mijn actiepunten".
    terug: String,
}

async fn update_action(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, action)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let (form, control): (StatusForm, domain::Invalid) = body.parse_kept()?;
    let row = state.db.action_point(c.id, action).await?;
    if !row.point.may_change(visitor.user.id, role.allows(Action::Edit)) {
        return Err(AppError::Forbidden.into());
    }
    let Some(status) = ActionStatus::from_code(&form.status).filter(|_| control.errors.is_empty()) else {
        let invalid = control.before(Err::<(), _>(domain::Invalid::single("status", "err.choice"))).err().unwrap_or_default();
        let kept = Kept::new(lang, "action-status", "status-", &body, &invalid, &[("status", "field.status")]).with_id("status", status_id(action));
        return meeting_view(&state, lang, &visitor, id, row.meeting_id, kept).await;
    };
    let asked = ActionPoint { status, ..row.point.clone() };
    let changed = row.point.changed_by(asked, visitor.user.id, role.allows(Action::Edit)).ok_or(AppError::Forbidden)?;
    state.db.update_action_point(&actor(&visitor, origin), c.id, action, form.version, &changed).await?;
    let back = if form.terug == "mijn" { "/actiepunten".to_string() } else { format!("{}/{}#actiepunten", base(id), row.meeting_id) };
    Ok(see_other(&back))
}

/// The id of an action point's status field on the meeting's page.
fn status_id(action: i64) -> &'static str {
    crate::form::field_name(&format!("status-{action}"))
}

pub struct MyAction {
    pub collaboration: i64,
    pub collaboration_name: String,
    pub row: ActionPointRow,
    pub due: String,
    pub overdue: bool,
    pub status_label: String,
}

#[derive(Template)]
#[template(path = "my_actions.html")]
struct MineTemplate<'a> {
    page: &'a Page,
    actions: Vec<MyAction>,
    statuses: Vec<(String, String)>,
}

async fn mine(State(state): State<AppState>, lang: Lang, visitor: Visitor) -> PageResult {
    let page = Page::new(lang, "actions.title").user(&visitor.user);
    let names: HashMap<i64, String> = state.db.collaborations_of(visitor.user.id()).await?.into_iter().map(|(c, _)| (c.id.0, c.name)).collect();
    let today = crate::today();
    let actions = state
        .db
        .my_action_points(visitor.user.id)
        .await?
        .into_iter()
        .map(|row| MyAction {
            collaboration: row.collaboration_id,
            collaboration_name: names.get(&row.collaboration_id).cloned().unwrap_or_default(),
            due: lang.date(&row.point.due),
            overdue: row.point.overdue(&today),
            status_label: lang.label("actionstatus", row.point.status.code()),
            row,
        })
        .collect();
    Ok(render(&MineTemplate { statuses: choices(&page, "actionstatus", ActionStatus::ALL, ActionStatus::code), page: &page, actions }))
}

// ---- calendars ----

fn calendar_response(body: String, name: &str) -> Response {
    ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.ics\""))], body)
        .into_response()
}

fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", now.year(), u8::from(now.month()), now.day(), now.hour(), now.minute(), now.second())
}

fn events<'a>(lang: &Lang, c: &Collaboration, meetings: &'a [Meeting], titles: &'a [String]) -> Vec<Event<'a>> {
    meetings
        .iter()
        .zip(titles)
        .map(|(m, title)| Event {
            uid: format!("vergadering-{}-{}@reisgenoot", c.id.0, m.id),
            content: &m.content,
            summary: title,
            description: m
                .content
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| format!("{}. {} ({})", i + 1, item.title, lang.label("outcome", item.outcome.code())))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect()
}

async fn calendar(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let (meetings, bodies) = (state.db.meetings(c.id).await?, state.db.bodies(c.id).await?);
    let titles: Vec<String> = meetings.iter().map(|m| format!("{} – {}", body_name(&bodies, m.content.body), c.name)).collect();
    Ok(calendar_response(ics(&events(&lang, &c, &meetings, &titles), &stamp()), "vergaderingen"))
}

async fn meeting_calendar(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, meeting)): Path<(i64, i64)>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let (m, bodies) = (state.db.meeting(c.id, meeting).await?, state.db.bodies(c.id).await?);
    let titles = vec![format!("{} – {}", body_name(&bodies, m.content.body), c.name)];
    let meetings = [m];
    Ok(calendar_response(ics(&events(&lang, &c, &meetings, &titles), &stamp()), &format!("vergadering-{meeting}")))
}
