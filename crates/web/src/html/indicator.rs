//! Indicators: adopt one from the library or define your own, tie it to the agreement that owns
//! it and the data-sharing agreement its data flow falls under, enter measurements per area and
//! period, submit and approve them, and read the card — trend against target and baseline, the
//! figures per area as bars and as a table — or take the same published figures away as CSV or
//! XLSX, with small numbers suppressed on every one of these paths.

use super::{Form, Kept, Page, PageResult, choices, collaboration_access, form_page, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::indicator::{ExportFormat, area_cells, area_labels, checked, export_file, legend, published_totals, shown};
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::{Action, Role};
use domain::agreement::AgreementKind;
use domain::area::AreaCode;
use domain::collaboration::Collaboration;
use domain::ids::CollaborationId;
use domain::indicator::{
    Direction, IndicatorContent, IndicatorInput, IndicatorStatus, Measurement, MeasurementInput, MeasurementStatus, PeriodType, Perspective, library,
};
use domain::measure::{IndicatorKind, Published};
use domain::story::{Freshness, StoryContent, StoryInput};
use store::StoreError;
use store::indicator::Indicator;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/indicatoren", list)
        .get("/samenwerkingen/{id}/indicatoren/nieuw", new_form)
        .post("/samenwerkingen/{id}/indicatoren", create)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}", card)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}/export.csv", export_csv)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}/export.xlsx", export_xlsx)
        .get("/samenwerkingen/{id}/indicatoren/{indicator}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/bewerken", update)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/metingen", add_measurement)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/metingen/status", move_measurements)
        .post("/samenwerkingen/{id}/indicatoren/{indicator}/verhaal", save_story)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/indicatoren")
}

pub struct IndicatorRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub perspective: String,
    pub status: String,
    pub latest: String,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    id: i64,
    rows: Vec<IndicatorRow>,
    library: Vec<(String, String, String, String)>,
    can_edit: bool,
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "indicators.title").user(&visitor.user).in_collab(&c, role, "indicators");
    let english = lang == Lang::En;
    let mut rows = Vec::new();
    for i in state.indicators(c.id).await? {
        let latest = published_totals(&state, c.id, i.id)
            .await?
            .pop()
            .map(|(period, figure)| format!("{} ({period})", shown(&lang, figure)))
            .unwrap_or_else(|| "—".into());
        rows.push(IndicatorRow {
            id: i.id,
            code: i.content.code.clone(),
            name: i.content.name.clone(),
            perspective: lang.label("perspective", i.content.perspective.code()),
            status: lang.label("indicatorstatus", i.content.status.code()),
            latest,
        });
    }
    let library = library().iter().map(|e| (e.key.clone(), e.name.get(english).to_string(), e.definition.get(english).to_string(), e.code.clone())).collect();
    Ok(render(&ListTemplate { page: &page, id, rows, library, can_edit: role.allows(Action::Edit) }))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NewQuery {
    bibliotheek: String,
}

/// The indicator form. Publication rules are a beheerder's: others see them, not as fields.
async fn indicator_view(state: &AppState, page: &Page, c: &Collaboration, role: Role, action: String, input: &IndicatorInput) -> Result<Form, AppError> {
    let partners = state.db.partners(c.id).await?;
    let agreements = state.db.agreements(c.id).await?;
    let partner_choices: Vec<(String, String)> = partners.iter().map(|p| (p.id.0.to_string(), p.name.clone())).collect();
    let all_agreements = agreements.iter().map(|a| (a.id.to_string(), a.content.title.clone())).collect();
    let goals = state.db.goals(c.id).await?.into_iter().map(|g| (g.id.to_string(), g.content.title)).collect();
    let sharing = agreements.iter().filter(|a| a.content.kind == AgreementKind::Gegevensdeling).map(|a| (a.id.to_string(), a.content.title.clone())).collect();
    let or = |value: &str, default: &str| if value.is_empty() { default.to_string() } else { value.to_string() };
    let shares_choices: Vec<(String, String)> = std::iter::once(("geen".to_string(), page.t("indicators.shares_none").to_string()))
        .chain(
            state
                .db
                .indicators(c.id)
                .await?
                .into_iter()
                .filter(|i| i.content.code != input.code)
                .map(|i| (i.id.to_string(), format!("{} {}", i.content.code, i.content.name))),
        )
        .collect();
    let floors = state.floors();
    let (round_to, secret_below, min_denominator) = (
        or(&input.round_to, &floors.round_to.to_string()),
        or(&input.secret_below, &floors.secret_below.to_string()),
        or(&input.min_denominator, &floors.min_denominator.to_string()),
    );
    let intro = if role.allows(Action::Manage) {
        page.t("indicators.form_intro").to_string()
    } else {
        format!(
            "{} {} {round_to}, {} {secret_below}, {} {min_denominator}. {}",
            page.t("indicators.form_intro"),
            page.t("indicators.rules_now"),
            page.t("indicators.rule_secret_short"),
            page.t("indicators.rule_denominator_short"),
            page.t("indicators.rules_beheerder_only")
        )
    };
    let form = Form::new(action, page.t("form.save"))
        .intro(&intro)
        .text("code", page.t("field.indicator_code"), &input.code, true)
        .text("name", page.t("field.name"), &input.name, true)
        .textarea("definition", page.t("field.indicator_definition"), &input.definition)
        .text("unit", page.t("field.unit"), &input.unit, false)
        .select("kind", page.t("field.kind"), choices(page, "indicatorkind", IndicatorKind::ALL, IndicatorKind::code), &input.kind, true)
        .text("factor", page.t("field.factor"), &or(&input.factor, "1"), false)
        .hint(page.t("indicators.factor_hint"))
        .select("direction", page.t("field.direction"), choices(page, "direction", Direction::ALL, Direction::code), &input.direction, true)
        .select(
            "perspective",
            page.t("field.indicator_perspective"),
            choices(page, "perspective", Perspective::ALL, Perspective::code),
            &input.perspective,
            true,
        )
        .select("period_type", page.t("field.period_type"), choices(page, "periodtype", PeriodType::ALL, PeriodType::code), &input.period_type, true)
        .text("source", page.t("field.source"), &input.source, false)
        .select("partner", page.t("field.delivering_partner"), with_empty(page.t("form.choose"), partner_choices.clone()), &input.partner, false)
        .text("baseline", page.t("field.baseline"), &input.baseline, false)
        .textarea("targets", page.t("field.targets"), &input.targets)
        .hint(page.t("indicators.targets_hint"))
        .select("agreement", page.t("field.owning_agreement"), with_empty(page.t("indicators.no_agreement"), all_agreements), &input.agreement, false)
        .select("sharing", page.t("field.sharing"), with_empty(page.t("indicators.no_sharing"), sharing), &input.sharing, false)
        .hint(page.t("indicators.sharing_hint"))
        .select("goal", page.t("indicators.goal"), with_empty(page.t("indicators.no_goal"), goals), &input.goal, false)
        .hint(page.t("indicators.goal_hint"))
        .checkboxes("agreed_by", page.t("field.agreed_by"), partner_choices, &input.agreed_by)
        .text("agreed_on", page.t("field.agreed_on"), &input.agreed_on, false)
        .hint(page.t("form.date_hint"));
    let form = if role.allows(Action::Manage) {
        form.text("round_to", page.t("field.round_to"), &round_to, false)
            .text("secret_below", page.t("field.secret_below"), &secret_below, false)
            .text("min_denominator", page.t("field.min_denominator"), &min_denominator, false)
            .hint(
                &page
                    .t("indicators.rules_hint")
                    .replace("{round_to}", &floors.round_to.to_string())
                    .replace("{secret_below}", &floors.secret_below.to_string())
                    .replace("{min_denominator}", &floors.min_denominator.to_string()),
            )
            .select("shares_with", page.t("field.shares_with"), shares_choices, &or(&input.shares_with, "geen"), false)
            .select(
                "shares_part",
                page.t("field.shares_part"),
                vec![
                    ("teller".to_string(), page.t("indicators.shares_teller").to_string()),
                    ("noemer".to_string(), page.t("indicators.shares_noemer").to_string()),
                ],
                &or(&input.shares_part, "teller"),
                false,
            )
            .hint(page.t("indicators.shares_hint"))
    } else {
        form
    };
    Ok(form.select(
        "status",
        page.t("field.status"),
        choices(page, "indicatorstatus", IndicatorStatus::ALL, IndicatorStatus::code),
        &or(&input.status, "concept"),
        true,
    ))
}

fn input_of(c: &IndicatorContent) -> IndicatorInput {
    let id = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    IndicatorInput {
        code: c.code.clone(),
        name: c.name.clone(),
        definition: c.definition.clone(),
        unit: c.unit.clone(),
        kind: c.kind.code().into(),
        factor: c.factor.to_string(),
        direction: c.direction.code().into(),
        perspective: c.perspective.code().into(),
        period_type: c.period_type.code().into(),
        source: c.source.clone(),
        partner: id(c.partner),
        baseline: c.baseline.map(|b| b.to_string()).unwrap_or_default(),
        targets: c.targets.iter().map(|(p, v)| format!("{p}: {v}")).collect::<Vec<_>>().join("\n"),
        agreement: id(c.agreement),
        sharing: id(c.sharing),
        agreed_by: c.agreed_by.iter().map(|p| p.to_string()).collect(),
        agreed_on: c.agreed_on.clone(),
        round_to: c.rules.round_to.to_string(),
        secret_below: c.rules.secret_below.to_string(),
        min_denominator: c.rules.min_denominator.to_string(),
        status: c.status.code().into(),
        goal: id(c.goal),
        shares_with: c.shares.map_or_else(|| "geen".to_string(), |s| s.with.to_string()),
        shares_part: c.shares.map(|s| domain::indicator::SharedPartCode::from(s.part).code().to_string()).unwrap_or_default(),
    }
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<NewQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "indicators.new").user(&visitor.user).in_collab(&c, role, "indicators");
    let input = library().iter().find(|e| e.key == q.bibliotheek).map(|e| e.input(lang == Lang::En)).unwrap_or_default();
    let form = indicator_view(&state, &page, &c, role, base(id), &input).await?.cancel(base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

fn saved_or_refused(page: &Page, view: Form, result: Result<Indicator, AppError>, id: i64) -> PageResult {
    match result {
        Ok(i) => Ok(see_other(&format!("{}/{}", base(id), i.id))),
        Err(AppError::Invalid(invalid)) => Ok(form_page(page, &view.errors(page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        Err(AppError::ForbiddenBecause(key)) => Ok(form_page(page, &view.message(page.t(key)), StatusCode::FORBIDDEN)),
        Err(AppError::Conflict("version")) => Ok(form_page(page, &view.message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(AppError::Conflict(_)) => Ok(form_page(page, &view.errors(page, Some(&domain::Invalid::single("code", "err.code_taken"))), StatusCode::CONFLICT)),
        Err(other) => Err(other.into()),
    }
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
    let page = Page::new(lang, "indicators.new").user(&visitor.user).in_collab(&c, role, "indicators");
    let input: IndicatorInput = body.parse()?;
    let view = indicator_view(&state, &page, &c, role, base(id), &input).await?.cancel(base(id));
    let result = match checked(&state, &c, role, &input, None).await {
        Ok(content) => state.db.create_indicator(&actor(&visitor, origin), c.id, &content).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    crate::publication::settle(&state, c.id).await;
    saved_or_refused(&page, view, result, id)
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, indicator)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let i = state.indicator(c.id, indicator).await?;
    let page = Page::new(lang, "indicators.edit").user(&visitor.user).in_collab(&c, role, "indicators");
    let form = indicator_view(&state, &page, &c, role, format!("{}/{indicator}/bewerken", base(id)), &input_of(&i.content))
        .await?
        .hidden("version", i.version)
        .cancel(format!("{}/{indicator}", base(id)));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, indicator)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "indicators.edit").user(&visitor.user).in_collab(&c, role, "indicators");
    let (input, version): (IndicatorInput, i64) = (body.parse()?, body.version()?);
    let view = indicator_view(&state, &page, &c, role, format!("{}/{indicator}/bewerken", base(id)), &input).await?.hidden("version", version);
    let previous = state.indicator(c.id, indicator).await?;
    let result = match checked(&state, &c, role, &input, Some(&previous)).await {
        Ok(content) => state.db.update_indicator(&actor(&visitor, origin), c.id, indicator, version, &content).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    // The figures the next page shows are worked out with the indicator's new rules.
    crate::publication::settle(&state, c.id).await;
    saved_or_refused(&page, view, result, id)
}

// ---- the card ----

pub struct PeriodRow {
    pub period: String,
    pub value: String,
    pub target: String,
    pub on_track: String,
}

pub struct StatusRow {
    pub period: String,
    pub counts: String,
    pub can_submit: bool,
    pub can_review: bool,
}

/// A steward's raw values of one period, at most `RAW_LIMIT` of them.
#[derive(Default)]
struct RawView {
    /// The periods with measurements, to choose from; the one shown.
    periods: Vec<String>,
    period: String,
    rows: Vec<(String, String, String, String, String)>,
    /// How many measurements of the period the list leaves out.
    more: String,
    /// Opened because the visitor chose a period.
    open: bool,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct CardTemplate<'a> {
    page: &'a Page,
    /// The programme goal the indicator follows, and that goal's three perspectives as HTML.
    goal: Option<(i64, String)>,
    perspectives: String,
    id: i64,
    indicator: i64,
    c: &'a IndicatorContent,
    kind: String,
    sharing: String,
    owner: String,
    agreed_by: Vec<String>,
    periods: Vec<PeriodRow>,
    chart: Option<Chart>,
    /// What the marks for withheld figures mean.
    legend: Vec<String>,
    bars: Option<Bars>,
    areas: Vec<(String, String)>,
    latest: String,
    statuses: Vec<StatusRow>,
    raw: RawView,
    stories: Vec<StoryView>,
    /// What the reader should know first: figures out of date, a story missing or stale.
    notices: Vec<String>,
    /// The story form starts from the latest period's story.
    draft: StoryView,
    can_edit: bool,
    /// A form of the card as it was refused (story, measurement, status), if one was.
    kept: Kept,
}

#[derive(Default)]
struct StoryView {
    period: String,
    seen: String,
    explains: String,
    will_do: String,
    by: String,
    version: i64,
    freshness: String,
}

/// A line chart of the published values, with the targets as points and the baseline as a line.
pub struct Chart {
    pub width: i32,
    pub height: i32,
    pub line: String,
    pub points: Vec<(f64, f64, String)>,
    pub secret: Vec<(f64, String)>,
    pub targets: Vec<(f64, f64)>,
    pub baseline: Option<f64>,
    pub labels: Vec<(f64, String)>,
    pub max: String,
}

fn chart(lang: &Lang, c: &IndicatorContent, series: &[(String, Published)]) -> Option<Chart> {
    if series.is_empty() {
        return None;
    }
    let (width, height, left, top, bottom) = (640, 240, 80.0, 20.0, 200.0);
    let values: Vec<f64> = series
        .iter()
        .filter_map(|(_, p)| if let Published::Value(v) = p { Some(*v) } else { None })
        .chain(c.targets.iter().map(|(_, v)| *v))
        .chain(c.baseline)
        .collect();
    let max = values.iter().cloned().fold(0.0_f64, f64::max).max(1.0) * 1.1;
    let step = if series.len() > 1 { (f64::from(width) - left - 20.0) / (series.len() - 1) as f64 } else { 0.0 };
    let x = |i: usize| left + step * i as f64;
    let y = |v: f64| bottom - (v / max) * (bottom - top);
    let points: Vec<(f64, f64, String)> =
        series.iter().enumerate().filter_map(|(i, (_, p))| if let Published::Value(v) = p { Some((x(i), y(*v), shown(lang, *p))) } else { None }).collect();
    Some(Chart {
        width,
        height,
        line: points.iter().map(|(px, py, _)| format!("{px:.1},{py:.1}")).collect::<Vec<_>>().join(" "),
        secret: series
            .iter()
            .enumerate()
            .filter_map(|(i, (_, p))| match p {
                Published::Value(_) => None,
                Published::Incomplete { .. } => Some((x(i), lang.t("indicators.incomplete").to_string())),
                other => Some((x(i), shown(lang, *other))),
            })
            .collect(),
        targets: series.iter().enumerate().filter_map(|(i, (period, _))| c.target(period).map(|t| (x(i), y(t)))).collect(),
        baseline: c.baseline.map(y),
        labels: series.iter().enumerate().map(|(i, (period, _))| (x(i), period.clone())).collect(),
        max: format!("{max:.0}"),
        points,
    })
}

/// Horizontal bars of the published figure per area. A secret area keeps its row with the word
/// for secret where its bar would start: no bar, so it can never be read as zero.
pub struct Bars {
    pub width: i32,
    pub height: i32,
    /// Where the bars start; the labels end just before it.
    pub left: f64,
    pub bottom: f64,
    pub rows: Vec<Bar>,
}

pub struct Bar {
    pub y: f64,
    pub label: String,
    /// The bar's length; none for a secret area.
    pub length: Option<f64>,
    pub value: String,
}

/// The longest label drawn beside a bar; the table beside the chart carries the whole name.
const BAR_LABEL: usize = 34;

fn bars(lang: &Lang, areas: &[(String, Published)]) -> Option<Bars> {
    if areas.is_empty() {
        return None;
    }
    let (width, left, right, top, row) = (640, 230.0, 70.0, 8.0, 24.0);
    let max = areas.iter().filter_map(|(_, p)| if let Published::Value(v) = p { Some(*v) } else { None }).fold(0.0_f64, f64::max);
    let room = f64::from(width) - left - right;
    let rows: Vec<Bar> = areas
        .iter()
        .enumerate()
        .map(|(i, (label, p))| Bar {
            y: top + row * i as f64,
            label: if label.chars().count() > BAR_LABEL { format!("{}…", label.chars().take(BAR_LABEL - 1).collect::<String>()) } else { label.clone() },
            length: match p {
                // To a tenth of a pixel, from published values only.
                Published::Value(v) if max > 0.0 => Some((v / max * room * 10.0).round() / 10.0),
                Published::Value(_) => Some(0.0),
                _ => None,
            },
            value: shown(lang, *p),
        })
        .collect();
    let bottom = top + row * rows.len() as f64;
    Some(Bars { width, height: (bottom + top) as i32, left, bottom, rows })
}

/// What the card shows of an indicator's measurements, added up by the database (`store::rollup`)
/// so that a national set — every buurt, every year — is never read row by row for a reader; a
/// steward's raw values are read for one period at a time.
struct CardData {
    /// Per period with an approved figure, the collaboration's total as published.
    totals: Vec<(String, Published)>,
    /// The latest of those periods, and its areas (`area_cells`) as published.
    latest: String,
    cells: Vec<(AreaCode, Published)>,
    /// Per period and status: how many measurements, and when one last changed.
    statuses: Vec<(String, MeasurementStatus, i64, i64)>,
}

impl CardData {
    /// Per period, when one of its measurements last changed.
    fn last_changed(&self) -> Vec<(String, i64)> {
        let mut changed: Vec<(String, i64)> = Vec::new();
        for (period, _, _, at) in &self.statuses {
            match changed.last_mut() {
                Some((p, last)) if p == period => *last = (*last).max(*at),
                _ => changed.push((period.clone(), *at)),
            }
        }
        changed
    }
}

async fn card_data(state: &AppState, c: CollaborationId, indicator: i64) -> Result<CardData, AppError> {
    let view = crate::publication::view(state, c, indicator).await?;
    let totals = published_totals(state, c, indicator).await?;
    let latest = totals.last().map(|(p, _)| p.clone()).unwrap_or_default();
    let cells = if latest.is_empty() { Vec::new() } else { area_cells(state, c, indicator, &latest).await? };
    let cells = cells.into_iter().map(|a| (a.clone(), view.area(&latest, &a))).collect();
    let statuses = state.db.period_statuses(c, indicator).await?;
    Ok(CardData { totals, latest, cells, statuses })
}

/// How many raw values a steward's card lists at most.
const RAW_LIMIT: i64 = 500;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CardQuery {
    /// The period of the steward's raw values; the latest when none is chosen.
    periode: String,
}

/// A steward's raw values of one period; each look is logged.
async fn raw_view(
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
                    format!("{}{}", r.parts.numerator, r.parts.denominator.map(|d| format!(" / {d}")).unwrap_or_default()),
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

async fn card(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, indicator)): Path<(i64, i64)>,
    Query(q): Query<CardQuery>,
) -> PageResult {
    card_view(&state, lang, origin, &visitor, id, indicator, q, Kept::default()).await
}

/// An indicator's card, with one of its forms as it was refused when `kept` holds one (then 400).
#[allow(clippy::too_many_arguments)]
async fn card_view(state: &AppState, lang: Lang, origin: String, visitor: &Visitor, id: i64, indicator: i64, q: CardQuery, kept: Kept) -> PageResult {
    let state = state.clone();
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let i = state.indicator(c.id, indicator).await?;
    let mut page = Page::new(lang, "indicators.title").user(&visitor.user).in_collab(&c, role, "indicators");
    page.title = format!("{} {}", i.content.code, i.content.name);
    let k = &i.content;
    let data = card_data(&state, c.id, indicator).await?;
    let series: Vec<(String, Published)> = data.totals.clone();
    let periods = series
        .iter()
        .map(|(period, p)| PeriodRow {
            period: period.clone(),
            value: shown(&lang, *p),
            target: k.target(period).map(|t| shown(&lang, Published::Value(t))).unwrap_or_else(|| "—".into()),
            on_track: match p {
                Published::Value(v) => {
                    k.on_track(period, *v).map(|on| lang.t(if on { "indicators.on_track" } else { "indicators.off_track" }).to_string()).unwrap_or_default()
                }
                _ => String::new(),
            },
        })
        .collect();
    // The latest approved period per area, as the publication has it; the bars and the table
    // beside them show the same cells.
    let latest = data.latest.clone();
    let labels = area_labels(&state, &c, &data.cells.iter().map(|(a, _)| a).collect::<Vec<_>>()).await?;
    let published: Vec<(String, Published)> = labels.into_iter().zip(data.cells.iter().map(|(_, p)| *p)).collect();
    let areas = published.iter().map(|(label, p)| (label.clone(), shown(&lang, *p))).collect();
    let mut periods_seen: Vec<&str> = data.statuses.iter().map(|(period, ..)| period.as_str()).collect();
    periods_seen.dedup();
    let statuses = periods_seen
        .iter()
        .map(|period| {
            let of: Vec<&(String, MeasurementStatus, i64, i64)> = data.statuses.iter().filter(|(p, ..)| p == period).collect();
            let count = |s: MeasurementStatus| of.iter().filter(|(_, status, ..)| *status == s).map(|(_, _, n, _)| *n).sum::<i64>();
            StatusRow {
                period: period.to_string(),
                counts: MeasurementStatus::ALL
                    .iter()
                    .filter(|s| count(**s) > 0)
                    .map(|s| format!("{} {}", count(*s), lang.label("measurementstatus", s.code())))
                    .collect::<Vec<_>>()
                    .join(", "),
                can_submit: role.allows(Action::Edit) && of.iter().any(|(_, status, ..)| status.may_become(MeasurementStatus::Ingediend)),
                can_review: role.allows(Action::Manage) && count(MeasurementStatus::Ingediend) > 0,
            }
        })
        .collect();
    // Raw values are for the collaboration's data stewards (its beheerders), and each look is logged.
    let raw = if role.allows(Action::Manage) {
        raw_view(&state, &lang, &actor(visitor, origin), c.id, indicator, &data, q.periode.trim()).await?
    } else {
        RawView::default()
    };
    let (stories, notices) = story_views(&state, &lang, c.id, indicator, &data.last_changed()).await?;
    let draft = stories
        .iter()
        .find(|s| s.period == latest)
        .map(|s| StoryView {
            period: s.period.clone(),
            seen: s.seen.clone(),
            explains: s.explains.clone(),
            will_do: s.will_do.clone(),
            version: s.version,
            ..StoryView::default()
        })
        .unwrap_or_else(|| StoryView { period: latest.clone(), ..StoryView::default() });
    let agreements = state.db.agreements(c.id).await?;
    let title_of = |id: Option<i64>| id.and_then(|id| agreements.iter().find(|a| a.id == id)).map(|a| a.content.title.clone()).unwrap_or_else(|| "—".into());
    let partners = state.db.partners(c.id).await?;
    // The goal the indicator follows, with its indicators from the three perspectives.
    let goal = match k.goal {
        Some(g) => state.db.goals(c.id).await?.into_iter().find(|x| x.id == g),
        None => None,
    };
    let perspectives = match &goal {
        Some(g) => super::perspective::render_for_goal(&state, lang, c.id, g.id, &g.content.title, &state.indicators(c.id).await?).await?,
        None => String::new(),
    };
    let status = if kept.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut response = render(&CardTemplate {
        kept,
        goal: goal.map(|g| (g.id, g.content.title)),
        perspectives,
        stories,
        notices,
        draft,
        kind: lang.label("indicatorkind", k.kind.code()),
        sharing: title_of(k.sharing),
        owner: title_of(k.agreement),
        agreed_by: k.agreed_by.iter().filter_map(|p| partners.iter().find(|x| x.id.0 == *p)).map(|p| p.name.clone()).collect(),
        chart: chart(&lang, k, &series),
        legend: legend(&lang, k),
        bars: bars(&lang, &published),
        can_edit: role.allows(Action::Edit),
        page: &page,
        id,
        indicator,
        c: k,
        periods,
        areas,
        latest,
        statuses,
        raw,
    });
    *response.status_mut() = status;
    Ok(response)
}

// ---- the export ----

async fn export(state: AppState, lang: Lang, visitor: Visitor, id: i64, indicator: i64, format: ExportFormat) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let i = state.indicator(c.id, indicator).await?;
    Ok(export_file(&state, &lang, &c, &i, format).await?)
}

/// The published figures as `indicator-{code}.csv`.
async fn export_csv(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, indicator)): Path<(i64, i64)>) -> PageResult {
    export(state, lang, visitor, id, indicator, ExportFormat::Csv).await
}

/// The published figures as `indicator-{code}.xlsx`.
async fn export_xlsx(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, indicator)): Path<(i64, i64)>) -> PageResult {
    export(state, lang, visitor, id, indicator, ExportFormat::Xlsx).await
}

/// The stories per period with their freshness against the figures, and what to flag first.
async fn story_views(
    state: &AppState,
    lang: &Lang,
    c: CollaborationId,
    indicator: i64,
    last_changed: &[(String, i64)],
) -> Result<(Vec<StoryView>, Vec<String>), AppError> {
    let stories = state.db.stories(c, indicator).await?;
    let changed = |period: &str| last_changed.iter().filter(|(p, _)| p == period).map(|(_, at)| *at).max();
    let freshness = |period: &str, written: Option<i64>| changed(period).map(|at| Freshness::of(written, at));
    let label = |f: Option<Freshness>| match f {
        Some(Freshness::Stale) => lang.t("story.stale").to_string(),
        _ => String::new(),
    };
    let views = stories
        .iter()
        .map(|s| StoryView {
            period: s.period.clone(),
            seen: s.content.seen.clone(),
            explains: s.content.explains.clone(),
            will_do: s.content.will_do.clone(),
            by: format!("{}, {}", s.changed_by, lang.datetime(s.changed_at)),
            version: s.version,
            freshness: label(freshness(&s.period, Some(s.changed_at))),
        })
        .collect();
    let mut notices = Vec::new();
    if let Some(latest) = last_changed.iter().map(|(p, _)| p.as_str()).max() {
        if domain::story::figures_out_of_date(latest, crate::collaboration::current_year()) {
            notices.push(format!("{} {latest}.", lang.t("story.figures_old")));
        }
        match freshness(latest, stories.iter().find(|s| s.period == latest).map(|s| s.changed_at)) {
            Some(Freshness::Missing) => notices.push(format!("{} {latest}.", lang.t("story.missing"))),
            Some(Freshness::Stale) => notices.push(format!("{} {latest}.", lang.t("story.stale_notice"))),
            _ => {}
        }
    }
    Ok((views, notices))
}

async fn save_story(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, indicator)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let i = state.indicator(c.id, indicator).await?;
    let (input, control): (StoryInput, domain::Invalid) = body.parse_kept()?;
    let (period, content) = match control.before(StoryContent::parse(&input, i.content.period_type)) {
        Ok(parsed) => parsed,
        Err(invalid) => {
            let labels = [("period", "field.period"), ("seen", "field.story_seen"), ("explains", "field.story_explains"), ("will_do", "field.story_will_do")];
            let kept = Kept::new(lang, "story", "f-story-", &body, &invalid, &labels)
                .with_id("seen", "f-seen")
                .with_id("explains", "f-explains")
                .with_id("will_do", "f-will-do");
            return card_view(&state, lang, origin, &visitor, id, indicator, CardQuery::default(), kept).await;
        }
    };
    let seen_version = body.version().unwrap_or(0);
    state.db.save_story(&actor(&visitor, origin), c.id, indicator, &period, &content, seen_version).await?;
    Ok(see_other(&format!("{}/{indicator}#verhaal", base(id))))
}

/// An area by its name where the classification knows it, with its code.
fn area_name(code: &str) -> String {
    match domain::area::gemeente_name(code) {
        Some(name) => format!("{name} ({code})"),
        None => code.to_string(),
    }
}

async fn add_measurement(
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

async fn move_measurements(
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
