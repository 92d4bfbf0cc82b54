//! Whether the storage takes writes. Every answer that says the storage refused a write
//! (a full disk, I/O errors) is remembered here; a write that succeeds afterwards, through
//! the API or through the probe `/healthz` then runs, clears it. `/healthz` reports
//! `degraded` in between, with the reason.

use crate::AppState;
use crate::error::StorageRefused;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Mutex;
use store::StorageFailure;

/// The storage's most recent refusal, until a write succeeds again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    pub kind: StorageFailure,
    /// When writes began to be refused (Unix time).
    pub since: i64,
    /// The latest refusal (Unix time).
    pub last: i64,
    /// Refusals since `since`.
    pub count: u64,
}

#[derive(Debug, Default)]
pub struct WriteHealth {
    failure: Mutex<Option<Failure>>,
}

impl WriteHealth {
    pub fn failed(&self, kind: StorageFailure) {
        let now = store::now();
        let mut failure = self.failure.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *failure = Some(match *failure {
            Some(f) => Failure { kind, since: f.since, last: now, count: f.count + 1 },
            None => Failure { kind, since: now, last: now, count: 1 },
        });
    }

    pub fn succeeded(&self) {
        *self.failure.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    pub fn failure(&self) -> Option<Failure> {
        *self.failure.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Records refused writes, and successful API writes (a 2xx answer to a method that
/// changes something), in the application's write health.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if let Some(StorageRefused(kind)) = response.extensions().get::<StorageRefused>() {
        state.health.failed(*kind);
    } else if writes && api && response.status().is_success() {
        state.health.succeeded();
    }
    response
}
