//! The execution programme over HTTP, on the test backend: ambitions, goals and activities
//! made through the forms, a status change with its progress note, the overdue flag, the
//! timeline as a drawing and a table, the API, stale saves, and collaborations kept apart.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::partner::{NewPartner, PartnerInput};
use domain::person::{NewPerson, PersonInput};
use serde_json::json;

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace('%', "%25").replace('&', "%26").replace('+', "%2B").replace('\n', "%0A").replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&")
}

/// The id at the end of a redirect, before any `#fragment`.
fn id_in(location: &str, after: &str) -> i64 {
    let rest = location.split(after).nth(1).unwrap_or_else(|| panic!("{after} not in {location}"));
    rest.trim_start_matches('-').trim_start_matches('/').split(['/', '#']).next().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no id in {location}"))
}

#[tokio::test]
async fn a_programme_grows_from_ambition_to_activity_and_tracks_progress_and_overdue_work() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let partner = NewPartner::parse(&PartnerInput {
        name: "Kinderopvang Zon".into(),
        sector: "kinderopvang".into(),
        ring: "binnenring".into(),
        description: String::new(),
    })
    .expect("valid");
    let partner = app.db.create_partner(&actor(), c, &partner).await.expect("partner").id.0;
    let person = app.db.create_person(&actor(), c, &NewPerson::parse(&PersonInput { name: "Joke Trekker".into(), ..Default::default() }).expect("valid")).await;
    let person = person.expect("person").id.0;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let lezer = Auth::Cookie(app.session(&reader).await);
    let base = format!("/samenwerkingen/{c}/programma");

    let empty = app.get(&base, &cookie).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Er staat nog geen ambitie in het programma"));
    assert!(empty.body.contains(&format!("href=\"{base}\" aria-current=\"page\"")), "the navigation marks Programma");

    // An empty form is refused per field; a full one is saved.
    let refused = app.post_form(&format!("{base}/ambities"), &cookie, "").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Vul dit veld in."));
    let ambition = app
        .post_form(&format!("{base}/ambities"), &cookie, &form(&[("title", "Elk kind een goede start"), ("description", "Samen vanaf de zwangerschap.")]))
        .await;
    assert_eq!(ambition.status, StatusCode::SEE_OTHER);
    let ambition = id_in(ambition.location(), "#ambitie");
    let goal = app
        .post_form(
            &format!("{base}/ambities/{ambition}/doelen"),
            &cookie,
            &form(&[("title", "Warme overdracht voor alle peuters"), ("measure", "90% met overdracht"), ("target_date", "2027-07-31")]),
        )
        .await;
    assert_eq!(goal.status, StatusCode::SEE_OTHER, "{}", goal.body);
    let goal = id_in(goal.location(), "#doel");

    let bad_period = app
        .post_form(&format!("{base}/doelen/{goal}/activiteiten"), &cookie, &form(&[("title", "Overdracht"), ("starts", "2026-09-01"), ("ends", "2026-08-01")]))
        .await;
    assert_eq!(bad_period.status, StatusCode::BAD_REQUEST);
    assert!(bad_period.body.contains("De einddatum ligt voor de ingangsdatum."));
    let activity = app
        .post_form(
            &format!("{base}/doelen/{goal}/activiteiten"),
            &cookie,
            &form(&[
                ("title", "Overdrachtsformulier invoeren"),
                ("starts", "2020-01-01"),
                ("ends", "2020-06-30"),
                ("steps_taken", "Formulier gekozen\nPilot op twee locaties"),
                ("steps_planned", "Alle locaties"),
                ("partners", &partner.to_string()),
                ("results", "Elke leerkracht krijgt de overdracht voor de eerste schooldag."),
                ("trekker", &person.to_string()),
                ("monitoring", "Elk kwartaal het aandeel overdrachten."),
                ("finances", "Uit het budget voor voorschoolse educatie."),
            ]),
        )
        .await;
    assert_eq!(activity.status, StatusCode::SEE_OTHER, "{}", activity.body);
    let activity = id_in(activity.location(), "/activiteiten");
    let later = app
        .post_form(
            &format!("{base}/doelen/{goal}/activiteiten"),
            &cookie,
            &form(&[("title", "Scholing voor leerkrachten"), ("starts", "2026-01-01"), ("ends", "2099-12-31")]),
        )
        .await;
    assert_eq!(later.status, StatusCode::SEE_OTHER);

    // Past its end date and still planned: over time on the programme, the activity and the timeline.
    let programme = app.get(&base, &lezer).await;
    assert_eq!(programme.status, StatusCode::OK);
    assert!(programme.body.contains("Elk kind een goede start") && programme.body.contains("Warme overdracht voor alle peuters"));
    assert_eq!(programme.body.matches("<span class=\"rg-flag\">over tijd</span>").count(), 1, "only the activity that ended");
    assert!(!programme.body.contains("Nieuwe ambitie"), "a lezer is not offered changes");
    let page = app.get(&format!("{base}/activiteiten/{activity}"), &lezer).await;
    assert!(page.body.contains("Pilot op twee locaties") && page.body.contains("Joke Trekker") && page.body.contains("Kinderopvang Zon"));
    assert!(page.body.contains("Uit het budget voor voorschoolse educatie.") && page.body.contains("over tijd"));
    assert!(!page.body.contains("Status wijzigen"));
    let timeline = app.get(&format!("{base}/tijdlijn"), &lezer).await;
    assert_eq!(timeline.status, StatusCode::OK);
    assert!(timeline.body.contains("<svg class=\"rg-gantt\" role=\"img\" aria-labelledby=\"timeline-title timeline-desc\""));
    assert!(timeline.body.contains("<title id=\"timeline-title\">") && timeline.body.contains("<desc id=\"timeline-desc\">"));
    assert_eq!(timeline.body.matches("class=\"rg-gantt__bar ").count(), 2, "one bar per activity");
    assert_eq!(timeline.body.matches("rg-gantt__bar--overdue\"/>").count(), 1);
    assert!(timeline.body.contains("class=\"rg-gantt__today\""));
    assert!(timeline.body.contains("<table") && timeline.body.contains("30 juni 2020") && timeline.body.contains("Scholing voor leerkrachten"));
    assert!(timeline.body.contains("tabindex=\"0\" role=\"region\" aria-label=\"Activiteiten met hun looptijd en status\""));

    // Finished, with a note: no longer over time; notes newest first; a stale status form changes nothing.
    let version = app.db.activity(c, activity).await.expect("activity").version;
    let done = app
        .post_form(
            &format!("{base}/activiteiten/{activity}/status"),
            &cookie,
            &form(&[("status", "afgerond"), ("note", "Alle locaties werken ermee."), ("version", &version.to_string())]),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let stale =
        app.post_form(&format!("{base}/activiteiten/{activity}/status"), &cookie, &form(&[("status", "gestopt"), ("version", &version.to_string())])).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Iemand anders"), "{}", stale.body);
    assert_eq!(app.post_form(&format!("{base}/activiteiten/{activity}/voortgang"), &cookie, "text=").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.post_form(&format!("{base}/activiteiten/{activity}/voortgang"), &cookie, &form(&[("text", "Evaluatie gepland met de scholen.")])).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.post_form(&format!("{base}/activiteiten/{activity}/voortgang"), &lezer, "text=x").await.status, StatusCode::FORBIDDEN);
    let page = app.get(&format!("{base}/activiteiten/{activity}"), &cookie).await;
    let (newer, older) =
        (page.body.find("Evaluatie gepland met de scholen.").expect("note"), page.body.find("Alle locaties werken ermee.").expect("status note"));
    assert!(newer < older, "newest first");
    assert!(page.body.contains("regisseur@test.example"), "who wrote it");
    assert!(!page.body.contains("<span class=\"rg-flag\">over tijd</span>"));
    assert_eq!(app.db.activity(c, activity).await.expect("activity").content.status, domain::programme::ActivityStatus::Afgerond);
    let audit = app.db.audit_for_collaboration(c.0, 200).await.expect("audit");
    for action in ["ambition.create", "goal.create", "activity.create", "activity.status", "activity.note"] {
        assert!(audit.iter().any(|e| e.action == action), "{action} is in the audit log");
    }

    // Editing keeps the status, and a stale edit is refused.
    let edit = app.get(&format!("{base}/activiteiten/{activity}/bewerken"), &cookie).await;
    assert!(edit.body.contains("Formulier gekozen\nPilot op twee locaties"), "steps one per line");
    let version = app.db.activity(c, activity).await.expect("activity").version;
    let fields = |v: i64| form(&[("title", "Overdrachtsformulier overal"), ("starts", "2020-01-01"), ("ends", "2020-06-30"), ("version", &v.to_string())]);
    assert_eq!(app.post_form(&format!("{base}/activiteiten/{activity}/bewerken"), &cookie, &fields(version)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&format!("{base}/activiteiten/{activity}/bewerken"), &cookie, &fields(version)).await.status, StatusCode::CONFLICT);
    let saved = app.db.activity(c, activity).await.expect("activity");
    assert_eq!((saved.content.title.as_str(), saved.content.status), ("Overdrachtsformulier overal", domain::programme::ActivityStatus::Afgerond));
}

#[tokio::test]
async fn the_api_builds_and_lists_the_programme_and_refuses_stale_and_foreign_changes() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let other = app.user("elders@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let elsewhere = app.collaboration("Elders", &other).await;
    let token = Auth::Token(app.token(&owner).await);
    let foreign = Auth::Token(app.token(&other).await);
    let api = format!("/api/v1/samenwerkingen/{c}/programma");
    let foreign_partner =
        NewPartner::parse(&PartnerInput { name: "Elders".into(), sector: "mbo".into(), ring: "binnenring".into(), description: String::new() }).expect("valid");
    let foreign_partner = app.db.create_partner(&actor(), elsewhere, &foreign_partner).await.expect("partner").id.0;

    let empty = app.json(Method::POST, &format!("{api}/ambities"), &token, json!({}), &[]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert_eq!(empty.json()["invalidParams"][0]["name"], "title");
    let ambition = app.json(Method::POST, &format!("{api}/ambities"), &token, json!({"title": "Thuiszitten voorkomen"}), &[]).await;
    assert_eq!(ambition.status, StatusCode::CREATED, "{}", ambition.body);
    let ambition = ambition.json()["id"].as_i64().expect("id");
    let goal = app
        .json(
            Method::POST,
            &format!("{api}/ambities/{ambition}/doelen"),
            &token,
            json!({"title": "Binnen drie weken een plek", "measure": "Doorlooptijd"}),
            &[],
        )
        .await;
    assert_eq!(goal.status, StatusCode::CREATED, "{}", goal.body);
    let goal = goal.json()["id"].as_i64().expect("id");
    let body = json!({"title": "Snel overleg bij verzuim", "starts": "2026-02-01", "ends": "2026-03-31", "status": "lopend",
                      "steps_taken": ["Casusoverleg ingericht"], "steps_planned": ["Evalueren\nBijstellen"]});
    let created = app.json(Method::POST, &format!("{api}/doelen/{goal}/activiteiten"), &token, body.clone(), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let activity = created.json()["id"].as_i64().expect("id");
    assert_eq!(created.json()["content"]["steps_planned"], json!(["Evalueren", "Bijstellen"]));

    let list = app.get(&api, &token).await;
    assert_eq!(list.status, StatusCode::OK);
    let tree = list.json();
    let listed = &tree[0]["goals"][0]["activities"][0];
    assert_eq!((listed["id"].as_i64(), listed["overdue"].as_bool()), (Some(activity), Some(true)), "ended in March and still under way");

    // Status with a note; a stale If-Match changes nothing; none at all is 428.
    let path = format!("{api}/activiteiten/{activity}");
    let shown = app.get(&path, &token).await;
    let etag = shown.header("etag").to_string();
    assert_eq!(etag, "\"1\"");
    let status = app.json(Method::PUT, &format!("{path}/status"), &token, json!({"status": "afgerond", "note": "Klaar."}), &[("if-match", &etag)]).await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.body);
    assert_eq!((status.json()["overdue"].as_bool(), status.json()["notes"][0]["text"].as_str()), (Some(false), Some("Klaar.")));
    let stale = app.json(Method::PUT, &path, &token, body.clone(), &[("if-match", &etag)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(app.json(Method::PUT, &path, &token, body.clone(), &[]).await.status, StatusCode::PRECONDITION_REQUIRED);
    let note = app.json(Method::POST, &format!("{path}/voortgang"), &token, json!({"text": "Nagesprek met ouders."}), &[]).await;
    assert_eq!(note.status, StatusCode::CREATED);
    assert_eq!(app.get(&path, &token).await.json()["notes"].as_array().map(Vec::len), Some(2));

    // Another collaboration's partner cannot carry it; an outsider sees none of it.
    let mut with_foreign = body.clone();
    with_foreign["partners"] = json!([foreign_partner.to_string()]);
    let refused = app.json(Method::POST, &format!("{api}/doelen/{goal}/activiteiten"), &token, with_foreign, &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.json()["invalidParams"][0]["code"], "err.not_in_collaboration");
    assert_eq!(app.get(&api, &foreign).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&path, &foreign).await.status, StatusCode::NOT_FOUND);
    // Through its own collaboration the other beheerder cannot reach A's objects either.
    let theirs = format!("/api/v1/samenwerkingen/{elsewhere}/programma");
    assert_eq!(app.get(&format!("{theirs}/activiteiten/{activity}"), &foreign).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.json(Method::POST, &format!("{theirs}/ambities/{ambition}/doelen"), &foreign, json!({"title": "Overnemen"}), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.json(Method::POST, &format!("{theirs}/doelen/{goal}/activiteiten"), &foreign, body, &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.json(Method::POST, &format!("{theirs}/activiteiten/{activity}/voortgang"), &foreign, json!({"text": "x"}), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&theirs, &foreign).await.json(), json!([]));
    assert!(app.db.progress_notes(elsewhere, None).await.expect("notes").is_empty());
}

#[tokio::test]
async fn a_goal_shows_its_indicators_from_the_three_perspectives_side_by_side() {
    use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
    use domain::programme::{AmbitionContent, AmbitionInput, GoalContent, GoalInput};
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let other = app.collaboration("Elders", &owner).await;
    let ambition = AmbitionContent::parse(&AmbitionInput { title: "Jongeren in beeld".into(), ..Default::default() }).expect("valid");
    let ambition = app.db.create_ambition(&actor(), c, &ambition).await.expect("ambition").id;
    let goal = GoalContent::parse(&GoalInput { title: "Een plan binnen zes weken".into(), ..Default::default() }).expect("valid");
    let goal = app.db.create_goal(&actor(), c, ambition, &goal).await.expect("goal").id;
    let indicator = |code: &str, perspective: &str, goal: i64| IndicatorInput {
        code: code.into(),
        name: format!("Indicator {code}"),
        kind: "aantal".into(),
        direction: "lager_beter".into(),
        perspective: perspective.into(),
        period_type: "jaar".into(),
        goal: goal.to_string(),
        ..Default::default()
    };
    let child = IndicatorContent::parse(&indicator("THZ", "eindgebruiker", goal)).expect("valid");
    let child = app.db.create_indicator(&actor(), c, &child).await.expect("indicator").id;
    let network = IndicatorContent::parse(&indicator("MDO", "netwerk", goal)).expect("valid");
    app.db.create_indicator(&actor(), c, &network).await.expect("indicator");
    // A goal of another collaboration cannot be followed.
    let foreign = IndicatorContent::parse(&indicator("ELD", "netwerk", goal)).expect("valid");
    assert!(matches!(app.db.create_indicator(&actor(), other, &foreign).await, Err(store::StoreError::Reference("goal"))));
    let m = Measurement { area: domain::area::AreaCode::parse("GM0344").expect("code"), period: "2025".into(), parts: domain::measure::Parts::count(13.0) };
    app.db.save_measurements(&actor(), c, child, &[m]).await.expect("saved");
    for next in [MeasurementStatus::Ingediend, MeasurementStatus::Goedgekeurd] {
        app.db.move_measurements(&actor(), c, child, "2025", next).await.expect("moved");
    }

    let page = app.get(&format!("/samenwerkingen/{c}/programma"), &Auth::Cookie(app.session(&owner).await)).await;
    assert_eq!(page.status, StatusCode::OK);
    let block = page.body.split("rg-perspectives").nth(1).expect("the three perspectives");
    let columns: Vec<&str> = block.split("<section class=\"rg-perspective\">").skip(1).collect();
    assert_eq!(columns.len(), 3, "{block}");
    assert!(columns[0].contains("kind en ouder") && columns[0].contains("THZ Indicator THZ</a>: 15 (2025)"), "13 published as 15: {}", columns[0]);
    assert!(columns[1].contains("organisatie") && columns[1].contains("Nog geen indicator vanuit dit perspectief"));
    assert!(columns[2].contains("netwerk") && columns[2].contains("MDO Indicator MDO</a>: —"));
    assert!(!page.body.contains(">13<") && !page.body.contains(": 13 "), "never the raw count");
    // The card of each indicator shows the same three columns, under the goal it follows.
    let card = app.get(&format!("/samenwerkingen/{c}/indicatoren/{child}"), &Auth::Cookie(app.session(&owner).await)).await;
    assert!(card.body.contains("Het doel vanuit drie perspectieven") && card.body.contains(&format!("programma#doel-{goal}\">Een plan binnen zes weken")));
    assert_eq!(card.body.matches("<section class=\"rg-perspective\">").count(), 3);
}
