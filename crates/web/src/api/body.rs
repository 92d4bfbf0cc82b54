//! `/api/v1/samenwerkingen/{id}/overleggen`: the meeting structure, each body with its seven
//! meeting agreements, its reporting line and what the structure page warns about.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::body::Structure;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::body::BodyInput;
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/overleggen", list)
        .post("/api/v1/samenwerkingen/{id}/overleggen", create)
        .get("/api/v1/samenwerkingen/{id}/overleggen/{overleg}", show)
        .put("/api/v1/samenwerkingen/{id}/overleggen/{overleg}", update)
        .delete("/api/v1/samenwerkingen/{id}/overleggen/{overleg}", delete)
}

/// A body (overleg) of the meeting structure.
#[derive(Serialize, ToSchema)]
pub struct OverlegJson {
    pub id: i64,
    pub version: i64,
    pub name: String,
    /// bestuurlijk, coordinerend or uitvoerend
    pub level: String,
    /// lea_bestuurlijk, oogo, stuurgroep, projectgroep, werkgroep, mdo or overig
    pub kind: String,
    /// 1. Purpose and assignment.
    pub purpose: String,
    /// 2. Participants: the partners at the table (ids), and who is invited per topic.
    pub partners: Vec<i64>,
    pub invited: String,
    /// 3. Topics.
    pub topics: String,
    /// 4. How often it meets, per year.
    pub per_year: Option<u32>,
    /// 5. Duration in minutes, and the form: fysiek, online or hybride.
    pub minutes: Option<u32>,
    pub mode: Option<String>,
    /// 6. Every how many months the form itself is evaluated, and when it last was.
    pub evaluate_every_months: Option<u32>,
    pub last_evaluated: String,
    /// 7. Connection: the body it reports to, the bodies that report to it, how signals
    ///    from practice reach it, and who has the regie.
    pub reports_to: Option<i64>,
    pub reported_by: Vec<i64>,
    pub signals: String,
    pub regie: String,
    /// What needs attention: no_purpose, no_rhythm, unconnected, overdue.
    pub flags: Vec<String>,
}

fn json(structure: &Structure, b: &store::body::Body) -> OverlegJson {
    let c = &b.content;
    OverlegJson {
        id: b.id,
        version: b.version,
        name: c.name.clone(),
        level: c.level.code().into(),
        kind: c.kind.code().into(),
        purpose: c.purpose.clone(),
        partners: c.partners.clone(),
        invited: c.invited.clone(),
        topics: c.topics.clone(),
        per_year: c.per_year,
        minutes: c.minutes,
        mode: c.mode.map(|m| m.code().to_string()),
        evaluate_every_months: c.evaluate_every_months,
        last_evaluated: c.last_evaluated.clone(),
        reports_to: c.reports_to,
        reported_by: structure.reported_by(b.id),
        signals: c.signals.clone(),
        regie: c.regie.clone(),
        flags: structure.flags_of(b.id).iter().map(|f| f.key().trim_start_matches("bodies.flag_").to_string()).collect(),
    }
}

/// The body as it is now stored, with its flags among the collaboration's other bodies.
async fn current(state: &AppState, c: domain::ids::CollaborationId, id: i64) -> ApiResult<OverlegJson> {
    let structure = crate::body::structure(state, c).await?;
    let body = structure.bodies.iter().find(|b| b.id == id).ok_or(crate::error::AppError::NotFound)?;
    Ok(json(&structure, body))
}

/// The collaboration's bodies, by level of the structure as stored.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/overleggen", tag = "overleggen", params(("id" = i64, Path)), responses((status = 200, body = [OverlegJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<OverlegJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let structure = crate::body::structure(&state, c.id).await?;
    Ok(Json(structure.bodies.iter().map(|b| json(&structure, b)).collect()))
}

/// Adds a body. Numbers may be sent as text, as the form does; partners and `reports_to` must
/// belong to the collaboration.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/overleggen", tag = "overleggen", params(("id" = i64, Path)), request_body = BodyInput,
    responses((status = 201, body = OverlegJson, headers(("Location" = String, description = "Het nieuwe overleg"))), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<BodyInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let stored = crate::body::create(&state, &api_actor(&user, origin), c.id, &body).await?;
    Ok(created(&current(&state, c.id, stored.id).await?, format!("/api/v1/samenwerkingen/{id}/overleggen/{}", stored.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/overleggen/{overleg}", tag = "overleggen", params(("id" = i64, Path), ("overleg" = i64, Path)),
    responses((status = 200, body = OverlegJson, headers(("ETag" = String, description = "De versie, voor If-Match")))))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, overleg)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let body = current(&state, c.id, overleg).await?;
    let version = body.version;
    Ok(versioned(&body, version))
}

/// Replaces the body's agreements. Send the version you read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/overleggen/{overleg}", tag = "overleggen",
    params(("id" = i64, Path), ("overleg" = i64, Path), ("If-Match" = String, Header, description = "De versie waarop de wijziging is gebaseerd, zoals \"3\"")),
    request_body = BodyInput, responses((status = 200, body = OverlegJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, overleg)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<BodyInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let stored = crate::body::update(&state, &api_actor(&user, origin), c.id, overleg, version, &body).await?;
    Ok(versioned(&current(&state, c.id, stored.id).await?, stored.version))
}

/// Removes a body (beheerder). Bodies that reported to it, its meetings and case reviews stay,
/// without it.
#[utoipa::path(delete, path = "/api/v1/samenwerkingen/{id}/overleggen/{overleg}", tag = "overleggen", params(("id" = i64, Path), ("overleg" = i64, Path)), responses((status = 204)))]
pub async fn delete(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, overleg)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Manage).await?;
    crate::body::delete(&state, &api_actor(&user, origin), c.id, overleg).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
