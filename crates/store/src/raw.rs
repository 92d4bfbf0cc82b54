//! A data steward's look at raw measurements: one period of one indicator at a time, and never
//! more rows than a page can hold — a national indicator has some 15,000 buurten a period and
//! twenty periods, which no page should read whole. Only stewards may see these values; the
//! caller logs each look.

use crate::indicator::MeasurementRow;
use crate::{Db, Result, code, dispatch};
use domain::ids::CollaborationId;
use domain::indicator::MeasurementStatus;
use domain::measure::Parts;

/// id, area, period, numerator, denominator, status, changed_by, changed_at.
type RawColumns = (i64, String, String, f64, Option<f64>, String, String, i64);

impl Db {
    /// The measurements of one period in every status, by area, at most `limit` of them.
    pub async fn measurements_in(&self, collaboration: CollaborationId, indicator: i64, period: &str, limit: i64) -> Result<Vec<MeasurementRow>> {
        let sql = "SELECT id, area, period, numerator, denominator, status, changed_by, changed_at FROM measurements \
                   WHERE indicator_id = $1 AND collaboration_id = $2 AND period = $3 ORDER BY area LIMIT $4";
        let rows: Vec<RawColumns> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(indicator).bind(collaboration.0).bind(period).bind(limit).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(id, area, period, numerator, denominator, status, changed_by, changed_at)| {
                Ok(MeasurementRow {
                    id,
                    area,
                    period,
                    parts: Parts { numerator, denominator },
                    status: code(&status, MeasurementStatus::from_code, "measurements")?,
                    changed_by,
                    changed_at,
                })
            })
            .collect()
    }
}
