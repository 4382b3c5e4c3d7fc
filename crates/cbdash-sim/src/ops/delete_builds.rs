//! BatchDeleteBuilds.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::builds::checked_ids;
use crate::build::id_from;
use crate::input::{ApiError, Input};
use crate::state::SimState;

/// Deletes the finished builds among `ids` (1 to 100 ids or ARNs). As the
/// service reports them, deleted builds come back as ARNs in
/// buildsDeleted and running ones in buildsNotDeleted with
/// BUILD_IN_PROGRESS; an id that names no build is not deleted either,
/// with BUILD_NOT_FOUND. A build named twice is deleted once.
pub(crate) fn batch_delete_builds(state: &mut SimState, input: &Input) -> Result<Value, ApiError> {
    let ids = checked_ids(input, 1)?;
    let now = state.now();
    let mut deleted = Vec::new();
    let mut not_deleted = Vec::new();
    let mut seen = HashSet::new();
    for id in ids {
        let key = id_from(id);
        if !seen.insert(key) {
            continue;
        }
        let Some(idx) = state.index_of(key) else {
            not_deleted.push(json!({"id": id, "statusCode": "BUILD_NOT_FOUND"}));
            continue;
        };
        let build = &state.builds[idx];
        let arn = build.arn(&state.place);
        if build.is_complete_at(now) {
            deleted.push(arn);
            state.delete_build(idx);
        } else {
            not_deleted.push(json!({"id": arn, "statusCode": "BUILD_IN_PROGRESS"}));
        }
    }
    Ok(json!({"buildsDeleted": deleted, "buildsNotDeleted": not_deleted}))
}
