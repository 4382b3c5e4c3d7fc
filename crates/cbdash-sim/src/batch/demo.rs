//! The demo's batches: a week of finished batches (some failed, one
//! retried), a build graph part-way through its diamond when the demo
//! opens, and new batches arriving so that one is always running.
//!
//! Like single builds, new batches are decided on a fixed sim-time grid
//! and at batch ends, never at request time.

use std::sync::Arc;

use super::run::simulate;
use super::schedule::{catch_up, new_batch, retry, NewBatch};
use super::spec::drafts_for;
use super::{Batch, Recipe};
use crate::batch_projects::{batch_config_json, E2E_SUITES, MONOREPO_CI};
use crate::build::Settings;
use crate::catalog::{Place, ProjectDef, PROJECTS};
use crate::clock::{DAY, HOUR, MINUTE, SECOND};
use crate::plan_gen::{random_initiator, random_source_version};
use crate::rng::{stream, Rng};
use crate::scenario::office_hours_time;
use crate::state::SimState;

const HISTORY_BATCHES: usize = 14;
/// Which history batch fails for sure (an e2e suite that may not fail).
const FAILING: usize = 5;
const TICK: i64 = 60 * SECOND;
/// Chance of one more batch on each tick while below the maximum.
const ARRIVAL_CHANCE: f64 = 0.06;
const MAX_RUNNING: usize = 2;

#[derive(Debug)]
pub(crate) struct DemoArrivals {
    pub enabled: bool,
    /// Sim time up to which batch ends and ticks have been handled.
    pub processed: i64,
    pub next_tick: i64,
    rng: Rng,
}

impl DemoArrivals {
    pub fn disabled(now: i64, seed: u64) -> Self {
        DemoArrivals {
            enabled: false,
            processed: now,
            next_tick: now + TICK,
            rng: Rng::for_stream(seed, stream::BATCH_ARRIVALS),
        }
    }
}

/// A batch of `def` starting at `start`, started by a developer or a
/// webhook; `forced` fixes the first run's outcome of named groups.
fn random_batch(
    place: &Place,
    rng: &mut Rng,
    def: &'static ProjectDef,
    start: i64,
    forced: &[(&str, bool)],
) -> Batch {
    let settings = Arc::new(Settings::for_project(def, place));
    let source_version = random_source_version(rng);
    let initiator = random_initiator(rng, &source_version);
    let mut groups = drafts_for(def, &settings);
    for group in &mut groups {
        let force = forced.iter().find(|(id, _)| *id == group.identifier);
        if let (Some((_, fails)), Recipe::Random { first_fails, .. }) = (force, &mut group.recipe) {
            *first_fails = Some(*fails);
        }
    }
    let config = def
        .batch
        .map(|batch| batch_config_json(place, def.name, batch))
        .and_then(|c| c.as_object().cloned())
        .unwrap_or_default();
    new_batch(
        rng,
        NewBatch {
            project: def.name.to_string(),
            profile: def,
            settings,
            config,
            source_version: Some(source_version),
            resolved: None,
            initiator,
            groups,
            start,
        },
    )
}

fn pick_project(rng: &mut Rng) -> &'static ProjectDef {
    let weights: Vec<f64> = PROJECTS
        .iter()
        .map(|p| p.batch.map_or(0.0, |b| b.weight))
        .collect();
    &PROJECTS[rng.weighted(&weights)]
}

pub(crate) fn populate(state: &mut SimState, seed: u64) {
    let t0 = state.now();
    let mut rng = Rng::for_stream(seed, stream::BATCH_HISTORY);
    let mut starts: Vec<i64> = (0..HISTORY_BATCHES)
        .map(|_| office_hours_time(&mut rng, t0 - 7 * DAY, t0 - 5 * HOUR))
        .collect();
    starts.sort_unstable();
    let last = HISTORY_BATCHES - 1;
    for (i, start) in starts.into_iter().enumerate() {
        catch_up(state, start);
        let batch = match i {
            FAILING => random_batch(
                &state.place,
                &mut rng,
                &E2E_SUITES,
                start,
                &[("checkout-flow", true)],
            ),
            // The last one fails in build-api and is retried.
            _ if i == last => random_batch(
                &state.place,
                &mut rng,
                &MONOREPO_CI,
                start,
                &[("build-api", true)],
            ),
            _ => {
                let def = pick_project(&mut rng);
                random_batch(&state.place, &mut rng, def, start, &[])
            }
        };
        let b = state.batches.insert(batch);
        if i == last {
            let ended = simulate(&state.batches.list[b], &state.builds).completed_at;
            let at = ended + 25 * MINUTE;
            catch_up(state, at);
            let SimState {
                batches, builds, ..
            } = state;
            retry(batches, builds, &mut rng, b, at, true);
        }
    }
    // The demo opens on a build graph whose diamond is under way.
    let opening = t0 - 7 * MINUTE;
    catch_up(state, opening);
    let sure = [
        ("lint", false),
        ("build-api", false),
        ("build-web", false),
        ("integration", false),
    ];
    let batch = random_batch(&state.place, &mut rng, &MONOREPO_CI, opening, &sure);
    state.batches.insert(batch);
    let demo = &mut state.batches.demo;
    demo.enabled = true;
    demo.processed = opening;
    demo.next_tick = opening + TICK;
    catch_up(state, t0);
}

fn running_at(state: &SimState, t: i64) -> usize {
    let book = &state.batches;
    book.live
        .iter()
        .map(|&b| &book.list[b])
        .filter(|batch| batch.run.start <= t && t < simulate(batch, &state.builds).completed_at)
        .count()
}

fn spawn(state: &mut SimState, t: i64) {
    let rng = &mut state.batches.demo.rng;
    let def = pick_project(rng);
    let batch = random_batch(&state.place, rng, def, t, &[]);
    state.batches.insert(batch);
}

/// A batch ended at `t`: another starts at once if none is left running.
pub(crate) fn on_batch_end(state: &mut SimState, t: i64) {
    let demo = &mut state.batches.demo;
    // Ends before the horizon (a fixture added in the past) must not start
    // batches in the past.
    if !demo.enabled || t < demo.processed {
        return;
    }
    demo.processed = t;
    if running_at(state, t) == 0 {
        spawn(state, t);
    }
}

pub(crate) fn on_tick(state: &mut SimState, t: i64) {
    let demo = &mut state.batches.demo;
    demo.processed = t;
    demo.next_tick += TICK;
    let running = running_at(state, t);
    if running == 0 || (running < MAX_RUNNING && state.batches.demo.rng.chance(ARRIVAL_CHANCE)) {
        spawn(state, t);
    }
}
