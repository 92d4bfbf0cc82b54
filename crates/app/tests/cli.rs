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
    for command in ["serve", "migrate", "demo", "user", "backup", "restore", "db", "audit", "import"] {
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

#[test]
fn measurements_import_from_the_command_line_all_or_nothing_with_a_progress_bar() {
    let dir = folder("import");
    let db = url(&dir);
    ok(&db, &["demo"]);
    let good = dir.join("metingen.csv");
    std::fs::write(&good, "indicator;gebied;periode;teller\nTHZ;WK034401;2026-2027;6\nTHZ;WK034402;2026-2027;5\nTHZ;BU03440111;2026-2027;2\n").expect("write");
    let good = good.display().to_string();
    let first = ok(&db, &["import", "metingen", &good, "--samenwerking", "1"]);
    assert!(first.contains("3 regels gelezen: 3 nieuw, 0 vervangen, 0 ongewijzigd") && first.contains("100%"), "{first}");
    let again = ok(&db, &["import", "metingen", &good, "--samenwerking", "1"]);
    assert!(again.contains("0 nieuw, 0 vervangen, 3 ongewijzigd"), "{again}");

    let bad = dir.join("fout.csv");
    std::fs::write(&bad, "indicator;gebied;periode;teller\nTHZ;WK034401;2026-2027;7\nTHZ;XX;2026-2027;1\nBSN;GM0344;2026;-1\n").expect("write");
    let out = run(&db, &["import", "metingen", &bad.display().to_string(), "--samenwerking", "1"]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    for line in ["Regel 2, kolom teller: Hier staat al een andere waarde", "Regel 3, kolom gebied", "Regel 4, kolom indicator", "niets opgeslagen: 3"] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    // Replacing is explicit, and only lifts the one problem it is about.
    let replacing = run(&db, &["import", "metingen", &bad.display().to_string(), "--samenwerking", "1", "--replace"]);
    assert!(String::from_utf8_lossy(&replacing.stderr).contains("niets opgeslagen: 2"));
}

#[test]
fn an_area_classification_loads_from_a_cbs_file_or_reports_every_bad_line() {
    let dir = folder("areas");
    let db = url(&dir);
    let file = dir.join("gebieden.csv");
    std::fs::write(&file, "code,level,name,parent_code\nGM0344,gemeente,Utrecht,NL00\nWK034401,wijk,West,GM0344\nBU03440111,buurt,Oog in Al,WK034401\n")
        .expect("write");
    let out = ok(&db, &["import", "gebieden", &file.display().to_string(), "--jaar", "2025"]);
    assert!(out.contains("Gebiedsindeling 2025 geladen: 3 gebieden."), "{out}");
    std::fs::write(&file, "code,level,name,parent_code\nGM0344,gemeente,Utrecht,NL00\nBU03440111,buurt,Oog in Al,WK034499\n").expect("write");
    let failed = run(&db, &["import", "gebieden", &file.display().to_string(), "--jaar", "2025"]);
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stderr).contains("Regel 3, kolom parent_code"));
}
