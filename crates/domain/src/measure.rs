//! Measurements as their parts, so that they add up exactly, and what may be published of them.
//!
//! A count is stored as its number; a ratio as numerator and denominator; a mean (or a scale
//! score) as the sum of the values and their number n. Adding areas up — buurt to wijk to
//! gemeente, or any scope, overlapping or not — sums the parts, never the percentages.
//! Publishing follows the CBS rule for youth-care counts per area: counts rounded to a multiple
//! of 5 and 0–7 shown as secret; a ratio or mean only from a large enough denominator or n; and
//! a cell that the published total and its siblings would give away is suppressed too.

use crate::area::{AreaCode, AreaLevel};
use crate::error::Invalid;
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

vocabulary!(
    /// What an indicator counts: a number, a numerator over a denominator (× a factor), or a mean.
    IndicatorKind { Aantal = "aantal", Verhouding = "verhouding", Gemiddelde = "gemiddelde", Schaalscore = "schaalscore" }
);

/// One measurement, or the sum of several.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Parts {
    /// The count, the numerator, or the sum of the values.
    pub numerator: f64,
    /// The denominator of a ratio, or n of a mean; none for a count.
    pub denominator: Option<f64>,
}

impl Parts {
    pub fn count(n: f64) -> Parts {
        Parts { numerator: n, denominator: None }
    }

    pub fn ratio(numerator: f64, denominator: f64) -> Parts {
        Parts { numerator, denominator: Some(denominator) }
    }

    /// The sum of the parts of several areas or periods.
    pub fn sum<'a>(parts: impl IntoIterator<Item = &'a Parts>) -> Parts {
        parts.into_iter().fold(Parts::default(), |total, p| Parts {
            numerator: total.numerator + p.numerator,
            denominator: match (total.denominator, p.denominator) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
            },
        })
    }

    /// The figure itself: the count, numerator ÷ denominator × factor, or the mean.
    pub fn value(&self, kind: IndicatorKind, factor: f64) -> Option<f64> {
        match kind {
            IndicatorKind::Aantal => Some(self.numerator),
            IndicatorKind::Verhouding => self.denominator.filter(|d| *d > 0.0).map(|d| self.numerator / d * factor),
            IndicatorKind::Gemiddelde | IndicatorKind::Schaalscore => self.denominator.filter(|d| *d > 0.0).map(|d| self.numerator / d),
        }
    }
}

/// The total of a scope: the sum over its distinct leaf areas, so an area in two parts of an
/// overlapping scope counts once.
pub fn scope_total(leaves: &BTreeMap<String, Parts>, members: &[String]) -> Parts {
    let distinct: BTreeSet<&String> = members.iter().collect();
    Parts::sum(distinct.into_iter().filter_map(|m| leaves.get(m)))
}

/// Per gemeente, its figure from whatever levels were measured: the gemeente's own
/// measurement if there is one, else the sum over its wijken of each wijk's own measurement,
/// or where a wijk has none the sum of its buurten — never two levels for the same children,
/// and no wijk dropped because another was measured at a different level. (Whether every
/// buurt of a wijk was measured needs the classification: `domain::disclosure::roll_up`.)
pub fn per_gemeente(rows: &[(AreaCode, Parts)]) -> BTreeMap<AreaCode, Parts> {
    let mut result = BTreeMap::new();
    let gemeenten: BTreeSet<AreaCode> = rows.iter().map(|(a, _)| a.gemeente()).collect();
    for gemeente in gemeenten {
        let inside: Vec<&(AreaCode, Parts)> = rows.iter().filter(|(a, _)| a.gemeente() == gemeente).collect();
        let figure = match inside.iter().find(|(a, _)| a.level() == AreaLevel::Gemeente) {
            Some((_, own)) => *own,
            None => {
                let mut wijken: BTreeMap<&str, Vec<(AreaLevel, Parts)>> = BTreeMap::new();
                for (area, parts) in &inside {
                    add_level(wijken.entry(&area.as_str()[2..8]).or_default(), area.level(), parts);
                }
                Parts::sum(wijken.values().filter_map(|levels| from_levels(levels)).collect::<Vec<_>>().iter())
            }
        };
        result.insert(gemeente, figure);
    }
    result
}

/// The figure of a wijk (or a gemeente without wijk-level detail) from sums a database has
/// already added up per level inside it: its own measurement if there is one, else the sum of
/// its wijken, else the sum of its buurten. `None` when nothing was measured inside it.
pub fn from_levels(sums: &[(AreaLevel, Parts)]) -> Option<Parts> {
    [AreaLevel::Gemeente, AreaLevel::Wijk, AreaLevel::Buurt].into_iter().find_map(|level| sums.iter().find(|(l, _)| *l == level).map(|(_, p)| *p))
}

/// Sums of one period's measurements, one per level and wijk: the level, the area's number
/// cut to at most six characters (a gemeente's four, or the wijk a wijk or buurt lies in),
/// and the sum of the parts measured there.
pub type LevelSum = (AreaLevel, String, Parts);

/// What a period's measurements give: every gemeente and wijk with a figure, by code, and the
/// collaboration's total (the sum over gemeenten).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub total: Parts,
    pub areas: BTreeMap<String, Parts>,
}

/// Applies the rule of `per_gemeente` to sums per level and wijk: a wijk's figure is its own
/// measurement else the sum of its buurten; a gemeente's its own, else the sum of its wijken
/// so chosen.
pub fn summarise(sums: &[LevelSum]) -> Summary {
    let mut wijken: BTreeMap<&str, Vec<(AreaLevel, Parts)>> = BTreeMap::new();
    let mut own: BTreeMap<&str, Parts> = BTreeMap::new();
    for (level, number, parts) in sums {
        if *level == AreaLevel::Gemeente {
            let total = own.entry(number.get(..4).unwrap_or(number)).or_default();
            *total = Parts::sum([&*total, parts]);
        } else {
            add_level(wijken.entry(number).or_default(), *level, parts);
        }
    }
    let mut summary = Summary::default();
    let mut gemeenten: BTreeMap<&str, Vec<Parts>> = BTreeMap::new();
    for (number, levels) in &wijken {
        if let Some(parts) = from_levels(levels) {
            summary.areas.insert(format!("WK{number}"), parts);
            gemeenten.entry(number.get(..4).unwrap_or(number)).or_default().push(parts);
        }
    }
    let numbers: BTreeSet<&str> = own.keys().chain(gemeenten.keys()).copied().collect();
    for number in numbers {
        let parts = match own.get(number) {
            Some(parts) => *parts,
            None => Parts::sum(gemeenten.get(number).map(Vec::as_slice).unwrap_or_default()),
        };
        summary.total = Parts::sum([&summary.total, &parts]);
        summary.areas.insert(format!("GM{number}"), parts);
    }
    summary
}

fn add_level(levels: &mut Vec<(AreaLevel, Parts)>, level: AreaLevel, parts: &Parts) {
    match levels.iter_mut().find(|(l, _)| *l == level) {
        Some((_, total)) => *total = Parts::sum([&*total, parts]),
        None => levels.push((level, *parts)),
    }
}

/// An indicator's publication rules; the defaults follow CBS for youth-care counts per area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// Counts are shown rounded to a multiple of this.
    pub round_to: f64,
    /// Counts below this are secret.
    pub secret_below: f64,
    /// A ratio needs at least this denominator, a mean at least this n.
    pub min_denominator: f64,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules { round_to: 5.0, secret_below: 8.0, min_denominator: 100.0 }
    }
}

/// The instance's floors, set by its operator: no indicator's rules, scan round or
/// case-review minimum may be weaker. The defaults follow CBS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Floors {
    pub round_to: f64,
    pub secret_below: f64,
    pub min_denominator: f64,
    /// The smallest group of scan answers or case reviews whose figures are shown.
    pub min_group: usize,
}

impl Default for Floors {
    fn default() -> Floors {
        let rules = Rules::default();
        Floors { round_to: rules.round_to, secret_below: rules.secret_below, min_denominator: rules.min_denominator, min_group: 5 }
    }
}

impl Floors {
    /// The rules a new indicator starts with: the floors themselves.
    pub fn rules(&self) -> Rules {
        Rules { round_to: self.round_to, secret_below: self.secret_below, min_denominator: self.min_denominator }
    }

    /// A group minimum as configured, lifted to the floor.
    pub fn group(&self, configured: usize) -> usize {
        configured.max(self.min_group)
    }

    /// Refuses a group minimum below the floor (or above 100), naming the floor.
    pub fn check_group(&self, errors: &mut Invalid, field: &'static str, raw: &str) -> usize {
        match raw.trim() {
            "" => self.min_group,
            text => match text.parse::<usize>() {
                Ok(n) if n < self.min_group => {
                    errors.add_with(field, "err.below_floor", self.min_group.to_string());
                    self.min_group
                }
                Ok(n) if n <= 100 => n,
                _ => {
                    errors.add_with(field, "err.group_range", self.min_group.to_string());
                    self.min_group
                }
            },
        }
    }
}

impl Rules {
    /// These rules with every one below its floor lifted to it: what is published whatever
    /// was stored before the floors were raised.
    pub fn at_least(self, floors: &Floors) -> Rules {
        Rules {
            round_to: self.round_to.max(floors.round_to),
            secret_below: self.secret_below.max(floors.secret_below),
            min_denominator: self.min_denominator.max(floors.min_denominator),
        }
    }

    /// Refuses rules below the floors, naming the floor of each field.
    pub fn check(&self, floors: &Floors) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        for (field, value, floor) in [
            ("round_to", self.round_to, floors.round_to),
            ("secret_below", self.secret_below, floors.secret_below),
            ("min_denominator", self.min_denominator, floors.min_denominator),
        ] {
            if value < floor {
                errors.add_with(field, "err.below_floor", floor.to_string());
            }
        }
        errors.or(())
    }

    /// The change from `self` to `next` for the audit log, e.g. "afronden 1→5"; empty when equal.
    pub fn change(&self, next: &Rules) -> String {
        [
            ("afronden", self.round_to, next.round_to),
            ("geheim onder", self.secret_below, next.secret_below),
            ("minimale noemer", self.min_denominator, next.min_denominator),
        ]
        .iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("{name} {a}→{b}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A figure as it may be shown: a value, or secret. Secret is never drawn as zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum Published {
    Value(f64),
    Secret,
}

/// What may be shown of one cell on its own, by the primary rules of the publication layer
/// (`disclosure::primary`): a count rounded to the base; a ratio from its rounded parts with
/// one decimal, and only where its numerator would be shown as a count; a mean with one
/// decimal from an n of at least the minimum.
pub fn publish(parts: &Parts, kind: IndicatorKind, factor: f64, rules: &Rules) -> Published {
    match crate::disclosure::primary(parts, kind, factor, rules) {
        crate::disclosure::Shown::Value { value, .. } => Published::Value(value),
        crate::disclosure::Shown::Withheld(_) => Published::Secret,
    }
}

/// What may be shown of a total and the cells it adds up from. When the total is shown and
/// exactly one cell is secret, that cell would follow from the total minus the others; then
/// the smallest shown cell is made secret too.
pub fn publish_table(total: &Parts, cells: &[Parts], kind: IndicatorKind, factor: f64, rules: &Rules) -> (Published, Vec<Published>) {
    let head = publish(total, kind, factor, rules);
    let mut shown: Vec<Published> = cells.iter().map(|c| publish(c, kind, factor, rules)).collect();
    let secret = shown.iter().filter(|p| **p == Published::Secret).count();
    if head != Published::Secret && secret == 1 {
        let size = |p: &Parts| p.denominator.unwrap_or(p.numerator);
        if let Some((i, _)) = cells.iter().enumerate().filter(|(i, _)| shown[*i] != Published::Secret).min_by(|a, b| size(a.1).total_cmp(&size(b.1))) {
            shown[i] = Published::Secret;
        }
    }
    (head, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rng::Rng;

    #[test]
    fn ratios_add_up_from_their_parts_never_from_percentages() {
        let a = Parts::ratio(1.0, 10.0);
        let b = Parts::ratio(30.0, 100.0);
        let total = Parts::sum([&a, &b]);
        assert_eq!(total, Parts::ratio(31.0, 110.0));
        assert_eq!(total.value(IndicatorKind::Verhouding, 100.0), Some(31.0 / 110.0 * 100.0));
        assert_ne!(total.value(IndicatorKind::Verhouding, 100.0), Some((10.0 + 30.0) / 2.0), "not the mean of the percentages");
        let mean = Parts::sum([&Parts::ratio(40.0, 10.0), &Parts::ratio(10.0, 5.0)]);
        assert_eq!(mean.value(IndicatorKind::Gemiddelde, 1.0), Some(50.0 / 15.0), "weighted by n");
        assert_eq!(Parts::ratio(3.0, 0.0).value(IndicatorKind::Verhouding, 100.0), None);
    }

    #[test]
    fn a_gemeente_takes_its_own_figure_else_its_wijken_else_its_buurten() {
        let code = |c: &str| AreaCode::parse(c).expect("code");
        let rows = vec![
            (code("GM0344"), Parts::count(100.0)),
            (code("WK034401"), Parts::count(60.0)),
            (code("BU0363AD03"), Parts::count(7.0)),
            (code("BU0363AD04"), Parts::count(5.0)),
        ];
        let totals = per_gemeente(&rows);
        assert_eq!(totals[&code("GM0344")], Parts::count(100.0), "the gemeente's own figure, not plus its wijk");
        assert_eq!(totals[&code("GM0363")], Parts::count(12.0), "the sum of the buurten");
        // One wijk measured itself, another through its buurten: both count.
        let rows = vec![(code("WK034401"), Parts::count(625.0)), (code("BU03440201"), Parts::count(200.0)), (code("BU03440202"), Parts::count(63.0))];
        assert_eq!(per_gemeente(&rows)[&code("GM0344")], Parts::count(888.0));
        let sums = vec![(AreaLevel::Wijk, "034401".to_string(), Parts::count(625.0)), (AreaLevel::Buurt, "034402".to_string(), Parts::count(263.0))];
        let summary = summarise(&sums);
        assert_eq!((summary.areas["GM0344"], summary.total), (Parts::count(888.0), Parts::count(888.0)));
    }

    #[test]
    fn sums_per_level_give_the_same_figures_as_the_rows_they_add_up() {
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        let code = |c: String| AreaCode::parse(&c).expect("code");
        for case in 0..500 {
            let mut rows = Vec::new();
            for g in 0..1 + rng.next(3) {
                let gemeente = format!("{:04}", 100 + g);
                if rng.next(4) == 0 {
                    rows.push((code(format!("GM{gemeente}")), Parts::count(rng.next(100) as f64)));
                }
                for w in 0..rng.next(3) {
                    if rng.next(3) == 0 {
                        rows.push((code(format!("WK{gemeente}{w:02}")), Parts::ratio(rng.next(50) as f64, 50.0 + rng.next(50) as f64)));
                    }
                    for b in 0..rng.next(4) {
                        rows.push((code(format!("BU{gemeente}{w:02}{b:02}")), Parts::ratio(rng.next(20) as f64, 20.0 + rng.next(80) as f64)));
                    }
                }
            }
            // By hand: the gemeente's own figure, else per wijk its own, else its buurten.
            let totals = per_gemeente(&rows);
            for (gemeente, figure) in &totals {
                let own = rows.iter().find(|(a, _)| a == gemeente).map(|(_, p)| *p);
                let expected = own.unwrap_or_else(|| {
                    let wijken: BTreeSet<&str> = rows.iter().filter(|(a, _)| a.gemeente() == *gemeente).map(|(a, _)| &a.as_str()[2..8]).collect();
                    let mut total = Parts::default();
                    for w in wijken {
                        let wijk = rows.iter().find(|(a, _)| a.level() == AreaLevel::Wijk && &a.as_str()[2..8] == w).map(|(_, p)| *p);
                        let part = wijk.unwrap_or_else(|| {
                            Parts::sum(rows.iter().filter(|(a, _)| a.level() == AreaLevel::Buurt && &a.as_str()[2..8] == w).map(|(_, p)| p))
                        });
                        total = Parts::sum([&total, &part]);
                    }
                    total
                });
                assert_eq!(*figure, expected, "case {case}: {gemeente}");
            }
        }
        assert_eq!(from_levels(&[]), None);
    }

    #[test]
    fn a_summary_gives_every_gemeente_and_wijk_the_figure_of_its_rows() {
        let mut rng = Rng(0x5851_f42d_4c95_7f2d);
        let code = |c: String| AreaCode::parse(&c).expect("code");
        for case in 0..500 {
            let mut rows = Vec::new();
            for g in 0..1 + rng.next(3) {
                let gemeente = format!("{:04}", 200 + g);
                if rng.next(4) == 0 {
                    rows.push((code(format!("GM{gemeente}")), Parts::count(rng.next(100) as f64)));
                }
                for w in 0..rng.next(4) {
                    if rng.next(3) == 0 {
                        rows.push((code(format!("WK{gemeente}{w:02}")), Parts::ratio(rng.next(50) as f64, 50.0 + rng.next(50) as f64)));
                    }
                    for b in 0..rng.next(4) {
                        rows.push((code(format!("BU{gemeente}{w:02}{b:02}")), Parts::ratio(rng.next(20) as f64, 20.0 + rng.next(80) as f64)));
                    }
                }
            }
            // What a GROUP BY level, wijk gives.
            let mut sums: Vec<LevelSum> = Vec::new();
            for (area, parts) in &rows {
                let number: String = area.as_str()[2..].chars().take(6).collect();
                match sums.iter_mut().find(|(l, n, _)| *l == area.level() && *n == number) {
                    Some((_, _, total)) => *total = Parts::sum([&*total, parts]),
                    None => sums.push((area.level(), number, *parts)),
                }
            }
            let summary = summarise(&sums);
            let gemeenten = per_gemeente(&rows);
            for (gemeente, parts) in &gemeenten {
                assert_eq!(summary.areas.get(gemeente.as_str()), Some(parts), "case {case}: {gemeente}");
            }
            assert_eq!(summary.total, Parts::sum(gemeenten.values()), "case {case}: the total");
            // A wijk: its own measurement, else its buurten.
            for (area, _) in rows.iter().filter(|(a, _)| a.level() != AreaLevel::Gemeente) {
                let wijk = format!("WK{}", &area.as_str()[2..8]);
                let own: Vec<&Parts> = rows.iter().filter(|(a, _)| a.as_str() == wijk).map(|(_, p)| p).collect();
                let buurten: Vec<&Parts> =
                    rows.iter().filter(|(a, _)| a.level() == AreaLevel::Buurt && a.as_str()[2..8] == wijk[2..]).map(|(_, p)| p).collect();
                let expected = if own.is_empty() { Parts::sum(buurten) } else { Parts::sum(own) };
                assert_eq!(summary.areas.get(&wijk), Some(&expected), "case {case}: {wijk}");
            }
            let measured_wijken = rows.iter().filter(|(a, _)| a.level() != AreaLevel::Gemeente).map(|(a, _)| &a.as_str()[2..8]).collect::<BTreeSet<_>>();
            assert_eq!(summary.areas.len(), gemeenten.len() + measured_wijken.len(), "case {case}: nothing else");
        }
        assert_eq!(summarise(&[]), Summary::default());
    }

    #[test]
    fn the_cbs_rule_rounds_counts_and_keeps_small_ones_secret() {
        let rules = Rules::default();
        let count = |n: f64| publish(&Parts::count(n), IndicatorKind::Aantal, 1.0, &rules);
        assert_eq!(
            [count(0.0), count(7.0), count(8.0), count(12.0), count(13.0)],
            [Published::Secret, Published::Secret, Published::Value(10.0), Published::Value(10.0), Published::Value(15.0)]
        );
        assert_eq!(publish(&Parts::ratio(5.0, 99.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Secret);
        // A rate's numerator is a count: 5 of 100 would give a secret count back.
        assert_eq!(publish(&Parts::ratio(5.0, 100.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Secret);
        // 2 of 497 (0.4024…) gave its numerator back at full precision.
        assert_eq!(publish(&Parts::ratio(2.0, 497.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Secret);
        // Shown rates come from the rounded parts, with one decimal: 43 of 497 as 45 of 495.
        assert_eq!(publish(&Parts::ratio(43.0, 497.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Value(9.1));
        // A mean with one decimal, from an n of at least the minimum.
        assert_eq!(publish(&Parts::ratio(1000.0 / 3.0 * 1.2, 120.0), IndicatorKind::Gemiddelde, 1.0, &rules), Published::Value(3.3));
        assert_eq!(publish(&Parts::ratio(330.0, 99.0), IndicatorKind::Gemiddelde, 1.0, &rules), Published::Secret);
    }

    #[test]
    fn rules_below_the_floors_are_refused_naming_the_floor_and_lifted_when_stored() {
        let floors = Floors::default();
        let weak = Rules { round_to: 1.0, secret_below: 0.0, min_denominator: 1.0 };
        let err = weak.check(&floors).expect_err("below the floors");
        let named: Vec<(&str, Option<&str>)> = err.errors.iter().map(|e| (e.field, e.value.as_deref())).collect();
        assert_eq!(named, [("round_to", Some("5")), ("secret_below", Some("8")), ("min_denominator", Some("100"))]);
        assert_eq!(weak.at_least(&floors), Rules::default());
        let strong = Rules { round_to: 10.0, secret_below: 11.0, min_denominator: 200.0 };
        assert!(strong.check(&floors).is_ok());
        assert_eq!(strong.at_least(&floors), strong);
        assert_eq!(weak.change(&Rules::default()), "afronden 1→5, geheim onder 0→8, minimale noemer 1→100");
        let mut errors = Invalid::default();
        assert_eq!((floors.check_group(&mut errors, "min_group", "3"), floors.check_group(&mut errors, "min_group", "7")), (5, 7));
        assert_eq!(errors.errors.len(), 1);
        assert_eq!(floors.group(3), 5);
    }

    #[test]
    fn roll_up_of_random_trees_and_overlapping_scopes_equals_the_sum_of_their_leaves() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for case in 0..500 {
            // A gemeente of wijken of buurten, with whole-number parts so sums are exact.
            let mut leaves = BTreeMap::new();
            let mut wijken: Vec<Vec<String>> = Vec::new();
            for w in 0..1 + rng.next(6) {
                let buurten: Vec<String> = (0..1 + rng.next(8)).map(|b| format!("BU{case:04}{w:02}{b:02}")).collect();
                for b in &buurten {
                    leaves.insert(b.clone(), Parts::ratio(rng.next(50) as f64, 50.0 + rng.next(500) as f64));
                }
                wijken.push(buurten);
            }
            let wijk_totals: Vec<Parts> = wijken.iter().map(|b| scope_total(&leaves, b)).collect();
            let gemeente = Parts::sum(&wijk_totals);
            assert_eq!(gemeente, Parts::sum(leaves.values()), "case {case}: wijken add up to the gemeente");
            // A scope of random buurten, some named twice (overlapping parts of the scope).
            let all: Vec<&String> = leaves.keys().collect();
            let members: Vec<String> = (0..1 + rng.next(12)).map(|_| all[rng.next(all.len() as u64) as usize].clone()).collect();
            let distinct: BTreeSet<&String> = members.iter().collect();
            let expected = Parts::sum(distinct.iter().map(|m| &leaves[*m]));
            assert_eq!(scope_total(&leaves, &members), expected, "case {case}: each area once");
        }
    }

    #[test]
    fn no_random_table_publishes_a_small_cell_or_lets_one_be_recomputed() {
        let rules = Rules::default();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..2000 {
            let cells: Vec<Parts> = (0..1 + rng.next(8)).map(|_| Parts::count(rng.next(40) as f64)).collect();
            let total = Parts::sum(&cells);
            let (head, shown) = publish_table(&total, &cells, IndicatorKind::Aantal, 1.0, &rules);
            for (cell, published) in cells.iter().zip(&shown) {
                if let Published::Value(v) = published {
                    assert!(cell.numerator >= rules.secret_below, "case {case}: a small count is shown");
                    assert_eq!(v % rules.round_to, 0.0, "case {case}: counts are rounded");
                }
            }
            let secret = shown.iter().filter(|p| **p == Published::Secret).count();
            assert!(head == Published::Secret || secret != 1, "case {case}: a lone secret cell follows from the total");
        }
    }
}
