//! From the results to an indicator: a share becomes a draft measurement, under the indicator's
//! own publication rules and approval.

use super::results::{Handoff, results_view};
use crate::AppState;
use crate::case_review::{ResultsQuery, minimum, reviews};
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Kept, PageResult, collaboration_access, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::Invalid;
use domain::access::Action;
use domain::area::AreaLevel;
use domain::case_review::{PERIOD_TYPES, Summary, summary};
use domain::collaboration::Collaboration;
use domain::indicator::{Measurement, MeasurementInput, PeriodType, is_period};
use domain::measure::IndicatorKind;

/// The indicators a share can feed (ratios per the same kind of period) with the periods that
/// may be shown and the collaboration's areas, gemeente first; or why there is nothing to record.
pub(super) async fn handoff(state: &AppState, c: &Collaboration, kind: PeriodType, all: &[Summary]) -> Result<(Option<Handoff>, &'static str), AppError> {
    let indicators: Vec<(String, String)> = state
        .db
        .indicators(c.id)
        .await?
        .into_iter()
        .filter(|i| i.content.kind == IndicatorKind::Verhouding && i.content.period_type == kind)
        .map(|i| (i.id.to_string(), format!("{} {}", i.content.code, i.content.name)))
        .collect();
    let periods: Vec<String> = all.iter().filter(|s| s.parts.is_some()).map(|s| s.period.clone()).rev().collect();
    match (indicators.is_empty(), periods.is_empty()) {
        // The library's indicator is counted per half year.
        (true, _) if kind == PeriodType::Halfjaar => return Ok((None, "case_reviews.adopt_intro")),
        (true, _) => return Ok((None, "case_reviews.no_indicator")),
        (false, true) => return Ok((None, "case_reviews.no_period")),
        (false, false) => {}
    }
    let mut areas: Vec<_> = c.area_codes.iter().collect();
    areas.sort_by_key(|a| a.level() != AreaLevel::Gemeente);
    let areas = areas
        .into_iter()
        .map(|a| {
            let name = domain::area::gemeente_name(a.as_str()).map(|n| format!("{} ({n})", a.as_str())).unwrap_or_else(|| a.as_str().to_string());
            (a.as_str().to_string(), name)
        })
        .collect();
    Ok((Some(Handoff { indicators, periods, areas }), ""))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct HandoffForm {
    indicator: String,
    period: String,
    area: String,
}

/// Records the share with a suitable offer in one period — the cases with one over the reviewed
/// cases, from every body — as a draft measurement of a ratio indicator, so that the
/// indicator's own publication rules and approval apply from there.
pub(super) async fn to_measurement(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let refused = |invalid: Invalid| {
        Kept::new(lang, "handoff", "f-", &body, &invalid, &[("indicator", "nav.indicators"), ("period", "field.period"), ("area", "field.area")])
    };
    let (form, control): (HandoffForm, Invalid) = body.parse_kept()?;
    let Some(indicator) = form.indicator.trim().parse::<i64>().ok().filter(|_| control.errors.is_empty()) else {
        let invalid = control.before(Err::<(), _>(Invalid::single("indicator", "err.required"))).err().unwrap_or_default();
        return results_view(&state, lang, &visitor, id, ResultsQuery::default(), refused(invalid)).await;
    };
    let indicator = state.indicator(c.id, indicator).await?;
    let (kind, period_type) = (indicator.content.kind, indicator.content.period_type);
    if kind != IndicatorKind::Verhouding || !PERIOD_TYPES.contains(&period_type) {
        return results_view(&state, lang, &visitor, id, ResultsQuery::default(), refused(Invalid::single("indicator", "err.case_indicator"))).await;
    }
    let period = form.period.trim();
    if !is_period(period_type, period) {
        return results_view(&state, lang, &visitor, id, ResultsQuery::default(), refused(Invalid::single("period", "err.period"))).await;
    }
    let parts = summary(&reviews(&state, &c).await?, period, minimum(&state, &c).await?, &crate::today()).and_then(|s| s.parts);
    let Some(parts) = parts else {
        return results_view(&state, lang, &visitor, id, ResultsQuery::default(), refused(Invalid::single("period", "err.case_too_few"))).await;
    };
    let input = MeasurementInput {
        area: form.area,
        period: period.to_string(),
        numerator: parts.numerator.to_string(),
        denominator: parts.denominator.unwrap_or_default().to_string(),
    };
    let m = match Measurement::parse(&input, kind, period_type) {
        Ok(m) => m,
        Err(invalid) => return results_view(&state, lang, &visitor, id, ResultsQuery::default(), refused(invalid)).await,
    };
    state.db.save_measurements(&actor(&visitor, origin), c.id, indicator.id, &[m]).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/indicatoren/{}#metingen", indicator.id)))
}
