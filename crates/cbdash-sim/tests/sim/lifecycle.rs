//! A build's life as the SDK sees it on a frozen clock moved by advance():
//! the phase sequence, durations, failure contexts, timeouts and faults.

use crate::sdk::{client, get, phases, quiet, secs, types, SEQUENCE};
use aws_sdk_codebuild::types::StatusType;
use cbdash_sim::{BuildSpec, Outcome};

fn planned(secs: &[(&str, f64)]) -> Option<Vec<(String, f64)>> {
    Some(secs.iter().map(|(p, s)| (p.to_string(), *s)).collect())
}

/// 208 seconds in all; BUILD runs from 76 s to 196 s.
fn every_phase() -> Option<Vec<(String, f64)>> {
    planned(&[
        ("SUBMITTED", 1.0),
        ("QUEUED", 10.0),
        ("PROVISIONING", 30.0),
        ("DOWNLOAD_SOURCE", 5.0),
        ("INSTALL", 20.0),
        ("PRE_BUILD", 10.0),
        ("BUILD", 120.0),
        ("POST_BUILD", 5.0),
        ("UPLOAD_ARTIFACTS", 4.0),
        ("FINALIZING", 3.0),
    ])
}

#[tokio::test]
async fn a_build_walks_through_every_phase_as_time_advances() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        phase_secs: every_phase(),
        ..BuildSpec::default()
    });

    let fresh = get(&client, &id).await;
    assert_eq!(fresh.current_phase(), Some("SUBMITTED"));
    assert_eq!(fresh.build_status(), Some(&StatusType::InProgress));
    assert!(!fresh.build_complete());
    assert!(fresh.end_time().is_none());
    assert_eq!(phases(&fresh), [("SUBMITTED".to_string(), None, None)]);

    sim.advance(100.0);
    let building = get(&client, &id).await;
    assert_eq!(building.current_phase(), Some("BUILD"));
    let done: Vec<Option<i64>> = phases(&building).iter().map(|p| p.2).collect();
    assert_eq!(
        done,
        [
            Some(1),
            Some(10),
            Some(30),
            Some(5),
            Some(20),
            Some(10),
            None
        ]
    );
    let install = &building.phases()[4];
    assert_eq!(install.contexts()[0].status_code(), Some(""));
    assert!(install.end_time().is_some());
    let running = building.phases().last().expect("running phase");
    assert!(running.phase_status().is_none() && running.end_time().is_none());

    sim.advance(108.0);
    let finished = get(&client, &id).await;
    assert_eq!(types(&finished), SEQUENCE);
    assert_eq!(finished.current_phase(), Some("COMPLETED"));
    assert_eq!(finished.build_status(), Some(&StatusType::Succeeded));
    assert!(finished.build_complete());
    let start = secs(finished.start_time().expect("start"));
    let end = secs(finished.end_time().expect("end"));
    assert!(
        (end - start - 208.0).abs() < 0.01,
        "endTime is 208 s after startTime"
    );
    let completed = finished.phases().last().expect("COMPLETED");
    assert!(completed.phase_status().is_none() && completed.end_time().is_none());
    assert_eq!(phases(&finished)[6].2, Some(120));
}

#[tokio::test]
async fn durations_are_truncated_and_phases_before_the_build_runs_have_no_contexts() {
    let sim = quiet().await;
    let client = client(&sim);
    let names = &SEQUENCE[..10];
    let id = sim.add_build(BuildSpec {
        phase_secs: Some(names.iter().map(|p| (p.to_string(), 1.6)).collect()),
        ..BuildSpec::default()
    });
    sim.advance(20.0);
    let finished = get(&client, &id).await;
    let durations: Vec<Option<i64>> = phases(&finished).iter().map(|p| p.2).collect();
    let mut expected = vec![Some(1); names.len()];
    expected.push(None);
    assert_eq!(
        durations, expected,
        "1.6 s is reported as 1, as the service does"
    );
    let start = secs(finished.start_time().expect("start"));
    let end = secs(finished.end_time().expect("end"));
    let sum: i64 = durations.iter().flatten().sum();
    assert!(sum as f64 <= end - start, "phases never outlast the build");
    let phase_list = finished.phases();
    assert!(
        phase_list[0].contexts().is_empty(),
        "SUBMITTED has no contexts"
    );
    assert!(
        phase_list[1].contexts().is_empty(),
        "QUEUED has no contexts"
    );
    assert_eq!(phase_list[2].contexts().len(), 1, "PROVISIONING has one");
}

#[tokio::test]
async fn a_failed_build_phase_reports_the_command_and_later_phases_still_run() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "npm test".into(),
        },
        phase_secs: every_phase(),
        ..BuildSpec::default()
    });
    sim.advance(198.0);
    let post_build = get(&client, &id).await;
    assert_eq!(post_build.current_phase(), Some("POST_BUILD"));
    assert_eq!(post_build.build_status(), Some(&StatusType::InProgress));

    sim.advance(60.0);
    let build = get(&client, &id).await;
    assert_eq!(build.build_status(), Some(&StatusType::Failed));
    let listed = phases(&build);
    assert_eq!(
        listed[6],
        ("BUILD".into(), Some("FAILED".into()), Some(120))
    );
    assert_eq!(
        types(&build)[7..],
        ["POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED"]
    );
    let context = &build.phases()[6].contexts()[0];
    assert_eq!(context.status_code(), Some("COMMAND_EXECUTION_ERROR"));
    assert_eq!(
        context.message(),
        Some("Error while executing command: npm test. Reason: exit status 1")
    );
}

#[tokio::test]
async fn a_failed_install_skips_straight_to_finalizing() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        project: "api-service".into(),
        outcome: Outcome::FailIn {
            phase: "INSTALL".into(),
            command: "cargo test --locked".into(),
        },
        ..BuildSpec::default()
    });
    sim.advance(3600.0);
    let build = get(&client, &id).await;
    assert_eq!(build.build_status(), Some(&StatusType::Failed));
    assert_eq!(types(&build)[4..], ["INSTALL", "FINALIZING", "COMPLETED"]);
    assert_eq!(phases(&build)[4].1.as_deref(), Some("FAILED"));
}

#[tokio::test]
async fn a_missing_repository_fails_download_source_with_a_client_error() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        outcome: Outcome::FailIn {
            phase: "DOWNLOAD_SOURCE".into(),
            command: String::new(),
        },
        source_version: Some("pr/123".into()),
        ..BuildSpec::default()
    });
    sim.advance(3600.0);
    let build = get(&client, &id).await;
    let phase = &build.phases()[3];
    assert_eq!(phase.phase_status().map(|s| s.as_str()), Some("FAILED"));
    let context = &phase.contexts()[0];
    assert_eq!(context.status_code(), Some("CLIENT_ERROR"));
    assert!(context
        .message()
        .unwrap_or_default()
        .contains("repository not found for primary source and source version pr/123"));
    assert_eq!(build.source_version(), Some("pr/123"));
}

#[tokio::test]
async fn a_build_that_outlasts_its_timeout_is_timed_out_in_the_running_phase() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        outcome: Outcome::TimeOut,
        timeout_minutes: Some(5),
        phase_secs: planned(&[("QUEUED", 10.0), ("SUBMITTED", 1.0)]),
        ..BuildSpec::default()
    });
    sim.advance(4.0 * 60.0);
    assert_eq!(
        get(&client, &id).await.build_status(),
        Some(&StatusType::InProgress)
    );

    sim.advance(10.0 * 60.0);
    let build = get(&client, &id).await;
    assert_eq!(build.build_status(), Some(&StatusType::TimedOut));
    assert_eq!(build.timeout_in_minutes(), Some(5));
    let timed_out = build
        .phases()
        .iter()
        .find(|p| p.phase_status() == Some(&StatusType::TimedOut))
        .expect("a TIMED_OUT phase");
    assert_eq!(timed_out.phase_type().map(|t| t.as_str()), Some("BUILD"));
    assert_eq!(
        timed_out.contexts()[0].status_code(),
        Some("BUILD_TIMED_OUT")
    );
    assert_eq!(
        timed_out.contexts()[0].message(),
        Some("Build has timed out. ")
    );
    // The timeout counts from the end of QUEUED (11 s after the start).
    let start = secs(build.start_time().expect("start"));
    let cut = secs(timed_out.end_time().expect("end"));
    assert!((cut - start - 311.0).abs() < 0.01, "cut at {}", cut - start);
}

#[tokio::test]
async fn an_image_that_cannot_be_pulled_faults_provisioning() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        outcome: Outcome::Fault,
        ..BuildSpec::default()
    });
    sim.advance(600.0);
    let build = get(&client, &id).await;
    assert_eq!(build.build_status(), Some(&StatusType::Fault));
    assert_eq!(
        types(&build),
        [
            "SUBMITTED",
            "QUEUED",
            "PROVISIONING",
            "FINALIZING",
            "COMPLETED"
        ]
    );
    let context = &build.phases()[2].contexts()[0];
    assert_eq!(
        context.status_code(),
        Some("BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE")
    );
}

#[tokio::test]
async fn builds_carry_logs_links_environment_and_source() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        initiator: Some("codepipeline/deploy-pipeline".into()),
        ..BuildSpec::default()
    });
    let build = get(&client, &id).await;
    let uuid = id.split_once(':').map(|(_, u)| u).unwrap_or_default();
    let logs = build.logs().expect("logs");
    assert_eq!(logs.group_name(), Some("/aws/codebuild/web-frontend"));
    assert_eq!(logs.stream_name(), Some(uuid));
    assert_eq!(
        logs.deep_link(),
        Some(format!("https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252Fweb-frontend/log-events/{uuid}").as_str())
    );
    assert_eq!(
        build.arn(),
        Some(format!("arn:aws:codebuild:us-east-1:123456789012:build/{id}").as_str())
    );
    assert_eq!(build.initiator(), Some("codepipeline/deploy-pipeline"));
    assert_eq!(build.resolved_source_version().map(str::len), Some(40));
    let env = build.environment().expect("environment");
    assert_eq!(env.r#type().as_str(), "LINUX_CONTAINER");
    assert_eq!(build.source().and_then(|s| s.git_clone_depth()), Some(1));

    let data = sim.add_build(BuildSpec {
        project: "data-pipeline".into(),
        ..BuildSpec::default()
    });
    let logs = get(&client, &data).await.logs().cloned().expect("logs");
    assert_eq!(logs.s3_logs().map(|s| s.status().as_str()), Some("ENABLED"));
    assert!(logs.s3_deep_link().is_some() && logs.s3_logs_arn().is_some());
}

#[tokio::test]
async fn build_numbers_increase_per_project() {
    let sim = quiet().await;
    let client = client(&sim);
    let a = sim.add_build(BuildSpec::default());
    let b = sim.add_build(BuildSpec::default());
    let other = sim.add_build(BuildSpec {
        project: "docs-site".into(),
        ..BuildSpec::default()
    });
    assert_eq!(get(&client, &a).await.build_number(), Some(1));
    assert_eq!(get(&client, &b).await.build_number(), Some(2));
    assert_eq!(get(&client, &other).await.build_number(), Some(1));
}
