//! The CreateProject and UpdateProject request shapes: every member the
//! model has for a project, with its constraints.

use super::batch_start::BATCH_CONFIG;
use super::overrides::{
    CACHE, COMPUTE_TYPES, ENVIRONMENT_TYPES, ENV_VAR, FLEET, HOST_KERNELS, IMAGE_PULL_CREDENTIALS,
    LOGS_CONFIG, PROJECT_ARTIFACTS, PROJECT_SOURCE, REGISTRY_CREDENTIAL, SOURCE_VERSION,
};
use super::shape::{opt, req, Field, Pattern, Ty, NON_EMPTY, STR};

/// An integer the model puts no range on.
const ANY_INT: Ty = Ty::Int {
    min: i64::MIN,
    max: None,
};

const COMPUTE_CONFIGURATION: &[Field] = &[
    opt("vCpu", ANY_INT),
    opt("memory", ANY_INT),
    opt("disk", ANY_INT),
    opt("machineType", Ty::Enum(&["GENERAL", "NVME"])),
    opt("instanceType", STR),
];

const DOCKER_SERVER: &[Field] = &[
    req("computeType", Ty::Enum(COMPUTE_TYPES)),
    opt("securityGroupIds", Ty::StrList),
];

const PROJECT_ENVIRONMENT: &[Field] = &[
    req("type", Ty::Enum(ENVIRONMENT_TYPES)),
    req("image", NON_EMPTY),
    req("computeType", Ty::Enum(COMPUTE_TYPES)),
    opt("computeConfiguration", Ty::Struct(COMPUTE_CONFIGURATION)),
    opt("fleet", Ty::Struct(FLEET)),
    opt("environmentVariables", Ty::StructList(ENV_VAR)),
    opt("privilegedMode", Ty::Bool),
    opt("certificate", STR),
    opt("registryCredential", Ty::Struct(REGISTRY_CREDENTIAL)),
    opt("imagePullCredentialsType", Ty::Enum(IMAGE_PULL_CREDENTIALS)),
    opt("dockerServer", Ty::Struct(DOCKER_SERVER)),
    opt("hostKernel", Ty::Enum(HOST_KERNELS)),
];

const TAG_TEXT: Option<Pattern> = Some(Pattern::TagText);

const TAG: &[Field] = &[
    opt(
        "key",
        Ty::Text {
            min_len: 1,
            max_len: 127,
            pattern: TAG_TEXT,
        },
    ),
    opt(
        "value",
        Ty::Text {
            min_len: 0,
            max_len: 255,
            pattern: TAG_TEXT,
        },
    ),
];

const VPC_CONFIG: &[Field] = &[
    opt("vpcId", NON_EMPTY),
    opt(
        "subnets",
        Ty::StrListUpTo {
            min_len: 1,
            max: 16,
        },
    ),
    opt("securityGroupIds", Ty::StrListUpTo { min_len: 1, max: 5 }),
];

const FILE_SYSTEM_LOCATION: &[Field] = &[
    opt("type", Ty::Enum(&["EFS"])),
    opt("location", STR),
    opt("mountPoint", STR),
    opt("identifier", STR),
    opt("mountOptions", STR),
];

/// Up to 12 secondary sources, versions or artifacts.
const SECONDARY: usize = 12;

/// Every member of the CreateProject request.
pub(crate) const CREATE_PROJECT: &[Field] = &[
    req(
        "name",
        Ty::Text {
            min_len: 2,
            max_len: 150,
            pattern: Some(Pattern::ProjectName),
        },
    ),
    opt(
        "description",
        Ty::Text {
            min_len: 0,
            max_len: 255,
            pattern: None,
        },
    ),
    req("source", Ty::Struct(PROJECT_SOURCE)),
    opt(
        "secondarySources",
        Ty::StructListUpTo(PROJECT_SOURCE, SECONDARY),
    ),
    opt("sourceVersion", STR),
    opt(
        "secondarySourceVersions",
        Ty::StructListUpTo(SOURCE_VERSION, SECONDARY),
    ),
    req("artifacts", Ty::Struct(PROJECT_ARTIFACTS)),
    opt(
        "secondaryArtifacts",
        Ty::StructListUpTo(PROJECT_ARTIFACTS, SECONDARY),
    ),
    opt("cache", Ty::Struct(CACHE)),
    req("environment", Ty::Struct(PROJECT_ENVIRONMENT)),
    req("serviceRole", NON_EMPTY),
    opt(
        "timeoutInMinutes",
        Ty::Int {
            min: 5,
            max: Some(2160),
        },
    ),
    opt(
        "queuedTimeoutInMinutes",
        Ty::Int {
            min: 5,
            max: Some(480),
        },
    ),
    opt("encryptionKey", NON_EMPTY),
    opt("tags", Ty::StructListUpTo(TAG, 50)),
    opt("vpcConfig", Ty::Struct(VPC_CONFIG)),
    opt("badgeEnabled", Ty::Bool),
    opt("logsConfig", Ty::Struct(LOGS_CONFIG)),
    opt("fileSystemLocations", Ty::StructList(FILE_SYSTEM_LOCATION)),
    opt("buildBatchConfig", Ty::Struct(BATCH_CONFIG)),
    // Checked with the project: at least 1, or -1 on update for none.
    opt("concurrentBuildLimit", ANY_INT),
    opt("autoRetryLimit", Ty::Int { min: 0, max: None }),
];

/// UpdateProject: CreateProject's members, all optional but the name,
/// which needs only be non-empty (a project that cannot exist is not
/// found). Members within a given structure keep their own rules.
pub(crate) fn update_project() -> Vec<Field> {
    CREATE_PROJECT
        .iter()
        .map(|f| match f.name {
            "name" => req("name", NON_EMPTY),
            _ => opt(f.name, f.ty),
        })
        .collect()
}
