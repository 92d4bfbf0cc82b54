//! Invitations: an account made without a password gets a single-use link, valid for a few
//! days, of which only the hash is kept. Using it sets the first password; a new invitation
//! replaces the ones before it.

use crate::user::User;
use crate::{Actor, Db, Result, StoreError, dispatch, now, on_tx, unique_as_conflict};
use domain::ids::UserId;

/// How long an invitation stays valid.
pub const INVITATION_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Invitation {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, created_at, expires_at, used_at";

impl Db {
    /// Creates an account without a password and its first invitation, in one transaction.
    pub async fn create_invited_user(
        &self,
        actor: &Actor,
        email: &str,
        name: &str,
        is_admin: bool,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<(User, Invitation)> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO users (email, name, password_hash, is_admin, created_at) VALUES ($1, $2, '', $3, $4) \
                   RETURNING id, email, name, password_hash, is_admin, disabled, totp_secret, totp_enabled, totp_last_step, national_reader";
        let user: User = on_tx!(&mut tx, |c| sqlx::query_as(sql).bind(email.trim().to_lowercase()).bind(name).bind(is_admin).bind(now()).fetch_one(c).await)
            .map_err(|e| unique_as_conflict(e, "email"))?;
        let sql = format!("INSERT INTO invitations (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}");
        let invitation: Invitation = on_tx!(&mut tx, |c| sqlx::query_as(&sql).bind(user.id).bind(token_hash).bind(now()).bind(expires_at).fetch_one(c).await)?;
        tx.audit(actor, None, "user.create", &format!("user:{}", user.email), "invited").await?;
        tx.commit().await?;
        Ok((user, invitation))
    }

    /// A new invitation for an account that has no password yet; earlier ones stop working.
    /// An account that has a password is refused (`Conflict("has_password")`).
    pub async fn reinvite(&self, actor: &Actor, user_id: UserId, token_hash: &str, expires_at: i64) -> Result<Invitation> {
        let mut tx = self.begin().await?;
        let hash: Option<(String, bool)> =
            on_tx!(&mut tx, |c| sqlx::query_as("SELECT password_hash, disabled FROM users WHERE id = $1").bind(user_id.0).fetch_optional(c).await)?;
        match hash {
            None => return Err(StoreError::NotFound),
            Some((hash, disabled)) if !hash.is_empty() || disabled => return Err(StoreError::Conflict("has_password")),
            Some(_) => {}
        }
        let at = now();
        on_tx!(&mut tx, |c| sqlx::query("UPDATE invitations SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(at)
            .bind(user_id.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        let sql = format!("INSERT INTO invitations (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}");
        let invitation: Invitation = on_tx!(&mut tx, |c| sqlx::query_as(&sql).bind(user_id.0).bind(token_hash).bind(at).bind(expires_at).fetch_one(c).await)?;
        tx.audit(actor, None, "user.invite", &format!("user:{user_id}"), "ok").await?;
        tx.commit().await?;
        Ok(invitation)
    }

    /// The account an unused, unexpired invitation is for, when that account is enabled.
    pub async fn invited_user(&self, token_hash: &str) -> Result<Option<(Invitation, User)>> {
        let sql = format!("SELECT {COLUMNS} FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2");
        let invitation: Option<Invitation> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(token_hash).bind(now()).fetch_optional(pool).await)?;
        let Some(invitation) = invitation else { return Ok(None) };
        let user = self.user_by_id(UserId(invitation.user_id)).await?;
        Ok(if user.disabled { None } else { Some((invitation, user)) })
    }

    /// The latest invitation of each account, by user id (for the administrator's list).
    pub async fn latest_invitations(&self) -> Result<Vec<Invitation>> {
        let sql = format!("SELECT {COLUMNS} FROM invitations i WHERE id = (SELECT MAX(id) FROM invitations j WHERE j.user_id = i.user_id) ORDER BY user_id");
        Ok(dispatch!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    /// Uses an invitation: marks it used and sets the account's password, in one transaction.
    /// An invitation that was used, has expired, or whose account is disabled is `NotFound`,
    /// and so is a second use of the same link (the update that claims it takes it once).
    pub async fn accept_invitation(&self, actor: &Actor, token_hash: &str, password_hash: &str) -> Result<User> {
        let mut tx = self.begin().await?;
        let at = now();
        let claimed: Option<(i64,)> = on_tx!(&mut tx, |c| sqlx::query_as(
            "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id"
        )
        .bind(at)
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
        let Some((user_id,)) = claimed else { return Err(StoreError::NotFound) };
        let sql = "UPDATE users SET password_hash = $1 WHERE id = $2 AND disabled = FALSE \
                   RETURNING id, email, name, password_hash, is_admin, disabled, totp_secret, totp_enabled, totp_last_step, national_reader";
        let user: Option<User> = on_tx!(&mut tx, |c| sqlx::query_as(sql).bind(password_hash).bind(user_id).fetch_optional(c).await)?;
        let Some(user) = user else { return Err(StoreError::NotFound) };
        on_tx!(&mut tx, |c| sqlx::query("UPDATE invitations SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
            .bind(at)
            .bind(user_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        let actor = Actor { user_id: Some(user.id), label: user.email.clone(), origin: actor.origin.clone() };
        tx.audit(&actor, None, "user.accept_invitation", &format!("user:{}", user.email), "ok").await?;
        tx.commit().await?;
        Ok(user)
    }
}
