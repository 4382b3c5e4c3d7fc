//! What an injected fault answers instead of the normal response.

use serde_json::{json, Value};

use super::catalog::{strip_arn, Place};
use super::logs::stream_arn;
use super::{Fault, FaultScope};

/// A fault waiting for the requests it applies to.
#[derive(Clone, Debug)]
pub(crate) struct Injected {
    pub fault: Fault,
    pub scope: FaultScope,
    /// Requests it still answers; `u32::MAX` never runs out.
    pub left: u32,
}

impl FaultScope {
    /// Whether a request of `operation` with `body` is in scope.
    pub(crate) fn matches(&self, operation: &str, body: &Value) -> bool {
        let project = || {
            body.get("projectName")
                .and_then(Value::as_str)
                .map(|p| strip_arn(p, "project/"))
        };
        self.operation.as_deref().is_none_or(|op| op == operation)
            && self.project.as_deref().is_none_or(|p| project() == Some(p))
    }
}

pub(crate) const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.1";

pub(crate) enum Reply {
    Answer {
        status: u16,
        content_type: &'static str,
        body: String,
    },
    /// Close the connection without a response.
    Reset,
    /// 200 and a JSON-looking body that never ends.
    Endless,
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::Answer {
        status,
        content_type: JSON_CONTENT_TYPE,
        body: json!({"__type": code, "message": message}).to_string(),
    }
}

/// Which API a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service {
    CodeBuild,
    Logs,
    /// CloudWatch (metrics).
    Metrics,
}

impl Service {
    /// The prefix of its actions in IAM policies.
    fn iam_prefix(self) -> &'static str {
        match self {
            Service::CodeBuild => "codebuild",
            Service::Logs => "logs",
            Service::Metrics => "cloudwatch",
        }
    }
}

/// The resource an IAM denial would name: the project the request is about.
fn resource(place: &Place, body: &Value) -> String {
    let project = body
        .get("projectName")
        .and_then(Value::as_str)
        .map(String::from)
        .or_else(|| {
            let id = body
                .get("id")
                .or_else(|| body.get("ids").and_then(|ids| ids.get(0)))
                .and_then(Value::as_str)?;
            let id = id.rsplit_once('/').map_or(id, |(_, rest)| rest);
            id.split_once(':').map(|(project, _)| project.to_string())
        });
    match project {
        Some(name) => place.project_arn(&name),
        None => place.project_arn("*"),
    }
}

/// The log stream a CloudWatch Logs request names.
fn logs_resource(place: &Place, body: &Value) -> String {
    let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default();
    let group = match text("logGroupName") {
        "" => text("logGroupIdentifier"),
        name => name,
    };
    match group.strip_prefix("arn:") {
        Some(_) => group.trim_end_matches(":*").to_string(),
        None => stream_arn(place, group, text("logStreamName")),
    }
}

/// The reply for `fault`, or None when the request should be answered
/// normally (a delay only postpones the answer).
pub(crate) fn reply(
    place: &Place,
    fault: &Fault,
    service: Service,
    operation: &str,
    body: &Value,
) -> Option<Reply> {
    Some(match fault {
        Fault::Throttle => error(400, "ThrottlingException", "Rate exceeded"),
        Fault::ServerError => error(
            500,
            "InternalFailure",
            "The request processing has failed because of an unknown error, exception or failure.",
        ),
        Fault::AccessDenied => {
            let action = format!("{}:{operation}", service.iam_prefix());
            let user = format!(
                "User: arn:aws:sts::{}:assumed-role/Developer/alice",
                place.account
            );
            let denied = match service {
                Service::CodeBuild => format!(" on resource: {}", resource(place, body)),
                Service::Logs => format!(" on resource: {}", logs_resource(place, body)),
                // CloudWatch's metric reads name no resource.
                Service::Metrics => String::new(),
            };
            error(
                400,
                "AccessDeniedException",
                &format!(
                    "{user} is not authorized to perform: {action}{denied} because no \
                     identity-based policy allows the {action} action"
                ),
            )
        }
        Fault::ExpiredToken => error(
            400,
            "ExpiredTokenException",
            "The security token included in the request is expired",
        ),
        Fault::Delay(_) => return None,
        Fault::Reset => Reply::Reset,
        Fault::Malformed => Reply::Answer {
            status: 200,
            content_type: "text/html",
            body: "<html><body><h1>502 Bad Gateway</h1>gateway error</body></html>".to_string(),
        },
        Fault::RawBody { status, body } => Reply::Answer {
            status: *status,
            content_type: JSON_CONTENT_TYPE,
            body: body.clone(),
        },
        Fault::EndlessBody => Reply::Endless,
    })
}
