//! The travel company (reisgezelschap): partners, people and portfolios. The three share one
//! flow (list, form, save with a version check, delete after confirmation), written once over
//! `company::Child` in `new_form`, `create`, `edit` and `update`; each kind adds only its
//! fields (`Edited::form`) and its list's columns.

use super::{Cell, Form, Link, Page, PageResult, Table, choices, collaboration_access, confirm_page, form_page, see_other, table_page, with_empty};
use crate::AppState;
use crate::company::{Child, vacant};
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
use domain::collaboration::Collaboration;
use domain::ids::{PartnerId, PersonId};
use domain::partner::{Partner, PartnerInput, Ring, Sector};
use domain::person::{Person, PersonInput, PersonRole};
use domain::portfolio::{Portfolio, PortfolioInput};
use std::future::Future;
use store::StoreError;

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
enum Kind {
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
async fn frame(
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

fn list_url(id: i64, kind: Kind) -> String {
    format!("/samenwerkingen/{id}/{}", kind.segment())
}

/// What a save came to: back to the list, or the form again with why it was refused.
fn saved<T>(page: &Page, view: Form, result: Result<T, StoreError>, id: i64, kind: Kind) -> PageResult {
    match result {
        Ok(_) => Ok(see_other(&list_url(id, kind))),
        Err(StoreError::Conflict(_)) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(StoreError::Reference(field)) => {
            Ok(form_page(page, &view.errors(page, Some(&domain::Invalid::single(field, "err.not_in_collaboration"))), StatusCode::BAD_REQUEST))
        }
        Err(other) => Err(other.into()),
    }
}

fn refused(page: &Page, view: Form, invalid: &domain::Invalid) -> PageResult {
    Ok(form_page(page, &view.errors(page, Some(invalid)), StatusCode::BAD_REQUEST))
}

fn list_actions(page: &Page, role: Role, id: i64, kind: Kind) -> Vec<Link> {
    if role.allows(Action::Edit) { vec![Link::to(page.t(&kind.key("new")).to_string(), format!("{}/nieuw", list_url(id, kind)))] } else { Vec::new() }
}

/// The edit and delete links of a row, as far as the role allows, in one cell; each names
/// the row for screen readers.
fn row_actions(page: &Page, role: Role, id: i64, kind: Kind, item: i64, name: &str) -> Vec<Cell> {
    let mut links = Vec::new();
    if role.allows(Action::Edit) {
        links.push(Link { hidden: name.to_string(), ..Link::to(page.t("form.edit"), format!("{}/{item}/bewerken", list_url(id, kind))) });
    }
    if role.allows(Action::Manage) {
        links.push(Link { hidden: name.to_string(), ..Link::to(page.t("form.delete"), format!("{}/{item}/verwijderen", list_url(id, kind))) });
    }
    if links.is_empty() { Vec::new() } else { vec![Cell::links(links)] }
}

fn headers(page: &Page, keys: &[&str], role: Role) -> Vec<String> {
    let mut headers: Vec<String> = keys.iter().map(|k| page.t(k).to_string()).collect();
    if role.allows(Action::Edit) {
        headers.push(page.t("form.actions").to_string());
    }
    headers
}

// ---- the form, for every kind ----

/// A child as its form shows it.
trait Edited: Child {
    const KIND: Kind;
    /// The form filled with `input`, sent to `action`.
    fn form(state: &AppState, page: &Page, c: &Collaboration, action: String, input: &Self::Input) -> impl Future<Output = Result<Form, AppError>> + Send;
}

fn item_url(id: i64, kind: Kind, item: i64) -> String {
    format!("{}/{item}/bewerken", list_url(id, kind))
}

async fn new_form<T: Edited>(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "new").await?;
    let form = T::form(&state, &page, &c, list_url(id, T::KIND), &T::Input::default()).await?.cancel(list_url(id, T::KIND));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn create<T: Edited>(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "new").await?;
    let (input, control): (T::Input, _) = body.parse_kept()?;
    let view = T::form(&state, &page, &c, list_url(id, T::KIND), &input).await?;
    match control.before(T::check(&input)) {
        Ok(new) => saved(&page, view, T::create(&state.db, &actor(&visitor, origin), c.id, &new).await, id, T::KIND),
        Err(invalid) => refused(&page, view, &invalid),
    }
}

async fn edit<T: Edited>(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, item)): Path<(i64, i64)>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "edit").await?;
    let current = T::one(&state.db, c.id, item).await?;
    let form =
        T::form(&state, &page, &c, item_url(id, T::KIND, item), &current.input()).await?.hidden("version", current.version()).cancel(list_url(id, T::KIND));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update<T: Edited>(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, item)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Edit, T::KIND, "edit").await?;
    let ((input, control), version): ((T::Input, _), i64) = (body.parse_kept()?, body.version()?);
    let view = T::form(&state, &page, &c, item_url(id, T::KIND, item), &input).await?.hidden("version", version);
    match control.before(T::check(&input)) {
        Ok(new) => saved(&page, view, T::update(&state.db, &actor(&visitor, origin), c.id, item, version, &new).await, id, T::KIND),
        Err(invalid) => refused(&page, view, &invalid),
    }
}

// ---- partners ----

impl Edited for Partner {
    const KIND: Kind = Kind::Partner;
    async fn form(_: &AppState, page: &Page, _: &Collaboration, action: String, input: &PartnerInput) -> Result<Form, AppError> {
        Ok(Form::new(action, page.t("form.save"))
            .text("name", page.t("field.name"), &input.name, true)
            .select(
                "sector",
                page.t("field.sector"),
                with_empty(page.t("form.choose"), choices(page, "sector", Sector::ALL, Sector::code)),
                &input.sector,
                true,
            )
            .select("ring", page.t("field.ring"), with_empty(page.t("form.choose"), choices(page, "ring", Ring::ALL, Ring::code)), &input.ring, true)
            .hint(page.t("partners.ring_hint"))
            .textarea("description", page.t("field.description"), &input.description))
    }
}

async fn partners(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Read, Kind::Partner, "title").await?;
    let list = state.db.partners(c.id).await?;
    let table = Table {
        intro: page.t("partners.intro").to_string(),
        actions: list_actions(&page, role, id, Kind::Partner),
        caption: page.t("partners.title").to_string(),
        headers: headers(&page, &["field.name", "field.sector", "field.ring"], role),
        rows: list
            .iter()
            .map(|p| {
                let mut row = vec![Cell::text(&p.name), Cell::text(lang.label("sector", p.sector.code())), Cell::text(lang.label("ring", p.ring.code()))];
                row.extend(row_actions(&page, role, id, Kind::Partner, p.id.0, &p.name));
                row
            })
            .collect(),
        empty: page.t("partners.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}

// ---- people ----

impl Edited for Person {
    const KIND: Kind = Kind::Person;
    async fn form(state: &AppState, page: &Page, c: &Collaboration, action: String, input: &PersonInput) -> Result<Form, AppError> {
        let partners = state.db.partners(c.id).await?;
        let partner_choices = with_empty(page.t("people.no_partner"), partners.iter().map(|p| (p.id.0.to_string(), p.name.clone())).collect());
        let selected = input.partner_id.map(|p| p.to_string()).unwrap_or_default();
        Ok(Form::new(action, page.t("form.save"))
            .text("name", page.t("field.name"), &input.name, true)
            .email("email", page.t("field.email"), &input.email, false)
            .text("function", page.t("field.function"), &input.function, false)
            .select("partner_id", page.t("field.partner"), partner_choices, &selected, false)
            .checkboxes("roles", page.t("field.roles"), choices(page, "personrole", PersonRole::ALL, PersonRole::code), &input.roles)
            .checkbox("left", page.t("field.left"), input.left)
            .hint(page.t("people.left_hint")))
    }
}

async fn people(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Read, Kind::Person, "title").await?;
    let list = state.db.people(c.id).await?;
    let partners = state.db.partners(c.id).await?;
    let partner_name = |pid: Option<PartnerId>| pid.and_then(|pid| partners.iter().find(|p| p.id == pid)).map(|p| p.name.clone()).unwrap_or_default();
    let table = Table {
        intro: page.t("people.intro").to_string(),
        actions: list_actions(&page, role, id, Kind::Person),
        caption: page.t("people.title").to_string(),
        headers: headers(&page, &["field.name", "field.partner", "field.roles", "field.state"], role),
        rows: list
            .iter()
            .map(|p| {
                let roles = p.roles.iter().map(|r| lang.label("personrole", r.code())).collect::<Vec<_>>().join(", ");
                let state_cell = if p.left { Cell::flag(page.t("people.has_left")) } else { Cell::text(page.t("people.active")) };
                let mut row = vec![Cell::text(&p.name), Cell::text(partner_name(p.partner_id)), Cell::text(roles), state_cell];
                row.extend(row_actions(&page, role, id, Kind::Person, p.id.0, &p.name));
                row
            })
            .collect(),
        empty: page.t("people.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}

// ---- portfolios ----

impl Edited for Portfolio {
    const KIND: Kind = Kind::Portfolio;
    async fn form(state: &AppState, page: &Page, c: &Collaboration, action: String, input: &PortfolioInput) -> Result<Form, AppError> {
        let people = state.db.people(c.id).await?;
        let holders = with_empty(page.t("portfolios.vacant"), people.iter().filter(|p| !p.left).map(|p| (p.id.0.to_string(), p.name.clone())).collect());
        let selected = input.holder_id.map(|p| p.to_string()).unwrap_or_default();
        Ok(Form::new(action, page.t("form.save"))
            .text("name", page.t("field.name"), &input.name, true)
            .textarea("mandate", page.t("field.mandate"), &input.mandate)
            .hint(page.t("portfolios.mandate_hint"))
            .textarea("expectations", page.t("field.expectations"), &input.expectations)
            .select("holder_id", page.t("field.holder"), holders, &selected, false))
    }
}

async fn portfolios(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Read, Kind::Portfolio, "title").await?;
    let list = state.db.portfolios(c.id).await?;
    let people = state.db.people(c.id).await?;
    let holder = |pid: PersonId| people.iter().find(|p| p.id == pid);
    let table = Table {
        intro: page.t("portfolios.intro").to_string(),
        actions: list_actions(&page, role, id, Kind::Portfolio),
        caption: page.t("portfolios.title").to_string(),
        headers: headers(&page, &["field.name", "field.mandate", "field.holder"], role),
        rows: list
            .iter()
            .map(|p| {
                let holder_cell = match p.holder_id.and_then(holder) {
                    Some(h) if !vacant(p, &people) => Cell::text(&h.name),
                    _ => Cell::flag(page.t("portfolios.vacant")),
                };
                let mut row = vec![Cell::text(&p.name), Cell::text(&p.mandate), holder_cell];
                row.extend(row_actions(&page, role, id, Kind::Portfolio, p.id.0, &p.name));
                row
            })
            .collect(),
        empty: page.t("portfolios.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}

// ---- deleting, for every kind ----

async fn item_name(state: &AppState, c: &Collaboration, kind: Kind, item: i64) -> Result<String, AppError> {
    Ok(match kind {
        Kind::Partner => Partner::one(&state.db, c.id, item).await?.name,
        Kind::Person => Person::one(&state.db, c.id, item).await?.name,
        Kind::Portfolio => Portfolio::one(&state.db, c.id, item).await?.name,
        Kind::Example => {
            state
                .db
                .examples_visible_to(c.id)
                .await?
                .into_iter()
                .find(|e| e.own_id() == Some(item) && e.owner == Some(c.id.0))
                .ok_or(AppError::NotFound)?
                .title
                .0
        }
        Kind::Body => state.db.body(c.id, item).await?.content.name,
        Kind::Meeting => state.db.meeting(c.id, item).await?.content.date,
        Kind::Scope => state.db.scope(c.id, item).await?.content.name,
    })
}

async fn delete_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, segment, item)): Path<(i64, String, i64)>) -> PageResult {
    let kind = Kind::from_segment(&segment).ok_or(AppError::NotFound)?;
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Manage, kind, "delete").await?;
    let name = item_name(&state, &c, kind, item).await?;
    let question = format!("{} “{name}”", page.t(&kind.key("delete_question")));
    Ok(confirm_page(&page, &question, &format!("{}/{item}/verwijderen", list_url(id, kind)), &list_url(id, kind)))
}

async fn delete(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, segment, item)): Path<(i64, String, i64)>,
) -> PageResult {
    let kind = Kind::from_segment(&segment).ok_or(AppError::NotFound)?;
    let (c, _, _) = frame(&state, lang, &visitor, id, Action::Manage, kind, "delete").await?;
    let actor = actor(&visitor, origin);
    match kind {
        Kind::Partner => Partner::delete(&state.db, &actor, c.id, item).await?,
        Kind::Person => Person::delete(&state.db, &actor, c.id, item).await?,
        Kind::Portfolio => Portfolio::delete(&state.db, &actor, c.id, item).await?,
        Kind::Example => state.db.delete_example(&actor, c.id, item).await?,
        Kind::Body => state.db.delete_body(&actor, c.id, item).await?,
        Kind::Meeting => state.db.delete_meeting(&actor, c.id, item).await?,
        Kind::Scope => {
            state.db.delete_scope(&actor, c.id, item).await?;
            crate::publication::settle(&state, c.id).await;
        }
    }
    Ok(see_other(&list_url(id, kind)))
}
