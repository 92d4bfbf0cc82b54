//! The travel company (reisgezelschap): partners, people and portfolios. The three share one
//! flow (list, form, save with a version check, delete after confirmation), written once over
//! `company::Child` in `new_form`, `create`, `edit` and `update`; each kind adds only its
//! fields (`Edited::form`) and its list's columns.

use super::{Cell, Form, Link, Page, PageResult, collaboration_access, form_page, see_other};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::session::Visitor;
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::collaboration::Collaboration;
use domain::partner::Partner;
use domain::person::Person;
use domain::portfolio::Portfolio;
use store::StoreError;

mod delete;
mod form;
mod kinds;

use delete::{delete, delete_form};
use form::{create, edit, new_form, update};
use kinds::{partners, people, portfolios};

pub fn routes() -> Routes {
    let mut routes = Routes::new();
    routes = routes
        .get("/samenwerkingen/{id}/partners", partners)
        .get("/samenwerkingen/{id}/partners/nieuw", new_form::<Partner>)
        .post("/samenwerkingen/{id}/partners", create::<Partner>)
        .get("/samenwerkingen/{id}/partners/{item}/bewerken", edit::<Partner>)
        .post("/samenwerkingen/{id}/partners/{item}/bewerken", update::<Partner>)
        .get("/samenwerkingen/{id}/personen", people)
        .get("/samenwerkingen/{id}/personen/nieuw", new_form::<Person>)
        .post("/samenwerkingen/{id}/personen", create::<Person>)
        .get("/samenwerkingen/{id}/personen/{item}/bewerken", edit::<Person>)
        .post("/samenwerkingen/{id}/personen/{item}/bewerken", update::<Person>)
        .get("/samenwerkingen/{id}/portefeuilles", portfolios)
        .get("/samenwerkingen/{id}/portefeuilles/nieuw", new_form::<Portfolio>)
        .post("/samenwerkingen/{id}/portefeuilles", create::<Portfolio>)
        .get("/samenwerkingen/{id}/portefeuilles/{item}/bewerken", edit::<Portfolio>)
        .post("/samenwerkingen/{id}/portefeuilles/{item}/bewerken", update::<Portfolio>);
    routes.get("/samenwerkingen/{id}/{kind}/{item}/verwijderen", delete_form).post("/samenwerkingen/{id}/{kind}/{item}/verwijderen", delete)
}

/// The three kinds, by the Dutch path segment that names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Partner,
    Person,
    Portfolio,
    /// A collaboration's own practice example (only deleted here; see `html::example`).
    Example,
    /// A body of the meeting structure (only deleted here; see `html::body`).
    Body,
    /// A meeting with its action points (only deleted here; see `html::meeting`).
    Meeting,
    /// A working area (only deleted here; see `html::scope`).
    Scope,
}

impl Kind {
    fn from_segment(segment: &str) -> Option<Kind> {
        match segment {
            "partners" => Some(Kind::Partner),
            "personen" => Some(Kind::Person),
            "portefeuilles" => Some(Kind::Portfolio),
            "voorbeelden" => Some(Kind::Example),
            "overleg" => Some(Kind::Body),
            "vergaderingen" => Some(Kind::Meeting),
            "werkgebieden" => Some(Kind::Scope),
            _ => None,
        }
    }
    fn segment(self) -> &'static str {
        match self {
            Kind::Partner => "partners",
            Kind::Person => "personen",
            Kind::Portfolio => "portefeuilles",
            Kind::Example => "voorbeelden",
            Kind::Body => "overleg",
            Kind::Meeting => "vergaderingen",
            Kind::Scope => "werkgebieden",
        }
    }
    fn nav(self) -> &'static str {
        match self {
            Kind::Partner => "partners",
            Kind::Person => "people",
            Kind::Portfolio => "portfolios",
            Kind::Example => "examples",
            Kind::Body => "bodies",
            Kind::Meeting => "meetings",
            Kind::Scope => "scopes",
        }
    }
    fn key(self, suffix: &str) -> String {
        format!("{}.{suffix}", self.nav())
    }
}

/// The page frame for a kind within a collaboration.
pub(super) async fn frame(
    state: &AppState,
    lang: Lang,
    visitor: &Visitor,
    id: i64,
    action: Action,
    kind: Kind,
    title: &str,
) -> Result<(Collaboration, Role, Page), AppError> {
    let (c, role) = collaboration_access(state, &visitor.user, id, action).await?;
    let page = Page::new(lang, &kind.key(title)).user(&visitor.user).in_collab(&c, role, kind.nav());
    Ok((c, role, page))
}

pub(super) fn list_url(id: i64, kind: Kind) -> String {
    format!("/samenwerkingen/{id}/{}", kind.segment())
}

/// What a save came to: back to the list, or the form again with why it was refused.
pub(super) fn saved<T>(page: &Page, view: Form, result: Result<T, StoreError>, id: i64, kind: Kind) -> PageResult {
    match result {
        Ok(_) => Ok(see_other(&list_url(id, kind))),
        Err(StoreError::Conflict(_)) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(StoreError::Reference(field)) => {
            Ok(form_page(page, &view.errors(page, Some(&domain::Invalid::single(field, "err.not_in_collaboration"))), StatusCode::BAD_REQUEST))
        }
        Err(other) => Err(other.into()),
    }
}

pub(super) fn refused(page: &Page, view: Form, invalid: &domain::Invalid) -> PageResult {
    Ok(form_page(page, &view.errors(page, Some(invalid)), StatusCode::BAD_REQUEST))
}

pub(super) fn list_actions(page: &Page, role: Role, id: i64, kind: Kind) -> Vec<Link> {
    if role.allows(Action::Edit) { vec![Link::to(page.t(&kind.key("new")).to_string(), format!("{}/nieuw", list_url(id, kind)))] } else { Vec::new() }
}

/// The edit and delete links of a row, as far as the role allows, in one cell; each names
/// the row for screen readers.
pub(super) fn row_actions(page: &Page, role: Role, id: i64, kind: Kind, item: i64, name: &str) -> Vec<Cell> {
    let mut links = Vec::new();
    if role.allows(Action::Edit) {
        links.push(Link { hidden: name.to_string(), ..Link::to(page.t("form.edit"), format!("{}/{item}/bewerken", list_url(id, kind))) });
    }
    if role.allows(Action::Manage) {
        links.push(Link { hidden: name.to_string(), ..Link::to(page.t("form.delete"), format!("{}/{item}/verwijderen", list_url(id, kind))) });
    }
    if links.is_empty() { Vec::new() } else { vec![Cell::links(links)] }
}

pub(super) fn headers(page: &Page, keys: &[&str], role: Role) -> Vec<String> {
    let mut headers: Vec<String> = keys.iter().map(|k| page.t(k).to_string()).collect();
    if role.allows(Action::Edit) {
        headers.push(page.t("form.actions").to_string());
    }
    headers
}
