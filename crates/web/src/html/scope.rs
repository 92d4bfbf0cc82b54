//! Working areas (werkgebieden): a collaboration's own sets of areas or partner locations,
//! and every indicator's figure over them, period by period, with what may be shown of it.

use super::{Cell, Form, Link, Page, PageResult, Table, choices, collaboration_access, form_page, see_other, table_page};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::indicator::{incomplete, shown};
use crate::routes::Routes;
use crate::scope::{checked, figures};
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::scope::{ScopeFigure, ScopeInput, ScopeKind};
use store::scope::Scope;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/werkgebieden", list)
        .get("/samenwerkingen/{id}/werkgebieden/nieuw", new_form)
        .post("/samenwerkingen/{id}/werkgebieden", create)
        .get("/samenwerkingen/{id}/werkgebieden/{scope}", show)
        .get("/samenwerkingen/{id}/werkgebieden/{scope}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/werkgebieden/{scope}/bewerken", update)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/werkgebieden")
}

fn figure_text(lang: &Lang, figure: ScopeFigure) -> String {
    match figure {
        ScopeFigure::Published(p) => shown(lang, p),
        ScopeFigure::Incomplete { measured, areas } => incomplete(lang, measured, areas),
        ScopeFigure::TooClose { with } if with.is_empty() => shown(lang, domain::measure::Published::Secret),
        ScopeFigure::Small { below } => lang.t("scopes.small").replace("{secret_below}", &shown(lang, domain::measure::Published::Value(below))),
        ScopeFigure::TooClose { with } => lang.t("scopes.too_close").replace("{with}", &with.join(", ")),
    }
}

fn frame(lang: Lang, visitor: &Visitor, c: &Collaboration, role: domain::access::Role, title: &str) -> Page {
    Page::new(lang, title).user(&visitor.user).in_collab(c, role, "scopes")
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = frame(lang, &visitor, &c, role, "scopes.title");
    let mut headers: Vec<String> = ["field.name", "field.kind", "scopes.members"].iter().map(|k| page.t(k).to_string()).collect();
    if role.allows(Action::Edit) {
        headers.push(page.t("form.actions").to_string());
    }
    let rows = state
        .db
        .scopes(c.id)
        .await?
        .into_iter()
        .map(|s| {
            let mut row = vec![
                Cell::link(&s.content.name, format!("{}/{}", base(id), s.id)),
                Cell::text(lang.label("scopekind", s.content.kind.code())),
                Cell::text(s.content.members.len().to_string()),
            ];
            let mut links = Vec::new();
            if role.allows(Action::Edit) {
                links.push(Link { hidden: s.content.name.clone(), ..Link::to(page.t("form.edit"), format!("{}/{}/bewerken", base(id), s.id)) });
            }
            if role.allows(Action::Manage) {
                links.push(Link { hidden: s.content.name.clone(), ..Link::to(page.t("form.delete"), format!("{}/{}/verwijderen", base(id), s.id)) });
            }
            if !links.is_empty() {
                row.push(Cell::links(links));
            }
            row
        })
        .collect();
    let actions = if role.allows(Action::Edit) { vec![Link::to(page.t("scopes.new"), format!("{}/nieuw", base(id)))] } else { Vec::new() };
    let table = Table {
        intro: page.t("scopes.intro").to_string(),
        actions,
        caption: page.t("scopes.title").to_string(),
        headers,
        rows,
        empty: page.t("scopes.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}

fn scope_form(page: &Page, action: String, input: &ScopeInput) -> Form {
    let kind = if input.kind.is_empty() { ScopeKind::Gebieden.code() } else { input.kind.as_str() };
    Form::new(action, page.t("form.save"))
        .intro(page.t("scopes.form_intro"))
        .text("name", page.t("field.name"), &input.name, true)
        .select("kind", page.t("field.kind"), choices(page, "scopekind", ScopeKind::ALL, ScopeKind::code), kind, true)
        .textarea("description", page.t("field.description"), &input.description)
        .textarea("members", page.t("scopes.members"), &input.members)
        .hint(page.t("scopes.members_hint"))
}

fn saved_or_refused(page: &Page, form: Form, result: Result<Scope, AppError>, id: i64) -> PageResult {
    match result {
        Ok(scope) => Ok(see_other(&format!("{}/{}", base(id), scope.id))),
        Err(AppError::Invalid(invalid)) => Ok(form_page(page, &form.errors(page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        Err(AppError::Conflict("name")) => {
            Ok(form_page(page, &form.errors(page, Some(&domain::Invalid::single("name", "err.name_taken"))), StatusCode::CONFLICT))
        }
        Err(AppError::Conflict(_)) => Ok(form_page(page, &form.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(other) => Err(other.into()),
    }
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = frame(lang, &visitor, &c, role, "scopes.new");
    Ok(form_page(&page, &scope_form(&page, base(id), &ScopeInput::default()).cancel(base(id)), StatusCode::OK))
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = frame(lang, &visitor, &c, role, "scopes.new");
    let input: ScopeInput = body.parse()?;
    let form = scope_form(&page, base(id), &input).cancel(base(id));
    let result = match checked(&state, &c, &input).await {
        Ok(content) => state.db.create_scope(&actor(&visitor, origin), c.id, &content).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    crate::publication::settle(&state, c.id).await;
    saved_or_refused(&page, form, result, id)
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, scope)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = frame(lang, &visitor, &c, role, "scopes.edit");
    let s = state.db.scope(c.id, scope).await?;
    let back = format!("{}/{scope}", base(id));
    let form = scope_form(&page, format!("{back}/bewerken"), &s.content.input()).hidden("version", s.version).cancel(back);
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, scope)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = frame(lang, &visitor, &c, role, "scopes.edit");
    let (input, version): (ScopeInput, i64) = (body.parse()?, body.version()?);
    let back = format!("{}/{scope}", base(id));
    let form = scope_form(&page, format!("{back}/bewerken"), &input).hidden("version", version).cancel(back);
    let result = match checked(&state, &c, &input).await {
        Ok(content) => state.db.update_scope(&actor(&visitor, origin), c.id, scope, version, &content).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    crate::publication::settle(&state, c.id).await;
    saved_or_refused(&page, form, result, id)
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, scope)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let s = state.db.scope(c.id, scope).await?;
    let mut page = frame(lang, &visitor, &c, role, "scopes.title");
    page.title = s.content.name.clone();
    let year = state.db.area_year_for(c.area_year).await?.unwrap_or(c.area_year);
    let codes: Vec<&str> = s.content.members.iter().map(|m| m.area.as_str()).collect();
    let names = state.db.area_names(year, &codes).await?;
    let members: Vec<String> = s
        .content
        .members
        .iter()
        .map(|m| {
            let area = names.get(m.area.as_str()).map_or_else(|| m.area.to_string(), |n| format!("{n} ({})", m.area));
            if m.label.is_empty() { area } else { format!("{} — {area}", m.label) }
        })
        .collect();
    let intro = [s.content.description.clone(), format!("{} {}.", page.t("scopes.made_of"), members.join("; ")), page.t("scopes.figures_intro").to_string()];
    let rows = figures(&state, &c, &s)
        .await?
        .into_iter()
        .flat_map(|i| {
            let name = format!("{} {}", i.code, i.name);
            let href = format!("/samenwerkingen/{id}/indicatoren/{}", i.indicator);
            i.figures.into_iter().map(move |(period, figure)| vec![Cell::link(&name, &href), Cell::text(period), Cell::text(figure_text(&lang, figure))])
        })
        .collect();
    let mut actions = Vec::new();
    if role.allows(Action::Edit) {
        actions.push(Link::to(page.t("scopes.edit"), format!("{}/{scope}/bewerken", base(id))));
    }
    let table = Table {
        intro: intro.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" "),
        actions,
        caption: page.t("scopes.figures").to_string(),
        headers: ["scopes.indicator", "field.period", "scopes.figure"].iter().map(|k| page.t(k).to_string()).collect(),
        rows,
        empty: page.t("scopes.no_figures").to_string(),
    };
    Ok(table_page(&page, &table, None))
}
