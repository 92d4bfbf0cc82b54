//! Indicators over HTTP: adopted from the library, active only under a data-sharing agreement,
//! measurements entered, submitted and approved, and published with small numbers secret on
//! the card and in the API.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use domain::access::Role;
use serde_json::json;

#[tokio::test]
async fn an_indicator_needs_a_sharing_agreement_and_publishes_only_what_may_be_shown() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let member = app.user("lid@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &member, Role::Lid).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let lid = Auth::Cookie(app.session(&member).await);
    let token = Auth::Token(app.token(&owner).await);
    let partner = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{c}/partners"),
            &token,
            json!({"name": "Gemeente", "sector": "gemeente", "ring": "binnenring"}),
            &[],
        )
        .await;
    let partner = partner.json()["id"].as_i64().expect("partner id");
    let sharing = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{c}/afspraken"),
            &token,
            json!({"title": "Gegevens delen voor de monitor", "text": "Alleen aantallen per buurt.", "kind": "gegevensdeling", "status": "vastgesteld",
                   "legal_basis": "Art. 6 lid 1 sub e AVG", "purpose": "Samen sturen", "data_categories": "Aantallen per buurt", "retention": "Vijf jaar",
                   "parties": [{"partner_id": partner, "data_role": "verwerkingsverantwoordelijke"}]}),
            &[],
        )
        .await;
    assert_eq!(sharing.status, StatusCode::CREATED, "{}", sharing.body);
    let sharing = sharing.json()["id"].as_i64().expect("agreement id");

    // The library's definition fills the form.
    let form = app.get(&format!("/samenwerkingen/{c}/indicatoren/nieuw?bibliotheek=thuiszitters"), &cookie).await;
    assert!(form.body.contains("value=\"THZ\""));
    let base =
        "code=THZ&name=Thuiszitters&kind=aantal&direction=lager_beter&perspective=eindgebruiker&period_type=schooljaar&targets=2026-2027%3A+20&status=actief";
    let refused = app.post_form(&format!("/samenwerkingen/{c}/indicatoren"), &cookie, base).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "active without a data-sharing agreement");
    assert!(refused.body.contains("afspraak over gegevensdeling nodig"));
    let created = app.post_form(&format!("/samenwerkingen/{c}/indicatoren"), &cookie, &format!("{base}&sharing={sharing}&agreed_by={partner}")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let card = created.location().to_string();
    let indicator: i64 = card.rsplit('/').next().and_then(|i| i.parse().ok()).expect("id");
    // The agreement lists the indicator whose data it covers, with a link to its card.
    let covering = app.get(&format!("/samenwerkingen/{c}/afspraken/{sharing}"), &cookie).await.body;
    assert!(covering.contains(&format!("href=\"{card}\">THZ Thuiszitters</a> (actief)")), "{covering}");

    // A wijk of three buurten: 12 and 9 children, and 3 — secret, and so is the next smallest.
    app.classification(&["BU0363AD03", "BU0363AD04", "BU0363AD05"]).await;
    for (area, n) in [("BU0363AD03", 12), ("BU0363AD04", 9), ("BU0363AD05", 3)] {
        let added = app.post_form(&format!("{card}/metingen"), &cookie, &format!("area={area}&period=2026-2027&numerator={n}")).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
    }
    let bad = app.post_form(&format!("{card}/metingen"), &cookie, "area=BU0363AD06&period=2026&numerator=-2").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // All or none through the API: one bad row stores nothing.
    let batch = json!({"metingen": [{"area": "BU0363AD06", "period": "2026-2027", "numerator": "4"}, {"area": "XX", "period": "2026-2027", "numerator": "1"}]});
    let batch = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren/{indicator}/metingen"), &token, batch, &[]).await;
    assert_eq!(batch.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.db.measurements(c, indicator).await.expect("rows").len(), 3);

    let status = |s: &str| format!("period=2026-2027&status={s}");
    assert_eq!(app.post_form(&format!("{card}/metingen/status"), &lid, &status("ingediend")).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.post_form(&format!("{card}/metingen/status"), &lid, &status("goedgekeurd")).await.status,
        StatusCode::FORBIDDEN,
        "approving is for stewards"
    );
    assert_eq!(app.post_form(&format!("{card}/metingen/status"), &cookie, &status("goedgekeurd")).await.status, StatusCode::SEE_OTHER);

    let page = app.get(&card, &lid).await;
    assert_eq!(page.status, StatusCode::OK);
    // The total 24 rounds to 25; per buurt 12 → 10, and 9 and 3 are secret (3 on its own, 9 so
    // that 3 does not follow from the total).
    assert!(page.body.contains("<td class=\"utrecht-table__cell\">25</td>"), "{}", page.body);
    assert_eq!(page.body.matches("<td class=\"utrecht-table__cell\">geheim</td>").count(), 2);
    assert!(!page.body.contains(">9<") && !page.body.contains(">3<"));
    assert!(!page.body.contains("Ruwe waarden"), "raw values are for stewards only");
    let steward = app.get(&card, &cookie).await;
    assert!(steward.body.contains("Ruwe waarden"));
    let api = app.json(Method::GET, &format!("/api/v1/samenwerkingen/{c}/indicatoren/{indicator}/metingen"), &token, json!(null), &[]).await;
    assert_eq!(api.json(), json!([{"period": "2026-2027", "value": {"state": "value", "value": 25.0}, "target": 20.0}]));
    let audit = app.db.audit_for_collaboration(c.0, 200).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "measurement.view_raw"), "a steward's look at raw values is logged");
}

#[tokio::test]
async fn a_parents_survey_becomes_a_measurement_of_an_end_user_indicator() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let indicator = "code=OGS&name=Ouders+voelen+zich+gesteund&kind=schaalscore&direction=hoger_beter&perspective=eindgebruiker&period_type=halfjaar";
    let created = app.post_form(&format!("/samenwerkingen/{c}/indicatoren"), &cookie, indicator).await;
    let indicator: i64 = created.location().rsplit('/').next().and_then(|i| i.parse().ok()).expect("id");
    let round = app
        .post_form(&format!("/samenwerkingen/{c}/scans"), &cookie, "template=stem_ouders&title=Ouders&opens=2026-01-01&closes=2099-12-31&questions=o1")
        .await;
    let round: i64 = round.location().rsplit('/').next().and_then(|i| i.parse().ok()).expect("round");
    app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/links"), &cookie, "label=Ouders&reusable=true").await;
    let link = app.db.links(c, round).await.expect("links").remove(0).token;
    for score in [4, 5, 3, 4, 4, 2] {
        assert_eq!(app.post_form(&format!("/vragenlijst/{link}"), &Auth::None, &format!("q-o1={score}")).await.status, StatusCode::OK);
    }
    let results = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten"), &cookie).await;
    assert!(!results.body.contains("Als meting vastleggen"), "not before the round closes");
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/sluiten"), &cookie, "").await.status, StatusCode::SEE_OTHER);
    let results = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten"), &cookie).await;
    assert!(results.body.contains("Als meting vastleggen"));
    let recorded = app
        .post_form(&format!("/samenwerkingen/{c}/scans/{round}/meting"), &cookie, &format!("indicator={indicator}&question=o1&area=GM0344&period=2026-H2"))
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let rows = app.db.measurements(c, indicator).await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].parts, domain::measure::Parts::ratio(22.0, 6.0), "the sum of the scores over n, never a name");
}

#[tokio::test]
async fn the_story_behind_the_figures_is_kept_per_period_and_marked_when_the_figures_change() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let token = Auth::Token(app.token(&owner).await);
    let body = json!({"code": "THZ", "name": "Thuiszitters", "kind": "aantal", "direction": "lager_beter", "perspective": "eindgebruiker", "period_type": "schooljaar"});
    let created = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &token, body, &[]).await;
    let indicator = created.json()["id"].as_i64().expect("id");
    let card = format!("/samenwerkingen/{c}/indicatoren/{indicator}");
    assert_eq!(app.post_form(&format!("{card}/metingen"), &cookie, "area=GM0344&period=2025-2026&numerator=31").await.status, StatusCode::SEE_OTHER);
    assert!(app.get(&card, &cookie).await.body.contains("Er is nog geen verhaal bij de nieuwste cijfers, van 2025-2026."));

    let empty = app.post_form(&format!("{card}/verhaal"), &cookie, "period=2025-2026&version=0").await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "something must be told");
    let story = "period=2025-2026&version=0&seen=Vooral+jongens+van+12+tot+14.&explains=Wachtlijst+bij+de+jeugdhulp.&will_do=Overbruggingsaanbod+in+de+wijk.";
    assert_eq!(app.post_form(&format!("{card}/verhaal"), &cookie, story).await.status, StatusCode::SEE_OTHER);
    let page = app.get(&card, &cookie).await.body;
    assert!(page.contains("Wachtlijst bij de jeugdhulp.") && !page.contains("Er is nog geen verhaal bij de nieuwste"));
    assert_eq!(app.post_form(&format!("{card}/verhaal"), &cookie, story).await.status, StatusCode::CONFLICT, "written from an old version");

    // New figures after the story: the card says so until the story is updated.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(app.post_form(&format!("{card}/metingen"), &cookie, "area=GM0344&period=2025-2026&numerator=28").await.status, StatusCode::SEE_OTHER);
    assert!(app.get(&card, &cookie).await.body.contains("cijfers gewijzigd na het verhaal"));

    let api = format!("/api/v1/samenwerkingen/{c}/indicatoren/{indicator}/verhalen");
    let stale = app.json(Method::PUT, &format!("{api}/2025-2026"), &token, json!({"seen": "Nieuw beeld"}), &[("if-match", "\"0\"")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let updated =
        app.json(Method::PUT, &format!("{api}/2025-2026"), &token, json!({"seen": "Minder thuiszitters na de zomer."}), &[("if-match", "\"1\"")]).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.json()[0]["version"], 2);
    assert!(!app.get(&card, &cookie).await.body.contains("cijfers gewijzigd na het verhaal"));
    let listed = app.get(&api, &token).await;
    assert_eq!(listed.json()[0]["wat_zien_we"], "Minder thuiszitters na de zomer.");
}

#[tokio::test]
async fn a_learning_cycle_brings_targets_figures_and_activities_together_and_links_decisions() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let other = app.collaboration("Elders", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let token = Auth::Token(app.token(&owner).await);
    let body = json!({"code": "PAB", "name": "Passend aanbod", "kind": "verhouding", "factor": "100", "direction": "hoger_beter", "perspective": "netwerk",
                      "period_type": "halfjaar", "targets": "2026-H1: 80"});
    let indicator = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &token, body, &[]).await.json()["id"].as_i64().expect("id");
    let card = format!("/samenwerkingen/{c}/indicatoren/{indicator}");
    app.post_form(&format!("{card}/metingen"), &cookie, "area=GM0344&period=2026-H1&numerator=96&denominator=120").await;
    for status in ["ingediend", "goedgekeurd"] {
        app.post_form(&format!("{card}/metingen/status"), &cookie, &format!("period=2026-H1&status={status}")).await;
    }
    app.post_form(&format!("{card}/verhaal"), &cookie, "period=2026-H1&version=0&seen=Vier+op+vijf+binnen+de+termijn.").await;
    let agreement = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{c}/afspraken"),
            &token,
            json!({"title": "Werkafspraak MDO", "text": "Binnen zes weken.", "kind": "werkafspraak"}),
            &[],
        )
        .await;
    let agreement = agreement.json()["id"].as_i64().expect("agreement");
    let foreign = app
        .json(Method::POST, &format!("/api/v1/samenwerkingen/{other}/afspraken"), &token, json!({"title": "Elders", "text": "x", "kind": "werkafspraak"}), &[])
        .await
        .json()["id"]
        .as_i64()
        .expect("foreign");

    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/cycli"), &cookie, "period=voorjaar&title=").await.status, StatusCode::BAD_REQUEST);
    let created = app.post_form(&format!("/samenwerkingen/{c}/cycli"), &cookie, "period=2026-H1&title=Eerste+halfjaar&findings=Het+MDO+werkt.").await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let cycle = created.location().to_string();
    let page = app.get(&cycle, &cookie).await.body;
    assert!(page.contains("PAB Passend aanbod") && page.contains("80") && page.contains("Vier op vijf binnen de termijn."), "plan and check: {page}");
    assert!(page.contains("op koers"));

    let decided = app.post_form(&format!("{cycle}/besluiten"), &cookie, &format!("text=Termijn+naar+vier+weken&agreement={agreement}")).await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    let refused = app.post_form(&format!("{cycle}/besluiten"), &cookie, &format!("text=Niet+van+ons&agreement={foreign}")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "an agreement of another collaboration");
    let page = app.get(&cycle, &cookie).await.body;
    assert!(page.contains("Termijn naar vier weken") && page.contains(&format!("/afspraken/{agreement}\"")));

    let id: i64 = cycle.rsplit('/').next().and_then(|i| i.parse().ok()).expect("id");
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/cycli/{id}"), &token).await;
    assert_eq!(api.json()["content"]["decisions"][0]["agreement"], agreement);
    assert_eq!(app.get(&format!("/api/v1/samenwerkingen/{other}/cycli/{id}"), &token).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn publication_rules_are_a_beheerders_never_below_the_floors_and_every_change_is_audited() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let member = app.user("lid@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &member, Role::Lid).await;
    let beheerder = Auth::Token(app.token(&owner).await);
    let lid = Auth::Token(app.token(&member).await);
    let lid_page = Auth::Cookie(app.session(&member).await);
    let body = json!({"code": "THZ", "name": "Thuiszitters", "kind": "aantal", "direction": "lager_beter", "perspective": "eindgebruiker", "period_type": "schooljaar"});
    let created = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &lid, body.clone(), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "a lid adds an indicator under the instance's rules: {}", created.body);
    assert_eq!(created.json()["content"]["rules"], json!({"round_to": 5.0, "secret_below": 8.0, "min_denominator": 100.0}));
    let indicator = created.json()["id"].as_i64().expect("id");
    let api = format!("/api/v1/samenwerkingen/{c}/indicatoren/{indicator}");
    let stored = || async { app.db.indicator(c, indicator).await.expect("indicator") };

    // A lid who weakens the rules is refused, and nothing changes.
    let mut weak = body.clone();
    weak["name"] = json!("Thuiszitters (nieuw)");
    weak["round_to"] = json!("1");
    weak["secret_below"] = json!("0");
    weak["min_denominator"] = json!("1");
    let refused = app.json(Method::PUT, &api, &lid, weak.clone(), &[("if-match", "\"1\"")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body.contains("Alleen een beheerder kan de publicatieregels"), "{}", refused.body);
    assert_eq!((stored().await.version, stored().await.content.name), (1, "Thuiszitters".to_string()));
    // Raising them is a beheerder's too.
    let mut stronger = body.clone();
    stronger["round_to"] = json!("10");
    assert_eq!(app.json(Method::PUT, &api, &lid, stronger.clone(), &[("if-match", "\"1\"")]).await.status, StatusCode::FORBIDDEN);
    let page = format!("/samenwerkingen/{c}/indicatoren/{indicator}/bewerken");
    let form = "code=THZ&name=Thuiszitters&kind=aantal&direction=lager_beter&perspective=eindgebruiker&period_type=schooljaar&version=1";
    assert_eq!(app.post_form(&page, &lid_page, &format!("{form}&round_to=1")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(stored().await.version, 1);
    // The lid's form shows the rules without fields for them; the lid's other changes are kept.
    let edit = app.get(&page, &lid_page).await;
    assert!(!edit.body.contains("name=\"round_to\"") && edit.body.contains("Alleen een beheerder kan deze regels wijzigen."), "{}", edit.body);
    assert_eq!(app.post_form(&page, &lid_page, &format!("{form}&definition=Langer+dan+vier+weken")).await.status, StatusCode::SEE_OTHER);
    let mut same = body.clone();
    same["name"] = json!("Thuiszitters 4-18");
    let kept = app.json(Method::PUT, &api, &lid, same, &[("if-match", "\"2\"")]).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert_eq!(stored().await.content.rules, domain::measure::Rules::default());

    // A beheerder below a floor: refused with the floor named.
    let below = app.json(Method::PUT, &api, &beheerder, weak, &[("if-match", "\"3\"")]).await;
    assert_eq!(below.status, StatusCode::BAD_REQUEST, "{}", below.body);
    let reasons: Vec<(String, String)> = below.json()["invalidParams"]
        .as_array()
        .expect("params")
        .iter()
        .map(|p| (p["name"].as_str().unwrap_or_default().to_string(), p["reason"].as_str().unwrap_or_default().to_string()))
        .collect();
    assert!(reasons.contains(&("round_to".into(), "Minstens 5: lager staat deze installatie niet toe.".into())), "{reasons:?}");
    assert!(reasons.contains(&("min_denominator".into(), "Minstens 100: lager staat deze installatie niet toe.".into())), "{reasons:?}");
    assert_eq!(stored().await.version, 3);
    let raised = app.json(Method::PUT, &api, &beheerder, stronger, &[("if-match", "\"3\"")]).await;
    assert_eq!(raised.status, StatusCode::OK, "{}", raised.body);
    let audit = app.db.audit_for_collaboration(c.0, 200).await.expect("audit");
    let changes: Vec<&str> = audit.iter().filter(|e| e.action == "indicator.rules").map(|e| e.object.as_str()).collect();
    assert_eq!(changes, [format!("indicator:{indicator} afronden 5→10").as_str()], "old and new values in the audit");

    // Rules stored below the floors (before floors existed) are published at the floors.
    let mut content = stored().await.content;
    content.rules = domain::measure::Rules { round_to: 1.0, secret_below: 0.0, min_denominator: 1.0 };
    app.db.update_indicator(&common::actor(), c, indicator, 4, &content).await.expect("old rules");
    let read = app.get(&api, &lid).await;
    assert_eq!(read.json()["content"]["rules"], json!({"round_to": 5.0, "secret_below": 8.0, "min_denominator": 100.0}));
}

#[tokio::test]
async fn only_a_beheerder_marks_indicators_as_sharing_a_count_and_both_are_published_again() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let member = app.user("lid@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &member, Role::Lid).await;
    let beheerder = Auth::Token(app.token(&owner).await);
    let lid = Auth::Token(app.token(&member).await);
    let lid_page = Auth::Cookie(app.session(&member).await);
    let beheerder_page = Auth::Cookie(app.session(&owner).await);
    let create = async |body: serde_json::Value| {
        let created = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &beheerder, body, &[]).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        created.json()["id"].as_i64().expect("id")
    };
    let count =
        create(json!({"code": "JH", "name": "Jeugdhulp", "kind": "aantal", "direction": "lager_beter", "perspective": "eindgebruiker", "period_type": "jaar"}))
            .await;
    let rate_body = json!({"code": "JHP", "name": "Jeugdhulp %", "kind": "verhouding", "factor": "100", "direction": "lager_beter", "perspective": "eindgebruiker", "period_type": "jaar"});
    let rate = create(rate_body.clone()).await;
    let api = format!("/api/v1/samenwerkingen/{c}/indicatoren/{rate}");
    let stored = || async { app.db.indicator(c, rate).await.expect("indicator") };

    // A lid may not mark it, by API or form; the form shows no field for it.
    let mut linked = rate_body.clone();
    linked["shares_with"] = json!(count.to_string());
    linked["shares_part"] = json!("teller");
    let refused = app.json(Method::PUT, &api, &lid, linked.clone(), &[("if-match", "\"1\"")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let page = format!("/samenwerkingen/{c}/indicatoren/{rate}/bewerken");
    let form = "code=JHP&name=Jeugdhulp+%25&kind=verhouding&factor=100&direction=lager_beter&perspective=eindgebruiker&period_type=jaar&version=1";
    assert_eq!(app.post_form(&page, &lid_page, &format!("{form}&shares_with={count}")).await.status, StatusCode::FORBIDDEN);
    assert!(!app.get(&page, &lid_page).await.body.contains("name=\"shares_with\""));
    assert!(app.get(&page, &beheerder_page).await.body.contains("name=\"shares_with\""));
    assert_eq!((stored().await.version, stored().await.content.shares), (1, None));

    // Not with itself, nor with an indicator of another collaboration.
    let mut itself = rate_body.clone();
    itself["shares_with"] = json!(rate.to_string());
    assert_eq!(app.json(Method::PUT, &api, &beheerder, itself, &[("if-match", "\"1\"")]).await.status, StatusCode::BAD_REQUEST);
    let other = app.collaboration("Elders", &owner).await;
    let elsewhere = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{other}/indicatoren"),
            &beheerder,
            json!({"code": "X", "name": "X", "kind": "aantal", "direction": "lager_beter", "perspective": "eindgebruiker", "period_type": "jaar"}),
            &[],
        )
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    let mut foreign = rate_body.clone();
    foreign["shares_with"] = json!(elsewhere.to_string());
    assert_eq!(app.json(Method::PUT, &api, &beheerder, foreign, &[("if-match", "\"1\"")]).await.status, StatusCode::BAD_REQUEST);

    // A beheerder marks it: stored, audited with old and new, and both publications are due.
    let wanted = async |i: i64| app.db.publication_numbers(c, i).await.expect("numbers").map(|(w, _)| w).unwrap_or_default();
    let (count_before, rate_before) = (wanted(count).await, wanted(rate).await);
    let marked = app.json(Method::PUT, &api, &beheerder, linked.clone(), &[("if-match", "\"1\"")]).await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.body);
    assert_eq!(stored().await.content.shares, Some(domain::indicator::Shares { with: count, part: domain::disclosure::SharedPart::Numerator }));
    assert!(wanted(count).await > count_before && wanted(rate).await > rate_before, "both are published again");
    let audit = app.db.audit_for_collaboration(c.0, 200).await.expect("audit");
    let changes: Vec<&str> = audit.iter().filter(|e| e.action == "indicator.rules").map(|e| e.object.as_str()).collect();
    assert_eq!(changes, [format!("indicator:{rate} gedeeld geen→teller = teller van indicator:{count}").as_str()]);
    // A write to the count makes the percentage due too.
    app.hold_publications();
    app.publish_due().await;
    app.db.want_publication(c, count).await.expect("want");
    let due: Vec<i64> = app.db.publications_due(Some(c)).await.expect("due").into_iter().map(|(_, i)| i).collect();
    assert_eq!(due, vec![count, rate]);
    // A third indicator may not hang off the percentage (one count, the indicators over it).
    let third = json!({"code": "JHQ", "name": "Q", "kind": "verhouding", "factor": "100", "direction": "lager_beter", "perspective": "eindgebruiker", "period_type": "jaar", "shares_with": rate.to_string()});
    let chained = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &beheerder, third, &[]).await;
    assert_eq!(chained.status, StatusCode::BAD_REQUEST, "{}", chained.body);
    assert!(chained.body.contains("koppel aan de indicator die het aantal zelf telt"), "{}", chained.body);
}
