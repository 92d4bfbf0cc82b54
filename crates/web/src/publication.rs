//! The publication layer's use cases, below both doors: working out an indicator's whole
//! publication (`domain::disclosure::publish`) from the store and keeping it (`store::publication`),
//! and reading it back for every output path — card, list, charts, exports, API, working areas,
//! learning cycle, agenda cards and goal perspectives only format what it holds.
//!
//! - **When**: every write that changes a publication raises its `wanted` in its own
//!   transaction. The handler that made the write then calls `settle`, which works out the
//!   collaboration's due publications and waits for them at most `SETTLE`; the answer goes out
//!   after that whether they are ready or not. `keep_up` runs beside the server and works out
//!   every publication still due every `INTERVAL` (and at start), so a crash between a write and
//!   its refresh heals by itself, as does a write from the command line.
//! - **Order**: a refresh reads `wanted` before what it works from, and stores its result as
//!   `made` only over an older one; refreshes of one indicator in this process run one at a
//!   time.
//! - **Readers** get a `View`: every figure is a cell of the stored publication. A cell that it
//!   does not hold (nothing stored yet, or a period or working area newer than what is stored)
//!   is `Published::Updating` ("wordt bijgewerkt"), never an unaudited figure. An older stored
//!   publication is shown as it stands until the new one is ready: it was audited whole.

use crate::AppState;
use crate::error::AppError;
use domain::area::AreaCode;
use domain::disclosure::{CellRef, Input, Place, Publication, ScopeDef, Shown, Withheld};
use domain::ids::CollaborationId;
use domain::measure::Published;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a handler waits, after its write, for the publications it changed.
pub const SETTLE: Duration = Duration::from_secs(2);

/// How often `keep_up` looks for publications still due.
pub const INTERVAL: Duration = Duration::from_secs(3);

/// Parsed publications at most kept in memory; beyond, the cache starts empty again.
const CACHED: usize = 256;

type Key = (i64, i64);

/// The parsed publications last read or made, by (collaboration, indicator), with the number
/// they were made at; and one lock per indicator, so that its refreshes run one at a time.
#[derive(Default)]
pub struct Publications {
    cache: Mutex<HashMap<Key, (i64, Arc<Publication>)>>,
    locks: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
}

impl Publications {
    fn cached(&self, key: Key, made: i64) -> Option<Arc<Publication>> {
        let cache = self.cache.lock().ok()?;
        cache.get(&key).filter(|(m, _)| *m == made).map(|(_, p)| p.clone())
    }

    fn keep(&self, key: Key, made: i64, publication: Arc<Publication>) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHED && !cache.contains_key(&key) {
                cache.clear();
            }
            match cache.get(&key) {
                Some((m, _)) if *m > made => {}
                _ => {
                    cache.insert(key, (made, publication));
                }
            }
        }
    }

    fn lock_for(&self, key: Key) -> Arc<tokio::sync::Mutex<()>> {
        match self.locks.lock() {
            Ok(mut locks) => locks.entry(key).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }
}

/// A publication as stored: its cells per period as lists, for JSON has no keys but strings.
#[derive(Serialize, Deserialize)]
struct Body {
    periods: Vec<(String, Vec<(Place, Shown)>)>,
    solver_runs: usize,
}

fn encode(publication: &Publication) -> Result<String, AppError> {
    let body = Body {
        periods: publication.cells.iter().map(|(p, cells)| (p.clone(), cells.iter().map(|(k, v)| (k.clone(), v.clone())).collect())).collect(),
        solver_runs: publication.solver_runs,
    };
    serde_json::to_string(&body).map_err(|e| AppError::Internal(format!("publication: {e}")))
}

fn decode(json: &str) -> Result<Publication, AppError> {
    let body: Body = serde_json::from_str(json).map_err(|e| AppError::Internal(format!("stored publication: {e}")))?;
    Ok(Publication { cells: body.periods.into_iter().map(|(p, cells)| (p, cells.into_iter().collect())).collect(), solver_runs: body.solver_runs })
}

/// Works out one indicator's publication from what the store holds now and stores it, unless
/// a newer one is stored already; whether it stored one. An indicator that shares its count
/// with others (`IndicatorContent::shares`) is worked out with them, as one publication
/// (`domain::disclosure::publish_shared`), and each of them is stored.
pub async fn refresh(state: &AppState, c: CollaborationId, indicator: i64) -> Result<bool, AppError> {
    let group = state.db.shared_group(c, indicator).await?;
    let key = (c.0, group.first().map_or(indicator, |g| g.0));
    let lock = state.publications.lock_for(key);
    let _one_at_a_time = lock.lock().await;
    let mut due = false;
    for (id, _) in &group {
        match state.db.publication_numbers(c, *id).await? {
            Some((wanted, made)) if made >= wanted => {}
            _ => due = true,
        }
    }
    if !due {
        return Ok(false);
    }
    // `wanted` first, then the rest: what is read is at least as new as that number.
    let mut sources = Vec::new();
    for (id, _) in &group {
        sources.push(state.db.publication_source(c, *id).await?);
    }
    if let [source] = sources.as_slice()
        && source.periods.is_empty()
    {
        // Nothing approved: an empty publication, without reading the rest.
        let publication = Publication::default();
        let stored = state.db.store_publication(c, indicator, source.wanted, &encode(&publication)?).await?;
        if stored {
            state.publications.keep((c.0, indicator), source.wanted, Arc::new(publication));
        }
        return Ok(stored);
    }
    let scopes: Vec<ScopeDef> = state.db.scopes(c).await?.into_iter().map(|s| ScopeDef { id: s.id, covering: s.content.covering() }).collect();
    let mut members = Vec::new();
    let mut wanted = Vec::new();
    for ((id, part), source) in group.iter().zip(sources) {
        let i = state.indicator(c, *id).await?;
        wanted.push(source.wanted);
        let input = Input {
            kind: i.content.kind,
            factor: i.content.factor,
            rules: i.content.rules,
            class: source.class,
            periods: source.periods,
            scopes: scopes.clone(),
            // Also prove of every shown count that its exact value does not follow: the national
            // publication takes about as long with it as without (docs/benchmarks.md).
            check_shown: true,
        };
        members.push((input, *part));
    }
    let publications = tokio::task::spawn_blocking(move || match members.as_slice() {
        [(input, _)] => vec![domain::disclosure::publish(input)],
        _ => domain::disclosure::publish_shared(&members),
    })
    .await
    .map_err(|e| AppError::Internal(format!("publication: {e}")))?;
    let mut any = false;
    for (((id, _), publication), wanted) in group.iter().zip(publications).zip(wanted) {
        let body = encode(&publication)?;
        if state.db.store_publication(c, *id, wanted, &body).await? {
            state.publications.keep((c.0, *id), wanted, Arc::new(publication));
            any |= *id == indicator || group.len() > 1;
        }
    }
    Ok(any)
}

/// Works out every due publication, of one collaboration or of all; how many it stored.
pub async fn refresh_due(state: &AppState, c: Option<CollaborationId>) -> Result<usize, AppError> {
    let mut stored = 0;
    for (c, indicator) in state.db.publications_due(c).await? {
        match refresh(state, c, indicator).await {
            Ok(true) => stored += 1,
            Ok(false) => {}
            // An indicator deleted meanwhile has no publication to make.
            Err(AppError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(stored)
}

/// After a write that changed the collaboration's publications: works them out, waiting at
/// most `SETTLE`. What is not ready by then goes on in the background (and else `keep_up`
/// finishes it); readers meanwhile see the previous publication or "wordt bijgewerkt".
pub async fn settle(state: &AppState, c: CollaborationId) {
    settle_some(state, Some(c)).await
}

/// At start: every due publication, waiting at most `SETTLE` before the server takes requests.
pub async fn settle_all(state: &AppState) {
    settle_some(state, None).await
}

async fn settle_some(state: &AppState, c: Option<CollaborationId>) {
    let background = state.clone();
    let work = tokio::spawn(async move { refresh_due(&background, c).await });
    let c = c.map_or_else(|| "every collaboration".to_string(), |c| format!("collaboration {c}"));
    match tokio::time::timeout(SETTLE, work).await {
        Ok(Ok(Ok(_))) => {}
        Ok(Ok(Err(e))) => tracing::warn!("publications of {c} not worked out: {e}"),
        Ok(Err(e)) => tracing::warn!("publications of {c} stopped: {e}"),
        Err(_) => tracing::info!("publications of {c} still being worked out"),
    }
}

/// Beside the server: at start and every `INTERVAL`, every publication still due.
pub async fn keep_up(state: AppState) {
    let mut tick = tokio::time::interval(INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let start = std::time::Instant::now();
        match refresh_due(&state, None).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} publication(s) worked out in {:.2} s", start.elapsed().as_secs_f64()),
            Err(e) => tracing::warn!("publications not worked out: {e}"),
        }
    }
}

/// What readers see of one indicator: the stored publication, if any.
pub struct View {
    publication: Option<Arc<Publication>>,
    /// Whether the stored publication is the one wanted now.
    pub current: bool,
}

/// The stored publication of one indicator, as readers see it.
pub async fn view(state: &AppState, c: CollaborationId, indicator: i64) -> Result<View, AppError> {
    let key = (c.0, indicator);
    let Some((wanted, made)) = state.db.publication_numbers(c, indicator).await? else { return Ok(View { publication: None, current: false }) };
    if let Some(publication) = state.publications.cached(key, made) {
        return Ok(View { publication: Some(publication), current: made >= wanted });
    }
    let Some(stored) = state.db.publication(c, indicator).await? else { return Ok(View { publication: None, current: false }) };
    let publication = match stored.body.as_deref() {
        Some(json) => {
            let publication = Arc::new(decode(json)?);
            state.publications.keep(key, stored.made, publication.clone());
            Some(publication)
        }
        None => None,
    };
    Ok(View { publication, current: stored.made >= stored.wanted })
}

/// A cell as a reader may see it; one the publication does not hold is being worked out.
pub fn published(shown: Option<&Shown>) -> Published {
    match shown {
        None => Published::Updating,
        Some(Shown::Value { value, .. }) => Published::Value(*value),
        Some(Shown::Withheld(Withheld::Secret { .. } | Withheld::TooClose { .. })) => Published::Secret,
        Some(Shown::Withheld(Withheld::Denominator)) => Published::Denominator,
        Some(Shown::Withheld(Withheld::Incomplete { measured, areas })) => Published::Incomplete { measured: *measured, areas: *areas },
    }
}

impl View {
    fn cell(&self, period: &str, place: &Place) -> Option<&Shown> {
        self.publication.as_ref().and_then(|p| p.get(period, place))
    }

    /// The collaboration's total in a period.
    pub fn total(&self, period: &str) -> Published {
        published(self.cell(period, &Place::Total))
    }

    /// An area's figure in a period.
    pub fn area(&self, period: &str, area: &AreaCode) -> Published {
        published(self.cell(period, &Place::Area(area.clone())))
    }

    /// A working area's cell in a period, as the publication holds it.
    pub fn scope(&self, period: &str, scope: i64) -> Option<&Shown> {
        self.cell(period, &Place::Scope(scope))
    }
}

/// The places a working area withheld as too close is named against, each once.
pub fn too_close_with(with: &[CellRef]) -> Vec<Place> {
    let mut places: Vec<Place> = Vec::new();
    for cell in with {
        if !places.contains(&cell.place) {
            places.push(cell.place.clone());
        }
    }
    places
}
