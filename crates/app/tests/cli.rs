//! The operator's commands, run as the real binary on SQLite files: accounts, backup while
//! the application writes, restore into a fresh folder, audit verification, and `db copy`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_reisgenoot");
const PASSWORD: &str = "paars konijn fietst naar Zwolle";

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rg-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("reisgenoot.db").display())
}

fn run(db: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("REISGENOOT_DATABASE_URL", db)
        .env("REISGENOOT_PASSWORD", PASSWORD)
        .env("REISGENOOT_DEMO_PASSWORD", PASSWORD)
        .output()
        .expect("run reisgenoot")
}

fn ok(db: &str, args: &[&str]) -> String {
    let out = run(db, args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "reisgenoot {args:?} failed:\n{text}");
    text
}

#[test]
fn help_lists_every_command() {
    let out = ok("sqlite::memory:", &["--help"]);
    for command in ["serve", "migrate", "demo", "user", "backup", "restore", "db", "audit"] {
        assert!(out.contains(command), "{command} missing from:\n{out}");
    }
    let user = ok("sqlite::memory:", &["user", "--help"]);
    for command in ["add", "passwd", "disable"] {
        assert!(user.contains(command));
    }
}

#[test]
fn accounts_are_managed_from_the_command_line_with_the_password_policy() {
    let dir = folder("users");
    let db = url(&dir);
    ok(&db, &["user", "add", "beheer@test.example", "--name", "Beheer", "--admin"]);
    let weak = Command::new(BIN)
        .args(["user", "add", "zwak@test.example", "--name", "Zwak"])
        .env("REISGENOOT_DATABASE_URL", &db)
        .env("REISGENOOT_PASSWORD", "password1234")
        .output()
        .expect("run");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("te makkelijk te raden"), "{}", String::from_utf8_lossy(&weak.stderr));
    ok(&db, &["user", "passwd", "beheer@test.example"]);
    ok(&db, &["user", "disable", "beheer@test.example"]);
    let log = ok(&db, &["audit", "verify"]);
    assert!(log.contains("keten ongebroken"), "{log}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn backup_restore_and_audit_verification_round_trip() {
    let dir = folder("backup");
    let db = url(&dir);
    let demo = ok(&db, &["demo"]);
    assert!(demo.contains("Samen Opgroeien Lindeveen"), "{demo}");
    let backup = dir.join("backup.db");
    let written = ok(&db, &["backup", backup.to_str().expect("path")]);
    assert!(written.contains("integriteit: ok"), "{written}");
    assert!(!run(&db, &["backup", backup.to_str().expect("path")]).status.success(), "an existing backup is never overwritten");

    let fresh = folder("restore");
    let restored = ok(&url(&fresh), &["restore", backup.to_str().expect("path")]);
    assert!(restored.contains("integriteit: ok") && restored.contains("keten ongebroken"), "{restored}");
    let rows = |text: &str| {
        text.lines()
            .filter(|l| l.contains(" rijen") && !l.contains("gekopieerd"))
            .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
    };
    assert_eq!(rows(&written), rows(&restored), "the same rows");
    assert!(!run(&url(&fresh), &["restore", backup.to_str().expect("path")]).status.success(), "restoring over data is refused");

    // Changing one audit row by hand is found.
    let conn = rusqlite_free_update(&fresh.join("reisgenoot.db"));
    assert!(conn, "tampered");
    let verify = run(&url(&fresh), &["audit", "verify"]);
    assert!(!verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("gewijzigd"), "{}", String::from_utf8_lossy(&verify.stdout));
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(fresh);
}

/// Changes an audit row with the sqlite3 shell when it is there, else through the store.
fn rusqlite_free_update(file: &Path) -> bool {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let db = store::Db::connect(&format!("sqlite://{}", file.display())).await.expect("open");
        store::dispatch!(&db, |pool| sqlx::query("UPDATE audit_log SET result = 'anders' WHERE seq = 3").execute(pool).await.map(|r| r.rows_affected()))
            .expect("update")
            == 1
    })
}

#[test]
fn db_copy_moves_an_instance_and_refuses_a_target_with_data() {
    let dir = folder("copy");
    let from = url(&dir);
    ok(&from, &["demo"]);
    let to = format!("sqlite://{}", dir.join("kopie.db").display());
    let copied = ok(&from, &["db", "copy", "--from", &from, "--to", &to]);
    assert!(copied.contains("partners") && copied.contains("integriteit: ok"), "{copied}");
    assert!(!run(&from, &["db", "copy", "--from", &from, "--to", &to]).status.success());
    let _ = std::fs::remove_dir_all(dir);
}
