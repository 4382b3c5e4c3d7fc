use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use super::msg::{Effect, ListRequest, Purpose, Resource};
use super::store::BuildStore;
use crate::domain::{ApiError, ErrorKind};

/// The API's limit on IDs per BatchGetBuilds and BatchGetBuildBatches.
pub const BATCH_LIMIT: usize = 100;
/// Longest wait between tries while the service keeps failing.
const MAX_BACKOFF_SECS: f64 = 60.0;
/// How much slower polling gets when nothing runs.
const IDLE_FACTOR: i32 = 4;

/// Polling schedule and the cycle in flight. One cycle at a time, in three
/// steps: a discovery page per watched scope (builds, and batches), then
/// BatchGetBuildBatches for new and running batches, then BatchGetBuilds for
/// new and running builds, the group builds of running batches included.
#[derive(Debug)]
pub struct Poller {
    pub interval: Duration,
    /// Projects watched with the *ForProject calls; empty means all.
    pub projects: Vec<String>,
    pub next_at: Option<DateTime<Utc>>,
    pub failures: u32,
    pub last_ok: Option<DateTime<Utc>>,
    pub last_error: Option<(ApiError, DateTime<Utc>)>,
    /// True once a first discovery has answered: the list is no longer "loading".
    pub loaded: bool,
    /// Batches are not polled once the endpoint refused to list them.
    pub batches_enabled: bool,
    /// The account and region it polls; its effects are aimed there.
    pub context: u16,
    cycle: Option<Cycle>,
    refresh_requested: bool,
    rng: u64,
}

#[derive(Debug, Default)]
struct Cycle {
    pending_lists: usize,
    pending_batch_fetches: usize,
    pending_fetches: usize,
    new_builds: Vec<String>,
    new_batches: Vec<String>,
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
            batches_enabled: true,
            context: 0,
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

    /// Every (resource, scope) a discovery step lists.
    pub fn scopes(&self) -> Vec<(Resource, Option<String>)> {
        let projects: Vec<Option<String>> = if self.projects.is_empty() {
            vec![None]
        } else {
            self.projects.iter().cloned().map(Some).collect()
        };
        let mut resources = vec![Resource::Builds];
        if self.batches_enabled {
            resources.push(Resource::Batches);
        }
        resources
            .into_iter()
            .flat_map(|r| projects.iter().map(move |p| (r, p.clone())))
            .collect()
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
            .map(|(resource, project)| {
                Effect::List(ListRequest {
                    resource,
                    project,
                    next_token: None,
                    purpose: Purpose::Poll,
                })
                .at(self.context)
            })
            .collect()
    }

    /// A discovery page answered. Pages are newest first, so reading stops
    /// at the first ID already loaded. Once every page is in, the batches
    /// are fetched.
    pub fn on_listed(
        &mut self,
        resource: Resource,
        result: Result<Vec<String>, ApiError>,
        store: &BuildStore,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if resource == Resource::Batches {
            if let Err(e) = &result {
                if batches_unsupported(e) {
                    // Not an outage: this endpoint or identity has no batches.
                    self.batches_enabled = false;
                }
            }
        }
        let batches_enabled = self.batches_enabled;
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        cycle.pending_lists = cycle.pending_lists.saturating_sub(1);
        match result {
            Ok(ids) => {
                self.loaded = true;
                let known = |id: &str| match resource {
                    Resource::Builds => store.builds.contains(id),
                    Resource::Batches => store.batches.contains(id),
                };
                let fresh = ids.into_iter().take_while(|id| !known(id));
                match resource {
                    Resource::Builds => cycle.new_builds.extend(fresh),
                    Resource::Batches => cycle.new_batches.extend(fresh),
                }
            }
            Err(_) if resource == Resource::Batches && !batches_enabled => {}
            Err(e) => cycle.error = Some(e),
        }
        if cycle.pending_lists > 0 {
            return Vec::new();
        }
        let ids = unique(
            std::mem::take(&mut cycle.new_batches),
            store.batches_to_poll(self.context),
        );
        let effects: Vec<Effect> = fetch_batch_effects(ids, Purpose::Poll)
            .into_iter()
            .map(|e| e.at(self.context))
            .collect();
        cycle.pending_batch_fetches = effects.len();
        if effects.is_empty() {
            return self.fetch_builds(store, now);
        }
        effects
    }

    /// A BatchGetBuildBatches of the cycle answered (and was applied).
    pub fn on_batches_fetched(
        &mut self,
        error: Option<ApiError>,
        store: &BuildStore,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        cycle.pending_batch_fetches = cycle.pending_batch_fetches.saturating_sub(1);
        if let Some(e) = error {
            cycle.error = Some(e);
        }
        if cycle.pending_batch_fetches > 0 {
            return Vec::new();
        }
        self.fetch_builds(store, now)
    }

    fn fetch_builds(&mut self, store: &BuildStore, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        let mut running = store.running_ids_in(self.context);
        running.extend(store.missing_group_builds(self.context));
        let ids = unique(std::mem::take(&mut cycle.new_builds), running);
        let effects: Vec<Effect> = fetch_effects(ids, Purpose::Poll)
            .into_iter()
            .map(|e| e.at(self.context))
            .collect();
        cycle.pending_fetches = effects.len();
        if effects.is_empty() {
            self.finish(now, store);
        }
        effects
    }

    /// A BatchGetBuilds of the cycle answered (and was applied).
    pub fn on_fetched(&mut self, error: Option<ApiError>, store: &BuildStore, now: DateTime<Utc>) {
        let Some(cycle) = self.cycle.as_mut() else {
            return;
        };
        cycle.pending_fetches = cycle.pending_fetches.saturating_sub(1);
        if let Some(e) = error {
            cycle.error = Some(e);
        }
        if cycle.pending_fetches == 0 {
            self.finish(now, store);
        }
    }

    fn finish(&mut self, now: DateTime<Utc>, store: &BuildStore) {
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
                let idle = store.running_ids_in(self.context).is_empty()
                    && store.batches_to_poll(self.context).is_empty();
                let factor = if idle { IDLE_FACTOR } else { 1 };
                self.next_at = Some(now + self.interval * factor);
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

/// An endpoint or identity without batch builds answers these: polling goes
/// on without batches rather than failing every cycle.
fn batches_unsupported(e: &ApiError) -> bool {
    matches!(
        e.kind,
        ErrorKind::AccessDenied | ErrorKind::InvalidInput | ErrorKind::Other
    )
}

fn unique(first: Vec<String>, then: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    first
        .into_iter()
        .chain(then)
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

fn chunks(ids: Vec<String>) -> impl Iterator<Item = Vec<String>> {
    let chunks: Vec<Vec<String>> = ids.chunks(BATCH_LIMIT).map(<[String]>::to_vec).collect();
    chunks.into_iter()
}

/// BatchGetBuilds effects for `ids`, at most 100 per call.
pub fn fetch_effects(ids: Vec<String>, purpose: Purpose) -> Vec<Effect> {
    chunks(ids)
        .map(|ids| Effect::Fetch { purpose, ids })
        .collect()
}

/// BatchGetBuildBatches effects for `ids`, at most 100 per call.
pub fn fetch_batch_effects(ids: Vec<String>, purpose: Purpose) -> Vec<Effect> {
    chunks(ids)
        .map(|ids| Effect::FetchBatches { purpose, ids })
        .collect()
}
