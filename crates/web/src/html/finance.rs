//! The finance page: totals per year (as a table and as our own SVG with the same numbers), per
//! partner and per source, every contribution, the exports; forms to record and revise a
//! contribution, and a contribution's page with all its versions; pots with their split,
//! plans and spending; the coming five years of committed money against the plans, and the
//! running work whose funding needs attention within the collaboration's horizon.

use super::{Form, Page, PageResult, collaboration_access, form_page};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::session::Visitor;
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::collaboration::Collaboration;

mod continuity;
mod contribution;
mod export;
mod overview;
mod pot;
mod spending;

use continuity::set_horizon;
use contribution::{create_contribution, edit_contribution, new_contribution, show_contribution, update_contribution};
use export::{export_csv, export_xlsx};
use overview::overview;
use pot::{create_pot, edit_pot, new_pot, show_pot, update_pot};
use spending::{create_plan, create_spending, new_plan, new_spending};

pub use overview::attention_line;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/financien", overview)
        .get("/samenwerkingen/{id}/financien/export.csv", export_csv)
        .get("/samenwerkingen/{id}/financien/export.xlsx", export_xlsx)
        .get("/samenwerkingen/{id}/financien/bijdragen/nieuw", new_contribution)
        .post("/samenwerkingen/{id}/financien/bijdragen", create_contribution)
        .get("/samenwerkingen/{id}/financien/bijdragen/{contribution}", show_contribution)
        .get("/samenwerkingen/{id}/financien/bijdragen/{contribution}/bewerken", edit_contribution)
        .post("/samenwerkingen/{id}/financien/bijdragen/{contribution}/bewerken", update_contribution)
        .get("/samenwerkingen/{id}/financien/potten/nieuw", new_pot)
        .post("/samenwerkingen/{id}/financien/potten", create_pot)
        .get("/samenwerkingen/{id}/financien/potten/{pot}", show_pot)
        .get("/samenwerkingen/{id}/financien/potten/{pot}/bewerken", edit_pot)
        .post("/samenwerkingen/{id}/financien/potten/{pot}/bewerken", update_pot)
        .get("/samenwerkingen/{id}/financien/potten/{pot}/plannen/nieuw", new_plan)
        .post("/samenwerkingen/{id}/financien/potten/{pot}/plannen", create_plan)
        .get("/samenwerkingen/{id}/financien/potten/{pot}/uitgaven/nieuw", new_spending)
        .post("/samenwerkingen/{id}/financien/potten/{pot}/uitgaven", create_spending)
        .post("/samenwerkingen/{id}/financien/horizon", set_horizon)
}

pub(super) fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/financien")
}

pub(super) async fn frame(
    state: &AppState,
    lang: Lang,
    visitor: &Visitor,
    id: i64,
    action: Action,
    title: &str,
) -> Result<(Collaboration, Role, Page), AppError> {
    let (c, role) = collaboration_access(state, &visitor.user, id, action).await?;
    let page = Page::new(lang, title).user(&visitor.user).in_collab(&c, role, "finance");
    Ok((c, role, page))
}

/// A refused post: the form again with its errors (400) or a stale version (409).
pub(super) fn refused(page: &Page, view: Form, err: AppError) -> PageResult {
    match err {
        AppError::Invalid(invalid) => Ok(form_page(page, &view.errors(page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        AppError::Conflict(_) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        other => Err(other.into()),
    }
}
