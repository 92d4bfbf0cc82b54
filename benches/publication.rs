//! One national publication end to end through the store: every buurt of the built-in 2024
//! classification measured in four related periods (2025-H1, 2025-H2, their year, 2026-H1),
//! a third of them below 8, with 20 working areas, approved through the store; then the
//! refresh an approval triggers (`web::publication::refresh`: read what the publication is made
//! of, work it out and audit it, store it as JSON) and what a reader's first and later reads
//! cost (`web::publication::view`: read and parse the stored publication, then the parsed one
//! kept in memory). Not run by CI or the test suite. Usage:
//!
//! ```text
//! cargo bench -p reisgenoot --bench publication -- [--database-url URL] [--gemeenten N]
//! ```
//!
//! Without `--database-url` it runs on a fresh SQLite file in a temporary directory; a
//! PostgreSQL URL names an empty database. Prints one line per step with its seconds.

use domain::area::{AreaCode, AreaLevel};
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
use domain::measure::Parts;
use std::collections::BTreeMap;
use std::time::Instant;
use store::{Actor, Db};

type Failure = Box<dyn std::error::Error>;

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

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut option = |name: &str| -> Option<String> {
        let at = args.iter().position(|a| a == name)?;
        let value = args.get(at + 1).cloned();
        args.drain(at..(at + 2).min(args.len()));
        value
    };
    let dir = std::env::temp_dir().join(format!("reisgenoot-publication-{}", std::process::id()));
    let url = match option("--database-url") {
        Some(url) => url,
        None => {
            std::fs::create_dir_all(&dir)?;
            format!("sqlite://{}/bench.db", dir.display())
        }
    };
    let limit: usize = option("--gemeenten").map_or(Ok(usize::MAX), |s| s.parse())?;
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let actor = Actor::system("benchmark");

    let step = Instant::now();
    let areas = domain::area::builtin();
    let gemeenten: Vec<AreaCode> = areas.iter().filter(|a| a.code.level() == AreaLevel::Gemeente).map(|a| a.code.clone()).take(limit).collect();
    let buurten: Vec<AreaCode> =
        areas.iter().filter(|a| a.code.level() == AreaLevel::Buurt && gemeenten.contains(&a.code.gemeente())).map(|a| a.code.clone()).collect();
    let wijken: Vec<AreaCode> =
        areas.iter().filter(|a| a.code.level() == AreaLevel::Wijk && gemeenten.contains(&a.code.gemeente())).map(|a| a.code.clone()).collect();
    let user = db.create_user(&actor, &store::user::NewUser { email: "bench@example.org", name: "Bench", password_hash: "x", is_admin: false }).await?;
    let input = domain::collaboration::CollaborationInput {
        name: "Landelijk".into(),
        scale: "landelijk".into(),
        age_focus: "beide".into(),
        area_codes: vec![gemeenten[0].to_string()],
        ..Default::default()
    };
    let new = domain::collaboration::NewCollaboration::parse(&input, 2024).map_err(|e| format!("{e:?}"))?;
    let c: CollaborationId = db.create_collaboration(&actor, &new, user.id()).await?.id;
    let input = IndicatorInput {
        code: "JZ".into(),
        name: "Jeugdzorg".into(),
        kind: "aantal".into(),
        factor: "1".into(),
        direction: "lager_beter".into(),
        perspective: "eindgebruiker".into(),
        period_type: "halfjaar".into(),
        ..Default::default()
    };
    let indicator = db.create_indicator(&actor, c, &IndicatorContent::parse(&input).map_err(|e| format!("{e:?}"))?).await?.id;
    let mut rng = Rng(0x0ddb_1a5e);
    let mut periods: BTreeMap<&str, Vec<Measurement>> = BTreeMap::new();
    let small_or_not = |rng: &mut Rng| if rng.next(3) == 0 { rng.next(8) } else { 8 + rng.next(53) } as f64;
    for buurt in &buurten {
        let mut year = 0.0;
        for half in ["2025-H1", "2025-H2"] {
            let n = small_or_not(&mut rng);
            year += n;
            periods.entry(half).or_default().push(Measurement { area: buurt.clone(), period: half.into(), parts: Parts::count(n) });
        }
        periods.entry("2025").or_default().push(Measurement { area: buurt.clone(), period: "2025".into(), parts: Parts::count(year) });
        let n = small_or_not(&mut rng);
        periods.entry("2026-H1").or_default().push(Measurement { area: buurt.clone(), period: "2026-H1".into(), parts: Parts::count(n) });
    }
    for (period, rows) in &periods {
        db.save_measurements(&actor, c, indicator, rows).await?;
        db.move_measurements(&actor, c, indicator, period, MeasurementStatus::Ingediend).await?;
        db.move_measurements(&actor, c, indicator, period, MeasurementStatus::Goedgekeurd).await?;
    }
    // 20 working areas: ten regions of whole gemeenten, eight of every other wijk of one
    // gemeente, two of every third buurt of two neighbouring gemeenten.
    let mut scopes: Vec<Vec<AreaCode>> = (0..10).map(|r| gemeenten.iter().skip(r).step_by(10).cloned().collect()).collect();
    for s in 0..8usize {
        let g = &gemeenten[(s * 37) % gemeenten.len()];
        scopes.push(wijken.iter().filter(|w| w.gemeente() == *g).step_by(2).cloned().collect());
    }
    for s in 0..2usize {
        let g = (s * 101 + 5) % gemeenten.len().saturating_sub(1).max(1);
        let pair = [&gemeenten[g], &gemeenten[(g + 1) % gemeenten.len()]];
        scopes.push(buurten.iter().filter(|b| pair.contains(&&b.gemeente())).step_by(3).cloned().collect());
    }
    for (n, covering) in scopes.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
        let members = covering.iter().map(|a| a.to_string()).collect::<Vec<_>>().join("\n");
        let input = domain::scope::ScopeInput { name: format!("Werkgebied {n}"), kind: "gebieden".into(), description: String::new(), members };
        db.create_scope(&actor, c, &domain::scope::ScopeContent::parse(&input).map_err(|e| format!("{e:?}"))?).await?;
    }
    println!(
        "set-up: {} gemeenten, {} wijken, {} buurten, 4 periods, {} working areas, {} measurements approved: {:.2} s",
        gemeenten.len(),
        wijken.len(),
        buurten.len(),
        scopes.iter().filter(|c| !c.is_empty()).count(),
        periods.values().map(Vec::len).sum::<usize>(),
        step.elapsed().as_secs_f64()
    );

    let state = web::AppState::new(db.clone(), web::Config::default());
    let step = Instant::now();
    let source = db.publication_source(c, indicator).await?;
    let read = step.elapsed().as_secs_f64();
    drop(source);
    let step = Instant::now();
    let stored = web::publication::refresh(&state, c, indicator).await?;
    let refresh = step.elapsed().as_secs_f64();
    let body = db.publication(c, indicator).await?.and_then(|p| p.body).map_or(0, |b| b.len());
    println!("refresh (read {read:.2} s, work out and audit, store): {refresh:.2} s, stored {stored}, {:.1} MB of JSON", body as f64 / 1e6);
    // A reader in another process: read and parse the stored publication, then from memory.
    let cold = web::AppState::new(db.clone(), web::Config::default());
    let step = Instant::now();
    let view = web::publication::view(&cold, c, indicator).await?;
    let first = step.elapsed().as_secs_f64();
    let step = Instant::now();
    let again = web::publication::view(&cold, c, indicator).await?;
    let later = step.elapsed().as_secs_f64();
    println!("first read: {first:.3} s, later reads: {:.1} ms (total 2025: {:?}, current {})", later * 1000.0, view.total("2025"), again.current);
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
