//! StopBuild and RetryBuild through the SDK: a stop ends the running phase
//! at once, a retry reruns a finished build with the same settings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use aws_sdk_codebuild::types::{ComputeType, EnvironmentVariableType, StatusType};
use cbdash::sim::BuildSpec;
use common::sdk::{client, empty, get, secs, var};

#[tokio::test]
async fn stop_build_stops_the_running_phase_then_finalizes() {
    let sim = empty().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        phase_secs: Some(vec![("BUILD".into(), 300.0), ("FINALIZING".into(), 4.0)]),
        ..BuildSpec::default()
    });
    sim.advance(240.0);
    let stopped = client.stop_build().id(&id).send().await.expect("stopped");
    let build = stopped.build_value().expect("build");
    assert_eq!(build.build_status(), Some(&StatusType::Stopped));
    assert_eq!(build.current_phase(), Some("FINALIZING"));
    let halted = &build.phases()[build.phases().len() - 2];
    assert_eq!(halted.phase_type().map(|t| t.as_str()), Some("BUILD"));
    assert_eq!(halted.phase_status(), Some(&StatusType::Stopped));
    let now = sim.now().timestamp_millis() as f64 / 1000.0;
    let end = halted.end_time().map(secs);
    assert_eq!(end, Some(now), "the phase ends at the moment of the stop");

    sim.advance(5.0);
    let done = get(&client, &id).await;
    assert!(done.build_complete());
    assert_eq!(done.build_status(), Some(&StatusType::Stopped));
    assert_eq!(done.current_phase(), Some("COMPLETED"));

    let err = client
        .stop_build()
        .id(&id)
        .send()
        .await
        .expect_err("already done");
    assert!(err.into_service_error().is_invalid_input_exception());
    let err = client
        .stop_build()
        .id("web-frontend:missing")
        .send()
        .await
        .expect_err("unknown");
    assert!(err.into_service_error().is_resource_not_found_exception());
}

#[tokio::test]
async fn retry_build_reruns_a_finished_build_with_the_same_settings() {
    let sim = empty().await;
    let client = client(&sim);
    let original = client
        .start_build()
        .project_name("api-service")
        .compute_type_override(ComputeType::BuildGeneral12Xlarge)
        .environment_variables_override(var("FEATURE", "on", EnvironmentVariableType::Plaintext))
        .source_version("refs/heads/release")
        .send()
        .await
        .expect("started");
    let original_id = original
        .build_value()
        .and_then(|b| b.id())
        .expect("id")
        .to_string();

    let err = client
        .retry_build()
        .id(&original_id)
        .send()
        .await
        .expect_err("still running");
    assert!(err.into_service_error().is_invalid_input_exception());

    sim.advance(3.0 * 3600.0);
    let retried = client
        .retry_build()
        .id(&original_id)
        .idempotency_token("retry-1")
        .send()
        .await
        .expect("retried");
    let retry = retried.build_value().expect("build");
    assert_ne!(retry.id(), Some(original_id.as_str()));
    assert_eq!(retry.project_name(), Some("api-service"));
    assert_eq!(retry.build_number(), Some(2));
    assert_eq!(retry.source_version(), Some("refs/heads/release"));
    let env = retry.environment().expect("environment");
    assert_eq!(env.compute_type(), &ComputeType::BuildGeneral12Xlarge);
    assert!(env
        .environment_variables()
        .iter()
        .any(|v| v.name() == "FEATURE"));

    let again = client
        .retry_build()
        .id(&original_id)
        .idempotency_token("retry-1")
        .send()
        .await
        .expect("replayed");
    assert_eq!(again.build_value().and_then(|b| b.id()), retry.id());
    let err = client
        .retry_build()
        .id("api-service:missing")
        .send()
        .await
        .expect_err("unknown");
    assert!(err.into_service_error().is_resource_not_found_exception());
}
