//! The legal map and the responsibility matrix over HTTP, on the test backend.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::partner::{NewPartner, PartnerInput};
use serde_json::json;

#[tokio::test]
async fn the_legal_map_answers_per_age_on_the_page_and_in_the_api() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let token = Auth::Token(app.token(&user).await);
    let sixteen = app.get("/api/v1/wettelijk-kader?leeftijd=16", &token).await.json();
    let names: Vec<&str> = sixteen["laws"].as_array().expect("laws").iter().filter_map(|l| l["name"].as_str()).collect();
    assert!(names.iter().any(|n| n.starts_with("Leerplichtwet")), "{names:?}");
    assert!(sixteen["laws"].as_array().expect("laws").iter().all(|l| !l["sources"].as_array().expect("sources").is_empty()), "every law carries its source");
    assert_eq!(app.get("/api/v1/wettelijk-kader?leeftijd=99", &token).await.status, StatusCode::BAD_REQUEST);
    let page = app.get("/wettelijk-kader?leeftijd=3", &Auth::Cookie(app.session(&user).await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<svg role=\"img\"") && page.body.contains("<title id=\"chart-title\">") && page.body.contains("<table"),
        "a chart with a title and the same facts as a table"
    );
    assert!(page.body.contains("Wet kinderopvang"));
}

#[tokio::test]
async fn the_matrix_marks_cells_names_gaps_and_never_overwrites_a_newer_mark() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let school = NewPartner::parse(&PartnerInput {
        name: "Basisschool".into(),
        sector: "primair_onderwijs".into(),
        ring: "binnenring".into(),
        description: String::new(),
    })
    .expect("valid");
    let school = app.db.create_partner(&actor(), c, &school).await.expect("partner");
    let cookie = Auth::Cookie(app.session(&owner).await);
    let path = format!("/samenwerkingen/{c}/verantwoordelijkheden");
    assert_eq!(app.post_form(&format!("{path}/onderwerpen"), &cookie, "common=true").await.status, StatusCode::SEE_OTHER);
    let topics = app.db.responsibility_topics(c).await.expect("topics");
    assert_eq!(topics.len(), domain::responsibility::COMMON_TOPICS.len());
    let (leerplicht, thuiszitters) = (topics[0].id, topics[4].id);
    let cell = |t: i64| format!("{t}-{}", school.id);

    let saved = app
        .post_form(&path, &cookie, &format!("was-{0}=&cell-{0}=verantwoordelijk&was-{1}=&cell-{1}=grijs_gebied", cell(leerplicht), cell(thuiszitters)))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // A form that still shows the old (empty) state is refused, and nothing changes.
    let stale = app.post_form(&path, &cookie, &format!("was-{0}=&cell-{0}=draagt_bij", cell(leerplicht))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Iemand anders heeft intussen een markering gewijzigd"));
    let token = Auth::Token(app.token(&owner).await);
    let matrix = app.get(&format!("/api/v1/samenwerkingen/{c}/verantwoordelijkheden"), &token).await.json();
    assert_eq!(matrix["topics"][0]["marks"], json!([[school.id.0, "verantwoordelijk"]]));
    assert!(matrix["grey"].as_array().expect("grey").contains(&json!(thuiszitters)));
    assert!(!matrix["without_responsible"].as_array().expect("gaps").contains(&json!(leerplicht)));

    let api = format!("/api/v1/samenwerkingen/{c}/verantwoordelijkheden");
    let stale_api =
        app.json(Method::PUT, &api, &token, json!({"cells": [{"topic": leerplicht, "partner": school.id.0, "was": "", "mark": "draagt_bij"}]}), &[]).await;
    assert_eq!(stale_api.status, StatusCode::CONFLICT);
    let ok = app
        .json(
            Method::PUT,
            &api,
            &token,
            json!({"cells": [{"topic": leerplicht, "partner": school.id.0, "was": "verantwoordelijk", "mark": "draagt_bij"}]}),
            &[],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.json()["without_responsible"].as_array().expect("gaps").contains(&json!(leerplicht)));

    // A cell of another collaboration's topic is refused.
    let other = app.user("ander@test.example").await;
    let d = app.collaboration("Elders", &other).await;
    app.db.add_responsibility_topics(&actor(), d, &["Elders".into()]).await.expect("topic");
    let foreign = app.db.responsibility_topics(d).await.expect("topics")[0].id;
    let refused =
        app.json(Method::PUT, &api, &token, json!({"cells": [{"topic": foreign, "partner": school.id.0, "was": "", "mark": "verantwoordelijk"}]}), &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    let reading = Auth::Cookie(app.session(&reader).await);
    let page = app.get(&path, &reading).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<select"), "a lezer reads the matrix");
    assert_eq!(app.post_form(&path, &reading, "").await.status, StatusCode::FORBIDDEN);
}
