//! Personal API tokens, the same from the account page and the API: a name, a lifetime of 1
//! to 365 days (90 unless chosen), the secret shown once and only its hash kept.

use crate::error::AppError;
use crate::session::{TOKEN_PREFIX, digest, new_secret};
use domain::Invalid;
use store::session::{ApiToken, DAY, MAX_TOKEN_DAYS, TOKEN_DAYS};
use store::{Actor, Db};

/// A token just made: its record and the secret, which is never shown again.
pub struct Created {
    pub token: ApiToken,
    pub secret: String,
}

/// The lifetime typed in a form: empty is the default, anything not a whole number is refused.
pub fn days_from_form(raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        text => Some(text.parse().unwrap_or(0)),
    }
}

pub async fn create(db: &Db, actor: &Actor, user_id: i64, name: &str, days: Option<i64>) -> Result<Created, AppError> {
    let mut invalid = Invalid::default();
    let name = domain::error::required_text(&mut invalid, "name", name, 100);
    let days = days.unwrap_or(TOKEN_DAYS);
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        invalid.add("expires_in_days", "err.token_days");
    }
    if !invalid.errors.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let secret = format!("{TOKEN_PREFIX}{}", new_secret());
    let token = db.create_api_token_until(actor, user_id, &name, &digest(&secret), store::now() + days * DAY).await?;
    Ok(Created { token, secret })
}
