//! Indicators: adopt one from the library or define your own, tie it to the agreement that owns
//! it and the data-sharing agreement its data flow falls under, enter measurements per area and
//! period, submit and approve them, and read the card — trend against target and baseline, the
//! figures per area as bars and as a table — or take the same published figures away as CSV or
//! XLSX, with small numbers suppressed on every one of these paths.

use super::{Page, PageResult, collaboration_access, render};
use crate::AppState;
use crate::i18n::Lang;
use crate::indicator::{published_totals, shown};
use crate::routes::Routes;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::indicator::library;

mod card;
mod chart;
mod export;
mod form;
mod measurements;
mod story;

use card::card;
use export::{export_csv, export_xlsx};
use form::{create, edit_form, new_form, update};
use measurements::{add_measurement, move_measurements};
use story::save_story;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/indicatoren", list)
        .get("/samenwerkingen/{id}/indicatoren/nieuw", new_form)
        .post("/samenwerkingen/{id}/indicatoren", create)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}", card)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}/export.csv", export_csv)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}/export.xlsx", export_xlsx)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/bewerken", update)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/metingen", add_measurement)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/metingen/status", move_measurements)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/verhaal", save_story)
}

pub(super) fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/indicatoren")
}

pub struct IndicatorRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub perspective: String,
    pub status: String,
    pub latest: String,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    rows: Vec<IndicatorRow>,
    library: Vec<(String, String, String, String)>,
    can_edit: bool,
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "indicators.title").user(&visitor.user).in_collab(&c, role, "indicators");
    let english = lang == Lang::En;
    let mut rows = Vec::new();
    for i in state.indicators(c.id).await? {
        let latest = published_totals(&state, c.id, i.id)
            .await?
            .pop()
            .map(|(period, figure)| format!("{} ({period})", shown(&lang, figure)))
            .unwrap_or_else(|| "—".into());
        rows.push(IndicatorRow {
            id: i.id,
            code: i.content.code.clone(),
            name: i.content.name.clone(),
            perspective: lang.label("perspective", i.content.perspective.code()),
            status: lang.label("indicatorstatus", i.content.status.code()),
            latest,
        });
    }
    let library = library().iter().map(|e| (e.key.clone(), e.name.get(english).to_string(), e.definition.get(english).to_string(), e.code.clone())).collect();
    Ok(render(&ListTemplate { page: &page, id, rows, library, can_edit: role.allows(Action::Edit) }))
}
