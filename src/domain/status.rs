use std::fmt;

/// Status of a build or of one of its phases.
///
/// Values the API may add later are kept verbatim in `Other`, so they are
/// shown as the service sent them instead of being dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    InProgress,
    Succeeded,
    Failed,
    Fault,
    TimedOut,
    Stopped,
    Other(String),
}

impl Status {
    pub fn parse(raw: &str) -> Status {
        match raw {
            "IN_PROGRESS" => Status::InProgress,
            "SUCCEEDED" => Status::Succeeded,
            "FAILED" => Status::Failed,
            "FAULT" => Status::Fault,
            "TIMED_OUT" => Status::TimedOut,
            "STOPPED" => Status::Stopped,
            other => Status::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Status::InProgress => "IN_PROGRESS",
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::Fault => "FAULT",
            Status::TimedOut => "TIMED_OUT",
            Status::Stopped => "STOPPED",
            Status::Other(raw) => raw,
        }
    }

    /// True for outcomes that need the user's attention.
    pub fn is_failure(&self) -> bool {
        matches!(self, Status::Failed | Status::Fault | Status::TimedOut)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_survive_round_trip() {
        assert_eq!(Status::parse("QUEUED_FOR_MARS").as_str(), "QUEUED_FOR_MARS");
        assert_eq!(Status::parse("TIMED_OUT"), Status::TimedOut);
        assert!(Status::parse("FAULT").is_failure());
        assert!(!Status::parse("STOPPED").is_failure());
    }
}
