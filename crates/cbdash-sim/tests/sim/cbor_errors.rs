//! rpcv2Cbor errors: operation errors as CBOR maps with the shape ID in
//! `__type`, requests the protocol refuses, and hostile bodies answered
//! with a clear error in bounded time.

use std::time::{Duration, Instant};

use cbdash_sim::Fault;
use serde_json::json;

use super::cbor_client::{encode, post, post_bytes, post_json, raw, CBOR};
use super::sdk::quiet;

const PATH: &str = "/service/CodeBuild_20161006/operation/ListProjects";

#[tokio::test]
async fn an_operation_error_names_its_shape_and_keeps_the_json_message() {
    let sim = quiet().await;
    let answer = post(&sim, "BatchGetBuilds", &json!({})).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.header("content-type"), Some(CBOR));
    assert_eq!(answer.header("smithy-protocol"), Some("rpc-v2-cbor"));
    let (kind, message) = answer.error();
    assert_eq!(kind, "com.amazonaws.codebuild#InvalidInputException");
    let (status, json) = post_json(&sim, "BatchGetBuilds", &json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(json["__type"], "InvalidInputException");
    assert_eq!(message, json["message"].as_str().unwrap());
    assert!(message.contains("ids"), "{message}");

    let answer = post(
        &sim,
        "StartBuild",
        &json!({"projectName": "no-such-project"}),
    )
    .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.error().0,
        "com.amazonaws.codebuild#ResourceNotFoundException"
    );
}

#[tokio::test]
async fn unknown_operations_and_services_are_not_found() {
    let sim = quiet().await;
    let answer = post(&sim, "DescribeTheWeather", &json!({})).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.header("smithy-protocol"), Some("rpc-v2-cbor"));
    let (kind, message) = answer.error();
    assert_eq!(kind, "com.amazon.coral.service#UnknownOperationException");
    assert!(message.contains("DescribeTheWeather"), "{message}");

    let headers = [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", CBOR)];
    let body = encode(&json!({}));
    // CloudWatch Logs speaks awsJson1.1 only.
    for path in [
        "/service/Logs_20140328/operation/GetLogEvents",
        "/service/CodeBuild_20161006/operation/",
        "/service/CodeBuild_20161006",
        "/",
    ] {
        let answer = raw(&sim, "POST", path, &headers, &body).await;
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(
            answer.error().0,
            "com.amazon.coral.service#UnknownOperationException",
            "{path}"
        );
    }
    // The absolute shape ID routes like the name, and a prefix is ignored.
    for path in [
        "/service/com.amazonaws.codebuild.CodeBuild_20161006/operation/ListProjects",
        "/v1/service/CodeBuild_20161006/operation/ListProjects",
    ] {
        let answer = raw(&sim, "POST", path, &headers, &body).await;
        assert_eq!(answer.status, 200, "{path}");
        assert!(answer.decoded().value["projects"].is_array());
    }
}

#[tokio::test]
async fn requests_without_the_protocol_header_are_refused() {
    let sim = quiet().await;
    let body = encode(&json!({}));
    let answer = raw(&sim, "POST", PATH, &[("Content-Type", CBOR)], &body).await;
    assert_eq!(answer.status, 404);
    // The answer names no protocol, as the request named none.
    assert_eq!(answer.header("smithy-protocol"), None);
    let (kind, message) = answer.error();
    assert_eq!(kind, "com.amazon.coral.service#UnknownOperationException");
    assert!(
        message.contains("smithy-protocol: rpc-v2-cbor"),
        "{message}"
    );

    let json_protocol = [("smithy-protocol", "rpc-v2-json"), ("Content-Type", CBOR)];
    let answer = raw(&sim, "POST", PATH, &json_protocol, &body).await;
    assert_eq!(answer.status, 404);
    assert!(answer.error().1.contains("rpc-v2-json"));

    // awsJson's target header makes an rpcv2Cbor request malformed.
    let targeted = [
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Type", CBOR),
        ("X-Amz-Target", "CodeBuild_20161006.ListProjects"),
    ];
    let answer = raw(&sim, "POST", PATH, &targeted, &body).await;
    assert_eq!(answer.status, 404);
    assert!(answer.error().1.contains("X-Amz-Target"));

    let headers = [("smithy-protocol", "rpc-v2-cbor"), ("Content-Type", CBOR)];
    assert_eq!(raw(&sim, "GET", PATH, &headers, &[]).await.status, 405);

    let as_json = [
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Type", "application/json"),
    ];
    let answer = raw(&sim, "POST", PATH, &as_json, b"{}").await;
    assert_eq!(answer.status, 415);
    assert_eq!(
        answer.error().0,
        "com.amazon.coral.service#UnsupportedMediaTypeException"
    );

    // None of them reached ListProjects; each is in the request log.
    let statuses: Vec<u16> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [404, 404, 404, 405, 415]);
    // An empty body needs no content type, and reads as {}.
    assert_eq!(
        raw(&sim, "POST", PATH, &headers[..1], &[]).await.status,
        200
    );
}

#[tokio::test]
async fn malformed_bodies_get_a_serialization_error() {
    let sim = quiet().await;
    let whole = encode(&json!({"ids": ["web-frontend:1", "web-frontend:2"]}));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (whole[..whole.len() / 2].to_vec(), "runs past the end"),
        (whole[..5].to_vec(), "ends inside"),
        (vec![0xff], "break outside"),
        (
            [whole.as_slice(), &[0x00]].concat(),
            "unexpected bytes after",
        ),
        (
            vec![0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            "runs past the end",
        ),
        (vec![0xa1, 0x01, 0x02], "not a text string"),
        (
            vec![0xa1, 0x61, 0x61, 0xc2, 0x41, 0x01],
            "unsupported CBOR tag 2",
        ),
        (encode(&json!(["ids"])), "must be a CBOR map"),
    ];
    for (body, reason) in cases {
        let answer = post_bytes(&sim, "BatchGetBuilds", &body).await;
        assert_eq!(answer.status, 400, "{body:02x?}");
        let (kind, message) = answer.error();
        assert_eq!(kind, "com.amazon.coral.service#SerializationException");
        assert!(message.contains(reason), "{body:02x?}: {message}");
    }
    // The server is unharmed.
    assert_eq!(post(&sim, "ListProjects", &json!({})).await.status, 200);
}

#[tokio::test]
async fn deep_or_huge_bodies_are_refused_in_bounded_time() {
    let sim = quiet().await;
    let started = Instant::now();
    // {"ids": [[[[... a million levels]]]]}, in three megabytes.
    let mut deep = vec![0xa1, 0x63];
    deep.extend(b"ids");
    deep.extend(std::iter::repeat_n(0x9f, 3_000_000));
    let answer = post_bytes(&sim, "BatchGetBuilds", &deep).await;
    assert_eq!(answer.status, 400);
    assert!(answer.error().1.contains("nested deeper than 128 levels"));

    // Two million one-byte items.
    let mut many = vec![0xa1, 0x63];
    many.extend(b"ids");
    many.push(0x9f);
    many.extend(std::iter::repeat_n(0x00, 2_000_000));
    many.push(0xff);
    let answer = post_bytes(&sim, "BatchGetBuilds", &many).await;
    assert_eq!(answer.status, 400);
    assert!(answer.error().1.contains("more than 1048576 items"));
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn injected_faults_answer_in_cbor() {
    let sim = quiet().await;
    sim.inject(Fault::Throttle, 1);
    let answer = post(&sim, "ListProjects", &json!({})).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(
        answer.error(),
        (
            "com.amazon.coral.availability#ThrottlingException".to_string(),
            "Rate exceeded".to_string()
        )
    );

    sim.inject(Fault::AccessDenied, 1);
    let answer = post(&sim, "BatchGetProjects", &json!({"names": ["api-service"]})).await;
    assert_eq!(
        answer.error().0,
        "com.amazon.coral.service#AccessDeniedException"
    );
    assert!(answer.error().1.contains("codebuild:BatchGetProjects"));

    // A gateway's page is no CBOR and says no protocol.
    sim.inject(Fault::Malformed, 1);
    let answer = post(&sim, "ListProjects", &json!({})).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("text/html"));
    assert_eq!(answer.header("smithy-protocol"), None);
}
