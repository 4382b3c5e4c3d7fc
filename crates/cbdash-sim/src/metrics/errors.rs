//! CloudWatch's errors. Its modeled errors are named by their shape IDs
//! (so rpcv2Cbor's `__type` is right as it is); being query-compatible,
//! every error response also says its awsQuery code and fault in the
//! `x-amzn-query-error` header, which the SDKs take the error code from.

use super::super::input::ApiError;

const INVALID_PARAMETER_VALUE: &str = "com.amazonaws.cloudwatch#InvalidParameterValueException";
const MISSING_PARAMETER: &str = "com.amazonaws.cloudwatch#MissingRequiredParameterException";
const INVALID_NEXT_TOKEN: &str = "com.amazonaws.cloudwatch#InvalidNextToken";

/// (the error's code or shape ID, its awsQuery code).
const QUERY_CODES: &[(&str, &str)] = &[
    (INVALID_PARAMETER_VALUE, "InvalidParameterValue"),
    (MISSING_PARAMETER, "MissingParameter"),
    (INVALID_NEXT_TOKEN, "InvalidNextToken"),
    ("ThrottlingException", "Throttling"),
    ("AccessDeniedException", "AccessDenied"),
    ("ExpiredTokenException", "ExpiredToken"),
    ("InternalFailure", "InternalServiceError"),
    ("UnknownOperationException", "InvalidAction"),
    ("SerializationException", "MalformedQueryString"),
];

pub(crate) fn invalid_value(message: impl Into<String>) -> ApiError {
    ApiError {
        status: 400,
        code: INVALID_PARAMETER_VALUE,
        message: message.into(),
    }
}

pub(crate) fn missing(parameter: &str) -> ApiError {
    ApiError {
        status: 400,
        code: MISSING_PARAMETER,
        message: format!("The parameter {parameter} is required."),
    }
}

pub(crate) fn invalid_token() -> ApiError {
    ApiError {
        status: 400,
        code: INVALID_NEXT_TOKEN,
        message: "The service couldn't process your request because of an invalid token."
            .to_string(),
    }
}

/// The `x-amzn-query-error` value for an error of `code` (a name or a
/// shape ID) answered with `status`: `Code;Sender`, or `;Receiver` for
/// the service's own failures.
pub(crate) fn query_error(code: &str, status: u16) -> String {
    let name = code.rsplit('#').next().unwrap_or(code);
    let query = QUERY_CODES
        .iter()
        .find(|(known, _)| *known == code || *known == name)
        .map_or_else(
            || name.strip_suffix("Exception").unwrap_or(name).to_string(),
            |(_, query)| (*query).to_string(),
        );
    let fault = if status >= 500 { "Receiver" } else { "Sender" };
    format!("{query};{fault}")
}
