//! `/api/v1/samenwerkingen/{id}/vergaderingen`: meetings with agenda, attendance and minutes,
//! their action points, and `/api/v1/actiepunten`, the caller's own action points.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::access::Action;
use domain::meeting::{ActionPoint, ActionPointInput, MeetingContent, MeetingInput, PlanInput};
use serde::Serialize;
use store::meeting::{ActionPointRow, Meeting};
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/vergaderingen", list)
        .post("/api/v1/samenwerkingen/{id}/vergaderingen", create)
        .get("/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}", show)
        .put("/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}", update)
        .get("/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", actions)
        .post("/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", add_action)
        .put("/api/v1/samenwerkingen/{id}/actiepunten/{action}", update_action)
        .get("/api/v1/actiepunten", mine)
}

#[derive(Serialize, ToSchema)]
pub struct MeetingJson {
    pub id: i64,
    pub version: i64,
    /// Body, date, time, duration, place, status, agenda items, attendance and minutes.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

fn json(m: &Meeting) -> MeetingJson {
    MeetingJson { id: m.id, version: m.version, content: serde_json::to_value(&m.content).unwrap_or_default() }
}

#[derive(Serialize, ToSchema)]
pub struct ActionPointJson {
    pub id: i64,
    pub collaboration_id: i64,
    pub meeting_id: i64,
    pub version: i64,
    pub title: String,
    /// The user id of the member who carries it.
    pub owner: Option<i64>,
    pub due: String,
    pub status: String,
    pub overdue: bool,
}

fn action_json(row: &ActionPointRow) -> ActionPointJson {
    ActionPointJson {
        id: row.id,
        collaboration_id: row.collaboration_id,
        meeting_id: row.meeting_id,
        version: row.version,
        title: row.point.title.clone(),
        owner: row.point.owner,
        due: row.point.due.clone(),
        status: row.point.status.code().into(),
        overdue: row.point.overdue(&crate::today()),
    }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/vergaderingen", tag = "vergaderingen", params(("id" = i64, Path)), responses((status = 200, body = [MeetingJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<MeetingJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.meetings(c.id).await?.iter().map(json).collect()))
}

/// Plans a meeting, or a series at the body's rhythm (`count` above 1), from an agenda
/// template; reviews due of agreements the body owns are added to the agenda.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/vergaderingen", tag = "vergaderingen", params(("id" = i64, Path)), request_body = PlanInput,
    responses((status = 201, body = [MeetingJson]), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<PlanInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let planned = crate::meeting::plan_meetings(&state, &c, lang, &body).await?;
    let created_meetings = state.db.create_meetings(&api_actor(&user, origin), c.id, &planned).await?;
    let first = created_meetings.first().map(|m| m.id).ok_or(AppError::NotFound)?;
    Ok(created(&created_meetings.iter().map(json).collect::<Vec<_>>(), format!("/api/v1/samenwerkingen/{id}/vergaderingen/{first}")))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}", tag = "vergaderingen", params(("id" = i64, Path), ("meeting" = i64, Path)), responses((status = 200, body = MeetingJson)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, meeting)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let m = state.db.meeting(c.id, meeting).await?;
    Ok(versioned(&json(&m), m.version))
}

/// Replaces agenda, attendance and minutes. Send the version you read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}", tag = "vergaderingen", params(("id" = i64, Path), ("meeting" = i64, Path), ("If-Match" = String, Header)),
    request_body = MeetingInput, responses((status = 200, body = MeetingJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, meeting)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<MeetingInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let m = state.db.update_meeting(&api_actor(&user, origin), c.id, meeting, version, &MeetingContent::parse(&body)?).await?;
    Ok(versioned(&json(&m), m.version))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", tag = "vergaderingen", params(("id" = i64, Path), ("meeting" = i64, Path)), responses((status = 200, body = [ActionPointJson])))]
pub async fn actions(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, meeting)): Path<(i64, i64)>) -> ApiResult<Json<Vec<ActionPointJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    state.db.meeting(c.id, meeting).await?;
    Ok(Json(state.db.action_points(c.id, Some(meeting)).await?.iter().map(action_json).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", tag = "vergaderingen", params(("id" = i64, Path), ("meeting" = i64, Path)), request_body = ActionPointInput,
    responses((status = 201, body = ActionPointJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn add_action(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, meeting)): Path<(i64, i64)>,
    Body(body): Body<ActionPointInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let row = state.db.create_action_point(&api_actor(&user, origin), c.id, meeting, &ActionPoint::parse(&body)?).await?;
    Ok(created(&action_json(&row), format!("/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten")))
}

/// Changes an action point. Members who may edit change any; a member changes their own.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/actiepunten/{action}", tag = "vergaderingen", params(("id" = i64, Path), ("action" = i64, Path), ("If-Match" = String, Header)),
    request_body = ActionPointInput, responses((status = 200, body = ActionPointJson), (status = 409, body = super::meta::ProblemDetails)))]
pub async fn update_action(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, action)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<ActionPointInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Read).await?;
    let row = state.db.action_point(c.id, action).await?;
    if !row.point.may_change(user.id, role.allows(Action::Edit)) {
        return Err(AppError::Forbidden.into());
    }
    let version = if_match(&headers)?;
    let point = row.point.changed_by(ActionPoint::parse(&body)?, user.id, role.allows(Action::Edit)).ok_or(AppError::Forbidden)?;
    let row = state.db.update_action_point(&api_actor(&user, origin), c.id, action, version, &point).await?;
    Ok(versioned(&action_json(&row), row.version))
}

/// The caller's action points in every collaboration they are a member of.
#[utoipa::path(get, path = "/api/v1/actiepunten", tag = "vergaderingen", responses((status = 200, body = [ActionPointJson])))]
pub async fn mine(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Vec<ActionPointJson>>> {
    Ok(Json(state.db.my_action_points(user.id).await?.iter().map(action_json).collect()))
}
