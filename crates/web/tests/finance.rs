//! The finance module over HTTP: contributions recorded through the form and the API, refused
//! input kept with a Dutch message and nothing stored, only a beheerder records a commitment,
//! totals in nl-NL money, versions, and the CSV export with semicolons and decimal commas.

mod common;

use axum::http::Method;
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::ids::CollaborationId;
use domain::partner::{NewPartner, PartnerInput};
use serde_json::json;

struct Fixture {
    app: TestApp,
    c: CollaborationId,
    gemeente: i64,
    school: i64,
    beheerder: Auth,
    lid: Auth,
    token: Auth,
}

async fn setup() -> Fixture {
    let app = TestApp::new().await;
    let beheerder = app.user("regisseur@a.example").await;
    let lid = app.user("lid@a.example").await;
    let c = app.collaboration("Samen Opgroeien", &beheerder).await;
    app.member(c, &lid, Role::Lid).await;
    let partner = |name: &str| {
        NewPartner::parse(&PartnerInput { name: name.into(), sector: "gemeente".into(), ring: "binnenring".into(), description: String::new() }).expect("valid")
    };
    let gemeente = app.db.create_partner(&actor(), c, &partner("Gemeente Lindeveen")).await.expect("partner").id.0;
    let school = app.db.create_partner(&actor(), c, &partner("Stichting Primair")).await.expect("partner").id.0;
    let token = Auth::Token(app.token(&beheerder).await);
    let (beheerder, lid) = (Auth::Cookie(app.session(&beheerder).await), Auth::Cookie(app.session(&lid).await));
    Fixture { app, c, gemeente, school, beheerder, lid, token }
}

#[tokio::test]
async fn bad_input_is_refused_in_dutch_with_the_form_kept_and_nothing_stored() {
    let fx = setup().await;
    let path = format!("/samenwerkingen/{}/financien/bijdragen", fx.c.0);
    let form = format!("partner={}&year=2026&source=jeugdwet&amount=-500&hourly_rate=80&starts=2027-01-01&status=indicatief", fx.gemeente);
    let reply = fx.app.post_form(&path, &fx.beheerder, &form).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("Een waarde kan niet negatief zijn."), "{}", reply.body);
    assert!(reply.body.contains("Een uurtarief hoort bij uren."));
    assert!(reply.body.contains("Deze datum valt buiten het jaar 2026."));
    assert!(reply.body.contains(r#"value="-500""#), "the form keeps what was typed");
    assert!(reply.body.contains(r##"href="#f-amount""##), "the error summary links to the field");
    assert_eq!(fx.app.db.contributions(fx.c).await.expect("list"), [], "nothing stored");
}

#[tokio::test]
async fn a_lid_proposes_and_only_a_beheerder_records_a_commitment() {
    let fx = setup().await;
    let path = format!("/samenwerkingen/{}/financien/bijdragen", fx.c.0);
    let promised = format!("partner={}&year=2026&source=jeugdwet&amount=250.000&status=toegezegd", fx.gemeente);
    let reply = fx.app.post_form(&path, &fx.lid, &promised).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("Alleen een beheerder legt een toezegging of vastlegging vast"), "{}", reply.body);
    assert_eq!(fx.app.db.contributions(fx.c).await.expect("list"), []);
    let proposed = format!("partner={}&year=2026&source=jeugdwet&amount=250.000&status=indicatief", fx.gemeente);
    let reply = fx.app.post_form(&path, &fx.lid, &proposed).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let id = fx.app.db.contributions(fx.c).await.expect("list")[0].id;
    let edit = format!("{path}/{id}/bewerken");
    assert_eq!(fx.app.post_form(&edit, &fx.lid, &format!("{promised}&version=1")).await.status, 400, "a lid cannot promise it either");
    assert_eq!(fx.app.post_form(&edit, &fx.beheerder, &format!("{promised}&version=1")).await.status, 303);
    let reply = fx.app.post_form(&edit, &fx.lid, &format!("{proposed}&version=2")).await;
    assert_eq!(reply.status, 400, "a lid cannot take a promise back");
    let stale = fx.app.post_form(&edit, &fx.beheerder, &format!("{proposed}&version=1")).await;
    assert_eq!(stale.status, 409);
    let page = fx.app.get(&format!("{path}/{id}"), &fx.lid).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Oorspronkelijke versie") && page.body.contains("Toegezegd"), "{}", page.body);
}

#[tokio::test]
async fn totals_show_in_dutch_money_and_the_csv_uses_semicolons_and_decimal_commas() {
    let fx = setup().await;
    let api = format!("/api/v1/samenwerkingen/{}/financien", fx.c.0);
    let add = |partner: i64, year: &str, amount: &str, hours: &str, rate: &str| json!({"partner": partner.to_string(), "year": year, "source": "jeugdwet", "amount": amount, "hours": hours, "hourly_rate": rate, "status": "toegezegd"});
    for body in [add(fx.gemeente, "2026", "1.234.567", "", ""), add(fx.school, "2026", "0,50", "10", "85,25"), add(fx.gemeente, "2027", "1000", "", "")] {
        let reply = fx.app.json(Method::POST, &format!("{api}/bijdragen"), &fx.token, body, &[]).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    let bad = fx.app.json(Method::POST, &format!("{api}/bijdragen"), &fx.token, add(fx.school, "2026", "12,345", "", ""), &[]).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.header("content-type"), "application/problem+json");
    let summary = fx.app.get(&api, &fx.token).await.json();
    assert_eq!(summary["total"]["value_cents"], 123_456_700 + 50 + 85_250 + 100_000);
    assert_eq!(summary["per_year"][0]["key"], "2026");
    assert_eq!(summary["per_year"][0]["hours_value_cents"], 85_250);
    let page = fx.app.get(&format!("/samenwerkingen/{}/financien", fx.c.0), &fx.beheerder).await;
    assert!(page.body.contains("€ 1.234.567,00"), "nl-NL money");
    assert!(page.body.contains("€ 1.235.420,00"), "the total of 2026: {}", page.body);
    let csv = String::from_utf8(fx.app.get_bytes(&format!("/samenwerkingen/{}/financien/export.csv", fx.c.0), &fx.beheerder).await).expect("utf-8");
    assert!(csv.contains("\"Stichting Primair\";\"2026\";\"Jeugdwet\";\"Toegezegd\";0,50;10;85,25;853"), "{csv}");
    assert!(csv.contains("\"2026\";1234567,50;10;852,50;1235420"), "{csv}");
}
