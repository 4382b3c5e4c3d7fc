//! ListMetrics: the metrics of every build whose container has reported
//! a sample in the last two weeks, then those of every project (and the
//! account) with a build completed in that time, filtered as the request
//! asks, 500 a page.

use serde_json::{json, Map, Value};

use super::super::clock::{DAY, HOUR};
use super::super::input::{ApiError, Input};
use super::super::state::SimState;
use super::errors::invalid_value;
use super::names::{dimensions, Metric, METRICS, NAMESPACE};
use super::project::{listed_scopes, PROJECT_METRICS};
use super::publishes_metrics;
use super::series::Series;

const PAGE: usize = 500;
const MAX_FILTERS: usize = 10;
/// Metrics without a datapoint for this long are no longer listed.
const RETAINED: i64 = 14 * DAY;
const RECENTLY: i64 = 3 * HOUR;

/// A dimension filter: a name alone matches any value.
struct Filter<'a> {
    name: &'a str,
    value: Option<&'a str>,
}

struct Request<'a> {
    namespace: Option<&'a str>,
    metric: Option<&'a str>,
    filters: Vec<Filter<'a>>,
    recently_active: bool,
    offset: usize,
}

fn length(parameter: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.is_empty() || value.len() > max {
        return Err(invalid_value(format!(
            "The parameter {parameter} must be between 1 and {max} characters long."
        )));
    }
    Ok(())
}

fn read(body: &Map<String, Value>) -> Result<Request<'_>, ApiError> {
    let input = Input::root(body);
    let namespace = input.string("Namespace")?;
    if let Some(ns) = namespace {
        length("Namespace", ns, 255)?;
        if ns.starts_with(':') {
            return Err(invalid_value(
                "The parameter Namespace must not start with a colon.",
            ));
        }
    }
    let metric = input.string("MetricName")?;
    if let Some(name) = metric {
        length("MetricName", name, 255)?;
    }
    let listed = input.objects("Dimensions")?.unwrap_or_default();
    if listed.len() > MAX_FILTERS {
        return Err(invalid_value(format!(
            "The collection Dimensions must not have a size greater than {MAX_FILTERS}."
        )));
    }
    let mut filters = Vec::with_capacity(listed.len());
    for (i, filter) in listed.iter().enumerate() {
        let path = format!("Dimensions.member.{}", i + 1);
        let name = filter
            .string("Name")?
            .ok_or_else(|| super::errors::missing(&format!("{path}.Name")))?;
        length(&format!("{path}.Name"), name, 255)?;
        let value = filter.string("Value")?;
        if let Some(v) = value {
            length(&format!("{path}.Value"), v, 1024)?;
        }
        filters.push(Filter { name, value });
    }
    let recently_active = match input.string("RecentlyActive")? {
        None => false,
        Some("PT3H") => true,
        Some(other) => {
            return Err(invalid_value(format!(
                "The value {other} for parameter RecentlyActive is not valid: the only valid value is PT3H."
            )))
        }
    };
    let offset = match input.string("NextToken")? {
        None => 0,
        Some(token) => token
            .strip_prefix("lm1-")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| invalid_value("Invalid nextToken"))?,
    };
    Ok(Request {
        namespace,
        metric,
        filters,
        recently_active,
        offset,
    })
}

pub(crate) fn list_metrics(
    state: &mut SimState,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let request = read(body)?;
    state.catch_up();
    let now = state.now();
    let wanted: Vec<Metric> = METRICS
        .into_iter()
        .filter(|m| request.metric.is_none_or(|name| name == m.name()))
        .collect();
    let in_namespace = request.namespace.is_none_or(|ns| ns == NAMESPACE);
    let mut metrics = Vec::new();
    let mut seen = 0usize;
    let mut next = None;
    let window = if request.recently_active {
        RECENTLY
    } else {
        RETAINED
    };
    if publishes_metrics(state) && in_namespace && !wanted.is_empty() {
        let project_filter = request
            .filters
            .iter()
            .find(|f| f.name == "ProjectName")
            .and_then(|f| f.value);
        for build in &state.builds {
            if project_filter.is_some_and(|p| p != build.project) {
                continue;
            }
            let dims = dimensions(&state.place, build);
            let matches = request.filters.iter().all(|f| {
                dims.iter()
                    .any(|(name, value)| *name == f.name && f.value.is_none_or(|v| v == value))
            });
            if !matches {
                continue;
            }
            let Some((_, last)) = Series::new(build).minutes(now) else {
                continue;
            };
            if last < now - window {
                continue;
            }
            for metric in &wanted {
                seen += 1;
                if seen <= request.offset {
                    continue;
                }
                if metrics.len() == PAGE {
                    next = Some(format!("lm1-{}", request.offset + PAGE));
                    break;
                }
                let listed: Vec<Value> = dims
                    .iter()
                    .map(|(name, value)| json!({"Name": name, "Value": value}))
                    .collect();
                metrics.push(json!({
                    "Namespace": NAMESPACE,
                    "MetricName": metric.name(),
                    "Dimensions": listed,
                }));
            }
            if next.is_some() {
                break;
            }
        }
    }
    let project_wanted: Vec<&str> = PROJECT_METRICS
        .into_iter()
        .map(|m| m.name())
        .filter(|name| request.metric.is_none_or(|m| m == *name))
        .collect();
    if publishes_metrics(state) && in_namespace && next.is_none() && !project_wanted.is_empty() {
        'scopes: for scope in listed_scopes(state, now, now - window) {
            let dims: Vec<(&str, &str)> = scope
                .as_deref()
                .map(|p| ("ProjectName", p))
                .into_iter()
                .collect();
            let matches = request.filters.iter().all(|f| {
                dims.iter()
                    .any(|(name, value)| *name == f.name && f.value.is_none_or(|v| v == *value))
            });
            if !matches {
                continue;
            }
            for name in &project_wanted {
                seen += 1;
                if seen <= request.offset {
                    continue;
                }
                if metrics.len() == PAGE {
                    next = Some(format!("lm1-{}", request.offset + PAGE));
                    break 'scopes;
                }
                let listed: Vec<Value> = dims
                    .iter()
                    .map(|(name, value)| json!({"Name": name, "Value": value}))
                    .collect();
                metrics.push(json!({
                    "Namespace": NAMESPACE,
                    "MetricName": name,
                    "Dimensions": listed,
                }));
            }
        }
    }
    let mut out = json!({ "Metrics": metrics });
    if let (Some(token), Some(map)) = (next, out.as_object_mut()) {
        map.insert("NextToken".into(), Value::from(token));
    }
    Ok(out)
}
