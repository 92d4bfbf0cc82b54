//! Password hashing with Argon2id at the OWASP parameters (46 MiB, one pass, one lane). One
//! hash takes tens of milliseconds and 46 MiB by design, so every hash and every check runs
//! on a blocking thread and holds one of a few permits (as many as the machine has cores, at
//! most four): memory stays bounded however many attempts arrive at once. An attempt that
//! finds no permit within [`WAIT`] is refused as busy (503 with `Retry-After`).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, LazyLock, OnceLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long an attempt waits for a free permit before it is refused as busy.
pub const WAIT: Duration = Duration::from_secs(5);
/// What `Retry-After` tells a client refused as busy, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 2;

static PERMITS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(permits())));

/// How many hashes may run at once: the number of cores, at least one and at most four.
pub fn permits() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4)
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every permit stayed taken for [`WAIT`].
    #[error("password hashing is busy")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(46 * 1024, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Runs `work` on a blocking thread once a permit is free. The permit moves into the thread,
/// so a request that is dropped halfway does not free it before the hash is done.
async fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
    let permit = match tokio::time::timeout(WAIT, PERMITS.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        _ => return Err(HashError::Busy),
    };
    tokio::task::spawn_blocking(move || {
        let out = work();
        drop(permit);
        out
    })
    .await
    .map_err(|e| HashError::Failed(e.to_string()))
}

pub async fn hash(password: String) -> Result<String, HashError> {
    bounded(move || hash_blocking(&password)).await?.map_err(HashError::Failed)
}

/// Verifies `password` against `stored`; with no stored hash (or the empty one of an invited
/// account that has not set its password) it checks a dummy one, so such an account takes as
/// long to refuse as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, HashError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = stored.filter(|hash| !hash.is_empty());
    bounded(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY.get_or_init(|| hash_blocking("not a real password at all").unwrap_or_default()).clone());
        let ok = PasswordHash::new(&stored).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok());
        ok && known
    })
    .await
}
