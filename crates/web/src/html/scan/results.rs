//! A round's results: per element, per group when the group is large enough, the divergence
//! between groups, the radar chart, the models now and wanted, and the perspective-shift gaps.

use super::split_label;
use crate::AppState;
use crate::html::{Kept, Page, PageResult, collaboration_access, render};
use crate::i18n::Lang;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use domain::access::Action;
use domain::measure::IndicatorKind;
use domain::scan::{
    DIVERGENCE_MARK, Dimension, Filter, QuestionKind, Stat, divergence, group_counts, lowest, pair_counts, round_filter, select, shift_gaps, shown_groups, stat,
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ResultsQuery {
    /// "sector:gemeente", "niveau:beleid", or empty for everyone.
    pub groep: String,
}

pub struct ElementRow {
    pub element: u8,
    pub title: String,
    pub mean: String,
    pub groups: Vec<String>,
    pub spread: String,
    pub divergent: bool,
    pub previous: String,
}

pub struct QuestionRow {
    pub section: String,
    pub text: String,
    pub n: usize,
    pub mean: String,
    pub counts: String,
    pub texts: Vec<String>,
}

#[derive(Template)]
#[template(path = "scan_results.html")]
struct ResultsTemplate<'a> {
    page: &'a Page,
    id: i64,
    round: i64,
    total: usize,
    min: usize,
    shown: bool,
    /// Why nothing is shown, when nothing is.
    withheld: String,
    split: String,
    published: bool,
    filters: Vec<(String, String, bool)>,
    hidden: Vec<String>,
    group_names: Vec<String>,
    elements: Vec<ElementRow>,
    radar: Vec<(f64, f64, String)>,
    polygon: String,
    rings: Vec<String>,
    low: Vec<(String, Vec<u8>)>,
    pairs: Vec<(String, String, usize)>,
    gaps: Vec<(String, String, String, String)>,
    questions: Vec<QuestionRow>,
    handoff: Option<Handoff>,
    /// The hand-off form as it was refused, if it was.
    kept: Kept,
}

/// What the form to record a question's score as a measurement offers.
pub struct Handoff {
    pub indicators: Vec<(String, String)>,
    pub questions: Vec<(String, String)>,
    pub area: String,
}

fn number(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}").replace('.', ",")).unwrap_or_else(|| "—".into())
}

/// The label of a group code in one dimension.
pub(super) fn group_label(lang: &Lang, dimension: Dimension, code: &str) -> String {
    match dimension {
        Dimension::Sector => lang.label("sector", code),
        Dimension::Level => lang.label("respondentlevel", code),
    }
}

fn counts_text(lang: &Lang, q: &domain::scan::Question, s: &Stat, english: bool) -> String {
    s.counts
        .iter()
        .map(|(k, n)| {
            let label = match q.kind {
                QuestionKind::Scale => lang.label("scale", k),
                _ => q.options.iter().find(|o| &o.key == k).map(|o| o.label.get(english).split(':').next().unwrap_or_default().to_string()).unwrap_or_default(),
            };
            format!("{label}: {n}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

pub(super) async fn results(
    State(state): State<AppState>,
    lang: Lang,
    visitor: Visitor,
    Path((id, round)): Path<(i64, i64)>,
    Query(q): Query<ResultsQuery>,
) -> PageResult {
    results_view(&state, lang, &visitor, id, round, &q, Kept::default()).await
}

/// A round's results, with the hand-off form as it was refused when `kept` holds one (then 400).
pub(super) async fn results_view(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, round: i64, q: &ResultsQuery, kept: Kept) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let r = state.db.round(c.id, round).await?;
    let mut page = Page::new(lang, "scans.results").user(&visitor.user).in_collab(&c, role, "scans");
    page.title = format!("{}: {}", page.t("scans.results"), r.title);
    let english = lang == Lang::En;
    let t = &r.template;
    let min = domain::scan::minimum(r.min_group, state.floors().min_group);
    let published = domain::scan::is_published(&r.closes, &crate::today());
    // Until the round closes nothing here depends on its answers, not even how many there are.
    let all = if published { state.db.answers(c.id, round).await? } else { Vec::new() };
    let total = all.len();
    let filter = round_filter(r.split_by, &q.groep);
    let selected = if published { select(&all, filter, min) } else { None };
    // The groups of the round's one split that may be shown, and those that may not.
    let mut filters = vec![(String::new(), page.t("scans.everyone").to_string(), filter == Filter::All)];
    let mut hidden = Vec::new();
    if let Some(dimension) = r.split_by.filter(|_| published) {
        let visible = shown_groups(&all, dimension, min);
        for g in group_counts(&all, dimension).keys() {
            if visible.contains(g) {
                filters.push((format!("{}:{g}", dimension.code()), group_label(&lang, dimension, g), filter == Filter::Group(dimension, g)));
            } else {
                hidden.push(group_label(&lang, dimension, g));
            }
        }
    }
    let split_groups = r.split_by.map(|d| (d, shown_groups(&all, d, min))).unwrap_or((Dimension::Sector, Vec::new()));
    let means = selected.as_deref().map(|rs| domain::scan::element_means_shown(t, &all, r.split_by, filter, rs, min)).unwrap_or_default();
    let spread = r.split_by.map(|d| divergence(t, &all, d, min)).unwrap_or_default();
    let per_group: Vec<Vec<(u8, Option<f64>)>> = split_groups
        .1
        .iter()
        .map(|g| {
            let group = Filter::Group(split_groups.0, g);
            select(&all, group, min).map(|rs| domain::scan::element_means_shown(t, &all, r.split_by, group, &rs, min)).unwrap_or_default()
        })
        .collect();
    // The previous round of the same questionnaire, for the change since then.
    let previous_round = state.db.rounds(c.id).await?.into_iter().filter(|o| o.template.key == t.key && o.opens < r.opens).max_by(|a, b| a.opens.cmp(&b.opens));
    let previous = match previous_round.filter(|p| domain::scan::is_published(&p.closes, &crate::today())) {
        Some(p) => {
            let answers = state.db.answers(c.id, p.id).await?;
            let min = domain::scan::minimum(p.min_group, state.floors().min_group);
            select(&answers, Filter::All, min)
                .map(|rs| domain::scan::element_means_shown(&p.template, &answers, p.split_by, Filter::All, &rs, min))
                .unwrap_or_default()
        }
        None => Vec::new(),
    };
    let value_of = |list: &[(u8, Option<f64>)], e: u8| list.iter().find(|(x, _)| *x == e).and_then(|(_, v)| *v);
    let elements: Vec<ElementRow> = means
        .iter()
        .map(|(e, m)| {
            let d = value_of(&spread, *e);
            let before = value_of(&previous, *e);
            ElementRow {
                element: *e,
                title: t.sections.iter().find(|s| s.element == Some(*e)).map(|s| s.title.get(english).to_string()).unwrap_or_default(),
                mean: number(*m),
                groups: per_group.iter().map(|g| number(value_of(g, *e))).collect(),
                spread: number(d),
                divergent: d.is_some_and(|d| d >= DIVERGENCE_MARK),
                previous: match (before, m) {
                    (Some(b), Some(m)) => format!("{} ({}{})", number(Some(b)), if m >= &b { "+" } else { "−" }, number(Some((m - b).abs()))),
                    _ => "—".into(),
                },
            }
        })
        .collect();
    // The radar: each element an axis, the mean (1–5) as distance from the centre.
    let (cx, cy, radius) = (160.0, 160.0, 120.0);
    let axis = |i: usize, v: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / means.len().max(1) as f64;
        (cx + radius * v / 5.0 * angle.cos(), cy + radius * v / 5.0 * angle.sin())
    };
    let radar: Vec<(f64, f64, String)> = means
        .iter()
        .enumerate()
        .map(|(i, (e, _))| {
            let (x, y) = axis(i, 5.6);
            (x, y, e.to_string())
        })
        .collect();
    let polygon = means.iter().enumerate().map(|(i, (_, m))| axis(i, m.unwrap_or(0.0))).map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let rings = (1..=5).map(|v| (0..means.len()).map(|i| axis(i, f64::from(v))).map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")).collect();
    let low = lowest(t, &means, 3)
        .into_iter()
        .map(|(e, _, themes)| (elements.iter().find(|r| r.element == e).map(|r| r.title.clone()).unwrap_or_default(), themes.to_vec()))
        .collect();
    let rs = selected.clone().unwrap_or_default();
    let label_of = |key: &str| {
        t.questions()
            .flat_map(|(_, q)| q.options.iter())
            .find(|o| o.key == key)
            .map(|o| o.label.get(english).split(':').next().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let pairs = pair_counts(t, &all, r.split_by, filter, &rs, min).into_iter().map(|((a, b), n)| (label_of(&a), label_of(&b), n)).collect();
    let gaps = shift_gaps(t, &all, r.split_by, filter, &rs, min)
        .into_iter()
        .map(|(s, now, wanted)| {
            let q = s.questions.first();
            let pole = |p: Option<&domain::journey::Text>| p.map(|t| t.get(english).to_string()).unwrap_or_default();
            let gap = match (now, wanted) {
                (Some(a), Some(b)) => number(Some(b - a)),
                _ => "—".into(),
            };
            (format!("{} → {}", pole(q.and_then(|q| q.left.as_ref())), pole(q.and_then(|q| q.right.as_ref()))), number(now), number(wanted), gap)
        })
        .collect();
    let questions = t
        .questions()
        .map(|(s, q)| {
            let st = stat(q, &rs);
            // A statement answered by fewer than the minimum shows no more than that, nor one
            // whose answers the total minus the other groups would give away.
            let enough = domain::scan::question_shown(&all, r.split_by, filter, q, min);
            QuestionRow {
                section: s.title.get(english).to_string(),
                text: q.text.get(english).to_string(),
                n: st.n,
                mean: if enough { number(st.mean) } else { "—".into() },
                counts: if enough { counts_text(&lang, q, &st, english) } else { lang.t("withheld.too_few_participants").to_string() },
                texts: if enough { st.texts } else { Vec::new() },
            }
        })
        .collect();
    // Editors can record a statement's score as a measurement of an end-user indicator.
    let handoff = if role.allows(Action::Edit) && published && selected.is_some() && filter == Filter::All {
        let indicators: Vec<(String, String)> = state
            .db
            .indicators(c.id)
            .await?
            .into_iter()
            .filter(|i| matches!(i.content.kind, IndicatorKind::Gemiddelde | IndicatorKind::Schaalscore))
            .map(|i| (i.id.to_string(), format!("{} {}", i.content.code, i.content.name)))
            .collect();
        let questions = t.questions().filter(|(_, q)| q.kind == QuestionKind::Scale).map(|(_, q)| (q.key.clone(), q.text.get(english).to_string())).collect();
        (!indicators.is_empty()).then(|| Handoff { indicators, questions, area: c.area_codes.first().map(|a| a.as_str().to_string()).unwrap_or_default() })
    } else {
        None
    };
    let status = if kept.errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::BAD_REQUEST };
    let mut response = render(&ResultsTemplate {
        kept,
        handoff,
        group_names: split_groups.1.iter().map(|g| group_label(&lang, split_groups.0, g)).collect(),
        shown: selected.is_some(),
        withheld: lang.t(if !published { "withheld.after_close" } else { "withheld.too_few_participants" }).to_string(),
        split: split_label(&lang, r.split_by),
        published,
        total,
        page: &page,
        id,
        round,
        min,
        filters,
        hidden,
        elements,
        radar,
        polygon,
        rings,
        low,
        pairs,
        gaps,
        questions,
    });
    *response.status_mut() = status;
    Ok(response)
}
