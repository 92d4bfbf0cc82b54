//! Practice examples: search in Dutch with filters, read one, and add the collaboration's own
//! (private or shared with every collaboration on the instance).

use super::{Form, Page, PageResult, choices, collaboration_access, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::example::visible;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::AgeFocus;
use domain::example::{Example, ExampleInput, Filter, NewExample, find};
use domain::partner::Sector;
use store::StoreError;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/voorbeelden", list)
        .get("/samenwerkingen/{id}/voorbeelden/nieuw", new_form)
        .post("/samenwerkingen/{id}/voorbeelden", create)
        .get("/samenwerkingen/{id}/voorbeelden/{key}", show)
        .get("/samenwerkingen/{id}/voorbeelden/{key}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/voorbeelden/{key}/bewerken", update)
}

#[derive(Template)]
#[template(path = "examples.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    en: bool,
    filter: &'a Filter,
    themes: Vec<(String, String)>,
    ages: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    found: Vec<&'a Example>,
    can_edit: bool,
}

impl ListTemplate<'_> {
    fn selected(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(filter): Query<Filter>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "examples.title").user(&visitor.user).in_collab(&c, role, "examples");
    let all = visible(&state, c.id).await?;
    let found = find(&all, &filter);
    let en = lang == Lang::En;
    let themes = with_empty(
        page.t("examples.all_themes"),
        domain::journey::journey().themes.iter().map(|t| (t.number.to_string(), format!("{} – {}", t.number, t.title.get(en)))).collect(),
    );
    let ages =
        vec![(String::new(), page.t("examples.all_ages").to_string()), ("12-".into(), lang.label("age", "12-")), ("12+".into(), lang.label("age", "12+"))];
    let sectors = with_empty(page.t("examples.all_sectors"), choices(&page, "sector", Sector::ALL, Sector::code));
    Ok(render(&ListTemplate { page: &page, id, en, filter: &filter, themes, ages, sectors, found, can_edit: role.allows(Action::Edit) }))
}

#[derive(Template)]
#[template(path = "example.html")]
struct ShowTemplate<'a> {
    page: &'a Page,
    id: i64,
    en: bool,
    e: &'a Example,
    themes: Vec<(u8, String)>,
    sectors: Vec<String>,
    own: bool,
    can_edit: bool,
    can_manage: bool,
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, key)): Path<(i64, String)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let all = visible(&state, c.id).await?;
    let e = all.iter().find(|e| e.key == key).ok_or(AppError::NotFound)?;
    let en = lang == Lang::En;
    let mut page = Page::new(lang, "examples.title").user(&visitor.user).in_collab(&c, role, "examples");
    page.title = e.heading(en);
    let themes = e.themes.iter().filter_map(|n| domain::journey::journey().theme(*n)).map(|t| (t.number, t.title.get(en).to_string())).collect();
    let sectors = e.sectors.iter().map(|s| lang.label("sector", s.code())).collect();
    let own = e.owner == Some(c.id.0);
    Ok(render(&ShowTemplate {
        page: &page,
        id,
        en,
        e,
        themes,
        sectors,
        own,
        can_edit: own && role.allows(Action::Edit),
        can_manage: own && role.allows(Action::Manage),
    }))
}

fn example_view(page: &Page, action: String, input: &ExampleInput) -> Form {
    let en = page.lang == Lang::En;
    let themes: Vec<(String, String)> =
        domain::journey::journey().themes.iter().map(|t| (t.number.to_string(), format!("{} – {}", t.number, t.title.get(en)))).collect();
    Form::new(action, page.t("form.save"))
        .intro(page.t("examples.form_intro"))
        .text("place", page.t("field.place"), &input.place, true)
        .text("title", page.t("field.title"), &input.title, true)
        .textarea("summary", page.t("field.summary"), &input.summary)
        .hint(page.t("examples.summary_hint"))
        .textarea("why", page.t("field.why"), &input.why)
        .select(
            "age_group",
            page.t("field.age_group"),
            with_empty(page.t("examples.age_unknown"), choices(page, "age", AgeFocus::ALL, AgeFocus::code)),
            &input.age_group,
            false,
        )
        .checkboxes("themes", page.t("field.themes"), themes, &input.themes)
        .checkboxes("sectors", page.t("field.sectors"), choices(page, "sector", Sector::ALL, Sector::code), &input.sectors)
        .text("source", page.t("field.source"), &input.source, false)
        .checkbox("shared", page.t("field.shared"), input.shared)
        .hint(page.t("examples.shared_hint"))
}

fn own_id(key: &str) -> Result<i64, AppError> {
    key.strip_prefix("eigen-").and_then(|id| id.parse().ok()).ok_or(AppError::NotFound)
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "examples.new").user(&visitor.user).in_collab(&c, role, "examples");
    let form = example_view(&page, format!("/samenwerkingen/{id}/voorbeelden"), &ExampleInput::default()).cancel(format!("/samenwerkingen/{id}/voorbeelden"));
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
    let (input, control): (ExampleInput, _) = body.parse_kept()?;
    let page = Page::new(lang, "examples.new").user(&visitor.user).in_collab(&c, role, "examples");
    match control.before(NewExample::parse(&input)) {
        Ok(new) => {
            let e = state.db.create_example(&actor(&visitor, origin), c.id, &new).await?;
            Ok(see_other(&format!("/samenwerkingen/{id}/voorbeelden/{}", e.key)))
        }
        Err(invalid) => Ok(form_page(
            &page,
            &example_view(&page, format!("/samenwerkingen/{id}/voorbeelden"), &input).errors(&page, Some(&invalid)),
            StatusCode::BAD_REQUEST,
        )),
    }
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, key)): Path<(i64, String)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let own = own_id(&key)?;
    let e = state.db.examples_visible_to(c.id).await?.into_iter().find(|e| e.own_id() == Some(own) && e.owner == Some(c.id.0)).ok_or(AppError::NotFound)?;
    let page = Page::new(lang, "examples.edit").user(&visitor.user).in_collab(&c, role, "examples");
    let input = ExampleInput {
        place: e.place.clone(),
        age_group: e.age_group.map(|a| a.code().to_string()).unwrap_or_default(),
        themes: e.themes.iter().map(|t| t.to_string()).collect(),
        sectors: e.sectors.iter().map(|s| s.code().to_string()).collect(),
        title: e.title.0.clone(),
        summary: e.summary.0.clone(),
        why: e.why.0.clone(),
        source: e.source.clone(),
        shared: e.shared,
    };
    let form = example_view(&page, format!("/samenwerkingen/{id}/voorbeelden/{key}/bewerken"), &input)
        .hidden("version", e.version)
        .cancel(format!("/samenwerkingen/{id}/voorbeelden/{key}"));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, key)): Path<(i64, String)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let own = own_id(&key)?;
    let ((input, control), version): ((ExampleInput, _), i64) = (body.parse_kept()?, body.version()?);
    let page = Page::new(lang, "examples.edit").user(&visitor.user).in_collab(&c, role, "examples");
    let view = example_view(&page, format!("/samenwerkingen/{id}/voorbeelden/{key}/bewerken"), &input).hidden("version", version);
    let new = match control.before(NewExample::parse(&input)) {
        Ok(new) => new,
        Err(invalid) => return Ok(form_page(&page, &view.errors(&page, Some(&invalid)), StatusCode::BAD_REQUEST)),
    };
    match state.db.update_example(&actor(&visitor, origin), c.id, own, version, &new).await {
        Ok(_) => Ok(see_other(&format!("/samenwerkingen/{id}/voorbeelden/{key}"))),
        Err(StoreError::Conflict(_)) => Ok(form_page(&page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(other) => Err(other.into()),
    }
}
