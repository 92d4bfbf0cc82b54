//! A round's results as a file, and a question's score handed on as a measurement.

use super::results::{ResultsQuery, group_label, results_view};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Kept, PageResult, collaboration_access, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use crate::xlsx;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use domain::access::Action;
use domain::scan::{Filter, QuestionKind, Response, select, shown_groups, stat};
use store::scan::Round;

/// The exported results: one row per statement and slider, for everyone and for every group
/// that may be shown — the same suppression as the page.
fn export_rows(lang: &Lang, r: &Round, all: &[Response], min: usize, published: bool) -> Vec<Vec<xlsx::Cell>> {
    use xlsx::Cell;
    let english = *lang == Lang::En;
    let text = |t: &str| Cell::Text(t.to_string());
    let mut rows = vec![["groep", "sectie", "vraag", "n", "gemiddelde", "1", "2", "3", "4", "5", domain::scan::DONT_KNOW].iter().map(|h| text(h)).collect()];
    if !published {
        rows.push(vec![text(lang.t("withheld.after_close"))]);
        return rows;
    }
    let mut filters = vec![(lang.t("scans.everyone").to_string(), Filter::All)];
    if let Some(dimension) = r.split_by {
        for g in shown_groups(all, dimension, min) {
            filters.push((group_label(lang, dimension, g), Filter::Group(dimension, g)));
        }
    }
    for (label, filter) in filters {
        let Some(rs) = select(all, filter, min) else { continue };
        for (s, q) in r.template.questions().filter(|(_, q)| matches!(q.kind, QuestionKind::Scale | QuestionKind::Slider)) {
            let st = stat(q, &rs);
            if !domain::scan::question_shown(all, r.split_by, filter, q, min) {
                rows.push(vec![text(&label), text(s.title.get(english)), text(q.text.get(english)), text(lang.t("withheld.too_few_participants"))]);
                continue;
            }
            let mut row = vec![
                text(&label),
                text(s.title.get(english)),
                text(q.text.get(english)),
                Cell::Number(st.n as f64),
                st.mean.map(Cell::Number).unwrap_or(Cell::Empty),
            ];
            row.extend(st.counts.iter().map(|(_, n)| Cell::Number(*n as f64)));
            rows.push(row);
        }
    }
    rows
}

#[derive(serde::Deserialize)]
pub(super) struct ExportPath {
    id: i64,
    round: i64,
    format: String,
}

/// The results as `resultaten.csv` or `resultaten.xlsx`.
pub(super) async fn export(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(p): Path<ExportPath>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, p.id, Action::Read).await?;
    let r = state.db.round(c.id, p.round).await?;
    let published = domain::scan::is_published(&r.closes, &crate::today());
    let all = if published { state.db.answers(c.id, p.round).await? } else { Vec::new() };
    let rows = export_rows(&lang, &r, &all, domain::scan::minimum(r.min_group, state.floors().min_group), published);
    let (body, content_type) = match p.format.as_str() {
        "csv" => (xlsx::csv(&rows).into_bytes(), "text/csv; charset=utf-8"),
        "xlsx" => (xlsx::workbook(&r.title, &rows)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        _ => return Err(AppError::NotFound.into()),
    };
    let disposition = format!("attachment; filename=\"ronde-{}.{}\"", p.round, p.format);
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct HandoffForm {
    indicator: String,
    question: String,
    area: String,
    period: String,
}

/// Records the score on one statement, over everyone who answered, as a draft measurement of
/// an end-user indicator: the sum of the scores over n, so the indicator's own rules apply.
pub(super) async fn to_measurement(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, round)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let refused = |invalid: domain::Invalid| {
        let kept = Kept::new(lang, "handoff", "f-", &body, &invalid, &[("indicator", "nav.indicators"), ("question", "scans.question")]);
        (kept, ResultsQuery::default())
    };
    let (form, control): (HandoffForm, domain::Invalid) = body.parse_kept()?;
    let Some(indicator) = form.indicator.trim().parse::<i64>().ok() else {
        let (kept, q) = refused(domain::Invalid::single("indicator", "err.required"));
        return results_view(&state, lang, &visitor, id, round, &q, kept).await;
    };
    let r = state.db.round(c.id, round).await?;
    if !domain::scan::is_published(&r.closes, &crate::today()) {
        let (kept, q) = refused(domain::Invalid::single("question", "withheld.after_close"));
        return results_view(&state, lang, &visitor, id, round, &q, kept).await;
    }
    let all = state.db.answers(c.id, round).await?;
    let indicator = state.indicator(c.id, indicator).await?;
    let q = r.template.questions().map(|(_, q)| q).find(|q| q.key == form.question && q.kind == QuestionKind::Scale);
    let min = domain::scan::minimum(r.min_group, state.floors().min_group);
    let parts = q.zip(select(&all, Filter::All, min)).and_then(|(q, rs)| domain::scan::score_parts(q, &rs, min));
    let Some(parts) = parts else {
        let (kept, q) = refused(domain::Invalid::single("question", "err.too_few_answers"));
        return results_view(&state, lang, &visitor, id, round, &q, kept).await;
    };
    let input = domain::indicator::MeasurementInput {
        area: form.area,
        period: form.period,
        numerator: parts.numerator.to_string(),
        denominator: parts.denominator.unwrap_or_default().to_string(),
    };
    let m = match control.before(domain::indicator::Measurement::parse(&input, indicator.content.kind, indicator.content.period_type)) {
        Ok(m) => m,
        Err(invalid) => {
            let (kept, q) = refused(invalid);
            return results_view(&state, lang, &visitor, id, round, &q, kept).await;
        }
    };
    state.db.save_measurements_as(&actor(&visitor, origin), c.id, indicator.id, &[m], role.allows(Action::Manage)).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/indicatoren/{}#metingen", indicator.id)))
}
