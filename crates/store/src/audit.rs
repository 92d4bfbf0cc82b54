//! The audit log: appended inside the transaction of the change it records, chained by hashes
//! (`domain::audit`), read back per collaboration and verified as a whole.
//!
//! Sealing: when the operator's program has installed a keyring ([`install`]), new entries
//! carry an HMAC under the newest key, and after every commit a checkpoint (the newest entry's
//! number and hash, itself sealed) is written to a file outside the database. The checkpoint
//! only moves forward along the same chain: if the entry it names has gone or changed, it is
//! left as it was, as evidence for `audit verify`.

use crate::{Actor, Db, Result, StoreError, Tx, dispatch, now, on_tx};
use domain::audit::{Checkpoint, Entry, GENESIS, KEY_ACTION, Key, Keyring};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// The keys and the checkpoint file of the database this process works on.
#[derive(Debug, Clone)]
pub struct Sealing {
    pub keys: Keyring,
    pub checkpoint: Option<PathBuf>,
}

static SEALING: RwLock<Option<Arc<Sealing>>> = RwLock::new(None);
/// Serialises checkpoint writes within the process.
static CHECKPOINT_FILE: Mutex<()> = Mutex::new(());

/// Seals every entry this process appends from now on (see [`Db::open_key_segment`]).
pub fn install(sealing: Sealing) {
    if let Ok(mut s) = SEALING.write() {
        *s = Some(Arc::new(sealing));
    }
}

fn installed() -> Option<Arc<Sealing>> {
    SEALING.read().ok().and_then(|s| s.clone())
}

/// The keys installed for this process (none in tests and for a database in memory).
pub fn installed_keys() -> Keyring {
    installed().map(|s| s.keys.clone()).unwrap_or_default()
}

/// Where a database's key and checkpoint are kept: beside a SQLite file
/// (`<file>.audit-key`, `<file>.audit-checkpoint`), in `data/` for PostgreSQL; each can be
/// set by the environment (`REISGENOOT_AUDIT_KEY_FILE`, `REISGENOOT_AUDIT_CHECKPOINT_FILE`),
/// and the keys themselves by `REISGENOOT_AUDIT_KEY` (hex, comma-separated, newest last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub key_file: Option<PathBuf>,
    pub key_env: Option<String>,
    pub checkpoint: Option<PathBuf>,
}

impl Location {
    /// The default places for `url`, without the environment.
    pub fn beside(url: &str) -> Location {
        let file = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).map(|f| f.split('?').next().unwrap_or(f));
        match file {
            Some(f) if f.is_empty() || f.contains(":memory:") || url.contains("mode=memory") => Location { key_file: None, key_env: None, checkpoint: None },
            Some(f) => Location {
                key_file: Some(PathBuf::from(format!("{f}.audit-key"))),
                key_env: None,
                checkpoint: Some(PathBuf::from(format!("{f}.audit-checkpoint"))),
            },
            None => Location { key_file: Some(PathBuf::from("data/audit-key")), key_env: None, checkpoint: Some(PathBuf::from("data/audit-checkpoint")) },
        }
    }

    /// The places for `url`, with the environment's settings taking precedence.
    pub fn for_url(url: &str) -> Location {
        let mut location = Location::beside(url);
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if let Some(keys) = var("REISGENOOT_AUDIT_KEY") {
            location.key_env = Some(keys);
            location.key_file = None;
        } else if let Some(file) = var("REISGENOOT_AUDIT_KEY_FILE") {
            location.key_file = Some(PathBuf::from(file));
        }
        if let Some(file) = var("REISGENOOT_AUDIT_CHECKPOINT_FILE") {
            location.checkpoint = Some(PathBuf::from(file));
        }
        location
    }

    /// The keys found here, if any (an empty ring when neither variable nor file exists).
    pub fn keys(&self) -> std::result::Result<Keyring, String> {
        let text = match (&self.key_env, &self.key_file) {
            (Some(env), _) => env.replace(',', "\n"),
            (None, Some(file)) if file.exists() => std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?,
            _ => return Ok(Keyring::default()),
        };
        let mut keys = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            keys.push(Key::from_hex(line).ok_or_else(|| format!("not a key of 64 hexadecimal digits in {}", self.describe()))?);
        }
        Ok(Keyring { keys })
    }

    /// Where the keys come from, for messages.
    pub fn describe(&self) -> String {
        match (&self.key_env, &self.key_file) {
            (Some(_), _) => "REISGENOOT_AUDIT_KEY".to_string(),
            (None, Some(file)) => file.display().to_string(),
            (None, None) => "(geen: database in het geheugen)".to_string(),
        }
    }

    /// Adds a key (hex) to the key file, creating it readable by its owner only.
    pub fn add_key(&self, hex: &str) -> std::result::Result<Keyring, String> {
        let Some(file) = self.key_file.as_ref().filter(|_| self.key_env.is_none()) else {
            return Err("keys given by REISGENOOT_AUDIT_KEY are managed there".to_string());
        };
        if Key::from_hex(hex).is_none() {
            return Err("not a key".to_string());
        }
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let fresh = !file.exists();
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(file).map_err(|e| format!("{}: {e}", file.display()))?;
        use std::io::Write;
        let header = if fresh {
            "# Sleutels van het logboek van Reisgenoot (HMAC-SHA256), oudste eerst; de laatste verzegelt.\n# Bewaar een kopie apart van de database en haar back-ups.\n"
        } else {
            ""
        };
        f.write_all(format!("{header}{hex}\n").as_bytes()).and_then(|_| f.sync_all()).map_err(|e| format!("{}: {e}", file.display()))?;
        self.keys()
    }
}

/// Reads the checkpoint at `path`: `Ok(None)` when there is none, `Err` when it is unreadable.
pub fn read_checkpoint(path: &Path) -> std::result::Result<Option<Checkpoint>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Checkpoint::parse(&text).map(Some).ok_or_else(|| format!("{}: unreadable checkpoint", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Replaces the checkpoint file in one step (a new file renamed over the old).
fn write_checkpoint_file(path: &Path, checkpoint: &Checkpoint) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, checkpoint.to_line())?;
    std::fs::rename(&tmp, path)
}

/// What a transaction saw of the log just before it committed, for the checkpoint.
pub(crate) struct Pending {
    sealing: Arc<Sealing>,
    path: PathBuf,
    next: Checkpoint,
    /// The checkpoint this one replaces, checked against the log inside the transaction.
    replaces: Option<Checkpoint>,
}

impl Tx {
    /// Prepares the checkpoint inside the transaction: the newest entry, and whether the entry
    /// the present checkpoint names is still there unchanged.
    pub(crate) async fn prepare_checkpoint(&mut self) -> Result<Option<Pending>> {
        let Some(sealing) = installed() else { return Ok(None) };
        let (Some(path), Some(key)) = (sealing.checkpoint.clone(), sealing.keys.signing().cloned()) else { return Ok(None) };
        let last: Option<(i64, String)> =
            on_tx!(self, |c| sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(c).await)?;
        let Some((seq, hash)) = last else { return Ok(None) };
        let present = read_checkpoint(&path).ok().flatten().filter(|cp| cp.is_genuine(&sealing.keys));
        let keyed_since = match &present {
            Some(cp) => {
                if cp.seq == seq && cp.hash == hash {
                    return Ok(None);
                }
                let there: Option<String> =
                    on_tx!(self, |c| sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1").bind(cp.seq).fetch_optional(c).await)?;
                if there.as_deref() != Some(cp.hash.as_str()) || seq < cp.seq {
                    tracing::error!(checkpoint = cp.seq, last = seq, "the audit log no longer holds the entry of its checkpoint; the checkpoint is kept");
                    return Ok(None);
                }
                cp.keyed_since
            }
            None => {
                let first: Option<i64> =
                    on_tx!(self, |c| sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE action = $1").bind(KEY_ACTION).fetch_one(c).await)?;
                let Some(first) = first else { return Ok(None) };
                first
            }
        };
        let next = Checkpoint::new(seq, &hash, keyed_since, now(), &key);
        Ok(Some(Pending { sealing, path, next, replaces: present }))
    }
}

impl Pending {
    /// Writes the checkpoint after the commit, unless another writer got further meanwhile.
    pub(crate) fn write(self) {
        let Ok(_guard) = CHECKPOINT_FILE.lock() else { return };
        let now_there = read_checkpoint(&self.path).ok().flatten().filter(|cp| cp.is_genuine(&self.sealing.keys));
        if now_there != self.replaces && now_there.as_ref().is_some_and(|cp| cp.seq >= self.next.seq) {
            return;
        }
        if let Err(e) = write_checkpoint_file(&self.path, &self.next) {
            tracing::error!(path = %self.path.display(), "could not write the audit checkpoint: {e}");
        }
    }
}

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
        let key = installed().and_then(|s| s.keys.signing().cloned());
        self.append(actor, collaboration_id, action, object, result, prev_seq, prev_hash, key.as_ref()).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn append(
        &mut self,
        actor: &Actor,
        collaboration_id: Option<i64>,
        action: &str,
        object: &str,
        result: &str,
        prev_seq: i64,
        prev_hash: String,
        key: Option<&Key>,
    ) -> Result<()> {
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
        entry.hash = entry.seal(key);
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
    /// Makes the newest key of `keys` seal the log from its next entry on, by appending a key
    /// entry sealed with it, unless the newest key entry already names it. A log whose newest
    /// key entry names a key that is not in `keys` is refused (the key file is missing or
    /// wrong) unless `force` (a new key after a lost one). Returns the key entry's number when
    /// one was written.
    pub async fn open_key_segment(&self, actor: &Actor, keys: &Keyring, force: bool) -> Result<Option<i64>> {
        let Some(key) = keys.signing() else { return Ok(None) };
        let mut tx = self.begin().await?;
        if let Tx::Postgres(t) = &mut tx {
            sqlx::query("SELECT pg_advisory_xact_lock(7205)").execute(&mut **t).await?;
        }
        let newest: Option<String> = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT object FROM audit_log WHERE action = $1 ORDER BY seq DESC LIMIT 1")
            .bind(KEY_ACTION)
            .fetch_optional(c)
            .await)?;
        let newest = newest.as_deref().and_then(|o| o.strip_prefix("key:"));
        if newest == Some(key.fingerprint().as_str()) {
            return Ok(None);
        }
        if newest.is_some_and(|fp| keys.find(fp).is_none()) && !force {
            return Err(StoreError::Conflict("audit_key_unknown"));
        }
        let last: Option<(i64, String)> =
            on_tx!(&mut tx, |c| sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(c).await)?;
        let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
        let object = format!("key:{}", key.fingerprint());
        tx.append(actor, None, KEY_ACTION, &object, "ok", prev_seq, prev_hash, Some(key)).await?;
        tx.commit().await?;
        Ok(Some(prev_seq + 1))
    }

    /// Writes the checkpoint of this database's log to `path` as it stands, sealed with the
    /// newest of `keys` (after a copy or a restore, for the new database).
    pub async fn write_checkpoint(&self, keys: &Keyring, path: &Path) -> Result<bool> {
        let Some(key) = keys.signing() else { return Ok(false) };
        let last: Option<(i64, String)> =
            dispatch!(self, |pool| sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetch_optional(pool).await)?;
        let first: Option<i64> =
            dispatch!(self, |pool| sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE action = $1").bind(KEY_ACTION).fetch_one(pool).await)?;
        let (Some((seq, hash)), Some(first)) = (last, first) else { return Ok(false) };
        write_checkpoint_file(path, &Checkpoint::new(seq, &hash, first, now(), key)).map_err(sqlx::Error::Io)?;
        Ok(true)
    }

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
