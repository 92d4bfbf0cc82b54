//! Four eyes over HTTP: the beheerder sets it on the page or through the API; then who
//! submitted a period's figures is refused approving them, in clear Dutch, and another
//! beheerder approves.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::indicator::{IndicatorContent, IndicatorInput};
use serde_json::json;

#[tokio::test]
async fn with_four_eyes_on_the_submitter_is_refused_approving_and_another_member_approves() {
    let app = TestApp::new().await;
    let anna = app.user("anna@test.example").await;
    let bram = app.user("bram@test.example").await;
    let lezer = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &anna).await;
    app.member(c, &bram, Role::Beheerder).await;
    app.member(c, &lezer, Role::Lezer).await;
    let (anna_c, bram_c, lezer_c) = (Auth::Cookie(app.session(&anna).await), Auth::Cookie(app.session(&bram).await), Auth::Cookie(app.session(&lezer).await));
    let input = IndicatorInput {
        code: "V1".into(),
        name: "Vier".into(),
        kind: "aantal".into(),
        direction: "lager_beter".into(),
        perspective: "netwerk".into(),
        period_type: "jaar".into(),
        ..Default::default()
    };
    let indicator = app.db.create_indicator(&actor(), c, &IndicatorContent::parse(&input).expect("valid")).await.expect("indicator").id;
    let card = format!("/samenwerkingen/{c}/indicatoren/{indicator}");

    let page = app.get(&format!("/samenwerkingen/{c}/vier-ogen"), &anna_c).await;
    assert!(
        page.status == StatusCode::OK && page.body.contains("name=\"four_eyes\" value=\"true\" aria-describedby") && !page.body.contains(" checked"),
        "off by default: {}",
        page.body
    );
    assert_eq!(app.get(&format!("/samenwerkingen/{c}/vier-ogen"), &lezer_c).await.status, StatusCode::FORBIDDEN, "for the beheerder only");
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/vier-ogen"), &lezer_c, "four_eyes=true").await.status, StatusCode::FORBIDDEN);
    let set = app.post_form(&format!("/samenwerkingen/{c}/vier-ogen"), &anna_c, "four_eyes=true").await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert!(app.db.four_eyes(c).await.expect("setting"));
    let token = Auth::Token(app.token(&lezer).await);
    assert_eq!(app.get(&format!("/api/v1/samenwerkingen/{c}/vier-ogen"), &token).await.json(), json!({"four_eyes": true}));
    let refused = app.json(Method::PUT, &format!("/api/v1/samenwerkingen/{c}/vier-ogen"), &token, json!({"four_eyes": false}), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a reader cannot switch it off");

    app.classification(&["GM0888"]).await;
    assert_eq!(app.post_form(&format!("{card}/metingen"), &anna_c, "area=GM0888&period=2026&numerator=12").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&format!("{card}/metingen/status"), &anna_c, "period=2026&status=ingediend").await.status, StatusCode::SEE_OTHER);
    let own = app.post_form(&format!("{card}/metingen/status"), &anna_c, "period=2026&status=goedgekeurd").await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST, "the card again, with the message");
    assert!(own.body.contains("id=\"fouten\" autofocus"), "the message takes the focus");
    assert!(own.body.contains("U heeft deze cijfers zelf ingediend. In deze samenwerking keurt een ander lid ze goed (vier ogen)."), "{}", own.body);
    assert_eq!(app.post_form(&format!("{card}/metingen/status"), &bram_c, "period=2026&status=goedgekeurd").await.status, StatusCode::SEE_OTHER);
    let rows = app.db.measurements(c, indicator).await.expect("rows");
    assert!(rows.iter().all(|m| m.status == domain::indicator::MeasurementStatus::Goedgekeurd));

    // Off again through the API: the submitter may approve her own figures.
    let anna_t = Auth::Token(app.token(&anna).await);
    let off = app.json(Method::PUT, &format!("/api/v1/samenwerkingen/{c}/vier-ogen"), &anna_t, json!({"four_eyes": false}), &[]).await;
    assert_eq!(off.json(), json!({"four_eyes": false}));
    assert_eq!(app.post_form(&format!("{card}/metingen"), &anna_c, "area=GM0888&period=2027&numerator=3").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&format!("{card}/metingen/status"), &anna_c, "period=2027&status=ingediend").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&format!("{card}/metingen/status"), &anna_c, "period=2027&status=goedgekeurd").await.status, StatusCode::SEE_OTHER);
    let audit = app.db.audit_for_collaboration(c.0, 200).await.expect("audit");
    assert_eq!(audit.iter().filter(|e| e.action == "collaboration.four_eyes").count(), 2, "on and off, each audited");
}
