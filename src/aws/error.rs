use std::error::Error as StdError;

use aws_sdk_codebuild::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use super::body_cap::ResponseTooLarge;
use crate::domain::{ApiError, ErrorKind};

pub fn missing_region() -> ApiError {
    ApiError::new(ErrorKind::Config, "no AWS region configured")
}

/// Reduces any SDK error to what the user can act on, keeping the service's
/// own message where there is one.
pub fn from_sdk<E>(err: SdkError<E, HttpResponse>) -> ApiError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    if let Some(too_large) = cause::<ResponseTooLarge>(&err) {
        return ApiError::new(ErrorKind::Malformed, too_large.to_string());
    }
    match &err {
        SdkError::ServiceError(service) => {
            let code = service.err().code().unwrap_or_default();
            let message = service
                .err()
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| code.to_string());
            let status = service.raw().status().as_u16();
            ApiError::new(kind_for_code(code, status), message)
        }
        SdkError::TimeoutError(_) => ApiError::new(ErrorKind::Network, "request timed out"),
        SdkError::DispatchFailure(failure) => {
            let text = chain(&err);
            if mentions_credentials(&text) {
                ApiError::new(ErrorKind::Credentials, credentials_message(&text))
            } else if failure.is_timeout() {
                ApiError::new(ErrorKind::Network, "connection timed out")
            } else {
                // No answer came back: whatever the cause, it is the network's.
                let _ = failure.is_io();
                ApiError::new(ErrorKind::Network, io_message(&text))
            }
        }
        SdkError::ResponseError(response) => {
            let status = response.raw().status().as_u16();
            if status >= 500 {
                ApiError::new(ErrorKind::Server, format!("HTTP {status} from the service"))
            } else {
                ApiError::new(
                    ErrorKind::Malformed,
                    format!("unreadable response (HTTP {status})"),
                )
            }
        }
        _ => {
            let text = chain(&err);
            if mentions_credentials(&text) {
                ApiError::new(ErrorKind::Credentials, credentials_message(&text))
            } else if text.contains("region") {
                missing_region()
            } else {
                ApiError::new(ErrorKind::Other, text)
            }
        }
    }
}

fn kind_for_code(code: &str, status: u16) -> ErrorKind {
    match code {
        "ThrottlingException"
        | "Throttling"
        | "TooManyRequestsException"
        | "RequestLimitExceeded" => ErrorKind::Throttled,
        "AccessDeniedException" | "AccessDenied" => ErrorKind::AccessDenied,
        "ExpiredTokenException"
        | "ExpiredToken"
        | "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "InvalidSignatureException"
        | "IncompleteSignature"
        | "MissingAuthenticationToken" => ErrorKind::Credentials,
        "InvalidInputException"
        | "ValidationException"
        | "SerializationException"
        | "InvalidParameterValue"
        | "InvalidParameterCombination"
        | "MissingParameter"
        | "InvalidNextToken" => ErrorKind::InvalidInput,
        "ResourceNotFoundException" => ErrorKind::NotFound,
        "AccountLimitExceededException" => ErrorKind::LimitExceeded,
        _ if status >= 500 => ErrorKind::Server,
        _ => ErrorKind::Other,
    }
}

/// The first error of type `T` among `err` and its sources.
fn cause<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut at = Some(err);
    while let Some(e) = at {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        at = e.source();
    }
    None
}

fn chain<E: StdError + 'static, R: std::fmt::Debug>(err: &SdkError<E, R>) -> String {
    DisplayErrorContext(err).to_string()
}

fn mentions_credentials(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("credential") || lower.contains("no auth scheme") || lower.contains("sso")
}

fn credentials_message(text: &str) -> String {
    if text.to_ascii_lowercase().contains("expired") {
        "credentials have expired".into()
    } else {
        "no usable AWS credentials".into()
    }
}

fn io_message(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if lower.contains("refused") {
        "connection refused".into()
    } else if lower.contains("reset") || lower.contains("closed") || lower.contains("incomplete") {
        "connection reset".into()
    } else if lower.contains("dns") || lower.contains("resolve") {
        "endpoint name does not resolve".into()
    } else {
        "endpoint unreachable".into()
    }
}
