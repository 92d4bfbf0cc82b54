//! Importing measurements from files over HTTP: a Dutch-Excel CSV with twenty kinds of bad
//! rows stores nothing and reports all twenty; the fixed file imports; importing it again
//! changes nothing; a differing value needs an explicit replace; locked periods and files
//! about persons are refused; XLSX goes the same way as CSV.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, TestApp};
use domain::ids::CollaborationId;
use serde_json::json;

const GOOD: &[&str] = &[
    "THZ;BU03440111;2024-2025;6;",
    "THZ;BU03440112;2024-2025;4;",
    "THZ;WK034401;2024-2025;12;",
    "VVE;BU03440111;2024;45;60",
    "VVE;BU03440112;2024;30,0;50",
    "GEM;GM0344;2024;1.234,5;400",
];

/// Twenty bad rows, one per kind of mistake, each with the line, column and reason expected.
const BAD: &[(&str, &str, &str)] = &[
    ("XYZ;GM0344;2024-2025;1;", "indicator", "err.unknown_indicator"),
    (";GM0344;2024-2025;1;", "indicator", "err.required"),
    ("THZ;GM03;2024-2025;1;", "gebied", "err.area_code"),
    ("THZ;BU03449999;2024-2025;1;", "gebied", "err.unknown_area"),
    ("THZ;;2024-2025;1;", "gebied", "err.required"),
    ("THZ;GM0344;2024;1;", "periode", "err.period"),
    ("THZ;BU03440113;;1;", "periode", "err.required"),
    ("THZ;GM0344;2024-2025;veel;", "teller", "err.decimal"),
    ("THZ;BU03440114;2024-2025;;", "teller", "err.required"),
    ("THZ;BU03440121;2024-2025;-3;", "teller", "err.negative"),
    ("THZ;BU03440122;2024-2025;2,5;", "teller", "err.whole_number"),
    ("THZ;BU03440123;2024-2025;2;9", "noemer", "err.no_denominator"),
    ("VVE;GM0344;2024;5;", "noemer", "err.denominator"),
    ("VVE;WK034401;2024;5;0", "noemer", "err.denominator"),
    ("VVE;BU03440113;2024;5;x", "noemer", "err.denominator"),
    ("VVE;BU03440114;2024;70;60", "teller", "err.above_denominator"),
    ("THZ;BU03440111;2023-2024;1;", "periode", "err.period_locked"),
    ("THZ;BU03440111;2024-2025;6;", "gebied", "err.duplicate_row"),
    ("THZ;GM0344;2022-2023;9;", "teller", "err.approved_value"),
    ("THZ;GM0344;2024-2025;1;;;te veel", "", "err.row_length"),
];

/// A file as Dutch Excel saves it: semicolons, decimal commas, Windows-1252 (é in the header).
fn dutch_excel(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from("Indicator;Gebied;Periode;Teller;Noemer;Toelichting\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text = text.replace("Toelichting", "Toelichting café");
    text.chars().map(|c| if c == 'é' { 0xE9 } else { c as u8 }).collect()
}

/// A collaboration in Utrecht (2024 areas) with a count, a ratio and a mean; its beheerder's token and session.
async fn setup(app: &TestApp) -> (CollaborationId, Auth, Auth) {
    let owner = app.user("beheerder@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let token = &Auth::Token(app.token(&owner).await);
    for (code, kind, period_type) in [("THZ", "aantal", "schooljaar"), ("VVE", "verhouding", "jaar"), ("GEM", "gemiddelde", "jaar")] {
        let body = json!({"code": code, "name": code, "kind": kind, "direction": "hoger_beter", "perspective": "netwerk", "period_type": period_type});
        let created = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), token, body, &[]).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }
    (c, Auth::Token(app.token(&owner).await), Auth::Cookie(app.session(&owner).await))
}

#[tokio::test]
async fn a_file_with_twenty_kinds_of_bad_rows_stores_nothing_and_reports_all_twenty() {
    let app = TestApp::new().await;
    let (c, token, cookie) = setup(&app).await;
    let import = format!("/api/v1/samenwerkingen/{c}/metingen/import");

    // An approved value for 2022-2023 and a locked 2023-2024, for the rows that meet them.
    let thz = app.db.indicators(c).await.expect("indicators").into_iter().find(|i| i.content.code == "THZ").expect("THZ").id;
    let seed = app.post_bytes(&import, &token, "text/csv", b"indicator,gebied,periode,teller\nTHZ,GM0344,2022-2023,8\n".to_vec()).await;
    assert_eq!(seed.status, StatusCode::OK, "{}", seed.body);
    let actor = common::actor();
    for next in [domain::indicator::MeasurementStatus::Ingediend, domain::indicator::MeasurementStatus::Goedgekeurd] {
        app.db.move_measurements(&actor, c, thz, "2022-2023", next).await.expect("moves");
    }
    let locked = app.post_form(&format!("/samenwerkingen/{c}/indicatoren/perioden"), &cookie, "period=2023-2024&locked=1").await;
    assert_eq!(locked.status, StatusCode::SEE_OTHER, "{}", locked.body);

    let mut rows: Vec<&str> = GOOD.to_vec();
    rows.extend(BAD.iter().map(|(row, _, _)| *row));
    let refused = app.post_bytes(&import, &token, "text/csv", dutch_excel(&rows)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let errors = refused.json()["fouten"].as_array().cloned().expect("errors");
    let got: Vec<(i64, String, String)> = errors
        .iter()
        .map(|e| (e["regel"].as_i64().unwrap_or(0), e["kolom"].as_str().unwrap_or("").to_lowercase(), e["code"].as_str().unwrap_or("").to_string()))
        .collect();
    let expected: Vec<(i64, String, String)> =
        BAD.iter().enumerate().map(|(i, (_, column, code))| ((GOOD.len() + i + 2) as i64, column.to_string(), code.to_string())).collect();
    assert_eq!(got, expected);
    assert_eq!(app.db.measurements(c, thz).await.expect("rows").len(), 1, "only the seeded value");

    // The upload page says the same, one line per problem.
    let boundary = "rgboundary";
    let mut form =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"metingen.csv\"\r\nContent-Type: text/csv\r\n\r\n").into_bytes();
    form.extend(dutch_excel(&rows));
    form.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let page = app.post_bytes(&format!("/samenwerkingen/{c}/indicatoren/import"), &cookie, &format!("multipart/form-data; boundary={boundary}"), form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.body.matches("<li>Regel ").count(), 20, "{}", page.body);
    assert!(page.body.contains("Regel 11, kolom Gebied: Deze gebiedscode komt niet voor"));

    // Fixed, the file imports; again, nothing changes.
    let fixed = app.post_bytes(&import, &token, "text/csv", dutch_excel(GOOD)).await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.body);
    assert_eq!(fixed.json(), json!({"regels": 6, "nieuw": 6, "vervangen": 0, "ongewijzigd": 0}));
    let again = app.post_bytes(&import, &token, "text/csv", dutch_excel(GOOD)).await;
    assert_eq!(again.json(), json!({"regels": 6, "nieuw": 0, "vervangen": 0, "ongewijzigd": 6}));
    let gem = app.db.indicators(c).await.expect("indicators").into_iter().find(|i| i.content.code == "GEM").expect("GEM").id;
    let mean = app.db.measurements(c, gem).await.expect("rows");
    assert_eq!(mean[0].parts, domain::measure::Parts::ratio(1234.5, 400.0), "decimal comma and thousands point");

    // A differing value is refused unless replacing is asked for explicitly.
    let changed = dutch_excel(&["THZ;BU03440111;2024-2025;7;"]);
    let differs = app.post_bytes(&import, &token, "text/csv", changed.clone()).await;
    assert_eq!(differs.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(differs.json()["fouten"][0]["code"], "err.differs");
    let replaced = app.post_bytes(&format!("{import}?vervangen=true"), &token, "text/csv", changed).await;
    assert_eq!(replaced.json(), json!({"regels": 1, "nieuw": 0, "vervangen": 1, "ongewijzigd": 0}));

    // The audit log names the imports.
    let log = app.db.audit_all().await.expect("log");
    let imports = |result: &str| log.iter().filter(|e| e.action == "measurement.import" && e.result == result).count();
    assert_eq!(imports("ok"), 4, "every import is logged, also one that changed nothing");
    assert_eq!(imports("refused"), 3, "and every refused one, without its values");
}

#[tokio::test]
async fn xlsx_imports_like_csv_and_files_about_persons_are_refused() {
    let app = TestApp::new().await;
    let (c, token, _) = setup(&app).await;
    let import = format!("/api/v1/samenwerkingen/{c}/metingen/import");
    use reisgenoot_web::xlsx::Cell::{Empty, Number, Text};
    let sheet = vec![
        vec![Text("indicator".into()), Text("gebied".into()), Text("periode".into()), Text("teller".into()), Text("noemer".into())],
        vec![Text("VVE".into()), Text("GM0344".into()), Text("2025".into()), Number(410.0), Number(520.0)],
        vec![Text("THZ".into()), Text("WK034401".into()), Text("2025-2026".into()), Number(14.0), Empty],
    ];
    let stored = app.post_bytes(&import, &token, "application/octet-stream", reisgenoot_web::xlsx::workbook("Metingen", &sheet)).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert_eq!(stored.json()["nieuw"], 2);

    for (csv, reason) in [
        ("indicator,gebied,periode,teller,bsn\nTHZ,GM0344,2025-2026,1,\n", "burgerservicenummers"),
        ("indicator,gebied,periode,teller,kenmerk\nTHZ,GM0344,2025-2026,1,111222333\n", "burgerservicenummers"),
        ("indicator,gebied,periode,teller,dag\nTHZ,GM0344,2025-2026,1,03-04-2015\n", "geboortedata"),
    ] {
        let refused = app.post_bytes(&import, &token, "text/csv", csv.as_bytes().to_vec()).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("gegevens over personen") && refused.body.contains(reason), "{}", refused.body);
    }
    let bomb = app.post_bytes(&import, &token, "application/octet-stream", b"PK\x03\x04 not a workbook".to_vec()).await;
    assert_eq!(bomb.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A lid guesses the stored value of an approved secret cell, one upload per guess 0–7: every
/// answer must be the same, and every refused upload must be in the audit log.
#[tokio::test]
async fn no_upload_or_form_tells_a_lid_whether_a_guess_is_the_stored_value() {
    let app = TestApp::new().await;
    let (c, beheerder, beheerder_page) = setup(&app).await;
    let lid_user = app.user("lid@test.example").await;
    app.member(c, &lid_user, domain::access::Role::Lid).await;
    let lid = Auth::Token(app.token(&lid_user).await);
    let lid_page = Auth::Cookie(app.session(&lid_user).await);
    let import = format!("/api/v1/samenwerkingen/{c}/metingen/import");
    // An approved buurt of 3 (secret) next to one of 9, a submitted one of 6 and a draft of 2.
    let upload = |rows: &'static str| app.post_bytes(&import, &beheerder, "text/csv", format!("Indicator;Gebied;Periode;Teller\n{rows}").into_bytes());
    assert_eq!(upload("THZ;BU03440111;2024-2025;3\nTHZ;BU03440112;2024-2025;9\n").await.status, StatusCode::OK);
    let thz =
        app.json(Method::GET, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &beheerder, json!(null), &[]).await.json()[1]["id"].as_i64().expect("THZ");
    let card = format!("/samenwerkingen/{c}/indicatoren/{thz}");
    let status = |s: &'static str| {
        let (path, form) = (format!("{card}/metingen/status"), format!("period=2024-2025&status={s}"));
        let auth = beheerder_page.clone();
        let app = &app;
        async move { app.post_form(&path, &auth, &form).await }
    };
    status("ingediend").await;
    status("goedgekeurd").await;
    assert_eq!(upload("THZ;BU03440113;2024-2025;6\n").await.status, StatusCode::OK);
    status("ingediend").await;
    assert_eq!(upload("THZ;BU03440114;2024-2025;2\n").await.status, StatusCode::OK);
    let statuses: Vec<_> = app.db.measurements(c, thz).await.expect("rows").into_iter().map(|r| r.status.code()).collect();
    assert_eq!(statuses, ["goedgekeurd", "goedgekeurd", "ingediend", "concept"]);

    let mut tries = 0;
    for buurt in ["BU03440111", "BU03440113", "BU03440114"] {
        for vervangen in ["", "?vervangen=true"] {
            let answers: Vec<(StatusCode, String)> = futures_answers(&app, &lid, &import, vervangen, buurt).await;
            tries += answers.len();
            assert!(answers.iter().all(|a| *a == answers[0]), "{buurt}{vervangen}: the answer depends on the guess: {answers:#?}");
            // The page gives the same as the API.
            let mut pages = Vec::new();
            for guess in 0..8 {
                let form = format!("area={buurt}&period=2024-2025&numerator={guess}");
                let reply = app.post_form(&format!("{card}/metingen"), &lid_page, &form).await;
                pages.push((reply.status, reply.body));
            }
            assert!(pages.iter().all(|p| *p == pages[0]), "{buurt}: the form's answer depends on the guess");
        }
    }
    // The stored values are as they were, and every refused upload left a trace without a value.
    let rows = app.db.measurements(c, thz).await.expect("rows");
    assert_eq!(rows.iter().find(|r| r.area == "BU03440111").map(|r| r.parts.numerator), Some(3.0));
    let audit = app.db.audit_all().await.expect("audit");
    let refused: Vec<_> = audit.iter().filter(|e| e.action == "measurement.import" && e.result == "refused").collect();
    assert!(refused.len() >= 2 * 8 * 2, "refused uploads are audited: {} of {tries}", refused.len());
    assert!(refused.iter().all(|e| e.actor.contains("lid@test.example") && e.object.contains("1 regel")), "{refused:?}");
    // A steward is still told when a file equals what is stored.
    let again = app.post_bytes(&import, &beheerder, "text/csv", "Indicator;Gebied;Periode;Teller\nTHZ;BU03440111;2024-2025;3\n".as_bytes().to_vec()).await;
    assert_eq!(again.json()["ongewijzigd"], 1);
}

/// The API's answers to eight uploads, one per guess 0–7 for `buurt`.
async fn futures_answers(app: &TestApp, lid: &Auth, import: &str, vervangen: &str, buurt: &str) -> Vec<(StatusCode, String)> {
    let mut answers = Vec::new();
    for guess in 0..8 {
        let file = format!("Indicator;Gebied;Periode;Teller\nTHZ;{buurt};2024-2025;{guess}\n");
        let reply = app.post_bytes(&format!("{import}{vervangen}"), lid, "text/csv", file.into_bytes()).await;
        answers.push((reply.status, reply.body));
    }
    answers
}
