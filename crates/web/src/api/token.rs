//! The caller's own personal API tokens: list, create (with a lifetime), revoke.

use super::{ApiResult, Body, created};
use crate::AppState;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use store::session::ApiToken;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/tokens", list).post("/api/v1/tokens", create).delete("/api/v1/tokens/{tokenId}", revoke)
}

#[derive(Serialize, ToSchema)]
pub struct TokenJson {
    pub id: i64,
    pub name: String,
    /// Seconds since the Unix epoch, as every time below.
    pub created_at: i64,
    /// From this moment on the token is refused.
    pub expires_at: i64,
    pub expired: bool,
    /// Recorded at most once a minute.
    pub last_used_at: Option<i64>,
}

impl TokenJson {
    fn from(t: &ApiToken) -> TokenJson {
        TokenJson {
            id: t.id,
            name: t.name.clone(),
            created_at: t.created_at,
            expires_at: t.expires_at,
            expired: t.expired(store::now()),
            last_used_at: t.last_used_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NewTokenJson {
    #[serde(flatten)]
    pub token: TokenJson,
    /// The token itself, shown this once; only its hash is kept.
    pub secret: String,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct NewTokenBody {
    pub name: String,
    /// 1 to 365; 90 when left out.
    pub expires_in_days: Option<i64>,
}

/// The caller's tokens, with when each expires and was last used.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "account", responses((status = 200, body = [TokenJson]), (status = 401, body = super::meta::ProblemDetails)))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Vec<TokenJson>>> {
    Ok(Json(state.db.api_tokens(user.id).await?.iter().map(TokenJson::from).collect()))
}

/// Makes a new token for the caller.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", request_body = NewTokenBody,
    responses((status = 201, body = NewTokenJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Body(body): Body<NewTokenBody>,
) -> ApiResult<Response> {
    let actor = super::collaboration::api_actor(&user, origin);
    let made = crate::tokens::create(&state.db, &actor, user.id, &body.name, body.expires_in_days).await?;
    let json = NewTokenJson { token: TokenJson::from(&made.token), secret: made.secret };
    Ok(created(&json, format!("/api/v1/tokens/{}", made.token.id)))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{tokenId}", tag = "account", params(("tokenId" = i64, Path, description = "Het nummer van het token")),
    responses((status = 204), (status = 404, body = super::meta::ProblemDetails)))]
pub async fn revoke(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(token_id): Path<i64>,
) -> ApiResult<Response> {
    state.db.revoke_api_token(&super::collaboration::api_actor(&user, origin), user.id, token_id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
