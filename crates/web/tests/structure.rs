//! The legal map and the responsibility matrix over HTTP, on the test backend.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::partner::{NewPartner, PartnerInput};
use serde_json::json;

#[tokio::test]
async fn the_legal_map_answers_per_age_on_the_page_and_in_the_api() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let token = Auth::Token(app.token(&user).await);
    let sixteen = app.get("/api/v1/wettelijk-kader?leeftijd=16", &token).await.json();
    let names: Vec<&str> = sixteen["laws"].as_array().expect("laws").iter().filter_map(|l| l["name"].as_str()).collect();
    assert!(names.iter().any(|n| n.starts_with("Leerplichtwet")), "{names:?}");
    assert!(sixteen["laws"].as_array().expect("laws").iter().all(|l| !l["sources"].as_array().expect("sources").is_empty()), "every law carries its source");
    assert_eq!(app.get("/api/v1/wettelijk-kader?leeftijd=99", &token).await.status, StatusCode::BAD_REQUEST);
    let page = app.get("/wettelijk-kader?leeftijd=3", &Auth::Cookie(app.session(&user).await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<svg role=\"img\"") && page.body.contains("<title id=\"chart-title\">") && page.body.contains("<table"),
        "a chart with a title and the same facts as a table"
    );
    assert!(page.body.contains("Wet kinderopvang"));
}

#[tokio::test]
async fn the_matrix_marks_cells_names_gaps_and_never_overwrites_a_newer_mark() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let school = NewPartner::parse(&PartnerInput {
        name: "Basisschool".into(),
        sector: "primair_onderwijs".into(),
        ring: "binnenring".into(),
        description: String::new(),
    })
    .expect("valid");
    let school = app.db.create_partner(&actor(), c, &school).await.expect("partner");
    let cookie = Auth::Cookie(app.session(&owner).await);
    let path = format!("/samenwerkingen/{c}/verantwoordelijkheden");
    assert_eq!(app.post_form(&format!("{path}/onderwerpen"), &cookie, "common=true").await.status, StatusCode::SEE_OTHER);
    let topics = app.db.responsibility_topics(c).await.expect("topics");
    assert_eq!(topics.len(), domain::responsibility::COMMON_TOPICS.len());
    let (leerplicht, thuiszitters) = (topics[0].id, topics[4].id);
    let cell = |t: i64| format!("{t}-{}", school.id);

    let saved = app
        .post_form(&path, &cookie, &format!("was-{0}=&cell-{0}=verantwoordelijk&was-{1}=&cell-{1}=grijs_gebied", cell(leerplicht), cell(thuiszitters)))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // A form that still shows the old (empty) state is refused, and nothing changes.
    let stale = app.post_form(&path, &cookie, &format!("was-{0}=&cell-{0}=draagt_bij", cell(leerplicht))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Iemand anders heeft intussen een markering gewijzigd"));
    let token = Auth::Token(app.token(&owner).await);
    let matrix = app.get(&format!("/api/v1/samenwerkingen/{c}/verantwoordelijkheden"), &token).await.json();
    assert_eq!(matrix["topics"][0]["marks"], json!([[school.id.0, "verantwoordelijk"]]));
    assert!(matrix["grey"].as_array().expect("grey").contains(&json!(thuiszitters)));
    assert!(!matrix["without_responsible"].as_array().expect("gaps").contains(&json!(leerplicht)));

    let api = format!("/api/v1/samenwerkingen/{c}/verantwoordelijkheden");
    let stale_api =
        app.json(Method::PUT, &api, &token, json!({"cells": [{"topic": leerplicht, "partner": school.id.0, "was": "", "mark": "draagt_bij"}]}), &[]).await;
    assert_eq!(stale_api.status, StatusCode::CONFLICT);
    let ok = app
        .json(
            Method::PUT,
            &api,
            &token,
            json!({"cells": [{"topic": leerplicht, "partner": school.id.0, "was": "verantwoordelijk", "mark": "draagt_bij"}]}),
            &[],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.json()["without_responsible"].as_array().expect("gaps").contains(&json!(leerplicht)));

    // A cell of another collaboration's topic is refused.
    let other = app.user("ander@test.example").await;
    let d = app.collaboration("Elders", &other).await;
    app.db.add_responsibility_topics(&actor(), d, &["Elders".into()]).await.expect("topic");
    let foreign = app.db.responsibility_topics(d).await.expect("topics")[0].id;
    let refused =
        app.json(Method::PUT, &api, &token, json!({"cells": [{"topic": foreign, "partner": school.id.0, "was": "", "mark": "verantwoordelijk"}]}), &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    let reading = Auth::Cookie(app.session(&reader).await);
    let page = app.get(&path, &reading).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<select"), "a lezer reads the matrix");
    assert_eq!(app.post_form(&path, &reading, "").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn agreements_keep_every_version_refuse_a_stale_save_and_record_assent() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let mut partners = Vec::new();
    for (name, sector) in [("Gemeente", "gemeente"), ("Opvang", "kinderopvang"), ("School", "primair_onderwijs")] {
        let p = NewPartner::parse(&PartnerInput { name: name.into(), sector: sector.into(), ring: "binnenring".into(), description: String::new() })
            .expect("valid");
        partners.push(app.db.create_partner(&actor(), c, &p).await.expect("partner").id.0);
    }
    let cookie = Auth::Cookie(app.session(&owner).await);
    let parties: String = partners.iter().map(|p| format!("&party-{p}=true&contribution-{p}=Een+trekker&role-{p}=")).collect();
    let form = format!("title=Convenant+Samen&kind=samenwerkingsovereenkomst&status=concept&text=Artikel+1%0AWe+werken+samen.&review=2020-01-01{parties}");
    let created = app.post_form(&format!("/samenwerkingen/{c}/afspraken"), &cookie, &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let path = created.location().to_string();
    let agreement = app.db.agreements(c).await.expect("list")[0].clone();
    assert_eq!(agreement.content.parties.len(), 3);

    // Two people edit version 1; the second save is refused and nothing of the first is lost.
    let edit = format!("{path}/bewerken");
    let first = app.post_form(&edit, &cookie, &format!("version=1&title=Convenant+Samen&kind=samenwerkingsovereenkomst&status=vastgesteld&text=Artikel+1%0AWe+werken+echt+samen.&review=2020-01-01{parties}")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = app.post_form(&edit, &cookie, &format!("version=1&title=Anders&kind=werkafspraak&text=Iets+anders{parties}")).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("Iemand anders heeft dit intussen gewijzigd") && second.body.contains("value=\"Anders\""));
    let now = app.db.agreement(c, agreement.id).await.expect("read");
    assert_eq!((now.version, now.content.title.as_str()), (2, "Convenant Samen"));

    let diff = app.get(&format!("{path}/vergelijk?van=1&naar=2"), &cookie).await;
    assert_eq!(diff.status, StatusCode::OK);
    assert!(
        diff.body.contains("<del>") && diff.body.contains("We werken samen.") && diff.body.contains("<ins>") && diff.body.contains("We werken echt samen.")
    );
    assert!(diff.body.contains("vastgesteld"), "the changed status is listed");

    for (i, partner) in partners.iter().enumerate() {
        let answer = if i == 2 { "voorbehoud&reason=Eerst+langs+het+bestuur" } else { "instemming&reason=" };
        let reply = app.post_form(&format!("{path}/instemming"), &cookie, &format!("partner_id={partner}&version=2&assent={answer}")).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    }
    let refused = app.post_form(&format!("{path}/instemming"), &cookie, &format!("partner_id={}&version=2&assent=voorbehoud&reason=", partners[0])).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "a reservation needs a reason");
    // The agreement's page again, with the answer kept and the reason marked in that party's form.
    assert!(
        refused.body.contains("Geef bij een voorbehoud de reden.") && refused.body.contains(&format!("href=\"#reason-{}\"", partners[0])),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(&format!("id=\"reason-{}\" name=\"reason\" value=\"\" aria-invalid=\"true\"", partners[0])), "{}", refused.body);
    assert!(refused.body.contains("<option value=\"voorbehoud\" selected>") && refused.body.contains("Convenant Samen"), "the page, not a bare error");
    let page = app.get(&path, &cookie).await;
    assert!(page.body.contains("Eerst langs het bestuur"));
    assert_eq!(app.db.assents(c, agreement.id).await.expect("assents").len(), 3);

    // Marking it reviewed changes only its status: every answer holds for version 3.
    let reviewed = app.post_form(&edit, &cookie, &format!("version=2&title=Convenant+Samen&kind=samenwerkingsovereenkomst&status=herzien&text=Artikel+1%0AWe+werken+echt+samen.&review=2020-01-01{parties}")).await;
    assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.body);
    let all = app.db.assents(c, agreement.id).await.expect("assents");
    let answers = |version: i64| all.iter().filter(|a| a.version == version).count();
    assert_eq!(answers(3), 3, "a status change keeps the parties' assent");
    assert!(!app.get(&path, &cookie).await.body.contains("opnieuw om instemming gevraagd"));
    // A change of the text asks for it again, and the page says so.
    let rewritten = app.post_form(&edit, &cookie, &format!("version=3&title=Convenant+Samen&kind=samenwerkingsovereenkomst&status=herzien&text=Artikel+1%0AWe+werken+samen+tot+2030.&review=2020-01-01{parties}")).await;
    assert_eq!(rewritten.status, StatusCode::SEE_OTHER, "{}", rewritten.body);
    let all = app.db.assents(c, agreement.id).await.expect("assents");
    assert_eq!(all.iter().filter(|a| a.version == 4).count(), 0, "new text, new answers");
    let page = app.get(&path, &cookie).await;
    assert!(page.body.contains("zij worden opnieuw om instemming gevraagd. De eerdere antwoorden golden voor versie 3."), "{}", page.body);

    // The review date has passed: the start page says so.
    let overview = app.get(&format!("/samenwerkingen/{c}"), &cookie).await;
    assert!(overview.body.contains("Afspraken die herzien moeten worden") && overview.body.contains("Convenant Samen"));

    // The API: a data-sharing agreement without its AVG facts is refused; a stale PUT is 409.
    let token = Auth::Token(app.token(&owner).await);
    let api = format!("/api/v1/samenwerkingen/{c}/afspraken");
    let sharing = app.json(Method::POST, &api, &token, json!({"title": "Gegevens", "text": "t", "kind": "gegevensdeling"}), &[]).await;
    assert_eq!(sharing.status, StatusCode::BAD_REQUEST);
    let names: Vec<String> =
        sharing.json()["invalidParams"].as_array().expect("params").iter().map(|p| p["name"].as_str().unwrap_or_default().to_string()).collect();
    assert!(names.contains(&"legal_basis".to_string()) && names.contains(&"parties".to_string()), "{names:?}");
    let stale = app
        .json(Method::PUT, &format!("{api}/{}", agreement.id), &token, json!({"title": "X", "text": "t", "kind": "werkafspraak"}), &[("if-match", "\"1\"")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let versions = app.get(&format!("{api}/{}/versies", agreement.id), &token).await.json();
    assert_eq!(versions.as_array().expect("versions").len(), 4);
    assert_eq!(versions[2]["assents"].as_array().expect("assents").len(), 3);
    assert_eq!(versions[3]["assents"].as_array().expect("assents").len(), 0);
}

#[tokio::test]
async fn a_vision_is_written_adopted_as_versions_and_endorsed_by_partners() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let lid = app.user("lid@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &lid, Role::Lid).await;
    let mut partners = Vec::new();
    for (name, sector) in [("Gemeente", "gemeente"), ("Opvang", "kinderopvang"), ("School", "primair_onderwijs")] {
        let p = NewPartner::parse(&PartnerInput { name: name.into(), sector: sector.into(), ring: "binnenring".into(), description: String::new() })
            .expect("valid");
        partners.push(app.db.create_partner(&actor(), c, &p).await.expect("partner").id.0);
    }
    let cookie = Auth::Cookie(app.session(&owner).await);
    let path = format!("/samenwerkingen/{c}/visie");
    let draft = "version=0&task=Elk+kind+hoort+erbij&perspective=Samen+opgroeien+in+Lindeveen\
                 &hard-0-what=1+op+8+kinderen+groeit+op+in+armoede&hard-0-source=CBS&hard-0-date=2025-01-01\
                 &hard-1-what=&hard-1-source=&hard-1-date=\
                 &soft-0-what=Ouders+weten+de+weg+niet&soft-0-from=ouders&soft-0-date=2025-03-01";
    assert_eq!(app.post_form(&format!("{path}/bewerken"), &cookie, draft).await.status, StatusCode::SEE_OTHER);
    let stale = app.post_form(&format!("{path}/bewerken"), &cookie, "version=0&task=Iets+anders&perspective=X").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "a second writer from the same starting point is refused");
    let missing_source = app.post_form(&format!("{path}/bewerken"), &cookie, "version=1&task=T&hard-0-what=Een+cijfer&hard-0-source=").await;
    assert_eq!(missing_source.status, StatusCode::BAD_REQUEST);

    // A lid may write but not adopt.
    assert_eq!(app.post_form(&format!("{path}/vaststellen"), &Auth::Cookie(app.session(&lid).await), "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post_form(&format!("{path}/vaststellen"), &cookie, "").await.status, StatusCode::SEE_OTHER);
    for (i, partner) in partners.iter().take(2).enumerate() {
        let answer = if i == 1 { "voorbehoud&reason=Ons+bestuur+beslist+in+juni" } else { "instemming&reason=" };
        assert_eq!(
            app.post_form(&format!("{path}/draagvlak"), &cookie, &format!("partner_id={partner}&version=1&assent={answer}")).await.status,
            StatusCode::SEE_OTHER
        );
    }
    // A reservation without its reason: the vision's page again, the answer kept, the field marked.
    let bare = app.post_form(&format!("{path}/draagvlak"), &cookie, &format!("partner_id={}&version=1&assent=voorbehoud&reason=", partners[2])).await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST);
    assert!(bare.body.contains("Geef bij een voorbehoud de reden.") && bare.body.contains(&format!("href=\"#reason-{}\"", partners[2])), "{}", bare.body);
    assert!(bare.body.contains(&format!("id=\"reason-{}\" name=\"reason\" value=\"\" aria-invalid=\"true\"", partners[2])), "{}", bare.body);
    let page = app.get(&path, &cookie).await;
    assert!(
        page.body.contains("<strong>1</strong> stemmen in")
            && page.body.contains("<strong>1</strong> met voorbehoud")
            && page.body.contains("<strong>1</strong> nog te vragen"),
        "support at a glance"
    );
    assert!(page.body.contains("1 op 8 kinderen groeit op in armoede") && page.body.contains("Ouders weten de weg niet"));

    // A second version, compared side by side.
    let second = "version=1&task=Elk+kind+hoort+erbij&perspective=Samen+opgroeien+in+heel+Lindeveen&hard-0-what=1+op+8+kinderen+groeit+op+in+armoede&hard-0-source=CBS&hard-0-date=2025-01-01";
    assert_eq!(app.post_form(&format!("{path}/bewerken"), &cookie, second).await.status, StatusCode::SEE_OTHER);
    // The saved draft can be read on the page before anyone adopts it.
    let before = app.get(&path, &cookie).await;
    assert!(before.body.contains("Het concept lezen") && before.body.contains("Samen opgroeien in heel Lindeveen"), "{}", before.body);
    app.post_form(&format!("{path}/vaststellen"), &cookie, "").await;
    assert!(!app.get(&path, &cookie).await.body.contains("Het concept lezen"), "no draft once it is adopted");
    let compare = app.get(&format!("{path}/vergelijk?van=1&naar=2"), &cookie).await;
    assert_eq!(compare.status, StatusCode::OK);
    assert!(
        compare.body.contains("Samen opgroeien in Lindeveen")
            && compare.body.contains("Samen opgroeien in heel Lindeveen")
            && compare.body.contains("gewijzigd")
    );

    let token = Auth::Token(app.token(&owner).await);
    let api = app.get(&format!("/api/v1/samenwerkingen/{c}/visie"), &token).await.json();
    assert_eq!(api["versions"].as_array().expect("versions").len(), 2);
    assert_eq!(api["versions"][0]["endorsements"].as_array().expect("endorsements").len(), 2);
    let stale_api = app.json(Method::PUT, &format!("/api/v1/samenwerkingen/{c}/visie"), &token, json!({"task": "x"}), &[("if-match", "\"1\"")]).await;
    assert_eq!(stale_api.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn bodies_form_a_structure_with_reporting_lines_and_flags() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let mut partners = Vec::new();
    for (name, sector) in [("Gemeente", "gemeente"), ("Schoolbestuur", "primair_onderwijs")] {
        let p = NewPartner::parse(&PartnerInput { name: name.into(), sector: sector.into(), ring: "binnenring".into(), description: String::new() })
            .expect("valid");
        partners.push(app.db.create_partner(&actor(), c, &p).await.expect("partner").id.0);
    }
    let cookie = Auth::Cookie(app.session(&owner).await);
    let path = format!("/samenwerkingen/{c}/overleg");
    let lea = format!(
        "name=LEA+bestuurlijk+overleg&level=bestuurlijk&kind=lea_bestuurlijk&purpose=Afspraken+maken+over+de+pedagogische+basis&partners={}&per_year=4&evaluate_every_months=12&last_evaluated=2026-01-15",
        partners[0]
    );
    assert_eq!(app.post_form(&path, &cookie, &lea).await.status, StatusCode::SEE_OTHER);
    let lea_id = app.db.bodies(c).await.expect("bodies")[0].id;
    let werkgroep = format!("name=Werkgroep+doorgaande+lijn&level=uitvoerend&kind=werkgroep&reports_to={lea_id}");
    assert_eq!(app.post_form(&path, &cookie, &werkgroep).await.status, StatusCode::SEE_OTHER);
    let page = app.get(&path, &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"rg-structure\" role=\"img\"") && page.body.contains("class=\"rg-reportline\""), "a reporting line is drawn");
    assert!(page.body.contains("geen doel") && page.body.contains("geen evaluatieritme"), "the werkgroep lacks purpose and rhythm");
    assert!(page.body.contains("Partners in de binnenring die in geen enkel overleg zitten") && page.body.contains("Schoolbestuur"));

    // A body cannot report to itself or to another collaboration's body.
    let werkgroep_id = app.db.bodies(c).await.expect("bodies")[1].id;
    let itself = app
        .post_form(&format!("{path}/{werkgroep_id}/bewerken"), &cookie, &format!("version=1&name=W&level=uitvoerend&kind=werkgroep&reports_to={werkgroep_id}"))
        .await;
    assert_eq!(itself.status, StatusCode::BAD_REQUEST);
    // Deleting the LEA leaves the werkgroep without a connection, not pointing nowhere.
    assert_eq!(app.post_form(&format!("{path}/{lea_id}/verwijderen"), &cookie, "").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.db.bodies(c).await.expect("bodies")[0].content.reports_to, None);
}

#[tokio::test]
async fn the_api_keeps_the_meeting_structure_as_the_pages_do() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let lid = app.user("lid@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &lid, Role::Lid).await;
    let other = app.collaboration("Elders", &owner).await;
    let p = NewPartner::parse(&PartnerInput { name: "Gemeente".into(), sector: "gemeente".into(), ring: "binnenring".into(), description: String::new() })
        .expect("valid");
    let partner = app.db.create_partner(&actor(), c, &p).await.expect("partner").id.0;
    let foreign_partner = app.db.create_partner(&actor(), other, &p).await.expect("partner").id.0;
    let token = Auth::Token(app.token(&owner).await);
    let lid_token = Auth::Token(app.token(&lid).await);
    let base = format!("/api/v1/samenwerkingen/{c}/overleggen");

    let lea = json!({
        "name": "LEA bestuurlijk overleg", "level": "bestuurlijk", "kind": "lea_bestuurlijk",
        "purpose": "Afspraken over de pedagogische basis", "partners": [partner.to_string()], "invited": "GGD bij gezondheid",
        "topics": "Ambities", "per_year": "4", "minutes": "90", "mode": "hybride",
        "evaluate_every_months": "12", "last_evaluated": "2026-01-15", "signals": "Via de werkgroepen", "regie": "Gemeente"
    });
    let made = app.json(Method::POST, &base, &lid_token, lea, &[]).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let lea = made.json();
    let lea_id = lea["id"].as_i64().expect("id");
    assert_eq!(made.location(), format!("{base}/{lea_id}"));
    assert_eq!((lea["per_year"].as_i64(), lea["minutes"].as_i64(), lea["mode"].as_str()), (Some(4), Some(90), Some("hybride")));
    assert_eq!(lea["partners"], json!([partner]));

    let werkgroep = json!({"name": "Werkgroep doorgaande lijn", "level": "uitvoerend", "kind": "werkgroep", "reports_to": lea_id.to_string()});
    let made = app.json(Method::POST, &base, &token, werkgroep, &[]).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let werkgroep_id = made.json()["id"].as_i64().expect("id");

    // The list carries the reporting lines both ways and the flags the page shows.
    let list = app.get(&base, &lid_token).await.json();
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["reported_by"], json!([werkgroep_id]));
    assert_eq!(list[1]["reports_to"], json!(lea_id));
    assert_eq!(list[1]["flags"], json!(["no_purpose", "no_rhythm"]));

    // Invalid input, a partner of another collaboration and a body reporting to itself are
    // refused with the field named.
    let bad = app.json(Method::POST, &base, &token, json!({"name": "", "level": "hoog", "kind": "werkgroep"}), &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let names: Vec<_> = bad.json()["invalidParams"].as_array().expect("params").iter().map(|p| p["name"].clone()).collect();
    assert_eq!(names, [json!("name"), json!("level")]);
    let foreign =
        app.json(Method::POST, &base, &token, json!({"name": "X", "level": "uitvoerend", "kind": "mdo", "partners": [foreign_partner.to_string()]}), &[]).await;
    assert_eq!(foreign.status, StatusCode::BAD_REQUEST);
    assert_eq!(foreign.json()["invalidParams"][0]["name"], "partners");

    // Updates need the version read; a stale one changes nothing.
    let item = format!("{base}/{werkgroep_id}");
    let shown = app.get(&item, &token).await;
    assert_eq!(shown.header("etag"), "\"1\"");
    let change = json!({"name": "Werkgroep doorgaande lijn", "level": "uitvoerend", "kind": "werkgroep", "purpose": "Overgangen soepel", "reports_to": lea_id.to_string()});
    assert_eq!(app.json(Method::PUT, &item, &token, change.clone(), &[]).await.status, StatusCode::PRECONDITION_REQUIRED);
    let itself = json!({"name": "W", "level": "uitvoerend", "kind": "werkgroep", "reports_to": werkgroep_id.to_string()});
    assert_eq!(app.json(Method::PUT, &item, &token, itself, &[("if-match", "\"1\"")]).await.status, StatusCode::BAD_REQUEST);
    let changed = app.json(Method::PUT, &item, &lid_token, change.clone(), &[("if-match", "\"1\"")]).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.header("etag"), "\"2\"");
    assert_eq!(changed.json()["purpose"], "Overgangen soepel");
    assert_eq!(app.json(Method::PUT, &item, &token, change, &[("if-match", "\"1\"")]).await.status, StatusCode::CONFLICT);
    assert_eq!(app.get(&format!("/api/v1/samenwerkingen/{other}/overleggen/{werkgroep_id}"), &token).await.status, StatusCode::NOT_FOUND);

    // Only a beheerder removes a body; the werkgroep then reports to none.
    assert_eq!(app.send(Method::DELETE, &format!("{base}/{lea_id}"), &lid_token, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(Method::DELETE, &format!("{base}/{lea_id}"), &token, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&format!("{base}/{lea_id}"), &token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&item, &token).await.json()["reports_to"], serde_json::Value::Null);
    // The page shows what the API stored.
    let page = app.get(&format!("/samenwerkingen/{c}/overleg"), &Auth::Cookie(app.session(&owner).await)).await;
    assert!(page.body.contains("Werkgroep doorgaande lijn") && !page.body.contains("LEA bestuurlijk overleg"));
}

#[tokio::test]
async fn meetings_follow_the_rhythm_carry_reviews_and_decisions_and_export_to_calendars() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let p = NewPartner::parse(&PartnerInput { name: "Gemeente".into(), sector: "gemeente".into(), ring: "binnenring".into(), description: String::new() })
        .expect("valid");
    let partner = app.db.create_partner(&actor(), c, &p).await.expect("partner").id.0;
    let person =
        domain::person::NewPerson::parse(&domain::person::PersonInput { name: "Wethouder Jansen".into(), partner_id: Some(partner), ..Default::default() })
            .expect("valid");
    let person = app.db.create_person(&actor(), c, &person).await.expect("person").id.0;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let bodies = format!("/samenwerkingen/{c}/overleg");
    let lea = format!("name=LEA&level=bestuurlijk&kind=lea_bestuurlijk&partners={partner}&per_year=4");
    assert_eq!(app.post_form(&bodies, &cookie, &lea).await.status, StatusCode::SEE_OTHER);
    let body = app.db.bodies(c).await.expect("bodies")[0].id;
    // An agreement the LEA owns, due for review in the spring.
    let agreement = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{c}/afspraken"),
            &Auth::Token(app.token(&owner).await),
            json!({"title": "Convenant", "text": "Artikel 1", "kind": "samenwerkingsovereenkomst", "review": "2026-04-01", "body": body.to_string()}),
            &[],
        )
        .await;
    assert_eq!(agreement.status, StatusCode::CREATED, "{}", agreement.body);
    let agreement = agreement.json()["id"].as_i64().expect("id");

    // The planning form starts from the body: the LEA template is chosen.
    let form = app.get(&format!("/samenwerkingen/{c}/vergaderingen/nieuw?overleg={body}"), &cookie).await;
    assert!(form.body.contains("<option value=\"lea_bestuurlijk\" selected>"), "the template fits the body");
    let planned = app
        .post_form(&format!("/samenwerkingen/{c}/vergaderingen"), &cookie, &format!("body={body}&template=lea_bestuurlijk&date=2026-01-20&time=19:30&count=3"))
        .await;
    assert_eq!(planned.status, StatusCode::SEE_OTHER, "{}", planned.body);
    let meetings = app.db.meetings(c).await.expect("meetings");
    assert_eq!(meetings.iter().map(|m| m.content.date.as_str()).collect::<Vec<_>>(), ["2026-01-20", "2026-04-20", "2026-07-20"]);
    assert!(!meetings[0].content.agreements().any(|a| a == agreement), "not due yet in January");
    assert!(meetings[1].content.agreements().any(|a| a == agreement), "the review is on the April agenda");
    let april = meetings[1].id;
    let page = app.get(&format!("/samenwerkingen/{c}/vergaderingen/{april}"), &cookie).await;
    assert!(page.body.contains(&format!("/afspraken/{agreement}/bewerken")), "the decision links to changing the agreement");

    // Three held meetings without the wethouder: flagged on the list and on the meeting.
    for m in &meetings {
        let mut content = m.content.clone();
        content.status = domain::meeting::MeetingStatus::Gehouden;
        content.attendance = vec![domain::meeting::Attendance { person, presence: domain::meeting::Presence::Afwezig, substitute: String::new() }];
        app.db.update_meeting(&actor(), c, m.id, m.version, &content).await.expect("held");
    }
    let list = app.get(&format!("/samenwerkingen/{c}/vergaderingen"), &cookie).await;
    assert!(list.body.contains("Drie keer op rij afwezig") && list.body.contains("Wethouder Jansen"));

    // The edit form keeps agenda and attendance aligned; a substitute needs a name.
    let edit = format!("/samenwerkingen/{c}/vergaderingen/{april}/bewerken");
    let form = format!(
        "version=2&body={body}&date=2026-04-20&status=gehouden&item_title=Opening&item_outcome=informatie&item_minutes=&item_note=&item_agreement=&item_result=\
         &item_title=Convenant&item_outcome=besluit&item_minutes=15&item_note=&item_agreement={agreement}&item_result=Verlengd+tot+2028\
         &att_person={person}&att_presence=vervangen&att_substitute=&notes=Kort+overleg"
    );
    assert_eq!(app.post_form(&edit, &cookie, &form).await.status, StatusCode::BAD_REQUEST);
    let fixed = form.replace("att_substitute=&", "att_substitute=Wethouder+De+Vries&");
    assert_eq!(app.post_form(&edit, &cookie, &fixed).await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&edit, &cookie, &fixed).await.status, StatusCode::CONFLICT, "a stale form is refused");
    let saved = app.db.meeting(c, april).await.expect("meeting").content;
    assert_eq!(saved.items[1].result, "Verlengd tot 2028");
    assert_eq!(saved.attendance[0].substitute, "Wethouder De Vries");

    // Action points: added on the meeting, shown under "mijn actiepunten", status changed there.
    let add = format!("title=Nieuwe+versie+rondsturen&owner={}&due=2026-05-01", owner.id);
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/vergaderingen/{april}/actiepunten"), &cookie, &add).await.status, StatusCode::SEE_OTHER);
    let mine = app.get("/actiepunten", &cookie).await;
    assert!(mine.body.contains("Nieuwe versie rondsturen") && mine.body.contains("Samen"));
    let point = app.db.my_action_points(owner.id).await.expect("mine")[0].id;
    let done = app.post_form(&format!("/samenwerkingen/{c}/actiepunten/{point}"), &cookie, "version=1&status=gedaan&terug=mijn").await;
    assert_eq!(done.location(), "/actiepunten");
    // A reader changes the status of their own point, and of no other.
    let reader = app.user("lezer@test.example").await;
    app.member(c, &reader, Role::Lezer).await;
    let theirs = format!("title=Ouders+bellen&owner={}", reader.id);
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/vergaderingen/{april}/actiepunten"), &cookie, &theirs).await.status, StatusCode::SEE_OTHER);
    let own = app.db.my_action_points(reader.id).await.expect("theirs")[0].id;
    let reader_cookie = Auth::Cookie(app.session(&reader).await);
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/actiepunten/{own}"), &reader_cookie, "version=1&status=gedaan").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/actiepunten/{point}"), &reader_cookie, "version=2&status=open").await.status, StatusCode::FORBIDDEN);

    // Calendars: one meeting, and all of them, in Amsterdam time.
    let one = app.get(&format!("/samenwerkingen/{c}/vergaderingen/{}/agenda.ics", meetings[0].id), &cookie).await;
    assert_eq!(one.header("content-type"), "text/calendar; charset=utf-8");
    assert!(one.body.contains("DTSTART;TZID=Europe/Amsterdam:20260120T193000\r\n") && one.body.contains("SUMMARY:LEA – Samen"));
    let all = app.get(&format!("/samenwerkingen/{c}/vergaderingen.ics"), &cookie).await;
    assert_eq!(all.body.matches("BEGIN:VEVENT").count(), 3);

    // The API reads and writes the same meetings, with If-Match.
    let token = Auth::Token(app.token(&owner).await);
    let url = format!("/api/v1/samenwerkingen/{c}/vergaderingen/{april}");
    let read = app.json(Method::GET, &url, &token, json!(null), &[]).await;
    assert_eq!(read.header("etag"), "\"3\"");
    let update = json!({"date": "2026-04-21", "status": "gehouden", "items": [{"title": "Opening", "outcome": "informatie"}]});
    assert_eq!(app.json(Method::PUT, &url, &token, update.clone(), &[]).await.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(app.json(Method::PUT, &url, &token, update.clone(), &[("if-match", "\"3\"")]).await.status, StatusCode::OK);
    assert_eq!(app.json(Method::PUT, &url, &token, update, &[("if-match", "\"3\"")]).await.status, StatusCode::CONFLICT);
    let series = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/vergaderingen"), &token, json!({"date": "2026-09-01", "count": "2"}), &[]).await;
    assert_eq!(series.status, StatusCode::BAD_REQUEST, "a series needs a body with a rhythm");
    assert!(series.body.contains("count"));
}

#[tokio::test]
async fn an_agenda_item_shows_the_card_of_the_indicator_it_discusses() {
    use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let other = app.collaboration("Elders", &owner).await;
    let input = IndicatorInput {
        code: "THZ".into(),
        name: "Thuiszitters".into(),
        kind: "aantal".into(),
        direction: "lager_beter".into(),
        perspective: "eindgebruiker".into(),
        period_type: "jaar".into(),
        targets: "2025: 20".into(),
        ..Default::default()
    };
    let content = IndicatorContent::parse(&input).expect("valid");
    let indicator = app.db.create_indicator(&actor(), c, &content).await.expect("indicator").id;
    let foreign = app.db.create_indicator(&actor(), other, &content).await.expect("indicator").id;
    let m = |area: &str, n: f64| Measurement {
        area: domain::area::AreaCode::parse(area).expect("code"),
        period: "2025".into(),
        parts: domain::measure::Parts::count(n),
    };
    // Utrecht made of these two wijken: its figure is whole.
    app.classification(&["WK034401", "WK034402"]).await;
    app.db.save_measurements(&actor(), c, indicator, &[m("WK034401", 23.0), m("WK034402", 4.0)]).await.expect("saved");
    for next in [MeasurementStatus::Ingediend, MeasurementStatus::Goedgekeurd] {
        app.db.move_measurements(&actor(), c, indicator, "2025", next).await.expect("moved");
    }

    let token = Auth::Token(app.token(&owner).await);
    let url = format!("/api/v1/samenwerkingen/{c}/vergaderingen");
    let created = app.json(Method::POST, &url, &token, json!({"date": "2026-03-02"}), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let meeting = app.db.meetings(c).await.expect("meetings")[0].id;
    let item =
        |indicator: i64| json!({"date": "2026-03-02", "items": [{"title": "Thuiszitters", "outcome": "informatie", "indicator": indicator.to_string()}]});
    let put = |body: serde_json::Value| {
        let (app, token, url) = (&app, token.clone(), format!("{url}/{meeting}"));
        async move { app.json(Method::PUT, &url, &token, body, &[("if-match", "\"1\"")]).await }
    };
    assert_eq!(put(item(foreign)).await.status, StatusCode::BAD_REQUEST, "an indicator of another collaboration");
    let saved = put(item(indicator)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    // The card shows the total of 27 as it may be published: 25, off the target of 20.
    let cookie = Auth::Cookie(app.session(&owner).await);
    let page = app.get(&format!("/samenwerkingen/{c}/vergaderingen/{meeting}"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("/indicatoren/{indicator}\">THZ Thuiszitters</a>")), "{}", page.body);
    assert!(page.body.contains("<td class=\"utrecht-table__cell\">25</td><td class=\"utrecht-table__cell\">20</td>"), "{}", page.body);
    assert!(!page.body.contains(">27<") && !page.body.contains(">23<"), "never the raw figures");
    // The edit form offers the indicator and keeps the choice.
    let form = app.get(&format!("/samenwerkingen/{c}/vergaderingen/{meeting}/bewerken"), &cookie).await;
    assert!(form.body.contains(&format!("<option value=\"{indicator}\" selected>THZ Thuiszitters</option>")), "{}", form.body);
}
