//! Self-scans over HTTP: a round, invitation links per sector, anonymous answers, results that
//! hide small groups on every path, and a burst of 500 respondents over loopback.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp, web};
use serde_json::json;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An answer posted by a page of the product itself: without credentials, a POST must say where it comes from.
const SAME_ORIGIN: &[(&str, &str)] = &[("sec-fetch-site", "same-origin")];

async fn round(app: &TestApp, cookie: &Auth, c: domain::ids::CollaborationId, template: &str) -> i64 {
    let t = domain::scan::template(template).expect("template");
    let questions: String = t.questions().map(|(_, q)| format!("&questions={}", q.key)).collect();
    let split = if t.audience == domain::scan::Audience::Partners { "&split_by=sector" } else { "" };
    let form =
        format!("template={template}&title=Najaar&opens=2026-01-01&closes=2099-12-31&min_group=5{split}{questions}&extra-e1=Ook+de+wethouder+kent+onze+visie");
    let created = app.post_form(&format!("/samenwerkingen/{c}/scans"), cookie, &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    created.location().rsplit('/').next().and_then(|id| id.parse().ok()).expect("round id")
}

async fn links(app: &TestApp, cookie: &Auth, c: domain::ids::CollaborationId, round: i64, form: &str) -> Vec<String> {
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/links"), cookie, form).await.status, StatusCode::SEE_OTHER);
    app.db.links(c, round).await.expect("links").into_iter().map(|l| l.token).collect()
}

#[tokio::test]
async fn answers_are_anonymous_and_results_never_show_a_small_group() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let round = round(&app, &cookie, c, "werkzame_elementen").await;
    let tokens = links(&app, &cookie, c, round, "label=Partners&count=18").await;
    assert_eq!(tokens.len(), 18);
    // The round's own copy carries the statement the collaboration added.
    let form = app.get(&format!("/vragenlijst/{}", tokens[0]), &Auth::None).await;
    assert!(form.body.contains("Ook de wethouder kent onze visie") && form.body.contains("name=\"q-e1_eigen\""));
    // Six from the municipality answer high, seven from childcare lower; two from schools and
    // three from youth care stay hidden, and together (5) they need no other group hidden.
    for (i, token) in tokens.iter().enumerate() {
        let (sector, score) = match i {
            0..6 => ("gemeente", 5),
            6..13 => ("kinderopvang", 3),
            13..15 => ("primair_onderwijs", 1),
            _ => ("jeugdhulp", 2),
        };
        let form = format!("sector={sector}&level=beleid&q-e1_1={score}&q-e1_2={score}&q-e2_1=4&q-open_1=Meer+tijd+samen");
        let answered = app.post_form(&format!("/vragenlijst/{token}"), &Auth::None, &form).await;
        assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
        assert!(answered.body.contains("Bedankt"));
    }
    let again = app.post_form(&format!("/vragenlijst/{}", tokens[0]), &Auth::None, "sector=gemeente&level=beleid&q-e1_1=1").await;
    assert_eq!(again.status, StatusCode::GONE, "a single-use link answers once");
    assert_eq!(app.get(&format!("/vragenlijst/{}", tokens[0]), &Auth::None).await.status, StatusCode::GONE);

    // The API answers through a link too, and refuses an answer that fits no question.
    let more = links(&app, &cookie, c, round, "label=Meer&count=1").await;
    let last = more.last().expect("link").clone();
    let bad = app
        .json(
            Method::POST,
            &format!("/api/v1/vragenlijst/{last}"),
            &Auth::None,
            json!({"sector": "gemeente", "level": "beleid", "answers": {"e1_1": 9}}),
            SAME_ORIGIN,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let good = app
        .json(
            Method::POST,
            &format!("/api/v1/vragenlijst/{last}"),
            &Auth::None,
            json!({"sector": "jeugdhulp", "level": "beleid", "answers": {"e1_1": 2}}),
            SAME_ORIGIN,
        )
        .await;
    assert_eq!(good.status, StatusCode::NO_CONTENT);
    assert_eq!(app.db.answers(c, round).await.expect("answers").len(), 19);
    // Nothing is published before the round closes.
    let pending = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten"), &cookie).await;
    assert!(pending.body.contains("Wordt gepubliceerd na sluiting van de ronde") && !pending.body.contains("Meer tijd samen"), "{}", pending.body);
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/sluiten"), &cookie, "").await.status, StatusCode::SEE_OTHER);
    let fresh = links(&app, &cookie, c, round, "label=Laat&count=1").await;
    let late = app.post_form(&format!("/vragenlijst/{}", fresh.last().expect("link")), &Auth::None, "sector=gemeente&level=beleid&q-e1_1=1").await;
    assert_eq!(late.status, StatusCode::GONE, "a closed round takes no answers");

    let page = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Verborgen, want te weinig antwoorden:</strong> jeugdhulp, primair onderwijs"), "{}", page.body);
    assert!(page.body.contains("2,0 <span class=\"rg-flag\">bespreken</span>"), "element 1 differs by 2 points between the shown groups");
    assert!(page.body.contains("role=\"img\""), "the radar chart");
    let schools = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten?groep=sector:primair_onderwijs"), &cookie).await;
    assert!(schools.body.contains("Niet getoond: te klein aantal deelnemers.") && !schools.body.contains("Meer tijd samen"));
    let csv = app.get(&format!("/samenwerkingen/{c}/scans/{round}/export/csv"), &cookie).await;
    assert!(csv.body.contains("\"gemeente\";") && !csv.body.contains("\"primair onderwijs\";") && !csv.body.contains("\"jeugdhulp\";"), "{}", csv.body);
    let book = app.get(&format!("/samenwerkingen/{c}/scans/{round}/export/xlsx"), &cookie).await;
    assert_eq!(book.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let book = app.get_bytes(&format!("/samenwerkingen/{c}/scans/{round}/export/xlsx"), &cookie).await;
    let sheet = domain::table::read(&book, domain::table::Limits::default()).expect("a workbook");
    let groups: Vec<&str> = sheet.rows.iter().map(|r| r.cells[0].as_str()).collect();
    assert!(groups.contains(&"gemeente") && !groups.contains(&"primair onderwijs") && !groups.contains(&"jeugdhulp"), "{groups:?}");
    let token = Auth::Token(app.token(&owner).await);
    let api =
        app.json(Method::GET, &format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten?groep=sector:primair_onderwijs"), &token, json!(null), &[]).await;
    assert_eq!(api.json()["shown"], json!(false));
    assert_eq!(api.json()["questions"], json!([]));
    let api = app.json(Method::GET, &format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten"), &token, json!(null), &[]).await;
    assert_eq!(api.json()["answers"], json!(19));
    assert!(!api.json()["groups"].as_array().expect("groups").contains(&json!("sector:primair_onderwijs")));
}

/// One form post over a fresh TCP connection; the status code of the answer.
async fn post(addr: SocketAddr, path: &str, body: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).await.expect("read");
    String::from_utf8_lossy(&reply).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_500_respondents_loses_nothing() {
    // All from one address through one link: the limits are raised so that every answer counts.
    let answers = web::survey_limits::Limits { per_link: 1000, per_client: 1000, ..Default::default() };
    let app = TestApp::with_config(web::Config { answers, ..web::Config::default() }).await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let round = round(&app, &cookie, c, "stem_ouders").await;
    let token = links(&app, &cookie, c, round, "label=Ouders&reusable=true").await.remove(0);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await });
    let started = std::time::Instant::now();
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(50));
    let mut tasks = Vec::new();
    for i in 0..500 {
        let (gate, path) = (gate.clone(), format!("/vragenlijst/{token}"));
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.expect("permit");
            post(addr, &path, &format!("q-o1={}&q-o2=4", 1 + i % 5)).await
        }));
    }
    let mut statuses = std::collections::BTreeMap::new();
    for task in tasks {
        *statuses.entry(task.await.expect("task")).or_insert(0) += 1;
    }
    let elapsed = started.elapsed();
    assert_eq!(statuses, [(200, 500)].into(), "every answer taken");
    assert!(elapsed.as_secs() < 60, "500 answers took {elapsed:?}");
    assert_eq!(app.db.answers(c, round).await.expect("answers").len(), 500, "every answer stored");
    let uses = app.db.links(c, round).await.expect("links")[0].uses;
    assert_eq!(uses, 500);
    println!("500 answers over loopback in {elapsed:?}");
}

/// What a beheerder, a lid and a lezer read of a round's results: page, both exports and the API.
async fn read_all(app: &TestApp, c: domain::ids::CollaborationId, round: i64, readers: &[Auth]) -> Vec<String> {
    let mut seen = Vec::new();
    for reader in readers {
        for path in [
            format!("/samenwerkingen/{c}/scans/{round}/resultaten"),
            format!("/samenwerkingen/{c}/scans/{round}/resultaten?groep=sector:gemeente"),
            format!("/samenwerkingen/{c}/scans/{round}/resultaten?groep=niveau:beleid"),
            format!("/samenwerkingen/{c}/scans/{round}/export/csv"),
            format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten"),
            format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten?groep=sector:gemeente"),
        ] {
            // Pages for a session, the API for a token.
            if path.starts_with("/api/") != matches!(reader, Auth::Token(_)) {
                continue;
            }
            let reply = app.get(&path, reader).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            seen.push(reply.body);
        }
    }
    seen
}

/// The attacks on live results: the answers at five and at six give the sixth respondent's
/// answers, a grouping minus an overlapping one is one person, and a lid opens a round with a
/// minimum group of 3. None works.
#[tokio::test]
async fn results_do_not_change_per_answer_and_groupings_cannot_be_subtracted() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let member = app.user("lid@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &member, domain::access::Role::Lid).await;
    app.member(c, &reader, domain::access::Role::Lezer).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let lid = Auth::Cookie(app.session(&member).await);
    let readers = [cookie.clone(), lid.clone(), Auth::Cookie(app.session(&reader).await), Auth::Token(app.token(&member).await)];

    // A lid cannot open a round with a minimum group of 3: the floor is named.
    let small = "template=werkzame_elementen&title=Klein&opens=2026-01-01&closes=2099-12-31&min_group=3&split_by=sector&questions=e1_1";
    let refused = app.post_form(&format!("/samenwerkingen/{c}/scans"), &lid, small).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Minstens 5: lager staat deze installatie niet toe."), "{}", refused.body);
    let api = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{c}/scans"),
            &readers[3],
            json!({"template": "werkzame_elementen", "title": "Klein", "opens": "2026-01-01", "closes": "2099-12-31", "min_group": "3"}),
            &[],
        )
        .await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST, "{}", api.body);

    let round = round(&app, &lid, c, "werkzame_elementen").await;
    let tokens = links(&app, &cookie, c, round, "label=Persoonlijk&count=12").await;
    // Personal links: the sender never sees which one was used.
    let page = app.get(&format!("/samenwerkingen/{c}/scans/{round}"), &cookie).await.body;
    assert!(!page.contains("Keer gebruikt"), "no use count per link");
    let app = &app;
    let answer = |i: usize, sector: &str, level: &str, score: u8, text: &str| {
        let form = format!("sector={sector}&level={level}&q-e1_1={score}&q-open_1={text}");
        let path = format!("/vragenlijst/{}", tokens[i]);
        async move { app.post_form(&path, &Auth::None, &form).await.status }
    };
    // Five, then a sixth with a telling answer: nothing read in between differs.
    for i in 0..5 {
        assert_eq!(answer(i, "gemeente", "beleid", 4, "Goed+overleg").await, StatusCode::OK);
    }
    let at_five = read_all(app, c, round, &readers).await;
    assert_eq!(answer(5, "gemeente", "uitvoering", 1, "Mijn+leidinggevende+luistert+niet").await, StatusCode::OK);
    let at_six = read_all(app, c, round, &readers).await;
    assert_eq!(at_five, at_six, "one more answer changes nothing anyone can read before the round closes");
    assert!(at_six.iter().all(|b| !b.contains("luistert niet") && !b.contains("Goed overleg")), "free text only after close");
    // Five from childcare, one of them at the executive level.
    for i in 6..11 {
        let level = if i == 6 { "bestuurlijk" } else { "beleid" };
        assert_eq!(answer(i, "kinderopvang", level, 3, "").await, StatusCode::OK);
    }
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/sluiten"), &lid, "").await.status, StatusCode::SEE_OTHER);
    assert_eq!(answer(11, "gemeente", "beleid", 5, "").await, StatusCode::GONE);

    // After closing: one split (sector) only; every shown group and everyone else hold at least 5.
    let token = &readers[3];
    let all = app.json(Method::GET, &format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten"), token, json!(null), &[]).await.json();
    assert_eq!((all["published"].clone(), all["answers"].clone()), (json!(true), json!(11)));
    let groups: Vec<String> = all["groups"].as_array().expect("groups").iter().map(|g| g.as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(groups, ["sector:gemeente", "sector:kinderopvang"]);
    for g in &groups {
        let one = app.json(Method::GET, &format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten?groep={g}"), token, json!(null), &[]).await.json();
        let n = one["questions"][0]["n"].as_u64().expect("n");
        assert!(n >= 5 && (11 - n == 0 || 11 - n >= 5), "{g}: {n} and the rest {}", 11 - n);
    }
    // A level grouping, which would overlap the sectors, is not offered: asking for it gives everyone.
    let level = app.json(Method::GET, &format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten?groep=niveau:beleid"), token, json!(null), &[]).await;
    assert_eq!(level.json(), all, "everyone, not the level group");
    let page = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten"), &readers[2]).await.body;
    assert!(page.contains("luistert niet") && !page.contains("bestuurlijk"), "free text after close; no level groups");
    // The results stay as they are once published.
    assert_eq!(read_all(app, c, round, &readers).await, read_all(app, c, round, &readers).await);
}

/// A script floods a public link: after the limit per client every answer is refused with 429
/// (a page for the form, problem+json for the API, both with `Retry-After`), nothing more is
/// stored, and the refusals are counted on the round's page. Another client on the same link,
/// and the same client on another link, are not held back; the link's own limit holds for all.
#[tokio::test]
async fn a_flood_through_a_public_link_is_refused_and_counted() {
    let answers = web::survey_limits::Limits { per_link: 8, per_client: 3, window: std::time::Duration::from_secs(600) };
    let app = TestApp::with_config(web::Config { answers, trust_proxy: true, ..web::Config::default() }).await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let round = round(&app, &cookie, c, "stem_ouders").await;
    let first = links(&app, &cookie, c, round, "label=Ouders&reusable=true").await.remove(0);
    let second = links(&app, &cookie, c, round, "label=Jongeren&reusable=true").await.into_iter().find(|t| *t != first).expect("second link");
    let from = |ip: &'static str| [("x-forwarded-for", ip), ("origin", "http://reisgenoot.test"), ("sec-fetch-site", "same-origin")];
    let form = |token: &str| (format!("/vragenlijst/{token}"), Some(("application/x-www-form-urlencoded", "q-o1=3&q-o2=4".to_string())));

    let mut statuses = Vec::new();
    for _ in 0..10 {
        let (path, body) = form(&first);
        let reply = app.send_with(Method::POST, &path, &Auth::None, body, &from("203.0.113.7")).await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(reply.body.contains("te veel antwoorden tegelijk"), "{}", reply.body);
            let wait: u64 = reply.header("retry-after").parse().expect("Retry-After in seconds");
            assert!((1..=600).contains(&wait), "{wait}");
        }
        statuses.push(reply.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    let api = app.json(Method::POST, &format!("/api/v1/vragenlijst/{first}"), &Auth::None, json!({"answers": {"o1": 2}}), &from("203.0.113.7")).await;
    assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS, "{}", api.body);
    assert_eq!(api.header("content-type"), "application/problem+json");
    assert!(!api.header("retry-after").is_empty());
    assert_eq!(app.db.answers(c, round).await.expect("answers").len(), 3, "nothing refused was stored");

    // Another client on the same link, and the flooding client on another link, go on.
    let (path, body) = form(&first);
    assert_eq!(app.send_with(Method::POST, &path, &Auth::None, body, &from("198.51.100.1")).await.status, StatusCode::OK);
    let (path, body) = form(&second);
    assert_eq!(app.send_with(Method::POST, &path, &Auth::None, body, &from("203.0.113.7")).await.status, StatusCode::OK);
    // The link's own limit (8) holds whoever sends: four more clients fill it, the fifth waits.
    let mut more = Vec::new();
    for ip in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"] {
        let (path, body) = form(&first);
        more.push(app.send_with(Method::POST, &path, &Auth::None, body, &from(ip)).await.status.as_u16());
    }
    assert_eq!(more, [200, 200, 200, 200, 429]);

    let page = app.get(&format!("/samenwerkingen/{c}/scans/{round}"), &cookie).await;
    assert!(page.body.contains("<dd id=\"refused\">9</dd>"), "seven from the form, one from the API, one over the link's limit: {}", page.body);
}

/// A single-use link opened in two tabs and sent from both at the same moment takes one
/// answer: counting the use and storing the answer are one transaction.
#[tokio::test]
async fn a_single_use_link_sent_from_two_tabs_at_once_takes_one_answer() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let round = round(&app, &cookie, c, "werkzame_elementen").await;
    let tokens = links(&app, &cookie, c, round, "label=Partners&count=3").await;
    for token in &tokens {
        let tabs: Vec<_> = (0..2)
            .map(|tab| {
                let (app, path) = (app.clone(), format!("/vragenlijst/{token}"));
                tokio::spawn(async move { app.post_form(&path, &Auth::None, &format!("sector=gemeente&level=beleid&q-e1_1={}", tab + 2)).await.status })
            })
            .collect();
        let mut statuses = Vec::new();
        for tab in tabs {
            statuses.push(tab.await.expect("tab"));
        }
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::GONE], "one answer per link, the other tab told it is used");
    }
    assert_eq!(app.db.answers(c, round).await.expect("answers").len(), tokens.len());
}
