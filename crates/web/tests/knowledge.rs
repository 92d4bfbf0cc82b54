//! The journey, practice examples and the obstacles register over HTTP, on the test backend
//! (so the same assertions hold on SQLite and on PostgreSQL).

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, actor};
use domain::access::Role;
use serde_json::json;

fn places(reply: &common::Reply) -> Vec<String> {
    reply.json().as_array().expect("list").iter().map(|e| e["place"].as_str().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn steps_and_reflections_are_kept_per_collaboration() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let token = Auth::Token(app.token(&owner).await);
    let plan = app.get("/api/v1/reis", &token).await.json();
    assert_eq!(plan.as_array().expect("themes").len(), 9);
    let step = plan[1]["steps"][0][0].as_str().expect("a step of theme 2").to_string();

    let set = app
        .json(Method::PUT, &format!("/api/v1/samenwerkingen/{c}/reis/stappen/{step}"), &token, json!({"status": "gedaan", "note": "Lijst gemaakt"}), &[])
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let bad = app.json(Method::PUT, &format!("/api/v1/samenwerkingen/{c}/reis/stappen/{step}"), &token, json!({"status": "klaar"}), &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let progress = app.get(&format!("/api/v1/samenwerkingen/{c}/reis"), &token).await.json();
    assert_eq!(progress["themes"][1]["done"], 1);
    assert_eq!(progress["steps"][0]["status"], "gedaan");

    let question = plan[0]["questions"][0][0].as_str().expect("a question").to_string();
    let answered = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{c}/reis/reflecties"),
            &token,
            json!({"question_key": question, "answer": "We willen dat elk kind ergens bij hoort."}),
            &[],
        )
        .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    app.json(
        Method::POST,
        &format!("/api/v1/samenwerkingen/{c}/reis/reflecties"),
        &token,
        json!({"question_key": question, "answer": "Een jaar later: ook ouders doen mee."}),
        &[],
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/samenwerkingen/{c}/reis/reflecties"), &token).await.json().as_array().expect("answers").len(),
        2,
        "earlier answers are kept"
    );

    // The pages show the same, and a lezer reads without being able to change.
    let cookie = Auth::Cookie(app.session(&owner).await);
    let page = app.get(&format!("/samenwerkingen/{c}/reis/1"), &cookie).await;
    assert!(page.body.contains("We willen dat elk kind ergens bij hoort."));
    let form = app.post_form(&format!("/samenwerkingen/{c}/reis/2/stappen"), &cookie, &format!("status-{step}=bezig&note-{step}=Toch+nog+niet+af")).await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert_eq!(app.db.journey_progress(c).await.expect("progress")[0].status, domain::journey::StepStatus::Bezig);
    let reading = Auth::Cookie(app.session(&reader).await);
    let read = app.get(&format!("/samenwerkingen/{c}/reis/2"), &reading).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(!read.body.contains("/stappen\""), "no step form for a lezer");
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/reis/2/stappen"), &reading, "").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn examples_are_found_in_dutch_with_stemming_and_filters() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let token = Auth::Token(app.token(&owner).await);
    let search = |q: &str| format!("/api/v1/samenwerkingen/{c}/voorbeelden?q={}", q.replace(' ', "+"));

    let bosch = places(&app.get(&search("jongerenwerkers op school"), &token).await);
    assert!(bosch.first().is_some_and(|p| p.to_lowercase().contains("hertogenbosch")), "{bosch:?}");
    let funding = places(&app.get(&search("collectieve financiering"), &token).await);
    assert!(funding.iter().any(|p| p.contains("Tilburg")) && funding.iter().any(|p| p.contains("Leeuwarden")), "{funding:?}");

    let own = json!({"place": "Lindeveen", "title": "Samenwerking tussen bibliotheek en kinderopvang", "summary": "Voorlezen op de opvang, elke week.", "age_group": "12-", "themes": ["6"], "sectors": ["bibliotheek", "kinderopvang"]});
    let created = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/voorbeelden"), &token, own, &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let stemmed = places(&app.get(&search("samenwerkingen bibliotheken"), &token).await);
    assert_eq!(stemmed.first().map(String::as_str), Some("Lindeveen"), "plural finds singular: {stemmed:?}");

    let older = app.get(&format!("/api/v1/samenwerkingen/{c}/voorbeelden?leeftijd=12%2B"), &token).await.json();
    let groups: Vec<&str> = older.as_array().expect("list").iter().filter_map(|e| e["age_group"].as_str()).collect();
    assert!(!groups.is_empty() && groups.iter().all(|g| *g == "12+" || *g == "beide"), "{groups:?}");

    // A private example stays with its collaboration; a shared one is seen everywhere.
    let other = app.user("ander@test.example").await;
    let d = app.collaboration("Elders", &other).await;
    let other_token = Auth::Token(app.token(&other).await);
    let elsewhere = |q: &str| format!("/api/v1/samenwerkingen/{d}/voorbeelden?q={q}");
    assert!(!places(&app.get(&elsewhere("bibliotheek"), &other_token).await).contains(&"Lindeveen".to_string()));
    let shared = json!({"place": "Lindeveen", "title": "Gedeeld speelplein", "summary": "Een speelplein met de buurt.", "shared": true, "themes": ["2"]});
    app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/voorbeelden"), &token, shared, &[]).await;
    assert!(places(&app.get(&elsewhere("speelplein"), &other_token).await).contains(&"Lindeveen".to_string()));

    // The page finds the same as the API.
    let page = app.get(&format!("/samenwerkingen/{c}/voorbeelden?q=jongerenwerkers+op+school"), &Auth::Cookie(app.session(&owner).await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hertogenbosch"));
}

#[tokio::test]
async fn an_obstacle_is_raised_recognised_counted_and_answered() {
    let app = TestApp::new().await;
    let a_owner = app.user("a@test.example").await;
    let b_owner = app.user("b@test.example").await;
    let a = app.collaboration("Samen A", &a_owner).await;
    let b = app.collaboration("Samen B", &b_owner).await;
    let table = app.user("tafel@test.example").await;
    app.db.set_national_reader(&actor(), table.id(), true).await.expect("national");
    let a_token = Auth::Token(app.token(&a_owner).await);
    let b_token = Auth::Token(app.token(&b_owner).await);
    let table_token = Auth::Token(app.token(&table).await);

    let raised = app
        .json(Method::POST, &format!("/api/v1/samenwerkingen/{a}/knelpunten"), &a_token, json!({"category": "financiering", "title": "Schotten tussen budgetten", "description": "Onderwijs en jeugdhulp betalen elk een deel.", "effect": "Kinderen wachten op een passende plek."}), &[])
        .await;
    assert_eq!(raised.status, StatusCode::CREATED, "{}", raised.body);
    let id = raised.json()["id"].as_i64().expect("id");
    assert_eq!(
        app.json(Method::POST, &format!("/api/v1/samenwerkingen/{a}/knelpunten/{id}/herkenningen"), &a_token, json!({}), &[]).await.status,
        StatusCode::CONFLICT,
        "one's own obstacle is not recognised"
    );
    let recognised = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{b}/knelpunten/{id}/herkenningen"),
            &b_token,
            json!({"context": "Bij ons ook, vooral in het vo."}),
            &[],
        )
        .await;
    assert_eq!(recognised.status, StatusCode::OK);
    assert_eq!(recognised.json()["recognitions"][0][0], "Samen B");

    assert_eq!(app.get("/api/v1/landelijk/knelpunten", &a_token).await.status, StatusCode::FORBIDDEN);
    let national = app.get("/api/v1/landelijk/knelpunten", &table_token).await.json();
    assert_eq!(national[0]["recognitions"].as_array().expect("recognitions").len(), 1);
    let page = app.get("/landelijk", &Auth::Cookie(app.session(&table).await)).await;
    assert!(page.body.contains("financiering") && page.body.contains("Schotten tussen budgetten"));

    let answered = app
        .json(
            Method::PUT,
            &format!("/api/v1/landelijk/knelpunten/{id}/reactie"),
            &table_token,
            json!({"status": "geagendeerd", "response": "Op de agenda van het overleg in maart."}),
            &[],
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    // The collaboration that raised it sees the answer.
    let seen = app.get(&format!("/samenwerkingen/{a}/knelpunten/{id}"), &Auth::Cookie(app.session(&a_owner).await)).await;
    assert!(seen.body.contains("Op de agenda van het overleg in maart.") && seen.body.contains("geagendeerd"));
    let log = app.db.audit_for_collaboration(a.0, 50).await.expect("log");
    assert!(log.iter().any(|e| e.action == "obstacle.respond"));
}
