//! Safe retries of creating API requests: the `Idempotency-Key` header (IETF draft
//! "The Idempotency-Key HTTP Header Field"). A POST under `/api/v1/` that carries a key claims
//! it for its user before the handler runs; the answer of a successful request is stored with
//! the key for 24 hours. A retry with the same key and the same request gets that answer again,
//! marked `Idempotent-Replayed: true`, and writes nothing; the same key with another request
//! answers 422; a retry while the first request is still running answers 409. A request that
//! did not succeed wrote nothing and gives its key up, so it can be sent again.
//!
//! If an instance stops between the write and storing its answer, the key stays claimed
//! without an answer: a retry then answers 409 rather than risk writing twice.

use crate::AppState;
use crate::error::{ApiError, AppError};
use crate::session::ApiUser;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use store::idempotency::{Answer, Claim};

pub const HEADER: &str = "idempotency-key";
/// Set on an answer that was stored for an earlier request with the same key.
pub const REPLAYED: &str = "idempotent-replayed";
/// The headers that belong to an answer and come back with it when it is replayed.
const KEPT: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];
const MAX_KEY: usize = 255;

/// The key as sent: a bare token or a structured-field string (`"…"`).
fn parse_key(raw: &HeaderValue) -> Option<String> {
    let text = raw.to_str().ok()?.trim();
    let key = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    let visible = key.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\');
    (!key.is_empty() && key.len() <= MAX_KEY && visible).then(|| key.to_string())
}

/// What a key remembers of a request: its method, target (path and query), content type and
/// body, as SHA-256 in hex.
pub fn digest(method: &Method, target: &str, content_type: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    for part in [method.as_str().as_bytes(), target.as_bytes(), content_type.as_bytes()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn replayed(answer: Answer) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = axum::http::StatusCode::from_u16(answer.status).unwrap_or(axum::http::StatusCode::OK);
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response.headers_mut().insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// The middleware. Requests without a key, other methods and paths, and requests without a
/// valid API token (the handler answers those) pass through untouched.
pub async fn replay(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST || !request.uri().path().starts_with("/api/v1/") {
        return next.run(request).await;
    }
    let Some(raw) = request.headers().get(HEADER) else { return next.run(request).await };
    let Some(key) = parse_key(raw) else {
        return ApiError(AppError::Invalid(domain::Invalid::single("Idempotency-Key", "err.idempotency_key"))).into_response();
    };
    let (mut parts, body) = request.into_parts();
    let Ok(ApiUser(user)) = ApiUser::from_request_parts(&mut parts, &state).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    let Ok(bytes) = axum::body::to_bytes(body, state.config.max_upload).await else {
        return ApiError(AppError::TooLarge).into_response();
    };
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let hash = digest(&parts.method, &target, content_type, &bytes);
    let what = format!("{} {}", parts.method, parts.uri.path());
    let claim = store::idempotency::Request { user_id: user.id, key: &key, request: &what, hash: &hash };
    match state.db.claim_idempotency_key(&claim, store::now()).await {
        Err(err) => return ApiError::from(err).into_response(),
        Ok(Claim::Done(answer)) => return replayed(answer),
        Ok(Claim::InFlight) => return ApiError(AppError::Conflict("idempotency_in_flight")).into_response(),
        Ok(Claim::Mismatch) => return ApiError(AppError::KeyReused).into_response(),
        Ok(Claim::New) => {}
    }

    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if !response.status().is_success() {
        if let Err(err) = state.db.release_idempotency_key(user.id, &key).await {
            tracing::error!(%err, "idempotency key not released");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(%err, "answer could not be read for its idempotency key");
            return ApiError(AppError::Internal("answer unreadable".into())).into_response();
        }
    };
    match String::from_utf8(bytes.to_vec()) {
        Ok(text) => {
            let headers = KEPT.iter().filter_map(|name| Some((name.as_str().to_string(), parts.headers.get(name)?.to_str().ok()?.to_string()))).collect();
            let answer = Answer { status: parts.status.as_u16(), headers, body: text };
            if let Err(err) = state.db.complete_idempotency_key(user.id, &key, &answer).await {
                // The write happened; the key stays claimed, so a retry answers 409, never a
                // second write.
                tracing::error!(%err, "answer not stored with its idempotency key");
            }
        }
        Err(_) => tracing::error!("answer is not text; its idempotency key stays claimed"),
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Declares the header on every POST of the OpenAPI document that takes an API token, with the
/// answers it adds (409 while the first request runs, 422 for a key reused for another request)
/// and the marker on a replayed answer.
pub struct OpenApiDoc;

impl utoipa::Modify for OpenApiDoc {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::{Content, Ref, RefOr, Required, ResponseBuilder, header::Header};
        let text = || ObjectBuilder::new().schema_type(Type::String);
        let problem = |description: &str| {
            ResponseBuilder::new().description(description).content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem")))).build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let Some(operation) = item.post.as_mut() else { continue };
            if !path.starts_with("/api/v1/") || operation.security.as_ref().is_some_and(|s| s.iter().all(|r| r == &Default::default())) {
                continue;
            }
            operation.parameters.get_or_insert_with(Vec::new).push(
                ParameterBuilder::new()
                    .name("Idempotency-Key")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::False)
                    .description(Some(
                        "Maakt het opnieuw sturen veilig: een nieuwe, unieke sleutel per verzoek (bijvoorbeeld een UUID), 1 tot 255 zichtbare tekens. \
                         Hetzelfde verzoek opnieuw met dezelfde sleutel geeft binnen 24 uur het eerste antwoord terug (met `Idempotent-Replayed: true`) \
                         en schrijft niets dubbel; dezelfde sleutel bij een ander verzoek geeft 422; terwijl het eerste verzoek nog loopt 409.",
                    ))
                    .schema(Some(text().max_length(Some(MAX_KEY)).min_length(Some(1))))
                    .example(Some(serde_json::json!("8e03978e-40d5-43e8-bc93-6894a57f9324")))
                    .build(),
            );
            for (status, response) in operation.responses.responses.iter_mut() {
                if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
                    let mut marker = Header::new(text());
                    marker.description = Some("`true` als dit het bewaarde antwoord is op een eerder verzoek met dezelfde Idempotency-Key".into());
                    response.headers.insert("Idempotent-Replayed".into(), marker);
                }
            }
            let responses = &mut operation.responses.responses;
            responses.entry("409".into()).or_insert_with(|| RefOr::T(problem("Conflict, of een verzoek met dezelfde Idempotency-Key loopt nog")));
            responses.entry("422".into()).or_insert_with(|| RefOr::T(problem("De Idempotency-Key is al gebruikt voor een ander verzoek")));
        }
    }
}
