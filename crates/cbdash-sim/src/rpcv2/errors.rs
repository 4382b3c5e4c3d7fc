//! Errors as rpcv2Cbor sends them: a CBOR map of `__type`, the error's
//! absolute shape ID, and `message`.

use serde_json::Value;

use super::super::cbor;
use super::super::input::ApiError;

/// CodeBuild's modeled errors, all in its own namespace.
const CODEBUILD_ERRORS: &[&str] = &[
    "AccountLimitExceededException",
    "AccountSuspendedException",
    "InvalidInputException",
    "OAuthProviderException",
    "ResourceAlreadyExistsException",
    "ResourceNotFoundException",
];

/// The absolute shape ID of an error code. Errors the model does not list
/// (unknown operations, malformed bodies, throttling, denied or expired
/// credentials, internal failures) come from the AWS front end, which names
/// them in its own namespaces, as awsJson 1.0 services show them.
pub(crate) fn shape_id(code: &str) -> String {
    if code.contains('#') {
        code.to_string()
    } else if CODEBUILD_ERRORS.contains(&code) {
        format!("{}#{code}", super::NAMESPACE)
    } else if code == "ThrottlingException" {
        format!("com.amazon.coral.availability#{code}")
    } else {
        format!("com.amazon.coral.service#{code}")
    }
}

/// An error body (`{"__type": ..., "message": ...}`, as the operations and
/// the faults write it) with its `__type` made a shape ID.
pub(crate) fn qualified(mut body: Value) -> Value {
    if let Some(kind) = body.get_mut("__type") {
        if let Some(code) = kind.as_str() {
            *kind = Value::from(shape_id(code));
        }
    }
    body
}

pub(crate) fn encode(error: &ApiError) -> Vec<u8> {
    cbor::encode(&qualified(error.body()))
}

/// Requests the protocol refuses before any operation, as smithy-rs's
/// server does: 404 for what does not route, 405 for a method other than
/// POST, 415 for a body that is not CBOR.
pub(crate) fn unknown_operation(message: String) -> ApiError {
    ApiError {
        status: 404,
        code: "UnknownOperationException",
        message,
    }
}

pub(crate) fn method_not_allowed() -> ApiError {
    ApiError {
        status: 405,
        code: "UnknownOperationException",
        message: "rpcv2Cbor requests are sent with POST".to_string(),
    }
}

pub(crate) fn unsupported_media_type(content_type: &str) -> ApiError {
    ApiError {
        status: 415,
        code: "UnsupportedMediaTypeException",
        message: format!("rpcv2Cbor request bodies are application/cbor, not {content_type:?}"),
    }
}
