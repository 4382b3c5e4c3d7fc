//! Injected faults reach the real SDK client as the errors it would see
//! from the service.

use std::time::{Duration, Instant};

use crate::sdk::{client, client_with, quiet};
use aws_sdk_codebuild::config::retry::RetryConfig;
use aws_sdk_codebuild::error::{ProvideErrorMetadata, SdkError};
use cbdash_sim::{Fault, SimHandle};

async fn fail_once(
    sim: &SimHandle,
    fault: Fault,
) -> SdkError<
    impl ProvideErrorMetadata + std::fmt::Debug,
    aws_sdk_codebuild::config::http::HttpResponse,
> {
    sim.inject(fault, 1);
    client(sim)
        .batch_get_builds()
        .ids("web-frontend:1")
        .send()
        .await
        .expect_err("fault answers with an error")
}

#[tokio::test]
async fn throttling_reaches_the_sdk_as_a_throttling_exception() {
    let sim = quiet().await;
    let err = fail_once(&sim, Fault::Throttle).await;
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(err.message(), Some("Rate exceeded"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
}

#[tokio::test]
async fn the_sdk_retries_throttles_and_server_errors_itself() {
    let sim = quiet().await;
    sim.inject(Fault::Throttle, 1);
    sim.inject(Fault::ServerError, 1);
    let retrying = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let client = client_with(&sim, retrying, None);
    client
        .list_builds()
        .send()
        .await
        .expect("third attempt succeeds");
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [400, 500, 200]);
}

#[tokio::test]
async fn server_error_is_a_500_internal_failure() {
    let sim = quiet().await;
    let err = fail_once(&sim, Fault::ServerError).await;
    assert_eq!(err.code(), Some("InternalFailure"));
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
}

#[tokio::test]
async fn access_denied_names_the_operation_and_resource() {
    let sim = quiet().await;
    let err = fail_once(&sim, Fault::AccessDenied).await;
    assert_eq!(err.code(), Some("AccessDeniedException"));
    let message = err.message().unwrap_or_default();
    assert!(
        message.contains("is not authorized to perform: codebuild:BatchGetBuilds"),
        "{message}"
    );
    assert!(message.contains("project/web-frontend"), "{message}");
}

#[tokio::test]
async fn expired_token_is_reported() {
    let sim = quiet().await;
    let err = fail_once(&sim, Fault::ExpiredToken).await;
    assert_eq!(err.code(), Some("ExpiredTokenException"));
    assert_eq!(
        err.message(),
        Some("The security token included in the request is expired")
    );
}

#[tokio::test]
async fn a_delay_postpones_a_normal_answer_or_trips_the_client_timeout() {
    let sim = quiet().await;
    sim.inject(Fault::Delay(Duration::from_millis(150)), 1);
    let started = Instant::now();
    client(&sim)
        .list_builds()
        .send()
        .await
        .expect("answered after the delay");
    assert!(started.elapsed() >= Duration::from_millis(150));

    sim.inject(Fault::Delay(Duration::from_millis(500)), 1);
    let impatient = client_with(
        &sim,
        RetryConfig::disabled(),
        Some(Duration::from_millis(50)),
    );
    let err = impatient.list_builds().send().await.expect_err("times out");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
}

#[tokio::test]
async fn reset_drops_the_connection_without_an_answer() {
    let sim = quiet().await;
    let err = fail_once(&sim, Fault::Reset).await;
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(sim.requests()[0].status, 0, "recorded as unanswered");
    client(&sim)
        .list_builds()
        .send()
        .await
        .expect("the next request is fine");
}

#[tokio::test]
async fn a_malformed_body_is_a_response_the_sdk_cannot_parse() {
    let sim = quiet().await;
    let err = fail_once(&sim, Fault::Malformed).await;
    assert!(
        !matches!(
            err,
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_)
        ),
        "the body arrived but could not be used: {err:?}"
    );
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(200));
}

#[tokio::test]
async fn a_raw_body_is_answered_verbatim_and_unknown_enums_still_parse() {
    let sim = quiet().await;
    let body = r#"{"builds":[{"id":"web-frontend:x","buildStatus":"IN_PROGRESS",
        "currentPhase":"WARMING_UP","phases":[{"phaseType":"WARMING_UP","startTime":1732363200.5}]}],
        "buildsNotFound":[]}"#;
    sim.inject(
        Fault::RawBody {
            status: 200,
            body: body.to_string(),
        },
        1,
    );
    let got = client(&sim)
        .batch_get_builds()
        .ids("web-frontend:x")
        .send()
        .await
        .expect("parsed");
    let phase = &got.builds()[0].phases()[0];
    assert_eq!(phase.phase_type().map(|t| t.as_str()), Some("WARMING_UP"));
}

#[tokio::test]
async fn faults_apply_in_injection_order_to_the_next_requests_only() {
    let sim = quiet().await;
    sim.inject(Fault::Throttle, 2);
    sim.inject(Fault::ExpiredToken, 1);
    let client = client(&sim);
    let mut codes = Vec::new();
    for _ in 0..4 {
        let result = client.list_projects().send().await;
        codes.push(result.err().and_then(|e| e.code().map(String::from)));
    }
    let expected = [
        Some("ThrottlingException".to_string()),
        Some("ThrottlingException".to_string()),
        Some("ExpiredTokenException".to_string()),
        None,
    ];
    assert_eq!(codes, expected);

    sim.inject(Fault::Throttle, 5);
    sim.clear_faults();
    client.list_projects().send().await.expect("cleared");
}
