//! The published figures of one indicator as CSV or XLSX, with small numbers suppressed.

use crate::AppState;
use crate::html::{PageResult, collaboration_access};
use crate::i18n::Lang;
use crate::indicator::{ExportFormat, export_file};
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;

async fn export(state: AppState, lang: Lang, visitor: Visitor, id: i64, indicator: i64, format: ExportFormat) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let i = state.indicator(c.id, indicator).await?;
    Ok(export_file(&state, &lang, &c, &i, format).await?)
}

/// The published figures as `indicator-{code}.csv`.
pub(super) async fn export_csv(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, indicator)): Path<(i64, i64)>) -> PageResult {
    export(state, lang, visitor, id, indicator, ExportFormat::Csv).await
}

/// The published figures as `indicator-{code}.xlsx`.
pub(super) async fn export_xlsx(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, indicator)): Path<(i64, i64)>) -> PageResult {
    export(state, lang, visitor, id, indicator, ExportFormat::Xlsx).await
}
