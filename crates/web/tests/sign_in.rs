//! Sign-in under attack: concurrent bursts against the throttle, unknown accounts, the
//! current-password check, API tokens that expire and are revoked, and what the instance
//! administrator sees of a collaboration.

mod common;

use axum::http::StatusCode;
use common::{Auth, PASSWORD, TestApp, web};
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

async fn token_row(app: &TestApp, id: i64) -> (i64, Option<i64>) {
    store::dispatch!(&app.db, |pool| sqlx::query_as("SELECT expires_at, last_used_at FROM api_tokens WHERE id = $1").bind(id).fetch_one(pool).await)
        .expect("token row")
}

fn near(actual: i64, expected: i64) -> bool {
    (actual - expected).abs() <= 10
}

#[tokio::test]
async fn a_token_lives_as_long_as_chosen_and_at_most_a_year() {
    let app = TestApp::new().await;
    let user = app.user("maker@test.example").await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let day = store::session::DAY;

    let made = app.post_form("/account/tokens", &cookie, "name=Rapportage&expires_in_days=30").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(made.body.contains("rg_"));
    let made = app.post_form("/account/tokens", &cookie, "name=Standaard&expires_in_days=").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    for bad in ["400", "0", "een+maand"] {
        let refused = app.post_form("/account/tokens", &cookie, &format!("name=Te+lang&expires_in_days={bad}")).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(refused.body.contains("1 tot en met 365 dagen"), "{bad}: {}", refused.body);
        assert!(refused.body.contains("value=\"Te lang\""), "the form is kept");
    }
    let tokens = app.db.api_tokens(user.id).await.expect("tokens");
    assert_eq!(tokens.len(), 2, "refused forms made no token");
    let now = store::now();
    assert!(near(tokens[0].expires_at, now + 30 * day) && near(tokens[1].expires_at, now + 90 * day), "{tokens:?}");
    let page = app.get("/account/tokens", &cookie).await;
    assert!(page.body.contains("Verloopt") && page.body.contains("Rapportage"), "{}", page.body);

    // The API: the same rules, the lifetime as a field, the list with expiry and last use.
    let api = Auth::Token(app.token(&user).await);
    let created = app.json(axum::http::Method::POST, "/api/v1/tokens", &api, serde_json::json!({"name": "Koppeling", "expires_in_days": 7}), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    assert!(body["secret"].as_str().expect("secret").starts_with("rg_"));
    assert!(near(body["expires_at"].as_i64().expect("expiry"), now + 7 * day));
    let default = app.json(axum::http::Method::POST, "/api/v1/tokens", &api, serde_json::json!({"name": "Zonder termijn"}), &[]).await.json();
    assert!(near(default["expires_at"].as_i64().expect("expiry"), now + 90 * day));
    let refused = app.json(axum::http::Method::POST, "/api/v1/tokens", &api, serde_json::json!({"name": "Lang", "expires_in_days": 366}), &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    assert_eq!(refused.json()["invalidParams"][0]["name"], "expires_in_days");
    let list = app.get("/api/v1/tokens", &api).await.json();
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 5);
    assert!(list.iter().all(|t| t["expires_at"].is_i64() && t["expired"] == false && t.get("last_used_at").is_some()));
    assert!(list.iter().any(|t| t["last_used_at"].is_i64()), "the token in use shows its last use");
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = TestApp::new().await;
    let user = app.user("oud@test.example").await;
    let secret = format!("{}{}", web::session::TOKEN_PREFIX, web::session::new_secret());
    let token = app.db.create_api_token_until(&common::actor(), user.id, "oud", &web::session::digest(&secret), store::now() + 60).await.expect("token");
    assert_eq!(app.get("/api/v1/samenwerkingen", &Auth::Token(secret.clone())).await.status, StatusCode::OK);
    store::dispatch!(&app.db, |pool| sqlx::query("UPDATE api_tokens SET expires_at = $1 WHERE id = $2")
        .bind(store::now())
        .bind(token.id)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("let it expire");
    let refused = app.get("/api/v1/samenwerkingen", &Auth::Token(secret)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    let cookie = Auth::Cookie(app.session(&user).await);
    assert!(app.get("/account/tokens", &cookie).await.body.contains("verlopen op"));
}

#[tokio::test]
async fn a_tokens_last_use_is_written_at_most_once_a_minute() {
    let app = TestApp::new().await;
    let user = app.user("gebruik@test.example").await;
    let secret = app.token(&user).await;
    let id = app.db.api_tokens(user.id).await.expect("tokens")[0].id;
    assert_eq!(token_row(&app, id).await.1, None);
    assert_eq!(app.get("/api/v1/samenwerkingen", &Auth::Token(secret.clone())).await.status, StatusCode::OK);
    assert!(near(token_row(&app, id).await.1.expect("recorded"), store::now()));
    let set_last_use = |at: i64| {
        let db = app.db.clone();
        async move {
            store::dispatch!(&db, |pool| sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(at).bind(id).execute(pool).await.map(|_| ()))
                .expect("set last use")
        }
    };
    let recent = store::now() - 30;
    set_last_use(recent).await;
    app.get("/api/v1/samenwerkingen", &Auth::Token(secret.clone())).await;
    assert_eq!(token_row(&app, id).await.1, Some(recent), "within the minute nothing is written");
    set_last_use(store::now() - 61).await;
    app.get("/api/v1/samenwerkingen", &Auth::Token(secret)).await;
    assert!(near(token_row(&app, id).await.1.expect("recorded"), store::now()));
}

#[tokio::test]
async fn a_new_password_or_a_disabled_account_revokes_every_token() {
    let app = TestApp::new().await;
    let ok = |reply: common::Reply| reply.status == StatusCode::OK;

    // Changing one's own password on the account page.
    let user = app.user("zelf@test.example").await;
    let tokens = [app.token(&user).await, app.token(&user).await];
    assert!(ok(app.get("/api/v1/samenwerkingen", &Auth::Token(tokens[0].clone())).await));
    let cookie = Auth::Cookie(app.session(&user).await);
    let changed = app.post_form("/account/wachtwoord", &cookie, &form(&[("current", PASSWORD), ("password", "een heel ander wachtwoord voor later")])).await;
    assert_eq!(changed.location(), "/inloggen", "{}", changed.body);
    for token in &tokens {
        assert_eq!(app.get("/api/v1/samenwerkingen", &Auth::Token(token.clone())).await.status, StatusCode::UNAUTHORIZED);
    }
    assert!(app.db.api_tokens(user.id).await.expect("tokens").is_empty());

    // `user passwd` and `user disable` go through the same store calls.
    let other = app.user("ander@test.example").await;
    let token = app.token(&other).await;
    app.db.set_password(&common::actor(), other.id(), &other.password_hash).await.expect("passwd");
    assert_eq!(app.get("/api/v1/samenwerkingen", &Auth::Token(token)).await.status, StatusCode::UNAUTHORIZED);
    let token = app.token(&other).await;
    app.db.set_disabled(&common::actor(), other.id(), true).await.expect("disable");
    assert_eq!(app.get("/api/v1/samenwerkingen", &Auth::Token(token)).await.status, StatusCode::UNAUTHORIZED);
    assert!(app.db.api_tokens(other.id).await.expect("tokens").is_empty());
}

#[tokio::test]
async fn the_administrator_sees_names_status_and_first_beheerder_but_no_members() {
    let app = TestApp::new().await;
    let (admin, _) = app.admin("beheer@test.example").await;
    let admin = Auth::Cookie(app.session(&admin).await);
    let first = app.user("eerste@a.example").await;
    let lid = app.user("verborgen-lid@a.example").await;
    let second = app.user("tweede-beheerder@a.example").await;
    let c = app.collaboration("Samen Alfa", &first).await;
    app.member(c, &lid, domain::access::Role::Lid).await;
    app.member(c, &second, domain::access::Role::Beheerder).await;

    let home = app.get(&format!("/?aangemaakt={c}"), &admin).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Samen Alfa") && home.body.contains("eerste@a.example"), "{}", home.body);
    assert!(!home.body.contains("verborgen-lid") && !home.body.contains("tweede-beheerder"), "no member list: {}", home.body);

    let list = app.get("/beheer/samenwerkingen", &admin).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Samen Alfa") && list.body.contains("eerste@a.example") && list.body.contains("verkenning"), "{}", list.body);
    assert!(!list.body.contains("verborgen-lid") && !list.body.contains("tweede-beheerder"), "{}", list.body);
    // And what the collaboration's own routes show stays closed to the administrator.
    assert_eq!(app.get(&format!("/samenwerkingen/{c}"), &admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/samenwerkingen/{c}/leden"), &admin).await.status, StatusCode::NOT_FOUND);
    // Nobody else gets the list.
    let member = Auth::Cookie(app.session(&first).await);
    assert_eq!(app.get("/beheer/samenwerkingen", &member).await.status, StatusCode::FORBIDDEN);
}

/// Moves a session's start and last use back by the given seconds.
async fn age_session(app: &TestApp, cookie: &str, started: i64, seen: i64) {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let hash = web::session::digest(cookie);
    store::dispatch!(&app.db, |pool| sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $2 WHERE id_hash = $3")
        .bind(now - started)
        .bind(now - seen)
        .bind(&hash)
        .execute(pool)
        .await
        .map(|_| ()))
    .expect("age the session");
}

#[tokio::test]
async fn a_session_ends_after_twelve_hours_however_busy() {
    let app = TestApp::new().await;
    let user = app.user("druk@test.example").await;
    let cookie = app.session(&user).await;
    let signed_in = |reply: &common::Reply| reply.status == StatusCode::OK;
    // Used a minute ago, started just under twelve hours ago: still signed in.
    age_session(&app, &cookie, web::session::ABSOLUTE_SECONDS - 60, 60).await;
    assert!(signed_in(&app.get("/", &Auth::Cookie(cookie.clone())).await));
    // Used a minute ago, started just over twelve hours ago: ended.
    age_session(&app, &cookie, web::session::ABSOLUTE_SECONDS + 60, 60).await;
    let reply = app.get("/", &Auth::Cookie(cookie.clone())).await;
    assert_eq!((reply.status.is_redirection(), reply.location()), (true, "/inloggen"));
    // Idle for more than half an hour ends it too.
    let idle = app.session(&user).await;
    age_session(&app, &idle, 3600, 31 * 60).await;
    assert_eq!(app.get("/", &Auth::Cookie(idle)).await.location(), "/inloggen");
}

#[tokio::test]
async fn a_password_change_ends_every_session_of_the_account() {
    let app = TestApp::new().await;
    let user = app.user("wissel@test.example").await;
    let (here, elsewhere) = (Auth::Cookie(app.session(&user).await), Auth::Cookie(app.session(&user).await));
    assert_eq!(app.get("/", &elsewhere).await.status, StatusCode::OK);
    let changed = app.post_form("/account/wachtwoord", &here, &form(&[("current", PASSWORD), ("password", "een heel ander wachtwoord voor later")])).await;
    assert_eq!(changed.location(), "/inloggen", "{}", changed.body);
    for session in [&here, &elsewhere] {
        assert_eq!(app.get("/", session).await.location(), "/inloggen", "the session on the other device ended too");
    }
    // As `user passwd` does it, through the store.
    let other = app.user("ander@test.example").await;
    let session = Auth::Cookie(app.session(&other).await);
    app.db.set_password(&common::actor(), other.id(), &other.password_hash).await.expect("passwd");
    assert_eq!(app.get("/", &session).await.location(), "/inloggen");
}

/// An unknown account is refused after the same password work as a wrong password for a known
/// one, so the answer's time does not tell which addresses have an account. The check compares
/// medians of a few sign-ins with a wide margin: a refusal without the password work is some
/// fifty times quicker.
#[tokio::test]
async fn an_unknown_account_takes_as_long_to_refuse_as_a_wrong_password() {
    let app = TestApp::new().await;
    app.user("bekend@test.example").await;
    async fn median(app: &TestApp, email: &str) -> std::time::Duration {
        let mut times = Vec::new();
        for _ in 0..5 {
            let started = std::time::Instant::now();
            let reply = app.post_form("/inloggen", &Auth::None, &form(&[("email", email), ("password", WRONG)])).await;
            times.push(started.elapsed());
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
        }
        times.sort();
        times[2]
    }
    median(&app, "warm@test.example").await;
    let (known, unknown) = (median(&app, "bekend@test.example").await, median(&app, "onbekend@test.example").await);
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!((0.33..3.0).contains(&ratio), "unknown {unknown:?} against known {known:?}");
}
