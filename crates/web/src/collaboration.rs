//! Collaborations' use cases, below both doors (pages and API).

use crate::accounts::Invited;
use crate::error::AppError;
use domain::Invalid;
use domain::collaboration::{Collaboration, CollaborationInput, NewCollaboration};
use store::user::User;
use store::{Actor, Db};

/// The year a new collaboration's input is checked against (its period), in UTC.
pub fn current_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

/// The classification year a new collaboration gets unless it names one: the newest year
/// loaded, else the one that ships with Reisgenoot.
pub async fn default_area_year(db: &Db) -> Result<i32, AppError> {
    Ok(db.area_years().await?.iter().map(|(year, _)| *year).max().unwrap_or(domain::area::BUILTIN_YEAR))
}

/// A collaboration just made, with its first beheerder and, when that account was made in
/// the same step, the invitation that sets its password.
pub struct Created {
    pub collaboration: Collaboration,
    pub beheerder: User,
    pub invitation: Option<Invited>,
}

/// Creates a collaboration with its first beheerder: the account with `beheerder_email`, or,
/// when there is none, a new account named `beheerder_name` with an invitation link. Every
/// error in the input is reported at once; `earlier` holds errors found before (a control
/// character in a field, say).
pub async fn create(
    db: &Db,
    actor: &Actor,
    input: &CollaborationInput,
    beheerder_email: &str,
    beheerder_name: &str,
    earlier: Invalid,
) -> Result<Created, AppError> {
    let mut input = input.clone();
    if input.area_year.is_none() {
        input.area_year = Some(default_area_year(db).await?);
    }
    let parsed = earlier.before(NewCollaboration::parse(&input, current_year()));
    let mut invalid = parsed.as_ref().err().cloned().unwrap_or_default();
    let email = domain::error::email(&mut invalid, "beheerder_email", beheerder_email, true);
    let existing = if invalid.error_for("beheerder_email").is_none() { db.user_by_email(&email).await? } else { None };
    let name = beheerder_name.trim();
    match &existing {
        Some(user) if user.disabled => invalid.add("beheerder_email", "err.account_disabled"),
        None if invalid.error_for("beheerder_email").is_none() && name.is_empty() => invalid.add("beheerder_name", "err.beheerder_name_needed"),
        None if name.chars().count() > 200 => invalid.add("beheerder_name", "err.too_long"),
        _ => {}
    }
    let new = match parsed {
        Ok(new) if invalid.errors.is_empty() => new,
        _ => return Err(AppError::Invalid(invalid)),
    };
    let (beheerder, invitation) = match existing {
        Some(user) => (user, None),
        None => {
            let (user, invited) = crate::accounts::invite_account(db, actor, &email, name, false).await.map_err(|err| match err {
                AppError::Invalid(mut invalid) => {
                    for e in &mut invalid.errors {
                        e.field = if e.field == "email" { "beheerder_email" } else { "beheerder_name" };
                    }
                    AppError::Invalid(invalid)
                }
                other => other,
            })?;
            (user, Some(invited))
        }
    };
    let collaboration = db.create_collaboration(actor, &new, beheerder.id()).await?;
    Ok(Created { collaboration, beheerder, invitation })
}
