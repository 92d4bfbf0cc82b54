//! The audit log: appended inside the transaction of the change it records, chained by hashes
//! (`domain::audit`), read back per collaboration and verified as a whole.

use crate::{Actor, Db, Result, Tx, dispatch, now, on_tx};
use domain::audit::{Entry, GENESIS};

#[derive(Debug, Clone, sqlx::FromRow)]
struct EntryRow {
    seq: i64,
    at: i64,
    actor: String,
    collaboration_id: Option<i64>,
    action: String,
    object: String,
    result: String,
    origin: String,
    prev_hash: String,
    hash: String,
}

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Entry {
        Entry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            collaboration_id: r.collaboration_id,
            action: r.action,
            object: r.object,
            result: r.result,
            origin: r.origin,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

const COLUMNS: &str = "seq, at, actor, collaboration_id, action, object, result, origin, prev_hash, hash";

impl Tx {
    /// Appends one entry at the end of the chain.
    pub async fn audit(&mut self, actor: &Actor, collaboration_id: Option<i64>, action: &str, object: &str, result: &str) -> Result<()> {
        if let Tx::Postgres(t) = self {
            // Serialises appenders so two transactions never chain onto the same last row.
            sqlx::query("SELECT pg_advisory_xact_lock(7205)").execute(&mut **t).await?;
        }
        let last: Option<(i64, String)> =
            on_tx!(self, |c| sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(c).await)?;
        let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
        let mut entry = Entry {
            seq: prev_seq + 1,
            at: now(),
            actor: actor.label.clone(),
            collaboration_id,
            action: action.to_string(),
            object: object.to_string(),
            result: result.to_string(),
            origin: actor.origin.clone(),
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        let sql = "INSERT INTO audit_log (seq, at, actor, collaboration_id, action, object, result, origin, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        on_tx!(self, |c| sqlx::query(sql)
            .bind(entry.seq)
            .bind(entry.at)
            .bind(&entry.actor)
            .bind(entry.collaboration_id)
            .bind(&entry.action)
            .bind(&entry.object)
            .bind(&entry.result)
            .bind(&entry.origin)
            .bind(&entry.prev_hash)
            .bind(&entry.hash)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// Records an event that changes nothing else (a sign-in, a refused attempt).
    pub async fn audit_event(&self, actor: &Actor, collaboration_id: Option<i64>, action: &str, object: &str, result: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.audit(actor, collaboration_id, action, object, result).await?;
        tx.commit().await
    }

    /// The newest entries of one collaboration, newest first.
    pub async fn audit_for_collaboration(&self, collaboration_id: i64, limit: i64) -> Result<Vec<Entry>> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE collaboration_id = $1 ORDER BY seq DESC LIMIT $2");
        let rows: Vec<EntryRow> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration_id).bind(limit).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Entry::from).collect())
    }

    /// Every entry in chain order, for verification.
    pub async fn audit_all(&self) -> Result<Vec<Entry>> {
        let sql = format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq");
        let rows: Vec<EntryRow> = dispatch!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Entry::from).collect())
    }
}
