//! Refused requests on a collaboration's routes (403, 404 and cross-site refusals) leave an
//! entry in the audit log, so probing for other collaborations' ids is on record. A flood must
//! not fill the disk: per client only the first few refusals in a window are written one by
//! one, the rest are counted and written as one entry when the client's window has passed;
//! across all clients at most `total` entries a window are written, and what is left over is
//! counted into one entry per window too.
//!
//! The counts are kept in the process: they bound what this instance writes, which is what
//! protects the disk. With several instances each has its own bound (n instances write at
//! most n times as much), which needs no shared state on every refused request.
//!
//! Entries name no collaboration: the caller was refused, so the collaboration's own log (what
//! its members see) does not change; the path in the entry names what was asked for.

use crate::AppState;
use crate::security::ClientOrigin;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many refusals are written one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Entries per client in a window. A person who follows an old link or lost a role makes
    /// a handful of refused requests a minute; 20 keeps all of those one by one, while a scan
    /// over thousands of ids leaves its first 20 and one count.
    pub per_client: u32,
    /// Entries across all clients in a window: 120 a minute is at most about 170,000 rows
    /// (some 40 MB) a day under a sustained flood from many addresses.
    pub total: u32,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { per_client: 20, total: 120, window: Duration::from_secs(60) }
    }
}

/// Clients followed at once; a refusal from a client beyond them counts against the total only.
const MAX_CLIENTS: usize = 10_000;

#[derive(Debug)]
struct Window {
    started: Instant,
    written: u32,
    skipped: u32,
}

impl Window {
    fn new(now: Instant) -> Window {
        Window { started: now, written: 0, skipped: 0 }
    }
}

#[derive(Debug)]
struct Counts {
    all: Window,
    clients: HashMap<String, Window>,
}

/// What to write for one refusal.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Writes {
    /// Write the refusal itself.
    pub entry: bool,
    /// Counts of refusals not written one by one: per client, and `None` for all clients.
    pub counts: Vec<(Option<String>, u32)>,
}

/// The counts of refused requests this process has seen.
#[derive(Debug)]
pub struct Recorder {
    limits: Limits,
    counts: Mutex<Counts>,
}

impl Recorder {
    pub fn new(limits: Limits) -> Recorder {
        Recorder { limits, counts: Mutex::new(Counts { all: Window::new(Instant::now()), clients: HashMap::new() }) }
    }

    /// Decides what a refusal from `client` at `now` writes.
    pub fn admit(&self, client: &str, now: Instant) -> Writes {
        let Ok(mut counts) = self.counts.lock() else { return Writes::default() };
        let Counts { all, clients } = &mut *counts;
        let limits = self.limits;
        let mut writes = Writes::default();
        let mut ended = Vec::new();
        if now.duration_since(all.started) >= limits.window {
            if all.skipped > 0 {
                writes.counts.push((None, all.skipped));
            }
            *all = Window::new(now);
            // Clients whose window has passed are forgotten, their counts written.
            clients.retain(|client, w| {
                let keep = now.duration_since(w.started) < limits.window;
                if !keep && w.skipped > 0 {
                    ended.push((client.clone(), w.skipped));
                }
                keep
            });
        }
        if let Some(w) = clients.get_mut(client)
            && now.duration_since(w.started) >= limits.window
        {
            if w.skipped > 0 {
                ended.push((client.to_string(), w.skipped));
            }
            *w = Window::new(now);
        }
        for (client, n) in ended {
            if all.written < limits.total {
                all.written += 1;
                writes.counts.push((Some(client), n));
            } else {
                all.skipped += n;
            }
        }
        let followed = clients.len() < MAX_CLIENTS || clients.contains_key(client);
        let own = if followed { Some(clients.entry(client.to_string()).or_insert_with(|| Window::new(now))) } else { None };
        match own {
            Some(w) if w.written >= limits.per_client => w.skipped += 1,
            _ if all.written >= limits.total => all.skipped += 1,
            own => {
                if let Some(w) = own {
                    w.written += 1;
                }
                all.written += 1;
                writes.entry = true;
            }
        }
        writes
    }
}

/// Who the session or token behind a request belongs to, once an extractor has looked: a slot
/// the request carries, filled by `session`.
#[derive(Clone, Default)]
pub struct Caller(Arc<Mutex<Option<(i64, String)>>>);

impl Caller {
    pub fn set(&self, user: &store::user::User) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((user.id, user.email.clone()));
        }
    }

    fn get(&self) -> Option<(i64, String)> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }
}

/// Marks a response refused because another site started the request.
#[derive(Debug, Clone, Copy)]
pub struct CrossSiteRefused;

/// Whether `path` is one of a collaboration's routes, as a page or through the API.
fn collaboration_route(path: &str) -> bool {
    path.starts_with("/samenwerkingen/") || path.starts_with("/api/v1/samenwerkingen/")
}

const ACTION: &str = "request.refused";

pub async fn record(State(state): State<AppState>, ClientOrigin(client): ClientOrigin, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !collaboration_route(&path) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let caller = Caller::default();
    request.extensions_mut().insert(caller.clone());
    let response = next.run(request).await;
    let result = if response.extensions().get::<CrossSiteRefused>().is_some() {
        "cross_site"
    } else {
        match response.status() {
            StatusCode::FORBIDDEN => "403",
            StatusCode::NOT_FOUND => "404",
            _ => return response,
        }
    };
    let writes = state.refusals.admit(&client, Instant::now());
    let (user_id, label) = caller.get().map_or((None, "onbekend".to_string()), |(id, email)| (Some(id), email));
    let actor = store::Actor { user_id, label, origin: client.clone() };
    for (who, n) in writes.counts {
        let (actor, object) = match who {
            Some(who) => {
                (store::Actor { user_id: None, label: "systeem".into(), origin: who }, format!("{n} geweigerde verzoeken niet afzonderlijk vastgelegd"))
            }
            None => (store::Actor::system("systeem"), format!("{n} geweigerde verzoeken van verschillende adressen niet afzonderlijk vastgelegd")),
        };
        if let Err(err) = state.db.audit_event(&actor, None, ACTION, &object, "counted").await {
            tracing::warn!(%err, "refused requests not counted in the audit log");
        }
    }
    if writes.entry {
        // A path is at most a few hundred characters in the log, cut on a character boundary.
        let path: String = path.chars().take(300).collect();
        if let Err(err) = state.db.audit_event(&actor, None, ACTION, &format!("{method} {path}"), result).await {
            tracing::warn!(%err, "refused request not in the audit log");
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_written_up_to_its_limit_then_counted_once_its_window_has_passed() {
        let r = Recorder::new(Limits { per_client: 3, total: 100, window: Duration::from_secs(60) });
        let t0 = Instant::now();
        let written = (0..50).filter(|_| r.admit("a", t0).entry).count();
        assert_eq!(written, 3);
        assert!(r.admit("b", t0).entry, "another client is written");
        let later = r.admit("a", t0 + Duration::from_secs(61));
        assert_eq!(later, Writes { entry: true, counts: vec![(Some("a".into()), 47)] });
    }

    #[test]
    fn across_clients_the_total_holds_and_the_rest_is_one_count() {
        let r = Recorder::new(Limits { per_client: 5, total: 10, window: Duration::from_secs(60) });
        let t0 = Instant::now();
        let written = (0..1000).filter(|i| r.admit(&format!("10.0.{}.{}", i / 256, i % 256), t0).entry).count();
        assert_eq!(written, 10);
        let later = r.admit("x", t0 + Duration::from_secs(60));
        assert!(later.entry);
        assert_eq!(later.counts, vec![(None, 990)]);
    }
}
