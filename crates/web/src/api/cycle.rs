//! `/api/v1/samenwerkingen/{id}/cycli`: learning cycles per period, their findings and the
//! decisions taken, each linked to the agreement or activity it changes.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use domain::access::Action;
use domain::cycle::{CycleContent, CycleInput, Decision, DecisionInput};
use serde::Serialize;
use store::cycle::Cycle;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/cycli", list)
        .post("/api/v1/samenwerkingen/{id}/cycli", create)
        .get("/api/v1/samenwerkingen/{id}/cycli/{cycle}", show)
        .post("/api/v1/samenwerkingen/{id}/cycli/{cycle}/besluiten", add_decision)
}

#[derive(Serialize, ToSchema)]
pub struct CycleJson {
    pub id: i64,
    pub version: i64,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

fn json(k: &Cycle) -> CycleJson {
    CycleJson { id: k.id, version: k.version, content: serde_json::to_value(&k.content).unwrap_or_default() }
}

/// The collaboration's learning cycles, latest period first.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/cycli", tag = "leercyclus", params(("id" = i64, Path)), responses((status = 200, body = [CycleJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<CycleJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.cycles(c.id).await?.iter().map(json).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/cycli", tag = "leercyclus", params(("id" = i64, Path)), request_body = CycleInput,
    responses((status = 201, body = CycleJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<CycleInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let k = state.db.create_cycle(&api_actor(&user, origin), c.id, &CycleContent::parse(&body, None)?).await?;
    Ok(created(&json(&k), format!("/api/v1/samenwerkingen/{id}/cycli/{}", k.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/cycli/{cycle}", tag = "leercyclus", params(("id" = i64, Path), ("cycle" = i64, Path)),
    responses((status = 200, body = CycleJson), (status = 404, body = super::meta::ProblemDetails)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, cycle)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let k = state.db.cycle(c.id, cycle).await?;
    Ok(versioned(&json(&k), k.version))
}

/// Adds a decision to the act phase, linked to the agreement or activity it changes.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/cycli/{cycle}/besluiten", tag = "leercyclus", params(("id" = i64, Path), ("cycle" = i64, Path)),
    request_body = DecisionInput, responses((status = 200, body = CycleJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn add_decision(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, cycle)): Path<(i64, i64)>,
    Body(body): Body<DecisionInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let k = state.db.add_decision(&api_actor(&user, origin), c.id, cycle, Decision::parse(&body)?).await?;
    Ok(versioned(&json(&k), k.version))
}
