//! The busy account: hundreds of projects, thousands of builds over the
//! last 36 hours, a band of 150 or more running builds, bursts of builds
//! starting together and a few builds that have been running for hours.
//!
//! It runs on the demo's arrival process with a wider band. Holding
//! `running` builds with `builds_36h` arriving means (Little's law) builds
//! last `running * 36 h / builds_36h` on average, so the templates'
//! durations and timeouts are stretched by one factor per shape.

use std::sync::Arc;

use super::{catch_up_to, pick_project, planned_build, spawn_build, Band, TICK};
use crate::build::{Build, Settings};
use crate::catalog::{Place, ProjectDef, PROJECTS};
use crate::clock::{HOUR, SECOND};
use crate::phase::Phase;
use crate::plan_gen::{durations, random_build};
use crate::rng::{stream, Rng};
use crate::state::SimState;

/// How big a busy world is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Shape {
    pub builds_36h: u32,
    /// The least number of builds running, burst builds aside.
    pub running: u32,
}

pub(crate) const BUSY: Shape = Shape {
    builds_36h: 5000,
    running: 150,
};

impl Shape {
    pub fn scaled(builds_36h: u32, running: u32) -> Shape {
        Shape {
            builds_36h,
            running,
        }
    }
}

/// A burst starts 30 s after every even hour (UTC): 120 builds within
/// 2 s, as when a change to a shared library rebuilds every service.
const BURST_EVERY: i64 = 2 * HOUR;
const BURST_OFFSET: i64 = 30 * SECOND;
pub(crate) const BURST_SIZE: u32 = 120;
const BURST_SPREAD: i64 = 2 * SECOND;
const WINDOW: i64 = 36 * HOUR;
/// The process starts this long before the window, so the band is held
/// throughout it.
const SETTLE: i64 = HOUR;
/// Ages of the builds that have been running for hours.
const LONG_AGES_HOURS: [i64; 6] = [3, 5, 8, 11, 15, 20];
/// CodeBuild's longest build timeout.
const MAX_TIMEOUT_MINUTES: u32 = 2160;

/// What a busy world's arrivals add to the demo's.
#[derive(Clone, Debug)]
pub(crate) struct Traffic {
    /// Factor on the templates' durations and timeouts.
    pub scale: f64,
    burst_start: i64,
    /// Builds of the current burst started so far.
    burst_done: u32,
}

/// When the burst after `t` starts.
fn burst_after(t: i64) -> i64 {
    ((t - BURST_OFFSET).div_euclid(BURST_EVERY) + 1) * BURST_EVERY + BURST_OFFSET
}

/// The projects arrivals pick from and the catalog index of the first:
/// in busy worlds the derived ones, so the demo's projects (kept for
/// fixtures) stay quiet.
pub(crate) fn pool(state: &SimState) -> (&'static [ProjectDef], usize) {
    let all = state.catalog.projects();
    match state.arrivals.traffic {
        Some(_) if all.len() > PROJECTS.len() => (&all[PROJECTS.len()..], PROJECTS.len()),
        _ => (all, 0),
    }
}

/// Stretches a build's phases by `scale`, all but QUEUED and PROVISIONING:
/// a longer build waits no longer for capacity. Its settings' timeout
/// already is stretched (see [`stretch_timeout`]).
pub(crate) fn stretch(build: &mut Build, scale: f64) {
    let queued = queue_phases(&build.plan.durations);
    for (i, d) in build.plan.durations.iter_mut().enumerate() {
        if !WAITS.contains(&i) {
            *d = (*d as f64 * scale).round() as i64;
        }
    }
    if let Some(stop) = &mut build.stop_at {
        let into = (*stop - build.start) as f64;
        let worked = (into - queued as f64).max(0.0);
        let waited = into.min(queued as f64);
        *stop = build.start + (waited + worked * scale).round() as i64;
    }
}

/// QUEUED's and PROVISIONING's places in a plan's durations.
const WAITS: [usize; 2] = [Phase::Queued.index(), Phase::Provisioning.index()];

fn queue_phases(durations: &[i64; 10]) -> i64 {
    WAITS.iter().map(|&i| durations[i]).sum()
}

pub(crate) fn stretch_timeout(settings: &mut Settings, scale: f64) {
    let timeout = (f64::from(settings.timeout_minutes) * scale).ceil();
    settings.timeout_minutes = (timeout as u32).clamp(5, MAX_TIMEOUT_MINUTES);
}

/// The factor that makes builds of `pool` last `target` ms on average
/// when all but their waits for capacity are stretched by it, from a fixed
/// sample so every world of a shape shares it.
fn scale_for(pool: &'static [ProjectDef], place: &Place, target: f64) -> f64 {
    let mut rng = Rng::new(0x5ca1e);
    let samples = 400;
    let (mut total, mut waits) = (0i64, 0i64);
    for _ in 0..samples {
        let def = pick_project(&mut rng, pool, |_| true);
        let settings = Arc::new(Settings::for_project(def, place));
        let build = random_build(&mut rng, def, settings, 0);
        total += build.completed_at() - build.start;
        waits += queue_phases(&build.plan.durations);
    }
    let mean = total as f64 / f64::from(samples);
    let waited = waits as f64 / f64::from(samples);
    ((target - waited) / (mean - waited).max(1.0)).max(0.1)
}

pub(crate) fn populate(state: &mut SimState, seed: u64, shape: &Shape) {
    let t0 = state.now();
    let from = t0 - WINDOW - SETTLE;
    let bursts = (WINDOW / BURST_EVERY) as u32;
    let running = shape.running as usize;
    let steady = shape
        .builds_36h
        .saturating_sub(bursts * BURST_SIZE)
        .max(shape.builds_36h / 4)
        .max(1);
    let target = running.max(1) as f64 * WINDOW as f64 / f64::from(steady);
    let scale = scale_for(pool(state).0, &state.place, target);

    let arrivals = &mut state.arrivals;
    arrivals.enabled = true;
    arrivals.processed = from;
    arrivals.next_tick = from + TICK;
    arrivals.band = Band {
        min: running,
        max: running + running / 5,
        chance: 0.22,
    };
    arrivals.traffic = Some(Traffic {
        scale,
        burst_start: burst_after(from),
        burst_done: 0,
    });

    let mut rng = Rng::for_stream(seed, stream::HISTORY);
    for age in LONG_AGES_HOURS {
        let start = t0 - age * HOUR - rng.secs_ms(0.0, 1800.0);
        catch_up_to(state, start);
        let build = long_build(state, &mut rng, start, age);
        state.insert(build);
    }
    catch_up_to(state, t0);
}

/// A build of an ETL project started `age` hours ago that runs for hours
/// more.
fn long_build(state: &SimState, rng: &mut Rng, start: i64, age: i64) -> Build {
    let def = pick_project(rng, pool(state).0, |p| p.name.ends_with("-etl"));
    let mut settings = Settings::for_project(def, &state.place);
    settings.timeout_minutes = MAX_TIMEOUT_MINUTES;
    let mut durations = durations(rng, def);
    durations[Phase::Build.index()] = age * HOUR + rng.secs_ms(2.0 * 3600.0, 8.0 * 3600.0);
    planned_build(
        rng,
        def,
        settings,
        start,
        durations,
        "codepipeline/backfill",
    )
}

/// The history a busy world's project roles play over: its window.
pub(crate) fn span(state: &SimState) -> super::board::Span {
    super::board::Span {
        from: state.started_at - WINDOW - SETTLE,
        to: state.started_at,
    }
}

/// When the next build of a burst starts, in busy worlds.
pub(crate) fn next_burst(state: &SimState) -> Option<i64> {
    let traffic = state.arrivals.traffic.as_ref()?;
    let step = BURST_SPREAD / i64::from(BURST_SIZE);
    Some(traffic.burst_start + i64::from(traffic.burst_done) * step)
}

/// Starts the burst's next build at `t`; burst builds keep the templates'
/// own (short) durations.
pub(crate) fn burst_build(state: &mut SimState, t: i64) {
    state.arrivals.in_burst = true;
    spawn_build(state, t, false);
    state.arrivals.in_burst = false;
    if let Some(traffic) = &mut state.arrivals.traffic {
        traffic.burst_done += 1;
        if traffic.burst_done == BURST_SIZE {
            traffic.burst_done = 0;
            traffic.burst_start = burst_after(traffic.burst_start);
        }
    }
}
