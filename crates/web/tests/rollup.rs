//! Roll-ups over HTTP: an area's trend and every gemeente, wijk or buurt for one period, added up
//! by the database from approved measurements only, equal to the sums worked out by hand here,
//! with each gemeente counted from one level only and small numbers kept secret — also the
//! cell that the total and the other cells would give away. Runs on the backend that
//! `REISGENOOT_TEST_DATABASE` names, so CI runs it on SQLite and on PostgreSQL.

mod common;

use axum::http::StatusCode;
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, IndicatorInput, MeasurementStatus};
use serde_json::{Value, json};

async fn indicator(app: &TestApp, c: CollaborationId, code: &str, kind: &str, factor: &str) -> i64 {
    let input = IndicatorInput {
        code: code.into(),
        name: format!("Indicator {code}"),
        kind: kind.into(),
        factor: factor.into(),
        direction: "hoger_beter".into(),
        perspective: "eindgebruiker".into(),
        period_type: "jaar".into(),
        ..Default::default()
    };
    app.db.create_indicator(&actor(), c, &IndicatorContent::parse(&input).expect("valid")).await.expect("indicator").id
}

async fn approve(app: &TestApp, c: CollaborationId, indicator: i64, period: &str) {
    app.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Ingediend).await.expect("submit");
    app.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Goedgekeurd).await.expect("approve");
}

fn value(v: f64) -> Value {
    json!({"state": "value", "value": v})
}

/// A percentage as published: from the parts rounded to 5, with one decimal.
fn rate(numerator: f64, denominator: f64) -> Value {
    let round = |x: f64| (x / 5.0).round() * 5.0;
    value((round(numerator) / round(denominator) * 1000.0).round() / 10.0)
}

fn secret() -> Value {
    json!({"state": "secret"})
}

#[tokio::test]
async fn roll_ups_equal_the_hand_sums_and_keep_small_numbers_secret() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let token = Auth::Token(app.token(&owner).await);
    let lezer = Auth::Token(app.token(&reader).await);
    let reach = indicator(&app, c, "BER", "verhouding", "100").await;
    let count = indicator(&app, c, "THZ", "aantal", "1").await;

    // Utrecht (GM0344) only by buurt; Amsterdam (GM0363) by wijk, and one of its buurten as well,
    // which must not count twice; Groningen (GM0014) as a whole, and one of its buurten as well.
    let file = "indicator,gebied,periode,teller,noemer\n\
                BER,BU03440111,2023,99,100\n\
                BER,BU03440111,2024,20,110\n\
                BER,BU03440111,2025,30,120\n\
                BER,BU03440112,2025,45,130\n\
                BER,BU03440211,2025,10,50\n\
                BER,WK0363AD,2025,60,200\n\
                BER,BU0363AD01,2025,5,20\n\
                BER,GM0014,2025,40,90\n\
                BER,BU00140000,2025,3,10\n\
                THZ,BU03440111,2025,12,\n\
                THZ,BU03440112,2025,9,\n\
                THZ,BU03440211,2025,3,\n\
                THZ,BU0363AD01,2025,20,\n";
    let imported = app.post_bytes(&format!("/api/v1/samenwerkingen/{c}/metingen/import"), &token, "text/csv", file.as_bytes().to_vec()).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    // 2023 stays a draft: only approved values count.
    for period in ["2024", "2025"] {
        approve(&app, c, reach, period).await;
    }
    approve(&app, c, count, "2025").await;

    let get = |path: String, auth: Auth| {
        let app = &app;
        async move {
            let reply = app.get(&format!("/api/v1/samenwerkingen/{c}/indicatoren/{path}"), &auth).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
            reply.json()
        }
    };

    // Trends, as a percentage of the summed parts: never the mean of the buurten's percentages.
    let utrecht = get(format!("{reach}/reeks?gebied=GM0344"), lezer.clone()).await;
    assert_eq!(utrecht, json!([{"period": "2024", "value": rate(20.0, 110.0)}, {"period": "2025", "value": rate(85.0, 300.0)}]));
    let west = get(format!("{reach}/reeks?gebied=wk034401"), token.clone()).await;
    assert_eq!(west, json!([{"period": "2024", "value": rate(20.0, 110.0)}, {"period": "2025", "value": rate(75.0, 250.0)}]));
    let amsterdam = get(format!("{reach}/reeks?gebied=WK0363AD"), token.clone()).await;
    assert_eq!(amsterdam, json!([{"period": "2025", "value": rate(60.0, 200.0)}]), "the wijk, not also its buurt");
    let amsterdam = get(format!("{reach}/reeks?gebied=GM0363"), token.clone()).await;
    assert_eq!(amsterdam, json!([{"period": "2025", "value": secret()}]), "secret beside Groningen in the table of gemeenten below, so here too");
    let groningen = get(format!("{reach}/reeks?gebied=GM0014"), token.clone()).await;
    assert_eq!(groningen, json!([{"period": "2025", "value": secret()}]), "a denominator of 90 is below the minimum of 100");
    assert_eq!(get(format!("{reach}/reeks?gebied=GM0599"), token.clone()).await, json!([]));

    // Every gemeente in 2025: Groningen is secret, and Amsterdam too, the smaller of the two
    // shown, or Groningen's figure would follow from the total.
    let gemeenten = get(format!("{reach}/gebieden?periode=2025"), token.clone()).await;
    assert_eq!(
        gemeenten,
        json!({"period": "2025", "level": "gemeente", "total": rate(185.0, 590.0), "areas": [
            {"area": "GM0014", "name": "Groningen", "value": secret()},
            {"area": "GM0344", "name": "Utrecht", "value": rate(85.0, 300.0)},
            {"area": "GM0363", "name": "Amsterdam", "value": secret()},
        ]})
    );
    let wijken = get(format!("{reach}/gebieden?periode=2025&niveau=wijk"), token.clone()).await;
    let codes: Vec<&str> = wijken["areas"].as_array().expect("areas").iter().filter_map(|a| a["area"].as_str()).collect();
    assert_eq!(codes, ["WK001400", "WK034401", "WK034402", "WK0363AD"]);
    assert_eq!(wijken["total"], rate(148.0, 510.0), "Groningen's wijk from its buurt, Amsterdam's from itself");

    // Counts are rounded to five and 0–7 are secret; of the buurten, 3 is secret and so is 9,
    // which the total and the others would give away.
    let counts = get(format!("{count}/gebieden?periode=2025"), token.clone()).await;
    assert_eq!(counts["total"], value(45.0));
    assert_eq!(counts["areas"][0]["value"], value(25.0), "Utrecht: 12 + 9 + 3 = 24");
    assert_eq!(counts["areas"][1]["value"], value(20.0));
    let buurten = get(format!("{count}/gebieden?periode=2025&niveau=buurt"), token.clone()).await;
    let shown: Vec<(&str, &Value)> =
        buurten["areas"].as_array().expect("areas").iter().map(|a| (a["area"].as_str().unwrap_or_default(), &a["value"])).collect();
    assert_eq!(shown, [("BU03440111", &value(10.0)), ("BU03440112", &secret()), ("BU03440211", &secret()), ("BU0363AD01", &value(20.0))]);
    assert!(!buurten.to_string().contains("\"value\":3.0") && !buurten.to_string().contains("\"value\":9.0"));
    assert_eq!(get(format!("{count}/reeks?gebied=GM0344"), token.clone()).await, json!([{"period": "2025", "value": value(25.0)}]));

    // What every write kept up to date equals the summaries worked out again from scratch.
    let paths = [
        format!("{reach}/reeks?gebied=GM0344"),
        format!("{reach}/reeks?gebied=WK034401"),
        format!("{reach}/gebieden?periode=2025"),
        format!("{reach}/gebieden?periode=2025&niveau=wijk"),
        format!("{count}/gebieden?periode=2025&niveau=buurt"),
        format!("{reach}/metingen"),
    ];
    let mut kept = Vec::new();
    for path in &paths {
        kept.push(get(path.clone(), token.clone()).await);
    }
    let statuses = app.db.period_statuses(c, reach).await.expect("statuses");
    assert_eq!(
        statuses.iter().map(|(period, status, n, _)| (period.as_str(), *status, *n)).collect::<Vec<_>>(),
        [("2023", MeasurementStatus::Concept, 1), ("2024", MeasurementStatus::Goedgekeurd, 1), ("2025", MeasurementStatus::Goedgekeurd, 7),]
    );
    app.db.rebuild_summaries().await.expect("rebuild");
    for (path, before) in paths.iter().zip(&kept) {
        assert_eq!(&get(path.clone(), token.clone()).await, before, "{path}");
    }
    assert_eq!(app.db.period_statuses(c, reach).await.expect("statuses"), statuses);

    // Bad input is a problem, not an empty answer.
    for query in [
        format!("{reach}/reeks"),
        format!("{reach}/reeks?gebied=XX12"),
        format!("{reach}/gebieden?periode=2025-2026"),
        format!("{reach}/gebieden?periode=2025&niveau=land"),
    ] {
        let reply = app.get(&format!("/api/v1/samenwerkingen/{c}/indicatoren/{query}"), &token).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}: {}", reply.body);
        assert!(reply.header("content-type").starts_with("application/problem+json"), "{query}");
    }
}
