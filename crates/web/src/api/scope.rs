//! `/api/v1/samenwerkingen/{id}/werkgebieden`: working areas — a collaboration's own sets of
//! areas or partner locations — and every indicator's figure over them, published by the
//! same rules as everywhere else.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::routes::Routes;
use crate::scope::{checked, figures};
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::scope::{ScopeFigure, ScopeInput};
use serde::Serialize;
use store::scope::Scope;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/werkgebieden", list)
        .post("/api/v1/samenwerkingen/{id}/werkgebieden", create)
        .get("/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", show)
        .put("/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", update)
        .delete("/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", delete)
        .get("/api/v1/samenwerkingen/{id}/werkgebieden/{scope}/cijfers", figures_of)
}

#[derive(Serialize, ToSchema)]
pub struct ScopeJson {
    pub id: i64,
    pub version: i64,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

fn json(s: &Scope) -> ScopeJson {
    ScopeJson { id: s.id, version: s.version, content: serde_json::to_value(&s.content).unwrap_or_default() }
}

#[derive(Serialize, ToSchema)]
pub struct ScopeFigureJson {
    pub period: String,
    /// `{"state": "published", "value": {"state": "value", "value": 20.0}}` (or any other
    /// state of a figure: `secret`, `denominator`, `updating`), `{"state": "incomplete",
    /// "value": {"measured": 1, "areas": 2}}`, or `{"state": "too_close", "value": {"with":
    /// ["Noord (WK034401)", "Werkgebied Oost"]}}`: not to be published, for its difference
    /// with the areas and working areas named would give a small number away; or `{"state":
    /// "small", "value": {"below": 8.0}}`: secret, itself below the threshold.
    #[schema(value_type = Object)]
    pub figure: ScopeFigure,
}

#[derive(Serialize, ToSchema)]
pub struct ScopeFiguresJson {
    pub indicator: i64,
    pub code: String,
    pub name: String,
    pub figures: Vec<ScopeFigureJson>,
}

/// The collaboration's working areas.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/werkgebieden", tag = "indicatoren", params(("id" = i64, Path)), responses((status = 200, body = [ScopeJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<ScopeJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.scopes(c.id).await?.iter().map(json).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/werkgebieden", tag = "indicatoren", params(("id" = i64, Path)), request_body = ScopeInput,
    responses((status = 201, body = ScopeJson), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ScopeInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let s = state.db.create_scope(&api_actor(&user, origin), c.id, &checked(&state, &c, &body).await?).await?;
    crate::publication::settle(&state, c.id).await;
    Ok(created(&json(&s), format!("/api/v1/samenwerkingen/{id}/werkgebieden/{}", s.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", tag = "indicatoren", params(("id" = i64, Path), ("scope" = i64, Path)),
    responses((status = 200, body = ScopeJson), (status = 404, body = super::meta::ProblemDetails)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, scope)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let s = state.db.scope(c.id, scope).await?;
    Ok(versioned(&json(&s), s.version))
}

/// Replaces a working area; `If-Match` carries the version it was read at.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", tag = "indicatoren", params(("id" = i64, Path), ("scope" = i64, Path)),
    request_body = ScopeInput, responses((status = 200, body = ScopeJson), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, scope)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<ScopeInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let s = state.db.update_scope(&api_actor(&user, origin), c.id, scope, version, &checked(&state, &c, &body).await?).await?;
    crate::publication::settle(&state, c.id).await;
    Ok(versioned(&json(&s), s.version))
}

#[utoipa::path(delete, path = "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", tag = "indicatoren", params(("id" = i64, Path), ("scope" = i64, Path)), responses((status = 204)))]
pub async fn delete(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, scope)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Manage).await?;
    state.db.delete_scope(&api_actor(&user, origin), c.id, scope).await?;
    crate::publication::settle(&state, c.id).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Every indicator's figure over the working area, per period with an approved figure in one
/// of its areas, as the indicator's publication has it: secret when the rules say so,
/// incomplete when some of its areas lack one, too close when its difference with other areas
/// would give a small number away.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}/cijfers", tag = "indicatoren", params(("id" = i64, Path), ("scope" = i64, Path)),
    responses((status = 200, body = [ScopeFiguresJson]), (status = 404, body = super::meta::ProblemDetails)))]
pub async fn figures_of(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, scope)): Path<(i64, i64)>) -> ApiResult<Json<Vec<ScopeFiguresJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let s = state.db.scope(c.id, scope).await?;
    Ok(Json(
        figures(&state, &c, &s)
            .await?
            .into_iter()
            .map(|i| ScopeFiguresJson {
                indicator: i.indicator,
                code: i.code,
                name: i.name,
                figures: i.figures.into_iter().map(|(period, figure)| ScopeFigureJson { period, figure }).collect(),
            })
            .collect(),
    ))
}
