//! The finance overview: totals per year (as a table and as our own SVG with the same numbers),
//! per partner and per source, every contribution, the coming five years per partner against the
//! plans, and the running work whose funding needs attention within the horizon.

use super::frame;
use super::pot::{PotRow, pot_row};
use crate::AppState;
use crate::finance::{Attention, Overview, source_label};
use crate::html::{Page, PageResult, render};
use crate::i18n::Lang;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use domain::access::Action;
use domain::finance::{ContributionContent, Total, Warning, bar_lengths};

/// A row of a totals table, every amount already written as money.
pub struct TotalRow {
    pub label: String,
    pub amount: String,
    pub hours: String,
    pub hours_value: String,
    pub value: String,
    pub secured: String,
}

fn total_row(lang: Lang, label: String, t: &Total) -> TotalRow {
    TotalRow {
        label,
        amount: lang.money(t.amount_cents),
        hours: lang.number(t.hours),
        hours_value: lang.money(t.hours_value_cents),
        value: lang.money(t.value_cents()),
        secured: lang.money(t.secured_cents),
    }
}

pub struct ContributionRow {
    pub id: i64,
    pub partner: String,
    pub year: String,
    pub source: String,
    pub amount: String,
    pub hours: String,
    pub value: String,
    pub status: String,
    pub agreement: String,
}

/// One bar of the chart per year: its total value, drawn to scale, labelled with the amount.
pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: i32,
    pub width: String,
    pub secured_width: String,
}

#[derive(Template)]
#[template(path = "finance.html")]
struct OverviewTemplate<'a> {
    page: &'a Page,
    id: i64,
    can_edit: bool,
    years: Vec<TotalRow>,
    partners: Vec<TotalRow>,
    sources: Vec<TotalRow>,
    total: TotalRow,
    contributions: Vec<ContributionRow>,
    bars: Vec<Bar>,
    chart_height: i32,
    chart_desc: String,
    pots: Vec<PotRow>,
    /// Some pot's spending leaves out breakthrough decisions the reader may not see.
    decisions_left_out: bool,
    /// Per ambition, goal and activity: depth, title, link (activities), planned, spent.
    work: Vec<(u8, String, String, String, String)>,
    attention: Vec<(i64, String, String)>,
    y: super::continuity::YearsTable,
    can_manage: bool,
}

const BAR_W: f64 = 330.0;
const BAR_ROW: i32 = 36;

pub(super) fn contribution_row(lang: Lang, o: &Overview, id: i64, k: &ContributionContent) -> ContributionRow {
    ContributionRow {
        id,
        partner: o.partner_name(k.partner),
        year: k.year.clone(),
        source: source_label(lang, k),
        amount: k.amount_cents.map(|c| lang.money(c)).unwrap_or_default(),
        hours: k.hours.map(|h| lang.number(h)).unwrap_or_default(),
        value: lang.money(k.value_cents()),
        status: lang.label("commitment", k.status.code()),
        agreement: o.agreement_title(k.agreement),
    }
}

pub(super) async fn overview(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role, page) = frame(&state, lang, &visitor, id, Action::Read, "finance.title").await?;
    let o = crate::finance::overview(&state, c.id).await?;
    let values: Vec<i64> = o.by_year.iter().map(|(_, t)| t.value_cents()).collect();
    let secured: Vec<i64> = o.by_year.iter().map(|(_, t)| t.secured_cents).collect();
    let (lengths, max) = (bar_lengths(&values, BAR_W), values.iter().copied().max().unwrap_or(0));
    let bars = o
        .by_year
        .iter()
        .zip(&lengths)
        .zip(&secured)
        .enumerate()
        .map(|(i, (((year, t), length), secured))| Bar {
            label: year.clone(),
            value: lang.money(t.value_cents()),
            y: 10 + i as i32 * BAR_ROW,
            width: format!("{length:.1}"),
            secured_width: format!("{:.1}", if max > 0 { *secured as f64 / max as f64 * BAR_W } else { 0.0 }),
        })
        .collect::<Vec<_>>();
    let chart_desc = o
        .by_year
        .iter()
        .map(|(y, t)| format!("{y}: {} ({} {})", lang.money(t.value_cents()), page.t("finance.of_which_secured"), lang.money(t.secured_cents)))
        .collect::<Vec<_>>()
        .join("; ");
    let reader = crate::finance::Reader::of(&state, &c, role).await?;
    let pots: Vec<PotRow> = crate::finance::pots(&state, c.id, &reader).await?.iter().map(|f| pot_row(lang, f)).collect();
    let today = crate::today();
    let attention = crate::finance::attention_now(&state, c.id, &today).await?;
    let years = crate::finance::years(&state, c.id, &today).await?;
    let y = super::continuity::years_table(lang, &years, |p| o.partner_name(p), crate::finance::horizon(&state, c.id).await?);
    let work = crate::finance::work_money(&state, c.id)
        .await?
        .into_iter()
        .map(|w| {
            let link = if w.depth == 2 { format!("/samenwerkingen/{id}/programma/activiteiten/{}", w.id) } else { String::new() };
            (w.depth, w.title, link, lang.money(w.planned_cents), lang.money(w.spent_cents))
        })
        .collect();
    let template = OverviewTemplate {
        work,
        decisions_left_out: pots.iter().any(|p| p.decisions_left_out),
        y,
        can_manage: role.allows(Action::Manage),
        pots,
        attention: attention.iter().map(|a| attention_line(lang, a)).collect(),
        id,
        can_edit: role.allows(Action::Edit),
        years: o.by_year.iter().map(|(y, t)| total_row(lang, y.clone(), t)).collect(),
        partners: o.by_partner.iter().map(|(p, t)| total_row(lang, o.partner_name(*p), t)).collect(),
        sources: o.by_source.iter().map(|(s, t)| total_row(lang, lang.label("fundingsource", s.code()), t)).collect(),
        total: total_row(lang, page.t("finance.total").to_string(), &o.total),
        contributions: o.contributions.iter().map(|x| contribution_row(lang, &o, x.id, &x.content)).collect(),
        chart_height: 10 + bars.len().max(1) as i32 * BAR_ROW,
        bars,
        chart_desc,
        page: &page,
    };
    Ok(render(&template))
}

/// A line for running work whose funding needs attention: the activity, its title, and why.
pub fn attention_line(lang: Lang, a: &Attention) -> (i64, String, String) {
    let why = match &a.warning {
        Warning::NoFunding => lang.t("finance.warn_no_funding").to_string(),
        Warning::EndsWithin { ends } => lang.t("finance.warn_ends").replace("{date}", &lang.date(ends)).replace("{ends}", &lang.date(&a.ends)),
        Warning::OneYearOnly { year } => lang.t("finance.warn_one_year").replace("{year}", year),
    };
    (a.activity, a.title.clone(), why)
}
