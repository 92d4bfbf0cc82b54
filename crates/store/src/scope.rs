//! A collaboration's working areas, and the approved figures their roll-up reads: those of
//! the areas they are made of and of the gemeenten around them.

use crate::{Actor, Db, Result, StoreError, Versioned, dispatch, now, on_tx, unique_as_conflict, update_versioned};
use domain::area::{AreaCode, AreaLevel};
use domain::ids::CollaborationId;
use domain::indicator::MeasurementStatus;
use domain::measure::AreaFigure;
use domain::scope::{Member, ScopeContent, ScopeKind};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub id: i64,
    pub version: i64,
    pub content: ScopeContent,
}

/// id, version, name, kind, description, members.
type ScopeColumns = (i64, i64, String, String, String, String);

fn decode((id, version, name, kind, description, members): ScopeColumns) -> Result<Scope> {
    let members: Vec<Member> = serde_json::from_str(&members).map_err(|_| StoreError::Corrupt("scopes"))?;
    let kind = crate::code(&kind, ScopeKind::from_code, "scopes")?;
    Ok(Scope { id, version, content: ScopeContent { name, kind, description, members } })
}

fn members_json(content: &ScopeContent) -> Result<String> {
    serde_json::to_string(&content.members).map_err(|_| StoreError::Corrupt("scopes"))
}

/// Area codes per query, well within both backends' parameter limits.
const CHUNK: usize = 500;

/// A figure as read for a working area: period, area, parts, and how much was measured when incomplete.
type PeriodFigureRow = (String, String, f64, Option<f64>, Option<i64>, Option<i64>);

impl Db {
    pub async fn scopes(&self, collaboration: CollaborationId) -> Result<Vec<Scope>> {
        let sql = "SELECT id, version, name, kind, description, members FROM scopes WHERE collaboration_id = $1 ORDER BY name, id";
        let rows: Vec<ScopeColumns> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(decode).collect()
    }

    pub async fn scope(&self, collaboration: CollaborationId, id: i64) -> Result<Scope> {
        let sql = "SELECT id, version, name, kind, description, members FROM scopes WHERE id = $1 AND collaboration_id = $2";
        let row: Option<ScopeColumns> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        decode(row.ok_or(StoreError::NotFound)?)
    }

    pub async fn create_scope(&self, actor: &Actor, collaboration: CollaborationId, content: &ScopeContent) -> Result<Scope> {
        let members = members_json(content)?;
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO scopes (collaboration_id, name, kind, description, members, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(&content.name)
            .bind(content.kind.code())
            .bind(&content.description)
            .bind(&members)
            .bind(now())
            .fetch_one(c)
            .await)
        .map_err(|e| unique_as_conflict(e, "name"))?;
        tx.audit(actor, Some(collaboration.0), "scope.create", &format!("werkgebied:{id} {}", content.name), "ok").await?;
        // A working area is a cell of every indicator's publication.
        tx.want_publications_of(collaboration).await?;
        tx.commit().await?;
        Ok(Scope { id, version: 1, content: content.clone() })
    }

    /// Replaces a working area if nobody changed it since `version`.
    pub async fn update_scope(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &ScopeContent) -> Result<Scope> {
        let members = members_json(content)?;
        let mut tx = self.begin().await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("scopes", collaboration, id, version),
            "name = $1, kind = $2, description = $3, members = $4",
            [&content.name, content.kind.code(), &content.description, &members],
            "scope.update",
            &format!("werkgebied:{id} {}", content.name)
        );
        tx.want_publications_of(collaboration).await?;
        tx.commit().await?;
        Ok(Scope { id, version: version + 1, content: content.clone() })
    }

    pub async fn delete_scope(&self, actor: &Actor, collaboration: CollaborationId, id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "DELETE FROM scopes WHERE id = $1 AND collaboration_id = $2";
        let gone = on_tx!(&mut tx, |c| sqlx::query(sql).bind(id).bind(collaboration.0).execute(c).await.map(|r| r.rows_affected()))?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(actor, Some(collaboration.0), "scope.delete", &format!("werkgebied:{id}"), "ok").await?;
        tx.want_publications_of(collaboration).await?;
        tx.commit().await
    }

    /// Per period, the approved figure of each of `areas` with anything measured inside it
    /// (exact or incomplete): gemeenten and wijken from the summaries, buurten from their own
    /// measurements.
    pub async fn area_figures(
        &self,
        collaboration: CollaborationId,
        indicator: i64,
        areas: &[AreaCode],
    ) -> Result<BTreeMap<String, BTreeMap<AreaCode, AreaFigure>>> {
        let (buurten, summed): (Vec<&AreaCode>, Vec<&AreaCode>) = areas.iter().partition(|a| a.level() == AreaLevel::Buurt);
        let mut figures: BTreeMap<String, BTreeMap<AreaCode, AreaFigure>> = BTreeMap::new();
        for (codes, table, counts) in [(summed, "rollups", "measured, areas"), (buurten, "measurements", "CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)")] {
            for chunk in codes.chunks(CHUNK) {
                // Anonymous parameters on SQLite (see `crate::list_params`), bound in this order.
                let p = |first: usize, n: usize| crate::list_params(self.backend(), first, n);
                let approved = if table == "measurements" { format!("AND status = {}", p(chunk.len() + 3, 1)) } else { String::new() };
                let sql = format!(
                    "SELECT period, area, numerator, denominator, {counts} FROM {table} WHERE indicator_id = {} AND collaboration_id = {} AND area IN ({}) {approved}",
                    p(1, 1),
                    p(2, 1),
                    p(3, chunk.len())
                );
                let rows: Vec<PeriodFigureRow> = dispatch!(self, |pool| {
                    let mut query = sqlx::query_as(&sql).bind(indicator).bind(collaboration.0);
                    for code in chunk {
                        query = query.bind(code.as_str());
                    }
                    if table == "measurements" { query.bind(MeasurementStatus::Goedgekeurd.code()) } else { query }.fetch_all(pool).await
                })?;
                for (period, area, numerator, denominator, measured, areas) in rows {
                    let (area, figure) = crate::rollup::figure_of((area, numerator, denominator, measured, areas));
                    let area = AreaCode::parse(&area).ok_or(StoreError::Corrupt("rollups"))?;
                    figures.entry(period).or_default().insert(area, figure);
                }
            }
        }
        Ok(figures)
    }
}
