//! The demo world: a week of history, a few running builds, and new builds
//! arriving as sim time passes.
//!
//! Arrivals are decided on a fixed sim-time grid and at build completions,
//! never at request time, so the same seed gives the same builds however
//! often (or rarely) the simulator is asked.

mod board;
pub(crate) mod busy;
mod fates;
mod regression;

use std::sync::Arc;

use chrono::Timelike;

use super::build::{Build, Settings};
use super::catalog::{Catalog, ProjectDef};
use super::clock::{to_datetime, DAY, HOUR, MINUTE, SECOND};
use super::plan_gen::random_build;
use super::reports::REGRESSED_PROJECT;
use super::rng::{stream, Rng};
use super::state::SimState;
use super::timeline::{Ending, Plan};

const HISTORY_BUILDS: usize = 320;
const TICK: i64 = 20 * SECOND;

/// How many single builds the arrival process keeps running.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Band {
    pub min: usize,
    pub max: usize,
    /// Chance of a new build on each tick while below the maximum.
    pub chance: f64,
}

const DEMO_BAND: Band = Band {
    min: 3,
    max: 6,
    chance: 0.22,
};

/// A build that may not have completed yet, with what the arrival process
/// asks of it most often.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Active {
    pub idx: usize,
    pub start: i64,
    pub done: i64,
    /// Counts towards the band: a single build, not a batch group's nor
    /// a burst's.
    pub in_band: bool,
    /// Its project has a concurrent-build limit.
    pub limited: bool,
}

impl Active {
    pub fn new(idx: usize, build: &Build, done: i64, limited: bool) -> Self {
        Active {
            idx,
            start: build.start,
            done,
            in_band: build.batch_arn.is_none(),
            limited,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Arrivals {
    pub enabled: bool,
    /// Sim time up to which completions and ticks have been handled.
    pub processed: i64,
    next_tick: i64,
    rng: Rng,
    /// Builds that may not have completed yet, the latest to complete
    /// first, so the next completion is at the end.
    pub active: Vec<Active>,
    /// Builds in `active` that count towards the band: every one of them
    /// runs until its completion is handled, since none starts after the
    /// processed time.
    in_band: usize,
    /// Set while a burst's build is stored: bursts come on top of the band.
    pub in_burst: bool,
    band: Band,
    /// What busy worlds add: stretched builds, bursts.
    pub traffic: Option<busy::Traffic>,
}

impl Arrivals {
    pub fn disabled(now: i64, rng: Rng) -> Self {
        Arrivals {
            enabled: false,
            processed: now,
            next_tick: now + TICK,
            rng,
            active: Vec::new(),
            in_band: 0,
            in_burst: false,
            band: DEMO_BAND,
            traffic: None,
        }
    }

    pub fn track(&mut self, mut entry: Active) {
        entry.in_band &= !self.in_burst;
        let pos = self.active.partition_point(|a| a.done > entry.done);
        self.active.insert(pos, entry);
        self.in_band += usize::from(entry.in_band);
    }

    /// Completion times after builds were stopped.
    pub fn refresh(&mut self, builds: &[Build]) {
        for a in &mut self.active {
            a.done = builds[a.idx].completed_at();
        }
        self.active.sort_by_key(|a| std::cmp::Reverse(a.done));
    }

    /// Removes every build completing at `t`, the earliest completion;
    /// whether any of them counted towards the band.
    fn complete_at(&mut self, t: i64) -> bool {
        let mut in_band = false;
        while self.active.last().is_some_and(|a| a.done == t) {
            if let Some(a) = self.active.pop() {
                in_band |= a.in_band;
                self.in_band -= usize::from(a.in_band);
            }
        }
        in_band
    }
}

pub(crate) fn populate_demo(state: &mut SimState, seed: u64) {
    let t0 = state.now();
    let history_end = t0 - 2 * HOUR;
    state.arrivals.enabled = true;
    state.arrivals.processed = history_end;
    state.arrivals.next_tick = history_end + TICK;

    let mut rng = Rng::for_stream(seed, stream::HISTORY);
    let mut starts: Vec<i64> = (0..HISTORY_BUILDS)
        .map(|_| office_hours_time(&mut rng, t0 - 7 * DAY, history_end))
        .collect();
    starts.sort_unstable();
    let changed_at = regression::changed_at(state);
    let old_settings = regression::old_settings(state);
    let mut last_before_change = None;
    let span = board::Span {
        from: t0 - 7 * DAY,
        to: t0,
    };
    let mut board_rng = Rng::for_stream(seed, stream::BOARD);
    let mut extras = board::demo_extras(state, &mut board_rng, span, history_end).into_iter();
    let mut next_extra = extras.next();
    for start in starts {
        // The role projects' extra builds, in time order with the rest so
        // build numbers follow start times.
        while let Some(extra) = next_extra.take_if(|b| b.start <= start) {
            store(state, extra, span);
            next_extra = extras.next();
        }
        let def = pick_project(&mut rng, state.catalog.projects(), |_| true);
        let mut settings = state.arrival_settings(def, None);
        let before_change = changed_at.is_some_and(|at| start < at);
        if let (true, true, Some(old)) =
            (before_change, def.name == REGRESSED_PROJECT, &old_settings)
        {
            settings = Arc::clone(old);
            last_before_change = Some(state.builds.len());
        }
        let mut build = random_build(&mut rng, def, settings, start);
        regression::regress(&mut build);
        store(state, build, span);
    }
    for extra in next_extra.into_iter().chain(extras) {
        store(state, extra, span);
    }
    // The last build before the change passed; history builds are all
    // complete, so none is tracked by the arrival process yet.
    if let Some(build) = last_before_change.and_then(|i| state.builds.get_mut(i)) {
        regression::pass(build);
    }
    // The last two hours play out through the arrival process itself, with
    // one long data-pipeline build that is about to hit its timeout, a
    // data-pipeline run hung for 25 minutes, and media transcodes killed
    // for lack of memory, the latest just before now.
    let oom_start = t0 - 95 * MINUTE;
    catch_up_to(state, oom_start);
    insert(
        state,
        fates::out_of_memory_build(state, &mut rng, oom_start, 14),
    );
    let long_start = t0 - 52 * MINUTE;
    catch_up_to(state, long_start);
    let long = near_timeout_build(state, &mut rng, long_start);
    state.insert(long);
    let hung_start = t0 - 30 * MINUTE;
    catch_up_to(state, hung_start);
    insert(state, fates::hung_build(state, &mut rng, hung_start));
    let latest_oom = t0 - 19 * MINUTE;
    catch_up_to(state, latest_oom);
    insert(
        state,
        fates::out_of_memory_build(state, &mut rng, latest_oom, 11),
    );
    catch_up_to(state, t0);
}

/// Stores a build of the scenario's own, bent to its project's role.
fn store(state: &mut SimState, mut build: Build, span: board::Span) {
    let role = board::role_of(state.catalog, &build.project);
    board::bend(&mut build, role, span);
    board::retry(state, &mut build, role);
    state.insert(build);
}

fn insert(state: &mut SimState, build: Option<Build>) {
    if let Some(build) = build {
        state.insert(build);
    }
}

/// A time in [from, to), with most builds during office hours (UTC).
pub(crate) fn office_hours_time(rng: &mut Rng, from: i64, to: i64) -> i64 {
    loop {
        let t = from + (rng.unit() * (to - from) as f64) as i64;
        let hour = to_datetime(t).hour();
        let weight = if (8..19).contains(&hour) { 1.0 } else { 0.25 };
        if rng.chance(weight) {
            return t;
        }
    }
}

fn pick_project(
    rng: &mut Rng,
    pool: &'static [ProjectDef],
    allowed: impl Fn(&ProjectDef) -> bool,
) -> &'static ProjectDef {
    let weights: Vec<f64> = pool
        .iter()
        .map(|p| if allowed(p) { p.weight } else { 0.0 })
        .collect();
    &pool[rng.weighted(&weights)]
}

fn near_timeout_build(state: &SimState, rng: &mut Rng, start: i64) -> Build {
    let projects = state.catalog.projects();
    let def = state.catalog.find("data-pipeline").unwrap_or(&projects[0]);
    let settings = Settings::for_project(def, &state.place);
    let s = SECOND;
    // BUILD runs past the 60-minute timeout, so the deadline ends it.
    let durations = [
        400,
        4 * s,
        35 * s,
        6 * s,
        42 * s,
        12 * s,
        90 * MINUTE,
        10 * s,
        8 * s,
        3 * s,
    ];
    planned_build(
        rng,
        def,
        settings,
        start,
        durations,
        "codepipeline/nightly-etl",
    )
}

/// A build of `def` from `start` with these phase durations, succeeding
/// unless a deadline ends it: the long builds the scenarios place by hand.
pub(crate) fn planned_build(
    rng: &mut Rng,
    def: &'static ProjectDef,
    settings: Settings,
    start: i64,
    durations: [i64; 10],
    initiator: &str,
) -> Build {
    Build {
        uuid: rng.uuid(),
        project: def.name.to_string(),
        profile: def,
        number: 0,
        start,
        plan: Plan {
            durations,
            ending: Ending::Success,
            output: None,
            idle: None,
        },
        stop_at: None,
        settings: Arc::new(settings),
        source_version: Some("refs/heads/main".to_string()),
        resolved_source_version: rng.hex(40),
        initiator: initiator.to_string(),
        batch_arn: None,
    }
}

/// Single builds running at the time being handled. Batch group builds
/// come and go with their batches, and burst builds with their burst, so
/// they do not count towards the band kept here.
fn running(state: &SimState) -> usize {
    state.arrivals.in_band
}

/// The chance of each project of the pool (starting at catalog index
/// `offset`) to get the next build at `t`: its weight, or none while it
/// is at its concurrent-build limit.
fn arrival_weights(state: &SimState, pool: &[ProjectDef], offset: usize, t: i64) -> Vec<f64> {
    let mut weights: Vec<f64> = pool.iter().map(|p| p.weight).collect();
    let mut running = vec![0u32; pool.len()];
    for a in state.arrivals.active.iter().filter(|a| a.limited) {
        let project = &state.builds[a.idx].project;
        let pos = state
            .catalog
            .index_of(project)
            .and_then(|i| i.checked_sub(offset));
        if let Some(pos) = pos.filter(|&p| p < pool.len() && a.start <= t && t < a.done) {
            running[pos] += 1;
            if pool[pos]
                .concurrent_build_limit
                .is_some_and(|l| running[pos] >= l)
            {
                weights[pos] = 0.0;
            }
        }
    }
    weights
}

/// Starts one arriving build at `t`, if some project has room for it.
fn spawn(state: &mut SimState, t: i64) -> bool {
    spawn_build(state, t, true)
}

/// As [`spawn`]; `stretched` builds take the busy world's longer durations.
fn spawn_build(state: &mut SimState, t: i64, stretched: bool) -> bool {
    let (pool, offset) = busy::pool(state);
    let weights = arrival_weights(state, pool, offset, t);
    if weights.iter().all(|&w| w == 0.0) {
        return false;
    }
    let def = &pool[state.arrivals.rng.weighted(&weights)];
    let scale = match &state.arrivals.traffic {
        Some(traffic) if stretched => Some(traffic.scale),
        _ => None,
    };
    let settings = state.arrival_settings(def, scale);
    let mut build = random_build(&mut state.arrivals.rng, def, settings, t);
    if std::ptr::eq(state.catalog, Catalog::demo()) {
        regression::regress(&mut build);
    }
    let span = match &state.arrivals.traffic {
        Some(_) => busy::span(state),
        None => board::Span {
            from: state.started_at - 7 * DAY,
            to: state.started_at,
        },
    };
    let role = board::role_of(state.catalog, &build.project);
    board::bend(&mut build, role, span);
    if let Some(scale) = scale {
        busy::stretch(&mut build, scale);
    }
    board::retry(state, &mut build, role);
    state.insert(build);
    true
}

fn refill(state: &mut SimState, t: i64) {
    while running(state) < state.arrivals.band.min {
        if !spawn(state, t) {
            break;
        }
    }
}

/// Handles every completion and tick up to `until`, in time order.
pub(crate) fn catch_up_to(state: &mut SimState, until: i64) {
    loop {
        let next_done = state.arrivals.active.last().map(|a| a.done);
        // Without arrivals only completions matter.
        let tick = if state.arrivals.enabled {
            state.arrivals.next_tick
        } else {
            i64::MAX
        };
        let burst = busy::next_burst(state).filter(|_| state.arrivals.enabled);
        match next_done {
            Some(done) if done <= until && done <= tick && burst.is_none_or(|b| done <= b) => {
                let in_band = state.arrivals.complete_at(done);
                // Completions before the processed horizon (a fixture added
                // in the past) must not spawn builds in the past.
                if in_band && state.arrivals.enabled && done >= state.arrivals.processed {
                    state.arrivals.processed = done;
                    refill(state, done);
                }
            }
            _ if burst.is_some_and(|b| b <= until && b <= tick) => {
                if let Some(b) = burst {
                    state.arrivals.processed = b;
                    busy::burst_build(state, b);
                }
            }
            _ if tick <= until => {
                state.arrivals.processed = tick;
                state.arrivals.next_tick += TICK;
                let band = state.arrivals.band;
                if running(state) < band.min {
                    refill(state, tick);
                } else if running(state) < band.max && state.arrivals.rng.chance(band.chance) {
                    spawn(state, tick);
                }
            }
            _ => break,
        }
    }
    state.arrivals.processed = state.arrivals.processed.max(until);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimConfig;

    fn running_now(state: &SimState) -> usize {
        let now = state.now();
        state
            .builds
            .iter()
            .filter(|b| b.batch_arn.is_none() && b.is_running_at(now))
            .count()
    }

    #[test]
    fn running_single_builds_stay_between_three_and_six_for_many_seeds() {
        let mut total = 0;
        let mut samples = 0;
        for seed in 0..4 {
            let cfg = SimConfig {
                seed,
                speed: 0.0,
                ..SimConfig::default()
            };
            let clock = std::sync::Arc::new(crate::clock::SimClock::new(0.0));
            let mut state = SimState::new(&cfg, Default::default(), seed, clock);
            // Odd steps so samples land between ticks and completions.
            for _ in 0..(4 * 3600 / 11) {
                let n = running_now(&state);
                assert!(
                    (DEMO_BAND.min..=DEMO_BAND.max).contains(&n),
                    "seed {seed}: {n} running"
                );
                total += n;
                samples += 1;
                state.advance(11.0);
            }
        }
        let mean = total as f64 / samples as f64;
        assert!((3.5..5.5).contains(&mean), "mean {mean}");
    }
}
