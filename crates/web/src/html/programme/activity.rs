//! One activity: its parts, its status and its progress notes.

use super::{base, frame, period, person_name};
use crate::AppState;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Kept, Page, PageResult, collaboration_access, render, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::programme::{ActivityContent, ActivityStatus, NoteInput, StatusChange, StatusInput, parse_note};
use store::StoreError;

#[derive(Template)]
#[template(path = "programme_activity.html")]
struct ActivityTemplate<'a> {
    page: &'a Page,
    id: i64,
    activity: i64,
    version: i64,
    a: &'a ActivityContent,
    ambition: String,
    goal: String,
    period: String,
    status: String,
    overdue: bool,
    partners: Vec<String>,
    trekker: String,
    owner: String,
    agreement: Option<(i64, String)>,
    /// The six agreements, (label, text), the empty ones left out.
    arrangements: Vec<(String, String)>,
    notes: Vec<(String, String, String)>,
    statuses: Vec<(String, String)>,
    note_error: String,
    can_edit: bool,
    /// The status form as it was refused, if it was.
    kept: Kept,
}

async fn activity_page(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, activity: i64, note_error: &str, status: StatusCode) -> PageResult {
    activity_view(state, lang, visitor, id, activity, note_error, status, Kept::default()).await
}

/// An activity's page; `kept` holds the status form as it was refused, if it was.
#[allow(clippy::too_many_arguments)]
async fn activity_view(
    state: &AppState,
    lang: Lang,
    visitor: &Visitor,
    id: i64,
    activity: i64,
    note_error: &str,
    status: StatusCode,
    kept: Kept,
) -> PageResult {
    let (c, role, mut page) = frame(state, lang, visitor, id, Action::Read, "programme.title").await?;
    let a = state.db.activity(c.id, activity).await?;
    let g = state.db.goal(c.id, a.goal_id).await?;
    let ambition = state.db.ambition(c.id, g.ambition_id).await?;
    let (partners, people, agreements) = (state.db.partners(c.id).await?, state.db.people(c.id).await?, state.db.agreements(c.id).await?);
    page.title = a.content.title.clone();
    let content = &a.content;
    let arrangements = [
        ("field.steering", &content.steering),
        ("field.monitoring", &content.monitoring),
        ("field.accountability", &content.accountability),
        ("field.cooperation", &content.cooperation),
        ("field.communication", &content.communication),
        ("field.finances", &content.finances),
    ]
    .into_iter()
    .filter(|(_, text)| !text.is_empty())
    .map(|(key, text)| (page.t(key).to_string(), text.clone()))
    .collect();
    let notes = state.db.progress_notes(c.id, Some(activity)).await?.into_iter().map(|n| (lang.date(&n.date), n.author, n.text)).collect();
    let statuses = ActivityStatus::ALL.iter().map(|s| (s.code().to_string(), lang.label("activitystatus", s.code()))).collect();
    let mut response = render(&ActivityTemplate {
        id,
        activity,
        version: a.version,
        a: content,
        ambition: ambition.content.title,
        goal: g.content.title,
        period: period(lang, content),
        status: lang.label("activitystatus", content.status.code()),
        overdue: content.overdue(&crate::today()),
        partners: content.partners.iter().filter_map(|p| partners.iter().find(|x| x.id.0 == *p)).map(|p| p.name.clone()).collect(),
        trekker: person_name(&people, content.trekker),
        owner: person_name(&people, content.owner),
        agreement: content.agreement.and_then(|x| agreements.iter().find(|ag| ag.id == x)).map(|ag| (ag.id, ag.content.title.clone())),
        arrangements,
        notes,
        statuses,
        note_error: note_error.to_string(),
        kept,
        can_edit: role.allows(Action::Edit),
        page: &page,
    });
    *response.status_mut() = status;
    Ok(response)
}

pub(super) async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, activity)): Path<(i64, i64)>) -> PageResult {
    activity_page(&state, lang, &visitor, id, activity, "", StatusCode::OK).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct StatusForm {
    status: String,
    note: String,
}

pub(super) async fn change_status(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, activity)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    state.db.activity(c.id, activity).await?;
    let (form, control): (StatusForm, domain::Invalid) = body.parse_kept()?;
    let change = match control.before(StatusChange::parse(&StatusInput { status: form.status, note: form.note })) {
        Ok(change) => change,
        Err(invalid) => {
            let kept = Kept::new(lang, "status", "f-status-", &body, &invalid, &[("note", "field.progress_note")]).with_id("status", "f-status");
            return activity_view(&state, lang, &visitor, id, activity, "", StatusCode::BAD_REQUEST, kept).await;
        }
    };
    let version = body.version()?;
    match state.db.change_activity_status(&actor(&visitor, origin), c.id, activity, version, &change, &crate::today()).await {
        Ok(_) => Ok(see_other(&format!("{}/activiteiten/{activity}#voortgang", base(id)))),
        Err(StoreError::Conflict(_)) => activity_page(&state, lang, &visitor, id, activity, lang.t("error.stale"), StatusCode::CONFLICT).await,
        Err(other) => Err(other.into()),
    }
}

pub(super) async fn add_note(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, activity)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    state.db.activity(c.id, activity).await?;
    let text = match parse_note(&body.parse::<NoteInput>()?) {
        Ok(text) => text,
        Err(e) => {
            let message = e.for_field("text").map(|code| lang.t(code)).unwrap_or_default();
            return activity_page(&state, lang, &visitor, id, activity, message, StatusCode::BAD_REQUEST).await;
        }
    };
    state.db.add_progress_note(&actor(&visitor, origin), c.id, activity, &crate::today(), &text).await?;
    Ok(see_other(&format!("{}/activiteiten/{activity}#voortgang", base(id))))
}
