//! StopBuildBatch and RetryBuildBatch.

use serde_json::{Map, Value};

use super::batch_start::batch_response;
use super::shape::{check_struct, opt, req, Field, Ty, NON_EMPTY, STR};
use super::start::TokenCall;
use crate::batch::{is_complete_at, retry, stop};
use crate::input::{ApiError, Input, Violations};
use crate::state::SimState;

const RETRY_TYPES: &[&str] = &["RETRY_ALL_BUILDS", "RETRY_FAILED_BUILDS"];

fn batch_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Build batch {id} does not exist"))
}

const STOP_REQUEST: &[Field] = &[req("id", NON_EMPTY)];
/// The API marks id optional, but there is nothing to retry without one.
const RETRY_REQUEST: &[Field] = &[
    opt("id", NON_EMPTY),
    opt("idempotencyToken", STR),
    opt("retryType", Ty::Enum(RETRY_TYPES)),
];

/// The batch a request's `id` (id or ARN) names, once `fields` check out,
/// and the request's known members.
fn lookup(
    state: &SimState,
    input: &Input,
    fields: &[Field],
) -> Result<(usize, Map<String, Value>), ApiError> {
    let mut v = Violations::default();
    let checked = check_struct(input, fields, &mut v)?;
    v.finish()?;
    let Some(id) = checked.get("id").and_then(Value::as_str) else {
        return Err(ApiError::invalid_input("A build batch id is required"));
    };
    let idx = state
        .batches
        .index_of(id)
        .ok_or_else(|| batch_not_found(id))?;
    Ok((idx, checked))
}

pub(crate) fn stop_build_batch(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let (b, _) = lookup(state, input, STOP_REQUEST)?;
    let batch = &state.batches.list[b];
    let id = batch.id();
    if is_complete_at(batch, &state.builds, state.now()) {
        return Err(ApiError::invalid_input(format!(
            "Build batch {id} is not in progress and cannot be stopped"
        )));
    }
    let now = state.now();
    let SimState {
        batches, builds, ..
    } = state;
    stop(batches, builds, b, now);
    state.stopped();
    Ok(batch_response(state, &id))
}

pub(crate) fn retry_build_batch(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let (b, known) = lookup(state, input, RETRY_REQUEST)?;
    let token = known.get("idempotencyToken").and_then(Value::as_str);
    let call = TokenCall::new("RetryBuildBatch", token, &known);
    if let Some(id) = call.replay(state)? {
        return Ok(batch_response(state, &id));
    }
    let batch = &state.batches.list[b];
    let id = batch.id();
    if !is_complete_at(batch, &state.builds, state.now()) {
        return Err(ApiError::invalid_input(format!(
            "Build batch {id} is still in progress; only complete build batches can be retried"
        )));
    }
    let failed_only = input.string("retryType")? == Some("RETRY_FAILED_BUILDS");
    let now = state.now();
    let SimState {
        batches,
        builds,
        api_rng,
        ..
    } = state;
    if !retry(batches, builds, api_rng, b, now, failed_only) {
        return Err(ApiError::invalid_input(format!(
            "Build batch {id} has no failed builds to retry"
        )));
    }
    call.remember(state, &id);
    Ok(batch_response(state, &id))
}
