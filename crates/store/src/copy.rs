//! Moving a whole instance: `db copy` (SQLite to PostgreSQL or back), `backup` and `restore`.
//! A backup is always one SQLite file: on SQLite made by `VACUUM INTO`, on PostgreSQL by
//! copying every table out of one repeatable-read snapshot. Restoring copies a backup into
//! an empty, migrated database in one transaction, so it lands whole or not at all.

use crate::schema::{Kind, REFERENCE, TABLES, row_counts};
use crate::{Db, Result, StoreError, Tx, on_tx};
use domain::audit;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(Option<i64>),
    Int32(Option<i32>),
    Text(Option<String>),
    Bool(Option<bool>),
    Float(Option<f64>),
}

/// What a backup, restore or copy did, for the operator.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub rows: Vec<(&'static str, i64)>,
    pub integrity: String,
    pub audit_breaks: usize,
    /// The breaks themselves (the chain checked with the keys at hand).
    pub audit: Vec<audit::Break>,
}

/// Reads every row of `table` on an open transaction of either backend.
async fn read_table(tx: &mut Tx, table: &crate::schema::Table) -> Result<Vec<Vec<Value>>> {
    use sqlx::Row;
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let order = if table.columns[0].0 == "id" || table.columns[0].0 == "seq" { table.columns[0].0.to_string() } else { columns.join(", ") };
    let sql = format!("SELECT {} FROM {} ORDER BY {order}", columns.join(", "), table.name);
    macro_rules! read_rows {
        ($rows:expr) => {{
            let mut out = Vec::with_capacity($rows.len());
            for row in $rows {
                let mut values = Vec::with_capacity(table.columns.len());
                for (i, (_, kind)) in table.columns.iter().enumerate() {
                    values.push(match kind {
                        Kind::Int => Value::Int(row.try_get(i)?),
                        Kind::Int32 => Value::Int32(row.try_get(i)?),
                        Kind::Text => Value::Text(row.try_get(i)?),
                        Kind::Bool => Value::Bool(row.try_get(i)?),
                        Kind::Float => Value::Float(row.try_get(i)?),
                    });
                }
                out.push(values);
            }
            out
        }};
    }
    Ok(on_tx!(tx, |c| {
        let rows = sqlx::query(&sql).fetch_all(c).await?;
        read_rows!(rows)
    }))
}

async fn write_table(tx: &mut Tx, table: &crate::schema::Table, rows: &[Vec<Value>]) -> Result<()> {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    // Many rows per statement, within both backends' limits on bound parameters.
    let per_statement = (30_000 / columns.len()).min(500);
    for chunk in rows.chunks(per_statement) {
        let tuples: Vec<String> = (0..chunk.len())
            .map(|r| format!("({})", (1..=columns.len()).map(|c| format!("${}", r * columns.len() + c)).collect::<Vec<_>>().join(", ")))
            .collect();
        let sql = format!("INSERT INTO {} ({}) VALUES {}", table.name, columns.join(", "), tuples.join(", "));
        on_tx!(tx, |c| {
            let mut query = sqlx::query(&sql);
            for value in chunk.iter().flatten() {
                query = match value {
                    Value::Int(v) => query.bind(*v),
                    Value::Int32(v) => query.bind(*v),
                    Value::Text(v) => query.bind(v.clone()),
                    Value::Bool(v) => query.bind(*v),
                    Value::Float(v) => query.bind(*v),
                };
            }
            query.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Names the first row with a NUL character in a text, which PostgreSQL cannot store. The copy
/// stops there; its target transaction is never committed, so nothing is half-copied.
fn refuse_nul(table: &crate::schema::Table, rows: &[Vec<Value>]) -> Result<()> {
    for row in rows {
        for (value, (column, _)) in row.iter().zip(table.columns) {
            if let Value::Text(Some(text)) = value
                && text.contains('\0')
            {
                let key = match &row[0] {
                    Value::Int(Some(v)) => v.to_string(),
                    Value::Int32(Some(v)) => v.to_string(),
                    Value::Text(Some(v)) => v.replace('\0', "\\0"),
                    other => format!("{other:?}"),
                };
                return Err(StoreError::BadValue { table: table.name, row: format!("{} = {key}", table.columns[0].0), column });
            }
        }
    }
    Ok(())
}

/// Begins a transaction that reads one consistent snapshot.
async fn snapshot(db: &Db) -> Result<Tx> {
    Ok(match db {
        Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
        Db::Postgres(pool) => Tx::Postgres(pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?),
    })
}

/// Copies every row of `from` into `to`, which must be migrated and empty. `progress` hears
/// each table's name and row count as it is copied.
pub async fn copy_all(from: &Db, to: &Db, progress: &mut dyn FnMut(&str, usize)) -> Result<Report> {
    to.migrate().await?;
    if row_counts(to).await?.iter().any(|(name, n)| *n > 0 && !REFERENCE.contains(name)) {
        return Err(StoreError::Conflict("target_not_empty"));
    }
    let mut source = snapshot(from).await?;
    let mut target = to.begin().await?;
    for name in REFERENCE {
        let sql = format!("DELETE FROM {name}");
        on_tx!(&mut target, |c| sqlx::query(&sql).execute(c).await.map(|r| r.rows_affected()))?;
    }
    for table in TABLES {
        let rows = read_table(&mut source, table).await?;
        refuse_nul(table, &rows)?;
        write_table(&mut target, table, &rows).await?;
        progress(table.name, rows.len());
    }
    if let Tx::Postgres(t) = &mut target {
        for table in TABLES.iter().filter(|t| t.generated_id) {
            let sql = format!("SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE((SELECT MAX(id) FROM {0}), 0) + 1, false)", table.name);
            sqlx::query(&sql).execute(&mut **t).await?;
        }
    }
    target.commit().await?;
    drop(source);
    check(to).await
}

/// Checks a database: SQLite's own integrity and foreign-key checks, and the audit chain.
pub async fn check(db: &Db) -> Result<Report> {
    let integrity = match db {
        Db::Sqlite(pool) => {
            let result: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(pool).await?;
            let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(pool).await?;
            if dangling.is_empty() { result } else { format!("{} broken references", dangling.len()) }
        }
        Db::Postgres(_) => "ok".to_string(),
    };
    let audit = audit::verify(&db.audit_all().await?, &crate::audit::installed_keys());
    Ok(Report { rows: row_counts(db).await?, integrity, audit_breaks: audit.len(), audit })
}

/// Writes a backup of `db` to `file` (which must not exist yet) and checks the result.
pub async fn backup(db: &Db, file: &Path) -> Result<Report> {
    if file.exists() {
        return Err(StoreError::Conflict("backup_exists"));
    }
    let url = sqlite_url(file);
    match db {
        Db::Sqlite(pool) => {
            let target = file.to_string_lossy().to_string();
            sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
        }
        Db::Postgres(_) => {
            let target = Db::connect(&url).await?;
            copy_all(db, &target, &mut |_, _| {}).await?;
            target.close().await;
        }
    }
    let written = Db::connect(&url).await?;
    let report = check(&written).await;
    written.close().await;
    report
}

/// Restores the backup `file` into `to`, which must be empty.
pub async fn restore(file: &Path, to: &Db, progress: &mut dyn FnMut(&str, usize)) -> Result<Report> {
    if !file.is_file() {
        return Err(StoreError::NotFound);
    }
    // Work on a copy: bringing an older backup up to the current schema must not change it.
    let work = file.with_extension(format!("restore-{}.tmp", std::process::id()));
    std::fs::copy(file, &work).map_err(sqlx::Error::Io)?;
    let result = async {
        let source = Db::connect(&sqlite_url(&work)).await?;
        let source_check = check(&source).await?;
        if source_check.integrity != "ok" {
            return Err(StoreError::Corrupt("backup"));
        }
        if source_check.audit.iter().any(|b| matches!(b, audit::Break::UnknownKey { .. })) {
            return Err(StoreError::Conflict("audit_key_unknown"));
        }
        source.migrate().await?;
        let report = copy_all(&source, to, progress).await;
        source.close().await;
        report
    }
    .await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
    result
}

pub fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}
