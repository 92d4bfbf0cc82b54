//! The legal map: which laws, instances and bodies apply at an age, and every law's span
//! from −9 months to 27 years as a chart (our own SVG, with the same facts as a table).

use super::{Page, PageResult, render};
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::session::Visitor;
use askama::Template;
use axum::extract::Query;
use domain::legal::{Age, FIRST_MONTH, LAST_MONTH, Law, legal_map};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new().get("/wettelijk-kader", show)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AgeQuery {
    leeftijd: String,
}

/// One law as a bar on the chart; coordinates in SVG units.
pub struct Bar<'a> {
    pub law: &'a Law,
    pub y: i32,
    pub x: i32,
    pub width: i32,
    /// The conditional extension, drawn lighter.
    pub extension: Option<(i32, i32)>,
    pub from: String,
    pub to: String,
}

const LABEL_WIDTH: i32 = 190;
const CHART_WIDTH: i32 = 660;
const ROW: i32 = 26;

fn x_of(months: i32) -> i32 {
    let clamped = months.clamp(FIRST_MONTH, LAST_MONTH);
    LABEL_WIDTH + (clamped - FIRST_MONTH) * CHART_WIDTH / (LAST_MONTH - FIRST_MONTH)
}

/// An age in months as people say it: "−9 mnd", "4 jr", "18 jr", or "geen grens".
fn age_label(lang: Lang, months: i32) -> String {
    if months >= 100 * 12 {
        return lang.t("legal.no_limit").to_string();
    }
    if months % 12 == 0 { format!("{} {}", months / 12, lang.t("legal.years")) } else { format!("{months} {}", lang.t("legal.months")) }
}

#[derive(Template)]
#[template(path = "legal.html")]
struct LegalTemplate<'a> {
    page: &'a Page,
    en: bool,
    ages: Vec<(String, String, bool)>,
    asked: Option<String>,
    answer: Option<domain::legal::Answer<'a>>,
    bars: Vec<Bar<'a>>,
    ticks: Vec<(i32, String)>,
    marker: Option<(i32, i32)>,
    height: i32,
    bodies: &'a [domain::legal::Body],
}

async fn show(lang: Lang, visitor: Visitor, Query(query): Query<AgeQuery>) -> PageResult {
    let page = Page::new(lang, "legal.title").user(&visitor.user);
    let map = legal_map();
    let age = Age::parse(&query.leeftijd);
    let mut ages = vec![("zwangerschap".to_string(), lang.t("legal.pregnancy").to_string(), age == Some(Age::Pregnancy))];
    ages.extend((0..=27u8).map(|y| (y.to_string(), format!("{y} {}", lang.t("legal.years")), age == Some(Age::Years(y)))));
    let bars = map
        .laws
        .iter()
        .enumerate()
        .map(|(i, law)| Bar {
            law,
            y: 30 + i as i32 * ROW,
            x: x_of(law.from_months),
            width: (x_of(law.to_months) - x_of(law.from_months)).max(2),
            extension: law.extension.as_ref().map(|e| (x_of(law.to_months), x_of(e.to_months) - x_of(law.to_months))),
            from: age_label(lang, law.from_months),
            to: age_label(lang, law.to_months),
        })
        .collect();
    let ticks = [FIRST_MONTH, 0, 48, 144, 192, 216, 276, LAST_MONTH].iter().map(|m| (x_of(*m), age_label(lang, *m))).collect();
    let marker = age.map(|a| {
        let (from, to) = a.months();
        (x_of(from), x_of(to) - x_of(from))
    });
    let asked = age.map(|a| match a {
        Age::Pregnancy => lang.t("legal.pregnancy").to_string(),
        Age::Years(y) => format!("{y} {}", lang.t("legal.years")),
    });
    let height = 40 + map.laws.len() as i32 * ROW;
    let answer = age.map(|a| domain::legal::at(map, a));
    Ok(render(&LegalTemplate { page: &page, en: lang == Lang::En, ages, asked, answer, bars, ticks, marker, height, bodies: &map.bodies }))
}
