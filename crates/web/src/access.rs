//! The one check every collaboration route makes: is the caller a member, and does the
//! role allow what the request wants? Pages and API call the same function.

use crate::AppState;
use crate::error::AppError;
use domain::access::Role;
use domain::collaboration::Collaboration;

/// Looks up the collaboration and the visitor's role in it, and checks the role allows
/// `action`. Non-members get 404, so a collaboration's existence is not revealed.
pub async fn collaboration_access(
    state: &AppState,
    user: &store::user::User,
    id: i64,
    action: domain::access::Action,
) -> Result<(Collaboration, Role), AppError> {
    let id = domain::ids::CollaborationId(id);
    let role = state.db.role_of(user.id(), id).await?.ok_or(AppError::NotFound)?;
    if !role.allows(action) {
        return Err(AppError::Forbidden);
    }
    Ok((state.db.collaboration(id).await?, role))
}
