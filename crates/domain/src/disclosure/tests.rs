use super::*;
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, microlp, variable};
use proptest::prelude::*;

fn code(c: &str) -> AreaCode {
    AreaCode::parse(c).expect("code")
}

fn measured(rows: &[(&str, f64)]) -> BTreeMap<AreaCode, Parts> {
    rows.iter().map(|(c, n)| (code(c), Parts::count(*n))).collect()
}

#[test]
fn mixed_levels_add_up_to_every_part_once() {
    // Wijk 01 measured itself, wijk 02 through both its buurten: the gemeente is both.
    let class = Classification::from_codes(&[code("GM0344"), code("WK034401"), code("WK034402"), code("BU03440201"), code("BU03440202")]);
    let rollup = roll_up(&class, &measured(&[("WK034401", 625.0), ("BU03440201", 200.0), ("BU03440202", 63.0)]));
    assert_eq!(rollup.areas[&code("WK034402")].parts(), Some(Parts::count(263.0)));
    assert_eq!(rollup.areas[&code("GM0344")].parts(), Some(Parts::count(888.0)), "not 625: the buurt-measured wijk counts too");
    assert_eq!(rollup.total.as_ref().and_then(Figure::parts), Some(Parts::count(888.0)));
    // One buurt missing: the wijk and everything above it say how much is there, not a partial sum.
    let rollup = roll_up(&class, &measured(&[("WK034401", 625.0), ("BU03440201", 200.0)]));
    assert_eq!(rollup.areas[&code("WK034402")], Figure::Incomplete { measured: 1, areas: 2 });
    assert_eq!(rollup.areas[&code("GM0344")], Figure::Incomplete { measured: 1, areas: 2 });
    assert_eq!(rollup.total, Some(Figure::Incomplete { measured: 0, areas: 1 }));
    // A wijk measured itself and through its buurten is counted once, from its own figure.
    let rollup = roll_up(&class, &measured(&[("WK034401", 10.0), ("WK034402", 263.0), ("BU03440201", 200.0), ("BU03440202", 63.0)]));
    assert_eq!(rollup.areas[&code("GM0344")].parts(), Some(Parts::count(273.0)));
}

/// A random classification: gemeenten of wijken of buurten.
fn hierarchy() -> impl Strategy<Value = Vec<Vec<usize>>> {
    prop::collection::vec(prop::collection::vec(1usize..4, 1..4), 1..3)
}

fn buurt(g: usize, w: usize, b: usize) -> AreaCode {
    code(&format!("BU{:04}{w:02}{b:02}", 100 + g))
}
fn wijk(g: usize, w: usize) -> AreaCode {
    code(&format!("WK{:04}{w:02}", 100 + g))
}
fn gemeente(g: usize) -> AreaCode {
    code(&format!("GM{:04}", 100 + g))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Every figure equals the brute-force sum of the buurten under it, and is given exactly
    /// when every buurt under it lies in a measured area inside it.
    #[test]
    fn roll_up_equals_the_brute_force_sum(shape in hierarchy(), seed in prop::collection::vec((0u32..40, 0u8..6), 40)) {
        let mut truth: BTreeMap<AreaCode, f64> = BTreeMap::new();
        let mut all: Vec<AreaCode> = Vec::new();
        let mut k = 0;
        let mut measured = BTreeMap::new();
        let mut next = || { k += 1; seed[k % seed.len()] };
        for (g, wijken) in shape.iter().enumerate() {
            all.push(gemeente(g));
            for (w, buurten) in wijken.iter().enumerate() {
                all.push(wijk(g, w));
                for b in 0..*buurten {
                    let (n, _) = next();
                    truth.insert(buurt(g, w, b), n as f64);
                    all.push(buurt(g, w, b));
                }
            }
        }
        let under = |area: &AreaCode| -> Vec<AreaCode> { truth.keys().filter(|b| *b == area || super::super::scope::contains(area, b)).cloned().collect() };
        for area in &all {
            let (_, choose) = next();
            if choose == 0 || (area.level() == AreaLevel::Buurt && choose < 4) {
                let sum: f64 = under(area).iter().map(|b| truth[b]).sum();
                measured.insert(area.clone(), Parts::count(sum));
            }
        }
        let class = Classification::from_codes(&all);
        let rollup = roll_up(&class, &measured);
        for area in &all {
            let buurten = under(area);
            let covered = buurten.iter().all(|b| measured.keys().any(|m| (m == b || super::super::scope::contains(m, b)) && (m == area || super::super::scope::contains(area, m))));
            match rollup.areas.get(area) {
                Some(Figure::Exact { parts, atoms }) => {
                    prop_assert!(covered, "{} given but not covered", area);
                    prop_assert_eq!(parts.numerator, buurten.iter().map(|b| truth[b]).sum::<f64>(), "{}", area);
                    let distinct: BTreeSet<&AreaCode> = atoms.iter().collect();
                    prop_assert_eq!(distinct.len(), atoms.len(), "an atom twice in {}", area);
                }
                Some(Figure::Incomplete { measured: m, areas }) => { prop_assert!(!covered, "{} covered but incomplete", area); prop_assert!(m < areas); }
                None => prop_assert!(!measured.keys().any(|m| m == area || super::super::scope::contains(area, m)), "{} has no figure", area),
            }
        }
    }
}

/// A measured unknown: a buurt in a half year.
type Unknown = (String, AreaCode);
/// What each cell adds up, in unknowns.
type CellSums = BTreeMap<(String, Place), Vec<Unknown>>;
/// Sums a reader knows to be equal.
type Equalities = Vec<(Vec<Unknown>, Vec<Unknown>)>;
/// A random shape, counts and working areas.
type Setup = (Vec<Vec<usize>>, Vec<u32>, Vec<Vec<(usize, usize, Option<usize>)>>);

/// The attacker: from nothing but what was published, the tightest interval of every cell's
/// numerator, with every buurt in every half year an unknown (a year is the sum of its halves).
pub(crate) fn attack(
    truth: &BTreeMap<(String, Place), f64>,
    publication: &Publication,
    cells: &CellSums,
    equal: &[(Vec<Unknown>, Vec<Unknown>)],
    rules: &Rules,
) -> Vec<String> {
    let unknowns: BTreeSet<(String, AreaCode)> = cells.values().flatten().cloned().chain(equal.iter().flat_map(|(a, b)| a.iter().chain(b).cloned())).collect();
    let unknowns: Vec<(String, AreaCode)> = unknowns.into_iter().collect();
    let mut failures = Vec::new();
    for ((period, place), target) in cells {
        let Some(shown) = publication.get(period, place) else { continue };
        if matches!(shown, Shown::Withheld(Withheld::Incomplete { .. } | Withheld::Denominator)) {
            continue;
        }
        let mut bounds = [0.0, f64::INFINITY];
        for (i, maximise) in [false, true].into_iter().enumerate() {
            let mut vars = ProblemVariables::new();
            let xs: Vec<good_lp::Variable> = unknowns.iter().map(|_| vars.add(variable().min(0))).collect();
            let expr = |set: &[(String, AreaCode)]| -> Expression { set.iter().map(|u| xs[unknowns.binary_search(u).expect("known")]).sum() };
            let objective = expr(target);
            let mut model = if maximise { vars.maximise(objective.clone()) } else { vars.minimise(objective.clone()) }.using(microlp);
            for ((p, pl), set) in cells {
                let e = expr(set);
                // A withheld cell tells nothing of its size.
                if let Some(Shown::Value { value, numerator, .. }) = publication.get(p, pl) {
                    let (lo, hi) = rounding_interval(numerator.unwrap_or(*value), rules);
                    model = model.with(e.clone().geq(lo)).with(e.leq(hi));
                }
            }
            for (a, b) in equal {
                model = model.with(expr(a).eq(expr(b)));
            }
            if let Ok(solution) = model.solve() {
                bounds[i] = solution.eval(&objective);
            } else if !maximise {
                failures.push(format!("{period} {place:?}: no solution"));
            }
        }
        let [low, high] = bounds;
        let small = truth.get(&(period.clone(), place.clone())).is_some_and(|t| *t < rules.secret_below);
        match shown {
            Shown::Withheld(_) if small && !protected(low, high, rules) => failures.push(format!("{period} {place:?}: small and within [{low}, {high}]")),
            Shown::Withheld(_) if high - low < 1.0 - 1e-6 => failures.push(format!("{period} {place:?}: withheld and exactly {low}")),
            Shown::Value { .. } if high - low < 1.0 - 1e-6 => failures.push(format!("{period} {place:?}: shown and exactly {low}")),
            _ => {}
        }
    }
    failures
}

/// A random collaboration: every buurt measured in both halves, the year their sum, and
/// working areas of random buurten and wijken.
fn collaboration() -> impl Strategy<Value = Setup> {
    (
        prop::collection::vec(prop::collection::vec(1usize..4, 1..4), 1..3),
        prop::collection::vec(prop_oneof![0u32..8, 0u32..40], 48),
        prop::collection::vec(prop::collection::vec((0usize..2, 0usize..3, prop::option::of(0usize..3)), 1..4), 0..3),
    )
}

fn build(shape: &[Vec<usize>], counts: &[u32], scopes: &[Vec<(usize, usize, Option<usize>)>]) -> (Input, CellSums, Equalities) {
    build_with(shape, counts, scopes, &[], false)
}

/// As `build`, with the wijken that `whole` marks measured as a whole (not per buurt), a
/// working-area member with wijk 3 standing for its whole gemeente, and with `next` a
/// further half year that no relation joins to the others.
fn build_with(
    shape: &[Vec<usize>],
    counts: &[u32],
    scopes: &[Vec<(usize, usize, Option<usize>)>],
    whole: &[bool],
    next: bool,
) -> (Input, CellSums, Equalities) {
    let halves = ["2025-H1", "2025-H2"];
    let mut periods: BTreeMap<String, BTreeMap<AreaCode, Parts>> = BTreeMap::new();
    let mut all = Vec::new();
    let mut k = 0;
    let mut wijk_index = 0;
    for (g, wijken) in shape.iter().enumerate() {
        all.push(gemeente(g));
        for (w, buurten) in wijken.iter().enumerate() {
            all.push(wijk(g, w));
            let as_whole = whole.get(wijk_index).copied().unwrap_or(false);
            wijk_index += 1;
            for b in 0..*buurten {
                all.push(buurt(g, w, b));
                let area = if as_whole { wijk(g, w) } else { buurt(g, w, b) };
                let mut add = |period: &str, n: f64| {
                    let entry = periods.entry(period.into()).or_default().entry(area.clone()).or_insert(Parts::count(0.0));
                    *entry = Parts::count(entry.numerator + n);
                };
                let mut year = 0.0;
                for half in halves {
                    let n = counts[k % counts.len()] as f64;
                    k += 1;
                    year += n;
                    add(half, n);
                }
                add("2025", year);
                if next {
                    add("2026-H1", counts[k % counts.len()] as f64);
                    k += 1;
                }
            }
        }
    }
    let buurten: Vec<AreaCode> = all.iter().filter(|a| a.level() == AreaLevel::Buurt).cloned().collect();
    let mut defs = Vec::new();
    for (i, members) in scopes.iter().enumerate() {
        let mut areas = Vec::new();
        for (g, w, b) in members {
            let Some(wijken) = shape.get(*g) else { continue };
            if *w == 3 {
                areas.push(gemeente(*g));
                continue;
            }
            let Some(n) = wijken.get(*w) else { continue };
            match b {
                Some(b) if b < n => areas.push(buurt(*g, *w, *b)),
                Some(_) => {}
                None => areas.push(wijk(*g, *w)),
            }
        }
        if !areas.is_empty() {
            defs.push(ScopeDef { id: i as i64 + 1, covering: crate::scope::covering(areas.iter()) });
        }
    }
    // What each cell adds up, in the attacker's unknowns: buurten per half year.
    let mut cells = BTreeMap::new();
    let under = |area: &AreaCode| -> Vec<AreaCode> { buurten.iter().filter(|b| *b == area || crate::scope::contains(area, b)).cloned().collect() };
    for period in ["2025-H1", "2025-H2", "2025", "2026-H1"].into_iter().take(if next { 4 } else { 3 }) {
        let expand = |areas: &[AreaCode]| -> Vec<(String, AreaCode)> {
            let buurten: BTreeSet<AreaCode> = areas.iter().flat_map(&under).collect();
            buurten
                .into_iter()
                .flat_map(
                    |b| if period == "2025" { halves.iter().map(|h| (h.to_string(), b.clone())).collect::<Vec<_>>() } else { vec![(period.to_string(), b)] },
                )
                .collect()
        };
        for area in &all {
            cells.insert((period.to_string(), Place::Area(area.clone())), expand(std::slice::from_ref(area)));
        }
        cells.insert((period.to_string(), Place::Total), expand(&all));
        for scope in &defs {
            cells.insert((period.to_string(), Place::Scope(scope.id)), expand(&scope.covering));
        }
    }
    let input = Input {
        kind: IndicatorKind::Aantal,
        factor: 1.0,
        rules: Rules::default(),
        class: Classification::from_codes(&all),
        periods,
        scopes: defs,
        check_shown: true,
    };
    (input, cells, Vec::new())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// After the audit, an attacker with a solver of its own and everything published —
    /// every level, the working areas and both halves with their year — proves no withheld
    /// cell narrower than the protection level and no shown count exactly.
    #[test]
    fn no_publication_gives_a_withheld_cell_away(setup in collaboration()) {
        let (shape, counts, scopes) = setup;
        let (input, cells, equal) = build(&shape, &counts, &scopes);
        let publication = publish_with(&input, Cut::Joint);
        for (period, shown) in &publication.cells {
            for (place, value) in shown {
                if let (Shown::Value { value, .. }, Place::Area(_) | Place::Total) = (value, place) {
                    prop_assert_eq!(value % 5.0, 0.0, "{} {:?} rounded", period, place);
                }
            }
        }
        let truth = truths(&input);
        let failures = attack(&truth, &publication, &cells, &equal, &input.rules);
        prop_assert!(failures.is_empty(), "{:#?}", failures);
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The audit cut into blocks (per wijk, per gemeente, the top; per group of related
    /// periods) that exchange intervals publishes nothing that one program over everything
    /// narrows further: the attacker's program over the whole publication finds no withheld
    /// cell narrower than the protection and no shown count exactly.
    #[test]
    fn the_audit_in_blocks_holds_against_one_program_over_everything(setup in collaboration()) {
        let (shape, counts, scopes) = setup;
        let (input, cells, equal) = build(&shape, &counts, &scopes);
        let publication = publish_with(&input, Cut::Modular);
        let failures = attack(&truths(&input), &publication, &cells, &equal, &input.rules);
        prop_assert!(failures.is_empty(), "{:#?}", failures);
    }
}

/// A wider random collaboration: up to three gemeenten, wijken measured as a whole, working
/// areas of whole gemeenten, and sometimes a half year of its own.
fn wider_collaboration() -> impl Strategy<Value = (Setup, Vec<bool>, bool)> {
    (
        (
            prop::collection::vec(prop::collection::vec(1usize..4, 1..4), 1..4),
            prop::collection::vec(prop_oneof![0u32..8, 0u32..40], 64),
            prop::collection::vec(prop::collection::vec((0usize..3, 0usize..4, prop::option::of(0usize..3)), 1..5), 0..4),
        ),
        prop::collection::vec(prop::bool::weighted(0.2), 9),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The same over wider collaborations: working areas across gemeenten and of whole
    /// gemeenten (the top block), wijken measured as a whole, an independent half year.
    #[test]
    fn the_audit_in_blocks_holds_on_wider_collaborations(setup in wider_collaboration()) {
        let ((shape, counts, scopes), whole, next) = setup;
        let (input, cells, equal) = build_with(&shape, &counts, &scopes, &whole, next);
        let publication = publish_with(&input, Cut::Modular);
        let failures = attack(&truths(&input), &publication, &cells, &equal, &input.rules);
        prop_assert!(failures.is_empty(), "{:#?}", failures);
    }
}

/// The same check finds what blocks that exchange nothing give away: the property above can
/// fail, and does for a cut that loses what only the blocks together prove.
#[test]
fn the_check_catches_blocks_that_exchange_nothing() {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner =
        TestRunner::new_with_rng(Config { cases: 200, failure_persistence: None, ..Config::default() }, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let outcome = runner.run(&collaboration(), |(shape, counts, scopes)| {
        let (input, cells, equal) = build(&shape, &counts, &scopes);
        let publication = publish_with(&input, Cut::Isolated);
        let failures = attack(&truths(&input), &publication, &cells, &equal, &input.rules);
        prop_assert!(failures.is_empty(), "{:#?}", failures);
        Ok(())
    });
    match outcome {
        Err(proptest::test_runner::TestError::Fail(reason, _)) => {
            assert!(reason.message().contains("small and within"), "not a cell given away: {reason}")
        }
        other => panic!("blocks that exchange nothing passed the attacker's check: {other:?}"),
    }
}

/// Every cell's true numerator, from the roll-up.
fn truths(input: &Input) -> BTreeMap<(String, Place), f64> {
    let mut truth = BTreeMap::new();
    for (period, measured) in &input.periods {
        let rollup = roll_up(&input.class, measured);
        for (area, figure) in &rollup.areas {
            if let Some(p) = figure.parts() {
                truth.insert((period.clone(), Place::Area(area.clone())), p.numerator);
            }
        }
        if let Some(p) = rollup.total.as_ref().and_then(Figure::parts) {
            truth.insert((period.clone(), Place::Total), p.numerator);
        }
        for scope in &input.scopes {
            let sum: f64 = scope.covering.iter().filter_map(|a| rollup.areas.get(a).and_then(Figure::parts)).map(|p| p.numerator).sum();
            truth.insert((period.clone(), Place::Scope(scope.id)), sum);
        }
    }
    truth
}

#[test]
fn the_rules_round_counts_and_build_ratios_from_rounded_parts() {
    let rules = Rules::default();
    let count = |n: f64| primary(&Parts::count(n), IndicatorKind::Aantal, 1.0, &rules).value();
    assert_eq!([count(0.0), count(7.0), count(8.0), count(12.0), count(13.0)], [None, None, Some(10.0), Some(10.0), Some(15.0)]);
    // 2 of 497: the numerator is below the threshold, so the rate is withheld too.
    assert_eq!(primary(&Parts::ratio(2.0, 497.0), IndicatorKind::Verhouding, 100.0, &rules), Shown::Withheld(Withheld::Secret { via: Vec::new() }));
    assert_eq!(primary(&Parts::ratio(50.0, 99.0), IndicatorKind::Verhouding, 100.0, &rules), Shown::Withheld(Withheld::Denominator));
    // 23 of 497 → 25 of 495 → 5.1 %.
    assert_eq!(
        primary(&Parts::ratio(23.0, 497.0), IndicatorKind::Verhouding, 100.0, &rules),
        Shown::Value { value: 5.1, numerator: Some(25.0), denominator: Some(495.0) }
    );
    assert_eq!(rounding_interval(10.0, &rules), (8.0, 12.0));
    assert_eq!(rounding_interval(0.0, &rules), (0.0, 2.0));
    assert!(protected(0.0, 7.0, &rules) && protected(10.0, 18.0, &rules) && !protected(1.0, 7.0, &rules) && !protected(8.0, 12.0, &rules));
}

#[test]
fn a_working_area_of_all_but_one_buurt_is_too_close_to_its_wijk() {
    let all = [code("GM0344"), code("WK034401"), code("BU03440101"), code("BU03440102"), code("BU03440103")];
    let periods = [("2025".to_string(), measured(&[("BU03440101", 30.0), ("BU03440102", 40.0), ("BU03440103", 3.0)]))].into_iter().collect();
    let scopes = vec![ScopeDef { id: 7, covering: vec![code("BU03440101"), code("BU03440102")] }];
    let input = Input {
        kind: IndicatorKind::Aantal,
        factor: 1.0,
        rules: Rules::default(),
        class: Classification::from_codes(&all),
        periods,
        scopes,
        check_shown: true,
    };
    let publication = publish(&input);
    assert_eq!(
        publication.area("2025", &code("BU03440103")),
        Some(&Shown::Withheld(Withheld::Secret { via: vec![CellRef { period: "2025".into(), place: Place::Area(code("WK034401")) }] }))
    );
    // Its wijk (75) minus the working area (70) would put the buurt in [1, 9]; with the
    // buurten of the working area withheld as well, too wide to tell.
    let mut cells = BTreeMap::new();
    let unit = |b: &str| vec![("2025".to_string(), code(b))];
    let three = [unit("BU03440101"), unit("BU03440102"), unit("BU03440103")].concat();
    for b in ["BU03440101", "BU03440102", "BU03440103"] {
        cells.insert(("2025".to_string(), Place::Area(code(b))), unit(b));
    }
    cells.insert(("2025".to_string(), Place::Area(code("WK034401"))), three.clone());
    cells.insert(("2025".to_string(), Place::Area(code("GM0344"))), three.clone());
    cells.insert(("2025".to_string(), Place::Total), three);
    cells.insert(("2025".to_string(), Place::Scope(7)), [unit("BU03440101"), unit("BU03440102")].concat());
    assert_eq!(attack(&truths(&input), &publication, &cells, &[], &input.rules), Vec::<String>::new());
}

/// A working area of buurten in two wijken says something of the two wijken together that
/// neither wijk's figure says alone; with the gemeente's figure, that narrowed a small buurt to
/// [0, 4] when blocks exchanged only the intervals of single figures.
#[test]
fn a_working_area_across_wijken_is_exchanged_as_one_sum() {
    let shape = vec![vec![2, 2, 1]];
    let mut counts = vec![6, 3, 0, 0, 1, 0, 0, 1, 0, 4];
    counts.resize(48, 0);
    let scopes = vec![vec![(0, 0, None)], vec![(0, 0, Some(0)), (0, 2, Some(0))]];
    let (input, cells, equal) = build(&shape, &counts, &scopes);
    let publication = publish_with(&input, Cut::Modular);
    assert_eq!(attack(&truths(&input), &publication, &cells, &equal, &input.rules), Vec::<String>::new());
}

/// A working area of one buurt and two whole gemeenten: the gemeenten's figures tell its
/// block more of their buurten together than the wijken's figures one by one; with them out
/// of the block, the buurt was narrowed to [0, 6].
#[test]
fn a_working_area_of_whole_gemeenten_and_a_buurt_knows_the_gemeenten() {
    let shape = vec![vec![1, 2], vec![3, 3], vec![1]];
    let mut counts = vec![4, 0, 0, 0, 1, 0, 0, 5, 0, 9, 2, 3, 1, 2, 1, 0, 6, 0, 4, 5];
    counts.resize(64, 0);
    let scopes = vec![vec![(1, 0, Some(0)), (0, 3, None), (2, 3, None)]];
    let (input, cells, equal) = build_with(&shape, &counts, &scopes, &[], false);
    let publication = publish_with(&input, Cut::Modular);
    assert_eq!(attack(&truths(&input), &publication, &cells, &equal, &input.rules), Vec::<String>::new());
}

/// Three wijken of one buurt each: the gemeente's year and first half, shown through the total,
/// give its second half; with the one large buurt shown in it, the two small wijken together
/// were below 7. Their own block holds nothing more to withhold: the cell it adds up with, in
/// another block, is.
#[test]
fn a_cell_narrowed_through_another_block_is_protected_there() {
    let shape = vec![vec![1, 1, 1]];
    let mut counts = vec![1, 0, 2, 2, 10, 8];
    counts.resize(64, 0);
    let (input, cells, equal) = build_with(&shape, &counts, &[], &[], false);
    let publication = publish_with(&input, Cut::Modular);
    assert_eq!(attack(&truths(&input), &publication, &cells, &equal, &input.rules), Vec::<String>::new());
}

/// A random collaboration measured per quarter, with the halves, the year and the school year
/// they add up to: every buurt in 2025-Q1 … 2026-Q2, the halves 2025-H1, 2025-H2 and 2026-H1,
/// the year 2025 and the school year 2025-2026, each the sum of its quarters; and working
/// areas of random buurten and wijken. The attacker's unknowns are the buurten per quarter.
fn build_quarters(shape: &[Vec<usize>], counts: &[u32], scopes: &[Vec<(usize, usize, Option<usize>)>]) -> (Input, CellSums, Equalities) {
    let quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"];
    // Each period and the quarters it is made of.
    let made_of: Vec<(&str, Vec<&str>)> = quarters
        .iter()
        .map(|q| (*q, vec![*q]))
        .chain([
            ("2025-H1", vec!["2025-Q1", "2025-Q2"]),
            ("2025-H2", vec!["2025-Q3", "2025-Q4"]),
            ("2026-H1", vec!["2026-Q1", "2026-Q2"]),
            ("2025", vec!["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]),
            ("2025-2026", vec!["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]),
        ])
        .collect();
    let mut periods: BTreeMap<String, BTreeMap<AreaCode, Parts>> = BTreeMap::new();
    let mut all = Vec::new();
    let mut k = 0;
    for (g, wijken) in shape.iter().enumerate() {
        all.push(gemeente(g));
        for (w, buurten) in wijken.iter().enumerate() {
            all.push(wijk(g, w));
            for b in 0..*buurten {
                let area = buurt(g, w, b);
                all.push(area.clone());
                let per_quarter: BTreeMap<&str, f64> = quarters
                    .iter()
                    .map(|q| {
                        k += 1;
                        (*q, counts[k % counts.len()] as f64)
                    })
                    .collect();
                for (period, parts) in &made_of {
                    let n: f64 = parts.iter().map(|q| per_quarter[q]).sum();
                    periods.entry(period.to_string()).or_default().insert(area.clone(), Parts::count(n));
                }
            }
        }
    }
    let buurten: Vec<AreaCode> = all.iter().filter(|a| a.level() == AreaLevel::Buurt).cloned().collect();
    let mut defs = Vec::new();
    for (i, members) in scopes.iter().enumerate() {
        let mut areas = Vec::new();
        for (g, w, b) in members {
            let Some(n) = shape.get(*g).and_then(|wijken| wijken.get(*w)) else { continue };
            match b {
                Some(b) if b < n => areas.push(buurt(*g, *w, *b)),
                Some(_) => {}
                None => areas.push(wijk(*g, *w)),
            }
        }
        if !areas.is_empty() {
            defs.push(ScopeDef { id: i as i64 + 1, covering: crate::scope::covering(areas.iter()) });
        }
    }
    let under = |area: &AreaCode| -> Vec<AreaCode> { buurten.iter().filter(|b| *b == area || crate::scope::contains(area, b)).cloned().collect() };
    let mut cells = BTreeMap::new();
    for (period, parts) in &made_of {
        let expand = |areas: &[AreaCode]| -> Vec<(String, AreaCode)> {
            let buurten: BTreeSet<AreaCode> = areas.iter().flat_map(&under).collect();
            buurten.into_iter().flat_map(|b| parts.iter().map(move |q| (q.to_string(), b.clone()))).collect()
        };
        for area in &all {
            cells.insert((period.to_string(), Place::Area(area.clone())), expand(std::slice::from_ref(area)));
        }
        cells.insert((period.to_string(), Place::Total), expand(&all));
        for scope in &defs {
            cells.insert((period.to_string(), Place::Scope(scope.id)), expand(&scope.covering));
        }
    }
    let input = Input {
        kind: IndicatorKind::Aantal,
        factor: 1.0,
        rules: Rules::default(),
        class: Classification::from_codes(&all),
        periods,
        scopes: defs,
        check_shown: true,
    };
    (input, cells, Vec::new())
}

/// A small random collaboration for quarters: one or two gemeenten of up to two wijken of up to
/// three buurten (at most 72 unknowns), up to two working areas.
fn quarterly_collaboration() -> impl Strategy<Value = Setup> {
    (
        prop::collection::vec(prop::collection::vec(1usize..4, 1..3), 1..3),
        prop::collection::vec(prop_oneof![0u32..5, 0u32..20], 48),
        prop::collection::vec(prop::collection::vec((0usize..2, 0usize..2, prop::option::of(0usize..3)), 1..3), 0..3),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    /// Quarters, halves, the year and the school year all relate (a school year to the halves it
    /// spans, which its own interval alone does not say): the publication, cut as the product
    /// cuts it, leaves an attacker over every quarter no withheld cell narrower than the
    /// protection level and no shown count exactly.
    #[test]
    fn quarters_halves_years_and_school_years_give_no_withheld_cell_away(setup in quarterly_collaboration()) {
        let (shape, counts, scopes) = setup;
        let (input, cells, equal) = build_quarters(&shape, &counts, &scopes);
        for cut in [Cut::Auto, Cut::Modular] {
            let publication = publish_with(&input, cut);
            let failures = attack(&truths(&input), &publication, &cells, &equal, &input.rules);
            prop_assert!(failures.is_empty(), "{:?}: {:#?}", cut, failures);
        }
    }
}

/// A count and a percentage of the same children: on its own, the count withholds the
/// smallest shown buurt (20) beside its secret one, while the percentage, whose buurt of 50
/// is withheld for its small denominator, shows the 20's numerator; together a reader has the
/// wijk and every buurt but the secret one. Published jointly, the 20 is withheld in both.
#[test]
fn indicators_that_share_a_numerator_are_published_jointly() {
    let all = [code("GM0344"), code("WK034401"), code("BU03440101"), code("BU03440102"), code("BU03440103"), code("BU03440104")];
    let rows = [("BU03440101", 3.0, 200.0), ("BU03440102", 50.0, 90.0), ("BU03440103", 20.0, 300.0), ("BU03440104", 40.0, 400.0)];
    let input = |kind: IndicatorKind| Input {
        kind,
        factor: if kind == IndicatorKind::Aantal { 1.0 } else { 100.0 },
        rules: Rules::default(),
        class: Classification::from_codes(&all),
        periods: [(
            "2025".to_string(),
            rows.iter().map(|(b, n, d)| (code(b), if kind == IndicatorKind::Aantal { Parts::count(*n) } else { Parts::ratio(*n, *d) })).collect(),
        )]
        .into_iter()
        .collect(),
        scopes: Vec::new(),
        check_shown: true,
    };
    let (count, rate) = (input(IndicatorKind::Aantal), input(IndicatorKind::Verhouding));
    // The numerator a reader reads of each buurt, from either indicator.
    let read = |publications: &[Publication]| -> Vec<&str> {
        rows.iter()
            .map(|r| r.0)
            .filter(|b| {
                publications.iter().any(|p| {
                    p.area("2025", &code(b)).is_some_and(|s| {
                        matches!(s, Shown::Value { .. } if s.value().is_some()) && !matches!(s, Shown::Value { numerator: None, denominator: Some(_), .. })
                    })
                })
            })
            .collect()
    };
    let alone = [publish(&count), publish(&rate)];
    assert_eq!(read(&alone), vec!["BU03440102", "BU03440103", "BU03440104"], "alone, the two give the secret buurt away");
    let joint = publish_shared(&[(count.clone(), SharedPart::Numerator), (rate.clone(), SharedPart::Numerator)]);
    assert_eq!(read(&joint), vec!["BU03440102", "BU03440104"], "jointly, one more buurt is withheld wherever it was shown");
    assert!(matches!(joint[1].area("2025", &code("BU03440103")), Some(Shown::Withheld(Withheld::Secret { .. }))));
    // What the count shows is what it showed alone where nothing else asked for more.
    assert_eq!(joint[0].area("2025", &code("BU03440102")), alone[0].area("2025", &code("BU03440102")));
}
