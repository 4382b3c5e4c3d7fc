//! CreateProject, UpdateProject and DeleteProject, on the world's
//! registry of user-made projects.

use serde_json::{json, Map, Value};

use super::builds::project_not_found;
use super::project_shape::{self, CREATE_PROJECT};
use super::shape::{check_struct, Field};
use crate::input::{ApiError, Input, Violations};
use crate::state::SimState;

/// The request's known members, once they satisfy `shape`.
fn checked(input: &Input, shape: &[Field]) -> Result<Map<String, Value>, ApiError> {
    let mut v = Violations::default();
    let fields = check_struct(input, shape, &mut v)?;
    v.finish()?;
    Ok(fields)
}

fn name_of(fields: &Map<String, Value>) -> &str {
    fields
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// A project's concurrentBuildLimit must allow a build; on update -1
/// removes the limit.
fn check_limit(fields: &Map<String, Value>, update: bool) -> Result<(), ApiError> {
    match fields.get("concurrentBuildLimit").and_then(Value::as_i64) {
        Some(-1) if update => Ok(()),
        Some(limit) if limit < 1 => Err(ApiError::invalid_input(format!(
            "Project-level concurrent build limit cannot be less than 1, got {limit}"
        ))),
        _ => Ok(()),
    }
}

/// The scenario's own projects are fixtures the simulator plays builds
/// of; only projects made through CreateProject change.
fn refuse_catalog(state: &SimState, name: &str, action: &str) -> Result<(), ApiError> {
    match state.catalog.find(name) {
        Some(def) => Err(ApiError::invalid_input(format!(
            "Project {} comes with the simulator's scenario and cannot be {action}; \
             create a project of your own to change it",
            def.name
        ))),
        None => Ok(()),
    }
}

pub(crate) fn create_project(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let fields = checked(input, CREATE_PROJECT)?;
    let name = name_of(&fields);
    if state.project_name(name).is_some() {
        return Err(ApiError::already_exists(format!(
            "Project already exists: {}",
            state.place.project_arn(name)
        )));
    }
    check_limit(&fields, false)?;
    let now = state.now();
    let SimState {
        projects, place, ..
    } = state;
    let project = projects.create(place, fields, now);
    Ok(json!({ "project": project.json(place) }))
}

pub(crate) fn update_project(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let fields = checked(input, &project_shape::update_project())?;
    let name = name_of(&fields).to_string();
    refuse_catalog(state, &name, "updated")?;
    check_limit(&fields, true)?;
    let now = state.now();
    let SimState {
        projects, place, ..
    } = state;
    let Some(stored) = projects.get(&name).map(|p| p.name.clone()) else {
        return Err(project_not_found(place, &name));
    };
    match projects.update(place, &stored, fields, now) {
        Some(project) => Ok(json!({ "project": project.json(place) })),
        None => Err(project_not_found(place, &name)),
    }
}

/// Deleting a project that does not exist succeeds: the model gives
/// DeleteProject no ResourceNotFoundException. Its builds stay, as the
/// service keeps them.
pub(crate) fn delete_project(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let name = input.string("name")?;
    let mut v = Violations::default();
    if let Some(name) = v.require(name, "name") {
        v.min_length("name", name, name.chars().count(), 1);
    }
    v.finish()?;
    let name = name.unwrap_or_default();
    refuse_catalog(state, name, "deleted")?;
    if let Some(stored) = state.projects.get(name).map(|p| p.name.clone()) {
        state.projects.remove(&stored);
    }
    Ok(json!({}))
}
