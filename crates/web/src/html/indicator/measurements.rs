//! Measurements: enter one, move a period's measurements through submit and approve, and a
//! steward's logged look at the raw values of one period.

use super::base;
use super::card::{CardData, CardQuery, card_view};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Kept, PageResult, collaboration_access, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::ids::CollaborationId;
use domain::indicator::{Measurement, MeasurementInput, MeasurementStatus};
use store::StoreError;

/// A steward's raw values of one period, at most `RAW_LIMIT` of them.
#[derive(Default)]
pub(super) struct RawView {
    /// The periods with measurements, to choose from; the one shown.
    pub(super) periods: Vec<String>,
    pub(super) period: String,
    pub(super) rows: Vec<(String, String, String, String, String)>,
    /// How many measurements of the period the list leaves out.
    pub(super) more: String,
    /// Opened because the visitor chose a period.
    pub(super) open: bool,
}

/// How many raw values a steward's card lists at most.
const RAW_LIMIT: i64 = 500;

/// A steward's raw values of one period; each look is logged.
pub(super) async fn raw_view(
    state: &AppState,
    lang: &Lang,
    actor: &store::Actor,
    c: CollaborationId,
    indicator: i64,
    data: &CardData,
    chosen: &str,
) -> Result<RawView, AppError> {
    let mut periods: Vec<String> = data.statuses.iter().map(|(period, ..)| period.clone()).collect();
    periods.dedup();
    let Some(period) = periods.iter().find(|p| *p == chosen).or(periods.last()).cloned() else { return Ok(RawView::default()) };
    let rows = state.db.measurements_in(c, indicator, &period, RAW_LIMIT).await?;
    state.db.audit_event(actor, Some(c.0), "measurement.view_raw", &format!("indicator:{indicator} {period}"), "ok").await?;
    let count: i64 = data.statuses.iter().filter(|(p, ..)| *p == period).map(|(_, _, n, _)| *n).sum();
    let more = count - rows.len() as i64;
    Ok(RawView {
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.period.clone(),
                    area_name(&r.area),
                    format!("{}{}", lang.decimal(r.parts.numerator), r.parts.denominator.map(|d| format!(" / {}", lang.decimal(d))).unwrap_or_default()),
                    lang.label("measurementstatus", r.status.code()),
                    r.changed_by.clone(),
                )
            })
            .collect(),
        more: if more > 0 { format!("{} {}.", lang.t("indicators.raw_more"), lang.number(more)) } else { String::new() },
        open: !chosen.is_empty(),
        periods,
        period,
    })
}

/// An area by its name where the classification knows it, with its code.
fn area_name(code: &str) -> String {
    match domain::area::gemeente_name(code) {
        Some(name) => format!("{name} ({code})"),
        None => code.to_string(),
    }
}

pub(super) async fn add_measurement(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, indicator)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let i = state.indicator(c.id, indicator).await?;
    let refused = |invalid: domain::Invalid| {
        let labels = [("area", "field.area"), ("period", "field.period"), ("numerator", "indicators.value"), ("denominator", "indicators.parts")];
        Kept::new(lang, "measurement", "f-", &body, &invalid, &labels)
    };
    let (input, control): (MeasurementInput, domain::Invalid) = body.parse_kept()?;
    let m = match control.before(Measurement::parse(&input, i.content.kind, i.content.period_type)) {
        Ok(m) => m,
        Err(invalid) => return card_view(&state, lang, origin, &visitor, id, indicator, CardQuery::default(), refused(invalid)).await,
    };
    let steward = role.allows(Action::Manage);
    let code = match state.db.save_measurements_as(&actor(&visitor, origin.clone()), c.id, indicator, &[m], steward).await {
        Ok(_) => return Ok(see_other(&format!("{}/{indicator}#metingen", base(id)))),
        Err(StoreError::Conflict("locked")) => "err.period_locked",
        Err(StoreError::Conflict(_)) if steward => "err.approved",
        Err(StoreError::Conflict(_)) => "err.value_locked",
        Err(other) => return Err(other.into()),
    };
    // The value itself is not shown again: the answer is then the same whatever was guessed,
    // so it never tells a lid whether a guess was the stored value.
    let mut kept = refused(domain::Invalid::single("period", code));
    kept.values.retain(|(name, _)| name != "numerator" && name != "denominator");
    card_view(&state, lang, origin, &visitor, id, indicator, CardQuery::default(), kept).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct StatusForm {
    period: String,
    status: String,
}

pub(super) async fn move_measurements(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, indicator)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    state.indicator(c.id, indicator).await?;
    let refused = |field: &'static str, code: &'static str| {
        let kept =
            Kept::new(lang, "status", "f-status-", &body, &domain::Invalid::single(field, code), &[("status", "field.status"), ("period", "field.period")]);
        kept.with_id("status", "metingen").with_id("period", "metingen")
    };
    let (form, control): (StatusForm, domain::Invalid) = body.parse_kept()?;
    let Some(next) = MeasurementStatus::from_code(&form.status).filter(|_| control.errors.is_empty()) else {
        return card_view(&state, lang, origin, &visitor, id, indicator, CardQuery::default(), refused("status", "err.choice")).await;
    };
    if MeasurementStatus::needs_steward(next) && !role.allows(Action::Manage) {
        return Err(AppError::Forbidden.into());
    }
    match state.db.move_measurements(&actor(&visitor, origin.clone()), c.id, indicator, &form.period, next).await {
        Ok(_) => {}
        Err(StoreError::Conflict("four_eyes")) => {
            return card_view(&state, lang, origin, &visitor, id, indicator, CardQuery::default(), refused("status", "error.four_eyes")).await;
        }
        Err(StoreError::Conflict("locked")) => {
            return card_view(&state, lang, origin, &visitor, id, indicator, CardQuery::default(), refused("period", "err.period_locked")).await;
        }
        Err(other) => return Err(other.into()),
    }
    // An approval changes the publication: the card the browser goes to next shows the new one.
    crate::publication::settle(&state, c.id).await;
    Ok(see_other(&format!("{}/{indicator}#metingen", base(id))))
}
