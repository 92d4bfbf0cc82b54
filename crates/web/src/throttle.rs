//! Every check of a secret a person types (password at sign-in, current password before a
//! change, second-factor code) goes through here: the attempt is counted and recorded in one
//! step before it is checked (ASVS 2.2.1), and taken back only when it succeeds. Known and
//! unknown accounts are counted alike, per account and per client address.

use crate::AppState;
use crate::error::AppError;
use store::session::AttemptLimits;

/// At most this many failed attempts per account in an hour, and this many from one address,
/// after which every check is refused until the hour has passed.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 100;
pub const MAX_FAILURES_PER_ORIGIN: i64 = 500;
pub const WINDOW_SECONDS: i64 = 3600;

const LIMITS: AttemptLimits = AttemptLimits { account: MAX_FAILURES_PER_ACCOUNT, origin: MAX_FAILURES_PER_ORIGIN };

/// What a throttled check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The secret was right and the attempt is not counted.
    Passed,
    /// The secret was wrong; the attempt stays counted.
    Failed,
    /// Too many failures: nothing was checked.
    Throttled,
}

/// An attempt that was counted and may now be checked.
pub struct Attempt<'a> {
    state: &'a AppState,
    id: i64,
}

/// Counts an attempt for `account` from `origin`, or answers `None` when the limit is reached.
pub async fn begin<'a>(state: &'a AppState, account: &str, origin: &str) -> Result<Option<Attempt<'a>>, AppError> {
    let id = state.db.claim_login_attempt(account, origin, store::now() - WINDOW_SECONDS, LIMITS).await?;
    Ok(id.map(|id| Attempt { state, id }))
}

impl Attempt<'_> {
    /// Settles the attempt: a success is taken back, a failure stays counted.
    pub async fn settle(self, passed: bool) -> Result<Outcome, AppError> {
        if passed {
            self.state.db.forgive_login_attempt(self.id).await?;
            Ok(Outcome::Passed)
        } else {
            Ok(Outcome::Failed)
        }
    }

    /// An attempt that could not be checked at all (the hashing was busy) is not counted.
    pub async fn withdraw(self) -> Result<(), AppError> {
        self.state.db.forgive_login_attempt(self.id).await?;
        Ok(())
    }
}

/// Checks `password` against `stored` (a dummy hash when `None`) under the throttle and the
/// hashing permits. `usable` is false for a disabled account: a right password then still
/// counts as a failure. A busy refusal (`AppError::Busy`) leaves nothing counted.
pub async fn check_password(
    state: &AppState,
    account: &str,
    origin: &str,
    password: String,
    stored: Option<String>,
    usable: bool,
) -> Result<Outcome, AppError> {
    let Some(attempt) = begin(state, account, origin).await? else { return Ok(Outcome::Throttled) };
    match crate::password::verify(password, stored).await {
        Ok(right) => attempt.settle(right && usable).await,
        Err(err) => {
            attempt.withdraw().await?;
            Err(err.into())
        }
    }
}
