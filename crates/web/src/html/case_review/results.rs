//! The results per period — shares, median days and what stood in the way — with every small
//! group secret, as a chart and a table; the smallest group shown; the figures a learning cycle
//! checks.

use super::handoff::handoff;
use super::{base, percent};
use crate::AppState;
use crate::case_review::{ResultsQuery, minimum, reviews};
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Kept, Page, PageResult, collaboration_access, render, see_other};
use crate::i18n::Lang;
use crate::indicator::shown;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::Invalid;
use domain::access::Action;
use domain::case_review::{AgeBand, Barrier, CaseDomain, NO_BARRIER, PERIOD_TYPES, Summary, covering_period, period_kind, summaries, summary};
use domain::collaboration::Collaboration;
use domain::indicator::{PeriodType, is_period};
use domain::measure::Published;

/// One period in the chart: its label and its two bars (the height and the figure), or, where
/// no share is shown, why not (secret, or not yet published), in lines short enough for a column.
pub struct Column {
    pub x: f64,
    pub period: String,
    pub offer: Option<(f64, String)>,
    pub partly: Option<(f64, String)>,
    pub withheld: Vec<String>,
}

/// One period in the table.
pub struct PeriodRow {
    pub period: String,
    pub reviewed: String,
    pub offer: String,
    pub partly: String,
    pub median: String,
}

/// A table of categories (rows) against half years (columns).
pub struct Breakdown {
    pub caption: String,
    pub rows: Vec<(String, Vec<String>)>,
}

/// What an editor needs to record a share as a measurement.
pub struct Handoff {
    pub indicators: Vec<(String, String)>,
    pub periods: Vec<String>,
    pub areas: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "case_review_results.html")]
struct ResultsTemplate<'a> {
    page: &'a Page,
    id: i64,
    kinds: Vec<(String, String, bool)>,
    kind: String,
    intro: String,
    columns: Vec<Column>,
    width: f64,
    rows: Vec<PeriodRow>,
    halves: Vec<String>,
    breakdowns: Vec<Breakdown>,
    handoff: Option<Handoff>,
    /// Why no share can be recorded yet, as a message key; the library's link goes with `adopt_intro`.
    note: &'static str,
    minimum: Option<(usize, i64)>,
    can_edit: bool,
    /// The hand-off or the minimum form as it was refused, if one was.
    kept: Kept,
}

const CHART_LEFT: f64 = 56.0;
const CHART_STEP: f64 = 112.0;

fn height(p: Published) -> Option<f64> {
    match p {
        Published::Value(v) => Some(v.clamp(0.0, 100.0) * 1.6),
        _ => None,
    }
}

/// Categories against the shown half years: the figure, or why it is withheld. Every category
/// is listed, also one that did not occur: its 0 is a small count like any other.
fn breakdown<K: Copy + PartialEq>(
    caption: String,
    shown: &[&Summary],
    keys: Vec<(K, String)>,
    withheld: &str,
    cell: impl Fn(&Summary, K) -> Option<String>,
) -> Breakdown {
    let rows = keys.into_iter().map(|(k, label)| (label, shown.iter().map(|s| cell(s, k).unwrap_or_else(|| withheld.to_string())).collect())).collect();
    Breakdown { caption, rows }
}

/// A category's count as shown: the figure, or why it is withheld.
fn category(lang: &Lang, p: Published) -> String {
    match p {
        Published::Value(_) => shown(lang, p),
        _ => lang.t("case_reviews.category_secret").to_string(),
    }
}

/// What a period shows where a share is not: why, when nothing of it is published yet; else secret.
fn withheld_share(lang: &Lang, s: &Summary, p: Published) -> String {
    match s.withheld {
        Some("withheld.after_half_year") => lang.t("case_reviews.pending").to_string(),
        _ => percent(lang, p),
    }
}

pub(super) async fn results(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<ResultsQuery>) -> PageResult {
    results_view(&state, lang, &visitor, id, q, Kept::default()).await
}

/// The results page, with a form as it was refused when `kept` holds one (then 400).
pub(super) async fn results_view(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, q: ResultsQuery, kept: Kept) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "case_reviews.results").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let kind = period_kind(&q.periode);
    let min = minimum(state, &c).await?;
    let all = summaries(&reviews(state, &c).await?, kind, min, &crate::today());
    let kinds = PERIOD_TYPES.iter().map(|k| (k.code().to_string(), lang.label("case_reviews.per", k.code()), *k == kind)).collect();
    let columns = all
        .iter()
        .enumerate()
        .map(|(i, s)| Column {
            x: CHART_LEFT + 16.0 + i as f64 * CHART_STEP,
            period: s.period.clone(),
            offer: height(s.offer).map(|h| (h, percent(&lang, s.offer))),
            partly: height(s.offer_or_partly).map(|h| (h, percent(&lang, s.offer_or_partly))),
            // "nog niet gepubliceerd: halfjaar loopt nog" on two lines, "geheim" on one.
            withheld: match s.withheld {
                Some("withheld.after_half_year") => {
                    let text = lang.t("case_reviews.pending");
                    match text.split_once(": ") {
                        Some((a, b)) => vec![format!("{a}:"), b.to_string()],
                        None => vec![text.to_string()],
                    }
                }
                _ => vec![lang.t("indicators.secret").to_string()],
            },
        })
        .collect();
    let rows = all
        .iter()
        .map(|s| PeriodRow {
            period: s.period.clone(),
            // Why nothing is shown, where nothing is: not yet published, or too few.
            reviewed: match s.withheld {
                Some("withheld.after_half_year") => lang.t("case_reviews.pending").to_string(),
                Some(reason) => lang.t(reason).to_string(),
                None => shown(&lang, s.reviewed),
            },
            offer: withheld_share(&lang, s, s.offer),
            partly: withheld_share(&lang, s, s.offer_or_partly),
            median: match s.withheld {
                Some("withheld.after_half_year") => lang.t("case_reviews.pending").to_string(),
                _ => shown(&lang, s.median_days),
            },
        })
        .collect();
    // The categories per half year, for the latest six that may be shown.
    let mut breakdowns = Vec::new();
    let shown_halves: Vec<&Summary> = all.iter().filter(|s| s.is_shown() && kind == PeriodType::Halfjaar).collect();
    let shown_halves = &shown_halves[shown_halves.len().saturating_sub(6)..];
    if !shown_halves.is_empty() {
        let barriers = Barrier::ALL.iter().map(|b| b.code()).chain([NO_BARRIER]).map(|code| (code, lang.label("barrier", code))).collect();
        let secret = lang.t("case_reviews.category_secret");
        breakdowns.push(breakdown(lang.t("case_reviews.by_barrier").into(), shown_halves, barriers, secret, |s, code| {
            s.barriers.iter().find(|(k, _)| *k == code).map(|(_, p)| category(&lang, *p))
        }));
        let bands = AgeBand::ALL.iter().map(|b| (*b, lang.label("ageband", b.code()))).collect();
        breakdowns.push(breakdown(lang.t("case_reviews.by_age").into(), shown_halves, bands, secret, |s, band| {
            s.age_bands.iter().find(|b| b.age_band == band).map(|b| match b.reviewed {
                Published::Value(_) => format!("{} ({})", shown(&lang, b.reviewed), percent(&lang, b.offer)),
                _ => category(&lang, b.reviewed),
            })
        }));
        let domains = CaseDomain::ALL.iter().map(|d| (*d, lang.label("casedomain", d.code()))).collect();
        breakdowns.push(breakdown(lang.t("case_reviews.by_domain").into(), shown_halves, domains, secret, |s, d| {
            s.domains.iter().find(|(k, _)| *k == d).map(|(_, p)| category(&lang, *p))
        }));
    }
    let halves = shown_halves.iter().map(|s| s.period.clone()).collect();
    let can_edit = role.allows(Action::Edit);
    let (handoff, note) = if can_edit { handoff(state, &c, kind, &all).await? } else { (None, "") };
    let minimum = if role.allows(Action::Manage) { Some((min, state.db.case_review_minimum(c.id).await?.1)) } else { None };
    let status = if kept.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut response = render(&ResultsTemplate {
        kept,
        page: &page,
        id,
        kinds,
        kind: kind.code().into(),
        intro: lang.t("case_reviews.results_intro").replace("{min}", &min.to_string()),
        width: CHART_LEFT + 32.0 + all.len().max(1) as f64 * CHART_STEP,
        columns,
        rows,
        halves,
        breakdowns,
        handoff,
        note,
        minimum,
        can_edit,
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MinimumForm {
    min_group: String,
    version: String,
}

/// Sets the smallest group the figures show (beheerder): from the installation's floor up, for
/// every output at once.
pub(super) async fn set_minimum(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let (form, control): (MinimumForm, Invalid) = body.parse_kept()?;
    let mut errors = control;
    let min = if form.min_group.trim().is_empty() {
        errors.add("min_group", "err.required");
        0
    } else {
        state.floors().check_group(&mut errors, "min_group", &form.min_group)
    };
    let version = form.version.trim().parse::<i64>();
    if version.is_err() && errors.errors.is_empty() {
        errors.add("min_group", "err.form");
    }
    let (Ok(version), true) = (version, errors.errors.is_empty()) else {
        let kept = Kept::new(lang, "minimum", "f-", &body, &errors, &[("min_group", "case_reviews.minimum")]);
        return results_view(&state, lang, &visitor, id, ResultsQuery::default(), kept).await;
    };
    state.db.set_case_review_minimum(&actor(&visitor, origin), c.id, min, version).await?;
    Ok(see_other(&format!("{}/resultaten", base(id))))
}

/// The case-review figures in the check phase of a learning cycle.
pub struct CycleCheck {
    pub period: String,
    pub kind: String,
    pub shown: bool,
    pub empty: bool,
    pub reviewed: String,
    pub offer: String,
    pub partly: String,
    pub median: String,
}

/// The figures of a cycle's period (for a quarter, of its half year), as suppressed as on the
/// results page; none while the collaboration has no reviews at all.
pub async fn cycle_check(state: &AppState, c: &Collaboration, lang: &Lang, period: &str) -> Result<Option<CycleCheck>, AppError> {
    let all = reviews(state, c).await?;
    let Some(period) = covering_period(period).filter(|_| !all.is_empty()) else { return Ok(None) };
    let kind = PERIOD_TYPES.into_iter().find(|k| is_period(*k, &period)).unwrap_or(PeriodType::Halfjaar);
    let s = summary(&all, &period, minimum(state, c).await?, &crate::today());
    let figure = |f: &dyn Fn(&Summary) -> String| s.as_ref().map(f).unwrap_or_default();
    Ok(Some(CycleCheck {
        kind: kind.code().into(),
        shown: s.as_ref().is_some_and(Summary::is_shown),
        empty: s.is_none(),
        reviewed: figure(&|s| s.withheld.map(|reason| lang.t(reason).to_string()).unwrap_or_else(|| shown(lang, s.reviewed))),
        offer: figure(&|s| percent(lang, s.offer)),
        partly: figure(&|s| percent(lang, s.offer_or_partly)),
        median: figure(&|s| shown(lang, s.median_days)),
        period,
    }))
}
