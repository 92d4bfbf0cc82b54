//! Fresh databases for tests. `REISGENOOT_TEST_DATABASE` chooses the backend: unset or
//! `sqlite` gives a new SQLite file per test; a `postgres://` URL (an administrator's
//! connection) gives a new PostgreSQL database per test, created from that connection.

use crate::{Backend, Db};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("rg_test_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The backend the tests run on.
pub fn backend() -> Backend {
    match std::env::var("REISGENOOT_TEST_DATABASE") {
        Ok(url) if url.starts_with("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// A URL for a new, empty database (not yet created on PostgreSQL; see `fresh_db`).
pub async fn fresh_url() -> String {
    match std::env::var("REISGENOOT_TEST_DATABASE") {
        Ok(admin) if admin.starts_with("postgres") => {
            let name = unique_name();
            let admin_db = Db::connect(&admin).await.expect("connect to the PostgreSQL test server");
            if let Db::Postgres(pool) = &admin_db {
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(pool).await.expect("create test database");
            }
            admin_db.close().await;
            let base = admin.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin);
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join("reisgenoot-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!("sqlite://{}", dir.join(format!("{}.db", unique_name())).display())
        }
    }
}

/// A new, migrated database.
pub async fn fresh_db() -> Db {
    let db = Db::connect(&fresh_url().await).await.expect("connect to the test database");
    db.migrate().await.expect("migrate the test database");
    db
}

/// Columns that point at a row of another collaboration-owned table, and that table. A row
/// reached through one of them belongs to that row's collaboration, whatever its own
/// `collaboration_id` says. (`obstacle_id` is left out: the obstacles register is shared.)
const OWNED_BY: &[(&str, &str)] = &[
    ("indicator_id", "indicators"),
    ("agreement_id", "agreements"),
    ("meeting_id", "meetings"),
    ("round_id", "scan_rounds"),
    ("person_id", "people"),
    ("partner_id", "partners"),
    ("topic_id", "responsibility_topics"),
    ("ambition_id", "programme_ambitions"),
    ("goal_id", "programme_goals"),
    ("activity_id", "programme_activities"),
    ("body_id", "bodies"),
    ("holder_id", "people"),
];

/// Every row that belongs to one collaboration, as text, table by table: rows carrying its
/// id, rows pointing at its objects (so a summary filed under another collaboration still
/// shows), and its audit entries. Two dumps are equal exactly when nothing of it changed.
pub async fn dump_collaboration(db: &Db, collaboration: i64) -> Vec<String> {
    let mut out = Vec::new();
    for table in crate::schema::TABLES {
        let has = |column: &str| table.columns.iter().any(|(c, _)| *c == column);
        let mut filters = Vec::new();
        if has("collaboration_id") {
            filters.push("collaboration_id = $1".to_string());
        }
        for (column, parent) in OWNED_BY {
            if has(column) && *parent != table.name {
                filters.push(format!("{column} IN (SELECT id FROM {parent} WHERE collaboration_id = $1)"));
            }
        }
        if table.name == "collaborations" {
            filters.push("id = $1".to_string());
        }
        if filters.is_empty() {
            continue;
        }
        let row = table.columns.iter().map(|(c, _)| format!("COALESCE(CAST(\"{c}\" AS TEXT), '~')")).collect::<Vec<_>>().join(" || '|' || ");
        let sql = format!("SELECT {row} FROM {} WHERE {} ORDER BY 1", table.name, filters.join(" OR "));
        let rows: Vec<String> =
            crate::dispatch!(db, |pool| sqlx::query_scalar(&sql).bind(collaboration).fetch_all(pool).await).expect("dump a collaboration's rows");
        out.extend(rows.into_iter().map(|r| format!("{}: {r}", table.name)));
    }
    out
}
