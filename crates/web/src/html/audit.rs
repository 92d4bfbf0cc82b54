//! The collaboration's audit log, for its beheerders.

use super::{Cell, Page, PageResult, Table, collaboration_access, table_page};
use crate::AppState;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;

pub fn routes() -> Routes {
    Routes::new().get("/samenwerkingen/{id}/logboek", list)
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let page = Page::new(lang, "audit.title").user(&visitor.user).in_collab(&c, role, "audit");
    let entries = state.db.audit_for_collaboration(c.id.0, 500).await?;
    let table = Table {
        intro: page.t("audit.intro").to_string(),
        caption: page.t("audit.caption").to_string(),
        headers: ["audit.when", "audit.who", "audit.action", "audit.object", "audit.result", "audit.origin"].iter().map(|k| page.t(k).to_string()).collect(),
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    Cell::text(lang.datetime(e.at)),
                    Cell::text(&e.actor),
                    Cell::text(lang.label("auditaction", &e.action)),
                    Cell::text(&e.object),
                    Cell::text(&e.result),
                    Cell::text(&e.origin),
                ]
            })
            .collect(),
        empty: page.t("audit.empty").to_string(),
        ..Default::default()
    };
    Ok(table_page(&page, &table, None))
}
