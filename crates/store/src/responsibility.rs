//! The responsibility matrix of a collaboration.

use crate::{Actor, Db, Result, StoreError, Tx, code, dispatch, now, on_tx};
use domain::ids::CollaborationId;
use domain::responsibility::{Cell, Mark, Topic};

/// A change of one cell: from what the editor saw (`was`) to what they chose (`now`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellChange {
    pub topic: i64,
    pub partner: i64,
    pub was: Option<Mark>,
    pub now: Option<Mark>,
}

impl Db {
    pub async fn responsibility_topics(&self, collaboration: CollaborationId) -> Result<Vec<Topic>> {
        let sql = "SELECT id, name FROM responsibility_topics WHERE collaboration_id = $1 ORDER BY id";
        let rows: Vec<(i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|(id, name)| Topic { id, name }).collect())
    }

    pub async fn responsibility_cells(&self, collaboration: CollaborationId) -> Result<Vec<Cell>> {
        let sql = "SELECT m.topic_id, m.partner_id, m.mark FROM responsibility_marks m JOIN responsibility_topics t ON t.id = m.topic_id WHERE t.collaboration_id = $1";
        let rows: Vec<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(topic, partner, mark)| Ok(Cell { topic, partner, mark: code(&mark, Mark::from_code, "responsibility_marks")? })).collect()
    }

    pub async fn add_responsibility_topics(&self, actor: &Actor, collaboration: CollaborationId, names: &[String]) -> Result<()> {
        let mut tx = self.begin().await?;
        for name in names {
            let sql = "INSERT INTO responsibility_topics (collaboration_id, name, created_at) VALUES ($1, $2, $3)";
            on_tx!(&mut tx, |c| sqlx::query(sql).bind(collaboration.0).bind(name).bind(now()).execute(c).await.map(|r| r.rows_affected()))?;
            tx.audit(actor, Some(collaboration.0), "responsibility.topic", &format!("onderwerp:{name}"), "ok").await?;
        }
        tx.commit().await
    }

    /// Applies the changed cells at once, or none: a cell whose stored mark is no longer what
    /// the editor saw means someone else changed it meanwhile (a conflict).
    pub async fn change_responsibilities(&self, actor: &Actor, collaboration: CollaborationId, changes: &[CellChange]) -> Result<usize> {
        let mut tx = self.begin().await?;
        let mut applied = 0;
        for change in changes.iter().filter(|c| c.was != c.now) {
            tx.owned_cell(collaboration, change).await?;
            let current: Option<String> = on_tx!(&mut tx, |c| sqlx::query_scalar(&format!(
                "SELECT mark FROM responsibility_marks WHERE topic_id = $1 AND partner_id = $2 AND {OWN_TOPIC}"
            ))
            .bind(change.topic)
            .bind(change.partner)
            .bind(collaboration.0)
            .fetch_optional(c)
            .await)?;
            if current.as_deref() != change.was.map(|m| m.code()) {
                return Err(StoreError::Conflict("version"));
            }
            match change.now {
                Some(mark) => {
                    let sql = "INSERT INTO responsibility_marks (topic_id, partner_id, mark, updated_at) \
                               SELECT t.id, p.id, $3, $4 FROM responsibility_topics t JOIN partners p ON p.collaboration_id = t.collaboration_id \
                               WHERE t.id = $1 AND p.id = $2 AND t.collaboration_id = $5 \
                               ON CONFLICT (topic_id, partner_id) DO UPDATE SET mark = excluded.mark, updated_at = excluded.updated_at";
                    on_tx!(&mut tx, |c| sqlx::query(sql)
                        .bind(change.topic)
                        .bind(change.partner)
                        .bind(mark.code())
                        .bind(now())
                        .bind(collaboration.0)
                        .execute(c)
                        .await
                        .map(|r| r.rows_affected()))?;
                }
                None => {
                    let sql = format!("DELETE FROM responsibility_marks WHERE topic_id = $1 AND partner_id = $2 AND {OWN_TOPIC}");
                    on_tx!(&mut tx, |c| sqlx::query(&sql)
                        .bind(change.topic)
                        .bind(change.partner)
                        .bind(collaboration.0)
                        .execute(c)
                        .await
                        .map(|r| r.rows_affected()))?;
                }
            }
            let what = change.now.map(|m| m.code()).unwrap_or("leeg");
            tx.audit(actor, Some(collaboration.0), "responsibility.mark", &format!("onderwerp:{} partner:{} {what}", change.topic, change.partner), "ok")
                .await?;
            applied += 1;
        }
        tx.commit().await?;
        Ok(applied)
    }
}

/// A mark's topic is the collaboration's (`$3`).
const OWN_TOPIC: &str = "topic_id IN (SELECT id FROM responsibility_topics WHERE collaboration_id = $3)";

impl Tx {
    /// Refuses a cell whose topic or partner belongs to another collaboration.
    async fn owned_cell(&mut self, collaboration: CollaborationId, change: &CellChange) -> Result<()> {
        crate::belongs(self, "responsibility_topics", Some(change.topic), collaboration.0, "topic").await?;
        crate::belongs(self, "partners", Some(change.partner), collaboration.0, "partner").await
    }
}
