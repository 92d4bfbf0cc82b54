//! Agreements: the current version for listing, every version whole for comparing, and each
//! party's assent per version.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, code, dispatch, now, on_tx, update_versioned};
use domain::agreement::{AgreementContent, Assent};
use domain::ids::CollaborationId;

#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: i64,
    pub version: i64,
    pub content: AgreementContent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub version: i64,
    pub content: AgreementContent,
    pub changed_by: String,
    pub changed_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssentRow {
    pub version: i64,
    pub partner_id: i64,
    pub assent: Assent,
    pub reason: String,
    pub at: i64,
}

/// One party's answer to one version.
#[derive(Debug, Clone, Copy)]
pub struct AssentAnswer<'a> {
    pub partner: i64,
    pub assent: Assent,
    pub reason: &'a str,
}

fn decode(json: &str) -> Result<AgreementContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("agreements"))
}

fn encode(content: &AgreementContent) -> Result<String> {
    serde_json::to_string(content).map_err(|_| StoreError::Corrupt("agreements"))
}

impl Tx {
    async fn parties_belong(&mut self, collaboration: CollaborationId, content: &AgreementContent) -> Result<()> {
        belongs(self, "bodies", content.body, collaboration.0, "body").await?;
        for party in &content.parties {
            belongs(self, "partners", Some(party.partner_id), collaboration.0, "parties").await?;
        }
        Ok(())
    }

    async fn add_version(&mut self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, json: &str) -> Result<()> {
        let sql = "INSERT INTO agreement_versions (agreement_id, version, content, changed_by, changed_at) \
                   SELECT id, $2, $3, $4, $5 FROM agreements WHERE id = $1 AND collaboration_id = $6";
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
    pub async fn agreements(&self, collaboration: CollaborationId) -> Result<Vec<Agreement>> {
        let sql = "SELECT id, version, content FROM agreements WHERE collaboration_id = $1 ORDER BY lower(title), id";
        let rows: Vec<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(id, version, json)| Ok(Agreement { id, version, content: decode(&json)? })).collect()
    }

    pub async fn agreement(&self, collaboration: CollaborationId, id: i64) -> Result<Agreement> {
        let sql = "SELECT id, version, content FROM agreements WHERE id = $1 AND collaboration_id = $2";
        let row: Option<(i64, i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        let (id, version, json) = row.ok_or(StoreError::NotFound)?;
        Ok(Agreement { id, version, content: decode(&json)? })
    }

    pub async fn create_agreement(&self, actor: &Actor, collaboration: CollaborationId, content: &AgreementContent) -> Result<Agreement> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.parties_belong(collaboration, content).await?;
        let sql = "INSERT INTO agreements (collaboration_id, title, kind, status, review, content, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(&content.title)
            .bind(content.kind.code())
            .bind(content.status.code())
            .bind(&content.review)
            .bind(&json)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.add_version(actor, collaboration, id, 1, &json).await?;
        tx.audit(actor, Some(collaboration.0), "agreement.create", &format!("afspraak:{id}"), "ok").await?;
        tx.commit().await?;
        Ok(Agreement { id, version: 1, content: content.clone() })
    }

    /// Saves a new version if the agreement is still at `version`; a stale one is a conflict.
    /// When only the status changed, the parties' assent carries over to the new version;
    /// any other change asks for it again.
    pub async fn update_agreement(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        id: i64,
        version: i64,
        content: &AgreementContent,
    ) -> Result<Agreement> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.parties_belong(collaboration, content).await?;
        let sql = "SELECT content FROM agreements WHERE id = $1 AND collaboration_id = $2";
        let before: Option<String> = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(id).bind(collaboration.0).fetch_optional(c).await)?;
        let same_terms = before.map(|json| decode(&json)).transpose()?.is_some_and(|before| before.same_terms(content));
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("agreements", collaboration, id, version),
            "title = $1, kind = $2, status = $3, review = $4, content = $5",
            [&content.title, content.kind.code(), content.status.code(), &content.review, &json],
            "agreement.update",
            &format!("afspraak:{id} versie {}", version + 1)
        );
        tx.add_version(actor, collaboration, id, version + 1, &json).await?;
        if same_terms {
            // Only the status changed: every party's answer holds for the new version too.
            let sql = "INSERT INTO agreement_assents (agreement_id, version, partner_id, assent, reason, at) \
                       SELECT s.agreement_id, $1, s.partner_id, s.assent, s.reason, s.at FROM agreement_assents s JOIN agreements a ON a.id = s.agreement_id \
                       WHERE s.agreement_id = $2 AND s.version = $3 AND a.collaboration_id = $4";
            on_tx!(&mut tx, |c| sqlx::query(sql).bind(version + 1).bind(id).bind(version).bind(collaboration.0).execute(c).await.map(|_| ()))?;
        }
        tx.commit().await?;
        Ok(Agreement { id, version: version + 1, content: content.clone() })
    }

    /// Every version, oldest first.
    pub async fn agreement_versions(&self, collaboration: CollaborationId, id: i64) -> Result<Vec<Version>> {
        self.agreement(collaboration, id).await?;
        let sql = "SELECT v.version, v.content, v.changed_by, v.changed_at FROM agreement_versions v JOIN agreements a ON a.id = v.agreement_id \
                   WHERE v.agreement_id = $1 AND a.collaboration_id = $2 ORDER BY v.version";
        let rows: Vec<(i64, String, String, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(version, json, changed_by, changed_at)| Ok(Version { version, content: decode(&json)?, changed_by, changed_at })).collect()
    }

    pub async fn assents(&self, collaboration: CollaborationId, id: i64) -> Result<Vec<AssentRow>> {
        self.agreement(collaboration, id).await?;
        let sql = "SELECT s.version, s.partner_id, s.assent, s.reason, s.at FROM agreement_assents s JOIN agreements a ON a.id = s.agreement_id \
                   WHERE s.agreement_id = $1 AND a.collaboration_id = $2 ORDER BY s.version, s.partner_id";
        let rows: Vec<(i64, i64, String, String, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(version, partner_id, assent, reason, at)| {
                Ok(AssentRow { version, partner_id, assent: code(&assent, Assent::from_code, "agreement_assents")?, reason, at })
            })
            .collect()
    }

    /// Records a party's assent to one version (again: the answer is replaced).
    pub async fn set_assent(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, answer: &AssentAnswer<'_>) -> Result<()> {
        let AssentAnswer { partner, assent, reason } = *answer;
        let versions = self.agreement_versions(collaboration, id).await?;
        let Some(v) = versions.iter().find(|v| v.version == version) else { return Err(StoreError::NotFound) };
        if !v.content.parties.iter().any(|p| p.partner_id == partner) {
            return Err(StoreError::Reference("partner_id"));
        }
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO agreement_assents (agreement_id, version, partner_id, assent, reason, at) \
                   SELECT id, $2, $3, $4, $5, $6 FROM agreements WHERE id = $1 AND collaboration_id = $7 \
                   ON CONFLICT (agreement_id, version, partner_id) DO UPDATE SET assent = excluded.assent, reason = excluded.reason, at = excluded.at";
        let stored = on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(id)
            .bind(version)
            .bind(partner)
            .bind(assent.code())
            .bind(reason)
            .bind(now())
            .bind(collaboration.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if stored == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(actor, Some(collaboration.0), "agreement.assent", &format!("afspraak:{id} versie {version} partner:{partner} {assent}"), "ok").await?;
        tx.commit().await
    }
}
