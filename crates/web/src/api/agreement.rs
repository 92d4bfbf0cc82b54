//! `/api/v1/samenwerkingen/{id}/afspraken`: agreements, their versions and each party's assent.

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
use domain::agreement::{AgreementContent, AgreementInput};
use serde::{Deserialize, Serialize};
use store::agreement::{Agreement, AssentAnswer};
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/afspraken", list)
        .post("/api/v1/samenwerkingen/{id}/afspraken", create)
        .get("/api/v1/samenwerkingen/{id}/afspraken/{agreement}", show)
        .put("/api/v1/samenwerkingen/{id}/afspraken/{agreement}", update)
        .get("/api/v1/samenwerkingen/{id}/afspraken/{agreement}/versies", versions)
        .post("/api/v1/samenwerkingen/{id}/afspraken/{agreement}/instemmingen", assent)
}

#[derive(Serialize, ToSchema)]
pub struct AgreementJson {
    pub id: i64,
    pub version: i64,
    /// The agreement as written (same fields as the input).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

fn json(a: &Agreement) -> AgreementJson {
    AgreementJson { id: a.id, version: a.version, content: serde_json::to_value(&a.content).unwrap_or_default() }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/afspraken", tag = "afspraken", params(("id" = i64, Path)), responses((status = 200, body = [AgreementJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<AgreementJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.agreements(c.id).await?.iter().map(json).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/afspraken", tag = "afspraken", params(("id" = i64, Path)), request_body = AgreementInput,
    responses((status = 201, body = AgreementJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<AgreementInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let a = state.db.create_agreement(&api_actor(&user, origin), c.id, &AgreementContent::parse(&body)?).await?;
    Ok(created(&json(&a), format!("/api/v1/samenwerkingen/{id}/afspraken/{}", a.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/afspraken/{agreement}", tag = "afspraken", params(("id" = i64, Path), ("agreement" = i64, Path)), responses((status = 200, body = AgreementJson)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, agreement)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let a = state.db.agreement(c.id, agreement).await?;
    Ok(versioned(&json(&a), a.version))
}

/// Saves a new version. Send the version you read as `If-Match`; a stale one answers 409.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/afspraken/{agreement}", tag = "afspraken", params(("id" = i64, Path), ("agreement" = i64, Path), ("If-Match" = String, Header)),
    request_body = AgreementInput, responses((status = 200, body = AgreementJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, agreement)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<AgreementInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let a = state.db.update_agreement(&api_actor(&user, origin), c.id, agreement, version, &AgreementContent::parse(&body)?).await?;
    Ok(versioned(&json(&a), a.version))
}

#[derive(Serialize, ToSchema)]
pub struct VersionJson {
    pub version: i64,
    pub changed_by: String,
    /// Unix time (UTC).
    pub changed_at: i64,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// Each party's answer to this version: partner id, assent, reason.
    pub assents: Vec<(i64, String, String)>,
}

/// Every version, oldest first, with the parties' assents.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/afspraken/{agreement}/versies", tag = "afspraken", params(("id" = i64, Path), ("agreement" = i64, Path)), responses((status = 200, body = [VersionJson])))]
pub async fn versions(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, agreement)): Path<(i64, i64)>) -> ApiResult<Json<Vec<VersionJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let assents = state.db.assents(c.id, agreement).await?;
    let versions = state.db.agreement_versions(c.id, agreement).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| VersionJson {
                version: v.version,
                changed_by: v.changed_by,
                changed_at: v.changed_at,
                content: serde_json::to_value(&v.content).unwrap_or_default(),
                assents: assents.iter().filter(|a| a.version == v.version).map(|a| (a.partner_id, a.assent.code().to_string(), a.reason.clone())).collect(),
            })
            .collect(),
    ))
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AssentJson {
    pub partner_id: i64,
    pub version: i64,
    /// instemming, voorbehoud (with a reason) or nog_niet
    pub assent: String,
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/afspraken/{agreement}/instemmingen", tag = "afspraken", params(("id" = i64, Path), ("agreement" = i64, Path)), request_body = AssentJson,
    responses((status = 200, body = [VersionJson]), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn assent(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, agreement)): Path<(i64, i64)>,
    Body(body): Body<AssentJson>,
) -> ApiResult<Json<Vec<VersionJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let (assent, reason) = domain::agreement::parse_assent(&body.assent, &body.reason)?;
    state.db.set_assent(&api_actor(&user, origin), c.id, agreement, body.version, &AssentAnswer { partner: body.partner_id, assent, reason: &reason }).await?;
    versions(State(state), ApiUser(user), Path((id, agreement))).await
}
