//! A build record: identity, plan and the configuration it runs with.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::catalog::{strip_arn, LogsDest, Place, ProjectDef};
use super::clock::MINUTE;
use super::timeline::{timeline, Plan, Timeline};

/// What a build runs with: the project's settings with StartBuild overrides
/// applied. Kept in the API's JSON shapes because that is how they are both
/// received and returned.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Settings {
    pub source: Map<String, Value>,
    pub secondary_sources: Vec<Value>,
    pub secondary_source_versions: Vec<Value>,
    /// A ProjectArtifacts object.
    pub artifacts: Map<String, Value>,
    pub secondary_artifacts: Vec<Value>,
    pub cache: Map<String, Value>,
    pub environment: Map<String, Value>,
    pub service_role: String,
    pub timeout_minutes: u32,
    pub queued_timeout_minutes: u32,
    pub encryption_key: String,
    /// A LogsConfig object.
    pub logs_config: Map<String, Value>,
    pub debug_session: Option<bool>,
    pub auto_retry_limit: Option<i64>,
    /// A VpcConfig object, when the project runs in a VPC.
    pub vpc_config: Option<Value>,
    /// ProjectFileSystemLocation objects, when the project mounts any.
    pub file_system_locations: Option<Value>,
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl Settings {
    pub fn for_project(def: &ProjectDef, place: &Place) -> Settings {
        let env_vars: Vec<Value> = def
            .env_vars
            .iter()
            .map(|(name, value, kind)| json!({"name": name, "value": value, "type": kind}))
            .collect();
        let artifacts = if def.uploads_artifacts {
            json!({
                "type": "S3",
                "location": "example-build-artifacts",
                "path": def.name,
                "namespaceType": "BUILD_ID",
                "name": format!("{}.zip", def.name),
                "packaging": "ZIP",
                "overrideArtifactName": false,
                "encryptionDisabled": false
            })
        } else {
            json!({"type": "NO_ARTIFACTS"})
        };
        let cache = match def.cache {
            "LOCAL" => {
                json!({"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE", "LOCAL_CUSTOM_CACHE"]})
            }
            "S3" => json!({"type": "S3", "location": format!("example-build-cache/{}", def.name)}),
            _ => json!({"type": "NO_CACHE"}),
        };
        let s3_logs = match def.logs {
            LogsDest::CloudWatchAndS3 | LogsDest::S3Only => {
                json!({"status": "ENABLED", "location": format!("example-build-logs/{}", def.name), "encryptionDisabled": false})
            }
            _ => json!({"status": "DISABLED", "encryptionDisabled": false}),
        };
        let cloudwatch = match def.logs {
            LogsDest::CloudWatch | LogsDest::CloudWatchAndS3 => "ENABLED",
            _ => "DISABLED",
        };
        Settings {
            source: object(json!({
                "type": "GITHUB",
                "location": format!("https://github.com/example/{}.git", def.name),
                "gitCloneDepth": 1,
                "gitSubmodulesConfig": {"fetchSubmodules": false},
                "buildspec": def.buildspec(),
                "reportBuildStatus": true,
                "insecureSsl": false
            })),
            secondary_sources: Vec::new(),
            secondary_source_versions: Vec::new(),
            artifacts: object(artifacts),
            secondary_artifacts: Vec::new(),
            cache: object(cache),
            environment: object(json!({
                "type": "LINUX_CONTAINER",
                "image": def.image,
                "computeType": def.compute_type,
                "environmentVariables": env_vars,
                "privilegedMode": def.privileged,
                "imagePullCredentialsType": "CODEBUILD"
            })),
            service_role: format!(
                "arn:aws:iam::{}:role/service-role/codebuild-{}-service-role",
                place.account, def.name
            ),
            timeout_minutes: def.timeout_minutes,
            queued_timeout_minutes: def.queued_timeout_minutes,
            encryption_key: place.arn("kms", "alias/aws/s3"),
            logs_config: object(json!({
                "cloudWatchLogs": {"status": cloudwatch},
                "s3Logs": s3_logs
            })),
            debug_session: None,
            auto_retry_limit: None,
            vpc_config: None,
            file_system_locations: None,
        }
    }

    pub fn image(&self) -> &str {
        self.environment
            .get("image")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Build {
    pub uuid: String,
    pub project: String,
    /// How its life and log play out: the catalog project's durations and
    /// commands, or the generic ones of a user-made project.
    pub profile: &'static ProjectDef,
    pub number: u64,
    /// Epoch milliseconds of the SUBMITTED phase.
    pub start: i64,
    pub plan: Plan,
    pub stop_at: Option<i64>,
    /// Shared by the builds that run with the same settings.
    pub settings: Arc<Settings>,
    pub source_version: Option<String>,
    pub resolved_source_version: String,
    pub initiator: String,
    /// The batch build this build runs a group of.
    pub batch_arn: Option<String>,
}

impl Build {
    pub fn id(&self) -> String {
        format!("{}:{}", self.project, self.uuid)
    }

    pub fn arn(&self, place: &Place) -> String {
        place.arn("codebuild", &format!("build/{}", self.id()))
    }

    pub fn timeline(&self) -> Timeline {
        let timeout = i64::from(self.settings.timeout_minutes) * MINUTE;
        timeline(self.start, &self.plan, timeout, self.stop_at)
    }

    pub fn completed_at(&self) -> i64 {
        self.timeline().completed_at
    }

    pub fn is_complete_at(&self, now: i64) -> bool {
        now >= self.completed_at()
    }

    pub fn is_running_at(&self, t: i64) -> bool {
        self.start <= t && t < self.completed_at()
    }
}

/// Accepts a build id or a build ARN.
pub(crate) fn id_from(id_or_arn: &str) -> &str {
    strip_arn(id_or_arn, "build/")
}
