//! Smithy RPC v2 CBOR, the protocol CodeBuild's model lists beside
//! awsJson1.1: `POST /service/CodeBuild_20161006/operation/<Op>` with
//! `smithy-protocol: rpc-v2-cbor` and a CBOR body. The same operations
//! answer both protocols: bodies are transcoded here, at the edge.
//! CloudWatch Logs' model lists awsJson1.1 alone, so Logs stays JSON only;
//! CloudWatch's lists rpcv2Cbor first, so its metrics are served here too.

mod errors;
mod timestamps;

use hyper::header::CONTENT_TYPE;
use hyper::{HeaderMap, Method};
use serde_json::Value;

use super::cbor;
use super::faults::{Service, JSON_CONTENT_TYPE};
use super::input::ApiError;
use super::metrics;

pub(crate) use errors::{encode as error_body, unknown_operation};

pub(crate) const HEADER: &str = "smithy-protocol";
pub(crate) const PROTOCOL: &str = "rpc-v2-cbor";
pub(crate) const CBOR_CONTENT_TYPE: &str = "application/cbor";
/// The shape name of `com.amazonaws.codebuild#CodeBuild_20161006`.
const SERVICE: &str = "CodeBuild_20161006";
const NAMESPACE: &str = "com.amazonaws.codebuild";
/// awsJson's routing headers, which an rpcv2Cbor request must not carry.
const TARGET_HEADERS: [&str; 2] = ["x-amz-target", "x-amzn-target"];

/// Whether the request is rpcv2Cbor's to answer: it names the protocol, or
/// it is posted to the protocol's path without awsJson's target header
/// (awsJson requests are routed by that header alone).
pub(crate) fn claims(path: &str, headers: &HeaderMap) -> bool {
    let targeted = TARGET_HEADERS.iter().any(|h| headers.contains_key(*h));
    headers.contains_key(HEADER) || (!targeted && operation_path(path).is_some())
}

/// Whether the request names this protocol, so its answer does too (a
/// response's `smithy-protocol` must match the request's).
pub(crate) fn names_protocol(headers: &HeaderMap) -> bool {
    headers.get(HEADER).is_some_and(|v| v == PROTOCOL)
}

/// (service, operation) of `{prefix}/service/{service}/operation/{operation}`:
/// only the last four segments route.
fn operation_path(path: &str) -> Option<(&str, &str)> {
    let mut segments = path.rsplit('/');
    let operation = segments.next().filter(|s| !s.is_empty())?;
    segments.next().filter(|s| *s == "operation")?;
    let service = segments.next().filter(|s| !s.is_empty())?;
    segments.next().filter(|s| *s == "service")?;
    Some((service, operation))
}

/// Whether the request's path names CloudWatch, whose refusals carry its
/// query-compatible error header like its answers.
pub(crate) fn names_metrics(path: &str) -> bool {
    operation_path(path).is_some_and(|(service, _)| {
        service == metrics::SERVICE || service == metrics::QUALIFIED_SERVICE
    })
}

/// The service and operation a claimed request names, known or not; or,
/// with the name to log it under, why the protocol refuses it before any
/// operation. CodeBuild and CloudWatch both speak the protocol.
pub(crate) fn route<'a>(
    method: &Method,
    path: &'a str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Service, &'a str), (&'a str, ApiError)> {
    let Some((service, operation)) = operation_path(path) else {
        return Err((
            path,
            unknown_operation(format!(
                "{path:?} is not /service/{SERVICE}/operation/<operation>"
            )),
        ));
    };
    if method != Method::POST {
        return Err((operation, errors::method_not_allowed()));
    }
    if TARGET_HEADERS.iter().any(|h| headers.contains_key(*h)) {
        return Err((
            operation,
            unknown_operation("rpcv2Cbor requests must not carry X-Amz-Target".to_string()),
        ));
    }
    match headers
        .get(HEADER)
        .map(|v| v.to_str().unwrap_or("(not text)"))
    {
        Some(PROTOCOL) => {}
        None => {
            return Err((
                operation,
                unknown_operation(format!("requests to {path} need {HEADER}: {PROTOCOL}")),
            ))
        }
        Some(other) => {
            return Err((
                operation,
                unknown_operation(format!(
                    "{HEADER}: {other} is not supported; this service speaks {PROTOCOL}"
                )),
            ))
        }
    }
    // The absolute shape ID, `#` written as `.`, routes like the name.
    let qualified = format!("{NAMESPACE}.{SERVICE}");
    let served = if service == SERVICE || service == qualified {
        Service::CodeBuild
    } else if service == metrics::SERVICE || service == metrics::QUALIFIED_SERVICE {
        Service::Metrics
    } else {
        return Err((
            operation,
            unknown_operation(format!("service {service:?} is not served here")),
        ));
    };
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !body.is_empty() && !media_type.eq_ignore_ascii_case(CBOR_CONTENT_TYPE) {
        return Err((operation, errors::unsupported_media_type(content_type)));
    }
    Ok((served, operation))
}

/// A request body as the operations read it; an empty one is `{}`, as in
/// awsJson.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, String> {
    if bytes.is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    cbor::decode(bytes).map_err(|e| e.to_string())
}

/// An operation's output, its timestamps as tag 1.
pub(crate) fn output(value: &Value) -> Vec<u8> {
    cbor::encode_with(value, &timestamps::is_timestamp)
}

/// What a fault answers, in CBOR: a JSON body is transcoded, its `__type`
/// made a shape ID; anything else (a gateway's HTML page, a raw body that
/// is not JSON) goes out as it is. The content type it goes out with.
pub(crate) fn fault_body(content_type: &'static str, body: String) -> (&'static str, Vec<u8>) {
    if content_type != JSON_CONTENT_TYPE {
        return (content_type, body.into_bytes());
    }
    match serde_json::from_str::<Value>(&body) {
        Ok(value) => (CBOR_CONTENT_TYPE, cbor::encode(&errors::qualified(value))),
        Err(_) => (CBOR_CONTENT_TYPE, body.into_bytes()),
    }
}

/// The endless fault's body: an indefinite map holding `ids`, an
/// indefinite array that never breaks; then `repeat` forever.
pub(crate) fn endless_head() -> Vec<u8> {
    let mut head = vec![0xbf, 0x63];
    head.extend(b"ids");
    head.push(0x9f);
    head
}

/// 16 KiB of the endless array's `"x"` items.
pub(crate) fn endless_repeat() -> Vec<u8> {
    [0x61, b'x'].repeat(8 * 1024)
}
