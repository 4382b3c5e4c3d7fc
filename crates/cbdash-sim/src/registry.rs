//! The projects made through CreateProject: one registry per world, next
//! to the scenario's catalog.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::build::Settings;
use super::catalog::{strip_arn, Place};
use super::clock::epoch;
use super::logs::hash;
use super::rng::Rng;

/// A project made through CreateProject.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UserProject {
    pub name: String,
    /// Its members as the requests set them, with the service's defaults
    /// filled in: the Project shape but for name, arn, dates and badge.
    pub fields: Map<String, Value>,
    pub created: i64,
    pub last_modified: i64,
    /// Creation order, which breaks ties between equal times.
    pub seq: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Registry {
    projects: HashMap<String, UserProject>,
    next_seq: u64,
}

impl Registry {
    /// A project by name or by ARN (of any account and region).
    pub fn get(&self, name_or_arn: &str) -> Option<&UserProject> {
        self.projects.get(strip_arn(name_or_arn, "project/"))
    }

    pub fn iter(&self) -> impl Iterator<Item = &UserProject> {
        self.projects.values()
    }

    /// Stores a new project made at `now` from checked CreateProject
    /// members (the name among them).
    pub fn create(
        &mut self,
        place: &Place,
        mut fields: Map<String, Value>,
        now: i64,
    ) -> &UserProject {
        let name = match fields.remove("name") {
            Some(Value::String(name)) => name,
            _ => String::new(),
        };
        fill_defaults(&mut fields, place);
        self.next_seq += 1;
        let project = UserProject {
            name: name.clone(),
            fields,
            created: now,
            last_modified: now,
            seq: self.next_seq,
        };
        self.projects.entry(name).or_insert(project)
    }

    /// Applies checked UpdateProject members: each one given replaces the
    /// project's; a concurrentBuildLimit of -1 removes the limit.
    pub fn update(
        &mut self,
        place: &Place,
        name: &str,
        mut changes: Map<String, Value>,
        now: i64,
    ) -> Option<&UserProject> {
        let project = self.projects.get_mut(name)?;
        changes.remove("name");
        for (key, value) in changes {
            if key == "concurrentBuildLimit" && value.as_i64() == Some(-1) {
                project.fields.remove(&key);
            } else {
                project.fields.insert(key, value);
            }
        }
        fill_defaults(&mut project.fields, place);
        project.last_modified = now;
        Some(project)
    }

    pub fn remove(&mut self, name: &str) -> bool {
        self.projects.remove(name).is_some()
    }
}

fn object_mut<'a>(
    fields: &'a mut Map<String, Value>,
    key: &str,
) -> Option<&'a mut Map<String, Value>> {
    fields.get_mut(key).and_then(Value::as_object_mut)
}

fn default(map: &mut Map<String, Value>, key: &str, value: Value) {
    map.entry(key).or_insert(value);
}

/// What the service fills in for members a request left out.
fn fill_defaults(fields: &mut Map<String, Value>, place: &Place) {
    if let Some(source) = object_mut(fields, "source") {
        default(source, "insecureSsl", json!(false));
    }
    if let Some(environment) = object_mut(fields, "environment") {
        default(environment, "environmentVariables", json!([]));
        default(environment, "privilegedMode", json!(false));
        default(environment, "imagePullCredentialsType", json!("CODEBUILD"));
        if let Some(vars) = environment
            .get_mut("environmentVariables")
            .and_then(Value::as_array_mut)
        {
            for var in vars.iter_mut().filter_map(Value::as_object_mut) {
                default(var, "type", json!("PLAINTEXT"));
            }
        }
    }
    default(fields, "secondarySources", json!([]));
    default(fields, "secondarySourceVersions", json!([]));
    default(fields, "secondaryArtifacts", json!([]));
    default(fields, "cache", json!({"type": "NO_CACHE"}));
    default(fields, "timeoutInMinutes", json!(60));
    default(fields, "queuedTimeoutInMinutes", json!(480));
    default(
        fields,
        "encryptionKey",
        json!(place.arn("kms", "alias/aws/s3")),
    );
    default(fields, "tags", json!([]));
    default(fields, "badgeEnabled", json!(false));
    default(fields, "logsConfig", json!({}));
    if let Some(logs) = object_mut(fields, "logsConfig") {
        default(logs, "cloudWatchLogs", json!({"status": "ENABLED"}));
        default(
            logs,
            "s3Logs",
            json!({"status": "DISABLED", "encryptionDisabled": false}),
        );
    }
}

impl UserProject {
    fn object(&self, key: &str) -> Map<String, Value> {
        self.fields
            .get(key)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }

    fn list(&self, key: &str) -> Vec<Value> {
        self.fields
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    fn text(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    fn minutes(&self, key: &str, default: u32) -> u32 {
        self.fields
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|m| u32::try_from(m).ok())
            .unwrap_or(default)
    }

    pub fn source_version(&self) -> Option<String> {
        self.text("sourceVersion").map(String::from)
    }

    pub fn concurrent_build_limit(&self) -> Option<u32> {
        self.fields
            .get("concurrentBuildLimit")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    }

    pub fn batch_config(&self) -> Option<Map<String, Value>> {
        self.fields
            .get("buildBatchConfig")
            .and_then(Value::as_object)
            .cloned()
    }

    /// Whether its builds write to CloudWatch Logs.
    pub fn logs_to_cloudwatch(&self) -> bool {
        let status = self.object("logsConfig");
        let status = status
            .get("cloudWatchLogs")
            .and_then(|c| c.get("status"))
            .and_then(Value::as_str);
        status != Some("DISABLED")
    }

    /// What its builds run with before a start's overrides.
    pub fn settings(&self) -> Settings {
        Settings {
            source: self.object("source"),
            secondary_sources: self.list("secondarySources"),
            secondary_source_versions: self.list("secondarySourceVersions"),
            artifacts: self.object("artifacts"),
            secondary_artifacts: self.list("secondaryArtifacts"),
            cache: self.object("cache"),
            environment: self.object("environment"),
            service_role: self.text("serviceRole").unwrap_or_default().to_string(),
            timeout_minutes: self.minutes("timeoutInMinutes", 60),
            queued_timeout_minutes: self.minutes("queuedTimeoutInMinutes", 480),
            encryption_key: self.text("encryptionKey").unwrap_or_default().to_string(),
            logs_config: self.object("logsConfig"),
            debug_session: None,
            auto_retry_limit: self.fields.get("autoRetryLimit").and_then(Value::as_i64),
            vpc_config: self.fields.get("vpcConfig").cloned(),
            file_system_locations: self.fields.get("fileSystemLocations").cloned(),
        }
    }

    /// The Project shape, as BatchGetProjects and CreateProject return it.
    pub fn json(&self, place: &Place) -> Value {
        let mut out = Map::new();
        out.insert("name".into(), json!(self.name));
        out.insert("arn".into(), json!(place.project_arn(&self.name)));
        let mut badge = false;
        for (key, value) in &self.fields {
            match key.as_str() {
                "badgeEnabled" => badge = value.as_bool().unwrap_or(false),
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out.insert("created".into(), epoch(self.created));
        out.insert("lastModified".into(), epoch(self.last_modified));
        let mut badge_json = json!({ "badgeEnabled": badge });
        if let (true, Some(map)) = (badge, badge_json.as_object_mut()) {
            let key = format!("{}/{}/{}", place.account, place.region, self.name);
            let uuid = Rng::new(hash(&key)).hex(64);
            map.insert(
                "badgeRequestUrl".into(),
                json!(format!(
                    "https://codebuild.{}.amazonaws.com/badges?uuid={uuid}&branch=main",
                    place.region
                )),
            );
        }
        out.insert("badge".into(), badge_json);
        out.insert("projectVisibility".into(), json!("PRIVATE"));
        Value::Object(out)
    }
}
