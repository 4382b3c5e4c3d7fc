//! The demo world: a week of history, a few running builds, and new builds
//! arriving as sim time passes.
//!
//! Arrivals are decided on a fixed sim-time grid and at build completions,
//! never at request time, so the same seed gives the same builds however
//! often (or rarely) the simulator is asked.

use chrono::Timelike;

use super::build::{Build, Settings};
use super::catalog::{self, PROJECTS};
use super::clock::{to_datetime, DAY, HOUR, MINUTE, SECOND};
use super::plan_gen::random_build;
use super::rng::{stream, Rng};
use super::state::SimState;
use super::timeline::{Ending, Plan};

const HISTORY_BUILDS: usize = 320;
const TICK: i64 = 20 * SECOND;
const MIN_RUNNING: usize = 3;
const MAX_RUNNING: usize = 6;
/// Chance of a new build on each tick while below the maximum.
const ARRIVAL_CHANCE: f64 = 0.22;

#[derive(Debug)]
pub(crate) struct Arrivals {
    pub enabled: bool,
    /// Sim time up to which completions and ticks have been handled.
    pub processed: i64,
    next_tick: i64,
    rng: Rng,
    /// Builds that may not have completed yet.
    pub active: Vec<usize>,
}

impl Arrivals {
    pub fn disabled(now: i64, rng: Rng) -> Self {
        Arrivals {
            enabled: false,
            processed: now,
            next_tick: now + TICK,
            rng,
            active: Vec::new(),
        }
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
    for start in starts {
        let def = pick_project(&mut rng, |_| true);
        let build = random_build(&mut rng, def, start);
        state.insert(build);
    }
    // The last two hours play out through the arrival process itself, with
    // one long data-pipeline build that is about to hit its timeout.
    let long_start = t0 - 52 * MINUTE;
    catch_up_to(state, long_start);
    let long = near_timeout_build(&mut rng, long_start);
    state.insert(long);
    catch_up_to(state, t0);
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
    allowed: impl Fn(&catalog::ProjectDef) -> bool,
) -> &'static catalog::ProjectDef {
    let weights: Vec<f64> = PROJECTS
        .iter()
        .map(|p| if allowed(p) { p.weight } else { 0.0 })
        .collect();
    &PROJECTS[rng.weighted(&weights)]
}

fn near_timeout_build(rng: &mut Rng, start: i64) -> Build {
    let def = catalog::find("data-pipeline").unwrap_or(&PROJECTS[0]);
    let settings = Settings::for_project(def);
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
    Build {
        uuid: rng.uuid(),
        project: def.name.to_string(),
        number: 0,
        start,
        plan: Plan {
            durations,
            ending: Ending::Success,
            output: None,
        },
        stop_at: None,
        settings,
        source_version: Some("refs/heads/main".to_string()),
        resolved_source_version: rng.hex(40),
        initiator: "codepipeline/nightly-etl".to_string(),
        batch_arn: None,
    }
}

/// Single builds running at `t`. Batch group builds come and go with their
/// batches, so they do not count towards the band kept here.
fn running_at(state: &SimState, t: i64) -> usize {
    state
        .arrivals
        .active
        .iter()
        .map(|&i| &state.builds[i])
        .filter(|b| b.batch_arn.is_none() && b.is_running_at(t))
        .count()
}

/// Starts one arriving build at `t`, if some project has room for it.
fn spawn(state: &mut SimState, t: i64) -> bool {
    let full: Vec<&str> = PROJECTS
        .iter()
        .filter(|p| {
            p.concurrent_build_limit
                .is_some_and(|limit| state.running_in_project(p.name, t) >= limit as usize)
        })
        .map(|p| p.name)
        .collect();
    if full.len() == PROJECTS.len() {
        return false;
    }
    let rng = &mut state.arrivals.rng;
    let def = pick_project(rng, |p| !full.contains(&p.name));
    let build = random_build(rng, def, t);
    state.insert(build);
    true
}

fn refill(state: &mut SimState, t: i64) {
    while running_at(state, t) < MIN_RUNNING {
        if !spawn(state, t) {
            break;
        }
    }
}

/// Handles every completion and tick up to `until`, in time order.
pub(crate) fn catch_up_to(state: &mut SimState, until: i64) {
    loop {
        let next_done = state
            .arrivals
            .active
            .iter()
            .enumerate()
            .map(|(pos, &i)| (state.builds[i].completed_at(), pos))
            .min();
        // Without arrivals only completions matter.
        let tick = if state.arrivals.enabled {
            state.arrivals.next_tick
        } else {
            i64::MAX
        };
        match next_done {
            Some((done, pos)) if done <= until && done <= tick => {
                let idx = state.arrivals.active.swap_remove(pos);
                let single = state.builds[idx].batch_arn.is_none();
                // Completions before the processed horizon (a fixture added
                // in the past) must not spawn builds in the past.
                if single && state.arrivals.enabled && done >= state.arrivals.processed {
                    state.arrivals.processed = done;
                    refill(state, done);
                }
            }
            _ if tick <= until => {
                state.arrivals.processed = tick;
                state.arrivals.next_tick += TICK;
                if running_at(state, tick) < MIN_RUNNING {
                    refill(state, tick);
                } else if running_at(state, tick) < MAX_RUNNING
                    && state.arrivals.rng.chance(ARRIVAL_CHANCE)
                {
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
    use crate::sim::SimConfig;

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
            let mut state = SimState::new(&cfg);
            // Odd steps so samples land between ticks and completions.
            for _ in 0..(4 * 3600 / 11) {
                let n = running_now(&state);
                assert!(
                    (MIN_RUNNING..=MAX_RUNNING).contains(&n),
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
