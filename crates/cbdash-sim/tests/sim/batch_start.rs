//! StartBuildBatch through the SDK: overrides show up in the batch and in
//! its group builds, bad input is rejected like StartBuild rejects it, the
//! batch's restrictions are enforced while the batchspec is read.

use crate::sdk::{batch_phases, client, current_build_id, get, get_batch, group, node, quiet, var};
use aws_sdk_codebuild::error::ProvideErrorMetadata;
use aws_sdk_codebuild::types::{
    BatchReportModeType, BatchRestrictions, BuildBatch, ComputeType, EnvironmentVariableType,
    ProjectBuildBatchConfig, StatusType,
};
use aws_sdk_codebuild::Client;
use cbdash_sim::BatchSpec;

fn batch_config(max_builds: i32, compute: &[ComputeType]) -> ProjectBuildBatchConfig {
    let restrictions = BatchRestrictions::builder()
        .maximum_builds_allowed(max_builds)
        .set_compute_types_allowed(Some(
            compute.iter().map(|c| c.as_str().to_string()).collect(),
        ))
        .build();
    ProjectBuildBatchConfig::builder()
        .combine_artifacts(true)
        .restrictions(restrictions)
        .timeout_in_mins(100)
        .batch_report_mode(BatchReportModeType::ReportAggregatedBatch)
        .service_role("arn:aws:iam::123456789012:role/batch-override")
        .build()
}

async fn start_plain(client: &Client, project: &str) -> BuildBatch {
    let out = client
        .start_build_batch()
        .project_name(project)
        .send()
        .await
        .expect("started");
    out.build_batch().cloned().expect("batch")
}

#[tokio::test]
async fn overrides_reach_the_batch_and_every_group_build() {
    let sim = quiet().await;
    let client = client(&sim);
    let out = client
        .start_build_batch()
        .project_name("monorepo-ci")
        .source_version("pr/7")
        .compute_type_override(ComputeType::BuildGeneral12Xlarge)
        .image_override("aws/codebuild/standard:6.0")
        .environment_variables_override(var("STAGE", "qa", EnvironmentVariableType::Plaintext))
        .buildspec_override("version: 0.2\nbatch:\n  build-list: []\n")
        .build_timeout_in_minutes_override(20)
        .queued_timeout_in_minutes_override(60)
        .service_role_override("arn:aws:iam::123456789012:role/override")
        .privileged_mode_override(true)
        .debug_session_enabled(true)
        .report_build_batch_status_override(false)
        .build_batch_config_override(batch_config(9, &[ComputeType::BuildGeneral12Xlarge]))
        .send()
        .await
        .expect("started");
    let batch = out.build_batch().expect("batch");
    assert_eq!(batch.build_batch_status(), Some(&StatusType::InProgress));
    assert_eq!(batch.current_phase(), Some("SUBMITTED"));
    assert_eq!(batch.build_batch_number(), Some(1));
    assert_eq!(batch.source_version(), Some("pr/7"));
    assert_eq!(batch.initiator(), Some("developer"));
    assert_eq!(batch.build_timeout_in_minutes(), Some(20));
    assert_eq!(batch.queued_timeout_in_minutes(), Some(60));
    assert_eq!(batch.debug_session_enabled(), Some(true));
    let env = batch.environment().expect("environment");
    assert_eq!(env.compute_type(), &ComputeType::BuildGeneral12Xlarge);
    assert_eq!(env.image(), "aws/codebuild/standard:6.0");
    let source = batch.source().expect("source");
    assert_eq!(source.report_build_status(), Some(false));
    assert!(source
        .buildspec()
        .unwrap_or_default()
        .contains("build-list"));
    let config = batch.build_batch_config().expect("config");
    assert_eq!(
        config,
        &batch_config(9, &[ComputeType::BuildGeneral12Xlarge])
    );

    sim.advance(20.0);
    let batch = get_batch(&client, batch.id().expect("id")).await;
    // The simulator keeps the project's batch shape whatever buildspec says.
    assert_eq!(batch.build_groups().len(), 7);
    let lint = current_build_id(&batch, "lint").expect("lint started");
    let build = get(&client, &lint).await;
    let env = build.environment().expect("environment");
    assert_eq!(env.compute_type(), &ComputeType::BuildGeneral12Xlarge);
    assert!(env.privileged_mode().unwrap_or_default());
    assert!(env
        .environment_variables()
        .iter()
        .any(|v| v.name() == "STAGE" && v.value() == "qa"));
    assert_eq!(build.timeout_in_minutes(), Some(20));
    assert_eq!(build.source_version(), Some("pr/7"));
    assert_eq!(
        build.resolved_source_version(),
        batch.resolved_source_version()
    );
    assert_eq!(
        build.service_role(),
        Some("arn:aws:iam::123456789012:role/override")
    );
}

#[tokio::test]
async fn combine_artifacts_adds_its_phase_after_the_groups() {
    let sim = quiet().await;
    let client = client(&sim);
    // sdk-matrix combines artifacts in its own batch configuration.
    let id = sim.add_batch(BatchSpec {
        project: "sdk-matrix".into(),
        groups: vec![node("only", &[], 10.0)],
        ..BatchSpec::default()
    });
    sim.advance(120.0);
    let batch = get_batch(&client, &id).await;
    let types: Vec<String> = batch_phases(&batch).into_iter().map(|p| p.0).collect();
    assert_eq!(
        types,
        [
            "SUBMITTED",
            "DOWNLOAD_BATCHSPEC",
            "IN_PROGRESS",
            "COMBINE_ARTIFACTS",
            "SUCCEEDED"
        ]
    );
    let location = batch
        .artifacts()
        .and_then(|a| a.location())
        .unwrap_or_default();
    assert!(location.starts_with("arn:aws:s3:::"), "{location}");
    let summary = group(&batch, "only").current_build_summary().expect("ran");
    let artifact = summary.primary_artifact().expect("primary artifact");
    assert_eq!(artifact.r#type().map(|t| t.as_str()), Some("S3"));
}

#[tokio::test]
async fn restrictions_fail_the_batch_while_the_batchspec_is_read() {
    let sim = quiet().await;
    let client = client(&sim);
    let too_many = client
        .start_build_batch()
        .project_name("monorepo-ci")
        .build_batch_config_override(batch_config(3, &[ComputeType::BuildGeneral1Medium]))
        .send()
        .await
        .expect("accepted: the batchspec is checked later");
    let too_big = client
        .start_build_batch()
        .project_name("monorepo-ci")
        .compute_type_override(ComputeType::BuildGeneral1Xlarge)
        .send()
        .await
        .expect("accepted");
    sim.advance(30.0);
    for (out, expected) in [
        (
            too_many,
            "more than the 3 builds maximumBuildsAllowed allows",
        ),
        (too_big, "BUILD_GENERAL1_XLARGE, which computeTypesAllowed"),
    ] {
        let id = out.build_batch().and_then(|b| b.id()).expect("id");
        let batch = get_batch(&client, id).await;
        assert_eq!(batch.build_batch_status(), Some(&StatusType::Failed));
        let (phase, status) = batch_phases(&batch)[1].clone();
        assert_eq!(
            (phase.as_str(), status.as_deref()),
            ("DOWNLOAD_BATCHSPEC", Some("FAILED"))
        );
        let message = batch.phases()[1].contexts()[0]
            .message()
            .unwrap_or_default();
        assert!(message.contains(expected), "{message}");
        assert!(batch.build_groups().is_empty());
    }
    let builds = client.list_builds().send().await.expect("list");
    assert!(builds.ids().is_empty(), "no group ever started");
}

#[tokio::test]
async fn bad_requests_are_rejected_like_start_build_rejects_them() {
    let sim = quiet().await;
    let client = client(&sim);
    let err = client
        .start_build_batch()
        .project_name("monorepo-ci")
        .build_timeout_in_minutes_override(2)
        .queued_timeout_in_minutes_override(999)
        .send()
        .await
        .expect_err("out of range");
    let message = err.message().unwrap_or_default().to_string();
    assert!(err.into_service_error().is_invalid_input_exception());
    assert!(
        message.starts_with("2 validation errors detected"),
        "{message}"
    );
    assert!(
        message.contains("'buildTimeoutInMinutesOverride'"),
        "{message}"
    );

    let err = client
        .start_build_batch()
        .project_name("monorepo-ci")
        .build_batch_config_override(
            ProjectBuildBatchConfig::builder()
                .batch_report_mode("EVERYTHING".into())
                .build(),
        )
        .send()
        .await
        .expect_err("bad enum");
    let message = err.message().unwrap_or_default().to_string();
    assert!(
        message.contains("buildBatchConfigOverride.batchReportMode"),
        "{message}"
    );

    let err = client
        .start_build_batch()
        .project_name("nope")
        .send()
        .await
        .expect_err("unknown project");
    assert!(err.into_service_error().is_resource_not_found_exception());

    let err = client
        .start_build_batch()
        .project_name("web-frontend")
        .send()
        .await
        .expect_err("no batch configuration");
    let message = err.message().unwrap_or_default().to_string();
    assert!(err.into_service_error().is_invalid_input_exception());
    assert!(message.contains("not enabled"), "{message}");
}

#[tokio::test]
async fn an_idempotency_token_returns_the_same_batch() {
    let sim = quiet().await;
    let client = client(&sim);
    let start = |version: &str| {
        client
            .start_build_batch()
            .project_name("e2e-suites")
            .source_version(version)
            .idempotency_token("deploy-42")
            .send()
    };
    let first = start("main").await.expect("first");
    sim.advance(30.0);
    let again = start("main").await.expect("replayed");
    let id = |b: &BuildBatch| b.id().map(String::from);
    assert_eq!(
        first.build_batch().and_then(id),
        again.build_batch().and_then(id)
    );
    let err = start("develop").await.expect_err("other parameters");
    assert!(err.into_service_error().is_invalid_input_exception());

    let other = start_plain(&client, "e2e-suites").await;
    assert_eq!(other.build_batch_number(), Some(2));
}
