//! Indicators and their measurements. An indicator's references (delivering partner, owning
//! and data-sharing agreements, the partners that chose it) must belong to its collaboration;
//! a measurement is one row per indicator, area and period, replaced when entered again.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, code, dispatch, now, on_tx, update_versioned};
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, Measurement, MeasurementStatus};
use domain::measure::Parts;

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: i64,
    pub version: i64,
    pub content: IndicatorContent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementRow {
    pub id: i64,
    pub area: String,
    pub period: String,
    pub parts: Parts,
    pub status: MeasurementStatus,
    pub changed_by: String,
    pub changed_at: i64,
}

/// id, area, period, numerator, denominator, status, changed_by, changed_at.
type MeasurementColumns = (i64, String, String, f64, Option<f64>, String, String, i64);

fn decode(json: &str) -> Result<IndicatorContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("indicators"))
}

impl Tx {
    /// Refuses a change to a period a beheerder has locked.
    async fn check_unlocked(&mut self, collaboration: CollaborationId, period: &str) -> Result<()> {
        let sql = "SELECT period FROM period_locks WHERE collaboration_id = $1 AND period = $2";
        let locked: Option<String> = on_tx!(self, |c| sqlx::query_scalar(sql).bind(collaboration.0).bind(period).fetch_optional(c).await)?;
        if locked.is_some() { Err(StoreError::Conflict("locked")) } else { Ok(()) }
    }

    async fn check_indicator(&mut self, collaboration: CollaborationId, content: &IndicatorContent) -> Result<()> {
        belongs(self, "partners", content.partner, collaboration.0, "partner").await?;
        belongs(self, "agreements", content.agreement, collaboration.0, "agreement").await?;
        belongs(self, "agreements", content.sharing, collaboration.0, "sharing").await?;
        belongs(self, "programme_goals", content.goal, collaboration.0, "goal").await?;
        for partner in &content.agreed_by {
            belongs(self, "partners", Some(*partner), collaboration.0, "agreed_by").await?;
        }
        Ok(())
    }
}

impl Db {
    pub async fn indicators(&self, collaboration: CollaborationId) -> Result<Vec<Indicator>> {
        let sql = "SELECT id, version, content FROM indicators WHERE collaboration_id = $1 ORDER BY code, id";
        let rows: Vec<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(id, version, json)| Ok(Indicator { id, version, content: decode(&json)? })).collect()
    }

    pub async fn indicator(&self, collaboration: CollaborationId, id: i64) -> Result<Indicator> {
        let sql = "SELECT id, version, content FROM indicators WHERE id = $1 AND collaboration_id = $2";
        let row: Option<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        let (id, version, json) = row.ok_or(StoreError::NotFound)?;
        Ok(Indicator { id, version, content: decode(&json)? })
    }

    pub async fn create_indicator(&self, actor: &Actor, collaboration: CollaborationId, content: &IndicatorContent) -> Result<Indicator> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("indicators"))?;
        let mut tx = self.begin().await?;
        tx.check_indicator(collaboration, content).await?;
        let taken: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM indicators WHERE collaboration_id = $1 AND code = $2")
            .bind(collaboration.0)
            .bind(&content.code)
            .fetch_one(c)
            .await)?;
        if taken > 0 {
            return Err(StoreError::Conflict("code"));
        }
        let sql = "INSERT INTO indicators (collaboration_id, code, content, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(collaboration.0).bind(&content.code).bind(&json).bind(now()).fetch_one(c).await)?;
        let r = &content.rules;
        let detail = format!(
            "indicator:{id} {} regels: afronden {}, geheim onder {}, minimale noemer {}, gedeeld: {}",
            content.code,
            r.round_to,
            r.secret_below,
            r.min_denominator,
            domain::indicator::Shares::describe(content.shares.as_ref())
        );
        tx.audit(actor, Some(collaboration.0), "indicator.create", &detail, "ok").await?;
        let owned = tx.own_indicator(collaboration, id).await?;
        tx.want_publication(owned).await?;
        tx.commit().await?;
        Ok(Indicator { id, version: 1, content: content.clone() })
    }

    pub async fn update_indicator(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        id: i64,
        version: i64,
        content: &IndicatorContent,
    ) -> Result<Indicator> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("indicators"))?;
        let mut tx = self.begin().await?;
        tx.check_indicator(collaboration, content).await?;
        let taken: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM indicators WHERE collaboration_id = $1 AND code = $2 AND id <> $3")
            .bind(collaboration.0)
            .bind(&content.code)
            .bind(id)
            .fetch_one(c)
            .await)?;
        if taken > 0 {
            return Err(StoreError::Conflict("code"));
        }
        // The rules as stored before, for the audit entry of a change to them.
        let sql = "SELECT content FROM indicators WHERE id = $1 AND collaboration_id = $2";
        let before: Option<String> = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(id).bind(collaboration.0).fetch_optional(c).await)?;
        let before = before.as_deref().map(decode).transpose()?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("indicators", collaboration, id, version),
            "code = $1, content = $2",
            [&content.code, &json],
            "indicator.update",
            &format!("indicator:{id} {}", content.status)
        );
        // Its kind, factor or rules may have changed: the publication is worked out again.
        let owned = tx.own_indicator(collaboration, id).await?;
        tx.want_publication(owned).await?;
        // What it shared before is published on its own from now on.
        if let Some(old) = before.as_ref().and_then(|b| b.shares).filter(|s| Some(*s) != content.shares) {
            let partner = tx.own_indicator(collaboration, old.with).await;
            if let Ok(partner) = partner {
                tx.want_publication(partner).await?;
            }
        }
        let mut change = before.as_ref().map(|b| b.rules.change(&content.rules)).unwrap_or_default();
        if let Some(b) = before.as_ref().filter(|b| b.shares != content.shares) {
            let shared =
                format!("gedeeld {}→{}", domain::indicator::Shares::describe(b.shares.as_ref()), domain::indicator::Shares::describe(content.shares.as_ref()));
            change = if change.is_empty() { shared } else { format!("{change}, {shared}") };
        }
        if !change.is_empty() {
            tx.audit(actor, Some(collaboration.0), "indicator.rules", &format!("indicator:{id} {change}"), "ok").await?;
        }
        tx.commit().await?;
        Ok(Indicator { id, version: version + 1, content: content.clone() })
    }

    pub async fn measurements(&self, collaboration: CollaborationId, indicator: i64) -> Result<Vec<MeasurementRow>> {
        let sql = "SELECT id, area, period, numerator, denominator, status, changed_by, changed_at FROM measurements WHERE indicator_id = $1 AND collaboration_id = $2 ORDER BY period, area";
        let rows: Vec<MeasurementColumns> = dispatch!(self, |pool| sqlx::query_as(sql).bind(indicator).bind(collaboration.0).fetch_all(pool).await)?;
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

    /// Enters measurements as drafts, all or none; a value entered again replaces the old one
    /// unless that one is approved (then nothing is stored).
    pub async fn save_measurements(&self, actor: &Actor, collaboration: CollaborationId, indicator: i64, values: &[Measurement]) -> Result<usize> {
        self.save_measurements_as(actor, collaboration, indicator, values, true).await
    }

    /// As `save_measurements`; for someone who is not a `steward` a submitted value is refused
    /// as an approved one is, with the same conflict whatever the values: the answer never
    /// depends on a value they may not see.
    pub async fn save_measurements_as(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        indicator: i64,
        values: &[Measurement],
        steward: bool,
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let owned = tx.own_indicator(collaboration, indicator).await?;
        for m in values {
            tx.check_unlocked(collaboration, &m.period).await?;
            let sql = "SELECT status FROM measurements WHERE collaboration_id = $1 AND indicator_id = $2 AND area = $3 AND period = $4";
            let existing: Option<String> = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
                .bind(collaboration.0)
                .bind(indicator)
                .bind(m.area.as_str())
                .bind(&m.period)
                .fetch_optional(c)
                .await)?;
            let submitted = !steward && existing.as_deref() == Some(MeasurementStatus::Ingediend.code());
            if existing.as_deref() == Some(MeasurementStatus::Goedgekeurd.code()) || submitted {
                return Err(StoreError::Conflict("approved"));
            }
            let sql = "INSERT INTO measurements (collaboration_id, indicator_id, area, period, numerator, denominator, status, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                       ON CONFLICT (indicator_id, area, period) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator, status = excluded.status, changed_by = excluded.changed_by, changed_at = excluded.changed_at";
            on_tx!(&mut tx, |c| sqlx::query(sql)
                .bind(collaboration.0)
                .bind(indicator)
                .bind(m.area.as_str())
                .bind(&m.period)
                .bind(m.parts.numerator)
                .bind(m.parts.denominator)
                .bind(MeasurementStatus::Concept.code())
                .bind(&actor.label)
                .bind(now())
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        }
        let mut periods: Vec<&str> = values.iter().map(|m| m.period.as_str()).collect();
        periods.sort_unstable();
        periods.dedup();
        tx.refresh_counts(owned, &periods).await?;
        tx.audit(actor, Some(collaboration.0), "measurement.save", &format!("indicator:{indicator} {} meting(en)", values.len()), "ok").await?;
        tx.commit().await?;
        Ok(values.len())
    }

    /// Moves every measurement of a period to `next`, where the step is allowed; returns how many moved.
    pub async fn move_measurements(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        indicator: i64,
        period: &str,
        next: MeasurementStatus,
    ) -> Result<usize> {
        // One statement for the whole period: a national indicator has some 15,000 buurten a period.
        let from: Vec<&str> = MeasurementStatus::ALL.iter().filter(|s| s.may_become(next)).map(|s| s.code()).collect();
        let list = (0..from.len()).map(|i| format!("${}", i + 7)).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "UPDATE measurements SET status = $1, changed_by = $2, changed_at = $3 WHERE indicator_id = $4 AND collaboration_id = $5 AND period = $6 AND status IN ({list})"
        );
        let mut tx = self.begin().await?;
        let owned = tx.own_indicator(collaboration, indicator).await?;
        tx.check_unlocked(collaboration, period).await?;
        if next == MeasurementStatus::Goedgekeurd {
            // Four eyes: who submitted a figure of this period does not approve it.
            let sql = "SELECT COUNT(*) FROM measurements m JOIN collaborations c ON c.id = m.collaboration_id \
                       WHERE m.indicator_id = $1 AND m.collaboration_id = $2 AND m.period = $3 AND m.status = $4 AND m.changed_by = $5 AND c.four_eyes";
            let own: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
                .bind(indicator)
                .bind(collaboration.0)
                .bind(period)
                .bind(MeasurementStatus::Ingediend.code())
                .bind(&actor.label)
                .fetch_one(c)
                .await)?;
            if own > 0 {
                return Err(StoreError::Conflict("four_eyes"));
            }
        }
        let moved = on_tx!(&mut tx, |c| {
            let mut query = sqlx::query(&sql).bind(next.code()).bind(&actor.label).bind(now()).bind(indicator).bind(collaboration.0).bind(period);
            for status in &from {
                query = query.bind(*status);
            }
            query.execute(c).await.map(|r| r.rows_affected())
        })?;
        let moved = usize::try_from(moved).unwrap_or(usize::MAX);
        tx.refresh_counts(owned, &[period]).await?;
        if next == MeasurementStatus::Goedgekeurd {
            tx.refresh_rollup(owned, period).await?;
            tx.want_publication(owned).await?;
        }
        tx.audit(actor, Some(collaboration.0), "measurement.status", &format!("indicator:{indicator} {period} {next} ({moved})"), "ok").await?;
        tx.commit().await?;
        Ok(moved)
    }
}
