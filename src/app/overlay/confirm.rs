//! A stop or retry waiting for y / n.

/// A question waiting for y / n, with the command it will send.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    /// What will be acted on: project, number, ID, status, elapsed.
    pub lines: Vec<String>,
    pub kind: ConfirmKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmKind {
    StopBuild {
        id: String,
    },
    StopBatch {
        id: String,
    },
    RetryBuild {
        id: String,
    },
    /// Index into RETRY_TYPES.
    RetryBatch {
        id: String,
        retry_type: usize,
    },
}

pub const RETRY_TYPES: &[&str] = crate::domain::choices::BATCH_RETRY_TYPES;
