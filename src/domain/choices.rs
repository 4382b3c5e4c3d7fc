//! The values CodeBuild accepts for each enum field of the start form, so
//! that the form validates without SDK types. A test in `aws` keeps each
//! table equal to the SDK's own list.

pub const COMPUTE_TYPES: &[&str] = &[
    "ATTRIBUTE_BASED_COMPUTE",
    "BUILD_GENERAL1_2XLARGE",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_LAMBDA_10GB",
    "BUILD_LAMBDA_1GB",
    "BUILD_LAMBDA_2GB",
    "BUILD_LAMBDA_4GB",
    "BUILD_LAMBDA_8GB",
    "CUSTOM_INSTANCE_TYPE",
];

pub const ENVIRONMENT_TYPES: &[&str] = &[
    "ARM_CONTAINER",
    "ARM_EC2",
    "ARM_LAMBDA_CONTAINER",
    "LINUX_CONTAINER",
    "LINUX_EC2",
    "LINUX_GPU_CONTAINER",
    "LINUX_LAMBDA_CONTAINER",
    "MAC_ARM",
    "WINDOWS_CONTAINER",
    "WINDOWS_EC2",
    "WINDOWS_SERVER_2019_CONTAINER",
    "WINDOWS_SERVER_2022_CONTAINER",
];

pub const IMAGE_PULL_CREDENTIALS_TYPES: &[&str] = &["CODEBUILD", "SERVICE_ROLE"];

pub const ENV_VAR_TYPES: &[&str] = &["PARAMETER_STORE", "PLAINTEXT", "SECRETS_MANAGER"];

pub const SOURCE_TYPES: &[&str] = &[
    "BITBUCKET",
    "CODECOMMIT",
    "CODEPIPELINE",
    "GITHUB",
    "GITHUB_ENTERPRISE",
    "GITLAB",
    "GITLAB_SELF_MANAGED",
    "NO_SOURCE",
    "S3",
];

pub const CACHE_TYPES: &[&str] = &["LOCAL", "NO_CACHE", "S3"];

pub const BATCH_REPORT_MODES: &[&str] = &["REPORT_AGGREGATED_BATCH", "REPORT_INDIVIDUAL_BUILDS"];

/// RetryBuildBatch's retry types, the one asked for most often first.
pub const BATCH_RETRY_TYPES: &[&str] = &["RETRY_FAILED_BUILDS", "RETRY_ALL_BUILDS"];
