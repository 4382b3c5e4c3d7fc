//! The resource metrics of the build on screen: their exact names asked of
//! ListMetrics once, their values of GetMetricData at most once a minute
//! while it runs and once more when it ends; never for the whole list.

use chrono::{DateTime, Utc};

use super::msg::{Effect, MetricDataRequest, MetricsListRequest, MetricsPurpose};
use super::resource_cache::{Names, Sampled, Unavailable};
use super::state::State;
use crate::domain::metrics::{
    is_published_in, BuildResources, Metric, MetricFilter, MetricName, MetricQuery, QueryResult,
};
use crate::domain::{ApiError, Build, ErrorKind};

/// Seconds between two reads of a running build's metrics (CloudWatch
/// has a value a minute).
pub const REFRESH_SECS: i64 = 60;
/// Seconds before a call that failed (other than a denial) is tried again.
pub const RETRY_SECS: i64 = 300;
/// Most values per series: longer builds are read at a coarser period.
const MAX_POINTS: i64 = 1_440;

/// When the build's container began: the start of the first phase after
/// PROVISIONING. Before that there is nothing to measure.
pub fn container_start(b: &Build) -> Option<DateTime<Utc>> {
    let at = b
        .phases
        .iter()
        .position(|p| p.phase_type == "PROVISIONING")?;
    b.phases.get(at + 1)?.start
}

/// The period (seconds, a multiple of 60) that keeps a span of `secs`
/// within `MAX_POINTS` values.
pub fn period_for(secs: i64) -> i32 {
    let minutes = (secs.max(0) + 59) / 60;
    let per = ((minutes + MAX_POINTS - 1) / MAX_POINTS).max(1);
    i32::try_from(per * 60).unwrap_or(i32::MAX / 60 * 60)
}

/// Whether metrics may be asked for in `context` now; a failure's pause
/// that is over is forgotten.
pub(super) fn may_ask(state: &mut State, context: u16) -> bool {
    match state.resources.unavailable.get(&context) {
        None => true,
        Some(Unavailable::Denied(_) | Unavailable::NotInRegion(_)) => false,
        Some(Unavailable::Failed { at, .. }) => {
            if (state.now - *at).num_seconds() < RETRY_SECS {
                return false;
            }
            state.resources.unavailable.remove(&context);
            true
        }
    }
}

/// Metric calls for the selected build. Called after every message:
/// cheap when nothing is due.
pub fn due(state: &mut State) -> Vec<Effect> {
    if state.resources.headless {
        return Vec::new();
    }
    let Some(b) = state.selected_build() else {
        return Vec::new();
    };
    let (Some(number), Some(from)) = (b.number, container_start(b)) else {
        return Vec::new();
    };
    let (id, context, complete) = (b.id.clone(), b.context, b.complete);
    let project = b.project.clone();
    let end = b.end;
    if !may_ask(state, context) {
        return Vec::new();
    }
    let now = state.now;
    state.resources.touch(&id);
    let list = || {
        Effect::ListMetrics(MetricsListRequest {
            purpose: MetricsPurpose::Build(id.clone()),
            filter: MetricFilter {
                metric_name: None,
                dimensions: vec![
                    ("ProjectName".to_string(), project.clone()),
                    ("BuildNumber".to_string(), number.to_string()),
                ],
                recently_active: false,
            },
        })
        .at(context)
    };
    let names = match state.resources.names.get(&id) {
        None => {
            state.resources.names.insert(id.clone(), Names::Pending);
            return vec![list()];
        }
        Some(Names::Pending) => return Vec::new(),
        Some(Names::None { at }) => {
            // Not published yet: asked again a minute on while it runs,
            // and once after it ended.
            let asked_after_end = end.is_some_and(|e| *at > e);
            let again = (now - *at).num_seconds() >= REFRESH_SECS && !asked_after_end;
            if again {
                state.resources.names.insert(id.clone(), Names::Pending);
                return vec![list()];
            }
            return Vec::new();
        }
        Some(Names::Known(names)) => names.clone(),
    };
    if state.resources.reading.contains_key(&id) {
        return Vec::new();
    }
    let wanted = match state.resources.sampled.get(&id) {
        None => true,
        Some(s) if s.complete => false,
        Some(_) if complete => true,
        Some(s) => (now - s.at).num_seconds() >= REFRESH_SECS,
    };
    if !wanted {
        return Vec::new();
    }
    let until = end.unwrap_or(now);
    let period = period_for((until - from).num_seconds());
    let queries = queries_for(&names, period);
    if queries.is_empty() {
        return Vec::new();
    }
    state.resources.reading.insert(id.clone(), complete);
    vec![Effect::MetricData(MetricDataRequest {
        purpose: MetricsPurpose::Build(id),
        queries,
        // A minute either side: the first and last values are not cut.
        start: from.timestamp() - 60,
        end: until.timestamp() + 60,
    })
    .at(context)]
}

/// One query per metric read, each for the metric exactly as listed.
fn queries_for(names: &[MetricName], period: i32) -> Vec<MetricQuery> {
    Metric::ALL
        .iter()
        .filter_map(|m| {
            let name = names.iter().find(|n| n.name == m.name())?;
            Some(MetricQuery {
                id: m.query_id().to_string(),
                metric: name.clone(),
                stat: m.stat(),
                period_secs: period,
            })
        })
        .collect()
}

/// ListMetrics answered for the build on screen.
pub fn on_listed(state: &mut State, build: &str, result: Result<Vec<MetricName>, ApiError>) {
    let Some(b) = state.store.get(build) else {
        state.resources.names.remove(build);
        return;
    };
    let (id, context, project, number) = (b.id.clone(), b.context, b.project.clone(), b.number);
    let region = b
        .arn
        .as_deref()
        .and_then(crate::domain::arn_place)
        .map(|(r, _)| r.to_string());
    match result {
        Ok(names) => {
            // The filter named the build; the answer is checked anyway.
            let mine: Vec<MetricName> = names
                .into_iter()
                .filter(|n| number.is_some_and(|num| n.is_of_build(&project, num)))
                .collect();
            if mine.is_empty() {
                if let Some(region) = region.filter(|r| !is_published_in(r)) {
                    state
                        .resources
                        .unavailable
                        .insert(context, Unavailable::NotInRegion(region));
                }
                let at = state.now;
                state.resources.names.insert(id, Names::None { at });
            } else {
                state.resources.names.insert(id, Names::Known(mine));
            }
        }
        Err(e) => {
            state.resources.names.remove(build);
            failed(state, context, &e);
        }
    }
}

/// GetMetricData answered for the build on screen.
pub fn on_data(state: &mut State, build: &str, result: Result<Vec<QueryResult>, ApiError>) {
    // Final only if it had ended when asked: one that ended since is read
    // once more for its end.
    let complete = state.resources.reading.remove(build).unwrap_or(false);
    let Some(b) = state.store.get(build) else {
        return;
    };
    let (id, context) = (b.id.clone(), b.context);
    match result {
        Ok(results) => {
            let series = Metric::ALL
                .iter()
                .filter_map(|m| {
                    let r = results.iter().find(|r| r.id == m.query_id())?;
                    Some((*m, r.series.clone()))
                })
                .collect();
            let sampled = Sampled {
                resources: BuildResources { series },
                at: state.now,
                complete,
            };
            state.resources.sampled.insert(id, sampled);
        }
        Err(e) => failed(state, context, &e),
    }
}

/// A metrics call failed: a denial stops asking in that context for the
/// session, anything else pauses it; either is said once.
pub(super) fn failed(state: &mut State, context: u16, e: &ApiError) {
    let already = state.resources.unavailable.get(&context);
    // A denial or a region without metrics holds for the session: a
    // failure answered after it does not turn it into a pause.
    if matches!(
        already,
        Some(Unavailable::Denied(_) | Unavailable::NotInRegion(_))
    ) {
        return;
    }
    let already = already.is_some();
    let why = if e.kind == ErrorKind::AccessDenied {
        Unavailable::Denied(format!(
            "metrics not allowed: the identity needs cloudwatch:ListMetrics and cloudwatch:GetMetricData ({})",
            e.message
        ))
    } else {
        Unavailable::Failed {
            message: e.to_string(),
            at: state.now,
        }
    };
    // Said once per context: a pause that ends in the same failure again
    // is not news.
    match &why {
        Unavailable::Denied(text) => state.warn(text.clone()),
        _ if !already && state.resources.failure_said.insert(context) => {
            state.warn(format!("could not read the build's metrics: {e}"))
        }
        _ => {}
    }
    state.resources.unavailable.insert(context, why);
}
