//! The Build shape as BatchGetBuilds, StartBuild and StopBuild return it.

use serde_json::{json, Map, Value};

use super::build::{Build, Settings};
use super::catalog::Place;
use super::clock::epoch;
use super::phase::{Context, Phase, Status};
use super::reports::reports_at;
use super::timeline::Timeline;

/// A phase as the service lists it: the running one has no end, duration
/// or status yet.
pub(crate) fn phase_json(
    phase: &str,
    (start, end): (i64, i64),
    status: Status,
    context: &Context,
    now: i64,
) -> Value {
    if now < end {
        return json!({"phaseType": phase, "startTime": epoch(start)});
    }
    let mut out = json!({
        "phaseType": phase,
        "phaseStatus": status.name(),
        "startTime": epoch(start),
        "endTime": epoch(end),
        // The service truncates, so phases never outlast the build.
        "durationInSeconds": (end - start).max(0) / 1000,
    });
    // The service writes no contexts for the phases before the build runs.
    if let (false, Some(map)) = (matches!(phase, "SUBMITTED" | "QUEUED"), out.as_object_mut()) {
        map.insert("contexts".into(), json!([context.to_json()]));
    }
    out
}

/// The build's status at `now` (a stop completes the build at once).
pub(crate) fn status_at(tl: &Timeline, now: i64) -> Status {
    if now >= tl.completed_at {
        tl.status
    } else {
        Status::InProgress
    }
}

/// The members a build and a batch share under the same names: what was
/// built, from where, and with which settings.
pub(crate) fn shared_members(
    project: &str,
    s: &Settings,
    source_version: Option<&str>,
    resolved: &str,
) -> Map<String, Value> {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    if let Some(version) = source_version {
        put("sourceVersion", json!(version));
    }
    put("resolvedSourceVersion", json!(resolved));
    put("projectName", json!(project));
    put("source", Value::Object(s.source.clone()));
    put("secondarySources", json!(s.secondary_sources));
    put(
        "secondarySourceVersions",
        json!(s.secondary_source_versions),
    );
    put("cache", Value::Object(s.cache.clone()));
    put("environment", Value::Object(s.environment.clone()));
    put("serviceRole", json!(s.service_role));
    put("queuedTimeoutInMinutes", json!(s.queued_timeout_minutes));
    put("encryptionKey", json!(s.encryption_key));
    if let Some(vpc) = &s.vpc_config {
        put("vpcConfig", vpc.clone());
    }
    if let Some(locations) = &s.file_system_locations {
        put("fileSystemLocations", locations.clone());
    }
    out
}

/// Snapshot of `build` at sim time `now`.
pub(crate) fn build_json(place: &Place, build: &Build, now: i64) -> Value {
    let tl = build.timeline();
    let mut phases = Vec::new();
    let mut current = Phase::Submitted;
    for span in tl.spans.iter().filter(|s| s.start <= now) {
        let (name, window) = (span.phase.name(), (span.start, span.end));
        phases.push(phase_json(name, window, span.status, &span.context, now));
        if now < span.end {
            current = span.phase;
            break;
        }
    }
    let complete = now >= tl.completed_at;
    let status = status_at(&tl, now);
    if complete {
        current = Phase::Completed;
        phases.push(json!({"phaseType": "COMPLETED", "startTime": epoch(tl.completed_at)}));
    }

    let s = &build.settings;
    let version = build.source_version.as_deref();
    let mut out = shared_members(&build.project, s, version, &build.resolved_source_version);
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    put("id", json!(build.id()));
    put("arn", json!(build.arn(place)));
    put("buildNumber", json!(build.number));
    put("startTime", epoch(build.start));
    if complete {
        put("endTime", epoch(tl.completed_at));
    }
    put("currentPhase", json!(current.name()));
    put("buildStatus", json!(status.name()));
    put("phases", Value::Array(phases));
    put("artifacts", build_artifacts(place, build, &s.artifacts));
    let secondary: Vec<Value> = s
        .secondary_artifacts
        .iter()
        .filter_map(Value::as_object)
        .map(|a| build_artifacts(place, build, a))
        .collect();
    put("secondaryArtifacts", Value::Array(secondary));
    put("logs", logs(place, build));
    let reports = reports_at(build, now);
    if !reports.is_empty() {
        let arns: Vec<String> = reports.iter().map(|r| r.arn(place)).collect();
        put("reportArns", json!(arns));
    }
    put("timeoutInMinutes", json!(s.timeout_minutes));
    put("buildComplete", json!(complete));
    put("initiator", json!(build.initiator));
    if let Some(arn) = &build.batch_arn {
        put("buildBatchArn", json!(arn));
    }
    if let Some(enabled) = s.debug_session {
        put("debugSession", json!({"sessionEnabled": enabled}));
    }
    if let Some(limit) = s.auto_retry_limit {
        put(
            "autoRetryConfig",
            json!({"autoRetryLimit": limit, "autoRetryNumber": 0}),
        );
    }
    Value::Object(out)
}

pub(crate) fn str_field<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Where `config` (ProjectArtifacts) puts the build's output: an S3 ARN,
/// or empty without artifacts.
pub(crate) fn artifact_location(
    place: &Place,
    build: &Build,
    config: &Map<String, Value>,
) -> String {
    match str_field(config, "type") {
        Some("S3") => {
            let mut parts: Vec<String> = Vec::new();
            parts.extend(str_field(config, "location").map(String::from));
            parts.extend(str_field(config, "path").map(String::from));
            if str_field(config, "namespaceType") == Some("BUILD_ID") {
                parts.push(build.uuid.clone());
            }
            parts.push(
                str_field(config, "name")
                    .unwrap_or(&build.project)
                    .to_string(),
            );
            format!("arn:aws:s3:::{}", parts.join("/"))
        }
        Some("CODEPIPELINE") => format!(
            "arn:aws:s3:::codepipeline-{}-{}/{}/BuildArtif/{}",
            place.region,
            place.account,
            build.project,
            build.uuid.get(..7).unwrap_or(&build.uuid)
        ),
        _ => String::new(),
    }
}

/// BuildArtifacts (where the output went) derived from ProjectArtifacts.
fn build_artifacts(place: &Place, build: &Build, config: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    let location = artifact_location(place, build, config);
    out.insert("location".into(), json!(location));
    if !location.is_empty() {
        for key in ["overrideArtifactName", "encryptionDisabled"] {
            out.insert(
                key.into(),
                json!(config.get(key).and_then(Value::as_bool).unwrap_or(false)),
            );
        }
    }
    if let Some(ident) = str_field(config, "artifactIdentifier") {
        out.insert("artifactIdentifier".into(), json!(ident));
    }
    Value::Object(out)
}

/// CloudWatch Logs deep links escape '/' in names as `$252F`.
fn console_escape(name: &str) -> String {
    name.replace('/', "$252F")
}

fn logs(place: &Place, build: &Build) -> Value {
    let config = &build.settings.logs_config;
    let empty = Map::new();
    let cw = config
        .get("cloudWatchLogs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let s3 = config
        .get("s3Logs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut out = Map::new();
    if str_field(cw, "status") != Some("DISABLED") {
        let default_group = format!("/aws/codebuild/{}", build.project);
        let group = str_field(cw, "groupName").unwrap_or(&default_group);
        let stream = match str_field(cw, "streamName") {
            Some(prefix) => format!("{prefix}/{}", build.uuid),
            None => build.uuid.clone(),
        };
        let deep_link = format!(
            "https://console.aws.amazon.com/cloudwatch/home?region={}#logsV2:log-groups/log-group/{}/log-events/{}",
            place.region,
            console_escape(group),
            console_escape(&stream)
        );
        let arn = place.arn("logs", &format!("log-group:{group}:log-stream:{stream}"));
        out.insert("groupName".into(), json!(group));
        out.insert("streamName".into(), json!(stream));
        out.insert("deepLink".into(), json!(deep_link));
        out.insert("cloudWatchLogsArn".into(), json!(arn));
    }
    if str_field(s3, "status") == Some("ENABLED") {
        if let Some(location) = str_field(s3, "location") {
            let object = format!("{}/{}.gz", location.trim_end_matches('/'), build.uuid);
            let (bucket, key) = object.split_once('/').unwrap_or((&object, ""));
            out.insert(
                "s3DeepLink".into(),
                json!(format!(
                    "https://s3.console.aws.amazon.com/s3/object/{bucket}?region={}&prefix={key}",
                    place.region
                )),
            );
            out.insert("s3LogsArn".into(), json!(format!("arn:aws:s3:::{object}")));
        }
    }
    out.insert("cloudWatchLogs".into(), Value::Object(cw.clone()));
    out.insert("s3Logs".into(), Value::Object(s3.clone()));
    Value::Object(out)
}
