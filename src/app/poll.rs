use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};

use super::discovery::{fatal, Outcome, Scope};
use super::msg::{fetch_batch_effects, fetch_effects, Effect, ListRequest, Purpose, Resource};
use super::store::BuildStore;
use crate::domain::{ApiError, ErrorKind};

/// Longest wait between tries while the service keeps failing.
const MAX_BACKOFF_SECS: f64 = 60.0;

/// Seconds between reads of a scope while nothing in it runs.
pub const IDLE_SECS: i64 = 40;
/// Seconds between reads of the batch lists: new batches show up sooner
/// through their group builds, which ListBuilds lists.
pub const BATCH_LIST_SECS: i64 = 120;
/// Milliseconds of poll interval per context running builds: 100 busy
/// contexts poll every 10 s, 30 or fewer at the poll interval.
pub const BUSY_CONTEXT_MS: i64 = 100;
/// A scope that cannot work (an unknown project) is checked this rarely.
pub const DEAD_RECHECK_SECS: i64 = 600;
/// How many times GetCallerIdentity is asked while it fails for a
/// passing reason (throttling, network, 5xx).
const IDENTIFY_ATTEMPTS: u8 = 3;

/// The polling of one account and region. A cycle reads every scope that
/// is due (each list call's range: builds or batches, of every project or
/// of one) down to what it had seen, fetching each page's new items; then
/// BatchGetBuildBatches for running batches, then BatchGetBuilds for
/// running builds, the group builds of running batches included. One cycle
/// at a time; each scope fails and backs off on its own.
#[derive(Debug)]
pub struct Poller {
    pub interval: Duration,
    /// The interval while something runs: `interval`, stretched when many
    /// contexts are busy at once (see `set_busy_contexts`).
    pub pace: Duration,
    pub scopes: Vec<Scope>,
    pub next_at: Option<DateTime<Utc>>,
    /// Cycles in a row whose fetches failed (or were throttled): the data
    /// on screen is stale.
    pub failures: u32,
    pub last_ok: Option<DateTime<Utc>>,
    pub last_error: Option<(ApiError, DateTime<Utc>)>,
    /// True once a first discovery page answered: the list is no longer "loading".
    pub loaded: bool,
    /// The account and region it polls; its effects are aimed there.
    pub context: u16,
    /// Things to say once on the status line, taken by `update`.
    pub news: Vec<String>,
    /// Where history paging starts, per scope, taken by `update`.
    pub history_starts: Vec<(Resource, Option<String>, Option<String>)>,
    /// Which account answers for these credentials (STS), asked once, or
    /// again while the asking failed for a passing reason.
    pub identity: Identity,
    identify_attempts: u8,
    cycle: Option<Cycle>,
    refresh_requested: bool,
    rng: u64,
}

/// The account behind a context's credentials, as STS names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Unasked,
    Asked,
    Known(String),
    /// Why it is not known; the builds' ARNs still name their account.
    Failed(String),
    /// Not asked at all (`ls` needs no header).
    Skipped,
}

#[derive(Debug, Default)]
struct Cycle {
    /// Scopes read in this cycle, and those still reading.
    started: Vec<usize>,
    reading: HashSet<usize>,
    pending_batch_fetches: usize,
    pending_fetches: usize,
    /// Items the discovery fetched: the refresh leaves them out.
    fetched: HashSet<String>,
    error: Option<ApiError>,
    /// The account refused for a reason every further call shares.
    throttled: bool,
}

impl Poller {
    pub fn new(interval_secs: u64, projects: Vec<String>) -> Poller {
        // A project named twice is one scope.
        let mut projects = projects;
        let mut seen = HashSet::new();
        projects.retain(|p| seen.insert(p.clone()));
        let names: Vec<Option<String>> = if projects.is_empty() {
            vec![None]
        } else {
            projects.iter().cloned().map(Some).collect()
        };
        let mut scopes: Vec<Scope> = names
            .iter()
            .map(|p| Scope::new(Resource::Builds, p.clone(), false))
            .collect();
        scopes.extend(
            names
                .iter()
                .map(|p| Scope::new(Resource::Batches, p.clone(), false)),
        );
        scopes.extend(
            names
                .iter()
                .map(|p| Scope::new(Resource::Batches, p.clone(), true)),
        );
        Poller {
            interval: Duration::seconds(interval_secs.max(1) as i64),
            pace: Duration::seconds(interval_secs.max(1) as i64),
            scopes,
            next_at: None,
            failures: 0,
            last_ok: None,
            last_error: None,
            loaded: false,
            context: 0,
            news: Vec::new(),
            history_starts: Vec::new(),
            identity: Identity::Unasked,
            identify_attempts: 0,
            cycle: None,
            refresh_requested: false,
            rng: 0x9E37_79B9_7F4A_7C15,
        }
    }

    /// The poller of context `context`, whose first cycle waits `delay` so
    /// that many contexts do not all start at once.
    pub fn for_context(
        interval_secs: u64,
        projects: Vec<String>,
        context: u16,
        first_at: Option<DateTime<Utc>>,
    ) -> Poller {
        let mut poller = Poller::new(interval_secs, projects);
        poller.context = context;
        poller.next_at = first_at;
        poller.rng ^= u64::from(context).wrapping_mul(0xA24B_AED4_963E_E407);
        poller
    }

    /// With many contexts running builds at once, each polls a little less
    /// often, so that the dashboard as a whole stays near 30 calls a second.
    pub fn set_busy_contexts(&mut self, busy: usize) {
        let stretched = Duration::milliseconds(BUSY_CONTEXT_MS * busy as i64);
        self.pace = self.interval.max(stretched);
    }

    pub fn in_flight(&self) -> bool {
        self.cycle.is_some()
    }

    /// The data on screen is older than the last attempt.
    pub fn is_stale(&self) -> bool {
        self.failures > 0
    }

    /// Batch builds are listed: no batch scope has been refused.
    pub fn batches_enabled(&self) -> bool {
        self.batches_off().is_none()
    }

    /// Why batches are not shown, when they are not.
    pub fn batches_off(&self) -> Option<&str> {
        self.scopes
            .iter()
            .filter(|s| s.resource == Resource::Batches)
            .find_map(|s| {
                s.health
                    .dead
                    .as_deref()
                    .filter(|reason| reason.starts_with("batches"))
            })
    }

    /// Pages read so far while the start-up discovery is still going on.
    pub fn discovering(&self) -> Option<u32> {
        let open = self
            .scopes
            .iter()
            .any(|s| !s.discovered && s.health.dead.is_none());
        open.then(|| self.scopes.iter().map(|s| s.pages).sum())
    }

    /// A burst is still being read: some scope has older pages to go.
    pub fn reading_burst(&self) -> bool {
        self.scopes.iter().any(|s| s.discovered && s.has_gaps())
    }

    /// The account's failure, else the first failing scope's.
    pub fn first_error(&self) -> Option<&(ApiError, DateTime<Utc>)> {
        self.last_error.as_ref().or_else(|| {
            self.scopes
                .iter()
                .find_map(|s| s.health.last_error.as_ref())
        })
    }

    /// Scopes that fail, by name, with the reason.
    pub fn failing_scopes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in self.scopes.iter().filter(|s| s.failing()) {
            let text = match (&s.health.dead, &s.health.last_error) {
                (Some(reason), _) => reason.clone(),
                (None, Some((e, _))) => format!("{}: {e}", s.name()),
                (None, None) => continue,
            };
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out
    }

    /// Starts a cycle when one is due and none runs.
    pub fn on_tick(&mut self, store: &BuildStore, now: DateTime<Utc>) -> Vec<Effect> {
        let due = self.next_at.is_none_or(|at| now >= at);
        if self.cycle.is_some() || !due {
            return Vec::new();
        }
        self.start_cycle(store, now)
    }

    /// "Refresh now": start at once, or right after the cycle in flight.
    pub fn refresh(&mut self, store: &BuildStore, now: DateTime<Utc>) -> Vec<Effect> {
        for scope in &mut self.scopes {
            scope.due = None;
        }
        if self.cycle.is_some() {
            self.refresh_requested = true;
            return Vec::new();
        }
        self.start_cycle(store, now)
    }

    fn start_cycle(&mut self, store: &BuildStore, now: DateTime<Utc>) -> Vec<Effect> {
        let mut cycle = Cycle::default();
        let mut effects = Vec::new();
        for (i, scope) in self.scopes.iter_mut().enumerate() {
            if !scope.is_due(now) {
                continue;
            }
            cycle.started.push(i);
            if let Some(request) = scope.begin() {
                cycle.reading.insert(i);
                effects.push(Effect::List(request).at(self.context));
            }
        }
        self.cycle = Some(cycle);
        let mut effects = if effects.is_empty() {
            self.refresh_batches(store, now)
        } else {
            effects
        };
        // Beside the first cycle, not part of it: the account is shown, not polled.
        if self.identity == Identity::Unasked {
            self.identity = Identity::Asked;
            self.identify_attempts += 1;
            effects.push(Effect::Identify.at(self.context));
        }
        effects
    }

    /// GetCallerIdentity answered. A throttled, unreachable or failing
    /// service is asked again at the next cycles, a few times; a refusal
    /// is final.
    pub fn on_identified(&mut self, result: Result<String, ApiError>) {
        self.identity = match result {
            Ok(account) => Identity::Known(account),
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::Throttled | ErrorKind::Network | ErrorKind::Server
                ) && self.identify_attempts < IDENTIFY_ATTEMPTS =>
            {
                Identity::Unasked
            }
            Err(e) => Identity::Failed(e.message),
        };
    }

    /// The account these credentials belong to, once known.
    pub fn account(&self) -> Option<&str> {
        match &self.identity {
            Identity::Known(account) => Some(account),
            _ => None,
        }
    }

    fn scope_index(&self, request: &ListRequest) -> Option<usize> {
        self.scopes.iter().position(|s| {
            s.resource == request.resource
                && s.project == request.project
                && s.running_only == request.running_only
        })
    }

    /// A discovery page answered.
    pub fn on_listed(
        &mut self,
        request: &ListRequest,
        result: Result<(Vec<String>, Option<String>), ApiError>,
        store: &BuildStore,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let Some(i) = self.scope_index(request) else {
            return Vec::new();
        };
        // An answer nobody waits for (a stray or repeated one) changes nothing.
        if self.cycle.is_none() || !self.scopes[i].awaits(&request.next_token) {
            return Vec::new();
        }
        let error = result.as_ref().err().cloned();
        if result.is_ok() && request.resource == Resource::Builds {
            self.loaded = true;
        }
        let outcome = self.scopes[i].on_listed(result, store, now, i as u16);
        if let Some(e) = error {
            self.on_scope_error(i, e);
        }
        self.after_step(i, outcome, store, now)
    }

    /// A fetch of a discovery page's new items answered (and was applied).
    pub fn on_page_fetched(
        &mut self,
        scope: u16,
        error: Option<ApiError>,
        store: &BuildStore,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        let i = usize::from(scope);
        if self.cycle.is_none() || i >= self.scopes.len() {
            return Vec::new();
        }
        if let Some(e) = &error {
            self.note_context_error(e.clone());
        }
        let outcome = self.scopes[i].on_fetched(error, store, now);
        self.after_step(i, outcome, store, now)
    }

    fn on_scope_error(&mut self, i: usize, e: ApiError) {
        if let Some(reason) = fatal(&self.scopes[i], &e) {
            // Said once, however many lists it stops.
            let said = self
                .scopes
                .iter()
                .any(|s| s.health.dead.as_ref() == Some(&reason));
            if !said {
                self.news.push(reason.clone());
            }
            self.scopes[i].kill(reason);
        }
        if matches!(e.kind, ErrorKind::Throttled | ErrorKind::Credentials) {
            // The whole account is affected, not this list alone.
            self.note_context_error(e);
        }
    }

    fn note_context_error(&mut self, e: ApiError) {
        if let Some(cycle) = self.cycle.as_mut() {
            // Throttled, or no credentials: the rest of the cycle would fail
            // the same way and only add to the load.
            cycle.throttled |= matches!(e.kind, ErrorKind::Throttled | ErrorKind::Credentials);
            cycle.error = Some(e);
        }
    }

    fn after_step(
        &mut self,
        i: usize,
        outcome: Outcome,
        store: &BuildStore,
        now: DateTime<Utc>,
    ) -> Vec<Effect> {
        if let Some(warning) = outcome.warning {
            self.news.push(warning);
        }
        if let Some(token) = outcome.history_from {
            let s = &self.scopes[i];
            if !s.running_only {
                self.history_starts
                    .push((s.resource, s.project.clone(), token));
            }
        }
        let context = self.context;
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        for effect in &outcome.effects {
            if let Effect::Fetch { ids, .. } | Effect::FetchBatches { ids, .. } = effect {
                cycle.fetched.extend(ids.iter().cloned());
            }
        }
        let mut effects: Vec<Effect> = outcome.effects.into_iter().map(|e| e.at(context)).collect();
        if outcome.done {
            cycle.reading.remove(&i);
            if cycle.reading.is_empty() {
                effects.extend(self.refresh_batches(store, now));
            }
        }
        effects
    }

    /// Running batches (and batches a new build belongs to) not fetched
    /// by discovery in this cycle.
    fn refresh_batches(&mut self, store: &BuildStore, now: DateTime<Utc>) -> Vec<Effect> {
        let enabled = self.batches_enabled();
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        if cycle.throttled {
            self.finish(now, store);
            return Vec::new();
        }
        // Batches already known are refreshed even when the batch lists
        // are refused; new ones are looked for only while they are not.
        let mut ids = store.batches_to_poll(self.context);
        if enabled {
            ids.extend(store.unknown_batches(self.context));
        }
        ids.retain(|id| !cycle.fetched.contains(id));
        let effects: Vec<Effect> = fetch_batch_effects(unique(ids), Purpose::Poll)
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
        if let Some(e) = error {
            self.note_context_error(e);
        }
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        cycle.pending_batch_fetches = cycle.pending_batch_fetches.saturating_sub(1);
        if cycle.pending_batch_fetches > 0 {
            return Vec::new();
        }
        self.fetch_builds(store, now)
    }

    fn fetch_builds(&mut self, store: &BuildStore, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(cycle) = self.cycle.as_mut() else {
            return Vec::new();
        };
        if cycle.throttled {
            self.finish(now, store);
            return Vec::new();
        }
        let mut ids = store.running_ids_in(self.context);
        ids.extend(store.missing_group_builds(self.context));
        ids.retain(|id| !cycle.fetched.contains(id));
        let effects: Vec<Effect> = fetch_effects(unique(ids), Purpose::Poll)
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
        if let Some(e) = error {
            self.note_context_error(e);
        }
        let Some(cycle) = self.cycle.as_mut() else {
            return;
        };
        cycle.pending_fetches = cycle.pending_fetches.saturating_sub(1);
        if cycle.pending_fetches == 0 {
            self.finish(now, store);
        }
    }

    fn finish(&mut self, now: DateTime<Utc>, store: &BuildStore) {
        let Some(cycle) = self.cycle.take() else {
            return;
        };
        let busy = store.busy_in(self.context);
        // Each scope's next read: soon while it has gaps or running items,
        // slowly otherwise, later still while it fails.
        for &i in &cycle.started {
            let delay = self.scope_delay(i, store);
            self.scopes[i].due = Some(now + delay);
        }
        match cycle.error {
            Some(e) => {
                self.failures += 1;
                self.last_error = Some((e, now));
                let retry = now + self.backoff(self.failures);
                self.next_at = Some(retry);
                // The account's retry is every failing list's retry.
                for &i in &cycle.started {
                    let s = &mut self.scopes[i];
                    if s.health.failures > 0 && s.health.dead.is_none() {
                        s.due = Some(retry);
                    }
                }
            }
            None => {
                self.failures = 0;
                self.last_ok = Some(now);
                self.last_error = None;
                let mut next = self
                    .scopes
                    .iter()
                    .filter(|s| !s.retired)
                    .filter_map(|s| s.due)
                    .min();
                if busy {
                    let refresh = now + self.pace;
                    next = Some(next.map_or(refresh, |n| n.min(refresh)));
                }
                self.next_at = next.or(Some(now + Duration::seconds(IDLE_SECS)));
            }
        }
        if self.refresh_requested {
            self.refresh_requested = false;
            self.next_at = Some(now);
            for scope in &mut self.scopes {
                scope.due = None;
            }
        }
    }

    /// How long scope `i` waits before its next read.
    fn scope_delay(&mut self, i: usize, store: &BuildStore) -> Duration {
        let s = &self.scopes[i];
        if s.health.dead.is_some() {
            return Duration::seconds(DEAD_RECHECK_SECS);
        }
        if s.health.failures > 0 {
            let failures = s.health.failures;
            return self.backoff(failures);
        }
        if s.has_gaps() {
            return Duration::zero();
        }
        let busy = match s.resource {
            Resource::Builds => store.runs_in(self.context, s.project.as_deref()),
            Resource::Batches => false,
        };
        match s.resource {
            Resource::Builds if busy => self.pace,
            Resource::Builds => Duration::seconds(IDLE_SECS),
            Resource::Batches => Duration::seconds(BATCH_LIST_SECS),
        }
    }

    /// Exponential backoff from the poll interval, capped, with jitter so many
    /// clients do not retry in step.
    fn backoff(&mut self, failures: u32) -> Duration {
        let base = self.interval.num_milliseconds() as f64 / 1000.0;
        let exp = base * 2f64.powi(failures.min(16) as i32);
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

/// `ids` without repeats, in their order.
fn unique(mut ids: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    ids
}
