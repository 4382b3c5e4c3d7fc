//! Every failure a call can meet: the program keeps its data, says what
//! failed and when it retries, backs off, and recovers by itself.

use std::time::Duration;

use crate::common::wire::Wire;
use cbdash::domain::ErrorKind;
use cbdash_sim::{Fault, Scenario};

async fn survives(fault: Fault, expected: ErrorKind) {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    let loaded = w.state.store.len();
    assert!(loaded > 0);

    // The calls of the next cycle fail: its discovery page and its fetch.
    w.sim.inject(fault.clone(), 2);
    w.cycle().await;
    assert!(w.state.poller.is_stale(), "{fault:?}: marked stale");
    let (error, _) = w
        .state
        .poller
        .last_error
        .clone()
        .expect("error kept for the status line");
    assert_eq!(error.kind, expected, "{fault:?}: {error}");
    assert_eq!(
        w.state.store.len(),
        loaded,
        "{fault:?}: the last good data stays"
    );
    let retry = w.state.poller.next_at.expect("a retry is scheduled") - w.state.now;
    assert!(retry.num_seconds() >= 3, "{fault:?}: backs off ({retry})");
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(
        frame.contains("stale"),
        "{fault:?}: the screen says the data is stale"
    );
    assert!(
        frame.contains("retry in"),
        "{fault:?}: the screen says when it retries"
    );

    // The service recovers (a throttled cycle stops at its first call, so
    // the second fault may still be queued).
    w.sim.clear_faults();
    w.cycle().await;
    assert!(!w.state.poller.is_stale(), "{fault:?}: recovered by itself");
    assert!(w.state.poller.last_error.is_none());
}

#[tokio::test]
async fn throttling() {
    survives(Fault::Throttle, ErrorKind::Throttled).await;
}

#[tokio::test]
async fn server_error() {
    survives(Fault::ServerError, ErrorKind::Server).await;
}

#[tokio::test]
async fn access_denied() {
    survives(Fault::AccessDenied, ErrorKind::AccessDenied).await;
}

#[tokio::test]
async fn expired_credentials() {
    survives(Fault::ExpiredToken, ErrorKind::Credentials).await;
}

#[tokio::test]
async fn connection_reset() {
    survives(Fault::Reset, ErrorKind::Network).await;
}

#[tokio::test]
async fn body_that_is_not_json() {
    survives(Fault::Malformed, ErrorKind::Malformed).await;
}

#[tokio::test]
async fn slow_answers_still_arrive() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.sim.inject(Fault::Delay(Duration::from_millis(300)), 2);
    w.cycle().await;
    assert!(!w.state.store.is_empty());
    assert!(!w.state.poller.is_stale());
}

#[tokio::test]
async fn unreachable_endpoint() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    w.sim.shutdown();
    tokio::time::sleep(Duration::from_millis(50)).await;
    w.cycle().await;
    let (error, _) = w.state.poller.last_error.clone().expect("error");
    assert_eq!(error.kind, ErrorKind::Network, "{error}");
    assert!(!w.state.store.is_empty());
}

#[tokio::test]
async fn unknown_enum_values_from_a_newer_service_are_kept_raw() {
    let w = Wire::start(Scenario::Quiet, &[]).await;
    let body = r#"{"builds":[{"id":"web-frontend:11111111-2222-4333-8444-555555555555","projectName":"web-frontend",
        "buildNumber":7,"startTime":1.7637e9,"currentPhase":"WARM_CACHE","buildStatus":"PAUSED","buildComplete":false,
        "phases":[{"phaseType":"SUBMITTED","phaseStatus":"SUCCEEDED","startTime":1.7637e9,"endTime":1.7637e9,"durationInSeconds":0},
                  {"phaseType":"WARM_CACHE","phaseStatus":"DEFERRED","startTime":1.7637e9,
                   "contexts":[{"statusCode":"CACHE_MISS","message":"cache was cold"}]}]}],"buildsNotFound":[]}"#;
    w.sim.inject(
        Fault::RawBody {
            status: 200,
            body: body.into(),
        },
        1,
    );
    let result = w
        .api
        .batch_get_builds(vec![
            "web-frontend:11111111-2222-4333-8444-555555555555".into()
        ])
        .await;
    let fetched = result.expect("unknown enum values still parse");
    let b = &fetched.builds[0];
    assert_eq!(b.status.as_str(), "PAUSED");
    assert_eq!(b.current_phase.as_deref(), Some("WARM_CACHE"));
    assert_eq!(
        b.phases[1].status.as_ref().map(|s| s.as_str()),
        Some("DEFERRED")
    );
    assert_eq!(b.phases[1].contexts[0].message, "cache was cold");
}

#[tokio::test]
async fn a_response_of_the_wrong_shape_is_an_error_not_a_crash() {
    let w = Wire::start(Scenario::Quiet, &[]).await;
    w.sim.inject(
        Fault::RawBody {
            status: 200,
            body: r#"{"builds": "not a list"}"#.into(),
        },
        1,
    );
    let error = w
        .api
        .batch_get_builds(vec!["x:1".into()])
        .await
        .expect_err("wrong shape");
    assert_eq!(error.kind, ErrorKind::Malformed, "{error}");
}

#[tokio::test]
async fn an_endless_body_stops_at_the_size_limit_with_a_clear_error() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    // A client reading at most 1 MB per response, as `max_response_mb = 1` sets.
    w.api = cbdash::aws::connect(&cbdash::aws::ConnectOptions {
        max_attempts: 1,
        max_response_bytes: 1024 * 1024,
        ..cbdash::aws::ConnectOptions::for_simulator(w.sim.endpoint_url())
    })
    .await;
    w.sim.inject(Fault::EndlessBody, 2);
    w.cycle().await;
    let (error, _) = w.state.poller.last_error.clone().expect("the cycle failed");
    assert_eq!(
        error.message,
        "response from codebuild larger than 1 MB: stopped reading"
    );
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(
        frame.contains("response from codebuild larger than 1 MB"),
        "on the status line"
    );
    w.sim.clear_faults();
    w.cycle().await;
    assert!(w.state.poller.last_error.is_none(), "recovered");
}

#[tokio::test]
async fn an_endless_body_is_cut_at_64_mb_by_default() {
    survives(Fault::EndlessBody, ErrorKind::Malformed).await;
}
