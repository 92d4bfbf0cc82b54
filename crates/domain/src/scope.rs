//! A collaboration's own working areas (werkgebieden): named sets of CBS areas — a jeugdregio,
//! a samenwerkingsverband, "the wijken of the north" — or of partner locations, each with the
//! buurt it lies in (a kindcentrum with two buildings). They may overlap one another and cut
//! across gemeenten; they are not one tree. A working area's figure is the sum of the parts of
//! its areas, each counted once.
//!
//! A figure over an arbitrary set of areas can give away a secret one: a gemeente's published
//! total minus a working area that holds all of it but one buurt is that buurt. So a working
//! area's figure is shown only when, in every gemeente it touches without covering, what it
//! leaves out of that gemeente could be shown too.

use crate::area::{AreaCode, AreaLevel};
use crate::error::{Invalid, optional_text, required_text};
use crate::measure::{IndicatorKind, Parts, Published, Rules, publish};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

vocabulary!(
    /// What a working area is made of.
    ScopeKind { Gebieden = "gebieden", Locaties = "locaties" }
);

/// The most members a working area may list.
pub const MAX_MEMBERS: usize = 20_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ScopeInput {
    pub name: String,
    /// `gebieden` or `locaties`.
    pub kind: String,
    pub description: String,
    /// One member per line: an area code, optionally after a name and a semicolon
    /// ("Kindcentrum De Boog; BU03440111"). A location needs its name.
    pub members: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The location's name, or empty for an area.
    pub label: String,
    pub area: AreaCode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeContent {
    pub name: String,
    pub kind: ScopeKind,
    pub description: String,
    pub members: Vec<Member>,
}

impl ScopeContent {
    pub fn parse(input: &ScopeInput) -> Result<ScopeContent, Invalid> {
        let mut errors = Invalid::default();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let description = optional_text(&mut errors, "description", &input.description, 2_000);
        let kind = ScopeKind::from_code(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", "err.choice");
        }
        let mut members = Vec::new();
        for line in input.members.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (label, code) = match line.rsplit_once(';') {
                Some((label, code)) => (label.trim(), code),
                None => ("", line),
            };
            match AreaCode::parse(code) {
                Some(area) if !(kind == Some(ScopeKind::Locaties) && (label.is_empty() || area.level() != AreaLevel::Buurt)) => {
                    members.push(Member { label: label.chars().take(200).collect(), area })
                }
                _ => {
                    errors.add("members", if kind == Some(ScopeKind::Locaties) { "err.scope_location" } else { "err.scope_area" });
                    break;
                }
            }
        }
        if members.is_empty() && errors.for_field("members").is_none() {
            errors.add("members", "err.required");
        }
        if members.len() > MAX_MEMBERS {
            errors.add("members", "err.too_long");
        }
        errors.or(ScopeContent { name, kind: kind.unwrap_or(ScopeKind::Gebieden), description, members })
    }

    pub fn input(&self) -> ScopeInput {
        let members = self.members.iter().map(|m| if m.label.is_empty() { m.area.to_string() } else { format!("{}; {}", m.label, m.area) }).collect::<Vec<_>>();
        ScopeInput { name: self.name.clone(), kind: self.kind.code().into(), description: self.description.clone(), members: members.join("\n") }
    }

    /// The areas whose figures add up to the working area's: each once, and none that lies
    /// inside another member (a buurt of a listed wijk is in the wijk's figure already).
    pub fn covering(&self) -> Vec<AreaCode> {
        covering(self.members.iter().map(|m| &m.area))
    }
}

/// Whether `outer` holds `inner` (a gemeente its wijken and buurten, a wijk its buurten).
pub fn contains(outer: &AreaCode, inner: &AreaCode) -> bool {
    let (o, i) = (&outer.as_str()[2..], &inner.as_str()[2..]);
    o.len() < i.len() && i.starts_with(o)
}

/// The distinct areas of `members` that lie inside no other member.
pub fn covering<'a>(members: impl IntoIterator<Item = &'a AreaCode>) -> Vec<AreaCode> {
    let distinct: BTreeSet<&AreaCode> = members.into_iter().collect();
    distinct.iter().filter(|a| !distinct.iter().any(|o| contains(o, a))).map(|a| (*a).clone()).collect()
}

/// A working area's figure in one period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum ScopeFigure {
    /// What may be shown of the sum.
    Published(Published),
    /// Some of its areas have no approved figure in the period: a sum would look whole and not be.
    Incomplete { measured: usize, areas: usize },
}

/// The figure of a working area in one period from `figures`: the approved figure of each of
/// its covering areas and of the wijken and gemeenten they lie in (absent when not measured),
/// and `alone`: how each covering area is published in the table of its own level. An area
/// that table keeps secret — small, or hidden to protect a small neighbour — keeps the working
/// area secret too, or the neighbour would follow after all. Of every wijk and gemeente it
/// covers in part, what it leaves out must be publishable on its own (a wijk minus a working
/// area of its shown buurten is its secret buurt); so must what it adds to each of the
/// collaboration's other working areas (`others`, their covering areas) that it holds whole.
pub fn scope_figure(
    covering: &[AreaCode],
    others: &[Vec<AreaCode>],
    figures: &BTreeMap<AreaCode, Parts>,
    alone: &BTreeMap<AreaCode, Published>,
    kind: IndicatorKind,
    factor: f64,
    rules: &Rules,
) -> ScopeFigure {
    let measured: Vec<&Parts> = covering.iter().filter_map(|a| figures.get(a)).collect();
    if measured.len() < covering.len() {
        return ScopeFigure::Incomplete { measured: measured.len(), areas: covering.len() };
    }
    if covering.iter().any(|a| alone.get(a).is_none_or(|p| *p == Published::Secret)) {
        return ScopeFigure::Published(Published::Secret);
    }
    let total = Parts::sum(measured);
    let mut inside: BTreeMap<AreaCode, Vec<&Parts>> = BTreeMap::new();
    for area in covering {
        for outer in containing(area) {
            inside.entry(outer).or_default().extend(figures.get(area));
        }
    }
    let secret_rest = |whole: &Parts, part: &Parts| {
        let rest = Parts {
            numerator: whole.numerator - part.numerator,
            denominator: match (whole.denominator, part.denominator) {
                (Some(w), p) => Some(w - p.unwrap_or(0.0)),
                (None, _) => None,
            },
        };
        let nothing_left = rest.numerator == 0.0 && rest.denominator.unwrap_or(0.0) == 0.0;
        !nothing_left && publish(&rest, kind, factor, rules) == Published::Secret
    };
    let leaves_out = inside.iter().any(|(outer, parts)| figures.get(outer).is_some_and(|whole| secret_rest(whole, &Parts::sum(parts.iter().copied()))));
    // Another working area made of some of this one's areas: this one minus it is the rest.
    let own: BTreeSet<&AreaCode> = covering.iter().collect();
    let adds_to = others.iter().any(|other| {
        let theirs: BTreeSet<&AreaCode> = other.iter().collect();
        theirs.len() < own.len() && theirs.is_subset(&own) && secret_rest(&total, &Parts::sum(other.iter().filter_map(|a| figures.get(a))))
    });
    ScopeFigure::Published(if leaves_out || adds_to { Published::Secret } else { publish(&total, kind, factor, rules) })
}

/// The areas a covering area lies in: a wijk's gemeente, a buurt's wijk and gemeente.
fn containing(area: &AreaCode) -> Vec<AreaCode> {
    match area.level() {
        AreaLevel::Gemeente => Vec::new(),
        AreaLevel::Wijk => vec![area.gemeente()],
        AreaLevel::Buurt => vec![crate::disclosure::wijk_of(area), area.gemeente()],
    }
}

/// The areas whose figures `scope_figure` needs: the covering areas and the wijken and
/// gemeenten they lie in.
pub fn figure_areas(covering: &[AreaCode]) -> Vec<AreaCode> {
    let all: BTreeSet<AreaCode> = covering.iter().cloned().chain(covering.iter().flat_map(containing)).collect();
    all.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> AreaCode {
        AreaCode::parse(c).expect("code")
    }

    fn input(kind: &str, members: &str) -> ScopeInput {
        ScopeInput { name: "Noord".into(), kind: kind.into(), description: String::new(), members: members.into() }
    }

    #[test]
    fn members_are_codes_or_named_locations_in_a_buurt() {
        let scope = ScopeContent::parse(&input("gebieden", "gm0344\n\n  WK036301 \nBU03440111")).expect("valid");
        assert_eq!(scope.members.iter().map(|m| m.area.as_str()).collect::<Vec<_>>(), ["GM0344", "WK036301", "BU03440111"]);
        let locations = ScopeContent::parse(&input("locaties", "Kindcentrum De Boog; BU03440111\nDe Boog, dependance; BU03440112")).expect("valid");
        assert_eq!(locations.members[1].label, "De Boog, dependance");
        assert_eq!(ScopeContent::parse(&locations.input()).expect("round trip"), locations);
        for (kind, members, field) in [
            ("gebieden", "GM0344\nXX12", "members"),
            ("locaties", "BU03440111", "members"),
            ("locaties", "De Boog; WK034401", "members"),
            ("gebieden", "", "members"),
            ("land", "GM0344", "kind"),
        ] {
            let err = ScopeContent::parse(&input(kind, members)).expect_err(members);
            assert!(err.for_field(field).is_some(), "{kind} {members:?}");
        }
    }

    #[test]
    fn an_area_inside_another_member_counts_once() {
        let members = [code("WK034401"), code("BU03440111"), code("BU03440211"), code("BU03440211"), code("GM0363"), code("BU0363AD01")];
        assert_eq!(covering(&members), [code("BU03440211"), code("GM0363"), code("WK034401")]);
        assert!(
            contains(&code("GM0344"), &code("BU03440111")) && !contains(&code("GM0344"), &code("GM0344")) && !contains(&code("WK034402"), &code("BU03440111"))
        );
    }

    #[test]
    fn a_working_area_that_would_give_away_what_it_leaves_out_is_secret() {
        let rules = Rules::default();
        let figures: BTreeMap<AreaCode, Parts> = [
            ("GM0344", Parts::count(50.0)),
            ("WK034401", Parts::count(45.0)),
            ("WK034402", Parts::count(5.0)),
            ("GM0363", Parts::count(30.0)),
            ("WK036301", Parts::count(18.0)),
            ("WK036302", Parts::count(12.0)),
        ]
        .into_iter()
        .map(|(c, p)| (code(c), p))
        .collect();
        let alone: BTreeMap<AreaCode, Published> = figures.iter().map(|(a, p)| (a.clone(), publish(p, IndicatorKind::Aantal, 1.0, &rules))).collect();
        let figure = |members: &[&str]| {
            let covering = covering(members.iter().map(|c| code(c)).collect::<Vec<_>>().iter());
            scope_figure(&covering, &[], &figures, &alone, IndicatorKind::Aantal, 1.0, &rules)
        };
        // Utrecht's wijk 01 leaves out wijk 02 with 5: Utrecht's 50 minus the scope would show it.
        assert_eq!(figure(&["WK034401"]), ScopeFigure::Published(Published::Secret));
        // Amsterdam's wijk 01 leaves out 12, which may be shown itself.
        assert_eq!(figure(&["WK036301"]), ScopeFigure::Published(Published::Value(20.0)));
        // Whole gemeenten leave nothing out.
        assert_eq!(figure(&["GM0344", "WK034401", "GM0363"]), ScopeFigure::Published(Published::Value(80.0)));
        // A part that is secret on its own keeps the sum secret: with Utrecht's 50 published,
        // wijk 02 would follow from the working area minus wijk 01.
        assert_eq!(figure(&["WK034401", "WK034402"]), ScopeFigure::Published(Published::Secret));
        let mut hidden = alone.clone();
        hidden.insert(code("GM0363"), Published::Secret);
        let covering = covering([code("GM0363")].iter());
        assert_eq!(
            scope_figure(&covering, &[], &figures, &hidden, IndicatorKind::Aantal, 1.0, &rules),
            ScopeFigure::Published(Published::Secret),
            "a gemeente its own table hides, to protect a neighbour, stays hidden"
        );
        // A buurt without a figure makes the sum incomplete, not smaller.
        assert_eq!(figure(&["WK036301", "BU03440111"]), ScopeFigure::Incomplete { measured: 1, areas: 2 });
    }

    #[test]
    fn a_working_area_of_a_wijks_shown_buurten_or_around_another_working_area_is_secret_when_the_rest_is_small() {
        let rules = Rules::default();
        let figures: BTreeMap<AreaCode, Parts> = [
            ("GM0344", Parts::count(204.0)),
            ("WK034401", Parts::count(44.0)),
            ("BU03440101", Parts::count(20.0)),
            ("BU03440102", Parts::count(21.0)),
            ("BU03440103", Parts::count(3.0)),
            ("WK034402", Parts::count(160.0)),
            ("BU03440201", Parts::count(100.0)),
            ("BU03440202", Parts::count(50.0)),
            ("BU03440203", Parts::count(10.0)),
        ]
        .into_iter()
        .map(|(c, p)| (code(c), p))
        .collect();
        let alone: BTreeMap<AreaCode, Published> = figures.iter().map(|(a, p)| (a.clone(), publish(p, IndicatorKind::Aantal, 1.0, &rules))).collect();
        let codes = |members: &[&str]| members.iter().map(|c| code(c)).collect::<Vec<_>>();
        let figure = |members: &[&str], others: &[Vec<AreaCode>]| scope_figure(&codes(members), others, &figures, &alone, IndicatorKind::Aantal, 1.0, &rules);
        // Wijk 01 (44) minus its two shown buurten (41) is its secret buurt of 3.
        assert_eq!(figure(&["BU03440101", "BU03440102"], &[]), ScopeFigure::Published(Published::Secret));
        assert!(figure_areas(&codes(&["BU03440101"])).contains(&code("WK034401")), "the wijk's figure is read too");
        // A helper buurt from the other wijk on both sides does not hide it either.
        assert_eq!(figure(&["BU03440101", "BU03440102", "BU03440201"], &[]), ScopeFigure::Published(Published::Secret));
        // Two working areas that differ by one small buurt: the larger one is withheld.
        let smaller = codes(&["BU03440201"]);
        let larger = ["BU03440201", "BU03440202"];
        assert_eq!(figure(&["BU03440201"], &[codes(&larger)]), ScopeFigure::Published(Published::Value(100.0)));
        assert_eq!(figure(&larger, std::slice::from_ref(&smaller)), ScopeFigure::Published(Published::Value(150.0)), "the rest, 50, may be shown");
        let figures_small_rest: BTreeMap<AreaCode, Parts> =
            figures.iter().map(|(a, p)| (a.clone(), if a.as_str() == "BU03440202" { Parts::count(9.0) } else { *p })).collect();
        let alone_small_rest: BTreeMap<AreaCode, Published> =
            figures_small_rest.iter().map(|(a, p)| (a.clone(), publish(p, IndicatorKind::Aantal, 1.0, &rules))).collect();
        // 9 may be shown on its own (rounded to 10), and so may the two working areas, 100 and
        // 109; but 8 would not: with a rest of 6 the larger one is withheld.
        let with_rest = |rest: f64| {
            let mut f = figures_small_rest.clone();
            f.insert(code("BU03440202"), Parts::count(rest));
            let mut a = alone_small_rest.clone();
            a.insert(code("BU03440202"), Published::Value(10.0));
            scope_figure(&codes(&larger), std::slice::from_ref(&smaller), &f, &a, IndicatorKind::Aantal, 1.0, &rules)
        };
        assert_eq!(with_rest(9.0), ScopeFigure::Published(Published::Value(110.0)));
        assert_eq!(with_rest(6.0), ScopeFigure::Published(Published::Secret));
    }

    #[test]
    fn no_random_working_area_lets_a_secret_rest_of_a_gemeente_be_recomputed() {
        let rules = Rules::default();
        let mut rng = crate::rng::Rng(0x2545_f491_4f6c_dd1d);
        let mut next = |n: u64| rng.next(n);
        for case in 0..1000 {
            let wijken: Vec<AreaCode> = (0..2 + next(5)).map(|w| code(&format!("WK0344{w:02}"))).collect();
            let mut figures: BTreeMap<AreaCode, Parts> = wijken.iter().map(|w| (w.clone(), Parts::count(next(30) as f64))).collect();
            let whole = Parts::sum(figures.values());
            figures.insert(code("GM0344"), whole);
            let chosen: Vec<AreaCode> = wijken.iter().filter(|_| next(2) == 0).cloned().collect();
            if chosen.is_empty() {
                continue;
            }
            let part = Parts::sum(chosen.iter().map(|w| &figures[w]));
            let rest = Parts::count(whole.numerator - part.numerator);
            let alone: BTreeMap<AreaCode, Published> = figures.iter().map(|(a, p)| (a.clone(), publish(p, IndicatorKind::Aantal, 1.0, &rules))).collect();
            if let ScopeFigure::Published(Published::Value(_)) = scope_figure(&chosen, &[], &figures, &alone, IndicatorKind::Aantal, 1.0, &rules) {
                assert!(
                    rest.numerator == 0.0 || publish(&rest, IndicatorKind::Aantal, 1.0, &rules) != Published::Secret,
                    "case {case}: the gemeente minus the working area is a secret {}",
                    rest.numerator
                );
            }
        }
    }
}
