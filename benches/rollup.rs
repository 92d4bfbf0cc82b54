//! The benchmark database's set-up and the roll-up timings, through the store's own functions.
//! Not run by CI or the test suite; `benches/run.sh` calls it. Usage:
//!
//! ```text
//! cargo bench -p reisgenoot --bench rollup -- --database-url URL [--samenwerking 1] COMMAND
//!   indicators FILE         create the indicators listed in FILE (code,kind) that are missing
//!   approve CODE…           submit and approve every period of these indicators
//!   measure CODE GEBIED PERIODE [RUNS]
//!                           time Db::rollup_trend (GEBIED over all periods) and
//!                           Db::rollup_areas (every gemeente in PERIODE), RUNS times each,
//!                           and the refresh of PERIODE's summaries that an approval runs
//! ```
//!
//! `measure` prints one line per query with the median, the fastest and the mean in
//! milliseconds, and the number of rows it returned, e.g. `trend median_ms=1.234 …`.

use domain::area::{AreaCode, AreaLevel};
use domain::ids::CollaborationId;
use domain::indicator::{IndicatorContent, IndicatorInput, MeasurementStatus};
use std::time::Instant;
use store::{Actor, Db};

type Failure = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let mut args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut option = |name: &str| -> Option<String> {
        let at = args.iter().position(|a| a == name)?;
        let value = args.get(at + 1).cloned();
        args.drain(at..(at + 2).min(args.len()));
        value
    };
    let url = option("--database-url").ok_or("--database-url is required")?;
    let collaboration = CollaborationId(option("--samenwerking").map_or(Ok(1), |s| s.parse())?);
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let actor = Actor::system("benchmark");
    match args.first().map(String::as_str) {
        Some("indicators") => indicators(&db, &actor, collaboration, args.get(1).ok_or("indicators FILE")?).await,
        Some("approve") => approve(&db, &actor, collaboration, &args[1..]).await,
        Some("measure") => {
            let [code, area, period] = [1, 2, 3].map(|i| args.get(i).cloned().unwrap_or_default());
            let runs = args.get(4).map_or(Ok(50), |r| r.parse())?;
            measure(&db, collaboration, &code, &area, &period, runs).await
        }
        _ => Err("command: indicators FILE | approve CODE… | measure CODE GEBIED PERIODE [RUNS]".into()),
    }
}

async fn indicator_id(db: &Db, collaboration: CollaborationId, code: &str) -> Result<i64, Failure> {
    let all = db.indicators(collaboration).await?;
    Ok(all.iter().find(|i| i.content.code == code).ok_or_else(|| format!("no indicator {code}"))?.id)
}

async fn indicators(db: &Db, actor: &Actor, collaboration: CollaborationId, file: &str) -> Result<(), Failure> {
    let existing: Vec<String> = db.indicators(collaboration).await?.into_iter().map(|i| i.content.code).collect();
    let mut created = 0;
    for line in std::fs::read_to_string(file)?.lines().skip(1) {
        let Some((code, kind)) = line.split_once(',') else { continue };
        if existing.iter().any(|e| e == code) {
            continue;
        }
        let input = IndicatorInput {
            code: code.into(),
            name: format!("Benchmarkindicator {code}"),
            kind: kind.into(),
            factor: if kind == "verhouding" { "100".into() } else { "1".into() },
            direction: "hoger_beter".into(),
            perspective: "eindgebruiker".into(),
            period_type: "jaar".into(),
            ..Default::default()
        };
        let content = IndicatorContent::parse(&input).map_err(|e| format!("{code}: {e:?}"))?;
        db.create_indicator(actor, collaboration, &content).await?;
        created += 1;
    }
    println!("{created} indicators created");
    Ok(())
}

async fn approve(db: &Db, actor: &Actor, collaboration: CollaborationId, codes: &[String]) -> Result<(), Failure> {
    let started = Instant::now();
    let mut moved = 0;
    for code in codes {
        let id = indicator_id(db, collaboration, code).await?;
        let mut periods: Vec<String> = db.period_statuses(collaboration, id).await?.into_iter().map(|(period, ..)| period).collect();
        periods.dedup();
        for period in &periods {
            db.move_measurements(actor, collaboration, id, period, MeasurementStatus::Ingediend).await?;
            moved += db.move_measurements(actor, collaboration, id, period, MeasurementStatus::Goedgekeurd).await?;
        }
    }
    println!("{moved} measurements approved in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Median, fastest and mean of `runs` timings of `f`, in milliseconds, and its last result's size.
async fn time<F, Fut>(runs: usize, mut f: F) -> Result<(f64, f64, f64, usize), Failure>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = store::Result<usize>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut size = f().await?; // warm-up: caches and prepared statements
    for _ in 0..runs {
        let start = Instant::now();
        size = f().await?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    Ok((times.get(times.len() / 2).copied().unwrap_or_default(), times.first().copied().unwrap_or_default(), mean, size))
}

async fn measure(db: &Db, collaboration: CollaborationId, code: &str, area: &str, period: &str, runs: usize) -> Result<(), Failure> {
    let id = indicator_id(db, collaboration, code).await?;
    let area = AreaCode::parse(area).ok_or("GEBIED is not a CBS code")?;
    let (median, min, mean, rows) = time(runs, || async { db.rollup_trend(collaboration, id, &area).await.map(|r| r.len()) }).await?;
    println!("trend median_ms={median:.3} min_ms={min:.3} mean_ms={mean:.3} rows={rows}");
    let (median, min, mean, rows) = time(runs, || async { db.rollup_areas(collaboration, id, period, AreaLevel::Gemeente).await.map(|r| r.len()) }).await?;
    println!("areas median_ms={median:.3} min_ms={min:.3} mean_ms={mean:.3} rows={rows}");
    // What the indicator card reads besides: the collaboration's total per period, and the
    // number of measurements per period and status.
    let (median, min, mean, rows) = time(runs, || async { db.rollup_totals(collaboration, id).await.map(|r| r.len()) }).await?;
    println!("totals median_ms={median:.3} min_ms={min:.3} mean_ms={mean:.3} rows={rows}");
    let (median, min, mean, rows) = time(runs, || async { db.period_statuses(collaboration, id).await.map(|r| r.len()) }).await?;
    println!("statuses median_ms={median:.3} min_ms={min:.3} mean_ms={mean:.3} rows={rows}");
    // What keeps those fast: the summaries of one period worked out again, as its approval does.
    let (median, min, mean, rows) = time(runs.min(10), || async { db.refresh_period(collaboration, id, period).await.map(|()| 1) }).await?;
    println!("refresh median_ms={median:.3} min_ms={min:.3} mean_ms={mean:.3} rows={rows}");
    Ok(())
}
