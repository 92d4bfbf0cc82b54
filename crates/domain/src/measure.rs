//! Measurements as their parts, so that they add up exactly, and what may be published of them.
//!
//! A count is stored as its number; a ratio as numerator and denominator; a mean (or a scale
//! score) as the sum of the values and their number n. Adding areas up — buurt to wijk to
//! gemeente, or any scope, overlapping or not — sums the parts, never the percentages.
//! Publishing follows the CBS rule for youth-care counts per area: counts rounded to a multiple
//! of 5 and 0–7 shown as secret; a ratio or mean only from a large enough denominator or n.
//! What may be shown beside other figures is worked out for the whole publication of an
//! indicator at once (`disclosure`).

use crate::area::{AreaCode, AreaLevel};
use crate::disclosure::{Classification, Figure, roll_up};
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

/// An area's figure as the summaries keep it: the sum over its finest complete cover
/// (`disclosure::roll_up`), or, when that cover is incomplete, how many of the areas it is
/// made of have a figure — never a partial sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AreaFigure {
    Exact(Parts),
    Incomplete { measured: usize, areas: usize },
}

impl AreaFigure {
    /// Whether it holds anything: an exact zero with no denominator is what a period without
    /// approved figures adds up to.
    pub fn any(&self) -> bool {
        *self != AreaFigure::Exact(Parts::default())
    }

    pub fn parts(&self) -> Option<Parts> {
        match self {
            AreaFigure::Exact(parts) => Some(*parts),
            AreaFigure::Incomplete { .. } => None,
        }
    }
}

impl From<&Figure> for AreaFigure {
    fn from(figure: &Figure) -> AreaFigure {
        match figure {
            Figure::Exact { parts, .. } => AreaFigure::Exact(*parts),
            Figure::Incomplete { measured, areas } => AreaFigure::Incomplete { measured: *measured, areas: *areas },
        }
    }
}

/// What a period's measurements give: every gemeente and wijk with anything measured inside
/// it, and the collaboration's total (none when nothing was measured).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub total: Option<AreaFigure>,
    pub areas: BTreeMap<AreaCode, AreaFigure>,
}

/// The gemeenten and wijken of `disclosure::roll_up` over one period's measurements: a wijk
/// from its own measurement, else from its buurten when every buurt of it in `class` is
/// measured; a gemeente from its own, else from its wijken so chosen when every one has a
/// figure; the total from the gemeenten when every one has a figure. A buurt's figure is its
/// own measurement and is left out.
pub fn summarise(class: &Classification, measured: &BTreeMap<AreaCode, Parts>) -> Summary {
    let rollup = roll_up(class, measured);
    Summary {
        total: rollup.total.as_ref().map(AreaFigure::from),
        areas: rollup.areas.iter().filter(|(a, _)| a.level() != AreaLevel::Buurt).map(|(a, f)| (a.clone(), AreaFigure::from(f))).collect(),
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

/// A figure as it may be shown: a value, or why not. Secret is never drawn as zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum Published {
    Value(f64),
    /// Below the threshold, or else to be worked out from other published figures: one mark
    /// for both (`disclosure::Withheld::Secret`).
    Secret,
    /// The area's cover is incomplete: `measured` of the `areas` it is made of have a figure.
    Incomplete {
        measured: usize,
        areas: usize,
    },
    /// The denominator of a ratio, or the n of a mean, is below the minimum.
    Denominator,
    /// The audited publication that holds this figure is being worked out; nothing unaudited
    /// is shown meanwhile.
    Updating,
}

/// What may be shown of one cell on its own, by the primary rules of the publication layer
/// (`disclosure::primary`): a count rounded to the base; a ratio from its rounded parts with
/// one decimal, and only where its numerator would be shown as a count; a mean with one
/// decimal from an n of at least the minimum. Only the publication of the whole
/// (`disclosure::publish`) says what may be shown beside other figures.
pub fn publish(parts: &Parts, kind: IndicatorKind, factor: f64, rules: &Rules) -> Published {
    match crate::disclosure::primary(parts, kind, factor, rules) {
        crate::disclosure::Shown::Value { value, .. } => Published::Value(value),
        crate::disclosure::Shown::Withheld(crate::disclosure::Withheld::Denominator) => Published::Denominator,
        crate::disclosure::Shown::Withheld(_) => Published::Secret,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rng::Rng;
    use proptest::prelude::*;

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

    fn code(c: &str) -> AreaCode {
        AreaCode::parse(c).expect("code")
    }

    #[test]
    fn a_wijk_measured_itself_and_one_through_all_its_buurten_add_up_and_a_missing_buurt_says_so() {
        let class =
            Classification::from_codes(&["GM0888", "WK088800", "BU08880001", "BU08880002", "WK088801", "BU08880101", "BU08880102", "BU08880103"].map(code));
        let rows = |rows: &[(&str, f64)]| rows.iter().map(|(c, n)| (code(c), Parts::count(*n))).collect::<BTreeMap<_, _>>();
        let summary = summarise(&class, &rows(&[("WK088800", 625.0), ("BU08880101", 200.0), ("BU08880102", 60.0), ("BU08880103", 3.0)]));
        assert_eq!(summary.areas[&code("WK088801")], AreaFigure::Exact(Parts::count(263.0)));
        assert_eq!(summary.areas[&code("GM0888")], AreaFigure::Exact(Parts::count(888.0)));
        assert_eq!(summary.total, Some(AreaFigure::Exact(Parts::count(888.0))));
        assert!(!summary.areas.keys().any(|a| a.level() == AreaLevel::Buurt), "a buurt's figure is its measurement");
        let summary = summarise(&class, &rows(&[("WK088800", 625.0), ("BU08880101", 200.0), ("BU08880102", 60.0)]));
        assert_eq!(summary.areas[&code("WK088801")], AreaFigure::Incomplete { measured: 2, areas: 3 });
        assert_eq!(summary.areas[&code("GM0888")], AreaFigure::Incomplete { measured: 1, areas: 2 });
        assert_eq!(summary.total, Some(AreaFigure::Incomplete { measured: 0, areas: 1 }));
        assert_eq!(summarise(&class, &BTreeMap::new()), Summary::default());
    }

    /// A random classification of gemeenten, wijken and buurten (every wijk with at least one
    /// buurt), and per area whether it was measured and with what count.
    fn mixed_levels() -> impl Strategy<Value = (Vec<Vec<usize>>, Vec<(u8, u32)>)> {
        (prop::collection::vec(prop::collection::vec(1usize..5, 1..5), 1..4), prop::collection::vec((0u8..10, 0u32..500), 64))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        /// Against a brute force that knows nothing of levels: an area's cover is the measured
        /// areas inside it (or itself) that lie inside no other measured area inside it; the
        /// figure is exact when every buurt of the classification under it lies in that cover,
        /// and then it is the sum over the cover. Otherwise it is "measured of areas": of its
        /// children (the total: of the gemeenten with anything measured), those that are exact.
        #[test]
        fn summaries_equal_a_brute_force_sum_over_the_finest_complete_cover((shape, draws) in mixed_levels()) {
            let mut all: Vec<AreaCode> = Vec::new();
            for (g, wijken) in shape.iter().enumerate() {
                all.push(code(&format!("GM{:04}", 100 + g)));
                for (w, buurten) in wijken.iter().enumerate() {
                    all.push(code(&format!("WK{:04}{w:02}", 100 + g)));
                    all.extend((0..*buurten).map(|b| code(&format!("BU{:04}{w:02}{b:02}", 100 + g))));
                }
            }
            // Buurten are measured most often, gemeenten least: every mix of levels occurs.
            let mut measured = BTreeMap::new();
            for (i, area) in all.iter().enumerate() {
                let (pick, n) = draws[i % draws.len()];
                let chance = match area.level() { AreaLevel::Buurt => 7, AreaLevel::Wijk => 3, AreaLevel::Gemeente => 1 };
                if pick < chance {
                    measured.insert(area.clone(), Parts::ratio(f64::from(n), f64::from(n) + 100.0));
                }
            }
            let within = |outer: &AreaCode, inner: &AreaCode| inner.as_str()[2..].starts_with(&outer.as_str()[2..]);
            let cover = |area: &AreaCode| -> Vec<&AreaCode> {
                let inside: Vec<&AreaCode> = measured.keys().filter(|m| within(area, m)).collect();
                inside.iter().filter(|m| !inside.iter().any(|o| o != *m && within(o, m))).copied().collect()
            };
            let exact = |area: &AreaCode| -> Option<Parts> {
                let cover = cover(area);
                let buurten = all.iter().filter(|b| b.level() == AreaLevel::Buurt && within(area, b));
                let whole = buurten.clone().all(|b| cover.iter().any(|m| within(m, b)));
                // Sum by hand, without `Parts::sum`.
                whole.then(|| Parts {
                    numerator: cover.iter().map(|m| measured[*m].numerator).sum(),
                    denominator: Some(cover.iter().map(|m| measured[*m].denominator.unwrap_or(0.0)).sum()),
                })
            };
            let summary = summarise(&Classification::from_codes(&all), &measured);
            for area in all.iter().filter(|a| a.level() != AreaLevel::Buurt) {
                let any = measured.keys().any(|m| within(area, m));
                let children: Vec<&AreaCode> = all.iter().filter(|c| within(area, c) && c.as_str().len() == area.as_str().len() + 2).collect();
                let expected = match exact(area) {
                    _ if !any => None,
                    Some(parts) => Some(AreaFigure::Exact(parts)),
                    None => Some(AreaFigure::Incomplete { measured: children.iter().filter(|c| exact(c).is_some()).count(), areas: children.len() }),
                };
                prop_assert_eq!(summary.areas.get(area).copied(), expected, "{}", area);
            }
            let gemeenten: Vec<&AreaCode> = all.iter().filter(|g| g.level() == AreaLevel::Gemeente && measured.keys().any(|m| within(g, m))).collect();
            let total = match gemeenten.iter().map(|g| exact(g)).collect::<Option<Vec<Parts>>>() {
                _ if gemeenten.is_empty() => None,
                Some(parts) => Some(AreaFigure::Exact(Parts {
                    numerator: parts.iter().map(|p| p.numerator).sum(),
                    denominator: Some(parts.iter().map(|p| p.denominator.unwrap_or(0.0)).sum()),
                })),
                None => Some(AreaFigure::Incomplete { measured: gemeenten.iter().filter(|g| exact(g).is_some()).count(), areas: gemeenten.len() }),
            };
            prop_assert_eq!(summary.total, total);
        }
    }

    #[test]
    fn the_cbs_rule_rounds_counts_and_keeps_small_ones_secret() {
        let rules = Rules::default();
        let count = |n: f64| publish(&Parts::count(n), IndicatorKind::Aantal, 1.0, &rules);
        assert_eq!(
            [count(0.0), count(7.0), count(8.0), count(12.0), count(13.0)],
            [Published::Secret, Published::Secret, Published::Value(10.0), Published::Value(10.0), Published::Value(15.0)]
        );
        assert_eq!(publish(&Parts::ratio(5.0, 99.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Denominator);
        // A rate's numerator is a count: 5 of 100 would give a secret count back.
        assert_eq!(publish(&Parts::ratio(5.0, 100.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Secret);
        // 2 of 497 (0.4024…) gave its numerator back at full precision.
        assert_eq!(publish(&Parts::ratio(2.0, 497.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Secret);
        // Shown rates come from the rounded parts, with one decimal: 43 of 497 as 45 of 495.
        assert_eq!(publish(&Parts::ratio(43.0, 497.0), IndicatorKind::Verhouding, 100.0, &rules), Published::Value(9.1));
        // A mean with one decimal, from an n of at least the minimum.
        assert_eq!(publish(&Parts::ratio(1000.0 / 3.0 * 1.2, 120.0), IndicatorKind::Gemiddelde, 1.0, &rules), Published::Value(3.3));
        assert_eq!(publish(&Parts::ratio(330.0, 99.0), IndicatorKind::Gemiddelde, 1.0, &rules), Published::Denominator);
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
}
