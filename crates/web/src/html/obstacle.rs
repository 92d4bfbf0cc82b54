//! The obstacles register: raise an obstacle, see those of every collaboration on the
//! instance, recognise another's; and the regional or national table's view, which counts
//! them and records its answer.

use super::{Cell, Form, Link, Page, PageResult, Table, choices, collaboration_access, form_page, render, see_other, table_page, with_empty};
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
use domain::obstacle::{Category, NewObstacle, Obstacle, ObstacleInput, ObstacleStatus, RecognitionInput, ResponseInput, Summary, summarise};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/knelpunten", list)
        .get("/samenwerkingen/{id}/knelpunten/nieuw", new_form)
        .post("/samenwerkingen/{id}/knelpunten", create)
        .get("/samenwerkingen/{id}/knelpunten/{obstacle}", show)
        .post("/samenwerkingen/{id}/knelpunten/{obstacle}/herkennen", recognise)
        .get("/landelijk", national)
        .get("/landelijk/knelpunten/{obstacle}", national_show)
        .post("/landelijk/knelpunten/{obstacle}", respond)
}

pub fn require_national(visitor: &Visitor) -> Result<(), AppError> {
    if visitor.user.national_reader { Ok(()) } else { Err(AppError::Forbidden) }
}

fn rows(page: &Page, obstacles: &[Obstacle], href: impl Fn(&Obstacle) -> String) -> Vec<Vec<Cell>> {
    obstacles
        .iter()
        .map(|o| {
            vec![
                Cell::link(&o.title, href(o)),
                Cell::text(&o.collaboration_name),
                Cell::text(page.lang.label("category", o.category.code())),
                Cell::text((1 + o.recognitions.len()).to_string()),
                Cell::text(page.lang.label("obstaclestatus", o.status.code())),
            ]
        })
        .collect()
}

fn headers(page: &Page) -> Vec<String> {
    ["field.title", "obstacles.raised_by", "field.category", "obstacles.recognised_by", "field.status"].iter().map(|k| page.t(k).to_string()).collect()
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "obstacles.title").user(&visitor.user).in_collab(&c, role, "obstacles");
    let obstacles = state.db.obstacles().await?;
    let actions = if role.allows(Action::Edit) {
        vec![Link::to(page.t("obstacles.new").to_string(), format!("/samenwerkingen/{id}/knelpunten/nieuw"))]
    } else {
        Vec::new()
    };
    let table = Table {
        intro: page.t("obstacles.intro").to_string(),
        actions,
        caption: page.t("obstacles.caption").to_string(),
        headers: headers(&page),
        rows: rows(&page, &obstacles, |o| format!("/samenwerkingen/{id}/knelpunten/{}", o.id)),
        empty: page.t("obstacles.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}

fn obstacle_view(page: &Page, id: i64, input: &ObstacleInput) -> Form {
    Form::new(format!("/samenwerkingen/{id}/knelpunten"), page.t("obstacles.raise"))
        .intro(page.t("obstacles.form_intro"))
        .select(
            "category",
            page.t("field.category"),
            with_empty(page.t("form.choose"), choices(page, "category", Category::ALL, Category::code)),
            &input.category,
            true,
        )
        .text("title", page.t("field.title"), &input.title, true)
        .textarea("description", page.t("field.description"), &input.description)
        .textarea("effect", page.t("field.effect"), &input.effect)
        .hint(page.t("obstacles.effect_hint"))
        .textarea("tried", page.t("field.tried"), &input.tried)
        .cancel(format!("/samenwerkingen/{id}/knelpunten"))
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "obstacles.new").user(&visitor.user).in_collab(&c, role, "obstacles");
    Ok(form_page(&page, &obstacle_view(&page, id, &ObstacleInput::default()), StatusCode::OK))
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
    let (input, control): (ObstacleInput, _) = body.parse_kept()?;
    let page = Page::new(lang, "obstacles.new").user(&visitor.user).in_collab(&c, role, "obstacles");
    match control.before(NewObstacle::parse(&input)) {
        Ok(new) => {
            let obstacle = state.db.create_obstacle(&actor(&visitor, origin), c.id, &new).await?;
            Ok(see_other(&format!("/samenwerkingen/{id}/knelpunten/{obstacle}")))
        }
        Err(invalid) => Ok(form_page(&page, &obstacle_view(&page, id, &input).errors(&page, Some(&invalid)), StatusCode::BAD_REQUEST)),
    }
}

#[derive(Template)]
#[template(path = "obstacle.html")]
struct ShowTemplate<'a> {
    page: &'a Page,
    o: &'a Obstacle,
    recognise: Option<Form>,
    respond: Option<Form>,
    back: String,
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, obstacle)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let o = state.db.obstacle(obstacle).await?;
    let mut page = Page::new(lang, "obstacles.title").user(&visitor.user).in_collab(&c, role, "obstacles");
    page.title = o.title.clone();
    let may_recognise = role.allows(Action::Edit) && o.collaboration_id != c.id.0;
    let current = o.recognitions.iter().find(|r| r.collaboration_id == c.id.0).map(|r| r.context.clone()).unwrap_or_default();
    let recognise = may_recognise.then(|| {
        Form::new(format!("/samenwerkingen/{id}/knelpunten/{obstacle}/herkennen"), page.t("obstacles.recognise"))
            .intro(page.t("obstacles.recognise_intro"))
            .textarea("context", page.t("field.context"), &current)
    });
    Ok(render(&ShowTemplate { page: &page, o: &o, recognise, respond: None, back: format!("/samenwerkingen/{id}/knelpunten") }))
}

async fn recognise(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, obstacle)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let input: RecognitionInput = body.parse()?;
    let context = domain::obstacle::parse_recognition(&input)?;
    state.db.recognise_obstacle(&actor(&visitor, origin), c.id, obstacle, &context).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/knelpunten/{obstacle}")))
}

#[derive(Template)]
#[template(path = "national.html")]
struct NationalTemplate<'a> {
    page: &'a Page,
    summary: &'a Summary,
    table: &'a Table,
}

async fn national(State(state): State<AppState>, lang: Lang, visitor: Visitor) -> PageResult {
    require_national(&visitor)?;
    let page = Page::new(lang, "national.title").user(&visitor.user);
    let mut obstacles = state.db.obstacles().await?;
    obstacles.sort_by(|a, b| b.recognitions.len().cmp(&a.recognitions.len()).then(b.id.cmp(&a.id)));
    let summary = summarise(&obstacles);
    let table = Table {
        caption: page.t("national.caption").to_string(),
        headers: headers(&page),
        rows: rows(&page, &obstacles, |o| format!("/landelijk/knelpunten/{}", o.id)),
        empty: page.t("obstacles.empty").to_string(),
        ..Default::default()
    };
    Ok(render(&NationalTemplate { page: &page, summary: &summary, table: &table }))
}

fn response_view(page: &Page, o: &Obstacle, input: &ResponseInput) -> Form {
    let status = if input.status.is_empty() { o.status.code() } else { &input.status };
    Form::new(format!("/landelijk/knelpunten/{}", o.id), page.t("national.save_response"))
        .select("status", page.t("field.status"), choices(page, "obstaclestatus", ObstacleStatus::ALL, ObstacleStatus::code), status, true)
        .textarea("response", page.t("field.response"), if input.response.is_empty() { &o.response } else { &input.response })
        .hint(page.t("national.response_hint"))
}

async fn national_show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(obstacle): Path<i64>) -> PageResult {
    require_national(&visitor)?;
    let o = state.db.obstacle(obstacle).await?;
    let mut page = Page::new(lang, "national.title").user(&visitor.user);
    page.title = o.title.clone();
    let respond = Some(response_view(&page, &o, &ResponseInput::default()));
    Ok(render(&ShowTemplate { page: &page, o: &o, recognise: None, respond, back: "/landelijk".into() }))
}

async fn respond(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(obstacle): Path<i64>,
    body: FormBody,
) -> PageResult {
    require_national(&visitor)?;
    let o = state.db.obstacle(obstacle).await?;
    let (input, control): (ResponseInput, _) = body.parse_kept()?;
    match control.before(domain::obstacle::parse_response(&input)) {
        Ok((status, response)) => {
            state.db.respond_to_obstacle(&actor(&visitor, origin), obstacle, status, &response).await?;
            Ok(see_other(&format!("/landelijk/knelpunten/{obstacle}")))
        }
        Err(invalid) => {
            let mut page = Page::new(lang, "national.title").user(&visitor.user);
            page.title = o.title.clone();
            let respond = Some(response_view(&page, &o, &input).errors(&page, Some(&invalid)));
            let mut response = render(&ShowTemplate { page: &page, o: &o, recognise: None, respond, back: "/landelijk".into() });
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
    }
}
