//! Server-side sessions, failed sign-in attempts and personal API tokens. Only hashes of
//! session ids and tokens are stored, so a copy of the database signs nobody in.

use crate::user::User;
use crate::{Actor, Db, Result, StoreError, dispatch, now, on_tx};

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

    /// Failed attempts since `since` for this account and from this origin.
    pub async fn login_failures_since(&self, account: &str, origin: &str, since: i64) -> Result<(i64, i64)> {
        let by_account: i64 = dispatch!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at >= $2")
            .bind(account)
            .bind(since)
            .fetch_one(pool)
            .await)?;
        let by_origin: i64 = dispatch!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE origin = $1 AND at >= $2")
            .bind(origin)
            .bind(since)
            .fetch_one(pool)
            .await)?;
        Ok((by_account, by_origin))
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
