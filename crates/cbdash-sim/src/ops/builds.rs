//! ListBuilds, ListBuildsForProject and BatchGetBuilds.

use serde_json::{json, Value};

use super::paging::{anchor, invalid, next_token, page_json, PAGE_SIZE};
use super::projects::SORT_ORDER;
use crate::build::id_from;
use crate::catalog::Place;
use crate::input::{shown_list, ApiError, Input, Violations};
use crate::render::build_json;
use crate::state::{SimState, Slot};

pub(crate) fn project_not_found(place: &Place, name: &str) -> ApiError {
    ApiError::not_found(format!(
        "Project cannot be found: {}",
        place.project_arn(name)
    ))
}

/// Build ids, newest first unless ASCENDING, optionally for one project.
fn listing(
    state: &SimState,
    input: &Input,
    operation: &str,
    project: Option<&str>,
) -> Result<Value, ApiError> {
    let sort_order = input.string("sortOrder")?;
    let token = input.string("nextToken")?;
    let mut v = Violations::default();
    v.one_of("sortOrder", sort_order, SORT_ORDER);
    v.finish()?;
    let sort_order = sort_order.unwrap_or("DESCENDING");

    let scope = [operation, sort_order, project.unwrap_or_default()];
    // Ranks count from the first build listed; the token's build is found
    // through the id index, so a page costs its own size however deep the
    // client pages. A token whose build was deleted since goes on from
    // where that build was.
    let order = state.listed(project);
    let n = order.len();
    let descending = sort_order == "DESCENDING";
    let rank_of = |pos: usize| if descending { n - 1 - pos } else { pos };
    let start = match anchor(token, &scope)? {
        None => 0,
        Some(id) => {
            let idx = state
                .index_of_any(&id)
                .filter(|&i| project.is_none_or(|p| state.builds[i].project == p))
                .ok_or_else(|| invalid(token.unwrap_or_default()))?;
            match (state.listed_slot(project, idx), descending) {
                (Slot::At(pos), _) => rank_of(pos) + 1,
                (Slot::Before(pos), false) => pos,
                (Slot::Before(pos), true) => n - pos,
            }
        }
    };
    let end = (start + PAGE_SIZE).min(n);
    let page: Vec<String> = (start..end)
        .map(|rank| state.builds[order[rank_of(rank)]].id())
        .collect();
    let next = match page.last() {
        Some(last) if end < n => Some(next_token(&scope, last)),
        _ => None,
    };
    Ok(page_json("ids", page, next))
}

pub(crate) fn list_builds(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    listing(state, input, "ListBuilds", None)
}

/// The name of the project a `...ForProject` request names, which must
/// exist.
pub(crate) fn named_project(state: &SimState, input: &Input) -> Result<String, ApiError> {
    let name = input.string("projectName")?;
    let mut v = Violations::default();
    if let Some(name) = v.require(name, "projectName") {
        v.min_length("projectName", name, name.len(), 1);
    }
    v.finish()?;
    let name = name.unwrap_or_default();
    state
        .project_name(name)
        .ok_or_else(|| project_not_found(&state.place, name))
}

pub(crate) fn list_builds_for_project(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let name = named_project(state, input)?;
    listing(state, input, "ListBuildsForProject", Some(&name))
}

/// The `ids` of a BatchGet request: `min` to 100 non-empty ids (the model
/// lets BatchGetBuildBatches ask for none, BatchGetBuilds not).
pub(crate) fn checked_ids<'a>(input: &Input<'a>, min: usize) -> Result<Vec<&'a str>, ApiError> {
    let ids = input.strings("ids")?;
    let mut v = Violations::default();
    if let Some(ids) = v.require(ids.as_ref(), "ids") {
        let shown = shown_list(ids);
        v.min_length("ids", &shown, ids.len(), min);
        v.max_length("ids", &shown, ids.len(), 100);
        for (i, id) in ids.iter().enumerate() {
            v.min_length(&format!("ids.{}.member", i + 1), id, id.len(), 1);
        }
    }
    v.finish()?;
    Ok(ids.unwrap_or_default())
}

pub(crate) fn batch_get_builds(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let ids = checked_ids(input, 1)?;
    let now = state.now();
    let mut builds = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match state.get(id_from(id)) {
            Some(build) => builds.push(build_json(&state.place, build, now)),
            None => missing.push(id),
        }
    }
    Ok(json!({"builds": builds, "buildsNotFound": missing}))
}
