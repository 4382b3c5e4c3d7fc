//! The AWS CLI against the simulator: builds, batch builds and build
//! logs, and the simulator as a local CodeBuild (projects created, builds
//! run, stopped and deleted). Needs `aws` on PATH, so it is run apart: `cargo test -p cbdash-sim
//! --test sim -- --ignored aws_cli`.

use std::process::Command;

use crate::sdk::{frozen, ROLE, SEQUENCE};
use cbdash_sim::{Scenario, SimHandle};
use serde_json::Value;

fn run(endpoint: &str, args: &[&str]) -> std::process::Output {
    run_service(endpoint, "codebuild", args)
}

fn run_service(endpoint: &str, service: &str, args: &[&str]) -> std::process::Output {
    Command::new("aws")
        .args(["--endpoint-url", endpoint, "--output", "json", service])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "y")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PAGER", "")
        .output()
        .expect("aws CLI on PATH")
}

fn aws(endpoint: &str, args: &[&str]) -> Value {
    let output = run(endpoint, args);
    assert!(
        output.status.success(),
        "aws {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("CLI prints JSON")
}

/// A build's CloudWatch log through `aws logs get-log-events`, from the
/// head, as the CLI parses it.
fn read_log(endpoint: &str, builds: &[Value]) {
    let logs = builds
        .iter()
        .find_map(|b| {
            Some((
                b["logs"]["groupName"].as_str()?,
                b["logs"]["streamName"].as_str()?,
            ))
        })
        .expect("a build with a CloudWatch stream");
    let args = [
        "get-log-events",
        "--log-group-name",
        logs.0,
        "--log-stream-name",
        logs.1,
        "--start-from-head",
        "--limit",
        "20",
    ];
    let output = run_service(endpoint, "logs", &args);
    assert!(
        output.status.success(),
        "aws logs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page: Value = serde_json::from_slice(&output.stdout).expect("CLI prints JSON");
    let events = page["events"].as_array().expect("events");
    assert!(!events.is_empty() && events.len() <= 20, "{page}");
    assert!(events[0]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("[Container] ")));
    assert!(events.iter().all(|e| e["timestamp"].is_i64()));
    assert!(page["nextForwardToken"]
        .as_str()
        .is_some_and(|t| t.starts_with("f/")));

    let missing = run_service(
        endpoint,
        "logs",
        &[
            "get-log-events",
            "--log-group-name",
            logs.0,
            "--log-stream-name",
            "nope",
        ],
    );
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success());
    assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
}

/// Batches through the CLI: listing (which pages on its own), a status
/// filter, and the full BuildBatch shape parsed by the CLI's model.
fn read_batches(endpoint: &str) {
    let listed = aws(endpoint, &["list-build-batches", "--page-size", "5"]);
    let ids: Vec<&str> = listed["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(ids.len() >= 15, "history plus running batches: {ids:?}");
    let running = aws(
        endpoint,
        &["list-build-batches", "--filter", "status=IN_PROGRESS"],
    );
    let running_ids = running["ids"].as_array().map_or(0, Vec::len);
    assert!(running_ids >= 1, "a batch is always running");
    let mut args = vec!["batch-get-build-batches", "--ids"];
    args.extend(&ids[..3]);
    args.push("monorepo-ci:missing");
    let got = aws(endpoint, &args);
    let batches = got["buildBatches"].as_array().expect("buildBatches");
    assert_eq!(batches.len(), 3);
    assert_eq!(got["buildBatchesNotFound"][0], "monorepo-ci:missing");
    for batch in batches {
        assert!(batch["arn"]
            .as_str()
            .is_some_and(|a| a.contains(":build-batch/")));
        assert!(batch["phases"].as_array().is_some_and(|p| !p.is_empty()));
        assert!(batch["buildGroups"].is_array());
    }
    let project = aws(
        endpoint,
        &[
            "list-build-batches-for-project",
            "--project-name",
            "sdk-matrix",
        ],
    );
    assert!(project["ids"].as_array().is_some_and(|ids| ids
        .iter()
        .all(|id| id.as_str().is_some_and(|id| id.starts_with("sdk-matrix:")))));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS CLI"]
async fn aws_cli_reads_the_simulator() {
    let sim = frozen(Scenario::Demo).await;
    let endpoint = sim.endpoint_url();
    let ids = tokio::task::spawn_blocking(move || {
        let listed = aws(&endpoint, &["list-builds"]);
        let ids: Vec<String> = listed["ids"]
            .as_array()
            .expect("ids")
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        assert!(ids.len() >= 300, "the CLI follows nextToken itself");
        let mut args = vec!["batch-get-builds", "--ids"];
        args.extend(ids[..3].iter().map(String::as_str));
        let got = aws(&endpoint, &args);
        println!("{}", serde_json::to_string_pretty(&got).unwrap_or_default());
        assert_eq!(got["builds"].as_array().map(Vec::len), Some(3));
        let mut args = vec!["batch-get-builds", "--ids"];
        args.extend(ids[..30].iter().map(String::as_str));
        let recent = aws(&endpoint, &args);
        read_log(&endpoint, recent["builds"].as_array().expect("builds"));
        let projects = aws(
            &endpoint,
            &["batch-get-projects", "--names", "web-frontend"],
        );
        assert_eq!(projects["projects"][0]["name"], "web-frontend");
        let missing = run(
            &endpoint,
            &["list-builds-for-project", "--project-name", "nope"],
        );
        let stderr = String::from_utf8_lossy(&missing.stderr);
        assert!(!missing.status.success());
        assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
        read_batches(&endpoint);
        // STS names the account of the key that signed (here the default one).
        let who = run_service(&endpoint, "sts", &["get-caller-identity"]);
        let who: Value = serde_json::from_slice(&who.stdout).expect("CLI prints JSON");
        assert_eq!(who["Account"], "123456789012", "{who}");
        ids
    })
    .await
    .expect("CLI run");
    assert!(!ids.is_empty());
}

/// Moves the clock until the CLI sees build `id` complete: every
/// currentPhase it saw, once each, and the last answer.
fn follow_build(endpoint: &str, sim: &SimHandle, id: &str) -> (Vec<String>, Value) {
    let mut seen: Vec<String> = Vec::new();
    for step in 0..200 {
        let got = aws(endpoint, &["batch-get-builds", "--ids", id]);
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
        // Fine steps through the phases, then long ones towards a timeout.
        sim.advance(if step < 60 { 10.0 } else { 600.0 });
    }
    panic!("build {id} never completed: {seen:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS CLI"]
async fn aws_cli_uses_the_simulator_as_a_local_codebuild() {
    let sim = frozen(Scenario::Empty).await;
    let endpoint = sim.endpoint_url();
    tokio::task::spawn_blocking(move || {
        let e = endpoint.as_str();
        let none = aws(e, &["list-projects"]);
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
        let created = aws(e, &create);
        assert_eq!(
            created["project"]["arn"],
            "arn:aws:codebuild:us-east-1:123456789012:project/cli-app"
        );
        assert_eq!(created["project"]["timeoutInMinutes"], 60);
        let again = run(e, &create);
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(!again.status.success());
        assert!(stderr.contains("(ResourceAlreadyExistsException)"), "{stderr}");

        let started = aws(e, &["start-build", "--project-name", "cli-app"]);
        let id = started["build"]["id"].as_str().expect("id").to_string();
        assert_eq!(started["build"]["buildStatus"], "IN_PROGRESS");
        let (seen, done) = follow_build(e, &sim, &id);
        let order: Vec<usize> = seen
            .iter()
            .map(|p| SEQUENCE.iter().position(|s| s == p).expect("a known phase"))
            .collect();
        assert!(seen.len() >= 3 && order.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
        let status = done["buildStatus"].as_str().unwrap_or_default();
        assert!(
            ["SUCCEEDED", "FAILED", "FAULT", "TIMED_OUT"].contains(&status),
            "{done}"
        );

        let second = aws(e, &["start-build", "--project-name", "cli-app"]);
        let second = second["build"]["id"].as_str().expect("id").to_string();
        sim.advance(5.0);
        let stopped = aws(e, &["stop-build", "--id", &second]);
        assert_eq!(stopped["build"]["id"], second.as_str());
        assert_eq!(stopped["build"]["buildStatus"], "STOPPED");
        assert_eq!(stopped["build"]["buildComplete"], true);

        let deleted = aws(e, &["batch-delete-builds", "--ids", &id, &second]);
        let arns: Vec<&str> = deleted["buildsDeleted"]
            .as_array()
            .expect("buildsDeleted")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(arns.len(), 2, "{deleted}");
        assert!(arns[0].ends_with(&format!(":build/{id}")), "{deleted}");
        let gone = aws(e, &["batch-get-builds", "--ids", &id]);
        assert_eq!(gone["buildsNotFound"][0], id.as_str());
        let listed = aws(e, &["list-builds"]);
        assert_eq!(listed["ids"], serde_json::json!([]), "{listed}");

        let removed = run(e, &["delete-project", "--name", "cli-app"]);
        assert!(
            removed.status.success(),
            "{}",
            String::from_utf8_lossy(&removed.stderr)
        );
        let none = aws(e, &["list-projects"]);
        assert_eq!(none["projects"], serde_json::json!([]), "{none}");
    })
    .await
    .expect("CLI run");
}
