use std::fmt;

/// What went wrong with a call, reduced to what the user can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No credentials, or credentials the service rejected as expired or unknown.
    Credentials,
    AccessDenied,
    Throttled,
    /// Endpoint unreachable, connection reset, time-out.
    Network,
    /// The service answered 5xx.
    Server,
    /// The answer could not be read (not JSON, wrong shape).
    Malformed,
    InvalidInput,
    NotFound,
    LimitExceeded,
    /// Missing region or another local set-up problem.
    Config,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            message: message.into(),
        }
    }

    /// A one-line suggestion for errors the user fixes outside the program.
    pub fn hint(&self) -> Option<&'static str> {
        match self.kind {
            ErrorKind::Credentials => {
                Some("run `aws configure` or `aws sso login`, or try `cbdash --demo`")
            }
            ErrorKind::Config => Some("pass --region or set AWS_REGION, or try `cbdash --demo`"),
            ErrorKind::AccessDenied => {
                Some("the identity needs codebuild:ListBuilds and codebuild:BatchGetBuilds")
            }
            _ => None,
        }
    }

    /// Short name of the kind, for the status line.
    pub fn label(&self) -> &'static str {
        match self.kind {
            ErrorKind::Credentials => "credentials",
            ErrorKind::AccessDenied => "access denied",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Network => "network",
            ErrorKind::Server => "service error",
            ErrorKind::Malformed => "malformed response",
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::NotFound => "not found",
            ErrorKind::LimitExceeded => "limit exceeded",
            ErrorKind::Config => "configuration",
            ErrorKind::Other => "error",
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label(), self.message)
    }
}

impl std::error::Error for ApiError {}
