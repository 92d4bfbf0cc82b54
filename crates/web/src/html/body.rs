//! The meeting structure: every body drawn by level with its reporting lines (our own SVG,
//! with the same information as a list), the seven meeting agreements per body, and flags
//! where the structure is thin.

use super::{Form, Link, Page, PageResult, choices, collaboration_access, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::body::{BodyInput, BodyKind, Level, MeetingMode};
use domain::collaboration::Collaboration;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/overleg", structure)
        .get("/samenwerkingen/{id}/overleg/nieuw", new_form)
        .post("/samenwerkingen/{id}/overleg", create)
        .get("/samenwerkingen/{id}/overleg/{item}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/overleg/{item}/bewerken", update)
}

const BOX_W: i32 = 220;
const BOX_H: i32 = 54;
const GAP_X: i32 = 24;
const ROW_H: i32 = 110;

/// A body placed on the diagram.
pub struct Placed {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub x: i32,
    pub y: i32,
    pub flagged: bool,
}

/// One body in the list under the diagram.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub kind: String,
    pub reports_to: String,
    pub rhythm: String,
    pub flags: Vec<String>,
}

#[derive(Template)]
#[template(path = "bodies.html")]
struct StructureTemplate<'a> {
    page: &'a Page,
    id: i64,
    placed: Vec<Placed>,
    lines: Vec<(i32, i32, i32, i32)>,
    levels: Vec<(i32, String)>,
    width: i32,
    height: i32,
    rows: Vec<Row>,
    loose_partners: Vec<String>,
    actions: Vec<Link>,
    can_manage: bool,
}

async fn structure(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "bodies.title").user(&visitor.user).in_collab(&c, role, "bodies");
    let structure = crate::body::structure(&state, c.id).await?;
    let bodies = &structure.bodies;
    let mut placed = Vec::new();
    let mut levels = Vec::new();
    let mut widest = 1;
    for (row, level) in Level::ALL.iter().enumerate() {
        let y = 30 + row as i32 * ROW_H;
        levels.push((y - 8, lang.label("level", level.code())));
        let here: Vec<_> = bodies.iter().filter(|b| b.content.level == *level).collect();
        widest = widest.max(here.len());
        for (i, b) in here.iter().enumerate() {
            let flagged = !structure.flags_of(b.id).is_empty();
            let name = if b.content.name.chars().count() > 28 {
                format!("{}…", b.content.name.chars().take(27).collect::<String>())
            } else {
                b.content.name.clone()
            };
            placed.push(Placed { id: b.id, name, level: level.code().into(), x: 10 + i as i32 * (BOX_W + GAP_X), y, flagged });
        }
    }
    let lines = bodies
        .iter()
        .filter_map(|b| {
            let from = placed.iter().find(|p| p.id == b.id)?;
            let to = placed.iter().find(|p| Some(p.id) == b.content.reports_to)?;
            Some((from.x + BOX_W / 2, from.y, to.x + BOX_W / 2, to.y + BOX_H))
        })
        .collect();
    let name_of = |id: Option<i64>| id.and_then(|id| bodies.iter().find(|b| b.id == id)).map(|b| b.content.name.clone()).unwrap_or_else(|| "—".into());
    let rows = bodies
        .iter()
        .map(|b| Row {
            id: b.id,
            name: b.content.name.clone(),
            level: lang.label("level", b.content.level.code()),
            kind: lang.label("bodykind", b.content.kind.code()),
            reports_to: name_of(b.content.reports_to),
            rhythm: b.content.per_year.map(|n| format!("{n}× {}", lang.t("bodies.per_year"))).unwrap_or_default(),
            flags: structure.flags_of(b.id).iter().map(|f| lang.t(f.key()).to_string()).collect(),
        })
        .collect();
    let loose_partners = structure.loose_partners.iter().filter_map(|id| structure.partners.iter().find(|p| p.id.0 == *id)).map(|p| p.name.clone()).collect();
    let actions = if role.allows(Action::Edit) { vec![Link::to(page.t("bodies.new"), format!("/samenwerkingen/{id}/overleg/nieuw"))] } else { Vec::new() };
    Ok(render(&StructureTemplate {
        page: &page,
        id,
        placed,
        lines,
        levels,
        width: 20 + widest as i32 * (BOX_W + GAP_X),
        height: 40 + Level::ALL.len() as i32 * ROW_H,
        rows,
        loose_partners,
        actions,
        can_manage: role.allows(Action::Manage),
    }))
}

async fn body_view(
    state: &AppState,
    page: &Page,
    c: &Collaboration,
    action: String,
    input: &BodyInput,
    own: Option<i64>,
) -> Result<Form, crate::error::AppError> {
    let partners = state.db.partners(c.id).await?;
    let bodies = state.db.bodies(c.id).await?;
    let others =
        with_empty(page.t("bodies.reports_to_none"), bodies.iter().filter(|b| Some(b.id) != own).map(|b| (b.id.to_string(), b.content.name.clone())).collect());
    Ok(Form::new(action, page.t("form.save"))
        .intro(page.t("bodies.form_intro"))
        .text("name", page.t("field.name"), &input.name, true)
        .select("level", page.t("field.level"), with_empty(page.t("form.choose"), choices(page, "level", Level::ALL, Level::code)), &input.level, true)
        .select("kind", page.t("field.kind"), with_empty(page.t("form.choose"), choices(page, "bodykind", BodyKind::ALL, BodyKind::code)), &input.kind, true)
        .textarea("purpose", page.t("field.purpose_assignment"), &input.purpose)
        .checkboxes("partners", page.t("field.at_the_table"), partners.iter().map(|p| (p.id.0.to_string(), p.name.clone())).collect(), &input.partners)
        .text("invited", page.t("field.invited"), &input.invited, false)
        .textarea("topics", page.t("field.topics"), &input.topics)
        .number("per_year", page.t("field.per_year"), &input.per_year, false)
        .number("minutes", page.t("field.minutes"), &input.minutes, false)
        .select("mode", page.t("field.mode"), with_empty(page.t("form.choose"), choices(page, "mode", MeetingMode::ALL, MeetingMode::code)), &input.mode, false)
        .number("evaluate_every_months", page.t("field.evaluate_every_months"), &input.evaluate_every_months, false)
        .hint(page.t("bodies.evaluate_hint"))
        .date(page, "last_evaluated", page.t("field.last_evaluated"), &input.last_evaluated, false)
        .select("reports_to", page.t("field.reports_to"), others, &input.reports_to, false)
        .textarea("signals", page.t("field.signals"), &input.signals)
        .text("regie", page.t("field.regie"), &input.regie, false))
}

fn refused(page: &Page, view: Form, result: Result<(), domain::Invalid>, status: StatusCode) -> PageResult {
    Ok(form_page(page, &view.errors(page, result.err().as_ref()), status))
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "bodies.new").user(&visitor.user).in_collab(&c, role, "bodies");
    let form = body_view(&state, &page, &c, format!("/samenwerkingen/{id}/overleg"), &BodyInput::default(), None)
        .await?
        .cancel(format!("/samenwerkingen/{id}/overleg"));
    Ok(form_page(&page, &form, StatusCode::OK))
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
    let page = Page::new(lang, "bodies.new").user(&visitor.user).in_collab(&c, role, "bodies");
    let input: BodyInput = body.parse()?;
    let view = body_view(&state, &page, &c, format!("/samenwerkingen/{id}/overleg"), &input, None).await?;
    match crate::body::create(&state, &actor(&visitor, origin), c.id, &input).await {
        Ok(_) => Ok(see_other(&format!("/samenwerkingen/{id}/overleg"))),
        Err(AppError::Invalid(invalid)) => refused(&page, view, Err(invalid), StatusCode::BAD_REQUEST),
        Err(other) => Err(other.into()),
    }
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, item)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let b = state.db.body(c.id, item).await?;
    let page = Page::new(lang, "bodies.edit").user(&visitor.user).in_collab(&c, role, "bodies");
    let form = body_view(&state, &page, &c, format!("/samenwerkingen/{id}/overleg/{item}/bewerken"), &crate::body::input_of(&b.content), Some(item))
        .await?
        .hidden("version", b.version)
        .cancel(format!("/samenwerkingen/{id}/overleg"));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, item)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "bodies.edit").user(&visitor.user).in_collab(&c, role, "bodies");
    let (input, version): (BodyInput, i64) = (body.parse()?, body.version()?);
    let view = body_view(&state, &page, &c, format!("/samenwerkingen/{id}/overleg/{item}/bewerken"), &input, Some(item)).await?.hidden("version", version);
    match crate::body::update(&state, &actor(&visitor, origin), c.id, item, version, &input).await {
        Ok(_) => Ok(see_other(&format!("/samenwerkingen/{id}/overleg"))),
        Err(AppError::Conflict(_)) => Ok(form_page(&page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(AppError::Invalid(invalid)) => refused(&page, view, Err(invalid), StatusCode::BAD_REQUEST),
        Err(other) => Err(other.into()),
    }
}
