//! GetReportGroupTrend: one field of a group's most recent final reports,
//! with its average, maximum and minimum.

use serde_json::{json, Value};

use super::report_groups::{named_group, reports_in};
use crate::input::{ApiError, Input, Violations};
use crate::reports::{coverage_summary, file_coverages, test_cases, Kind, Report};
use crate::state::SimState;

const TEST_FIELDS: &[&str] = &["PASS_RATE", "DURATION", "TOTAL"];
const COVERAGE_FIELDS: &[&str] = &[
    "LINE_COVERAGE",
    "LINES_COVERED",
    "LINES_MISSED",
    "BRANCH_COVERAGE",
    "BRANCHES_COVERED",
    "BRANCHES_MISSED",
];

/// `field` of one report, for a field of the report's kind.
fn value_of(report: &Report, field: &str) -> f64 {
    match report.group.kind {
        Kind::Test => {
            let cases = test_cases(report.build, report.group.runner);
            match field {
                "PASS_RATE" => {
                    let passed = cases.iter().filter(|c| c.status == "SUCCEEDED").count();
                    let total = cases.len().max(1);
                    (passed as f64 * 10_000.0 / total as f64).round() / 100.0
                }
                "DURATION" => cases.iter().map(|c| c.duration_ns).sum::<i64>() as f64,
                _ => cases.len() as f64,
            }
        }
        Kind::Coverage => {
            let summary = coverage_summary(&file_coverages(report.build, report.group.runner));
            let key = match field {
                "LINE_COVERAGE" => "lineCoveragePercentage",
                "LINES_COVERED" => "linesCovered",
                "LINES_MISSED" => "linesMissed",
                "BRANCH_COVERAGE" => "branchCoveragePercentage",
                "BRANCHES_COVERED" => "branchesCovered",
                _ => "branchesMissed",
            };
            summary[key].as_f64().unwrap_or(0.0)
        }
    }
}

/// Numbers as the trend's strings: whole ones without decimals.
fn shown(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{:.2}", value)
    }
}

pub(crate) fn get_report_group_trend(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let arn = input.string("reportGroupArn")?;
    let count = input.integer("numOfReports")?;
    let field = input.string("trendField")?;
    let mut v = Violations::default();
    if let Some(arn) = v.require(arn, "reportGroupArn") {
        v.min_length("reportGroupArn", arn, arn.len(), 1);
    }
    if let Some(count) = count {
        v.range("numOfReports", count, 1, Some(100));
    }
    let all_fields: Vec<&str> = TEST_FIELDS.iter().chain(COVERAGE_FIELDS).copied().collect();
    if let Some(field) = v.require(field, "trendField") {
        v.one_of("trendField", Some(field), &all_fields);
    }
    v.finish()?;
    let field = field.unwrap_or_default();
    let group = named_group(state, input)?;
    let fits = match group.kind {
        Kind::Test => TEST_FIELDS.contains(&field),
        Kind::Coverage => COVERAGE_FIELDS.contains(&field),
    };
    if !fits {
        return Err(ApiError::invalid_input(format!(
            "Trend field {field} is not valid for a report group of type {}",
            group.kind.name()
        )));
    }
    let now = state.now();
    let count = count.map_or(100, |c| c.clamp(1, 100) as usize);
    let mut reports = reports_in(state, Some(&group));
    // The most recent final reports, newest first.
    reports.retain(|r| r.is_final_at(now));
    reports.reverse();
    reports.truncate(count);
    let values: Vec<(String, f64)> = reports
        .iter()
        .map(|r| (r.arn(&state.place), value_of(r, field)))
        .collect();
    let raw: Vec<Value> = values
        .iter()
        .map(|(arn, value)| json!({"reportArn": arn, "data": shown(*value)}))
        .collect();
    let mut out = json!({"rawData": raw});
    if !values.is_empty() {
        let nums = values.iter().map(|(_, v)| *v);
        let max = nums.clone().fold(f64::MIN, f64::max);
        let min = nums.clone().fold(f64::MAX, f64::min);
        let avg = nums.sum::<f64>() / values.len() as f64;
        out["stats"] = json!({
            "average": shown((avg * 100.0).round() / 100.0),
            "max": shown(max),
            "min": shown(min),
        });
    }
    Ok(out)
}
