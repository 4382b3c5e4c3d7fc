//! Hung builds: a running build whose CPU stays under a threshold for a
//! while after PROVISIONING. Each context's running builds are checked
//! together every five minutes: one ListMetrics of the recently active CPU
//! metrics when a running build's metric is not known yet, then one
//! GetMetricData with a query per build (500 a call at most).

use super::msg::{Effect, MetricDataRequest, MetricsListRequest, MetricsPurpose};
use super::resource_cache::{IdleCheck, Names, Unavailable};
use super::resources::{container_start, failed, may_ask};
use super::state::State;
use crate::domain::metrics::{
    is_published_in, Metric, MetricFilter, MetricName, MetricQuery, QueryResult, Series,
    QUERIES_PER_CALL,
};
use crate::domain::{ApiError, BuildId};

/// How far back the CPU of running builds is read at most.
const LOOK_BACK_SECS: i64 = 3 * 3600;
/// Seconds between two checks of a context's running builds.
pub const CHECK_EVERY_SECS: i64 = 300;
/// Seconds before a context without measurable running builds is looked
/// at again: not on every message.
const LOOK_AGAIN_SECS: i64 = 5;
/// Seconds a build's container runs before an empty listing means the
/// region publishes no metrics (the first value takes a minute or two).
const FIRST_VALUE_SECS: i64 = 300;

/// Running builds of `context` that can be measured: numbered, past
/// PROVISIONING.
fn measurable(state: &State, context: u16) -> Vec<BuildId> {
    state
        .store
        .running_ids_in(context)
        .iter()
        .filter_map(|id| state.store.get(id))
        .filter(|b| b.number.is_some() && container_start(b).is_some())
        .map(|b| b.id.clone())
        .collect()
}

/// The CPU metric of `build`, exactly as listed by either path.
fn cpu_name(state: &State, build: &str) -> Option<MetricName> {
    if let Some(Names::Known(names)) = state.resources.names.get(build) {
        if let Some(n) = names.iter().find(|n| n.name == Metric::CpuAverage.name()) {
            return Some(n.clone());
        }
    }
    state.resources.cpu_names.get(build).cloned()
}

/// The checks due now, in every context. Called after every message.
pub fn due(state: &mut State) -> Vec<Effect> {
    if state.resources.headless {
        return Vec::new();
    }
    let contexts = 1 + u16::try_from(state.contexts.len()).unwrap_or(u16::MAX - 1);
    let mut effects = Vec::new();
    for context in 0..contexts {
        let next = state.resources.idle_due.get(&context).copied();
        if next.is_some_and(|at| state.now < at)
            || state.resources.listing_recent.contains(&context)
        {
            continue;
        }
        let running = measurable(state, context);
        if running.is_empty() {
            // Looked at again a little later, not on every message.
            let at = state.now + chrono::Duration::seconds(LOOK_AGAIN_SECS);
            state.resources.idle_due.insert(context, at);
            continue;
        }
        if !may_ask(state, context) {
            continue;
        }
        let at = state.now + chrono::Duration::seconds(CHECK_EVERY_SECS);
        state.resources.idle_due.insert(context, at);
        let unknown = running.iter().any(|id| cpu_name(state, id).is_none());
        if unknown {
            state.resources.listing_recent.insert(context);
            effects.push(
                Effect::ListMetrics(MetricsListRequest {
                    purpose: MetricsPurpose::Idle(Vec::new()),
                    filter: MetricFilter {
                        metric_name: Some(Metric::CpuAverage.name().to_string()),
                        dimensions: Vec::new(),
                        recently_active: true,
                    },
                })
                .at(context),
            );
        } else {
            effects.extend(reads(state, context));
        }
    }
    effects
}

/// One GetMetricData per 500 running builds of `context` whose CPU metric
/// is known: the average CPU a minute since the earliest of them began
/// (three hours back at most: 500 series of 180 values stay under the
/// API's 100,800 values a call), so that an idle spell is told whole.
fn reads(state: &State, context: u16) -> Vec<Effect> {
    let known: Vec<(BuildId, MetricName)> = measurable(state, context)
        .into_iter()
        .filter_map(|id| cpu_name(state, &id).map(|n| (id, n)))
        .collect();
    let now = state.now.timestamp();
    let earliest = now - LOOK_BACK_SECS;
    known
        .chunks(QUERIES_PER_CALL)
        .map(|chunk| {
            let began = chunk
                .iter()
                .filter_map(|(id, _)| state.store.get(id).and_then(container_start))
                .map(|t| t.timestamp())
                .min()
                .unwrap_or(now);
            let queries = chunk
                .iter()
                .enumerate()
                .map(|(i, (_, name))| MetricQuery {
                    id: format!("b{i}"),
                    metric: name.clone(),
                    stat: Metric::CpuAverage.stat(),
                    period_secs: 60,
                })
                .collect();
            Effect::MetricData(MetricDataRequest {
                purpose: MetricsPurpose::Idle(chunk.iter().map(|(id, _)| id.clone()).collect()),
                queries,
                start: began.max(earliest) - 60,
                end: now + 60,
            })
            .at(context)
        })
        .collect()
}

/// ListMetrics of the recently active CPU metrics answered.
pub fn on_listed(state: &mut State, result: Result<Vec<MetricName>, ApiError>) -> Vec<Effect> {
    let context = state.answer_context;
    state.resources.listing_recent.remove(&context);
    let names = match result {
        Ok(names) => names,
        Err(e) => {
            failed(state, context, &e);
            return Vec::new();
        }
    };
    let running = measurable(state, context);
    let mut long_running_region = None;
    for id in &running {
        let Some(b) = state.store.get(id) else {
            continue;
        };
        let Some(number) = b.number else {
            continue;
        };
        match names.iter().find(|n| n.is_of_build(&b.project, number)) {
            Some(n) => {
                state.resources.cpu_names.insert(id.clone(), n.clone());
            }
            None => {
                let up = container_start(b).map_or(0, |s| (state.now - s).num_seconds());
                if up >= FIRST_VALUE_SECS {
                    long_running_region = b
                        .arn
                        .as_deref()
                        .and_then(crate::domain::arn_place)
                        .map(|(r, _)| r.to_string());
                }
            }
        }
    }
    // Nothing at all from a region CodeBuild does not publish in, while a
    // build has run long enough to have values: not asked again.
    if names.is_empty() {
        if let Some(region) = long_running_region.filter(|r| !is_published_in(r)) {
            state
                .resources
                .unavailable
                .insert(context, Unavailable::NotInRegion(region));
            return Vec::new();
        }
    }
    reads(state, context)
}

/// GetMetricData answered for the running builds checked.
pub fn on_data(state: &mut State, builds: &[BuildId], result: Result<Vec<QueryResult>, ApiError>) {
    let context = state.answer_context;
    let results = match result {
        Ok(results) => results,
        Err(e) => {
            failed(state, context, &e);
            return;
        }
    };
    // Checks of builds that stopped running are forgotten.
    let running: std::collections::HashSet<String> =
        state.store.running_ids().into_iter().collect();
    state
        .resources
        .idle
        .retain(|id, _| running.contains(id.as_ref()));
    state
        .resources
        .cpu_names
        .retain(|id, _| running.contains(id.as_ref()));
    let threshold = state.settings.runaway.idle_cpu_percent;
    for (i, id) in builds.iter().enumerate() {
        let query = format!("b{i}");
        let Some(r) = results.iter().find(|r| r.id == query) else {
            continue;
        };
        let since = state
            .store
            .get(id)
            .and_then(container_start)
            .map_or(i64::MIN, |t| t.timestamp());
        let check = idle_tail(&r.series, since, threshold);
        state.resources.idle.insert(
            id.clone(),
            IdleCheck {
                idle_secs: check.0,
                cpu_pct: check.1,
                at: state.now,
            },
        );
    }
}

/// How long the end of `series` (values from `since` on) stays under
/// `threshold`, and its mean CPU over that time. Each value covers a minute.
pub fn idle_tail(series: &Series, since: i64, threshold: f64) -> (i64, f64) {
    let points: Vec<&(i64, f64)> = series.points.iter().filter(|(t, _)| *t >= since).collect();
    let Some(&&(last, _)) = points.last() else {
        return (0, 0.0);
    };
    let mut first = None;
    let mut sum = 0.0;
    let mut n = 0;
    for (t, v) in points.iter().rev() {
        if *v >= threshold {
            break;
        }
        first = Some(*t);
        sum += v;
        n += 1;
    }
    match first {
        Some(first) => (
            last.saturating_sub(first).saturating_add(60),
            sum / f64::from(n),
        ),
        None => (0, 0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_tail_counts_only_the_last_quiet_run() {
        let s = Series::from_points(
            (0..30)
                .map(|m| (m * 60, if m < 10 { 80.0 } else { 1.0 }))
                .collect(),
        );
        assert_eq!(idle_tail(&s, 0, 2.0), (20 * 60, 1.0));
        let busy = Series::from_points(vec![(0, 1.0), (60, 50.0)]);
        assert_eq!(idle_tail(&busy, 0, 2.0).0, 0);
        // Values before the container started (PROVISIONING) do not count.
        assert_eq!(idle_tail(&s, 25 * 60, 2.0).0, 5 * 60);
    }
}
