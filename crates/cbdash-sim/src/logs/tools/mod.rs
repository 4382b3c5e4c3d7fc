//! What the demo projects' commands print: a few fixed lines around a body
//! of seeded, realistic lines, sized to the time the command runs, and the
//! tool's own error output when it fails.

mod infra;
mod jvm;
mod node;
mod python;
mod rust;

use crate::reports::FailingTest;
use crate::rng::Rng;

/// One command as the agent runs it.
pub(crate) struct Run<'a> {
    pub command: &'a str,
    pub project: &'a str,
    pub src_dir: &'a str,
    /// Roughly how many lines to print.
    pub lines: usize,
    pub fails: bool,
    /// The tests it prints as failing (when it runs tests and fails).
    pub failures: &'a [FailingTest],
    /// The build's TEST report as (passed, failed) cases, when it has one:
    /// the totals a test runner prints are the report's.
    pub totals: Option<(usize, usize)>,
}

type Tool = fn(&Run, &mut Rng) -> Vec<String>;

/// Commands the catalog runs, by prefix; the first match wins.
const TOOLS: &[(&str, Tool)] = &[
    ("npm ci", node::npm_ci),
    ("npm test", node::jest),
    ("npm run lint", node::eslint),
    ("npm run build", node::bundle),
    ("npm ", node::script),
    ("cargo clippy", rust::clippy),
    ("cargo test", rust::test),
    ("cargo build", rust::build),
    ("rustup ", rust::rustup),
    ("docker push", infra::docker_push),
    ("aws s3 sync", infra::s3_sync),
    ("tfenv ", infra::tfenv),
    ("terraform init", infra::terraform_init),
    ("terraform validate", infra::terraform_validate),
    ("terraform plan", infra::terraform_plan),
    ("terraform apply", infra::terraform_apply),
    ("make ", infra::make),
    ("mvn ", jvm::maven),
    ("./gradlew ", jvm::gradle),
    ("yes | sdkmanager", jvm::sdk_licenses),
    ("pip install", python::pip),
    ("python -m mypy", python::mypy),
    ("pytest", python::pytest),
    ("python -m pipeline", python::pipeline),
    ("mkdocs ", python::mkdocs),
];

/// What `run.command` prints.
pub(crate) fn output(run: &Run, rng: &mut Rng) -> Vec<String> {
    let tool = TOOLS
        .iter()
        .find(|(prefix, _)| run.command.starts_with(prefix))
        .map_or(generic as Tool, |(_, tool)| *tool);
    tool(run, rng)
}

/// `head`, then body lines until about `run.lines` in all, then the tail.
pub(super) fn assemble(
    run: &Run,
    rng: &mut Rng,
    head: Vec<String>,
    mut body: impl FnMut(&mut Rng, usize) -> String,
    tail: Vec<String>,
) -> Vec<String> {
    let count = run.lines.saturating_sub(head.len() + tail.len()).max(1);
    let mut out = head;
    out.extend((0..count).map(|i| body(rng, i)));
    out.extend(tail);
    out
}

pub(super) fn lines(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_string()).collect()
}

/// Seconds as tools print a duration, e.g. "2m 13s".
pub(super) fn minutes(secs: f64) -> String {
    let secs = secs.max(0.0).round() as u64;
    match secs / 60 {
        0 => format!("{secs}s"),
        m => format!("{m}m {}s", secs % 60),
    }
}

/// A command the catalog does not know, e.g. from a buildspec override.
fn generic(run: &Run, rng: &mut Rng) -> Vec<String> {
    const STEPS: [&str; 5] = [
        "checking",
        "resolving",
        "processing",
        "writing",
        "verifying",
    ];
    let tail = if run.fails {
        lines(&["error: step failed, see above"])
    } else {
        lines(&["done"])
    };
    assemble(
        run,
        rng,
        vec![format!("+ {}", run.command)],
        |rng, i| format!("{} item {} of {}", rng.pick(&STEPS), i + 1, run.lines),
        tail,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(command: &str, fails: bool) -> Vec<String> {
        let run = Run {
            command,
            project: "api-service",
            src_dir: "/codebuild/output/src1/src/github.com/example/api-service",
            lines: 40,
            fails,
            failures: &[],
            totals: None,
        };
        output(&run, &mut Rng::new(3))
    }

    #[test]
    fn tools_print_single_lines_and_at_most_about_as_many_as_asked() {
        // Some tools (eslint, mypy, terraform init) say little whatever the time.
        for (prefix, _) in TOOLS {
            for fails in [false, true] {
                let printed = run(&format!("{prefix}x"), fails);
                assert!(
                    (1..=70).contains(&printed.len()),
                    "{prefix}: {}",
                    printed.len()
                );
                assert!(printed.iter().all(|l| !l.contains('\n')), "{prefix}");
            }
        }
        assert!(run("npm test", false).len() >= 40);
    }

    #[test]
    fn durations_read_like_tool_output() {
        assert_eq!(minutes(42.4), "42s");
        assert_eq!(minutes(133.0), "2m 13s");
    }
}
