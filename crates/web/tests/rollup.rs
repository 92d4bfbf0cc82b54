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
    // A classification in which each wijk and gemeente below is measured whole (what is shown of
    // one measured in part: the next test).
    app.classification(&["BU03440111", "BU03440112", "BU03440211", "BU0363AD01", "BU00140000"]).await;
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
        app.approve(c, reach, period).await;
    }
    app.approve(c, count, "2025").await;

    let get = |path: String, auth: Auth| {
        let app = &app;
        async move {
            let reply = app.get(&format!("/api/v1/samenwerkingen/{c}/indicatoren/{path}"), &auth).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
            reply.json()
        }
    };

    // Trends, as a percentage of the summed parts: never the mean of the buurten's percentages.
    // In 2024 only one of wijk 01's two buurten was measured: no sum for the wijk or Utrecht.
    let utrecht = get(format!("{reach}/reeks?gebied=GM0344"), lezer.clone()).await;
    assert_eq!(utrecht, json!([{"period": "2024", "value": incomplete(0, 2)}, {"period": "2025", "value": rate(85.0, 300.0)}]));
    let west = get(format!("{reach}/reeks?gebied=wk034401"), token.clone()).await;
    // Utrecht (shown) is wijk 01 plus wijk 02, whose denominator of 50 is below the minimum:
    // beside Utrecht, wijk 01 would give wijk 02 away, so it is withheld too.
    assert_eq!(west, json!([{"period": "2024", "value": incomplete(1, 2)}, {"period": "2025", "value": secret()}]));
    let amsterdam = get(format!("{reach}/reeks?gebied=WK0363AD"), token.clone()).await;
    // The wijk is all of Amsterdam, which is secret beside Groningen (below): so is the wijk.
    assert_eq!(amsterdam, json!([{"period": "2025", "value": secret()}]), "the wijk is Amsterdam's figure");
    let amsterdam = get(format!("{reach}/reeks?gebied=GM0363"), token.clone()).await;
    assert_eq!(amsterdam, json!([{"period": "2025", "value": secret()}]), "secret beside Groningen in the table of gemeenten below, so here too");
    let groningen = get(format!("{reach}/reeks?gebied=GM0014"), token.clone()).await;
    assert_eq!(groningen, json!([{"period": "2025", "value": json!({"state": "denominator"})}]), "a denominator of 90 is below the minimum of 100");
    assert_eq!(get(format!("{reach}/reeks?gebied=GM0599"), token.clone()).await, json!([]));

    // Every gemeente in 2025: Groningen's denominator is too small, and Amsterdam is secret, the
    // smaller of the two shown, or Groningen's figure would follow from the total.
    let gemeenten = get(format!("{reach}/gebieden?periode=2025"), token.clone()).await;
    assert_eq!(
        gemeenten,
        json!({"period": "2025", "level": "gemeente", "total": rate(185.0, 590.0), "areas": [
            {"area": "GM0014", "name": "Groningen", "value": json!({"state": "denominator"})},
            {"area": "GM0344", "name": "Utrecht", "value": rate(85.0, 300.0)},
            {"area": "GM0363", "name": "Amsterdam", "value": secret()},
        ]})
    );
    let wijken = get(format!("{reach}/gebieden?periode=2025&niveau=wijk"), token.clone()).await;
    let codes: Vec<&str> = wijken["areas"].as_array().expect("areas").iter().filter_map(|a| a["area"].as_str()).collect();
    assert_eq!(codes, ["WK001400", "WK034401", "WK034402", "WK0363AD"]);
    assert_eq!(wijken["total"], rate(185.0, 590.0), "the collaboration's total");

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

fn incomplete(measured: usize, areas: usize) -> Value {
    json!({"state": "incomplete", "value": {"measured": measured, "areas": areas}})
}

/// Beek (GM0888) has two wijken: WK088800 with three buurten and WK088801 with five. In 2025 the
/// first wijk is measured itself and the second through all five buurten: every level adds up to
/// 888. In 2024 two buurten of the second wijk are missing: that wijk, Beek and the whole
/// collaboration say how much was measured instead of showing 855 as if it were the figure —
/// on the card, in the API and in the export.
#[tokio::test]
async fn mixed_levels_add_up_exactly_and_a_partly_measured_area_says_so() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Beek", &owner).await;
    let token = Auth::Token(app.token(&owner).await);
    let cookie = Auth::Cookie(app.session(&owner).await);
    let count = indicator(&app, c, "THZ", "aantal", "1").await;
    let reach = indicator(&app, c, "BER", "verhouding", "100").await;
    let mut file = String::from("indicator,gebied,periode,teller,noemer\n");
    for (period, area, n) in [
        ("2025", "WK088800", 625.0),
        ("2025", "BU08880100", 100.0),
        ("2025", "BU08880101", 80.0),
        ("2025", "BU08880102", 50.0),
        ("2025", "BU08880103", 30.0),
        ("2025", "BU08880109", 3.0),
        ("2024", "WK088800", 625.0),
        ("2024", "BU08880100", 100.0),
        ("2024", "BU08880101", 80.0),
        ("2024", "BU08880102", 50.0),
    ] {
        file.push_str(&format!("THZ,{area},{period},{n},\nBER,{area},{period},{n},{}\n", n * 10.0));
    }
    let imported = app.post_bytes(&format!("/api/v1/samenwerkingen/{c}/metingen/import"), &token, "text/csv", file.into_bytes()).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    for indicator in [count, reach] {
        for period in ["2024", "2025"] {
            app.approve(c, indicator, period).await;
        }
    }
    let get = |path: String| {
        let (app, token) = (&app, &token);
        async move {
            let reply = app.get(&format!("/api/v1/samenwerkingen/{c}/indicatoren/{path}"), token).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
            reply.json()
        }
    };

    // The totals per period: 888 rounded to 890, and in 2024 no sum at all.
    let totals = get(format!("{count}/metingen")).await;
    let values: Vec<&Value> = totals.as_array().expect("periods").iter().map(|p| &p["value"]).collect();
    assert_eq!(values, [&incomplete(0, 1), &value(890.0)], "{totals}");
    let ratio = get(format!("{reach}/metingen")).await;
    assert_eq!(ratio[1]["value"], value(10.0), "888 / 8,880 of the five buurten and the wijk together");
    assert_eq!(
        get(format!("{count}/reeks?gebied=GM0888")).await,
        json!([{"period": "2024", "value": incomplete(1, 2)}, {"period": "2025", "value": value(890.0)}])
    );
    assert_eq!(
        get(format!("{count}/reeks?gebied=WK088801")).await,
        json!([{"period": "2024", "value": incomplete(3, 5)}, {"period": "2025", "value": value(265.0)}]),
        "three of its five buurten"
    );
    assert_eq!(
        get(format!("{count}/reeks?gebied=WK088800")).await,
        json!([{"period": "2024", "value": value(625.0)}, {"period": "2025", "value": value(625.0)}])
    );
    let wijken = get(format!("{count}/gebieden?periode=2024&niveau=wijk")).await;
    assert_eq!(wijken["total"], incomplete(0, 1), "the collaboration's total: its one gemeente is measured in part");
    assert_eq!(wijken["areas"].as_array().expect("areas").iter().map(|a| &a["value"]).collect::<Vec<_>>(), [&value(625.0), &incomplete(3, 5)]);
    let gemeenten = get(format!("{count}/gebieden?periode=2025")).await;
    assert_eq!((&gemeenten["total"], &gemeenten["areas"][0]["value"]), (&value(890.0), &value(890.0)));
    assert!(!get(format!("{count}/metingen")).await.to_string().contains("855"), "never the partial sum");

    // The card: the trend table says it for 2024, and 2025's wijken are both there.
    let card = app.get(&format!("/samenwerkingen/{c}/indicatoren/{count}"), &cookie).await;
    assert_eq!(card.status, StatusCode::OK);
    assert!(card.body.contains("onvolledig: 0 van 1 gebieden gemeten"), "{}", card.body);
    assert!(card.body.contains(">890<"), "the 2025 total");
    assert!(card.body.contains("Wijk 00 Beek - Spaubeek (WK088800)") && card.body.contains("Wijk 01 Beek-Zuid (WK088801)"), "both wijken of 2025");
    assert!(!card.body.contains("855"));

    // The export: a text cell where a sum would be partial, the exact sums where they are whole.
    let csv = String::from_utf8(app.get_bytes(&format!("/samenwerkingen/{c}/indicatoren/{count}/export.csv"), &cookie).await).expect("utf-8");
    assert!(csv.contains("\"2024\";;\"Hele samenwerking\";\"onvolledig: 0 van 1 gebieden gemeten\""), "{csv}");
    assert!(csv.contains("\"2024\";\"WK088801\";\"Wijk 01 Beek-Zuid (WK088801)\";\"onvolledig: 3 van 5 gebieden gemeten\""), "{csv}");
    assert!(csv.contains("\"2025\";;\"Hele samenwerking\";890;"), "{csv}");
    assert!(csv.contains("\"2025\";\"WK088801\";\"Wijk 01 Beek-Zuid (WK088801)\";265;"), "{csv}");
    assert!(!csv.contains("855"));
    let api_csv = app.get(&format!("/api/v1/samenwerkingen/{c}/indicatoren/{count}/export?formaat=csv"), &token).await;
    assert!(api_csv.body.contains("onvolledig: 3 van 5 gebieden gemeten"), "{}", api_csv.body);
    let book = app.get_bytes(&format!("/samenwerkingen/{c}/indicatoren/{count}/export.xlsx"), &cookie).await;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(book)).expect("a workbook");
    use calamine::Reader;
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("reads");
    let cell = |period: &str, area: &str| {
        sheet
            .rows()
            .find(|r| r.first().map(|c| c.to_string()) == Some(period.into()) && r.get(1).map(|c| c.to_string()) == Some(area.into()))
            .and_then(|r| r.get(3).cloned())
    };
    assert_eq!(cell("2024", ""), Some(calamine::Data::String("onvolledig: 0 van 1 gebieden gemeten".into())), "a text cell, not a number");
    assert_eq!(cell("2024", "WK088800"), Some(calamine::Data::Float(625.0)));
    assert_eq!(cell("2024", "WK088801"), Some(calamine::Data::String("onvolledig: 3 van 5 gebieden gemeten".into())));
    assert_eq!(cell("2025", ""), Some(calamine::Data::Float(890.0)));

    // What the approvals kept equals a rebuild from scratch.
    let before = get(format!("{count}/gebieden?periode=2024&niveau=wijk")).await;
    app.db.rebuild_summaries().await.expect("rebuild");
    assert_eq!(get(format!("{count}/gebieden?periode=2024&niveau=wijk")).await, before);
}
