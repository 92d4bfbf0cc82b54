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
