//! StopBuild and RetryBuild.

use serde_json::{Map, Value};

use super::builds::project_not_found;
use super::shape::{check_struct, opt, req, NON_EMPTY, STR};
use super::start::{build_response, check_capacity, create, TokenCall};
use crate::build::id_from;
use crate::input::{ApiError, Input, Violations};
use crate::state::SimState;

fn build_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Build {id} does not exist"))
}

/// The build a request's `id` names (id or ARN), and the request's known
/// members.
fn lookup(
    state: &SimState,
    input: &Input,
    id_required: bool,
) -> Result<(usize, Map<String, Value>), ApiError> {
    let fields = if id_required {
        [req("id", NON_EMPTY), opt("idempotencyToken", STR)]
    } else {
        [opt("id", NON_EMPTY), opt("idempotencyToken", STR)]
    };
    let mut v = Violations::default();
    let checked = check_struct(input, &fields, &mut v)?;
    v.finish()?;
    let Some(id) = checked.get("id").and_then(Value::as_str) else {
        return Err(ApiError::invalid_input("A build id is required"));
    };
    let idx = state
        .index_of(id_from(id))
        .ok_or_else(|| build_not_found(id))?;
    Ok((idx, checked))
}

pub(crate) fn stop_build(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let (idx, _) = lookup(state, input, true)?;
    let now = state.now();
    let build = &mut state.builds[idx];
    let id = build.id();
    if build.is_complete_at(now) {
        return Err(ApiError::invalid_input(format!(
            "Build {id} is not in progress and cannot be stopped"
        )));
    }
    // An earlier stop stands; a stop planned for later (a demo build that
    // somebody was going to stop anyway) is brought forward to now.
    build.stop_at = Some(build.stop_at.map_or(now, |planned| planned.min(now)));
    state.stopped();
    Ok(build_response(state, &id))
}

pub(crate) fn retry_build(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    // The API marks id optional, but there is nothing to retry without one.
    let (idx, known) = lookup(state, input, false)?;
    let token = known.get("idempotencyToken").and_then(Value::as_str);
    let call = TokenCall::new("RetryBuild", token, &known);
    if let Some(id) = call.replay(state)? {
        return Ok(build_response(state, &id));
    }
    let now = state.now();
    let original = &state.builds[idx];
    if !original.is_complete_at(now) {
        return Err(ApiError::invalid_input(format!(
            "Build {} is still in progress; only completed builds can be retried",
            original.id()
        )));
    }
    // A deleted project's builds stay, but cannot run again.
    let project = state
        .project(&original.project)
        .ok_or_else(|| project_not_found(&state.place, &original.project))?;
    let profile = original.profile;
    let settings = original.settings.clone();
    let source_version = original.source_version.clone();
    let resolved = Some(original.resolved_source_version.clone());
    check_capacity(state, &project.name, project.concurrent_build_limit)?;
    let id = create(
        state,
        (&project.name, profile),
        settings,
        source_version,
        resolved,
    );
    call.remember(state, &id);
    Ok(build_response(state, &id))
}
