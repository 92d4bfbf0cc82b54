//! `/api/v1/samenwerkingen/{id}/programma`: the execution programme as one tree of
//! ambitions, goals and activities (each with its overdue flag), and the calls that add and
//! change them, change an activity's status and add progress notes.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::access::Action;
use domain::programme::{
    ActivityContent, ActivityInput, AmbitionContent, AmbitionInput, GoalContent, GoalInput, NoteInput, StatusChange, StatusInput, parse_note,
};
use serde::Serialize;
use store::programme::{Activity, Ambition, Goal, Note};
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/programma", list)
        .post("/api/v1/samenwerkingen/{id}/programma/ambities", create_ambition)
        .put("/api/v1/samenwerkingen/{id}/programma/ambities/{ambition}", update_ambition)
        .post("/api/v1/samenwerkingen/{id}/programma/ambities/{ambition}/doelen", create_goal)
        .put("/api/v1/samenwerkingen/{id}/programma/doelen/{goal}", update_goal)
        .post("/api/v1/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten", create_activity)
        .get("/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}", show_activity)
        .put("/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}", update_activity)
        .put("/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}/status", change_status)
        .post("/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}/voortgang", add_note)
}

#[derive(Serialize, ToSchema)]
pub struct NoteJson {
    pub id: i64,
    pub date: String,
    pub text: String,
    pub author: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityJson {
    pub id: i64,
    pub goal_id: i64,
    pub version: i64,
    /// Past its end date and neither finished nor stopped, as of today.
    pub overdue: bool,
    /// Title, period, status, steps taken and planned, partners, intended results, trekker,
    /// eindverantwoordelijke, the six agreements and the agreement they rest on.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// Progress notes, newest first; only when one activity is asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<NoteJson>>,
}

#[derive(Serialize, ToSchema)]
pub struct GoalJson {
    pub id: i64,
    pub ambition_id: i64,
    pub version: i64,
    pub title: String,
    pub measure: String,
    pub target_date: String,
    pub activities: Vec<ActivityJson>,
}

#[derive(Serialize, ToSchema)]
pub struct AmbitionJson {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub description: String,
    pub goals: Vec<GoalJson>,
}

fn note_json(n: Note) -> NoteJson {
    NoteJson { id: n.id, date: n.date, text: n.text, author: n.author }
}

fn activity_json(a: &Activity, notes: Option<Vec<Note>>) -> ActivityJson {
    ActivityJson {
        id: a.id,
        goal_id: a.goal_id,
        version: a.version,
        overdue: a.content.overdue(&crate::today()),
        content: serde_json::to_value(&a.content).unwrap_or_default(),
        notes: notes.map(|n| n.into_iter().map(note_json).collect()),
    }
}

fn goal_json(g: &Goal, activities: &[Activity]) -> GoalJson {
    GoalJson {
        id: g.id,
        ambition_id: g.ambition_id,
        version: g.version,
        title: g.content.title.clone(),
        measure: g.content.measure.clone(),
        target_date: g.content.target_date.clone(),
        activities: activities.iter().filter(|a| a.goal_id == g.id).map(|a| activity_json(a, None)).collect(),
    }
}

fn ambition_json(a: &Ambition, goals: &[Goal], activities: &[Activity]) -> AmbitionJson {
    AmbitionJson {
        id: a.id,
        version: a.version,
        title: a.content.title.clone(),
        description: a.content.description.clone(),
        goals: goals.iter().filter(|g| g.ambition_id == a.id).map(|g| goal_json(g, activities)).collect(),
    }
}

/// The whole programme: ambitions, their goals, and the goals' activities.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/programma", tag = "programma", params(("id" = i64, Path)), responses((status = 200, body = [AmbitionJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<AmbitionJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let (ambitions, goals, activities) = (state.db.ambitions(c.id).await?, state.db.goals(c.id).await?, state.db.activities(c.id).await?);
    Ok(Json(ambitions.iter().map(|a| ambition_json(a, &goals, &activities)).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/programma/ambities", tag = "programma", params(("id" = i64, Path)), request_body = AmbitionInput,
    responses((status = 201, body = AmbitionJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_ambition(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<AmbitionInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let a = state.db.create_ambition(&api_actor(&user, origin), c.id, &AmbitionContent::parse(&body)?).await?;
    Ok(created(&ambition_json(&a, &[], &[]), format!("/api/v1/samenwerkingen/{id}/programma")))
}

/// Changes an ambition's title and description. Send the version you read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/programma/ambities/{ambition}", tag = "programma", params(("id" = i64, Path), ("ambition" = i64, Path), ("If-Match" = String, Header)),
    request_body = AmbitionInput, responses((status = 200, body = AmbitionJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_ambition(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, ambition)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<AmbitionInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let a = state.db.update_ambition(&api_actor(&user, origin), c.id, ambition, version, &AmbitionContent::parse(&body)?).await?;
    let (goals, activities) = (state.db.goals(c.id).await?, state.db.activities(c.id).await?);
    Ok(versioned(&ambition_json(&a, &goals, &activities), a.version))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/programma/ambities/{ambition}/doelen", tag = "programma", params(("id" = i64, Path), ("ambition" = i64, Path)),
    request_body = GoalInput, responses((status = 201, body = GoalJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_goal(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, ambition)): Path<(i64, i64)>,
    Body(body): Body<GoalInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    state.db.ambition(c.id, ambition).await?;
    let g = state.db.create_goal(&api_actor(&user, origin), c.id, ambition, &GoalContent::parse(&body)?).await?;
    Ok(created(&goal_json(&g, &[]), format!("/api/v1/samenwerkingen/{id}/programma")))
}

#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/programma/doelen/{goal}", tag = "programma", params(("id" = i64, Path), ("goal" = i64, Path), ("If-Match" = String, Header)),
    request_body = GoalInput, responses((status = 200, body = GoalJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_goal(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, goal)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<GoalInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let g = state.db.update_goal(&api_actor(&user, origin), c.id, goal, version, &GoalContent::parse(&body)?).await?;
    Ok(versioned(&goal_json(&g, &state.db.activities(c.id).await?), g.version))
}

/// Adds an activity under a goal. Partners, trekker, eindverantwoordelijke and the agreement
/// must be the collaboration's own.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten", tag = "programma", params(("id" = i64, Path), ("goal" = i64, Path)),
    request_body = ActivityInput, responses((status = 201, body = ActivityJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_activity(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, goal)): Path<(i64, i64)>,
    Body(body): Body<ActivityInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    state.db.goal(c.id, goal).await?;
    let a = state.db.create_activity(&api_actor(&user, origin), c.id, goal, &ActivityContent::parse(&body)?).await?;
    Ok(created(&activity_json(&a, Some(Vec::new())), format!("/api/v1/samenwerkingen/{id}/programma/activiteiten/{}", a.id)))
}

/// One activity with its progress notes, newest first.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}", tag = "programma", params(("id" = i64, Path), ("activity" = i64, Path)),
    responses((status = 200, body = ActivityJson)))]
pub async fn show_activity(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, activity)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let a = state.db.activity(c.id, activity).await?;
    let notes = state.db.progress_notes(c.id, Some(activity)).await?;
    Ok(versioned(&activity_json(&a, Some(notes)), a.version))
}

/// Replaces an activity, its status included. Send the version you read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}", tag = "programma", params(("id" = i64, Path), ("activity" = i64, Path), ("If-Match" = String, Header)),
    request_body = ActivityInput, responses((status = 200, body = ActivityJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_activity(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, activity)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<ActivityInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let a = state.db.update_activity(&api_actor(&user, origin), c.id, activity, version, &ActivityContent::parse(&body)?).await?;
    Ok(versioned(&activity_json(&a, None), a.version))
}

/// Changes an activity's status; a `note` is kept as a progress note dated today.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}/status", tag = "programma", params(("id" = i64, Path), ("activity" = i64, Path), ("If-Match" = String, Header)),
    request_body = StatusInput, responses((status = 200, body = ActivityJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn change_status(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, activity)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<StatusInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let change = StatusChange::parse(&body)?;
    let a = state.db.change_activity_status(&api_actor(&user, origin), c.id, activity, version, &change, &crate::today()).await?;
    let notes = state.db.progress_notes(c.id, Some(activity)).await?;
    Ok(versioned(&activity_json(&a, Some(notes)), a.version))
}

/// Adds a progress note dated today. Notes are never changed or removed.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}/voortgang", tag = "programma", params(("id" = i64, Path), ("activity" = i64, Path)),
    request_body = NoteInput, responses((status = 201, body = NoteJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn add_note(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, activity)): Path<(i64, i64)>,
    Body(body): Body<NoteInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    state.db.activity(c.id, activity).await?;
    let note = state.db.add_progress_note(&api_actor(&user, origin), c.id, activity, &crate::today(), &parse_note(&body)?).await?;
    Ok(created(&note_json(note), format!("/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}")))
}
