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
//!    (integers relaxed), every withheld one nothing; for every withheld cell the solver
//!    computes the tightest interval an attacker can prove. A cell whose interval neither holds
//!    all of 0 … threshold−1 nor is at least the threshold wide gets one more suppression (a
//!    working area first, else the smallest shown neighbour), and the audit repeats; so does a
//!    shown count whose exact value would follow. A program is solved for a cell only when no
//!    solution found so far (of programs over many cells at once, or of the block's last run)
//!    already shows its interval wide enough: each solution is a point a reader cannot rule
//!    out, so that skips nothing the solver would find.
//!
//! Up to `JOINT_LIMIT` unknowns the audit is one program over everything. Above, it is cut the
//! way tau-Argus's modular method cuts a hierarchical table:
//! - **Exactly**, into groups of periods that no relation joins (2025-H1, 2025-H2 and 2025 are
//!   one group, 2026-H1 another): nothing links them, so nothing is lost.
//! - **Jointly**, within a block: per wijk its buurten and itself (every measured area an
//!   unknown), with every relation among them in every period of the group (the year and its
//!   halves included); per gemeente its wijken and itself, every wijk figure one unknown; the
//!   top: the gemeenten, the total and the working areas of whole gemeenten, every gemeente
//!   figure one unknown. A working area goes to the coarsest level whose unknowns add up to
//!   it; one that cuts across wijken makes their blocks and their gemeenten's one (a block
//!   where every measured area under them is an unknown); one across gemeenten that shares a
//!   gemeente with another such joins the top block too. A wijk (gemeente) figure is one
//!   unknown only in a block that does not hold its own block.
//! - **By exchanged intervals**, between levels: a wijk figure is in its wijk's block and its
//!   gemeente's, a gemeente figure in its gemeente's and the top; each block proves the tightest
//!   interval of each shared figure (rounded inwards to whole numbers, as a reader may) and the
//!   other takes it as a constraint. A working area across gemeenten also makes the blocks
//!   exchange the interval of the *sum* of the gemeenten it lies in (and of those wholly inside
//!   it), which no single figure's interval says. Blocks run finest level first, those of a
//!   level on every core, and again only when what they work from changed, until nothing
//!   changes. A cell that a block cannot protect because what narrows it comes from another
//!   block has a shown cell there withheld (one holding it or a cell it adds up with), and is
//!   checked again when the other blocks have worked that out.
//!
//! Intervals exchanged this way are a relaxation: a block sees a box of the shared figures
//! where the joint program sees their exact projection, so it may miss what only the blocks
//! together prove. For a year and its halves the box with the year's own interval is exact
//! (every constraint is a sum within a period or a year of its halves, so the projection has
//! no other faces); for quarters and school years it need not be, nor for a working area
//! across gemeenten next to sums the top block knows. Property tests compare the blocks with
//! one attacker's program over everything on random hierarchies, working areas (across wijken,
//! across gemeenten, of whole gemeenten), wijken measured as a whole and independent periods.

use crate::area::{AreaCode, AreaLevel};
use crate::measure::{IndicatorKind, Parts, Rules};
use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp, variable};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

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
    /// A working area too close to the areas `with` (those it lies in or cuts
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
/// what only the blocks together prove. One program grows slow fast: a gemeente of 46 buurten
/// over four periods (184 unknowns) takes 0.1 s, ten such (1,600) take half a minute.
const JOINT_LIMIT: usize = 300;

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
    /// Per cell, the relations it is the whole or a part of.
    relations_of: Vec<Vec<usize>>,
    /// Per atom, the cells that add it up.
    cells_of_atom: Vec<Vec<usize>>,
    /// Per atom, the equalities it is in.
    equalities_of_atom: Vec<Vec<usize>>,
}

/// Works out the whole publication of one indicator.
pub fn publish(input: &Input) -> Publication {
    publish_with(input, Cut::Auto)
}

/// The publication, with the audit cut as asked.
pub(crate) fn publish_with(input: &Input, cut: Cut) -> Publication {
    let mut work = Work::new(input);
    work.primary();
    work.secondary();
    if protects_numerator(input.kind) {
        work.audit(cut);
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
            relations_of: Vec::new(),
            cells_of_atom: Vec::new(),
            equalities_of_atom: Vec::new(),
        };
        let mut atom_index: HashMap<(usize, AreaCode), usize> = HashMap::new();
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
            let mut child_cells: BTreeMap<AreaCode, Vec<AreaCode>> = BTreeMap::new();
            for a in rollup.areas.keys() {
                match a.level() {
                    AreaLevel::Wijk => child_cells.entry(a.gemeente()).or_default().push(a.clone()),
                    AreaLevel::Buurt => child_cells.entry(wijk_of(a)).or_default().push(a.clone()),
                    AreaLevel::Gemeente => {}
                }
            }
            for (area, figure) in &rollup.areas {
                let Figure::Exact { parts, .. } = figure else { continue };
                let children = child_cells.get(area).cloned().unwrap_or_default();
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
        work.relations_of = vec![Vec::new(); work.cells.len()];
        for (r, relation) in work.relations.iter().enumerate() {
            for c in std::iter::once(relation.whole).chain(relation.parts.iter().copied()) {
                work.relations_of[c].push(r);
            }
        }
        work.cells_of_atom = vec![Vec::new(); work.atoms.len()];
        for (c, cell) in work.cells.iter().enumerate() {
            for a in &cell.atoms {
                work.cells_of_atom[*a].push(c);
            }
        }
        work.equalities_of_atom = vec![Vec::new(); work.atoms.len()];
        for (e, (lhs, rhs)) in work.equalities.iter().enumerate() {
            for a in lhs.iter().chain(rhs) {
                work.equalities_of_atom[*a].push(e);
            }
        }
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

    /// Audits the publication with the solver and withholds more until every withheld cell is
    /// protected and no shown count's exact value follows.
    fn audit(&mut self, cut: Cut) {
        let joint = match cut {
            Cut::Auto => self.atoms.len() <= JOINT_LIMIT,
            Cut::Joint => true,
            _ => false,
        };
        let everything =
            || BlockDef { level: 0, cells: (0..self.cells.len()).filter(|c| !self.cells[*c].atoms.is_empty()).collect(), macros: Vec::new(), sums: Vec::new() };
        if !joint {
            let programs = self.modular_blocks().and_then(|defs| defs.into_iter().map(|d| Program::new(self, d)).collect::<Option<Vec<Program>>>());
            if let Some(programs) = programs {
                #[cfg(test)]
                let exchange = cut != Cut::Isolated;
                #[cfg(not(test))]
                let exchange = true;
                self.audit_blocks(&programs, exchange);
                return;
            }
        }
        #[cfg(test)]
        assert!(joint || cut == Cut::Auto, "a cell fits no block");
        // One program over everything: exact, nothing lost between blocks.
        let Some(program) = Program::new(self, everything()) else { return };
        self.audit_blocks(&[program], false);
    }

    /// Cuts the audit into blocks, per group of related periods (periods no relation joins
    /// are independent, so that cut loses nothing):
    /// - level 0, per wijk: its buurten and the wijk itself, every measured area an unknown;
    /// - level 1, per gemeente: its wijken and the gemeente, every wijk figure one unknown;
    /// - level 2, the top: the gemeenten, the total and the working areas of whole gemeenten,
    ///   every gemeente figure one unknown.
    ///
    /// A working area goes to the coarsest level whose unknowns add up to it; when it cuts
    /// across wijken (or gemeenten) their blocks become one. A wijk figure is in its wijk's
    /// block and its gemeente's, a gemeente figure in its gemeente's and the top: these shared
    /// cells are what blocks exchange. None when a cell fits no block (the audit is then one
    /// program).
    fn modular_blocks(&self) -> Option<Vec<BlockDef>> {
        fn root(parent: &mut [usize], i: usize) -> usize {
            let mut r = i;
            while parent[r] != r {
                r = parent[r];
            }
            let mut j = i;
            while parent[j] != r {
                let next = parent[j];
                parent[j] = r;
                j = next;
            }
            r
        }
        let mut group: Vec<usize> = (0..self.periods.len()).collect();
        for r in &self.relations {
            for p in &r.parts {
                let (a, b) = (root(&mut group, self.cells[r.whole].period), root(&mut group, self.cells[*p].period));
                group[a] = b;
            }
        }
        for (lhs, rhs) in &self.equalities {
            for a in lhs.iter().chain(rhs) {
                let (x, y) = (root(&mut group, self.atoms[lhs[0]].0), root(&mut group, self.atoms[*a].0));
                group[x] = y;
            }
        }
        let mut keys: HashMap<(u8, usize, String), usize> = HashMap::new();
        // Sums a working area makes known: the levels of the blocks that exchange them, and the
        // cells summed.
        let mut sums: Vec<(Vec<u8>, Vec<usize>)> = Vec::new();
        // Working areas across gemeenten: their group of periods, gemeenten and blocks.
        let mut crossing: Vec<(usize, &Place, Vec<AreaCode>, Vec<usize>)> = Vec::new();
        let mut parent: Vec<usize> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut key = |level: u8, g: usize, code: &str, parent: &mut Vec<usize>, members: &mut Vec<Vec<usize>>| -> usize {
            *keys.entry((level, g, code.to_string())).or_insert_with(|| {
                parent.push(parent.len());
                members.push(Vec::new());
                parent.len() - 1
            })
        };
        for c in 0..self.cells.len() {
            let cell = &self.cells[c];
            if cell.atoms.is_empty() {
                continue;
            }
            let g = root(&mut group, cell.period);
            let cell_of = |place: Place| self.index.get(&(cell.period, place)).copied().filter(|c| !self.cells[*c].atoms.is_empty());
            let mut homes: Vec<usize> = Vec::new();
            match &cell.place {
                Place::Area(a) => match a.level() {
                    AreaLevel::Buurt => homes.push(key(0, g, wijk_of(a).as_str(), &mut parent, &mut members)),
                    AreaLevel::Wijk => {
                        homes.push(key(0, g, a.as_str(), &mut parent, &mut members));
                        homes.push(key(1, g, a.gemeente().as_str(), &mut parent, &mut members));
                    }
                    AreaLevel::Gemeente => {
                        homes.push(key(1, g, a.as_str(), &mut parent, &mut members));
                        homes.push(key(2, g, "", &mut parent, &mut members));
                    }
                },
                Place::Total => homes.push(key(2, g, "", &mut parent, &mut members)),
                Place::Scope(_) => {
                    let atoms: HashSet<usize> = cell.atoms.iter().copied().collect();
                    let inside = |c: Option<usize>| c.is_some_and(|c| self.cells[c].atoms.iter().all(|a| atoms.contains(a)));
                    let wijk_of_atom = |a: &usize| -> Option<AreaCode> {
                        let area = &self.atoms[*a].1;
                        match area.level() {
                            AreaLevel::Buurt => Some(wijk_of(area)),
                            AreaLevel::Wijk => Some(area.clone()),
                            AreaLevel::Gemeente => None,
                        }
                    };
                    let gemeente_cells: Vec<usize> = cell.gemeenten.iter().filter_map(|gm| cell_of(Place::Area(gm.clone()))).collect();
                    let mut joined: Vec<usize> = Vec::new();
                    let mut also: Vec<usize> = Vec::new();
                    let at_top = cell.gemeenten.iter().all(|gm| inside(cell_of(Place::Area(gm.clone()))));
                    if at_top {
                        homes.push(key(2, g, "", &mut parent, &mut members));
                    } else if cell.atoms.iter().all(|a| wijk_of_atom(a).is_some_and(|w| inside(cell_of(Place::Area(w))))) {
                        for gm in &cell.gemeenten {
                            homes.push(key(1, g, gm.as_str(), &mut parent, &mut members));
                        }
                        sums.push((vec![1, 2], gemeente_cells));
                    } else {
                        // Its wijken (and gemeenten) are summed in the blocks above: those
                        // blocks become one too, and exchange the sums.
                        let next: BTreeSet<usize> = cell
                            .atoms
                            .iter()
                            .filter_map(|a| match wijk_of_atom(a) {
                                Some(w) => cell_of(Place::Area(w)),
                                None => cell_of(Place::Area(self.atoms[*a].1.clone())),
                            })
                            .collect();
                        // The gemeenten wholly inside it are sums of the block's unknowns: their
                        // figures join the block, and are exchanged one by one and together.
                        also = gemeente_cells.iter().copied().filter(|gc| inside(Some(*gc))).collect();
                        sums.push((vec![0, 1], next.into_iter().collect()));
                        sums.push((vec![1, 2], gemeente_cells));
                        sums.push((vec![0, 1, 2], also.clone()));
                        for gm in &cell.gemeenten {
                            joined.push(key(1, g, gm.as_str(), &mut parent, &mut members));
                        }
                        for a in &cell.atoms {
                            match wijk_of_atom(a) {
                                Some(w) => homes.push(key(0, g, w.as_str(), &mut parent, &mut members)),
                                None => {
                                    // A gemeente measured as a whole: its figure joins the block, to be exchanged.
                                    let gm = self.atoms[*a].1.clone();
                                    let k = key(0, g, gm.as_str(), &mut parent, &mut members);
                                    let gc = cell_of(Place::Area(gm))?;
                                    members[k].push(gc);
                                    homes.push(k);
                                }
                            }
                        }
                    }
                    homes.sort_unstable();
                    homes.dedup();
                    if homes.len() > 1 && !joined.is_empty() {
                        // Across wijken: one block with their gemeenten's, where the sums
                        // of wijken it makes known meet every other sum over them.
                        joined.push(homes[0]);
                    }
                    // (One of whole gemeenten is in the top block already.)
                    if cell.gemeenten.len() > 1 && !at_top {
                        crossing.push((g, &cell.place, cell.gemeenten.iter().cloned().collect(), homes.iter().chain(&joined).copied().collect()));
                    }
                    for group in [&homes, &joined] {
                        let mut it = group.iter();
                        if let Some(first) = it.next() {
                            for other in it {
                                let (a, b) = (root(&mut parent, *first), root(&mut parent, *other));
                                if a != b {
                                    parent[a] = b;
                                }
                            }
                        }
                    }
                    let home = homes.first().copied()?;
                    members[home].push(c);
                    members[home].extend(also);
                    continue;
                }
            }
            for h in homes {
                members[h].push(c);
            }
        }
        // Two working areas across gemeenten that share one can say of the gemeenten together
        // what no interval or sum of them says (a difference): they join the top block.
        let mut touching: HashMap<(usize, &AreaCode), BTreeSet<&Place>> = HashMap::new();
        for (g, place, gemeenten, _) in &crossing {
            for gm in gemeenten {
                touching.entry((*g, gm)).or_default().insert(*place);
            }
        }
        let mut entangled: Vec<(usize, usize)> = Vec::new();
        for (g, _, gemeenten, ids) in &crossing {
            if gemeenten.iter().any(|gm| touching.get(&(*g, gm)).is_some_and(|n| n.len() > 1))
                && let Some(top) = keys.get(&(2, *g, String::new()))
            {
                entangled.extend(ids.iter().map(|id| (*id, *top)));
            }
        }
        for (a, b) in entangled {
            let (a, b) = (root(&mut parent, a), root(&mut parent, b));
            if a != b {
                parent[a] = b;
            }
        }
        let level_of: HashMap<usize, u8> = keys.iter().map(|((level, _, _), id)| (*id, *level)).collect();
        let mut grouped: BTreeMap<usize, (u8, BTreeSet<usize>)> = BTreeMap::new();
        for (id, cells) in members.iter().enumerate() {
            let r = root(&mut parent, id);
            let entry = grouped.entry(r).or_insert((u8::MAX, BTreeSet::new()));
            entry.0 = entry.0.min(level_of.get(&id).copied().unwrap_or(0));
            entry.1.extend(cells.iter().copied());
        }
        // A wijk (gemeente) figure is one unknown in a block that does not hold its wijk's
        // (gemeente's) own block, and where every other cell holds all of it or none.
        let mut own_block = |c: usize, parent: &mut Vec<usize>| -> Option<usize> {
            let cell = &self.cells[c];
            let Place::Area(a) = &cell.place else { return None };
            let level = match a.level() {
                AreaLevel::Wijk => 0,
                AreaLevel::Gemeente => 1,
                AreaLevel::Buurt => return None,
            };
            let g = root(&mut group, cell.period);
            keys.get(&(level, g, a.as_str().to_string())).map(|id| root(parent, *id))
        };
        let mut blocks: Vec<BlockDef> = Vec::new();
        for (r, (level, cells)) in grouped {
            let cells: Vec<usize> = cells.into_iter().collect();
            let inside: HashSet<usize> = cells.iter().copied().collect();
            let whole = |c: usize| {
                let mut count: HashMap<usize, usize> = HashMap::new();
                for a in &self.cells[c].atoms {
                    for other in self.cells_of_atom[*a].iter().filter(|o| inside.contains(*o)) {
                        *count.entry(*other).or_default() += 1;
                    }
                }
                count.values().all(|n| *n == self.cells[c].atoms.len())
            };
            let macros = cells.iter().copied().filter(|c| own_block(*c, &mut parent).is_some_and(|own| own != r) && whole(*c)).collect();
            blocks.push(BlockDef { level, cells, macros, sums: Vec::new() });
        }
        let mut blocks_of: HashMap<usize, Vec<usize>> = HashMap::new();
        for (b, block) in blocks.iter().enumerate() {
            for c in &block.cells {
                blocks_of.entry(*c).or_default().push(b);
            }
        }
        // Each block that holds every cell of a sum exchanges it.
        let mut wanted: BTreeSet<(usize, Vec<usize>)> = BTreeSet::new();
        for (_, cells) in sums.into_iter().filter(|(_, cells)| cells.len() > 1) {
            for b in blocks_of.get(&cells[0]).into_iter().flatten() {
                if cells.iter().all(|c| blocks_of.get(c).is_some_and(|bs| bs.contains(b))) {
                    wanted.insert((*b, cells.clone()));
                }
            }
        }
        for (b, cells) in wanted {
            blocks[b].sums.push(cells);
        }
        Some(blocks)
    }

    /// Runs the blocks, finest level first, each on the intervals the others proved of the
    /// cells it shares with them, until no block has anything new to work from.
    fn audit_blocks(&mut self, programs: &[Program], exchange: bool) {
        let mut shared: HashMap<&[usize], Vec<usize>> = HashMap::new();
        for (b, p) in programs.iter().enumerate() {
            for key in &p.keys {
                shared.entry(key.as_slice()).or_default().push(b);
            }
        }
        shared.retain(|_, blocks| blocks.len() > 1);
        let mut proven: HashMap<(usize, &[usize]), (f64, f64)> = HashMap::new();
        let mut last: Vec<Option<Signature>> = vec![None; programs.len()];
        let mut points: Vec<Vec<Vec<f64>>> = vec![Vec::new(); programs.len()];
        for _round in 0..MAX_ROUNDS {
            let mut ran = false;
            for level in 0..=2u8 {
                let mut jobs: Vec<Job> = Vec::new();
                for (b, program) in programs.iter().enumerate().filter(|(_, p)| p.def.level == level) {
                    let mut extras = Vec::new();
                    for (k, c) in program.keys.iter().enumerate() {
                        let Some(blocks) = shared.get(c.as_slice()).filter(|_| exchange) else { continue };
                        let mut interval: (f64, f64) = (0.0, f64::INFINITY);
                        let mut any = false;
                        for other in blocks.iter().filter(|o| **o != b) {
                            if let Some((lo, hi)) = proven.get(&(*other, c.as_slice())) {
                                interval = (interval.0.max(*lo), interval.1.min(*hi));
                                any = true;
                            }
                        }
                        if any {
                            extras.push((k, interval.0, interval.1));
                        }
                    }
                    let withheld: Vec<bool> = program.def.cells.iter().map(|c| self.is_withheld(*c)).collect();
                    let signature = Signature { extras: extras.clone(), withheld };
                    if last[b].as_ref() != Some(&signature) {
                        let export = program.keys.iter().map(|c| exchange && shared.contains_key(c.as_slice())).collect();
                        jobs.push(Job { block: b, program, extras, export, points: std::mem::take(&mut points[b]) });
                    }
                }
                if jobs.is_empty() {
                    continue;
                }
                ran = true;
                let results = self.run_jobs(&jobs);
                for (job, result) in jobs.iter().zip(results) {
                    for c in &result.withhold {
                        self.withhold(*c);
                    }
                    for (k, lo, hi) in result.proven {
                        proven.insert((job.block, job.program.keys[k].as_slice()), (lo, hi));
                    }
                    self.solver_runs += result.runs;
                    points[job.block] = result.points;
                    last[job.block] = (!result.unsettled).then(|| Signature { extras: job.extras.clone(), withheld: result.withheld });
                }
            }
            if !ran {
                break;
            }
        }
    }

    /// Runs blocks of one level on every core: they share no cell, so none waits for another.
    fn run_jobs(&self, jobs: &[Job]) -> Vec<BlockResult> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len());
        if threads <= 1 {
            return jobs.iter().map(|j| self.run_block(j)).collect();
        }
        let next = AtomicUsize::new(0);
        let mut out: Vec<Option<BlockResult>> = (0..jobs.len()).map(|_| None).collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(job) = jobs.get(i) else { break };
                            mine.push((i, self.run_block(job)));
                        }
                        mine
                    })
                })
                .collect();
            for handle in handles {
                match handle.join() {
                    Ok(results) => {
                        for (i, r) in results {
                            out[i] = Some(r);
                        }
                    }
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
        out.into_iter().flatten().collect()
    }

    /// One block: checks every cell the audit protects (the smallest program first: what
    /// earlier solutions already show of a cell is not solved for again) and withholds more
    /// until each passes; then the tightest interval of every shared cell, for the others.
    fn run_block(&self, job: &Job) -> BlockResult {
        let program = job.program;
        let cells = &program.def.cells;
        let n = cells.len();
        // Cells, then sums (never shown, never checked, only exchanged).
        let all = program.keys.len();
        let truth: Vec<f64> = program.keys.iter().map(|key| key.iter().map(|c| self.cells[*c].truth.numerator).sum()).collect();
        let mut state = Local {
            withheld: (0..all).map(|k| k >= n || self.is_withheld(cells[k])).collect(),
            secondary: (0..all).map(|k| k < n && self.cells[cells[k]].secondary).collect(),
            low: truth.clone(),
            high: truth,
            runs: 0,
            points: Vec::new(),
            outside: BTreeSet::new(),
        };
        let needs_check = |state: &Local, k: usize| {
            k < n && {
                let c = &self.cells[cells[k]];
                c.small || state.secondary[k] || (self.check_shown && !state.withheld[k])
            }
        };
        let passes = |k: usize, low: f64, high: f64| {
            if self.cells[cells[k]].small { protected(low, high, &self.input.rules) } else { high - low >= 1.0 - 1e-6 }
        };
        let mut withhold = Vec::new();
        let mut bounds = program.bounds(self, &state.withheld, &job.extras);
        // The solutions of the last run that still hold (withholding only widens; what other
        // blocks proved may have narrowed).
        for values in &job.points {
            if program.admits(&bounds, values) {
                program.witness(values, &mut state);
                state.points.push(values.clone());
            }
        }
        // High enough to protect any cell it is reached by.
        let cap = state.high.iter().copied().fold(0.0, f64::max) + 100.0;
        // Programs over many cells at once first: each cell that a solution has not yet
        // settled pushed up or down (both, by turns, where either would do). A few settle
        // most cells of a block.
        let floor = self.input.rules.secret_below - 1.0;
        let small = |k: usize| k < n && self.cells[cells[k]].small;
        let mut unsettled_before = usize::MAX;
        for turn in 0..8usize {
            let mut weights: Vec<(usize, f64)> = Vec::new();
            for k in 0..all {
                let (mut up, mut down) = (false, false);
                if needs_check(&state, k) && !passes(k, state.low[k], state.high[k]) {
                    if small(k) {
                        up = state.high[k] < floor - 1e-6;
                        down = state.low[k] > 1e-6;
                    } else {
                        up = true;
                        down = true;
                    }
                }
                if job.export[k] {
                    let (low, high) = program.outer(self, &state.withheld, &job.extras, k);
                    up |= state.high[k] < high - 1e-9 && !(high.is_infinite() && state.high[k] >= cap - 1e-6);
                    down |= state.low[k] > low + 1e-9;
                }
                let sign = match (up, down) {
                    (true, false) => 1.0,
                    (false, true) => -1.0,
                    (true, true) if (k.wrapping_mul(0x9e37_79b9) >> 7).wrapping_add(turn) % 2 == 0 => 1.0,
                    (true, true) => -1.0,
                    (false, false) => continue,
                };
                weights.push((k, sign));
            }
            if weights.len() <= 2 || weights.len() >= unsettled_before {
                break;
            }
            unsettled_before = weights.len();
            program.solve(&bounds, &weights, true, Some(cap), &mut state);
        }
        let mut queue: Vec<usize> = (0..n).rev().filter(|k| needs_check(&state, *k)).collect();
        let mut guard = 0;
        while let Some(k) = queue.pop() {
            guard += 1;
            if guard > 40 * n + 100 {
                break;
            }
            if !needs_check(&state, k) || passes(k, state.low[k], state.high[k]) {
                continue;
            }
            let high = program.solve(&bounds, &[(k, 1.0)], true, None, &mut state);
            let mut ok = passes(k, state.low[k], state.high[k]);
            if !ok && !high.is_nan() {
                let low = program.solve(&bounds, &[(k, 1.0)], false, None, &mut state);
                ok = !low.is_nan() && passes(k, low, high);
            }
            if ok {
                continue;
            }
            let Some(chosen) = self.complement(program, &state, k) else { continue };
            match program.local.get(&chosen) {
                Some(j) => {
                    state.withheld[*j] = true;
                    state.secondary[*j] = true;
                    bounds = program.bounds(self, &state.withheld, &job.extras);
                    queue.push(*j);
                }
                None => {
                    state.outside.insert(chosen);
                    continue;
                }
            }
            queue.push(k);
        }
        let unsettled = !state.outside.is_empty();
        withhold.extend(state.outside.iter().copied());
        withhold.extend((0..n).filter(|k| state.withheld[*k] && !self.is_withheld(cells[*k])).map(|k| cells[k]));
        // The intervals of the shared cells, where no solution so far reached the bounds that
        // are known anyway.
        let mut proven = Vec::new();
        for k in (0..all).filter(|k| job.export[*k]) {
            let (mut low, mut high) = program.outer(self, &state.withheld, &job.extras, k);
            if state.low[k] > low + 1e-9 {
                low = program.solve(&bounds, &[(k, 1.0)], false, None, &mut state);
            }
            if state.high[k] < high - 1e-9 {
                high = program.solve(&bounds, &[(k, 1.0)], true, None, &mut state);
            }
            if low.is_nan() || high.is_nan() {
                continue;
            }
            // Counts are whole numbers: a reader may round inwards.
            let high = if high.is_finite() { (high + 1e-6).floor() } else { high };
            proven.push((k, (low - 1e-6).ceil().max(0.0), high));
        }
        state.withheld.truncate(n);
        // The latest solutions are the likeliest to hold next time.
        let keep = state.points.len().saturating_sub(MAX_POINTS);
        state.points.drain(..keep);
        BlockResult { withhold, proven, withheld: state.withheld, runs: state.runs, unsettled, points: state.points }
    }

    /// The next cell to withhold so that cell `k` of a block is no longer narrowed: a shown
    /// working area that shares unknowns with it, else the smallest shown cell that shares a
    /// relation with it, else the smallest shown cell of the block sharing unknowns with it,
    /// else one outside the block that holds it or a cell it adds up with, else the smallest
    /// shown cell of the block.
    fn complement(&self, program: &Program, state: &Local, k: usize) -> Option<usize> {
        let cells = &program.def.cells;
        let cell = cells[k];
        let shown = |c: &usize| *c != cell && program.local.get(c).is_some_and(|j| !state.withheld[*j]);
        let overlapping: BTreeSet<usize> = program.exprs[k].iter().flat_map(|u| program.cells_of_unknown[*u].iter().map(|j| cells[*j])).collect();
        let smallest = |cands: &mut dyn Iterator<Item = usize>| cands.min_by(|a, b| self.size(*a).total_cmp(&self.size(*b)).then(a.cmp(b)));
        if let Some(c) = smallest(&mut overlapping.iter().copied().filter(shown).filter(|c| matches!(self.cells[*c].place, Place::Scope(_)))) {
            return Some(c);
        }
        let relations = || self.relations_of[cell].iter().map(|r| &self.relations[*r]);
        if let Some(c) = smallest(&mut relations().flat_map(|r| r.parts.iter().copied()).filter(shown)) {
            return Some(c);
        }
        if let Some(c) = smallest(&mut relations().filter(|r| r.parts.contains(&cell)).map(|r| r.whole).filter(shown)) {
            return Some(c);
        }
        if let Some(c) = smallest(&mut overlapping.iter().copied().filter(shown)) {
            return Some(c);
        }
        // Narrowed by what another block proves: withhold a shown cell there that holds this
        // one or a cell it adds up with.
        let related: BTreeSet<usize> = std::iter::once(cell).chain(relations().flat_map(|r| std::iter::once(r.whole).chain(r.parts.iter().copied()))).collect();
        let outside: BTreeSet<usize> = related
            .iter()
            .flat_map(|c| self.cells[*c].atoms.iter())
            .flat_map(|a| self.cells_of_atom[*a].iter().copied())
            .filter(|c| *c != cell && !program.local.contains_key(c) && !self.is_withheld(*c) && !state.outside.contains(c))
            .collect();
        if let Some(c) = smallest(&mut outside.into_iter()) {
            return Some(c);
        }
        // Narrowed through a longer chain: withhold the smallest shown cell of the block; with
        // nothing shown, nothing narrows.
        smallest(&mut cells.iter().copied().filter(shown))
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
                // A working area below the threshold itself says so, and names nothing; one
                // withheld for its difference with others names them.
                self.cells[cell].shown = Shown::Withheld(match (is_scope, self.cells[cell].small) {
                    (true, true) => Withheld::Secret { via: Vec::new() },
                    (true, false) => Withheld::TooClose { with: refs },
                    (false, _) => Withheld::Secret { via: refs },
                });
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

/// Which part of an indicator is the quantity it shares with others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedPart {
    /// The count, or a ratio's numerator.
    Numerator,
    /// A ratio's denominator or a mean's n.
    Denominator,
}

/// Whether the value a reader may see of a cell tells the shared quantity: a count its value,
/// a ratio its rounded numerator or denominator, a mean its rounded n.
fn reveals(shown: &Shown, kind: IndicatorKind, part: SharedPart) -> bool {
    match (shown, part) {
        (Shown::Withheld(_), _) => false,
        (Shown::Value { .. }, SharedPart::Numerator) if kind == IndicatorKind::Aantal => true,
        (Shown::Value { numerator, .. }, SharedPart::Numerator) => numerator.is_some() && kind == IndicatorKind::Verhouding,
        (Shown::Value { denominator, .. }, SharedPart::Denominator) => denominator.is_some(),
    }
}

/// The joint publication of indicators that share one quantity (a count and a percentage of
/// it, two percentages of the same children): each is worked out on its own, then the shared
/// quantity is audited as one table of its own, in which a cell is shown wherever any of the
/// indicators lets a reader read it. Secondary suppression and the audit run over that table
/// (every relation of hierarchy, working areas and periods); a cell it withholds more is
/// withheld in every indicator that showed it. The quantity is protected as a count (its
/// rules: the finest rounding base and the highest threshold of the indicators) when it is
/// the numerator of a count or ratio among them. One publication per member, in order.
pub fn publish_shared(members: &[(Input, SharedPart)]) -> Vec<Publication> {
    let mut publications: Vec<Publication> = members.iter().map(|(input, _)| publish(input)).collect();
    let protects = members.iter().any(|(i, part)| *part == SharedPart::Numerator && protects_numerator(i.kind));
    if members.len() < 2 || !protects {
        return publications;
    }
    let fold = |f: fn(&Rules) -> f64, pick: fn(f64, f64) -> f64| members.iter().map(|(i, _)| f(&i.rules)).reduce(pick).unwrap_or_default();
    let rules = Rules {
        round_to: fold(|r| r.round_to, f64::min),
        secret_below: fold(|r| r.secret_below, f64::max),
        min_denominator: fold(|r| r.min_denominator, f64::max),
    };
    let mut class = Classification::default();
    let mut periods: BTreeMap<String, BTreeMap<AreaCode, Parts>> = BTreeMap::new();
    // The numerator's own figures first: where the members disagree, the one protected wins.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|m| members[*m].1 != SharedPart::Numerator);
    for m in order {
        let (input, part) = &members[m];
        for (g, w) in &input.class.wijken {
            class.wijken.entry(g.clone()).or_default().extend(w.iter().cloned());
        }
        for (w, b) in &input.class.buurten {
            class.buurten.entry(w.clone()).or_default().extend(b.iter().cloned());
        }
        for (period, measured) in &input.periods {
            let target = periods.entry(period.clone()).or_default();
            for (area, parts) in measured {
                let q = match part {
                    SharedPart::Numerator => parts.numerator,
                    SharedPart::Denominator => parts.denominator.unwrap_or(0.0),
                };
                target.entry(area.clone()).or_insert(Parts::count(q));
            }
        }
    }
    let shared = Input {
        kind: IndicatorKind::Aantal,
        factor: 1.0,
        rules,
        class,
        periods,
        scopes: members[0].0.scopes.clone(),
        check_shown: members.iter().any(|(i, _)| i.check_shown),
    };
    let mut work = Work::new(&shared);
    let revealed: Vec<bool> = (0..work.cells.len())
        .map(|c| {
            let (period, place) = (&work.periods[work.cells[c].period], &work.cells[c].place);
            members.iter().zip(&publications).any(|((input, part), p)| p.get(period, place).is_some_and(|s| reveals(s, input.kind, *part)))
        })
        .collect();
    for (c, revealed) in revealed.iter().enumerate() {
        let cell = &mut work.cells[c];
        if cell.atoms.is_empty() {
            continue;
        }
        if *revealed {
            cell.shown = Shown::Value { value: round_count(cell.truth.numerator, &rules), numerator: None, denominator: None };
            cell.small = false;
        } else {
            cell.small = cell.truth.numerator < rules.secret_below;
            cell.shown = Shown::Withheld(Withheld::Secret { via: Vec::new() });
        }
    }
    work.secondary();
    work.audit(Cut::Auto);
    work.explain();
    for (c, revealed) in revealed.iter().enumerate() {
        let Shown::Withheld(reason) = &work.cells[c].shown else { continue };
        if !revealed {
            continue;
        }
        let (period, place) = (&work.periods[work.cells[c].period], &work.cells[c].place);
        for ((input, part), p) in members.iter().zip(publications.iter_mut()) {
            if let Some(shown) = p.cells.get_mut(period).and_then(|cells| cells.get_mut(place))
                && reveals(shown, input.kind, *part)
            {
                *shown = Shown::Withheld(reason.clone());
            }
        }
    }
    for p in &mut publications {
        p.solver_runs += work.solver_runs;
    }
    publications
}

/// How the audit is cut into linear programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) enum Cut {
    /// One program up to `JOINT_LIMIT` unknowns, else blocks.
    Auto,
    /// One program over everything.
    Joint,
    /// Blocks that exchange the intervals of the cells they share (the modular method).
    Modular,
    /// Blocks that exchange nothing: wrong on purpose, to show that the tests catch it.
    #[cfg(test)]
    Isolated,
}

/// At most this many rounds of blocks exchanging intervals (each round runs only the blocks
/// with something new to work from; a publication settles in a few).
const MAX_ROUNDS: usize = 50;

/// Solutions a block keeps for its next run.
const MAX_POINTS: usize = 24;

/// A block of the audit: the cells it constrains and checks, and the cells whose atoms it
/// takes together as one unknown (the figures of the level below).
struct BlockDef {
    level: u8,
    cells: Vec<usize>,
    macros: Vec<usize>,
    /// Sums of cells it shares with a block of the next level, exchanged as one (what a
    /// working area across wijken or gemeenten says of their sum together).
    sums: Vec<Vec<usize>>,
}

/// A block as a linear program over its unknowns.
struct Program {
    def: BlockDef,
    /// Cell → its position in `def.cells`.
    local: HashMap<usize, usize>,
    /// Per cell of the block, then per sum: the unknowns it adds up.
    exprs: Vec<Vec<usize>>,
    /// Per cell, then per sum: the cells it is, by which blocks know it.
    keys: Vec<Vec<usize>>,
    /// Per unknown: the cells of the block that hold it.
    cells_of_unknown: Vec<Vec<usize>>,
    unknowns: usize,
    /// Sums a reader knows to be equal, as Σ coefficient · unknown = 0.
    equalities: Vec<Vec<(usize, f64)>>,
}

/// What a block knows for one state of withholding: bounds of single unknowns and of sums.
struct Bounds {
    low: Vec<f64>,
    high: Vec<f64>,
    rows: Vec<(usize, f64, f64)>,
}

/// A block to run, with what the other blocks proved of its shared cells.
struct Job<'p> {
    block: usize,
    program: &'p Program,
    extras: Vec<(usize, f64, f64)>,
    /// Per cell of the block: whether another block wants its interval.
    export: Vec<bool>,
    /// The solutions of its last run.
    points: Vec<Vec<f64>>,
}

struct BlockResult {
    withhold: Vec<usize>,
    proven: Vec<(usize, f64, f64)>,
    withheld: Vec<bool>,
    runs: usize,
    /// Whether a cell waits for what other blocks make of a withholding there.
    unsettled: bool,
    points: Vec<Vec<f64>>,
}

/// What a block's last run worked from.
#[derive(Clone, PartialEq)]
struct Signature {
    extras: Vec<(usize, f64, f64)>,
    withheld: Vec<bool>,
}

/// A block's run: its own view of what is withheld, and per cell the lowest and highest value
/// of any solution seen (each a point a reader cannot rule out, so the cell's interval holds
/// at least that much).
struct Local {
    withheld: Vec<bool>,
    secondary: Vec<bool>,
    low: Vec<f64>,
    high: Vec<f64>,
    runs: usize,
    /// The solutions found, kept for the block's next run.
    points: Vec<Vec<f64>>,
    /// Cells outside the block withheld for one of its cells: that cell is checked again
    /// when the other blocks have worked it out.
    outside: BTreeSet<usize>,
}

impl Program {
    /// None when a cell of the block is no sum of its unknowns.
    fn new(work: &Work, def: BlockDef) -> Option<Program> {
        let mut unknown_of: HashMap<usize, usize> = HashMap::new();
        let mut size: Vec<usize> = Vec::new();
        for m in &def.macros {
            size.push(work.cells[*m].atoms.len());
            for a in &work.cells[*m].atoms {
                if unknown_of.insert(*a, size.len() - 1).is_some() {
                    return None;
                }
            }
        }
        for c in &def.cells {
            for a in &work.cells[*c].atoms {
                unknown_of.entry(*a).or_insert_with(|| {
                    size.push(1);
                    size.len() - 1
                });
            }
        }
        // The unknowns a set of atoms adds up to: only whole unknowns.
        let expr = |atoms: &[usize]| -> Option<Vec<usize>> {
            let mut count: BTreeMap<usize, usize> = BTreeMap::new();
            for a in atoms {
                *count.entry(*unknown_of.get(a)?).or_default() += 1;
            }
            count.iter().all(|(u, n)| *n == size[*u]).then(|| count.into_keys().collect())
        };
        let mut exprs: Vec<Vec<usize>> = def.cells.iter().map(|c| expr(&work.cells[*c].atoms)).collect::<Option<_>>()?;
        let local: HashMap<usize, usize> = def.cells.iter().enumerate().map(|(k, c)| (*c, k)).collect();
        for sum in &def.sums {
            let members: Vec<usize> = sum.iter().map(|c| local.get(c).copied()).collect::<Option<_>>()?;
            exprs.push(members.iter().flat_map(|k| exprs[*k].clone()).collect());
        }
        let keys: Vec<Vec<usize>> = def.cells.iter().map(|c| vec![*c]).chain(def.sums.iter().cloned()).collect();
        let mut cells_of_unknown = vec![Vec::new(); size.len()];
        for (k, e) in exprs.iter().enumerate().take(def.cells.len()) {
            for u in e {
                cells_of_unknown[*u].push(k);
            }
        }
        let mut rows: BTreeSet<Vec<(usize, i64)>> = BTreeSet::new();
        let mut add = |terms: &mut dyn Iterator<Item = (usize, i64)>| {
            let mut coefficients: BTreeMap<usize, i64> = BTreeMap::new();
            for (u, c) in terms {
                *coefficients.entry(u).or_default() += c;
            }
            let row: Vec<(usize, i64)> = coefficients.into_iter().filter(|(_, c)| *c != 0).collect();
            if !row.is_empty() {
                rows.insert(row);
            }
        };
        let equalities: BTreeSet<usize> = unknown_of.keys().flat_map(|a| work.equalities_of_atom[*a].iter().copied()).collect();
        for e in equalities {
            let (lhs, rhs) = &work.equalities[e];
            if let (Some(l), Some(r)) = (expr(lhs), expr(rhs)) {
                add(&mut l.into_iter().map(|u| (u, 1)).chain(r.into_iter().map(|u| (u, -1))));
            }
        }
        let relations: BTreeSet<usize> = def.cells.iter().flat_map(|c| work.relations_of[*c].iter().copied()).collect();
        for r in relations {
            let relation = &work.relations[r];
            let (Some(whole), Some(parts)) = (local.get(&relation.whole), relation.parts.iter().map(|p| local.get(p)).collect::<Option<Vec<_>>>()) else {
                continue;
            };
            add(&mut exprs[*whole].iter().map(|u| (*u, 1)).chain(parts.iter().flat_map(|p| exprs[**p].iter().map(|u| (*u, -1)))));
        }
        let equalities = rows.into_iter().map(|row| row.into_iter().map(|(u, c)| (u, c as f64)).collect()).collect();
        Some(Program { def, local, exprs, keys, cells_of_unknown, unknowns: size.len(), equalities })
    }

    /// Widens what the block knows each cell can be by one solution.
    fn witness(&self, values: &[f64], state: &mut Local) {
        for (k, e) in self.exprs.iter().enumerate() {
            let v: f64 = e.iter().map(|u| values[*u]).sum();
            state.low[k] = state.low[k].min(v);
            state.high[k] = state.high[k].max(v);
        }
    }

    /// Whether a solution of an earlier run still satisfies everything the block knows now.
    fn admits(&self, bounds: &Bounds, values: &[f64]) -> bool {
        const TOLERANCE: f64 = 1e-7;
        values.len() == self.unknowns
            && values.iter().enumerate().all(|(u, v)| *v >= bounds.low[u] - TOLERANCE && *v <= bounds.high[u] + TOLERANCE)
            && bounds.rows.iter().all(|(k, low, high)| {
                let v: f64 = self.exprs[*k].iter().map(|u| values[*u]).sum();
                v >= low - TOLERANCE && v <= high + TOLERANCE
            })
    }

    /// The interval a shown cell's rounded value says, or none.
    fn shown_interval(work: &Work, cell: usize) -> Option<(f64, f64)> {
        match &work.cells[cell].shown {
            Shown::Value { value, numerator, .. } => Some(rounding_interval(numerator.unwrap_or(*value), &work.input.rules)),
            Shown::Withheld(_) => None,
        }
    }

    fn bounds(&self, work: &Work, withheld: &[bool], extras: &[(usize, f64, f64)]) -> Bounds {
        let mut bounds = Bounds { low: vec![0.0; self.unknowns], high: vec![f64::INFINITY; self.unknowns], rows: Vec::new() };
        let shown =
            (0..self.def.cells.len()).filter(|k| !withheld[*k]).filter_map(|k| Program::shown_interval(work, self.def.cells[k]).map(|(l, h)| (k, l, h)));
        for (k, low, high) in shown.chain(extras.iter().copied()) {
            match self.exprs[k].as_slice() {
                [u] => {
                    bounds.low[*u] = bounds.low[*u].max(low);
                    bounds.high[*u] = bounds.high[*u].min(high);
                }
                _ => bounds.rows.push((k, low, high)),
            }
        }
        bounds
    }

    /// The bounds of cell `k` that the block knows without solving: its own rounded value and
    /// what other blocks proved.
    fn outer(&self, work: &Work, withheld: &[bool], extras: &[(usize, f64, f64)], k: usize) -> (f64, f64) {
        let mut interval: (f64, f64) = (0.0, f64::INFINITY);
        let own = (k < self.def.cells.len() && !withheld[k]).then(|| Program::shown_interval(work, self.def.cells[k])).flatten();
        for (low, high) in own.into_iter().chain(extras.iter().filter(|e| e.0 == k).map(|e| (e.1, e.2))) {
            interval = (interval.0.max(low), interval.1.min(high));
        }
        interval
    }

    /// The least or greatest sum of the cells `targets` (positions in the block); every
    /// solution found widens what the block knows each cell can be. With a cap every unknown
    /// stays below it (a narrower program, so its solutions hold for the real one too).
    fn solve(&self, bounds: &Bounds, targets: &[(usize, f64)], maximise: bool, cap: Option<f64>, state: &mut Local) -> f64 {
        state.runs += 1;
        let mut vars = ProblemVariables::new();
        let xs: Vec<Variable> = (0..self.unknowns)
            .map(|u| {
                let high = cap.map_or(bounds.high[u], |c| bounds.high[u].min(c.max(bounds.low[u])));
                let v = variable().min(bounds.low[u]);
                vars.add(if high.is_finite() { v.max(high) } else { v })
            })
            .collect();
        let objective: Expression = targets.iter().flat_map(|(k, w)| self.exprs[*k].iter().map(move |u| (*u, *w))).map(|(u, w)| w * xs[u]).sum();
        let mut model = if maximise { vars.maximise(objective) } else { vars.minimise(objective) }.using(microlp);
        for (k, low, high) in &bounds.rows {
            let e: Expression = self.exprs[*k].iter().map(|u| xs[*u]).sum();
            if *low > 0.0 {
                model = model.with(e.clone().geq(*low));
            }
            if high.is_finite() {
                model = model.with(e.leq(*high));
            }
        }
        for row in &self.equalities {
            let e: Expression = row.iter().map(|(u, c)| *c * xs[*u]).sum();
            model = model.with(e.eq(0.0));
        }
        match model.solve() {
            Ok(solution) => {
                let values: Vec<f64> = xs.iter().map(|x| solution.value(*x)).collect();
                self.witness(&values, state);
                let target = targets.iter().map(|(k, w)| w * self.exprs[*k].iter().map(|u| values[*u]).sum::<f64>()).sum();
                state.points.push(values);
                target
            }
            // Unbounded above: no upper limit.
            Err(ResolutionError::Unbounded) => {
                if let [(k, _)] = targets {
                    state.high[*k] = f64::INFINITY;
                }
                f64::INFINITY
            }
            // Cannot happen (the true values satisfy every constraint); were it to, the cell
            // counts as given away and is protected further.
            Err(_) => f64::NAN,
        }
    }
}

#[cfg(test)]
mod tests;
