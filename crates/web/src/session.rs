//! Sessions: a random id of 256 bits in a `__Host-` cookie, its SHA-256 in the database,
//! renewed at every sign-in, ended after 30 minutes idle or 12 hours in all. The extractors
//! here are the only way a handler learns who is asking.

use crate::AppState;
use crate::error::AppError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use store::user::User;

pub const COOKIE: &str = "__Host-reisgenoot";
pub const IDLE_SECONDS: i64 = 30 * 60;
pub const ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
/// Last-seen times are written at most this often, to spare the database a write per request.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A new random secret: 32 bytes as hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(secret: &str) -> String {
    format!("{COOKIE}={secret}; Path=/; Secure; HttpOnly; SameSite=Lax")
}

pub fn clear_cookie() -> String {
    format!("{COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// The session behind the request's cookie, if it is alive; an expired one is removed.
async fn load(parts: &Parts, state: &AppState) -> Result<(store::session::Session, User), AppError> {
    let secret = cookie(&parts.headers, COOKIE).ok_or(AppError::Unauthenticated)?;
    let id_hash = digest(&secret);
    let session = state.db.session(&id_hash).await?.ok_or(AppError::Unauthenticated)?;
    let now = store::now();
    if now - session.last_seen_at > IDLE_SECONDS || now - session.created_at > ABSOLUTE_SECONDS {
        state.db.delete_session(&id_hash).await?;
        return Err(AppError::Unauthenticated);
    }
    let user = state.db.user_by_id(domain::ids::UserId(session.user_id)).await?;
    if let Some(caller) = parts.extensions.get::<crate::refusals::Caller>() {
        caller.set(&user);
    }
    if user.disabled {
        state.db.delete_session(&id_hash).await?;
        return Err(AppError::Unauthenticated);
    }
    if now - session.last_seen_at > TOUCH_EVERY_SECONDS {
        // While the storage refuses writes, reading goes on: the last-seen time is a hint.
        match state.db.touch_session(&id_hash, now).await {
            Ok(()) => {}
            Err(store::StoreError::Storage(failure, err)) => tracing::warn!(%failure, %err, "session use not recorded"),
            Err(err) => return Err(err.into()),
        }
    }
    Ok((session, user))
}

/// A fully signed-in user. An administrator without a second factor is sent to set one up.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub user: User,
    pub session_hash: String,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Visitor, AppError> {
        let visitor = SetupVisitor::from_request_parts(parts, state).await?.0;
        if visitor.user.is_admin && !visitor.user.totp_enabled {
            return Err(AppError::SecondFactorSetupRequired);
        }
        Ok(visitor)
    }
}

/// A signed-in user who may still lack a (required) second factor: only for setting one up.
#[derive(Debug, Clone)]
pub struct SetupVisitor(pub Visitor);

impl FromRequestParts<AppState> for SetupVisitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<SetupVisitor, AppError> {
        let (session, user) = load(parts, state).await?;
        if session.second_factor_pending {
            return Err(AppError::SecondFactorRequired);
        }
        Ok(SetupVisitor(Visitor { user, session_hash: session.id_hash }))
    }
}

/// A user who gave the right password and still has to give the second factor.
#[derive(Debug, Clone)]
pub struct PendingVisitor(pub Visitor);

impl FromRequestParts<AppState> for PendingVisitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<PendingVisitor, AppError> {
        let (session, user) = load(parts, state).await?;
        if !session.second_factor_pending {
            return Err(AppError::Unauthenticated);
        }
        Ok(PendingVisitor(Visitor { user, session_hash: session.id_hash }))
    }
}

/// The holder of a personal API token (`Authorization: Bearer …`).
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

pub const TOKEN_PREFIX: &str = "rg_";

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ApiUser, Self::Rejection> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or(AppError::Unauthenticated)?;
        let token = header.strip_prefix("Bearer ").ok_or(AppError::Unauthenticated)?.trim();
        if !token.starts_with(TOKEN_PREFIX) {
            return Err(AppError::Unauthenticated.into());
        }
        let user = state.db.user_by_token(&digest(token)).await?.ok_or(AppError::Unauthenticated)?;
        if let Some(caller) = parts.extensions.get::<crate::refusals::Caller>() {
            caller.set(&user);
        }
        Ok(ApiUser(user))
    }
}
