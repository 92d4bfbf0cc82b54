//! Roll-ups added up by the database: an indicator's approved measurements summed per area and
//! period in SQL — numerators and denominators, never percentages — so that a national data
//! set (every buurt, every year) is not read into memory row by row to draw one trend. The SQL
//! sums each level (gemeente, wijk, buurt) inside an area apart; which level counts is the
//! domain's rule (`domain::measure::from_levels`), so the figures equal those of
//! `domain::measure::per_gemeente` over the same rows.
//!
//! A gemeente's wijken and buurten share its number (`WK0344…`, `BU0344…`), and a wijk's
//! buurten share its number too, so "inside an area" is a range of codes that the index on
//! (indicator, area, period) reads directly. Codes after the prefix are digits and capitals,
//! so `prefix` ≤ code ≤ `prefix` + "ZZZZ" holds exactly the codes that start with `prefix`, in
//! byte order and in the usual PostgreSQL collations alike.

use crate::{Db, Result, dispatch};
use domain::area::{AreaCode, AreaLevel};
use domain::ids::CollaborationId;
use domain::indicator::MeasurementStatus;
use domain::measure::{Parts, from_levels};
use std::collections::BTreeMap;

/// A group key, the two-letter level prefix, and the sums of numerator and denominator.
type SumColumns = (String, String, f64, Option<f64>);

fn level_of(prefix: &str) -> Option<AreaLevel> {
    match prefix {
        "GM" => Some(AreaLevel::Gemeente),
        "WK" => Some(AreaLevel::Wijk),
        "BU" => Some(AreaLevel::Buurt),
        _ => None,
    }
}

/// Applies the level rule to sums grouped by `key` and level, keeping the keys' order.
fn choose(rows: Vec<SumColumns>) -> Result<Vec<(String, Parts)>> {
    let mut grouped: BTreeMap<String, Vec<(AreaLevel, Parts)>> = BTreeMap::new();
    for (key, prefix, numerator, denominator) in rows {
        let level = level_of(&prefix).ok_or(crate::StoreError::Corrupt("measurements"))?;
        grouped.entry(key).or_default().push((level, Parts { numerator, denominator }));
    }
    Ok(grouped.into_iter().filter_map(|(key, levels)| from_levels(&levels).map(|parts| (key, parts))).collect())
}

/// The codes inside `area` as ranges: its own code, and for a gemeente its wijken and buurten,
/// for a wijk its buurten.
fn ranges(area: &AreaCode) -> Vec<(String, String)> {
    let code = area.as_str();
    let number = &code[2..];
    let mut ranges = vec![(code.to_string(), code.to_string())];
    let below: &[&str] = match area.level() {
        AreaLevel::Gemeente => &["WK", "BU"],
        AreaLevel::Wijk => &["BU"],
        AreaLevel::Buurt => &[],
    };
    for prefix in below {
        ranges.push((format!("{prefix}{number}"), format!("{prefix}{number}ZZZZ")));
    }
    ranges
}

impl Db {
    /// Per period, the approved figure of one area (a gemeente, wijk or buurt): its own
    /// measurement, else the sum of its wijken, else the sum of its buurten. Periods without an
    /// approved measurement inside the area are left out.
    pub async fn rollup_trend(&self, collaboration: CollaborationId, indicator: i64, area: &AreaCode) -> Result<Vec<(String, Parts)>> {
        let ranges = ranges(area);
        let within = (0..ranges.len()).map(|i| format!("area BETWEEN ${} AND ${}", 4 + 2 * i, 5 + 2 * i)).collect::<Vec<_>>().join(" OR ");
        let sql = format!(
            "SELECT period, substr(area, 1, 2), SUM(numerator), SUM(denominator) FROM measurements \
             WHERE indicator_id = $1 AND collaboration_id = $2 AND status = $3 AND ({within}) GROUP BY period, substr(area, 1, 2)"
        );
        let rows: Vec<SumColumns> = dispatch!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(indicator).bind(collaboration.0).bind(MeasurementStatus::Goedgekeurd.code());
            for (low, high) in &ranges {
                query = query.bind(low).bind(high);
            }
            query.fetch_all(pool).await
        })?;
        choose(rows)
    }

    /// For one period, the approved figure of every gemeente (or every wijk) that has an
    /// approved measurement inside it, by code.
    pub async fn rollup_areas(&self, collaboration: CollaborationId, indicator: i64, period: &str, level: AreaLevel) -> Result<Vec<(AreaCode, Parts)>> {
        // The key is the area's number: four digits for a gemeente, six characters for a wijk.
        let (prefix, length, levels) = match level {
            AreaLevel::Gemeente => ("GM", 4, "'GM', 'WK', 'BU'"),
            AreaLevel::Wijk => ("WK", 6, "'WK', 'BU'"),
            AreaLevel::Buurt => ("BU", 8, "'BU'"),
        };
        let sql = format!(
            "SELECT substr(area, 3, {length}), substr(area, 1, 2), SUM(numerator), SUM(denominator) FROM measurements \
             WHERE indicator_id = $1 AND collaboration_id = $2 AND period = $3 AND status = $4 AND substr(area, 1, 2) IN ({levels}) \
             GROUP BY substr(area, 3, {length}), substr(area, 1, 2)"
        );
        let rows: Vec<SumColumns> = dispatch!(self, |pool| sqlx::query_as(&sql)
            .bind(indicator)
            .bind(collaboration.0)
            .bind(period)
            .bind(MeasurementStatus::Goedgekeurd.code())
            .fetch_all(pool)
            .await)?;
        choose(rows)?
            .into_iter()
            .map(|(number, parts)| AreaCode::parse(&format!("{prefix}{number}")).map(|code| (code, parts)).ok_or(crate::StoreError::Corrupt("measurements")))
            .collect()
    }

    /// Per period, the collaboration's approved total: the sum over gemeenten of each one's
    /// figure (`rollup_areas` at gemeente level, for every period at once).
    pub async fn rollup_totals(&self, collaboration: CollaborationId, indicator: i64) -> Result<Vec<(String, Parts)>> {
        let sql = "SELECT period, substr(area, 3, 4), substr(area, 1, 2), SUM(numerator), SUM(denominator) FROM measurements \
                   WHERE indicator_id = $1 AND collaboration_id = $2 AND status = $3 GROUP BY period, substr(area, 3, 4), substr(area, 1, 2)";
        let rows: Vec<(String, String, String, f64, Option<f64>)> = dispatch!(self, |pool| sqlx::query_as(sql)
            .bind(indicator)
            .bind(collaboration.0)
            .bind(MeasurementStatus::Goedgekeurd.code())
            .fetch_all(pool)
            .await)?;
        let mut per_period: BTreeMap<String, Vec<SumColumns>> = BTreeMap::new();
        for (period, number, prefix, numerator, denominator) in rows {
            per_period.entry(period).or_default().push((number, prefix, numerator, denominator));
        }
        per_period
            .into_iter()
            .map(|(period, rows)| {
                let gemeenten = choose(rows)?;
                Ok((period, Parts::sum(gemeenten.iter().map(|(_, p)| p))))
            })
            .collect()
    }

    /// Per period and status, how many measurements there are and when one last changed: what a
    /// card lists under its measurements, without reading them.
    pub async fn period_statuses(&self, collaboration: CollaborationId, indicator: i64) -> Result<Vec<(String, MeasurementStatus, i64, i64)>> {
        let sql = "SELECT period, status, COUNT(*), MAX(changed_at) FROM measurements WHERE indicator_id = $1 AND collaboration_id = $2 \
                   GROUP BY period, status ORDER BY period, status";
        let rows: Vec<(String, String, i64, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(indicator).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(period, status, count, changed)| Ok((period, crate::code(&status, MeasurementStatus::from_code, "measurements")?, count, changed)))
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
        rows.into_iter()
            .map(|(area, numerator, denominator)| {
                AreaCode::parse(&area).map(|a| (a, Parts { numerator, denominator })).ok_or(crate::StoreError::Corrupt("measurements"))
            })
            .collect()
    }
}
