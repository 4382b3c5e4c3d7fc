//! The StartBuild request shape and how each override lands in the build.

use serde_json::{json, Map, Value};

use super::shape::{opt, req, Field, Ty, NON_EMPTY, STR};
use crate::build::Settings;

const SOURCE_TYPES: &[&str] = &[
    "CODECOMMIT",
    "CODEPIPELINE",
    "GITHUB",
    "GITLAB",
    "GITLAB_SELF_MANAGED",
    "S3",
    "BITBUCKET",
    "GITHUB_ENTERPRISE",
    "NO_SOURCE",
];
pub(crate) const ENVIRONMENT_TYPES: &[&str] = &[
    "WINDOWS_CONTAINER",
    "LINUX_CONTAINER",
    "LINUX_GPU_CONTAINER",
    "ARM_CONTAINER",
    "WINDOWS_SERVER_2019_CONTAINER",
    "WINDOWS_SERVER_2022_CONTAINER",
    "LINUX_LAMBDA_CONTAINER",
    "ARM_LAMBDA_CONTAINER",
    "LINUX_EC2",
    "ARM_EC2",
    "WINDOWS_EC2",
    "MAC_ARM",
];
pub(crate) const COMPUTE_TYPES: &[&str] = &[
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
    "BUILD_LAMBDA_1GB",
    "BUILD_LAMBDA_2GB",
    "BUILD_LAMBDA_4GB",
    "BUILD_LAMBDA_8GB",
    "BUILD_LAMBDA_10GB",
    "ATTRIBUTE_BASED_COMPUTE",
    "CUSTOM_INSTANCE_TYPE",
];
pub(crate) const HOST_KERNELS: &[&str] =
    &["LINUX_KERNEL_4", "LINUX_KERNEL_6", "LINUX_KERNEL_LATEST"];
pub(crate) const IMAGE_PULL_CREDENTIALS: &[&str] = &["CODEBUILD", "SERVICE_ROLE"];
const ENV_VAR_TYPES: &[&str] = &["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"];
const ARTIFACT_TYPES: &[&str] = &["CODEPIPELINE", "S3", "NO_ARTIFACTS"];
const BUCKET_OWNER_ACCESS: &[&str] = &["NONE", "READ_ONLY", "FULL"];
const CACHE_TYPES: &[&str] = &["NO_CACHE", "S3", "LOCAL"];
const CACHE_MODES: &[&str] = &[
    "LOCAL_DOCKER_LAYER_CACHE",
    "LOCAL_SOURCE_CACHE",
    "LOCAL_CUSTOM_CACHE",
];
const LOG_STATUS: &[&str] = &["ENABLED", "DISABLED"];

const SOURCE_AUTH: &[Field] = &[
    req(
        "type",
        Ty::Enum(&["OAUTH", "CODECONNECTIONS", "SECRETS_MANAGER"]),
    ),
    opt("resource", STR),
];
const SUBMODULES: &[Field] = &[req("fetchSubmodules", Ty::Bool)];
const BUILD_STATUS_CONFIG: &[Field] = &[opt("context", STR), opt("targetUrl", STR)];
pub(crate) const PROJECT_SOURCE: &[Field] = &[
    req("type", Ty::Enum(SOURCE_TYPES)),
    opt("location", STR),
    opt("gitCloneDepth", Ty::Int { min: 0, max: None }),
    opt("gitSubmodulesConfig", Ty::Struct(SUBMODULES)),
    opt("buildspec", STR),
    opt("auth", Ty::Struct(SOURCE_AUTH)),
    opt("reportBuildStatus", Ty::Bool),
    opt("buildStatusConfig", Ty::Struct(BUILD_STATUS_CONFIG)),
    opt("insecureSsl", Ty::Bool),
    opt("sourceIdentifier", STR),
];
pub(crate) const SOURCE_VERSION: &[Field] =
    &[req("sourceIdentifier", STR), req("sourceVersion", STR)];
pub(crate) const PROJECT_ARTIFACTS: &[Field] = &[
    req("type", Ty::Enum(ARTIFACT_TYPES)),
    opt("location", STR),
    opt("path", STR),
    opt("namespaceType", Ty::Enum(&["NONE", "BUILD_ID"])),
    opt("name", STR),
    opt("packaging", Ty::Enum(&["NONE", "ZIP"])),
    opt("overrideArtifactName", Ty::Bool),
    opt("encryptionDisabled", Ty::Bool),
    opt("artifactIdentifier", STR),
    opt("bucketOwnerAccess", Ty::Enum(BUCKET_OWNER_ACCESS)),
];
pub(crate) const ENV_VAR: &[Field] = &[
    req("name", NON_EMPTY),
    req("value", STR),
    opt("type", Ty::Enum(ENV_VAR_TYPES)),
];
pub(crate) const CACHE: &[Field] = &[
    req("type", Ty::Enum(CACHE_TYPES)),
    opt("location", STR),
    opt("modes", Ty::EnumList(CACHE_MODES)),
    opt("cacheNamespace", STR),
];
const CLOUDWATCH_LOGS: &[Field] = &[
    req("status", Ty::Enum(LOG_STATUS)),
    opt("groupName", STR),
    opt("streamName", STR),
];
const S3_LOGS: &[Field] = &[
    req("status", Ty::Enum(LOG_STATUS)),
    opt("location", STR),
    opt("encryptionDisabled", Ty::Bool),
    opt("bucketOwnerAccess", Ty::Enum(BUCKET_OWNER_ACCESS)),
];
pub(crate) const LOGS_CONFIG: &[Field] = &[
    opt("cloudWatchLogs", Ty::Struct(CLOUDWATCH_LOGS)),
    opt("s3Logs", Ty::Struct(S3_LOGS)),
];
pub(crate) const REGISTRY_CREDENTIAL: &[Field] = &[
    req("credential", NON_EMPTY),
    req("credentialProvider", Ty::Enum(&["SECRETS_MANAGER"])),
];
pub(crate) const FLEET: &[Field] = &[opt("fleetArn", NON_EMPTY)];

/// Every member of the StartBuild request.
pub(crate) const START_BUILD: &[Field] = &[
    req("projectName", NON_EMPTY),
    opt("secondarySourcesOverride", Ty::StructList(PROJECT_SOURCE)),
    opt(
        "secondarySourcesVersionOverride",
        Ty::StructList(SOURCE_VERSION),
    ),
    opt("sourceVersion", STR),
    opt("artifactsOverride", Ty::Struct(PROJECT_ARTIFACTS)),
    opt(
        "secondaryArtifactsOverride",
        Ty::StructList(PROJECT_ARTIFACTS),
    ),
    opt("environmentVariablesOverride", Ty::StructList(ENV_VAR)),
    opt("sourceTypeOverride", Ty::Enum(SOURCE_TYPES)),
    opt("sourceLocationOverride", STR),
    opt("sourceAuthOverride", Ty::Struct(SOURCE_AUTH)),
    opt("gitCloneDepthOverride", Ty::Int { min: 0, max: None }),
    opt("gitSubmodulesConfigOverride", Ty::Struct(SUBMODULES)),
    opt("buildspecOverride", STR),
    opt("insecureSslOverride", Ty::Bool),
    opt("reportBuildStatusOverride", Ty::Bool),
    opt("buildStatusConfigOverride", Ty::Struct(BUILD_STATUS_CONFIG)),
    opt("environmentTypeOverride", Ty::Enum(ENVIRONMENT_TYPES)),
    opt("imageOverride", NON_EMPTY),
    opt("computeTypeOverride", Ty::Enum(COMPUTE_TYPES)),
    opt("certificateOverride", STR),
    opt("cacheOverride", Ty::Struct(CACHE)),
    opt("serviceRoleOverride", NON_EMPTY),
    opt("privilegedModeOverride", Ty::Bool),
    opt(
        "timeoutInMinutesOverride",
        Ty::Int {
            min: 5,
            max: Some(2160),
        },
    ),
    opt(
        "queuedTimeoutInMinutesOverride",
        Ty::Int {
            min: 5,
            max: Some(480),
        },
    ),
    opt("encryptionKeyOverride", NON_EMPTY),
    opt("idempotencyToken", STR),
    opt("logsConfigOverride", Ty::Struct(LOGS_CONFIG)),
    opt(
        "registryCredentialOverride",
        Ty::Struct(REGISTRY_CREDENTIAL),
    ),
    opt(
        "imagePullCredentialsTypeOverride",
        Ty::Enum(IMAGE_PULL_CREDENTIALS),
    ),
    opt("debugSessionEnabled", Ty::Bool),
    opt("fleetOverride", Ty::Struct(FLEET)),
    opt("autoRetryLimitOverride", Ty::Int { min: 0, max: None }),
    opt("hostKernelOverride", Ty::Enum(HOST_KERNELS)),
];

/// Overrides that replace one member of the build's source.
const SOURCE_MEMBERS: &[(&str, &str)] = &[
    ("sourceTypeOverride", "type"),
    ("sourceLocationOverride", "location"),
    ("sourceAuthOverride", "auth"),
    ("gitCloneDepthOverride", "gitCloneDepth"),
    ("gitSubmodulesConfigOverride", "gitSubmodulesConfig"),
    ("buildspecOverride", "buildspec"),
    ("insecureSslOverride", "insecureSsl"),
    ("reportBuildStatusOverride", "reportBuildStatus"),
    ("buildStatusConfigOverride", "buildStatusConfig"),
];

/// Overrides that replace one member of the build's environment.
const ENVIRONMENT_MEMBERS: &[(&str, &str)] = &[
    ("environmentTypeOverride", "type"),
    ("imageOverride", "image"),
    ("computeTypeOverride", "computeType"),
    ("certificateOverride", "certificate"),
    ("privilegedModeOverride", "privilegedMode"),
    ("registryCredentialOverride", "registryCredential"),
    (
        "imagePullCredentialsTypeOverride",
        "imagePullCredentialsType",
    ),
    ("fleetOverride", "fleet"),
    ("hostKernelOverride", "hostKernel"),
];

fn list(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

fn object(value: &Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// Environment variable overrides replace project variables of the same
/// name and add the rest; a missing type means PLAINTEXT.
pub(crate) fn merge_env_vars(environment: &mut Map<String, Value>, overrides: &[Value]) {
    let mut vars = environment
        .get("environmentVariables")
        .map(list)
        .unwrap_or_default();
    for var in overrides {
        let mut var = object(var);
        var.entry("type").or_insert_with(|| json!("PLAINTEXT"));
        let name = var.get("name").cloned();
        match vars.iter_mut().find(|v| v.get("name") == name.as_ref()) {
            Some(existing) => *existing = Value::Object(var),
            None => vars.push(Value::Object(var)),
        }
    }
    environment.insert("environmentVariables".into(), Value::Array(vars));
}

/// Applies checked StartBuild members to `settings`; returns sourceVersion.
pub(crate) fn apply(fields: &Map<String, Value>, settings: &mut Settings) -> Option<String> {
    for (field, member) in SOURCE_MEMBERS {
        if let Some(value) = fields.get(*field) {
            settings.source.insert(member.to_string(), value.clone());
        }
    }
    for (field, member) in ENVIRONMENT_MEMBERS {
        if let Some(value) = fields.get(*field) {
            settings
                .environment
                .insert(member.to_string(), value.clone());
        }
    }
    if let Some(vars) = fields.get("environmentVariablesOverride") {
        merge_env_vars(&mut settings.environment, &list(vars));
    }
    if let Some(value) = fields.get("secondarySourcesOverride") {
        settings.secondary_sources = list(value);
    }
    if let Some(value) = fields.get("secondarySourcesVersionOverride") {
        settings.secondary_source_versions = list(value);
    }
    if let Some(value) = fields.get("artifactsOverride") {
        settings.artifacts = object(value);
    }
    if let Some(value) = fields.get("secondaryArtifactsOverride") {
        settings.secondary_artifacts = list(value);
    }
    if let Some(value) = fields.get("cacheOverride") {
        settings.cache = object(value);
    }
    if let Some(logs) = fields.get("logsConfigOverride").and_then(Value::as_object) {
        for (kind, config) in logs {
            settings.logs_config.insert(kind.clone(), config.clone());
        }
    }
    let text = |key: &str| fields.get(key).and_then(Value::as_str).map(String::from);
    let number = |key: &str| fields.get(key).and_then(Value::as_i64);
    if let Some(role) = text("serviceRoleOverride") {
        settings.service_role = role;
    }
    if let Some(key) = text("encryptionKeyOverride") {
        settings.encryption_key = key;
    }
    if let Some(minutes) = number("timeoutInMinutesOverride").and_then(|m| u32::try_from(m).ok()) {
        settings.timeout_minutes = minutes;
    }
    if let Some(minutes) =
        number("queuedTimeoutInMinutesOverride").and_then(|m| u32::try_from(m).ok())
    {
        settings.queued_timeout_minutes = minutes;
    }
    if let Some(enabled) = fields.get("debugSessionEnabled").and_then(Value::as_bool) {
        settings.debug_session = Some(enabled);
    }
    if let Some(limit) = number("autoRetryLimitOverride") {
        settings.auto_retry_limit = Some(limit);
    }
    text("sourceVersion")
}
