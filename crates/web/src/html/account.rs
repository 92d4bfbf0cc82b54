//! The signed-in user's own account: password, second factor, personal API tokens.

use super::{Cell, Form, Link, Page, PageResult, Table, form_page, see_other, table_page};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::{self, Visitor};
use crate::throttle::Outcome;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use store::Actor;

pub fn routes() -> Routes {
    Routes::new()
        .get("/account", show)
        .post("/account/wachtwoord", change_password)
        .get("/account/tokens", tokens)
        .post("/account/tokens", create_token)
        .post("/account/tokens/{token_id}/intrekken", revoke_token)
}

fn actor(visitor: &Visitor, origin: String) -> Actor {
    Actor { user_id: Some(visitor.user.id), label: visitor.user.email.clone(), origin }
}

fn password_view(page: &Page) -> Form {
    Form::new("/account/wachtwoord", page.t("account.change_password"))
        .password("current", page.t("field.current_password"), "current-password")
        .password("password", page.t("field.new_password"), "new-password")
        .hint(page.t("account.password_rules"))
}

fn account_page(lang: Lang, visitor: &Visitor) -> Page {
    let mut page = Page::new(lang, "account.title").user(&visitor.user);
    page.title = format!("{} – {}", page.title, visitor.user.name);
    page
}

fn account_links(page: &Page, visitor: &Visitor) -> Table {
    let totp = if visitor.user.totp_enabled { page.t("account.totp_on") } else { page.t("account.totp_off") };
    Table {
        intro: format!("{} {} · {}", page.t("field.email"), visitor.user.email, totp),
        actions: vec![Link::to(page.t("account.tokens").to_string(), "/account/tokens"), Link::to(page.t("totp.title").to_string(), "/account/tweede-factor")],
        ..Default::default()
    }
}

async fn show(lang: Lang, visitor: Visitor) -> PageResult {
    let page = account_page(lang, &visitor);
    Ok(table_page(&page, &account_links(&page, &visitor), Some(&password_view(&page))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordInput {
    current: String,
    password: String,
}

async fn change_password(State(state): State<AppState>, lang: Lang, ClientOrigin(origin): ClientOrigin, visitor: Visitor, body: FormBody) -> PageResult {
    let input: PasswordInput = body.parse()?;
    let page = account_page(lang, &visitor);
    let refuse = |invalid: domain::Invalid| {
        let form = password_view(&page).errors(&page, Some(&invalid));
        Ok(form_page(&page, &form, StatusCode::BAD_REQUEST))
    };
    let stored = Some(visitor.user.password_hash.clone());
    match crate::throttle::check_password(&state, &visitor.user.email, &origin, input.current, stored, true).await {
        Ok(Outcome::Passed) => {}
        Ok(Outcome::Failed) => return refuse(domain::Invalid::single("current", "err.password_wrong")),
        Ok(Outcome::Throttled) => {
            let form = password_view(&page).message(page.t("error.too_many_attempts"));
            return Ok(form_page(&page, &form, StatusCode::TOO_MANY_REQUESTS));
        }
        Err(AppError::Busy) => return Ok(super::auth::busy_page(&page, password_view(&page))),
        Err(other) => return Err(other.into()),
    }
    if let Err(invalid) = domain::password::check(&input.password, &visitor.user.email) {
        return refuse(invalid);
    }
    let hash = crate::password::hash(input.password).await?;
    // Changing the password ends every session, this one too: sign in again.
    state.db.set_password(&actor(&visitor, origin), visitor.user.id(), &hash).await?;
    Ok(see_other("/inloggen"))
}

fn token_view(page: &Page) -> Form {
    Form::new("/account/tokens", page.t("account.create_token")).text("name", page.t("field.token_name"), "", true).hint(page.t("account.token_hint"))
}

async fn token_table(state: &AppState, page: &Page, visitor: &Visitor, intro: String) -> Result<Table, AppError> {
    let tokens = state.db.api_tokens(visitor.user.id).await?;
    Ok(Table {
        intro,
        caption: page.t("account.tokens").to_string(),
        headers: vec![page.t("field.token_name").into(), page.t("field.created").into(), page.t("field.last_used").into(), String::new()],
        rows: tokens
            .iter()
            .map(|t| {
                vec![
                    Cell::text(&t.name),
                    Cell::text(page.lang.datetime(t.created_at)),
                    Cell::text(t.last_used_at.map(|at| page.lang.datetime(at)).unwrap_or_else(|| page.t("account.never").into())),
                    Cell::button(page.t("account.revoke"), format!("/account/tokens/{}/intrekken", t.id)),
                ]
            })
            .collect(),
        empty: page.t("account.no_tokens").to_string(),
        ..Default::default()
    })
}

async fn tokens(State(state): State<AppState>, lang: Lang, visitor: Visitor) -> PageResult {
    let page = Page::new(lang, "account.tokens").user(&visitor.user);
    let table = token_table(&state, &page, &visitor, page.t("account.tokens_intro").to_string()).await?;
    Ok(table_page(&page, &table, Some(&token_view(&page))))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenInput {
    name: String,
}

async fn create_token(State(state): State<AppState>, lang: Lang, ClientOrigin(origin): ClientOrigin, visitor: Visitor, body: FormBody) -> PageResult {
    let input: TokenInput = body.parse()?;
    let page = Page::new(lang, "account.tokens").user(&visitor.user);
    let mut invalid = domain::Invalid::default();
    let name = domain::error::required_text(&mut invalid, "name", &input.name, 100);
    if !invalid.errors.is_empty() {
        let table = token_table(&state, &page, &visitor, String::new()).await?;
        let form = token_view(&page).errors(&page, Some(&invalid));
        let mut response = table_page(&page, &table, Some(&form));
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(response);
    }
    let token = format!("{}{}", session::TOKEN_PREFIX, session::new_secret());
    state.db.create_api_token(&actor(&visitor, origin), visitor.user.id, &name, &session::digest(&token)).await?;
    // The token is shown once, here; only its hash is kept.
    let table = token_table(&state, &page, &visitor, format!("{} {token}", page.t("account.token_created"))).await?;
    Ok(table_page(&page, &table, Some(&token_view(&page))))
}

async fn revoke_token(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path(token_id): Path<i64>) -> PageResult {
    state.db.revoke_api_token(&actor(&visitor, origin), visitor.user.id, token_id).await?;
    Ok(see_other("/account/tokens"))
}
