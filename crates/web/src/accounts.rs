//! Creating an account, the same way from the administrator's page, the CLI and the demo:
//! the e-mail and name checked, the password held to the policy, then hashed.

use crate::error::AppError;
use domain::Invalid;
use store::user::{NewUser, User};
use store::{Actor, Db};

pub async fn create_account(db: &Db, actor: &Actor, email: &str, name: &str, password: &str, is_admin: bool) -> Result<User, AppError> {
    let mut invalid = Invalid::default();
    let email = domain::error::email(&mut invalid, "email", email, true);
    let name = domain::error::required_text(&mut invalid, "name", name, 200);
    if let Err(policy) = domain::password::check(password, &email) {
        invalid.errors.extend(policy.errors);
    }
    if !invalid.errors.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let password_hash = crate::password::hash(password.to_string()).await?;
    let user = NewUser { email: &email, name: &name, password_hash: &password_hash, is_admin };
    db.create_user(actor, &user).await.map_err(|err| match err {
        store::StoreError::Conflict(_) => AppError::Invalid(Invalid::single("email", "err.email_taken")),
        other => other.into(),
    })
}

/// An invitation just made: the secret of its link, shown once, and when it stops working.
#[derive(Debug, Clone)]
pub struct Invited {
    pub secret: String,
    pub expires_at: i64,
}

impl Invited {
    /// The path of the link that sets the account's first password.
    pub fn path(&self) -> String {
        invitation_path(&self.secret)
    }
}

pub fn invitation_path(secret: &str) -> String {
    format!("/uitnodiging/{secret}")
}

/// Creates an account without a password, with an invitation link that sets one on first use.
pub async fn invite_account(db: &Db, actor: &Actor, email: &str, name: &str, is_admin: bool) -> Result<(User, Invited), AppError> {
    let mut invalid = Invalid::default();
    let email = domain::error::email(&mut invalid, "email", email, true);
    let name = domain::error::required_text(&mut invalid, "name", name, 200);
    if !invalid.errors.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let secret = crate::session::new_secret();
    let expires_at = store::now() + store::invitation::INVITATION_DAYS * store::session::DAY;
    let (user, _) = db.create_invited_user(actor, &email, &name, is_admin, &crate::session::digest(&secret), expires_at).await.map_err(|err| match err {
        store::StoreError::Conflict(_) => AppError::Invalid(Invalid::single("email", "err.email_taken")),
        other => other.into(),
    })?;
    Ok((user, Invited { secret, expires_at }))
}

/// A new invitation for an account that never set its password; earlier links stop working.
pub async fn reinvite(db: &Db, actor: &Actor, user_id: domain::ids::UserId) -> Result<Invited, AppError> {
    let secret = crate::session::new_secret();
    let expires_at = store::now() + store::invitation::INVITATION_DAYS * store::session::DAY;
    db.reinvite(actor, user_id, &crate::session::digest(&secret), expires_at).await?;
    Ok(Invited { secret, expires_at })
}

/// The account an invitation link is for, while the link is valid.
pub async fn invited(db: &Db, secret: &str) -> Result<User, AppError> {
    match db.invited_user(&crate::session::digest(secret)).await? {
        Some((_, user)) => Ok(user),
        None => Err(AppError::NotFound),
    }
}

/// Uses an invitation: the password (typed twice) held to the policy, then set. The link
/// works once.
pub async fn accept_invitation(db: &Db, actor: &Actor, secret: &str, password: &str, repeat: &str) -> Result<User, AppError> {
    let user = invited(db, secret).await?;
    let mut invalid = Invalid::default();
    if let Err(policy) = domain::password::check(password, &user.email) {
        invalid.errors.extend(policy.errors);
    }
    if password != repeat {
        invalid.add("repeat", "err.password_repeat");
    }
    if !invalid.errors.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let password_hash = crate::password::hash(password.to_string()).await?;
    Ok(db.accept_invitation(actor, &crate::session::digest(secret), &password_hash).await?)
}

/// The address of an invitation link as the administrator passes it on: on this host, over
/// HTTPS unless the host is this machine itself.
pub fn invitation_url(headers: &axum::http::HeaderMap, path: &str) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let scheme = if matches!(name, "localhost" | "127.0.0.1" | "[::1]") { "http" } else { "https" };
    format!("{scheme}://{host}{path}")
}
