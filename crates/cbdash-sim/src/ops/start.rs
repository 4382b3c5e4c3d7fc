//! StartBuild, plus what RetryBuild shares with it: idempotency tokens,
//! the project's concurrent-build limit and creating the build.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::builds::project_not_found;
use super::overrides::{apply, START_BUILD};
use super::shape::{check_struct, Field};
use crate::build::{Build, Settings};
use crate::catalog::ProjectDef;
use crate::clock::MINUTE;
use crate::input::{ApiError, Input, Violations};
use crate::plan_gen::random_plan;
use crate::project::Project;
use crate::render::build_json;
use crate::state::{SimState, TokenUse};

/// How long a token keeps returning the same build.
const TOKEN_LIFETIME: i64 = 5 * MINUTE;

/// Who the simulator reports as having started builds through the API.
pub(crate) const API_INITIATOR: &str = "developer";

/// A StartBuild-like request checked against `shape`: its members, the
/// project it names and its idempotency token.
pub(crate) fn checked_start(
    state: &SimState,
    input: &Input,
    shape: &[Field],
    operation: &str,
) -> Result<(Map<String, Value>, Project, TokenCall), ApiError> {
    let mut v = Violations::default();
    let fields = check_struct(input, shape, &mut v)?;
    v.finish()?;
    let name = fields
        .get("projectName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let project = state
        .project(name)
        .ok_or_else(|| project_not_found(&state.place, name))?;
    let token = fields.get("idempotencyToken").and_then(Value::as_str);
    let call = TokenCall::new(operation, token, &fields);
    Ok((fields, project, call))
}

pub(crate) fn start_build(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let (fields, project, call) = checked_start(state, input, START_BUILD, "StartBuild")?;
    if let Some(id) = call.replay(state)? {
        return Ok(build_response(state, &id));
    }
    check_capacity(state, &project.name, project.concurrent_build_limit)?;
    let mut settings = project.settings;
    // Without a sourceVersion the project's own is built.
    let source_version = apply(&fields, &mut settings).or(project.source_version);
    let resolved = source_version.as_deref().and_then(commit);
    let id = create(
        state,
        (&project.name, project.profile),
        Arc::new(settings),
        source_version,
        resolved,
    );
    call.remember(state, &id);
    Ok(build_response(state, &id))
}

/// The source version when it already names a commit; otherwise the
/// service resolves it (and the simulator makes a commit up).
pub(crate) fn commit(source_version: &str) -> Option<String> {
    let is_commit =
        source_version.len() == 40 && source_version.bytes().all(|b| b.is_ascii_hexdigit());
    is_commit.then(|| source_version.to_string())
}

/// A call with an idempotency token (StartBuild, RetryBuild and their
/// batch forms) as far as idempotency is concerned.
pub(crate) struct TokenCall {
    key: Option<(String, String)>,
    params: Value,
}

impl TokenCall {
    /// `known` holds the request's members the model knows: unknown ones
    /// are ignored, here as everywhere.
    pub fn new(operation: &str, token: Option<&str>, known: &Map<String, Value>) -> Self {
        let mut params = known.clone();
        params.remove("idempotencyToken");
        TokenCall {
            key: token.map(|t| (operation.to_string(), t.to_string())),
            params: Value::Object(params),
        }
    }

    /// The id the earlier call answered with when the token is reused with
    /// the same parameters within its lifetime; an error when they differ.
    pub fn replay(&self, state: &SimState) -> Result<Option<String>, ApiError> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        let now = state.now();
        // A build deleted since cannot be answered again: the call runs anew.
        let exists = |id: &str| state.get(id).is_some() || state.batches.index_of(id).is_some();
        match state.tokens.get(key) {
            Some(used) if now - used.at < TOKEN_LIFETIME && exists(&used.id) => {
                if used.params != self.params {
                    return Err(ApiError::invalid_input(format!(
                        "Idempotency token {} has already been used with different parameters",
                        key.1
                    )));
                }
                Ok(Some(used.id.clone()))
            }
            _ => Ok(None),
        }
    }

    pub fn remember(self, state: &mut SimState, id: &str) {
        if let Some(key) = self.key {
            let at = state.now();
            state.tokens.insert(
                key,
                TokenUse {
                    params: self.params,
                    id: id.to_string(),
                    at,
                },
            );
        }
    }
}

pub(crate) fn check_capacity(
    state: &SimState,
    project: &str,
    limit: Option<u32>,
) -> Result<(), ApiError> {
    let Some(limit) = limit else {
        return Ok(());
    };
    if state.running_in_project(project, state.now()) >= limit as usize {
        return Err(ApiError::account_limit(format!(
            "Cannot have more than {limit} builds in queue for the project {project}"
        )));
    }
    Ok(())
}

/// Creates and stores a build of `project` (its name and profile) started
/// now through the API.
pub(crate) fn create(
    state: &mut SimState,
    (project, profile): (&str, &'static ProjectDef),
    settings: Arc<Settings>,
    source_version: Option<String>,
    resolved: Option<String>,
) -> String {
    let now = state.now();
    let rng = &mut state.api_rng;
    let version = source_version.as_deref().unwrap_or("refs/heads/main");
    // Nobody has stopped a build that was just started.
    let (plan, _) = random_plan(rng, profile, &settings, version, now);
    let build = Build {
        uuid: rng.uuid(),
        project: project.to_string(),
        profile,
        number: 0,
        start: now,
        plan,
        stop_at: None,
        settings,
        source_version,
        resolved_source_version: resolved.unwrap_or_else(|| rng.hex(40)),
        initiator: API_INITIATOR.to_string(),
        batch_arn: None,
    };
    state.insert(build)
}

/// `{"build": ...}` for a stored build.
pub(crate) fn build_response(state: &SimState, id: &str) -> Value {
    match state.get(id) {
        Some(build) => json!({ "build": build_json(&state.place, build, state.now()) }),
        None => json!({}),
    }
}
