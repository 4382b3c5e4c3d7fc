//! The form's scalar fields: their labels, kinds, order, and where each one
//! lives in `Overrides` / `BatchConfig`.

use super::EnvPart;
use crate::domain::choices;
use crate::domain::{BatchConfig, Overrides};

/// Declares the fields and `ALL`, every field in declaration order (the
/// position is the index into the form's text buffers): one list, so the
/// two cannot drift apart.
macro_rules! fields {
    ($($field:ident),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Field {
            $($field),*
        }

        pub(crate) const ALL: [Field; [$(Field::$field),*].len()] = [$(Field::$field),*];
    };
}

fields! {
    SourceVersion,
    Buildspec,
    ComputeType,
    EnvironmentType,
    Image,
    ImagePullCredentials,
    PrivilegedMode,
    Timeout,
    QueuedTimeout,
    GitCloneDepth,
    GitSubmodules,
    DebugSession,
    ReportBuildStatus,
    SourceType,
    SourceLocation,
    InsecureSsl,
    ServiceRole,
    EncryptionKey,
    Certificate,
    CacheType,
    CacheLocation,
    AutoRetryLimit,
    CombineArtifacts,
    MaxBuilds,
    ComputeTypesAllowed,
    BatchTimeout,
    BatchReportMode,
}

/// How a field is edited, shown and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    /// Enter inserts a newline instead of moving on.
    Multiline,
    Number {
        min: i64,
        max: Option<i64>,
    },
    /// "on", "off" or "" (not set).
    Toggle,
    /// One of the SDK's values.
    Choice(&'static [&'static str]),
    /// A comma-separated list of the SDK's values.
    ChoiceList(&'static [&'static str]),
}

use Field::*;

/// Shown after the environment variables, before "advanced".
pub(crate) const MAIN: [Field; 12] = [
    Buildspec,
    ComputeType,
    EnvironmentType,
    Image,
    ImagePullCredentials,
    PrivilegedMode,
    Timeout,
    QueuedTimeout,
    GitCloneDepth,
    GitSubmodules,
    DebugSession,
    ReportBuildStatus,
];

pub(crate) const ADVANCED: [Field; 9] = [
    SourceType,
    SourceLocation,
    InsecureSsl,
    ServiceRole,
    EncryptionKey,
    Certificate,
    CacheType,
    CacheLocation,
    AutoRetryLimit,
];

/// Only in a batch form (buildBatchConfigOverride).
pub(crate) const BATCH: [Field; 5] = [
    CombineArtifacts,
    MaxBuilds,
    ComputeTypesAllowed,
    BatchTimeout,
    BatchReportMode,
];

impl Field {
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            SourceVersion => "source version",
            Buildspec => "buildspec",
            ComputeType => "compute type",
            EnvironmentType => "environment type",
            Image => "image",
            ImagePullCredentials => "image pull credentials",
            PrivilegedMode => "privileged mode",
            Timeout => "timeout (minutes)",
            QueuedTimeout => "queued timeout (minutes)",
            GitCloneDepth => "git clone depth",
            GitSubmodules => "git submodules",
            DebugSession => "debug session",
            ReportBuildStatus => "report build status",
            SourceType => "source type",
            SourceLocation => "source location",
            InsecureSsl => "insecure SSL",
            ServiceRole => "service role",
            EncryptionKey => "encryption key",
            Certificate => "certificate",
            CacheType => "cache type",
            CacheLocation => "cache location",
            AutoRetryLimit => "auto retry limit",
            CombineArtifacts => "combine artifacts",
            MaxBuilds => "maximum builds allowed",
            ComputeTypesAllowed => "compute types allowed",
            BatchTimeout => "batch timeout (minutes)",
            BatchReportMode => "batch report mode",
        }
    }

    /// Limits are the API's (StartBuild / StartBuildBatch reference).
    pub(crate) fn kind(self) -> Kind {
        let number = |min, max| Kind::Number { min, max };
        match self {
            Buildspec => Kind::Multiline,
            ComputeType => Kind::Choice(choices::COMPUTE_TYPES),
            EnvironmentType => Kind::Choice(choices::ENVIRONMENT_TYPES),
            ImagePullCredentials => Kind::Choice(choices::IMAGE_PULL_CREDENTIALS_TYPES),
            SourceType => Kind::Choice(choices::SOURCE_TYPES),
            CacheType => Kind::Choice(choices::CACHE_TYPES),
            BatchReportMode => Kind::Choice(choices::BATCH_REPORT_MODES),
            ComputeTypesAllowed => Kind::ChoiceList(choices::COMPUTE_TYPES),
            PrivilegedMode | GitSubmodules | DebugSession | ReportBuildStatus | InsecureSsl
            | CombineArtifacts => Kind::Toggle,
            Timeout => number(5, Some(2160)),
            QueuedTimeout => number(5, Some(480)),
            GitCloneDepth | AutoRetryLimit => number(0, None),
            MaxBuilds => number(1, None),
            BatchTimeout => number(5, None),
            SourceVersion | Image | SourceLocation | ServiceRole | EncryptionKey | Certificate
            | CacheLocation => Kind::Text,
        }
    }
}

impl Field {
    /// Longest text the field takes, in characters. The API reference
    /// documents only the ranges checked in `kind` (and a minimum of one
    /// character, which an empty "not set" field never sends); where it is
    /// silent these are generous caps (ARNs are at most 2,048 characters).
    pub(crate) fn max_chars(self) -> usize {
        match self {
            // A commit ID, branch, tag, pr/N or S3 object version.
            SourceVersion => 1_024,
            // An inline buildspec, or a path or ARN to one.
            Buildspec => 65_536,
            // A registry, repository and tag or digest.
            Image => 1_024,
            SourceLocation | ServiceRole | EncryptionKey | Certificate | CacheLocation => 2_048,
            ComputeType | EnvironmentType | ImagePullCredentials | SourceType | CacheType
            | BatchReportMode => 64,
            ComputeTypesAllowed => 1_024,
            // An i32 with its sign.
            Timeout | QueuedTimeout | GitCloneDepth | AutoRetryLimit | MaxBuilds | BatchTimeout => {
                11
            }
            PrivilegedMode | GitSubmodules | DebugSession | ReportBuildStatus | InsecureSsl
            | CombineArtifacts => 3,
        }
    }
}

/// The same for a variable's parts: a value is at most what Linux allows
/// for one environment string (MAX_ARG_STRLEN, 128 KiB).
pub(crate) fn env_max_chars(part: EnvPart) -> usize {
    match part {
        EnvPart::Name => 1_024,
        EnvPart::Value => 131_072,
        EnvPart::Type => 64,
    }
}

/// Where a field's value lives, so reading and writing share one mapping.
pub(crate) enum Target<'a> {
    Text(&'a mut Option<String>),
    Number(&'a mut Option<i32>),
    Flag(&'a mut Option<bool>),
    List(&'a mut Vec<String>),
}

pub(crate) fn target<'a>(field: Field, o: &'a mut Overrides, b: &'a mut BatchConfig) -> Target<'a> {
    match field {
        SourceVersion => Target::Text(&mut o.source_version),
        Buildspec => Target::Text(&mut o.buildspec),
        ComputeType => Target::Text(&mut o.compute_type),
        EnvironmentType => Target::Text(&mut o.environment_type),
        Image => Target::Text(&mut o.image),
        ImagePullCredentials => Target::Text(&mut o.image_pull_credentials_type),
        PrivilegedMode => Target::Flag(&mut o.privileged_mode),
        Timeout => Target::Number(&mut o.timeout_minutes),
        QueuedTimeout => Target::Number(&mut o.queued_timeout_minutes),
        GitCloneDepth => Target::Number(&mut o.git_clone_depth),
        GitSubmodules => Target::Flag(&mut o.git_submodules),
        DebugSession => Target::Flag(&mut o.debug_session),
        ReportBuildStatus => Target::Flag(&mut o.report_build_status),
        SourceType => Target::Text(&mut o.source_type),
        SourceLocation => Target::Text(&mut o.source_location),
        InsecureSsl => Target::Flag(&mut o.insecure_ssl),
        ServiceRole => Target::Text(&mut o.service_role),
        EncryptionKey => Target::Text(&mut o.encryption_key),
        Certificate => Target::Text(&mut o.certificate),
        CacheType => Target::Text(&mut o.cache_type),
        CacheLocation => Target::Text(&mut o.cache_location),
        AutoRetryLimit => Target::Number(&mut o.auto_retry_limit),
        CombineArtifacts => Target::Flag(&mut b.combine_artifacts),
        MaxBuilds => Target::Number(&mut b.maximum_builds_allowed),
        ComputeTypesAllowed => Target::List(&mut b.compute_types_allowed),
        BatchTimeout => Target::Number(&mut b.timeout_minutes),
        BatchReportMode => Target::Text(&mut b.batch_report_mode),
    }
}

/// The editable text of every field, in `ALL` order.
pub(crate) fn texts_of(o: &Overrides, b: Option<&BatchConfig>) -> Vec<String> {
    let mut o = o.clone();
    let mut b = b.cloned().unwrap_or_default();
    ALL.iter()
        .map(|&f| match target(f, &mut o, &mut b) {
            Target::Text(v) => v.clone().unwrap_or_default(),
            Target::Number(v) => v.map(|n| n.to_string()).unwrap_or_default(),
            Target::Flag(v) => on_off(*v).to_string(),
            Target::List(v) => v.join(", "),
        })
        .collect()
}

pub(crate) fn on_off(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "on",
        Some(false) => "off",
        None => "",
    }
}
