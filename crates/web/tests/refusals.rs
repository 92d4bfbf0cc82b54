//! What the audit log keeps of refused requests, sign-outs and anonymous answers, on both
//! databases: a foreign or unknown object (404), a missing role (403) and a cross-site post
//! each leave an entry; a flood leaves a bounded number and one count.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, web};
use domain::access::Role;
use domain::audit::Entry;
use std::time::Duration;

async fn refusals(app: &TestApp) -> Vec<Entry> {
    app.db.audit_all().await.expect("audit").into_iter().filter(|e| e.action == "request.refused").collect()
}

#[tokio::test]
async fn a_foreign_or_unknown_object_a_missing_role_and_a_cross_site_post_are_on_record() {
    let app = TestApp::new().await;
    let owner = app.user("a@test.example").await;
    let other = app.user("b@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let a = app.collaboration("A", &owner).await;
    let b = app.collaboration("B", &other).await;
    app.member(a, &reader, Role::Lezer).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let token = Auth::Token(app.token(&owner).await);

    assert_eq!(app.get(&format!("/samenwerkingen/{b}"), &cookie).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/samenwerkingen/{a}/partners/999999/bewerken"), &cookie).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/samenwerkingen/{b}/partners"), &token).await.status, StatusCode::NOT_FOUND);
    let lezer = Auth::Cookie(app.session(&reader).await);
    let form = "name=Opvang&sector=kinderopvang&ring=binnenring";
    assert_eq!(app.post_form(&format!("/samenwerkingen/{a}/partners"), &lezer, form).await.status, StatusCode::FORBIDDEN);
    let evil = [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")];
    let cross =
        app.send_with(Method::POST, &format!("/samenwerkingen/{a}/partners"), &cookie, Some(("application/x-www-form-urlencoded", form.into())), &evil).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);

    let seen: Vec<(String, String, String, Option<i64>)> =
        refusals(&app).await.into_iter().map(|e| (e.actor, e.object, e.result, e.collaboration_id)).collect();
    let expected = [
        ("a@test.example", format!("GET /samenwerkingen/{b}"), "404"),
        ("a@test.example", format!("GET /samenwerkingen/{a}/partners/999999/bewerken"), "404"),
        ("a@test.example", format!("GET /api/v1/samenwerkingen/{b}/partners"), "404"),
        ("lezer@test.example", format!("POST /samenwerkingen/{a}/partners"), "403"),
        ("onbekend", format!("POST /samenwerkingen/{a}/partners"), "cross_site"),
    ];
    let expected: Vec<(String, String, String, Option<i64>)> = expected.into_iter().map(|(a, o, r)| (a.to_string(), o, r.to_string(), None)).collect();
    assert_eq!(seen, expected);
    // B's own log, which its members read, shows nothing of A's probing.
    assert!(app.db.audit_for_collaboration(b.0, 100).await.expect("b's log").iter().all(|e| e.action != "request.refused"));
    // What is allowed leaves no refusal.
    assert_eq!(app.get(&format!("/samenwerkingen/{a}"), &cookie).await.status, StatusCode::OK);
    assert_eq!(refusals(&app).await.len(), 5);
    assert!(domain::audit::verify(&app.db.audit_all().await.expect("audit"), &Default::default()).is_empty(), "the chain holds");
}

#[tokio::test]
async fn a_flood_of_refusals_leaves_a_bounded_number_and_one_count() {
    let limits = web::refusals::Limits { per_client: 5, total: 50, window: Duration::from_millis(1500) };
    let app = TestApp::with_config(web::Config { trust_proxy: true, refusal_audit: limits, ..web::Config::default() }).await;
    let owner = app.user("a@test.example").await;
    let other = app.user("b@test.example").await;
    app.collaboration("A", &owner).await;
    let b = app.collaboration("B", &other).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let from = |ip: &'static str| [("x-forwarded-for", ip), ("origin", "http://reisgenoot.test"), ("sec-fetch-site", "same-origin")];
    for i in 0..40 {
        let reply = app.send_with(Method::GET, &format!("/samenwerkingen/{b}/partners/{i}/bewerken"), &cookie, None, &from("203.0.113.7")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    let logged = refusals(&app).await;
    assert_eq!(logged.len(), 5, "the first five of one client");
    assert!(logged.iter().all(|e| e.origin == "203.0.113.7"));
    // Another client is written meanwhile.
    app.send_with(Method::GET, &format!("/samenwerkingen/{b}"), &cookie, None, &from("198.51.100.1")).await;
    assert_eq!(refusals(&app).await.len(), 6);
    // Once the window has passed, the next refusal brings the count of the rest.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    app.send_with(Method::GET, &format!("/samenwerkingen/{b}"), &cookie, None, &from("203.0.113.7")).await;
    let logged = refusals(&app).await;
    assert_eq!(logged.len(), 8, "{logged:#?}");
    let count = &logged[6];
    assert_eq!((count.origin.as_str(), count.result.as_str()), ("203.0.113.7", "counted"));
    assert!(count.object.starts_with("35 "), "{}", count.object);
    assert_eq!(logged[7].result, "404");
}

#[tokio::test]
async fn sign_out_is_on_record() {
    let app = TestApp::new().await;
    let user = app.user("lid@test.example").await;
    let cookie = app.session(&user).await;
    let reply = app.post_form("/uitloggen", &Auth::Cookie(cookie.clone()), "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let entries = app.db.audit_all().await.expect("audit");
    let out: Vec<_> = entries.iter().filter(|e| e.action == "logout").collect();
    assert_eq!(out.len(), 1, "{entries:#?}");
    assert_eq!((out[0].actor.as_str(), out[0].object.as_str()), ("lid@test.example", "user:lid@test.example"));
    // The session is gone: signing out again with the same cookie records nothing more.
    app.post_form("/uitloggen", &Auth::Cookie(cookie), "").await;
    assert_eq!(app.db.audit_all().await.expect("audit").iter().filter(|e| e.action == "logout").count(), 1);
}

#[tokio::test]
async fn an_answer_through_a_link_is_logged_as_an_anonymous_form() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let form = "template=stem_ouders&title=Najaar&opens=2026-01-01&closes=2099-12-31&min_group=5&questions=o1&questions=o2";
    let created = app.post_form(&format!("/samenwerkingen/{c}/scans"), &cookie, form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let round: i64 = created.location().rsplit('/').next().and_then(|id| id.parse().ok()).expect("round id");
    let links = app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/links"), &cookie, "label=Ouders&reusable=true").await;
    assert_eq!(links.status, StatusCode::SEE_OTHER);
    let token = app.db.links(c, round).await.expect("links").remove(0).token;
    let page = app.post_form(&format!("/vragenlijst/{token}"), &Auth::None, "q-o1=3&q-o2=4").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let same_origin = [("sec-fetch-site", "same-origin")];
    let api = app.json(Method::POST, &format!("/api/v1/vragenlijst/{token}"), &Auth::None, serde_json::json!({"answers": {"o1": 2}}), &same_origin).await;
    assert_eq!(api.status, StatusCode::NO_CONTENT, "{}", api.body);
    let answers: Vec<Entry> = app.db.audit_all().await.expect("audit").into_iter().filter(|e| e.action == "scan.answer").collect();
    assert_eq!(answers.len(), 2);
    for e in answers {
        assert_eq!((e.origin.as_str(), e.actor.as_str(), e.collaboration_id), ("anoniem formulier", "respondent", Some(c.0)));
    }
}
