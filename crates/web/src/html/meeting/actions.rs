//! Action points: add one, move it along, and "mijn actiepunten" across collaborations.

use super::base;
use super::card::meeting_view;
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Kept, Page, PageResult, choices, collaboration_access, render, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::meeting::{ActionPoint, ActionPointInput, ActionStatus};
use std::collections::HashMap;
use store::meeting::ActionPointRow;

pub(super) async fn add_action(
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

pub(super) async fn update_action(
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
}

#[derive(Template)]
#[template(path = "my_actions.html")]
struct MineTemplate<'a> {
    page: &'a Page,
    actions: Vec<MyAction>,
    statuses: Vec<(String, String)>,
}

pub(super) async fn mine(State(state): State<AppState>, lang: Lang, visitor: Visitor) -> PageResult {
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
            row,
        })
        .collect();
    Ok(render(&MineTemplate { statuses: choices(&page, "actionstatus", ActionStatus::ALL, ActionStatus::code), page: &page, actions }))
}
