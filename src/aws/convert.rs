use chrono::{DateTime, Utc};

use aws_sdk_codebuild::types::StatusType;

use super::settings::{self, RanWith};

use crate::domain::{
    phase_type, Build, BuildBatch, BuildGroup, BuildSummary, Coverage, FileCoverage, LogLinks,
    Phase, PhaseContext, Report, ReportKind, Status, TestCase, Totals,
};

/// A build's or a batch's phase: the SDK has a type for each, with the same
/// accessors.
macro_rules! sdk_phase {
    ($p:expr) => {
        phase(
            $p.phase_type().map(|t| t.as_str()),
            $p.phase_status(),
            $p.start_time(),
            $p.end_time(),
            $p.duration_in_seconds(),
            $p.contexts(),
        )
    };
}

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
    build.phases = b.phases().iter().map(|p| sdk_phase!(p)).collect();
    build.batch_arn = owned(b.build_batch_arn());
    build.report_arns = b.report_arns().to_vec();
    build.ran_with = std::sync::Arc::new(settings::overrides(RanWith {
        source_version: b.source_version(),
        environment: b.environment(),
        source: b.source(),
        timeout_minutes: b.timeout_in_minutes(),
        queued_timeout_minutes: b.queued_timeout_in_minutes(),
        service_role: b.service_role(),
        encryption_key: b.encryption_key(),
        cache: b.cache(),
        debug_session: b.debug_session().and_then(|d| d.session_enabled()),
        auto_retry_limit: b.auto_retry_config().and_then(|c| c.auto_retry_limit()),
    }));
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

/// One phase, of a build or of a batch.
fn phase(
    phase_type_raw: Option<&str>,
    status: Option<&StatusType>,
    start: Option<&aws_smithy_types::DateTime>,
    end: Option<&aws_smithy_types::DateTime>,
    duration_secs: Option<i64>,
    contexts: &[aws_sdk_codebuild::types::PhaseContext],
) -> Phase {
    Phase {
        phase_type: phase_type(phase_type_raw.unwrap_or("UNKNOWN")),
        status: status.map(|s| Status::parse(s.as_str())),
        start: time(start),
        end: time(end),
        duration_secs,
        // The service writes an empty context on every successful phase; only
        // the ones that say something are kept.
        contexts: contexts
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

/// Converts one batch; a batch without an ID is skipped.
pub fn batch_from_sdk(b: &aws_sdk_codebuild::types::BuildBatch) -> Option<BuildBatch> {
    let id = b.id()?;
    let mut batch = BuildBatch::new(id);
    if let Some(project) = b.project_name() {
        batch.project = project.to_string();
    }
    batch.arn = owned(b.arn());
    batch.number = b.build_batch_number();
    batch.status = b
        .build_batch_status()
        .map_or(Status::Other("UNKNOWN".into()), |s| {
            Status::parse(s.as_str())
        });
    batch.current_phase = owned(b.current_phase());
    batch.complete = b.complete();
    batch.source_version = owned(b.source_version());
    batch.resolved_source_version = owned(b.resolved_source_version());
    batch.initiator = owned(b.initiator());
    batch.start = time(b.start_time());
    batch.end = time(b.end_time());
    batch.timeout_minutes = b.build_timeout_in_minutes();
    batch.phases = b.phases().iter().map(|p| sdk_phase!(p)).collect();
    batch.ran_with = std::sync::Arc::new(settings::overrides(RanWith {
        source_version: b.source_version(),
        environment: b.environment(),
        source: b.source(),
        timeout_minutes: b.build_timeout_in_minutes(),
        queued_timeout_minutes: b.queued_timeout_in_minutes(),
        service_role: b.service_role(),
        encryption_key: b.encryption_key(),
        cache: b.cache(),
        debug_session: b.debug_session_enabled(),
        auto_retry_limit: None,
    }));
    batch.batch_config = settings::batch_config(b.build_batch_config());
    batch.groups = b
        .build_groups()
        .iter()
        .map(|g| BuildGroup {
            identifier: owned(g.identifier()),
            depends_on: g.depends_on().to_vec(),
            ignore_failure: g.ignore_failure(),
            current: g.current_build_summary().map(summary),
            prior: g.prior_build_summary_list().iter().map(summary).collect(),
        })
        .collect();
    Some(batch)
}

fn summary(s: &aws_sdk_codebuild::types::BuildSummary) -> BuildSummary {
    BuildSummary {
        arn: owned(s.arn()),
        requested_on: time(s.requested_on()),
        status: s.build_status().map(|st| Status::parse(st.as_str())),
    }
}

/// Converts one report; a report without an ARN cannot be kept and is skipped.
pub fn report_from_sdk(r: &aws_sdk_codebuild::types::Report) -> Option<Report> {
    let arn = r.arn()?.to_string();
    // as_str() keeps kinds and statuses newer than the SDK verbatim.
    let kind = r.r#type().map_or(ReportKind::Other(String::new()), |t| {
        ReportKind::parse(t.as_str())
    });
    let totals = r.test_summary().map(|t| {
        let mut totals = Totals {
            total: i64::from(t.total()),
            ..Totals::default()
        };
        for (status, n) in t.status_counts() {
            totals.add(status, i64::from(*n));
        }
        totals
    });
    let name = r.name().map_or_else(
        || {
            arn.rsplit_once('/')
                .map_or(arn.as_str(), |(_, t)| t)
                .to_string()
        },
        str::to_string,
    );
    Some(Report {
        name,
        kind,
        status: r.status().map_or("UNKNOWN", |s| s.as_str()).to_string(),
        duration_ns: r.test_summary().map(|t| t.duration_in_nano_seconds()),
        totals,
        coverage: r.code_coverage_summary().map(|c| Coverage {
            line_pct: c.line_coverage_percentage(),
            branch_pct: c.branch_coverage_percentage(),
        }),
        expired: time(r.expired()),
        group_arn: r.report_group_arn().map(str::to_string),
        arn,
    })
}

/// Converts one test case.
pub fn test_case_from_sdk(c: &aws_sdk_codebuild::types::TestCase) -> TestCase {
    let suite = c
        .test_suite_name()
        .filter(|s| !s.is_empty())
        .or(c.prefix())
        .unwrap_or_default();
    TestCase {
        report_arn: c.report_arn().unwrap_or_default().to_string(),
        status: c.status().unwrap_or("UNKNOWN").to_string(),
        suite: suite.to_string(),
        name: c.name().unwrap_or_default().to_string(),
        duration_ns: c.duration_in_nano_seconds(),
        message: c.message().unwrap_or_default().to_string(),
    }
}

/// Converts one file's coverage.
pub fn file_coverage_from_sdk(c: &aws_sdk_codebuild::types::CodeCoverage) -> FileCoverage {
    FileCoverage {
        path: c.file_path().unwrap_or_default().to_string(),
        line_pct: c.line_coverage_percentage(),
        lines_covered: c.lines_covered().map(i64::from),
        lines_missed: c.lines_missed().map(i64::from),
        branch_pct: c.branch_coverage_percentage(),
    }
}
