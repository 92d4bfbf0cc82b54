//! Importing measurements in bulk, and the periods a beheerder has locked against change.

use crate::{Actor, Db, Result, StoreError, dispatch, now, on_tx};
use domain::ids::CollaborationId;
use domain::import::{Existing, IndicatorRef, Key, Plan, Planned};
use domain::indicator::MeasurementStatus;
use std::collections::{HashMap, HashSet};

/// Everything `domain::import::plan` compares a file against.
pub struct ImportContext {
    pub indicators: HashMap<String, IndicatorRef>,
    pub areas: HashSet<String>,
    pub locked: HashSet<String>,
    pub existing: HashMap<Key, Existing>,
}

impl ImportContext {
    pub fn context(&self, replace: bool) -> domain::import::Context<'_> {
        domain::import::Context { indicators: &self.indicators, areas: &self.areas, locked: &self.locked, existing: &self.existing, replace }
    }
}

/// Rows per INSERT: nine parameters each, well within both backends' limits.
const CHUNK: usize = 1_000;

impl Db {
    /// What a file naming the indicator `codes` (upper-cased) is checked against; of what is
    /// stored, only those indicators' measurements are read.
    pub async fn import_context(&self, collaboration: CollaborationId, codes: &HashSet<String>) -> Result<ImportContext> {
        let c = self.collaboration(collaboration).await?;
        let indicators: HashMap<String, IndicatorRef> = self
            .indicators(collaboration)
            .await?
            .into_iter()
            .map(|i| (i.content.code.to_uppercase(), IndicatorRef { id: i.id, kind: i.content.kind, period_type: i.content.period_type }))
            .collect();
        let areas = match self.area_year_for(c.area_year).await? {
            Some(year) => self.area_codes(year).await?,
            None => HashSet::new(),
        };
        let ids: Vec<i64> = codes.iter().filter_map(|code| indicators.get(code)).map(|i| i.id).collect();
        let list = (0..ids.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT indicator_id, area, period, numerator, denominator, status FROM measurements WHERE collaboration_id = $1 AND indicator_id IN ({list})"
        );
        let rows: Vec<(i64, String, String, f64, Option<f64>, String)> = if ids.is_empty() {
            Vec::new()
        } else {
            dispatch!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(collaboration.0);
                for id in &ids {
                    query = query.bind(*id);
                }
                query.fetch_all(pool).await
            })?
        };
        let mut existing = HashMap::with_capacity(rows.len());
        for (indicator, area, period, numerator, denominator, status) in rows {
            let status = crate::code(&status, MeasurementStatus::from_code, "measurements")?;
            existing.insert((indicator, area, period), Existing { parts: domain::measure::Parts { numerator, denominator }, status });
        }
        Ok(ImportContext { indicators, areas, locked: self.locked_periods(collaboration).await?.into_iter().collect(), existing })
    }

    /// Writes a checked plan in one transaction: new values and replaced ones become drafts.
    /// `progress` hears how many rows are written so far. A period locked or a value approved
    /// since the plan was made rolls everything back.
    pub async fn import_measurements(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        plan: &Plan,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let locked: Vec<String> =
            on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT period FROM period_locks WHERE collaboration_id = $1").bind(collaboration.0).fetch_all(c).await)?;
        let all: Vec<&Planned> = plan.new.iter().chain(&plan.replaced).collect();
        if all.iter().any(|p| locked.contains(&p.measurement.period)) {
            return Err(StoreError::Conflict("locked"));
        }
        let stamp = now();
        let mut written = 0;
        // SQLite gets anonymous `?` parameters here: for numbered ones (`$n`, `?n`) SQLite looks
        // each name up along a list as long as the statement's parameters, once per parameter,
        // which made a 9,000-parameter INSERT cost time quadratic in its size (a million rows
        // took two minutes instead of seconds). Both bind in the same order.
        let anonymous = matches!(tx, crate::Tx::Sqlite(_));
        let placeholder = |n: usize| if anonymous { "?".to_string() } else { format!("${n}") };
        for chunk in all.chunks(CHUNK) {
            let tuples: Vec<String> =
                (0..chunk.len()).map(|i| format!("({})", (1..=9).map(|c| placeholder(i * 9 + c)).collect::<Vec<_>>().join(", "))).collect();
            // An approved value is never overwritten: the update skips it and the count below notices.
            let sql = format!(
                "INSERT INTO measurements (collaboration_id, indicator_id, area, period, numerator, denominator, status, changed_by, changed_at) VALUES {} \
                 ON CONFLICT (indicator_id, area, period) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator, \
                 status = excluded.status, changed_by = excluded.changed_by, changed_at = excluded.changed_at WHERE measurements.status <> 'goedgekeurd'",
                tuples.join(", ")
            );
            let affected = on_tx!(&mut tx, |c| {
                let mut query = sqlx::query(&sql);
                for p in chunk {
                    query = query
                        .bind(collaboration.0)
                        .bind(p.indicator)
                        .bind(p.measurement.area.as_str())
                        .bind(&p.measurement.period)
                        .bind(p.measurement.parts.numerator)
                        .bind(p.measurement.parts.denominator)
                        .bind(MeasurementStatus::Concept.code())
                        .bind(&actor.label)
                        .bind(stamp);
                }
                query.execute(c).await.map(|r| r.rows_affected())
            })?;
            if usize::try_from(affected).ok() != Some(chunk.len()) {
                return Err(StoreError::Conflict("approved"));
            }
            written += chunk.len();
            progress(written);
        }
        let detail = format!("{} nieuw, {} vervangen, {} ongewijzigd", plan.new.len(), plan.replaced.len(), plan.unchanged);
        tx.audit(actor, Some(collaboration.0), "measurement.import", &detail, "ok").await?;
        tx.commit().await?;
        Ok(written)
    }

    pub async fn locked_periods(&self, collaboration: CollaborationId) -> Result<Vec<String>> {
        let sql = "SELECT period FROM period_locks WHERE collaboration_id = $1 ORDER BY period";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(sql).bind(collaboration.0).fetch_all(pool).await)?)
    }

    /// Locks or unlocks a period for every indicator of the collaboration.
    pub async fn set_period_lock(&self, actor: &Actor, collaboration: CollaborationId, period: &str, locked: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        if locked {
            let sql = "INSERT INTO period_locks (collaboration_id, period, locked_by, locked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
            on_tx!(&mut tx, |c| sqlx::query(sql)
                .bind(collaboration.0)
                .bind(period)
                .bind(&actor.label)
                .bind(now())
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        } else {
            let sql = "DELETE FROM period_locks WHERE collaboration_id = $1 AND period = $2";
            on_tx!(&mut tx, |c| sqlx::query(sql).bind(collaboration.0).bind(period).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.audit(actor, Some(collaboration.0), if locked { "period.lock" } else { "period.unlock" }, period, "ok").await?;
        tx.commit().await?;
        Ok(())
    }
}
