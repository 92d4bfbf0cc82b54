//! Money: each partner's contributions per year and funding source, with every version kept
//! whole. The partner, year, source, status, amounts, agreement and days are columns too, so
//! sums and references need no JSON; deleting an agreement leaves the contribution without it.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, code, dispatch, now, on_tx, update_versioned};
use domain::finance::{Commitment, ContributionContent, Source};
use domain::ids::CollaborationId;

#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub id: i64,
    pub version: i64,
    pub content: ContributionContent,
}

/// One stored version of a contribution: what it said, who saved it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct ContributionVersion {
    pub version: i64,
    pub content: ContributionContent,
    pub changed_by: String,
    pub changed_at: i64,
}

type ContributionTuple = (i64, i64, i64, String, String, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, String, String, String);

const CONTRIBUTION_COLUMNS: &str = "id, version, partner_id, year, source, status, amount_cents, hours, hourly_rate_cents, agreement_id, starts, ends, content";

fn decode(json: &str) -> Result<ContributionContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("finance_contributions"))
}

fn encode(content: &ContributionContent) -> Result<String> {
    serde_json::to_string(content).map_err(|_| StoreError::Corrupt("finance_contributions"))
}

/// The columns win over the JSON: they are what sums and references read.
fn contribution_row(row: ContributionTuple) -> Result<Contribution> {
    let (id, version, partner, year, source, status, amount, hours, rate, agreement, starts, ends, json) = row;
    let mut content = decode(&json)?;
    content.partner = partner;
    content.year = year;
    content.source = code(&source, Source::from_code, "finance_contributions")?;
    content.status = code(&status, Commitment::from_code, "finance_contributions")?;
    (content.amount_cents, content.hours, content.hourly_rate_cents, content.agreement) = (amount, hours, rate, agreement);
    (content.starts, content.ends) = (starts, ends);
    Ok(Contribution { id, version, content })
}

impl Tx {
    async fn check_contribution(&mut self, collaboration: CollaborationId, content: &ContributionContent) -> Result<()> {
        belongs(self, "partners", Some(content.partner), collaboration.0, "partner").await?;
        belongs(self, "agreements", content.agreement, collaboration.0, "agreement").await
    }

    async fn add_contribution_version(&mut self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, json: &str) -> Result<()> {
        let sql = "INSERT INTO finance_contribution_versions (collaboration_id, contribution_id, version, content, changed_by, changed_at) \
                   SELECT collaboration_id, id, $2, $3, $4, $5 FROM finance_contributions WHERE id = $1 AND collaboration_id = $6";
        let added = on_tx!(self, |c| sqlx::query(sql)
            .bind(id)
            .bind(version)
            .bind(json)
            .bind(&actor.label)
            .bind(now())
            .bind(collaboration.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if added == 1 { Ok(()) } else { Err(StoreError::NotFound) }
    }
}

impl Db {
    /// The collaboration's contributions by year, partner and id.
    pub async fn contributions(&self, collaboration: CollaborationId) -> Result<Vec<Contribution>> {
        let sql = format!("SELECT {CONTRIBUTION_COLUMNS} FROM finance_contributions WHERE collaboration_id = $1 ORDER BY year, partner_id, id");
        let rows: Vec<ContributionTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(contribution_row).collect()
    }

    pub async fn contribution(&self, collaboration: CollaborationId, id: i64) -> Result<Contribution> {
        let sql = format!("SELECT {CONTRIBUTION_COLUMNS} FROM finance_contributions WHERE id = $1 AND collaboration_id = $2");
        let row: Option<ContributionTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        contribution_row(row.ok_or(StoreError::NotFound)?)
    }

    /// Adds a contribution; its partner and agreement must be the collaboration's own.
    pub async fn create_contribution(&self, actor: &Actor, collaboration: CollaborationId, content: &ContributionContent) -> Result<Contribution> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.check_contribution(collaboration, content).await?;
        let sql = "INSERT INTO finance_contributions (collaboration_id, partner_id, year, source, status, amount_cents, hours, hourly_rate_cents, agreement_id, \
                   starts, ends, content, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(content.partner)
            .bind(&content.year)
            .bind(content.source.code())
            .bind(content.status.code())
            .bind(content.amount_cents)
            .bind(content.hours)
            .bind(content.hourly_rate_cents)
            .bind(content.agreement)
            .bind(&content.starts)
            .bind(&content.ends)
            .bind(&json)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.add_contribution_version(actor, collaboration, id, 1, &json).await?;
        tx.audit(actor, Some(collaboration.0), "contribution.create", &format!("bijdrage:{id} partner:{} {}", content.partner, content.status), "ok").await?;
        tx.commit().await?;
        Ok(Contribution { id, version: 1, content: content.clone() })
    }

    /// Saves a new version if the contribution is still at `version`; a stale one is a
    /// conflict, and the earlier versions stay as they were.
    pub async fn update_contribution(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        id: i64,
        version: i64,
        content: &ContributionContent,
    ) -> Result<Contribution> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.check_contribution(collaboration, content).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("finance_contributions", collaboration, id, version),
            "partner_id = $1, year = $2, source = $3, status = $4, amount_cents = $5, hours = $6, hourly_rate_cents = $7, agreement_id = $8, \
             starts = $9, ends = $10, content = $11",
            [
                content.partner,
                &content.year,
                content.source.code(),
                content.status.code(),
                content.amount_cents,
                content.hours,
                content.hourly_rate_cents,
                content.agreement,
                &content.starts,
                &content.ends,
                &json
            ],
            "contribution.update",
            &format!("bijdrage:{id} versie {} {}", version + 1, content.status)
        );
        tx.add_contribution_version(actor, collaboration, id, version + 1, &json).await?;
        tx.commit().await?;
        Ok(Contribution { id, version: version + 1, content: content.clone() })
    }

    /// Every version of a contribution, oldest first.
    pub async fn contribution_versions(&self, collaboration: CollaborationId, id: i64) -> Result<Vec<ContributionVersion>> {
        let sql = "SELECT version, content, changed_by, changed_at FROM finance_contribution_versions \
                   WHERE contribution_id = $1 AND collaboration_id = $2 ORDER BY version";
        let rows: Vec<(i64, String, String, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_all(pool).await)?;
        if rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        rows.into_iter()
            .map(|(version, json, changed_by, changed_at)| Ok(ContributionVersion { version, content: decode(&json)?, changed_by, changed_at }))
            .collect()
    }
}
