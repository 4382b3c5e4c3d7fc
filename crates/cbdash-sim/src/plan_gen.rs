//! Seeded, realistic choices for new builds: phase durations, outcomes,
//! who started them and which source version they build.

use std::sync::Arc;

use super::build::{Build, Settings};
use super::catalog::ProjectDef;
use super::clock::MINUTE;
use super::phase::{Context, Phase, Status};
use super::rng::Rng;
use super::timeline::{Ending, Plan};
use super::Outcome;

/// Realistic duration of every phase, in milliseconds.
pub(crate) fn durations(rng: &mut Rng, def: &ProjectDef) -> [i64; 10] {
    let upload = if def.uploads_artifacts {
        (2.0, 20.0)
    } else {
        (0.3, 2.0)
    };
    // Most builds barely queue; a few wait for capacity.
    let queued = rng.unit().powi(3) * 40.0;
    [
        rng.secs_ms(0.2, 1.2),
        (queued * 1000.0).round() as i64,
        rng.secs_ms(15.0, 60.0),
        rng.secs_ms(2.0, 15.0),
        rng.secs_ms(8.0, 90.0),
        rng.secs_ms(3.0, 40.0),
        rng.secs_ms(def.build_secs.0, def.build_secs.1),
        rng.secs_ms(1.0, 25.0),
        rng.secs_ms(upload.0, upload.1),
        rng.secs_ms(1.0, 6.0),
    ]
}

pub(crate) fn random_source_version(rng: &mut Rng) -> String {
    const BRANCHES: [&str; 4] = [
        "refs/heads/feature/checkout-v2",
        "refs/heads/fix/flaky-login-test",
        "refs/heads/chore/bump-deps",
        "refs/heads/feature/metrics-export",
    ];
    match rng.weighted(&[35.0, 25.0, 25.0, 15.0]) {
        0 => "refs/heads/main".to_string(),
        1 => "main".to_string(),
        2 => format!("pr/{}", 100 + rng.below(380)),
        _ => rng.pick(&BRANCHES).to_string(),
    }
}

pub(crate) fn random_initiator(rng: &mut Rng, source_version: &str) -> String {
    const PEOPLE: [&str; 4] = ["alice", "bob", "carol", "dmitri"];
    if source_version.starts_with("pr/") {
        return format!("GitHub-Hookshot/{}", rng.hex(7));
    }
    match rng.weighted(&[40.0, 30.0, 30.0]) {
        0 => rng.pick(&PEOPLE).to_string(),
        1 => "codepipeline/deploy-pipeline".to_string(),
        _ => format!("GitHub-Hookshot/{}", rng.hex(7)),
    }
}

/// The command a failing phase reports, taken from the project's buildspec.
fn failing_command(rng: &mut Rng, def: &ProjectDef, phase: Phase) -> String {
    match phase {
        Phase::Install => def.install_cmd.to_string(),
        Phase::PreBuild => def.pre_build_cmd.to_string(),
        Phase::PostBuild => def.post_build_cmd.to_string(),
        _ => rng.pick(def.build_cmds).to_string(),
    }
}

/// What the kernel's OOM killer leaves a command with (128 + SIGKILL).
pub(crate) const KILLED: u32 = 137;

fn exit_status(command: &str) -> u32 {
    // make reports failed recipes with status 2.
    if command.starts_with("make ") {
        2
    } else {
        1
    }
}

/// How a phase breaks; `command` matters only for command phases.
fn breaks(phase: Phase, command: &str, source_version: &str) -> Option<Ending> {
    let context = match phase {
        Phase::Install | Phase::PreBuild | Phase::Build | Phase::PostBuild => {
            Context::command_failed(command, exit_status(command))
        }
        Phase::DownloadSource => Context::repository_not_found(source_version),
        Phase::UploadArtifacts => Context::no_artifacts_found(),
        _ => return None,
    };
    Some(Ending::Breaks {
        phase,
        status: Status::Failed,
        context,
    })
}

/// BUILD's command killed for lack of memory.
fn out_of_memory(command: &str) -> Ending {
    Ending::Breaks {
        phase: Phase::Build,
        status: Status::Failed,
        context: Context::command_failed(command, KILLED),
    }
}

/// Whether the project's working set does not fit the compute type.
fn outgrows(def: &ProjectDef, settings: &Settings) -> bool {
    def.resources.peak_mb > settings.capacity().memory_mb
}

fn fault(settings: &Settings) -> Ending {
    Ending::Breaks {
        phase: Phase::Provisioning,
        status: Status::Fault,
        context: Context::image_pull_failed(settings.image()),
    }
}

/// Makes BUILD outlast the timeout so the deadline ends it; the build
/// hangs (goes idle) a few minutes into BUILD and stays so: what the
/// second value says, as [`Plan::idle`] does.
fn outlast_timeout(rng: &mut Rng, durations: &mut [i64; 10], timeout_minutes: u32) -> (i64, i64) {
    let build = &mut durations[Phase::Build.index()];
    *build = (*build).max(i64::from(timeout_minutes) * MINUTE + 10 * MINUTE);
    let after = rng.secs_ms(90.0, 360.0).min(*build / 4);
    (after, *build - after)
}

/// A realistic mix of outcomes; the second value is a planned stop time
/// (somebody stopping the build part-way).
pub(crate) fn random_plan(
    rng: &mut Rng,
    def: &ProjectDef,
    settings: &Settings,
    source_version: &str,
    start: i64,
) -> (Plan, Option<i64>) {
    let mut durations = durations(rng, def);
    let mut stop_at = None;
    let mut idle = None;
    // A project that outgrows its compute type mostly dies for it.
    if outgrows(def, settings) && rng.chance(0.8) {
        let command = rng.pick(def.build_cmds).to_string();
        let plan = Plan {
            durations,
            ending: out_of_memory(&command),
            output: None,
            idle: None,
        };
        return (plan, None);
    }
    let ending = match rng.weighted(&[78.0, 13.0, 3.0, 4.0, 2.0]) {
        0 => Ending::Success,
        1 => {
            let phase = match rng.weighted(&[8.0, 10.0, 12.0, 60.0, 5.0, 5.0]) {
                0 => Phase::DownloadSource,
                1 => Phase::Install,
                2 => Phase::PreBuild,
                3 => Phase::Build,
                4 => Phase::PostBuild,
                _ => Phase::UploadArtifacts,
            };
            let command = failing_command(rng, def, phase);
            breaks(phase, &command, source_version).unwrap_or(Ending::Success)
        }
        2 => {
            idle = Some(outlast_timeout(
                rng,
                &mut durations,
                settings.timeout_minutes,
            ));
            Ending::Success
        }
        3 => {
            let total: i64 = durations.iter().sum();
            stop_at = Some(start + (total as f64 * rng.range(0.15, 0.85)) as i64);
            Ending::Success
        }
        _ => fault(settings),
    };
    (
        Plan {
            durations,
            ending,
            output: None,
            idle,
        },
        stop_at,
    )
}

/// A build of `def` starting at `start`; the build number is assigned when
/// it is stored.
pub(crate) fn random_build(
    rng: &mut Rng,
    def: &'static ProjectDef,
    settings: Arc<Settings>,
    start: i64,
) -> Build {
    let source_version = random_source_version(rng);
    let initiator = random_initiator(rng, &source_version);
    let (plan, stop_at) = random_plan(rng, def, &settings, &source_version, start);
    Build {
        uuid: rng.uuid(),
        project: def.name.to_string(),
        profile: def,
        number: 0,
        start,
        plan,
        stop_at,
        settings,
        source_version: Some(source_version),
        resolved_source_version: rng.hex(40),
        initiator,
        batch_arn: None,
    }
}

/// The plan a fixture asks for. Panics on a phase name the outcome cannot
/// use, since that is a mistake in the calling test.
// A fixture naming an unknown phase is a mistake in its caller.
#[allow(clippy::panic)]
pub(crate) fn plan_for_outcome(
    rng: &mut Rng,
    def: &ProjectDef,
    settings: &Settings,
    outcome: &Outcome,
    phase_secs: Option<&[(String, f64)]>,
    source_version: &str,
) -> Plan {
    let mut durations = durations(rng, def);
    let mut idle = None;
    for (name, secs) in phase_secs.unwrap_or_default() {
        match Phase::parse(name) {
            Some(Phase::Completed) => {}
            Some(phase) => durations[phase.index()] = (secs.max(0.0) * 1000.0).round() as i64,
            None => panic!("unknown phase {name:?} in BuildSpec::phase_secs"),
        }
    }
    let ending = match outcome {
        Outcome::Succeed => Ending::Success,
        Outcome::FailIn { phase, command } => {
            let parsed = Phase::parse(phase);
            let command = if command.is_empty() {
                parsed.map_or_else(String::new, |p| failing_command(rng, def, p))
            } else {
                command.clone()
            };
            parsed
                .and_then(|p| breaks(p, &command, source_version))
                .unwrap_or_else(|| {
                    panic!(
                        "Outcome::FailIn phase must be one of DOWNLOAD_SOURCE, INSTALL, \
                         PRE_BUILD, BUILD, POST_BUILD, UPLOAD_ARTIFACTS; got {phase:?}"
                    )
                })
        }
        Outcome::TimeOut => {
            idle = Some(outlast_timeout(
                rng,
                &mut durations,
                settings.timeout_minutes,
            ));
            Ending::Success
        }
        Outcome::OutOfMemory { command } => {
            let command = match command.as_str() {
                "" => rng.pick(def.build_cmds).to_string(),
                named => named.to_string(),
            };
            out_of_memory(&command)
        }
        Outcome::Fault => fault(settings),
    };
    Plan {
        durations,
        ending,
        output: None,
        idle,
    }
}
