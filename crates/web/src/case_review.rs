//! Case reviews' use cases, below both doors (pages and API): the minimum the figures show,
//! the words the free-text check does not take for a child's name, and the reviews the results
//! are counted from.

use crate::AppState;
use crate::error::AppError;
use domain::case_review::{CaseReview, known_words};
use domain::collaboration::Collaboration;

/// The results' query: the kind of period (`domain::case_review::period_kind`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ResultsQuery {
    pub periode: String,
}

/// The smallest group the collaboration's figures show: as set, never below the floor.
pub async fn minimum(state: &AppState, c: &Collaboration) -> Result<usize, AppError> {
    let (set, _) = state.db.case_review_minimum(c.id).await?;
    let floor = state.floors().min_group;
    Ok(domain::scan::minimum(set.unwrap_or(floor), floor))
}

/// Words the free-text check does not take for a child's name: those of the collaboration's,
/// its partners' and its bodies' names.
pub async fn known(state: &AppState, c: &Collaboration) -> Result<Vec<String>, AppError> {
    let partners = state.db.partners(c.id).await?;
    let bodies = state.db.bodies(c.id).await?;
    let names = [c.name.as_str()].into_iter().chain(partners.iter().map(|p| p.name.as_str())).chain(bodies.iter().map(|b| b.content.name.as_str()));
    Ok(known_words(names))
}

/// Every review of the collaboration, without what the store keeps beside it.
pub async fn reviews(state: &AppState, c: &Collaboration) -> Result<Vec<CaseReview>, AppError> {
    Ok(state.db.case_reviews(c.id).await?.into_iter().map(|s| s.review).collect())
}
