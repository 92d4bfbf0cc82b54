//! A goal's indicators from the three perspectives side by side — the child and parent, the
//! organisations, the network — so a gap in one is visible next to progress in another. The
//! programme shows it under each goal and an indicator's card for the goal it follows.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::indicator::published_totals;
use crate::indicator::shown;
use askama::Template;
use domain::ids::CollaborationId;
use domain::indicator::Perspective;
use domain::measure::Published;
use store::indicator::Indicator;

/// One indicator in a column: its id, name, latest published figure with its period, and
/// whether that is on track.
pub struct Line {
    pub id: i64,
    pub name: String,
    pub figure: String,
    pub track: String,
}

pub struct Column {
    pub label: String,
    pub lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "perspectives.html")]
struct PerspectivesTemplate<'a> {
    lang: Lang,
    id: i64,
    goal: &'a str,
    columns: &'a [Column],
}

/// The three columns of `goal` as HTML, empty when no indicator follows the goal.
pub async fn render_for_goal(state: &AppState, lang: Lang, c: CollaborationId, goal: i64, title: &str, indicators: &[Indicator]) -> Result<String, AppError> {
    let following: Vec<&Indicator> = indicators.iter().filter(|i| i.content.goal == Some(goal)).collect();
    if following.is_empty() {
        return Ok(String::new());
    }
    let mut columns = Vec::new();
    for perspective in Perspective::ALL {
        let mut lines = Vec::new();
        for i in following.iter().filter(|i| i.content.perspective == *perspective) {
            let k = &i.content;
            let latest = published_totals(state, c, i.id).await?.pop();
            let (figure, track) = match latest {
                Some((period, published)) => {
                    let track = match published {
                        Published::Value(v) => k
                            .on_track(&period, v)
                            .map(|on| lang.t(if on { "indicators.on_track" } else { "indicators.off_track" }).to_string())
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    (format!("{} ({period})", shown(&lang, published)), track)
                }
                None => ("—".to_string(), String::new()),
            };
            lines.push(Line { id: i.id, name: format!("{} {}", k.code, k.name), figure, track });
        }
        columns.push(Column { label: lang.label("perspective", perspective.code()), lines });
    }
    PerspectivesTemplate { lang, id: c.0, goal: title, columns: &columns }.render().map_err(|e| AppError::Internal(e.to_string()))
}
