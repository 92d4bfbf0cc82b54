//! Stories behind an indicator's figures, one per period, with optimistic locking.

use crate::{Actor, Db, Result, StoreError, dispatch, now, on_tx};
use domain::ids::CollaborationId;
use domain::story::StoryContent;

#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub period: String,
    pub content: StoryContent,
    pub version: i64,
    pub changed_by: String,
    pub changed_at: i64,
}

impl Db {
    /// The indicator's stories, latest period first.
    pub async fn stories(&self, collaboration: CollaborationId, indicator: i64) -> Result<Vec<Story>> {
        let sql = "SELECT period, content, version, changed_by, changed_at FROM stories WHERE collaboration_id = $1 AND indicator_id = $2 ORDER BY period DESC";
        let rows: Vec<(String, String, i64, String, i64)> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(indicator).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(period, content, version, changed_by, changed_at)| {
                let content = serde_json::from_str(&content).map_err(|_| StoreError::Corrupt("stories"))?;
                Ok(Story { period, content, version, changed_by, changed_at })
            })
            .collect()
    }

    /// Writes the story of a period. `seen_version` is the version the writer started from
    /// (0 for a new story); if someone else saved in between, nothing changes.
    pub async fn save_story(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        indicator: i64,
        period: &str,
        content: &StoryContent,
        seen_version: i64,
    ) -> Result<i64> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("stories"))?;
        let mut tx = self.begin().await?;
        // The story's key (indicator, period) is the collaboration's once the indicator is.
        tx.own_indicator(collaboration, indicator).await?;
        let sql = "SELECT version FROM stories WHERE collaboration_id = $1 AND indicator_id = $2 AND period = $3";
        let current: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(collaboration.0).bind(indicator).bind(period).fetch_optional(c).await)?;
        if current.unwrap_or(0) != seen_version {
            return Err(StoreError::Conflict("version"));
        }
        let version = seen_version + 1;
        let stamp = now();
        let sql = "INSERT INTO stories (collaboration_id, indicator_id, period, content, version, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                   ON CONFLICT (indicator_id, period) DO UPDATE SET content = excluded.content, version = excluded.version, changed_by = excluded.changed_by, changed_at = excluded.changed_at";
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(collaboration.0)
            .bind(indicator)
            .bind(period)
            .bind(&json)
            .bind(version)
            .bind(&actor.label)
            .bind(stamp)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(collaboration.0), "story.save", &format!("indicator:{indicator} {period}"), "ok").await?;
        tx.commit().await?;
        Ok(version)
    }
}
