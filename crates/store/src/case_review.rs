//! Case reviews of a collaboration's bodies, and the smallest group their figures show. The
//! body is a column with a foreign key, so a review outlives a removed body; the audit trail
//! names a review by its number only, never by anything it says.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, dispatch, now, on_tx, update_versioned};
use domain::case_review::CaseReview;
use domain::ids::CollaborationId;

#[derive(Debug, Clone, PartialEq)]
pub struct StoredReview {
    pub id: i64,
    pub version: i64,
    pub review: CaseReview,
}

fn decode(json: &str, body: Option<i64>) -> Result<CaseReview> {
    let mut review: CaseReview = serde_json::from_str(json).map_err(|_| StoreError::Corrupt("case_reviews"))?;
    review.body = body;
    Ok(review)
}

fn encode(review: &CaseReview) -> Result<String> {
    serde_json::to_string(review).map_err(|_| StoreError::Corrupt("case_reviews"))
}

type Row = (i64, i64, String, Option<i64>);

impl Tx {
    async fn check_case_review(&mut self, collaboration: CollaborationId, review: &CaseReview) -> Result<()> {
        belongs(self, "bodies", review.body, collaboration.0, "body").await
    }
}

impl Db {
    /// The collaboration's case reviews, latest first.
    pub async fn case_reviews(&self, collaboration: CollaborationId) -> Result<Vec<StoredReview>> {
        let sql = "SELECT id, version, content, body_id FROM case_reviews WHERE collaboration_id = $1 ORDER BY reviewed_on DESC, id DESC";
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(id, version, json, body)| Ok(StoredReview { id, version, review: decode(&json, body)? })).collect()
    }

    pub async fn case_review(&self, collaboration: CollaborationId, id: i64) -> Result<StoredReview> {
        let sql = "SELECT id, version, content, body_id FROM case_reviews WHERE id = $1 AND collaboration_id = $2";
        let row: Option<Row> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        let (id, version, json, body) = row.ok_or(StoreError::NotFound)?;
        Ok(StoredReview { id, version, review: decode(&json, body)? })
    }

    pub async fn create_case_review(&self, actor: &Actor, collaboration: CollaborationId, review: &CaseReview) -> Result<StoredReview> {
        let json = encode(review)?;
        let mut tx = self.begin().await?;
        tx.check_case_review(collaboration, review).await?;
        let sql = "INSERT INTO case_reviews (collaboration_id, body_id, reviewed_on, content, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id";
        let id: i64 =
            on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(collaboration.0).bind(review.body).bind(&review.date).bind(&json).bind(now()).fetch_one(c).await)?;
        tx.audit(actor, Some(collaboration.0), "case_review.create", &format!("casusbespreking:{id}"), "ok").await?;
        tx.commit().await?;
        Ok(StoredReview { id, version: 1, review: review.clone() })
    }

    /// Replaces a review if nobody changed it since `version`.
    pub async fn update_case_review(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, review: &CaseReview) -> Result<StoredReview> {
        let json = encode(review)?;
        let mut tx = self.begin().await?;
        tx.check_case_review(collaboration, review).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("case_reviews", collaboration, id, version),
            "body_id = $1, reviewed_on = $2, content = $3",
            [review.body, &review.date, &json],
            "case_review.update",
            &format!("casusbespreking:{id}")
        );
        tx.commit().await?;
        Ok(StoredReview { id, version: version + 1, review: review.clone() })
    }

    pub async fn delete_case_review(&self, actor: &Actor, collaboration: CollaborationId, id: i64) -> Result<()> {
        self.delete_owned(actor, "case_reviews", collaboration.0, id, ("case_review", "casusbespreking")).await
    }

    /// The smallest group the collaboration's case-review figures show, as set (none when it
    /// was never set), and the setting's version for optimistic locking (0 before the first).
    pub async fn case_review_minimum(&self, collaboration: CollaborationId) -> Result<(Option<usize>, i64)> {
        let sql = "SELECT min_group, version FROM case_review_settings WHERE collaboration_id = $1";
        let row: Option<(i64, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_optional(pool).await)?;
        Ok(row.map(|(min, version)| (usize::try_from(min).ok(), version)).unwrap_or((None, 0)))
    }

    /// Sets the smallest group if nobody changed it since `version` (0: never set).
    pub async fn set_case_review_minimum(&self, actor: &Actor, collaboration: CollaborationId, min: usize, version: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO case_review_settings (collaboration_id, min_group, version, updated_at) VALUES ($1, $2, 1, $3) \
                   ON CONFLICT (collaboration_id) DO UPDATE SET min_group = excluded.min_group, version = case_review_settings.version + 1, \
                   updated_at = excluded.updated_at WHERE case_review_settings.version = $4";
        let min = i64::try_from(min).map_err(|_| StoreError::Conflict("min_group"))?;
        let changed =
            on_tx!(&mut tx, |c| sqlx::query(sql).bind(collaboration.0).bind(min).bind(now()).bind(version).execute(c).await.map(|r| r.rows_affected()))?;
        // A first setting (version 0) that finds a row, or a later one from an old version, changes nothing.
        let current: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT version FROM case_review_settings WHERE collaboration_id = $1")
            .bind(collaboration.0)
            .fetch_one(c)
            .await)?;
        if changed == 0 || current != version + 1 {
            return Err(StoreError::Conflict("version"));
        }
        tx.audit(actor, Some(collaboration.0), "case_review.minimum", &format!("minimum:{min}"), "ok").await?;
        tx.commit().await?;
        Ok(current)
    }
}
