//! Working areas: a collaboration's own sets of areas or partner locations, overlapping and
//! across gemeenten, whose figures add up the parts of their areas — each area once — and are
//! kept secret when, beside a gemeente's published figure, they would give away a small part.
//! Runs on the backend that `REISGENOOT_TEST_DATABASE` names.

mod common;

use axum::http::{Method, StatusCode};
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
        perspective: "netwerk".into(),
        period_type: "jaar".into(),
        ..Default::default()
    };
    app.db.create_indicator(&actor(), c, &IndicatorContent::parse(&input).expect("valid")).await.expect("indicator").id
}

fn figures_of(reply: &Value, indicator: i64) -> Vec<(String, Value)> {
    let entry = reply.as_array().expect("list").iter().find(|i| i["indicator"] == json!(indicator)).expect("indicator");
    entry["figures"].as_array().expect("figures").iter().map(|f| (f["period"].as_str().unwrap_or_default().to_string(), f["figure"].clone())).collect()
}

fn shown(v: f64) -> Value {
    json!({"state": "published", "value": {"state": "value", "value": v}})
}

#[tokio::test]
async fn working_areas_add_up_their_areas_once_and_never_give_away_what_they_leave_out() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    // Utrecht made of these three buurten and Amsterdam of these two wijken, so that each is
    // measured whole.
    app.classification(&["BU03440111", "BU03440112", "BU03440211", "WK0363AD", "WK0363AE"]).await;
    app.member(c, &reader, Role::Lezer).await;
    let token = Auth::Token(app.token(&owner).await);
    let lezer = Auth::Token(app.token(&reader).await);
    let count = indicator(&app, c, "THZ", "aantal", "1").await;
    let reach = indicator(&app, c, "BER", "verhouding", "100").await;

    // Utrecht (GM0344) by buurt in two wijken; Amsterdam (GM0363) by wijk.
    let file = "indicator,gebied,periode,teller,noemer\n\
                THZ,BU03440111,2025,30,\n\
                THZ,BU03440112,2025,12,\n\
                THZ,BU03440211,2025,4,\n\
                THZ,WK0363AD,2025,40,\n\
                THZ,WK0363AE,2025,15,\n\
                THZ,BU03440111,2024,20,\n\
                BER,BU03440111,2025,50,400\n\
                BER,BU03440211,2025,20,300\n";
    let imported = app.post_bytes(&format!("/api/v1/samenwerkingen/{c}/metingen/import"), &token, "text/csv", file.as_bytes().to_vec()).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    for (indicator, period) in [(count, "2025"), (count, "2024"), (reach, "2025")] {
        app.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Ingediend).await.expect("submit");
        app.db.move_measurements(&actor(), c, indicator, period, MeasurementStatus::Goedgekeurd).await.expect("approve");
    }

    let base = format!("/api/v1/samenwerkingen/{c}/werkgebieden");
    let create = |body: Value, auth: Auth| {
        let (app, base) = (&app, base.clone());
        async move { app.json(Method::POST, &base, &auth, body, &[]).await }
    };
    // A reader may look but not define.
    let refused = create(json!({"name": "Noord", "kind": "gebieden", "members": "WK034401"}), lezer.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Utrecht's wijk 01 with one of its own buurten named again, and all of Amsterdam.
    let north = create(json!({"name": "Noord en Amsterdam", "kind": "gebieden", "members": "WK034401\nbu03440111\nGM0363"}), token.clone()).await;
    assert_eq!(north.status, StatusCode::CREATED, "{}", north.body);
    let north = north.json()["id"].as_i64().expect("id");
    let figures = app.get(&format!("{base}/{north}/cijfers"), &lezer).await;
    assert_eq!(figures.status, StatusCode::OK, "{}", figures.body);
    let figures = figures.json();
    // 30 + 12 (the buurt counted once) + 40 + 15 = 97, rounded to 95. Utrecht's rest is wijk
    // 02 with 4, secret; wijk 01 is withheld beside it, so 95 minus Amsterdam's 55 puts wijk 01
    // between 36 and 44, and Utrecht's 45 minus that leaves wijk 02 anywhere from 0 to 11: the
    // audit finds it protected, and 95 is shown. In 2024 wijk 01 had only one of its two
    // buurten measured, and Amsterdam nothing: neither has a figure.
    assert_eq!(
        figures_of(&figures, count),
        [("2024".to_string(), json!({"state": "incomplete", "value": {"measured": 0, "areas": 2}})), ("2025".into(), shown(95.0))]
    );
    // Amsterdam measured no ratio, and wijk 01 only one of its buurten: a sum would look whole
    // and not be.
    assert_eq!(figures_of(&figures, reach), [("2025".to_string(), json!({"state": "incomplete", "value": {"measured": 0, "areas": 2}}))]);

    // Both of Utrecht's wijken leave nothing out: their sum is Utrecht's own figure, shown as
    // Utrecht is, which tells nothing new.
    let wijken = create(json!({"name": "Utrechtse wijken", "kind": "gebieden", "members": "WK034401\nWK034402"}), token.clone()).await;
    let wijken = wijken.json()["id"].as_i64().expect("id");
    let figures = app.get(&format!("{base}/{wijken}/cijfers"), &token).await.json();
    assert_eq!(figures_of(&figures, count)[1], ("2025".to_string(), shown(45.0)));
    // Utrecht as a whole is shown as the gemeente table shows it, or withheld where the audit
    // chose this working area to protect another cell, naming the areas it lies in.
    let utrecht = create(json!({"name": "Utrecht", "kind": "gebieden", "members": "GM0344"}), token.clone()).await;
    let utrecht = utrecht.json()["id"].as_i64().expect("id");
    let figures = app.get(&format!("{base}/{utrecht}/cijfers"), &token).await.json();
    // In 2024 only one buurt of wijk 01 was measured: Utrecht has no figure then.
    let whole = figures_of(&figures, count);
    assert_eq!(whole[0], ("2024".to_string(), json!({"state": "incomplete", "value": {"measured": 0, "areas": 1}})));
    assert!(whole[1].1 == shown(45.0) || (whole[1].1["state"] == "too_close" && whole[1].1["value"]["with"][0] == "Utrecht (GM0344)"), "{whole:?}");
    assert_eq!(figures_of(&figures, reach), [("2025".to_string(), json!({"state": "incomplete", "value": {"measured": 0, "areas": 1}}))]);

    // Two locations of one kindcentrum in the same buurt count that buurt once; the rest of
    // Utrecht (12 + 4 = 16) may be shown, so 30 is shown as 30.
    let centre =
        create(json!({"name": "Kindcentrum De Boog", "kind": "locaties", "members": "De Boog; BU03440111\nDe Boog, dependance; BU03440111"}), token.clone())
            .await;
    assert_eq!(centre.status, StatusCode::CREATED, "{}", centre.body);
    let centre = centre.json()["id"].as_i64().expect("id");
    let figures = app.get(&format!("{base}/{centre}/cijfers"), &token).await.json();
    assert_eq!(figures_of(&figures, count), [("2024".to_string(), shown(20.0)), ("2025".into(), shown(30.0))]);

    // Bad input: a code outside the classification, a location without its name, a taken name.
    for (body, status) in [
        (json!({"name": "Elders", "kind": "gebieden", "members": "GM9999"}), StatusCode::BAD_REQUEST),
        (json!({"name": "Zonder naam", "kind": "locaties", "members": "BU03440111"}), StatusCode::BAD_REQUEST),
        (json!({"name": "Utrecht", "kind": "gebieden", "members": "GM0344"}), StatusCode::CONFLICT),
        (json!({}), StatusCode::BAD_REQUEST),
    ] {
        let reply = create(body.clone(), token.clone()).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
    }

    // Editing needs the version it was read at.
    let read = app.get(&format!("{base}/{utrecht}"), &token).await;
    let etag = read.header("etag").to_string();
    let change = json!({"name": "Utrecht heel", "kind": "gebieden", "members": "GM0344"});
    let stale = app.json(Method::PUT, &format!("{base}/{utrecht}"), &token, change.clone(), &[("if-match", "\"99\"")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let saved = app.json(Method::PUT, &format!("{base}/{utrecht}"), &token, change, &[("if-match", &etag)]).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // The page shows the same figures, and the list names every working area.
    let lezer = Auth::Cookie(app.session(&reader).await);
    let page = app.get(&format!("/samenwerkingen/{c}/werkgebieden/{north}"), &lezer).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("onvolledig: 0 van 2 gebieden gemeten") && page.body.contains("Amsterdam"), "{}", page.body);
    let list = app.get(&format!("/samenwerkingen/{c}/werkgebieden"), &lezer).await;
    assert!(list.body.contains("Noord en Amsterdam") && list.body.contains("Kindcentrum De Boog") && !list.body.contains("/verwijderen"));

    // The form refuses what the API refuses, and keeps what was typed.
    let session = Auth::Cookie(app.session(&owner).await);
    let form = app.post_form(&format!("/samenwerkingen/{c}/werkgebieden"), &session, "name=Elders&kind=gebieden&members=GM9999").await;
    assert_eq!(form.status, StatusCode::BAD_REQUEST);
    assert!(form.body.contains("GM9999") && form.body.contains("komt niet voor"), "{}", form.body);
    let form = app.post_form(&format!("/samenwerkingen/{c}/werkgebieden"), &session, "name=Zuid&kind=gebieden&members=WK034402").await;
    assert_eq!(form.status, StatusCode::SEE_OTHER, "{}", form.body);

    // Deleting asks first on the page; the API deletes at once for a beheerder.
    let ask = app.get(&format!("/samenwerkingen/{c}/werkgebieden/{centre}/verwijderen"), &session).await;
    assert!(ask.status == StatusCode::OK && ask.body.contains("Kindcentrum De Boog"));
    let lezer = Auth::Token(app.token(&reader).await);
    assert_eq!(app.send(Method::DELETE, &format!("{base}/{centre}"), &lezer, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(Method::DELETE, &format!("{base}/{centre}"), &token, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("{base}/{centre}"), &token).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_working_area_of_a_wijks_shown_buurten_does_not_give_its_secret_buurt_away() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let token = Auth::Token(app.token(&owner).await);
    let lezer = Auth::Token(app.token(&reader).await);
    let count = indicator(&app, c, "THZ", "aantal", "1").await;
    // Wijken made of these buurten, so that each is measured whole.
    app.classification(&["BU03440111", "BU03440112", "BU03440113", "BU03440211", "BU03440212"]).await;
    // Wijk 01: 30 + 20 + 5 = 55; the 5 is secret, and the table of buurten hides wijk 02's 15
    // beside it, so 30 and 20 are shown on their own and the wijk as 55.
    let file = "indicator,gebied,periode,teller,noemer\n\
                THZ,BU03440111,2025,30,\n\
                THZ,BU03440112,2025,20,\n\
                THZ,BU03440113,2025,5,\n\
                THZ,BU03440211,2025,15,\n\
                THZ,BU03440212,2025,50,\n";
    let imported = app.post_bytes(&format!("/api/v1/samenwerkingen/{c}/metingen/import"), &token, "text/csv", file.as_bytes().to_vec()).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    app.db.move_measurements(&actor(), c, count, "2025", MeasurementStatus::Ingediend).await.expect("submit");
    app.db.move_measurements(&actor(), c, count, "2025", MeasurementStatus::Goedgekeurd).await.expect("approve");
    let base = format!("/api/v1/samenwerkingen/{c}/werkgebieden");
    let shown_buurten =
        app.json(Method::POST, &base, &token, json!({"name": "Welgelegen en Oog in Al", "kind": "gebieden", "members": "BU03440111\nBU03440112"}), &[]).await;
    assert_eq!(shown_buurten.status, StatusCode::CREATED, "{}", shown_buurten.body);
    let id = shown_buurten.json()["id"].as_i64().expect("id");
    let wijk = app.get(&format!("/api/v1/samenwerkingen/{c}/indicatoren/{count}/reeks?gebied=WK034401"), &lezer).await.json();
    assert_eq!(wijk, json!([{"period": "2025", "value": {"state": "value", "value": 55.0}}]), "the wijk is shown");
    // 55 minus the working area would be the secret 5: the working area is withheld, or what
    // its rounded figure and the wijk's leave of the secret buurt is as wide as protection asks
    // (each rounded figure v stands for v − 2 … v + 2).
    let figures = app.get(&format!("{base}/{id}/cijfers"), &lezer).await.json();
    let rules = domain::measure::Rules::default();
    match &figures_of(&figures, count)[..] {
        [(period, figure)] if period == "2025" && figure["state"] == "published" && figure["value"]["state"] == "value" => {
            let (wijk, area) = (
                domain::disclosure::rounding_interval(55.0, &rules),
                domain::disclosure::rounding_interval(figure["value"]["value"].as_f64().expect("a number"), &rules),
            );
            let (low, high) = ((wijk.0 - area.1).max(0.0), wijk.1 - area.0);
            assert!(domain::disclosure::protected(low, high, &rules), "the secret buurt lies in {low} … {high}");
        }
        [(period, figure)] => assert!(period == "2025" && figure["state"] == "too_close", "{figure}"),
        other => panic!("{other:?}"),
    }
    // One buurt alone: the buurt's own figure, or withheld where beside the first working area
    // it would narrow the others (the one it lies in and its wijk named).
    let one = app.json(Method::POST, &base, &token, json!({"name": "Welgelegen", "kind": "gebieden", "members": "BU03440111"}), &[]).await;
    let one = one.json()["id"].as_i64().expect("id");
    let figures = app.get(&format!("{base}/{one}/cijfers"), &lezer).await.json();
    let alone = figures_of(&figures, count);
    assert!(
        alone == [("2025".to_string(), shown(30.0))]
            || (alone[0].1["state"] == "too_close" && alone[0].1["value"]["with"].as_array().is_some_and(|w| w.contains(&json!("Wijk 01 West (WK034401)")))),
        "{alone:?}"
    );
    let page = app.get(&format!("/samenwerkingen/{c}/werkgebieden/{one}"), &Auth::Cookie(app.session(&reader).await)).await;
    assert_eq!(page.status, StatusCode::OK);
    let expected =
        if alone[0].1["state"] == "too_close" { "niet te publiceren: te klein verschil met Utrecht (GM0344), Wijk 01 West (WK034401)" } else { ">30<" };
    assert!(page.body.contains(expected), "the page shows {expected}");
    // The secret buurt alone is merely small: it says so, and names nothing.
    let small = app.json(Method::POST, &base, &token, json!({"name": "Het kleine hofje", "kind": "gebieden", "members": "BU03440113"}), &[]).await;
    let small = small.json()["id"].as_i64().expect("id");
    let figures = app.get(&format!("{base}/{small}/cijfers"), &lezer).await.json();
    assert_eq!(figures_of(&figures, count), [("2025".to_string(), json!({"state": "small", "value": {"below": 8.0}}))]);
    let page = app.get(&format!("/samenwerkingen/{c}/werkgebieden/{small}"), &Auth::Cookie(app.session(&reader).await)).await;
    assert!(page.body.contains(">geheim: minder dan 8<") && !page.body.contains("te klein verschil"), "{}", page.body);
}
