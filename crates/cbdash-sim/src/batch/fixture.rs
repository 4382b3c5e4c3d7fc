//! Batches planned up front by a test: a build graph of fixed outcomes.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::schedule::{new_batch, NewBatch};
use super::spec::GroupDraft;
use super::Recipe;
use crate::state::SimState;
use crate::BatchSpec;

/// A plain batch configuration for a project without batch builds (a
/// fixture may use any project).
fn plain_config() -> Map<String, Value> {
    let value = json!({"combineArtifacts": false, "timeoutInMins": 480});
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
    let project = state
        .project(&spec.project)
        .unwrap_or_else(|| panic!("BatchSpec names unknown project {:?}", spec.project));
    let start = state.now() - (spec.started_secs_ago.max(0.0) * 1000.0).round() as i64;
    let settings = Arc::new(project.settings);
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
        project: project.name,
        profile: project.profile,
        config: project.batch_config.unwrap_or_else(plain_config),
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
