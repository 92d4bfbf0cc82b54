//! `/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/reeks` and `…/gebieden`: an indicator's
//! approved figures rolled up by the database (`store::rollup`) — one area's trend over all
//! periods, and every gemeente (or wijk, or buurt) for one period. They are published by the
//! same rules as the rest of the API: counts rounded and small ones secret, a ratio or mean only
//! over a large enough denominator, and in the table of areas no cell that the total and the
//! other cells would give away — nor in the trend, which shows an area as that table does.

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
use domain::measure::{AreaFigure, Published, publish_figure, publish_level};
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
    /// The area's approved figure as it may be published: a value, secret, or incomplete
    /// (`{"state": "incomplete", "value": {"measured": 3, "areas": 5}}`: of the areas it is
    /// made of, only `measured` have a figure, so no sum is given).
    #[schema(value_type = Object)]
    pub value: Published,
}

/// The approved figure of one area per period: its own measurement, else the sum of its wijken,
/// each from its own measurement or else its buurten (numerators and denominators, never
/// percentages) — incomplete when one of those parts has no figure. A figure that `…/gebieden`
/// keeps secret for that period, beside its neighbours, is secret here too.
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
    let i = state.indicator(c.id, indicator).await?;
    let area = AreaCode::parse(&query.gebied).ok_or_else(|| AppError::Invalid(domain::Invalid::single("gebied", "err.area_code")))?;
    let k = &i.content;
    let mut series = Vec::new();
    for (period, figure) in state.db.rollup_trend(c.id, indicator, &area).await? {
        // A figure shown on its own is shown only as it stands in the table of its level for that
        // period (`areas`): a cell that table keeps secret to protect a small neighbour must not
        // turn up here, or the neighbour follows from the total after all.
        let value = match publish_figure(&figure, k.kind, k.factor, &k.rules) {
            Published::Value(_) => {
                let rows = state.db.rollup_areas(c.id, indicator, &period, area.level()).await?;
                let (_, shown) = table(k, &rows);
                rows.iter().zip(shown).find(|((a, _), _)| *a == area).map(|(_, p)| p).unwrap_or(Published::Secret)
            }
            other => other,
        };
        series.push(AreaPeriodJson { period, value });
    }
    Ok(Json(series))
}

/// The total of a level's areas and each area as they may be published together.
fn table(k: &domain::indicator::IndicatorContent, rows: &[(AreaCode, AreaFigure)]) -> (Published, Vec<Published>) {
    let cells: Vec<AreaFigure> = rows.iter().map(|(_, f)| *f).collect();
    publish_level(&cells, k.kind, k.factor, &k.rules)
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
    /// The sum over all areas below, as it may be published; incomplete when one of them is.
    #[schema(value_type = Object)]
    pub total: Published,
    pub areas: Vec<AreaJson>,
}

#[derive(Serialize, ToSchema)]
pub struct AreaJson {
    pub area: String,
    /// The area's name in the collaboration's classification year, where it is known.
    pub name: String,
    #[schema(value_type = Object)]
    pub value: Published,
}

/// For one period, the approved figure of every area of a level that has one, each from its own
/// measurement or else the sum of the level below it; a cell that would follow from the total
/// and the shown cells is secret too.
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
    let (total, shown) = table(k, &rows);
    let names = match state.db.area_year_for(c.area_year).await? {
        Some(year) => state.db.area_names(year, &rows.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>()).await?,
        None => Default::default(),
    };
    let areas = rows
        .iter()
        .zip(shown)
        .map(|((area, _), value)| AreaJson { name: names.get(area.as_str()).cloned().unwrap_or_default(), area: area.to_string(), value })
        .collect();
    let level = match level {
        AreaLevel::Gemeente => "gemeente",
        AreaLevel::Wijk => "wijk",
        AreaLevel::Buurt => "buurt",
    };
    Ok(Json(AreasJson { period: period.to_string(), level: level.to_string(), total, areas }))
}
