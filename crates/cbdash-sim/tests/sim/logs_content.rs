//! What builds write to their CloudWatch streams: the agent's lines, the
//! commands' output, how failures, timeouts and stops end a stream, and
//! which projects have no stream at all.

use crate::sdk::{client, get, log_target, logs_client, quiet, timed_phases};
use cbdash_sim::{BuildSpec, Outcome};

/// The lines of a build of `project` that finished long ago.
fn finished(sim: &cbdash_sim::SimHandle, project: &str, outcome: Outcome) -> Vec<String> {
    let id = sim.add_build(BuildSpec {
        project: project.into(),
        started_secs_ago: 4.0 * 3600.0,
        outcome,
        ..BuildSpec::default()
    });
    sim.log_lines(&id)
}

/// The agent's text of a `[Container]` line, without time stamp.
fn agent(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("[Container] ")?;
    // "2024/11/23 12:00:03.482913 text"
    rest.get(27..)
}

fn tail(lines: &[String], n: usize) -> Vec<&str> {
    lines[lines.len() - n..]
        .iter()
        .map(|l| agent(l).unwrap_or(l))
        .collect()
}

#[tokio::test]
async fn the_agent_announces_source_phases_and_commands() {
    let sim = quiet().await;
    let lines = finished(&sim, "api-service", Outcome::Succeed);
    let said: Vec<&str> = lines.iter().filter_map(|l| agent(l)).collect();
    let src = said
        .iter()
        .find_map(|l| l.strip_prefix("CODEBUILD_SRC_DIR="))
        .expect("source dir");
    assert!(
        src.starts_with("/codebuild/output/src")
            && src.ends_with("/src/github.com/example/api-service")
    );
    for expected in [
        "Waiting for agent ping",
        "Waiting for DOWNLOAD_SOURCE",
        "Phase is DOWNLOAD_SOURCE",
        "Processing environment variables",
        &format!("Moving to directory {src}"),
        "Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED",
        "Entering phase INSTALL",
        "Running command rustup component add clippy",
        "Phase complete: INSTALL State: SUCCEEDED",
        "Phase context status code:  Message: ",
        "Entering phase PRE_BUILD",
        "Running command cargo clippy --locked -- -D warnings",
        "Entering phase BUILD",
        "Running command cargo test --locked",
        "Running command cargo build --release --locked",
        "Entering phase POST_BUILD",
        "Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED",
    ] {
        assert!(said.contains(&expected), "missing {expected:?}");
    }
    assert!(said
        .iter()
        .any(|l| l.starts_with("YAML location is /codebuild/output/src")));
    assert!(lines.iter().any(|l| l.starts_with("test result: ok.")));
    // Agent lines carry microseconds, in order.
    let stamps: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("[Container] ")?.get(..26))
        .collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]));
    assert!(stamps
        .iter()
        .all(|s| s.len() == 26 && s.as_bytes()[19] == b'.'));
}

#[tokio::test]
async fn a_failed_install_ends_the_stream_with_the_error_and_its_context() {
    let sim = quiet().await;
    let fail = Outcome::FailIn {
        phase: "INSTALL".into(),
        command: String::new(),
    };
    let lines = finished(&sim, "web-frontend", fail);
    assert_eq!(
        tail(&lines, 3),
        [
            "Command did not exit successfully npm ci exit status 1",
            "Phase complete: INSTALL State: FAILED",
            "Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: npm ci. Reason: exit status 1",
        ]
    );
    assert!(lines[lines.len() - 4].starts_with("npm error"));
    assert!(!lines
        .iter()
        .any(|l| l.ends_with("Entering phase PRE_BUILD")));
}

#[tokio::test]
async fn a_failed_build_command_stops_its_phase_and_post_build_still_runs() {
    let sim = quiet().await;
    let id = sim.add_build(BuildSpec {
        started_secs_ago: 4.0 * 3600.0,
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "npm test".into(),
        },
        ..BuildSpec::default()
    });
    let lines = sim.log_lines(&id);
    let at = lines
        .iter()
        .position(|l| l.ends_with("Command did not exit successfully npm test exit status 1"))
        .expect("failure line");
    let context = "Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: npm test. Reason: exit status 1";
    assert_eq!(
        tail(&lines[..at + 4], 3),
        [
            "Phase complete: BUILD State: FAILED",
            context,
            "Entering phase POST_BUILD"
        ]
    );
    assert!(lines[..at].iter().any(|l| l.contains("1 failed")));
    assert!(!lines
        .iter()
        .any(|l| l.ends_with("Running command npm run build")));

    // The log says what BatchGetBuilds says.
    let build = get(&client(&sim), &id).await;
    let phase = build
        .phases()
        .iter()
        .find(|p| p.phase_type().map(|t| t.as_str()) == Some("BUILD"))
        .expect("BUILD phase");
    let ctx = &phase.contexts()[0];
    assert_eq!(
        format!(
            "Phase context status code: {} Message: {}",
            ctx.status_code().unwrap_or_default(),
            ctx.message().unwrap_or_default()
        ),
        context
    );
}

#[tokio::test]
async fn timed_out_and_stopped_builds_end_their_streams_so() {
    let sim = quiet().await;
    let lines = finished(&sim, "api-service", Outcome::TimeOut);
    assert_eq!(
        tail(&lines, 2),
        [
            "Phase complete: BUILD State: TIMED_OUT",
            "Phase context status code: BUILD_TIMED_OUT Message: Build has timed out. ",
        ]
    );

    let id = sim.add_build(BuildSpec {
        phase_secs: timed_phases(300.0),
        ..BuildSpec::default()
    });
    sim.advance(100.0);
    let before = sim.log_lines(&id);
    client(&sim)
        .stop_build()
        .id(&id)
        .send()
        .await
        .expect("stop");
    let after = sim.log_lines(&id);
    assert_eq!(after[..before.len()], before[..], "what was read stays");
    assert_eq!(
        tail(&after, 2),
        [
            "Phase complete: BUILD State: STOPPED",
            "Phase context status code:  Message: ",
        ]
    );
    sim.advance(600.0);
    assert_eq!(sim.log_lines(&id), after, "a stopped build writes no more");
}

#[tokio::test]
async fn a_ten_minute_build_phase_writes_hundreds_of_lines() {
    let sim = quiet().await;
    for project in [
        "web-frontend",
        "api-service",
        "data-pipeline",
        "payments-api",
        "mobile-app",
    ] {
        let id = sim.add_build(BuildSpec {
            project: project.into(),
            started_secs_ago: 3.0 * 3600.0,
            phase_secs: timed_phases(600.0),
            ..BuildSpec::default()
        });
        let lines = sim.log_lines(&id);
        let from = lines
            .iter()
            .position(|l| l.ends_with("Entering phase BUILD"));
        let to = lines
            .iter()
            .position(|l| l.ends_with("Phase complete: BUILD State: SUCCEEDED"));
        let (Some(from), Some(to)) = (from, to) else {
            panic!("{project}: no BUILD phase");
        };
        let count = to - from;
        assert!((300..=620).contains(&count), "{project}: {count} lines");
        assert!(
            lines.len() - count < 250,
            "{project}: other phases write less"
        );
    }
}

#[tokio::test]
async fn the_s3_only_project_has_no_stream_and_says_so() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        project: "docs-site".into(),
        started_secs_ago: 600.0,
        ..BuildSpec::default()
    });
    let build = get(&client, &id).await;
    let logs = build.logs().expect("logs");
    let cw = logs.cloud_watch_logs().expect("cloudWatchLogs");
    assert_eq!(cw.status().as_str(), "DISABLED");
    assert_eq!(
        (logs.group_name(), logs.stream_name(), logs.deep_link()),
        (None, None, None)
    );
    let s3 = logs.s3_logs().expect("s3Logs");
    assert_eq!(s3.status().as_str(), "ENABLED");
    assert_eq!(s3.location(), Some("example-build-logs/docs-site"));
    let uuid = id.split(':').nth(1).expect("uuid");
    assert!(logs.s3_deep_link().is_some_and(|l| l.contains(uuid)));
    assert_eq!(
        logs.s3_logs_arn(),
        Some(format!("arn:aws:s3:::example-build-logs/docs-site/{uuid}.gz").as_str())
    );
    assert!(sim.log_lines(&id).is_empty());

    let err = logs_client(&sim)
        .get_log_events()
        .log_group_name("/aws/codebuild/docs-site")
        .log_stream_name(uuid)
        .send()
        .await
        .expect_err("no group");
    let err = err.into_service_error();
    assert!(err.is_resource_not_found_exception());
    assert_eq!(
        aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata::message(&err),
        Some("The specified log group does not exist.")
    );

    // e2e-suites keeps no logs at all.
    let quiet = sim.add_build(BuildSpec {
        project: "e2e-suites".into(),
        started_secs_ago: 600.0,
        ..BuildSpec::default()
    });
    let build = get(&client, &quiet).await;
    let logs = build.logs().expect("logs");
    assert_eq!(
        logs.s3_logs().map(|s| s.status().as_str()),
        Some("DISABLED")
    );
    assert_eq!((logs.group_name(), logs.s3_deep_link()), (None, None));
}

#[tokio::test]
async fn builds_of_other_projects_write_to_their_own_groups() {
    let sim = quiet().await;
    let id = sim.add_build(BuildSpec {
        project: "data-pipeline".into(),
        started_secs_ago: 300.0,
        ..BuildSpec::default()
    });
    let target = log_target(&client(&sim), &id).await;
    assert_eq!(target.0, "/aws/codebuild/data-pipeline");
    let page = logs_client(&sim)
        .get_log_events()
        .log_group_identifier(
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/data-pipeline:*",
        )
        .log_stream_name(&target.1)
        .start_from_head(true)
        .send()
        .await
        .expect("by ARN");
    assert!(!page.events().is_empty());
}
