//! The upload page for contributions and spending: a file in, and the report of what was
//! stored or of every row that was refused (and then nothing is stored).

use super::super::{Page, PageResult, render};
use super::frame;
use crate::AppState;
use crate::error::AppError;
use crate::finance_import::Outcome;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::import::{UploadError, explain, read_upload};
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::access::Action;

#[derive(Template)]
#[template(path = "finance_import.html")]
struct ImportTemplate<'a> {
    page: &'a Page,
    id: i64,
    stored: Option<String>,
    problems: Vec<String>,
    max_mb: usize,
}

async fn show(
    state: &AppState,
    lang: Lang,
    visitor: &Visitor,
    id: i64,
    stored: Option<String>,
    problems: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (_, _, page) = frame(state, lang, visitor, id, Action::Edit, "finance_import.title").await?;
    let max_mb = state.config.max_upload.div_ceil(1 << 20);
    let mut response = render(&ImportTemplate { page: &page, id, stored, problems, max_mb });
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    Ok(response)
}

pub(super) async fn import_page(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    Ok(show(&state, lang, &visitor, id, None, Vec::new(), StatusCode::OK).await?)
}

pub(super) async fn import_upload(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    lang: Lang,
    visitor: Visitor,
    Path(id): Path<i64>,
    request: Request,
) -> PageResult {
    let (c, role, _) = frame(&state, lang, &visitor, id, Action::Edit, "finance_import.title").await?;
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let form = match read_upload(request, state.config.max_upload).await {
        Ok(form) if !form.file.is_empty() => form,
        Ok(_) => return Ok(show(&state, lang, &visitor, id, None, vec![lang.t("err.file_empty").to_string()], refused).await?),
        Err(e) => {
            let status = if e == UploadError::TooLarge { StatusCode::PAYLOAD_TOO_LARGE } else { refused };
            return Ok(show(&state, lang, &visitor, id, None, vec![lang.t(e.message()).to_string()], status).await?);
        }
    };
    let outcome = crate::finance_import::import(&state, &actor(&visitor, origin), c.id, role, &form.file).await?;
    let (stored, problems, status) = match outcome {
        Outcome::Contributions(n) => (Some(format!("{n} {}", lang.t("finance_import.contributions_stored"))), Vec::new(), StatusCode::OK),
        Outcome::Spendings(n) => (Some(format!("{n} {}", lang.t("finance_import.spendings_stored"))), Vec::new(), StatusCode::OK),
        Outcome::Refused(refusal) => (None, explain(lang, &refusal), refused),
    };
    Ok(show(&state, lang, &visitor, id, stored, problems, status).await?)
}
