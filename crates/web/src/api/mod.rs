//! The JSON API under `/api/v1`: Dutch resource names, personal API tokens, errors as
//! problem+json, optimistic locking with `ETag`/`If-Match`, and an OpenAPI 3 document built
//! from the handlers' annotations.

pub mod agreement;
pub mod case_review;
pub mod collaboration;
pub mod company;
pub mod cycle;
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
pub mod vision;

use crate::AppState;
use crate::error::{ApiError, AppError};
use crate::routes::Routes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

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
        .merge(meeting::routes())
        .merge(scan::routes())
        .merge(indicator::routes())
        .merge(cycle::routes())
        .merge(scope::routes())
        .merge(case_review::routes())
        .merge(rollup::routes())
        .merge(programme::routes())
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose every rejection (bad syntax, wrong types, wrong content type) answers
/// 400 problem+json, as the NL API Design Rules ask, instead of axum's 415/422.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Body<T>, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Body(value)),
            Err(_) => Err(AppError::Invalid(domain::Invalid::single("body", "err.json")).into()),
        }
    }
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
