//! What each kind adds: its form's fields and its list's columns.

use super::form::Edited;
use super::{Kind, frame, headers, list_actions, row_actions};
use crate::AppState;
use crate::company::vacant;
use crate::error::AppError;
use crate::html::{Cell, Form, Page, PageResult, Table, choices, table_page, with_empty};
use crate::i18n::Lang;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::ids::{PartnerId, PersonId};
use domain::partner::{Partner, PartnerInput, Ring, Sector};
use domain::person::{Person, PersonInput, PersonRole};
use domain::portfolio::{Portfolio, PortfolioInput};

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

pub(super) async fn partners(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
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

pub(super) async fn people(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
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

pub(super) async fn portfolios(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
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
