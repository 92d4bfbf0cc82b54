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

/// Takes an answer through a link, from a form or the API, within the link's limits (a
/// refusal is counted on the link and answered 429 with the seconds to wait).
pub async fn take_answer(state: &AppState, token: &str, client: &str, response: &Response) -> Result<Result<(), Refusal>, AppError> {
    if let Err(wait) = state.answers.take(token, client, std::time::Instant::now()) {
        state.db.count_refused_answer(token).await?;
        return Err(AppError::TooManyAnswers(wait));
    }
    Ok(state.db.submit_answer(token, &answer_key(), response, &crate::today()).await?)
}
