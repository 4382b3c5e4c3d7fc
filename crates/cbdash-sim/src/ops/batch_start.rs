//! StartBuildBatch: StartBuild's request shape without the members only
//! single builds have, plus the batch's own; overrides land in the batch
//! and in every group's build.

use std::sync::Arc;

use serde_json::{json, Value};

use super::overrides::{apply, START_BUILD};
use super::shape::{opt, Field, Ty, NON_EMPTY};
use super::start::{checked_start, commit, API_INITIATOR};
use crate::batch::{batch_json, drafts_for, new_batch, NewBatch};
use crate::input::{ApiError, Input};
use crate::state::SimState;

/// StartBuild members that StartBuildBatch does not have.
const BUILD_ONLY: &[&str] = &[
    "timeoutInMinutesOverride",
    "reportBuildStatusOverride",
    "buildStatusConfigOverride",
    "fleetOverride",
    "autoRetryLimitOverride",
    "hostKernelOverride",
];

const RESTRICTIONS: &[Field] = &[
    opt("maximumBuildsAllowed", Ty::Int { min: 1, max: None }),
    opt("computeTypesAllowed", Ty::StrList),
    opt("fleetsAllowed", Ty::StrList),
];

/// A ProjectBuildBatchConfig.
pub(crate) const BATCH_CONFIG: &[Field] = &[
    opt("serviceRole", NON_EMPTY),
    opt("combineArtifacts", Ty::Bool),
    opt("restrictions", Ty::Struct(RESTRICTIONS)),
    opt("timeoutInMins", Ty::Int { min: 1, max: None }),
    opt(
        "batchReportMode",
        Ty::Enum(&["REPORT_AGGREGATED_BATCH", "REPORT_INDIVIDUAL_BUILDS"]),
    ),
];

const BATCH_ONLY: &[Field] = &[
    opt("reportBuildBatchStatusOverride", Ty::Bool),
    opt(
        "buildTimeoutInMinutesOverride",
        Ty::Int {
            min: 5,
            max: Some(2160),
        },
    ),
    opt("buildBatchConfigOverride", Ty::Struct(BATCH_CONFIG)),
];

fn request_shape() -> Vec<Field> {
    START_BUILD
        .iter()
        .filter(|f| !BUILD_ONLY.contains(&f.name))
        .chain(BATCH_ONLY)
        .copied()
        .collect()
}

/// `{"buildBatch": ...}` for a stored batch.
pub(crate) fn batch_response(state: &SimState, id: &str) -> Value {
    let book = &state.batches;
    match book.index_of(id) {
        Some(i) => {
            let batch = batch_json(&state.place, &book.list[i], &state.builds, state.now());
            json!({ "buildBatch": batch })
        }
        None => json!({}),
    }
}

pub(crate) fn start_build_batch(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let (mut fields, project, call) =
        checked_start(state, input, &request_shape(), "StartBuildBatch")?;
    if let Some(id) = call.replay(state)? {
        return Ok(batch_response(state, &id));
    }
    let mut config = project.batch_config.ok_or_else(|| {
        ApiError::invalid_input(format!(
            "Batch build is not enabled for project {}: it has no buildBatchConfig",
            project.name
        ))
    })?;
    // The batch's build timeout lands where StartBuild's would.
    if let Some(minutes) = fields.remove("buildTimeoutInMinutesOverride") {
        fields.insert("timeoutInMinutesOverride".into(), minutes);
    }
    let mut settings = project.settings;
    let source_version = apply(&fields, &mut settings).or(project.source_version);
    if let Some(report) = fields.get("reportBuildBatchStatusOverride") {
        settings
            .source
            .insert("reportBuildStatus".into(), report.clone());
    }
    if let Some(overrides) = fields
        .get("buildBatchConfigOverride")
        .and_then(Value::as_object)
    {
        config.extend(overrides.clone());
    }
    let settings = Arc::new(settings);
    let groups = drafts_for(project.profile, &settings);
    let new = NewBatch {
        project: project.name,
        profile: project.profile,
        config,
        settings,
        resolved: source_version.as_deref().and_then(commit),
        source_version,
        initiator: API_INITIATOR.to_string(),
        groups,
        start: state.now(),
    };
    let batch = new_batch(&mut state.api_rng, new);
    let id = batch.id();
    state.batches.insert(batch);
    call.remember(state, &id);
    Ok(batch_response(state, &id))
}
