//! BatchGetReports, and finding a report by its ARN.

use serde_json::{json, Map, Value};

use crate::catalog::Place;
use crate::clock::epoch;
use crate::input::{shown_list, ApiError, Input, Violations};
use crate::reports::{
    all_groups, build_uuid_of, coverage_summary, file_coverages, parse_arn, reports_at, test_cases,
    Kind, Report, ReportStatus,
};
use crate::state::SimState;

/// The report `arn` names, if it exists at sim now in this world.
pub(crate) fn find_report<'a>(state: &'a SimState, arn: &str) -> Option<Report<'a>> {
    let (group, uuid) = parse_arn(arn)?;
    let g = all_groups(state.catalog.projects())
        .into_iter()
        .find(|g| g.name == group)?;
    let build = state.get(&format!("{}:{}", g.project, build_uuid_of(uuid, group)))?;
    reports_at(build, state.now())
        .into_iter()
        .find(|r| r.group.name == group && r.arn(&state.place) == arn)
}

/// The Report shape at `now`.
pub(crate) fn report_json(place: &Place, report: &Report, now: i64) -> Value {
    let status = report.status_at(now);
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    put("arn", json!(report.arn(place)));
    put("type", json!(report.group.kind.name()));
    put("name", json!(report.group.name));
    put("reportGroupArn", json!(report.group.arn(place)));
    put("executionId", json!(report.build.arn(place)));
    put("status", json!(status.name()));
    put("created", epoch(report.created));
    put("expired", epoch(report.expired()));
    put("exportConfig", json!({"exportConfigType": "NO_EXPORT"}));
    put("truncated", json!(false));
    let generating = status == ReportStatus::Generating;
    match report.group.kind {
        Kind::Test => {
            let cases = if generating {
                Vec::new()
            } else {
                test_cases(report.build, report.group.runner)
            };
            let mut counts = Map::new();
            for case in &cases {
                let n = counts.get(case.status).and_then(Value::as_i64).unwrap_or(0);
                counts.insert(case.status.to_string(), json!(n + 1));
            }
            let duration: i64 = cases.iter().map(|c| c.duration_ns).sum();
            put(
                "testSummary",
                json!({
                    "total": cases.len(),
                    "statusCounts": counts,
                    "durationInNanoSeconds": duration,
                }),
            );
        }
        Kind::Coverage => {
            let files = if generating {
                Vec::new()
            } else {
                file_coverages(report.build, report.group.runner)
            };
            put("codeCoverageSummary", coverage_summary(&files));
        }
    }
    Value::Object(out)
}

pub(crate) fn batch_get_reports(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let arns = input.strings("reportArns")?;
    let mut v = Violations::default();
    if let Some(arns) = v.require(arns.as_ref(), "reportArns") {
        let shown = shown_list(arns);
        v.min_length("reportArns", &shown, arns.len(), 1);
        v.max_length("reportArns", &shown, arns.len(), 100);
        for (i, arn) in arns.iter().enumerate() {
            v.min_length(&format!("reportArns.{}.member", i + 1), arn, arn.len(), 1);
        }
    }
    v.finish()?;
    let now = state.now();
    let mut reports = Vec::new();
    let mut missing = Vec::new();
    for arn in arns.unwrap_or_default() {
        match find_report(state, arn) {
            Some(report) => reports.push(report_json(&state.place, &report, now)),
            None => missing.push(arn),
        }
    }
    Ok(json!({"reports": reports, "reportsNotFound": missing}))
}
