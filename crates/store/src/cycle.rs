//! Learning cycles per period. The meeting and the agreements and activities that decisions
//! change must belong to the same collaboration.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, dispatch, now, on_tx, update_versioned};
use domain::cycle::{CycleContent, Decision};
use domain::ids::CollaborationId;

#[derive(Debug, Clone, PartialEq)]
pub struct Cycle {
    pub id: i64,
    pub version: i64,
    pub content: CycleContent,
}

fn decode(json: &str) -> Result<CycleContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("cycles"))
}

impl Tx {
    async fn check_cycle(&mut self, collaboration: CollaborationId, content: &CycleContent) -> Result<()> {
        belongs(self, "meetings", content.meeting, collaboration.0, "meeting").await?;
        for d in &content.decisions {
            belongs(self, "agreements", d.agreement, collaboration.0, "agreement").await?;
            belongs(self, "programme_activities", d.activity, collaboration.0, "activity").await?;
        }
        Ok(())
    }
}

impl Db {
    /// The collaboration's cycles, latest period first.
    pub async fn cycles(&self, collaboration: CollaborationId) -> Result<Vec<Cycle>> {
        let sql = "SELECT id, version, content FROM cycles WHERE collaboration_id = $1 ORDER BY period DESC, id DESC";
        let rows: Vec<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(id, version, json)| Ok(Cycle { id, version, content: decode(&json)? })).collect()
    }

    pub async fn cycle(&self, collaboration: CollaborationId, id: i64) -> Result<Cycle> {
        let sql = "SELECT id, version, content FROM cycles WHERE id = $1 AND collaboration_id = $2";
        let row: Option<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        let (id, version, json) = row.ok_or(StoreError::NotFound)?;
        Ok(Cycle { id, version, content: decode(&json)? })
    }

    pub async fn create_cycle(&self, actor: &Actor, collaboration: CollaborationId, content: &CycleContent) -> Result<Cycle> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("cycles"))?;
        let mut tx = self.begin().await?;
        tx.check_cycle(collaboration, content).await?;
        let stamp = now();
        let sql = "INSERT INTO cycles (collaboration_id, period, content, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(collaboration.0).bind(&content.period).bind(&json).bind(stamp).fetch_one(c).await)?;
        tx.audit(actor, Some(collaboration.0), "cycle.create", &format!("cyclus:{id} {}", content.period), "ok").await?;
        tx.commit().await?;
        Ok(Cycle { id, version: 1, content: content.clone() })
    }

    /// Replaces a cycle's content if nobody changed it since `version`.
    pub async fn update_cycle(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &CycleContent) -> Result<Cycle> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("cycles"))?;
        let mut tx = self.begin().await?;
        tx.check_cycle(collaboration, content).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("cycles", collaboration, id, version),
            "period = $1, content = $2",
            [&content.period, &json],
            "cycle.update",
            &format!("cyclus:{id}")
        );
        tx.commit().await?;
        Ok(Cycle { id, version: version + 1, content: content.clone() })
    }

    /// Adds a decision to the act phase.
    pub async fn add_decision(&self, actor: &Actor, collaboration: CollaborationId, id: i64, decision: Decision) -> Result<Cycle> {
        let cycle = self.cycle(collaboration, id).await?;
        let mut content = cycle.content;
        content.decisions.push(decision);
        self.update_cycle(actor, collaboration, id, cycle.version, &content).await
    }
}
