//! Builds and batch builds of user-made projects: the demo's lifecycle
//! (phases, logs, contexts, stop, retry) from the project's stored
//! settings and the start's overrides.

use crate::sdk::{
    call, client, create_project, frozen, get, get_batch, log_target, logs_client, new_project,
    read_from_head, types, var, ROLE, SEQUENCE,
};
use aws_sdk_codebuild::error::ProvideErrorMetadata;
use aws_sdk_codebuild::types::{
    ComputeType, EnvironmentVariableType, ProjectBuildBatchConfig, StatusType,
};
use aws_sdk_codebuild::Client;
use cbdash_sim::{Scenario, SimHandle};
use serde_json::json;

const FINAL: [StatusType; 4] = [
    StatusType::Succeeded,
    StatusType::Failed,
    StatusType::Fault,
    StatusType::TimedOut,
];

/// Moves the clock 10 s at a time until build `id` completes; every
/// currentPhase seen on the way, once each.
async fn follow(sim: &SimHandle, client: &Client, id: &str) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..1000 {
        let build = get(client, id).await;
        let phase = build.current_phase().unwrap_or_default().to_string();
        if seen.last() != Some(&phase) {
            seen.push(phase);
        }
        if build.build_complete() {
            return seen;
        }
        sim.advance(10.0);
    }
    panic!("build {id} never completed; phases seen: {seen:?}");
}

#[tokio::test]
async fn a_build_runs_from_the_projects_settings_through_every_phase() {
    let sim = frozen(Scenario::Empty).await;
    let body = json!({
        "name": "app",
        "source": {"type": "GITHUB", "location": "https://github.com/example/app.git", "buildspec": "buildspec/ci.yml"},
        "sourceVersion": "refs/heads/develop",
        "artifacts": {"type": "NO_ARTIFACTS"},
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": "example/builder:1",
            "computeType": "BUILD_GENERAL1_MEDIUM",
            "environmentVariables": [
                {"name": "STAGE", "value": "ci"},
                {"name": "REGION", "value": "us-east-1"}
            ]
        },
        "serviceRole": ROLE,
        "timeoutInMinutes": 30,
        "vpcConfig": {"vpcId": "vpc-1", "subnets": ["subnet-1"], "securityGroupIds": ["sg-1"]}
    });
    let (status, answer) = call(&sim, "CreateProject", &body).await;
    assert_eq!(status, 200, "{answer}");
    let client = client(&sim);
    let started = client
        .start_build()
        .project_name("app")
        .environment_variables_override(var("STAGE", "prod", EnvironmentVariableType::Plaintext))
        .send()
        .await
        .expect("StartBuild");
    let build = started.build_value().expect("build").clone();
    let id = build.id().expect("id").to_string();
    assert!(id.starts_with("app:"), "{id}");
    assert_eq!(build.project_name(), Some("app"));
    assert_eq!(build.build_number(), Some(1));
    assert_eq!(build.build_status(), Some(&StatusType::InProgress));
    assert_eq!(build.source_version(), Some("refs/heads/develop"));
    assert_eq!(build.service_role(), Some(ROLE));
    assert_eq!(build.timeout_in_minutes(), Some(30));
    assert_eq!(
        build.source().and_then(|s| s.buildspec()),
        Some("buildspec/ci.yml")
    );
    assert_eq!(build.vpc_config().and_then(|v| v.vpc_id()), Some("vpc-1"));
    let env = build.environment().expect("environment");
    assert_eq!(env.image(), "example/builder:1");
    assert_eq!(env.compute_type(), &ComputeType::BuildGeneral1Medium);
    let vars: Vec<(&str, &str)> = env
        .environment_variables()
        .iter()
        .map(|v| (v.name(), v.value()))
        .collect();
    assert_eq!(vars, [("STAGE", "prod"), ("REGION", "us-east-1")]);

    let seen = follow(&sim, &client, &id).await;
    assert!(seen.len() >= 3, "{seen:?}");
    let positions: Vec<usize> = seen
        .iter()
        .map(|p| SEQUENCE.iter().position(|s| s == p).expect("a known phase"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("COMPLETED"));
    let done = get(&client, &id).await;
    assert!(FINAL.contains(done.build_status().expect("status")));
    assert!(done.end_time().is_some());

    let target = log_target(&client, &id).await;
    assert_eq!(target.0, "/aws/codebuild/app");
    let lines = read_from_head(&logs_client(&sim), &target, 100).await;
    assert!(lines[0].starts_with("[Container] "), "{lines:?}");
    if types(&done).iter().any(|p| p == "INSTALL") {
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("Running command make install")),
            "{lines:?}"
        );
    }
    let listed = client
        .list_builds_for_project()
        .project_name("app")
        .send()
        .await
        .expect("ListBuildsForProject");
    assert_eq!(listed.ids(), std::slice::from_ref(&id));
    let all = client.list_builds().send().await.expect("ListBuilds");
    assert_eq!(all.ids(), [id]);
}

#[tokio::test]
async fn builds_stop_retry_and_keep_to_the_projects_concurrent_build_limit() {
    let sim = frozen(Scenario::Empty).await;
    let client = client(&sim);
    new_project(&client, "app")
        .concurrent_build_limit(1)
        .send()
        .await
        .expect("CreateProject");
    let first = client
        .start_build()
        .project_name("app")
        .send()
        .await
        .expect("StartBuild");
    let id = first
        .build_value()
        .and_then(|b| b.id())
        .expect("id")
        .to_string();
    let err = client
        .start_build()
        .project_name("app")
        .send()
        .await
        .expect_err("at the limit");
    assert_eq!(
        err.message(),
        Some("Cannot have more than 1 builds in queue for the project app")
    );
    assert!(err
        .into_service_error()
        .is_account_limit_exceeded_exception());

    // No build completes within 16 s, not even one that faults.
    sim.advance(5.0);
    let stopped = client.stop_build().id(&id).send().await.expect("StopBuild");
    let build = stopped.build_value().expect("build");
    assert_eq!(build.build_status(), Some(&StatusType::Stopped));
    assert!(build.build_complete());

    let retried = client
        .retry_build()
        .id(&id)
        .send()
        .await
        .expect("RetryBuild");
    let retry = retried.build_value().expect("build");
    assert_eq!(retry.build_status(), Some(&StatusType::InProgress));
    assert_eq!(retry.build_number(), Some(2));
    assert_eq!(retry.environment(), build.environment(), "same settings");
    assert_ne!(retry.id(), Some(id.as_str()));
}

#[tokio::test]
async fn a_project_with_a_batch_config_runs_batch_builds() {
    let sim = frozen(Scenario::Empty).await;
    let client = client(&sim);
    let config = ProjectBuildBatchConfig::builder()
        .service_role(ROLE)
        .timeout_in_mins(60)
        .build();
    new_project(&client, "batched")
        .build_batch_config(config)
        .send()
        .await
        .expect("CreateProject");
    let started = client
        .start_build_batch()
        .project_name("batched")
        .send()
        .await
        .expect("StartBuildBatch");
    let id = started
        .build_batch()
        .and_then(|b| b.id())
        .expect("id")
        .to_string();
    sim.advance(2.0 * 3600.0);
    let batch = get_batch(&client, &id).await;
    assert!(batch.complete(), "the batch timeout ends it at the latest");
    assert_eq!(batch.project_name(), Some("batched"));
    let groups: Vec<_> = batch
        .build_groups()
        .iter()
        .filter_map(|g| g.identifier())
        .collect();
    assert_eq!(groups, ["build1"], "one group: buildspecs are not read");
    let listed = client
        .list_build_batches_for_project()
        .project_name("batched")
        .send()
        .await
        .expect("ListBuildBatchesForProject");
    assert_eq!(listed.ids(), [id]);

    create_project(&client, "single").await;
    let err = client
        .start_build_batch()
        .project_name("single")
        .send()
        .await
        .expect_err("no buildBatchConfig");
    assert!(err.into_service_error().is_invalid_input_exception());
}

#[tokio::test]
async fn a_deleted_projects_builds_stay_but_it_builds_no_more() {
    let sim = frozen(Scenario::Empty).await;
    let client = client(&sim);
    create_project(&client, "app").await;
    let started = client
        .start_build()
        .project_name("app")
        .send()
        .await
        .expect("StartBuild");
    let id = started
        .build_value()
        .and_then(|b| b.id())
        .expect("id")
        .to_string();
    sim.advance(2.0 * 3600.0);
    client
        .delete_project()
        .name("app")
        .send()
        .await
        .expect("DeleteProject");
    let kept = get(&client, &id).await;
    assert!(kept.build_complete());
    let listed = client.list_builds().send().await.expect("ListBuilds");
    assert_eq!(listed.ids(), std::slice::from_ref(&id));

    let err = client
        .list_builds_for_project()
        .project_name("app")
        .send()
        .await
        .expect_err("no project");
    assert!(err.into_service_error().is_resource_not_found_exception());
    let err = client
        .start_build()
        .project_name("app")
        .send()
        .await
        .expect_err("no project");
    assert!(err.into_service_error().is_resource_not_found_exception());
    let err = client
        .retry_build()
        .id(&id)
        .send()
        .await
        .expect_err("no project");
    assert!(err.into_service_error().is_resource_not_found_exception());
}
