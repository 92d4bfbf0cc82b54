//! Practice examples' use cases, below both doors (the examples pages and the knowledge API).

use crate::AppState;
use crate::error::AppError;
use domain::example::{Example, built_in};
use domain::ids::CollaborationId;

/// The built-in examples and those this collaboration may see.
pub async fn visible(state: &AppState, collaboration: CollaborationId) -> Result<Vec<Example>, AppError> {
    let mut all = built_in().to_vec();
    all.extend(state.db.examples_visible_to(collaboration).await?);
    Ok(all)
}
