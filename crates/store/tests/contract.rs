//! Store contract tests, written once and run on SQLite and on PostgreSQL
//! (`REISGENOOT_TEST_DATABASE`, see `store::testing`).

use reisgenoot_store as store;

use domain::access::Role;
use domain::collaboration::{CollaborationInput, NewCollaboration};
use domain::ids::{CollaborationId, PartnerId, PersonId};
use domain::partner::{NewPartner, PartnerInput};
use domain::person::{NewPerson, PersonInput};
use domain::portfolio::{NewPortfolio, PortfolioInput};
use store::schema::{TABLES, actual_columns};
use store::testing::fresh_db;
use store::user::NewUser;
use store::{Actor, Db, StoreError};

fn actor() -> Actor {
    Actor { user_id: None, label: "test".into(), origin: "127.0.0.1".into() }
}

async fn user(db: &Db, email: &str) -> store::user::User {
    db.create_user(&actor(), &NewUser { email, name: email, password_hash: "x", is_admin: false }).await.expect("user")
}

fn collaboration(name: &str) -> NewCollaboration {
    let input = CollaborationInput {
        name: name.into(),
        scale: "gemeente".into(),
        age_focus: "beide".into(),
        area_codes: vec!["GM0344".into(), "BU0363AD03".into()],
        ..Default::default()
    };
    NewCollaboration::parse(&input, 2024).expect("valid")
}

fn partner(name: &str, sector: &str) -> NewPartner {
    NewPartner::parse(&PartnerInput { name: name.into(), sector: sector.into(), ring: "binnenring".into(), description: String::new() }).expect("valid")
}

async fn setup() -> (Db, CollaborationId, CollaborationId, store::user::User) {
    let db = fresh_db().await;
    let owner = user(&db, "regisseur@a.example").await;
    let a = db.create_collaboration(&actor(), &collaboration("A"), owner.id()).await.expect("A").id;
    let b = db.create_collaboration(&actor(), &collaboration("B"), owner.id()).await.expect("B").id;
    (db, a, b, owner)
}

#[tokio::test]
async fn migrations_create_exactly_the_tables_and_columns_the_schema_describes() {
    let db = fresh_db().await;
    let actual = actual_columns(&db).await.expect("columns");
    let expected: std::collections::BTreeMap<String, Vec<String>> =
        TABLES.iter().map(|t| (t.name.to_string(), t.columns.iter().map(|(c, _)| c.to_string()).collect())).collect();
    assert_eq!(actual, expected, "on {:?}", db.backend());
}

#[test]
fn both_migration_folders_have_the_same_versions_tables_and_columns() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
    let list = |backend: &str| {
        let mut files: Vec<String> =
            std::fs::read_dir(format!("{root}/{backend}")).expect("dir").flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
        files.sort();
        files
    };
    assert_eq!(list("sqlite"), list("postgres"));
    let shape = |backend: &str| -> Vec<(String, Vec<String>)> {
        let mut tables = Vec::new();
        for file in list(backend) {
            let sql = std::fs::read_to_string(format!("{root}/{backend}/{file}")).expect("read");
            for block in sql.split("CREATE TABLE ").skip(1) {
                let name = block.split_whitespace().next().unwrap_or_default().to_string();
                let body = block.split_once('(').map(|(_, b)| b).unwrap_or_default();
                let columns = body
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with("PRIMARY KEY") && !l.starts_with(')') && !l.starts_with("--"))
                    .filter_map(|l| l.split_whitespace().next().map(String::from))
                    .collect();
                tables.push((name, columns));
            }
        }
        tables
    };
    assert_eq!(shape("sqlite"), shape("postgres"));
}

#[tokio::test]
async fn a_taken_email_is_a_conflict() {
    let db = fresh_db().await;
    user(&db, "a@b.nl").await;
    let again = db.create_user(&actor(), &NewUser { email: "A@B.NL", name: "x", password_hash: "x", is_admin: false }).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

#[tokio::test]
async fn collaboration_round_trips_with_its_areas_and_refuses_a_stale_update() {
    let (db, a, _, owner) = setup().await;
    let c = db.collaboration(a).await.expect("read");
    assert_eq!(c.area_codes.iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["GM0344", "BU0363AD03"]);
    assert_eq!(db.role_of(owner.id(), a).await.expect("role"), Some(Role::Beheerder));
    let updated = db.update_collaboration(&actor(), a, c.version, &collaboration("A2")).await.expect("update");
    assert_eq!((updated.name.as_str(), updated.version), ("A2", c.version + 1));
    let stale = db.update_collaboration(&actor(), a, c.version, &collaboration("A3")).await;
    assert!(matches!(stale, Err(StoreError::Conflict("version"))), "{stale:?}");
    assert_eq!(db.collaboration(a).await.expect("read").name, "A2", "nothing overwritten");
}

#[tokio::test]
async fn two_concurrent_updates_from_the_same_version_let_exactly_one_win() {
    let (db, a, _, _) = setup().await;
    let p = db.create_partner(&actor(), a, &partner("Opvang", "kinderopvang")).await.expect("partner");
    let (who, first, second) = (actor(), partner("Een", "kinderopvang"), partner("Twee", "kinderopvang"));
    let (one, two) = tokio::join!(db.update_partner(&who, a, p.id, p.version, &first), db.update_partner(&who, a, p.id, p.version, &second));
    let wins = [one.is_ok(), two.is_ok()].iter().filter(|ok| **ok).count();
    assert_eq!(wins, 1, "{one:?} / {two:?}");
}

#[tokio::test]
async fn items_of_one_collaboration_are_invisible_through_another() {
    let (db, a, b, _) = setup().await;
    let p = db.create_partner(&actor(), a, &partner("Opvang", "kinderopvang")).await.expect("partner");
    assert!(matches!(db.partner(b, p.id).await, Err(StoreError::NotFound)));
    assert!(db.partners(b).await.expect("list").is_empty());
    assert!(matches!(db.update_partner(&actor(), b, p.id, p.version, &partner("X", "mbo")).await, Err(StoreError::NotFound)));
    assert!(matches!(db.delete_partner(&actor(), b, p.id).await, Err(StoreError::NotFound)));
    // A person in B cannot point at A's partner.
    let input = PersonInput { name: "Iemand".into(), partner_id: Some(p.id.0), ..Default::default() };
    let refused = db.create_person(&actor(), b, &NewPerson::parse(&input).expect("valid")).await;
    assert!(matches!(refused, Err(StoreError::Reference("partner_id"))), "{refused:?}");
}

#[tokio::test]
async fn a_portfolio_outlives_its_holder_and_becomes_vacant() {
    let (db, a, _, _) = setup().await;
    let person = db
        .create_person(
            &actor(),
            a,
            &NewPerson::parse(&PersonInput { name: "Houder".into(), roles: vec!["trekker".into()], ..Default::default() }).expect("valid"),
        )
        .await
        .expect("person");
    assert_eq!(person.roles, [domain::person::PersonRole::Trekker]);
    let input = PortfolioInput { name: "Regie".into(), mandate: "Besluit over de agenda".into(), holder_id: Some(person.id.0), ..Default::default() };
    let portfolio = db.create_portfolio(&actor(), a, &NewPortfolio::parse(&input).expect("valid")).await.expect("portfolio");
    assert_eq!(portfolio.holder_id, Some(person.id));
    db.delete_person(&actor(), a, person.id).await.expect("delete");
    let after = db.portfolio(a, portfolio.id).await.expect("still there");
    assert_eq!(after.holder_id, None);
    assert!(domain::portfolio::is_vacant(&after, |_: PersonId| false));
}

#[tokio::test]
async fn deleting_a_partner_keeps_its_people() {
    let (db, a, _, _) = setup().await;
    let p = db.create_partner(&actor(), a, &partner("School", "primair_onderwijs")).await.expect("partner");
    let person = db
        .create_person(&actor(), a, &NewPerson::parse(&PersonInput { name: "Juf".into(), partner_id: Some(p.id.0), ..Default::default() }).expect("valid"))
        .await
        .expect("person");
    db.delete_partner(&actor(), a, p.id).await.expect("delete");
    assert_eq!(db.person(a, person.id).await.expect("kept").partner_id, None::<PartnerId>);
}

#[tokio::test]
async fn the_last_beheerder_cannot_be_removed_or_demoted() {
    let (db, a, _, owner) = setup().await;
    assert!(matches!(db.remove_member(&actor(), a, owner.id()).await, Err(StoreError::Conflict("last_beheerder"))));
    assert!(matches!(db.set_member(&actor(), a, owner.id(), Role::Lezer).await, Err(StoreError::Conflict("last_beheerder"))));
    let second = user(&db, "tweede@a.example").await;
    db.set_member(&actor(), a, second.id(), Role::Beheerder).await.expect("second beheerder");
    db.set_member(&actor(), a, owner.id(), Role::Lezer).await.expect("now allowed");
    assert_eq!(db.role_of(owner.id(), a).await.expect("role"), Some(Role::Lezer));
}

#[tokio::test]
async fn every_change_lands_in_an_unbroken_audit_chain_and_tampering_shows() {
    let (db, a, _, _) = setup().await;
    db.create_partner(&actor(), a, &partner("Opvang", "kinderopvang")).await.expect("partner");
    db.audit_event(&actor(), None, "login", "user:x", "failed").await.expect("event");
    let entries = db.audit_all().await.expect("entries");
    assert!(entries.len() >= 6, "{}", entries.len());
    assert!(domain::audit::verify(&entries, &Default::default()).is_empty());
    let mine = db.audit_for_collaboration(a.0, 100).await.expect("a's log");
    assert!(mine.iter().any(|e| e.action == "partner.create"));
    assert!(mine.iter().all(|e| e.collaboration_id == Some(a.0)));
    store::dispatch!(&db, |pool| sqlx::query("UPDATE audit_log SET actor = 'iemand anders' WHERE seq = 2").execute(pool).await.map(|_| ())).expect("tamper");
    let breaks = domain::audit::verify(&db.audit_all().await.expect("entries"), &Default::default());
    assert_eq!(breaks, [domain::audit::Break::Altered { seq: 2 }]);
}

#[tokio::test]
async fn concurrent_writers_keep_the_audit_chain_intact() {
    let (db, a, _, _) = setup().await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move { db.create_partner(&actor(), a, &partner(&format!("P{i}"), "overig")).await }));
    }
    for t in tasks {
        t.await.expect("join").expect("write");
    }
    assert_eq!(db.partners(a).await.expect("list").len(), 20, "no lost writes");
    assert!(domain::audit::verify(&db.audit_all().await.expect("entries"), &Default::default()).is_empty());
}

#[tokio::test]
async fn sessions_expire_and_disabling_a_user_ends_them() {
    let (db, _, _, owner) = setup().await;
    db.create_session("hash-1", owner.id, false).await.expect("session");
    assert!(db.session("hash-1").await.expect("read").is_some());
    db.set_disabled(&actor(), owner.id(), true).await.expect("disable");
    assert!(db.session("hash-1").await.expect("read").is_none());
    db.create_session("hash-2", owner.id, false).await.expect("session");
    let removed = db.delete_expired_sessions(store::now() + 1, 0).await.expect("sweep");
    assert_eq!(removed, 1);
}

#[tokio::test]
async fn a_backup_taken_while_writing_restores_whole_and_checks_out() {
    let (db, a, _, _) = setup().await;
    for i in 0..10 {
        db.create_partner(&actor(), a, &partner(&format!("Voor {i}"), "overig")).await.expect("partner");
    }
    let writer = {
        let db = db.clone();
        tokio::spawn(async move {
            for i in 0..40 {
                db.create_partner(&actor(), a, &partner(&format!("Tijdens {i}"), "overig")).await.expect("write during backup");
            }
        })
    };
    let dir = std::env::temp_dir().join(format!("rg-backup-{}-{}", std::process::id(), store::now()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("backup.db");
    let report = store::copy::backup(&db, &file).await.expect("backup");
    writer.await.expect("writer");
    assert_eq!(report.integrity, "ok");
    assert_eq!(report.audit_breaks, 0);
    assert!(matches!(store::copy::backup(&db, &file).await, Err(StoreError::Conflict("backup_exists"))), "never overwrites");

    let target = fresh_db().await;
    let restored = store::copy::restore(&file, &target, &mut |_, _| {}).await.expect("restore");
    assert_eq!(restored.rows, report.rows, "the same rows as the backup");
    assert_eq!(restored.integrity, "ok");
    assert_eq!(restored.audit_breaks, 0);
    let partners = target.partners(a).await.expect("partners").len();
    assert!((10..=50).contains(&partners), "{partners}");
    // A restored instance keeps working: new ids do not collide with copied ones.
    target.create_partner(&actor(), a, &partner("Na herstel", "overig")).await.expect("write after restore");
    // Restoring into a database that has data is refused.
    assert!(matches!(store::copy::restore(&file, &target, &mut |_, _| {}).await, Err(StoreError::Conflict("target_not_empty"))));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn copy_moves_a_whole_instance_between_backends() {
    let (source, a, _, _) = setup().await;
    source.create_partner(&actor(), a, &partner("Opvang", "kinderopvang")).await.expect("partner");
    // From the test backend to a fresh SQLite file, and from there to a fresh test database.
    let file = std::env::temp_dir().join(format!("rg-copy-{}-{}.db", std::process::id(), store::now()));
    let sqlite = Db::connect(&store::copy::sqlite_url(&file)).await.expect("sqlite");
    let there = store::copy::copy_all(&source, &sqlite, &mut |_, _| {}).await.expect("copy out");
    let back = fresh_db().await;
    let again = store::copy::copy_all(&sqlite, &back, &mut |_, _| {}).await.expect("copy back");
    assert_eq!(there.rows, again.rows);
    assert_eq!(back.partners(a).await.expect("partners")[0].name, "Opvang");
    assert_eq!(again.audit_breaks, 0);
    let _ = std::fs::remove_file(file);
}

#[tokio::test]
async fn meetings_keep_their_minutes_refuse_stale_saves_and_foreign_references() {
    use domain::meeting::{ActionPoint, ActionPointInput, ActionStatus, AgendaItemInput, AttendanceInput, MeetingContent, MeetingInput};
    let (db, a, b, owner) = setup().await;
    let person = |name: &str| NewPerson::parse(&PersonInput { name: name.into(), ..Default::default() }).expect("valid");
    let here = db.create_person(&actor(), a, &person("Wethouder")).await.expect("person").id.0;
    let there = db.create_person(&actor(), b, &person("Elders")).await.expect("person").id.0;
    let input = MeetingInput {
        date: "2026-03-05".into(),
        items: vec![AgendaItemInput { title: "Opening".into(), outcome: "informatie".into(), ..Default::default() }],
        attendance: vec![AttendanceInput { person: here.to_string(), presence: "aanwezig".into(), substitute: String::new() }],
        ..Default::default()
    };
    let content = MeetingContent::parse(&input).expect("valid");
    let later = MeetingContent { date: "2026-06-05".into(), ..content.clone() };
    let created = db.create_meetings(&actor(), a, &[content.clone(), later]).await.expect("create");
    assert_eq!(created.len(), 2);
    let id = created[0].id;
    let notes = MeetingContent { notes: "Besloten: convenant verlengd.".into(), ..content.clone() };
    db.update_meeting(&actor(), a, id, 1, &notes).await.expect("update");
    assert!(matches!(db.update_meeting(&actor(), a, id, 1, &content).await, Err(StoreError::Conflict("version"))));
    assert_eq!(db.meeting(a, id).await.expect("read").content.notes, "Besloten: convenant verlengd.");
    assert_eq!(db.meetings(b).await.expect("list"), []);
    assert!(matches!(db.meeting(b, id).await, Err(StoreError::NotFound)));
    // A person of another collaboration cannot be on the attendance list, and a refused
    // series stores none of its meetings.
    let mut foreign = content.clone();
    foreign.attendance[0].person = there;
    assert!(matches!(db.create_meetings(&actor(), a, &[content.clone(), foreign]).await, Err(StoreError::Reference("attendance"))));
    assert_eq!(db.meetings(a).await.expect("list").len(), 2);

    let point = ActionPoint::parse(&ActionPointInput {
        title: "Notitie schrijven".into(),
        owner: owner.id().0.to_string(),
        due: "2026-04-01".into(),
        ..Default::default()
    })
    .expect("valid");
    let row = db.create_action_point(&actor(), a, id, &point).await.expect("action");
    assert_eq!(db.my_action_points(owner.id().0).await.expect("mine").len(), 1);
    let done = ActionPoint { status: ActionStatus::Gedaan, ..point.clone() };
    db.update_action_point(&actor(), a, row.id, 1, &done).await.expect("done");
    assert!(matches!(db.update_action_point(&actor(), a, row.id, 1, &done).await, Err(StoreError::Conflict("version"))));
    assert!(matches!(db.create_action_point(&actor(), b, id, &point).await, Err(StoreError::NotFound)));
    let stranger = user(&db, "elders@b.example").await;
    let outsider = ActionPoint { owner: Some(stranger.id().0), ..point };
    assert!(matches!(db.create_action_point(&actor(), a, id, &outsider).await, Err(StoreError::Reference("owner"))));
    db.delete_meeting(&actor(), a, id).await.expect("delete");
    assert_eq!(db.action_points(a, None).await.expect("points"), []);
}

#[tokio::test]
async fn an_answer_row_holds_nothing_of_the_link_that_brought_it() {
    use domain::scan::RoundPlan;
    use domain::scan::{Value, check_response, template};
    use store::scan::{LinkGroup, Refusal};
    let (db, a, b, _) = setup().await;
    let t = template("werkzame_elementen").expect("template").clone();
    let new = RoundPlan { title: "Najaar".into(), template: t.clone(), opens: "2026-11-01".into(), closes: "2026-11-30".into(), min_group: 5, split_by: None };
    let round = db.create_round(&actor(), a, &new).await.expect("round");
    let tokens: Vec<String> = (0..3).map(|i| format!("token-{i}-abcdef0123456789")).collect();
    db.create_links(&actor(), a, round.id, &LinkGroup { label: "Scholen", sector: "primair_onderwijs", reusable: false }, &tokens).await.expect("links");
    let answer = |v: u8| check_response(&t, "primair_onderwijs", "uitvoering", [("e1_1".to_string(), Value::Number(v))].into()).expect("valid");
    for (i, token) in tokens.iter().enumerate() {
        assert_eq!(db.submit_answer(token, &format!("k{}", 3 - i), &answer(3), "2026-11-24").await.expect("submit"), Ok(()));
    }
    assert_eq!(db.submit_answer(&tokens[0], "k9", &answer(1), "2026-11-24").await.expect("submit"), Err(Refusal::Used), "a single-use link answers once");
    assert_eq!(db.submit_answer("nope", "k8", &answer(1), "2026-11-24").await.expect("submit"), Err(Refusal::UnknownLink));
    let late = ["token-late-0123456789abcdef".to_string()];
    db.create_links(&actor(), a, round.id, &LinkGroup { label: "Laat", sector: "", reusable: true }, &late).await.expect("link");
    assert_eq!(db.submit_answer(&late[0], "k7", &answer(1), "2026-12-01").await.expect("submit"), Err(Refusal::Closed));
    assert_eq!(db.answers(a, round.id).await.expect("answers").len(), 3);
    assert!(db.links(a, round.id).await.expect("links").iter().filter(|l| l.label == "Scholen").all(|l| l.uses == 1));
    // The answer table has no column that could point at a link, and no row carries a token.
    let columns = actual_columns(&db).await.expect("columns");
    assert_eq!(columns["scan_answers"], ["id", "round_id", "sector", "level", "answers"]);
    let rows: Vec<String> = match &db {
        Db::Sqlite(pool) => sqlx::query_scalar("SELECT id || sector || level || answers FROM scan_answers").fetch_all(pool).await.expect("rows"),
        Db::Postgres(pool) => sqlx::query_scalar("SELECT id || sector || level || answers FROM scan_answers").fetch_all(pool).await.expect("rows"),
    };
    assert!(rows.iter().all(|row| tokens.iter().all(|t| !row.contains(t.as_str()))));
    // Another collaboration sees neither the round nor its answers.
    assert!(matches!(db.answers(b, round.id).await, Err(StoreError::NotFound)));
    assert!(db.rounds(b).await.expect("rounds").is_empty());
}

/// What a live database says of its own shape, in terms both backends share: per table its
/// columns (name, kind of type, NOT NULL, part of the primary key), its indexes and unique
/// constraints (columns in order, unique, partial; names differ by backend) and its foreign
/// keys (column, table and column pointed at, what a delete does).
#[derive(Debug, PartialEq, Eq)]
struct LiveSchema {
    columns: std::collections::BTreeSet<(String, String, String, bool, bool)>,
    indexes: std::collections::BTreeSet<(String, Vec<String>, bool, bool)>,
    foreign_keys: std::collections::BTreeSet<(String, String, String, String, String)>,
}

/// The kind of a declared column type, as both backends spell it.
fn type_kind(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    let kind = if t.contains("int") {
        "int"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("char") || t.contains("text") {
        "text"
    } else if t.contains("real") || t.contains("double") || t.contains("float") || t.contains("numeric") {
        "real"
    } else if t.contains("blob") || t.contains("bytea") {
        "blob"
    } else {
        return t;
    };
    kind.to_string()
}

/// What a delete of the row pointed at does, in SQLite's words.
fn on_delete(rule: &str) -> String {
    match rule {
        "a" | "NO ACTION" => "no action",
        "r" | "RESTRICT" => "restrict",
        "c" | "CASCADE" => "cascade",
        "n" | "SET NULL" => "set null",
        "d" | "SET DEFAULT" => "set default",
        other => other,
    }
    .to_string()
}

async fn live_schema(db: &Db) -> LiveSchema {
    type Column = (String, String, String, bool, bool);
    type IndexRow = (String, String, bool, bool, i64, String);
    type ForeignKey = (String, String, String, String, String);
    let (columns, index_rows, foreign_keys): (Vec<Column>, Vec<IndexRow>, Vec<ForeignKey>) = match db {
        Db::Sqlite(pool) => {
            let tables = "FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'";
            let columns: Vec<(String, String, String, bool, i64)> =
                sqlx::query_as(&format!("SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM pragma_table_info(m.name) p, (SELECT m.name {tables}) m"))
                    .fetch_all(pool)
                    .await
                    .expect("columns");
            let indexes = sqlx::query_as(&format!(
                "SELECT m.name, il.name, il.\"unique\", il.partial, ii.seqno, COALESCE(ii.name, '<expr>') \
                 FROM (SELECT m.name {tables}) m, pragma_index_list(m.name) il, pragma_index_xinfo(il.name) ii \
                 WHERE il.origin <> 'pk' AND ii.key = 1"
            ))
            .fetch_all(pool)
            .await
            .expect("indexes");
            let keys = sqlx::query_as(&format!(
                "SELECT m.name, f.\"from\", f.\"table\", COALESCE(f.\"to\", ''), f.on_delete FROM (SELECT m.name {tables}) m, pragma_foreign_key_list(m.name) f"
            ))
            .fetch_all(pool)
            .await
            .expect("foreign keys");
            (columns.into_iter().map(|(t, c, ty, nn, pk)| (t, c, ty, nn, pk > 0)).collect(), indexes, keys)
        }
        Db::Postgres(pool) => {
            let columns = sqlx::query_as(
                "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable = 'NO', \
                        EXISTS (SELECT 1 FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k \
                                ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema \
                                WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_name = c.table_name AND k.column_name = c.column_name \
                                AND tc.table_schema = c.table_schema) \
                 FROM information_schema.columns c WHERE c.table_schema = current_schema() AND c.table_name <> '_sqlx_migrations'",
            )
            .fetch_all(pool)
            .await
            .expect("columns");
            let indexes = sqlx::query_as(
                "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, k.ord, COALESCE(a.attname::text, '<expr>') \
                 FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid \
                 CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                 WHERE t.relnamespace = current_schema()::regnamespace AND t.relname <> '_sqlx_migrations' AND NOT ix.indisprimary",
            )
            .fetch_all(pool)
            .await
            .expect("indexes");
            let keys = sqlx::query_as(
                "SELECT cl.relname::text, a.attname::text, rc.relname::text, ra.attname::text, c.confdeltype::text \
                 FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class rc ON rc.oid = c.confrelid \
                 CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, rcol) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col \
                 JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.rcol \
                 WHERE c.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace",
            )
            .fetch_all(pool)
            .await
            .expect("foreign keys");
            (columns, indexes, keys)
        }
    };
    type Index = (bool, bool, Vec<(i64, String)>);
    let mut by_index: std::collections::BTreeMap<(String, String), Index> = Default::default();
    for (table, index, unique, partial, position, column) in index_rows {
        by_index.entry((table, index)).or_insert((unique, partial, Vec::new())).2.push((position, column));
    }
    LiveSchema {
        columns: columns.into_iter().map(|(t, c, ty, nn, pk)| (t, c, type_kind(&ty), nn || pk, pk)).collect(),
        indexes: by_index
            .into_iter()
            .map(|((table, _), (unique, partial, mut cols))| {
                cols.sort();
                (table, cols.into_iter().map(|(_, c)| c).collect(), unique, partial)
            })
            .collect(),
        foreign_keys: foreign_keys.into_iter().map(|(t, c, rt, rc, rule)| (t, c, rt, rc, on_delete(&rule))).collect(),
    }
}

/// Both backends, migrated, describe the same live schema. Runs where PostgreSQL is the test
/// backend (the PostgreSQL suite), against a fresh SQLite file beside it.
#[tokio::test]
async fn both_live_schemas_have_the_same_columns_types_indexes_and_keys() {
    if store::testing::backend() != store::Backend::Postgres {
        return;
    }
    let postgres = fresh_db().await;
    let dir = std::env::temp_dir().join("reisgenoot-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("parity-{}.db", std::process::id()));
    let sqlite = Db::connect(&format!("sqlite://{}", file.display())).await.expect("sqlite");
    sqlite.migrate().await.expect("migrate sqlite");
    let (pg, lite) = (live_schema(&postgres).await, live_schema(&sqlite).await);
    let _ = std::fs::remove_file(&file);
    assert!(!lite.columns.is_empty() && !lite.indexes.is_empty() && !lite.foreign_keys.is_empty(), "the catalog queries read nothing");
    let differ = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| format!("{what}:\n  PostgreSQL only: {a:?}\n  SQLite only: {b:?}");
    let mut problems = Vec::new();
    if pg.columns != lite.columns {
        problems.push(differ("columns", &pg.columns.difference(&lite.columns).collect::<Vec<_>>(), &lite.columns.difference(&pg.columns).collect::<Vec<_>>()));
    }
    if pg.indexes != lite.indexes {
        problems.push(differ("indexes", &pg.indexes.difference(&lite.indexes).collect::<Vec<_>>(), &lite.indexes.difference(&pg.indexes).collect::<Vec<_>>()));
    }
    if pg.foreign_keys != lite.foreign_keys {
        problems.push(differ(
            "foreign keys",
            &pg.foreign_keys.difference(&lite.foreign_keys).collect::<Vec<_>>(),
            &lite.foreign_keys.difference(&pg.foreign_keys).collect::<Vec<_>>(),
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn an_invitation_sets_the_first_password_once_and_a_new_one_replaces_it() {
    let db = fresh_db().await;
    let later = store::now() + 3600;
    let (user, invitation) = db.create_invited_user(&actor(), "Nieuw@A.example", "Nieuw", false, "hash-1", later).await.expect("invite");
    assert_eq!(user.email, "nieuw@a.example");
    assert!(user.password_hash.is_empty());
    assert_eq!(invitation.user_id, user.id);
    assert!(matches!(db.create_invited_user(&actor(), "nieuw@a.example", "Twee", false, "hash-x", later).await, Err(StoreError::Conflict("email"))));
    assert_eq!(db.invited_user("hash-1").await.expect("read").map(|(_, u)| u.id), Some(user.id));

    // A new invitation makes the first one useless.
    db.reinvite(&actor(), user.id(), "hash-2", later).await.expect("again");
    assert!(db.invited_user("hash-1").await.expect("read").is_none());
    assert!(matches!(db.accept_invitation(&actor(), "hash-1", "argon").await, Err(StoreError::NotFound)));

    // Two uses of the same link at once: exactly one sets the password.
    let who = actor();
    let (a, b) = tokio::join!(db.accept_invitation(&who, "hash-2", "argon-a"), db.accept_invitation(&who, "hash-2", "argon-b"));
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
    let hash = db.user_by_id(user.id()).await.expect("user").password_hash;
    assert!(hash == "argon-a" || hash == "argon-b");
    assert!(db.invited_user("hash-2").await.expect("read").is_none());
    assert_eq!(db.latest_invitations().await.expect("list").len(), 1);
    // An account with a password is not invited again.
    assert!(matches!(db.reinvite(&actor(), user.id(), "hash-3", later).await, Err(StoreError::Conflict("has_password"))));

    // An expired link opens nothing.
    db.create_invited_user(&actor(), "oud@a.example", "Oud", false, "hash-old", store::now() - 1).await.expect("invite");
    assert!(db.invited_user("hash-old").await.expect("read").is_none());
    assert!(matches!(db.accept_invitation(&actor(), "hash-old", "argon").await, Err(StoreError::NotFound)));
    assert!(domain::audit::verify(&db.audit_all().await.expect("entries"), &Default::default()).is_empty());
}

#[tokio::test]
async fn a_step_mark_is_cleared_only_in_its_own_collaboration() {
    let (db, a, b, _) = setup().await;
    let mark = domain::journey::StepProgress {
        step_key: "t2-ringen".into(),
        status: domain::journey::StepStatus::Bezig,
        note: String::new(),
        on: "2026-01-01".into(),
    };
    db.set_step(&actor(), a, &mark).await.expect("a");
    db.set_step(&actor(), b, &mark).await.expect("b");
    db.clear_step(&actor(), a, "t2-ringen").await.expect("clear");
    assert!(db.journey_progress(a).await.expect("a").is_empty());
    assert_eq!(db.journey_progress(b).await.expect("b").len(), 1, "B keeps its mark");
}
