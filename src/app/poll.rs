use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use super::msg::{Effect, ListRequest, Purpose};
use crate::domain::ApiError;

/// The API's limit on IDs per BatchGetBuilds.
pub const BATCH_LIMIT: usize = 100;
/// Longest wait between tries while the service keeps failing.
const MAX_BACKOFF_SECS: f64 = 60.0;
/// How much slower polling gets when nothing runs.
const IDLE_FACTOR: i64 = 4;

/// Polling schedule and the cycle in flight. One cycle at a time: a discovery
/// page per watched scope, then BatchGetBuilds for new and running builds.
#[derive(Debug)]
pub struct Poller {
    pub interval: Duration,
    /// Projects watched with ListBuildsForProject; empty means all (ListBuilds).
    pub projects: Vec<String>,
    pub next_at: Option<DateTime<Utc>>,
    pub failures: u32,
    pub last_ok: Option<DateTime<Utc>>,
    pub last_error: Option<(ApiError, DateTime<Utc>)>,
    /// True once a first discovery has answered: the list is no longer "loading".
    pub loaded: bool,
    cycle: Option<Cycle>,
    refresh_requested: bool,
    rng: u64,
}

#[derive(Debug, Default)]
struct Cycle {
    pending_lists: usize,
    pending_fetches: usize,
    new_ids: Vec<String>,
    error: Option<ApiError>,
}

impl Poller {
    pub fn new(interval_secs: u64, projects: Vec<String>) -> Poller {
        Poller {
            interval: Duration::seconds(interval_secs.max(1) as i64),
            projects,
            next_at: None,
            failures: 0,
            last_ok: None,
            last_error: None,
            loaded: false,
            cycle: None,
            refresh_requested: false,
            rng: 0x9E37_79B9_7F4A_7C15,
        }
    }

    pub fn in_flight(&self) -> bool {
        self.cycle.is_some()
    }

    /// The data on screen is older than the last attempt.
    pub fn is_stale(&self) -> bool {
        self.failures > 0
    }

    fn scopes(&self) -> Vec<Option<String>> {
        if self.projects.is_empty() {
            vec![None]
        } else {
            self.projects.iter().cloned().map(Some).collect()
        }
    }

    /// Starts a cycle when one is due and none runs.
    pub fn on_tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let due = self.next_at.is_none_or(|at| now >= at);
        if self.cycle.is_some() || !due {
            return Vec::new();
        }
        self.start_cycle()
    }

    /// "Refresh now": start at once, or right after the cycle in flight.
    pub fn refresh(&mut self) -> Vec<Effect> {
        if self.cycle.is_some() {
            self.refresh_requested = true;
            return Vec::new();
        }
        self.start_cycle()
    }

    fn start_cycle(&mut self) -> Vec<Effect> {
        let scopes = self.scopes();
        self.cycle = Some(Cycle {
            pending_lists: scopes.len(),
            ..Cycle::default()
        });
        scopes
            .into_iter()
            .map(|project| {
                Effect::List(ListRequest {
                    project,
                    next_token: None,
                    purpose: Purpose::Poll,
                })
            })
            .collect()
    }

    /// A discovery page answered. `known` says which IDs are already loaded;
    /// the page is newest first, so reading stops at the first known ID.
    /// Returns the fetches once every discovery page is in.
    pub fn on_listed(
        &mut self,
        result: Result<Vec<String>, ApiError>,
        known: impl Fn(&str) -> bool,
        running: impl FnOnce() -> Vec<String>,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        cycle.pending_lists = cycle.pending_lists.saturating_sub(1);
        match result {
            Ok(ids) => {
                self.loaded = true;
                for id in ids {
                    if known(&id) {
                        break;
                    }
                    cycle.new_ids.push(id);
                }
            }
            Err(e) => cycle.error = Some(e),
        }
        if cycle.pending_lists > 0 {
            return Vec::new();
        }
        let mut seen = HashSet::new();
        let ids: Vec<String> = std::mem::take(&mut cycle.new_ids)
            .into_iter()
            .chain(running())
            .filter(|id| seen.insert(id.clone()))
            .collect();
        let effects = fetch_effects(ids, Purpose::Poll);
        cycle.pending_fetches = effects.len();
        if effects.is_empty() {
            // Nothing new and nothing running: the idle interval applies.
            self.finish(now, 0);
        }
        effects
    }

    /// A BatchGetBuilds of the cycle answered.
    /// `running` counts the builds still running once the answer is applied.
    pub fn on_fetched(&mut self, error: Option<ApiError>, running: usize, now: DateTime<Utc>) {
        let Some(cycle) = self.cycle.as_mut() else {
            return;
        };
        cycle.pending_fetches = cycle.pending_fetches.saturating_sub(1);
        if let Some(e) = error {
            cycle.error = Some(e);
        }
        if cycle.pending_fetches == 0 {
            self.finish(now, running);
        }
    }

    fn finish(&mut self, now: DateTime<Utc>, running: usize) {
        let Some(cycle) = self.cycle.take() else {
            return;
        };
        match cycle.error {
            Some(e) => {
                self.failures += 1;
                self.last_error = Some((e, now));
                self.next_at = Some(now + self.backoff());
            }
            None => {
                self.failures = 0;
                self.last_ok = Some(now);
                self.last_error = None;
                // Polling slows down while nothing runs.
                let factor = if running == 0 { IDLE_FACTOR } else { 1 };
                self.next_at = Some(now + self.interval * factor as i32);
            }
        }
        if self.refresh_requested {
            self.refresh_requested = false;
            self.next_at = Some(now);
        }
    }

    /// Exponential backoff from the poll interval, capped, with jitter so many
    /// clients do not retry in step.
    fn backoff(&mut self) -> Duration {
        let base = self.interval.num_milliseconds() as f64 / 1000.0;
        let exp = base * 2f64.powi(self.failures.min(16) as i32);
        let capped = exp.min(MAX_BACKOFF_SECS);
        let jitter = 0.5 + 0.5 * self.next_unit();
        Duration::milliseconds((capped * jitter * 1000.0) as i64)
    }

    fn next_unit(&mut self) -> f64 {
        // splitmix64: deterministic, so tests see the same schedule.
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// BatchGetBuilds effects for `ids`, at most 100 per call.
pub fn fetch_effects(ids: Vec<String>, purpose: Purpose) -> Vec<Effect> {
    ids.chunks(BATCH_LIMIT)
        .map(|chunk| Effect::Fetch {
            purpose,
            ids: chunk.to_vec(),
        })
        .collect()
}
