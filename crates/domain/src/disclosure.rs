//! The publication of an indicator: what a reader without raw access may see of every cell —
//! every buurt, wijk and gemeente, the collaboration's total and every working area, in every
//! related period — computed at once from the whole of it, the way statistical agencies do.
//!
//! 1. **Exact roll-up** (`roll_up`): an area's figure is the sum over the finest complete cover
//!    of it — its own measurement, else its children's figures when every child has one — never
//!    two levels for the same children and never a partial sum: an area whose cover is
//!    incomplete is `Incomplete { measured, areas }`.
//! 2. **Primary rules** (CBS practice): counts rounded to the base, below the threshold secret;
//!    a ratio only from a denominator of at least the minimum and a numerator that would be
//!    shown as a count, computed from the rounded parts with one decimal; a mean only from n of
//!    at least the minimum, with one decimal.
//! 3. **Secondary suppression** over every linear relation a reader can see (an area and the
//!    areas it is the sum of, the total and the gemeenten, a working area and its areas, a year
//!    and its halves or quarters): in each relation with exactly one withheld member the smallest
//!    shown part is withheld too, until none is left.
//! 4. **Audit** with a linear-programming solver: the unknowns are the true numerators of the
//!    measured areas; every shown count v says the true value lies in [v − ⌊base/2⌋, v + ⌈base/2⌉ − 1]
//!    (integers relaxed), every withheld one what its reason says (below the threshold, or not);
//!    for every withheld cell the solver computes the tightest interval an attacker can prove.
//!    A cell whose interval neither holds all of 0 … threshold−1 nor is at least the threshold
//!    wide gets one more suppression (a working area first, else the smallest shown neighbour),
//!    and the audit repeats; so does a shown count whose exact value would follow. Up to
//!    `JOINT_LIMIT` unknowns it is one program; above, the problem is cut into blocks per
//!    gemeente (gemeenten that a working area cuts across form one block) and a top block of
//!    totals over the gemeenten, which exchange the intervals of the gemeente figures they share
//!    until nothing narrows — tau-Argus's modular approach, which like it may miss what only
//!    the blocks together prove.

use crate::area::{AreaCode, AreaLevel};
use crate::measure::{IndicatorKind, Parts, Rules};
use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp, variable};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The classification: per gemeente its wijken, per wijk its buurten. Completeness is judged
/// against it; an area it does not list counts as one more child when it is measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Classification {
    pub wijken: BTreeMap<AreaCode, BTreeSet<AreaCode>>,
    pub buurten: BTreeMap<AreaCode, BTreeSet<AreaCode>>,
}

impl Classification {
    pub fn from_areas(areas: &[crate::area::Area]) -> Classification {
        Classification::from_codes(areas.iter().map(|a| &a.code))
    }

    /// From codes alone: a buurt lies in the wijk of its first eight characters, a wijk in its gemeente.
    pub fn from_codes<'a>(codes: impl IntoIterator<Item = &'a AreaCode>) -> Classification {
        let mut class = Classification::default();
        for code in codes {
            class.add(code);
        }
        class
    }

    fn add(&mut self, code: &AreaCode) {
        match code.level() {
            AreaLevel::Gemeente => {
                self.wijken.entry(code.clone()).or_default();
            }
            AreaLevel::Wijk => {
                self.wijken.entry(code.gemeente()).or_default().insert(code.clone());
                self.buurten.entry(code.clone()).or_default();
            }
            AreaLevel::Buurt => {
                let wijk = wijk_of(code);
                self.wijken.entry(code.gemeente()).or_default().insert(wijk.clone());
                self.buurten.entry(wijk).or_default().insert(code.clone());
            }
        }
    }

    /// Only the gemeenten named, for a classification loaded whole.
    pub fn restricted_to(&self, gemeenten: &BTreeSet<AreaCode>) -> Classification {
        let wijken: BTreeMap<AreaCode, BTreeSet<AreaCode>> =
            self.wijken.iter().filter(|(g, _)| gemeenten.contains(*g)).map(|(g, w)| (g.clone(), w.clone())).collect();
        let buurten = self.buurten.iter().filter(|(w, _)| gemeenten.contains(&w.gemeente())).map(|(w, b)| (w.clone(), b.clone())).collect();
        Classification { wijken, buurten }
    }
}

/// The wijk a buurt lies in.
pub fn wijk_of(buurt: &AreaCode) -> AreaCode {
    AreaCode::parse(&format!("WK{}", &buurt.as_str()[2..8])).unwrap_or_else(|| buurt.gemeente())
}

/// An area's figure from its finest complete cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Figure {
    /// The sum of the parts of `atoms`: the measured areas it adds up from, each once.
    Exact { parts: Parts, atoms: Vec<AreaCode> },
    /// `measured` of the `areas` it is made of have a figure: no sum is given.
    Incomplete { measured: usize, areas: usize },
}

impl Figure {
    pub fn parts(&self) -> Option<Parts> {
        match self {
            Figure::Exact { parts, .. } => Some(*parts),
            Figure::Incomplete { .. } => None,
        }
    }
}

/// Every area with anything measured inside it, by code, and the collaboration's total.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollup {
    pub areas: BTreeMap<AreaCode, Figure>,
    pub total: Option<Figure>,
}

/// Adds up one period's measurements (at any mix of levels) exactly: a buurt is its own
/// measurement; a wijk its own, else the sum of its buurten when all of them are measured; a
/// gemeente its own, else the sum of its wijken so chosen when every one has a figure; the
/// total the sum of the gemeenten when every one has a figure.
pub fn roll_up(class: &Classification, measured: &BTreeMap<AreaCode, Parts>) -> Rollup {
    let mut class = class.restricted_to(&measured.keys().map(AreaCode::gemeente).collect());
    for code in measured.keys() {
        class.add(code);
    }
    let mut areas = BTreeMap::new();
    let exact = |code: &AreaCode| measured.get(code).map(|p| Figure::Exact { parts: *p, atoms: vec![code.clone()] });
    let mut gemeenten = Vec::new();
    for (gemeente, wijken) in &class.wijken {
        let mut wijk_figures = Vec::new();
        for wijk in wijken {
            let buurten = class.buurten.get(wijk).cloned().unwrap_or_default();
            let mut buurt_figures = Vec::new();
            for buurt in &buurten {
                if let Some(f) = exact(buurt) {
                    areas.insert(buurt.clone(), f.clone());
                    buurt_figures.push(f);
                }
            }
            let figure = exact(wijk).or_else(|| combine(&buurt_figures, buurten.len()));
            if let Some(f) = figure {
                areas.insert(wijk.clone(), f.clone());
                wijk_figures.push(f);
            }
        }
        if let Some(f) = exact(gemeente).or_else(|| combine(&wijk_figures, wijken.len())) {
            areas.insert(gemeente.clone(), f.clone());
            gemeenten.push(f);
        }
    }
    let total = combine(&gemeenten, gemeenten.len());
    Rollup { areas, total }
}

/// The figure of an area made of `of` children, from the figures of those that have one; none
/// when none has.
fn combine(figures: &[Figure], of: usize) -> Option<Figure> {
    if figures.is_empty() {
        return None;
    }
    let complete: Vec<(&Parts, &Vec<AreaCode>)> = figures
        .iter()
        .filter_map(|f| match f {
            Figure::Exact { parts, atoms } => Some((parts, atoms)),
            Figure::Incomplete { .. } => None,
        })
        .collect();
    if complete.len() < of {
        return Some(Figure::Incomplete { measured: complete.len(), areas: of });
    }
    let parts = Parts::sum(complete.iter().map(|(p, _)| *p));
    let atoms = complete.iter().flat_map(|(_, a)| a.iter().cloned()).collect();
    Some(Figure::Exact { parts, atoms })
}

/// A cell of a publication: the collaboration's total, an area, or a working area.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Place {
    Total,
    Area(AreaCode),
    Scope(i64),
}

/// A cell of another period or place, named in an explanation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellRef {
    pub period: String,
    pub place: Place,
}

/// Why a value is withheld, as a reader may know it. A count below the threshold and a count
/// withheld to protect another look the same (as CBS publishes them: one mark for both), for
/// telling them apart would say of the second that it is at least the threshold — and that,
/// next to small parts, narrows those parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Withheld {
    /// Below the threshold, or else to be worked out from the cells `via` (the areas and
    /// periods it adds up to).
    Secret { via: Vec<CellRef> },
    /// A working area too small, or too close to the areas `with` (those it lies in or cuts
    /// across), to be shown.
    TooClose { with: Vec<CellRef> },
    /// The denominator of a ratio, or the n of a mean, is below the minimum.
    Denominator,
    /// Some of its parts have no figure.
    Incomplete { measured: usize, areas: usize },
}

/// What a reader may see of one cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Shown {
    /// The value as published (a rounded count, a ratio or mean with one decimal), and for a
    /// ratio or mean the rounded parts it was computed from.
    Value {
        value: f64,
        numerator: Option<f64>,
        denominator: Option<f64>,
    },
    Withheld(Withheld),
}

impl Shown {
    pub fn value(&self) -> Option<f64> {
        match self {
            Shown::Value { value, .. } => Some(*value),
            Shown::Withheld(_) => None,
        }
    }
}

/// A working area: its id, and the areas that add up to it (none inside another).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeDef {
    pub id: i64,
    pub covering: Vec<AreaCode>,
}

/// Everything an indicator's publication is made from.
#[derive(Debug, Clone)]
pub struct Input {
    pub kind: IndicatorKind,
    pub factor: f64,
    pub rules: Rules,
    pub class: Classification,
    /// Per period, its approved measurements by area.
    pub periods: BTreeMap<String, BTreeMap<AreaCode, Parts>>,
    pub scopes: Vec<ScopeDef>,
    /// Whether the audit also proves of every shown count that its exact value does not follow
    /// (twice the solver runs of a publication with few withheld cells).
    pub check_shown: bool,
}

/// The publication: every cell in every period, and how many solver runs the audit took.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub cells: BTreeMap<String, BTreeMap<Place, Shown>>,
    #[serde(default)]
    pub solver_runs: usize,
}

impl Publication {
    pub fn get(&self, period: &str, place: &Place) -> Option<&Shown> {
        self.cells.get(period).and_then(|c| c.get(place))
    }

    pub fn area(&self, period: &str, area: &AreaCode) -> Option<&Shown> {
        self.get(period, &Place::Area(area.clone()))
    }
}

/// A count as published: rounded to the base.
pub fn round_count(n: f64, rules: &Rules) -> f64 {
    (n / rules.round_to).round() * rules.round_to
}

/// One decimal.
fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The interval of true integers that a published rounded count v stands for.
pub fn rounding_interval(v: f64, rules: &Rules) -> (f64, f64) {
    let half = rules.round_to / 2.0;
    ((v - half).ceil().max(0.0), (v + half).ceil() - 1.0)
}

/// Whether an interval an attacker can prove of a withheld count protects it.
pub fn protected(low: f64, high: f64, rules: &Rules) -> bool {
    const EPS: f64 = 1e-6;
    let floor = rules.secret_below - 1.0;
    (low <= EPS && high >= floor - EPS) || high - low >= rules.secret_below - EPS
}

/// Whether the value a reader may see of a count or ratio protects its numerator (means are
/// protected by their n alone).
fn protects_numerator(kind: IndicatorKind) -> bool {
    matches!(kind, IndicatorKind::Aantal | IndicatorKind::Verhouding)
}

/// What the primary rules allow of one cell on its own.
pub fn primary(parts: &Parts, kind: IndicatorKind, factor: f64, rules: &Rules) -> Shown {
    match kind {
        IndicatorKind::Aantal if parts.numerator < rules.secret_below => Shown::Withheld(Withheld::Secret { via: Vec::new() }),
        IndicatorKind::Aantal => Shown::Value { value: round_count(parts.numerator, rules), numerator: None, denominator: None },
        IndicatorKind::Verhouding => {
            let denominator = parts.denominator.unwrap_or(0.0);
            if denominator < rules.min_denominator {
                Shown::Withheld(Withheld::Denominator)
            } else if parts.numerator < rules.secret_below {
                Shown::Withheld(Withheld::Secret { via: Vec::new() })
            } else {
                let (n, d) = (round_count(parts.numerator, rules), round_count(denominator, rules));
                Shown::Value { value: one_decimal(n / d * factor), numerator: Some(n), denominator: Some(d) }
            }
        }
        IndicatorKind::Gemiddelde | IndicatorKind::Schaalscore => match parts.denominator.filter(|n| *n >= rules.min_denominator && *n > 0.0) {
            Some(n) => Shown::Value { value: one_decimal(parts.numerator / n), numerator: None, denominator: Some(round_count(n, rules)) },
            None => Shown::Withheld(Withheld::Denominator),
        },
    }
}

/// Up to this many unknowns (measured areas × periods) the audit is one linear program over
/// everything; above it the audit is cut into blocks, whose exchange of intervals may miss
/// what only the blocks together prove.
const JOINT_LIMIT: usize = 2_000;

/// A cell while the publication is worked out.
#[derive(Debug, Clone)]
struct Cell {
    period: usize,
    place: Place,
    truth: Parts,
    /// The atoms (period, measured area) it adds up, each once.
    atoms: Vec<usize>,
    shown: Shown,
    /// Withheld by the primary rules for a small count: what the audit protects.
    small: bool,
    /// Withheld to protect another cell.
    secondary: bool,
    /// The gemeenten its atoms lie in.
    gemeenten: BTreeSet<AreaCode>,
}

/// A relation a reader can see: `whole` is the sum of `parts` (cell indices).
#[derive(Debug, Clone)]
struct Relation {
    whole: usize,
    parts: Vec<usize>,
}

struct Work<'a> {
    input: &'a Input,
    periods: Vec<String>,
    cells: Vec<Cell>,
    index: BTreeMap<(usize, Place), usize>,
    relations: Vec<Relation>,
    /// Atoms: (period, area).
    atoms: Vec<(usize, AreaCode)>,
    /// Equalities between atoms that hold in the data and a reader may assume (an area
    /// measured itself and through all its children; a year and its halves).
    equalities: Vec<(Vec<usize>, Vec<usize>)>,
    solver_runs: usize,
    /// Whether the audit also proves of every shown count that its exact value does not follow.
    check_shown: bool,
}

/// Works out the whole publication of one indicator.
pub fn publish(input: &Input) -> Publication {
    let mut work = Work::new(input);
    work.primary();
    work.secondary();
    if protects_numerator(input.kind) {
        work.audit();
    }
    work.finish()
}

impl<'a> Work<'a> {
    fn new(input: &'a Input) -> Work<'a> {
        let periods: Vec<String> = input.periods.keys().cloned().collect();
        let mut work = Work {
            input,
            periods,
            cells: Vec::new(),
            index: BTreeMap::new(),
            relations: Vec::new(),
            atoms: Vec::new(),
            equalities: Vec::new(),
            solver_runs: 0,
            check_shown: input.check_shown,
        };
        let mut atom_index: BTreeMap<(usize, AreaCode), usize> = BTreeMap::new();
        for (p, (_, measured)) in input.periods.iter().enumerate() {
            let rollup = roll_up(&input.class, measured);
            let mut atoms_of = |codes: &[AreaCode], atoms: &mut Vec<(usize, AreaCode)>| -> Vec<usize> {
                codes
                    .iter()
                    .map(|c| {
                        *atom_index.entry((p, c.clone())).or_insert_with(|| {
                            atoms.push((p, c.clone()));
                            atoms.len() - 1
                        })
                    })
                    .collect()
            };
            let mut figures: Vec<(Place, Figure)> = rollup.areas.iter().map(|(a, f)| (Place::Area(a.clone()), f.clone())).collect();
            if let Some(total) = &rollup.total {
                figures.push((Place::Total, total.clone()));
            }
            for scope in &input.scopes {
                let parts: Vec<Figure> = scope.covering.iter().filter_map(|a| rollup.areas.get(a).cloned()).collect();
                let whole = if parts.is_empty() {
                    Figure::Incomplete { measured: 0, areas: scope.covering.len() }
                } else {
                    combine(&parts, scope.covering.len()).unwrap_or(Figure::Incomplete { measured: 0, areas: scope.covering.len() })
                };
                figures.push((Place::Scope(scope.id), whole));
            }
            for (place, figure) in figures {
                let (truth, atoms, shown) = match &figure {
                    Figure::Exact { parts, atoms } => (*parts, atoms_of(atoms, &mut work.atoms), primary(parts, input.kind, input.factor, &input.rules)),
                    Figure::Incomplete { measured, areas } => {
                        (Parts::default(), Vec::new(), Shown::Withheld(Withheld::Incomplete { measured: *measured, areas: *areas }))
                    }
                };
                let gemeenten = atoms.iter().map(|a| work.atoms[*a].1.gemeente()).collect();
                let small = matches!(shown, Shown::Withheld(Withheld::Secret { .. }));
                work.index.insert((p, place.clone()), work.cells.len());
                work.cells.push(Cell { period: p, place, truth, atoms, shown, small, secondary: false, gemeenten });
            }
            // Relations of the hierarchy: a derived figure is the sum of the children it came from.
            let child_cells = |parent: &AreaCode| -> Vec<AreaCode> {
                match parent.level() {
                    AreaLevel::Gemeente => rollup.areas.keys().filter(|a| a.level() == AreaLevel::Wijk && a.gemeente() == *parent).cloned().collect(),
                    AreaLevel::Wijk => rollup.areas.keys().filter(|a| a.level() == AreaLevel::Buurt && wijk_of(a) == *parent).cloned().collect(),
                    AreaLevel::Buurt => Vec::new(),
                }
            };
            for (area, figure) in &rollup.areas {
                let Figure::Exact { parts, .. } = figure else { continue };
                let children = child_cells(area);
                let child_figures: Vec<Parts> = children.iter().filter_map(|c| rollup.areas[c].parts()).collect();
                if children.is_empty() || child_figures.len() < children.len() {
                    continue;
                }
                let sum = Parts::sum(&child_figures);
                if measured.contains_key(area) {
                    // Measured itself and through all its children: a reader may assume they agree; where they do, they are one relation.
                    if sum != *parts {
                        continue;
                    }
                    let own = atoms_of(std::slice::from_ref(area), &mut work.atoms);
                    let kids: Vec<usize> = children.iter().flat_map(|c| work.cells[work.index[&(p, Place::Area(c.clone()))]].atoms.clone()).collect();
                    work.equalities.push((own, kids));
                }
                let whole = work.index[&(p, Place::Area(area.clone()))];
                let parts = children.iter().map(|c| work.index[&(p, Place::Area(c.clone()))]).collect();
                work.relations.push(Relation { whole, parts });
            }
            if let Some(Figure::Exact { .. }) = &rollup.total {
                let whole = work.index[&(p, Place::Total)];
                let parts = rollup.areas.keys().filter(|a| a.level() == AreaLevel::Gemeente).map(|g| work.index[&(p, Place::Area(g.clone()))]).collect();
                work.relations.push(Relation { whole, parts });
            }
            for scope in &input.scopes {
                let whole = work.index[&(p, Place::Scope(scope.id))];
                if work.cells[whole].atoms.is_empty() {
                    continue;
                }
                let parts = scope.covering.iter().filter_map(|a| work.index.get(&(p, Place::Area(a.clone())))).copied().collect();
                work.relations.push(Relation { whole, parts });
            }
        }
        work.period_relations();
        work
    }

    /// A year and its halves or quarters, a half and its quarters, a school year and the
    /// halves it spans: where a place's figures in them add up in the data, a reader may use it.
    fn period_relations(&mut self) {
        let position = |label: &str| self.periods.iter().position(|p| p == label);
        let mut families: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, label) in self.periods.iter().enumerate() {
            let spans: Vec<Vec<String>> = if label.len() == 4 {
                vec![vec![format!("{label}-H1"), format!("{label}-H2")], (1..=4).map(|q| format!("{label}-Q{q}")).collect()]
            } else if let Some(year) = label.strip_suffix("-H1") {
                vec![vec![format!("{year}-Q1"), format!("{year}-Q2")]]
            } else if let Some(year) = label.strip_suffix("-H2") {
                vec![vec![format!("{year}-Q3"), format!("{year}-Q4")]]
            } else if let Some((a, b)) = label.split_once('-').filter(|(a, b)| a.len() == 4 && b.len() == 4) {
                vec![vec![format!("{a}-H2"), format!("{b}-H1")], vec![format!("{a}-Q3"), format!("{a}-Q4"), format!("{b}-Q1"), format!("{b}-Q2")]]
            } else {
                Vec::new()
            };
            for span in spans {
                let found: Vec<usize> = span.iter().filter_map(|s| position(s)).collect();
                if found.len() == span.len() {
                    families.push((i, found));
                }
            }
        }
        let places: BTreeSet<Place> = self.index.keys().map(|(_, p)| p.clone()).collect();
        for (whole_period, part_periods) in families {
            for place in &places {
                let Some(&whole) = self.index.get(&(whole_period, place.clone())) else { continue };
                let parts: Option<Vec<usize>> = part_periods.iter().map(|p| self.index.get(&(*p, place.clone())).copied()).collect();
                let Some(parts) = parts else { continue };
                if self.cells[whole].atoms.is_empty() || parts.iter().any(|c| self.cells[*c].atoms.is_empty()) {
                    continue;
                }
                let sum = Parts::sum(parts.iter().map(|c| &self.cells[*c].truth));
                if sum.numerator != self.cells[whole].truth.numerator {
                    continue;
                }
                // Only areas measured themselves need an equality of their own; sums follow from these.
                if let Place::Area(_) = place
                    && self.cells[whole].atoms.len() == 1
                    && parts.iter().all(|c| self.cells[*c].atoms.len() == 1)
                {
                    let lhs = self.cells[whole].atoms.clone();
                    let rhs = parts.iter().flat_map(|c| self.cells[*c].atoms.clone()).collect();
                    self.equalities.push((lhs, rhs));
                }
                self.relations.push(Relation { whole, parts });
            }
        }
    }

    fn primary(&mut self) {
        // Already set by `new`; a ratio or mean withheld for its denominator is final.
    }

    fn is_withheld(&self, cell: usize) -> bool {
        matches!(self.cells[cell].shown, Shown::Withheld(_))
    }

    fn size(&self, cell: usize) -> f64 {
        self.cells[cell].truth.numerator
    }

    fn reference(&self, cell: usize) -> CellRef {
        CellRef { period: self.periods[self.cells[cell].period].clone(), place: self.cells[cell].place.clone() }
    }

    /// Withholds `cell` to protect another.
    fn withhold(&mut self, cell: usize) {
        self.cells[cell].secondary = true;
        self.cells[cell].shown = Shown::Withheld(Withheld::Secret { via: Vec::new() });
    }

    /// tau-Argus style: in every relation with exactly one withheld member, withhold the
    /// smallest shown part as well; repeat until no relation has a lone withheld member.
    fn secondary(&mut self) {
        loop {
            let mut changed = false;
            for r in 0..self.relations.len() {
                let relation = self.relations[r].clone();
                let members: Vec<usize> = std::iter::once(relation.whole).chain(relation.parts.iter().copied()).collect();
                if members.iter().any(|m| self.cells[*m].atoms.is_empty()) || members.len() < 2 {
                    continue;
                }
                let withheld: Vec<usize> = members.iter().copied().filter(|m| self.is_withheld(*m)).collect();
                if withheld.len() != 1 {
                    continue;
                }
                let candidate = relation.parts.iter().copied().filter(|c| !self.is_withheld(*c)).min_by(|a, b| self.size(*a).total_cmp(&self.size(*b)));
                let chosen = candidate.unwrap_or(relation.whole);
                self.withhold(chosen);
                changed = true;
            }
            if !changed {
                break;
            }
        }
    }

    /// The blocks of the audit: gemeenten joined by a working area that cuts across them.
    fn blocks(&self) -> Vec<BTreeSet<AreaCode>> {
        let mut parent: BTreeMap<AreaCode, AreaCode> = BTreeMap::new();
        fn find(parent: &mut BTreeMap<AreaCode, AreaCode>, a: &AreaCode) -> AreaCode {
            let p = parent.get(a).cloned().unwrap_or_else(|| a.clone());
            if p == *a {
                return p;
            }
            let root = find(parent, &p);
            parent.insert(a.clone(), root.clone());
            root
        }
        for cell in &self.cells {
            for g in &cell.gemeenten {
                parent.entry(g.clone()).or_insert_with(|| g.clone());
            }
        }
        for cell in self.cells.iter().filter(|c| matches!(c.place, Place::Scope(_)) && c.gemeenten.len() > 1) {
            // A working area of whole gemeenten is a sum of gemeente figures: the top block's.
            let whole = cell
                .gemeenten
                .iter()
                .all(|g| self.index.get(&(cell.period, Place::Area(g.clone()))).is_some_and(|gc| self.cells[*gc].atoms.iter().all(|a| cell.atoms.contains(a))));
            if whole {
                continue;
            }
            let mut it = cell.gemeenten.iter();
            if let Some(first) = it.next() {
                for g in it {
                    let (a, b) = (find(&mut parent, first), find(&mut parent, g));
                    if a != b {
                        parent.insert(a, b);
                    }
                }
            }
        }
        let mut blocks: BTreeMap<AreaCode, BTreeSet<AreaCode>> = BTreeMap::new();
        let keys: Vec<AreaCode> = parent.keys().cloned().collect();
        for g in keys {
            let root = find(&mut parent, &g);
            blocks.entry(root).or_default().insert(g);
        }
        blocks.into_values().collect()
    }

    /// Audits the publication with the solver and withholds more until every withheld cell is
    /// protected and no shown count's exact value follows.
    fn audit(&mut self) {
        if self.atoms.len() <= JOINT_LIMIT {
            // Small enough to audit as one program: exact, nothing lost between blocks.
            let cells: Vec<usize> = (0..self.cells.len()).filter(|c| !self.cells[*c].atoms.is_empty()).collect();
            let mut problem = Block::new((0..self.atoms.len()).collect(), cells);
            self.repair(&mut problem);
            self.solver_runs += problem.runs;
            return;
        }
        let blocks = self.blocks();
        // The intervals of gemeente figures as each side proves them: cell → (low, high).
        let mut from_blocks: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
        let mut from_top: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
        let top_cells: Vec<usize> = (0..self.cells.len())
            .filter(|c| {
                !self.cells[*c].atoms.is_empty()
                    && (self.is_gemeente(*c)
                        || self.cells[*c].place == Place::Total
                        || !blocks.iter().any(|b| self.cells[*c].gemeenten.iter().all(|g| b.contains(g))))
            })
            .collect();
        let has_top = top_cells.iter().any(|c| !self.is_gemeente(*c));
        for _round in 0..8 {
            let before = (from_blocks.clone(), from_top.clone(), self.withheld_count());
            let mut next_blocks = BTreeMap::new();
            for block in &blocks {
                let cells: Vec<usize> = (0..self.cells.len())
                    .filter(|c| {
                        let cell = &self.cells[*c];
                        !cell.atoms.is_empty() && cell.place != Place::Total && !cell.gemeenten.is_empty() && cell.gemeenten.iter().all(|g| block.contains(g))
                    })
                    .collect();
                let atoms: Vec<usize> = cells.iter().flat_map(|c| self.cells[*c].atoms.iter().copied()).collect::<BTreeSet<_>>().into_iter().collect();
                let mut problem = Block::new(atoms, cells.clone());
                for (cell, (low, high)) in &from_top {
                    if cells.contains(cell) {
                        problem.extra.push((self.cells[*cell].atoms.clone(), *low, *high));
                    }
                }
                self.repair(&mut problem);
                if has_top {
                    for cell in cells.iter().copied().filter(|c| self.is_gemeente(*c)) {
                        next_blocks.insert(cell, problem.interval(self, cell));
                    }
                }
                self.solver_runs += problem.runs;
            }
            from_blocks = next_blocks;
            if has_top {
                let atoms: Vec<usize> = top_cells.iter().flat_map(|c| self.cells[*c].atoms.iter().copied()).collect::<BTreeSet<_>>().into_iter().collect();
                let mut problem = Block::new(atoms, top_cells.clone());
                problem.macro_gemeenten = true;
                for (cell, (low, high)) in &from_blocks {
                    problem.extra.push((self.cells[*cell].atoms.clone(), *low, *high));
                }
                self.repair(&mut problem);
                from_top = top_cells.iter().copied().filter(|c| self.is_gemeente(*c)).map(|c| (c, problem.interval(self, c))).collect();
                self.solver_runs += problem.runs;
            }
            if (from_blocks.clone(), from_top.clone(), self.withheld_count()) == before {
                break;
            }
        }
    }

    fn withheld_count(&self) -> usize {
        (0..self.cells.len()).filter(|c| self.is_withheld(*c)).count()
    }

    fn is_gemeente(&self, cell: usize) -> bool {
        matches!(&self.cells[cell].place, Place::Area(a) if a.level() == AreaLevel::Gemeente)
    }

    /// Checks every cell of a block and withholds more until each passes.
    fn repair(&mut self, problem: &mut Block) {
        let mut queue: Vec<usize> = problem.cells.clone();
        let mut guard = 0;
        while let Some(cell) = queue.pop() {
            guard += 1;
            if guard > 40 * problem.cells.len() + 100 {
                break;
            }
            if !self.needs_check(cell) {
                continue;
            }
            let (low, high) = problem.interval(self, cell);
            let c = &self.cells[cell];
            let ok = if c.small {
                protected(low, high, &self.input.rules)
            } else if c.secondary || matches!(c.shown, Shown::Value { .. }) {
                high - low >= 1.0 - 1e-6
            } else {
                true
            };
            if ok {
                continue;
            }
            let Some(chosen) = self.complement(problem, cell) else { continue };
            self.withhold(chosen);
            if problem.cells.contains(&chosen) {
                queue.push(chosen);
            }
            queue.push(cell);
        }
    }

    /// Whether the audit checks a cell: a small one, one withheld to protect it, or a shown count.
    fn needs_check(&self, cell: usize) -> bool {
        let c = &self.cells[cell];
        c.small || c.secondary || (self.check_shown && matches!(c.shown, Shown::Value { .. }))
    }

    /// The next cell to withhold so that `cell` is no longer narrowed: a shown working area
    /// that shares atoms with it, else the smallest shown cell that shares a relation with
    /// it, else the smallest shown cell of the block sharing atoms with it.
    fn complement(&self, problem: &Block, cell: usize) -> Option<usize> {
        let shown = |c: &usize| problem.cells.contains(c) && !self.is_withheld(*c) && *c != cell;
        let atoms: BTreeSet<usize> = self.cells[cell].atoms.iter().copied().collect();
        let overlaps = |c: usize| self.cells[c].atoms.iter().any(|a| atoms.contains(a)) || self.shares_gemeente_only(problem, cell, c);
        let smallest = |cands: Vec<usize>| cands.into_iter().min_by(|a, b| self.size(*a).total_cmp(&self.size(*b)).then(a.cmp(b)));
        let scopes: Vec<usize> =
            problem.cells.iter().copied().filter(shown).filter(|c| matches!(self.cells[*c].place, Place::Scope(_)) && overlaps(*c)).collect();
        if let Some(c) = smallest(scopes) {
            return Some(c);
        }
        let mut related: Vec<usize> = Vec::new();
        for r in &self.relations {
            let members: Vec<usize> = std::iter::once(r.whole).chain(r.parts.iter().copied()).collect();
            if members.contains(&cell) {
                related.extend(r.parts.iter().copied().filter(shown));
            }
        }
        if let Some(c) = smallest(related) {
            return Some(c);
        }
        let mut parents: Vec<usize> = Vec::new();
        for r in &self.relations {
            if r.parts.contains(&cell) && shown(&r.whole) {
                parents.push(r.whole);
            }
        }
        if let Some(c) = smallest(parents) {
            return Some(c);
        }
        if let Some(c) = smallest(problem.cells.iter().copied().filter(shown).filter(|c| overlaps(*c)).collect()) {
            return Some(c);
        }
        // Narrowed by what another block proves: withhold a shown cell there that holds this one.
        let outside: Vec<usize> = (0..self.cells.len())
            .filter(|c| *c != cell && !self.is_withheld(*c) && !problem.cells.contains(c) && self.cells[*c].atoms.iter().any(|a| atoms.contains(a)))
            .collect();
        if let Some(c) = smallest(outside) {
            return Some(c);
        }
        // Narrowed through a longer chain: withhold the smallest shown cell of the block; with
        // nothing shown, nothing narrows.
        smallest(problem.cells.iter().copied().filter(shown).collect())
    }

    fn shares_gemeente_only(&self, problem: &Block, a: usize, b: usize) -> bool {
        problem.macro_gemeenten && self.cells[a].gemeenten.intersection(&self.cells[b].gemeenten).next().is_some()
    }

    /// Names, for every withheld cell, the cells it could be worked out from: the sums it is
    /// a part of, or for a working area the areas it lies in or cuts across. Taken from the
    /// shape of the publication alone, so a small cell and a protecting one read alike.
    fn explain(&mut self) {
        let mut wholes: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for r in &self.relations {
            for p in &r.parts {
                wholes.entry(*p).or_default().insert(r.whole);
            }
        }
        for cell in 0..self.cells.len() {
            let refs: Vec<CellRef> = match &self.cells[cell].place {
                Place::Scope(_) => {
                    let period = self.cells[cell].period;
                    let mut around: BTreeSet<AreaCode> = BTreeSet::new();
                    for atom in &self.cells[cell].atoms {
                        let area = &self.atoms[*atom].1;
                        around.insert(area.gemeente());
                        if area.level() == AreaLevel::Buurt {
                            around.insert(wijk_of(area));
                        }
                    }
                    around
                        .into_iter()
                        .filter(|a| self.index.contains_key(&(period, Place::Area(a.clone()))))
                        .map(|a| CellRef { period: self.periods[period].clone(), place: Place::Area(a) })
                        .collect()
                }
                _ => wholes.get(&cell).map(|w| w.iter().map(|c| self.reference(*c)).collect()).unwrap_or_default(),
            };
            let is_scope = matches!(self.cells[cell].place, Place::Scope(_));
            if let Shown::Withheld(Withheld::Secret { .. }) = self.cells[cell].shown {
                self.cells[cell].shown = Shown::Withheld(if is_scope { Withheld::TooClose { with: refs } } else { Withheld::Secret { via: refs } });
            }
        }
    }

    fn finish(mut self) -> Publication {
        self.explain();
        let mut cells: BTreeMap<String, BTreeMap<Place, Shown>> = BTreeMap::new();
        for cell in self.cells {
            cells.entry(self.periods[cell.period].clone()).or_default().insert(cell.place, cell.shown);
        }
        Publication { cells, solver_runs: self.solver_runs }
    }
}

/// One block of the audit: its unknowns and the cells over them.
struct Block {
    atoms: Vec<usize>,
    cells: Vec<usize>,
    /// Bounds learnt from other blocks: atoms summed, low, high.
    extra: Vec<(Vec<usize>, f64, f64)>,
    /// In the top block a gemeente's figure is one unknown.
    macro_gemeenten: bool,
    runs: usize,
}

impl Block {
    fn new(atoms: Vec<usize>, cells: Vec<usize>) -> Block {
        Block { atoms, cells, extra: Vec::new(), macro_gemeenten: false, runs: 0 }
    }

    /// The tightest interval of `cell`'s numerator from everything shown in the block.
    fn interval(&mut self, work: &Work, cell: usize) -> (f64, f64) {
        let low = self.solve(work, cell, false);
        let high = self.solve(work, cell, true);
        (low.unwrap_or(0.0), high.unwrap_or(f64::INFINITY))
    }

    fn solve(&mut self, work: &Work, target: usize, maximise: bool) -> Option<f64> {
        self.runs += 1;
        let rules = &work.input.rules;
        let mut vars = ProblemVariables::new();
        // In the top block the unknowns are the gemeente figures (and the atoms of cells that
        // are no sum of whole gemeenten); elsewhere the atoms.
        let mut unknown_of_atom: BTreeMap<usize, usize> = BTreeMap::new();
        let mut unknowns: Vec<Variable> = Vec::new();
        let gemeente_cells: Vec<usize> = if self.macro_gemeenten { self.cells.iter().copied().filter(|c| work.is_gemeente(*c)).collect() } else { Vec::new() };
        for g in &gemeente_cells {
            let v = unknowns.len();
            unknowns.push(vars.add(variable().min(0)));
            for a in &work.cells[*g].atoms {
                unknown_of_atom.insert(*a, v);
            }
        }
        for a in &self.atoms {
            unknown_of_atom.entry(*a).or_insert_with(|| {
                unknowns.push(vars.add(variable().min(0)));
                unknowns.len() - 1
            });
        }
        let expression = |atoms: &[usize]| -> Expression {
            let distinct: BTreeSet<usize> = atoms.iter().filter_map(|a| unknown_of_atom.get(a).copied()).collect();
            distinct.into_iter().map(|u| unknowns[u]).sum()
        };
        let objective = expression(&work.cells[target].atoms);
        let mut model = if maximise { vars.maximise(objective.clone()) } else { vars.minimise(objective.clone()) }.using(microlp);
        for &c in &self.cells {
            let cell = &work.cells[c];
            let e = expression(&cell.atoms);
            match &cell.shown {
                Shown::Value { value, numerator, .. } => {
                    let v = numerator.unwrap_or(*value);
                    let (low, high) = rounding_interval(v, rules);
                    model = model.with(e.clone().geq(low)).with(e.leq(high));
                }
                // A withheld cell tells a reader nothing of its size.
                Shown::Withheld(_) => {}
            }
        }
        if !self.macro_gemeenten {
            for (lhs, rhs) in &work.equalities {
                if lhs.iter().chain(rhs).all(|a| unknown_of_atom.contains_key(a)) {
                    model = model.with(expression(lhs).eq(expression(rhs)));
                }
            }
        } else {
            // A gemeente's year is the sum of its halves here too, where it is in the data.
            for r in &work.relations {
                if self.cells.contains(&r.whole)
                    && r.parts.iter().all(|p| self.cells.contains(p))
                    && r.parts.iter().all(|p| work.cells[*p].period != work.cells[r.whole].period)
                {
                    let parts: Vec<usize> = r.parts.iter().flat_map(|p| work.cells[*p].atoms.iter().copied()).collect();
                    model = model.with(expression(&work.cells[r.whole].atoms).eq(expression(&parts)));
                }
            }
        }
        for (atoms, low, high) in &self.extra {
            let e = expression(atoms);
            model = model.with(e.clone().geq(*low));
            if high.is_finite() {
                model = model.with(e.leq(*high));
            }
        }
        match model.solve() {
            Ok(solution) => Some(solution.eval(&objective)),
            // Unbounded above: no upper limit.
            Err(ResolutionError::Unbounded) => None,
            // Cannot happen (the true values satisfy every constraint); were it to, the cell
            // counts as given away and is protected further.
            Err(_) => Some(f64::NAN),
        }
    }
}

#[cfg(test)]
mod tests;
