//! The stored publication of each indicator (`publications`): what readers without raw access
//! see of every cell, worked out whole by `domain::disclosure::publish` and kept as JSON.
//!
//! Every write that changes what the publication is made of raises its `wanted` inside the
//! write's own transaction: an approval (where the roll-ups are refreshed), a change to the
//! indicator (its kind, factor or rules), a working area created, changed or deleted (every
//! indicator of the collaboration), a classification loaded or a collaboration's year changed.
//! A refresh reads `wanted` first and then what the publication is made of, so what it read is
//! at least as new as that number; it stores its result as `made` only over an older one
//! (`store_publication`), so two refreshes that overlap never put an older publication over a
//! newer one. A publication whose `made` is below `wanted` is due (`publications_due`).

use crate::rollup::OwnedIndicator;
use crate::{Db, Result, StoreError, Tx, dispatch, now, on_tx};
use domain::area::AreaCode;
use domain::disclosure::{Classification, SharedPart};
use domain::ids::CollaborationId;
use domain::indicator::MeasurementStatus;
use domain::indicator::Shares;
use domain::measure::Parts;
use std::collections::BTreeMap;

/// Raises `wanted` by one, or starts the row when there is none.
const WANT_ONE: &str = "INSERT INTO publications (collaboration_id, indicator_id, wanted, made) VALUES ($1, $2, 1, 0) \
                        ON CONFLICT (collaboration_id, indicator_id) DO UPDATE SET wanted = publications.wanted + 1";
const WANT_ALL: &str = "INSERT INTO publications (collaboration_id, indicator_id, wanted, made) SELECT collaboration_id, id, 1, 0 FROM indicators WHERE collaboration_id = $1 \
                        ON CONFLICT (collaboration_id, indicator_id) DO UPDATE SET wanted = publications.wanted + 1";

/// A stored publication as read: the number it was made at, the number now wanted, and the
/// publication as JSON (none before the first refresh).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPublication {
    pub wanted: i64,
    pub made: i64,
    pub body: Option<String>,
}

/// What an indicator's publication is made of, read at `wanted`: the approved measurements per
/// period by area, and the classification of the gemeenten they lie in (the year that serves
/// the collaboration, as for the roll-ups).
#[derive(Debug, Clone)]
pub struct PublicationSource {
    pub wanted: i64,
    pub periods: BTreeMap<String, BTreeMap<AreaCode, Parts>>,
    pub class: Classification,
}

/// What each indicator shares, read from its stored content.
fn links(rows: Vec<(i64, String)>) -> Result<Vec<(i64, Option<Shares>)>> {
    rows.into_iter()
        .map(|(id, json)| {
            let mut content: serde_json::Value = serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("indicators"))?;
            let shares = serde_json::from_value::<Option<Shares>>(content["shares"].take()).map_err(|_| StoreError::Corrupt("indicators"))?;
            Ok((id, shares))
        })
        .collect()
}

impl Tx {
    /// The indicator's publication is out of date from this write on, and so are those of
    /// the indicators it is published jointly with (`shared_group`).
    pub(crate) async fn want_publication(&mut self, indicator: OwnedIndicator) -> Result<()> {
        let (collaboration, id) = (indicator.collaboration(), indicator.id());
        for (member, _) in self.shared_group(collaboration, id).await? {
            on_tx!(&mut *self, |c| sqlx::query(WANT_ONE).bind(collaboration.0).bind(member).execute(c).await.map(|_| ()))?;
        }
        Ok(())
    }

    /// The indicators of the collaboration published jointly with `id` (`domain::indicator::shared_group`).
    pub(crate) async fn shared_group(&mut self, collaboration: CollaborationId, id: i64) -> Result<Vec<(i64, SharedPart)>> {
        let sql = "SELECT id, content FROM indicators WHERE collaboration_id = $1";
        let rows: Vec<(i64, String)> = on_tx!(&mut *self, |c| sqlx::query_as(sql).bind(collaboration.0).fetch_all(c).await)?;
        Ok(domain::indicator::shared_group(&links(rows)?, id))
    }

    /// Every indicator of the collaboration's publication is out of date from this write on.
    pub(crate) async fn want_publications_of(&mut self, collaboration: CollaborationId) -> Result<()> {
        on_tx!(&mut *self, |c| sqlx::query(WANT_ALL).bind(collaboration.0).execute(c).await.map(|_| ()))?;
        Ok(())
    }

    /// Every publication of the instance is out of date from this write on (a classification loaded).
    pub(crate) async fn want_every_publication(&mut self) -> Result<()> {
        let sql = "INSERT INTO publications (collaboration_id, indicator_id, wanted, made) SELECT collaboration_id, id, 1, 0 FROM indicators WHERE true \
                   ON CONFLICT (collaboration_id, indicator_id) DO UPDATE SET wanted = publications.wanted + 1";
        on_tx!(&mut *self, |c| sqlx::query(sql).execute(c).await.map(|_| ()))?;
        Ok(())
    }
}

impl Db {
    /// The indicators of the collaboration published jointly with `id`, each with the part of
    /// it that is their shared count; alone, only itself.
    pub async fn shared_group(&self, collaboration: CollaborationId, id: i64) -> Result<Vec<(i64, SharedPart)>> {
        let sql = "SELECT id, content FROM indicators WHERE collaboration_id = $1";
        let rows: Vec<(i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        Ok(domain::indicator::shared_group(&links(rows)?, id))
    }

    /// One indicator's stored publication, if any row exists yet.
    pub async fn publication(&self, collaboration: CollaborationId, indicator: i64) -> Result<Option<StoredPublication>> {
        let sql = "SELECT wanted, made, body FROM publications WHERE collaboration_id = $1 AND indicator_id = $2";
        let row: Option<(i64, i64, Option<String>)> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(indicator).fetch_optional(pool).await)?;
        Ok(row.map(|(wanted, made, body)| StoredPublication { wanted, made, body }))
    }

    /// Only the numbers of one indicator's stored publication: `(wanted, made)`.
    pub async fn publication_numbers(&self, collaboration: CollaborationId, indicator: i64) -> Result<Option<(i64, i64)>> {
        let sql = "SELECT wanted, made FROM publications WHERE collaboration_id = $1 AND indicator_id = $2";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(indicator).fetch_optional(pool).await)?)
    }

    /// Stores a publication made from what was there at `made`, only over an older one;
    /// whether it was stored.
    pub async fn store_publication(&self, collaboration: CollaborationId, indicator: i64, made: i64, body: &str) -> Result<bool> {
        let sql = "UPDATE publications SET made = $1, body = $2, made_at = $3 WHERE collaboration_id = $4 AND indicator_id = $5 AND made < $1";
        let changed = dispatch!(self, |pool| sqlx::query(sql)
            .bind(made)
            .bind(body)
            .bind(now())
            .bind(collaboration.0)
            .bind(indicator)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(changed > 0)
    }

    /// The publications whose `made` is below `wanted`, of one collaboration or of all.
    pub async fn publications_due(&self, collaboration: Option<CollaborationId>) -> Result<Vec<(CollaborationId, i64)>> {
        let rows: Vec<(i64, i64)> = match collaboration {
            Some(c) => {
                let sql = "SELECT collaboration_id, indicator_id FROM publications WHERE collaboration_id = $1 AND made < wanted ORDER BY indicator_id";
                dispatch!(self, |pool| sqlx::query_as(sql).bind(c.0).fetch_all(pool).await)?
            }
            None => {
                let sql = "SELECT collaboration_id, indicator_id FROM publications WHERE made < wanted ORDER BY collaboration_id, indicator_id";
                dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)?
            }
        };
        Ok(rows.into_iter().map(|(c, i)| (CollaborationId(c), i)).collect())
    }

    /// Marks one indicator's publication out of date, as a write does: for an operator's
    /// `refresh`, and for tests of what readers see meanwhile.
    pub async fn want_publication(&self, collaboration: CollaborationId, indicator: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let owned = tx.own_indicator(collaboration, indicator).await?;
        tx.want_publication(owned).await?;
        tx.commit().await
    }

    /// What one indicator's publication is made of, with the `wanted` it was read at.
    pub async fn publication_source(&self, collaboration: CollaborationId, indicator: i64) -> Result<PublicationSource> {
        let mut tx = self.begin().await?;
        let owned = tx.own_indicator(collaboration, indicator).await?;
        let start = "INSERT INTO publications (collaboration_id, indicator_id, wanted, made) VALUES ($1, $2, 1, 0) ON CONFLICT (collaboration_id, indicator_id) DO NOTHING";
        on_tx!(&mut tx, |c| sqlx::query(start).bind(owned.collaboration().0).bind(owned.id()).execute(c).await.map(|_| ()))?;
        let sql = "SELECT wanted FROM publications WHERE collaboration_id = $1 AND indicator_id = $2";
        let wanted: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(collaboration.0).bind(indicator).fetch_optional(c).await)?;
        let sql = "SELECT period, area, numerator, denominator FROM measurements WHERE collaboration_id = $1 AND indicator_id = $2 AND status = $3";
        let rows: Vec<(String, String, f64, Option<f64>)> =
            on_tx!(&mut tx, |c| sqlx::query_as(sql).bind(collaboration.0).bind(indicator).bind(MeasurementStatus::Goedgekeurd.code()).fetch_all(c).await)?;
        let mut periods: BTreeMap<String, BTreeMap<AreaCode, Parts>> = BTreeMap::new();
        let mut all = BTreeMap::new();
        for (period, area, numerator, denominator) in rows {
            let area = AreaCode::parse(&area).ok_or(StoreError::Corrupt("measurements"))?;
            let parts = Parts { numerator, denominator };
            all.insert(area.clone(), parts);
            periods.entry(period).or_default().insert(area, parts);
        }
        let class = tx.classification(collaboration, &all).await?;
        tx.commit().await?;
        Ok(PublicationSource { wanted: wanted.unwrap_or(0), periods, class })
    }
}
