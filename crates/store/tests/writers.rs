//! Many writers at once, a quarter of them with a stale version: every stale update is a
//! conflict, every other one is stored, and nobody waits on a lock held by someone who needs a
//! second connection. Runs on SQLite and, with `REISGENOOT_TEST_DATABASE`, on PostgreSQL.

use reisgenoot_store as store;

use domain::body::{BodyContent, BodyInput};
use domain::collaboration::{CollaborationInput, NewCollaboration};
use domain::partner::{NewPartner, PartnerInput};
use std::time::{Duration, Instant};
use store::testing::fresh_db;
use store::user::NewUser;
use store::{Actor, StoreError};

const WRITERS: usize = 50;
const ROUNDS: usize = 4;

fn actor() -> Actor {
    Actor { user_id: None, label: "test".into(), origin: "127.0.0.1".into() }
}

fn partner(name: &str) -> NewPartner {
    NewPartner::parse(&PartnerInput { name: name.into(), sector: "kinderopvang".into(), ring: "binnenring".into(), description: String::new() }).expect("valid")
}

fn body(name: &str) -> BodyContent {
    BodyContent::parse(&BodyInput { name: name.into(), level: "bestuurlijk".into(), kind: "oogo".into(), ..Default::default() }).expect("valid")
}

/// What one writer saw: stored updates, conflicts, and anything else (the failure).
#[derive(Default)]
struct Tally {
    stored: usize,
    conflicts: usize,
    other: Vec<String>,
    last: Option<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_writers_with_stale_versions_get_conflicts_and_lose_nothing() {
    let db = fresh_db().await;
    let owner = db.create_user(&actor(), &NewUser { email: "w@a.example", name: "w", password_hash: "x", is_admin: false }).await.expect("user");
    let input =
        CollaborationInput { name: "A".into(), scale: "gemeente".into(), age_focus: "beide".into(), area_codes: vec!["GM0344".into()], ..Default::default() };
    let c = db.create_collaboration(&actor(), &NewCollaboration::parse(&input, 2024).expect("valid"), owner.id()).await.expect("collaboration").id;
    // Each writer keeps its own partner or body; the even ones partners, the odd ones bodies.
    let mut objects = Vec::new();
    for i in 0..WRITERS {
        let id = if i % 2 == 0 {
            db.create_partner(&actor(), c, &partner(&format!("P{i}"))).await.expect("partner").id.0
        } else {
            db.create_body(&actor(), c, &body(&format!("B{i}"))).await.expect("body").id
        };
        objects.push(id);
    }
    let started = Instant::now();
    let writers: Vec<_> = objects
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut tally = Tally::default();
                let mut version = 1;
                for round in 0..ROUNDS {
                    // A quarter of all updates carry a version that is no longer current.
                    let stale = (i + round) % 4 == 0;
                    let sent = if stale { version - 1 } else { version };
                    let name = format!("W{i} R{round}");
                    let result = if i % 2 == 0 {
                        db.update_partner(&actor(), c, domain::ids::PartnerId(id), sent, &partner(&name)).await.map(|p| p.version)
                    } else {
                        db.update_body(&actor(), c, id, sent, &body(&name)).await.map(|b| b.version)
                    };
                    match (stale, result) {
                        (false, Ok(now)) => {
                            version = now;
                            tally.stored += 1;
                            tally.last = Some(name);
                        }
                        (true, Err(StoreError::Conflict("version"))) => tally.conflicts += 1,
                        (_, other) => tally.other.push(format!("writer {i} round {round} stale={stale}: {other:?}")),
                    }
                }
                (i, id, version, tally)
            })
        })
        .collect();
    let all = async {
        let mut results = Vec::new();
        for writer in writers {
            results.push(writer.await);
        }
        results
    };
    let results = tokio::time::timeout(Duration::from_secs(60), all).await.expect("the writers finish within a minute");
    let took = started.elapsed();
    let (mut stored, mut conflicts, mut problems) = (0, 0, Vec::new());
    for result in results {
        let (i, id, version, tally) = result.expect("writer task");
        problems.extend(tally.other);
        stored += tally.stored;
        conflicts += tally.conflicts;
        // Nothing lost: the stored row is at the version and holds the name of the last update acknowledged.
        let (now_version, now_name) = if i % 2 == 0 {
            let p = db.partner(c, domain::ids::PartnerId(id)).await.expect("partner");
            (p.version, p.name)
        } else {
            let b = db.body(c, id).await.expect("body");
            (b.version, b.content.name)
        };
        assert_eq!(now_version, version, "writer {i}");
        assert_eq!(Some(now_name), tally.last, "writer {i}");
    }
    assert!(problems.is_empty(), "{} updates neither stored nor a conflict:\n{}", problems.len(), problems.join("\n"));
    assert_eq!(stored + conflicts, WRITERS * ROUNDS);
    assert_eq!(conflicts, WRITERS * ROUNDS / 4, "a quarter of the updates were stale");
    let audited = db.audit_all().await.expect("audit").iter().filter(|e| e.action == "partner.update" || e.action == "body.update").count();
    assert_eq!(audited, stored, "one audit entry per stored update");
    assert!(took < Duration::from_secs(20), "{} updates took {took:?}", WRITERS * ROUNDS);
}
