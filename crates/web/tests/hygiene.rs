//! Text with a NUL or another control character is refused at the door, on both databases:
//! forms, JSON bodies, path segments and queries answer 400 or 404, never 500.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use serde_json::json;

#[tokio::test]
async fn a_nul_in_the_sign_in_e_mail_is_refused_with_400() {
    let app = TestApp::new().await;
    app.user("lid@test.example").await;
    let reply = app.post_form("/inloggen", &Auth::None, "email=lid%00%40test.example&password=x").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("niet is toegestaan"), "{}", reply.body);
    let bell = app.post_form("/inloggen", &Auth::None, "email=lid%07%40test.example&password=x").await;
    assert_eq!(bell.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_nul_in_a_partner_name_is_refused_on_the_page_and_in_the_api() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let page = app.post_form(&format!("/samenwerkingen/{c}/partners"), &cookie, "name=Op%00vang&sector=kinderopvang&ring=binnenring").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    assert!(page.body.contains("niet is toegestaan"), "{}", page.body);

    let token = Auth::Token(app.token(&user).await);
    let base = format!("/api/v1/samenwerkingen/{c}/partners");
    let api = app.json(Method::POST, &base, &token, json!({"name": "Op\u{0}vang", "sector": "kinderopvang", "ring": "binnenring"}), &[]).await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST, "{}", api.body);
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert_eq!(api.json()["invalidParams"][0]["name"], "name", "{}", api.body);
    assert_eq!(api.json()["invalidParams"][0]["code"], "err.control");
    assert!(app.db.partners(c).await.expect("partners").is_empty(), "nothing was stored");

    // Line breaks and tabs are text, not control characters to refuse.
    let fine = app.json(Method::POST, &base, &token, json!({"name": "Opvang\tNoord", "sector": "kinderopvang", "ring": "binnenring"}), &[]).await;
    assert_ne!(fine.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", fine.body);
}

#[tokio::test]
async fn a_nul_in_a_path_segment_or_a_query_never_answers_500() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let token = Auth::Token(app.token(&user).await);
    let survey = app.get("/vragenlijst/a%00b", &Auth::None).await;
    assert_eq!(survey.status, StatusCode::NOT_FOUND, "{}", survey.body);
    let posted = app.post_form("/vragenlijst/a%00b", &Auth::None, "sector=onderwijs").await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let api = app.get("/api/v1/samenwerkingen/1%00", &token).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.header("content-type"), "application/problem+json");
    let query = app.get(&format!("/samenwerkingen/{c}/zoeken?q=a%00b"), &cookie).await;
    assert_eq!(query.status, StatusCode::BAD_REQUEST, "{}", query.body);
}

/// A form that receives a control character is shown again with 400: what was typed is kept
/// (the character shown as U+FFFD, so one sees where it was), the field carries the Dutch
/// error, and nothing is stored. Every form below validates through the same path.
#[tokio::test]
async fn a_form_with_a_control_character_comes_back_with_the_values_and_the_field_marked() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let forms = [
        ("partners", "name=Op%00vang&sector=kinderopvang&ring=binnenring", "name", "Op\u{FFFD}vang"),
        ("personen", "name=Jan%07Jansen&email=jan%40test.example", "name", "Jan\u{FFFD}Jansen"),
        ("portefeuilles", "name=Jeugd%1Bzorg", "name", "Jeugd\u{FFFD}zorg"),
        ("knelpunten", "title=Wacht%00lijst&description=Lang", "title", "Wacht\u{FFFD}lijst"),
        ("programma/ambities", "title=Eerder%00samen&description=x", "title", "Eerder\u{FFFD}samen"),
        ("voorbeelden", "title=Brug%7Fklas&place=Zwolle&summary=x", "title", "Brug\u{FFFD}klas"),
        ("cycli", "period=2026&title=Eerste%00cyclus", "title", "Eerste\u{FFFD}cyclus"),
    ];
    for (path, form, field, kept) in forms {
        let before = app.db.audit_all().await.expect("audit").len();
        let reply = app.post_form(&format!("/samenwerkingen/{c}/{path}"), &cookie, form).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}: {}", reply.body);
        assert!(reply.body.contains(&format!("name=\"{field}\"")), "{path}: the form again");
        assert!(reply.body.contains(&format!("value=\"{kept}\"")), "{path}: the typed value kept: {}", reply.body);
        assert!(reply.body.contains("Dit veld bevat een teken dat niet is toegestaan"), "{path}: the field's error in Dutch");
        assert_eq!(app.db.audit_all().await.expect("audit").len(), before, "{path}: nothing was stored");
    }
    assert!(app.db.partners(c).await.expect("partners").is_empty());
}
