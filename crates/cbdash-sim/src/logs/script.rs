//! Every line a build writes, laid out over its phases: the agent's
//! `[Container]` lines around each phase and command, and the commands'
//! own output in between.
//!
//! Each phase is laid out over its planned duration with a generator
//! seeded by the build and the phase, then cut where a stop or the timeout
//! ended it, so the lines before a cut never depend on it.

use chrono::{DateTime, Utc};

use super::tools::{self, Run};
use super::Event;
use crate::build::Build;
use crate::catalog::ProjectDef;
use crate::clock::to_datetime;
use crate::phase::{Phase, Status};
use crate::plan_gen::KILLED;
use crate::render::str_field;
use crate::reports::{failing_for, test_cases, Runner};
use crate::rng::Rng;
use crate::timeline::{Ending, Span};

/// A line before its timestamp is known.
enum Text {
    /// Written by the CodeBuild agent, prefixed with `[Container]` and time.
    Agent(String),
    /// Written by a command, as it printed it.
    Raw(String),
}

use Text::{Agent, Raw};

/// How a phase's body sits in its time window.
#[derive(Clone, Copy, PartialEq)]
enum Spread {
    Even,
    /// Bunched just before the end (DOWNLOAD_SOURCE reads the buildspec
    /// once the source has arrived).
    AtEnd,
}

struct Ctx<'a> {
    build: &'a Build,
    def: &'static ProjectDef,
    seed: u64,
    src_root: String,
    src_dir: String,
}

/// FNV-1a, so that lines derive from the build's identity alone.
pub(crate) fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every event the build writes over its whole life, oldest first.
pub(crate) fn script(build: &Build) -> Vec<Event> {
    let seed = hash(&build.uuid);
    let src_root = format!(
        "/codebuild/output/src{}/src",
        100_000_000 + seed % 900_000_000
    );
    let ctx = Ctx {
        build,
        def: build.profile,
        seed,
        src_dir: format!("{src_root}/github.com/example/{}", build.project),
        src_root,
    };
    let mut timed = Vec::new();
    for span in &build.timeline().spans {
        if (Phase::DownloadSource..=Phase::UploadArtifacts).contains(&span.phase) {
            lay_out(&ctx, span, &mut timed);
        }
    }
    let mut stamp = Stamp {
        seed,
        last: (i64::MIN, 0),
    };
    timed
        .into_iter()
        .map(|(at, text)| stamp.event(at, text))
        .collect()
}

fn lay_out(ctx: &Ctx, span: &Span, timed: &mut Vec<(i64, Text)>) {
    let mut rng = Rng::for_stream(ctx.seed, span.phase.index() as u64);
    let (opening, body, spread) = content(ctx, span, &mut rng);
    let start = span.start;
    let end = start + ctx.build.plan.durations[span.phase.index()];
    let cut = span.end < end;
    // Agent lines around a phase come within a few hundred milliseconds.
    let edge = ((end - start) / 20).min(300);
    let first = timed.len();
    for (i, text) in opening.into_iter().enumerate() {
        timed.push((start + edge * i as i64 / 4, text));
    }
    let (from, width) = match spread {
        Spread::Even => (start + edge, end - start - 2 * edge),
        Spread::AtEnd => (end - 2 * edge, edge),
    };
    let n = body.len().max(1) as f64;
    for (i, text) in body.into_iter().enumerate() {
        let at = (i as f64 + rng.unit()) / n;
        timed.push((from + (width as f64 * at) as i64, text));
    }
    if cut {
        // Whatever was visible at the cut stays.
        let kept = timed[first..]
            .iter()
            .take_while(|(at, _)| *at <= span.end)
            .count();
        timed.truncate(first + kept);
    }
    let close_at = if cut { span.end } else { end - edge / 2 };
    for text in closing(span) {
        timed.push((close_at, text));
    }
}

/// Turns timed lines into events, giving agent lines microseconds that
/// keep increasing within a millisecond.
struct Stamp {
    seed: u64,
    /// The last (timestamp, microseconds within it) handed out.
    last: (i64, u64),
}

impl Stamp {
    fn event(&mut self, timestamp: i64, text: Text) -> Event {
        let mix = self.seed.wrapping_add(timestamp as u64);
        let jitter = mix.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 54;
        let mut micro = jitter % 1000;
        if self.last.0 == timestamp {
            micro = micro.max(self.last.1 + 1).min(999);
        }
        self.last = (timestamp, micro);
        let message = match text {
            Agent(line) => {
                let micros = timestamp.rem_euclid(1000) * 1000 + micro as i64;
                let time: DateTime<Utc> = to_datetime(timestamp);
                format!(
                    "[Container] {}.{micros:06} {line}",
                    time.format("%Y/%m/%d %H:%M:%S")
                )
            }
            // CloudWatch Logs takes no empty message: a blank line the build
            // prints arrives as its newline alone.
            Raw(line) if line.is_empty() => "\n".to_string(),
            Raw(line) => line,
        };
        Event {
            timestamp,
            message,
            // The service ingests a batch of lines shortly after they are written.
            ingestion: timestamp + 150 + (jitter % 600) as i64,
        }
    }
}

fn closing(span: &Span) -> [Text; 2] {
    [
        Agent(format!(
            "Phase complete: {} State: {}",
            span.phase.name(),
            span.status.name()
        )),
        Agent(format!(
            "Phase context status code: {} Message: {}",
            span.context.code, span.context.message
        )),
    ]
}

fn content(ctx: &Ctx, span: &Span, rng: &mut Rng) -> (Vec<Text>, Vec<Text>, Spread) {
    let secs = ctx.build.plan.durations[span.phase.index()] as f64 / 1000.0;
    match span.phase {
        Phase::DownloadSource => {
            let opening = [
                "Running on CodeBuild On-demand",
                "Waiting for agent ping",
                "Waiting for DOWNLOAD_SOURCE",
            ];
            let body = if span.status == Status::Failed {
                Vec::new()
            } else {
                source_ready(ctx)
            };
            (agent_lines(&opening), body, Spread::AtEnd)
        }
        Phase::UploadArtifacts => (Vec::new(), upload(ctx, span, rng), Spread::Even),
        phase => {
            let opening = vec![Agent(format!("Entering phase {}", phase.name()))];
            let lines = match phase {
                Phase::Install => secs / 3.0,
                Phase::Build => secs * rng.range(0.55, 0.95),
                _ => secs / 2.0,
            };
            let lines = lines.round().clamp(2.0, 20_000.0) as usize;
            let body = commands(ctx, phase, lines, rng);
            (opening, body, Spread::Even)
        }
    }
}

fn agent_lines(lines: &[&str]) -> Vec<Text> {
    lines.iter().map(|l| Agent((*l).to_string())).collect()
}

fn source_ready(ctx: &Ctx) -> Vec<Text> {
    let build_cmds = ctx.def.build_cmds.len();
    let dir = &ctx.src_dir;
    let mut lines = vec![
        "Phase is DOWNLOAD_SOURCE".to_string(),
        format!("CODEBUILD_SRC_DIR={dir}"),
        format!("YAML location is {}/buildspec.yml", ctx.src_root),
        "Setting HTTP client timeout to higher timeout for Github and GitHub Enterprise sources"
            .to_string(),
        "Processing environment variables".to_string(),
        "No runtime version selected in buildspec.".to_string(),
        format!("Moving to directory {dir}"),
        "Cache is not defined in the buildspec".to_string(),
        "Skip cache due to: no paths specified to be cached".to_string(),
        "Registering with agent".to_string(),
        "Phases found in YAML: 4".to_string(),
    ];
    for (phase, count) in [
        ("INSTALL", 1),
        ("PRE_BUILD", 1),
        ("BUILD", build_cmds),
        ("POST_BUILD", 1),
    ] {
        lines.push(format!(" {phase}: {count} commands"));
    }
    lines.into_iter().map(Agent).collect()
}

/// (command, exit status) of a failure context the simulator wrote.
fn failed_command(message: &str) -> Option<(&str, &str)> {
    message
        .strip_prefix("Error while executing command: ")?
        .rsplit_once(". Reason: exit status ")
}

fn commands(ctx: &Ctx, phase: Phase, lines: usize, rng: &mut Rng) -> Vec<Text> {
    let d = ctx.def;
    let listed: Vec<&str> = match phase {
        Phase::Install => vec![d.install_cmd],
        Phase::PreBuild => vec![d.pre_build_cmd],
        Phase::Build => d.build_cmds.to_vec(),
        Phase::PostBuild => vec![d.post_build_cmd],
        _ => Vec::new(),
    };
    let failure = match &ctx.build.plan.ending {
        Ending::Breaks {
            phase: failing,
            context,
            ..
        } if *failing == phase => failed_command(&context.message),
        _ => None,
    };
    // A failing command ends its phase; one the buildspec does not list
    // (a batch group's) runs on its own.
    let run: Vec<&str> = match failure {
        Some((cmd, _)) => match listed.iter().position(|c| *c == cmd) {
            Some(i) => listed[..=i].to_vec(),
            None => vec![cmd],
        },
        None => listed,
    };
    let fixed = ctx
        .build
        .plan
        .output
        .as_ref()
        .filter(|_| phase == Phase::Build);
    let per_command = (lines / run.len().max(1)).max(2);
    let killed = failure.is_some_and(|(_, status)| status == KILLED.to_string());
    let mut out = Vec::new();
    for (i, cmd) in run.iter().enumerate() {
        out.push(Agent(format!("Running command {cmd}")));
        let fails = failure.is_some() && i + 1 == run.len();
        let printed = match fixed {
            Some(fixed) if i + 1 == run.len() => fixed.clone(),
            Some(_) => Vec::new(),
            None => tools::output(
                &Run {
                    command: cmd,
                    project: &ctx.build.project,
                    src_dir: &ctx.src_dir,
                    lines: per_command,
                    fails,
                    failures: match Runner::of(cmd) {
                        Some(runner) if fails && !killed => failing_for(ctx.build, runner),
                        _ => &[],
                    },
                    totals: Runner::of(cmd).map(|runner| {
                        let cases = test_cases(ctx.build, runner);
                        let failed = cases.iter().filter(|c| c.status == "FAILED").count();
                        let passed = cases.iter().filter(|c| c.status == "SUCCEEDED").count();
                        (passed, failed)
                    }),
                },
                rng,
            ),
        };
        out.extend(printed.into_iter().map(Raw));
        if let (true, Some((_, status))) = (fails, failure) {
            // The shell reports the OOM killer's SIGKILL before the agent
            // sees exit status 137.
            if status == KILLED.to_string() {
                out.push(Raw("Killed".to_string()));
            }
            out.push(Agent(format!(
                "Command did not exit successfully {cmd} exit status {status}"
            )));
        }
    }
    out
}

fn upload(ctx: &Ctx, span: &Span, rng: &mut Rng) -> Vec<Text> {
    let mut lines = Vec::new();
    let artifacts = &ctx.build.settings.artifacts;
    if str_field(artifacts, "type") == Some("S3") {
        lines.extend([
            "Expanding base directory path: dist",
            "Assembling file list",
            "Expanding dist",
        ]);
        if span.status == Status::Failed {
            lines.push("Skipping invalid file path dist");
            return agent_lines(&lines);
        }
        lines.extend([
            "Expanding file paths for base directory dist",
            "Assembling file list",
            "Expanding **/*",
        ]);
    }
    let mut out = agent_lines(&lines);
    if !lines.is_empty() {
        out.push(Agent(format!("Found {} file(s)", 12 + rng.below(180))));
    }
    out.extend(agent_lines(&[
        "Set report auto-discover timeout to 5 seconds",
        "Expanding base directory path:  .",
        "Assembling file list",
        "Expanding .",
        "Expanding file paths for base directory .",
        "Assembling file list",
        "Expanding **/*",
        "No matching auto-discover report paths found",
    ]));
    out.push(Agent(format!(
        "Report auto-discover file discovery took {:.6} seconds",
        rng.range(0.01, 0.2)
    )));
    out
}
