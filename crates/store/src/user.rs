//! Accounts: e-mail, name, password hash, the instance-administrator flag and the second
//! factor. Hashing and the password policy happen before a hash reaches this module.

use crate::{Actor, Db, Result, StoreError, dispatch, now, on_tx, unique_as_conflict};
use domain::ids::UserId;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    /// May read the obstacles of every collaboration and answer them (regional or national table).
    pub national_reader: bool,
}

impl User {
    pub fn id(&self) -> UserId {
        UserId(self.id)
    }
}

const COLUMNS: &str = "id, email, name, password_hash, is_admin, disabled, totp_secret, totp_enabled, totp_last_step, national_reader";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
}

impl Db {
    pub async fn create_user(&self, actor: &Actor, user: &NewUser<'_>) -> Result<User> {
        let mut tx = self.begin().await?;
        let sql = format!("INSERT INTO users (email, name, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}");
        let created: User = on_tx!(&mut tx, |c| sqlx::query_as(&sql)
            .bind(user.email.to_lowercase())
            .bind(user.name)
            .bind(user.password_hash)
            .bind(user.is_admin)
            .bind(now())
            .fetch_one(c)
            .await)
        .map_err(|e| unique_as_conflict(e, "email"))?;
        tx.audit(actor, None, "user.create", &format!("user:{}", created.email), "ok").await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
        Ok(dispatch!(self, |pool| sqlx::query_as(&sql).bind(email.trim().to_lowercase()).fetch_optional(pool).await)?)
    }

    pub async fn user_by_id(&self, id: UserId) -> Result<User> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        dispatch!(self, |pool| sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await)?.ok_or(StoreError::NotFound)
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {COLUMNS} FROM users ORDER BY lower(name), email");
        Ok(dispatch!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    /// Sets a new password hash and ends every session and API token of the user.
    pub async fn set_password(&self, actor: &Actor, id: UserId, password_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = on_tx!(&mut tx, |c| sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        on_tx!(&mut tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(&mut tx, |c| sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        tx.audit(actor, None, "user.password", &format!("user:{id}"), "ok").await?;
        tx.commit().await
    }

    /// Disables (or re-enables) an account; disabling ends its sessions and API tokens at once.
    pub async fn set_disabled(&self, actor: &Actor, id: UserId, disabled: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = on_tx!(&mut tx, |c| sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            on_tx!(&mut tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
            on_tx!(&mut tx, |c| sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        tx.audit(actor, None, action, &format!("user:{id}"), "ok").await?;
        tx.commit().await
    }

    /// Grants or withdraws the instance-wide role of regional or national reader.
    pub async fn set_national_reader(&self, actor: &Actor, id: UserId, national_reader: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = on_tx!(&mut tx, |c| sqlx::query("UPDATE users SET national_reader = $1 WHERE id = $2")
            .bind(national_reader)
            .bind(id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(actor, None, if national_reader { "user.national_reader" } else { "user.not_national_reader" }, &format!("user:{id}"), "ok").await?;
        tx.commit().await
    }

    /// Stores a new, not yet confirmed second-factor secret.
    pub async fn set_totp_secret(&self, id: UserId, secret: &str) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled = FALSE WHERE id = $2")
            .bind(secret)
            .bind(id.0)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Confirms the second factor with the step of the code that proved it.
    pub async fn enable_totp(&self, actor: &Actor, id: UserId, step: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, |c| sqlx::query("UPDATE users SET totp_enabled = TRUE, totp_last_step = $1 WHERE id = $2")
            .bind(step)
            .bind(id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(actor, None, "user.totp_enable", &format!("user:{id}"), "ok").await?;
        tx.commit().await
    }

    /// Records the step of a used code; answers false when that step (or a later one) was
    /// used before, so one code can never sign in twice.
    pub async fn use_totp_step(&self, id: UserId, step: i64) -> Result<bool> {
        let sql = "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)";
        let changed = dispatch!(self, |pool| sqlx::query(sql).bind(step).bind(id.0).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(changed == 1)
    }
}
