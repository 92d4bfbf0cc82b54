//! The finance overview as CSV or XLSX.

use crate::AppState;
use crate::html::{PageResult, collaboration_access};
use crate::i18n::Lang;
use crate::indicator::ExportFormat;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;

async fn export(state: AppState, lang: Lang, visitor: Visitor, id: i64, format: ExportFormat) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    Ok(crate::finance::export_file(&state, lang, &c, format).await?)
}

pub(super) async fn export_csv(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    export(state, lang, visitor, id, ExportFormat::Csv).await
}

pub(super) async fn export_xlsx(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    export(state, lang, visitor, id, ExportFormat::Xlsx).await
}
