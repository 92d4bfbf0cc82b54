//! The operator's commands, run as the real binary on SQLite files: accounts, backup while
//! the application writes, restore into a fresh folder, audit verification, and `db copy`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_reisgenoot");
const PASSWORD: &str = "paars konijn fietst naar Zwolle";

/// The stored password hash of an account, read from the database file.
fn password_hash(db: &str, email: &str) -> String {
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        let pool = sqlx::SqlitePool::connect(db).await.expect("open");
        let hash = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1").bind(email).fetch_one(&pool).await.expect("hash");
        pool.close().await;
        hash
    })
}

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
    // `user passwd` stores a new hash for the password it is given, and ends the old one.
    let before = password_hash(&db, "beheer@test.example");
    let changed = Command::new(BIN)
        .args(["user", "passwd", "beheer@test.example"])
        .env("REISGENOOT_DATABASE_URL", &db)
        .env("REISGENOOT_PASSWORD", "groen kanon zingt bij Deventer")
        .output()
        .expect("run");
    assert!(changed.status.success(), "{}", String::from_utf8_lossy(&changed.stderr));
    let after = password_hash(&db, "beheer@test.example");
    assert_ne!(before, after);
    let verify = |password: &str, hash: &str| {
        tokio::runtime::Runtime::new().expect("runtime").block_on(web::password::verify(password.into(), Some(hash.into()))).expect("verify")
    };
    assert!(verify("groen kanon zingt bij Deventer", &after) && !verify(PASSWORD, &after), "the new password, and only that, signs in");
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
    // The log is sealed with a key kept beside the database, not in it: without it nothing is restored.
    let keyless = run(&url(&fresh), &["restore", backup.to_str().expect("path")]);
    assert!(!keyless.status.success() && String::from_utf8_lossy(&keyless.stderr).contains("er is niets teruggezet"), "{keyless:?}");
    let key = std::fs::read_to_string(dir.join("reisgenoot.db.audit-key")).expect("the key file is beside the database");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("reisgenoot.db.audit-key")).expect("key").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner reads the key");
    }
    std::fs::write(fresh.join("reisgenoot.db.audit-key"), key).expect("copy the key");
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
    assert!(copied.contains("partners") && copied.contains("integriteit: ok") && copied.contains("keten ongebroken"), "{copied}");
    // The copy finds its keys and checkpoint beside it and keeps verifying.
    let verified = ok(&to, &["audit", "verify"]);
    assert!(verified.contains("gelijk aan het controlepunt"), "{verified}");
    assert!(!run(&from, &["db", "copy", "--from", &from, "--to", &to]).status.success());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn measurements_import_from_the_command_line_all_or_nothing_with_no_progress_bar_in_a_log() {
    let dir = folder("import");
    let db = url(&dir);
    ok(&db, &["demo"]);
    let good = dir.join("metingen.csv");
    std::fs::write(&good, "indicator;gebied;periode;teller\nTHZ;WK034401;2026-2027;6\nTHZ;WK034402;2026-2027;5\nTHZ;BU03440111;2026-2027;2\n").expect("write");
    let good = good.display().to_string();
    let first = ok(&db, &["import", "metingen", &good, "--samenwerking", "1"]);
    // Standard error is a pipe here: the summary, and no progress bar drawn into a log.
    assert!(first.contains("3 regels gelezen: 3 nieuw, 0 vervangen, 0 ongewijzigd") && !first.contains("100%") && !first.contains("[#"), "{first}");
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

/// Runs SQL against a SQLite file through the store, returning the rows it changed.
fn tamper(file: &Path, sql: &str) -> u64 {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let db = store::Db::connect(&format!("sqlite://{}", file.display())).await.expect("open");
        let n = store::dispatch!(&db, |pool| sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected())).expect("tamper");
        db.close().await;
        n
    })
}

/// Rebuilds the whole chain by the plain rule, as someone with the database but not the key can.
fn rehash_without_key(file: &Path) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let db = store::Db::connect(&format!("sqlite://{}", file.display())).await.expect("open");
        let mut prev = domain::audit::GENESIS.to_string();
        for mut e in db.audit_all().await.expect("entries") {
            e.prev_hash = prev;
            e.hash = e.compute_hash();
            prev = e.hash.clone();
            store::dispatch!(&db, |pool| sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
                .bind(&e.prev_hash)
                .bind(&e.hash)
                .bind(e.seq)
                .execute(pool)
                .await
                .map(|r| r.rows_affected()))
            .expect("rehash");
        }
        db.close().await;
    })
}

/// A log of a handful of entries written by the binary itself.
fn logged(name: &str) -> (PathBuf, String) {
    let dir = folder(name);
    let db = url(&dir);
    ok(&db, &["user", "add", "een@test.example", "--name", "Een"]);
    ok(&db, &["user", "add", "twee@test.example", "--name", "Twee"]);
    ok(&db, &["user", "passwd", "een@test.example"]);
    ok(&db, &["user", "disable", "twee@test.example"]);
    (dir, db)
}

fn refused(db: &str, problem: &str) {
    let out = run(db, &["audit", "verify"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "audit verify passed a tampered log:\n{text}");
    assert!(text.contains(problem), "'{problem}' missing from:\n{text}");
}

#[test]
fn audit_verify_passes_an_untouched_log() {
    let (dir, db) = logged("audit-intact");
    let out = ok(&db, &["audit", "verify"]);
    assert!(out.contains("keten ongebroken") && out.contains("gelijk aan het controlepunt"), "{out}");
    // A rotated key seals what follows; the old one stays in the file for the older entries.
    ok(&db, &["audit", "new-key"]);
    ok(&db, &["user", "add", "drie@test.example", "--name", "Drie"]);
    let keys = std::fs::read_to_string(dir.join("reisgenoot.db.audit-key")).expect("keys");
    assert_eq!(keys.lines().filter(|l| !l.starts_with('#')).count(), 2, "{keys}");
    let out = ok(&db, &["audit", "verify"]);
    assert!(out.contains("keten ongebroken"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audit_verify_finds_an_edited_row() {
    let (dir, db) = logged("audit-edit");
    assert_eq!(tamper(&dir.join("reisgenoot.db"), "UPDATE audit_log SET actor = 'iemand anders' WHERE seq = 3"), 1);
    refused(&db, "regel 3: gewijzigd");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audit_verify_finds_a_deleted_middle_row() {
    let (dir, db) = logged("audit-middle");
    assert_eq!(tamper(&dir.join("reisgenoot.db"), "DELETE FROM audit_log WHERE seq = 3"), 1);
    refused(&db, "regel 4: sluit niet aan");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audit_verify_finds_deleted_last_rows() {
    let (dir, db) = logged("audit-tail");
    assert_eq!(tamper(&dir.join("reisgenoot.db"), "DELETE FROM audit_log WHERE seq > (SELECT MAX(seq) - 2 FROM audit_log)"), 2);
    refused(&db, "de laatste regels zijn verwijderd");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audit_verify_finds_a_chain_rebuilt_without_the_key() {
    let (dir, db) = logged("audit-rehash");
    let file = dir.join("reisgenoot.db");
    assert_eq!(tamper(&file, "UPDATE audit_log SET result = 'geweigerd' WHERE seq = 3"), 1);
    rehash_without_key(&file);
    refused(&db, "gewijzigd na het schrijven");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn db_copy_names_a_row_with_a_nul_and_copies_nothing() {
    let dir = folder("copy-nul");
    let from = url(&dir);
    ok(&from, &["user", "add", "een@test.example", "--name", "Een"]);
    assert_eq!(tamper(&dir.join("reisgenoot.db"), "UPDATE users SET name = 'E' || char(0) || 'en' WHERE email = 'een@test.example'"), 1);
    let to = format!("sqlite://{}", dir.join("kopie.db").display());
    let out = run(&from, &["db", "copy", "--from", &from, "--to", &to]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(text.contains("row id = 1 of users, column name") && text.contains("NUL"), "{text}");
    assert_eq!(tamper(&dir.join("kopie.db"), "DELETE FROM users"), 0, "nothing was half-copied");
    let _ = std::fs::remove_dir_all(dir);
}
