//! The Build shape as BatchGetBuilds, StartBuild and StopBuild return it.

use serde_json::{json, Map, Value};

use super::build::Build;
use super::catalog::{ACCOUNT, REGION};
use super::clock::epoch;
use super::phase::{Phase, Status};

/// Snapshot of `build` at sim time `now`.
pub(crate) fn build_json(build: &Build, now: i64) -> Value {
    let tl = build.timeline();
    let mut phases = Vec::new();
    let mut current = Phase::Submitted;
    for span in tl.spans.iter().filter(|s| s.start <= now) {
        if now < span.end {
            // The running phase: no end, duration or status yet.
            phases.push(json!({"phaseType": span.phase.name(), "startTime": epoch(span.start)}));
            current = span.phase;
            break;
        }
        phases.push(json!({
            "phaseType": span.phase.name(),
            "phaseStatus": span.status.name(),
            "startTime": epoch(span.start),
            "endTime": epoch(span.end),
            "durationInSeconds": ((span.end - span.start) as f64 / 1000.0).round() as i64,
            "contexts": [span.context.to_json()]
        }));
    }
    let complete = now >= tl.completed_at;
    let status = if complete {
        current = Phase::Completed;
        phases.push(json!({"phaseType": "COMPLETED", "startTime": epoch(tl.completed_at)}));
        tl.status
    } else if build.stop_at.is_some_and(|s| s <= now) {
        Status::Stopped
    } else {
        Status::InProgress
    };

    let s = &build.settings;
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    put("id", json!(build.id()));
    put("arn", json!(build.arn()));
    put("buildNumber", json!(build.number));
    put("startTime", epoch(build.start));
    if complete {
        put("endTime", epoch(tl.completed_at));
    }
    put("currentPhase", json!(current.name()));
    put("buildStatus", json!(status.name()));
    if let Some(version) = &build.source_version {
        put("sourceVersion", json!(version));
    }
    put(
        "resolvedSourceVersion",
        json!(build.resolved_source_version),
    );
    put("projectName", json!(build.project));
    put("phases", Value::Array(phases));
    put("source", Value::Object(s.source.clone()));
    put("secondarySources", json!(s.secondary_sources));
    put(
        "secondarySourceVersions",
        json!(s.secondary_source_versions),
    );
    put("artifacts", build_artifacts(build, &s.artifacts));
    let secondary: Vec<Value> = s
        .secondary_artifacts
        .iter()
        .filter_map(Value::as_object)
        .map(|a| build_artifacts(build, a))
        .collect();
    put("secondaryArtifacts", Value::Array(secondary));
    put("cache", Value::Object(s.cache.clone()));
    put("environment", Value::Object(s.environment.clone()));
    put("serviceRole", json!(s.service_role));
    put("logs", logs(build));
    put("timeoutInMinutes", json!(s.timeout_minutes));
    put("queuedTimeoutInMinutes", json!(s.queued_timeout_minutes));
    put("buildComplete", json!(complete));
    put("initiator", json!(build.initiator));
    put("encryptionKey", json!(s.encryption_key));
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

fn str_field<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// BuildArtifacts (where the output went) derived from ProjectArtifacts.
fn build_artifacts(build: &Build, config: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    let location = match str_field(config, "type") {
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
            "arn:aws:s3:::codepipeline-{REGION}-{ACCOUNT}/{}/BuildArtif/{}",
            build.project,
            build.uuid.get(..7).unwrap_or(&build.uuid)
        ),
        _ => String::new(),
    };
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

fn logs(build: &Build) -> Value {
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
            "https://console.aws.amazon.com/cloudwatch/home?region={REGION}#logsV2:log-groups/log-group/{}/log-events/{}",
            console_escape(group),
            console_escape(&stream)
        );
        let arn = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:log-stream:{stream}");
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
                json!(format!("https://s3.console.aws.amazon.com/s3/object/{bucket}?region={REGION}&prefix={key}")),
            );
            out.insert("s3LogsArn".into(), json!(format!("arn:aws:s3:::{object}")));
        }
    }
    out.insert("cloudWatchLogs".into(), Value::Object(cw.clone()));
    out.insert("s3Logs".into(), Value::Object(s3.clone()));
    Value::Object(out)
}
