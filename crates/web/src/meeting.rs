//! Meetings' use cases, below both doors (pages and API): planning one meeting or a series.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use domain::collaboration::Collaboration;
use domain::meeting::{MeetingContent, PlanInput, plan};

/// The reviews a new meeting of `body` should decide on: agreements it owns, with their dates.
async fn owned_reviews(state: &AppState, c: &Collaboration, body: Option<i64>) -> Result<Vec<(i64, String, String)>, AppError> {
    let Some(body) = body else { return Ok(Vec::new()) };
    Ok(state
        .db
        .agreements(c.id)
        .await?
        .into_iter()
        .filter(|a| a.content.body == Some(body) && a.content.status != domain::agreement::AgreementStatus::Beeindigd)
        .map(|a| (a.id, a.content.title, a.content.review))
        .collect())
}

/// Plans the meetings of a plan: the body's rhythm for a series, its agreements' reviews on the agenda.
pub async fn plan_meetings(state: &AppState, c: &Collaboration, lang: Lang, input: &PlanInput) -> Result<Vec<MeetingContent>, AppError> {
    let bodies = state.db.bodies(c.id).await?;
    let body = domain::error::optional_id(&mut domain::Invalid::default(), "body", &input.body);
    let per_year = body.and_then(|b| bodies.iter().find(|x| x.id == b)).and_then(|b| b.content.per_year);
    let reviews = owned_reviews(state, c, body).await?;
    Ok(plan(input, per_year, lang == Lang::En, &reviews, lang.t("meetings.review_item"))?)
}
