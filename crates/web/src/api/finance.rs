//! `/api/v1/samenwerkingen/{id}/financien`: the contributions with their totals per year,
//! partner and source (amounts in whole cents), one contribution with all its versions, and
//! the calls that record and revise a contribution.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::access::Action;
use domain::finance::{ContributionContent, ContributionInput, Total};
use serde::Serialize;
use store::finance::{Contribution, ContributionVersion};
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/financien", summary)
        .post("/api/v1/samenwerkingen/{id}/financien/bijdragen", create_contribution)
        .get("/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", show_contribution)
        .put("/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", update_contribution)
}

/// Sums of a group of contributions, in whole cents (hours as whole hours).
#[derive(Serialize, ToSchema)]
pub struct TotalJson {
    /// The year (2026, 2026-2027), the partner's id or the source's code; empty for the total.
    pub key: String,
    pub amount_cents: i64,
    pub hours: i64,
    /// The hours at their hourly rates.
    pub hours_value_cents: i64,
    /// Money and valued hours.
    pub value_cents: i64,
    /// The part that is toegezegd or vastgelegd.
    pub secured_cents: i64,
}

fn total_json(key: String, t: &Total) -> TotalJson {
    TotalJson {
        key,
        amount_cents: t.amount_cents,
        hours: t.hours,
        hours_value_cents: t.hours_value_cents,
        value_cents: t.value_cents(),
        secured_cents: t.secured_cents,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContributionJson {
    pub id: i64,
    pub version: i64,
    /// Money and valued hours, in cents.
    pub value_cents: i64,
    /// Partner, year, source (and its text for overig), amount_cents, hours,
    /// hourly_rate_cents, status (indicatief, toegezegd, vastgelegd), agreement, starts, ends, note.
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    /// Every version, oldest first; only when one contribution is asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<ContributionVersionJson>>,
}

#[derive(Serialize, ToSchema)]
pub struct ContributionVersionJson {
    pub version: i64,
    pub changed_by: String,
    /// Unix seconds (UTC).
    pub changed_at: i64,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct FinanceJson {
    pub contributions: Vec<ContributionJson>,
    pub per_year: Vec<TotalJson>,
    pub per_partner: Vec<TotalJson>,
    pub per_source: Vec<TotalJson>,
    pub total: TotalJson,
}

fn content_json(content: &ContributionContent) -> serde_json::Value {
    serde_json::to_value(content).unwrap_or_default()
}

fn contribution_json(x: &Contribution, versions: Option<Vec<ContributionVersion>>) -> ContributionJson {
    ContributionJson {
        id: x.id,
        version: x.version,
        value_cents: x.content.value_cents(),
        content: content_json(&x.content),
        versions: versions.map(|vs| {
            vs.into_iter()
                .map(|v| ContributionVersionJson { version: v.version, changed_by: v.changed_by, changed_at: v.changed_at, content: content_json(&v.content) })
                .collect()
        }),
    }
}

/// Every contribution and the totals per year, per partner and per source.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien", tag = "financien", params(("id" = i64, Path)), responses((status = 200, body = FinanceJson)))]
pub async fn summary(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<FinanceJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let o = crate::finance::overview(&state, c.id).await?;
    Ok(Json(FinanceJson {
        contributions: o.contributions.iter().map(|x| contribution_json(x, None)).collect(),
        per_year: o.by_year.iter().map(|(y, t)| total_json(y.clone(), t)).collect(),
        per_partner: o.by_partner.iter().map(|(p, t)| total_json(p.to_string(), t)).collect(),
        per_source: o.by_source.iter().map(|(s, t)| total_json(s.code().to_string(), t)).collect(),
        total: total_json(String::new(), &o.total),
    }))
}

/// Records a contribution. A lid proposes (indicatief); toegezegd and vastgelegd only a
/// beheerder records, vastgelegd with the agreement that records it.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/financien/bijdragen", tag = "financien", params(("id" = i64, Path)), request_body = ContributionInput,
    responses((status = 201, body = ContributionJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_contribution(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ContributionInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let x = crate::finance::create(&state, &api_actor(&user, origin), c.id, role, &body).await?;
    Ok(created(&contribution_json(&x, None), format!("/api/v1/samenwerkingen/{id}/financien/bijdragen/{}", x.id)))
}

/// One contribution with every version, oldest first.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", tag = "financien", params(("id" = i64, Path), ("contribution" = i64, Path)),
    responses((status = 200, body = ContributionJson)))]
pub async fn show_contribution(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, contribution)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let x = state.db.contribution(c.id, contribution).await?;
    let versions = state.db.contribution_versions(c.id, contribution).await?;
    Ok(versioned(&contribution_json(&x, Some(versions)), x.version))
}

/// Revises a contribution as its next version; the earlier ones stay. Send the version you
/// read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", tag = "financien",
    params(("id" = i64, Path), ("contribution" = i64, Path), ("If-Match" = String, Header)), request_body = ContributionInput,
    responses((status = 200, body = ContributionJson), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_contribution(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, contribution)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<ContributionInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let x = crate::finance::update(&state, &api_actor(&user, origin), c.id, role, contribution, version, &body).await?;
    Ok(versioned(&contribution_json(&x, None), x.version))
}
