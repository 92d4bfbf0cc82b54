//! `/api/v1/samenwerkingen/{id}/financien/continuiteit` and `…/horizon`: the coming five years
//! of promised and recorded money per partner against what the pots plan, the horizon within
//! which ending funding of running work is flagged, and that work; a beheerder sets the horizon.

use crate::AppState;
use crate::access::collaboration_access;
use crate::api::collaboration::api_actor;
use crate::api::{ApiResult, Body, Path, if_match};
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use domain::access::Action;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PartnerYearsJson {
    pub partner: i64,
    /// Cents promised or recorded per year, in the order of `years`.
    pub cents: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct WarningJson {
    pub activity: i64,
    pub title: String,
    /// The day the work ends.
    pub ends: String,
    /// no_funding, ends_within (with `funded_until`) or one_year_only (with `year`).
    pub kind: String,
    pub funded_until: Option<String>,
    pub year: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ContinuityJson {
    /// Funding of running work that ends within this many months is flagged.
    pub horizon_months: u32,
    /// The horizon setting's version (0 before the first): send it as `If-Match` to change it.
    pub horizon_version: i64,
    /// This year and the four after it.
    pub years: Vec<i32>,
    pub partners: Vec<PartnerYearsJson>,
    /// All partners together, per year.
    pub committed_cents: Vec<i64>,
    /// What the pots plan per year.
    pub planned_cents: Vec<i64>,
    pub warnings: Vec<WarningJson>,
}

#[derive(serde::Deserialize, Default, ToSchema)]
#[serde(default)]
pub struct HorizonInput {
    /// Whole months, 1 to 60.
    #[serde(deserialize_with = "text_or_number")]
    pub horizon: String,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(i64),
    }
    Ok(match <Raw as serde::Deserialize>::deserialize(deserializer)? {
        Raw::Text(t) => t,
        Raw::Number(n) => n.to_string(),
    })
}

/// The coming five years of committed money per partner against the planned need, the
/// horizon, and the running work whose funding needs attention within it.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/financien/continuiteit", tag = "financien", params(("id" = i64, Path)),
    responses((status = 200, body = ContinuityJson)))]
pub async fn continuity(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<ContinuityJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let today = crate::today();
    let (horizon_months, horizon_version) = crate::finance::horizon(&state, c.id).await?;
    let v = crate::finance::years(&state, c.id, &today).await?;
    let warnings = crate::finance::attention(&state, c.id, &today, horizon_months)
        .await?
        .into_iter()
        .map(|a| {
            let (kind, funded_until, year) = match a.warning {
                domain::finance::Warning::NoFunding => ("no_funding", None, None),
                domain::finance::Warning::EndsWithin { ends } => ("ends_within", Some(ends), None),
                domain::finance::Warning::OneYearOnly { year } => ("one_year_only", None, Some(year)),
            };
            WarningJson { activity: a.activity, title: a.title, ends: a.ends, kind: kind.into(), funded_until, year }
        })
        .collect();
    Ok(Json(ContinuityJson {
        horizon_months,
        horizon_version,
        years: v.years,
        partners: v.partners.into_iter().map(|(partner, cents)| PartnerYearsJson { partner, cents }).collect(),
        committed_cents: v.committed,
        planned_cents: v.planned,
        warnings,
    }))
}

/// Sets the horizon (beheerder). Send the version you read (`horizon_version`) as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/financien/horizon", tag = "financien", params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = HorizonInput,
    responses((status = 200, body = ContinuityJson), (status = 400, body = crate::api::meta::ProblemDetails), (status = 409, body = crate::api::meta::ProblemDetails), (status = 428, body = crate::api::meta::ProblemDetails)))]
pub async fn set_horizon(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Body(body): Body<HorizonInput>,
) -> ApiResult<Json<ContinuityJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Manage).await?;
    let version = if_match(&headers)?;
    crate::finance::set_horizon(&state, &api_actor(&user, origin), c.id, &body.horizon, version).await?;
    continuity(State(state), ApiUser(user), Path(id)).await
}
