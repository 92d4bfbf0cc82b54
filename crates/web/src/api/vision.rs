//! `/api/v1/samenwerkingen/{id}/visie`: the shared vision, its versions and its support.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, if_match};
use crate::AppState;
use crate::access::collaboration_access;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use domain::access::Action;
use domain::vision::{VisionContent, VisionInput};
use serde::Serialize;
use store::agreement::AssentAnswer;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/visie", show)
        .put("/api/v1/samenwerkingen/{id}/visie", save_draft)
        .post("/api/v1/samenwerkingen/{id}/visie/vaststellen", adopt)
        .post("/api/v1/samenwerkingen/{id}/visie/draagvlak", endorse)
}

#[derive(Serialize, ToSchema)]
pub struct VisionJson {
    /// The draft being written, and its edit version (send it as If-Match to save).
    #[schema(value_type = Object)]
    pub draft: serde_json::Value,
    pub draft_version: i64,
    /// Adopted versions, oldest first.
    pub versions: Vec<AdoptedJson>,
}

#[derive(Serialize, ToSchema)]
pub struct AdoptedJson {
    pub version: i64,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    pub adopted_by: String,
    pub adopted_at: i64,
    /// Partner id, assent, reason.
    pub endorsements: Vec<(i64, String, String)>,
}

async fn vision(state: &AppState, c: domain::ids::CollaborationId) -> ApiResult<VisionJson> {
    let (draft, draft_version) = state.db.vision_draft(c).await?;
    let endorsements = state.db.vision_endorsements(c).await?;
    let versions = state
        .db
        .vision_versions(c)
        .await?
        .into_iter()
        .map(|v| AdoptedJson {
            version: v.version,
            content: serde_json::to_value(&v.content).unwrap_or_default(),
            adopted_by: v.adopted_by,
            adopted_at: v.adopted_at,
            endorsements: endorsements
                .iter()
                .filter(|e| e.version == v.version)
                .map(|e| (e.partner_id, e.assent.code().to_string(), e.reason.clone()))
                .collect(),
        })
        .collect();
    Ok(VisionJson { draft: serde_json::to_value(&draft).unwrap_or_default(), draft_version, versions })
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/visie", tag = "afspraken", params(("id" = i64, Path)), responses((status = 200, body = VisionJson)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<VisionJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(vision(&state, c.id).await?))
}

/// Saves the draft. Send `draft_version` as `If-Match` ("0" before the first save).
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/visie", tag = "afspraken", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = VisionInput,
    responses((status = 200, body = VisionJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn save_draft(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Body(body): Body<VisionInput>,
) -> ApiResult<Json<VisionJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    state.db.save_vision_draft(&api_actor(&user, origin), c.id, version, &VisionContent::parse(&body)?).await?;
    Ok(Json(vision(&state, c.id).await?))
}

/// Adopts the draft as the next version (beheerder).
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/visie/vaststellen", tag = "afspraken", params(("id" = i64, Path)), responses((status = 200, body = VisionJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn adopt(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<VisionJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Manage).await?;
    state.db.vision_draft(c.id).await?.0.adoptable()?;
    state.db.adopt_vision(&api_actor(&user, origin), c.id).await?;
    Ok(Json(vision(&state, c.id).await?))
}

/// A partner's endorsement of an adopted version.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/visie/draagvlak", tag = "afspraken", params(("id" = i64, Path)), request_body = super::agreement::AssentJson,
    responses((status = 200, body = VisionJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn endorse(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<super::agreement::AssentJson>,
) -> ApiResult<Json<VisionJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let (assent, reason) = domain::agreement::parse_assent(&body.assent, &body.reason)?;
    state.db.endorse_vision(&api_actor(&user, origin), c.id, body.version, &AssentAnswer { partner: body.partner_id, assent, reason: &reason }).await?;
    Ok(Json(vision(&state, c.id).await?))
}
