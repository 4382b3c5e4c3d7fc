//! Overrides both ways: what a build ran with (from the SDK's Build and
//! BuildBatch) and the StartBuild / StartBuildBatch requests that set them.

use aws_sdk_codebuild::types::{
    BatchReportModeType, BatchRestrictions, CacheType, ComputeType, EnvironmentType,
    EnvironmentVariable, EnvironmentVariableType, GitSubmodulesConfig, ImagePullCredentialsType,
    ProjectBuildBatchConfig, ProjectCache, ProjectEnvironment, ProjectSource, SourceType,
};

use crate::domain::{BatchConfig, EnvVar, Overrides};

/// The parts of a build or batch that hold its settings.
pub struct RanWith<'a> {
    pub source_version: Option<&'a str>,
    pub environment: Option<&'a ProjectEnvironment>,
    pub source: Option<&'a ProjectSource>,
    pub timeout_minutes: Option<i32>,
    pub queued_timeout_minutes: Option<i32>,
    pub service_role: Option<&'a str>,
    pub encryption_key: Option<&'a str>,
    pub cache: Option<&'a ProjectCache>,
    pub debug_session: Option<bool>,
    pub auto_retry_limit: Option<i32>,
}

fn owned(s: Option<&str>) -> Option<String> {
    s.filter(|v| !v.is_empty()).map(str::to_string)
}

pub fn overrides(r: RanWith) -> Overrides {
    let env = r.environment;
    let src = r.source;
    Overrides {
        source_version: owned(r.source_version),
        env_vars: env
            .map(|e| {
                e.environment_variables()
                    .iter()
                    .map(|v| EnvVar {
                        name: v.name().to_string(),
                        value: v.value().to_string(),
                        kind: v.r#type().map_or("PLAINTEXT", |t| t.as_str()).to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        buildspec: owned(src.and_then(|s| s.buildspec())),
        compute_type: env.map(|e| e.compute_type().as_str().to_string()),
        environment_type: env.map(|e| e.r#type().as_str().to_string()),
        image: owned(env.map(|e| e.image())),
        image_pull_credentials_type: env
            .and_then(|e| e.image_pull_credentials_type())
            .map(|t| t.as_str().to_string()),
        privileged_mode: env.and_then(|e| e.privileged_mode()),
        timeout_minutes: r.timeout_minutes,
        queued_timeout_minutes: r.queued_timeout_minutes,
        git_clone_depth: src.and_then(|s| s.git_clone_depth()),
        git_submodules: src
            .and_then(|s| s.git_submodules_config())
            .map(|g| g.fetch_submodules()),
        debug_session: r.debug_session,
        report_build_status: src.and_then(|s| s.report_build_status()),
        source_type: src.map(|s| s.r#type().as_str().to_string()),
        source_location: owned(src.and_then(|s| s.location())),
        insecure_ssl: src.and_then(|s| s.insecure_ssl()),
        service_role: owned(r.service_role),
        encryption_key: owned(r.encryption_key),
        certificate: owned(env.and_then(|e| e.certificate())),
        cache_type: r.cache.map(|c| c.r#type().as_str().to_string()),
        cache_location: owned(r.cache.and_then(|c| c.location())),
        auto_retry_limit: r.auto_retry_limit,
    }
}

pub fn batch_config(c: Option<&ProjectBuildBatchConfig>) -> BatchConfig {
    let Some(c) = c else {
        return BatchConfig::default();
    };
    BatchConfig {
        combine_artifacts: c.combine_artifacts(),
        maximum_builds_allowed: c.restrictions().and_then(|r| r.maximum_builds_allowed()),
        compute_types_allowed: c
            .restrictions()
            .map(|r| r.compute_types_allowed().to_vec())
            .unwrap_or_default(),
        timeout_minutes: c.timeout_in_mins(),
        batch_report_mode: c.batch_report_mode().map(|m| m.as_str().to_string()),
    }
}

pub fn env_vars(vars: &[EnvVar]) -> Option<Vec<EnvironmentVariable>> {
    if vars.is_empty() {
        return None;
    }
    // Names and types were validated by the form; a builder error cannot
    // happen for a non-empty name and value.
    let built = vars
        .iter()
        .filter_map(|v| {
            EnvironmentVariable::builder()
                .name(&v.name)
                .value(&v.value)
                .r#type(EnvironmentVariableType::from(v.kind.as_str()))
                .build()
                .ok()
        })
        .collect();
    Some(built)
}

pub fn submodules(fetch: Option<bool>) -> Option<GitSubmodulesConfig> {
    fetch.and_then(|f| {
        GitSubmodulesConfig::builder()
            .fetch_submodules(f)
            .build()
            .ok()
    })
}

pub fn cache(o: &Overrides) -> Option<ProjectCache> {
    let kind = o.cache_type.as_deref()?;
    ProjectCache::builder()
        .r#type(CacheType::from(kind))
        .set_location(o.cache_location.clone())
        .build()
        .ok()
}

pub fn batch_config_override(c: &BatchConfig) -> ProjectBuildBatchConfig {
    let restrictions = (c.maximum_builds_allowed.is_some() || !c.compute_types_allowed.is_empty())
        .then(|| {
            BatchRestrictions::builder()
                .set_maximum_builds_allowed(c.maximum_builds_allowed)
                .set_compute_types_allowed(
                    (!c.compute_types_allowed.is_empty()).then(|| c.compute_types_allowed.clone()),
                )
                .build()
        });
    ProjectBuildBatchConfig::builder()
        .set_combine_artifacts(c.combine_artifacts)
        .set_restrictions(restrictions)
        .set_timeout_in_mins(c.timeout_minutes)
        .set_batch_report_mode(
            c.batch_report_mode
                .as_deref()
                .map(BatchReportModeType::from),
        )
        .build()
}

/// Sets the overrides StartBuild and StartBuildBatch share (their builders
/// are different types with these same methods).
macro_rules! common_overrides {
    ($req:expr, $o:expr) => {{
        use crate::aws::settings as s;
        let o = $o;
        $req.set_source_version(o.source_version.clone())
            .set_environment_variables_override(s::env_vars(&o.env_vars))
            .set_buildspec_override(o.buildspec.clone())
            .set_compute_type_override(o.compute_type.as_deref().map(s::compute))
            .set_environment_type_override(o.environment_type.as_deref().map(s::env_type))
            .set_image_override(o.image.clone())
            .set_image_pull_credentials_type_override(
                o.image_pull_credentials_type.as_deref().map(s::pull),
            )
            .set_privileged_mode_override(o.privileged_mode)
            .set_queued_timeout_in_minutes_override(o.queued_timeout_minutes)
            .set_git_clone_depth_override(o.git_clone_depth)
            .set_git_submodules_config_override(s::submodules(o.git_submodules))
            .set_debug_session_enabled(o.debug_session)
            .set_source_type_override(o.source_type.as_deref().map(s::source))
            .set_source_location_override(o.source_location.clone())
            .set_insecure_ssl_override(o.insecure_ssl)
            .set_service_role_override(o.service_role.clone())
            .set_encryption_key_override(o.encryption_key.clone())
            .set_certificate_override(o.certificate.clone())
            .set_cache_override(s::cache(o))
    }};
}
pub(crate) use common_overrides;

pub fn compute(v: &str) -> ComputeType {
    ComputeType::from(v)
}

pub fn env_type(v: &str) -> EnvironmentType {
    EnvironmentType::from(v)
}

pub fn pull(v: &str) -> ImagePullCredentialsType {
    ImagePullCredentialsType::from(v)
}

pub fn source(v: &str) -> SourceType {
    SourceType::from(v)
}
