//! Recovery from failed transactions and the keys of safe retries, on SQLite and PostgreSQL
//! (`REISGENOOT_TEST_DATABASE`, see `store::testing`).

use reisgenoot_store as store;

use store::idempotency::{Answer, Claim, LIFETIME_SECONDS, Request};
use store::testing::fresh_db;
use store::user::NewUser;
use store::{Actor, Db, StorageFailure, StoreError};

async fn user(db: &Db, email: &str) -> i64 {
    db.create_user(&Actor::system("test"), &NewUser { email, name: email, password_hash: "x", is_admin: false }).await.expect("user").id
}

/// SQLite ends a transaction by itself when the disk fills up or an I/O error strikes; the
/// connection then still counts it as open. Ending it under the pool the same way, more often
/// than the pool has connections, must leave every later write working.
#[tokio::test]
async fn a_transaction_that_ended_underneath_does_not_poison_the_pool() {
    let db = fresh_db().await;
    for round in 0..40 {
        let mut tx = db.begin().await.unwrap_or_else(|e| panic!("begin after {round} broken transactions: {e}"));
        store::on_tx!(&mut tx, |c| sqlx::query("ROLLBACK").execute(c).await.map(|_| ())).expect("end the transaction underneath");
        drop(tx);
        db.probe_write().await.unwrap_or_else(|e| panic!("write after {} broken transactions: {e}", round + 1));
    }
}

/// A failed statement inside a transaction (on PostgreSQL it aborts the transaction) leaves
/// the connection usable once the transaction is dropped.
#[tokio::test]
async fn an_error_inside_a_transaction_does_not_poison_the_pool() {
    let db = fresh_db().await;
    for round in 0..40 {
        let mut tx = db.begin().await.unwrap_or_else(|e| panic!("begin after {round} failed transactions: {e}"));
        let failed = store::on_tx!(&mut tx, |c| sqlx::query("INSERT INTO no_such_table VALUES (1)").execute(c).await.map(|_| ()));
        assert!(failed.is_err());
        drop(tx);
        db.probe_write().await.unwrap_or_else(|e| panic!("write after {} failed transactions: {e}", round + 1));
    }
}

#[test]
fn storage_failures_are_told_apart_from_other_errors() {
    let enospc = sqlx::Error::Io(std::io::Error::from_raw_os_error(28));
    assert_eq!(StorageFailure::of(&enospc), Some(StorageFailure::Full));
    assert!(matches!(StoreError::from(enospc), StoreError::Storage(StorageFailure::Full, _)));
    assert_eq!(StorageFailure::of(&sqlx::Error::RowNotFound), None);
    assert!(matches!(StoreError::from(sqlx::Error::PoolTimedOut), StoreError::Db(_)));
}

fn answer(body: &str) -> Answer {
    Answer { status: 201, headers: vec![("content-type".into(), "application/json".into()), ("location".into(), "/x/1".into())], body: body.into() }
}

#[tokio::test]
async fn a_key_is_claimed_once_and_then_answers_what_the_first_request_got() {
    let db = fresh_db().await;
    let ann = user(&db, "ann@example.nl").await;
    let bob = user(&db, "bob@example.nl").await;
    let now = store::now();
    let req = Request { user_id: ann, key: "k-1", request: "POST /api/v1/a", hash: "h1" };
    assert_eq!(db.claim_idempotency_key(&req, now).await.expect("claim"), Claim::New);
    assert_eq!(db.claim_idempotency_key(&req, now).await.expect("again"), Claim::InFlight);
    assert_eq!(db.claim_idempotency_key(&Request { hash: "h2", ..req }, now).await.expect("other body"), Claim::Mismatch);
    assert_eq!(db.claim_idempotency_key(&Request { request: "POST /api/v1/b", ..req }, now).await.expect("other path"), Claim::Mismatch);
    // Another user's key of the same name is their own.
    assert_eq!(db.claim_idempotency_key(&Request { user_id: bob, ..req }, now).await.expect("bob"), Claim::New);

    db.complete_idempotency_key(ann, "k-1", &answer("{\"id\":1}")).await.expect("complete");
    assert_eq!(db.claim_idempotency_key(&req, now + 10).await.expect("replay"), Claim::Done(answer("{\"id\":1}")));
    // A completed key cannot be released; an unfinished one can.
    db.release_idempotency_key(ann, "k-1").await.expect("release done");
    assert_eq!(db.claim_idempotency_key(&req, now + 20).await.expect("still done"), Claim::Done(answer("{\"id\":1}")));
    db.release_idempotency_key(bob, "k-1").await.expect("release");
    assert_eq!(db.claim_idempotency_key(&Request { user_id: bob, ..req }, now).await.expect("bob again"), Claim::New);

    // After 24 hours the key is forgotten.
    assert_eq!(db.claim_idempotency_key(&req, now + LIFETIME_SECONDS).await.expect("expired"), Claim::New);
}

#[tokio::test]
async fn concurrent_claims_of_one_key_let_exactly_one_through() {
    let db = fresh_db().await;
    let ann = user(&db, "ann@example.nl").await;
    let now = store::now();
    let claims = (0..12).map(|_| {
        let db = db.clone();
        tokio::spawn(async move { db.claim_idempotency_key(&Request { user_id: ann, key: "same", request: "POST /api/v1/a", hash: "h" }, now).await })
    });
    let mut new = 0;
    for claim in claims {
        match claim.await.expect("task").expect("claim") {
            Claim::New => new += 1,
            Claim::InFlight => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(new, 1);
}
