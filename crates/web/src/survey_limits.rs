//! How many answers a questionnaire link takes in a window: per link, and per client on that
//! link. A flood is refused with 429 and `Retry-After`, and each refusal is counted on the link
//! (`scan_links.refused`), which the round's page shows.
//!
//! The counts are kept in the process, not in the database: they would have to hold the
//! respondents' addresses next to the link they used, which an anonymous survey must not
//! store; here they are forgotten when the window passes. With several instances behind one
//! address each applies the limits on its own (n instances take at most n times as many).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The operator's limits (`reisgenoot serve --answers-per-link … --answers-per-client …
/// --answer-window …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Answers through one link in a window. A link mailed to a few hundred people gets most
    /// of its answers over days; 300 in ten minutes leaves room for a meeting where everyone
    /// answers at once, and stops a script within seconds.
    pub per_link: u32,
    /// Answers from one client address through one link in a window. A questionnaire takes a
    /// person minutes; 20 in ten minutes lets a shared office or school address through.
    pub per_client: u32,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { per_link: 300, per_client: 20, window: Duration::from_secs(600) }
    }
}

/// Windows followed at once; beyond them, ended windows are forgotten first.
const MAX_KEYS: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    taken: u32,
}

/// The answers this process took per link and per client, in the current windows.
#[derive(Debug)]
pub struct Counter {
    limits: Limits,
    windows: Mutex<HashMap<(String, Option<String>), Window>>,
}

impl Counter {
    pub fn new(limits: Limits) -> Counter {
        Counter { limits, windows: Mutex::new(HashMap::new()) }
    }

    /// Takes one answer through `link` from `client`, or says after how many seconds the
    /// limit that refused it ends.
    pub fn take(&self, link: &str, client: &str, now: Instant) -> Result<(), u64> {
        let Ok(mut windows) = self.windows.lock() else { return Ok(()) };
        let window = self.limits.window;
        if windows.len() >= MAX_KEYS {
            windows.retain(|_, w| now.duration_since(w.started) < window);
        }
        let keys = [((link.to_string(), None), self.limits.per_link), ((link.to_string(), Some(client.to_string())), self.limits.per_client)];
        let mut wait = None;
        for (key, limit) in &keys {
            let w = windows.entry(key.clone()).or_insert(Window { started: now, taken: 0 });
            if now.duration_since(w.started) >= window {
                *w = Window { started: now, taken: 0 };
            }
            if w.taken >= *limit {
                let left = window.saturating_sub(now.duration_since(w.started)).as_secs_f64().ceil() as u64;
                wait = Some(wait.unwrap_or(0).max(left.max(1)));
            }
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, _) in keys {
            if let Some(w) = windows.get_mut(&key) {
                w.taken += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_and_a_link_are_each_held_to_their_limit() {
        let c = Counter::new(Limits { per_link: 5, per_client: 2, window: Duration::from_secs(60) });
        let t = Instant::now();
        assert_eq!(c.take("l", "a", t), Ok(()));
        assert_eq!(c.take("l", "a", t), Ok(()));
        assert_eq!(c.take("l", "a", t + Duration::from_secs(15)), Err(45));
        assert_eq!(c.take("m", "a", t), Ok(()), "another link");
        assert_eq!(c.take("l", "b", t), Ok(()));
        assert_eq!(c.take("l", "b", t), Ok(()));
        assert_eq!(c.take("l", "c", t), Ok(()));
        assert_eq!(c.take("l", "d", t), Err(60), "the link is full");
        assert_eq!(c.take("l", "a", t + Duration::from_secs(60)), Ok(()), "a new window");
    }
}
