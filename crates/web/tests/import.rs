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
    let stored = app.post_bytes(&import, &token, "application/octet-stream", reisgenoot_web::xlsx::workbook("Metingen", &sheet).expect("writes")).await;
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

/// A browser's form upload of `file`, with the replace box ticked or not.
fn form_upload(boundary: &str, file: &[u8], replace: bool) -> Vec<u8> {
    let mut body = Vec::new();
    if replace {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"replace\"\r\n\r\n1\r\n").into_bytes());
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"metingen.csv\"\r\nContent-Type: text/csv\r\n\r\n").into_bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    body
}

#[tokio::test]
async fn uploads_are_read_within_the_limit_and_a_long_boundary_is_refused_at_once() {
    let app = TestApp::new().await;
    let (c, token, cookie) = setup(&app).await;
    let page = format!("/samenwerkingen/{c}/indicatoren/import");
    let api = format!("/api/v1/samenwerkingen/{c}/metingen/import");

    // A normal upload imports on the page and through the API, also as a form upload there.
    let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    let uploaded =
        app.post_bytes(&page, &cookie, &format!("multipart/form-data; boundary={boundary}"), form_upload(boundary, &dutch_excel(&GOOD[..3]), false)).await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    assert!(uploaded.body.contains("Ingelezen.") && uploaded.body.contains("3 regels gelezen: 3 nieuw"), "{}", uploaded.body);
    assert!(uploaded.body.contains("Hoogstens 20 MB."), "the page names the instance's limit");
    let changed = dutch_excel(&["THZ;BU03440111;2024-2025;7;"]);
    let replaced = app.post_bytes(&page, &cookie, &format!("multipart/form-data; boundary={boundary}"), form_upload(boundary, &changed, true)).await;
    assert!(replaced.body.contains("1 vervangen"), "the replace box is read: {}", replaced.body);
    let through_api =
        app.post_bytes(&api, &token, &format!("multipart/form-data; boundary=\"{boundary}\""), form_upload(boundary, &dutch_excel(&GOOD[3..]), false)).await;
    assert_eq!(through_api.status, StatusCode::OK, "{}", through_api.body);
    assert_eq!(through_api.json(), json!({"regels": 3, "nieuw": 3, "vervangen": 0, "ongewijzigd": 0}));

    // A 32,000-character boundary (RFC 2046 allows 70) over 4 MiB of near-matches is refused
    // before the body is searched; it used to keep a worker busy for seconds.
    let long = "b".repeat(32_000);
    let mut attack = format!("--{long}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"m.csv\"\r\n\r\n").into_bytes();
    attack.extend(std::iter::repeat_n(b'b', 4 << 20));
    attack.extend(format!("\r\n--{long}--\r\n").into_bytes());
    let started = std::time::Instant::now();
    let on_page = app.post_bytes(&page, &cookie, &format!("multipart/form-data; boundary={long}"), attack.clone()).await;
    let on_api = app.post_bytes(&api, &token, &format!("multipart/form-data; boundary={long}"), attack).await;
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(1), "refused in {took:?}");
    assert_eq!(on_page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(on_page.body.contains("Het bestand is leeg of heeft geen kopregel."), "{}", on_page.body);
    assert_eq!((on_api.status, on_api.header("content-type")), (StatusCode::BAD_REQUEST, "application/problem+json"), "{}", on_api.body);

    // Past the limit (20 MiB unless the instance says otherwise): 413, read no further.
    let mut big = b"indicator;gebied;periode;teller\r\n".to_vec();
    while big.len() < 21 << 20 {
        big.extend_from_slice(b"THZ;BU03440111;2024-2025;6\r\n");
    }
    let too_large = app.post_bytes(&page, &cookie, &format!("multipart/form-data; boundary={boundary}"), form_upload(boundary, &big, false)).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        too_large.body.contains("Het bestand is groter dan deze installatie toestaat.") && too_large.body.contains("name=\"file\""),
        "the form again: {}",
        too_large.body
    );
    let too_large = app.post_bytes(&api, &token, "text/csv", big.clone()).await;
    assert_eq!((too_large.status, too_large.header("content-type")), (StatusCode::PAYLOAD_TOO_LARGE, "application/problem+json"), "{}", too_large.body);
    assert_eq!(too_large.json()["status"], 413);
    let too_large = app.post_bytes(&api, &token, &format!("multipart/form-data; boundary={boundary}"), form_upload(boundary, &big, false)).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.db.audit_all().await.expect("log").iter().filter(|e| e.action == "measurement.import").count(), 3, "nothing stored past the limit");
}

/// Files as Excel and LibreOffice save them (made with LibreOffice and by hand, kept beside the
/// domain's tests).
fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../domain/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn workbooks_and_text_as_excel_writes_them_import_and_date_cells_are_refused_as_persons() {
    let app = TestApp::new().await;
    let (c, token, cookie) = setup(&app).await;
    let import = format!("/api/v1/samenwerkingen/{c}/metingen/import");
    let mut first = true;
    for name in ["metingen.xls", "metingen.ods", "metingen.xlsx", "unicode-tekst.txt", "unicode-tekst-be.txt", "sep.csv", "mac.csv"] {
        let reply = app.post_bytes(&import, &token, "application/octet-stream", fixture(name)).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        let expected = if first {
            json!({"regels": 3, "nieuw": 3, "vervangen": 0, "ongewijzigd": 0})
        } else {
            json!({"regels": 3, "nieuw": 0, "vervangen": 0, "ongewijzigd": 3})
        };
        assert_eq!(reply.json(), expected, "{name}");
        first = false;
    }
    // Birth dates as date cells are refused as data about persons, with that reason, on the
    // API and on the upload page.
    for name in ["geboortedata.xlsx", "geboortedata.xls", "geboortedata.ods"] {
        let refused = app.post_bytes(&import, &token, "application/octet-stream", fixture(name)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            refused.body.contains("gegevens over personen") && refused.body.contains("geboortedata") && refused.body.contains("dag"),
            "{name}: {}",
            refused.body
        );
    }
    let boundary = "xYzBoundary";
    let page = app
        .post_bytes(
            &format!("/samenwerkingen/{c}/indicatoren/import"),
            &cookie,
            &format!("multipart/form-data; boundary={boundary}"),
            form_upload(boundary, &fixture("geboortedata.xlsx"), false),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Dit bestand bevat gegevens over personen en is daarom geweigerd."), "{}", page.body);
}

#[tokio::test]
async fn an_abolished_area_code_and_a_wrong_period_say_so() {
    let app = TestApp::new().await;
    let (c, token, _) = setup(&app).await;
    let import = format!("/api/v1/samenwerkingen/{c}/metingen/import");
    // Weesp (GM0457) was in the 2022 classification; the collaboration uses a later one.
    let weesp = domain::area::Area { code: domain::area::AreaCode::parse("GM0457").expect("code"), name: "Weesp".into(), parent: None };
    app.db.load_areas(&common::actor(), 2022, &[weesp]).await.expect("loads 2022");
    let future = domain::area::Area { code: domain::area::AreaCode::parse("GM0999").expect("code"), name: "Toekomst".into(), parent: None };
    app.db.load_areas(&common::actor(), 2099, &[future]).await.expect("loads 2099");
    let csv =
        "indicator;gebied;periode;teller;noemer\r\nTHZ;GM0457;2025-2026;4\r\nTHZ;GM0999;2025-2026;4\r\nTHZ;GM0998;2025-2026;4\r\nVVE;GM0344;2025-K1;4;5\r\n";
    let refused = app.post_bytes(&import, &token, "text/csv", csv.as_bytes().to_vec()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let codes: Vec<String> = refused.json()["fouten"].as_array().expect("errors").iter().map(|e| e["code"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(codes, ["err.area_abolished", "err.area_later", "err.unknown_area", "err.period"]);
    assert!(refused.body.contains("Deze gebiedscode bestaat niet meer") && refused.body.contains("opgeheven"), "{}", refused.body);
    assert!(
        refused.body.contains("2025-2026") && refused.body.contains("2025-H1") && refused.body.contains("2025-K1"),
        "the period message names the forms: {}",
        refused.body
    );
    // A Dutch quarter is read as the quarter it names.
    let body = json!({"code": "KWA", "name": "KWA", "kind": "aantal", "direction": "hoger_beter", "perspective": "netwerk", "period_type": "kwartaal"});
    let created = app.json(Method::POST, &format!("/api/v1/samenwerkingen/{c}/indicatoren"), &token, body, &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let quarter = app.post_bytes(&import, &token, "text/csv", b"indicator;gebied;periode;teller\r\nKWA;GM0344;2025-K2;3\r\n".to_vec()).await;
    assert_eq!(quarter.status, StatusCode::OK, "{}", quarter.body);
    let kwa = app.db.indicators(c).await.expect("indicators").into_iter().find(|i| i.content.code == "KWA").expect("KWA").id;
    assert_eq!(app.db.measurements(c, kwa).await.expect("rows")[0].period, "2025-Q2");
}

#[tokio::test]
async fn an_exported_workbook_reads_back_with_calamine_and_libreoffice() {
    let app = TestApp::new().await;
    let (c, token, cookie) = setup(&app).await;
    let import = format!("/api/v1/samenwerkingen/{c}/metingen/import");
    let rows = "indicator;gebied;periode;teller\r\nTHZ;GM0344;2024-2025;1234\r\nTHZ;WK034401;2024-2025;2\r\n";
    assert_eq!(app.post_bytes(&import, &token, "text/csv", rows.as_bytes().to_vec()).await.status, StatusCode::OK);
    let thz = app.db.indicators(c).await.expect("indicators").into_iter().find(|i| i.content.code == "THZ").expect("THZ").id;
    for next in [domain::indicator::MeasurementStatus::Ingediend, domain::indicator::MeasurementStatus::Goedgekeurd] {
        app.db.move_measurements(&common::actor(), c, thz, "2024-2025", next).await.expect("moves");
    }
    let book = app.get_bytes(&format!("/samenwerkingen/{c}/indicatoren/{thz}/export.xlsx"), &cookie).await;
    // Read back by calamine (through the importer's reader): the description, the header row,
    // the figures as numbers.
    let table = domain::table::read(&book, domain::table::Limits::default()).expect("a workbook");
    let cells: Vec<Vec<String>> = std::iter::once(table.header.clone()).chain(table.rows.iter().map(|r| r.cells.clone())).collect();
    assert_eq!(cells[0][1], "THZ", "{cells:?}");
    let header = cells.iter().position(|r| r.first().map(String::as_str) == Some("Periode")).expect("a header row");
    let whole = cells.iter().skip(header).find(|r| r.first().map(String::as_str) == Some("2024-2025") && r[1].is_empty()).expect("the total");
    let total: f64 = whole[3].parse().unwrap_or_else(|_| panic!("a number cell: {whole:?}"));
    assert!(total > 1000.0, "{whole:?}");
    let mut calamine_book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(book.clone())).expect("calamine opens it");
    use calamine::Reader;
    let range = calamine_book.worksheet_range_at(0).expect("a sheet").expect("reads");
    let number = range.rows().find(|r| r.first().map(|c| c.to_string()) == Some("2024-2025".into())).and_then(|r| r.get(3).cloned());
    assert!(matches!(number, Some(calamine::Data::Float(_))), "a number cell, not text: {number:?}");

    // LibreOffice reads it too, where it is installed.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let file = dir.join("indicator.xlsx");
    std::fs::write(&file, &book).expect("writes");
    let converted = std::process::Command::new("libreoffice")
        .args(["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76", "--outdir"])
        .arg(&dir)
        .arg(&file)
        .env("HOME", &dir)
        .output();
    match converted {
        Err(e) => eprintln!("libreoffice is not installed ({e}); the LibreOffice read-back is skipped"),
        Ok(out) => {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let csv = std::fs::read_to_string(dir.join("indicator.csv")).expect("LibreOffice wrote a CSV");
            assert!(csv.contains("Periode;") && csv.contains("2024-2025;") && csv.contains("THZ"), "{csv}");
            eprintln!("LibreOffice read the export back:\n{csv}");
        }
    }
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
