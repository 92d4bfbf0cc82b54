//! Roll-ups: an indicator's approved measurements added up per area and period — numerators
//! and denominators, never percentages — and how many measurements each period holds per
//! status. Both are kept in summary tables (`rollups`, `period_counts`) that every write to
//! measurements refreshes for the periods it touched, inside its own transaction, so a page
//! reads a few hundred summed rows instead of adding up a national data set (every buurt,
//! every year) on each view.
//!
//! Both are keyed and cleared by (collaboration, indicator, period), and a refresh takes an
//! `OwnedIndicator`, which only a read scoped to the collaboration gives.
//!
//! A refresh reads the period's approved measurements and the classification of the gemeenten
//! they lie in (the year that serves the collaboration) and keeps what
//! `domain::measure::summarise` makes of them: per gemeente and wijk the sum over its finest
//! complete cover, or, where that cover is incomplete, how many of its parts have a figure
//! (`measured` of `areas`, no sum). A buurt's figure is its own measurement and is read from
//! the measurements themselves. Loading a classification year works every summary out again.

use crate::{Db, Result, StoreError, Tx, dispatch, on_tx};
use domain::area::{AreaCode, AreaLevel};
use domain::disclosure::Classification;
use domain::ids::CollaborationId;
use domain::indicator::MeasurementStatus;
use domain::measure::{AreaFigure, Parts, summarise};
use std::collections::{BTreeMap, BTreeSet};

/// The `area` of a period's total in `rollups`.
const TOTAL: &str = "";

/// One level's figures in a period: gemeenten and wijken from the summaries, buurten (their
/// own measurements) from the measurements.
const ROLLUP_AREAS: &str = "SELECT area, numerator, denominator, measured, areas FROM rollups WHERE indicator_id = $1 AND collaboration_id = $2 AND period = $3 \
                            AND area BETWEEN $4 AND $5 ORDER BY area";
const APPROVED_AREAS: &str = "SELECT area, numerator, denominator, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM measurements WHERE indicator_id = $1 AND collaboration_id = $2 AND period = $3 \
                              AND area BETWEEN $4 AND $5 AND status = $6 ORDER BY area";

/// Rows per INSERT of a refresh (eight parameters each), and gemeenten per read of the classification.
const CHUNK: usize = 500;

fn area_of(code: String) -> Result<AreaCode> {
    AreaCode::parse(&code).ok_or(StoreError::Corrupt("rollups"))
}

/// An indicator known to belong to a collaboration: only `Tx::own_indicator` makes one, by
/// reading the indicator with both ids inside the transaction that then writes. Everything
/// that rewrites an indicator's summaries takes one, so a summary can only be recomputed, and
/// filed, under the collaboration that owns the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnedIndicator {
    collaboration: CollaborationId,
    id: i64,
}

impl OwnedIndicator {
    pub fn collaboration(&self) -> CollaborationId {
        self.collaboration
    }

    pub fn id(&self) -> i64 {
        self.id
    }
}

impl Tx {
    /// The indicator `id` if it is the collaboration's, else `NotFound`.
    pub(crate) async fn own_indicator(&mut self, collaboration: CollaborationId, id: i64) -> Result<OwnedIndicator> {
        let sql = "SELECT id FROM indicators WHERE id = $1 AND collaboration_id = $2";
        let found: Option<i64> = on_tx!(&mut *self, |c| sqlx::query_scalar(sql).bind(id).bind(collaboration.0).fetch_optional(c).await)?;
        found.map(|id| OwnedIndicator { collaboration, id }).ok_or(StoreError::NotFound)
    }

    /// Recounts one indicator's measurements per status in each of `periods`.
    pub(crate) async fn refresh_counts(&mut self, indicator: OwnedIndicator, periods: &[&str]) -> Result<()> {
        let OwnedIndicator { collaboration, id } = indicator;
        for period in periods {
            let sql = "DELETE FROM period_counts WHERE collaboration_id = $1 AND indicator_id = $2 AND period = $3";
            on_tx!(&mut *self, |c| sqlx::query(sql).bind(collaboration.0).bind(id).bind(*period).execute(c).await.map(|_| ()))?;
            let sql = "INSERT INTO period_counts (collaboration_id, indicator_id, period, status, measurements, last_changed) \
                       SELECT $1, $2, $3, status, COUNT(*), MAX(changed_at) FROM measurements \
                       WHERE collaboration_id = $1 AND indicator_id = $2 AND period = $3 GROUP BY status";
            on_tx!(&mut *self, |c| sqlx::query(sql).bind(collaboration.0).bind(id).bind(*period).execute(c).await.map(|_| ()))?;
        }
        Ok(())
    }

    /// Recomputes the approved figures of one indicator's period: every gemeente and wijk
    /// with anything measured inside it, and the total, each exact or incomplete
    /// (`domain::measure::summarise`) by the collaboration's classification.
    pub(crate) async fn refresh_rollup(&mut self, indicator: OwnedIndicator, period: &str) -> Result<()> {
        let OwnedIndicator { collaboration, id } = indicator;
        let sql = "SELECT area, numerator, denominator FROM measurements WHERE collaboration_id = $1 AND indicator_id = $2 AND period = $3 AND status = $4";
        let rows: Vec<(String, f64, Option<f64>)> = on_tx!(&mut *self, |c| sqlx::query_as(sql)
            .bind(collaboration.0)
            .bind(id)
            .bind(period)
            .bind(MeasurementStatus::Goedgekeurd.code())
            .fetch_all(c)
            .await)?;
        let measured = rows
            .into_iter()
            .map(|(area, numerator, denominator)| Ok((area_of(area)?, Parts { numerator, denominator })))
            .collect::<Result<BTreeMap<AreaCode, Parts>>>()?;
        let class = self.classification(collaboration, &measured).await?;
        let summary = summarise(&class, &measured);
        on_tx!(&mut *self, |c| sqlx::query("DELETE FROM rollups WHERE collaboration_id = $1 AND indicator_id = $2 AND period = $3")
            .bind(collaboration.0)
            .bind(id)
            .bind(period)
            .execute(c)
            .await
            .map(|_| ()))?;
        let Some(total) = summary.total else { return Ok(()) };
        let rows: Vec<(&str, &AreaFigure)> = std::iter::once((TOTAL, &total)).chain(summary.areas.iter().map(|(a, f)| (a.as_str(), f))).collect();
        for chunk in rows.chunks(CHUNK) {
            // Anonymous parameters on SQLite: see `crate::list_params`.
            let tuples: Vec<String> = (0..chunk.len()).map(|i| format!("({})", crate::list_params(self.backend(), 8 * i + 1, 8))).collect();
            let sql = format!(
                "INSERT INTO rollups (collaboration_id, indicator_id, period, area, numerator, denominator, measured, areas) VALUES {}",
                tuples.join(", ")
            );
            on_tx!(&mut *self, |c| {
                let mut query = sqlx::query(&sql);
                for (area, figure) in chunk {
                    let (parts, counts) = match figure {
                        AreaFigure::Exact(parts) => (*parts, None),
                        AreaFigure::Incomplete { measured, areas } => (Parts::default(), Some((count(*measured), count(*areas)))),
                    };
                    query = query
                        .bind(collaboration.0)
                        .bind(id)
                        .bind(period)
                        .bind(*area)
                        .bind(parts.numerator)
                        .bind(parts.denominator)
                        .bind(counts.map(|(m, _)| m))
                        .bind(counts.map(|(_, a)| a));
                }
                query.execute(c).await.map(|_| ())
            })?;
        }
        Ok(())
    }

    /// Recomputes the approved figures of every indicator and period of a collaboration.
    pub(crate) async fn refresh_rollups_of(&mut self, collaboration: CollaborationId) -> Result<()> {
        let sql = "SELECT DISTINCT indicator_id, period FROM measurements WHERE collaboration_id = $1 ORDER BY indicator_id, period";
        let pairs: Vec<(i64, String)> = on_tx!(&mut *self, |c| sqlx::query_as(sql).bind(collaboration.0).fetch_all(c).await)?;
        for (indicator, period) in &pairs {
            let indicator = self.own_indicator(collaboration, *indicator).await?;
            self.refresh_rollup(indicator, period).await?;
        }
        self.want_publications_of(collaboration).await
    }

    /// The wijken and buurten of the gemeenten `measured` lies in, by the classification that
    /// serves the collaboration (`Db::area_year_for` of its year).
    pub(crate) async fn classification(&mut self, collaboration: CollaborationId, measured: &BTreeMap<AreaCode, Parts>) -> Result<Classification> {
        let numbers: Vec<String> = measured.keys().map(|a| a.as_str()[2..6].to_string()).collect::<BTreeSet<_>>().into_iter().collect();
        if numbers.is_empty() {
            return Ok(Classification::default());
        }
        let sql =
            "SELECT COALESCE((SELECT MAX(year) FROM areas WHERE year <= c.area_year), (SELECT MIN(year) FROM areas)) FROM collaborations c WHERE c.id = $1";
        let year: Option<i32> = on_tx!(&mut *self, |c| sqlx::query_scalar::<_, Option<i32>>(sql).bind(collaboration.0).fetch_optional(c).await)?.flatten();
        let Some(year) = year else { return Ok(Classification::default()) };
        let mut codes = Vec::new();
        for chunk in numbers.chunks(CHUNK) {
            let year_param = if self.backend() == crate::Backend::Sqlite { "?" } else { "$1" };
            let sql =
                format!("SELECT code FROM areas WHERE year = {year_param} AND substr(code, 3, 4) IN ({})", crate::list_params(self.backend(), 2, chunk.len()));
            let found: Vec<String> = on_tx!(&mut *self, |c| {
                let mut query = sqlx::query_scalar(&sql).bind(year);
                for number in chunk {
                    query = query.bind(number.as_str());
                }
                query.fetch_all(c).await
            })?;
            codes.extend(found.into_iter().filter_map(|code| AreaCode::parse(&code)));
        }
        Ok(Classification::from_codes(&codes))
    }
}

/// A count as the database keeps it.
fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A summary row's figure: exact, or incomplete when it keeps how much was measured.
fn figure(numerator: f64, denominator: Option<f64>, measured: Option<i64>, areas: Option<i64>) -> AreaFigure {
    match (measured, areas) {
        (Some(measured), Some(areas)) => {
            AreaFigure::Incomplete { measured: usize::try_from(measured).unwrap_or(0), areas: usize::try_from(areas).unwrap_or(0) }
        }
        _ => AreaFigure::Exact(Parts { numerator, denominator }),
    }
}

/// A summary row as read: area or period, the parts, and how much was measured when incomplete.
pub(crate) type FigureRow = (String, f64, Option<f64>, Option<i64>, Option<i64>);

pub(crate) fn figure_of(row: FigureRow) -> (String, AreaFigure) {
    let (key, numerator, denominator, measured, areas) = row;
    (key, figure(numerator, denominator, measured, areas))
}

impl Db {
    /// Fills the summaries of a database whose measurements predate them.
    pub(crate) async fn ensure_summaries(&self) -> Result<()> {
        let counted: Option<i64> = dispatch!(self, |pool| sqlx::query_scalar("SELECT indicator_id FROM period_counts LIMIT 1").fetch_optional(pool).await)?;
        let measured: Option<i64> = dispatch!(self, |pool| sqlx::query_scalar("SELECT indicator_id FROM measurements LIMIT 1").fetch_optional(pool).await)?;
        if counted.is_some() || measured.is_none() { Ok(()) } else { self.rebuild_summaries().await }
    }

    /// Recomputes the summaries of one indicator's period, as an approval does.
    pub async fn refresh_period(&self, collaboration: CollaborationId, indicator: i64, period: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let indicator = tx.own_indicator(collaboration, indicator).await?;
        tx.refresh_counts(indicator, &[period]).await?;
        tx.refresh_rollup(indicator, period).await?;
        tx.want_publication(indicator).await?;
        tx.commit().await
    }

    /// Recomputes every summary from the measurements: what every write keeps up to date
    /// period by period, from scratch.
    pub async fn rebuild_summaries(&self) -> Result<()> {
        let sql = "SELECT DISTINCT collaboration_id, indicator_id, period FROM measurements ORDER BY indicator_id, period";
        let pairs: Vec<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)?;
        let mut tx = self.begin().await?;
        for table in ["rollups", "period_counts"] {
            let sql = format!("DELETE FROM {table}");
            on_tx!(&mut tx, |c| sqlx::query(&sql).execute(c).await.map(|_| ()))?;
        }
        for (collaboration, indicator, period) in &pairs {
            let indicator = tx.own_indicator(CollaborationId(*collaboration), *indicator).await?;
            tx.refresh_counts(indicator, &[period.as_str()]).await?;
            tx.refresh_rollup(indicator, period).await?;
        }
        // Whether an area is measured whole is judged by the classification: every publication changes.
        tx.want_every_publication().await?;
        tx.commit().await
    }

    /// Per period, the approved figure of one area (a gemeente, wijk or buurt). Periods
    /// without an approved measurement inside the area are left out.
    pub async fn rollup_trend(&self, collaboration: CollaborationId, indicator: i64, area: &AreaCode) -> Result<Vec<(String, AreaFigure)>> {
        let rows: Vec<FigureRow> = if area.level() == AreaLevel::Buurt {
            let sql = "SELECT period, numerator, denominator, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM measurements WHERE indicator_id = $1 AND collaboration_id = $2 AND area = $3 AND status = $4 ORDER BY period";
            dispatch!(self, |pool| sqlx::query_as(sql)
                .bind(indicator)
                .bind(collaboration.0)
                .bind(area.as_str())
                .bind(MeasurementStatus::Goedgekeurd.code())
                .fetch_all(pool)
                .await)?
        } else {
            let sql = "SELECT period, numerator, denominator, measured, areas FROM rollups WHERE indicator_id = $1 AND collaboration_id = $2 AND area = $3 ORDER BY period";
            dispatch!(self, |pool| sqlx::query_as(sql).bind(indicator).bind(collaboration.0).bind(area.as_str()).fetch_all(pool).await)?
        };
        Ok(rows.into_iter().map(figure_of).collect())
    }

    /// For one period, the approved figure of every gemeente, wijk or buurt with anything
    /// measured inside it, by code.
    pub async fn rollup_areas(&self, collaboration: CollaborationId, indicator: i64, period: &str, level: AreaLevel) -> Result<Vec<(AreaCode, AreaFigure)>> {
        // Codes after the prefix are digits and capitals, so from the prefix to the prefix and
        // "ZZZZZZZZ" holds exactly one level's codes, in byte order and in the usual PostgreSQL
        // collations alike.
        let (prefix, sql) = match level {
            AreaLevel::Gemeente => ("GM", ROLLUP_AREAS),
            AreaLevel::Wijk => ("WK", ROLLUP_AREAS),
            AreaLevel::Buurt => ("BU", APPROVED_AREAS),
        };
        let (low, high) = (prefix.to_string(), format!("{prefix}ZZZZZZZZ"));
        let rows: Vec<FigureRow> = dispatch!(self, |pool| {
            let query = sqlx::query_as(sql).bind(indicator).bind(collaboration.0).bind(period).bind(&low).bind(&high);
            if level == AreaLevel::Buurt { query.bind(MeasurementStatus::Goedgekeurd.code()) } else { query }.fetch_all(pool).await
        })?;
        rows.into_iter().map(figure_of).map(|(area, figure)| Ok((area_of(area)?, figure))).collect()
    }

    /// Per period, the collaboration's approved total: the sum over the gemeenten with anything
    /// measured, or incomplete when one of them is.
    pub async fn rollup_totals(&self, collaboration: CollaborationId, indicator: i64) -> Result<Vec<(String, AreaFigure)>> {
        let sql = "SELECT period, numerator, denominator, measured, areas FROM rollups WHERE indicator_id = $1 AND collaboration_id = $2 AND area = $3 ORDER BY period";
        let rows: Vec<FigureRow> = dispatch!(self, |pool| sqlx::query_as(sql).bind(indicator).bind(collaboration.0).bind(TOTAL).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(figure_of).collect())
    }

    /// Per period and status, how many measurements there are and when one last changed: what a
    /// card lists under its measurements, without reading them.
    pub async fn period_statuses(&self, collaboration: CollaborationId, indicator: i64) -> Result<Vec<(String, MeasurementStatus, i64, i64)>> {
        let sql =
            "SELECT period, status, measurements, last_changed FROM period_counts WHERE indicator_id = $1 AND collaboration_id = $2 ORDER BY period, status";
        let rows: Vec<(String, String, i64, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(indicator).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(period, status, count, changed)| Ok((period, crate::code(&status, MeasurementStatus::from_code, "period_counts")?, count, changed)))
            .collect()
    }

    /// The approved measurements of one period, by area: the cells of a small collaboration's card.
    pub async fn approved_in(&self, collaboration: CollaborationId, indicator: i64, period: &str) -> Result<Vec<(AreaCode, Parts)>> {
        let sql = "SELECT area, numerator, denominator FROM measurements WHERE indicator_id = $1 AND collaboration_id = $2 AND period = $3 AND status = $4 ORDER BY area";
        let rows: Vec<(String, f64, Option<f64>)> = dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(indicator)
            .bind(collaboration.0)
            .bind(period)
            .bind(MeasurementStatus::Goedgekeurd.code())
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(|(area, numerator, denominator)| Ok((area_of(area)?, Parts { numerator, denominator }))).collect()
    }
}
