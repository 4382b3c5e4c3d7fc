//! StopBuildBatch, RetryBuildBatch and the batch timeout: running group
//! builds are stopped, later groups never start, a retry reruns groups in
//! the same batch and keeps their earlier builds as prior summaries.

use crate::sdk::{
    batch_of, batch_phases, client, current_build_id, failing, get, get_batch, group, node, quiet,
    secs,
};
use aws_sdk_codebuild::error::ProvideErrorMetadata;
use aws_sdk_codebuild::operation::stop_build_batch::StopBuildBatchError;
use aws_sdk_codebuild::types::{
    BuildBatch, ProjectBuildBatchConfig, RetryBuildBatchType, StatusType,
};
use aws_sdk_codebuild::Client;
use cbdash_sim::GroupSpec;

fn status(batch: &BuildBatch, identifier: &str) -> Option<StatusType> {
    let summary = group(batch, identifier).current_build_summary()?;
    summary.build_status().cloned()
}

fn prior_arns(batch: &BuildBatch, identifier: &str) -> Vec<String> {
    group(batch, identifier)
        .prior_build_summary_list()
        .iter()
        .filter_map(|s| s.arn().map(String::from))
        .collect()
}

fn current_arn(batch: &BuildBatch, identifier: &str) -> Option<String> {
    let summary = group(batch, identifier).current_build_summary()?;
    summary.arn().map(String::from)
}

async fn stop(client: &Client, id: &str) -> Result<BuildBatch, StopBuildBatchError> {
    let out = client.stop_build_batch().id(id).send().await;
    out.map(|o| o.build_batch().cloned().expect("batch"))
        .map_err(|e| e.into_service_error())
}

async fn retry(client: &Client, id: &str, kind: RetryBuildBatchType) -> BuildBatch {
    let out = client
        .retry_build_batch()
        .id(id)
        .retry_type(kind)
        .send()
        .await
        .expect("retried");
    out.build_batch().cloned().expect("batch")
}

#[tokio::test]
async fn stopping_a_batch_stops_running_groups_and_starts_no_more() {
    let (sim, client, id) = batch_of(vec![
        node("lint", &[], 10.0),
        node("build", &["lint"], 100.0),
        node("deploy", &["build"], 10.0),
    ])
    .await;
    sim.advance(80.0);
    let stopped = &stop(&client, &id).await.expect("stopped");
    let now = sim.now().timestamp_millis() as f64 / 1000.0;
    for batch in [stopped, &get_batch(&client, &id).await] {
        assert_eq!(batch.build_batch_status(), Some(&StatusType::Stopped));
        assert!(batch.complete(), "a stopped batch is complete at once");
        assert_eq!(batch.current_phase(), Some("STOPPED"));
        assert_eq!(batch.end_time().map(secs), Some(now));
    }
    assert_eq!(status(stopped, "build"), Some(StatusType::Stopped));
    let build_id = current_build_id(stopped, "build").expect("build ran");
    let build = get(&client, &build_id).await;
    assert_eq!(build.build_status(), Some(&StatusType::Stopped));
    assert!(build.build_complete(), "its running build is complete too");

    sim.advance(600.0);
    let done = get_batch(&client, &id).await;
    assert!(done.complete());
    assert_eq!(done.build_batch_status(), Some(&StatusType::Stopped));
    assert_eq!(status(&done, "lint"), Some(StatusType::Succeeded));
    assert!(
        current_arn(&done, "deploy").is_none(),
        "deploy never starts"
    );
    let phases = batch_phases(&done);
    assert_eq!(phases[2], ("IN_PROGRESS".into(), Some("STOPPED".into())));
    assert_eq!(phases[3], ("STOPPED".into(), None));

    let err = stop(&client, &id).await.expect_err("complete");
    assert!(err.is_invalid_input_exception());
    let err = stop(&client, "monorepo-ci:missing").await;
    assert!(err.expect_err("unknown").is_resource_not_found_exception());

    let retried = retry(&client, &id, RetryBuildBatchType::RetryAllBuilds).await;
    assert_eq!(retried.build_batch_status(), Some(&StatusType::InProgress));
}

#[tokio::test]
async fn a_batch_stopped_before_its_groups_start_runs_none() {
    let (sim, client, id) = batch_of(vec![node("lint", &[], 10.0)]).await;
    let batch = stop(&client, &id).await.expect("stopped");
    assert!(batch.complete());
    assert_eq!(
        batch_phases(&batch),
        [
            ("SUBMITTED".to_string(), Some("STOPPED".to_string())),
            ("STOPPED".to_string(), None)
        ]
    );
    sim.advance(300.0);
    let builds = client.list_builds().send().await.expect("list");
    assert!(builds.ids().is_empty());
}

#[tokio::test]
async fn retry_all_builds_reruns_every_group_in_the_same_batch() {
    let (sim, client, id) = batch_of(vec![
        node("lint", &[], 10.0),
        failing(node("test", &["lint"], 10.0)),
    ])
    .await;
    let err = client
        .retry_build_batch()
        .id(&id)
        .send()
        .await
        .expect_err("still running");
    assert!(err.into_service_error().is_invalid_input_exception());

    sim.advance(200.0);
    let failed = get_batch(&client, &id).await;
    assert_eq!(failed.build_batch_status(), Some(&StatusType::Failed));
    let first_lint = current_arn(&failed, "lint").expect("ran");

    let retried = retry(&client, &id, RetryBuildBatchType::RetryAllBuilds).await;
    assert_eq!(retried.id(), Some(id.as_str()), "the same batch restarts");
    assert_eq!(retried.build_batch_status(), Some(&StatusType::InProgress));
    assert_eq!(retried.current_phase(), Some("SUBMITTED"));
    assert!(!retried.complete() && retried.end_time().is_none());
    assert!(current_arn(&retried, "lint").is_none(), "moved to prior");
    assert_eq!(
        prior_arns(&retried, "lint"),
        std::slice::from_ref(&first_lint)
    );

    sim.advance(200.0);
    let done = get_batch(&client, &id).await;
    assert_eq!(done.build_batch_status(), Some(&StatusType::Succeeded));
    assert_eq!(prior_arns(&done, "lint"), std::slice::from_ref(&first_lint));
    assert_ne!(current_arn(&done, "lint"), Some(first_lint));
    assert_eq!(status(&done, "test"), Some(StatusType::Succeeded));
    let prior_test = &group(&done, "test").prior_build_summary_list()[0];
    assert_eq!(prior_test.build_status(), Some(&StatusType::Failed));
    let builds = client.list_builds().send().await.expect("list");
    assert_eq!(builds.ids().len(), 4, "two runs of two groups");
}

#[tokio::test]
async fn retry_failed_builds_reruns_failures_and_what_they_held_back() {
    let flaky = GroupSpec {
        ignore_failure: true,
        ..failing(node("flaky", &[], 10.0))
    };
    let (sim, client, id) = batch_of(vec![
        node("lint", &[], 10.0),
        failing(node("build", &["lint"], 10.0)),
        node("deploy", &["build"], 10.0),
        flaky,
    ])
    .await;
    sim.advance(300.0);
    let failed = get_batch(&client, &id).await;
    assert_eq!(failed.build_batch_status(), Some(&StatusType::Failed));
    assert!(current_arn(&failed, "deploy").is_none());
    let lint = current_arn(&failed, "lint");

    let token = |client: &Client| {
        client
            .retry_build_batch()
            .id(&id)
            .retry_type(RetryBuildBatchType::RetryFailedBuilds)
            .idempotency_token("retry-1")
            .send()
    };
    token(&client).await.expect("retried");
    sim.advance(5.0);
    let replayed = token(&client).await.expect("replayed, not refused");
    assert_eq!(
        replayed.build_batch().and_then(|b| b.id()),
        Some(id.as_str())
    );

    sim.advance(300.0);
    let done = get_batch(&client, &id).await;
    assert_eq!(done.build_batch_status(), Some(&StatusType::Succeeded));
    assert_eq!(
        current_arn(&done, "lint"),
        lint,
        "successes keep their build"
    );
    assert!(prior_arns(&done, "lint").is_empty());
    assert_eq!(prior_arns(&done, "build").len(), 1);
    assert_eq!(
        prior_arns(&done, "flaky").len(),
        1,
        "ignored failures rerun too"
    );
    assert!(
        prior_arns(&done, "deploy").is_empty(),
        "it never ran before"
    );
    assert_eq!(status(&done, "deploy"), Some(StatusType::Succeeded));

    let err = client
        .retry_build_batch()
        .id(&id)
        .retry_type(RetryBuildBatchType::RetryFailedBuilds)
        .send()
        .await
        .expect_err("nothing failed");
    let message = err.message().unwrap_or_default().to_string();
    assert!(message.contains("no failed builds"), "{message}");
}

#[tokio::test]
async fn a_batch_that_outlives_its_timeout_is_timed_out() {
    let sim = quiet().await;
    let client = client(&sim);
    let out = client
        .start_build_batch()
        .project_name("e2e-suites")
        .build_batch_config_override(
            ProjectBuildBatchConfig::builder()
                .timeout_in_mins(1)
                .build(),
        )
        .send()
        .await
        .expect("started");
    let id = out.build_batch().and_then(|b| b.id()).expect("id");
    sim.advance(600.0);
    let batch = get_batch(&client, id).await;
    assert!(batch.complete());
    assert_eq!(batch.build_batch_status(), Some(&StatusType::TimedOut));
    let phases = batch_phases(&batch);
    assert_eq!(phases[2], ("IN_PROGRESS".into(), Some("TIMED_OUT".into())));
    assert_eq!(phases[3], ("FAILED".into(), None));
    let context = &batch.phases()[2].contexts()[0];
    assert_eq!(context.status_code(), Some("BUILD_BATCH_TIMED_OUT"));
    for g in batch.build_groups() {
        let summary = g.current_build_summary().expect("every suite started");
        assert_eq!(summary.build_status(), Some(&StatusType::Stopped));
    }
}
