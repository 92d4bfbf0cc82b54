//! Self-scans over HTTP: a round, invitation links per sector, anonymous answers, results that
//! hide small groups on every path, and a burst of 500 respondents over loopback.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use serde_json::json;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An answer posted by a page of the product itself: without credentials, a POST must say where it comes from.
const SAME_ORIGIN: &[(&str, &str)] = &[("sec-fetch-site", "same-origin")];

async fn round(app: &TestApp, cookie: &Auth, c: domain::ids::CollaborationId, template: &str) -> i64 {
    let t = domain::scan::template(template).expect("template");
    let questions: String = t.questions().map(|(_, q)| format!("&questions={}", q.key)).collect();
    let form = format!("template={template}&title=Najaar&opens=2026-01-01&closes=2099-12-31&min_group=5{questions}&extra-e1=Ook+de+wethouder+kent+onze+visie");
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

    let page = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Verborgen, want te weinig antwoorden:</strong> jeugdhulp, primair onderwijs"), "{}", page.body);
    assert!(page.body.contains("2,0 <span class=\"rg-flag\">bespreken</span>"), "element 1 differs by 2 points between the shown groups");
    assert!(page.body.contains("role=\"img\""), "the radar chart");
    let schools = app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten?groep=sector:primair_onderwijs"), &cookie).await;
    assert!(schools.body.contains("te weinig antwoorden om iets te laten zien") && !schools.body.contains("Meer tijd samen"));
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
    assert_eq!(api.json()["answers"], json!(18));
    assert!(!api.json()["groups"].as_array().expect("groups").contains(&json!("sector:primair_onderwijs")));

    // The API answers through a link too, and refuses an answer that fits no question.
    let more = links(&app, &cookie, c, round, "label=Meer&count=1").await;
    let last = more.last().expect("link");
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
            json!({"sector": "gemeente", "level": "beleid", "answers": {"e1_1": 4}}),
            SAME_ORIGIN,
        )
        .await;
    assert_eq!(good.status, StatusCode::NO_CONTENT);
    assert_eq!(app.db.answers(c, round).await.expect("answers").len(), 19);
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
    let app = TestApp::new().await;
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
