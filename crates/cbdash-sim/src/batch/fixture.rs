//! Batches planned up front by a test: a build graph of fixed outcomes.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::schedule::{new_batch, NewBatch};
use super::spec::GroupDraft;
use super::Recipe;
use crate::batch_projects::batch_config_json;
use crate::build::Settings;
use crate::catalog::{Place, ProjectDef};
use crate::state::SimState;
use crate::BatchSpec;

/// The project's batch configuration, or a plain one for a project without
/// batch builds (a fixture may use any project).
fn config(place: &Place, def: &ProjectDef) -> Map<String, Value> {
    let value = match def.batch {
        Some(batch) => batch_config_json(place, def.name, batch),
        None => json!({"combineArtifacts": false, "timeoutInMins": 480}),
    };
    value.as_object().cloned().unwrap_or_default()
}

/// Stores the batch and returns its id. The spec replaces the project's
/// batchspec; unknown dependencies, cycles and repeated identifiers fail
/// the batch in DOWNLOAD_BATCHSPEC, where the service validates it.
/// Panics on an unknown project, a mistake in the calling test.
// A fixture naming what does not exist is a mistake in its caller.
#[allow(clippy::panic)]
pub(crate) fn add(state: &mut SimState, spec: BatchSpec) -> String {
    state.catch_up();
    let def = state
        .catalog
        .find(&spec.project)
        .unwrap_or_else(|| panic!("BatchSpec names unknown project {:?}", spec.project));
    let start = state.now() - (spec.started_secs_ago.max(0.0) * 1000.0).round() as i64;
    let settings = Arc::new(Settings::for_project(def, &state.place));
    let groups = spec
        .groups
        .into_iter()
        .map(|g| GroupDraft {
            identifier: g.identifier,
            depends_on: g.depends_on,
            ignore_failure: g.ignore_failure,
            settings: Arc::clone(&settings),
            recipe: Recipe::Fixed {
                outcome: g.outcome,
                phase_secs: g.phase_secs,
            },
        })
        .collect();
    let new = NewBatch {
        def,
        config: config(&state.place, def),
        settings,
        source_version: Some("refs/heads/main".into()),
        resolved: None,
        initiator: "alice".into(),
        groups,
        start,
    };
    let batch = new_batch(&mut state.fixture_rng, new);
    let id = batch.id();
    state.batches.insert(batch);
    // Groups due in the past start now, in order.
    state.catch_up();
    id
}
