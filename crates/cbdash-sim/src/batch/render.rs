//! The BuildBatch shape as BatchGetBuildBatches, StartBuildBatch,
//! StopBuildBatch and RetryBuildBatch return it.

use serde_json::{json, Value};

use super::run::{simulate, RunView};
use super::{Batch, Group};
use crate::build::Build;
use crate::catalog::Place;
use crate::clock::epoch;
use crate::phase::Status;
use crate::render::{
    artifact_location, phase_json, shared_members, status_at as build_status, str_field,
};

fn status_in(view: &RunView, now: i64) -> Status {
    if now >= view.completed_at {
        view.status
    } else {
        Status::InProgress
    }
}

/// The batch's buildBatchStatus at `now`.
pub(crate) fn status_at(batch: &Batch, builds: &[Build], now: i64) -> Status {
    status_in(&simulate(batch, builds), now)
}

/// A BuildSummary: the group build's ARN, start, status and artifacts.
fn summary(place: &Place, build: &Build, now: i64) -> Value {
    let tl = build.timeline();
    let mut out = json!({
        "arn": build.arn(place),
        "requestedOn": epoch(build.start),
        "buildStatus": build_status(&tl, now).name(),
        "secondaryArtifacts": []
    });
    let artifacts = &build.settings.artifacts;
    if let (Some(kind), Some(map)) = (
        str_field(artifacts, "type").filter(|t| *t != "NO_ARTIFACTS"),
        out.as_object_mut(),
    ) {
        let mut primary =
            json!({"type": kind, "location": artifact_location(place, build, artifacts)});
        if let (Some(ident), Some(p)) = (
            str_field(artifacts, "artifactIdentifier"),
            primary.as_object_mut(),
        ) {
            p.insert("identifier".into(), json!(ident));
        }
        map.insert("primaryArtifact".into(), primary);
    }
    out
}

fn group_json(place: &Place, group: &Group, builds: &[Build], now: i64) -> Value {
    let mut out = json!({
        "identifier": group.identifier,
        "dependsOn": group.depends_on,
        "ignoreFailure": group.ignore_failure,
    });
    let prior: Vec<Value> = group
        .builds
        .iter()
        .filter(|&&idx| Some(idx) != group.current)
        .filter_map(|&idx| builds.get(idx))
        .map(|b| summary(place, b, now))
        .collect();
    if let Some(map) = out.as_object_mut() {
        if let Some(build) = group.current.and_then(|idx| builds.get(idx)) {
            map.insert("currentBuildSummary".into(), summary(place, build, now));
        }
        map.insert("priorBuildSummaryList".into(), Value::Array(prior));
    }
    out
}

/// BuildArtifacts: with combineArtifacts the groups' output lands together
/// under the batch's id.
fn artifacts(batch: &Batch) -> Value {
    let config = &batch.settings.artifacts;
    if !batch.combine_artifacts() || str_field(config, "type") != Some("S3") {
        return json!({"location": ""});
    }
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(str_field(config, "location"));
    parts.extend(str_field(config, "path"));
    parts.push(&batch.uuid);
    json!({
        "location": format!("arn:aws:s3:::{}", parts.join("/")),
        "overrideArtifactName": false,
        "encryptionDisabled": false
    })
}

/// Snapshot of `batch` at sim time `now`.
pub(crate) fn batch_json(place: &Place, batch: &Batch, builds: &[Build], now: i64) -> Value {
    let view = simulate(batch, builds);
    let mut phases = Vec::new();
    let mut current = view.spans.first().map_or("SUBMITTED", |s| s.phase);
    for span in view.spans.iter().filter(|s| s.start <= now) {
        let window = (span.start, span.end);
        phases.push(phase_json(
            span.phase,
            window,
            span.status,
            &span.context,
            now,
        ));
        current = span.phase;
        if now < span.end {
            break;
        }
    }
    let complete = now >= view.completed_at;
    if complete {
        current = view.final_phase();
        phases.push(json!({"phaseType": current, "startTime": epoch(view.completed_at)}));
    }
    // Groups are known once the batchspec has been read, and stay known
    // while a retry reads it again.
    let known = view.groups_from.is_some_and(|t| t <= now)
        || batch.groups.iter().any(|g| !g.builds.is_empty());
    let groups: Vec<Value> = if known {
        batch
            .groups
            .iter()
            .map(|g| group_json(place, g, builds, now))
            .collect()
    } else {
        Vec::new()
    };

    let s = &batch.settings;
    let version = batch.source_version.as_deref();
    let mut out = shared_members(&batch.project, s, version, &batch.resolved_source_version);
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    put("id", json!(batch.id()));
    put("arn", json!(batch.arn(place)));
    put("startTime", epoch(batch.run.start));
    if complete {
        put("endTime", epoch(view.completed_at));
    }
    put("currentPhase", json!(current));
    put("buildBatchStatus", json!(status_in(&view, now).name()));
    put("phases", Value::Array(phases));
    put("artifacts", artifacts(batch));
    put("secondaryArtifacts", json!([]));
    put("logConfig", Value::Object(s.logs_config.clone()));
    put("buildTimeoutInMinutes", json!(s.timeout_minutes));
    put("complete", json!(complete));
    put("initiator", json!(batch.initiator));
    put("buildBatchNumber", json!(batch.number));
    put("buildBatchConfig", Value::Object(batch.config.clone()));
    put("buildGroups", Value::Array(groups));
    if let Some(enabled) = s.debug_session {
        put("debugSessionEnabled", json!(enabled));
    }
    Value::Object(out)
}
