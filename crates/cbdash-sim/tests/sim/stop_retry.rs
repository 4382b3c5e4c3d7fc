//! StopBuild and RetryBuild through the SDK: a stop ends the running phase
//! and the build at once, a retry reruns a finished build with the same
//! settings.

use crate::sdk::{client, get, quiet, secs, var};
use aws_sdk_codebuild::types::{ComputeType, EnvironmentVariableType, StatusType};
use cbdash_sim::BuildSpec;

#[tokio::test]
async fn stop_build_completes_the_build_at_once_and_a_retry_is_accepted() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        phase_secs: Some(vec![("BUILD".into(), 300.0), ("FINALIZING".into(), 4.0)]),
        ..BuildSpec::default()
    });
    sim.advance(240.0);
    let stopped = client.stop_build().id(&id).send().await.expect("stopped");
    let now = sim.now().timestamp_millis() as f64 / 1000.0;
    let answered = stopped.build_value().expect("build");
    let fetched = get(&client, &id).await;
    for build in [answered, &fetched] {
        assert_eq!(build.build_status(), Some(&StatusType::Stopped));
        assert!(build.build_complete(), "a stopped build is complete");
        assert_eq!(build.current_phase(), Some("COMPLETED"));
        assert_eq!(build.end_time().map(secs), Some(now));
        let phases: Vec<(&str, Option<&StatusType>)> = build
            .phases()
            .iter()
            .map(|p| (p.phase_type().map_or("", |t| t.as_str()), p.phase_status()))
            .collect();
        let ok = Some(&StatusType::Succeeded);
        assert_eq!(
            phases,
            [
                ("SUBMITTED", ok),
                ("QUEUED", ok),
                ("PROVISIONING", ok),
                ("DOWNLOAD_SOURCE", ok),
                ("INSTALL", ok),
                ("PRE_BUILD", ok),
                ("BUILD", Some(&StatusType::Stopped)),
                ("COMPLETED", None),
            ],
            "no FINALIZING after a stop"
        );
        let halted = &build.phases()[6];
        assert_eq!(halted.end_time().map(secs), Some(now), "ends at the stop");
    }

    let retried = client.retry_build().id(&id).send().await.expect("retried");
    let retry = retried.build_value().expect("build");
    assert_eq!(retry.build_status(), Some(&StatusType::InProgress));
    assert_ne!(retry.id(), Some(id.as_str()));

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
    let sim = quiet().await;
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
