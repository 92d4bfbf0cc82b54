//! Storage: one `Db` handle over SQLite or PostgreSQL, running the same SQL text on either
//! with native types (`sqlx::Any` cannot carry both). One module per aggregate; each write
//! opens one transaction that also appends its audit entry, so a change and its trace land
//! together or not at all.

pub mod agreement;
pub mod area;
pub mod audit;
pub mod body;
pub mod case_review;
pub mod collaboration;
pub mod copy;
pub mod cycle;
pub mod example;
pub mod finance;
pub mod idempotency;
pub mod import;
pub mod indicator;
pub mod invitation;
pub mod journey;
pub mod meeting;
pub mod obstacle;
pub mod partner;
pub mod person;
pub mod portfolio;
pub mod programme;
pub mod publication;
pub mod raw;
pub mod responsibility;
pub mod rollup;
pub mod scan;
pub mod schema;
pub mod scope;
pub mod session;
pub mod story;
pub mod testing;
pub mod user;
pub mod vision;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Postgres, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique value is taken, or the row changed since the caller read it.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("database: {0}")]
    Db(sqlx::Error),
    /// The database cannot write for a reason outside the request: the disk is full, the
    /// storage answers I/O errors or became read-only. Nothing of the request was written.
    #[error("storage ({0}): {1}")]
    Storage(StorageFailure, sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The input points at something that is not part of this collaboration (the field name).
    #[error("reference outside the collaboration: {0}")]
    Reference(&'static str),
    /// A row holds a value the target database cannot store (a NUL character in a text, which
    /// PostgreSQL refuses): the table, the row's first column and the column.
    #[error("row {row} of {table}, column {column}: the text holds a NUL character, which PostgreSQL cannot store; correct or remove it and copy again")]
    BadValue { table: &'static str, row: String, column: &'static str },
    /// A stored value is not one the domain knows: the database was changed by hand.
    #[error("unexpected stored value in {0}")]
    Corrupt(&'static str),
}

/// Why the storage refused a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFailure {
    /// No space left on the disk (SQLite `SQLITE_FULL`, PostgreSQL `53100`, `ENOSPC`).
    Full,
    /// The disk or the database files answer I/O errors.
    Io,
    /// The database or its files can only be read.
    ReadOnly,
}

impl StorageFailure {
    pub fn code(self) -> &'static str {
        match self {
            StorageFailure::Full => "disk_full",
            StorageFailure::Io => "io_error",
            StorageFailure::ReadOnly => "read_only",
        }
    }

    /// The storage reason behind `err`, if it is one. SQLite reports its (extended) result
    /// code, PostgreSQL its SQLSTATE.
    pub fn of(err: &sqlx::Error) -> Option<StorageFailure> {
        match err {
            sqlx::Error::Database(db) => {
                let code = db.code()?;
                if let Ok(n) = code.parse::<i64>() {
                    // SQLite: the primary result code is the low byte of the extended one.
                    return match n & 0xff {
                        13 => Some(StorageFailure::Full),
                        10 => Some(StorageFailure::Io),
                        8 => Some(StorageFailure::ReadOnly),
                        _ => None,
                    };
                }
                match code.as_ref() {
                    "53100" => Some(StorageFailure::Full),
                    "58030" => Some(StorageFailure::Io),
                    "25006" => Some(StorageFailure::ReadOnly),
                    _ => None,
                }
            }
            sqlx::Error::Io(io) if io.raw_os_error() == Some(28) || io.kind() == std::io::ErrorKind::StorageFull => Some(StorageFailure::Full),
            sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ReadOnlyFilesystem => Some(StorageFailure::ReadOnly),
            _ => None,
        }
    }
}

impl std::fmt::Display for StorageFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> StoreError {
        match StorageFailure::of(&err) {
            Some(failure) => StoreError::Storage(failure, err),
            None => StoreError::Db(err),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open write transaction on either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the concrete pool (or connection) of either backend.
/// The body is compiled once per backend, so each side keeps its native types.
#[macro_export]
macro_rules! dispatch {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($conn) => $body,
            $crate::Db::Postgres($conn) => $body,
        }
    };
}

/// Like `dispatch!`, for a transaction: `$conn` is the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// The one update-with-version path of every aggregate. Inside the open transaction `$tx` it
/// runs `UPDATE <table> SET <$set>, version = version + 1, updated_at = <now> WHERE id = …
/// AND collaboration_id = … AND version = …` with the `$bind` values for the `$1…$n` of
/// `$set`; when no row changed it tells a row that is not the collaboration's (`NotFound`) from
/// a stale version (`Conflict("version")`; a taken unique name is `Conflict("name")`) in the
/// same transaction — never through the pool while the
/// write lock is held — and otherwise appends the audit entry `$action` on `$object`. The
/// caller commits.
#[doc(hidden)]
#[macro_export]
macro_rules! update_versioned {
    ($tx:expr, $actor:expr, $target:expr, $set:expr, [$($bind:expr),* $(,)?], $action:expr, $object:expr) => {{
        let target: $crate::Versioned = $target;
        let sql = target.sql($set, [$(stringify!($bind)),*].len());
        let changed = $crate::on_tx!(&mut *$tx, |c| sqlx::query(&sql)
            $(.bind($bind))*
            .bind($crate::now())
            .bind(target.id)
            .bind(target.scope)
            .bind(target.version)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))
        .map_err(|e| $crate::unique_as_conflict(e, "name"))?;
        $tx.settle(changed, &target).await?;
        $tx.audit($actor, Some(target.scope), $action, $object, "ok").await?;
    }};
}

/// The row an update with version aims at: `id` of `table`, owned by collaboration `scope`, as
/// the writer last read it at `version`.
#[doc(hidden)]
pub(crate) struct Versioned {
    table: &'static str,
    /// The column that names the owning collaboration (`id` for a collaboration itself).
    column: &'static str,
    pub scope: i64,
    pub id: i64,
    pub version: i64,
}

impl Versioned {
    pub(crate) fn of(table: &'static str, collaboration: domain::ids::CollaborationId, id: i64, version: i64) -> Versioned {
        Versioned { table, column: "collaboration_id", scope: collaboration.0, id, version }
    }

    /// A collaboration's own row.
    pub(crate) fn collaboration(id: domain::ids::CollaborationId, version: i64) -> Versioned {
        Versioned { table: "collaborations", column: "id", scope: id.0, id: id.0, version }
    }

    /// The statement for a SET list with `n` parameters.
    pub fn sql(&self, set: &str, n: usize) -> String {
        let Versioned { table, column, .. } = self;
        format!(
            "UPDATE {table} SET {set}, version = version + 1, updated_at = ${} WHERE id = ${} AND {column} = ${} AND version = ${}",
            n + 1,
            n + 2,
            n + 3,
            n + 4
        )
    }
}

impl Tx {
    /// After an update with version changed `changed` rows: `NotFound` when the row is not the
    /// collaboration's, `Conflict` when it is but at another version. Reads inside the
    /// transaction, so no second connection is needed while this one holds the write lock.
    pub(crate) async fn settle(&mut self, changed: u64, target: &Versioned) -> Result<()> {
        if changed > 0 {
            return Ok(());
        }
        let sql = format!("SELECT COUNT(*) FROM {} WHERE id = $1 AND {} = $2", target.table, target.column);
        let found: i64 = on_tx!(self, |c| sqlx::query_scalar(&sql).bind(target.id).bind(target.scope).fetch_one(c).await)?;
        Err(if found == 0 { StoreError::NotFound } else { StoreError::Conflict("version") })
    }
}

impl Db {
    /// Opens the database named by `url` (`sqlite://path` or `postgres://…`). A SQLite file and
    /// its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                // A connection still inside a transaction is never handed out again: its next
                // `BEGIN` would fail, and so would every write after it.
                .after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
                .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
                .connect_with(options)
                .await?;
            return Ok(Db::Postgres(pool));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(parent) = options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        // One connection for an in-memory database, else every connection would see its own.
        let max = if in_memory { 1 } else { 8 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            // SQLite ends a transaction by itself when the disk is full or an I/O error strikes;
            // the connection then still counts it as open, its rollback fails and every later
            // `BEGIN` on it would too. The rollback of a dropped transaction is queued on the
            // connection, so `ping` waits for it; a connection that is still (or again) inside
            // a transaction after that is closed instead of returned.
            .after_release(|conn, _| {
                Box::pin(async move {
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            })
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        self.ensure_areas().await?;
        self.ensure_summaries().await
    }

    /// Opens a write transaction. On SQLite it is `BEGIN IMMEDIATE`: a deferred transaction
    /// that later upgrades to a write fails at once under contention instead of waiting.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Answers whether the database can be reached, for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        dispatch!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Writes one row and commits, for `/healthz` to learn whether the storage takes writes
    /// again after it refused some. The table holds at most that one row.
    pub async fn probe_write(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, |c| sqlx::query("INSERT INTO health_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at")
            .bind(now())
            .execute(c)
            .await
            .map(|_| ()))?;
        tx.commit().await
    }

    pub async fn close(&self) {
        dispatch!(self, |pool| pool.close().await)
    }
}

impl Tx {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    /// Commits, then moves the audit checkpoint on (when the log is sealed, see `audit`).
    pub async fn commit(mut self) -> Result<()> {
        let checkpoint = self.prepare_checkpoint().await?;
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        if let Some(checkpoint) = checkpoint {
            checkpoint.write();
        }
        Ok(())
    }
}

/// The origin of entries written for an anonymous form (a questionnaire's link).
pub const ANONYMOUS_FORM: &str = "anoniem formulier";

/// Who makes a change and from where: what the audit log records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub label: String,
    pub origin: String,
}

impl Actor {
    /// A change made by the command line or the system itself.
    pub fn system(label: &str) -> Actor {
        Actor { user_id: None, label: label.to_string(), origin: "cli".to_string() }
    }

    /// Someone answering a questionnaire through a public or personal link: no account, and
    /// nothing of where they came from, so the answer stays anonymous.
    pub fn anonymous_form() -> Actor {
        Actor { user_id: None, label: "respondent".to_string(), origin: ANONYMOUS_FORM.to_string() }
    }
}

/// Seconds since the Unix epoch. Every timestamp is bound from Rust, never `now()` in SQL,
/// so both backends store the same value.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Turns a unique-constraint violation into `Conflict`, leaving other errors as they are.
pub(crate) fn unique_as_conflict(err: sqlx::Error, what: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
        _ => err.into(),
    }
}

/// Checks that row `id` of `table` belongs to the collaboration; `field` names the input.
pub(crate) async fn belongs(tx: &mut Tx, table: &'static str, id: Option<i64>, collaboration: i64, field: &'static str) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE id = $1 AND collaboration_id = $2");
    let found: i64 = on_tx!(tx, |c| sqlx::query_scalar(&sql).bind(id).bind(collaboration).fetch_one(c).await)?;
    if found == 1 { Ok(()) } else { Err(StoreError::Reference(field)) }
}

impl Db {
    /// Deletes row `id` of `table` if it belongs to the collaboration, with its audit entry.
    pub(crate) async fn delete_owned(&self, actor: &Actor, table: &'static str, collaboration: i64, id: i64, (kind, label): (&str, &str)) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = format!("DELETE FROM {table} WHERE id = $1 AND collaboration_id = $2");
        let gone = on_tx!(&mut tx, |c| sqlx::query(&sql).bind(id).bind(collaboration).execute(c).await.map(|r| r.rows_affected()))?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(actor, Some(collaboration), &format!("{kind}.delete"), &format!("{label}:{id}"), "ok").await?;
        tx.commit().await
    }
}

/// `n` parameters for a list, the first numbered `first`: `$2, $3, …` on PostgreSQL, `?, ?, …`
/// on SQLite, where every numbered parameter is looked up by name along the statement's list
/// (time quadratic in a long list). Anonymous ones bind in order, so a list placed after the
/// numbered parameters must be bound after them too.
pub(crate) fn list_params(backend: Backend, first: usize, n: usize) -> String {
    match backend {
        Backend::Sqlite => vec!["?"; n].join(", "),
        Backend::Postgres => (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
    }
}

/// Parses a stored vocabulary code, reporting which table held an unknown one.
pub(crate) fn code<T>(raw: &str, parse: fn(&str) -> Option<T>, table: &'static str) -> Result<T> {
    parse(raw).ok_or(StoreError::Corrupt(table))
}
