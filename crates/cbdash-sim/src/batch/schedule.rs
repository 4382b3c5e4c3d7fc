//! What changes a batch: creation, group builds stored as their start time
//! comes, stops and retries.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::run::{simulate, Fate};
use super::spec::{problem, GroupDraft};
use super::{demo, Batch, BatchBook, Group, Planned, Recipe, Run};
use crate::build::{Build, Settings};
use crate::catalog::ProjectDef;
use crate::phase::Status;
use crate::plan_gen::plan_for_outcome;
use crate::rng::Rng;
use crate::state::SimState;
use crate::Outcome;

/// Everything a new batch is made from.
pub(crate) struct NewBatch {
    pub project: String,
    pub profile: &'static ProjectDef,
    pub settings: Arc<Settings>,
    pub config: Map<String, Value>,
    pub source_version: Option<String>,
    /// None: a commit is made up.
    pub resolved: Option<String>,
    pub initiator: String,
    pub groups: Vec<GroupDraft>,
    pub start: i64,
}

fn durations(rng: &mut Rng) -> [i64; 3] {
    [
        rng.secs_ms(0.3, 1.0),
        rng.secs_ms(2.0, 6.0),
        rng.secs_ms(5.0, 20.0),
    ]
}

/// The next build of a group; `first` tells the batch's first run apart
/// from retries.
fn plan_group(
    rng: &mut Rng,
    def: &ProjectDef,
    group: &Group,
    version: &str,
    first: bool,
) -> Planned {
    let (outcome, phase_secs) = match &group.recipe {
        Recipe::Random {
            build_secs,
            fail_chance,
            command,
            first_fails,
        } => {
            let fails = match first_fails.filter(|_| first) {
                Some(forced) => forced,
                None => rng.chance(*fail_chance),
            };
            let outcome = if fails {
                Outcome::FailIn {
                    phase: "BUILD".into(),
                    command: command.clone(),
                }
            } else {
                Outcome::Succeed
            };
            let secs = rng.range(build_secs.0, build_secs.1);
            (outcome, Some(vec![("BUILD".to_string(), secs)]))
        }
        Recipe::Fixed {
            outcome,
            phase_secs,
        } => {
            let outcome = if first {
                outcome.clone()
            } else {
                Outcome::Succeed
            };
            (outcome, phase_secs.clone())
        }
    };
    let settings = &group.settings;
    let plan = plan_for_outcome(rng, def, settings, &outcome, phase_secs.as_deref(), version);
    Planned {
        plan,
        uuid: rng.uuid(),
    }
}

/// A batch starting at `new.start`, its groups' first builds planned; a
/// batchspec the service would reject plans none.
pub(crate) fn new_batch(rng: &mut Rng, new: NewBatch) -> Batch {
    let version = new.source_version.as_deref().unwrap_or("refs/heads/main");
    let mut batch = Batch {
        uuid: rng.uuid(),
        project: new.project,
        profile: new.profile,
        number: 0,
        created: new.start,
        settings: new.settings,
        config: new.config,
        source_version: new.source_version.clone(),
        resolved_source_version: new.resolved.unwrap_or_else(|| rng.hex(40)),
        initiator: new.initiator,
        groups: Vec::new(),
        spec_error: None,
        run: Run {
            start: new.start,
            durations: durations(rng),
            stop_at: None,
        },
    };
    let allowed = batch.compute_types_allowed();
    batch.spec_error = problem(&new.groups, batch.max_builds(), allowed.as_deref());
    for draft in new.groups {
        let mut group = Group {
            identifier: draft.identifier,
            depends_on: draft.depends_on,
            ignore_failure: draft.ignore_failure,
            settings: draft.settings,
            recipe: draft.recipe,
            builds: Vec::new(),
            current: None,
            next: None,
        };
        if batch.spec_error.is_none() {
            group.next = Some(plan_group(rng, new.profile, &group, version, true));
        }
        batch.groups.push(group);
    }
    batch
}

/// Stores the group's build, starting at `start`.
fn start_group(state: &mut SimState, b: usize, g: usize, start: i64) {
    let batch = &mut state.batches.list[b];
    let cutoff = batch.cutoff();
    let arn = batch.arn(&state.place);
    let group = &mut batch.groups[g];
    let Some(planned) = group.next.take() else {
        return;
    };
    let build = Build {
        uuid: planned.uuid,
        project: batch.project.clone(),
        profile: batch.profile,
        number: 0,
        start,
        plan: planned.plan,
        // Builds still running when the batch times out are stopped then.
        stop_at: Some(cutoff),
        settings: Arc::clone(&group.settings),
        source_version: batch.source_version.clone(),
        resolved_source_version: batch.resolved_source_version.clone(),
        initiator: batch.initiator.clone(),
        batch_arn: Some(arn),
    };
    let idx = state.builds.len();
    state.insert(build);
    let group = &mut state.batches.list[b].groups[g];
    group.current = Some(idx);
    group.builds.push(idx);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    GroupStarts { batch: usize, group: usize },
    BatchEnds { batch: usize },
    Tick,
}

/// The earliest thing to happen; ties go group starts first, so build
/// numbers follow start times.
fn next_event(state: &SimState) -> Option<(i64, Event)> {
    let book = &state.batches;
    let mut events: Vec<(i64, Event)> = Vec::new();
    for &b in &book.live {
        let batch = &book.list[b];
        let view = simulate(batch, &state.builds);
        for (g, fate) in view.fates.iter().enumerate() {
            if let Fate::Runs { start, .. } = fate {
                if batch.groups[g].next.is_some() {
                    events.push((*start, Event::GroupStarts { batch: b, group: g }));
                }
            }
        }
        events.push((view.completed_at, Event::BatchEnds { batch: b }));
    }
    if book.demo.enabled {
        events.push((book.demo.next_tick, Event::Tick));
    }
    events.into_iter().min()
}

/// Handles every group start, batch end and demo tick up to `until`, in
/// time order, so the outcome does not depend on when anyone asks.
pub(crate) fn catch_up(state: &mut SimState, until: i64) {
    while let Some((t, event)) = next_event(state).filter(|(t, _)| *t <= until) {
        match event {
            Event::GroupStarts { batch, group } => start_group(state, batch, group, t),
            Event::BatchEnds { batch } => {
                state.batches.live.retain(|&b| b != batch);
                demo::on_batch_end(state, t);
            }
            Event::Tick => demo::on_tick(state, t),
        }
    }
    let demo = &mut state.batches.demo;
    demo.processed = demo.processed.max(until);
}

/// Stops the run at `now`: running group builds stop as StopBuild stops
/// them, and groups not started yet never start.
pub(crate) fn stop(book: &mut BatchBook, builds: &mut [Build], b: usize, now: i64) {
    let batch = &mut book.list[b];
    batch.run.stop_at = Some(batch.run.stop_at.map_or(now, |s| s.min(now)));
    for idx in batch.groups.iter().filter_map(|g| g.current) {
        if let Some(build) = builds.get_mut(idx).filter(|b| !b.is_complete_at(now)) {
            build.stop_at = Some(build.stop_at.map_or(now, |s| s.min(now)));
        }
    }
}

/// Starts a new run of a complete batch at `at`. Every group reruns, or
/// with `failed_only` those that did not succeed (including those that
/// never ran); the others keep their build. False when nothing would rerun.
pub(crate) fn retry(
    book: &mut BatchBook,
    builds: &[Build],
    rng: &mut Rng,
    b: usize,
    at: i64,
    failed_only: bool,
) -> bool {
    let batch = &mut book.list[b];
    let def = batch.profile;
    let succeeded = |g: &Group| {
        g.current
            .and_then(|idx| builds.get(idx))
            .is_some_and(|build| build.timeline().status == Status::Succeeded)
    };
    let rerun: Vec<bool> = batch
        .groups
        .iter()
        .map(|g| !failed_only || !succeeded(g))
        .collect();
    if !rerun.contains(&true) {
        return false;
    }
    let version = batch.source_version.clone().unwrap_or_default();
    for (group, rerun) in batch.groups.iter_mut().zip(rerun) {
        if rerun {
            group.current = None;
            group.next = Some(plan_group(rng, def, group, &version, false));
        }
    }
    batch.run = Run {
        start: at,
        durations: durations(rng),
        stop_at: None,
    };
    book.revive(b);
    true
}
