//! The JSON API under `/api/v1`: Dutch resource names, personal API tokens, errors as
//! problem+json, optimistic locking with `ETag`/`If-Match`, and an OpenAPI 3 document built
//! from the handlers' annotations.

pub mod agreement;
pub mod body;
pub mod case_review;
pub mod collaboration;
pub mod company;
pub mod contract;
pub mod cycle;
pub mod finance;
pub mod idempotency;
pub mod indicator;
pub mod knowledge;
pub mod legal;
pub mod meeting;
pub mod meta;
pub mod programme;
pub mod responsibility;
pub mod rollup;
pub mod scan;
pub mod scope;
pub mod token;
pub mod vision;

use crate::AppState;
use crate::error::{ApiError, AppError};
use crate::routes::Routes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The API's version (semver), sent as `API-Version` on every answer under `/api/` and stated
/// in the OpenAPI document. The major version is the `v1` in the path.
pub const VERSION: &str = "1.0.0";

pub fn routes() -> Routes {
    Routes::new()
        .merge(meta::routes())
        .merge(collaboration::routes())
        .merge(company::routes())
        .merge(knowledge::routes())
        .merge(legal::routes())
        .merge(responsibility::routes())
        .merge(agreement::routes())
        .merge(vision::routes())
        .merge(body::routes())
        .merge(meeting::routes())
        .merge(scan::routes())
        .merge(indicator::routes())
        .merge(cycle::routes())
        .merge(scope::routes())
        .merge(case_review::routes())
        .merge(rollup::routes())
        .merge(programme::routes())
        .merge(finance::routes())
        .merge(token::routes())
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose every rejection (bad syntax, wrong types, wrong content type) answers
/// 400 problem+json, as the NL API Design Rules ask, instead of axum's 415/422.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Body<T>, ApiError> {
        let bad = || ApiError::from(AppError::Invalid(domain::Invalid::single("body", "err.json")));
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(request, state)
            .await
            .map_err(|rejection| if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE { ApiError::from(AppError::TooLarge) } else { bad() })?;
        // A control character (NUL and the like) is refused for every field, before any handler.
        if let Some(field) = crate::form::json_control(&value) {
            return Err(AppError::Invalid(domain::Invalid::single(field, "err.control")).into());
        }
        serde_json::from_value(value).map(Body).map_err(|_| bad())
    }
}

/// Path parameters whose rejection (`/partners/abc` where a number belongs) answers 400
/// problem+json naming the path, instead of axum's plain text.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Path<T>, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) if rejection.status().is_server_error() => Err(AppError::Internal(rejection.body_text()).into()),
            Err(_) => Err(AppError::Invalid(domain::Invalid::single("path", "err.path")).into()),
        }
    }
}

/// Query parameters whose rejection answers 400 problem+json naming the query.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Query<T>, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(_) => Err(AppError::Invalid(domain::Invalid::single("query", "err.query")).into()),
        }
    }
}

/// Every error answer under `/api/` as problem+json, whoever produced it: the router's 405
/// (its `Allow` header kept), a body over the size limit (413), and any other rejection that
/// reaches here as plain text or an empty body.
pub async fn problems(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let problem = crate::error::problem(status, crate::error::status_message_key(status), None);
    let (problem_parts, body) = problem.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in &problem_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}

/// A JSON answer carrying the object's version as its `ETag`.
pub fn versioned<T: Serialize>(value: &T, version: i64) -> Response {
    let mut response = axum::Json(value).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// The version an update is based on, from `If-Match` (`"3"`). Without it the update is
/// refused (428), so no client can overwrite a change it has not seen.
pub fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let raw = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()).ok_or(AppError::PreconditionRequired)?;
    raw.trim().trim_start_matches("W/").trim_matches('"').parse().map_err(|_| AppError::Invalid(domain::Invalid::single("If-Match", "err.version")).into())
}

pub fn created<T: Serialize>(value: &T, location: String) -> Response {
    let mut response = (axum::http::StatusCode::CREATED, axum::Json(value)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}
