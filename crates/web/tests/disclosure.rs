//! The disclosure probe: a collaboration whose approved measurements are full of small counts,
//! counts that must be rounded and small denominators, over several gemeenten and over the
//! wijken and buurten of one gemeente, read by a lezer and a lid through every path an
//! indicator's figures leave by — the card (its tables and both charts), the list, the learning
//! cycle, the API (card, measurements, trend per area, areas per level), the CSV and XLSX
//! exports of page and API, and working areas (page and API) over single and overlapping areas. Every figure found is held against the measurements it comes from:
//!
//! - a count is shown only from 8, and then as its own value rounded to a multiple of 5;
//! - a ratio is shown only over a denominator of at least 100, and then as its own value;
//! - a table never shows its total beside exactly one secret cell (the cell would follow);
//! - one area in one period is shown the same way on every path, so a cell that one table
//!   keeps secret to protect a neighbour does not turn up on another;
//! - secret is a word (or `{"state": "secret"}`), never 0 and never an empty cell;
//! - no raw part ("7 / 13") reaches anyone but the steward, whose every look is logged.
//!
//! Every figure is a cell of the indicator's publication, audited across levels, working areas
//! and periods at once (`domain::disclosure`); `publication.rs` tests a wijk beside its buurten.
//!
//! Runs on the backend that `REISGENOOT_TEST_DATABASE` names (SQLite by default).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Auth, HOST, TestApp, actor, web};
use domain::access::Role;
use domain::area::{AreaCode, AreaLevel};
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
use domain::measure::{IndicatorKind, Parts};
use http_body_util::BodyExt;
use std::collections::BTreeMap;
use tower::ServiceExt;

/// One indicator of the probe and its measurements: (period, area, numerator, denominator).
struct Probe {
    code: &'static str,
    kind: IndicatorKind,
    approved: Vec<(&'static str, &'static str, f64, Option<f64>)>,
    /// Left as drafts: never part of a published figure.
    drafts: Vec<(&'static str, &'static str, f64, Option<f64>)>,
}

fn probes() -> Vec<Probe> {
    let count = |p, a, n| (p, a, n, None);
    let ratio = |p, a, n, d| (p, a, n, Some(d));
    vec![
        Probe {
            code: "PRB-A",
            kind: IndicatorKind::Aantal,
            approved: vec![
                // 2024, four gemeenten: Utrecht by buurt (12 + 13 + 3 + 0 = 28 → 30), Amsterdam by
                // wijk (6: the one secret gemeente), Groningen whole (9 → 10, the smallest shown,
                // so secret too), Rotterdam whole (52 → 50). Total 95.
                count("2024", "BU03440111", 12.0),
                count("2024", "BU03440112", 13.0),
                count("2024", "BU03440211", 3.0),
                count("2024", "BU03440113", 0.0),
                count("2024", "WK0363AD", 6.0),
                count("2024", "GM0014", 9.0),
                count("2024", "GM0599", 52.0),
                // 2025, only Utrecht's buurten: 12 → 10, 13 → 15, 7 secret, 40; one secret, so 12
                // is secret too. Total 72 → 70.
                count("2025", "BU03440111", 12.0),
                count("2025", "BU03440112", 13.0),
                count("2025", "BU03440211", 7.0),
                count("2025", "BU03440212", 40.0),
            ],
            drafts: vec![count("2025", "BU03440213", 2.0), count("2023", "GM0344", 11.0)],
        },
        Probe {
            code: "PRB-V",
            kind: IndicatorKind::Verhouding,
            approved: vec![
                // 2024: Utrecht by buurt (30/120, 12/95, 20/150), Groningen 5/60 (the one secret
                // gemeente), Rotterdam 40/400, Amsterdam 13/130 (the smallest shown: secret too).
                ratio("2024", "BU03440111", 30.0, 120.0),
                ratio("2024", "BU03440112", 12.0, 95.0),
                ratio("2024", "BU03440211", 20.0, 150.0),
                ratio("2024", "GM0014", 5.0, 60.0),
                ratio("2024", "GM0599", 40.0, 400.0),
                ratio("2024", "GM0363", 13.0, 130.0),
                // 2025, Utrecht's buurten: 7/13 withheld, and 33/140 with it (its wijk is shown).
                ratio("2025", "BU03440111", 33.0, 140.0),
                ratio("2025", "BU03440112", 7.0, 13.0),
                ratio("2025", "BU03440211", 25.0, 210.0),
                ratio("2025", "BU03440212", 12.0, 105.0),
            ],
            drafts: vec![ratio("2025", "BU03440213", 1.0, 4.0)],
        },
    ]
}

/// The classification of the probe: the areas it measures and no others, so that each of its
/// wijken and gemeenten is measured whole (what is shown of a partly measured one is
/// `rollup.rs`'s subject).
const CLASSIFICATION: &[&str] = &["GM0344", "BU03440111", "BU03440112", "BU03440211", "WK0363AD", "GM0014", "GM0599"];

/// Every area the probe's measurements lie in, at each level.
const AREAS: &[&str] =
    &["GM0344", "GM0363", "GM0014", "GM0599", "WK034401", "WK034402", "WK0363AD", "BU03440111", "BU03440112", "BU03440113", "BU03440211", "BU03440212"];

impl Probe {
    fn rows(&self, period: &str) -> Vec<(AreaCode, Parts)> {
        self.approved
            .iter()
            .filter(|(p, ..)| *p == period)
            .map(|(_, a, n, d)| (AreaCode::parse(a).expect("code"), Parts { numerator: *n, denominator: *d }))
            .collect()
    }

    /// The measured figure of an area (its own, else its wijken, else its buurten), or of the
    /// whole collaboration (`None`), worked out here from the rows. The probe's classification
    /// (`CLASSIFICATION`) makes every area with a figure whole.
    fn truth(&self, period: &str, area: Option<&str>) -> Option<Parts> {
        let rows = self.rows(period);
        let Some(area) = area else {
            let mut per: BTreeMap<AreaCode, Parts> = BTreeMap::new();
            for gemeente in rows.iter().map(|(a, _)| a.gemeente()).collect::<std::collections::BTreeSet<_>>() {
                per.insert(gemeente.clone(), self.truth(period, Some(gemeente.as_str()))?);
            }
            return (!per.is_empty()).then(|| Parts::sum(per.values()));
        };
        let area = AreaCode::parse(area).expect("code");
        let inside = |level: AreaLevel| -> Vec<&Parts> {
            rows.iter().filter(|(a, _)| a.level() == level && a.as_str()[2..].starts_with(&area.as_str()[2..])).map(|(_, p)| p).collect()
        };
        let levels = match area.level() {
            AreaLevel::Gemeente => vec![AreaLevel::Gemeente, AreaLevel::Wijk, AreaLevel::Buurt],
            AreaLevel::Wijk => vec![AreaLevel::Wijk, AreaLevel::Buurt],
            AreaLevel::Buurt => vec![AreaLevel::Buurt],
        };
        levels.into_iter().map(inside).find(|parts| !parts.is_empty()).map(Parts::sum)
    }

    /// Every raw part as the steward's table writes it: "12" or "7 / 13".
    fn raw_texts(&self) -> Vec<String> {
        self.approved.iter().chain(&self.drafts).map(|(_, _, n, d)| format!("{n}{}", d.map(|d| format!(" / {d}")).unwrap_or_default())).collect()
    }
}

/// A figure as found: a value, or secret.
type State = Option<f64>;

/// One figure found on one path.
struct Seen {
    path: String,
    code: &'static str,
    period: String,
    /// None for the collaboration's total.
    area: Option<String>,
    state: State,
}

/// One area (none: the total) of one indicator in one period.
type CellKey<'a> = (&'a str, String, Option<String>);

/// A total shown together with the cells it adds up from.
struct Table {
    path: String,
    head: State,
    cells: Vec<State>,
}

#[derive(Default)]
struct Findings {
    seen: Vec<Seen>,
    tables: Vec<Table>,
    failures: Vec<String>,
}

impl Findings {
    fn see(&mut self, path: &str, code: &'static str, period: &str, area: Option<&str>, state: State) {
        self.seen.push(Seen { path: path.to_string(), code, period: period.to_string(), area: area.map(str::to_string), state });
    }

    fn fail(&mut self, what: String) {
        self.failures.push(what);
    }
}

/// A figure as a page, a file or JSON writes it: "geheim"/"secret", "30", "16,9" or 16.98.
fn state_of(text: &str) -> Result<State, String> {
    let text = text.trim();
    match text {
        "geheim" | "secret" | "te kleine noemer" | "denominator too small" => Ok(None),
        _ => text.replace(',', ".").parse::<f64>().map(Some).map_err(|_| format!("not a figure: {text:?}")),
    }
}

fn json_state(value: &serde_json::Value) -> Result<State, String> {
    match (value["state"].as_str(), value.get("value")) {
        (Some("secret" | "denominator"), None) => Ok(None),
        (Some("value"), Some(v)) => v.as_f64().map(Some).ok_or_else(|| format!("not a number: {value}")),
        _ => Err(format!("not a published figure: {value}")),
    }
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

/// The code in a label "Name (CODE)", or the label when it is a code.
fn code_in(label: &str) -> String {
    let label = label.trim();
    match label.rfind('(') {
        Some(at) if label.ends_with(')') => label[at + 1..label.len() - 1].to_string(),
        _ => label.to_string(),
    }
}

async fn bytes(app: &TestApp, path: &str, auth: &Auth) -> (StatusCode, String, Vec<u8>) {
    let mut request = Request::builder().uri(path).header("host", HOST);
    match auth {
        Auth::Cookie(secret) => request = request.header("cookie", format!("{}={secret}", web::session::COOKIE)),
        Auth::Token(token) => request = request.header("authorization", format!("Bearer {token}")),
        Auth::None => {}
    }
    let response = app.router.clone().oneshot(request.body(Body::empty()).expect("request")).await.expect("response");
    let status = response.status();
    let disposition = response.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    (status, format!("{content_type} | {disposition}"), body)
}

/// Reads the card's figures: the trend table and chart, the table per area and its bars.
fn read_card(f: &mut Findings, path: &str, code: &'static str, body: &str) {
    let trend_table = between(body, "Waarde, streefwaarde en koers per periode</caption>", "</table>").unwrap_or_default();
    let mut totals = Vec::new();
    for row in contents(trend_table, "<tr class=\"utrecht-table__row\"><th class=\"utrecht-table__header-cell\" scope=\"row\"", "</tr>") {
        let period = row.split("</th>").next().unwrap_or_default().to_string();
        let value = contents(row, "<td class=\"utrecht-table__cell\"", "</td>").first().copied().unwrap_or_default();
        match state_of(value) {
            Ok(state) => {
                f.see(path, code, &period, None, state);
                totals.push((period, state));
            }
            Err(e) => f.fail(format!("{path}: trend table: {e}")),
        }
    }
    if totals.is_empty() {
        f.fail(format!("{path}: no trend table"));
        return;
    }
    // The trend chart: a point with its label for each shown total, the word for each secret one.
    let chart = between(body, "class=\"rg-trend\">", "</svg>").unwrap_or_default();
    let mut points: Vec<State> = contents(chart, "class=\"rg-point\"/><text", "</text>").into_iter().filter_map(|t| state_of(t).ok()).collect();
    let secrets = contents(chart, "<text", "</text>").into_iter().filter(|t| *t == "geheim").count();
    let mut expected: Vec<State> = totals.iter().filter_map(|(_, s)| *s).map(Some).collect();
    points.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    expected.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
    if points != expected || secrets != totals.iter().filter(|(_, s)| s.is_none()).count() {
        f.fail(format!("{path}: the trend chart draws {points:?} and {secrets} secret, the table {totals:?}"));
    }
    // The latest period per area: the table, and the bars beside it in the same order.
    let (latest, head) = totals.last().cloned().expect("a period");
    let areas = between(body, &format!("Per gebied in {latest}</caption>"), "</table>").unwrap_or_default();
    let mut cells = Vec::new();
    for row in contents(areas, "scope=\"row\"", "</tr>") {
        let label = row.split("</th>").next().unwrap_or_default();
        let value = contents(row, "<td class=\"utrecht-table__cell\"", "</td>").first().copied().unwrap_or_default();
        match state_of(value) {
            Ok(state) => {
                f.see(path, code, &latest, Some(&code_in(label)), state);
                cells.push(state);
            }
            Err(e) => f.fail(format!("{path}: table per area: {e}")),
        }
    }
    f.tables.push(Table { path: format!("{path} (table per area)"), head, cells: cells.clone() });
    let svg = between(body, "class=\"rg-areas\">", "</svg>").unwrap_or_default();
    if !svg.contains("<title id=\"areas-title\">")
        || !svg.contains("<desc id=\"areas-desc\">")
        || !body.contains("role=\"img\" aria-labelledby=\"areas-title areas-desc\"")
    {
        f.fail(format!("{path}: the bars have no title, description or role"));
    }
    let bars: Vec<Result<State, String>> = svg
        .split("class=\"rg-barlabel\">")
        .skip(1)
        .map(|row| match (row.contains("class=\"rg-bar\""), contents(row, "<text", "</text>").first()) {
            (true, Some(value)) => state_of(value).and_then(|s| s.map(Some).ok_or_else(|| "a bar drawn for a secret area".to_string())),
            (false, Some(&"geheim")) => Ok(None),
            (_, other) => Err(format!("a row of bars without its figure: {other:?}")),
        })
        .collect();
    if bars.len() != cells.len() || bars.iter().zip(&cells).any(|(bar, cell)| bar.as_ref().ok() != Some(cell)) {
        f.fail(format!("{path}: the bars {bars:?} do not show the table's {cells:?}"));
    }
    if svg.matches("class=\"rg-bar\"").count() != cells.iter().filter(|c| c.is_some()).count() {
        f.fail(format!("{path}: a bar for a secret area"));
    }
}

/// Reads an export back: the figures below the header row, per period the total and its areas.
fn read_export(f: &mut Findings, path: &str, code: &'static str, file: &[u8]) {
    let table = match domain::table::read(file, domain::table::Limits::default()) {
        Ok(table) => table,
        Err(e) => return f.fail(format!("{path}: unreadable: {e:?}")),
    };
    let mut lines = std::iter::once(table.header.clone()).chain(table.rows.iter().map(|r| r.cells.clone()));
    if !lines.any(|cells| cells.first().map(String::as_str) == Some("Periode")) {
        return f.fail(format!("{path}: no header row"));
    }
    let mut periods: BTreeMap<String, (State, Vec<State>)> = BTreeMap::new();
    for cells in lines {
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or_default();
        let state = match state_of(cell(3)) {
            Ok(state) => state,
            Err(e) => {
                f.fail(format!("{path}: {e} in {cells:?}"));
                continue;
            }
        };
        let entry = periods.entry(cell(0).to_string()).or_insert((None, Vec::new()));
        if cell(1).is_empty() {
            entry.0 = state;
            f.see(path, code, cell(0), None, state);
        } else {
            entry.1.push(state);
            f.see(path, code, cell(0), Some(cell(1)), state);
        }
    }
    if periods.is_empty() {
        f.fail(format!("{path}: no figures"));
    }
    for (period, (head, cells)) in periods {
        f.tables.push(Table { path: format!("{path} ({period})"), head, cells });
    }
}

/// The figure of one indicator in a row of a page's table (the list, the learning cycle): the
/// `nth` cell after the row that names the indicator.
fn row_figure(body: &str, name: &str, nth: usize) -> Option<String> {
    let row = between(body, &format!("{name}</a></th>"), "</tr>")?;
    contents(row, "<td class=\"utrecht-table__cell\"", "</td>").get(nth).map(|s| s.to_string())
}

/// Holds every finding against the measurements.
fn judge(f: &mut Findings, probes: &[Probe]) {
    let rules = domain::measure::Rules::default();
    let mut failures = Vec::new();
    let mut by_cell: BTreeMap<CellKey, Vec<(&str, State)>> = BTreeMap::new();
    for s in &f.seen {
        let probe = probes.iter().find(|p| p.code == s.code).expect("probe");
        let Some(parts) = probe.truth(&s.period, s.area.as_deref()) else {
            failures.push(format!("{}: a figure for {} {:?} where nothing was approved", s.path, s.period, s.area));
            continue;
        };
        let what = format!("{}: {} {} {:?} shown as {:?} from {parts:?}", s.path, s.code, s.period, s.area, s.state);
        match (probe.kind, s.state) {
            (IndicatorKind::Aantal, Some(v)) => {
                if parts.numerator < rules.secret_below {
                    failures.push(format!("a count below 8 is shown: {what}"));
                }
                if v % rules.round_to != 0.0 || v != (parts.numerator / rules.round_to).round() * rules.round_to {
                    failures.push(format!("a count not rounded to a multiple of 5: {what}"));
                }
            }
            (_, Some(v)) => {
                let d = parts.denominator.unwrap_or(0.0);
                if d < rules.min_denominator {
                    failures.push(format!("a ratio over a denominator below 100 is shown: {what}"));
                } else if parts.numerator < rules.secret_below {
                    failures.push(format!("a ratio whose numerator is a secret count is shown: {what}"));
                } else {
                    // From the parts as they would be published, with one decimal: no more
                    // precision than the label, and no numerator to take back.
                    let round = |x: f64| (x / rules.round_to).round() * rules.round_to;
                    let published = (round(parts.numerator) / round(d) * 1000.0).round() / 10.0;
                    if v != published {
                        failures.push(format!("a ratio that is not the published one ({published}): {what}"));
                    }
                }
            }
            (_, None) => {}
        }
        let small = match probe.kind {
            IndicatorKind::Aantal => parts.numerator < rules.secret_below,
            _ => parts.denominator.unwrap_or(0.0) < rules.min_denominator,
        };
        if small && s.state.is_some() {
            failures.push(format!("a small figure is not secret: {what}"));
        }
        by_cell.entry((s.code, s.period.clone(), s.area.clone())).or_default().push((&s.path, s.state));
    }
    for ((code, period, area), states) in by_cell {
        let (_, first) = states[0];
        let differs = |s: &State| match (s, first) {
            (Some(a), Some(b)) => (a - b).abs() > 0.051,
            (a, b) => a.is_some() != b.is_some(),
        };
        if states.iter().any(|(_, s)| differs(s)) {
            failures.push(format!("{code} {period} {area:?} is shown differently on different paths: {states:?}"));
        }
    }
    for t in &f.tables {
        if t.head.is_some() && t.cells.iter().filter(|c| c.is_none()).count() == 1 {
            failures.push(format!("{}: the total {:?} beside exactly one secret cell {:?}", t.path, t.head, t.cells));
        }
    }
    f.failures.extend(failures);
}

async fn indicator(app: &TestApp, c: CollaborationId, probe: &Probe) -> i64 {
    let input = IndicatorInput {
        code: probe.code.into(),
        name: format!("Indicator {}", probe.code),
        definition: "Een proef op wat er naar buiten gaat.".into(),
        unit: if probe.kind == IndicatorKind::Aantal { "kinderen".into() } else { "procent".into() },
        kind: probe.kind.code().into(),
        factor: if probe.kind == IndicatorKind::Aantal { "1".into() } else { "100".into() },
        direction: "lager_beter".into(),
        perspective: "eindgebruiker".into(),
        period_type: "jaar".into(),
        baseline: "40".into(),
        targets: "2024: 35\n2025: 30".into(),
        ..Default::default()
    };
    let id = app.db.create_indicator(&actor(), c, &IndicatorContent::parse(&input).expect("valid")).await.expect("indicator").id;
    let measurement = |(period, area, n, d): &(&str, &str, f64, Option<f64>)| Measurement {
        area: AreaCode::parse(area).expect("code"),
        period: period.to_string(),
        parts: Parts { numerator: *n, denominator: *d },
    };
    let approved: Vec<Measurement> = probe.approved.iter().map(measurement).collect();
    app.db.save_measurements(&actor(), c, id, &approved).await.expect("measurements");
    for period in ["2024", "2025"] {
        app.db.move_measurements(&actor(), c, id, period, MeasurementStatus::Ingediend).await.expect("submit");
        app.db.move_measurements(&actor(), c, id, period, MeasurementStatus::Goedgekeurd).await.expect("approve");
    }
    let drafts: Vec<Measurement> = probe.drafts.iter().map(measurement).collect();
    app.db.save_measurements(&actor(), c, id, &drafts).await.expect("drafts");
    id
}

#[tokio::test]
async fn no_path_publishes_what_the_rules_keep_secret() {
    let app = TestApp::new().await;
    let steward = app.user("beheerder@probe.example").await;
    let c = app.collaboration("Proef", &steward).await;
    app.classification(CLASSIFICATION).await;
    let probes = probes();
    let mut ids = Vec::new();
    for probe in &probes {
        ids.push(indicator(&app, c, probe).await);
    }
    let cycle = domain::cycle::CycleContent { period: "2025-H1".into(), title: "Eerste helft".into(), ..Default::default() };
    let cycle = app.db.create_cycle(&actor(), c, &cycle).await.expect("cycle").id;
    // Working areas: every probe area alone, and overlapping sets across levels and gemeenten.
    let mut scopes: Vec<(i64, Vec<&str>)> = Vec::new();
    let sets: Vec<Vec<&str>> = AREAS
        .iter()
        .map(|a| vec![*a])
        .chain([
            vec!["WK034401", "BU03440211"],
            vec!["WK034401", "WK034402"],
            vec!["GM0363", "GM0014"],
            vec!["GM0344", "BU03440111", "GM0599"],
            vec!["BU03440111", "BU03440112", "BU03440113"],
        ])
        .collect();
    for (n, members) in sets.into_iter().enumerate() {
        let input = domain::scope::ScopeInput { name: format!("Werkgebied {n}"), kind: "gebieden".into(), members: members.join("\n"), ..Default::default() };
        let scope = app.db.create_scope(&actor(), c, &domain::scope::ScopeContent::parse(&input).expect("valid")).await.expect("scope").id;
        scopes.push((scope, members));
    }

    let mut f = Findings::default();
    for (email, role) in [("lezer@probe.example", Role::Lezer), ("lid@probe.example", Role::Lid)] {
        let user = app.user(email).await;
        app.member(c, &user, role).await;
        let cookie = Auth::Cookie(app.session(&user).await);
        let token = Auth::Token(app.token(&user).await);
        let mut bodies: Vec<(String, String)> = Vec::new();
        let mut files: Vec<(String, String)> = Vec::new();
        let mut get = async |path: String, auth: &Auth| -> String {
            let reply = app.get(&path, auth).await;
            assert_eq!(reply.status, StatusCode::OK, "{path} as {role:?}: {}", reply.body);
            bodies.push((format!("{path} as {role:?}"), reply.body.clone()));
            reply.body
        };
        let list = get(format!("/samenwerkingen/{c}/indicatoren"), &cookie).await;
        let cycle_page = get(format!("/samenwerkingen/{c}/cycli/{cycle}"), &cookie).await;
        get(format!("/api/v1/samenwerkingen/{c}/indicatoren"), &token).await;
        for (probe, id) in probes.iter().zip(&ids) {
            let code = probe.code;
            let name = format!("{code} Indicator {code}");
            let at = |what: &str| format!("{what} of {code} as {role:?}");
            // The list and the learning cycle give the latest total.
            for (page, body, nth) in [("the list", &list, 2), ("the learning cycle", &cycle_page, 3)] {
                match row_figure(body, &name, nth).as_deref().map(|t| t.trim_end_matches(" (2025)").to_string()) {
                    Some(text) => match state_of(&text) {
                        Ok(state) => f.see(&at(page), code, "2025", None, state),
                        Err(e) => f.fail(format!("{}: {e}", at(page))),
                    },
                    None => f.fail(format!("{}: no figure", at(page))),
                }
            }
            // The card, for the latest period and with a period asked for.
            let card = format!("/samenwerkingen/{c}/indicatoren/{id}");
            let body = get(card.clone(), &cookie).await;
            read_card(&mut f, &at("the card"), code, &body);
            let body = get(format!("{card}?periode=2024"), &cookie).await;
            read_card(&mut f, &at("the card for 2024"), code, &body);
            // The exports of page and API.
            for (path, auth, content_type) in [
                (format!("{card}/export.csv"), &cookie, "text/csv"),
                (format!("{card}/export.xlsx"), &cookie, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (format!("/api/v1/samenwerkingen/{c}/indicatoren/{id}/export?formaat=csv"), &token, "text/csv"),
                (
                    format!("/api/v1/samenwerkingen/{c}/indicatoren/{id}/export?formaat=xlsx"),
                    &token,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ] {
                let (status, headers, file) = bytes(&app, &path, auth).await;
                assert_eq!(status, StatusCode::OK, "{path}");
                assert!(headers.starts_with(content_type) && headers.contains("attachment; filename=\"indicator-PRB-"), "{path}: {headers}");
                if path.contains("csv") {
                    assert!(file.starts_with(b"\xEF\xBB\xBF"), "{path}: a byte-order mark for Excel");
                    files.push((path.clone(), String::from_utf8_lossy(&file).into_owned()));
                }
                read_export(&mut f, &at(&path), code, &file);
            }
            // The API: the card, the totals, every area's trend and every level's table.
            let api = format!("/api/v1/samenwerkingen/{c}/indicatoren/{id}");
            get(api.clone(), &token).await;
            get(format!("{api}/verhalen"), &token).await;
            let totals: serde_json::Value = serde_json::from_str(&get(format!("{api}/metingen"), &token).await).expect("json");
            for entry in totals.as_array().expect("periods") {
                match json_state(&entry["value"]) {
                    Ok(state) => f.see(&at("the API's totals"), code, entry["period"].as_str().unwrap_or_default(), None, state),
                    Err(e) => f.fail(format!("{}: {e}", at("the API's totals"))),
                }
            }
            for area in AREAS {
                let trend: serde_json::Value = serde_json::from_str(&get(format!("{api}/reeks?gebied={area}"), &token).await).expect("json");
                for entry in trend.as_array().expect("periods") {
                    match json_state(&entry["value"]) {
                        Ok(state) => f.see(&at(&format!("the trend of {area}")), code, entry["period"].as_str().unwrap_or_default(), Some(area), state),
                        Err(e) => f.fail(format!("{}: {e}", at("a trend"))),
                    }
                }
            }
            for period in ["2024", "2025"] {
                for level in ["gemeente", "wijk", "buurt"] {
                    let path = format!("{api}/gebieden?periode={period}&niveau={level}");
                    let table: serde_json::Value = serde_json::from_str(&get(path.clone(), &token).await).expect("json");
                    let head = json_state(&table["total"]);
                    let mut cells = Vec::new();
                    for entry in table["areas"].as_array().expect("areas") {
                        match json_state(&entry["value"]) {
                            Ok(state) => {
                                f.see(&at(&path), code, period, entry["area"].as_str(), state);
                                cells.push(state);
                            }
                            Err(e) => f.fail(format!("{}: {e}", at(&path))),
                        }
                    }
                    match head {
                        Ok(head) => {
                            if level == "gemeente" {
                                f.see(&at(&path), code, period, None, head);
                            }
                            f.tables.push(Table { path: at(&path), head, cells });
                        }
                        Err(e) => f.fail(format!("{}: {e}", at(&path))),
                    }
                }
            }
        }
        // Working areas: a figure shown for one area is that area's as every other path shows
        // it (a working area may keep more secret, never less); over several areas it follows
        // the rules for their sum, each area counted once.
        for (scope, members) in &scopes {
            get(format!("/samenwerkingen/{c}/werkgebieden/{scope}"), &cookie).await;
            let path = format!("/api/v1/samenwerkingen/{c}/werkgebieden/{scope}/cijfers");
            let reply: serde_json::Value = serde_json::from_str(&get(path.clone(), &token).await).expect("json");
            for entry in reply.as_array().expect("indicators") {
                let code = probes.iter().map(|p| p.code).find(|c| entry["code"] == *c).expect("a probe indicator");
                let probe = probes.iter().find(|p| p.code == code).expect("probe");
                for figure in entry["figures"].as_array().expect("figures") {
                    let period = figure["period"].as_str().unwrap_or_default();
                    if figure["figure"]["state"] == "incomplete" || figure["figure"]["state"] == "too_close" || figure["figure"]["state"] == "small" {
                        continue;
                    }
                    let state = match json_state(&figure["figure"]["value"]) {
                        Ok(state) => state,
                        Err(e) => {
                            f.fail(format!("{path}: {e}"));
                            continue;
                        }
                    };
                    let Some(v) = state else { continue };
                    if let [area] = members.as_slice() {
                        f.see(&format!("{path} as {role:?}"), code, period, Some(area), Some(v));
                        continue;
                    }
                    let codes: Vec<AreaCode> = members.iter().map(|m| AreaCode::parse(m).expect("code")).collect();
                    let parts =
                        Parts::sum(domain::scope::covering(&codes).iter().filter_map(|a| probe.truth(period, Some(a.as_str()))).collect::<Vec<_>>().iter());
                    let fine = match probe.kind {
                        IndicatorKind::Aantal => parts.numerator >= 8.0 && v == (parts.numerator / 5.0).round() * 5.0,
                        _ => parts.denominator.unwrap_or(0.0) >= 100.0,
                    };
                    if !fine {
                        f.fail(format!("{path} as {role:?}: {code} {period} {members:?} shown as {v} from {parts:?}"));
                    }
                }
            }
        }
        // Nothing raw anywhere: no steward's table, no raw parts, no numerator or denominator.
        for (path, body) in bodies.iter().chain(&files) {
            if body.contains("Ruwe waarden") || body.contains("\"numerator\":") || body.contains("\"denominator\":") {
                f.fail(format!("{path}: raw values for a {role:?}"));
            }
            for probe in &probes {
                for raw in probe.raw_texts().iter().filter(|r| r.contains(" / ")) {
                    if body.contains(raw.as_str()) {
                        f.fail(format!("{path}: the raw parts {raw} for a {role:?}"));
                    }
                }
            }
        }
    }
    judge(&mut f, &probes);
    assert!(f.failures.is_empty(), "{} findings:\n{}", f.failures.len(), f.failures.join("\n"));
    // The probe saw what it was built to see: every path, and the secondary suppressions.
    let seen = |code: &str, period: &str, area: Option<&str>| -> Vec<State> {
        f.seen.iter().filter(|s| s.code == code && s.period == period && s.area.as_deref() == area).map(|s| s.state).collect()
    };
    assert!(f.seen.len() > 300 && f.tables.len() > 40, "{} figures and {} tables", f.seen.len(), f.tables.len());
    for (code, period, area, expected) in [
        ("PRB-A", "2024", Some("GM0014"), None),
        ("PRB-A", "2024", Some("GM0599"), Some(50.0)),
        ("PRB-A", "2024", None, Some(95.0)),
        ("PRB-A", "2025", Some("BU03440111"), None),
        ("PRB-A", "2025", Some("BU03440112"), Some(15.0)),
        ("PRB-A", "2025", None, Some(70.0)),
        ("PRB-V", "2024", Some("GM0363"), None),
        // 7/13 is withheld for its denominator; its wijk (40/153) is shown, so its neighbour in
        // the wijk, 33/140, is withheld too — not a buurt of another wijk, as per table.
        ("PRB-V", "2025", Some("BU03440112"), None),
        ("PRB-V", "2025", Some("BU03440111"), None),
        ("PRB-V", "2025", Some("BU03440212"), Some(9.5)),
    ] {
        let states = seen(code, period, area);
        assert!(states.len() >= 4 && states.iter().all(|s| *s == expected), "{code} {period} {area:?}: {states:?}, expected {expected:?}");
    }

    // Only the steward sees raw values, one period at a time, and each look is logged.
    let views = |entries: &[domain::audit::Entry]| entries.iter().filter(|e| e.action == "measurement.view_raw").count();
    assert_eq!(views(&app.db.audit_for_collaboration(c.0, 1000).await.expect("audit")), 0, "readers' pages log no raw look: they had none");
    let cookie = Auth::Cookie(app.session(&steward).await);
    let card = format!("/samenwerkingen/{c}/indicatoren/{}", ids[1]);
    let latest = app.get(&card, &cookie).await;
    assert!(latest.body.contains("Ruwe waarden") && latest.body.contains("7 / 13") && latest.body.contains("1 / 4"), "2025 with its draft");
    assert!(!latest.body.contains("12 / 95"), "only the chosen period");
    let earlier = app.get(&format!("{card}?periode=2024"), &cookie).await;
    assert!(earlier.body.contains("12 / 95") && !earlier.body.contains("7 / 13"));
    let audit = app.db.audit_for_collaboration(c.0, 1000).await.expect("audit");
    let looks: Vec<&str> = audit.iter().filter(|e| e.action == "measurement.view_raw").map(|e| e.object.as_str()).collect();
    let id = ids[1];
    assert!(looks.contains(&format!("indicator:{id} 2025").as_str()) && looks.contains(&format!("indicator:{id} 2024").as_str()), "{looks:?}");
    assert!(audit.iter().filter(|e| e.action == "measurement.view_raw").all(|e| e.actor == "beheerder@probe.example"));
}

#[tokio::test]
async fn a_stewards_raw_values_are_one_period_and_at_most_a_page() {
    let app = TestApp::new().await;
    let steward = app.user("beheerder@probe.example").await;
    let c = app.collaboration("Proef", &steward).await;
    let probe = Probe { code: "GROOT", kind: IndicatorKind::Aantal, approved: Vec::new(), drafts: Vec::new() };
    let id = indicator(&app, c, &probe).await;
    let many: Vec<Measurement> = (0..620)
        .map(|i| Measurement {
            area: AreaCode::parse(&format!("BU0344{i:04}")).expect("code"),
            period: if i < 600 { "2025".into() } else { "2024".into() },
            parts: Parts::count(f64::from(i % 9)),
        })
        .collect();
    app.db.save_measurements(&actor(), c, id, &many).await.expect("measurements");
    let cookie = Auth::Cookie(app.session(&steward).await);
    let card = app.get(&format!("/samenwerkingen/{c}/indicatoren/{id}"), &cookie).await;
    assert_eq!(card.status, StatusCode::OK);
    assert_eq!(card.body.matches("<td class=\"utrecht-table__cell\">2025</td>").count(), 500, "the latest period, at most 500 rows");
    assert!(card.body.contains("Metingen van deze periode die niet getoond worden: 100."), "how many more there are");
    let earlier = app.get(&format!("/samenwerkingen/{c}/indicatoren/{id}?periode=2024"), &cookie).await;
    assert_eq!(earlier.body.matches("<td class=\"utrecht-table__cell\">2024</td>").count(), 20);
    assert!(!earlier.body.contains("niet getoond worden") && earlier.body.contains("<option value=\"2024\" selected>"));
    assert!(earlier.body.contains("<details class=\"rg-details\" id=\"ruw\" open>"), "a chosen period opens the list");
}
