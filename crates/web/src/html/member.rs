//! Members of a collaboration: who has an account on it and with which role. Everyone in
//! the collaboration sees the list; the beheerder adds, changes and removes members.

use super::{Cell, Form, Link, Page, PageResult, Table, choices, collaboration_access, confirm_page, see_other, table_page};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::ids::UserId;
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/leden", list)
        .post("/samenwerkingen/{id}/leden", set)
        .get("/samenwerkingen/{id}/leden/{user_id}/verwijderen", remove_form)
        .post("/samenwerkingen/{id}/leden/{user_id}/verwijderen", remove)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberInput {
    email: String,
    role: String,
}

fn member_view(page: &Page, id: i64, input: &MemberInput) -> Form {
    Form::new(format!("/samenwerkingen/{id}/leden"), page.t("members.save"))
        .intro(page.t("members.form_intro"))
        .email("email", page.t("field.email"), &input.email, true)
        .autocomplete("off")
        .select("role", page.t("field.role"), choices(page, "role", Role::ALL, Role::code), if input.role.is_empty() { "lid" } else { &input.role }, true)
        .hint(page.t("members.role_hint"))
}

async fn members_page(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, form_input: &MemberInput, invalid: Option<&domain::Invalid>) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "members.title").user(&visitor.user).in_collab(&c, role, "members");
    let members = state.db.members(c.id).await?;
    let manage = role.allows(Action::Manage);
    let mut headers = vec![page.t("field.name").to_string(), page.t("field.email").to_string(), page.t("field.role").to_string()];
    if manage {
        headers.push(page.t("form.actions").to_string());
    }
    let table = Table {
        intro: page.t("members.intro").to_string(),
        caption: page.t("members.title").to_string(),
        headers,
        rows: members
            .iter()
            .map(|m| {
                let mut row = vec![Cell::text(&m.name), Cell::text(&m.email), Cell::text(lang.label("role", &m.role))];
                if manage {
                    row.push(Cell::links(vec![Link {
                        hidden: m.name.clone(),
                        ..Link::to(page.t("form.delete"), format!("/samenwerkingen/{id}/leden/{}/verwijderen", m.user_id))
                    }]));
                }
                row
            })
            .collect(),
        empty: String::new(),
        ..Default::default()
    };
    let form = manage.then(|| member_view(&page, id, form_input).errors(&page, invalid));
    let mut response = table_page(&page, &table, form.as_ref());
    if invalid.is_some() {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    members_page(&state, lang, &visitor, id, &MemberInput::default(), None).await
}

async fn set(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let input: MemberInput = body.parse()?;
    let role = Role::from_code(&input.role);
    let user = state.db.user_by_email(&input.email).await?.filter(|u| !u.disabled);
    let (Some(role), Some(user)) = (role, user) else {
        let invalid = domain::Invalid::single("email", "err.unknown_account");
        return members_page(&state, lang, &visitor, id, &input, Some(&invalid)).await;
    };
    match state.db.set_member(&actor(&visitor, origin), c.id, user.id(), role).await {
        Err(store::StoreError::Conflict(_)) => {
            let invalid = domain::Invalid::single("role", "error.last_beheerder");
            members_page(&state, lang, &visitor, id, &input, Some(&invalid)).await
        }
        other => {
            other?;
            Ok(see_other(&format!("/samenwerkingen/{id}/leden")))
        }
    }
}

async fn remove_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, user_id)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let page = Page::new(lang, "members.remove").user(&visitor.user).in_collab(&c, role, "members");
    let member = state.db.members(c.id).await?.into_iter().find(|m| m.user_id == user_id).ok_or(AppError::NotFound)?;
    let question = format!("{} “{}”", page.t("members.remove_question"), member.name);
    Ok(confirm_page(&page, &question, &format!("/samenwerkingen/{id}/leden/{user_id}/verwijderen"), &format!("/samenwerkingen/{id}/leden")))
}

async fn remove(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path((id, user_id)): Path<(i64, i64)>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    state.db.remove_member(&actor(&visitor, origin), c.id, UserId(user_id)).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/leden")))
}
