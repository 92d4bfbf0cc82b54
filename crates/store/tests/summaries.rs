//! The summaries that approvals keep (`rollups`) against a sum worked out here, from the
//! approved measurements and the classification alone, after many rounds of entering,
//! submitting and approving figures at mixed levels. Run on SQLite and on PostgreSQL.
//!
//! The rule, as the product promises it: an area is its own measurement; else, when every one
//! of its children (a wijk's buurten, a gemeente's wijken) has a figure, their sum; else
//! "incomplete: x of y children have a figure". The total is the sum of the gemeenten when
//! every gemeente with anything measured has a figure.

use reisgenoot_store as store;

use domain::area::AreaCode;
use domain::collaboration::{CollaborationInput, NewCollaboration};
use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
use domain::measure::Parts;
use std::collections::{BTreeMap, BTreeSet};
use store::testing::fresh_db;
use store::user::NewUser;
use store::{Actor, Db};

fn actor() -> Actor {
    Actor { user_id: None, label: "test".into(), origin: "127.0.0.1".into() }
}

/// One stored summary row: numerator and denominator, or how many of how many are measured.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    Sum(f64, Option<f64>),
    Incomplete(i64, i64),
}

/// A small, fixed pseudo-random sequence (the same rounds on every run and both backends).
struct Dice(u64);

impl Dice {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// The areas of `gemeenten` in the classification of 2024: the wijken of each gemeente and the
/// buurten of each wijk.
async fn classification(db: &Db, gemeenten: &[&str]) -> (BTreeMap<String, Vec<String>>, BTreeMap<String, Vec<String>>) {
    let mut wijken: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut buurten: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let sql = "SELECT code FROM areas WHERE year = 2024 ORDER BY code";
    let codes: Vec<String> = match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .expect("areas");
    for code in codes {
        let number = code.get(2..6).unwrap_or_default();
        if !gemeenten.iter().any(|g| g.get(2..6) == Some(number)) {
            continue;
        }
        match code.get(..2) {
            Some("WK") => wijken.entry(format!("GM{number}")).or_default().push(code),
            Some("BU") => buurten.entry(format!("WK{}", code.get(2..8).unwrap_or_default())).or_default().push(code),
            _ => {}
        }
    }
    (wijken, buurten)
}

/// What the summaries of one period must hold, worked out from `approved` directly.
fn expected(approved: &BTreeMap<String, f64>, wijken: &BTreeMap<String, Vec<String>>, buurten: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Row> {
    let mut rows = BTreeMap::new();
    let mut gemeente_sums = Vec::new();
    for (gemeente, its_wijken) in wijken {
        let number = gemeente.get(2..).unwrap_or_default();
        if !approved.keys().any(|a| a.get(2..6) == Some(number)) {
            continue;
        }
        let mut wijk_sums = Vec::new();
        for wijk in its_wijken {
            let its_buurten = buurten.get(wijk).cloned().unwrap_or_default();
            let sum = match approved.get(wijk) {
                Some(v) => Some(*v),
                None => {
                    let found: Vec<f64> = its_buurten.iter().filter_map(|b| approved.get(b).copied()).collect();
                    (!its_buurten.is_empty() && found.len() == its_buurten.len()).then(|| found.iter().sum())
                }
            };
            // Only an area with anything measured in it has a row.
            if !approved.contains_key(wijk) && !its_buurten.iter().any(|b| approved.contains_key(b)) {
                continue;
            }
            let row = match sum {
                Some(v) => Row::Sum(v, None),
                None => {
                    let measured = its_buurten.iter().filter(|b| approved.contains_key(*b)).count();
                    Row::Incomplete(measured as i64, its_buurten.len() as i64)
                }
            };
            wijk_sums.push(sum);
            rows.insert(wijk.clone(), row);
        }
        let sum = match approved.get(gemeente) {
            Some(v) => Some(*v),
            None => (wijk_sums.len() == its_wijken.len() && wijk_sums.iter().all(Option::is_some)).then(|| wijk_sums.iter().flatten().sum()),
        };
        let row = match sum {
            Some(v) => Row::Sum(v, None),
            None => Row::Incomplete(wijk_sums.iter().filter(|s| s.is_some()).count() as i64, its_wijken.len() as i64),
        };
        gemeente_sums.push(sum);
        rows.insert(gemeente.clone(), row);
    }
    if !gemeente_sums.is_empty() {
        let total = if gemeente_sums.iter().all(Option::is_some) {
            Row::Sum(gemeente_sums.iter().flatten().sum(), None)
        } else {
            Row::Incomplete(gemeente_sums.iter().filter(|s| s.is_some()).count() as i64, gemeente_sums.len() as i64)
        };
        rows.insert(String::new(), total);
    }
    rows
}

async fn stored(db: &Db, collaboration: i64, indicator: i64) -> BTreeMap<String, BTreeMap<String, Row>> {
    let sql = "SELECT period, area, numerator, denominator, measured, areas FROM rollups WHERE collaboration_id = $1 AND indicator_id = $2";
    type Columns = (String, String, f64, Option<f64>, Option<i64>, Option<i64>);
    let rows: Vec<Columns> = match db {
        Db::Sqlite(pool) => sqlx::query_as(sql).bind(collaboration).bind(indicator).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_as(sql).bind(collaboration).bind(indicator).fetch_all(pool).await,
    }
    .expect("rollups");
    let mut periods: BTreeMap<String, BTreeMap<String, Row>> = BTreeMap::new();
    for (period, area, numerator, denominator, measured, areas) in rows {
        let row = match (measured, areas) {
            (Some(m), Some(a)) => Row::Incomplete(m, a),
            _ => Row::Sum(numerator, denominator),
        };
        periods.entry(period).or_default().insert(area, row);
    }
    periods
}

#[tokio::test]
async fn kept_summaries_equal_a_sum_worked_out_apart_after_rounds_of_approvals() {
    let db = fresh_db().await;
    let owner = db.create_user(&actor(), &NewUser { email: "r@a.example", name: "R", password_hash: "x", is_admin: false }).await.expect("user");
    let input = CollaborationInput {
        name: "Som".into(),
        scale: "regio".into(),
        age_focus: "beide".into(),
        area_codes: vec!["GM0888".into(), "GM0344".into()],
        ..Default::default()
    };
    let c = db.create_collaboration(&actor(), &NewCollaboration::parse(&input, 2024).expect("valid"), owner.id()).await.expect("collaboration").id;
    let indicator = IndicatorInput {
        code: "S1".into(),
        name: "Som".into(),
        kind: "aantal".into(),
        direction: "lager_beter".into(),
        perspective: "netwerk".into(),
        period_type: "jaar".into(),
        ..Default::default()
    };
    let indicator = db.create_indicator(&actor(), c, &IndicatorContent::parse(&indicator).expect("valid")).await.expect("indicator").id;
    let (wijken, buurten) = classification(&db, &["GM0888", "GM0344"]).await;
    assert_eq!(wijken.get("GM0888").map(Vec::len), Some(2), "Beek has two wijken");
    // The places figures are entered at: both gemeenten, Beek's wijken and every buurt of them,
    // three of Utrecht's wijken and the buurten of one.
    let mut places: Vec<String> = vec!["GM0888".into(), "GM0344".into()];
    for wijk in &wijken["GM0888"] {
        places.push(wijk.clone());
        places.extend(buurten.get(wijk).cloned().unwrap_or_default());
    }
    places.extend(wijken["GM0344"].iter().take(3).cloned());
    places.extend(buurten.get(&wijken["GM0344"][0]).cloned().unwrap_or_default());

    let mut dice = Dice(20241207);
    let mut checked = BTreeSet::new();
    for round in 0..12 {
        let period = format!("{}", 2014 + round % 6);
        // Each round enters, submits and approves a handful of new figures in one period.
        let existing: BTreeSet<String> =
            db.measurements(c, indicator).await.expect("rows").into_iter().filter(|m| m.period == period).map(|m| m.area).collect();
        let mut values = Vec::new();
        for area in places.iter().filter(|a| !existing.contains(*a)) {
            if dice.next(100) < 45 {
                let numerator = dice.next(60) as f64;
                values.push(Measurement { area: AreaCode::parse(area).expect("code"), period: period.clone(), parts: Parts { numerator, denominator: None } });
            }
        }
        if values.is_empty() {
            continue;
        }
        db.save_measurements(&actor(), c, indicator, &values).await.expect("save");
        db.move_measurements(&actor(), c, indicator, &period, MeasurementStatus::Ingediend).await.expect("submit");
        db.move_measurements(&actor(), c, indicator, &period, MeasurementStatus::Goedgekeurd).await.expect("approve");
        checked.insert(period);
    }
    let rows = db.measurements(c, indicator).await.expect("rows");
    let kept = stored(&db, c.0, indicator).await;
    assert!(checked.len() >= 4, "the rounds approved figures in several periods: {checked:?}");
    let mut saw_incomplete = false;
    let mut saw_mixed_sum = false;
    for period in &checked {
        let approved: BTreeMap<String, f64> =
            rows.iter().filter(|m| &m.period == period && m.status == MeasurementStatus::Goedgekeurd).map(|m| (m.area.clone(), m.parts.numerator)).collect();
        let want = expected(&approved, &wijken, &buurten);
        saw_incomplete |= want.values().any(|r| matches!(r, Row::Incomplete(..)));
        saw_mixed_sum |= matches!(want.get("GM0888"), Some(Row::Sum(..))) && !approved.contains_key("GM0888");
        assert_eq!(kept.get(period), Some(&want), "{period}: approved {approved:?}");
    }
    assert!(saw_incomplete && saw_mixed_sum, "the rounds reach incomplete areas and sums over mixed levels");
}
