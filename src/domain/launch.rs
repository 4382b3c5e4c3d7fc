//! What a build ran with, as StartBuild / StartBuildBatch overrides can set
//! it, and the requests that start, stop and retry builds.

use serde::{Deserialize, Serialize};

/// An environment variable. For PARAMETER_STORE and SECRETS_MANAGER the value
/// is a reference (a parameter name or secret ARN), not the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
    /// PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER.
    pub kind: String,
}

impl EnvVar {
    pub fn is_reference(&self) -> bool {
        self.kind == "PARAMETER_STORE" || self.kind == "SECRETS_MANAGER"
    }
}

/// Every StartBuild override the program edits. `None` leaves the project's
/// setting alone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Overrides {
    pub source_version: Option<String>,
    pub env_vars: Vec<EnvVar>,
    pub buildspec: Option<String>,
    pub compute_type: Option<String>,
    pub environment_type: Option<String>,
    pub image: Option<String>,
    pub image_pull_credentials_type: Option<String>,
    pub privileged_mode: Option<bool>,
    pub timeout_minutes: Option<i32>,
    pub queued_timeout_minutes: Option<i32>,
    pub git_clone_depth: Option<i32>,
    pub git_submodules: Option<bool>,
    pub debug_session: Option<bool>,
    pub report_build_status: Option<bool>,
    // Advanced.
    pub source_type: Option<String>,
    pub source_location: Option<String>,
    pub insecure_ssl: Option<bool>,
    pub service_role: Option<String>,
    pub encryption_key: Option<String>,
    pub certificate: Option<String>,
    pub cache_type: Option<String>,
    pub cache_location: Option<String>,
    pub auto_retry_limit: Option<i32>,
}

/// buildBatchConfigOverride of StartBuildBatch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchConfig {
    pub combine_artifacts: Option<bool>,
    pub maximum_builds_allowed: Option<i32>,
    pub compute_types_allowed: Vec<String>,
    pub timeout_minutes: Option<i32>,
    /// REPORT_INDIVIDUAL_BUILDS or REPORT_AGGREGATED_BATCH.
    pub batch_report_mode: Option<String>,
}

/// A StartBuild, or a StartBuildBatch when `batch` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct StartRequest {
    pub project: String,
    pub overrides: Overrides,
    pub batch: Option<BatchConfig>,
    /// Sent with every attempt of one submission, so a retry on a flaky
    /// network never starts a second build.
    pub idempotency_token: String,
}
