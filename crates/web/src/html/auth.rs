//! Signing in and out, the second factor, and the language choice.

use super::{Form, Page, PageResult, form_page, render, see_other};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::{self, PendingVisitor, SetupVisitor};
use crate::throttle::{self, Outcome};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::totp;
use serde::Deserialize;
use store::Actor;

pub fn routes() -> Routes {
    Routes::new()
        .get("/inloggen", login_form)
        .post("/inloggen", login)
        .get("/inloggen/code", code_form)
        .post("/inloggen/code", code)
        .post("/uitloggen", logout)
        .post("/taal", language)
        .get("/account/tweede-factor", totp_setup_form)
        .post("/account/tweede-factor", totp_setup)
        .get("/uitnodiging/{token}", invitation_form)
        .post("/uitnodiging/{token}", accept_invitation)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginInput {
    email: String,
    password: String,
}

fn login_view(page: &Page, email: &str) -> Form {
    Form::new("/inloggen", page.t("auth.sign_in")).email("email", page.t("field.email"), email, true).autocomplete("username").password(
        "password",
        page.t("field.password"),
        "current-password",
    )
}

async fn login_form(lang: Lang) -> Response {
    let page = Page::new(lang, "auth.sign_in");
    form_page(&page, &login_view(&page, ""), StatusCode::OK)
}

async fn login(State(state): State<AppState>, lang: Lang, ClientOrigin(origin): ClientOrigin, headers: HeaderMap, body: FormBody) -> PageResult {
    let input: LoginInput = body.parse()?;
    let page = Page::new(lang, "auth.sign_in");
    let account = input.email.trim().to_lowercase();
    let actor = Actor { user_id: None, label: account.clone(), origin: origin.clone() };
    let user = state.db.user_by_email(&account).await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let usable = user.as_ref().is_some_and(|u| !u.disabled);
    let outcome = match throttle::check_password(&state, &account, &origin, input.password, stored, usable).await {
        Err(AppError::Busy) => return Ok(busy_page(&page, login_view(&page, &input.email))),
        other => other?,
    };
    let user = match (outcome, user) {
        (Outcome::Passed, Some(user)) => user,
        (Outcome::Throttled, _) => {
            state.db.audit_event(&actor, None, "login", &format!("user:{account}"), "throttled").await?;
            let form = login_view(&page, &input.email).message(page.t("error.too_many_attempts"));
            return Ok(form_page(&page, &form, StatusCode::TOO_MANY_REQUESTS));
        }
        _ => {
            state.db.audit_event(&actor, None, "login", &format!("user:{account}"), "failed").await?;
            let form = login_view(&page, &input.email).message(page.t("auth.failed"));
            return Ok(form_page(&page, &form, StatusCode::UNAUTHORIZED));
        }
    };
    // A new id at every sign-in, and the old session (if any) ended: no fixation.
    if let Some(old) = session::cookie(&headers, session::COOKIE) {
        state.db.delete_session(&session::digest(&old)).await?;
    }
    let secret = session::new_secret();
    state.db.create_session(&session::digest(&secret), user.id, user.totp_enabled).await?;
    let actor = Actor { user_id: Some(user.id), label: user.email.clone(), origin };
    state.db.audit_event(&actor, None, "login", &format!("user:{}", user.email), if user.totp_enabled { "password_ok" } else { "ok" }).await?;
    let next = if user.totp_enabled { "/inloggen/code" } else { "/" };
    Ok(([(SET_COOKIE, session::set_cookie(&secret))], see_other(next)).into_response())
}

/// The form again with "too busy" (503) and `Retry-After`: no password was checked.
pub fn busy_page(page: &Page, form: Form) -> Response {
    let mut response = form_page(page, &form.message(page.t("error.busy")), StatusCode::SERVICE_UNAVAILABLE);
    AppError::Busy.decorate(&mut response);
    response
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeInput {
    code: String,
}

fn code_view(page: &Page, action: &'static str) -> Form {
    Form::new(action, page.t("auth.confirm_code")).text("code", page.t("field.code"), "", true).autocomplete("one-time-code").hint(page.t("auth.code_hint"))
}

async fn code_form(lang: Lang, PendingVisitor(_): PendingVisitor) -> Response {
    let page = Page::new(lang, "auth.second_factor");
    form_page(&page, &code_view(&page, "/inloggen/code"), StatusCode::OK)
}

/// Checks a one-time code for `user`, refusing a code whose time step was already used.
async fn code_is_valid(state: &AppState, user: &store::user::User, code: &str) -> Result<Option<i64>, AppError> {
    let Some(secret) = user.totp_secret.as_deref().and_then(totp::base32_decode) else { return Ok(None) };
    let Some(step) = totp::verify(&secret, code, store::now()) else { return Ok(None) };
    Ok(if state.db.use_totp_step(user.id(), step).await? { Some(step) } else { None })
}

async fn code(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    PendingVisitor(visitor): PendingVisitor,
    body: FormBody,
) -> PageResult {
    let input: CodeInput = body.parse()?;
    let user = &visitor.user;
    let actor = Actor { user_id: Some(user.id), label: user.email.clone(), origin: origin.clone() };
    let page = Page::new(lang, "auth.second_factor");
    let Some(attempt) = throttle::begin(&state, &user.email, &origin).await? else {
        let form = code_view(&page, "/inloggen/code").message(page.t("error.too_many_attempts"));
        return Ok(form_page(&page, &form, StatusCode::TOO_MANY_REQUESTS));
    };
    let valid = code_is_valid(&state, user, &input.code).await?.is_some();
    if attempt.settle(valid).await? != Outcome::Passed {
        state.db.audit_event(&actor, None, "login.second_factor", &format!("user:{}", user.email), "failed").await?;
        let form = code_view(&page, "/inloggen/code").message(page.t("auth.code_wrong"));
        return Ok(form_page(&page, &form, StatusCode::UNAUTHORIZED));
    }
    state.db.complete_second_factor(&visitor.session_hash).await?;
    state.db.audit_event(&actor, None, "login.second_factor", &format!("user:{}", user.email), "ok").await?;
    Ok(see_other("/"))
}

async fn logout(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, headers: HeaderMap) -> PageResult {
    if let Some(secret) = session::cookie(&headers, session::COOKIE) {
        let id_hash = session::digest(&secret);
        // Only a session that was there leaves an entry: a stale cookie signs nobody out.
        if let Some(ended) = state.db.session(&id_hash).await? {
            state.db.delete_session(&id_hash).await?;
            let user = state.db.user_by_id(domain::ids::UserId(ended.user_id)).await?;
            let actor = Actor { user_id: Some(user.id), label: user.email.clone(), origin };
            state.db.audit_event(&actor, None, "logout", &format!("user:{}", user.email), "ok").await?;
        }
    }
    Ok(([(SET_COOKIE, session::clear_cookie())], see_other("/inloggen")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LanguageInput {
    lang: String,
}

/// Stores the language choice in a cookie and goes back to the page the visitor came from.
async fn language(headers: HeaderMap, body: FormBody) -> PageResult {
    let input: LanguageInput = body.parse()?;
    let lang = Lang::from_code(&input.lang).unwrap_or_default();
    // Only a path on this site is followed back; anything else goes home.
    let back = headers
        .get("referer")
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_string());
    let cookie = format!("lang={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code());
    Ok(([(SET_COOKIE, cookie)], see_other(&back)).into_response())
}

#[derive(Template)]
#[template(path = "totp.html")]
struct TotpTemplate<'a> {
    page: &'a Page,
    secret: &'a str,
    uri: &'a str,
    /// The address as a QR code: the side in modules (with the quiet zone) and an SVG path.
    qr: Option<(i32, String)>,
    enabled: bool,
    form: &'a Form,
}

async fn totp_setup_form(State(state): State<AppState>, lang: Lang, SetupVisitor(visitor): SetupVisitor) -> PageResult {
    let mut page = Page::new(lang, "totp.title").user(&visitor.user);
    page.setup_only = visitor.user.is_admin && !visitor.user.totp_enabled;
    totp_page(&state, &page, &visitor.user, None, StatusCode::OK).await
}

async fn totp_page(state: &AppState, page: &Page, user: &store::user::User, message: Option<&str>, status: StatusCode) -> PageResult {
    let secret = match (&user.totp_secret, user.totp_enabled) {
        (Some(secret), false) => secret.clone(),
        (_, true) => String::new(),
        (None, false) => {
            let mut bytes = [0u8; 20];
            argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut bytes);
            let secret = totp::base32_encode(&bytes);
            state.db.set_totp_secret(user.id(), &secret).await?;
            secret
        }
    };
    let uri = totp::provisioning_uri(&secret, &user.email);
    let mut form = code_view(page, "/account/tweede-factor");
    if let Some(message) = message {
        form = form.message(message);
    }
    let qr = if user.totp_enabled { None } else { qr_path(&uri) };
    let mut response = render(&TotpTemplate { page, secret: &secret, uri: &uri, qr, enabled: user.totp_enabled, form: &form });
    *response.status_mut() = status;
    Ok(response)
}

/// The quiet zone around a QR code, in modules, as the standard asks.
const QR_BORDER: i32 = 4;

/// A QR code of `text` as the side of its square (quiet zone included) and an SVG path of its
/// dark modules, one `h1v1h-1z` square each.
fn qr_path(text: &str) -> Option<(i32, String)> {
    let code = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QR_BORDER, y + QR_BORDER));
            }
        }
    }
    Some((size + 2 * QR_BORDER, path))
}

async fn totp_setup(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    SetupVisitor(visitor): SetupVisitor,
    body: FormBody,
) -> PageResult {
    let input: CodeInput = body.parse()?;
    let user = &visitor.user;
    let mut page = Page::new(lang, "totp.title").user(user);
    page.setup_only = user.is_admin && !user.totp_enabled;
    if user.totp_enabled {
        return Ok(see_other("/account"));
    }
    let Some(step) = code_is_valid(&state, user, &input.code).await? else {
        return totp_page(&state, &page, user, Some(page.t("auth.code_wrong")), StatusCode::BAD_REQUEST).await;
    };
    let actor = Actor { user_id: Some(user.id), label: user.email.clone(), origin };
    state.db.enable_totp(&actor, user.id(), step).await?;
    Ok(see_other("/"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InvitationInput {
    password: String,
    repeat: String,
}

fn invitation_view(page: &Page, token: &str, user: &store::user::User) -> Form {
    Form::new(format!("/uitnodiging/{token}"), page.t("invite.set_password"))
        .intro(&format!("{} {} ({}).", page.t("invite.welcome"), user.name, user.email))
        .password("password", page.t("field.new_password"), "new-password")
        .hint(page.t("account.password_rules"))
        .password("repeat", page.t("field.repeat_password"), "new-password")
}

/// The page behind an invitation link: the account's name and a form for its first password.
/// A link that was used, has expired or never existed is one and the same "not found".
async fn invitation_form(State(state): State<AppState>, lang: Lang, Path(token): Path<String>) -> PageResult {
    let user = crate::accounts::invited(&state.db, &token).await?;
    let page = Page::new(lang, "invite.title");
    Ok(form_page(&page, &invitation_view(&page, &token, &user), StatusCode::OK))
}

/// Sets the first password and signs the account in; an administrator goes on to set up the
/// second factor, as at every sign-in.
async fn accept_invitation(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: FormBody,
) -> PageResult {
    let input: InvitationInput = body.parse()?;
    let page = Page::new(lang, "invite.title");
    let actor = Actor { user_id: None, label: "invitation".into(), origin };
    let user = match crate::accounts::accept_invitation(&state.db, &actor, &token, &input.password, &input.repeat).await {
        Ok(user) => user,
        Err(AppError::Invalid(invalid)) => {
            let user = crate::accounts::invited(&state.db, &token).await?;
            let form = invitation_view(&page, &token, &user).errors(&page, Some(&invalid));
            return Ok(form_page(&page, &form, StatusCode::BAD_REQUEST));
        }
        Err(AppError::Busy) => {
            let user = crate::accounts::invited(&state.db, &token).await?;
            return Ok(busy_page(&page, invitation_view(&page, &token, &user)));
        }
        Err(other) => return Err(other.into()),
    };
    if let Some(old) = session::cookie(&headers, session::COOKIE) {
        state.db.delete_session(&session::digest(&old)).await?;
    }
    let secret = session::new_secret();
    state.db.create_session(&session::digest(&secret), user.id, user.totp_enabled).await?;
    // A member of one collaboration starts on its page, where the guide says what comes next.
    let mine = state.db.collaborations_of(user.id()).await?;
    let next = match mine.as_slice() {
        [(c, _)] if !user.is_admin => format!("/samenwerkingen/{}", c.id),
        _ => "/".to_string(),
    };
    Ok(([(SET_COOKIE, session::set_cookie(&secret))], see_other(&next)).into_response())
}
