//! Server-side sessions, failed sign-in attempts and personal API tokens. Only hashes of
//! session ids and tokens are stored, so a copy of the database signs nobody in.

use crate::user::User;
use crate::{Actor, Db, Result, StoreError, Tx, dispatch, now, on_tx};

/// The PostgreSQL advisory lock key under which sign-in attempts are counted and recorded.
const THROTTLE_LOCK: i64 = 0x5267_7468_726f_7431;

/// How many failed attempts an account and an origin may have within the window.
#[derive(Debug, Clone, Copy)]
pub struct AttemptLimits {
    pub account: i64,
    pub origin: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub second_factor_pending: bool,
    pub created_at: i64,
    pub last_seen_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl Db {
    pub async fn create_session(&self, id_hash: &str, user_id: i64, second_factor_pending: bool) -> Result<()> {
        let at = now();
        let sql = "INSERT INTO sessions (id_hash, user_id, second_factor_pending, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)";
        dispatch!(self, |pool| sqlx::query(sql)
            .bind(id_hash)
            .bind(user_id)
            .bind(second_factor_pending)
            .bind(at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<Session>> {
        let sql = "SELECT id_hash, user_id, second_factor_pending, created_at, last_seen_at FROM sessions WHERE id_hash = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(id_hash).fetch_optional(pool).await)?)
    }

    pub async fn touch_session(&self, id_hash: &str, at: i64) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(at)
            .bind(id_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Marks the second factor as given for this session.
    pub async fn complete_second_factor(&self, id_hash: &str) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("UPDATE sessions SET second_factor_pending = FALSE WHERE id_hash = $1")
            .bind(id_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Removes sessions idle since `idle_before` or started before `started_before`.
    pub async fn delete_expired_sessions(&self, idle_before: i64, started_before: i64) -> Result<u64> {
        let sql = "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2";
        Ok(dispatch!(self, |pool| sqlx::query(sql).bind(idle_before).bind(started_before).execute(pool).await.map(|r| r.rows_affected()))?)
    }

    pub async fn record_login_failure(&self, account: &str, origin: &str) -> Result<()> {
        let sql = "INSERT INTO login_failures (account, origin, at) VALUES ($1, $2, $3)";
        dispatch!(self, |pool| sqlx::query(sql).bind(account).bind(origin).bind(now()).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Decides and records an attempt in one step: when fewer than `limits.account` failures
    /// for this account and fewer than `limits.origin` from this origin were recorded since
    /// `since`, the attempt is recorded as a failure at once and its id returned; otherwise
    /// nothing is recorded and `None` says the attempt is refused. An attempt that then
    /// succeeds is taken back with [`Db::forgive_login_attempt`]. Counting and recording
    /// happen under one lock (`BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock
    /// on PostgreSQL), so concurrent attempts, from one instance or several, cannot pass the
    /// limit together.
    pub async fn claim_login_attempt(&self, account: &str, origin: &str, since: i64, limits: AttemptLimits) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        if let Tx::Postgres(t) = &mut tx {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(THROTTLE_LOCK).execute(&mut **t).await?;
        }
        let by_account: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at >= $2")
            .bind(account)
            .bind(since)
            .fetch_one(c)
            .await)?;
        let by_origin: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE origin = $1 AND at >= $2")
            .bind(origin)
            .bind(since)
            .fetch_one(c)
            .await)?;
        if by_account >= limits.account || by_origin >= limits.origin {
            return Ok(None);
        }
        let sql = "INSERT INTO login_failures (account, origin, at) VALUES ($1, $2, $3) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(account).bind(origin).bind(now()).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Takes back an attempt claimed with [`Db::claim_login_attempt`] that succeeded or was
    /// never tried.
    pub async fn forgive_login_attempt(&self, id: i64) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(id).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Failed attempts recorded for this account since `since`.
    pub async fn login_failures_of(&self, account: &str, since: i64) -> Result<i64> {
        Ok(dispatch!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at >= $2")
            .bind(account)
            .bind(since)
            .fetch_one(pool)
            .await)?)
    }

    pub async fn prune_login_failures(&self, before: i64) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(before).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn create_api_token(&self, actor: &Actor, user_id: i64, name: &str, token_hash: &str) -> Result<ApiToken> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id, name, created_at, last_used_at";
        let token: ApiToken = on_tx!(&mut tx, |c| sqlx::query_as(sql).bind(user_id).bind(name).bind(token_hash).bind(now()).fetch_one(c).await)?;
        tx.audit(actor, None, "token.create", &format!("token:{}", token.id), "ok").await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        let sql = "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(user_id).fetch_all(pool).await)?)
    }

    pub async fn revoke_api_token(&self, actor: &Actor, user_id: i64, token_id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let gone = on_tx!(&mut tx, |c| sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
            .bind(token_id)
            .bind(user_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(actor, None, "token.revoke", &format!("token:{token_id}"), "ok").await?;
        tx.commit().await
    }

    /// The enabled user a token belongs to; marks the token as used.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        let sql = "SELECT u.id, u.email, u.name, u.password_hash, u.is_admin, u.disabled, u.totp_secret, u.totp_enabled, u.totp_last_step, u.national_reader \
                   FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.disabled = FALSE";
        let user: Option<User> = dispatch!(self, |pool| sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await)?;
        if user.is_some() {
            let touched = dispatch!(self, |pool| sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                .bind(now())
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()));
            // A full disk must not lock every token holder out of reading: the time of last
            // use is only a hint.
            match touched.map_err(StoreError::from) {
                Ok(_) => {}
                Err(StoreError::Storage(failure, err)) => tracing::warn!(%failure, %err, "token use not recorded"),
                Err(err) => return Err(err),
            }
        }
        Ok(user)
    }
}
