//! DescribeTestCases and DescribeCodeCoverages: one report's cases or file
//! coverages, a page at a time.

use serde_json::{json, Map, Value};

use super::paging::{anchor, invalid, next_token, PAGE_SIZE};
use super::reports::find_report;
use crate::clock::epoch;
use crate::input::{ApiError, Input, Violations};
use crate::reports::{file_coverages, test_cases, Kind, Report};
use crate::state::SimState;

const CASE_STATUSES: &[&str] = &["SUCCEEDED", "FAILED", "ERROR", "SKIPPED", "UNKNOWN"];
const COVERAGE_SORT: &[&str] = &["LINE_COVERAGE_PERCENTAGE", "FILE_PATH"];
const SORT_ORDER: &[&str] = &["ASCENDING", "DESCENDING"];

pub(crate) fn report_not_found(arn: &str) -> ApiError {
    ApiError::not_found(format!("Report {arn} does not exist"))
}

/// Checks `maxResults` (PageSize: 1 to 100) into `v`; 100 when absent.
pub(crate) fn page_size(input: &Input, v: &mut Violations) -> Result<usize, ApiError> {
    let max = input.integer("maxResults")?;
    if let Some(max) = max {
        v.range("maxResults", max, 1, Some(100));
    }
    Ok(max.map_or(PAGE_SIZE, |m| m.clamp(1, 100) as usize))
}

/// Items `[start, start + size)` of `total` for a token of `scope`: a token
/// names the index of the next item, in the listing it came from.
fn window(
    token: Option<&str>,
    scope: &[&str],
    total: usize,
    size: usize,
) -> Result<(usize, usize, Option<String>), ApiError> {
    let start = match anchor(token, scope)? {
        None => 0,
        Some(at) => at
            .parse::<usize>()
            .ok()
            .filter(|&at| at <= total)
            .ok_or_else(|| invalid(token.unwrap_or_default()))?,
    };
    let end = (start + size).min(total);
    let next = (end < total).then(|| next_token(scope, &end.to_string()));
    Ok((start, end, next))
}

/// The report a request's `reportArn` names, of `kind`.
fn report<'a>(state: &'a SimState, arn: &str, kind: Kind) -> Result<Report<'a>, ApiError> {
    find_report(state, arn)
        .filter(|r| r.group.kind == kind)
        .ok_or_else(|| report_not_found(arn))
}

/// Whether a report's data can still be read: the service keeps it 30 days.
fn readable(report: &Report, now: i64) -> bool {
    report.is_final_at(now) && now < report.expired()
}

fn paged(key: &str, items: Vec<Value>, next: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert(key.into(), Value::Array(items));
    if let Some(next) = next {
        out.insert("nextToken".into(), json!(next));
    }
    Value::Object(out)
}

pub(crate) fn describe_test_cases(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let arn = input.string("reportArn")?;
    let token = input.string("nextToken")?;
    let filter = input.object("filter")?;
    let (status, keyword) = match &filter {
        Some(f) => (f.string("status")?, f.string("keyword")?),
        None => (None, None),
    };
    let mut v = Violations::default();
    v.require(arn, "reportArn");
    let size = page_size(input, &mut v)?;
    v.finish()?;
    if let Some(status) = status.filter(|s| !CASE_STATUSES.contains(s)) {
        return Err(ApiError::invalid_input(format!(
            "Invalid test case status: {status}. Valid values are: {}",
            CASE_STATUSES.join(", ")
        )));
    }
    let arn = arn.unwrap_or_default();
    let report = report(state, arn, Kind::Test)?;
    let now = state.now();
    let mut cases = if readable(&report, now) {
        test_cases(report.build, report.group.runner)
    } else {
        Vec::new()
    };
    cases.retain(|c| {
        status.is_none_or(|s| c.status == s)
            && keyword.is_none_or(|k| c.name.contains(k) || c.suite.contains(k))
    });
    let scope = [
        "DescribeTestCases",
        arn,
        status.unwrap_or_default(),
        keyword.unwrap_or_default(),
    ];
    let (start, end, next) = window(token, &scope, cases.len(), size)?;
    let expired = epoch(report.expired());
    let raw = format!("{}/reports/test-results.xml", report.build.uuid);
    let page = cases[start..end]
        .iter()
        .map(|c| {
            let mut case = json!({
                "reportArn": arn,
                "testRawDataPath": raw,
                "prefix": c.suite,
                "name": c.name,
                "status": c.status,
                "durationInNanoSeconds": c.duration_ns,
                "expired": expired,
                "testSuiteName": c.suite,
            });
            if let (false, Some(map)) = (c.message.is_empty(), case.as_object_mut()) {
                map.insert("message".into(), json!(c.message));
            }
            case
        })
        .collect();
    Ok(paged("testCases", page, next))
}

pub(crate) fn describe_code_coverages(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let arn = input.string("reportArn")?;
    let token = input.string("nextToken")?;
    let sort_order = input.string("sortOrder")?;
    let sort_by = input.string("sortBy")?;
    let min = input.number("minLineCoveragePercentage")?;
    let max = input.number("maxLineCoveragePercentage")?;
    let mut v = Violations::default();
    if let Some(arn) = v.require(arn, "reportArn") {
        v.min_length("reportArn", arn, arn.len(), 1);
    }
    let size = page_size(input, &mut v)?;
    v.one_of("sortOrder", sort_order, SORT_ORDER);
    v.one_of("sortBy", sort_by, COVERAGE_SORT);
    for (path, value) in [
        ("minLineCoveragePercentage", min),
        ("maxLineCoveragePercentage", max),
    ] {
        if let Some(value) = value {
            v.range_f64(path, value, 0.0, 100.0);
        }
    }
    v.finish()?;
    let arn = arn.unwrap_or_default();
    let report = report(state, arn, Kind::Coverage)?;
    let now = state.now();
    let mut files = if readable(&report, now) {
        file_coverages(report.build, report.group.runner)
    } else {
        Vec::new()
    };
    files.retain(|f| {
        let pct = f.line_percentage();
        min.is_none_or(|m| pct >= m) && max.is_none_or(|m| pct <= m)
    });
    let sort_by = sort_by.unwrap_or("LINE_COVERAGE_PERCENTAGE");
    let sort_order = sort_order.unwrap_or("ASCENDING");
    if sort_by == "LINE_COVERAGE_PERCENTAGE" {
        // Files come by path; a stable sort keeps ties in path order.
        files.sort_by(|a, b| a.line_percentage().total_cmp(&b.line_percentage()));
    }
    if sort_order == "DESCENDING" {
        files.reverse();
    }
    let (min_s, max_s) = (format!("{min:?}"), format!("{max:?}"));
    let scope = [
        "DescribeCodeCoverages",
        arn,
        sort_by,
        sort_order,
        &min_s,
        &max_s,
    ];
    let (start, end, next) = window(token, &scope, files.len(), size)?;
    let expired = epoch(report.expired());
    let page = files[start..end]
        .iter()
        .map(|f| {
            json!({
                "id": format!("{}-{}", report.uuid(), crate::logs::hash(&f.file_path) % 100_000),
                "reportARN": arn,
                "filePath": f.file_path,
                "lineCoveragePercentage": f.line_percentage(),
                "linesCovered": f.lines_covered,
                "linesMissed": f.lines_missed,
                "branchCoveragePercentage": f.branch_percentage(),
                "branchesCovered": f.branches_covered,
                "branchesMissed": f.branches_missed,
                "expired": expired,
            })
        })
        .collect();
    Ok(paged("codeCoverages", page, next))
}
