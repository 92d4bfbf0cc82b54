//! Case reviews over HTTP, on SQLite and PostgreSQL alike: kept without identities, a lesson
//! that might name a child saved only after the writer confirms, results with small groups
//! secret on the page, in the API and in the learning cycle, a share recorded as a draft
//! measurement, and who may do what.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::case_review::{AgeBand, Barrier, CaseDomain, CaseReview, Offer};
use domain::ids::CollaborationId;
use serde_json::json;

async fn mdo(app: &TestApp, c: CollaborationId, name: &str) -> i64 {
    let input = domain::body::BodyInput { name: name.into(), level: "uitvoerend".into(), kind: "mdo".into(), ..Default::default() };
    app.db.create_body(&actor(), c, &domain::body::BodyContent::parse(&input).expect("valid")).await.expect("body").id
}

fn review(body: i64, date: &str, offer: Offer, days: Option<u32>, barrier: Option<Barrier>) -> CaseReview {
    CaseReview {
        body: Some(body),
        date: date.into(),
        age_band: AgeBand::Van4,
        domains: vec![CaseDomain::Onderwijs, CaseDomain::Jeugdhulp],
        offer,
        days,
        barrier,
        lesson: "Eerder de jeugdhulp aan tafel.".into(),
    }
}

/// The value of a hidden field in a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    body.split_once(&marker).and_then(|(_, rest)| rest.split('"').next()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_lesson_that_might_name_a_child_is_saved_only_after_the_writer_confirms() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let member = app.user("lid@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &member, Role::Lid).await;
    app.member(c, &reader, Role::Lezer).await;
    let body = mdo(&app, c, "MDO Noord").await;
    let (beheerder, lid, lezer) = (Auth::Cookie(app.session(&owner).await), Auth::Cookie(app.session(&member).await), Auth::Cookie(app.session(&reader).await));
    let base = format!("/samenwerkingen/{c}/casusbesprekingen");

    let form = app.get(&format!("{base}/nieuw?overleg={body}"), &lid).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&format!("<option value=\"{body}\" selected>MDO Noord</option>")), "the body is chosen");
    assert_eq!(app.get(&format!("{base}/nieuw"), &lezer).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&base, &lezer).await.status, StatusCode::FORBIDDEN, "a lezer reads the results, not the reviews");

    let empty = app.post_form(&base, &lid, "").await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("Kies minstens één domein.") && empty.body.contains("Vul dit veld in."), "{}", empty.body);
    let fields = format!("body={body}&date=2026-03-10&age_band=12-18&domains=onderwijs&domains=jeugdhulp&offer=deels&days=40&barrier=wachtlijst");
    let future = app.post_form(&base, &lid, &fields.replace("2026-03-10", "2099-01-01")).await;
    assert!(future.status == StatusCode::BAD_REQUEST && future.body.contains("Deze datum ligt in de toekomst."));

    // The lesson names someone: the form comes back with the finding and a box to tick.
    let named = format!("{fields}&lesson=Volgens+Jansen+kwam+de+plek+te+laat.");
    let warned = app.post_form(&base, &lid, &named).await;
    assert_eq!(warned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(warned.body.contains("Lees de les nog eens na") && warned.body.contains("mogelijk een naam: <q>Jansen</q>"), "{}", warned.body);
    assert!(warned.body.contains("name=\"bevestigd\"") && !warned.body.contains("name=\"bevestigd\" value=\"true\" checked"));
    assert!(app.db.case_reviews(c).await.expect("reviews").is_empty(), "nothing saved yet");
    let seen = hidden(&warned.body, "gezien");
    assert!(!seen.is_empty());
    // A text changed after the warning is checked again, even with the box ticked.
    let changed = app.post_form(&base, &lid, &format!("{named}+Bel+0612345678.&bevestigd=true&gezien={seen}")).await;
    assert_eq!(changed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(changed.body.contains("een telefoonnummer: <q>0612345678</q>"));
    let saved = app.post_form(&base, &lid, &format!("{named}&bevestigd=true&gezien={seen}")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("{base}#overleg-{body}"));
    let stored = app.db.case_reviews(c).await.expect("reviews");
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].review.offer, stored[0].review.days, stored[0].review.barrier), (Offer::Deels, Some(40), Some(Barrier::Wachtlijst)));
    // Names the collaboration knows, such as its bodies', raise nothing.
    let plain = app.post_form(&base, &lid, &format!("{fields}&lesson=In+het+MDO+Noord+sneller+opschalen.")).await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER, "{}", plain.body);

    let list = app.get(&base, &lid).await;
    assert!(list.body.contains("Volgens Jansen kwam de plek te laat.") && list.body.contains("wachtlijst") && list.body.contains("10 maart 2026"));
    assert!(!list.body.contains("/verwijderen"), "removing is for the beheerder");

    // Editing from an old version changes nothing.
    let id = stored[0].id;
    let edit = app.get(&format!("{base}/{id}/bewerken"), &lid).await;
    assert_eq!(hidden(&edit.body, "version"), "1");
    let update = format!("{fields}&lesson=Sneller+opschalen.&version=1");
    assert_eq!(app.post_form(&format!("{base}/{id}/bewerken"), &lid, &update).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&format!("{base}/{id}/bewerken"), &lid, &update).await.status, StatusCode::CONFLICT);

    assert_eq!(app.get(&format!("{base}/{id}/verwijderen"), &lid).await.status, StatusCode::FORBIDDEN);
    let confirm = app.get(&format!("{base}/{id}/verwijderen"), &beheerder).await;
    assert!(confirm.status == StatusCode::OK && confirm.body.contains("10 maart 2026"));
    assert_eq!(app.post_form(&format!("{base}/{id}/verwijderen"), &beheerder, "").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.db.case_reviews(c).await.expect("reviews").len(), 1);

    // The audit trail names the review by number, never by what it says.
    let audit = app.db.audit_for_collaboration(c.0, 50).await.expect("audit");
    for action in ["case_review.create", "case_review.update", "case_review.delete"] {
        assert!(audit.iter().any(|e| e.action == action), "{action}");
    }
    assert!(audit.iter().all(|e| !e.object.contains("Jansen") && !e.object.contains("opschalen")));
}

#[tokio::test]
async fn results_keep_small_groups_secret_on_the_page_in_the_api_and_in_the_cycle() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let member = app.user("lid@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &member, Role::Lid).await;
    app.member(c, &reader, Role::Lezer).await;
    let body = mdo(&app, c, "MDO").await;
    // 2026-H1: twelve reviews, six with a suitable offer and six without; 2025-H2: three, too
    // few to show; and five in the current half year, which shows nothing until it has ended.
    let first = [
        (Offer::Ja, Some(10), None),
        (Offer::Ja, Some(20), None),
        (Offer::Ja, Some(30), Some(Barrier::Wachtlijst)),
        (Offer::Ja, Some(40), Some(Barrier::Wachtlijst)),
        (Offer::Ja, Some(90), Some(Barrier::Wachtlijst)),
        (Offer::Ja, Some(30), None),
        (Offer::Nee, None, Some(Barrier::Vervoer)),
        (Offer::Nee, None, None),
        (Offer::Nee, None, None),
        (Offer::Nee, None, None),
        (Offer::Nee, None, None),
        (Offer::Nee, None, None),
    ];
    for (i, (offer, days, barrier)) in first.into_iter().enumerate() {
        app.db.create_case_review(&actor(), c, &review(body, &format!("2026-0{}-12", 1 + i % 6), offer, days, barrier)).await.expect("review");
    }
    let today = reisgenoot_web::today();
    for _ in 0..5 {
        app.db.create_case_review(&actor(), c, &review(body, &today, Offer::Ja, Some(5), None)).await.expect("review");
    }
    for date in ["2025-09-01", "2025-10-01", "2025-11-01"] {
        app.db.create_case_review(&actor(), c, &review(body, date, Offer::Nee, None, Some(Barrier::GeenAanbod))).await.expect("review");
    }
    let lezer = Auth::Cookie(app.session(&reader).await);
    let page = app.get(&format!("/samenwerkingen/{c}/casusbesprekingen/resultaten"), &lezer).await;
    assert_eq!(page.status, StatusCode::OK);
    let row =
        |period: &str| page.body.split(&format!("scope=\"row\">{period}</th>")).nth(1).and_then(|r| r.split("</tr>").next()).unwrap_or_default().to_string();
    assert!(row("2025-H2").contains(">Geheim: te klein aantal casussen.<") && row("2025-H2").matches(">geheim<").count() == 3, "{}", row("2025-H2"));
    // Six of twelve with an offer: both groups reach five. With or without a partial offer is
    // the same six, so beside it that share would say that no offer was partial: secret.
    assert!(row("2026-H1").contains(">12<") && row("2026-H1").contains(">50%<") && row("2026-H1").matches(">geheim<").count() == 1, "{}", row("2026-H1"));
    assert!(row("2026-H1").contains(">30<"), "the median of 10, 20, 30, 30, 40 and 90 days");
    let current = if today.as_str() <= format!("{}-06-30", &today[..4]).as_str() { format!("{}-H1", &today[..4]) } else { format!("{}-H2", &today[..4]) };
    assert!(row(&current).contains("nog niet gepubliceerd: halfjaar loopt nog"), "{current}: {}", row(&current));
    assert!(page.body.contains("<title id=\"share-title\">") && page.body.contains("\">geheim</tspan></text>"), "the chart says secret, never zero");
    // Per category: wachtlijst (3), vervoer (1) and none (2) are each below five, so all secret.
    assert!(page.body.contains("scope=\"row\">wachtlijst</th><td class=\"utrecht-table__cell\">geheim: te klein aantal</td>"));
    assert!(!page.body.contains("Als meting vastleggen") && !page.body.contains("casusbesprekingen/minimum"), "a lezer changes nothing");

    let token = Auth::Token(app.token(&reader).await);
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/casusbesprekingen/resultaten"), &token).await.json();
    assert_eq!(api["min_group"], 5);
    assert_eq!(api["periods"][0]["period"], "2025-H2");
    assert_eq!(api["periods"][0]["reviewed"], json!({"state": "secret"}));
    assert_eq!(api["periods"][0]["offer"], json!({"state": "secret"}));
    assert_eq!(api["periods"][0]["withheld"], "too_few_reviews");
    assert_eq!(api["periods"][1]["reviewed"], json!({"state": "value", "value": 12.0}));
    assert_eq!(api["periods"][1]["offer"], json!({"state": "value", "value": 50.0}));
    assert_eq!(api["periods"][1]["offer_or_partly"], json!({"state": "secret"}));
    assert_eq!(api["periods"][2]["withheld"], "after_half_year");
    assert_eq!(api["periods"][1]["barriers"][0], json!({"category": "wachtlijst", "value": {"state": "secret"}}));
    // 2025 holds only the three: secret.
    let years = app.get(&format!("/api/v1/samenwerkingen/{c}/casusbesprekingen/resultaten?periode=jaar"), &token).await.json();
    assert_eq!(years["periods"][0]["reviewed"]["state"].as_str(), Some("secret"));
    // 2026 is shown once its second half has ended, with the twelve of the first.
    let year_2026 = if today.as_str() > "2026-12-31" { json!({"state": "value", "value": 12.0}) } else { json!({"state": "secret"}) };
    assert_eq!(years["periods"][1]["reviewed"], year_2026);
    assert_eq!(years["periods"][1]["barriers"], json!([]), "categories only per half year");
    // The school year 2025-2026 joins the three to the six: shown, it would give the three away.
    let school = app.get(&format!("/api/v1/samenwerkingen/{c}/casusbesprekingen/resultaten?periode=schooljaar"), &token).await.json();
    assert_eq!(school["periods"][0]["reviewed"], json!({"state": "secret"}));

    // The learning cycle of 2026-H1 shows the same figures; one of 2025-H2 says there are too few.
    let beheerder = Auth::Cookie(app.session(&owner).await);
    for (period, expected) in [("2026-H1", "50%"), ("2025-H2", "te weinig casussen besproken"), ("2024", "geen casusbesprekingen vastgelegd")] {
        let created = app.post_form(&format!("/samenwerkingen/{c}/cycli"), &beheerder, &format!("period={period}&title=Terugblik")).await;
        let cycle = app.get(created.location(), &lezer).await;
        assert!(cycle.body.contains(expected) && cycle.body.contains("/casusbesprekingen/resultaten?periode="), "{period}: {}", cycle.body);
    }

    // A beheerder raises the minimum: now the twelve are too few as well.
    let lid = Auth::Cookie(app.session(&member).await);
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/casusbesprekingen/minimum"), &lid, "min_group=7&version=0").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_form(&format!("/samenwerkingen/{c}/casusbesprekingen/minimum"), &beheerder, "min_group=2&version=0").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.post_form(&format!("/samenwerkingen/{c}/casusbesprekingen/minimum"), &beheerder, "min_group=13&version=0").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_form(&format!("/samenwerkingen/{c}/casusbesprekingen/minimum"), &beheerder, "min_group=8&version=0").await.status,
        StatusCode::CONFLICT
    );
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/casusbesprekingen/resultaten"), &token).await.json();
    assert_eq!((api["min_group"].as_u64(), &api["periods"][1]["reviewed"]), (Some(13), &json!({"state": "secret"})));
}

#[tokio::test]
async fn the_api_refuses_an_identifying_lesson_until_it_is_confirmed_and_checks_roles() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let member = app.user("lid@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let other = app.collaboration("Elders", &member).await;
    app.member(c, &member, Role::Lid).await;
    app.member(c, &reader, Role::Lezer).await;
    let body = mdo(&app, c, "MDO").await;
    let foreign = mdo(&app, other, "MDO elders").await;
    let (beheerder, lid, lezer) = (Auth::Token(app.token(&owner).await), Auth::Token(app.token(&member).await), Auth::Token(app.token(&reader).await));
    let api = format!("/api/v1/samenwerkingen/{c}/casusbesprekingen");

    let empty = app.json(Method::POST, &api, &lid, json!({}), &[]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.json()["invalidParams"].as_array().expect("params").iter().any(|p| p["name"] == "domains"));
    let review = json!({"body": body, "date": "2026-02-02", "age_band": "0-4", "domains": ["jgz", "kinderopvang"], "offer": "ja", "days": 14,
                        "lesson": "Het kind met BSN 111222333 kreeg snel een plek."});
    let refused = app.json(Method::POST, &api, &lid, review.clone(), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.header("content-type"), "application/problem+json");
    assert_eq!(refused.json()["findings"][0]["clue"], "bsn");
    assert!(app.db.case_reviews(c).await.expect("reviews").is_empty());
    let mut confirmed = review.clone();
    confirmed["bevestigd"] = json!(true);
    confirmed["lesson"] = json!("Snel een plek via de jgz.");
    let created = app.json(Method::POST, &api, &lid, confirmed.clone(), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().expect("id");
    assert_eq!(created.json()["domains"], json!(["kinderopvang", "jgz"]));
    let mut elsewhere = confirmed.clone();
    elsewhere["body"] = json!(foreign);
    assert_eq!(app.json(Method::POST, &api, &lid, elsewhere, &[]).await.status, StatusCode::BAD_REQUEST, "a body of another collaboration");

    let shown = app.get(&format!("{api}/{id}"), &lid).await;
    assert_eq!(shown.header("etag"), "\"1\"");
    let change = json!({"body": body, "date": "2026-02-02", "age_band": "0-4", "domains": ["jgz"], "offer": "nee", "barrier": "vervoer"});
    assert_eq!(app.json(Method::PUT, &format!("{api}/{id}"), &lid, change.clone(), &[]).await.status, StatusCode::PRECONDITION_REQUIRED);
    let updated = app.json(Method::PUT, &format!("{api}/{id}"), &lid, change.clone(), &[("if-match", "\"1\"")]).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!((updated.json()["offer"].as_str(), updated.json()["days"].is_null()), (Some("nee"), true));
    assert_eq!(app.json(Method::PUT, &format!("{api}/{id}"), &lid, change, &[("if-match", "\"1\"")]).await.status, StatusCode::CONFLICT);

    assert_eq!(app.get(&api, &lezer).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("{api}/resultaten"), &lezer).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/samenwerkingen/{other}/casusbesprekingen/{id}"), &lid).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(Method::DELETE, &format!("{api}/{id}"), &lid, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(Method::DELETE, &format!("{api}/{id}"), &beheerder, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("{api}/{id}"), &lid).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_share_becomes_a_draft_measurement_and_reviews_outlive_their_body() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let token = Auth::Token(app.token(&owner).await);
    let body = mdo(&app, c, "MDO").await;
    // Five of ten with an offer: the share and what it leaves are both at least five.
    let offers = [[Offer::Ja; 5].as_slice(), &[Offer::Deels], &[Offer::Nee; 4]].concat();
    for (i, offer) in offers.into_iter().enumerate() {
        let barrier = (offer == Offer::Nee).then_some(Barrier::Financiering);
        app.db.create_case_review(&actor(), c, &review(body, &format!("2026-0{}-01", 1 + i % 6), offer, None, barrier)).await.expect("review");
    }
    app.db.create_case_review(&actor(), c, &review(body, "2026-08-01", Offer::Ja, Some(3), None)).await.expect("review");
    let results = format!("/samenwerkingen/{c}/casusbesprekingen/resultaten");
    assert!(app.get(&results, &cookie).await.body.contains("bibliotheek=passend_aanbod"), "without a fitting indicator the library is offered");

    let pab = json!({"code": "PAB", "name": "Passend aanbod bereikt", "kind": "verhouding", "factor": "100", "direction": "hoger_beter",
                     "perspective": "netwerk", "period_type": "halfjaar"});
    let indicator = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &token, pab, &[]).await.json()["id"].as_i64().expect("id");
    let page = app.get(&results, &cookie).await.body;
    assert!(page.contains("Als conceptmeting vastleggen") && page.contains("<option value=\"2026-H1\">") && !page.contains("<option value=\"2026-H2\">"));
    let handoff = format!("/samenwerkingen/{c}/casusbesprekingen/meting");
    let too_few = app.post_form(&handoff, &cookie, &format!("indicator={indicator}&period=2026-H2&area=GM0344")).await;
    assert_eq!(too_few.status, StatusCode::BAD_REQUEST, "one review in 2026-H2");
    assert_eq!(app.post_form(&handoff, &cookie, "").await.status, StatusCode::BAD_REQUEST);
    let recorded = app.post_form(&handoff, &cookie, &format!("indicator={indicator}&period=2026-H1&area=GM0344")).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let rows = app.db.measurements(c, indicator).await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].parts, rows[0].status), (domain::measure::Parts::ratio(5.0, 10.0), domain::indicator::MeasurementStatus::Concept));

    // A removed body leaves its reviews, listed apart.
    app.db.delete_body(&actor(), c, body).await.expect("delete body");
    let reviews = app.db.case_reviews(c).await.expect("reviews");
    assert!(reviews.len() == 11 && reviews.iter().all(|r| r.review.body.is_none()));
    let list = app.get(&format!("/samenwerkingen/{c}/casusbesprekingen"), &cookie).await.body;
    assert!(list.contains("Overleg dat niet meer bestaat"));
}

#[tokio::test]
async fn a_category_that_did_not_occur_and_a_running_half_year_say_why_they_show_nothing() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let body = mdo(&app, c, "MDO").await;
    let case = |date: &str, age_band: AgeBand, offer: Offer, barrier: Option<Barrier>| CaseReview {
        body: Some(body),
        date: date.into(),
        age_band,
        domains: vec![CaseDomain::Onderwijs],
        offer,
        days: None,
        barrier,
        lesson: String::new(),
    };
    // 2025-H1: five of 4-12 with an offer, five of 12-18 on a waiting list. 2025-H2: ten of
    // 4-12, five with an offer and five held up by transport. No one of 0-4 in either.
    for i in 0..10 {
        let first =
            if i < 5 { case("2025-03-01", AgeBand::Van4, Offer::Ja, None) } else { case("2025-04-01", AgeBand::Van12, Offer::Nee, Some(Barrier::Wachtlijst)) };
        app.db.create_case_review(&actor(), c, &first).await.expect("review");
        let second =
            if i < 5 { case("2025-09-01", AgeBand::Van4, Offer::Ja, None) } else { case("2025-10-01", AgeBand::Van4, Offer::Nee, Some(Barrier::Vervoer)) };
        app.db.create_case_review(&actor(), c, &second).await.expect("review");
    }
    // Six in the half year that is running now: nothing of it is published before it ends.
    let today = reisgenoot_web::today();
    for _ in 0..6 {
        app.db.create_case_review(&actor(), c, &case(&today, AgeBand::Van4, Offer::Ja, None)).await.expect("review");
    }
    let current = if today.as_str() <= format!("{}-06-30", &today[..4]).as_str() { format!("{}-H1", &today[..4]) } else { format!("{}-H2", &today[..4]) };
    let lezer = Auth::Cookie(app.session(&reader).await);
    let path = format!("/samenwerkingen/{c}/casusbesprekingen/resultaten");
    let cell = "<td class=\"utrecht-table__cell\">";
    for (lang, pending, secret, zero_row) in [
        ("nl", ["nog niet gepubliceerd:", "halfjaar loopt nog"], "geheim: te klein aantal", "0 tot 4 jaar"),
        ("en", ["not yet published:", "half year still running"], "secret: too few", "0 to 4 years"),
    ] {
        let page = app.send_with(Method::GET, &path, &lezer, None, &[("cookie", &format!("lang={lang}"))]).await;
        assert_eq!(page.status, StatusCode::OK);
        // The categories: a category that did not occur is withheld with its reason like any
        // small one, never shown as 0 (a count the rules keep secret).
        let categories =
            page.body.split("<h2 class=\"utrecht-heading-2\">").find(|part| part.contains("rg-small") && part.contains(secret)).unwrap_or_default();
        assert!(!categories.is_empty(), "{lang}: the categories say why: {}", page.body);
        assert!(
            !categories.contains(&format!("{cell}0</td>")) && !categories.contains(&format!("{cell}0 (")),
            "{lang}: a 0 among the categories: {categories}"
        );
        let row = categories.split(&format!("scope=\"row\">{zero_row}</th>")).nth(1).and_then(|r| r.split("</tr>").next()).unwrap_or_default();
        assert_eq!(row, format!("{cell}{secret}</td>{cell}{secret}</td>"), "{lang}: {categories}");
        // The running half year: the chart and the table say it is not yet published, not secret.
        let chart = page.body.split("class=\"rg-shares\">").nth(1).and_then(|c| c.split("</svg>").next()).unwrap_or_default();
        let column = chart
            .split(&format!(
                "class=\"rg-ticklabel\">{}</text>",
                if current.ends_with("H1") { format!("{}-H2", today[..4].parse::<u32>().expect("year") - 1) } else { format!("{}-H1", &today[..4]) }
            ))
            .last()
            .unwrap_or_default();
        assert!(column.contains(&format!(">{current}</text>")), "{lang}: {chart}");
        let text = column.split("class=\"rg-secret\">").nth(1).and_then(|t| t.split("</text>").next()).unwrap_or_default();
        assert!(text.contains(pending[0]) && text.contains(pending[1]) && !text.contains("geheim") && !text.contains("secret"), "{lang}: {text}");
        let row = page.body.split(&format!("scope=\"row\">{current}</th>")).nth(1).and_then(|r| r.split("</tr>").next()).unwrap_or_default();
        let text = pending.join(" ");
        assert_eq!(row.matches(&format!("{cell}{text}</td>")).count(), 4, "{lang}: {row}");
    }
    let token = Auth::Token(app.token(&reader).await);
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/casusbesprekingen/resultaten"), &token).await.json();
    let periods = api["periods"].as_array().expect("periods");
    let last = periods.last().expect("the running half year");
    assert_eq!((last["period"].as_str(), last["withheld"].as_str()), (Some(current.as_str()), Some("after_half_year")));
    // Every category is listed, the ones that did not occur as secret.
    for p in &periods[..2] {
        let bands = p["age_bands"].as_array().expect("bands");
        assert_eq!(bands.len(), AgeBand::ALL.len(), "{p}");
        assert_eq!(bands[0], json!({"age_band": "0-4", "reviewed": {"state": "secret"}, "offer": {"state": "secret"}}), "{p}");
        assert_eq!(p["barriers"].as_array().expect("barriers").len(), Barrier::ALL.len() + 1);
        assert!(p["barriers"].as_array().expect("barriers").iter().all(|b| b["value"]["state"] == "secret" || b["value"]["value"].as_f64() >= Some(5.0)));
    }
}
