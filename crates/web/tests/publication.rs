//! The publication layer over HTTP: every figure a reader sees is a cell of the indicator's
//! stored publication, worked out whole (every level, working area and related period) and
//! audited; a write is followed by the new publication on the next read; one left due by a
//! crash is worked out by the background refresh; and nothing unaudited is shown meanwhile.
//! Runs on the backend that `REISGENOOT_TEST_DATABASE` names.

mod common;

use axum::http::StatusCode;
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
use domain::measure::Parts;
use serde_json::{Value, json};

async fn indicator(app: &TestApp, c: CollaborationId, code: &str) -> i64 {
    let input = IndicatorInput {
        code: code.into(),
        name: format!("Indicator {code}"),
        kind: "aantal".into(),
        factor: "1".into(),
        direction: "lager_beter".into(),
        perspective: "eindgebruiker".into(),
        period_type: "jaar".into(),
        ..Default::default()
    };
    app.db.create_indicator(&actor(), c, &IndicatorContent::parse(&input).expect("valid")).await.expect("indicator").id
}

async fn approve(app: &TestApp, c: CollaborationId, indicator: i64, period: &str, rows: &[(&str, f64)]) {
    let values: Vec<Measurement> = rows
        .iter()
        .map(|(area, n)| Measurement { area: domain::area::AreaCode::parse(area).expect("code"), period: period.into(), parts: Parts::count(*n) })
        .collect();
    app.db.save_measurements(&actor(), c, indicator, &values).await.expect("measurements");
    app.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Ingediend).await.expect("submit");
    app.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Goedgekeurd).await.expect("approve");
}

/// The value of a figure as JSON gives it, or none when withheld.
fn value(figure: &Value) -> Option<f64> {
    (figure["state"] == "value").then(|| figure["value"].as_f64().expect("a number"))
}

#[tokio::test]
async fn a_wijk_beside_all_but_one_of_its_buurten_does_not_give_the_secret_one_away() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let lezer = Auth::Token(app.token(&reader).await);
    // Wijk 01 of Utrecht is these three buurten, wijk 02 these two.
    app.classification(&["BU03440111", "BU03440112", "BU03440113", "BU03440211", "BU03440212"]).await;
    let count = indicator(&app, c, "THZ").await;
    // Wijk 01: 30 + 20 + 5 = 55. Per table, the buurten 30 and 20 were shown beside the secret
    // 5 (the table of buurten hid wijk 02's 15 instead), and the wijk as 55: 55 − 30 − 20 = 5.
    approve(&app, c, count, "2025", &[("BU03440111", 30.0), ("BU03440112", 20.0), ("BU03440113", 5.0), ("BU03440211", 15.0), ("BU03440212", 50.0)]).await;
    let api = format!("/api/v1/samenwerkingen/{c}/indicatoren/{count}");
    let wijken = app.get(&format!("{api}/gebieden?periode=2025&niveau=wijk"), &lezer).await;
    assert_eq!(wijken.status, StatusCode::OK, "{}", wijken.body);
    let buurten = app.get(&format!("{api}/gebieden?periode=2025&niveau=buurt"), &lezer).await.json();
    let of = |table: &Value, area: &str| -> Value {
        table["areas"].as_array().expect("areas").iter().find(|a| a["area"] == area).map(|a| a["value"].clone()).expect("the area")
    };
    let wijk = value(&of(&wijken.json(), "WK034401"));
    let trend = app.get(&format!("{api}/reeks?gebied=WK034401"), &lezer).await.json();
    assert_eq!(value(&trend[0]["value"]), wijk, "the trend shows the wijk as its table does");
    let parts: Vec<Option<f64>> = ["BU03440111", "BU03440112", "BU03440113"].iter().map(|b| value(&of(&buurten, b))).collect();
    assert_eq!(parts[2], None, "the 5 is secret");
    // A wijk shown beside all of its buurten but one would give that one as a difference.
    let withheld = parts.iter().filter(|p| p.is_none()).count();
    assert!(
        wijk.is_none() || withheld != 1,
        "the wijk {wijk:?} beside its buurten {parts:?}: {} minus the others is the secret buurt",
        wijk.unwrap_or_default()
    );
}

#[tokio::test]
async fn an_approval_over_http_is_followed_by_the_new_publication_on_the_next_read() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    app.classification(&["BU03440111", "BU03440112"]).await;
    let count = indicator(&app, c, "THZ").await;
    app.publish_due().await;
    // From here on nothing refreshes publications but the handlers themselves.
    app.hold_publications();
    let rows = [("BU03440111", 42.0), ("BU03440112", 31.0)];
    let values: Vec<Measurement> = rows
        .iter()
        .map(|(a, n)| Measurement { area: domain::area::AreaCode::parse(a).expect("code"), period: "2025".into(), parts: Parts::count(*n) })
        .collect();
    app.db.save_measurements(&actor(), c, count, &values).await.expect("measurements");
    app.db.move_measurements(&actor(), c, count, "2025", MeasurementStatus::Ingediend).await.expect("submit");
    let cookie = Auth::Cookie(app.session(&owner).await);
    let approved = app
        .send(
            axum::http::Method::POST,
            &format!("/samenwerkingen/{c}/indicatoren/{count}/metingen/status"),
            &cookie,
            Some(("application/x-www-form-urlencoded", "period=2025&status=goedgekeurd".into())),
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let lezer = Auth::Token(app.token(&reader).await);
    let totals = app.get(&format!("/api/v1/samenwerkingen/{c}/indicatoren/{count}/metingen"), &lezer).await.json();
    assert_eq!(totals, json!([{"period": "2025", "value": {"state": "value", "value": 75.0}, "target": null}]), "73 rounded to 75, at once");
    // A new working area is a cell of the publication the next read shows.
    let token = Auth::Token(app.token(&owner).await);
    let scopes = format!("/api/v1/samenwerkingen/{c}/werkgebieden");
    let created = app.json(axum::http::Method::POST, &scopes, &token, json!({"name": "Noord", "kind": "gebieden", "members": "BU03440111"}), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().expect("id");
    let figures = app.get(&format!("{scopes}/{id}/cijfers"), &lezer).await.json();
    assert_eq!(figures[0]["figures"][0]["figure"], json!({"state": "published", "value": {"state": "value", "value": 40.0}}));
}

#[tokio::test]
async fn a_publication_left_due_by_a_crash_is_worked_out_by_the_background_refresh() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    app.classification(&["BU03440111", "BU03440112"]).await;
    let count = indicator(&app, c, "THZ").await;
    approve(&app, c, count, "2024", &[("BU03440111", 42.0), ("BU03440112", 31.0)]).await;
    app.publish_due().await;
    app.hold_publications();
    // The write commits and the process stops before its refresh: the publication is due.
    approve(&app, c, count, "2025", &[("BU03440111", 50.0), ("BU03440112", 12.0)]).await;
    let (wanted, made) = app.db.publication_numbers(c, count).await.expect("read").expect("a row");
    assert!(made < wanted, "due: made {made}, wanted {wanted}");
    let lezer = Auth::Token(app.token(&reader).await);
    let path = format!("/api/v1/samenwerkingen/{c}/indicatoren/{count}/metingen");
    let before = app.get(&path, &lezer).await.json();
    assert_eq!(
        before,
        json!([
            {"period": "2024", "value": {"state": "value", "value": 75.0}, "target": null},
            {"period": "2025", "value": {"state": "updating"}, "target": null},
        ]),
        "the previous audited publication, and the new period being worked out"
    );
    // The server's background task at its next start finds it due and works it out.
    let background = tokio::spawn(web::publication::keep_up(app.state.clone()));
    let mut after = Value::Null;
    for _ in 0..100 {
        after = app.get(&path, &lezer).await.json();
        if after[1]["value"]["state"] == "value" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    background.abort();
    assert_eq!(after[1]["value"], json!({"state": "value", "value": 60.0}), "{after}");
    let (wanted, made) = app.db.publication_numbers(c, count).await.expect("read").expect("a row");
    assert_eq!(made, wanted);
}

use common::web;

#[tokio::test]
async fn readers_see_that_figures_are_being_updated_rather_than_an_unaudited_one() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    app.classification(&["BU03440111", "BU03440112"]).await;
    app.hold_publications();
    // Nothing has been worked out for this indicator yet.
    let count = indicator(&app, c, "THZ").await;
    approve(&app, c, count, "2025", &[("BU03440111", 42.0), ("BU03440112", 31.0)]).await;
    assert!(app.db.publication(c, count).await.expect("read").is_some_and(|p| p.body.is_none()), "nothing stored");
    let lezer = Auth::Token(app.token(&reader).await);
    let cookie = Auth::Cookie(app.session(&reader).await);
    let api = format!("/api/v1/samenwerkingen/{c}/indicatoren/{count}");
    let totals = app.get(&format!("{api}/metingen"), &lezer).await.json();
    assert_eq!(totals[0]["value"], json!({"state": "updating"}));
    let buurten = app.get(&format!("{api}/gebieden?periode=2025&niveau=buurt"), &lezer).await.json();
    assert!(buurten["areas"].as_array().expect("areas").iter().all(|a| a["value"] == json!({"state": "updating"})), "{buurten}");
    let card = app.get(&format!("/samenwerkingen/{c}/indicatoren/{count}"), &cookie).await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.body.contains("wordt bijgewerkt"), "the card says so");
    for figure in ["75", "40", "30"] {
        assert!(!card.body.contains(&format!(">{figure}<")), "no figure {figure} before it is audited");
    }
    let csv = String::from_utf8(app.get_bytes(&format!("/samenwerkingen/{c}/indicatoren/{count}/export.csv"), &cookie).await).expect("utf-8");
    assert!(csv.contains("wordt bijgewerkt") && !csv.contains(";75;") && !csv.contains(";40;"), "{csv}");
    // Once worked out, the figures are there.
    app.publish_due().await;
    let totals = app.get(&format!("{api}/metingen"), &lezer).await.json();
    assert_eq!(totals[0]["value"], json!({"state": "value", "value": 75.0}));
}
