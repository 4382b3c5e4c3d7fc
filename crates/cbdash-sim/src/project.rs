//! A project builds start from, whether the scenario's catalog has it or
//! CreateProject made it: StartBuild and its kin see both the same way.

use serde_json::{Map, Value};

use super::batch_projects::batch_config_json;
use super::build::Settings;
use super::catalog::{LogsDest, ProjectDef, Resources};
use super::state::SimState;

/// How the builds of a user-made project play out: durations and the
/// commands their logs show. The simulator does not read buildspecs, so
/// these stand in for whatever the project's buildspec runs.
pub(crate) const GENERIC: ProjectDef = ProjectDef {
    name: "",
    description: "",
    image: "aws/codebuild/standard:7.0",
    compute_type: "BUILD_GENERAL1_SMALL",
    timeout_minutes: 60,
    queued_timeout_minutes: 480,
    build_secs: (30.0, 240.0),
    install_cmd: "make install",
    pre_build_cmd: "make lint",
    build_cmds: &["make build", "make test"],
    post_build_cmd: "make publish",
    weight: 0.0,
    concurrent_build_limit: None,
    logs: LogsDest::CloudWatch,
    privileged: false,
    uploads_artifacts: false,
    cache: "NO_CACHE",
    env_vars: &[],
    created_days_ago: 0,
    modified_days_ago: 0,
    batch: None,
    resources: Resources::TYPICAL,
};

/// A project as a new build (or batch) of it needs it.
#[derive(Clone, Debug)]
pub(crate) struct Project {
    pub name: String,
    pub profile: &'static ProjectDef,
    /// What its builds run with before a start's overrides.
    pub settings: Settings,
    /// Built when a start names no version.
    pub source_version: Option<String>,
    pub concurrent_build_limit: Option<u32>,
    /// Its buildBatchConfig; None when batch builds are not enabled.
    pub batch_config: Option<Map<String, Value>>,
}

impl SimState {
    /// The project `name_or_arn` names, from the catalog or the registry.
    pub fn project(&self, name_or_arn: &str) -> Option<Project> {
        if let Some(def) = self.catalog.find(name_or_arn) {
            return Some(Project {
                name: def.name.to_string(),
                profile: def,
                settings: Settings::for_project(def, &self.place),
                source_version: Some("refs/heads/main".to_string()),
                concurrent_build_limit: def.concurrent_build_limit,
                batch_config: def.batch.map(|batch| {
                    let config = batch_config_json(&self.place, def.name, batch);
                    config.as_object().cloned().unwrap_or_default()
                }),
            });
        }
        let user = self.projects.get(name_or_arn)?;
        Some(Project {
            name: user.name.clone(),
            profile: &GENERIC,
            settings: user.settings(),
            source_version: user.source_version(),
            concurrent_build_limit: user.concurrent_build_limit(),
            batch_config: user.batch_config(),
        })
    }

    /// The name of the project `name_or_arn` names, if it exists.
    pub fn project_name(&self, name_or_arn: &str) -> Option<String> {
        match self.catalog.find(name_or_arn) {
            Some(def) => Some(def.name.to_string()),
            None => self.projects.get(name_or_arn).map(|p| p.name.clone()),
        }
    }

    /// The project's concurrent-build limit, if it has one.
    pub fn concurrent_build_limit(&self, name: &str) -> Option<u32> {
        match self.catalog.find(name) {
            Some(def) => def.concurrent_build_limit,
            None => self
                .projects
                .get(name)
                .and_then(|p| p.concurrent_build_limit()),
        }
    }
}
