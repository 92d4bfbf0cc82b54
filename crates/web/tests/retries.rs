//! Safe retries of creating API requests (`Idempotency-Key`), on SQLite and PostgreSQL.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use serde_json::json;

fn partner(name: &str) -> serde_json::Value {
    json!({"name": name, "sector": "kinderopvang", "ring": "binnenring"})
}

/// An application with one user, their collaboration and API token.
async fn signed_in() -> (TestApp, store::user::User, domain::ids::CollaborationId, Auth) {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let token = Auth::Token(app.token(&user).await);
    (app, user, c, token)
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_first_result_and_writes_once() {
    let (app, _, c, token) = signed_in().await;
    let base = format!("/api/v1/samenwerkingen/{c}/partners");
    let key = [("idempotency-key", "8e03978e-40d5-43e8-bc93-6894a57f9324")];

    let first = app.json(Method::POST, &base, &token, partner("Opvang"), &key).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.header("idempotent-replayed"), "");
    let again = app.json(Method::POST, &base, &token, partner("Opvang"), &key).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("content-type"), first.header("content-type"));
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(app.db.partners(c).await.expect("partners").len(), 1, "the retry wrote nothing");

    // The same key with another body is refused and writes nothing.
    let other = app.json(Method::POST, &base, &token, partner("Bibliotheek"), &key).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other.body);
    assert_eq!(other.header("content-type"), "application/problem+json");
    assert_eq!(other.json()["status"], 422);
    assert!(other.json()["detail"].as_str().unwrap_or_default().contains("Idempotency-Key"));
    // So is the same key on another creating path.
    let elsewhere = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/voorbeelden"), &token, json!({"title": "x"}), &key).await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", elsewhere.body);
    assert_eq!(app.db.partners(c).await.expect("partners").len(), 1);

    // Without a key every request is a new one, as before.
    for _ in 0..2 {
        assert_eq!(app.json(Method::POST, &base, &token, partner("Consultatiebureau"), &[]).await.status, StatusCode::CREATED);
    }
    assert_eq!(app.db.partners(c).await.expect("partners").len(), 3);
}

#[tokio::test]
async fn keys_belong_to_their_user() {
    let app = TestApp::new().await;
    let ann = app.user("ann@test.example").await;
    let bob = app.user("bob@test.example").await;
    let c = app.collaboration("Samen", &ann).await;
    app.member(c, &bob, domain::access::Role::Lid).await;
    let base = format!("/api/v1/samenwerkingen/{c}/partners");
    let key = [("idempotency-key", "gedeelde-sleutel")];

    let by_ann = app.json(Method::POST, &base, &Auth::Token(app.token(&ann).await), partner("Opvang"), &key).await;
    let by_bob = app.json(Method::POST, &base, &Auth::Token(app.token(&bob).await), partner("Opvang"), &key).await;
    assert_eq!(by_ann.status, StatusCode::CREATED, "{}", by_ann.body);
    assert_eq!(by_bob.status, StatusCode::CREATED, "{}", by_bob.body);
    assert_eq!(by_bob.header("idempotent-replayed"), "");
    assert_ne!(by_ann.json()["id"], by_bob.json()["id"]);
    assert_eq!(app.db.partners(c).await.expect("partners").len(), 2);
}

#[tokio::test]
async fn a_failed_request_gives_its_key_up_and_bad_keys_are_refused() {
    let (app, _, c, token) = signed_in().await;
    let base = format!("/api/v1/samenwerkingen/{c}/partners");
    let key = [("idempotency-key", "\"poging-1\"")];

    let bad = app.json(Method::POST, &base, &token, json!({"name": "", "sector": "bakker", "ring": "midden"}), &key).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let fixed = app.json(Method::POST, &base, &token, partner("Opvang"), &key).await;
    assert_eq!(fixed.status, StatusCode::CREATED, "a request that wrote nothing keeps no key: {}", fixed.body);

    let long = "k".repeat(256);
    for bad_key in ["", "met spatie", long.as_str()] {
        let reply = app.json(Method::POST, &base, &token, partner("Nog een"), &[("idempotency-key", bad_key)]).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad_key:?}");
        assert_eq!(reply.json()["invalidParams"][0]["name"], "Idempotency-Key");
    }
    assert_eq!(app.db.partners(c).await.expect("partners").len(), 1);
}

#[tokio::test]
async fn a_duplicate_while_the_first_runs_answers_409() {
    let (app, user, c, token) = signed_in().await;
    let path = format!("/api/v1/samenwerkingen/{c}/partners");
    let body = partner("Opvang").to_string();

    // A request with this key that has claimed it and not finished (as on another instance).
    let hash = common::web::api::idempotency::digest(&Method::POST, &path, "application/json", body.as_bytes());
    let claim = store::idempotency::Request { user_id: user.id, key: "bezig", request: &format!("POST {path}"), hash: &hash };
    assert_eq!(app.db.claim_idempotency_key(&claim, store::now()).await.expect("claim"), store::idempotency::Claim::New);
    let duplicate = app.send_with(Method::POST, &path, &token, Some(("application/json", body.clone())), &[("idempotency-key", "bezig")]).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT, "{}", duplicate.body);
    assert_eq!(duplicate.header("content-type"), "application/problem+json");
    assert!(app.db.partners(c).await.expect("partners").is_empty());

    // Truly concurrent duplicates: one writes, the others get its answer or 409.
    let sends = (0..6).map(|_| app.send_with(Method::POST, &path, &token, Some(("application/json", body.clone())), &[("idempotency-key", "samen")]));
    let replies = futures_join_all(sends).await;
    let created: Vec<_> = replies.iter().filter(|r| r.status == StatusCode::CREATED).collect();
    assert!(!created.is_empty());
    assert!(created.iter().all(|r| r.body == created[0].body));
    assert!(
        replies.iter().all(|r| r.status == StatusCode::CREATED || r.status == StatusCode::CONFLICT),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(app.db.partners(c).await.expect("partners").len(), 1, "one write for six sends");
}

async fn futures_join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out = Vec::new();
    // Polled together: each send runs on the same task, interleaving at every await.
    let joined = std::future::poll_fn(|cx| {
        let mut done = true;
        for (i, f) in set.iter_mut().enumerate() {
            if out.len() <= i {
                out.push(None);
            }
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    });
    joined.await;
    out.into_iter().flatten().collect()
}

#[tokio::test]
async fn the_openapi_document_declares_the_header_on_creating_operations() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json", &Auth::None).await.json();
    let create = &doc["paths"]["/samenwerkingen/{id}/partners"]["post"];
    let names: Vec<&str> = create["parameters"].as_array().expect("parameters").iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(names.contains(&"Idempotency-Key"), "{names:?}");
    assert!(create["responses"]["422"].is_object() && create["responses"]["409"].is_object());
    assert!(create["responses"]["201"]["headers"]["Idempotent-Replayed"].is_object());
    assert!(doc["paths"]["/samenwerkingen/{id}/partners"]["get"]["parameters"].as_array().is_none_or(|p| p.iter().all(|p| p["name"] != "Idempotency-Key")));
}
