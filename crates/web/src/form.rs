//! Reading form posts. Browsers send repeated keys for checkboxes (`roles=a&roles=b`), which
//! `serde_html_form` reads into a `Vec`; axum's own `Form` cannot.

use crate::AppState;
use crate::error::{AppError, PageError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

/// The raw body of a form post, parsed on demand (a handler may read it as several types).
pub struct FormBody(pub Bytes);

impl FromRequest<AppState> for FormBody {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<FormBody, PageError> {
        let bytes = Bytes::from_request(request, state).await.map_err(|_| AppError::Invalid(domain::Invalid::single("form", "err.form")))?;
        Ok(FormBody(bytes))
    }
}

impl FormBody {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        serde_html_form::from_bytes(&self.0).map_err(|_| AppError::Invalid(domain::Invalid::single("form", "err.form")))
    }

    /// The `version` a form was based on (hidden field), for optimistic locking.
    pub fn version(&self) -> Result<i64, AppError> {
        #[derive(serde::Deserialize)]
        struct Versioned {
            version: i64,
        }
        Ok(self.parse::<Versioned>()?.version)
    }
}
