//! Times the publication of one indicator at national size: ≈ 14,500 buurten in 3,300 wijken
//! in 342 gemeenten, 20 working areas, four related periods (two half years, their year and
//! the next half year), small counts as youth care has them.
//!
//! `cargo run --release -p reisgenoot-domain --example publication`

use reisgenoot_domain::area::AreaCode;
use reisgenoot_domain::disclosure::{Classification, Input, Place, ScopeDef, Shown, publish};
use reisgenoot_domain::measure::{IndicatorKind, Parts, Rules};
use std::collections::BTreeMap;
use std::time::Instant;

/// xorshift, so the data set repeats from run to run.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn code(c: String) -> AreaCode {
    AreaCode::parse(&c).unwrap_or_else(|| panic!("{c}"))
}

fn main() {
    let gemeenten: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(342);
    let mut rng = Rng(0x0ddb_1a5e);
    let mut codes = Vec::new();
    let mut buurten = Vec::new();
    let mut wijken_of: Vec<Vec<AreaCode>> = Vec::new();
    let (mut wijk_count, mut buurt_count) = (0, 0);
    for g in 0..gemeenten {
        codes.push(code(format!("GM{:04}", 1 + g)));
        let mut wijken = Vec::new();
        // 3,300 wijken and 14,500 buurten over 342 gemeenten: ≈ 9.6 and 4.4 on average.
        for w in 0..(5 + rng.next(10)) as usize {
            let wijk = code(format!("WK{:04}{w:02}", 1 + g));
            codes.push(wijk.clone());
            wijken.push(wijk);
            wijk_count += 1;
            for b in 0..(2 + rng.next(6)) as usize {
                let buurt = code(format!("BU{:04}{w:02}{b:02}", 1 + g));
                codes.push(buurt.clone());
                buurten.push(buurt);
                buurt_count += 1;
            }
        }
        wijken_of.push(wijken);
    }
    let mut periods: BTreeMap<String, BTreeMap<AreaCode, Parts>> = BTreeMap::new();
    for buurt in &buurten {
        let mut year = 0.0;
        for half in ["2025-H1", "2025-H2"] {
            // A third of the buurten small, the rest up to 60.
            let n = if rng.next(3) == 0 { rng.next(8) } else { 8 + rng.next(53) } as f64;
            year += n;
            periods.entry(half.into()).or_default().insert(buurt.clone(), Parts::count(n));
        }
        periods.entry("2025".into()).or_default().insert(buurt.clone(), Parts::count(year));
        let n = if rng.next(3) == 0 { rng.next(8) } else { 8 + rng.next(53) } as f64;
        periods.entry("2026-H1".into()).or_default().insert(buurt.clone(), Parts::count(n));
    }
    // 20 working areas: ten regions of whole gemeenten, eight of wijken inside one gemeente,
    // two of buurten across two neighbouring gemeenten.
    let mut scopes = Vec::new();
    for r in 0..10 {
        let covering = (0..gemeenten).filter(|g| g % 10 == r).map(|g| code(format!("GM{:04}", 1 + g))).collect();
        scopes.push(ScopeDef { id: r as i64 + 1, covering });
    }
    for s in 0..8usize {
        let g = (s * 37) % gemeenten;
        let covering = wijken_of[g].iter().step_by(2).cloned().collect();
        scopes.push(ScopeDef { id: 11 + s as i64, covering });
    }
    for s in 0..2usize {
        let g = (s * 101 + 5) % gemeenten.saturating_sub(1).max(1);
        let covering: Vec<AreaCode> = buurten
            .iter()
            .filter(|b| b.gemeente().as_str() == format!("GM{:04}", 1 + g) || b.gemeente().as_str() == format!("GM{:04}", 2 + g))
            .step_by(3)
            .cloned()
            .collect();
        scopes.push(ScopeDef { id: 19 + s as i64, covering });
    }
    let input = Input {
        kind: IndicatorKind::Aantal,
        factor: 1.0,
        rules: Rules::default(),
        class: Classification::from_codes(&codes),
        periods,
        scopes,
        check_shown: std::env::var("CHECK_SHOWN").is_ok(),
    };
    let start = Instant::now();
    let publication = publish(&input);
    let elapsed = start.elapsed();
    let cells: usize = publication.cells.values().map(BTreeMap::len).sum();
    let withheld: usize = publication.cells.values().flat_map(|c| c.values()).filter(|s| matches!(s, Shown::Withheld(_))).count();
    let scopes_withheld =
        publication.cells.values().flat_map(|c| c.iter()).filter(|(p, s)| matches!(p, Place::Scope(_)) && matches!(s, Shown::Withheld(_))).count();
    println!(
        "{gemeenten} gemeenten, {wijk_count} wijken, {buurt_count} buurten, 20 working areas, 4 periods: {cells} cells, {withheld} withheld ({scopes_withheld} working-area cells), {} solver runs, {:.2} s",
        publication.solver_runs,
        elapsed.as_secs_f64()
    );
}
