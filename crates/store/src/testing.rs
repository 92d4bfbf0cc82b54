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
