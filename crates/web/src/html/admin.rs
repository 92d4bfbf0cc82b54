//! The instance administrator's pages: accounts, and the list of collaborations by name,
//! status and first beheerder (their members and content stay with their members).
//! Collaborations are created from the home page, which the administrator sees with a "new
//! collaboration" action.

use super::{Cell, Form, Page, PageResult, Table, see_other, table_page};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use store::Actor;

pub fn routes() -> Routes {
    Routes::new()
        .get("/beheer/gebruikers", users)
        .post("/beheer/gebruikers", create_user)
        .post("/beheer/gebruikers/{user_id}/blokkeren", toggle_disabled)
        .post("/beheer/gebruikers/{user_id}/landelijk", toggle_national)
        .post("/beheer/gebruikers/{user_id}/uitnodigen", reinvite)
        .get("/beheer/samenwerkingen", collaborations)
}

async fn collaborations(State(state): State<AppState>, lang: Lang, visitor: Visitor) -> PageResult {
    require_admin(&visitor)?;
    let page = Page::new(lang, "admin.collaborations").user(&visitor.user);
    let list = state.db.collaboration_summaries().await?;
    let table = Table {
        intro: page.t("admin.collaborations_intro").to_string(),
        caption: page.t("admin.collaborations").to_string(),
        headers: vec![page.t("field.name").into(), page.t("field.status").into(), page.t("field.created").into(), page.t("field.first_beheerder").into()],
        rows: list
            .iter()
            .map(|c| {
                let beheerder = match (&c.beheerder_name, &c.beheerder_email) {
                    (Some(name), Some(email)) => format!("{name} ({email})"),
                    _ => String::new(),
                };
                vec![Cell::text(&c.name), Cell::text(lang.label("status", &c.status)), Cell::text(lang.datetime(c.created_at)), Cell::text(beheerder)]
            })
            .collect(),
        empty: page.t("admin.no_collaborations").to_string(),
        ..Default::default()
    };
    Ok(table_page(&page, &table, None))
}

pub fn require_admin(visitor: &Visitor) -> Result<(), AppError> {
    if visitor.user.is_admin { Ok(()) } else { Err(AppError::Forbidden) }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    pub password: String,
    #[serde(deserialize_with = "domain::error::lenient_bool")]
    pub is_admin: bool,
}

fn user_view(page: &Page, input: &NewUserInput) -> Form {
    Form::new("/beheer/gebruikers", page.t("admin.create_user"))
        .email("email", page.t("field.email"), &input.email, true)
        .text("name", page.t("field.name"), &input.name, true)
        .password("password", page.t("field.initial_password"), "new-password")
        .hint(page.t("admin.password_or_invite"))
        .checkbox("is_admin", page.t("field.is_admin"), input.is_admin)
        .hint(page.t("admin.admin_hint"))
}

async fn user_table(state: &AppState, page: &Page, me: i64) -> Result<Table, AppError> {
    let users = state.db.users().await?;
    let invitations = state.db.latest_invitations().await?;
    Ok(Table {
        intro: page.t("admin.users_intro").to_string(),
        caption: page.t("admin.users").to_string(),
        headers: vec![
            page.t("field.name").into(),
            page.t("field.email").into(),
            page.t("admin.kind").into(),
            page.t("admin.state").into(),
            page.t("form.actions").into(),
            page.t("admin.national").into(),
        ],
        rows: users
            .iter()
            .map(|u| {
                let kind = if u.is_admin { page.t("admin.administrator") } else { page.t("admin.user") };
                let (state_text, action) = if u.disabled {
                    (Cell::flag(page.t("admin.disabled")), page.t("admin.enable"))
                } else if u.password_hash.is_empty() {
                    let until = invitations.iter().find(|i| i.user_id == u.id && i.used_at.is_none()).map(|i| i.expires_at);
                    let text = match until {
                        Some(at) if at > store::now() => format!("{} {}", page.t("admin.invited_until"), page.lang.datetime(at)),
                        _ => page.t("admin.invitation_expired").to_string(),
                    };
                    (
                        Cell::button(format!("{text} · {}: {}", page.t("admin.reinvite"), u.name), format!("/beheer/gebruikers/{}/uitnodigen", u.id)),
                        page.t("admin.disable"),
                    )
                } else {
                    (Cell::text(page.t("admin.active")), page.t("admin.disable"))
                };
                // Nobody blocks their own account: it would lock the administrator out.
                let block =
                    if u.id == me { Cell::text("") } else { Cell::button(format!("{action}: {}", u.name), format!("/beheer/gebruikers/{}/blokkeren", u.id)) };
                let national = if u.national_reader { page.t("admin.national_off") } else { page.t("admin.national_on") };
                let national = Cell::button(format!("{national}: {}", u.name), format!("/beheer/gebruikers/{}/landelijk", u.id));
                vec![Cell::text(&u.name), Cell::text(&u.email), Cell::text(kind), state_text, block, national]
            })
            .collect(),
        empty: String::new(),
        ..Default::default()
    })
}

async fn users(State(state): State<AppState>, lang: Lang, visitor: Visitor) -> PageResult {
    require_admin(&visitor)?;
    let page = Page::new(lang, "admin.users").user(&visitor.user);
    let table = user_table(&state, &page, visitor.user.id).await?;
    Ok(table_page(&page, &table, Some(&user_view(&page, &NewUserInput::default()))))
}

async fn create_user(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    headers: HeaderMap,
    visitor: Visitor,
    body: FormBody,
) -> PageResult {
    require_admin(&visitor)?;
    let input: NewUserInput = body.parse()?;
    let page = Page::new(lang, "admin.users").user(&visitor.user);
    let actor = Actor { user_id: Some(visitor.user.id), label: visitor.user.email.clone(), origin };
    // No password given: the account gets an invitation link that sets one.
    let made = if input.password.is_empty() {
        crate::accounts::invite_account(&state.db, &actor, &input.email, &input.name, input.is_admin).await.map(|(user, invited)| (user, Some(invited)))
    } else {
        crate::accounts::create_account(&state.db, &actor, &input.email, &input.name, &input.password, input.is_admin).await.map(|user| (user, None))
    };
    match made {
        Ok((user, invited)) => Ok(account_created(&page, &headers, "admin.account_created", &user, invited.as_ref())),
        Err(AppError::Invalid(invalid)) => {
            let table = user_table(&state, &page, visitor.user.id).await?;
            let mut response = table_page(&page, &table, Some(&user_view(&page, &input).errors(&page, Some(&invalid))));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// Says what "Account aanmaken" (or a new invitation) did, with the link to pass on.
fn account_created(
    page: &Page,
    headers: &HeaderMap,
    headline: &str,
    user: &store::user::User,
    invited: Option<&crate::accounts::Invited>,
) -> axum::response::Response {
    let kind = if user.is_admin { page.t("admin.administrator") } else { page.t("admin.user") };
    let mut lines = vec![format!("{} {} ({}) · {}.", page.t(headline), user.name, user.email, kind.to_lowercase())];
    lines.push(if invited.is_some() { page.t("admin.account_invited").to_string() } else { page.t("admin.account_with_password").to_string() });
    let mut confirmed = Page::new(page.lang, "admin.account_created_title");
    confirmed.user = page.user.clone();
    super::render(&super::CreatedTemplate {
        page: &confirmed,
        lines,
        invitation: invited.map(|i| crate::accounts::invitation_url(headers, &i.path())),
        valid_until: invited.map(|i| page.lang.datetime(i.expires_at)).unwrap_or_default(),
        actions: vec![super::Link::to(page.t("admin.users").to_string(), "/beheer/gebruikers")],
    })
}

async fn reinvite(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    headers: HeaderMap,
    visitor: Visitor,
    Path(user_id): Path<i64>,
) -> PageResult {
    require_admin(&visitor)?;
    let target = state.db.user_by_id(domain::ids::UserId(user_id)).await?;
    let actor = Actor { user_id: Some(visitor.user.id), label: visitor.user.email.clone(), origin };
    let invited = crate::accounts::reinvite(&state.db, &actor, target.id()).await?;
    let page = Page::new(lang, "admin.users").user(&visitor.user);
    Ok(account_created(&page, &headers, "admin.invitation_renewed", &target, Some(&invited)))
}

async fn toggle_disabled(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path(user_id): Path<i64>) -> PageResult {
    require_admin(&visitor)?;
    let target = state.db.user_by_id(domain::ids::UserId(user_id)).await?;
    if target.id == visitor.user.id {
        return Err(AppError::Conflict("self").into());
    }
    let actor = Actor { user_id: Some(visitor.user.id), label: visitor.user.email.clone(), origin };
    state.db.set_disabled(&actor, target.id(), !target.disabled).await?;
    Ok(see_other("/beheer/gebruikers"))
}

async fn toggle_national(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path(user_id): Path<i64>) -> PageResult {
    require_admin(&visitor)?;
    let target = state.db.user_by_id(domain::ids::UserId(user_id)).await?;
    let actor = Actor { user_id: Some(visitor.user.id), label: visitor.user.email.clone(), origin };
    state.db.set_national_reader(&actor, target.id(), !target.national_reader).await?;
    Ok(see_other("/beheer/gebruikers"))
}
