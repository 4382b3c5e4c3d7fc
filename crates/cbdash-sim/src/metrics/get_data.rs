//! GetMetricData: each query's datapoints, aggregated from the raw
//! per-minute samples of the one build its dimensions name, or from the
//! completions of a project's (or the account's) builds.
//!
//! A metric is identified by its whole dimension set, as in CloudWatch: a
//! query naming only some of a build's dimensions finds nothing. The work
//! is bounded: a query matches at most one build, whose samples are at
//! most its life in minutes, and a call answers at most MaxDatapoints.

use serde_json::{json, Map, Value};

use super::super::build::{id_from, Build};
use super::super::clock::MINUTE;
use super::super::input::ApiError;
use super::super::logs::hash;
use super::super::state::SimState;
use super::errors::invalid_token;
use super::names::{dimensions, Metric, DIMENSIONS, NAMESPACE};
use super::project::{points, Rows};
use super::publishes_metrics;
use super::query::{read, Query, Request};
use super::series::Series;

/// The build whose metric the query names, dimension for dimension.
fn build_of<'s>(state: &'s SimState, q: &Query) -> Option<(&'s Build, Metric)> {
    let metric = Metric::parse(q.metric_name)?;
    if q.namespace != Some(NAMESPACE) || q.dimensions.len() != DIMENSIONS.len() {
        return None;
    }
    let value = |name: &str| {
        let mut found = q.dimensions.iter().filter(|(n, _)| *n == name);
        match (found.next(), found.next()) {
            (Some((_, v)), None) => Some(*v),
            _ => None,
        }
    };
    let build = state.get(id_from(value("BuildId")?))?;
    let exact = dimensions(&state.place, build)
        .iter()
        .all(|(name, expected)| value(name) == Some(expected.as_str()));
    let unit_ok = q.unit.is_none_or(|u| u == metric.unit());
    (exact && unit_ok).then_some((build, metric))
}

/// The periods of [start, end) that hold samples of the query's metric:
/// each holds at least one, since a build's minutes are contiguous.
struct Periods<'s> {
    series: Series<'s>,
    metric: Metric,
    /// Sampled minutes, [from, to).
    from: i64,
    to: i64,
    /// Start of the first period.
    first: i64,
    count: usize,
}

impl<'s> Periods<'s> {
    fn of(state: &'s SimState, q: &Query, request: &Request, now: i64) -> Option<Periods<'s>> {
        let (build, metric) = build_of(state, q)?;
        let series = Series::new(build);
        let (first_minute, last_minute) = series.minutes(now)?;
        // Both ends are whole minutes.
        let from = first_minute.max(request.start);
        let to = (last_minute + MINUTE).min(request.end);
        if from >= to {
            return None;
        }
        let first = request.start + (from - request.start) / q.period * q.period;
        let count = usize::try_from((to - 1 - first) / q.period + 1).unwrap_or(0);
        Some(Periods {
            series,
            metric,
            from,
            to,
            first,
            count,
        })
    }

    /// (epoch seconds, the statistic of its samples) of the `n`th period,
    /// oldest first.
    fn point(&self, n: usize, q: &Query) -> (i64, f64) {
        let start = self.first + n as i64 * q.period;
        let capacity = self.series.capacity();
        let mut values = Vec::new();
        let mut minute = start.max(self.from);
        while minute < (start + q.period).min(self.to) {
            let sample = self.series.sample(minute);
            values.push(
                self.metric
                    .value(&sample, capacity.vcpus, capacity.memory_mb),
            );
            minute += MINUTE;
        }
        (start / 1000, q.stat.of(&mut values))
    }

    /// `take` points in scan order after skipping `skip`: only those are
    /// computed.
    fn page(&self, q: &Query, ascending: bool, skip: usize, take: usize) -> Vec<(i64, f64)> {
        (skip..(skip + take).min(self.count))
            .map(|i| if ascending { i } else { self.count - 1 - i })
            .map(|n| self.point(n, q))
            .collect()
    }
}

/// A query's datapoints: a build's, computed page by page, or a project's,
/// computed whole (one per period holding a completion).
enum Points<'s> {
    Build(Periods<'s>),
    Project(Vec<(i64, f64)>),
}

impl Points<'_> {
    fn count(&self) -> usize {
        match self {
            Points::Build(p) => p.count,
            Points::Project(all) => all.len(),
        }
    }

    fn page(&self, q: &Query, ascending: bool, skip: usize, take: usize) -> Vec<(i64, f64)> {
        match self {
            Points::Build(p) => p.page(q, ascending, skip, take),
            Points::Project(all) => {
                let end = (skip + take).min(all.len());
                let last = all.len().saturating_sub(1);
                (skip..end)
                    .filter_map(|i| all.get(if ascending { i } else { last - i }))
                    .copied()
                    .collect()
            }
        }
    }
}

/// A token names where the next page starts (query, point) and which
/// request it belongs to.
fn fingerprint(body: &Map<String, Value>) -> u64 {
    let mut keyed = body.clone();
    keyed.remove("NextToken");
    hash(&Value::Object(keyed).to_string())
}

fn parse_token(token: &str, expected: u64) -> Option<(usize, usize)> {
    let mut parts = token.strip_prefix("gmd1.")?.split('.');
    let print = u64::from_str_radix(parts.next()?, 16).ok()?;
    let query = parts.next()?.parse().ok()?;
    let offset = parts.next()?.parse().ok()?;
    (print == expected && parts.next().is_none()).then_some((query, offset))
}

fn result(q: &Query, page: &[(i64, f64)], status: &str) -> Value {
    let timestamps: Vec<i64> = page.iter().map(|p| p.0).collect();
    let values: Vec<f64> = page.iter().map(|p| p.1).collect();
    json!({
        "Id": q.id,
        "Label": q.label.unwrap_or(q.metric_name),
        "Timestamps": timestamps,
        "Values": values,
        "StatusCode": status,
    })
}

pub(crate) fn get_metric_data(
    state: &mut SimState,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let request = read(body)?;
    let print = fingerprint(body);
    let (resume_query, resume_offset) = match request.token {
        Some(token) => parse_token(token, print).ok_or_else(invalid_token)?,
        None => (0, 0),
    };
    state.catch_up();
    let now = state.now();
    let publishes = publishes_metrics(state);
    let mut budget = request.max_datapoints;
    let mut next = None;
    let mut results = Vec::new();
    let mut rows = Rows::default();
    for (qi, q) in request.queries.iter().enumerate() {
        if !q.return_data {
            continue;
        }
        // Answered on an earlier page, or after the cut of this one.
        if qi < resume_query {
            results.push(result(q, &[], "Complete"));
            continue;
        }
        if next.is_some() {
            results.push(result(q, &[], "PartialData"));
            continue;
        }
        let periods = Periods::of(state, q, &request, now)
            .map(Points::Build)
            .or_else(|| points(state, &mut rows, q, &request, now).map(Points::Project))
            .filter(|_| publishes);
        let total = periods.as_ref().map_or(0, Points::count);
        let skip = if qi == resume_query { resume_offset } else { 0 };
        let rest = total.saturating_sub(skip);
        let take = rest.min(budget);
        let page = periods.map_or_else(Vec::new, |p| p.page(q, request.ascending, skip, take));
        if rest > budget {
            results.push(result(q, &page, "PartialData"));
            next = Some(format!("gmd1.{print:016x}.{qi}.{}", skip + budget));
            budget = 0;
        } else {
            budget -= rest;
            results.push(result(q, &page, "Complete"));
        }
    }
    let mut out = json!({ "MetricDataResults": results, "Messages": [] });
    if let (Some(token), Some(map)) = (next, out.as_object_mut()) {
        map.insert("NextToken".into(), Value::from(token));
    }
    Ok(out)
}
