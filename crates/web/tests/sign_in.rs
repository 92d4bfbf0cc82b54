//! Sign-in under attack: concurrent bursts against the throttle, unknown accounts, the
//! current-password check, API tokens that expire and are revoked, and what the instance
//! administrator sees of a collaboration.

mod common;

use axum::http::StatusCode;
use common::{Auth, PASSWORD, TestApp};
use std::sync::Arc;

const WRONG: &str = "verkeerd wachtwoord nummer";

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", v.replace('%', "%25").replace(' ', "+").replace('@', "%40").replace('&', "%26"))).collect::<Vec<_>>().join("&")
}

async fn failures(app: &TestApp, account: &str) -> i64 {
    store::dispatch!(&app.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE account = $1").bind(account).fetch_one(pool).await)
        .expect("count failures")
}

async fn seed_failures(app: &TestApp, account: &str, origin: &str, n: usize) {
    for _ in 0..n {
        app.db.record_login_failure(account, origin).await.expect("seed a failure");
    }
}

/// Posts `n` forms to `path` all at once and answers the statuses.
async fn burst(app: &Arc<TestApp>, path: &'static str, auth: Auth, body: String, n: usize) -> Vec<StatusCode> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (app, auth, body) = (app.clone(), auth.clone(), body.clone());
            tokio::spawn(async move { app.post_form(path, &auth, &body).await.status })
        })
        .collect();
    let mut statuses = Vec::with_capacity(n);
    for task in tasks {
        statuses.push(task.await.expect("request task"));
    }
    statuses
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_burst_stops_at_exactly_the_limit() {
    let app = Arc::new(TestApp::new().await);
    let account = "doelwit@test.example";
    app.user(account).await;
    seed_failures(&app, account, "192.0.2.1", 96).await;

    let wrong = form(&[("email", account), ("password", WRONG)]);
    let first = burst(&app, "/inloggen", Auth::None, wrong, 40).await;
    assert_eq!(count(&first, StatusCode::UNAUTHORIZED), 4, "{first:?}");
    assert_eq!(count(&first, StatusCode::TOO_MANY_REQUESTS), 36, "{first:?}");
    assert_eq!(failures(&app, account).await, 100, "exactly the limit is stored");

    // Past the limit every attempt is refused, the right password too, and nothing is added.
    let right = form(&[("email", account), ("password", PASSWORD)]);
    let second = burst(&app, "/inloggen", Auth::None, right, 40).await;
    assert_eq!(count(&second, StatusCode::TOO_MANY_REQUESTS), 40, "{second:?}");
    assert_eq!(failures(&app, account).await, 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unknown_address_is_throttled_like_a_known_one() {
    let app = Arc::new(TestApp::new().await);
    let unknown = "niemand@test.example";
    seed_failures(&app, unknown, "192.0.2.1", 97).await;
    let attempt = form(&[("email", unknown), ("password", PASSWORD)]);
    let statuses = burst(&app, "/inloggen", Auth::None, attempt, 20).await;
    assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 3, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 17, "{statuses:?}");
    assert_eq!(failures(&app, unknown).await, 100);
}

#[tokio::test]
async fn one_client_address_is_throttled_across_accounts() {
    let app = TestApp::new().await;
    // 500 failures from this client (the in-process client's address is "local"), spread
    // over many unknown addresses.
    for i in 0..500 {
        app.db.record_login_failure(&format!("gok{i}@test.example"), "local").await.expect("seed");
    }
    app.user("echt@test.example").await;
    for (email, password) in [("nieuw@test.example", WRONG), ("echt@test.example", PASSWORD)] {
        let reply = app.post_form("/inloggen", &Auth::None, &form(&[("email", email), ("password", password)])).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{email}: {}", reply.body);
        assert!(reply.session_cookie().is_none());
    }
    assert_eq!(failures(&app, "nieuw@test.example").await, 0, "a refused attempt is not checked nor stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_current_password_check_is_throttled() {
    let app = Arc::new(TestApp::new().await);
    let account = "wisselaar@test.example";
    let user = app.user(account).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let new_password = "een heel ander wachtwoord voor later";

    // A wrong current password counts as a failed attempt.
    let wrong = form(&[("current", WRONG), ("password", new_password)]);
    assert_eq!(app.post_form("/account/wachtwoord", &cookie, &wrong).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(failures(&app, account).await, 1);

    seed_failures(&app, account, "192.0.2.1", 96).await;
    let statuses = burst(&app, "/account/wachtwoord", cookie.clone(), wrong, 20).await;
    assert_eq!(count(&statuses, StatusCode::BAD_REQUEST), 3, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 17, "{statuses:?}");
    assert_eq!(failures(&app, account).await, 100);

    // Now even the right current password is refused, and the password stays as it was.
    let right = form(&[("current", PASSWORD), ("password", new_password)]);
    let refused = app.post_form("/account/wachtwoord", &cookie, &right).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!(refused.body.contains("Te veel mislukte pogingen"));
    assert_eq!(app.db.user_by_id(user.id()).await.expect("user").password_hash, user.password_hash);
}

#[tokio::test]
async fn a_right_password_takes_its_attempt_back() {
    let app = TestApp::new().await;
    let account = "gewoon@test.example";
    app.user(account).await;
    let reply = app.post_form("/inloggen", &Auth::None, &form(&[("email", account), ("password", PASSWORD)])).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(failures(&app, account).await, 0);
}
