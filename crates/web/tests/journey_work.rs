//! The travel plan sees the work: steps whose work exists in the product count as done with a
//! link to it, a hand mark overrides, and the overview says what to do next; the menu follows
//! the guide's five stages.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, actor};
use domain::partner::{NewPartner, PartnerInput};

async fn partner(app: &TestApp, c: domain::ids::CollaborationId, name: &str, sector: &str, ring: &str) {
    let new = NewPartner::parse(&PartnerInput { name: name.into(), sector: sector.into(), ring: ring.into(), description: String::new() }).expect("valid");
    app.db.create_partner(&actor(), c, &new).await.expect("partner");
}

#[tokio::test]
async fn partners_in_place_mark_their_steps_done_with_a_link_and_a_hand_mark_overrides() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let token = Auth::Token(app.token(&user).await);

    let overview = app.get(&format!("/samenwerkingen/{c}"), &cookie).await;
    assert!(overview.body.contains("Volgende stap") && overview.body.contains("Organiseer een eerste bijeenkomst"), "{}", overview.body);
    let plan = app.get(&format!("/samenwerkingen/{c}/reis"), &cookie).await;
    assert!(plan.body.contains("<strong>Samen:</strong> 0 van"), "{}", plan.body);

    partner(&app, c, "Opvang", "kinderopvang", "binnenring").await;
    partner(&app, c, "Bibliotheek", "bibliotheek", "buitenring").await;
    let theme = app.get(&format!("/samenwerkingen/{c}/reis/2"), &cookie).await;
    assert!(
        theme.body.contains("Het werk staat in Reisgenoot.") && theme.body.contains(&format!("href=\"/samenwerkingen/{c}/partners\">Bekijken")),
        "{}",
        theme.body
    );
    assert!(theme.body.contains("<option value=\"volgens_werk\" selected>Gedaan (volgens het werk)"), "{}", theme.body);
    let plan = app.get(&format!("/samenwerkingen/{c}/reis"), &cookie).await;
    assert!(!plan.body.contains("<strong>Samen:</strong> 0 van"), "the partners count: {}", plan.body);
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/reis"), &token).await.json();
    let ringen = api["steps"].as_array().expect("steps").iter().find(|s| s["step"] == "t2-ringen").expect("seen").clone();
    assert_eq!(ringen["status"], "gedaan");
    assert_eq!(ringen["by_hand"], false);
    assert_eq!(ringen["work"], format!("/samenwerkingen/{c}/partners"));
    assert_eq!(api["themes"][1]["done"].as_u64().expect("done"), 3, "{api}");

    // A hand mark overrides what the work shows, and "volgens het werk" takes it away again.
    let saved = app.post_form(&format!("/samenwerkingen/{c}/reis/2/stappen"), &cookie, "status-t2-ringen=bezig&note-t2-ringen=nog+een+ronde").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/reis"), &token).await.json();
    let ringen = api["steps"].as_array().expect("steps").iter().find(|s| s["step"] == "t2-ringen").expect("marked").clone();
    assert_eq!((ringen["status"].as_str(), ringen["by_hand"].as_bool()), (Some("bezig"), Some(true)));
    let theme = app.get(&format!("/samenwerkingen/{c}/reis/2"), &cookie).await;
    assert!(theme.body.contains("<option value=\"bezig\" selected>"), "{}", theme.body);
    app.post_form(&format!("/samenwerkingen/{c}/reis/2/stappen"), &cookie, "status-t2-ringen=volgens_werk").await;
    assert!(app.db.journey_progress(c).await.expect("progress").is_empty(), "the hand mark is gone");
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/reis"), &token).await.json();
    let ringen = api["steps"].as_array().expect("steps").iter().find(|s| s["step"] == "t2-ringen").expect("seen").clone();
    assert_eq!((ringen["status"].as_str(), ringen["by_hand"].as_bool()), (Some("gedaan"), Some(false)));
    // A hand mark through the API too.
    let put = app
        .json(Method::PUT, &format!("/api/v1/samenwerkingen/{c}/reis/stappen/t2-partners"), &token, serde_json::json!({"status": "niet_van_toepassing"}), &[])
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(put.json()["work"], format!("/samenwerkingen/{c}/partners"));
}

#[tokio::test]
async fn the_menu_follows_the_five_stages_and_opens_the_current_one() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let page = app.get(&format!("/samenwerkingen/{c}/partners"), &cookie).await;
    assert_eq!(page.body.matches("<details class=\"rg-navgroup\"").count(), 5, "{}", page.body);
    assert_eq!(page.body.matches("<details class=\"rg-navgroup\" open>").count(), 1);
    let open = &page.body[page.body.find("<details class=\"rg-navgroup\" open>").expect("open")..];
    assert!(open.starts_with("<details class=\"rg-navgroup\" open>\n        <summary>Reisgezelschap</summary>"), "{open}");
    for label in ["Reisplan", "Voorbereiding", "Onderweg", "Reflecteren"] {
        assert!(page.body.contains(&format!("<summary>{label}</summary>")), "{label}");
    }
}

/// A learning cycle linked to a meeting lists that meeting's decisions without retyping them.
#[tokio::test]
async fn a_cycle_lists_the_decisions_of_its_meeting() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let body = domain::body::BodyInput { name: "Stuurgroep".into(), level: "bestuurlijk".into(), kind: "stuurgroep".into(), ..Default::default() };
    let body = app.db.create_body(&actor(), c, &domain::body::BodyContent::parse(&body).expect("valid")).await.expect("body");
    let item = |title: &str, outcome: &str, result: &str| domain::meeting::AgendaItemInput {
        title: title.into(),
        outcome: outcome.into(),
        result: result.into(),
        ..Default::default()
    };
    let meeting = domain::meeting::MeetingInput {
        body: body.id.to_string(),
        date: "2026-03-12".into(),
        items: vec![
            item("Mededelingen", "informatie", "De wethouder is er niet."),
            item("Voorleesprogramma", "besluit", "We breiden het voorlezen uit naar de peuteropvang."),
            item("Evaluatie", "besluit", ""),
        ],
        ..Default::default()
    };
    let meeting = app.db.create_meetings(&actor(), c, &[domain::meeting::MeetingContent::parse(&meeting).expect("valid")]).await.expect("meeting")[0].id;
    let cycle = domain::cycle::CycleContent { period: "2026-H1".into(), title: "Eerste helft".into(), meeting: Some(meeting), ..Default::default() };
    let cycle = app.db.create_cycle(&actor(), c, &cycle).await.expect("cycle").id;
    let page = app.get(&format!("/samenwerkingen/{c}/cycli/{cycle}"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Besluiten uit de vergadering van") && page.body.contains("We breiden het voorlezen uit naar de peuteropvang."),
        "{}",
        page.body
    );
    assert!(!page.body.contains("De wethouder is er niet.") && !page.body.contains("Nog geen besluiten."), "{}", page.body);
}
