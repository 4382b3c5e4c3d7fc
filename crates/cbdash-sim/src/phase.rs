//! Build phases, statuses and the phase contexts the service writes.

use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    Submitted,
    Queued,
    Provisioning,
    DownloadSource,
    Install,
    PreBuild,
    Build,
    PostBuild,
    UploadArtifacts,
    Finalizing,
    Completed,
}

impl Phase {
    /// Every phase that takes time, in order (COMPLETED is only a marker).
    pub const TIMED: [Phase; 10] = [
        Phase::Submitted,
        Phase::Queued,
        Phase::Provisioning,
        Phase::DownloadSource,
        Phase::Install,
        Phase::PreBuild,
        Phase::Build,
        Phase::PostBuild,
        Phase::UploadArtifacts,
        Phase::Finalizing,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Submitted => "SUBMITTED",
            Phase::Queued => "QUEUED",
            Phase::Provisioning => "PROVISIONING",
            Phase::DownloadSource => "DOWNLOAD_SOURCE",
            Phase::Install => "INSTALL",
            Phase::PreBuild => "PRE_BUILD",
            Phase::Build => "BUILD",
            Phase::PostBuild => "POST_BUILD",
            Phase::UploadArtifacts => "UPLOAD_ARTIFACTS",
            Phase::Finalizing => "FINALIZING",
            Phase::Completed => "COMPLETED",
        }
    }

    pub fn parse(name: &str) -> Option<Phase> {
        Phase::TIMED
            .into_iter()
            .chain([Phase::Completed])
            .find(|p| p.name() == name)
    }

    /// Position in [`Phase::TIMED`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Succeeded,
    Failed,
    Fault,
    TimedOut,
    Stopped,
    InProgress,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::Fault => "FAULT",
            Status::TimedOut => "TIMED_OUT",
            Status::Stopped => "STOPPED",
            Status::InProgress => "IN_PROGRESS",
        }
    }
}

/// A phase context; the service writes empty strings on success.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Context {
    pub code: String,
    pub message: String,
}

impl Context {
    pub fn new(code: &str, message: String) -> Self {
        Context {
            code: code.to_string(),
            message,
        }
    }

    pub fn command_failed(command: &str, exit_status: u32) -> Self {
        Context::new(
            "COMMAND_EXECUTION_ERROR",
            format!("Error while executing command: {command}. Reason: exit status {exit_status}"),
        )
    }

    pub fn repository_not_found(source_version: &str) -> Self {
        Context::new(
            "CLIENT_ERROR",
            format!(
                "CLIENT_ERROR: repository not found for primary source and source version {source_version}"
            ),
        )
    }

    pub fn no_artifacts_found() -> Self {
        Context::new(
            "CLIENT_ERROR",
            "CLIENT_ERROR: no matching artifact paths found".to_string(),
        )
    }

    pub fn image_pull_failed(image: &str) -> Self {
        Context::new(
            "BUILD_CONTAINER_UNABLE_TO_PULL_IMAGE",
            format!(
                "Unable to pull customer's container image. CannotPullContainerError: \
                 Error response from daemon: pull access denied for {image}, repository does \
                 not exist or may require 'docker login': denied: requested access to the \
                 resource is denied"
            ),
        )
    }

    pub fn timed_out() -> Self {
        Context::new("BUILD_TIMED_OUT", "Build has timed out. ".to_string())
    }

    pub fn to_json(&self) -> Value {
        json!({ "statusCode": self.code, "message": self.message })
    }
}
