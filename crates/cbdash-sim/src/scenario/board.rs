//! Project histories worth a projects board: one project red since this
//! morning, one flaky (a commit fails, then passes on its retry), one
//! slowing down over the week, one whose builds wait minutes for capacity,
//! and healthy ones whose ordinary failures are rare.
//!
//! A role bends the builds the scenario makes anyway, as the regression
//! does, with choices drawn from the build's own id so the scenario's
//! random streams (and so every other build) stay as they were. The demo
//! adds a few builds of these projects so each has a week's worth.

use std::sync::Arc;

use super::super::build::Build;
use super::super::catalog::{Catalog, ProjectDef, PROJECTS};
use super::super::clock::{HOUR, MINUTE, SECOND};
use super::super::logs::hash;
use super::super::phase::{Context, Phase, Status};
use super::super::plan_gen::random_build;
use super::super::rng::Rng;
use super::super::state::SimState;
use super::super::timeline::Ending;

/// What a project's history shows on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Every build since [`RED_SINCE`] before t0 fails.
    Red,
    /// Builds fail now and then, and the next build retries the commit and
    /// passes.
    Flaky,
    /// Builds take longer and longer over the history.
    Slowing,
    /// Builds wait 4 to 8 minutes in QUEUED and PROVISIONING.
    LongQueue,
    /// Ordinary failures are rare.
    Healthy,
}

/// The demo's projects and their roles.
pub(crate) const DEMO_ROLES: &[(&str, Role)] = &[
    ("infra-terraform", Role::Red),
    ("web-frontend", Role::Flaky),
    ("api-service", Role::Slowing),
    ("mobile-app", Role::LongQueue),
    ("docs-site", Role::Healthy),
    ("payments-api", Role::Healthy),
];

/// "This morning": the red project's builds fail from 3h12m before the
/// scenario's start on.
pub(crate) const RED_SINCE: i64 = 3 * HOUR + 12 * MINUTE;

/// In the busy account, every derived project at these positions (of
/// [`BUSY_CYCLE`]) has the role.
const BUSY_CYCLE: usize = 24;
const BUSY_ROLES: &[(usize, Role)] = &[
    (0, Role::Red),
    (6, Role::Flaky),
    (12, Role::Slowing),
    (18, Role::LongQueue),
];

/// How often a flaky project's build fails on its own.
const FLAKY_FAILS: f64 = 0.25;
/// How many of the ordinary failures of a role's project are turned into
/// passes.
const HEALTHY_PASSES: f64 = 0.85;
/// The slowing project's whole build, a history's length apart.
const SLOW_FROM: f64 = 3.5 * 60.0;
const SLOW_TO: f64 = 9.5 * 60.0;

/// What the demo adds to its random history, per role, so every role's
/// project has some 50 builds or more in the week.
fn demo_extra(role: Role) -> usize {
    match role {
        Role::Red => 36,
        Role::Flaky => 4,
        Role::Slowing => 12,
        Role::LongQueue => 28,
        Role::Healthy => 30,
    }
}

/// The role of `project` in `catalog`'s world, if it has one.
pub(crate) fn role_of(catalog: &'static Catalog, project: &str) -> Option<Role> {
    if std::ptr::eq(catalog, Catalog::demo()) {
        return DEMO_ROLES
            .iter()
            .find(|(name, _)| *name == project)
            .map(|(_, role)| *role);
    }
    let derived = catalog.index_of(project)?.checked_sub(PROJECTS.len())?;
    BUSY_ROLES
        .iter()
        .find(|(at, _)| derived % BUSY_CYCLE == *at)
        .map(|(_, role)| *role)
}

/// The span of history a world's roles play over (for the slowing one).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    pub from: i64,
    /// The scenario's start, t0.
    pub to: i64,
}

fn build_rng(build: &Build) -> Rng {
    Rng::new(hash(&build.uuid) ^ 0xb0a2_d000)
}

/// A failing BUILD: the red project's last build command (its plan, or
/// bundle), other roles' first (their tests).
fn fail(build: &mut Build, role: Role) {
    let cmds = build.profile.build_cmds;
    let command = match role {
        Role::Red => cmds.last(),
        _ => cmds.first(),
    };
    build.plan.ending = Ending::Breaks {
        phase: Phase::Build,
        status: Status::Failed,
        context: Context::command_failed(command.copied().unwrap_or("make"), 1),
    };
    clean(build);
}

/// No stop and no hang: the build ends as its plan says.
fn clean(build: &mut Build) {
    build.stop_at = None;
    build.plan.idle = None;
    let most = (build.profile.build_secs.1 * 1000.0) as i64;
    let phase = &mut build.plan.durations[Phase::Build.index()];
    *phase = (*phase).min(most);
}

fn pass(build: &mut Build) {
    build.plan.ending = Ending::Success;
    clean(build);
}

fn ordinary(build: &Build) -> bool {
    build.plan.ending == Ending::Success && build.stop_at.is_none() && build.plan.idle.is_none()
}

/// Turns most of an ordinary build's failures (and stops, and hangs)
/// into passes.
fn mostly_green(build: &mut Build, rng: &mut Rng) {
    if !ordinary(build) && rng.chance(HEALTHY_PASSES) {
        pass(build);
    }
}

/// Bends a build of a project with a role; others are left alone.
pub(crate) fn bend(build: &mut Build, role: Option<Role>, span: Span) {
    let Some(role) = role else {
        return;
    };
    let mut rng = build_rng(build);
    match role {
        Role::Red if build.start >= span.to - RED_SINCE => fail(build, role),
        // The hour before it broke was green.
        Role::Red if build.start >= span.to - RED_SINCE - HOUR => pass(build),
        Role::Red | Role::Healthy => mostly_green(build, &mut rng),
        Role::Flaky => {
            mostly_green(build, &mut rng);
            if rng.chance(FLAKY_FAILS) {
                fail(build, role);
            }
        }
        Role::Slowing => {
            // Now and then its tests fail, which does not shorten the build.
            if rng.chance(0.05) {
                fail(build, role);
            } else {
                pass(build);
            }
            let progress = ((build.start - span.from) as f64 / (span.to - span.from).max(1) as f64)
                .clamp(0.0, 1.0);
            // Faster lately: a board's 50 builds span the last few days.
            let whole =
                (SLOW_FROM + (SLOW_TO - SLOW_FROM) * progress * progress) * rng.range(0.92, 1.08);
            let d = &mut build.plan.durations;
            let others: i64 = d.iter().sum::<i64>() - d[Phase::Build.index()];
            d[Phase::Build.index()] = ((whole * 1000.0) as i64 - others).max(30 * SECOND);
        }
        Role::LongQueue => {
            mostly_green(build, &mut rng);
            build.plan.durations[Phase::Queued.index()] = rng.secs_ms(190.0, 400.0);
            build.plan.durations[Phase::Provisioning.index()] = rng.secs_ms(45.0, 80.0);
        }
    }
}

/// A flaky project's build right after one of its failures retries that
/// commit, and passes.
pub(crate) fn retry(state: &SimState, build: &mut Build, role: Option<Role>) {
    if role != Some(Role::Flaky) {
        return;
    }
    let listed = state.listed(Some(&build.project));
    let Some(prev) = listed.last().map(|&i| &state.builds[i]) else {
        return;
    };
    let timeline = prev.timeline();
    if timeline.status == Status::Failed && timeline.completed_at <= build.start {
        build.resolved_source_version = prev.resolved_source_version.clone();
        build.source_version = prev.source_version.clone();
        build.initiator = prev.initiator.clone();
        pass(build);
    }
}

/// The demo's extra builds of its role projects over `[from, to)`, and
/// for the red one, a few since the morning and one just before it.
pub(crate) fn demo_extras(state: &mut SimState, rng: &mut Rng, span: Span, to: i64) -> Vec<Build> {
    let mut extras = Vec::new();
    for (name, role) in DEMO_ROLES {
        let Some(def) = state.catalog.find(name) else {
            continue;
        };
        let mut starts: Vec<i64> = (0..demo_extra(*role))
            .map(|_| super::office_hours_time(rng, span.from, to))
            .collect();
        if *role == Role::Red {
            let morning = span.to - RED_SINCE;
            starts.push(morning - rng.secs_ms(15.0 * 60.0, 40.0 * 60.0));
            // Its builds take ten minutes at most: these end before `to`.
            for k in 0..4 {
                starts.push(morning + k * 16 * MINUTE + rng.secs_ms(30.0, 300.0));
            }
        }
        for start in starts {
            extras.push(make(state, rng, def, start));
        }
    }
    extras.sort_by_key(|b| b.start);
    extras
}

fn make(state: &mut SimState, rng: &mut Rng, def: &'static ProjectDef, start: i64) -> Build {
    let settings = state.arrival_settings(def, None);
    random_build(rng, def, Arc::clone(&settings), start)
}
