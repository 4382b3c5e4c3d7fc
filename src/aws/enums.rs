//! The values the SDK knows for each enum field of the start form, so the
//! form can validate without touching SDK types.

use aws_sdk_codebuild::types::{
    BatchReportModeType, CacheType, ComputeType, EnvironmentType, EnvironmentVariableType,
    ImagePullCredentialsType, RetryBuildBatchType, SourceType,
};

pub fn compute_types() -> &'static [&'static str] {
    ComputeType::values()
}

pub fn environment_types() -> &'static [&'static str] {
    EnvironmentType::values()
}

pub fn image_pull_credentials_types() -> &'static [&'static str] {
    ImagePullCredentialsType::values()
}

pub fn env_var_types() -> &'static [&'static str] {
    EnvironmentVariableType::values()
}

pub fn source_types() -> &'static [&'static str] {
    SourceType::values()
}

pub fn cache_types() -> &'static [&'static str] {
    CacheType::values()
}

pub fn batch_report_modes() -> &'static [&'static str] {
    BatchReportModeType::values()
}

pub fn batch_retry_types() -> &'static [&'static str] {
    RetryBuildBatchType::values()
}
