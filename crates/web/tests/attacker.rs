//! The attacker: a lezer and a lid of a collaboration full of small counts over the real 2024
//! buurten of Bunnik (three wijken, eight buurten) and Landsmeer (three wijken, ten buurten, two
//! wijken of a single buurt), each reading every path an indicator's figures leave by — the
//! card (trend table and chart, the table per area and its bars), the list, the API (totals,
//! every area's trend, every level's table of every period), the CSV and XLSX exports of page
//! and API (the XLSX read back with calamine), the working areas (page and API), the learning
//! cycle, the agenda card of a meeting and the goal's perspectives — and the case-review
//! results (page and API, per half year, year and school year) and the self-scans (an open
//! round, and a closed one per sector: page, API per group, CSV and XLSX). Two indicators share
//! their numerator: a count and a percentage of it, measured per half year and for the year,
//! marked as sharing it (so published jointly).
//!
//! Everything read becomes a constraint on the true counts, as an attacker would write it:
//! - a shown count v (a multiple of the base) says the true value lies in the rounding interval
//!   (`domain::disclosure::rounding_interval`: [v−2, v+2] for a base of 5); a count that is not a
//!   multiple of the base says itself;
//! - a shown percentage r with d decimals says, with the denominator known to the attacker
//!   (children per buurt are public figures), that the numerator lies in [(r−ε)·D, (r+ε)·D]
//!   (ε half the last decimal) if it was computed from the raw parts, or within the rounding
//!   interval of a rounded numerator n with n / round(D) in [r−ε, r+ε] if from rounded parts:
//!   the constraint is the union of both, so it holds whatever the product did; published
//!   rounded parts are taken as counts;
//! - a withheld value says nothing, unless its reason does ("minder dan 8": at most 7);
//! - the linear relations a reader knows: buurten add up to their wijk, wijken to their
//!   gemeente, gemeenten to the total, the halves to the year, a working area is the sum of
//!   the buurten it covers (each once), and both indicators count the same children.
//!
//! The unknowns are the 36 half-year counts of the buurten (the year is their sum). For every
//! cell the test knows to be secret (a true count below 8: a buurt, a wijk, a gemeente, the
//! total or a working area, in any period) an LP solver (good_lp with microlp, written here,
//! independent of the product's own audit) minimises and maximises it: the interval must hold
//! all of 0–7 or be at least 8 wide. For every shown count, the minimum and maximum must
//! differ (its exact value must not follow). Every finding names the cell and its interval.
//!
//! The case reviews get an attacker of their own: the unknowns are the reviews per half year
//! by age band, offer and barrier; every count shown is exact, every share a linear bound; a
//! group below the minimum must keep an interval that holds all of 0..min−1 or is at least the
//! minimum wide. Of the scans: an open round shows no figure, and a hidden sector's size is
//! not narrowed below the minimum by the total and the shown sectors.
//!
//! Runs on the backend that `REISGENOOT_TEST_DATABASE` names (SQLite by default).

mod common;

use axum::http::StatusCode;
use common::{Auth, TestApp, actor};
use domain::access::Role;
use domain::area::AreaCode;
use domain::case_review::{AgeBand, Barrier, CaseDomain, CaseReview, Offer};
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
use domain::measure::{Parts, Rules};
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, microlp, variable};
use std::collections::{BTreeMap, BTreeSet};

/// Every buurt of Bunnik and Landsmeer (CBS 2024): the count in the first and second half of
/// 2025, and the number of children in each (the percentage's denominator, public).
const BUURTEN: &[(&str, u32, u32, u32, u32)] = &[
    // Wijk 00 Bunnik: 55 in the first half, from 30, 20 and a secret 5 beside a 0.
    ("BU03120000", 30, 28, 310, 295),
    ("BU03120001", 20, 22, 180, 190),
    ("BU03120008", 5, 3, 60, 65),
    ("BU03120009", 0, 6, 45, 50),
    ("BU03120100", 38, 35, 400, 390),
    ("BU03120109", 2, 7, 120, 118),
    ("BU03120200", 25, 31, 260, 270),
    ("BU03120209", 4, 1, 90, 85),
    ("BU04150101", 6, 9, 140, 150),
    ("BU04150201", 12, 3, 130, 125),
    ("BU04150301", 33, 30, 350, 340),
    ("BU04150302", 7, 2, 110, 105),
    ("BU04150303", 18, 21, 200, 210),
    ("BU04150304", 0, 4, 70, 75),
    ("BU04150305", 26, 24, 240, 250),
    ("BU04150306", 3, 0, 101, 99),
    ("BU04150307", 14, 17, 160, 150),
    ("BU04150308", 9, 11, 150, 160),
];

const GEMEENTEN: [&str; 2] = ["GM0312", "GM0415"];
const WIJKEN: [&str; 6] = ["WK031200", "WK031201", "WK031202", "WK041501", "WK041502", "WK041503"];
const PERIODS: [&str; 3] = ["2025-H1", "2025-H2", "2025"];

/// The working areas: the shown buurten of a wijk; two that overlap; one across gemeenten; a
/// shown buurt with a secret one.
const SCOPES: &[&[&str]] = &[
    &["BU03120000", "BU03120001"],
    &["BU04150301", "BU04150302", "BU04150303"],
    &["BU04150302", "BU04150303", "BU04150305"],
    &["WK031201", "BU04150101", "BU04150201"],
    &["BU03120000", "BU03120008"],
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Ind {
    Count,
    Rate,
}

/// A cell's place: the collaboration's total, an area, or a working area (by its index).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Total,
    Area(String),
    Scope(usize),
}

/// A figure as read.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    /// The value and half its last decimal.
    Value { v: f64, eps: f64, numerator: Option<f64> },
    /// Withheld; at most this, when the reason says "less than".
    Withheld { at_most: Option<f64> },
}

/// One figure read on one path.
#[derive(Debug, Clone)]
struct Reading {
    source: String,
    ind: Ind,
    period: String,
    place: Place,
    shown: Shown,
}

/// A constraint on a cell: its true numerator lies in [low, high], because of `source`.
#[derive(Debug, Clone)]
struct Bound {
    period: String,
    place: Place,
    low: f64,
    high: f64,
    source: String,
}

/// The buurten a place adds up, each once.
fn buurten_of(place: &Place) -> Vec<usize> {
    let inside = |area: &str| -> Vec<usize> {
        let prefix = &area[2..];
        BUURTEN.iter().enumerate().filter(|(_, b)| b.0[2..].starts_with(prefix)).map(|(i, _)| i).collect()
    };
    match place {
        Place::Total => (0..BUURTEN.len()).collect(),
        Place::Area(code) => inside(code),
        Place::Scope(s) => SCOPES[*s].iter().flat_map(|m| inside(m)).collect::<BTreeSet<_>>().into_iter().collect(),
    }
}

/// The unknowns a cell adds up: buurt i in the first half is 2i, in the second 2i + 1.
fn unknowns(period: &str, place: &Place) -> Vec<usize> {
    let halves: &[usize] = match period {
        "2025-H1" => &[0],
        "2025-H2" => &[1],
        _ => &[0, 1],
    };
    buurten_of(place).into_iter().flat_map(|b| halves.iter().map(move |h| 2 * b + h)).collect()
}

/// The true numerator and denominator of a cell.
fn truth(period: &str, place: &Place) -> (f64, f64) {
    let (mut n, mut d) = (0.0, 0.0);
    for u in unknowns(period, place) {
        let b = BUURTEN[u / 2];
        let (bn, bd) = if u % 2 == 0 { (b.1, b.3) } else { (b.2, b.4) };
        n += f64::from(bn);
        d += f64::from(bd);
    }
    (n, d)
}

fn every_place() -> Vec<Place> {
    let mut places = vec![Place::Total];
    places.extend(GEMEENTEN.iter().chain(&WIJKEN).map(|a| Place::Area(a.to_string())));
    places.extend(BUURTEN.iter().map(|b| Place::Area(b.0.to_string())));
    places.extend((0..SCOPES.len()).map(Place::Scope));
    places
}

fn name_of(place: &Place) -> String {
    match place {
        Place::Total => "the total".into(),
        Place::Area(code) => code.clone(),
        Place::Scope(s) => format!("working area {s} {:?}", SCOPES[*s]),
    }
}

/// Half the last significant decimal of a number as written, at least one decimal (a
/// percentage is published with one): "8,2" → 0.05, "8,10" → 0.05, "8.123" → 0.0005.
fn half_last_decimal(text: &str) -> f64 {
    let decimals = text.split(['.', ',']).nth(1).map(|d| d.trim_end_matches(|c: char| !c.is_ascii_digit()).trim_end_matches('0').len()).unwrap_or(0);
    0.5 * 10f64.powi(-i32::try_from(decimals.max(1)).unwrap_or(1))
}

/// "at most N − 1" from a reason that says "minder dan N" or "less than N".
fn at_most(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    // "minder dan 8, of anders te herleiden": no bound, for either may hold.
    if lower.contains(" of ") || lower.contains(" or ") {
        return None;
    }
    let rest = lower.split("minder dan ").nth(1).or_else(|| lower.split("less than ").nth(1))?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<f64>().ok().map(|n| n - 1.0)
}

/// A figure as a page or file writes it: "geheim…", "30", "8,2", "8,2%"; none for an empty cell
/// or a dash (no figure at all).
fn figure(text: &str) -> Result<Option<Shown>, String> {
    let text = text.trim();
    if text.is_empty() || text == "—" || text == "-" {
        return Ok(None);
    }
    let number = text.trim_end_matches('%').trim();
    // No figure is more precise than its label: a count whole, a rate or mean one decimal
    // ("8,10" is two).
    if number.split(',').nth(1).is_some_and(|d| d.chars().filter(char::is_ascii_digit).count() > 1) {
        return Err(format!("more precise than its label: {text:?}"));
    }
    if number.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '-') {
        return number
            .replace(',', ".")
            .parse::<f64>()
            .map(|v| Some(Shown::Value { v, eps: half_last_decimal(number), numerator: None }))
            .map_err(|_| format!("not a figure: {text:?}"));
    }
    // Any word: withheld (secret, too close, not yet published, incomplete, being updated).
    Ok(Some(Shown::Withheld { at_most: at_most(text) }))
}

/// A figure as JSON writes it: `{"state": "value", "value": 8.2, …}` or anything withheld.
fn json_figure(value: &serde_json::Value) -> Option<Shown> {
    match value.get("value").and_then(|v| v.as_f64()) {
        Some(v) => {
            let eps = half_last_decimal(&value["value"].to_string());
            Some(Shown::Value { v, eps, numerator: value.get("numerator").and_then(|n| n.as_f64()) })
        }
        None => Some(Shown::Withheld { at_most: at_most(&value.to_string()) }),
    }
}

/// What a reading says of its cell's true numerator; none when nothing.
fn bound_of(r: &Reading, rules: &Rules) -> Option<(f64, f64)> {
    let round = |x: f64| (x / rules.round_to).round() * rules.round_to;
    let count = |n: f64| if (n / rules.round_to).fract() == 0.0 { domain::disclosure::rounding_interval(n, rules) } else { (n, n) };
    match (&r.shown, r.ind) {
        (Shown::Withheld { at_most: Some(m) }, _) => Some((0.0, *m)),
        (Shown::Withheld { at_most: None }, _) => None,
        (Shown::Value { v, .. }, Ind::Count) => Some(count(*v)),
        (Shown::Value { numerator: Some(n), .. }, Ind::Rate) => Some(count(*n)),
        (Shown::Value { v, eps, numerator: None }, Ind::Rate) => {
            let (_, d) = truth(&r.period, &r.place);
            // From the raw parts: n = r · d / 100.
            let (raw_low, raw_high) = ((v - eps) * d / 100.0, (v + eps) * d / 100.0);
            // From rounded parts: a multiple of the base n with n / round(d) within the label.
            let dr = round(d);
            let (lo, hi) = ((v - eps) * dr / 100.0, (v + eps) * dr / 100.0);
            let first = (lo / rules.round_to).ceil() * rules.round_to;
            let last = (hi / rules.round_to).floor() * rules.round_to;
            if first <= last {
                let (a, _) = domain::disclosure::rounding_interval(first, rules);
                let (_, b) = domain::disclosure::rounding_interval(last, rules);
                Some((raw_low.min(a), raw_high.max(b)))
            } else {
                Some((raw_low, raw_high))
            }
        }
    }
}

/// The tightest interval of `target` (unknowns added up) under `bounds`, both ends.
fn interval(bounds: &[(Vec<usize>, f64, f64)], target: &[usize]) -> Result<(f64, f64), String> {
    let mut ends = [0.0; 2];
    for (i, maximise) in [false, true].into_iter().enumerate() {
        let mut vars = ProblemVariables::new();
        // Counts are at least 0; no buurt has more than a thousand children in a half year.
        let xs: Vec<Variable> = (0..2 * BUURTEN.len()).map(|_| vars.add(variable().min(0.0).max(1000.0))).collect();
        let objective: Expression = target.iter().map(|u| xs[*u]).sum();
        let mut model = if maximise { vars.maximise(objective.clone()) } else { vars.minimise(objective.clone()) }.using(microlp);
        for (us, low, high) in bounds {
            let e: Expression = us.iter().map(|u| xs[*u]).sum();
            model = model.with(constraint!(e.clone() >= *low)).with(constraint!(e <= *high));
        }
        let solution = model.solve().map_err(|e| format!("{e:?}"))?;
        ends[i] = solution.eval(&objective);
    }
    Ok((ends[0], ends[1]))
}

async fn indicator(app: &TestApp, c: CollaborationId, code: &str, kind: &str, factor: &str, goal: i64) -> i64 {
    let input = IndicatorInput {
        code: code.into(),
        name: format!("Indicator {code}"),
        kind: kind.into(),
        factor: factor.into(),
        direction: "lager_beter".into(),
        perspective: "eindgebruiker".into(),
        period_type: "halfjaar".into(),
        goal: goal.to_string(),
        ..Default::default()
    };
    app.db.create_indicator(&actor(), c, &IndicatorContent::parse(&input).expect("valid")).await.expect("indicator").id
}

/// The text between `start` (after it) and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

/// The contents of every element that opens with `open` (up to its `>`) in `text`, in order.
fn contents<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        rest = &rest[at + open.len()..];
        let Some(gt) = rest.find('>') else { break };
        rest = &rest[gt + 1..];
        let end = rest.find(close).unwrap_or(rest.len());
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Text without its tags.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in html.chars() {
        match ch {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The place a label names: "Bunnik (GM0312)", a bare code, or the whole collaboration.
fn place_of(label: &str) -> Option<Place> {
    let label = plain(label);
    let code = match label.rfind('(') {
        Some(at) if label.ends_with(')') => label[at + 1..label.len() - 1].to_string(),
        _ => label.clone(),
    };
    if AreaCode::parse(&code).is_some() {
        Some(Place::Area(code))
    } else if label.is_empty() || label.contains("samenwerking") || label.contains("collaboration") || label.to_lowercase().contains("totaal") {
        Some(Place::Total)
    } else {
        None
    }
}

/// "255 (2025-H2)": the figure and its period.
fn figure_with_period(text: &str) -> Option<(String, String)> {
    let text = plain(text);
    let open = text.rfind(" (")?;
    let period = text[open + 2..].trim_end_matches(')').to_string();
    PERIODS.contains(&period.as_str()).then(|| (text[..open].to_string(), period))
}

/// What one reader gathered.
#[derive(Default)]
struct Attacker {
    readings: Vec<Reading>,
    problems: Vec<String>,
}

impl Attacker {
    fn see(&mut self, source: &str, ind: Ind, period: &str, place: Place, text: &str) {
        match figure(text) {
            Ok(Some(shown)) => self.readings.push(Reading { source: source.to_string(), ind, period: period.to_string(), place, shown }),
            Ok(None) => {}
            Err(e) => self.problems.push(format!("{source}: {e}")),
        }
    }

    fn see_json(&mut self, source: &str, ind: Ind, period: &str, place: Place, value: &serde_json::Value) {
        for number in [value.get("value"), value.get("numerator"), value.get("denominator"), value.is_number().then_some(value)].into_iter().flatten() {
            if number.as_f64().is_some_and(|v| (v * 10.0 - (v * 10.0).round()).abs() > 1e-9) {
                self.problems.push(format!("{source}: more precise than its label: {number}"));
            }
        }
        if let Some(shown) = json_figure(value) {
            self.readings.push(Reading { source: source.to_string(), ind, period: period.to_string(), place, shown });
        }
    }

    /// The card: the trend table and chart, the table per area and its bars.
    fn read_card(&mut self, source: &str, ind: Ind, body: &str) {
        let trend = between(body, "class=\"rg-trend\">", "</svg>").unwrap_or_default();
        // The chart: each point's label above it, the periods on the axis by their x.
        let axis: BTreeMap<String, String> = trend
            .split("<text x=\"")
            .skip(1)
            .filter(|t| t.contains("y=\"220\""))
            .filter_map(|t| Some((t.split('"').next()?.to_string(), between(t, ">", "</text>")?.to_string())))
            .collect();
        let top = between(trend, "y=\"24\" text-anchor=\"end\" class=\"rg-ticklabel\">", "</text>").and_then(|t| t.replace(',', ".").parse::<f64>().ok());
        for point in trend.split("<circle cx=\"").skip(1) {
            let x = point.split('"').next().unwrap_or_default().to_string();
            let cy = between(point, "cy=\"", "\"").and_then(|y| y.parse::<f64>().ok());
            let label = between(point, "class=\"rg-ticklabel\">", "</text>").unwrap_or_default();
            let Some(period) = axis.get(&x) else { continue };
            self.see(&format!("{source} (trend chart)"), ind, period, Place::Total, label);
            // The geometry carries no more than the label: the point's height is the label's.
            if let (Some(top), Some(cy), Ok(Some(Shown::Value { v, .. }))) = (top, cy, figure(label)) {
                let drawn = (200.0 - cy) / 180.0 * top;
                if (drawn - v).abs() > top / 180.0 {
                    self.problems.push(format!("{source}: the trend chart draws {period} at {drawn:.2}, labelled {v}"));
                }
            }
        }
        for word in contents(trend, "<text", "</text>").into_iter().filter(|t| t.starts_with("geheim") || t.starts_with("secret")) {
            // A withheld point names no period in the chart itself: the table below does.
            let _ = word;
        }
        let table = between(body, "Waarde, streefwaarde en koers per periode</caption>", "</table>").unwrap_or_default();
        for row in contents(table, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" scope=\"row\"", "</tr>") {
            let period = row.split("</th>").next().unwrap_or_default().to_string();
            let value = contents(row, "<td class=\"utrecht-table__cell\"", "</td>").first().copied().unwrap_or_default();
            self.see(&format!("{source} (trend table)"), ind, &period, Place::Total, value);
        }
        // Every table per area, in whatever period it names.
        for period in PERIODS {
            if let Some(rows) = between(body, &format!("Per gebied in {period}</caption>"), "</table>") {
                for row in contents(rows, "scope=\"row\"", "</tr>") {
                    let label = row.split("</th>").next().unwrap_or_default();
                    let value = contents(row, "<td class=\"utrecht-table__cell\"", "</td>").first().copied().unwrap_or_default();
                    match place_of(label) {
                        Some(place) => self.see(&format!("{source} (table per area)"), ind, period, place, value),
                        None => self.problems.push(format!("{source}: an area table row names no area: {label}")),
                    }
                }
            }
            if let Some(svg) = body.split(&format!("Per gebied in {period}</h3>")).nth(1).and_then(|r| between(r, "class=\"rg-areas\">", "</svg>")) {
                // The bars: each label, its bar's width and the figure beside it.
                let widths: Vec<(Option<f64>, &str)> = svg
                    .split("class=\"rg-barlabel\">")
                    .skip(1)
                    .map(|row| {
                        let width = between(row, "width=\"", "\"").filter(|_| row.contains("class=\"rg-bar\"")).and_then(|w| w.parse::<f64>().ok());
                        (width, contents(row, "<text", "</text>").first().copied().unwrap_or_default())
                    })
                    .collect();
                let labels: Vec<&str> = svg.split("class=\"rg-barlabel\">").skip(1).map(|row| row.split("</text>").next().unwrap_or_default()).collect();
                let scale =
                    widths.iter().filter_map(|(w, t)| Some((*w)? / figure(t).ok()??.value()?)).fold(None::<f64>, |a, s| Some(a.map_or(s, |a| a.max(s))));
                for ((width, text), label) in widths.iter().zip(&labels) {
                    let Some(place) = place_of(label) else { continue };
                    self.see(&format!("{source} (bars)"), ind, period, place.clone(), text);
                    if let (Some(w), Some(scale), Ok(Some(Shown::Value { v, .. }))) = (width, scale, figure(text))
                        && (w / scale - v).abs() > 0.5 / scale + 1e-9
                    {
                        self.problems.push(format!(
                            "{source}: the bar of {} is {w} wide, {} at the scale of the others, labelled {v}",
                            name_of(&place),
                            w / scale
                        ));
                    }
                }
            }
        }
    }

    /// A CSV or XLSX export: rows of period, area code, name, value.
    fn read_export(&mut self, source: &str, ind: Ind, file: &[u8]) {
        let rows: Vec<Vec<String>> = if file.starts_with(b"PK") {
            use calamine::Reader;
            let mut book = match calamine::open_workbook_auto_from_rs(std::io::Cursor::new(file.to_vec())) {
                Ok(book) => book,
                Err(e) => return self.problems.push(format!("{source}: unreadable XLSX: {e}")),
            };
            let Some(Ok(range)) = book.worksheet_range_at(0) else { return self.problems.push(format!("{source}: no sheet")) };
            range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            // Every digit the cell holds: a number carries its full precision.
                            calamine::Data::Float(f) => format!("{f}"),
                            calamine::Data::Int(i) => i.to_string(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect()
        } else {
            match domain::table::read(file, domain::table::Limits::default()) {
                Ok(table) => std::iter::once(table.header.clone()).chain(table.rows.iter().map(|r| r.cells.clone())).collect(),
                Err(e) => return self.problems.push(format!("{source}: unreadable: {e:?}")),
            }
        };
        let mut lines = rows.into_iter();
        if !lines.any(|cells| cells.first().map(String::as_str) == Some("Periode")) {
            return self.problems.push(format!("{source}: no header row"));
        }
        let mut any = false;
        for cells in lines {
            let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or_default();
            if !PERIODS.contains(&cell(0)) {
                continue;
            }
            let place = if cell(1).is_empty() { Place::Total } else { Place::Area(cell(1).to_string()) };
            self.see(source, ind, cell(0), place, cell(3));
            any = true;
        }
        if !any {
            self.problems.push(format!("{source}: no figures"));
        }
    }
}

impl Shown {
    fn value(&self) -> Option<f64> {
        match self {
            Shown::Value { v, .. } => Some(*v),
            Shown::Withheld { .. } => None,
        }
    }
}

/// The tightest interval read of a set of unknowns, and where (the first few paths).
type Tight = (f64, f64, Vec<String>);

/// A case review as the attack records it: age band, offer, barrier.
type Review = (AgeBand, Offer, Option<Barrier>);

/// Every period and place that adds up exactly these unknowns: "2025-H1 WK041501 = BU04150101".
fn cell_name(us: &[usize]) -> String {
    let mut names = Vec::new();
    for period in PERIODS {
        for place in every_place() {
            let mut u = unknowns(period, &place);
            u.sort_unstable();
            if u == us {
                names.push(format!("{period} {}", name_of(&place)));
            }
        }
    }
    if names.is_empty() { format!("{} unknowns", us.len()) } else { names.join(" = ") }
}

/// What the solver proves of every secret cell and every shown count from what one reader read.
fn attack(who: &str, readings: &[Reading], rules: &Rules) -> Vec<String> {
    let mut findings = Vec::new();
    let mut bounds: Vec<Bound> = Vec::new();
    for r in readings {
        let Some((low, high)) = bound_of(r, rules) else { continue };
        let (n, _) = truth(&r.period, &r.place);
        // A figure the data do not bear out is wrong, whatever it protects.
        if n < low - 1e-6 || n > high + 1e-6 {
            findings.push(format!("{who}: {} {} {:?} on {} says {low}..={high}, but it is {n}", r.period, name_of(&r.place), r.ind, r.source));
            continue;
        }
        bounds.push(Bound { period: r.period.clone(), place: r.place.clone(), low, high, source: format!("{:?} on {}", r.ind, r.source) });
    }
    // One constraint per set of unknowns: the tightest of what was read of it.
    let mut tight: BTreeMap<Vec<usize>, Tight> = BTreeMap::new();
    for b in &bounds {
        let mut us = unknowns(&b.period, &b.place);
        us.sort_unstable();
        let e = tight.entry(us).or_insert((f64::NEG_INFINITY, f64::INFINITY, Vec::new()));
        e.0 = e.0.max(b.low);
        e.1 = e.1.min(b.high);
        if e.2.len() < 3 {
            e.2.push(b.source.clone());
        }
    }
    let rows: Vec<(Vec<usize>, f64, f64)> = tight.iter().map(|(us, (l, h, _))| (us.clone(), *l, *h)).collect();
    let shown_counts: BTreeSet<(String, Place)> =
        readings.iter().filter(|r| r.ind == Ind::Count && matches!(r.shown, Shown::Value { .. })).map(|r| (r.period.clone(), r.place.clone())).collect();
    let mut done: BTreeSet<Vec<usize>> = BTreeSet::new();
    for period in PERIODS {
        for place in every_place() {
            let (n, _) = truth(period, &place);
            let secret = n < rules.secret_below;
            let shown = shown_counts.contains(&(period.to_string(), place.clone()));
            let mut us = unknowns(period, &place);
            us.sort_unstable();
            if !(secret || shown) || !done.insert(us.clone()) {
                continue;
            }
            let (low, high) = match interval(&rows, &us) {
                Ok((low, high)) => ((low - 1e-6).ceil().max(0.0) + 0.0, (high + 1e-6).floor() + 0.0),
                Err(e) => {
                    findings.push(format!("{who}: the solver failed on {period} {}: {e}", name_of(&place)));
                    continue;
                }
            };
            // What was read of the cells it lies in, the smallest first: where the interval comes from.
            let mut around: Vec<(&Vec<usize>, &Tight)> = tight.iter().filter(|(u, _)| us.iter().all(|x| u.contains(x))).collect();
            around.sort_by_key(|(u, _)| u.len());
            let from = around
                .iter()
                .take(4)
                .map(|(u, (l, h, s))| format!("{} in [{l}, {h}] from {}", cell_name(u), s.first().map(String::as_str).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; ");
            let from = if from.is_empty() { String::new() } else { format!("\n    read: {from}") };
            let place = cell_name(&us);
            if secret && !domain::disclosure::protected(low, high, rules) {
                findings.push(format!(
                    "{who}: secret {place} (true {n}) is proven to lie in [{low}, {high}]: width {} < {} and not all of 0..={}{from}",
                    high - low,
                    rules.secret_below,
                    rules.secret_below - 1.0
                ));
            }
            if shown && high - low < 0.5 {
                findings.push(format!("{who}: shown count {place} (true {n}) follows exactly: [{low}, {high}]{from}"));
            }
        }
    }
    findings
}

/// The case reviews of the attack: per ended half year, the reviews as (age band, offer,
/// barrier); each small group is what must stay protected.
fn case_reviews() -> Vec<(&'static str, Vec<Review>)> {
    use AgeBand::*;
    use Offer::*;
    let many = |n: usize, r: Review| std::iter::repeat_n(r, n);
    vec![
        (
            "2025-H1",
            many(6, (Van4, Ja, None))
                .chain(many(3, (Van12, Deels, Some(Barrier::Wachtlijst))))
                .chain(many(2, (Van12, Nee, Some(Barrier::Vervoer))))
                .chain(many(1, (Tot4, Nee, Some(Barrier::Wachtlijst))))
                .collect(),
        ),
        ("2025-H2", many(5, (Van4, Ja, None)).chain(many(4, (Van12, Nee, Some(Barrier::GeenAanbod)))).chain(many(1, (Van18, Deels, None))).collect()),
    ]
}

/// The unknowns of the case reviews: per half (0, 1) the number of reviews of each age band,
/// offer and barrier (none last).
fn review_unknown(half: usize, band: usize, offer: usize, barrier: usize) -> usize {
    ((half * AgeBand::ALL.len() + band) * Offer::ALL.len() + offer) * (Barrier::ALL.len() + 1) + barrier
}

fn review_unknowns() -> usize {
    2 * AgeBand::ALL.len() * Offer::ALL.len() * (Barrier::ALL.len() + 1)
}

/// A group of reviews: the unknowns it adds up, for the halves of `period`.
fn review_group(period: &str, band: Option<usize>, offers: &[usize], barrier: Option<usize>) -> Vec<usize> {
    let halves: Vec<usize> = match period {
        "2025-H1" | "2024-2025" => vec![0],
        "2025-H2" | "2025-2026" => vec![1],
        "2025" => vec![0, 1],
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for h in halves {
        for b in 0..AgeBand::ALL.len() {
            for o in 0..Offer::ALL.len() {
                for k in 0..=Barrier::ALL.len() {
                    if band.is_none_or(|x| x == b) && (offers.is_empty() || offers.contains(&o)) && barrier.is_none_or(|x| x == k) {
                        out.push(review_unknown(h, b, o, k));
                    }
                }
            }
        }
    }
    out
}

fn review_truth(us: &[usize]) -> f64 {
    let mut n = 0.0;
    for (h, (_, reviews)) in case_reviews().iter().enumerate() {
        for (band, offer, barrier) in reviews {
            let b = AgeBand::ALL.iter().position(|x| x == band).unwrap_or_default();
            let o = Offer::ALL.iter().position(|x| x == offer).unwrap_or_default();
            let k = barrier.map_or(Barrier::ALL.len(), |x| Barrier::ALL.iter().position(|y| *y == x).unwrap_or_default());
            if us.contains(&review_unknown(h, b, o, k)) {
                n += 1.0;
            }
        }
    }
    n
}

/// The reviews' figures as read: an exact count of a group, or a share (per cent) of one group
/// in another.
#[derive(Debug, Clone)]
enum ReviewFact {
    Count { group: Vec<usize>, v: f64, source: String },
    Share { part: Vec<usize>, whole: Vec<usize>, p: f64, eps: f64, source: String },
}

/// Reads one period's results as the API gives them.
fn read_review_period(facts: &mut Vec<ReviewFact>, problems: &mut Vec<String>, source: &str, p: &serde_json::Value) {
    let period = p["period"].as_str().unwrap_or_default();
    let value = |v: &serde_json::Value| v.get("value").and_then(|x| x.as_f64());
    let eps = |v: &serde_json::Value| half_last_decimal(&v["value"].to_string());
    let all = review_group(period, None, &[], None);
    if all.is_empty() {
        if value(&p["reviewed"]).is_some() {
            problems.push(format!("{source}: {period} shown, but it has no ended half year with reviews"));
        }
        return;
    }
    let (ja, deels) = (0, 1);
    let shown_n = value(&p["reviewed"]);
    if let Some(v) = shown_n {
        facts.push(ReviewFact::Count { group: all.clone(), v, source: format!("{source}: {period} reviewed") });
    }
    for (key, offers) in [("offer", vec![ja]), ("offer_or_partly", vec![ja, deels])] {
        if let Some(share) = value(&p[key]) {
            let part = review_group(period, None, &offers, None);
            facts.push(ReviewFact::Share { part, whole: all.clone(), p: share, eps: eps(&p[key]), source: format!("{source}: {period} {key}") });
        }
    }
    for entry in p["barriers"].as_array().into_iter().flatten() {
        let code = entry["category"].as_str().unwrap_or_default();
        let k = Barrier::ALL.iter().position(|b| b.code() == code).unwrap_or(Barrier::ALL.len());
        if let Some(v) = value(&entry["value"]) {
            facts.push(ReviewFact::Count { group: review_group(period, None, &[], Some(k)), v, source: format!("{source}: {period} barrier {code}") });
        }
    }
    for entry in p["age_bands"].as_array().into_iter().flatten() {
        let code = entry["age_band"].as_str().unwrap_or_default();
        let Some(b) = AgeBand::ALL.iter().position(|x| x.code() == code) else { continue };
        let whole = review_group(period, Some(b), &[], None);
        if let Some(v) = value(&entry["reviewed"]) {
            facts.push(ReviewFact::Count { group: whole.clone(), v, source: format!("{source}: {period} age {code}") });
        }
        if let Some(share) = value(&entry["offer"]) {
            let part = review_group(period, Some(b), &[ja], None);
            facts.push(ReviewFact::Share { part, whole, p: share, eps: eps(&entry["offer"]), source: format!("{source}: {period} age {code} offer") });
        }
    }
}

/// Reads the results page: the table per period and, per half year, the categories.
fn read_review_page(facts: &mut Vec<ReviewFact>, problems: &mut Vec<String>, source: &str, body: &str) {
    let number = |t: &str| {
        figure(t).ok().flatten().and_then(|f| match f {
            Shown::Value { v, eps, .. } => Some((v, eps)),
            Shown::Withheld { .. } => None,
        })
    };
    let table = between(body, "</caption>", "</table>").unwrap_or_default();
    for row in contents(table, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" scope=\"row\"", "</tr>") {
        let period = row.split("</th>").next().unwrap_or_default();
        let cells = contents(row, "<td class=\"utrecht-table__cell\"", "</td>");
        let all = review_group(period, None, &[], None);
        if all.is_empty() {
            if cells.first().and_then(|c| number(c)).is_some() {
                problems.push(format!("{source}: {period} shown, but it has no ended half year with reviews"));
            }
            continue;
        }
        if let Some((v, _)) = cells.first().and_then(|c| number(c)) {
            facts.push(ReviewFact::Count { group: all.clone(), v, source: format!("{source}: {period} reviewed") });
        }
        for (i, offers) in [(1, vec![0]), (2, vec![0, 1])] {
            if let Some((p, eps)) = cells.get(i).and_then(|c| number(c)) {
                facts.push(ReviewFact::Share {
                    part: review_group(period, None, &offers, None),
                    whole: all.clone(),
                    p,
                    eps,
                    source: format!("{source}: {period} share"),
                });
            }
        }
    }
    // The categories: barriers, age bands, domains, each row in the vocabulary's order.
    let categories =
        body.split("<h2 class=\"utrecht-heading-2\">").find(|part| part.contains("rg-tablewrap") && part.matches("<table").count() >= 2).unwrap_or_default();
    let tables: Vec<&str> = contents(categories, "<table", "</table>");
    for (t, table) in tables.iter().enumerate().take(2) {
        let halves: Vec<&str> = contents(table, "scope=\"col\"", "</th>").into_iter().skip(1).collect();
        for (r, row) in contents(table, "scope=\"row\"", "</tr>").into_iter().enumerate() {
            for (half, cell) in halves.iter().zip(contents(row, "<td class=\"utrecht-table__cell\"", "</td>")) {
                let (count, share) = match cell.split_once(" (") {
                    Some((c, rest)) => (c, Some(rest.trim_end_matches(')'))),
                    None => (cell, None),
                };
                let group = if t == 0 { review_group(half, None, &[], Some(r)) } else { review_group(half, Some(r), &[], None) };
                if let Some((v, _)) = number(count) {
                    facts.push(ReviewFact::Count { group: group.clone(), v, source: format!("{source}: {half} category {t}.{r}") });
                    if let Some((p, eps)) = share.and_then(number) {
                        let part = review_group(half, Some(r), &[0], None);
                        facts.push(ReviewFact::Share { part, whole: group, p, eps, source: format!("{source}: {half} age {r} share") });
                    }
                }
            }
        }
    }
}

/// What the solver proves of every small group of reviews: each interval must hold all of
/// 0..min−1 or be at least `min` wide.
fn attack_reviews(who: &str, facts: &[ReviewFact], min: f64) -> Vec<String> {
    let mut findings = Vec::new();
    for fact in facts {
        let fine = match fact {
            ReviewFact::Count { group, v, .. } => review_truth(group) == *v,
            ReviewFact::Share { part, whole, p, eps, .. } => {
                let (a, b) = (review_truth(part), review_truth(whole));
                b > 0.0 && (a / b * 100.0 - p).abs() <= eps + 1e-9
            }
        };
        if !fine {
            let (source, what) = match fact {
                ReviewFact::Count { group, v, source } => (source, format!("{v}, but it is {}", review_truth(group))),
                ReviewFact::Share { part, whole, p, source, .. } => (source, format!("{p}%, but it is {} of {}", review_truth(part), review_truth(whole))),
            };
            findings.push(format!("{who}: {source} says {what}"));
        }
    }
    let n = review_unknowns();
    let solve = |target: &[usize], maximise: bool| -> Result<f64, String> {
        let mut vars = ProblemVariables::new();
        let xs: Vec<Variable> = (0..n).map(|_| vars.add(variable().min(0.0).max(1000.0))).collect();
        let sum = |us: &[usize]| -> Expression { us.iter().map(|u| xs[*u]).sum() };
        let objective = sum(target);
        let mut model = if maximise { vars.maximise(objective.clone()) } else { vars.minimise(objective.clone()) }.using(microlp);
        for fact in facts {
            model = match fact {
                ReviewFact::Count { group, v, .. } => model.with(constraint!(sum(group) == *v)),
                // part / whole within p ± eps per cent: linear in the counts.
                ReviewFact::Share { part, whole, p, eps, .. } => {
                    model.with(constraint!(100.0 * sum(part) >= (p - eps) * sum(whole))).with(constraint!(100.0 * sum(part) <= (p + eps) * sum(whole)))
                }
            };
        }
        model.solve().map(|s| s.eval(&objective)).map_err(|e| format!("{e:?}"))
    };
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for period in ["2025-H1", "2025-H2", "2025"] {
        groups.push((format!("{period} reviewed"), review_group(period, None, &[], None)));
        for (o, offer) in Offer::ALL.iter().enumerate() {
            groups.push((format!("{period} offer {}", offer.code()), review_group(period, None, &[o], None)));
        }
        groups.push((format!("{period} offer ja or deels"), review_group(period, None, &[0, 1], None)));
        groups.push((format!("{period} offer deels or nee"), review_group(period, None, &[1, 2], None)));
        for (b, band) in AgeBand::ALL.iter().enumerate() {
            groups.push((format!("{period} age {}", band.code()), review_group(period, Some(b), &[], None)));
            groups.push((format!("{period} age {} with an offer", band.code()), review_group(period, Some(b), &[0], None)));
        }
        for k in 0..=Barrier::ALL.len() {
            let code = Barrier::ALL.get(k).map_or("geen", |b| b.code());
            groups.push((format!("{period} barrier {code}"), review_group(period, None, &[], Some(k))));
        }
    }
    for (name, group) in groups {
        let truth = review_truth(&group);
        if truth >= min {
            continue;
        }
        match (solve(&group, false), solve(&group, true)) {
            (Ok(low), Ok(high)) => {
                let (low, high) = ((low - 1e-6).ceil().max(0.0) + 0.0, (high + 1e-6).floor() + 0.0);
                if !((low <= 0.0 && high >= min - 1.0) || high - low >= min) {
                    findings.push(format!("{who}: the small group {name} (true {truth}) is proven to lie in [{low}, {high}]"));
                }
            }
            (a, b) => findings.push(format!("{who}: the solver failed on {name}: {a:?} {b:?}")),
        }
    }
    findings
}

#[tokio::test]
async fn an_attacker_reading_every_path_proves_no_secret_cell_narrower_than_the_protection_level() {
    let started = std::time::Instant::now();
    let app = TestApp::new().await;
    let rules = Rules::default();
    let steward = app.user("beheerder@attack.example").await;
    let input = domain::collaboration::CollaborationInput {
        name: "Samen Opgroeien Kromme Rijn en Waterland".into(),
        scale: "regio".into(),
        age_focus: "beide".into(),
        area_codes: GEMEENTEN.iter().map(|g| g.to_string()).collect(),
        ..Default::default()
    };
    let new = domain::collaboration::NewCollaboration::parse(&input, 2024).expect("valid");
    let c = app.db.create_collaboration(&actor(), &new, steward.id()).await.expect("collaboration").id;
    let ambition =
        domain::programme::AmbitionContent::parse(&domain::programme::AmbitionInput { title: "Veilig opgroeien".into(), ..Default::default() }).expect("valid");
    let ambition = app.db.create_ambition(&actor(), c, &ambition).await.expect("ambition").id;
    let goal = domain::programme::GoalContent::parse(&domain::programme::GoalInput { title: "Minder uithuisplaatsingen".into(), ..Default::default() })
        .expect("valid");
    let goal = app.db.create_goal(&actor(), c, ambition, &goal).await.expect("goal").id;
    let count = indicator(&app, c, "ATT-A", "aantal", "", goal).await;
    let rate = indicator(&app, c, "ATT-P", "verhouding", "100", goal).await;
    // The library marks the percentage's numerator as the count's: one joint publication.
    let mut shared = app.db.indicator(c, rate).await.expect("rate");
    shared.content.shares = Some(domain::indicator::Shares { with: count, part: domain::disclosure::SharedPart::Numerator });
    app.db.update_indicator(&actor(), c, rate, shared.version, &shared.content).await.expect("shared");
    let indicators = [(Ind::Count, count, "ATT-A"), (Ind::Rate, rate, "ATT-P")];
    for (ind, id, _) in indicators {
        let mut rows = Vec::new();
        for (b, h1, h2, d1, d2) in BUURTEN {
            let area = AreaCode::parse(b).expect("code");
            for (period, n, d) in [("2025-H1", *h1, *d1), ("2025-H2", *h2, *d2), ("2025", h1 + h2, d1 + d2)] {
                let parts = match ind {
                    Ind::Count => Parts::count(f64::from(n)),
                    Ind::Rate => Parts::ratio(f64::from(n), f64::from(d)),
                };
                rows.push(Measurement { area: area.clone(), period: period.into(), parts });
            }
        }
        app.db.save_measurements(&actor(), c, id, &rows).await.expect("measurements");
        for period in PERIODS {
            app.db.move_measurements(&actor(), c, id, period, MeasurementStatus::Ingediend).await.expect("submit");
            app.db.move_measurements(&actor(), c, id, period, MeasurementStatus::Goedgekeurd).await.expect("approve");
        }
    }
    let mut scopes = Vec::new();
    for (n, members) in SCOPES.iter().enumerate() {
        let input = domain::scope::ScopeInput { name: format!("Werkgebied {n}"), kind: "gebieden".into(), members: members.join("\n"), ..Default::default() };
        scopes.push(app.db.create_scope(&actor(), c, &domain::scope::ScopeContent::parse(&input).expect("valid")).await.expect("scope").id);
    }
    let cycle = domain::cycle::CycleContent { period: "2025-H2".into(), title: "Terugblik".into(), ..Default::default() };
    let cycle = app.db.create_cycle(&actor(), c, &cycle).await.expect("cycle").id;
    let item = |indicator| domain::meeting::AgendaItem {
        title: "De cijfers".into(),
        outcome: domain::meeting::Outcome::Informatie,
        minutes: None,
        note: String::new(),
        agreement: None,
        indicator: Some(indicator),
        result: String::new(),
    };
    let meeting = domain::meeting::MeetingContent {
        body: None,
        date: "2026-01-20".into(),
        time: String::new(),
        minutes: None,
        place: String::new(),
        status: domain::meeting::MeetingStatus::Gepland,
        items: vec![item(count), item(rate)],
        attendance: Vec::new(),
        notes: String::new(),
    };
    let meeting = app.db.create_meetings(&actor(), c, &[meeting]).await.expect("meeting")[0].id;

    let mdo = domain::body::BodyInput { name: "MDO Kromme Rijn".into(), level: "uitvoerend".into(), kind: "mdo".into(), ..Default::default() };
    let mdo = app.db.create_body(&actor(), c, &domain::body::BodyContent::parse(&mdo).expect("valid")).await.expect("body").id;
    let review = |date: &str, (age_band, offer, barrier): Review| CaseReview {
        body: Some(mdo),
        date: date.into(),
        age_band,
        domains: vec![CaseDomain::Onderwijs],
        offer,
        days: None,
        barrier,
        lesson: String::new(),
    };
    for (half, reviews) in case_reviews() {
        let date = if half.ends_with("H1") { "2025-03-10" } else { "2025-10-10" };
        for r in reviews {
            app.db.create_case_review(&actor(), c, &review(date, r)).await.expect("review");
        }
    }
    // And three in the half year that is running: nothing of it may show yet.
    for _ in 0..3 {
        app.db.create_case_review(&actor(), c, &review(&reisgenoot_web::today(), (AgeBand::Van4, Offer::Nee, None))).await.expect("review");
    }

    // A self-scan per sector, answered and closed: six from the gemeente, seven from
    // childcare, two from schools and three from youth care; and a second round still open.
    let beheerder = Auth::Cookie(app.session(&steward).await);
    let template = domain::scan::template("werkzame_elementen").expect("template");
    let questions: String = template.questions().map(|(_, q)| format!("&questions={}", q.key)).collect();
    let mut rounds = Vec::new();
    for title in ["Voorjaar", "Najaar"] {
        let form = format!("template=werkzame_elementen&title={title}&opens=2026-01-01&closes=2099-12-31&min_group=5&split_by=sector{questions}");
        let created = app.post_form(&format!("/samenwerkingen/{c}/scans"), &beheerder, &form).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let round: i64 = created.location().rsplit('/').next().and_then(|id| id.parse().ok()).expect("round id");
        assert_eq!(
            app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/links"), &beheerder, "label=Partners&count=18").await.status,
            StatusCode::SEE_OTHER
        );
        let tokens: Vec<String> = app.db.links(c, round).await.expect("links").into_iter().map(|l| l.token).collect();
        for (i, token) in tokens.iter().enumerate() {
            let (sector, score) = match i {
                0..6 => ("gemeente", 5),
                6..13 => ("kinderopvang", 3),
                13..15 => ("primair_onderwijs", 1),
                _ => ("jeugdhulp", 2),
            };
            let form = format!("sector={sector}&level=beleid&q-e1_1={score}&q-e1_2={score}&q-e2_1=4");
            assert_eq!(app.post_form(&format!("/vragenlijst/{token}"), &Auth::None, &form).await.status, StatusCode::OK);
        }
        rounds.push(round);
    }
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/scans/{}/sluiten", rounds[0]), &beheerder, "").await.status, StatusCode::SEE_OTHER);
    let sectors = [("gemeente", 6.0), ("kinderopvang", 7.0), ("primair_onderwijs", 2.0), ("jeugdhulp", 3.0)];

    let mut all_findings = Vec::new();
    for (email, role) in [("lezer@attack.example", Role::Lezer), ("lid@attack.example", Role::Lid)] {
        let user = app.user(email).await;
        app.member(c, &user, role).await;
        let cookie = Auth::Cookie(app.session(&user).await);
        let token = Auth::Token(app.token(&user).await);
        let mut a = Attacker::default();
        let get = async |path: String, auth: &Auth| -> String {
            let reply = app.get(&path, auth).await;
            assert_eq!(reply.status, StatusCode::OK, "{path} as {role:?}: {}", reply.body);
            reply.body
        };
        // The list, the learning cycle, the agenda card and the goal's perspectives.
        let list = get(format!("/samenwerkingen/{c}/indicatoren"), &cookie).await;
        let cycle_page = get(format!("/samenwerkingen/{c}/cycli/{cycle}"), &cookie).await;
        let meeting_page = get(format!("/samenwerkingen/{c}/vergaderingen/{meeting}"), &cookie).await;
        let programme = get(format!("/samenwerkingen/{c}/programma"), &cookie).await;
        for (ind, id, code) in indicators {
            let name = format!("{code} Indicator {code}</a>");
            let link = format!("/indicatoren/{id}\">{name}");
            match between(&list, &link, "</tr>")
                .map(|row| contents(row, "<td class=\"utrecht-table__cell\"", "</td>"))
                .and_then(|cells| cells.last().copied().and_then(figure_with_period))
            {
                Some((text, period)) => a.see("the list", ind, &period, Place::Total, &text),
                None => a.problems.push(format!("the list: no figure for {code}")),
            }
            match between(&cycle_page, &link, "</tr>").map(|row| contents(row, "<td class=\"utrecht-table__cell\"", "</td>")) {
                Some(cells) if cells.len() >= 4 => a.see("the learning cycle", ind, cells[1], Place::Total, cells[3]),
                _ => a.problems.push(format!("the learning cycle: no figure for {code}")),
            }
            match between(&meeting_page, &format!("<caption class=\"utrecht-table__caption rg-visually-hidden\">{code} Indicator {code}</caption>"), "</table>")
            {
                Some(table) => {
                    for row in contents(table, "scope=\"row\"", "</tr>") {
                        let period = row.split("</th>").next().unwrap_or_default();
                        let value = contents(row, "<td class=\"utrecht-table__cell\"", "</td>").first().copied().unwrap_or_default();
                        a.see("the agenda card", ind, period, Place::Total, value);
                    }
                }
                None => a.problems.push(format!("the agenda card: no table for {code}")),
            }
            match between(&programme, &link, "</li>").and_then(|t| figure_with_period(t.trim_start_matches(':'))) {
                Some((text, period)) => a.see("the goal's perspectives", ind, &period, Place::Total, &text),
                None => a.problems.push(format!("the goal's perspectives: no figure for {code}")),
            }
            // The card, also with each period asked for.
            let card = format!("/samenwerkingen/{c}/indicatoren/{id}");
            for path in std::iter::once(card.clone()).chain(PERIODS.iter().map(|p| format!("{card}?periode={p}"))) {
                let body = get(path.clone(), &cookie).await;
                a.read_card(&path, ind, &body);
            }
            // The exports of page and API.
            for (path, auth) in [
                (format!("{card}/export.csv"), &cookie),
                (format!("{card}/export.xlsx"), &cookie),
                (format!("/api/v1/samenwerkingen/{c}/indicatoren/{id}/export?formaat=csv"), &token),
                (format!("/api/v1/samenwerkingen/{c}/indicatoren/{id}/export?formaat=xlsx"), &token),
            ] {
                let file = app.get_bytes(&path, auth).await;
                a.read_export(&path, ind, &file);
            }
            // The API: the totals, every area's trend, every level's table of every period.
            let api = format!("/api/v1/samenwerkingen/{c}/indicatoren/{id}");
            let totals: serde_json::Value = serde_json::from_str(&get(format!("{api}/metingen"), &token).await).expect("json");
            for entry in totals.as_array().expect("periods") {
                a.see_json(&format!("{api}/metingen"), ind, entry["period"].as_str().unwrap_or_default(), Place::Total, &entry["value"]);
            }
            for area in GEMEENTEN.iter().chain(&WIJKEN).copied().chain(BUURTEN.iter().map(|b| b.0)) {
                let path = format!("{api}/reeks?gebied={area}");
                let trend: serde_json::Value = serde_json::from_str(&get(path.clone(), &token).await).expect("json");
                for entry in trend.as_array().expect("periods") {
                    a.see_json(&path, ind, entry["period"].as_str().unwrap_or_default(), Place::Area(area.to_string()), &entry["value"]);
                }
            }
            for period in PERIODS {
                for level in ["gemeente", "wijk", "buurt"] {
                    let path = format!("{api}/gebieden?periode={period}&niveau={level}");
                    let reply = app.get(&path, &token).await;
                    // The year of an indicator kept per half year is not asked by its own name.
                    if reply.status == StatusCode::BAD_REQUEST && period == "2025" {
                        continue;
                    }
                    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
                    let table = reply.json();
                    a.see_json(&path, ind, period, Place::Total, &table["total"]);
                    for entry in table["areas"].as_array().expect("areas") {
                        a.see_json(&path, ind, period, Place::Area(entry["area"].as_str().unwrap_or_default().to_string()), &entry["value"]);
                    }
                }
            }
        }
        // Working areas, page and API.
        for (s, scope) in scopes.iter().enumerate() {
            let path = format!("/samenwerkingen/{c}/werkgebieden/{scope}");
            let page = get(path.clone(), &cookie).await;
            let table = between(&page, "Cijfers over het werkgebied</caption>", "</table>").unwrap_or_default();
            for row in contents(table, "<tr class=\"utrecht-table__row\"", "</tr>").into_iter().skip(1) {
                let cells = contents(row, "<td class=\"utrecht-table__cell\"", "</td>");
                let Some((ind, ..)) = indicators.iter().find(|(_, id, _)| cells.first().is_some_and(|c| c.contains(&format!("/indicatoren/{id}\"")))) else {
                    continue;
                };
                if cells.len() >= 3 {
                    a.see(&path, *ind, cells[1], Place::Scope(s), cells[2]);
                }
            }
            let path = format!("/api/v1/samenwerkingen/{c}/werkgebieden/{scope}/cijfers");
            let reply: serde_json::Value = serde_json::from_str(&get(path.clone(), &token).await).expect("json");
            for entry in reply.as_array().expect("indicators") {
                let Some((ind, ..)) = indicators.iter().find(|(_, _, code)| entry["code"] == *code) else { continue };
                for f in entry["figures"].as_array().expect("figures") {
                    let figure = &f["figure"];
                    let value = if figure.get("value").is_some() { &figure["value"] } else { figure };
                    a.see_json(&path, *ind, f["period"].as_str().unwrap_or_default(), Place::Scope(s), value);
                }
            }
        }
        // The case-review results, page and API, per half year, year and school year.
        let mut facts = Vec::new();
        for kind in ["halfjaar", "jaar", "schooljaar"] {
            let path = format!("/samenwerkingen/{c}/casusbesprekingen/resultaten?periode={kind}");
            let page = get(path.clone(), &cookie).await;
            read_review_page(&mut facts, &mut a.problems, &path, &page);
            let path = format!("/api/v1/samenwerkingen/{c}/casusbesprekingen/resultaten?periode={kind}");
            let results: serde_json::Value = serde_json::from_str(&get(path.clone(), &token).await).expect("json");
            for p in results["periods"].as_array().expect("periods") {
                read_review_period(&mut facts, &mut a.problems, &path, p);
            }
        }
        assert!(facts.iter().any(|f| matches!(f, ReviewFact::Share { .. })) && facts.len() > 10, "{role:?} read {} review figures", facts.len());
        all_findings.extend(attack_reviews(&format!("{role:?}"), &facts, 5.0));
        // The scans: an open round publishes nothing; of the closed one, the answers per sector
        // as far as shown, and the total. A hidden sector's size must stay within the group.
        for (round, closed) in [(rounds[0], true), (rounds[1], false)] {
            let api = format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten");
            let all: serde_json::Value = serde_json::from_str(&get(api.clone(), &token).await).expect("json");
            let page = get(format!("/samenwerkingen/{c}/scans/{round}/resultaten"), &cookie).await;
            if !closed {
                let figures = all["questions"].as_array().is_some_and(|q| q.iter().any(|q| q["mean"].is_number()));
                if all["published"] != serde_json::json!(false) || figures || page.contains("rg-flag") {
                    a.problems.push(format!("{api}: an open round shows figures: {all}"));
                }
                continue;
            }
            let total = all["answers"].as_f64();
            let mut shown = 0.0;
            let mut hidden = Vec::new();
            for (sector, n) in sectors {
                let path = format!("{api}?groep=sector:{sector}");
                let group: serde_json::Value = serde_json::from_str(&get(path.clone(), &token).await).expect("json");
                // The group's size: the most answers any question of it has.
                let size = group["questions"].as_array().and_then(|q| q.iter().filter_map(|q| q["n"].as_f64()).reduce(f64::max));
                match (group["shown"].as_bool(), size) {
                    (Some(true), Some(v)) => {
                        if v != n {
                            a.problems.push(format!("{path}: {v} answers, but {n} answered"));
                        }
                        shown += v;
                    }
                    _ => hidden.push((sector, n)),
                }
            }
            for format in ["csv", "xlsx"] {
                let file = app.get_bytes(&format!("/samenwerkingen/{c}/scans/{round}/export/{format}"), &cookie).await;
                let table = domain::table::read(&file, domain::table::Limits::default()).expect("a readable export");
                for (sector, _) in &hidden {
                    let label = sector.replace('_', " ");
                    if table.rows.iter().any(|r| r.cells.first().is_some_and(|c| *c == label)) {
                        a.problems.push(format!("the scan's {format} export shows the hidden sector {sector}"));
                    }
                }
            }
            // Each hidden sector lies in [0, total − shown]: that must hold all of 0..=4.
            if let Some(total) = total {
                for (sector, n) in &hidden {
                    if *n < 5.0 && total - shown < 4.0 {
                        a.problems.push(format!("the scan's hidden sector {sector} ({n}) is proven to lie in [0, {}]", total - shown));
                    }
                }
            }
        }
        // Every path gave figures.
        for path in [
            "the list",
            "the learning cycle",
            "the agenda card",
            "the goal's perspectives",
            "(trend table)",
            "(trend chart)",
            "(table per area)",
            "(bars)",
            "/export.csv",
            "/export.xlsx",
            "formaat=csv",
            "formaat=xlsx",
            "/metingen",
            "/reeks?",
            "/gebieden?",
            "/werkgebieden/",
            "/cijfers",
        ] {
            assert!(a.readings.iter().any(|r| r.source.contains(path)), "{role:?}: nothing read on {path}");
        }
        let values = a.readings.iter().filter(|r| matches!(r.shown, Shown::Value { .. })).count();
        assert!(a.readings.len() > 400 && values > 150, "{role:?} read {} figures, {values} of them shown", a.readings.len());
        let who = format!("{role:?}");
        all_findings.extend(a.problems.iter().map(|p| format!("{who}: {p}")));
        all_findings.extend(attack(&who, &a.readings, &rules));
    }
    assert!(all_findings.is_empty(), "{} findings:\n{}", all_findings.len(), all_findings.join("\n"));
    assert!(started.elapsed().as_secs() < 60, "the attack took {:?}", started.elapsed());
}

/// A question's results as read: how many answered, and per option how many chose it.
type QuestionRead = (f64, Vec<(String, f64)>);

/// The self-scans, as an attacker reads them: while a round is open, nothing any reader can
/// fetch (results page, API per group, exports, the round's page) changes with one more
/// answer but the total count of answers; a lid cannot open a round with a group below the
/// floor, nor change a round's grouping (there is no way to); and of a closed round split by
/// sector, per question the total minus every shown sector leaves the hidden respondents'
/// answers either not at all or as at least the minimum group — also where most of the hidden
/// respondents skipped the question.
#[tokio::test]
async fn an_attacker_reading_every_scan_result_isolates_no_group_below_the_minimum() {
    let app = TestApp::new().await;
    let steward = app.user("beheerder@scan.example").await;
    let c = app.collaboration("Scans", &steward).await;
    let beheerder = Auth::Cookie(app.session(&steward).await);
    let lid_user = app.user("lid@scan.example").await;
    app.member(c, &lid_user, Role::Lid).await;
    let lid = Auth::Cookie(app.session(&lid_user).await);
    let mut problems: Vec<String> = Vec::new();
    let template = domain::scan::template("werkzame_elementen").expect("template");
    let questions: String = template.questions().map(|(_, q)| format!("&questions={}", q.key)).collect();
    // A lid, and a beheerder, below the floor of 5: refused, nothing made.
    for who in [&lid, &beheerder] {
        let small = format!("template=werkzame_elementen&title=Klein&opens=2026-01-01&closes=2099-12-31&min_group=3&split_by=sector{questions}");
        let reply = app.post_form(&format!("/samenwerkingen/{c}/scans"), who, &small).await;
        if reply.status == StatusCode::SEE_OTHER {
            problems.push("a round with a minimum group of 3 was opened".into());
        }
    }
    let form = format!("template=werkzame_elementen&title=Najaar&opens=2026-01-01&closes=2099-12-31&min_group=5&split_by=sector{questions}");
    let created = app.post_form(&format!("/samenwerkingen/{c}/scans"), &beheerder, &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let round: i64 = created.location().rsplit('/').next().and_then(|id| id.parse().ok()).expect("round id");
    assert_eq!(
        app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/links"), &beheerder, "label=Persoonlijk&count=19").await.status,
        StatusCode::SEE_OTHER
    );
    let tokens: Vec<String> = app.db.links(c, round).await.expect("links").into_iter().map(|l| l.token).collect();
    // 6 of gemeenten, 7 of childcare, 2 of schools and 3 of youth care; of the five hidden,
    // only two answer the third statement (a leak if it were shown as total minus the rest).
    let respondents: Vec<(&str, u8, bool)> = (0..18)
        .map(|i| match i {
            0..6 => ("gemeente", 5, true),
            6..13 => ("kinderopvang", 3, true),
            13..15 => ("primair_onderwijs", 1, true),
            _ => ("jeugdhulp", 2, false),
        })
        .collect();
    // What a lid reads while the round is open, without the one number that may change.
    let paths = [
        format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten"),
        format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten?groep=sector:gemeente"),
        format!("/samenwerkingen/{c}/scans/{round}/resultaten"),
        format!("/samenwerkingen/{c}/scans/{round}/resultaten?groep=sector:gemeente"),
        format!("/samenwerkingen/{c}/scans/{round}/export/csv"),
    ];
    let lid_token = Auth::Token(app.token(&lid_user).await);
    let read_all = async || -> Vec<String> {
        let mut out = Vec::new();
        for p in &paths {
            let auth = if p.starts_with("/api/") { &lid_token } else { &lid };
            let body = String::from_utf8_lossy(&app.get_bytes(p, auth).await).to_string();
            // The CSRF token and the page's own nonce differ per response.
            out.push(body.lines().filter(|l| !l.contains("csrf") && !l.contains("nonce")).collect::<Vec<_>>().join("\n"));
        }
        out
    };
    let mut before = read_all().await;
    for (i, (sector, score, third)) in respondents.iter().enumerate() {
        let third = if *third { "&q-e2_1=4".to_string() } else { String::new() };
        let text = format!("&q-e1_1={score}&q-e1_2={score}{third}");
        let answered = app.post_form(&format!("/vragenlijst/{}", tokens[i]), &Auth::None, &format!("sector={sector}&level=beleid{text}")).await;
        assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
        let after = read_all().await;
        for (p, (a, b)) in paths.iter().zip(before.iter().zip(&after)) {
            if a != b {
                problems.push(format!("{p} changed with answer {}", i + 1));
            }
        }
        before = after;
    }
    assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/sluiten"), &beheerder, "").await.status, StatusCode::SEE_OTHER);
    // Closed: the same for a lezer and a lid; every question of the total and of each sector.
    let api = format!("/api/v1/samenwerkingen/{c}/scans/{round}/resultaten");
    let json =
        async |path: String| -> serde_json::Value { serde_json::from_str(&String::from_utf8_lossy(&app.get_bytes(&path, &lid_token).await)).expect("json") };
    let total = json(api.clone()).await;
    let n_total = total["answers"].as_f64().unwrap_or_default();
    let mut shown_groups = Vec::new();
    for sector in ["gemeente", "kinderopvang", "primair_onderwijs", "jeugdhulp"] {
        let group = json(format!("{api}?groep=sector:{sector}")).await;
        if group["shown"] == serde_json::json!(true) {
            shown_groups.push((sector, group));
        }
    }
    let questions_of = |v: &serde_json::Value| -> BTreeMap<String, QuestionRead> {
        v["questions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|q| q["withheld"].is_null())
            .map(|q| {
                let counts = q["counts"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| (c[0].as_str().unwrap_or_default().to_string(), c[1].as_f64().unwrap_or_default()))
                    .collect();
                (q["question"].as_str().unwrap_or_default().to_string(), (q["n"].as_f64().unwrap_or_default(), counts))
            })
            .collect()
    };
    let total_questions = questions_of(&total);
    let group_questions: Vec<BTreeMap<String, QuestionRead>> = shown_groups.iter().map(|(_, g)| questions_of(g)).collect();
    let shown_size: f64 = shown_groups.iter().map(|(s, _)| respondents.iter().filter(|r| r.0 == *s).count() as f64).sum();
    for (sector, _) in &shown_groups {
        let size = respondents.iter().filter(|r| r.0 == *sector).count() as f64;
        if size < 5.0 || (n_total - size > 0.0 && n_total - size < 5.0) {
            problems.push(format!("sector {sector} ({size}) or everyone else ({}) is below the minimum", n_total - size));
        }
    }
    if n_total - shown_size > 0.0 && n_total - shown_size < 5.0 {
        problems.push(format!("the hidden sectors together ({}) are below the minimum", n_total - shown_size));
    }
    for (q, (n, counts)) in &total_questions {
        // The hidden respondents' answers: the total minus every shown sector, where each shows it.
        let parts: Option<Vec<&QuestionRead>> = group_questions.iter().map(|g| g.get(q)).collect();
        let Some(parts) = parts else { continue };
        let hidden = n - parts.iter().map(|p| p.0).sum::<f64>();
        if hidden > 0.0 && hidden < 5.0 {
            let answers: Vec<String> = counts
                .iter()
                .map(|(k, v)| format!("{k}: {}", v - parts.iter().map(|p| p.1.iter().find(|(x, _)| x == k).map_or(0.0, |(_, n)| *n)).sum::<f64>()))
                .collect();
            problems.push(format!("question {q}: the total minus the shown sectors gives {hidden} hidden answer(s): {}", answers.join(", ")));
        }
    }
    // The round takes no more answers, and what is published stays as it is.
    app.post_form(&format!("/vragenlijst/{}", tokens[18]), &Auth::None, "sector=gemeente&level=beleid&q-e1_1=1&q-e1_2=1&q-e2_1=1").await;
    if json(api.clone()).await != total {
        problems.push("an answer after closing changed the results of the closed round".into());
    }
    assert!(total_questions.len() >= 2, "the total shows its questions: {total}");
    assert!(problems.is_empty(), "{} findings:\n{}", problems.len(), problems.join("\n"));
}

/// The rows of the results page's table whose caption is `caption`, each as its cells' text.
fn table_rows(body: &str, caption: &str) -> Vec<Vec<String>> {
    let Some(table) = body.find(caption).map(|at| &body[at..]).and_then(|rest| between(rest, "<tbody", "</tbody>")) else {
        return Vec::new();
    };
    contents(table, "<tr", "</tr>").into_iter().map(|row| contents(row, "<t", "</t").into_iter().map(plain).collect()).collect()
}

/// A sector of respondents: its code, size, how many answer both halves of a pair, their model
/// now and wanted, and their sliders now and wanted.
type Sector = (&'static str, usize, usize, (&'static str, &'static str), (u8, u8));

#[tokio::test]
async fn the_now_and_wanted_tables_give_away_no_hidden_group() {
    let app = TestApp::new().await;
    let steward = app.user("beheerder@paren.example").await;
    let c = app.collaboration("Paren", &steward).await;
    let beheerder = Auth::Cookie(app.session(&steward).await);
    let lezer_user = app.user("lezer@paren.example").await;
    app.member(c, &lezer_user, Role::Lezer).await;
    let lezer = Auth::Cookie(app.session(&lezer_user).await);
    let mut problems: Vec<String> = Vec::new();
    // Per sector: how many, how many of them answer both halves of a pair (the model now and
    // wanted; row 1 of the sliders), and what those answer. The others answer one half only
    // (or another row). The three of youth care are hidden; two of the gemeente also place
    // row 2, which no one else does.
    let sectors: [Sector; 3] = [
        ("gemeente", 6, 1, ("keten", "netwerk"), (40, 60)),
        ("kinderopvang", 7, 1, ("schotten", "integraal"), (20, 70)),
        ("jeugdhulp", 3, 3, ("netwerk", "schotten"), (95, 5)),
    ];
    let everyone: usize = sectors.iter().map(|s| s.1).sum();
    let pairing: usize = sectors.iter().map(|s| s.2).sum();
    let caption = |key: &str| reisgenoot_web::i18n::Lang::Nl.t(key).to_string();
    for template in ["samenwerkingsmodel", "perspectiefwisseling"] {
        let t = domain::scan::template(template).expect("template");
        let questions: String = t.questions().map(|(_, q)| format!("&questions={}", q.key)).collect();
        let form = format!("template={template}&title=Paren&opens=2026-01-01&closes=2099-12-31&min_group=5&split_by=sector{questions}");
        let created = app.post_form(&format!("/samenwerkingen/{c}/scans"), &beheerder, &form).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let round: i64 = created.location().rsplit('/').next().and_then(|id| id.parse().ok()).expect("round id");
        app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/links"), &beheerder, &format!("label=Open&count={everyone}")).await;
        let tokens: Vec<String> = app.db.links(c, round).await.expect("links").into_iter().map(|l| l.token).collect();
        let mut i = 0;
        for (sector, n, pairs, (now, wanted), (from, to)) in sectors {
            for k in 0..n {
                let answers = match (template, k < pairs) {
                    ("samenwerkingsmodel", true) => format!("&q-model_now={now}&q-model_wanted={wanted}"),
                    ("samenwerkingsmodel", false) => format!("&q-model_now={now}"),
                    (_, true) => format!("&q-r1_now={from}&q-r1_wanted={to}"),
                    (_, false) if sector == "gemeente" && k < 3 => "&q-r2_now=10&q-r2_wanted=90".to_string(),
                    (_, false) => "&q-r3_now=50&q-r3_wanted=50".to_string(),
                };
                let answered = app.post_form(&format!("/vragenlijst/{}", tokens[i]), &Auth::None, &format!("sector={sector}&level=beleid{answers}")).await;
                assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
                i += 1;
            }
        }
        assert_eq!(app.post_form(&format!("/samenwerkingen/{c}/scans/{round}/sluiten"), &beheerder, "").await.status, StatusCode::SEE_OTHER);
        let page = async |groep: &str| app.get(&format!("/samenwerkingen/{c}/scans/{round}/resultaten?groep={groep}"), &lezer).await.body;
        // Every view: the total and each sector, with how many answered both halves of a pair.
        let mut views = vec![("alle", pairing, page("").await)];
        for (sector, _, pairs, ..) in sectors {
            views.push((sector, pairs, page(&format!("sector:{sector}")).await));
        }
        if template == "samenwerkingsmodel" {
            let table = |body: &str| -> BTreeMap<(String, String), f64> {
                table_rows(body, &caption("scans.models_caption"))
                    .into_iter()
                    .filter(|r| r.len() == 3)
                    .map(|r| ((r[0].clone(), r[1].clone()), r[2].parse().unwrap_or_default()))
                    .collect()
            };
            let mut hidden = table(&views[0].2);
            for (name, _, body) in &views {
                let shown = table(body);
                let size: f64 = shown.values().sum();
                if size > 0.0 && size < 5.0 {
                    problems.push(format!("{name}: the now/wanted table shows {size} people's choices: {shown:?}"));
                }
                if *name != "alle" {
                    for (pair, n) in shown {
                        *hidden.entry(pair).or_default() -= n;
                    }
                }
            }
            let left: f64 = hidden.values().sum();
            if left > 0.0 && left < 5.0 {
                problems.push(format!("the total minus the shown sectors' now/wanted tables gives {left} hidden choices: {hidden:?}"));
            }
        } else {
            // Row 1 as (now, wanted) means per view; row 2 has three answers in all.
            let rows = |body: &str| table_rows(body, &caption("scans.shift_caption"));
            let mean = |v: &str| v.replace(',', ".").parse::<f64>().ok();
            let first = |body: &str| rows(body).first().and_then(|r| Some((mean(r.get(1)?)?, mean(r.get(2)?)?)));
            for (name, placed, body) in &views {
                if let Some(row) = rows(body).get(1).filter(|r| r.len() == 4 && (mean(&r[1]).is_some() || mean(&r[2]).is_some())) {
                    problems.push(format!("{name}: the second row, placed by three people, shows {row:?}"));
                }
                if let Some(m) = first(body).filter(|_| *placed < 5) {
                    problems.push(format!("{name}: the first row, placed by {placed}, shows {m:?}"));
                }
            }
            if let Some((now, wanted)) = first(&views[0].2) {
                let shown: Vec<(usize, (f64, f64))> = views[1..].iter().filter_map(|(_, placed, body)| first(body).map(|m| (*placed, m))).collect();
                let count = pairing - shown.iter().map(|(n, _)| n).sum::<usize>();
                if count > 0 && count < 5 {
                    let rest = |pick: fn(&(f64, f64)) -> f64, all: f64| {
                        (all * pairing as f64 - shown.iter().map(|(n, m)| *n as f64 * pick(m)).sum::<f64>()) / count as f64
                    };
                    problems.push(format!(
                        "the total minus the shown sectors places the {count} hidden at now ≈ {:.0}, wanted ≈ {:.0}",
                        rest(|m| m.0, now),
                        rest(|m| m.1, wanted)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} findings:\n{}", problems.len(), problems.join("\n"));
}
