//! An indicator's card: trend against target and baseline, the figures per area as bars and as a
//! table, the statuses per period, a steward's raw values and the stories.

use super::chart::{Bars, Chart, bars, chart};
use super::measurements::{RawView, raw_view};
use super::story::{StoryView, story_views};
use crate::AppState;
use crate::error::AppError;
use crate::html::collaboration::actor;
use crate::html::{Kept, Page, PageResult, collaboration_access, render};
use crate::i18n::Lang;
use crate::indicator::{area_cells, area_labels, legend, published_totals, shown};
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::area::AreaCode;
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, MeasurementStatus};
use domain::measure::Published;

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

/// What the card shows of an indicator's measurements, added up by the database (`store::rollup`)
/// so that a national set — every buurt, every year — is never read row by row for a reader; a
/// steward's raw values are read for one period at a time.
pub(super) struct CardData {
    /// Per period with an approved figure, the collaboration's total as published.
    totals: Vec<(String, Published)>,
    /// The latest of those periods, and its areas (`area_cells`) as published.
    latest: String,
    cells: Vec<(AreaCode, Published)>,
    /// Per period and status: how many measurements, and when one last changed.
    pub(super) statuses: Vec<(String, MeasurementStatus, i64, i64)>,
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

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct CardQuery {
    /// The period of the steward's raw values; the latest when none is chosen.
    periode: String,
}

pub(super) async fn card(
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
pub(super) async fn card_view(
    state: &AppState,
    lang: Lang,
    origin: String,
    visitor: &Visitor,
    id: i64,
    indicator: i64,
    q: CardQuery,
    kept: Kept,
) -> PageResult {
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
        Some(g) => crate::html::perspective::render_for_goal(&state, lang, c.id, g.id, &g.content.title, &state.indicators(c.id).await?).await?,
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
