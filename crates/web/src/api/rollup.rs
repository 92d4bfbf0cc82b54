//! `/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/reeks` and `…/gebieden`: an indicator's
//! approved figures — one area's trend over all periods, and every gemeente (or wijk, or buurt)
//! for one period. Which areas and periods have a figure, the summaries say (`store::rollup`);
//! what is shown of each, the indicator's stored publication (`crate::publication`), the same
//! cell on every path.

use super::{ApiResult, Path, Query};
use crate::AppState;
use crate::access::collaboration_access;
use crate::error::AppError;
use crate::routes::Routes;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use domain::access::Action;
use domain::area::{AreaCode, AreaLevel};
use domain::indicator::is_period;
use domain::measure::Published;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/reeks", trend)
        .get("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/gebieden", areas)
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
pub struct TrendQuery {
    /// The area: a CBS code such as GM0344, WK034401 or BU0363AD03.
    pub gebied: String,
}

/// One period of an area's trend.
#[derive(Serialize, ToSchema)]
pub struct AreaPeriodJson {
    pub period: String,
    /// The area's figure as the indicator's publication has it: `{"state": "value", "value":
    /// 15}` (a count rounded to the base, a ratio or mean with one decimal), `{"state":
    /// "secret"}` (below the threshold, or else to be worked out from other figures),
    /// `{"state": "denominator"}` (denominator or n below the minimum), `{"state": "updating"}`
    /// (the publication is being worked out) or `{"state": "incomplete", "value": {"measured":
    /// 3, "areas": 5}}` (of the areas it is made of, only `measured` have a figure).
    #[schema(value_type = Object)]
    pub value: Published,
}

/// The approved figure of one area per period: its own measurement, else the sum of its wijken,
/// each from its own measurement or else its buurten (numerators and denominators, never
/// percentages) — incomplete when one of those parts has no figure. Every figure is the cell of
/// the indicator's publication, as on every other path.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/reeks", tag = "indicatoren",
    params(("id" = i64, Path), ("indicator" = i64, Path), TrendQuery),
    responses((status = 200, body = [AreaPeriodJson]), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn trend(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, indicator)): Path<(i64, i64)>,
    Query(query): Query<TrendQuery>,
) -> ApiResult<Json<Vec<AreaPeriodJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    state.indicator(c.id, indicator).await?;
    let area = AreaCode::parse(&query.gebied).ok_or_else(|| AppError::Invalid(domain::Invalid::single("gebied", "err.area_code")))?;
    let view = crate::publication::view(&state, c.id, indicator).await?;
    let series = state
        .db
        .rollup_trend(c.id, indicator, &area)
        .await?
        .into_iter()
        .map(|(period, _)| AreaPeriodJson { value: view.area(&period, &area), period })
        .collect();
    Ok(Json(series))
}

#[derive(Deserialize, Default, IntoParams)]
#[serde(default)]
pub struct AreasQuery {
    /// The period, written as the indicator's kind of period asks (2025, 2025-2026, 2025-H1, 2025-Q3).
    pub periode: String,
    /// `gemeente` (the default), `wijk` or `buurt`.
    pub niveau: String,
}

/// Every area of one level for one period, with their total.
#[derive(Serialize, ToSchema)]
pub struct AreasJson {
    pub period: String,
    pub level: String,
    /// The collaboration's total for the period, as its publication has it (the same as
    /// `…/metingen`); at the gemeente level, the sum of the areas below.
    #[schema(value_type = Object)]
    pub total: Published,
    pub areas: Vec<AreaJson>,
}

#[derive(Serialize, ToSchema)]
pub struct AreaJson {
    pub area: String,
    /// The area's name in the collaboration's classification year, where it is known.
    pub name: String,
    /// As `value` of `…/reeks`.
    #[schema(value_type = Object)]
    pub value: Published,
}

/// For one period, the approved figure of every area of a level that has one, each from its own
/// measurement or else the sum of the level below it, as the indicator's publication has it:
/// audited with every level, working area and related period at once.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/gebieden", tag = "indicatoren",
    params(("id" = i64, Path), ("indicator" = i64, Path), AreasQuery),
    responses((status = 200, body = AreasJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn areas(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, indicator)): Path<(i64, i64)>,
    Query(query): Query<AreasQuery>,
) -> ApiResult<Json<AreasJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let i = state.indicator(c.id, indicator).await?;
    let k = &i.content;
    let mut invalid = domain::Invalid::default();
    if !is_period(k.period_type, query.periode.trim()) {
        invalid.add("periode", "err.period");
    }
    let level = match query.niveau.trim() {
        "" | "gemeente" => Some(AreaLevel::Gemeente),
        "wijk" => Some(AreaLevel::Wijk),
        "buurt" => Some(AreaLevel::Buurt),
        _ => {
            invalid.add("niveau", "err.choice");
            None
        }
    };
    let Some(level) = level.filter(|_| invalid.errors.is_empty()) else { return Err(AppError::Invalid(invalid).into()) };
    let period = query.periode.trim();
    let rows = state.db.rollup_areas(c.id, indicator, period, level).await?;
    let view = crate::publication::view(&state, c.id, indicator).await?;
    let total = view.total(period);
    let names = match state.db.area_year_for(c.area_year).await? {
        Some(year) => state.db.area_names(year, &rows.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>()).await?,
        None => Default::default(),
    };
    let areas = rows
        .iter()
        .map(|(area, _)| AreaJson { name: names.get(area.as_str()).cloned().unwrap_or_default(), area: area.to_string(), value: view.area(period, area) })
        .collect();
    let level = match level {
        AreaLevel::Gemeente => "gemeente",
        AreaLevel::Wijk => "wijk",
        AreaLevel::Buurt => "buurt",
    };
    Ok(Json(AreasJson { period: period.to_string(), level: level.to_string(), total, areas }))
}
