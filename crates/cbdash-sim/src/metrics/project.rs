//! CodeBuild's project-level metrics (dimension ProjectName alone) and
//! account-level ones (no dimension): counts and durations of completed
//! builds, each build one datapoint at its completion.
//!
//! Every completed build gives Builds 1, SucceededBuilds and FailedBuilds
//! 1 or 0 (so Sum counts and Average is a rate), Duration (start to end),
//! QueuedDuration (QUEUED) and BuildDuration (BUILD, when it ran).
//! FailedBuilds counts what the service calls client errors and timeouts:
//! FAILED and TIMED_OUT; FAULT and STOPPED builds count in Builds only.

use std::collections::{BTreeMap, HashMap};

use super::super::build::Build;
use super::super::phase::{Phase, Status};
use super::super::state::SimState;
use super::names::NAMESPACE;
use super::query::{Query, Request};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProjectMetric {
    Builds,
    SucceededBuilds,
    FailedBuilds,
    Duration,
    QueuedDuration,
    BuildDuration,
}

pub(crate) const PROJECT_METRICS: [ProjectMetric; 6] = [
    ProjectMetric::Builds,
    ProjectMetric::SucceededBuilds,
    ProjectMetric::FailedBuilds,
    ProjectMetric::Duration,
    ProjectMetric::QueuedDuration,
    ProjectMetric::BuildDuration,
];

impl ProjectMetric {
    pub fn name(self) -> &'static str {
        match self {
            ProjectMetric::Builds => "Builds",
            ProjectMetric::SucceededBuilds => "SucceededBuilds",
            ProjectMetric::FailedBuilds => "FailedBuilds",
            ProjectMetric::Duration => "Duration",
            ProjectMetric::QueuedDuration => "QueuedDuration",
            ProjectMetric::BuildDuration => "BuildDuration",
        }
    }

    pub fn parse(name: &str) -> Option<ProjectMetric> {
        PROJECT_METRICS.into_iter().find(|m| m.name() == name)
    }

    pub fn unit(self) -> &'static str {
        match self {
            ProjectMetric::Builds
            | ProjectMetric::SucceededBuilds
            | ProjectMetric::FailedBuilds => "Count",
            _ => "Seconds",
        }
    }

    fn value(self, row: &Row) -> Option<f64> {
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        match self {
            ProjectMetric::Builds => Some(1.0),
            ProjectMetric::SucceededBuilds => Some(flag(row.status == Status::Succeeded)),
            ProjectMetric::FailedBuilds => Some(flag(matches!(
                row.status,
                Status::Failed | Status::TimedOut
            ))),
            ProjectMetric::Duration => Some(row.duration),
            ProjectMetric::QueuedDuration => row.queued,
            ProjectMetric::BuildDuration => row.build,
        }
    }
}

/// What the metrics need of one completed build.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Row {
    /// Epoch milliseconds of its end.
    pub completed_at: i64,
    status: Status,
    /// Seconds.
    duration: f64,
    queued: Option<f64>,
    build: Option<f64>,
}

fn phase_secs(timeline: &super::super::timeline::Timeline, phase: Phase) -> Option<f64> {
    let span = timeline.spans.iter().find(|s| s.phase == phase)?;
    Some((span.end - span.start) as f64 / 1000.0)
}

/// The build's row, once it has completed by `now`.
pub(crate) fn row(build: &Build, now: i64) -> Option<Row> {
    let timeline = build.timeline();
    if timeline.completed_at > now {
        return None;
    }
    Some(Row {
        completed_at: timeline.completed_at,
        status: timeline.status,
        duration: (timeline.completed_at - build.start) as f64 / 1000.0,
        queued: phase_secs(&timeline, Phase::Queued),
        build: phase_secs(&timeline, Phase::Build),
    })
}

/// Rows per project (None: the whole account), made once per call so many
/// queries of one project cost one pass over its builds.
#[derive(Default)]
pub(crate) struct Rows {
    by_scope: HashMap<Option<String>, Vec<Row>>,
}

impl Rows {
    fn of(&mut self, state: &SimState, project: Option<&str>, now: i64) -> &[Row] {
        self.by_scope
            .entry(project.map(str::to_string))
            .or_insert_with(|| {
                state
                    .listed(project)
                    .iter()
                    .filter_map(|&i| row(&state.builds[i], now))
                    .collect()
            })
    }
}

/// The query's project (Some(None) for the account), when it names a
/// project-level or account-level metric exactly.
fn scope<'q>(q: &Query<'q>) -> Option<(ProjectMetric, Option<&'q str>)> {
    let metric = ProjectMetric::parse(q.metric_name)?;
    if q.namespace != Some(NAMESPACE) || q.unit.is_some_and(|u| u != metric.unit()) {
        return None;
    }
    match q.dimensions.as_slice() {
        [] => Some((metric, None)),
        [("ProjectName", project)] => Some((metric, Some(project))),
        _ => None,
    }
}

/// (epoch seconds, statistic) of every period of the request holding a
/// completion, oldest first; None when the query names no such metric.
pub(crate) fn points(
    state: &SimState,
    rows: &mut Rows,
    q: &Query,
    request: &Request,
    now: i64,
) -> Option<Vec<(i64, f64)>> {
    let (metric, project) = scope(q)?;
    let mut periods: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for row in rows.of(state, project, now) {
        if !(request.start..request.end).contains(&row.completed_at) {
            continue;
        }
        if let Some(value) = metric.value(row) {
            let period = request.start + (row.completed_at - request.start) / q.period * q.period;
            periods.entry(period).or_default().push(value);
        }
    }
    Some(
        periods
            .into_iter()
            .map(|(start, mut values)| (start / 1000, q.stat.of(&mut values)))
            .collect(),
    )
}

/// The scopes with a metric to list: every project with a completion since
/// `since`, by name, then the account (None) if any build has one.
pub(crate) fn listed_scopes(state: &SimState, now: i64, since: i64) -> Vec<Option<String>> {
    let mut last: BTreeMap<&str, i64> = BTreeMap::new();
    for &i in state.listed(None) {
        let build = &state.builds[i];
        if let Some(row) = row(build, now).filter(|r| r.completed_at >= since) {
            let at = last
                .entry(build.project.as_str())
                .or_insert(row.completed_at);
            *at = (*at).max(row.completed_at);
        }
    }
    let any = !last.is_empty();
    let mut scopes: Vec<Option<String>> = last.into_keys().map(|p| Some(p.to_string())).collect();
    if any {
        scopes.push(None);
    }
    scopes
}
