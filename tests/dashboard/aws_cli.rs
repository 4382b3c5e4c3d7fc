//! The AWS CLI against `cbdash sim --scenario empty`, a local CodeBuild:
//! a project created, a build followed through its phases, another
//! stopped, both deleted, the project deleted. Needs `aws` on PATH, so it
//! is run apart: `cargo test --test dashboard -- --ignored aws_cli`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::sdk::{cli, cli_json, ROLE, SEQUENCE};

/// `cbdash sim` on a free port; killed when dropped.
struct Served {
    child: Child,
    endpoint: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cbdash sim` with `args`, once it says where it listens.
fn serve(args: &[&str]) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cbdash"))
        .args(["sim", "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cbdash sim starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a line on stdout");
    let endpoint = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no endpoint in {first:?}"))
        .to_string();
    Served { child, endpoint }
}

/// Polls until the CLI sees build `id` complete: every currentPhase it
/// saw, once each, and the last answer.
fn follow_build(endpoint: &str, id: &str) -> (Vec<String>, Value) {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..600 {
        let got = cli_json(endpoint, &["batch-get-builds", "--ids", id]);
        let build = got["builds"][0].clone();
        let phase = build["currentPhase"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if seen.last() != Some(&phase) {
            seen.push(phase);
        }
        if build["buildComplete"] == true {
            return (seen, build);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("build {id} never completed: {seen:?}");
}

#[test]
#[ignore = "needs the AWS CLI"]
fn aws_cli_uses_cbdash_sim_as_a_local_codebuild() {
    // Ten simulated seconds a second: a build of a few minutes takes long
    // enough for the CLI to see its phases go by.
    let sim = serve(&["--scenario", "empty", "--speed", "10"]);
    let e = sim.endpoint.as_str();
    let none = cli_json(e, &["list-projects"]);
    assert_eq!(none["projects"], serde_json::json!([]), "{none}");
    let create = [
        "create-project",
        "--name",
        "cli-app",
        "--source",
        "type=GITHUB,location=https://github.com/example/cli-app.git",
        "--artifacts",
        "type=NO_ARTIFACTS",
        "--environment",
        "type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL",
        "--service-role",
        ROLE,
    ];
    let created = cli_json(e, &create);
    assert_eq!(
        created["project"]["arn"],
        "arn:aws:codebuild:us-east-1:123456789012:project/cli-app"
    );
    assert_eq!(created["project"]["timeoutInMinutes"], 60);
    let again = cli(e, &create);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success());
    assert!(
        stderr.contains("(ResourceAlreadyExistsException)"),
        "{stderr}"
    );

    let started = cli_json(e, &["start-build", "--project-name", "cli-app"]);
    let id = started["build"]["id"].as_str().expect("id").to_string();
    assert_eq!(started["build"]["buildStatus"], "IN_PROGRESS");
    let (seen, done) = follow_build(e, &id);
    let order: Vec<usize> = seen
        .iter()
        .map(|p| SEQUENCE.iter().position(|s| s == p).expect("a known phase"))
        .collect();
    assert!(
        seen.len() >= 3 && order.windows(2).all(|w| w[0] < w[1]),
        "{seen:?}"
    );
    let status = done["buildStatus"].as_str().unwrap_or_default();
    assert!(
        ["SUCCEEDED", "FAILED", "FAULT", "TIMED_OUT"].contains(&status),
        "{done}"
    );

    let second = cli_json(e, &["start-build", "--project-name", "cli-app"]);
    let second = second["build"]["id"].as_str().expect("id").to_string();
    let stopped = cli_json(e, &["stop-build", "--id", &second]);
    assert_eq!(stopped["build"]["id"], second.as_str());
    assert_eq!(stopped["build"]["buildStatus"], "STOPPED");
    assert_eq!(stopped["build"]["buildComplete"], true);

    let deleted = cli_json(e, &["batch-delete-builds", "--ids", &id, &second]);
    let arns: Vec<&str> = deleted["buildsDeleted"]
        .as_array()
        .expect("buildsDeleted")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(arns.len(), 2, "{deleted}");
    assert!(arns[0].ends_with(&format!(":build/{id}")), "{deleted}");
    let gone = cli_json(e, &["batch-get-builds", "--ids", &id]);
    assert_eq!(gone["buildsNotFound"][0], id.as_str());
    let listed = cli_json(e, &["list-builds"]);
    assert_eq!(listed["ids"], serde_json::json!([]), "{listed}");

    let removed = cli(e, &["delete-project", "--name", "cli-app"]);
    assert!(
        removed.status.success(),
        "{}",
        String::from_utf8_lossy(&removed.stderr)
    );
    let none = cli_json(e, &["list-projects"]);
    assert_eq!(none["projects"], serde_json::json!([]), "{none}");
}
