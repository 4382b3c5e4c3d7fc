//! GetMetricData's request, read and checked as CloudWatch does: every
//! violation is an InvalidParameterValue (a missing member, a
//! MissingParameter) naming the parameter's query-style path.

use chrono::DateTime;
use serde_json::{Map, Value};

use super::super::input::{ApiError, Input};
use super::errors::{invalid_value, missing};
use super::stats::Stat;

const MAX_QUERIES: usize = 500;
const DEFAULT_MAX_DATAPOINTS: i64 = 100_800;

/// One MetricStat query.
pub(crate) struct Query<'a> {
    pub id: &'a str,
    pub label: Option<&'a str>,
    pub return_data: bool,
    pub namespace: Option<&'a str>,
    pub metric_name: &'a str,
    /// (name, value) as given.
    pub dimensions: Vec<(&'a str, &'a str)>,
    /// Milliseconds.
    pub period: i64,
    pub stat: Stat,
    pub unit: Option<&'a str>,
}

pub(crate) struct Request<'a> {
    pub queries: Vec<Query<'a>>,
    /// Epoch milliseconds, start rounded down to the minute.
    pub start: i64,
    pub end: i64,
    pub ascending: bool,
    pub max_datapoints: usize,
    pub token: Option<&'a str>,
}

/// A timestamp member: epoch seconds (awsJson and CBOR's tag 1 both
/// arrive so) or, leniently, an RFC 3339 text; epoch milliseconds.
fn timestamp(input: &Input, key: &str) -> Result<Option<i64>, ApiError> {
    if let Ok(Some(text)) = input.string(key) {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.timestamp_millis()))
            .map_err(|_| invalid_value(format!("The parameter {key} is not a valid timestamp.")));
    }
    Ok(input
        .number(key)?
        .map(|secs| (secs * 1000.0).round() as i64))
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && id.len() <= 255
}

fn query<'a>(item: &Input<'a>, n: usize) -> Result<Query<'a>, ApiError> {
    let path = format!("MetricDataQueries.member.{n}");
    let id = item
        .string("Id")?
        .ok_or_else(|| missing(&format!("{path}.Id")))?;
    if !valid_id(id) {
        return Err(invalid_value(format!(
            "The value {id} for parameter {path}.Id is not valid: it must start with a lowercase \
             letter and hold only letters, digits and underscores (at most 255)."
        )));
    }
    if item.string("Expression")?.is_some() {
        return Err(invalid_value(format!(
            "The parameter {path}.Expression is not supported: expressions are not supported by \
             this simulator."
        )));
    }
    let stat = item.object("MetricStat")?.ok_or_else(|| {
        invalid_value(format!(
            "Exactly one of {path}.MetricStat and {path}.Expression must be specified."
        ))
    })?;
    let metric = stat
        .object("Metric")?
        .ok_or_else(|| missing(&format!("{path}.MetricStat.Metric")))?;
    let metric_name = metric
        .string("MetricName")?
        .ok_or_else(|| missing(&format!("{path}.MetricStat.Metric.MetricName")))?;
    let mut dimensions = Vec::new();
    for (i, dim) in metric
        .objects("Dimensions")?
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let at = format!("{path}.MetricStat.Metric.Dimensions.member.{}", i + 1);
        let name = dim
            .string("Name")?
            .ok_or_else(|| missing(&format!("{at}.Name")))?;
        let value = dim
            .string("Value")?
            .ok_or_else(|| missing(&format!("{at}.Value")))?;
        dimensions.push((name, value));
    }
    if dimensions.len() > 30 {
        return Err(invalid_value(format!(
            "The collection {path}.MetricStat.Metric.Dimensions must not have a size greater than 30."
        )));
    }
    let period = stat
        .integer("Period")?
        .ok_or_else(|| missing(&format!("{path}.MetricStat.Period")))?;
    if period < 60 || period % 60 != 0 {
        return Err(invalid_value(format!(
            "The parameter {path}.MetricStat.Period must be a multiple of 60 for standard \
             resolution metrics."
        )));
    }
    let stat_name = stat
        .string("Stat")?
        .ok_or_else(|| missing(&format!("{path}.MetricStat.Stat")))?;
    let parsed = Stat::parse(stat_name).ok_or_else(|| {
        invalid_value(format!(
            "The value {stat_name} for parameter {path}.MetricStat.Stat is not a valid statistic."
        ))
    })?;
    Ok(Query {
        id,
        label: item.string("Label")?,
        return_data: item.boolean("ReturnData")?.unwrap_or(true),
        namespace: metric.string("Namespace")?,
        metric_name,
        dimensions,
        period: period * 1000,
        stat: parsed,
        unit: stat.string("Unit")?,
    })
}

pub(crate) fn read(body: &Map<String, Value>) -> Result<Request<'_>, ApiError> {
    let input = Input::root(body);
    let items = input
        .objects("MetricDataQueries")?
        .ok_or_else(|| missing("MetricDataQueries"))?;
    if items.is_empty() {
        return Err(invalid_value(
            "The collection MetricDataQueries must not be empty.",
        ));
    }
    if items.len() > MAX_QUERIES {
        return Err(invalid_value(format!(
            "The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}."
        )));
    }
    let mut queries: Vec<Query> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let q = query(item, i + 1)?;
        if queries.iter().any(|earlier| earlier.id == q.id) {
            return Err(invalid_value(format!(
                "The value {} for parameter MetricDataQueries.member.{}.Id is not unique.",
                q.id,
                i + 1
            )));
        }
        queries.push(q);
    }
    let start = timestamp(&input, "StartTime")?.ok_or_else(|| missing("StartTime"))?;
    let end = timestamp(&input, "EndTime")?.ok_or_else(|| missing("EndTime"))?;
    if start >= end {
        return Err(invalid_value(
            "The parameter StartTime must be less than the parameter EndTime.",
        ));
    }
    let ascending = match input.string("ScanBy")? {
        None | Some("TimestampDescending") => false,
        Some("TimestampAscending") => true,
        Some(other) => {
            return Err(invalid_value(format!(
                "The value {other} for parameter ScanBy is not valid: use TimestampDescending \
                 or TimestampAscending."
            )))
        }
    };
    let max = input
        .integer("MaxDatapoints")?
        .unwrap_or(DEFAULT_MAX_DATAPOINTS);
    if max < 1 {
        return Err(invalid_value(
            "The parameter MaxDatapoints must be greater than 0.",
        ));
    }
    Ok(Request {
        queries,
        start: super::series::floor_minute(start),
        end,
        ascending,
        max_datapoints: usize::try_from(max).unwrap_or(usize::MAX),
        token: input.string("NextToken")?,
    })
}
