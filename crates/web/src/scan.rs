//! Self-scans' use cases, below both doors (the questionnaire page and the API): taking an
//! answer through an invitation link.

use crate::AppState;
use crate::error::AppError;
use domain::scan::Response;
use store::scan::Refusal;

/// A fresh random key for an answer row, so rows say nothing about their order.
fn answer_key() -> String {
    crate::session::new_secret()[..32].to_string()
}

/// Takes an answer through a link, from a form or the API.
pub async fn take_answer(state: &AppState, token: &str, response: &Response) -> Result<Result<(), Refusal>, AppError> {
    Ok(state.db.submit_answer(token, &answer_key(), response, &crate::today()).await?)
}
