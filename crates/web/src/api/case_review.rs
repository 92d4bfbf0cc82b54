//! `/api/v1/samenwerkingen/{id}/casusbesprekingen`: case reviews without identities, and their
//! results per period with the same suppression as the page. A lesson that might identify a
//! child is refused with 422 and the findings, until the client sends `"bevestigd": true`.
//! The reviews themselves are for Edit, the results for Read (as on the pages).

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, Query, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::case_review::{ResultsQuery, known, minimum, reviews};
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::case_review::{CaseReview, CaseReviewInput, Finding, identifying, period_kind, summaries, unconfirmed};
use domain::collaboration::Collaboration;
use domain::measure::Published;
use serde::Serialize;
use store::case_review::StoredReview;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/casusbesprekingen", list)
        .post("/api/v1/samenwerkingen/{id}/casusbesprekingen", create)
        .get("/api/v1/samenwerkingen/{id}/casusbesprekingen/resultaten", results)
        .get("/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", show)
        .put("/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", update)
        .delete("/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", delete)
}

#[derive(Serialize, ToSchema)]
pub struct CaseReviewJson {
    pub id: i64,
    pub version: i64,
    /// The body that reviewed the case; null once that body was removed.
    pub body: Option<i64>,
    pub date: String,
    pub age_band: String,
    pub domains: Vec<String>,
    /// ja, deels or nee.
    pub offer: String,
    pub days: Option<u32>,
    pub barrier: Option<String>,
    pub lesson: String,
}

fn json(s: &StoredReview) -> CaseReviewJson {
    let r = &s.review;
    CaseReviewJson {
        id: s.id,
        version: s.version,
        body: r.body,
        date: r.date.clone(),
        age_band: r.age_band.code().into(),
        domains: r.domains.iter().map(|d| d.code().to_string()).collect(),
        offer: r.offer.code().into(),
        days: r.days,
        barrier: r.barrier.map(|b| b.code().to_string()),
        lesson: r.lesson.clone(),
    }
}

/// Something in the lesson that might identify a child.
#[derive(Serialize, ToSchema)]
pub struct FindingJson {
    pub field: String,
    /// bsn, datum, postcode, email, telefoon, adres, school or naam.
    pub clue: String,
    /// The words that raised it.
    pub text: String,
    pub reason: String,
}

/// The 422 answer: problem details with the findings.
#[derive(Serialize, ToSchema)]
pub struct FindingsProblem {
    pub status: u16,
    pub title: String,
    pub detail: String,
    pub findings: Vec<FindingJson>,
}

fn findings_problem(findings: &[Finding]) -> Response {
    findings_problem_for("lesson", "case_reviews.check_api", findings)
}

/// The 422 answer for findings in the free text `field`, with the catalogue's `detail`.
pub(super) fn findings_problem_for(field: &str, detail: &str, findings: &[Finding]) -> Response {
    let lang = Lang::Nl;
    let findings = findings
        .iter()
        .map(|f| FindingJson { field: field.into(), clue: f.clue.code().into(), text: f.text.clone(), reason: lang.label("clue", f.clue.code()) })
        .collect();
    let problem = FindingsProblem { status: 422, title: "Unprocessable Entity".into(), detail: lang.t(detail).into(), findings };
    let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(problem)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

/// A checked review, or the 422 that lists what might identify a child.
async fn checked(state: &AppState, c: &Collaboration, input: &CaseReviewInput) -> ApiResult<Result<CaseReview, Response>> {
    let review = CaseReview::parse(input, &crate::today())?;
    let findings = unconfirmed(identifying(&review.lesson, &known(state, c).await?), input);
    Ok(if findings.is_empty() { Ok(review) } else { Err(findings_problem(&findings)) })
}

/// The collaboration's case reviews, latest first (lid and beheerder).
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/casusbesprekingen", tag = "casusbesprekingen", params(("id" = i64, Path)),
    responses((status = 200, body = [CaseReviewJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<CaseReviewJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    Ok(Json(state.db.case_reviews(c.id).await?.iter().map(json).collect()))
}

/// Records a case review. A lesson that might identify a child answers 422 with the findings;
/// send it again with `"bevestigd": true` when none of them does.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/casusbesprekingen", tag = "casusbesprekingen", params(("id" = i64, Path)),
    request_body = CaseReviewInput,
    responses((status = 201, body = CaseReviewJson), (status = 400, body = super::meta::ProblemDetails), (status = 422, body = FindingsProblem)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<CaseReviewInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let review = match checked(&state, &c, &body).await? {
        Ok(review) => review,
        Err(refused) => return Ok(refused),
    };
    let s = state.db.create_case_review(&api_actor(&user, origin), c.id, &review).await?;
    Ok(created(&json(&s), format!("/api/v1/samenwerkingen/{id}/casusbesprekingen/{}", s.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", tag = "casusbesprekingen", params(("id" = i64, Path), ("review" = i64, Path)),
    responses((status = 200, body = CaseReviewJson), (status = 404, body = super::meta::ProblemDetails)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, review)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let s = state.db.case_review(c.id, review).await?;
    Ok(versioned(&json(&s), s.version))
}

/// Replaces a case review. Send the version you read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", tag = "casusbesprekingen",
    params(("id" = i64, Path), ("review" = i64, Path), ("If-Match" = String, Header)), request_body = CaseReviewInput,
    responses((status = 200, body = CaseReviewJson), (status = 409, body = super::meta::ProblemDetails), (status = 422, body = FindingsProblem),
        (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, review)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<CaseReviewInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    state.db.case_review(c.id, review).await?;
    let version = if_match(&headers)?;
    let checked = match checked(&state, &c, &body).await? {
        Ok(checked) => checked,
        Err(refused) => return Ok(refused),
    };
    let s = state.db.update_case_review(&api_actor(&user, origin), c.id, review, version, &checked).await?;
    Ok(versioned(&json(&s), s.version))
}

/// Removes a case review (beheerder).
#[utoipa::path(delete, path = "/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", tag = "casusbesprekingen", params(("id" = i64, Path), ("review" = i64, Path)),
    responses((status = 204)))]
pub async fn delete(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, review)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Manage).await?;
    state.db.delete_case_review(&api_actor(&user, origin), c.id, review).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct CategoryJson {
    pub category: String,
    /// The number of cases, or secret.
    #[schema(value_type = Object)]
    pub value: Published,
}

#[derive(Serialize, ToSchema)]
pub struct AgeBandJson {
    pub age_band: String,
    #[schema(value_type = Object)]
    pub reviewed: Published,
    /// The share with a suitable offer, in per cent.
    #[schema(value_type = Object)]
    pub offer: Published,
}

#[derive(Serialize, ToSchema)]
pub struct PeriodResultJson {
    pub period: String,
    #[schema(value_type = Object)]
    pub reviewed: Published,
    /// The share with a suitable offer (ja), in per cent.
    #[schema(value_type = Object)]
    pub offer: Published,
    /// The share with a suitable or partly suitable offer (ja or deels), in per cent.
    #[schema(value_type = Object)]
    pub offer_or_partly: Published,
    #[schema(value_type = Object)]
    pub median_days: Published,
    /// Per barrier (`geen`: none recorded); only per half year.
    pub barriers: Vec<CategoryJson>,
    pub age_bands: Vec<AgeBandJson>,
    /// Per domain; a case can touch several, so these add up to no total.
    pub domains: Vec<CategoryJson>,
    /// Why the period shows nothing, when it does not: `after_half_year` (published once its
    /// half years have ended) or `too_few_reviews`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseResultsJson {
    /// halfjaar, jaar or schooljaar.
    pub period_type: String,
    /// Groups below this are secret.
    pub min_group: usize,
    pub periods: Vec<PeriodResultJson>,
}

/// The results per period (`periode=halfjaar`, `jaar` or `schooljaar`), with every group below
/// the minimum secret, also where a difference would give it away.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/casusbesprekingen/resultaten", tag = "casusbesprekingen",
    params(("id" = i64, Path), ("periode" = Option<String>, Query)), responses((status = 200, body = CaseResultsJson)))]
pub async fn results(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<Json<CaseResultsJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let kind = period_kind(&q.periode);
    let min = minimum(&state, &c).await?;
    let periods = summaries(&reviews(&state, &c).await?, kind, min, &crate::today())
        .into_iter()
        .map(|s| PeriodResultJson {
            barriers: s.barriers.iter().map(|(k, p)| CategoryJson { category: k.to_string(), value: *p }).collect(),
            age_bands: s.age_bands.iter().map(|b| AgeBandJson { age_band: b.age_band.code().into(), reviewed: b.reviewed, offer: b.offer }).collect(),
            domains: s.domains.iter().map(|(d, p)| CategoryJson { category: d.code().into(), value: *p }).collect(),
            period: s.period,
            reviewed: s.reviewed,
            offer: s.offer,
            offer_or_partly: s.offer_or_partly,
            median_days: s.median_days,
            withheld: s.withheld.map(|key| key.trim_start_matches("withheld.").to_string()),
        })
        .collect();
    Ok(Json(CaseResultsJson { period_type: kind.code().into(), min_group: min, periods }))
}
