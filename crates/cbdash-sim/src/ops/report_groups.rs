//! ListReportGroups, BatchGetReportGroups, ListReports and
//! ListReportsForReportGroup.

use serde_json::{json, Value};

use super::paging::{page_json, paginate_filtered};
use super::projects::SORT_ORDER;
use super::test_cases::page_size;
use crate::clock::{epoch, DAY, HOUR};
use crate::input::{shown_list, ApiError, Input, Violations};
use crate::logs::hash;
use crate::reports::{all_groups, reports_at, Group, Report};
use crate::state::SimState;

const GROUP_SORT: &[&str] = &["NAME", "CREATED_TIME", "LAST_MODIFIED_TIME"];
const REPORT_STATUSES: &[&str] = &[
    "GENERATING",
    "SUCCEEDED",
    "FAILED",
    "INCOMPLETE",
    "DELETING",
];

/// When the group was made: by its project's first build with reports,
/// some hours after the project.
fn created(state: &SimState, group: &Group) -> i64 {
    let days = state
        .catalog
        .find(group.project)
        .map_or(0, |def| def.created_days_ago);
    state.started_at - days * DAY + (hash(&group.name) % 20) as i64 * HOUR
}

/// The world's report group named by `arn`.
pub(crate) fn find_group(state: &SimState, arn: &str) -> Option<Group> {
    all_groups(state.catalog.projects())
        .into_iter()
        .find(|g| g.arn(&state.place) == arn)
}

fn group_json(state: &SimState, group: &Group) -> Value {
    let created = epoch(created(state, group));
    json!({
        "arn": group.arn(&state.place),
        "name": group.name,
        "type": group.kind.name(),
        "exportConfig": {"exportConfigType": "NO_EXPORT"},
        "created": created,
        "lastModified": created,
        "tags": [],
        "status": "ACTIVE",
    })
}

pub(crate) fn list_report_groups(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let sort_order = input.string("sortOrder")?;
    let sort_by = input.string("sortBy")?;
    let token = input.string("nextToken")?;
    let mut v = Violations::default();
    v.one_of("sortOrder", sort_order, SORT_ORDER);
    v.one_of("sortBy", sort_by, GROUP_SORT);
    let size = page_size(input, &mut v)?;
    v.finish()?;
    let sort_by = sort_by.unwrap_or("CREATED_TIME");
    let sort_order = sort_order.unwrap_or("DESCENDING");
    let mut groups = all_groups(state.catalog.projects());
    match sort_by {
        "NAME" => groups.sort_by(|a, b| a.name.cmp(&b.name)),
        _ => groups.sort_by_key(|g| (created(state, g), g.name.clone())),
    }
    if sort_order == "DESCENDING" {
        groups.reverse();
    }
    let arns: Vec<String> = groups.iter().map(|g| g.arn(&state.place)).collect();
    let scope = ["ListReportGroups", sort_by, sort_order];
    let (page, next) = paginate_filtered(&arns, token, &scope, size, |_| true)?;
    Ok(page_json("reportGroups", page, next))
}

pub(crate) fn batch_get_report_groups(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let arns = input.strings("reportGroupArns")?;
    let mut v = Violations::default();
    if let Some(arns) = v.require(arns.as_ref(), "reportGroupArns") {
        let shown = shown_list(arns);
        v.min_length("reportGroupArns", &shown, arns.len(), 1);
        v.max_length("reportGroupArns", &shown, arns.len(), 100);
        for (i, arn) in arns.iter().enumerate() {
            let path = format!("reportGroupArns.{}.member", i + 1);
            v.min_length(&path, arn, arn.len(), 1);
        }
    }
    v.finish()?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for arn in arns.unwrap_or_default() {
        match find_group(state, arn) {
            Some(group) => found.push(group_json(state, &group)),
            None => missing.push(arn),
        }
    }
    Ok(json!({"reportGroups": found, "reportGroupsNotFound": missing}))
}

/// The reports of `group` (or of every group) that exist now, oldest first.
pub(crate) fn reports_in<'a>(state: &'a SimState, group: Option<&Group>) -> Vec<Report<'a>> {
    let now = state.now();
    let mut projects: Vec<&str> = all_groups(state.catalog.projects())
        .iter()
        .filter(|g| group.is_none_or(|only| only.name == g.name))
        .map(|g| g.project)
        .collect();
    projects.dedup();
    let mut out: Vec<Report> = projects
        .into_iter()
        .flat_map(|p| state.listed(Some(p)).iter().map(|&i| &state.builds[i]))
        .flat_map(|b| reports_at(b, now))
        .filter(|r| group.is_none_or(|g| g.name == r.group.name))
        .collect();
    out.sort_by(|a, b| {
        (a.created, &a.group.name, &a.build.uuid).cmp(&(b.created, &b.group.name, &b.build.uuid))
    });
    out
}

fn list_reports_of(
    state: &SimState,
    input: &Input,
    operation: &str,
    group: Option<&Group>,
) -> Result<Value, ApiError> {
    let sort_order = input.string("sortOrder")?;
    let token = input.string("nextToken")?;
    let status = match input.object("filter")? {
        Some(filter) => filter.string("status")?,
        None => None,
    };
    let mut v = Violations::default();
    v.one_of("sortOrder", sort_order, SORT_ORDER);
    v.one_of("filter.status", status, REPORT_STATUSES);
    let size = page_size(input, &mut v)?;
    v.finish()?;
    let sort_order = sort_order.unwrap_or("DESCENDING");
    let now = state.now();
    let mut reports = reports_in(state, group);
    if sort_order == "DESCENDING" {
        reports.reverse();
    }
    let arns: Vec<String> = reports.iter().map(|r| r.arn(&state.place)).collect();
    let status_of: std::collections::HashMap<&str, &str> = arns
        .iter()
        .zip(&reports)
        .map(|(arn, r)| (arn.as_str(), r.status_at(now).name()))
        .collect();
    let group_name = group.map(|g| g.name.as_str()).unwrap_or_default();
    let scope = [
        operation,
        group_name,
        sort_order,
        status.unwrap_or_default(),
    ];
    let keep = |arn: &str| status.is_none_or(|s| status_of.get(arn) == Some(&s));
    let (page, next) = paginate_filtered(&arns, token, &scope, size, keep)?;
    Ok(page_json("reports", page, next))
}

pub(crate) fn list_reports(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    list_reports_of(state, input, "ListReports", None)
}

/// The group a request's `reportGroupArn` names, which must exist.
pub(crate) fn named_group(state: &SimState, input: &Input) -> Result<Group, ApiError> {
    let arn = input.string("reportGroupArn")?;
    let mut v = Violations::default();
    if let Some(arn) = v.require(arn, "reportGroupArn") {
        v.min_length("reportGroupArn", arn, arn.len(), 1);
    }
    v.finish()?;
    let arn = arn.unwrap_or_default();
    find_group(state, arn)
        .ok_or_else(|| ApiError::not_found(format!("Report group {arn} does not exist")))
}

pub(crate) fn list_reports_for_report_group(
    state: &SimState,
    input: &Input,
) -> Result<Value, ApiError> {
    let group = named_group(state, input)?;
    list_reports_of(state, input, "ListReportsForReportGroup", Some(&group))
}
