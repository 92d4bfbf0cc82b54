//! Agreements and convenants: list, write, change (each change a new version), compare
//! versions, and record each party's assent.

use super::{Cell, Link, Page, PageResult, Table, collaboration_access, table_page};
use crate::AppState;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;

mod card;
mod form;

use card::{assent, compare, show};
use form::{create, edit_form, new_form, update};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/afspraken", list)
        .get("/samenwerkingen/{id}/afspraken/nieuw", new_form)
        .post("/samenwerkingen/{id}/afspraken", create)
        .get("/samenwerkingen/{id}/afspraken/{agreement}", show)
        .get("/samenwerkingen/{id}/afspraken/{agreement}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/afspraken/{agreement}/bewerken", update)
        .get("/samenwerkingen/{id}/afspraken/{agreement}/vergelijk", compare)
        .post("/samenwerkingen/{id}/afspraken/{agreement}/instemming", assent)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/afspraken")
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "agreements.title").user(&visitor.user).in_collab(&c, role, "agreements");
    let today = crate::today();
    let table = Table {
        intro: page.t("agreements.intro").to_string(),
        actions: if role.allows(Action::Edit) { vec![Link::to(page.t("agreements.new"), format!("{}/nieuw", base(id)))] } else { Vec::new() },
        caption: page.t("agreements.title").to_string(),
        headers: ["field.title", "field.kind", "field.status", "agreements.version", "field.review"].iter().map(|k| page.t(k).to_string()).collect(),
        rows: state
            .db
            .agreements(c.id)
            .await?
            .iter()
            .map(|a| {
                let review = if a.content.review_due(&today) {
                    Cell::flag(format!("{} {}", page.t("agreements.review_due"), lang.date(&a.content.review)))
                } else {
                    Cell::text(lang.date(&a.content.review))
                };
                vec![
                    Cell::link(&a.content.title, format!("{}/{}", base(id), a.id)),
                    Cell::text(lang.label("agreementkind", a.content.kind.code())),
                    Cell::text(lang.label("agreementstatus", a.content.status.code())),
                    Cell::text(a.version.to_string()),
                    review,
                ]
            })
            .collect(),
        empty: page.t("agreements.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}
