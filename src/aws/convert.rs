use chrono::{DateTime, Utc};

use crate::domain::{phase_type, Build, LogLinks, Phase, PhaseContext, Status};

fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<DateTime<Utc>> {
    let t = t?;
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_string)
}

/// Converts one build; a build without an ID cannot be tracked and is skipped.
pub fn build_from_sdk(b: &aws_sdk_codebuild::types::Build) -> Option<Build> {
    let id = b.id()?;
    let mut build = Build::new(id);
    if let Some(project) = b.project_name() {
        build.project = project.to_string();
    }
    build.arn = owned(b.arn());
    build.number = b.build_number();
    // as_str() keeps values newer than the SDK (its Unknown variant) verbatim.
    build.status = b
        .build_status()
        .map_or(Status::Other("UNKNOWN".into()), |s| {
            Status::parse(s.as_str())
        });
    build.current_phase = owned(b.current_phase());
    build.complete = b.build_complete();
    build.source_version = owned(b.source_version());
    build.resolved_source_version = owned(b.resolved_source_version());
    build.initiator = owned(b.initiator());
    build.start = time(b.start_time());
    build.end = time(b.end_time());
    build.timeout_minutes = b.timeout_in_minutes();
    build.phases = b.phases().iter().map(phase_from_sdk).collect();
    if let Some(logs) = b.logs() {
        build.logs = LogLinks {
            group: owned(logs.group_name()),
            stream: owned(logs.stream_name()),
            deep_link: owned(logs.deep_link()),
            s3_deep_link: owned(logs.s3_deep_link()),
            cloudwatch_arn: owned(logs.cloud_watch_logs_arn()),
            s3_arn: owned(logs.s3_logs_arn()),
        };
    }
    Some(build)
}

fn phase_from_sdk(p: &aws_sdk_codebuild::types::BuildPhase) -> Phase {
    Phase {
        phase_type: phase_type(p.phase_type().map_or("UNKNOWN", |t| t.as_str())),
        status: p.phase_status().map(|s| Status::parse(s.as_str())),
        start: time(p.start_time()),
        end: time(p.end_time()),
        duration_secs: p.duration_in_seconds(),
        // The service writes an empty context on every successful phase; only
        // the ones that say something are kept.
        contexts: p
            .contexts()
            .iter()
            .filter(|c| {
                !c.status_code().unwrap_or_default().is_empty()
                    || !c.message().unwrap_or_default().is_empty()
            })
            .map(|c| PhaseContext {
                status_code: c.status_code().unwrap_or_default().to_string(),
                message: c.message().unwrap_or_default().to_string(),
            })
            .collect(),
    }
}
