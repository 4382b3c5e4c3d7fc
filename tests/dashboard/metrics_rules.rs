//! The resource metrics' rules through the pure update: what is asked, and
//! what is made of answers that are late, odd or hostile.

use chrono::Duration;

use crate::common::fixtures::{build, state_with, t0};
use cbdash::app::runaway::Reason;
use cbdash::app::{apply, update, Effect, MetricDataRequest, MetricsPurpose, Msg, Row, State};
use cbdash::domain::metrics::{MetricName, QueryResult, Series};
use cbdash::domain::{ApiError, Build, ErrorKind, Fetched, Status};

/// The metric calls among `effects`, whatever context they aim at.
fn metric_calls(effects: Vec<Effect>) -> Vec<Effect> {
    effects
        .into_iter()
        .map(|e| match e {
            Effect::At { effect, .. } => *effect,
            e => e,
        })
        .filter(|e| matches!(e, Effect::ListMetrics(_) | Effect::MetricData(_)))
        .collect()
}

/// The CPU metric of `b` as ListMetrics would name it.
fn cpu_of(b: &Build) -> MetricName {
    MetricName {
        name: "CPUUtilizedPercent".into(),
        dimensions: vec![
            ("BuildId".into(), b.id.to_string()),
            (
                "BuildNumber".into(),
                b.number.unwrap_or_default().to_string(),
            ),
            ("ProjectName".into(), b.project.clone()),
        ],
    }
}

/// Answers every ListMetrics in `effects` with `names`; returns the
/// GetMetricData requests that follow, and those already among `effects`.
fn list_with(
    state: &mut State,
    effects: Vec<Effect>,
    names: &[MetricName],
) -> Vec<MetricDataRequest> {
    let mut reads = Vec::new();
    let mut queue = metric_calls(effects);
    while let Some(e) = queue.pop() {
        match e {
            Effect::ListMetrics(request) => queue.extend(metric_calls(update(
                state,
                Msg::MetricsListed {
                    request,
                    result: Ok(names.to_vec()),
                },
            ))),
            Effect::MetricData(request) => reads.push(request),
            _ => {}
        }
    }
    reads
}

/// Past the first look at the running builds, seconds after start-up.
fn soon() -> chrono::DateTime<chrono::Utc> {
    t0() + Duration::seconds(10)
}

/// A running build of `project`, alone in the store, unselected.
fn running_alone(project: &str) -> (State, Build) {
    let b = build(project, 7, 40, Status::InProgress);
    let state = state_with(vec![b.clone()]);
    (state, b)
}

#[test]
fn a_build_that_ends_between_ask_and_answer_is_read_again_for_its_end() {
    let (mut state, b) = running_alone("api");
    let rows = state.visible_rows();
    assert!(state.list.select_row(&Row::Build(b.id.clone()), rows));
    let effects = update(&mut state, Msg::Tick(t0()));
    let names = vec![cpu_of(&b)];
    let reads = list_with(&mut state, effects, &names);
    let read = reads
        .into_iter()
        .find(|r| matches!(r.purpose, MetricsPurpose::Build(_)))
        .expect("the build on screen is read");
    // It ends while CloudWatch is asked: the answer does not hold its end.
    let mut done = b.clone();
    done.complete = true;
    done.status = Status::Succeeded;
    done.end = Some(t0());
    apply(
        &mut state,
        Fetched {
            builds: vec![done],
            not_found: Vec::new(),
        },
    );
    let answer = QueryResult {
        id: read.queries[0].id.clone(),
        series: Series::from_points(vec![(read.start + 60, 40.0)]),
    };
    let mut again = metric_calls(update(
        &mut state,
        Msg::MetricData {
            request: read,
            result: Ok(vec![answer]),
        },
    ));
    let sampled = state.resources.sampled.get(&b.id).expect("kept");
    assert!(
        !sampled.complete,
        "read while it ran: not its final figures"
    );
    again.extend(metric_calls(update(
        &mut state,
        Msg::Tick(t0() + Duration::seconds(20)),
    )));
    assert!(
        again.iter().any(|e| matches!(e, Effect::MetricData(_))),
        "read once more now that it ended: {again:?}"
    );
}

#[test]
fn values_outside_the_asked_time_do_not_make_a_build_hung() {
    let (mut state, b) = running_alone("api");
    let effects = update(&mut state, Msg::Tick(soon()));
    let reads = list_with(&mut state, effects, &[cpu_of(&b)]);
    let read = reads
        .into_iter()
        .find(|r| matches!(r.purpose, MetricsPurpose::Idle(_)))
        .expect("the idle check reads its CPU");
    // One quiet value in the window, one a year on and one long before:
    // timestamps CloudWatch was not asked for.
    let year = 365 * 24 * 3600;
    let series = Series::from_points(vec![
        (read.start - 10 * year, 0.5),
        (read.end - 120, 0.5),
        (read.end + year, 0.5),
    ]);
    let answer = QueryResult {
        id: read.queries[0].id.clone(),
        series,
    };
    update(
        &mut state,
        Msg::MetricData {
            request: read,
            result: Ok(vec![answer]),
        },
    );
    state.assess_runaways();
    let reason = state.runaways.get(&b.id);
    assert!(
        !matches!(reason, Some(Reason::Idle { .. })),
        "a minute of quiet is not a hung build: {reason:?}"
    );
}

#[test]
fn a_denial_is_not_undone_by_a_failure_answered_after_it() {
    let (mut state, b) = running_alone("api");
    let rows = state.visible_rows();
    assert!(state.list.select_row(&Row::Build(b.id.clone()), rows));
    let effects = update(&mut state, Msg::Tick(soon()));
    let reads = list_with(&mut state, effects, &[cpu_of(&b)]);
    assert!(
        reads.len() >= 2,
        "the build on screen and the idle check: {reads:?}"
    );
    let mut reads = reads.into_iter();
    let (first, second) = (reads.next().expect("one"), reads.next().expect("two"));
    update(
        &mut state,
        Msg::MetricData {
            request: first,
            result: Err(ApiError::new(ErrorKind::AccessDenied, "not authorized")),
        },
    );
    update(
        &mut state,
        Msg::MetricData {
            request: second,
            result: Err(ApiError::new(ErrorKind::Throttled, "Rate exceeded")),
        },
    );
    // Long after any pause: still denied, never asked again.
    for minutes in [10, 30, 60] {
        let later = metric_calls(update(
            &mut state,
            Msg::Tick(t0() + Duration::minutes(minutes)),
        ));
        assert!(later.is_empty(), "{minutes} min on: {later:?}");
    }
}
