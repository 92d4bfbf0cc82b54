//! One error type for handlers, with exactly two mappings: `ApiError` answers
//! `application/problem+json` (NL API Design Rules: 400 for invalid input, with every field
//! error), `PageError` renders an error page. A 5xx never shows internals; it is logged once.

use crate::i18n::Lang;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Invalid;
use store::{StorageFailure, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Invalid(Invalid),
    #[error("not signed in")]
    Unauthenticated,
    /// Password given, the second factor not yet.
    #[error("second factor required")]
    SecondFactorRequired,
    /// An administrator must set up a second factor before anything else.
    #[error("second factor setup required")]
    SecondFactorSetupRequired,
    #[error("forbidden")]
    Forbidden,
    /// Refused for the caller's role, with a message key that says why.
    #[error("forbidden: {0}")]
    ForbiddenBecause(&'static str),
    #[error("not found")]
    NotFound,
    /// A stale version or a taken value; the key names which, for the message.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("precondition required")]
    PreconditionRequired,
    #[error("too many attempts")]
    TooManyAttempts,
    /// A questionnaire link took as many answers as it may for now; try again after the seconds.
    #[error("too many answers")]
    TooManyAnswers(u64),
    /// The storage refuses writes (a full disk, I/O errors): nothing was written, try later.
    #[error("storage unavailable: {0}")]
    Unavailable(StorageFailure),
    /// An `Idempotency-Key` sent again with another request.
    #[error("idempotency key reused for another request")]
    KeyReused,
    /// The request body is larger than the route accepts.
    #[error("request too large")]
    TooLarge,
    /// Every password-hashing permit stayed taken: try again shortly.
    #[error("busy")]
    Busy,
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> AppError {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Reference(field) => AppError::Invalid(Invalid::single(field, "err.not_in_collaboration")),
            StoreError::Storage(failure, cause) => {
                tracing::warn!(%failure, %cause, "storage refused a write");
                AppError::Unavailable(failure)
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<crate::password::HashError> for AppError {
    fn from(err: crate::password::HashError) -> AppError {
        match err {
            crate::password::HashError::Busy => AppError::Busy,
            crate::password::HashError::Failed(cause) => AppError::Internal(cause),
        }
    }
}

impl From<Invalid> for AppError {
    fn from(err: Invalid) -> AppError {
        AppError::Invalid(err)
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated | AppError::SecondFactorRequired => StatusCode::UNAUTHORIZED,
            AppError::SecondFactorSetupRequired => StatusCode::FORBIDDEN,
            AppError::Forbidden | AppError::ForbiddenBecause(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::TooManyAttempts | AppError::TooManyAnswers(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::KeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The field a control character was found in, when the form names one.
    fn control_field(&self) -> Option<&'static str> {
        match self {
            AppError::Invalid(invalid) => invalid.errors.iter().find(|e| e.code == "err.control" && e.field != "form" && e.field != "query").map(|e| e.field),
            _ => None,
        }
    }

    /// The message key that explains this error to a person.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Invalid(invalid) if invalid.errors.iter().any(|e| e.code == "err.control") => "error.control",
            AppError::Invalid(_) => "error.invalid",
            AppError::Unauthenticated | AppError::SecondFactorRequired => "error.unauthenticated",
            AppError::SecondFactorSetupRequired => "error.second_factor_setup",
            AppError::Forbidden => "error.forbidden",
            AppError::ForbiddenBecause(key) => key,
            AppError::NotFound => "error.not_found",
            AppError::Conflict("version") => "error.stale",
            AppError::Conflict("email") => "error.email_taken",
            AppError::Conflict("last_beheerder") => "error.last_beheerder",
            AppError::Conflict("four_eyes") => "error.four_eyes",
            AppError::Conflict("idempotency_in_flight") => "error.idempotency_in_flight",
            AppError::Conflict(_) => "error.conflict",
            AppError::PreconditionRequired => "error.precondition",
            AppError::TooManyAttempts => "error.too_many_attempts",
            AppError::TooManyAnswers(_) => "error.too_many_answers",
            AppError::Unavailable(StorageFailure::Full) => "error.storage_full",
            AppError::Unavailable(StorageFailure::Io) => "error.storage_io",
            AppError::Unavailable(StorageFailure::ReadOnly) => "error.storage_read_only",
            AppError::KeyReused => "error.idempotency_reused",
            AppError::TooLarge => "error.too_large",
            AppError::Busy => "error.busy",
            AppError::Internal(_) => "error.internal",
        }
    }

    /// A title in the visitor's language where the status's own English name would mislead.
    fn title_key(&self) -> Option<&'static str> {
        match self {
            AppError::Unavailable(_) => Some("error.storage_title"),
            _ => None,
        }
    }

    /// What an answer carrying this error also says: when to try again (busy, storage
    /// refusing writes), and (for the write health that `/healthz` reports) that the storage
    /// refused a write.
    pub fn decorate(&self, response: &mut Response) {
        match self {
            AppError::Busy => {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(crate::password::RETRY_AFTER_SECONDS));
            }
            AppError::TooManyAnswers(seconds) => {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*seconds));
            }
            AppError::Unavailable(failure) => {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("30"));
                response.extensions_mut().insert(StorageRefused(*failure));
            }
            _ => {}
        }
    }

    fn log(&self) {
        if let AppError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
    }
}

/// The API's mapping: RFC 9457 problem details.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> ApiError {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let invalid = match &err {
            AppError::Invalid(invalid) => Some(invalid),
            _ => None,
        };
        let mut response = problem_titled(err.status(), err.title_key(), err.message_key(), invalid);
        if matches!(err, AppError::Unauthenticated | AppError::SecondFactorRequired) {
            response.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        err.decorate(&mut response);
        response
    }
}

/// An RFC 9457 problem-details answer (`type`, `status`, `title`, `detail`, and for invalid
/// input `invalidParams` with every field error), in Dutch.
pub fn problem(status: StatusCode, message_key: &str, invalid: Option<&Invalid>) -> Response {
    problem_titled(status, None, message_key, invalid)
}

/// A problem whose title is a message of our own instead of the status's name.
fn problem_titled(status: StatusCode, title_key: Option<&str>, message_key: &str, invalid: Option<&Invalid>) -> Response {
    let lang = Lang::Nl;
    let mut body = serde_json::json!({
        "type": "about:blank",
        "status": status.as_u16(),
        "title": match title_key {
            Some(key) => lang.t(key),
            None => status.canonical_reason().unwrap_or("Error"),
        },
        "detail": lang.t(message_key),
    });
    if let Some(invalid) = invalid {
        body["invalidParams"] = invalid.errors.iter().map(|e| serde_json::json!({"name": e.field, "code": e.code, "reason": lang.error(e)})).collect();
    }
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
    response
}

/// The message for an error status that no handler explained (a rejection by the router or
/// a layer).
pub fn status_message_key(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "error.invalid",
        StatusCode::UNAUTHORIZED => "error.unauthenticated",
        StatusCode::FORBIDDEN => "error.cross_site",
        StatusCode::NOT_FOUND => "error.not_found",
        StatusCode::METHOD_NOT_ALLOWED => "error.method",
        StatusCode::PAYLOAD_TOO_LARGE => "error.too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "error.media_type",
        StatusCode::CONFLICT => "error.conflict",
        StatusCode::PRECONDITION_REQUIRED => "error.precondition",
        StatusCode::TOO_MANY_REQUESTS => "error.too_many_attempts",
        s if s.is_server_error() => "error.internal",
        _ => "error.invalid",
    }
}

/// The pages' mapping. A missing session sends the visitor to the sign-in page (or on to the
/// second factor); other errors leave an `ErrorPage` marker that `html::render_error_pages`
/// turns into a page in the visitor's language.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(err: E) -> PageError {
        PageError(err.into())
    }
}

/// Left in a response's extensions when the storage refused a write, for `health`.
#[derive(Debug, Clone, Copy)]
pub struct StorageRefused(pub StorageFailure);

/// Left in a response's extensions for the error-page layer to render.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub message_key: &'static str,
    /// The form field that held a control character, for a form that is not shown again.
    pub field: Option<&'static str>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let to = match err {
            AppError::Unauthenticated => Some("/inloggen"),
            AppError::SecondFactorRequired => Some("/inloggen/code"),
            AppError::SecondFactorSetupRequired => Some("/account/tweede-factor"),
            _ => None,
        };
        if let Some(to) = to {
            return axum::response::Redirect::to(to).into_response();
        }
        let mut response = err.status().into_response();
        err.decorate(&mut response);
        response.extensions_mut().insert(ErrorPage { message_key: err.message_key(), field: err.control_field() });
        response
    }
}
