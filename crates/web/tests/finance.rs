//! The finance module over HTTP: contributions recorded through the form and the API, refused
//! input kept with a Dutch message and nothing stored, only a beheerder records a commitment,
//! totals in nl-NL money, versions, and the CSV export with semicolons and decimal commas; the
//! five-year view, the horizon a beheerder sets, and the warning on the agenda of the body that
//! owns the pot's agreement.

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
    lid_token: Auth,
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
    let lid_token = Auth::Token(app.token(&lid).await);
    let (beheerder, lid) = (Auth::Cookie(app.session(&beheerder).await), Auth::Cookie(app.session(&lid).await));
    Fixture { app, c, gemeente, school, beheerder, lid, token, lid_token }
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

#[tokio::test]
async fn a_split_must_add_up_and_a_spend_beyond_the_pot_is_refused_with_the_form_kept() {
    let fx = setup().await;
    let base = format!("/samenwerkingen/{}/financien", fx.c.0);
    let split = |a: &str, b: &str| format!("split_partner={}&split_percent={a}&split_partner={}&split_percent={b}", fx.gemeente, fx.school);
    let pot = format!("name=Steunstructuur&starts=2026-01-01&ends=2027-12-31&collective=true&{}", split("66,67", "33"));
    let reply = fx.app.post_form(&format!("{base}/potten"), &fx.beheerder, &pot).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("De aandelen tellen op tot 99,67 %. Samen moeten ze precies 100 % zijn."), "{}", reply.body);
    assert!(reply.body.contains(r#"value="33""#), "the split is kept");
    assert_eq!(fx.app.db.pots(fx.c).await.expect("pots"), []);
    let pot = format!("name=Steunstructuur&starts=2026-01-01&ends=2027-12-31&collective=true&{}", split("66,67", "33,33"));
    let reply = fx.app.post_form(&format!("{base}/potten"), &fx.beheerder, &pot).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let pot = fx.app.db.pots(fx.c).await.expect("pots")[0].id;
    // A contribution outside the pot's period is refused; one inside fills it.
    let outside = format!("partner={}&year=2028&source=jeugdwet&amount=1000&pot={pot}", fx.gemeente);
    let reply = fx.app.post_form(&format!("{base}/bijdragen"), &fx.beheerder, &outside).await;
    assert!(reply.status == 400 && reply.body.contains("valt buiten de looptijd van de pot"), "{}", reply.body);
    let api = format!("/api/v1/samenwerkingen/{}/financien", fx.c.0);
    let body =
        json!({"partner": fx.gemeente.to_string(), "year": "2026", "source": "jeugdwet", "amount": "3.000", "status": "toegezegd", "pot": pot.to_string()});
    assert_eq!(fx.app.json(Method::POST, &format!("{api}/bijdragen"), &fx.token, body, &[]).await.status, 201);
    let activity = activity(&fx).await;
    let spend = |amount: &str| format!("activity={activity}&date=2026-04-01&amount={amount}&description=Training");
    let reply = fx.app.post_form(&format!("{base}/potten/{pot}/uitgaven"), &fx.lid, &spend("3.000,01")).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("Deze uitgave komt € 0,01 boven het beschikbare geld in de pot."), "{}", reply.body);
    assert!(reply.body.contains(r#"value="3.000,01""#));
    assert_eq!(fx.app.db.spendings(fx.c, None).await.expect("none"), []);
    assert_eq!(fx.app.post_form(&format!("{base}/potten/{pot}/uitgaven"), &fx.lid, &spend("2.000")).await.status, 303);
    let plan = format!("activity={activity}&year=2026&planned=3.000");
    assert_eq!(fx.app.post_form(&format!("{base}/potten/{pot}/plannen"), &fx.lid, &plan).await.status, 303);
    let detail = fx.app.get(&format!("{api}/potten/{pot}"), &fx.token).await.json();
    assert_eq!(detail["pot"]["available_cents"], 300_000);
    assert_eq!(detail["pot"]["spent_cents"], 200_000);
    assert_eq!(detail["pot"]["shares"][0]["cents"], 200_010, "two thirds of € 3.000, the leftover cent to the largest remainder");
    assert_eq!(detail["pot"]["shares"][1]["cents"], 99_990);
    // Planned and spent per ambition, goal and activity, on the page and through the API.
    let work = fx.app.get(&format!("{api}/programma"), &fx.token).await.json();
    let lines: Vec<(String, i64, i64)> = work
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (l["level"].as_str().unwrap_or_default().to_string(), l["planned_cents"].as_i64().unwrap_or(-1), l["spent_cents"].as_i64().unwrap_or(-1)))
        .collect();
    let line = |level: &str| (level.to_string(), 300_000, 200_000);
    assert_eq!(lines, [line("ambitie"), line("doel"), line("activiteit")]);
    let page = fx.app.get(&base, &fx.lid).await.body;
    assert!(
        page.contains("Geld per deel van het programma") && page.contains(&format!("/programma/activiteiten/{activity}\">Jeugdhulp in de klas</a>")),
        "{page}"
    );
    // The work runs to 2029 on money that ends in 2026: a warning on the start page.
    let start = fx.app.get(&format!("/samenwerkingen/{}", fx.c.0), &fx.lid).await;
    assert!(start.body.contains("Financiering van lopend werk vraagt aandacht") && start.body.contains("Jeugdhulp in de klas"), "{}", start.body);
}

#[tokio::test]
async fn a_breakthrough_decision_above_the_maximum_needs_a_second_holder_and_never_names_a_child() {
    use domain::person::{NewPerson, PersonInput};
    let fx = setup().await;
    let person = |name: &str| NewPerson::parse(&PersonInput { name: name.into(), ..Default::default() }).expect("valid");
    let anna = fx.app.db.create_person(&actor(), fx.c, &person("Anna de Vries")).await.expect("person").id.0;
    let bram = fx.app.db.create_person(&actor(), fx.c, &person("Bram Smit")).await.expect("person").id.0;
    let cees = fx.app.db.create_person(&actor(), fx.c, &person("Cees Bakker")).await.expect("person").id.0;
    let api = format!("/api/v1/samenwerkingen/{}/financien", fx.c.0);
    let pot = json!({"name": "Doorbraakbudget", "starts": "2026-01-01", "ends": "2026-12-31", "breakthrough": true,
        "mandate_people": [anna.to_string(), bram.to_string()], "max_per_decision": "2.500"});
    let reply = fx.app.json(Method::POST, &format!("{api}/potten"), &fx.token, pot, &[]).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let pot = reply.json()["id"].as_i64().expect("id");
    let money =
        json!({"partner": fx.gemeente.to_string(), "year": "2026", "source": "jeugdwet", "amount": "10.000", "status": "toegezegd", "pot": pot.to_string()});
    assert_eq!(fx.app.json(Method::POST, &format!("{api}/bijdragen"), &fx.token, money, &[]).await.status, 201);
    let decisions = format!("{api}/potten/{pot}/besluiten");
    let decision = |amount: &str, holder: i64, second: &str, situation: &str| {
        json!({"requested": "2026-03-02", "decided": "2026-03-06", "amount": amount, "holder": holder.to_string(), "second_holder": second,
            "stall": ["wachtlijst"], "situation": situation, "outcome": "doorbraak"})
    };
    let plain = "Overbrugging tot een plek bij de specialistische opvang vrijkomt.";
    let alone = fx.app.json(Method::POST, &decisions, &fx.token, decision("4.000", anna, "", plain), &[]).await;
    assert_eq!(alone.status, 400, "{}", alone.body);
    assert!(alone.body.contains("Dit bedrag ligt boven het maximum van € 2.500,00 per besluit."), "{}", alone.body);
    let outsider = fx.app.json(Method::POST, &decisions, &fx.token, decision("100", cees, "", plain), &[]).await;
    assert!(outsider.status == 400 && outsider.body.contains("geen mandaat"), "{}", outsider.body);
    let named = "Sanne, geboren 12-03-2019, wacht al maanden.";
    let warned = fx.app.json(Method::POST, &decisions, &fx.token, decision("100", anna, "", named), &[]).await;
    assert_eq!(warned.status, 422, "{}", warned.body);
    assert_eq!(warned.json()["findings"][0]["field"], "situation");
    assert_eq!(fx.app.db.breakthrough_decisions(fx.c, None).await.expect("none"), [], "nothing stored");
    let both = fx.app.json(Method::POST, &decisions, &fx.token, decision("4.000", anna, &bram.to_string(), plain), &[]).await;
    assert_eq!(both.status, 201, "{}", both.body);
    assert_eq!(both.json()["within_mandate"], false);
    assert_eq!(both.json()["days"], 4);
    // Money leaves a breakthrough budget by decision only, and the lezer-facing sums count it.
    let spend = json!({"activity": "1", "date": "2026-04-01", "amount": "10", "description": "Training"});
    let refused = fx.app.json(Method::POST, &format!("{api}/potten/{pot}/uitgaven"), &fx.token, spend, &[]).await;
    assert!(refused.status == 400 && refused.body.contains("alleen via een besluit"), "{}", refused.body);
    let view = fx.app.get(&decisions, &fx.token).await.json();
    assert_eq!((view["used_cents"].as_i64(), view["remaining_cents"].as_i64()), (Some(400_000), Some(600_000)));
    assert_eq!(view["results"][0]["half"], "2026-H1");
    assert_eq!(view["results"][0]["shown"], false, "one decision is below the minimum");
    assert_eq!(view["results"][0]["count"], serde_json::Value::Null);
    let detail = fx.app.get(&format!("{api}/potten/{pot}"), &fx.token).await.json();
    assert_eq!(detail["pot"]["spent_cents"], 400_000);
}

#[tokio::test]
async fn the_decision_form_refuses_above_the_maximum_alone_and_warns_about_a_child_before_saving() {
    use domain::person::{NewPerson, PersonInput};
    let fx = setup().await;
    let person = |name: &str| NewPerson::parse(&PersonInput { name: name.into(), ..Default::default() }).expect("valid");
    let anna = fx.app.db.create_person(&actor(), fx.c, &person("Anna de Vries")).await.expect("person").id.0;
    let bram = fx.app.db.create_person(&actor(), fx.c, &person("Bram Smit")).await.expect("person").id.0;
    let base = format!("/samenwerkingen/{}/financien", fx.c.0);
    let pot =
        format!("name=Doorbraakbudget&starts=2026-01-01&ends=2026-12-31&breakthrough=true&mandate_people={anna}&mandate_people={bram}&max_per_decision=2.500");
    let reply = fx.app.post_form(&format!("{base}/potten"), &fx.beheerder, &pot).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let pot = fx.app.db.pots(fx.c).await.expect("pots")[0].id;
    let money = format!("partner={}&year=2026&source=jeugdwet&amount=10.000&status=toegezegd&pot={pot}", fx.gemeente);
    assert_eq!(fx.app.post_form(&format!("{base}/bijdragen"), &fx.beheerder, &money).await.status, 303);
    let form = fx.app.get(&format!("{base}/potten/{pot}/besluiten/nieuw"), &fx.lid).await;
    assert!(form.body.contains("Anna de Vries") && form.body.contains(r#"name="stall""#), "{}", form.body);
    let decision = |amount: &str, second: &str, situation: &str| {
        format!(
            "requested=2026-03-02&decided=2026-03-06&amount={amount}&holder={anna}&second_holder={second}&stall=wachtlijst&stall=vervoer&situation={situation}&outcome=deels"
        )
    };
    let path = format!("{base}/potten/{pot}/besluiten");
    let alone = fx.app.post_form(&path, &fx.lid, &decision("3.000", "", "Vervoer+naar+een+passende+school")).await;
    assert_eq!(alone.status, 400);
    assert!(alone.body.contains("boven het maximum van € 2.500,00 per besluit"), "{}", alone.body);
    assert!(alone.body.contains(r#"value="3.000""#), "the form keeps what was typed");
    let named = fx.app.post_form(&path, &fx.lid, &decision("3.000", &bram.to_string(), "Sanne+(12-03-2019)+wacht+op+vervoer")).await;
    assert_eq!(named.status, 422, "{}", named.body);
    assert!(named.body.contains("Lees de beschrijving nog eens na") && named.body.contains(r#"name="gezien""#), "{}", named.body);
    assert_eq!(fx.app.db.breakthrough_decisions(fx.c, None).await.expect("none"), [], "nothing stored before the check");
    let saved = fx.app.post_form(&path, &fx.lid, &decision("3.000", &bram.to_string(), "Vervoer+naar+een+passende+school")).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = fx.app.get(&format!("{base}/potten/{pot}"), &fx.lid).await;
    assert!(page.body.contains("Anna de Vries en Bram Smit") && page.body.contains("€ 3.000,00"), "{}", page.body);
    assert!(page.body.contains("minder dan het minimum"), "one decision shows no figures");
}

#[tokio::test]
async fn a_lezer_cannot_work_out_a_hidden_half_year_of_the_breakthrough_budget() {
    use domain::person::{NewPerson, PersonInput};
    let fx = setup().await;
    let lezer_user = fx.app.user("lezer@a.example").await;
    fx.app.member(fx.c, &lezer_user, Role::Lezer).await;
    let lezer = Auth::Cookie(fx.app.session(&lezer_user).await);
    let lezer_token = Auth::Token(fx.app.token(&lezer_user).await);
    let anna =
        fx.app.db.create_person(&actor(), fx.c, &NewPerson::parse(&PersonInput { name: "Anna de Vries".into(), ..Default::default() }).expect("valid")).await;
    let anna = anna.expect("person").id.0;
    // Five decisions two half years ago (shown), one in the last half year (below the minimum
    // of five) and one today (its half year is still running).
    let today = reisgenoot_web::today();
    let year: i32 = today[..4].parse().expect("year");
    let second_half = today[5..7] > *"06";
    let (two_back, last) =
        if second_half { (format!("{}-09-15", year - 1), format!("{year}-03-16")) } else { (format!("{}-03-16", year - 1), format!("{}-09-15", year - 1)) };
    let api = format!("/api/v1/samenwerkingen/{}/financien", fx.c.0);
    let pot = json!({"name": "Doorbraakbudget", "starts": format!("{}-01-01", year - 1), "ends": format!("{}-12-31", year + 1), "breakthrough": true,
        "mandate_people": [anna.to_string()], "max_per_decision": "2.500"});
    let reply = fx.app.json(Method::POST, &format!("{api}/potten"), &fx.token, pot, &[]).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let pot = reply.json()["id"].as_i64().expect("id");
    let money = json!({"partner": fx.gemeente.to_string(), "year": (year - 1).to_string(), "source": "jeugdwet", "amount": "20.000", "status": "toegezegd", "pot": pot.to_string()});
    assert_eq!(fx.app.json(Method::POST, &format!("{api}/bijdragen"), &fx.token, money, &[]).await.status, 201);
    let decisions = format!("{api}/potten/{pot}/besluiten");
    let mut at = vec![(two_back.clone(), "1.000"); 5];
    at.push((last, "2.345"));
    at.push((today.clone(), "1.111"));
    for (day, amount) in at {
        let d = json!({"requested": day, "decided": day, "amount": amount, "holder": anna.to_string(), "second_holder": "",
            "stall": ["wachtlijst"], "situation": "Overbrugging tot een vaste plek.", "outcome": "doorbraak"});
        let reply = fx.app.json(Method::POST, &decisions, &fx.token, d, &[]).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    // What the lezer reads: the shown half year's results, and the pot's use in every sum.
    let pot_page = fx.app.get(&format!("/samenwerkingen/{}/financien/potten/{pot}", fx.c.0), &lezer).await.body;
    let overview = fx.app.get(&format!("/samenwerkingen/{}/financien", fx.c.0), &lezer).await.body;
    let listed = fx.app.get(&format!("{api}/potten"), &lezer_token).await.json();
    let detail = fx.app.get(&format!("{api}/potten/{pot}"), &lezer_token).await.json();
    let shown_total = 500_000;
    let mut problems = Vec::new();
    for (source, spent) in [("the list", &listed[0]["spent_cents"]), ("the pot", &detail["pot"]["spent_cents"])] {
        // The use minus the shown half year is what the hidden ones spent.
        let hidden = spent.as_i64().unwrap_or_default() - shown_total;
        if hidden != 0 {
            problems.push(format!("{source}: the use minus the shown half year gives € {} for the hidden half years", hidden / 100));
        }
    }
    for (source, body) in [("the pot page", &pot_page), ("the overview", &overview)] {
        for leak in ["8.456", "3.456", "2.345", "1.111", "7.345", "6.111", "18.654", "11.544"] {
            if body.contains(&format!("€ {leak},00")) {
                problems.push(format!("{source} shows € {leak},00, which only the hidden decisions explain"));
            }
        }
        if !body.contains("pas mee als hun halfjaar voorbij is") {
            problems.push(format!("{source} does not say why decisions are left out"));
        }
    }
    if detail["pot"]["decisions_left_out"] != json!(true) {
        problems.push("the API does not say decisions are left out".into());
    }
    assert!(pot_page.contains("€ 5.000,00"), "the shown half year still counts: {pot_page}");
    // A lid sees every decision and the whole use.
    let whole = fx.app.get(&format!("{api}/potten/{pot}"), &fx.token).await.json();
    assert_eq!((whole["pot"]["spent_cents"].as_i64(), whole["pot"]["decisions_left_out"].as_bool()), (Some(845_600), Some(false)));
    assert!(problems.is_empty(), "{} findings:\n{}", problems.len(), problems.join("\n"));
}

#[tokio::test]
async fn the_horizon_decides_which_running_work_is_flagged_and_five_years_add_up() {
    let fx = setup().await;
    let api = format!("/api/v1/samenwerkingen/{}/financien", fx.c.0);
    let today = reisgenoot_web::today();
    let year: i32 = today[..4].parse().expect("year");
    // Money for this year and the next, promised, ending 31 December next year.
    for (y, partner) in [(year, fx.gemeente), (year + 1, fx.gemeente), (year, fx.school)] {
        let body = json!({"partner": partner.to_string(), "year": y.to_string(), "source": "jeugdwet", "amount": "1.000", "status": "toegezegd"});
        assert_eq!(fx.app.json(Method::POST, &format!("{api}/bijdragen"), &fx.token, body, &[]).await.status, 201);
    }
    let view = fx.app.get(&format!("{api}/continuiteit"), &fx.token).await.json();
    assert_eq!(view["horizon_months"], 12);
    assert_eq!(view["years"][0], year);
    assert_eq!(view["committed_cents"], json!([200_000, 100_000, 0, 0, 0]));
    let per_partner: i64 = view["partners"].as_array().expect("partners").iter().map(|p| p["cents"][0].as_i64().expect("cents")).sum();
    assert_eq!(per_partner, 200_000, "the partners add up to the year's total");
    let page = fx.app.get(&format!("/samenwerkingen/{}/financien", fx.c.0), &fx.lid).await;
    assert!(page.body.contains("De komende vijf jaar") && page.body.contains("binnen 12 maanden"), "{}", page.body);
    // Only a beheerder sets the horizon; a bad one is refused in Dutch.
    let form = |h: &str| format!("horizon={h}&version=0");
    assert_eq!(fx.app.post_form(&format!("/samenwerkingen/{}/financien/horizon", fx.c.0), &fx.lid, &form("24")).await.status, 403);
    let bad = fx.app.json(Method::PUT, &format!("{api}/horizon"), &fx.token, json!({"horizon": 61}), &[("if-match", "\"0\"")]).await;
    assert!(bad.status == 400 && bad.body.contains("van 1 tot en met 60 maanden"), "{}", bad.body);
    let set = fx.app.post_form(&format!("/samenwerkingen/{}/financien/horizon", fx.c.0), &fx.beheerder, &form("24")).await;
    assert_eq!(set.status, 303, "{}", set.body);
    let view = fx.app.get(&format!("{api}/continuiteit"), &fx.token).await.json();
    assert_eq!((view["horizon_months"].as_i64(), view["horizon_version"].as_i64()), (Some(24), Some(1)));
    let stale = fx.app.json(Method::PUT, &format!("{api}/horizon"), &fx.token, json!({"horizon": "6"}), &[("if-match", "\"0\"")]).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
}

#[tokio::test]
async fn ending_funding_shows_within_the_horizon_and_on_the_agenda_of_the_body_that_owns_the_pots_agreement() {
    use domain::finance::{ContributionContent, ContributionInput, PlanContent, PotContent, PotInput, ShareInput};
    let fx = setup().await;
    let (db, c) = (&fx.app.db, fx.c);
    let year: i32 = reisgenoot_web::today()[..4].parse().expect("year");
    let body = |name: &str| domain::body::BodyInput { name: name.into(), level: "bestuurlijk".into(), kind: "oogo".into(), ..Default::default() };
    let stuurgroep = db.create_body(&actor(), c, &domain::body::BodyContent::parse(&body("Stuurgroep")).expect("valid")).await.expect("body").id;
    let werkgroep = db.create_body(&actor(), c, &domain::body::BodyContent::parse(&body("Werkgroep")).expect("valid")).await.expect("body").id;
    let convenant = domain::agreement::AgreementInput {
        title: "Convenant".into(),
        text: "Tekst".into(),
        kind: "werkafspraak".into(),
        body: stuurgroep.to_string(),
        ..Default::default()
    };
    let own = domain::agreement::AgreementInput { title: "Werkafspraak".into(), body: werkgroep.to_string(), ..convenant.clone() };
    let convenant = db.create_agreement(&actor(), c, &domain::agreement::AgreementContent::parse(&convenant).expect("valid")).await.expect("agreement").id;
    // The other body owns an agreement too, but not the one that records the pot.
    db.create_agreement(&actor(), c, &domain::agreement::AgreementContent::parse(&own).expect("valid")).await.expect("agreement");
    let ambition = domain::programme::AmbitionInput { title: "Ambitie".into(), ..Default::default() };
    let ambition = db.create_ambition(&actor(), c, &domain::programme::AmbitionContent::parse(&ambition).expect("valid")).await.expect("ambition").id;
    let goal = domain::programme::GoalInput { title: "Doel".into(), ..Default::default() };
    let goal = db.create_goal(&actor(), c, ambition, &domain::programme::GoalContent::parse(&goal).expect("valid")).await.expect("goal").id;
    let activity = domain::programme::ActivityInput {
        title: "Overdrachtsgesprekken".into(),
        starts: format!("{year}-01-01"),
        ends: format!("{}-12-31", year + 4),
        status: "lopend".into(),
        ..Default::default()
    };
    let activity = db.create_activity(&actor(), c, goal, &domain::programme::ActivityContent::parse(&activity).expect("valid")).await.expect("activity").id;
    let pot = PotInput {
        name: "Steunstructuur".into(),
        starts: format!("{year}-01-01"),
        ends: format!("{}-12-31", year + 4),
        split: vec![ShareInput { partner: fx.gemeente.to_string(), percent: "100".into() }],
        agreement: convenant.to_string(),
        ..Default::default()
    };
    let pot = db.create_pot(&actor(), c, &PotContent::parse(&pot).expect("valid")).await.expect("pot").id;
    db.create_plan(&actor(), c, pot, &PlanContent { activity, year: year.to_string(), planned_cents: 50_000 }).await.expect("plan");
    // Promised for three years: the money ends between two and three years from today while
    // the work goes on for five.
    for y in year..year + 3 {
        let input = ContributionInput {
            partner: fx.gemeente.to_string(),
            year: y.to_string(),
            source: "jeugdwet".into(),
            amount: "1000".into(),
            status: "toegezegd".into(),
            pot: pot.to_string(),
            ..Default::default()
        };
        db.create_contribution(&actor(), c, &ContributionContent::parse(&input).expect("valid")).await.expect("contribution");
    }
    let meeting = |body: i64| domain::meeting::MeetingInput { body: body.to_string(), date: format!("{year}-12-31"), ..Default::default() };
    let planned = [meeting(stuurgroep), meeting(werkgroep)].map(|m| domain::meeting::MeetingContent::parse(&m).expect("valid"));
    let meetings: Vec<i64> = db.create_meetings(&actor(), c, &planned).await.expect("meetings").into_iter().map(|m| m.id).collect();
    let agenda = |m: i64| format!("/samenwerkingen/{}/vergaderingen/{m}", c.0);
    let api = format!("/api/v1/samenwerkingen/{}/financien", c.0);
    let view = fx.app.get(&format!("{api}/continuiteit"), &fx.token).await.json();
    assert_eq!(view["warnings"], json!([]), "beyond twelve months: no warning yet");
    assert!(!fx.app.get(&agenda(meetings[0]), &fx.lid).await.body.contains("Financiering vraagt aandacht"));
    let set = fx.app.json(Method::PUT, &format!("{api}/horizon"), &fx.token, json!({"horizon": 60}), &[("if-match", "\"0\"")]).await;
    assert_eq!(set.status, 200, "{}", set.body);
    let view = set.json();
    assert_eq!(view["warnings"][0]["activity"], activity, "{view}");
    assert_eq!(view["warnings"][0]["kind"], "ends_within");
    assert_eq!(view["warnings"][0]["funded_until"], format!("{}-12-31", year + 2));
    let owner = fx.app.get(&agenda(meetings[0]), &fx.lid).await;
    assert!(owner.body.contains("Financiering vraagt aandacht") && owner.body.contains("Overdrachtsgesprekken"), "{}", owner.body);
    let other = fx.app.get(&agenda(meetings[1]), &fx.lid).await;
    assert_eq!(other.status, 200);
    assert!(!other.body.contains("Financiering vraagt aandacht"), "another body's agenda stays without it");
}

/// A workbook as Excel saves it: text, numbers and a cell formatted as a date.
fn contributions_workbook(school: i64) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    for (col, name) in ["Partner", "Jaar", "Bron", "Bedrag", "Status", "Pot", "Begin"].iter().enumerate() {
        sheet.write_string(0, col as u16, *name).expect("header");
    }
    sheet.write_string(1, 0, "Gemeente Lindeveen").expect("cell");
    sheet.write_number(1, 1, 2026).expect("cell");
    sheet.write_string(1, 2, "jeugdwet").expect("cell");
    sheet.write_number(1, 3, 3000.5).expect("cell");
    sheet.write_string(1, 4, "toegezegd").expect("cell");
    sheet.write_string(1, 5, "Steunstructuur").expect("cell");
    sheet.write_datetime_with_format(1, 6, ExcelDateTime::from_ymd(2026, 2, 1).expect("date"), &date).expect("cell");
    sheet.write_number(2, 0, school as f64).expect("cell");
    sheet.write_string(2, 1, "2026-2027").expect("cell");
    sheet.write_string(2, 2, "Eigen budget").expect("cell");
    sheet.write_number(2, 3, 1000).expect("cell");
    sheet.write_string(2, 4, "toegezegd").expect("cell");
    book.save_to_buffer().expect("workbook")
}

/// A browser's form upload of `file`.
fn upload(boundary: &str, name: &str, file: &[u8]) -> Vec<u8> {
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .into_bytes();
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    body
}

#[tokio::test]
async fn contributions_and_spending_import_from_xlsx_and_dutch_csv_all_or_nothing() {
    let fx = setup().await;
    let (base, api) = (format!("/samenwerkingen/{}/financien", fx.c.0), format!("/api/v1/samenwerkingen/{}/financien", fx.c.0));
    let pot = json!({"name": "Steunstructuur", "starts": "2026-01-01", "ends": "2027-12-31", "collective": true});
    assert_eq!(fx.app.json(Method::POST, &format!("{api}/potten"), &fx.token, pot, &[]).await.status, 201);
    let pot = fx.app.db.pots(fx.c).await.expect("pots")[0].id;
    let activity = activity(&fx).await;
    let boundary = "----reisgenoot";
    let multipart = format!("multipart/form-data; boundary={boundary}");

    // The page links to the import for those who may edit.
    assert!(fx.app.get(&base, &fx.lid).await.body.contains(&format!("{base}/import")));
    assert_eq!(fx.app.get(&format!("{base}/import"), &fx.lid).await.status, 200);

    // A lid may not import a promise: refused, nothing stored.
    let promise = "partner;jaar;bron;bedrag;status\nGemeente Lindeveen;2026;jeugdwet;10;toegezegd\n";
    let reply = fx.app.post_bytes(&format!("{base}/import"), &fx.lid, &multipart, upload(boundary, "bijdragen.csv", promise.as_bytes())).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("Regel 2, kolom status") && reply.body.contains("Alleen een beheerder"), "{}", reply.body);
    assert_eq!(fx.app.db.contributions(fx.c).await.expect("list"), []);

    // A real workbook, by the beheerder on the page: partner by name and by id, a date cell.
    let reply =
        fx.app.post_bytes(&format!("{base}/import"), &fx.beheerder, &multipart, upload(boundary, "bijdragen.xlsx", &contributions_workbook(fx.school))).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("2 bijdragen opgeslagen"), "{}", reply.body);
    let stored = fx.app.db.contributions(fx.c).await.expect("list");
    let got: Vec<_> =
        stored.iter().map(|x| (x.content.partner, x.content.year.as_str(), x.content.amount_cents, x.content.pot, x.content.starts.as_str())).collect();
    assert_eq!(got, vec![(fx.gemeente, "2026", Some(300_050), Some(pot), "2026-02-01"), (fx.school, "2026-2027", Some(100_000), None, "2026-08-01")]);

    // Spending as Dutch Excel writes CSV, through the API by a lid: BOM, semicolons, decimal commas.
    let csv = format!(
        "\u{feff}Pot;Activiteit;Datum;Bedrag;Omschrijving\r\nSteunstructuur;Jeugdhulp in de klas;01-04-2026;1.500,25;Training\r\n{pot};{activity};2026-05-01;99,75;Zaalhuur\r\n"
    );
    let reply = fx.app.post_bytes(&format!("{api}/import"), &fx.lid_token, "text/csv", csv.into_bytes()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!((reply.json()["soort"].as_str(), reply.json()["opgeslagen"].as_i64()), (Some("uitgaven"), Some(2)));
    let amounts: Vec<i64> = fx.app.db.spendings(fx.c, Some(pot)).await.expect("spendings").iter().map(|s| s.content.amount_cents).collect();
    assert_eq!(amounts, vec![150_025, 9_975]);

    // One bad row among good ones: nothing stored, the row and column named.
    let bad = "partner;jaar;bron;bedrag\nStichting Primair;2027;oab;12,50\nGemeente Lindeveen;2027;oab;twaalf\n";
    let reply = fx.app.post_bytes(&format!("{api}/import"), &fx.token, "text/csv", bad.as_bytes().to_vec()).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.headers.get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("application/problem+json")));
    let fouten = reply.json()["fouten"].clone();
    assert_eq!((fouten[0]["regel"].as_i64(), fouten[0]["kolom"].as_str()), (Some(3), Some("bedrag")), "{fouten}");
    assert_eq!(fouten.as_array().map(Vec::len), Some(1));
    assert_eq!(fx.app.db.contributions(fx.c).await.expect("list").len(), 2, "nothing stored");

    // Two spends that each fit what is left (€ 1.400,50) but together do not: both refused.
    let over = "pot;activiteit;datum;bedrag;omschrijving\nSteunstructuur;Jeugdhulp in de klas;2026-06-01;1000;Eerste\nSteunstructuur;Jeugdhulp in de klas;2026-06-02;1000;Tweede\n";
    let reply = fx.app.post_bytes(&format!("{base}/import"), &fx.lid, &multipart, upload(boundary, "uitgaven.csv", over.as_bytes())).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("Regel 3: Deze uitgave komt € 599,50 boven het beschikbare geld in de pot."), "{}", reply.body);
    assert_eq!(fx.app.db.spendings(fx.c, Some(pot)).await.expect("spendings").len(), 2, "nothing stored");
}

async fn activity(fx: &Fixture) -> i64 {
    use domain::programme::*;
    let a = fx
        .app
        .db
        .create_ambition(&actor(), fx.c, &AmbitionContent::parse(&AmbitionInput { title: "A".into(), ..Default::default() }).expect("valid"))
        .await
        .expect("a");
    let g = fx
        .app
        .db
        .create_goal(&actor(), fx.c, a.id, &GoalContent::parse(&GoalInput { title: "G".into(), ..Default::default() }).expect("valid"))
        .await
        .expect("g");
    let input = ActivityInput {
        title: "Jeugdhulp in de klas".into(),
        starts: "2026-01-01".into(),
        ends: "2029-12-31".into(),
        status: "lopend".into(),
        ..Default::default()
    };
    fx.app.db.create_activity(&actor(), fx.c, g.id, &ActivityContent::parse(&input).expect("valid")).await.expect("activity").id
}
