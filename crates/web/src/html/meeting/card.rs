//! One meeting: its agenda with the indicators it discusses, reviews due and funding that needs
//! attention in the agreements of its body, the attendance with the flag for three absences in
//! a row, the minutes and its action points.

use super::{absences, body_name, expected, meeting_title};
use crate::AppState;
use crate::error::AppError;
use crate::html::finance::attention_line;
use crate::html::{Kept, Page, PageResult, choices, collaboration_access, render, with_empty};
use crate::i18n::Lang;
use crate::indicator::shown;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::meeting::{ActionStatus, MeetingContent, Outcome};

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
    /// Running work whose funding, recorded in an agreement of this body, needs attention.
    funding: Vec<(i64, String, String)>,
    attendance: Vec<AttendanceView>,
    actions: Vec<ActionView>,
    statuses: Vec<(String, String)>,
    owners: Vec<(String, String)>,
    can_edit: bool,
    can_manage: bool,
    /// An action-point form as it was refused, if one was.
    kept: Kept,
}

pub(super) async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, meeting)): Path<(i64, i64)>) -> PageResult {
    meeting_view(&state, lang, &visitor, id, meeting, Kept::default()).await
}

/// A meeting's page, with an action-point form as it was refused when `kept` holds one (then 400).
pub(super) async fn meeting_view(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, meeting: i64, kept: Kept) -> PageResult {
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
    let funding = match m.content.body {
        Some(b) => crate::finance::agenda_attention(state, c.id, b, &crate::today()).await?.iter().map(|a| attention_line(lang, a)).collect(),
        None => Vec::new(),
    };
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
        funding,
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
