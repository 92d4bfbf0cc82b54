//! The programme as a timeline: one bar per activity over the programme's years, drawn as SVG.

use super::frame;
use crate::AppState;
use crate::error::AppError;
use crate::html::{Page, PageResult, render};
use crate::i18n::Lang;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::programme::timeline;

const LABEL_W: f64 = 230.0;
const CHART_W: f64 = 600.0;
const ROW_H: i32 = 28;
const TOP: i32 = 40;

pub struct TimelineRow {
    pub id: i64,
    pub title: String,
    /// The title as it fits beside the bar.
    pub label: String,
    pub goal: String,
    pub starts: String,
    pub ends: String,
    pub status: String,
    pub status_code: &'static str,
    pub overdue: bool,
    pub x: String,
    pub width: String,
    pub y: i32,
}

#[derive(Template)]
#[template(path = "programme_timeline.html")]
struct TimelineTemplate<'a> {
    page: &'a Page,
    id: i64,
    rows: Vec<TimelineRow>,
    ticks: Vec<(String, String, bool)>,
    today: String,
    today_label: String,
    /// Where the label of today's line is anchored, so it stays inside the chart.
    today_anchor: &'static str,
    width: i32,
    height: i32,
    description: String,
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

pub(super) async fn timeline_page(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _, page) = frame(&state, lang, &visitor, id, Action::Read, "programme.timeline").await?;
    let (goals, activities) = (state.db.goals(c.id).await?, state.db.activities(c.id).await?);
    let today = crate::today();
    let spans: Vec<(i64, &str, &str)> = activities.iter().map(|a| (a.id, a.content.starts.as_str(), a.content.ends.as_str())).collect();
    let geometry = timeline(&spans, &today, LABEL_W, CHART_W).ok_or_else(|| AppError::Internal("no timeline for today's date".into()))?;
    let rows: Vec<TimelineRow> = activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let bar = geometry.bars.iter().find(|b| b.id == a.id);
            let label = if a.content.title.chars().count() > 32 {
                format!("{}…", a.content.title.chars().take(31).collect::<String>())
            } else {
                a.content.title.clone()
            };
            TimelineRow {
                id: a.id,
                title: a.content.title.clone(),
                label,
                goal: goals.iter().find(|g| g.id == a.goal_id).map(|g| g.content.title.clone()).unwrap_or_default(),
                starts: lang.date(&a.content.starts),
                ends: lang.date(&a.content.ends),
                status: lang.label("activitystatus", a.content.status.code()),
                status_code: a.content.status.code(),
                overdue: a.content.overdue(&today),
                x: px(bar.map(|b| b.x).unwrap_or(LABEL_W)),
                width: px(bar.map(|b| b.width).unwrap_or(0.0)),
                y: TOP + i as i32 * ROW_H,
            }
        })
        .collect();
    let ticks = geometry
        .ticks
        .iter()
        .map(|t| {
            let label = if t.year { t.date[..4].to_string() } else { format!("Q{}", (t.date[5..7].parse::<u32>().unwrap_or(1) - 1) / 3 + 1) };
            (px(t.x), label, t.year)
        })
        .collect();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let description = format!(
        "{} {} {} {}. {}: {}.",
        page.t("programme.timeline_desc"),
        lang.date(&geometry.from),
        page.t("programme.until"),
        lang.date(&domain::date::add_days(&geometry.to, -1).unwrap_or_default()),
        page.t("programme.overdue_count"),
        overdue
    );
    Ok(render(&TimelineTemplate {
        page: &page,
        id,
        height: TOP + rows.len().max(1) as i32 * ROW_H + 10,
        rows,
        ticks,
        today: px(geometry.today),
        today_anchor: if geometry.today > LABEL_W + CHART_W - 80.0 {
            "end"
        } else if geometry.today < LABEL_W + 80.0 {
            "start"
        } else {
            "middle"
        },
        today_label: format!("{} {}", page.t("programme.today"), lang.date(&today)),
        width: (LABEL_W + CHART_W) as i32 + 20,
        description,
    }))
}
