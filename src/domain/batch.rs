use chrono::{DateTime, Utc};

use super::{BatchConfig, BuildId, Overrides, Phase, Status};

/// A batch build: a set of build groups, each run as a build of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildBatch {
    pub id: BuildId,
    pub arn: Option<String>,
    pub project: String,
    pub number: Option<i64>,
    pub status: Status,
    pub current_phase: Option<String>,
    pub complete: bool,
    pub source_version: Option<String>,
    pub resolved_source_version: Option<String>,
    pub initiator: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub timeout_minutes: Option<i32>,
    /// Batch phases: SUBMITTED, DOWNLOAD_BATCHSPEC, IN_PROGRESS, ...
    pub phases: Vec<Phase>,
    pub groups: Vec<BuildGroup>,
    /// The settings it ran with, to relaunch it as it was.
    pub ran_with: std::sync::Arc<Overrides>,
    pub batch_config: BatchConfig,
    /// Which account and region (of those watched) it lives in.
    pub context: u16,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildGroup {
    /// The batchspec's name for the group; missing in malformed answers.
    pub identifier: Option<String>,
    pub depends_on: Vec<String>,
    pub ignore_failure: bool,
    /// The group's latest build; None until it starts.
    pub current: Option<BuildSummary>,
    /// Earlier attempts, from retries.
    pub prior: Vec<BuildSummary>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildSummary {
    pub arn: Option<String>,
    pub requested_on: Option<DateTime<Utc>>,
    pub status: Option<Status>,
}

impl BuildSummary {
    /// The build ID inside the ARN (`arn:...:build/<project>:<uuid>`).
    pub fn build_id(&self) -> Option<&str> {
        let arn = self.arn.as_deref()?;
        let (_, id) = arn.split_once(":build/")?;
        (!id.is_empty()).then_some(id)
    }
}

impl BuildGroup {
    /// The name shown for a group, even when the answer lacked one.
    pub fn name(&self, index: usize) -> String {
        self.identifier
            .clone()
            .unwrap_or_else(|| format!("group {}", index + 1))
    }

    /// The latest build's status; None while the group waits.
    pub fn status(&self) -> Option<&Status> {
        self.current.as_ref().and_then(|c| c.status.as_ref())
    }

    /// Tries so far, counting the current one.
    pub fn attempts(&self) -> usize {
        self.prior.len() + usize::from(self.current.is_some())
    }
}

impl BuildBatch {
    pub fn new(id: &str) -> BuildBatch {
        let project = id.split_once(':').map_or(id, |(p, _)| p).to_string();
        BuildBatch {
            id: id.into(),
            arn: None,
            project,
            number: None,
            status: Status::InProgress,
            current_phase: None,
            complete: false,
            source_version: None,
            resolved_source_version: None,
            initiator: None,
            start: None,
            end: None,
            timeout_minutes: None,
            phases: Vec::new(),
            groups: Vec::new(),
            ran_with: std::sync::Arc::default(),
            batch_config: BatchConfig::default(),
            context: 0,
        }
    }

    /// Groups whose build has finished, and all groups.
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .groups
            .iter()
            .filter(|g| g.status().is_some_and(|s| *s != Status::InProgress))
            .count();
        (done, self.groups.len())
    }

    /// Build IDs of every group's current build.
    pub fn build_ids(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .filter_map(|g| g.current.as_ref().and_then(BuildSummary::build_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_id_comes_from_the_summary_arn() {
        let s = BuildSummary {
            arn: Some("arn:aws:codebuild:us-east-1:123456789012:build/app:1234".into()),
            ..BuildSummary::default()
        };
        assert_eq!(s.build_id(), Some("app:1234"));
        let odd = BuildSummary {
            arn: Some("not-an-arn".into()),
            ..BuildSummary::default()
        };
        assert_eq!(odd.build_id(), None);
    }
}
