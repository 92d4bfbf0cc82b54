//! Keys that make a creating API request safe to retry (the `Idempotency-Key` header). The
//! first request with a key claims it before it writes; the primary key on (user, key) lets
//! only one claim through, on one instance or many sharing a database. When the request is
//! done its answer is stored with the key, and a retry gets that answer back.

use crate::{Db, Result, dispatch, on_tx};

/// How long a key is remembered.
pub const LIFETIME_SECONDS: i64 = 24 * 60 * 60;

/// A request as the key remembers it.
pub struct Request<'a> {
    pub user_id: i64,
    pub key: &'a str,
    /// Method and path, e.g. `POST /api/v1/samenwerkingen/3/partners`.
    pub request: &'a str,
    /// A digest of everything that makes the request what it is (method, path, body).
    pub hash: &'a str,
}

/// A finished request's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The headers that belong to the answer itself (content type, location, version tag).
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this request goes ahead.
    New,
    /// A request with this key finished before: its answer.
    Done(Answer),
    /// A request with this key has not finished (or its instance stopped halfway).
    InFlight,
    /// The key was used for another request (another body or another path).
    Mismatch,
}

type Row = (String, String, Option<i32>, Option<String>, Option<String>);

impl Db {
    /// Claims `req.key` for `req.user_id`, or says why not. Keys older than the lifetime are
    /// forgotten first. `at` is the current time (a parameter for tests).
    pub async fn claim_idempotency_key(&self, req: &Request<'_>, at: i64) -> Result<Claim> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, |c| sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1").bind(at - LIFETIME_SECONDS).execute(c).await.map(|_| ()))?;
        let inserted = on_tx!(&mut tx, |c| sqlx::query(
            "INSERT INTO idempotency_keys (user_id, idempotency_key, request, request_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (user_id, idempotency_key) DO NOTHING"
        )
        .bind(req.user_id)
        .bind(req.key)
        .bind(req.request)
        .bind(req.hash)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
        if inserted == 1 {
            tx.commit().await?;
            return Ok(Claim::New);
        }
        let row: Row = on_tx!(&mut tx, |c| sqlx::query_as(
            "SELECT request, request_hash, status, response_headers, response_body FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2"
        )
        .bind(req.user_id)
        .bind(req.key)
        .fetch_one(c)
        .await)?;
        tx.commit().await?;
        let (request, hash, status, headers, body) = row;
        if request != req.request || hash != req.hash {
            return Ok(Claim::Mismatch);
        }
        let Some(status) = status else { return Ok(Claim::InFlight) };
        let headers: Vec<(String, String)> =
            serde_json::from_str(headers.as_deref().unwrap_or("[]")).map_err(|_| crate::StoreError::Corrupt("idempotency_keys"))?;
        Ok(Claim::Done(Answer {
            status: u16::try_from(status).map_err(|_| crate::StoreError::Corrupt("idempotency_keys"))?,
            headers,
            body: body.unwrap_or_default(),
        }))
    }

    /// Stores the answer of the request that claimed the key.
    pub async fn complete_idempotency_key(&self, user_id: i64, key: &str, answer: &Answer) -> Result<()> {
        let headers = serde_json::to_string(&answer.headers).unwrap_or_else(|_| "[]".to_string());
        dispatch!(self, |pool| sqlx::query(
            "UPDATE idempotency_keys SET status = $1, response_headers = $2, response_body = $3 WHERE user_id = $4 AND idempotency_key = $5"
        )
        .bind(i32::from(answer.status))
        .bind(&headers)
        .bind(&answer.body)
        .bind(user_id)
        .bind(key)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Gives the key up again: the request that claimed it wrote nothing, so a retry may.
    pub async fn release_idempotency_key(&self, user_id: i64, key: &str) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2 AND status IS NULL")
            .bind(user_id)
            .bind(key)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
