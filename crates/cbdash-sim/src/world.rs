//! One world of a running simulator, as the Rust API drives it.

use chrono::{DateTime, Utc};

use super::batch::{self, status_at};
use super::build::id_from;
use super::clock::to_datetime;
use super::logs;
use super::phase::Status;
use super::server::{lock, World};
use super::{BatchSpec, BuildSpec, Fault, FaultScope, RecordedRequest};

/// The builds of one (account, region) of a simulator. Every world shares
/// the simulator's clock: advancing one moves them all.
#[derive(Clone)]
pub struct SimWorld {
    world: World,
}

impl std::fmt::Debug for SimWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = lock(&self.world);
        f.debug_struct("SimWorld")
            .field("account", &state.place.account)
            .field("region", &state.place.region)
            .finish()
    }
}

impl SimWorld {
    pub(crate) fn new(world: World) -> SimWorld {
        SimWorld { world }
    }

    pub fn account(&self) -> String {
        lock(&self.world).place.account.clone()
    }

    pub fn region(&self) -> String {
        lock(&self.world).place.region.clone()
    }

    /// Moves the sim clock forward; builds progress and new ones arrive.
    pub fn advance(&self, secs: f64) {
        lock(&self.world).advance(secs);
    }

    pub fn now(&self) -> DateTime<Utc> {
        to_datetime(lock(&self.world).now())
    }

    /// The next `count` requests get `fault`, after any faults injected
    /// earlier have been used up.
    pub fn inject(&self, fault: Fault, count: u32) {
        self.inject_for(fault, FaultScope::default(), count);
    }

    /// The next `count` requests within `scope` get `fault`; `u32::MAX`
    /// keeps it for good (until [`SimWorld::clear_faults`]). Requests out
    /// of scope pass it by; the earliest injected fault in scope applies.
    pub fn inject_for(&self, fault: Fault, scope: FaultScope, count: u32) {
        lock(&self.world).inject(fault, scope, count);
    }

    pub fn clear_faults(&self) {
        lock(&self.world).clear_faults();
    }

    /// Every request this world received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.world).requests.clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.world).requests.clear();
    }

    /// Adds a build whose life is fully planned and returns its id.
    ///
    /// # Panics
    /// If `spec` names an unknown project or phase.
    pub fn add_build(&self, spec: BuildSpec) -> String {
        lock(&self.world).add_fixture(spec)
    }

    /// Adds a batch build whose groups are fully planned and returns its
    /// id. Groups due in the past have started already.
    ///
    /// # Panics
    /// If `spec` names an unknown project or phase.
    pub fn add_batch(&self, spec: BatchSpec) -> String {
        batch::add_fixture(&mut lock(&self.world), spec)
    }

    /// Every line of the build's CloudWatch log visible now, oldest first,
    /// exactly as GetLogEvents returns them. Takes a build id or ARN.
    pub fn log_lines(&self, build_id: &str) -> Vec<String> {
        let mut state = lock(&self.world);
        state.catch_up();
        let now = state.now();
        state
            .get(id_from(build_id))
            .map(|build| logs::events_at(build, now))
            .unwrap_or_default()
            .into_iter()
            .map(|event| event.message)
            .collect()
    }

    /// Ids of the builds (batch groups included) running now, newest
    /// first.
    pub fn running_builds(&self) -> Vec<String> {
        let mut state = lock(&self.world);
        state.catch_up();
        let now = state.now();
        state.running_ids(now)
    }

    /// Ids of the batch builds in progress now, newest first.
    pub fn running_batches(&self) -> Vec<String> {
        let mut state = lock(&self.world);
        state.catch_up();
        let now = state.now();
        let book = &state.batches;
        book.order
            .iter()
            .rev()
            .map(|&b| &book.list[b])
            .filter(|b| status_at(b, &state.builds, now) == Status::InProgress)
            .map(|b| b.id())
            .collect()
    }

    /// Ids of the builds started at or after `since`, newest first: what
    /// ListBuilds lists before any older build.
    pub fn builds_since(&self, since: DateTime<Utc>) -> Vec<String> {
        let mut state = lock(&self.world);
        state.catch_up();
        let since = since.timestamp_millis();
        let builds = &state.builds;
        let first = state.order.partition_point(|&i| builds[i].start < since);
        state.order[first..]
            .iter()
            .rev()
            .map(|&i| builds[i].id())
            .collect()
    }
}
