//! The administrator's onboarding: a new collaboration that creates or invites its first
//! beheerder in the same step, accounts made with an invitation link that sets the first
//! password once, confirmations of what was made, and the classification year a new
//! collaboration starts from.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, PASSWORD, TestApp, web};

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", v.replace('%', "%25").replace(' ', "+").replace('@', "%40").replace('&', "%26"))).collect::<Vec<_>>().join("&")
}

/// The secret of the invitation link a page shows.
fn link_in(body: &str) -> String {
    let start = body.find("/uitnodiging/").unwrap_or_else(|| panic!("no invitation link in: {body}")) + "/uitnodiging/".len();
    body[start..].chars().take_while(|c| c.is_ascii_hexdigit()).collect()
}

const NEW_COLLABORATION: &[(&str, &str)] = &[("name", "Samen Veenstad"), ("scale", "gemeente"), ("age_focus", "beide"), ("area_codes", "GM0344")];

async fn admin(app: &TestApp) -> Auth {
    let (admin, _) = app.admin("beheer@test.example").await;
    Auth::Cookie(app.session(&admin).await)
}

#[tokio::test]
async fn a_new_collaboration_invites_a_beheerder_who_has_no_account_and_the_link_sets_a_password_once() {
    let app = TestApp::new().await;
    let admin = admin(&app).await;
    let mut fields = NEW_COLLABORATION.to_vec();
    fields.extend([("beheerder_email", "Regisseur@Veenstad.example"), ("beheerder_name", "Rosa Regisseur")]);
    let made = app.post_form("/samenwerkingen", &admin, &form(&fields)).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(made.body.contains("Samen Veenstad") && made.body.contains("regisseur@veenstad.example"), "{}", made.body);
    assert!(made.body.contains("https://reisgenoot.test/uitnodiging/"), "the whole link to pass on: {}", made.body);
    let secret = link_in(&made.body);
    assert_eq!(secret.len(), 64);

    let user = app.db.user_by_email("regisseur@veenstad.example").await.expect("read").expect("account made");
    assert_eq!(user.name, "Rosa Regisseur");
    assert!(user.password_hash.is_empty(), "no password until the link is used");
    // Only the hash of the link is stored.
    let stored: Vec<String> = store::dispatch!(&app.db, |pool| sqlx::query_scalar("SELECT token_hash FROM invitations").fetch_all(pool).await).expect("hashes");
    assert_eq!(stored, vec![web::session::digest(&secret)]);
    let summaries = app.db.collaboration_summaries().await.expect("list");
    assert_eq!(summaries[0].beheerder_email.as_deref(), Some("regisseur@veenstad.example"));
    let c = summaries[0].id;

    // The account cannot sign in before it chose a password, not even with an empty one.
    for password in ["", PASSWORD] {
        let refused = app.post_form("/inloggen", &Auth::None, &form(&[("email", "regisseur@veenstad.example"), ("password", password)])).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{password:?}");
    }

    let path = format!("/uitnodiging/{secret}");
    let page = app.get(&path, &Auth::None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Rosa Regisseur") && page.body.contains("name=\"repeat\""), "{}", page.body);
    // A password that is too short, or typed differently twice, keeps the form.
    let short = app.post_form(&path, &Auth::None, &form(&[("password", "kort"), ("repeat", "kort")])).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("minstens 12 tekens") && short.body.contains(&path), "{}", short.body);
    let differ = app.post_form(&path, &Auth::None, &form(&[("password", PASSWORD), ("repeat", "paars konijn fietst naar Zwolle!")])).await;
    assert_eq!(differ.status, StatusCode::BAD_REQUEST);
    assert!(differ.body.contains("niet gelijk"), "{}", differ.body);

    let accepted = app.post_form(&path, &Auth::None, &form(&[("password", PASSWORD), ("repeat", PASSWORD)])).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(accepted.location(), format!("/samenwerkingen/{c}"), "straight to the one collaboration");
    let cookie = Auth::Cookie(accepted.session_cookie().expect("signed in"));
    let overview = app.get(&format!("/samenwerkingen/{c}"), &cookie).await;
    assert_eq!(overview.status, StatusCode::OK, "the regisseur is the beheerder");

    // The link works once.
    assert_eq!(app.get(&path, &Auth::None).await.status, StatusCode::NOT_FOUND);
    let again = app.post_form(&path, &Auth::None, &form(&[("password", "een ander lang wachtwoord"), ("repeat", "een ander lang wachtwoord")])).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let signed_in = app.post_form("/inloggen", &Auth::None, &form(&[("email", "regisseur@veenstad.example"), ("password", PASSWORD)])).await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER, "the chosen password signs in");
}

#[tokio::test]
async fn a_new_collaboration_names_what_is_missing_and_keeps_the_form() {
    let app = TestApp::new().await;
    let admin = admin(&app).await;
    let mut fields = NEW_COLLABORATION.to_vec();
    fields.push(("beheerder_email", "nieuw@veenstad.example"));
    let refused = app.post_form("/samenwerkingen", &admin, &form(&fields)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("vul de naam in") && refused.body.contains("value=\"nieuw@veenstad.example\""), "{}", refused.body);
    assert!(app.db.user_by_email("nieuw@veenstad.example").await.expect("read").is_none(), "nothing made");
    assert!(app.db.collaboration_summaries().await.expect("list").is_empty());

    // A blocked account is named as such.
    let blocked = app.user("geblokkeerd@veenstad.example").await;
    app.db.set_disabled(&common::actor(), blocked.id(), true).await.expect("block");
    let mut fields = NEW_COLLABORATION.to_vec();
    fields.push(("beheerder_email", "geblokkeerd@veenstad.example"));
    let refused = app.post_form("/samenwerkingen", &admin, &form(&fields)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("geblokkeerd"), "{}", refused.body);
}

#[tokio::test]
async fn an_existing_account_becomes_beheerder_without_an_invitation_and_the_year_is_the_newest_classification() {
    let app = TestApp::new().await;
    let admin = admin(&app).await;
    app.user("bestaand@veenstad.example").await;
    let blank = app.get("/samenwerkingen/nieuw", &admin).await;
    let year = domain::area::BUILTIN_YEAR.to_string();
    assert!(blank.body.contains(&format!("name=\"area_year\" value=\"{year}\"")) || blank.body.contains(&format!("value=\"{year}\"")), "{}", blank.body);
    assert!(blank.body.contains("name=\"beheerder_name\""));

    let mut fields = NEW_COLLABORATION.to_vec();
    fields.push(("beheerder_email", "bestaand@veenstad.example"));
    let made = app.post_form("/samenwerkingen", &admin, &form(&fields)).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let c = app.db.collaboration_summaries().await.expect("list").remove(0).id;
    assert_eq!(made.location(), format!("/?aangemaakt={c}"));
    let home = app.get(made.location(), &admin).await;
    assert!(home.body.contains("Samen Veenstad") && home.body.contains("bestaand@veenstad.example (met een bestaand account)"), "{}", home.body);
    assert!(app.db.user_by_email("bestaand@veenstad.example").await.expect("read").is_some_and(|u| !u.password_hash.is_empty()));
    let made = app.db.collaboration(domain::ids::CollaborationId(c)).await.expect("read");
    assert_eq!(made.area_year, domain::area::BUILTIN_YEAR, "the newest built-in classification, not the current year");
}

#[tokio::test]
async fn account_aanmaken_confirms_and_without_a_password_makes_an_invitation_that_can_be_renewed() {
    let app = TestApp::new().await;
    let admin = admin(&app).await;
    let with = app.post_form("/beheer/gebruikers", &admin, &form(&[("email", "met@test.example"), ("name", "Met Wachtwoord"), ("password", PASSWORD)])).await;
    assert_eq!(with.status, StatusCode::OK, "{}", with.body);
    assert!(with.body.contains("Account aangemaakt voor Met Wachtwoord") && !with.body.contains("/uitnodiging/"), "{}", with.body);

    let without = app.post_form("/beheer/gebruikers", &admin, &form(&[("email", "zonder@test.example"), ("name", "Zonder Wachtwoord")])).await;
    assert_eq!(without.status, StatusCode::OK, "{}", without.body);
    assert!(without.body.contains("Account aangemaakt voor Zonder Wachtwoord"), "{}", without.body);
    let first = link_in(&without.body);
    let list = app.get("/beheer/gebruikers", &admin).await;
    assert!(list.body.contains("Uitgenodigd, link werkt tot"), "{}", list.body);

    let user = app.db.user_by_email("zonder@test.example").await.expect("read").expect("made");
    let renewed = app.post_form(&format!("/beheer/gebruikers/{}/uitnodigen", user.id), &admin, "").await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.body);
    let second = link_in(&renewed.body);
    assert_ne!(first, second);
    assert_eq!(app.get(&format!("/uitnodiging/{first}"), &Auth::None).await.status, StatusCode::NOT_FOUND, "the earlier link stops working");
    assert_eq!(app.get(&format!("/uitnodiging/{second}"), &Auth::None).await.status, StatusCode::OK);
    // An account that has its password gets no invitation.
    let with = app.db.user_by_email("met@test.example").await.expect("read").expect("made");
    assert_eq!(app.post_form(&format!("/beheer/gebruikers/{}/uitnodigen", with.id), &admin, "").await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_expired_invitation_or_a_blocked_account_opens_nothing() {
    let app = TestApp::new().await;
    let admin = admin(&app).await;
    let made = app.post_form("/beheer/gebruikers", &admin, &form(&[("email", "laat@test.example"), ("name", "Te Laat")])).await;
    let secret = link_in(&made.body);
    store::dispatch!(&app.db, |pool| sqlx::query("UPDATE invitations SET expires_at = $1").bind(store::now() - 1).execute(pool).await.map(|_| ()))
        .expect("expire");
    let path = format!("/uitnodiging/{secret}");
    assert_eq!(app.get(&path, &Auth::None).await.status, StatusCode::NOT_FOUND);
    let refused = app.post_form(&path, &Auth::None, &form(&[("password", PASSWORD), ("repeat", PASSWORD)])).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let made = app.post_form("/beheer/gebruikers", &admin, &form(&[("email", "blok@test.example"), ("name", "Geblokkeerd")])).await;
    let secret = link_in(&made.body);
    let user = app.db.user_by_email("blok@test.example").await.expect("read").expect("made");
    app.db.set_disabled(&common::actor(), user.id(), true).await.expect("block");
    assert_eq!(app.get(&format!("/uitnodiging/{secret}"), &Auth::None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_creates_a_collaboration_with_an_invited_beheerder() {
    let app = TestApp::new().await;
    let (admin, _) = app.admin("beheer@test.example").await;
    let token = Auth::Token(app.token(&admin).await);
    let body = serde_json::json!({"name": "Via API", "scale": "gemeente", "age_focus": "12-", "area_codes": ["GM0344"], "beheerder_email": "api@test.example"});
    let refused = app.json(Method::POST, "/api/v1/samenwerkingen", &token, body.clone(), &[]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("beheerder_name"), "{}", refused.body);

    let mut body = body;
    body["beheerder_name"] = "Api Regisseur".into();
    let made = app.json(Method::POST, "/api/v1/samenwerkingen", &token, body, &[]).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let json = made.json();
    assert_eq!(json["beheerder_email"], "api@test.example");
    assert_eq!(json["area_year"], domain::area::BUILTIN_YEAR);
    let url = json["invitation"]["url"].as_str().expect("url");
    let path = url.strip_prefix("https://reisgenoot.test").expect("on this host");
    assert_eq!(app.get(path, &Auth::None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_second_factor_set_up_shows_a_qr_code_beside_the_key() {
    let app = TestApp::new().await;
    let user = app.user("lid@test.example").await;
    let cookie = Auth::Cookie(app.session(&user).await);
    let page = app.get("/account/tweede-factor", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg id=\"totp-qr\"") && page.body.contains("<path d=\"M"), "{}", page.body);
    assert!(page.body.contains("id=\"totp-secret\""));
}
