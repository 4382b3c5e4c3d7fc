//! The demo's builds whose resource metrics tell how they end: media
//! transcodes killed for lack of memory on their SMALL containers, and a
//! data-pipeline run that hangs in BUILD and idles towards its timeout.

use std::sync::Arc;

use super::super::build::{Build, Settings};
use super::super::clock::{MINUTE, SECOND};
use super::super::plan_gen::plan_for_outcome;
use super::super::rng::Rng;
use super::super::state::SimState;
use super::super::Outcome;
use super::planned_build;

pub(crate) const TRANSCODER: &str = "media-transcoder";
const HUNG_PROJECT: &str = "data-pipeline";

/// A media-transcoder build from `start` whose `make transcode` the OOM
/// killer ends after `build_minutes` of BUILD.
pub(crate) fn out_of_memory_build(
    state: &SimState,
    rng: &mut Rng,
    start: i64,
    build_minutes: i64,
) -> Option<Build> {
    let def = state.catalog.find(TRANSCODER)?;
    let settings = Settings::for_project(def, &state.place);
    let outcome = Outcome::OutOfMemory {
        command: "make transcode".to_string(),
    };
    let phases = [("BUILD".to_string(), (build_minutes * 60) as f64)];
    let mut plan = plan_for_outcome(rng, def, &settings, &outcome, Some(&phases), "main");
    // It starts at once: nothing else of the project's is queued.
    plan.durations[1] = 2 * SECOND;
    Some(Build {
        uuid: rng.uuid(),
        project: def.name.to_string(),
        profile: def,
        number: 0,
        start,
        plan,
        stop_at: None,
        settings: Arc::new(settings),
        source_version: Some("refs/heads/main".to_string()),
        resolved_source_version: rng.hex(40),
        initiator: "GitHub-Hookshot/4e1f0a2".to_string(),
        batch_arn: None,
    })
}

/// A data-pipeline run from `start` that hangs three minutes into BUILD
/// and idles there until its 60-minute timeout: its usual durations are
/// long enough that nothing but its idle CPU gives it away for a while.
pub(crate) fn hung_build(state: &SimState, rng: &mut Rng, start: i64) -> Option<Build> {
    let def = state.catalog.find(HUNG_PROJECT)?;
    let settings = Settings::for_project(def, &state.place);
    let s = SECOND;
    let durations = [
        500,
        3 * s,
        32 * s,
        7 * s,
        48 * s,
        14 * s,
        90 * MINUTE,
        10 * s,
        8 * s,
        3 * s,
    ];
    let mut build = planned_build(
        rng,
        def,
        settings,
        start,
        durations,
        "codepipeline/hourly-ingest",
    );
    let idle_after = 3 * MINUTE;
    build.plan.idle = Some((idle_after, durations[6] - idle_after));
    Some(build)
}
