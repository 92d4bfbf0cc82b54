//! Dates and times as people write them, and forms that show a refused row again.

mod common;

use axum::http::StatusCode;
use common::{Auth, TestApp};

#[tokio::test]
async fn a_meeting_planned_with_a_dutch_date_and_time_is_shown_in_dutch() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);

    let form = app.get(&format!("/samenwerkingen/{c}/overleg/nieuw"), &cookie).await;
    assert!(form.body.contains("type=\"date\" id=\"f-last_evaluated\""), "a date is a date field");
    assert!(form.body.contains("id=\"f-last_evaluated-hint\">Bijvoorbeeld 12-3-2026."), "with the hint how to write one");

    let planned = app.post_form(&format!("/samenwerkingen/{c}/vergaderingen"), &cookie, "template=leeg&date=20-1-2026&time=9.30").await;
    assert_eq!(planned.status, StatusCode::SEE_OTHER, "{}", planned.body);
    let meetings = app.db.meetings(c).await.expect("meetings");
    assert_eq!(meetings.iter().map(|m| (m.content.date.as_str(), m.content.time.as_str())).collect::<Vec<_>>(), [("2026-01-20", "09:30")]);
    let page = app.get(&format!("/samenwerkingen/{c}/vergaderingen/{}", meetings[0].id), &cookie).await;
    assert!(page.body.contains("20 januari 2026, 9.30 uur"), "{}", page.body);
    let list = app.get(&format!("/samenwerkingen/{c}/vergaderingen"), &cookie).await;
    assert!(list.body.contains("20 januari 2026 9.30 uur"), "the list reads the same");

    let refused = app.post_form(&format!("/samenwerkingen/{c}/vergaderingen"), &cookie, "template=leeg&date=31-31-2026&time=25.00").await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Schrijf de datum als dag-maand-jaar") && refused.body.contains("Schrijf de tijd als uren en minuten"), "{}", refused.body);
    assert!(refused.body.contains("id=\"fouten\" autofocus"), "the error summary takes the focus");
}

#[tokio::test]
async fn the_vision_form_names_the_row_of_a_refused_date_and_keeps_the_rows_in_place() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let cookie = Auth::Cookie(app.session(&owner).await);
    let form = app.get(&format!("/samenwerkingen/{c}/visie/bewerken"), &cookie).await;
    let version = form.body.split("name=\"version\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("version").to_string();

    let rows = "hard-0-what=Wachtlijst&hard-0-source=GGD&hard-0-date=12-3-2026\
        &hard-1-what=&hard-1-source=&hard-1-date=\
        &hard-2-what=Verzuim&hard-2-source=Leerplicht&hard-2-date=31-31-2026";
    let refused = app.post_form(&format!("/samenwerkingen/{c}/visie/bewerken"), &cookie, &format!("version={version}&task=Opgave&{rows}")).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("href=\"#hard-2-date\">Gegeven 3: Schrijf de datum"), "the message names the row: {}", refused.body);
    assert!(refused.body.contains("id=\"hard-2-date\" name=\"hard-2-date\" aria-invalid=\"true\" value=\"31-31-2026\""), "the row's date is marked");
    assert!(refused.body.contains("name=\"hard-2-what\" value=\"Verzuim\""), "the row stays where it was typed");
    assert!(!refused.body.contains("id=\"hard-0-date\" name=\"hard-0-date\" aria-invalid"), "the good row is not marked");

    let saved = app
        .post_form(
            &format!("/samenwerkingen/{c}/visie/bewerken"),
            &cookie,
            &format!("version={version}&task=Opgave&{}", rows.replace("31-31-2026", "1/2/2026")),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&format!("/samenwerkingen/{c}/visie/bewerken"), &cookie).await;
    assert!(page.body.contains("value=\"2026-03-12\"") && page.body.contains("value=\"2026-02-01\""), "stored in one form");
}
