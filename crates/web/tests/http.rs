//! HTTP behaviour, in process, on the test backend: signing in, the second factor,
//! throttling, cross-site refusal, optimistic locking, problem details, headers, OpenAPI.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, HOST, PASSWORD, TestApp, actor, web};
use domain::access::Role;
use serde_json::json;

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", v.replace('%', "%25").replace(' ', "+").replace('@', "%40").replace('&', "%26"))).collect::<Vec<_>>().join("&")
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> common::Reply {
    app.post_form("/inloggen", &Auth::None, &form(&[("email", email), ("password", password)])).await
}

#[tokio::test]
async fn signing_in_sets_a_strict_host_cookie_and_renews_the_session() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    app.collaboration("Samen Opgroeien", &user).await;
    let reply = sign_in(&app, "Regisseur@Test.example", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location(), "/");
    let cookie = reply.header("set-cookie").to_string();
    for part in ["__Host-reisgenoot=", "Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert!(!cookie.contains("Domain"), "a __Host- cookie has no Domain");
    let first = reply.session_cookie().expect("session");
    assert_eq!(first.len(), 64, "256 random bits as hex");
    let home = app.get("/", &Auth::Cookie(first.clone())).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Samen Opgroeien"));
    assert_eq!(home.header("cache-control"), "no-store");

    // Signing in again, with the old cookie present, gives a new id and ends the old one.
    let again = app
        .send_with(
            Method::POST,
            "/inloggen",
            &Auth::Cookie(first.clone()),
            Some(("application/x-www-form-urlencoded", form(&[("email", "regisseur@test.example"), ("password", PASSWORD)]))),
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    let second = again.session_cookie().expect("new session");
    assert_ne!(first, second);
    assert_eq!(app.get("/", &Auth::Cookie(first)).await.location(), "/inloggen");
    // Signing out ends the session on the server, not just in the browser.
    let out = app.post_form("/uitloggen", &Auth::Cookie(second.clone()), "").await;
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(app.get("/", &Auth::Cookie(second)).await.location(), "/inloggen");
}

#[tokio::test]
async fn a_wrong_password_or_unknown_account_gets_the_same_answer_and_is_logged() {
    let app = TestApp::new().await;
    app.user("iemand@test.example").await;
    let wrong = sign_in(&app, "iemand@test.example", "niet het goede wachtwoord").await;
    let unknown = sign_in(&app, "niemand@test.example", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("E-mailadres of wachtwoord klopt niet"));
    assert!(wrong.session_cookie().is_none());
    let log = app.db.audit_all().await.expect("log");
    assert_eq!(log.iter().filter(|e| e.action == "login" && e.result == "failed").count(), 2);
}

#[tokio::test]
async fn the_101st_attempt_within_the_hour_is_refused_even_with_the_right_password() {
    let app = TestApp::new().await;
    app.user("doelwit@test.example").await;
    for _ in 0..100 {
        let reply = sign_in(&app, "doelwit@test.example", "verkeerd wachtwoord nummer").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let refused = sign_in(&app, "doelwit@test.example", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!(refused.session_cookie().is_none());
    // Another account from elsewhere is not affected.
    app.user("ander@test.example").await;
    assert_eq!(sign_in(&app, "ander@test.example", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_administrator_must_set_up_and_then_use_a_second_factor() {
    let app = TestApp::new().await;
    let hash = web::password::hash(PASSWORD.to_string()).await.expect("hash");
    let admin = app
        .db
        .create_user(&actor(), &store::user::NewUser { email: "beheer@test.example", name: "Beheer", password_hash: &hash, is_admin: true })
        .await
        .expect("admin");
    let reply = sign_in(&app, "beheer@test.example", PASSWORD).await;
    let cookie = Auth::Cookie(reply.session_cookie().expect("session"));
    // Everything sends the administrator to the set-up page first.
    assert_eq!(app.get("/", &cookie).await.location(), "/account/tweede-factor");
    assert_eq!(app.get("/beheer/gebruikers", &cookie).await.location(), "/account/tweede-factor");
    let setup = app.get("/account/tweede-factor", &cookie).await;
    assert_eq!(setup.status, StatusCode::OK);
    let secret = setup.body.split("id=\"totp-secret\" class=\"rg-secret\">").nth(1).and_then(|s| s.split('<').next()).expect("secret on the page").to_string();
    // The app's address as a QR code with its alternative text, the key still as text beside it.
    let qr = setup.body.split("<svg id=\"totp-qr\"").nth(1).and_then(|s| s.split("</svg>").next()).expect("a QR code on the page");
    assert!(qr.contains("role=\"img\" aria-labelledby=\"totp-qr-title\"") && qr.contains("<title id=\"totp-qr-title\">QR-code"), "{qr}");
    let side: i32 = qr.split("viewBox=\"0 0 ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).expect("viewBox");
    assert!(side >= 21 + 8 && (side - 8 - 17) % 4 == 0, "a QR symbol of a standard size with its quiet zone: {side}");
    assert!(qr.matches("h1v1h-1z").count() > 200, "dark modules drawn");
    assert!(
        setup.body.contains(&format!("secret={secret}")) && setup.body.contains("otpauth://totp/Reisgenoot:beheer%40test.example?"),
        "the address for the app"
    );
    let key = domain::totp::base32_decode(&secret).expect("base32");
    let now = store::now();
    let code = |at: i64| format!("{:06}", domain::totp::code_at(&key, domain::totp::step(at) as u64));
    assert_eq!(app.post_form("/account/tweede-factor", &cookie, "code=000000").await.status, StatusCode::BAD_REQUEST);
    let confirmed = app.post_form("/account/tweede-factor", &cookie, &format!("code={}", code(now))).await;
    assert_eq!(confirmed.location(), "/");
    assert_eq!(app.get("/beheer/gebruikers", &cookie).await.status, StatusCode::OK);

    // Next time: password, then the code; a code already used is refused.
    let reply = sign_in(&app, "beheer@test.example", PASSWORD).await;
    assert_eq!(reply.location(), "/inloggen/code");
    let pending = Auth::Cookie(reply.session_cookie().expect("session"));
    assert_eq!(app.get("/", &pending).await.location(), "/inloggen/code");
    let replay = app.post_form("/inloggen/code", &pending, &format!("code={}", code(now))).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "a used code cannot be replayed");
    let next = app.post_form("/inloggen/code", &pending, &format!("code={}", code(now + 30))).await;
    assert_eq!(next.location(), "/");
    assert_eq!(app.get("/", &pending).await.status, StatusCode::OK);
    assert!(app.db.user_by_id(admin.id()).await.expect("admin").totp_enabled);
}

#[tokio::test]
async fn disabling_an_account_or_idling_too_long_ends_the_session() {
    let app = TestApp::new().await;
    let user = app.user("gebruiker@test.example").await;
    let cookie = app.session(&user).await;
    let token = app.token(&user).await;
    assert_eq!(app.get("/", &Auth::Cookie(cookie.clone())).await.status, StatusCode::OK);
    app.db.set_disabled(&actor(), user.id(), true).await.expect("disable");
    assert_eq!(app.get("/", &Auth::Cookie(cookie)).await.location(), "/inloggen");
    assert_eq!(app.get("/api/v1/samenwerkingen", &Auth::Token(token)).await.status, StatusCode::UNAUTHORIZED);

    let other = app.user("ander@test.example").await;
    let cookie = app.session(&other).await;
    let idle_since = store::now() - web::session::IDLE_SECONDS - 1;
    store::dispatch!(&app.db, |pool| sqlx::query("UPDATE sessions SET last_seen_at = $1").bind(idle_since).execute(pool).await.map(|_| ()))
        .expect("age the session");
    assert_eq!(app.get("/", &Auth::Cookie(cookie)).await.location(), "/inloggen");
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_cross_site_request() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Doelwit", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let token = Auth::Token(app.token(&user).await);
    let mut checked = 0;
    for (method, template) in web::route_list() {
        if method == Method::GET {
            continue;
        }
        let path = template
            .replace("{id}", &c.0.to_string())
            .replace("{item}", "1")
            .replace("{kind}", "partners")
            .replace("{user_id}", &user.id.to_string())
            .replace("{token_id}", "1");
        let auth = if path.starts_with("/api/") { &token } else { &cookie };
        for headers in [
            &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")][..],
            &[("origin", "https://evil.example")][..],
            &[("sec-fetch-site", "same-site")][..],
        ] {
            let body = if path.starts_with("/api/") {
                ("application/json", "{}".to_string())
            } else {
                ("application/x-www-form-urlencoded", "name=X&email=x%40y.nl".to_string())
            };
            let reply = app.send_with(method.clone(), &path, auth, Some(body), headers).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{method} {path} with {headers:?}");
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked}");
    // A cookie-authenticated post that carries neither header is refused too.
    let bare =
        app.send_with(Method::POST, &format!("/samenwerkingen/{c}/partners"), &cookie, Some(("application/x-www-form-urlencoded", String::new())), &[]).await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
    assert!(app.db.partners(c).await.expect("partners").is_empty(), "nothing was created");
}

#[tokio::test]
async fn a_stale_form_is_refused_with_a_clear_message_and_nothing_is_overwritten() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let created = app.post_form(&format!("/samenwerkingen/{c}/partners"), &cookie, "name=Opvang&sector=kinderopvang&ring=binnenring").await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let partner = app.db.partners(c).await.expect("list")[0].clone();
    let path = format!("/samenwerkingen/{c}/partners/{}/bewerken", partner.id);
    let first = app.post_form(&path, &cookie, &format!("name=Eerste&sector=kinderopvang&ring=binnenring&version={}", partner.version)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = app.post_form(&path, &cookie, &format!("name=Tweede&sector=kinderopvang&ring=binnenring&version={}", partner.version)).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("Iemand anders heeft dit intussen gewijzigd"), "{}", second.body);
    assert!(second.body.contains("value=\"Tweede\""), "the user's input is kept in the form");
    assert_eq!(app.db.partner(c, partner.id).await.expect("read").name, "Eerste");
}

#[tokio::test]
async fn form_errors_are_shown_per_field_with_status_400() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let reply = app.post_form(&format!("/samenwerkingen/{c}/partners"), &cookie, "name=&sector=bakker&ring=binnenring").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("Vul dit veld in."));
    assert!(reply.body.contains("Kies een van de mogelijkheden."));
    assert!(reply.body.contains("aria-invalid=\"true\""));
    let Auth::Cookie(session) = &cookie else { unreachable!("a session cookie") };
    let both = format!("{}={session}; lang=en", web::session::COOKIE);
    let english = app
        .send_with(
            Method::POST,
            &format!("/samenwerkingen/{c}/partners"),
            &Auth::None,
            Some(("application/x-www-form-urlencoded", "name=".into())),
            &[("sec-fetch-site", "same-origin"), ("origin", &format!("http://{HOST}")), ("cookie", &both)],
        )
        .await;
    assert_eq!(english.status, StatusCode::BAD_REQUEST, "{}", english.body);
    assert!(english.body.contains("Please fill in this field.") && english.body.contains("<html lang=\"en\""), "{}", english.body);
}

#[tokio::test]
async fn the_api_answers_problem_details_versions_and_conflicts() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &user).await;
    let token = Auth::Token(app.token(&user).await);
    let base = format!("/api/v1/samenwerkingen/{c}/partners");

    let bad = app.json(Method::POST, &base, &token, json!({"name": "", "sector": "bakker", "ring": "midden"}), &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.header("content-type"), "application/problem+json");
    let names: Vec<String> =
        bad.json()["invalidParams"].as_array().expect("params").iter().map(|p| p["name"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(names, ["name", "sector", "ring"], "every field error at once");
    let broken = app.send(Method::POST, &base, &token, Some(("application/json", "{not json".into()))).await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST, "syntax errors are 400 too, not 422");

    let created = app.json(Method::POST, &base, &token, json!({"name": "Opvang", "sector": "kinderopvang", "ring": "binnenring"}), &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.header("api-version"), web::api::VERSION);
    let id = created.json()["id"].as_i64().expect("id");
    let item = format!("{base}/{id}");
    let shown = app.get(&item, &token).await;
    assert_eq!(shown.header("etag"), "\"1\"");

    let update = json!({"name": "Opvang Noord", "sector": "kinderopvang", "ring": "binnenring"});
    assert_eq!(app.json(Method::PUT, &item, &token, update.clone(), &[]).await.status, StatusCode::PRECONDITION_REQUIRED);
    let ok = app.json(Method::PUT, &item, &token, update.clone(), &[("if-match", "\"1\"")]).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.header("etag"), "\"2\"");
    let stale = app.json(Method::PUT, &item, &token, json!({"name": "Oud", "sector": "kinderopvang", "ring": "binnenring"}), &[("if-match", "\"1\"")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.header("content-type"), "application/problem+json");
    assert_eq!(app.get(&item, &token).await.json()["name"], "Opvang Noord");

    let other = app.user("ander@test.example").await;
    let foreign = app.collaboration("Elders", &other).await;
    let missing = app.get(&format!("/api/v1/samenwerkingen/{foreign}/partners"), &token).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["status"], 404);
    assert_eq!(app.get(&base, &Auth::None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get(&base, &Auth::Token("rg_nope".into())).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_lezer_reads_everything_and_changes_nothing() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let reader = app.user("lezer@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    app.member(c, &reader, Role::Lezer).await;
    let cookie = Auth::Cookie(app.session(&reader).await);
    let page = app.get(&format!("/samenwerkingen/{c}/partners"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("/partners/nieuw"), "no link to add a partner");
    assert_eq!(app.get(&format!("/samenwerkingen/{c}/partners/nieuw"), &cookie).await.status, StatusCode::FORBIDDEN);
    let refused = app.post_form(&format!("/samenwerkingen/{c}/partners"), &cookie, "name=X&sector=mbo&ring=binnenring").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Uw rol in deze samenwerking staat dit niet toe"), "a readable error page");
}

#[tokio::test]
async fn the_company_check_names_missing_sectors_and_partners_without_ambassador() {
    let app = TestApp::new().await;
    let owner = app.user("regisseur@test.example").await;
    let c = app.collaboration("Samen", &owner).await;
    let token = Auth::Token(app.token(&owner).await);
    let partner = app
        .json(
            Method::POST,
            &format!("/api/v1/samenwerkingen/{c}/partners"),
            &token,
            json!({"name": "Gemeente", "sector": "gemeente", "ring": "binnenring"}),
            &[],
        )
        .await
        .json();
    let check = app.get(&format!("/api/v1/samenwerkingen/{c}/wie-missen-we-nog"), &token).await.json();
    let missing: Vec<&str> = check["missing"].as_array().expect("missing").iter().map(|m| m["sector"].as_str().unwrap_or_default()).collect();
    assert!(!missing.contains(&"gemeente"));
    assert_eq!(missing[0], "kinderopvang", "often-forgotten sectors first");
    assert_eq!(check["inner_ring_without_ambassador"], json!([partner["id"]]));
    app.json(
        Method::POST,
        &format!("/api/v1/samenwerkingen/{c}/personen"),
        &token,
        json!({"name": "Amb", "partner_id": partner["id"], "roles": ["ambassadeur"]}),
        &[],
    )
    .await;
    let check = app.get(&format!("/api/v1/samenwerkingen/{c}/wie-missen-we-nog"), &token).await.json();
    assert_eq!(check["inner_ring_without_ambassador"], json!([]));
    let page = app.get(&format!("/samenwerkingen/{c}"), &Auth::Cookie(app.session(&owner).await)).await;
    assert!(page.body.contains("Wie missen we nog?") && page.body.contains("vaak vergeten"));
}

#[tokio::test]
async fn pages_and_api_carry_the_security_headers() {
    let app = TestApp::new().await;
    for path in ["/inloggen", "/healthz", "/api/v1/openapi.json"] {
        let reply = app.get(path, &Auth::None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(reply.header("strict-transport-security").starts_with("max-age="), "{path}");
        let csp = reply.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff");
        assert_eq!(reply.header("referrer-policy"), "same-origin");
    }
    let health = app.get("/healthz", &Auth::None).await.json();
    assert_eq!(health["status"], "ok");
    let login = app.get("/inloggen", &Auth::None).await;
    assert!(login.body.contains("<html lang=\"nl\"") && login.body.contains("href=\"#main\"") && login.body.contains("id=\"main\""));
    let english = app.send_with(Method::GET, "/inloggen", &Auth::None, None, &[("cookie", "lang=en")]).await;
    assert!(english.body.contains("<html lang=\"en\"") && english.body.contains("Sign in"));
    let _ = HOST;
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json", &Auth::None).await.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    assert_eq!(doc["servers"][0]["url"], "/api/v1", "paths are relative to the server");
    let paths = doc["paths"].as_object().expect("paths");
    for (method, path) in web::route_list() {
        if let Some(relative) = path.strip_prefix("/api/v1")
            && path != "/api/v1/openapi.json"
        {
            let entry = paths.get(relative).unwrap_or_else(|| panic!("{path} missing from the OpenAPI document"));
            assert!(entry.get(method.as_str().to_lowercase()).is_some(), "{method} {path} missing");
        }
    }
}

/// A new collaboration's pages say what is true of it: no claim about ambassadors of partners
/// that are not there, a portfolio never held is not said to have lost its holder, and a body
/// just set up is not late with its evaluation.
#[tokio::test]
async fn empty_states_say_what_is_true() {
    let app = TestApp::new().await;
    let user = app.user("regisseur@test.example").await;
    let c = app.collaboration("Nieuw", &user).await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let overview = app.get(&format!("/samenwerkingen/{c}"), &cookie).await;
    assert!(overview.body.contains("Er staan nog geen partners in de binnenring"), "{}", overview.body);
    assert!(!overview.body.contains("Elke partner in de binnenring heeft een actieve ambassadeur"));

    let portfolio = domain::portfolio::PortfolioInput { name: "Armoede".into(), ..Default::default() };
    app.db.create_portfolio(&actor(), c, &domain::portfolio::NewPortfolio::parse(&portfolio).expect("valid")).await.expect("portfolio");
    let overview = app.get(&format!("/samenwerkingen/{c}"), &cookie).await;
    assert!(overview.body.contains("Armoede (nog nooit een houder)"), "{}", overview.body);
    assert!(!overview.body.contains("houder meer"));

    let lea = domain::body::BodyInput {
        name: "LEA".into(),
        level: "bestuurlijk".into(),
        kind: "lea_bestuurlijk".into(),
        purpose: "Afstemmen".into(),
        evaluate_every_months: "12".into(),
        ..Default::default()
    };
    app.db.create_body(&actor(), c, &domain::body::BodyContent::parse(&lea).expect("valid")).await.expect("body");
    let bodies = app.get(&format!("/samenwerkingen/{c}/overleg"), &cookie).await;
    assert!(bodies.body.contains("nog geen evaluatie vastgelegd") && !bodies.body.contains("evaluatie te laat"), "{}", bodies.body);
}
