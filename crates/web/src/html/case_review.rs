//! Case reviews (casusbesprekingen): the reviews per body for those who take part in them, a
//! form that lists what in the lesson might identify a child and saves only after the writer
//! confirms it does not, and the results per period — shares, median days and what stood in
//! the way — with every small group secret, as a chart and a table. From the results a share
//! becomes a draft measurement of an indicator; a learning cycle shows its period's figures.
//!
//! Who sees what: writing needs Edit and removing needs Manage, as everywhere. The individual
//! reviews are shown to Edit only: they name no child, but a few of them with their dates and
//! age bands could still be recognised by someone who knows the area. A lezer reads the
//! results, where that cannot happen.

use super::{Form, Kept, Page, PageResult, choices, collaboration_access, confirm_page, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::case_review::{ResultsQuery, known, minimum, reviews};
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::indicator::shown;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::Invalid;
use domain::access::Action;
use domain::area::AreaLevel;
use domain::case_review::{
    AgeBand, Barrier, CaseDomain, CaseReview, CaseReviewInput, Finding, NO_BARRIER, Offer, PERIOD_TYPES, Summary, covering_period, fingerprint, identifying,
    period_kind, summaries, summary, unconfirmed,
};
use domain::collaboration::Collaboration;
use domain::indicator::{Measurement, MeasurementInput, PeriodType, is_period};
use domain::measure::{IndicatorKind, Published};
use store::{Actor, StoreError};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/casusbesprekingen", list)
        .get("/samenwerkingen/{id}/casusbesprekingen/nieuw", new_form)
        .post("/samenwerkingen/{id}/casusbesprekingen", create)
        .get("/samenwerkingen/{id}/casusbesprekingen/resultaten", results)
        .post("/samenwerkingen/{id}/casusbesprekingen/meting", to_measurement)
        .post("/samenwerkingen/{id}/casusbesprekingen/minimum", set_minimum)
        .get("/samenwerkingen/{id}/casusbesprekingen/{review}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/casusbesprekingen/{review}/bewerken", update)
        .get("/samenwerkingen/{id}/casusbesprekingen/{review}/verwijderen", delete_form)
        .post("/samenwerkingen/{id}/casusbesprekingen/{review}/verwijderen", delete)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/casusbesprekingen")
}

/// The findings of a lesson as the page lists them: what kind, and the words.
fn listed(lang: &Lang, findings: &[Finding]) -> Vec<(String, String)> {
    findings.iter().map(|f| (lang.label("clue", f.clue.code()), f.text.clone())).collect()
}

/// A percentage as it may be shown.
pub fn percent(lang: &Lang, p: Published) -> String {
    match p {
        Published::Value(_) => format!("{}%", shown(lang, p)),
        _ => shown(lang, p),
    }
}

/// One review in the list.
pub struct ReviewRow {
    pub id: i64,
    pub date: String,
    pub age_band: String,
    pub domains: String,
    pub offer: String,
    pub days: String,
    pub barrier: String,
    pub lesson: String,
}

/// The reviews of one body.
pub struct BodyGroup {
    pub anchor: String,
    pub name: String,
    pub new_href: String,
    pub rows: Vec<ReviewRow>,
}

#[derive(Template)]
#[template(path = "case_reviews.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    groups: Vec<BodyGroup>,
    has_bodies: bool,
    can_manage: bool,
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.title").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let bodies = state.db.bodies(c.id).await?;
    let stored = state.db.case_reviews(c.id).await?;
    let row = |s: &store::case_review::StoredReview| {
        let r = &s.review;
        ReviewRow {
            id: s.id,
            date: lang.date(&r.date),
            age_band: lang.label("ageband", r.age_band.code()),
            domains: r.domains.iter().map(|d| lang.label("casedomain", d.code())).collect::<Vec<_>>().join(", "),
            offer: lang.label("offer", r.offer.code()),
            days: r.days.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            barrier: r.barrier.map(|b| lang.label("barrier", b.code())).unwrap_or_else(|| "—".into()),
            lesson: r.lesson.clone(),
        }
    };
    // Every body with reviews, and the MDOs that have none yet; then reviews of removed bodies.
    let mut groups: Vec<BodyGroup> = bodies
        .iter()
        .filter_map(|b| {
            let rows: Vec<ReviewRow> = stored.iter().filter(|s| s.review.body == Some(b.id)).map(row).collect();
            (!rows.is_empty() || b.content.kind == domain::body::BodyKind::Mdo).then(|| BodyGroup {
                anchor: format!("overleg-{}", b.id),
                name: b.content.name.clone(),
                new_href: format!("{}/nieuw?overleg={}", base(id), b.id),
                rows,
            })
        })
        .collect();
    let loose: Vec<ReviewRow> = stored.iter().filter(|s| !s.review.body.is_some_and(|b| bodies.iter().any(|x| x.id == b))).map(row).collect();
    if !loose.is_empty() {
        groups.push(BodyGroup { anchor: "overleg-verwijderd".into(), name: lang.t("case_reviews.body_removed").into(), new_href: String::new(), rows: loose });
    }
    Ok(render(&ListTemplate { page: &page, id, groups, has_bodies: !bodies.is_empty(), can_manage: role.allows(Action::Manage) }))
}

#[derive(Template)]
#[template(path = "case_review_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
    findings: Vec<(String, String)>,
}

/// The review form; with findings it lists them and asks for the confirmation.
async fn review_page(
    state: &AppState,
    page: &Page,
    c: &Collaboration,
    (action, version): (String, Option<i64>),
    input: &CaseReviewInput,
    findings: &[Finding],
) -> Result<Form, AppError> {
    let bodies = state.db.bodies(c.id).await?.into_iter().map(|b| (b.id.to_string(), b.content.name)).collect();
    let choose = page.t("form.choose");
    let mut form = Form::new(action, page.t("form.save"))
        .intro(page.t("case_reviews.form_intro"))
        .select("body", page.t("case_reviews.body"), with_empty(choose, bodies), &input.body, true)
        .text("date", page.t("case_reviews.date"), &input.date, true)
        .hint(page.t("form.date_hint"))
        .select("age_band", page.t("case_reviews.age_band"), with_empty(choose, choices(page, "ageband", AgeBand::ALL, AgeBand::code)), &input.age_band, true)
        .checkboxes("domains", page.t("case_reviews.domains"), choices(page, "casedomain", CaseDomain::ALL, CaseDomain::code), &input.domains)
        .select("offer", page.t("case_reviews.offer"), with_empty(choose, choices(page, "offer", Offer::ALL, Offer::code)), &input.offer, true)
        .number("days", page.t("case_reviews.days"), &input.days, false)
        .hint(page.t("case_reviews.days_hint"))
        .select("barrier", page.t("case_reviews.barrier"), with_empty("—", choices(page, "barrier", Barrier::ALL, Barrier::code)), &input.barrier, false)
        .hint(page.t("case_reviews.barrier_hint"))
        .textarea("lesson", page.t("case_reviews.lesson"), &input.lesson)
        .hint(page.t("case_reviews.lesson_hint"));
    if !findings.is_empty() {
        // Unticked each time: a confirmation covers only the findings listed above it.
        form = form.checkbox("bevestigd", page.t("case_reviews.confirm"), false).hidden("gezien", fingerprint(findings));
    }
    Ok(match version {
        Some(v) => form.hidden("version", v),
        None => form,
    })
}

fn form_response(page: &Page, form: &Form, findings: &[Finding], status: StatusCode) -> axum::response::Response {
    let mut response = render(&FormTemplate { page, form, findings: listed(&page.lang, findings) });
    *response.status_mut() = status;
    response
}

/// Checks, warns or stores a review (`existing`: its id and the version the form was based on).
async fn save(state: &AppState, page: &Page, c: &Collaboration, actor: Actor, input: CaseReviewInput, existing: Option<(i64, i64)>) -> PageResult {
    let id = c.id.0;
    let target = match existing {
        Some((review, version)) => (format!("{}/{review}/bewerken", base(id)), Some(version)),
        None => (base(id), None),
    };
    let findings = unconfirmed(identifying(input.lesson.trim(), &known(state, c).await?), &input);
    let form = review_page(state, page, c, target, &input, &findings).await?.cancel(base(id));
    let review = match CaseReview::parse(&input, &crate::today()) {
        Ok(review) => review,
        Err(invalid) => return Ok(form_response(page, &form.errors(page, Some(&invalid)), &findings, StatusCode::BAD_REQUEST)),
    };
    if !findings.is_empty() {
        return Ok(form_response(page, &form, &findings, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let stored = match existing {
        None => state.db.create_case_review(&actor, c.id, &review).await,
        Some((r, version)) => state.db.update_case_review(&actor, c.id, r, version, &review).await,
    };
    match stored {
        Ok(s) => Ok(see_other(&format!("{}#overleg-{}", base(id), s.review.body.unwrap_or_default()))),
        Err(StoreError::Conflict(_)) => Ok(form_response(page, &form.message(page.t("error.stale")), &[], StatusCode::CONFLICT)),
        Err(StoreError::Reference(field)) => {
            Ok(form_response(page, &form.errors(page, Some(&Invalid::single(field, "err.not_in_collaboration"))), &[], StatusCode::BAD_REQUEST))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    overleg: String,
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<NewQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.new").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let input = CaseReviewInput { body: q.overleg, date: crate::today(), ..Default::default() };
    let form = review_page(&state, &page, &c, (base(id), None), &input, &[]).await?.cancel(base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.new").user(&visitor.user).in_collab(&c, role, "case_reviews");
    save(&state, &page, &c, actor(&visitor, origin), body.parse()?, None).await
}

fn input_of(r: &CaseReview) -> CaseReviewInput {
    CaseReviewInput {
        body: r.body.map(|b| b.to_string()).unwrap_or_default(),
        date: r.date.clone(),
        age_band: r.age_band.code().into(),
        domains: r.domains.iter().map(|d| d.code().to_string()).collect(),
        offer: r.offer.code().into(),
        days: r.days.map(|d| d.to_string()).unwrap_or_default(),
        barrier: r.barrier.map(|b| b.code().to_string()).unwrap_or_default(),
        lesson: r.lesson.clone(),
        ..Default::default()
    }
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, review)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.edit").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let s = state.db.case_review(c.id, review).await?;
    let target = (format!("{}/{review}/bewerken", base(id)), Some(s.version));
    let form = review_page(&state, &page, &c, target, &input_of(&s.review), &[]).await?.cancel(base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, review)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.edit").user(&visitor.user).in_collab(&c, role, "case_reviews");
    state.db.case_review(c.id, review).await?;
    let (input, version) = (body.parse()?, body.version()?);
    save(&state, &page, &c, actor(&visitor, origin), input, Some((review, version))).await
}

async fn delete_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, review)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let page = Page::new(lang, "case_reviews.delete").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let s = state.db.case_review(c.id, review).await?;
    let question = format!("{} {}.", page.t("case_reviews.delete_question"), lang.date(&s.review.date));
    Ok(confirm_page(&page, &question, &format!("{}/{review}/verwijderen", base(id)), &base(id)))
}

async fn delete(State(state): State<AppState>, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path((id, review)): Path<(i64, i64)>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    state.db.delete_case_review(&actor(&visitor, origin), c.id, review).await?;
    Ok(see_other(&base(id)))
}

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

async fn results(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<ResultsQuery>) -> PageResult {
    results_view(&state, lang, &visitor, id, q, Kept::default()).await
}

/// The results page, with a form as it was refused when `kept` holds one (then 400).
async fn results_view(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, q: ResultsQuery, kept: Kept) -> PageResult {
    let state = state.clone();
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "case_reviews.results").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let kind = period_kind(&q.periode);
    let min = minimum(&state, &c).await?;
    let all = summaries(&reviews(&state, &c).await?, kind, min, &crate::today());
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
    let (handoff, note) = if can_edit { handoff(&state, &c, kind, &all).await? } else { (None, "") };
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

/// The indicators a share can feed (ratios per the same kind of period) with the periods that
/// may be shown and the collaboration's areas, gemeente first; or why there is nothing to record.
async fn handoff(state: &AppState, c: &Collaboration, kind: PeriodType, all: &[Summary]) -> Result<(Option<Handoff>, &'static str), AppError> {
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
async fn to_measurement(
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

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MinimumForm {
    min_group: String,
    version: String,
}

/// Sets the smallest group the figures show (beheerder): from the installation's floor up, for
/// every output at once.
async fn set_minimum(
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
