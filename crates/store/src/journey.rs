//! A collaboration's progress along the travel plan and its answers to the reflection
//! questions (kept, dated, so it can look back).

use crate::{Actor, Db, Result, code, dispatch, now, on_tx};
use domain::ids::CollaborationId;
use domain::journey::{Reflection, StepProgress, StepStatus};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReflectionRow {
    pub id: i64,
    pub question_key: String,
    pub answer: String,
    pub answered_on: String,
    pub author: String,
}

impl Db {
    pub async fn journey_progress(&self, collaboration: CollaborationId) -> Result<Vec<StepProgress>> {
        let sql = "SELECT step_key, status, note, set_on FROM journey_progress WHERE collaboration_id = $1 ORDER BY step_key";
        let rows: Vec<(String, String, String, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(step_key, status, note, on)| Ok(StepProgress { step_key, status: code(&status, StepStatus::from_code, "journey_progress")?, note, on }))
            .collect()
    }

    pub async fn set_step(&self, actor: &Actor, collaboration: CollaborationId, progress: &StepProgress) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO journey_progress (collaboration_id, step_key, status, note, set_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                   ON CONFLICT (collaboration_id, step_key) DO UPDATE SET status = excluded.status, note = excluded.note, set_on = excluded.set_on, updated_at = excluded.updated_at";
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(collaboration.0)
            .bind(&progress.step_key)
            .bind(progress.status.code())
            .bind(&progress.note)
            .bind(&progress.on)
            .bind(now())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(collaboration.0), "journey.step", &format!("stap:{} {}", progress.step_key, progress.status), "ok").await?;
        tx.commit().await
    }

    /// Removes a step's hand mark: the travel plan then follows what the product shows.
    pub async fn clear_step(&self, actor: &Actor, collaboration: CollaborationId, step_key: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, |c| sqlx::query("DELETE FROM journey_progress WHERE collaboration_id = $1 AND step_key = $2")
            .bind(collaboration.0)
            .bind(step_key)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(collaboration.0), "journey.step", &format!("stap:{step_key} volgens_werk"), "ok").await?;
        tx.commit().await
    }

    pub async fn reflections(&self, collaboration: CollaborationId) -> Result<Vec<ReflectionRow>> {
        let sql = "SELECT id, question_key, answer, answered_on, author FROM reflections WHERE collaboration_id = $1 ORDER BY id DESC";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?)
    }

    pub async fn add_reflection(&self, actor: &Actor, collaboration: CollaborationId, reflection: &Reflection, on: &str) -> Result<ReflectionRow> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO reflections (collaboration_id, question_key, answer, answered_on, author, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                   RETURNING id, question_key, answer, answered_on, author";
        let row: ReflectionRow = on_tx!(&mut tx, |c| sqlx::query_as(sql)
            .bind(collaboration.0)
            .bind(&reflection.question_key)
            .bind(&reflection.answer)
            .bind(on)
            .bind(&actor.label)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "journey.reflection", &format!("vraag:{}", reflection.question_key), "ok").await?;
        tx.commit().await?;
        Ok(row)
    }
}
