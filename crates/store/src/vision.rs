//! The shared vision of a collaboration: its draft, adopted versions and endorsements.

use crate::agreement::AssentAnswer;
use crate::{Actor, Db, Result, StoreError, belongs, code, dispatch, now, on_tx};
use domain::agreement::Assent;
use domain::ids::CollaborationId;
use domain::vision::VisionContent;

#[derive(Debug, Clone, PartialEq)]
pub struct Adopted {
    pub version: i64,
    pub content: VisionContent,
    pub adopted_by: String,
    pub adopted_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endorsement {
    pub version: i64,
    pub partner_id: i64,
    pub assent: Assent,
    pub reason: String,
}

fn decode(json: &str) -> Result<VisionContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("visions"))
}

impl Db {
    /// The draft and its edit version (0 before anything was written).
    pub async fn vision_draft(&self, collaboration: CollaborationId) -> Result<(VisionContent, i64)> {
        let row: Option<(String, i64)> = dispatch!(self, |pool| sqlx::query_as("SELECT draft, version FROM visions WHERE collaboration_id = $1")
            .bind(collaboration.0)
            .fetch_optional(pool)
            .await)?;
        match row {
            Some((json, version)) => Ok((decode(&json)?, version)),
            None => Ok((VisionContent::default(), 0)),
        }
    }

    /// Saves the draft if it is still at `version`; a stale one is a conflict.
    pub async fn save_vision_draft(&self, actor: &Actor, collaboration: CollaborationId, version: i64, content: &VisionContent) -> Result<i64> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("visions"))?;
        let mut tx = self.begin().await?;
        let changed = if version == 0 {
            let sql = "INSERT INTO visions (collaboration_id, draft, version, updated_at) VALUES ($1, $2, 1, $3) ON CONFLICT (collaboration_id) DO NOTHING";
            on_tx!(&mut tx, |c| sqlx::query(sql).bind(collaboration.0).bind(&json).bind(now()).execute(c).await.map(|r| r.rows_affected()))?
        } else {
            let sql = "UPDATE visions SET draft = $1, version = version + 1, updated_at = $2 WHERE collaboration_id = $3 AND version = $4";
            on_tx!(&mut tx, |c| sqlx::query(sql).bind(&json).bind(now()).bind(collaboration.0).bind(version).execute(c).await.map(|r| r.rows_affected()))?
        };
        if changed == 0 {
            return Err(StoreError::Conflict("version"));
        }
        tx.audit(actor, Some(collaboration.0), "vision.draft", "visie", "ok").await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Adopts the current draft as the next version.
    pub async fn adopt_vision(&self, actor: &Actor, collaboration: CollaborationId) -> Result<i64> {
        let (draft, edit) = self.vision_draft(collaboration).await?;
        if edit == 0 {
            return Err(StoreError::NotFound);
        }
        let json = serde_json::to_string(&draft).map_err(|_| StoreError::Corrupt("visions"))?;
        let mut tx = self.begin().await?;
        let last: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT MAX(version) FROM vision_versions WHERE collaboration_id = $1")
            .bind(collaboration.0)
            .fetch_one(c)
            .await)?;
        let version = last.unwrap_or(0) + 1;
        let sql = "INSERT INTO vision_versions (collaboration_id, version, content, adopted_by, adopted_at) VALUES ($1, $2, $3, $4, $5)";
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(collaboration.0)
            .bind(version)
            .bind(&json)
            .bind(&actor.label)
            .bind(now())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(collaboration.0), "vision.adopt", &format!("visie versie {version}"), "ok").await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Every adopted version, oldest first.
    pub async fn vision_versions(&self, collaboration: CollaborationId) -> Result<Vec<Adopted>> {
        let sql = "SELECT version, content, adopted_by, adopted_at FROM vision_versions WHERE collaboration_id = $1 ORDER BY version";
        let rows: Vec<(i64, String, String, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(version, json, adopted_by, adopted_at)| Ok(Adopted { version, content: decode(&json)?, adopted_by, adopted_at })).collect()
    }

    pub async fn vision_endorsements(&self, collaboration: CollaborationId) -> Result<Vec<Endorsement>> {
        let sql = "SELECT version, partner_id, assent, reason FROM vision_endorsements WHERE collaboration_id = $1 ORDER BY version, partner_id";
        let rows: Vec<(i64, i64, String, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(version, partner_id, assent, reason)| {
                Ok(Endorsement { version, partner_id, assent: code(&assent, Assent::from_code, "vision_endorsements")?, reason })
            })
            .collect()
    }

    /// Records a partner's endorsement of an adopted version (again: the answer is replaced).
    pub async fn endorse_vision(&self, actor: &Actor, collaboration: CollaborationId, version: i64, answer: &AssentAnswer<'_>) -> Result<()> {
        if !self.vision_versions(collaboration).await?.iter().any(|v| v.version == version) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.begin().await?;
        belongs(&mut tx, "partners", Some(answer.partner), collaboration.0, "partner_id").await?;
        let sql = "INSERT INTO vision_endorsements (collaboration_id, version, partner_id, assent, reason, at) VALUES ($1, $2, $3, $4, $5, $6) \
                   ON CONFLICT (collaboration_id, version, partner_id) DO UPDATE SET assent = excluded.assent, reason = excluded.reason, at = excluded.at";
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(collaboration.0)
            .bind(version)
            .bind(answer.partner)
            .bind(answer.assent.code())
            .bind(answer.reason)
            .bind(now())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(collaboration.0), "vision.endorse", &format!("visie versie {version} partner:{} {}", answer.partner, answer.assent), "ok").await?;
        tx.commit().await
    }
}
