//! GetLogEvents errors as the service answers them, injected faults on the
//! logs client, and the request log.

use crate::sdk::{client, log_target, logs_client, quiet, raw_post};
use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;
use cbdash_sim::{BuildSpec, Fault, SimHandle};
use serde_json::{json, Value};

const TARGET: &str = "Logs_20140328.GetLogEvents";

/// A build whose stream exists, and its (group, stream).
async fn running(sim: &SimHandle) -> (String, (String, String)) {
    let id = sim.add_build(BuildSpec {
        started_secs_ago: 120.0,
        ..BuildSpec::default()
    });
    let target = log_target(&client(sim), &id).await;
    (id, target)
}

async fn raw(sim: &SimHandle, body: Value) -> (u16, Value) {
    let (status, _, body) = raw_post(sim, "/", Some(TARGET), &body.to_string()).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn access_denied_names_the_logs_action_and_the_stream() {
    let sim = quiet().await;
    let (_, (group, stream)) = running(&sim).await;
    sim.inject(Fault::AccessDenied, 1);
    let err = logs_client(&sim)
        .get_log_events()
        .log_group_name(&group)
        .log_stream_name(&stream)
        .send()
        .await
        .expect_err("denied");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    let message = err.message().unwrap_or_default();
    assert!(
        message.starts_with("User: arn:aws:sts::123456789012:assumed-role/"),
        "{message}"
    );
    let expected = format!(
        "is not authorized to perform: logs:GetLogEvents on resource: \
         arn:aws:logs:us-east-1:123456789012:log-group:{group}:log-stream:{stream}"
    );
    assert!(message.contains(&expected), "{message}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
}

#[tokio::test]
async fn throttling_reaches_the_logs_client_and_is_logged() {
    let sim = quiet().await;
    let (_, (group, stream)) = running(&sim).await;
    sim.clear_requests();
    sim.inject(Fault::Throttle, 1);
    let logs = logs_client(&sim);
    let get = || {
        logs.get_log_events()
            .log_group_name(&group)
            .log_stream_name(&stream)
            .send()
    };
    let err = get().await.expect_err("throttled");
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(err.message(), Some("Rate exceeded"));
    get().await.expect("the next call succeeds");

    let requests = sim.requests();
    let seen: Vec<(&str, u16)> = requests
        .iter()
        .map(|r| (r.operation.as_str(), r.status))
        .collect();
    assert_eq!(seen, [("GetLogEvents", 400), ("GetLogEvents", 200)]);
    assert_eq!(requests[1].body["logStreamName"], json!(stream));
}

#[tokio::test]
async fn faults_are_shared_with_codebuild_requests_in_order() {
    let sim = quiet().await;
    let (id, (group, stream)) = running(&sim).await;
    sim.inject(Fault::ServerError, 1);
    sim.inject(Fault::ExpiredToken, 1);
    let err = client(&sim)
        .batch_get_builds()
        .ids(&id)
        .send()
        .await
        .expect_err("first fault");
    assert_eq!(
        aws_sdk_codebuild::error::ProvideErrorMetadata::code(&err),
        Some("InternalFailure")
    );
    let err = logs_client(&sim)
        .get_log_events()
        .log_group_name(&group)
        .log_stream_name(&stream)
        .send()
        .await
        .expect_err("second fault");
    assert_eq!(err.code(), Some("ExpiredTokenException"));
}

#[tokio::test]
async fn a_token_that_is_not_this_streams_is_an_invalid_parameter() {
    let sim = quiet().await;
    let (_, (group, stream)) = running(&sim).await;
    let (_, (_, other)) = running(&sim).await;
    let logs = logs_client(&sim);
    let theirs = logs
        .get_log_events()
        .log_group_name(&group)
        .log_stream_name(&other)
        .send()
        .await
        .expect("other stream");
    let token = theirs.next_forward_token().expect("token");
    for bad in [token, "f/not-a-token", "x/0000/s"] {
        let err = logs
            .get_log_events()
            .log_group_name(&group)
            .log_stream_name(&stream)
            .next_token(bad)
            .send()
            .await
            .expect_err("bad token");
        assert_eq!(err.message(), Some("The specified nextToken is invalid."));
        assert!(err.into_service_error().is_invalid_parameter_exception());
    }
}

#[tokio::test]
async fn unknown_groups_and_streams_are_not_found() {
    let sim = quiet().await;
    let (_, (group, _)) = running(&sim).await;
    let logs = logs_client(&sim);
    for (g, s, message) in [
        (
            "/aws/codebuild/nope",
            "x",
            "The specified log group does not exist.",
        ),
        (
            group.as_str(),
            "no-such-stream",
            "The specified log stream does not exist.",
        ),
    ] {
        let err = logs
            .get_log_events()
            .log_group_name(g)
            .log_stream_name(s)
            .send()
            .await
            .expect_err("missing");
        assert_eq!(err.code(), Some("ResourceNotFoundException"));
        assert_eq!(err.message(), Some(message));
    }
}

#[tokio::test]
async fn requests_are_validated_like_the_service_does() {
    let sim = quiet().await;
    let (_, (group, stream)) = running(&sim).await;
    let err = logs_client(&sim)
        .get_log_events()
        .log_group_name(&group)
        .log_stream_name(&stream)
        .limit(0)
        .send()
        .await
        .expect_err("limit 0");
    assert_eq!(
        err.message(),
        Some("1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    );
    assert!(err.into_service_error().is_invalid_parameter_exception());

    let (status, body) = raw(&sim, json!({"logGroupName": group})).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "InvalidParameterException");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("Value null at 'logStreamName'")));

    let (status, body) = raw(&sim, json!({"logStreamName": stream})).await;
    assert_eq!(
        (status, &body["__type"]),
        (400, &json!("InvalidParameterException"))
    );

    let (status, body) = raw(
        &sim,
        json!({"logGroupName": group, "logStreamName": stream, "limit": "ten"}),
    )
    .await;
    assert_eq!(
        (status, &body["__type"]),
        (400, &json!("SerializationException"))
    );

    let (status, _, body) = raw_post(&sim, "/", Some("Logs_20140328.PutLogEvents"), "{}").await;
    assert_eq!(status, 400);
    assert!(body.contains("UnknownOperationException"), "{body}");
}

#[tokio::test]
async fn responses_use_the_logs_wire_shape() {
    let sim = quiet().await;
    let (_, (group, stream)) = running(&sim).await;
    let request =
        json!({"logGroupName": group, "logStreamName": stream, "startFromHead": true, "limit": 2});
    let (status, head, body) = raw_post(&sim, "/", Some(TARGET), &request.to_string()).await;
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: application/x-amz-json-1.1"),
        "{head}"
    );
    assert!(head.contains("x-amzn-requestid:"), "{head}");
    let body: Value = serde_json::from_str(&body).expect("JSON");
    let events = body["events"].as_array().expect("events");
    assert_eq!(events.len(), 2);
    for event in events {
        assert!(event["timestamp"].is_i64() && event["ingestionTime"].is_i64());
        assert!(event["message"].is_string());
    }
    assert!(body["nextForwardToken"]
        .as_str()
        .is_some_and(|t| t.starts_with("f/")));
    assert!(body["nextBackwardToken"]
        .as_str()
        .is_some_and(|t| t.starts_with("b/")));
}
