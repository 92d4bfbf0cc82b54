//! The card's two pictures, drawn as our own SVG with the same published numbers as the table:
//! the line of the values per period and the bars per area.

use crate::i18n::Lang;
use crate::indicator::shown;
use domain::indicator::IndicatorContent;
use domain::measure::Published;

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

pub(super) fn chart(lang: &Lang, c: &IndicatorContent, series: &[(String, Published)]) -> Option<Chart> {
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

pub(super) fn bars(lang: &Lang, areas: &[(String, Published)]) -> Option<Bars> {
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
