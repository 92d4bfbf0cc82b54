//! A full disk under a SQLite database: writes are refused with 503 problem+json, `/healthz`
//! says `degraded` and why, nothing panics, and once space is freed the first write succeeds
//! without a restart and every acknowledged write is still there.
//!
//! It needs a small file system to fill: it mounts a tmpfs, which takes root. Where it cannot
//! it says so and passes, unless `REISGENOOT_REQUIRE_DISK_FULL_TEST=1` (as the test command
//! sets in CI), which makes it fail instead.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const SIZE: &str = "16m";

/// A tmpfs of `SIZE`, unmounted (and its folder removed) when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount() -> Result<Tmpfs, String> {
        let dir = std::env::temp_dir().join(format!("reisgenoot-disk-full-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={SIZE}"), "tmpfs"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            let _ = std::fs::remove_dir(&dir);
            return Err(format!("mount -t tmpfs failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Writes zeros to `path` until the file system is full.
fn fill(path: &Path) -> u64 {
    let mut file = std::fs::File::create(path).expect("filler file");
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        match file.write(&chunk) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    // The last few bytes that fit.
    while let Ok(n) = file.write(&chunk[..512]) {
        if n == 0 {
            break;
        }
        written += n as u64;
    }
    let _ = file.sync_all();
    written
}

fn skip_or_fail(reason: &str) {
    if std::env::var("REISGENOOT_REQUIRE_DISK_FULL_TEST").is_ok_and(|v| v == "1") {
        panic!("the disk-full test must run here but cannot: {reason}");
    }
    eprintln!("SKIPPED the disk-full test: {reason} (it needs root and `mount -t tmpfs`; REISGENOOT_REQUIRE_DISK_FULL_TEST=1 makes this a failure)");
}

#[tokio::test]
async fn a_full_disk_refuses_writes_with_503_and_the_first_write_after_freeing_space_succeeds() {
    if store::testing::backend() == store::Backend::Postgres {
        // It fills the disk under a SQLite file; on PostgreSQL the store's pool tests show that
        // a failed transaction does not poison the pool.
        eprintln!("SKIPPED the disk-full test on PostgreSQL: it fills the disk under a SQLite file");
        return;
    }
    let tmpfs = match Tmpfs::mount() {
        Ok(t) => t,
        Err(reason) => return skip_or_fail(&reason),
    };
    let url = format!("sqlite://{}", tmpfs.0.join("reisgenoot.db").display());
    let db = store::Db::connect(&url).await.expect("open the database on the tmpfs");
    db.migrate().await.expect("migrate");
    let app = TestApp::with_db(db).await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let token = Auth::Token(app.token(&user).await);
    let base = format!("/api/v1/samenwerkingen/{c}/partners");
    let post = |name: String| {
        let (app, base, token) = (&app, &base, &token);
        async move { app.json(Method::POST, base, token, json!({"name": name, "sector": "kinderopvang", "ring": "binnenring"}), &[]).await }
    };

    let mut acknowledged = Vec::new();
    for i in 0..5 {
        let reply = post(format!("Voor {i}")).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        acknowledged.push(format!("Voor {i}"));
    }
    assert_eq!(app.get("/healthz", &Auth::None).await.status, StatusCode::OK);

    let filler = tmpfs.0.join("filler");
    let filled = fill(&filler);
    eprintln!("filled the {SIZE} tmpfs with {filled} bytes");

    // SQLite may still fit a few writes in space its files already hold; keep writing until
    // the disk refuses. Every write it acknowledged must survive.
    let mut refused = None;
    for i in 0..3000 {
        let name = format!("Vol {i}");
        let reply = post(name.clone()).await;
        match reply.status {
            StatusCode::CREATED => acknowledged.push(name),
            StatusCode::SERVICE_UNAVAILABLE => {
                refused = Some(reply);
                break;
            }
            other => panic!("a write on a full disk answered {other}: {}", reply.body),
        }
    }
    let refused = refused.expect("the full disk never refused a write");
    eprintln!("refused after {} acknowledged writes: {}", acknowledged.len(), refused.body);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    assert_eq!(refused.header("retry-after"), "30");
    let problem = refused.json();
    assert_eq!(problem["status"], 503);
    assert_eq!(problem["title"], "Opslag tijdelijk niet beschikbaar");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("schijf"), "{problem}");

    // More writes while full: refused the same way, never a 500.
    for i in 0..20 {
        let reply = post(format!("Nog steeds vol {i}")).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "write {i} while full: {}", reply.body);
        assert_eq!(reply.header("content-type"), "application/problem+json");
    }
    let health = app.get("/healthz", &Auth::None).await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE, "{}", health.body);
    assert_eq!(health.json()["status"], "degraded");
    assert_eq!(health.json()["reason"], "disk_full");
    // Reading goes on while the disk is full.
    let listed = app.get(&base, &token).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);

    std::fs::remove_file(&filler).expect("free the space");

    let after = post("Na het vrijmaken".to_string()).await;
    assert_eq!(after.status, StatusCode::CREATED, "the first write after freeing space: {}", after.body);
    acknowledged.push("Na het vrijmaken".to_string());
    let health = app.get("/healthz", &Auth::None).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.body);
    assert_eq!(health.json()["status"], "ok");
    for i in 0..20 {
        let reply = post(format!("Daarna {i}")).await;
        assert_eq!(reply.status, StatusCode::CREATED, "write {i} after freeing space: {}", reply.body);
        acknowledged.push(format!("Daarna {i}"));
    }

    // Nothing acknowledged was lost, nothing refused was stored, also after reopening.
    app.db.close().await;
    let db = store::Db::connect(&url).await.expect("reopen");
    let mut stored: Vec<String> = db.partners(c).await.expect("partners").into_iter().map(|p| p.name).collect();
    stored.sort();
    acknowledged.sort();
    assert_eq!(stored, acknowledged);
    let report = store::copy::check(&db).await.expect("check");
    assert_eq!((report.integrity.as_str(), report.audit_breaks), ("ok", 0));
    db.close().await;
}
