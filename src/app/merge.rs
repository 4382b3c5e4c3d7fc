//! Answers merged into the state: builds and batches fetched, each tagged
//! with the context that answered, the selection kept on the same row.

use super::describe::refresh_confirm;
use super::state::State;
use crate::domain::{Fetched, FetchedBatches};

/// Merges a BatchGetBuilds answer into the state, each build tagged with
/// the context the answer came from; the selection stays on the same build
/// whatever moved.
pub fn apply(state: &mut State, fetched: Fetched) {
    let mut reordered = false;
    let context = state.answer_context;
    let completed = fetched
        .builds
        .iter()
        .any(|b| b.complete && state.store.get(&b.id).is_none_or(|old| !old.complete));
    state.stats_stale |= completed;
    state.board.stale |= completed || fetched.builds.iter().any(|b| !state.store.contains(&b.id));
    let mut arrived = Vec::new();
    for mut build in fetched.builds {
        build.context = context;
        let new = !state.store.contains(&build.id);
        let id = build.id.clone();
        if state.store.upsert(build) {
            if new {
                arrived.push(id);
            } else {
                reordered = true;
            }
        }
    }
    for id in &fetched.not_found {
        reordered |= state.store.remove(id);
    }
    refresh_confirm(state);
    // Updates in place keep the rows; a filter may match differently now.
    let plain = state.filter.trim().is_empty() && !state.runaway_only;
    if reordered || !plain {
        state.refresh_list();
        return;
    }
    // New builds slot into the rows where they belong: with thousands of
    // rows and answers from many accounts, rebuilding them all each time
    // would cost more than everything else.
    let rows = state.visible_rows();
    for id in arrived {
        let listed = !state.store.batch_loaded_for(&id);
        if listed && !state.list.insert_build(&id, &state.store, rows) {
            state.refresh_list();
            return;
        }
    }
}

/// Merges a BatchGetBuildBatches answer into the state, like `apply`.
pub fn apply_batches(state: &mut State, fetched: FetchedBatches) {
    let mut rebuild = !state.filter.trim().is_empty();
    for mut batch in fetched.batches {
        batch.context = state.answer_context;
        // Group rows of an expanded batch follow its groups.
        rebuild |= state.list.is_expanded(&batch.id);
        rebuild |= state.store.upsert_batch(batch);
    }
    for id in &fetched.not_found {
        rebuild |= state.store.batches.remove(id);
    }
    refresh_confirm(state);
    if rebuild {
        state.refresh_list();
    }
}
