//! What the service answered, as the app consumes it: the aws module
//! builds these from the SDK's types.

use super::{Build, BuildBatch};

/// One page of build IDs, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPage {
    pub ids: Vec<String>,
    pub next_token: Option<String>,
}

/// A BatchGetBuilds answer: the builds, and the IDs it says do not exist.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    pub builds: Vec<Build>,
    pub not_found: Vec<String>,
}

/// One page of a log stream, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogPage {
    pub events: Vec<LogEvent>,
    /// Returned again unchanged when no newer events exist yet.
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    pub message: String,
}

/// What a start or retry created.
#[derive(Debug, Clone, PartialEq)]
pub enum Started {
    Build(Box<Build>),
    Batch(Box<BuildBatch>),
}

impl Started {
    pub fn build(build: Build) -> Started {
        Started::Build(Box::new(build))
    }

    pub fn batch(batch: BuildBatch) -> Started {
        Started::Batch(Box::new(batch))
    }
}

/// A BatchGetBuildBatches answer: the batches, and the IDs it says do not exist.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FetchedBatches {
    pub batches: Vec<BuildBatch>,
    pub not_found: Vec<String>,
}
