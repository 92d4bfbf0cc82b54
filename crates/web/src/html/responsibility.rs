//! The responsibility matrix page: topics × partners, each cell "verantwoordelijk", "draagt
//! bij" or "grijs gebied", answering the legal map's three questions for this collaboration.

use super::{Page, PageResult, collaboration_access, render, see_other};
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
use domain::responsibility::{COMMON_TOPICS, Mark, TopicInput, gaps, parse_mark, parse_topic};
use std::collections::HashMap;
use store::responsibility::CellChange;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/verantwoordelijkheden", show)
        .post("/samenwerkingen/{id}/verantwoordelijkheden", save)
        .post("/samenwerkingen/{id}/verantwoordelijkheden/onderwerpen", add_topic)
}

pub struct Row {
    pub id: i64,
    pub name: String,
    /// Per partner column: the cell's field name and current code ("" for none).
    pub cells: Vec<(String, String, &'static str)>,
}

#[derive(Template)]
#[template(path = "responsibility.html")]
struct MatrixTemplate<'a> {
    page: &'a Page,
    id: i64,
    partners: Vec<String>,
    rows: Vec<Row>,
    marks: Vec<(&'static str, String)>,
    without_responsible: Vec<String>,
    grey: Vec<String>,
    can_edit: bool,
    has_common: bool,
    message: String,
}

async fn matrix_page(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, message: Option<&str>, status: StatusCode) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "matrix.title").user(&visitor.user).in_collab(&c, role, "matrix");
    let topics = state.db.responsibility_topics(c.id).await?;
    let partners = state.db.partners(c.id).await?;
    let cells = state.db.responsibility_cells(c.id).await?;
    let lookup: HashMap<(i64, i64), Mark> = cells.iter().map(|cell| ((cell.topic, cell.partner), cell.mark)).collect();
    let rows = topics
        .iter()
        .map(|t| Row {
            id: t.id,
            name: t.name.clone(),
            cells: partners
                .iter()
                .map(|p| {
                    let current = lookup.get(&(t.id, p.id.0)).map(|m| m.code()).unwrap_or("");
                    (format!("{}-{}", t.id, p.id), p.name.clone(), current)
                })
                .collect(),
        })
        .collect();
    let g = gaps(&topics, &cells);
    let name_of = |ids: &[i64]| ids.iter().filter_map(|i| topics.iter().find(|t| t.id == *i)).map(|t| t.name.clone()).collect::<Vec<_>>();
    let mut marks = vec![("", lang.t("matrix.none").to_string())];
    marks.extend(Mark::ALL.iter().map(|m| (m.code(), lang.label("mark", m.code()))));
    let has_common = COMMON_TOPICS.iter().all(|name| topics.iter().any(|t| t.name == *name));
    let mut response = render(&MatrixTemplate {
        page: &page,
        id,
        partners: partners.iter().map(|p| p.name.clone()).collect(),
        rows,
        marks,
        without_responsible: name_of(&g.without_responsible),
        grey: name_of(&g.grey),
        can_edit: role.allows(Action::Edit),
        has_common,
        message: message.unwrap_or_default().to_string(),
    });
    *response.status_mut() = status;
    Ok(response)
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    matrix_page(&state, lang, &visitor, id, None, StatusCode::OK).await
}

/// Reads `cell-{topic}-{partner}` (the choice) and `was-{topic}-{partner}` (what was shown).
fn changes(fields: &[(String, String)]) -> Result<Vec<CellChange>, AppError> {
    let was: HashMap<&str, &str> = fields.iter().filter_map(|(k, v)| k.strip_prefix("was-").map(|k| (k, v.as_str()))).collect();
    let mut out = Vec::new();
    for (key, value) in fields.iter().filter_map(|(k, v)| k.strip_prefix("cell-").map(|k| (k, v))) {
        let (topic, partner) = key.split_once('-').and_then(|(t, p)| Some((t.parse().ok()?, p.parse().ok()?))).ok_or(AppError::NotFound)?;
        out.push(CellChange { topic, partner, was: parse_mark(was.get(key).copied().unwrap_or(""))?, now: parse_mark(value)? });
    }
    Ok(out)
}

async fn save(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let fields: Vec<(String, String)> = body.parse()?;
    match state.db.change_responsibilities(&actor(&visitor, origin), c.id, &changes(&fields)?).await {
        Ok(_) => Ok(see_other(&format!("/samenwerkingen/{id}/verantwoordelijkheden"))),
        Err(store::StoreError::Conflict(_)) => matrix_page(&state, lang, &visitor, id, Some(lang.t("matrix.stale")), StatusCode::CONFLICT).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct AddTopic {
    name: String,
    /// Adds the common topics instead of one named topic.
    #[serde(deserialize_with = "domain::error::lenient_bool")]
    common: bool,
}

async fn add_topic(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let input: AddTopic = body.parse()?;
    let existing = state.db.responsibility_topics(c.id).await?;
    let names: Vec<String> = if input.common {
        COMMON_TOPICS.iter().filter(|n| !existing.iter().any(|t| t.name == **n)).map(|n| n.to_string()).collect()
    } else {
        match parse_topic(&TopicInput { name: input.name }) {
            Ok(name) => vec![name],
            Err(_) => return matrix_page(&state, lang, &visitor, id, Some(lang.t("matrix.name_needed")), StatusCode::BAD_REQUEST).await,
        }
    };
    state.db.add_responsibility_topics(&actor(&visitor, origin), c.id, &names).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/verantwoordelijkheden")))
}
