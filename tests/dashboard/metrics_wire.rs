//! A build's CPU, memory and disk through the wire: the metrics' exact
//! names from ListMetrics, their values from GetMetricData, drawn in the
//! details; out-of-memory builds named and relaunched one size up; hung
//! builds flagged and cleared; and what the dashboard says and costs when
//! CloudWatch cannot answer.

use crate::common::fixtures::{code, key};
use crate::common::render::screen;
use crate::common::sdk::{build_dimensions, client, container_phases};
use crate::common::wire::Wire;
use cbdash::app::runaway::Reason;
use cbdash::app::{Msg, Row};
use cbdash_sim::{BuildSpec, Fault, FaultScope, Outcome, Scenario};
use serde_json::{json, Value};

/// A running build whose BUILD lasts two hours.
fn long_running(secs_ago: f64) -> BuildSpec {
    let mut phases = container_phases().unwrap_or_default();
    if let Some(p) = phases.iter_mut().find(|(p, _)| p == "BUILD") {
        p.1 = 7200.0;
    }
    BuildSpec {
        started_secs_ago: secs_ago,
        phase_secs: Some(phases),
        timeout_minutes: Some(480),
        ..BuildSpec::default()
    }
}

fn count(w: &Wire, operation: &str) -> usize {
    w.sim
        .requests()
        .iter()
        .filter(|r| r.operation == operation)
        .count()
}

/// ListMetrics calls for one build (the idle checks list without
/// dimensions).
fn build_lists(requests: &[cbdash_sim::RecordedRequest]) -> usize {
    requests
        .iter()
        .filter(|r| r.operation == "ListMetrics")
        .filter(|r| {
            r.body["Dimensions"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
        })
        .count()
}

fn bodies(w: &Wire, operation: &str) -> Vec<Value> {
    w.sim
        .requests()
        .into_iter()
        .filter(|r| r.operation == operation)
        .map(|r| r.body)
        .collect()
}

/// The dashboard watching the quiet demo account with `spec`'s build
/// selected, its first metric reads done.
async fn looking_at(spec: BuildSpec) -> (Wire, String) {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(spec);
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(Msg::Tick(w.sim.now())).await;
    (w, id)
}

#[tokio::test]
async fn the_metrics_are_found_with_list_metrics_and_asked_for_exactly() {
    let (w, id) = looking_at(BuildSpec {
        started_secs_ago: 1800.0,
        phase_secs: container_phases(),
        ..BuildSpec::default()
    })
    .await;
    let number = w
        .state
        .store
        .get(&id)
        .and_then(|b| b.number)
        .expect("number");
    let lists = bodies(&w, "ListMetrics");
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert_eq!(lists[0]["Namespace"], "AWS/CodeBuild");
    assert_eq!(
        lists[0]["Dimensions"],
        json!([
            {"Name": "ProjectName", "Value": "web-frontend"},
            {"Name": "BuildNumber", "Value": number.to_string()},
        ])
    );
    // Every query names its metric with the dimensions the service listed,
    // BuildId's value included, whatever its format.
    let listed: Vec<(String, String)> = build_dimensions(&client(&w.sim), &id)
        .await
        .iter()
        .map(|d| {
            (
                d.name().unwrap_or_default().to_string(),
                d.value().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let reads = bodies(&w, "GetMetricData");
    assert_eq!(reads.len(), 1, "one read for a finished build");
    let queries = reads[0]["MetricDataQueries"].as_array().expect("queries");
    assert_eq!(queries.len(), 6, "{queries:?}");
    for q in queries {
        let stat = &q["MetricStat"];
        let mut dims: Vec<(String, String)> = stat["Metric"]["Dimensions"]
            .as_array()
            .expect("dimensions")
            .iter()
            .map(|d| {
                (
                    d["Name"].as_str().unwrap_or_default().to_string(),
                    d["Value"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        dims.sort();
        let mut want = listed.clone();
        want.sort();
        assert_eq!(dims, want, "{q}");
        assert_eq!(stat["Period"], 60);
    }
    // Finished: its figures are final and never read again.
    let mut w = w;
    for _ in 0..5 {
        w.advance(60).await;
    }
    assert_eq!(count(&w, "GetMetricData"), 1);
    assert_eq!(count(&w, "ListMetrics"), 1);
}

#[tokio::test]
async fn the_details_draw_the_simulators_metrics_at_80x24_and_200x50() {
    let (w, id) = looking_at(BuildSpec {
        started_secs_ago: 1800.0,
        phase_secs: container_phases(),
        ..BuildSpec::default()
    })
    .await;
    let sampled = w.state.resources.sampled.get(id.as_str()).expect("read");
    assert!(sampled.complete && sampled.resources.has_data());
    let wide = screen(&w.state, 200, 50);
    for shown in [
        "Resources · SMALL: 2 vCPU, 3072 MB · whole build",
        "cpu ",
        "mem ",
        "read ",
        "write ",
        "phase ",
    ] {
        assert!(wide.contains(shown), "{shown:?} in\n{wide}");
    }
    insta::assert_snapshot!("resources_200x50", wide);
    // At 80x24 the details are scrolled to their end: the resources.
    let mut w = w;
    w.send(Msg::Resize {
        width: 80,
        height: 24,
    })
    .await;
    w.send(code(crossterm::event::KeyCode::Enter)).await;
    w.send(key('G')).await;
    let narrow = screen(&w.state, 80, 24);
    for shown in ["cpu ", "mem ", "write ", "phase "] {
        assert!(narrow.contains(shown), "{shown:?} in\n{narrow}");
    }
    // Narrower still: figures alone, no sparkline.
    let figures = screen(&w.state, 50, 40);
    assert!(figures.contains("cpu avg 46 % · peak 80 %"), "{figures}");
    assert!(!figures.contains('▇'), "{figures}");
    insta::assert_snapshot!("resources_80x24", narrow);
}

#[tokio::test]
async fn a_build_that_ran_out_of_memory_says_so_and_m_relaunches_it_one_size_up() {
    let (mut w, id) = looking_at(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 1800.0,
        phase_secs: container_phases(),
        outcome: Outcome::OutOfMemory {
            command: "npm run build".into(),
        },
        ..BuildSpec::default()
    })
    .await;
    let text = screen(&w.state, 200, 50);
    assert!(
        text.contains("⚠ out of memory? used 100 %") || text.contains("⚠ out of memory? used 99 %"),
        "{text}"
    );
    assert!(
        text.contains("of 3072 MB) on SMALL, then exit status 137 · M relaunches it on MEDIUM"),
        "{text}"
    );
    w.send(key('M')).await;
    let form = screen(&w.state, 120, 40);
    assert!(form.contains("BUILD_GENERAL1_MEDIUM"), "{form}");
    // The review shows the change, and only then is it sent.
    w.send(Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    )))
    .await;
    let review = screen(&w.state, 120, 40);
    assert!(
        review.contains("BUILD_GENERAL1_SMALL") && review.contains("BUILD_GENERAL1_MEDIUM"),
        "{review}"
    );
    assert!(
        w.mutations().is_empty(),
        "nothing sent before the review is confirmed"
    );
    w.send(key('y')).await;
    let sent = w.mutations();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].operation, "StartBuild");
    assert_eq!(sent[0].body["projectName"], "web-frontend");
    assert_eq!(sent[0].body["computeTypeOverride"], "BUILD_GENERAL1_MEDIUM");
    assert!(w.state.store.get(&id).is_some());
}

#[tokio::test]
async fn a_build_idle_past_the_threshold_is_flagged_then_cleared_when_it_works_again() {
    // Idle from a minute into BUILD for 30 minutes, then busy again.
    let mut spec = long_running(6.0 * 60.0);
    spec.idle = Some((60.0, 30.0 * 60.0));
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(spec);
    w.settle_discovery(10).await;
    let mut flagged_at = None;
    for minute in 0..60 {
        w.advance(60).await;
        let reason = w.state.runaways.get(id.as_str()).cloned();
        match (reason, flagged_at) {
            (Some(Reason::Idle { idle_secs, cpu_pct }), None) => {
                assert!(idle_secs >= 15 * 60, "{idle_secs}");
                assert!(cpu_pct < 2.0, "{cpu_pct}");
                flagged_at = Some(minute);
            }
            (None, Some(at)) => {
                assert!(minute > at);
                // Cleared once a check sees it busy again: the idle period
                // ended 31 minutes into BUILD.
                assert!(minute >= 30, "cleared at {minute}");
                return;
            }
            _ => {}
        }
        if flagged_at.is_some() {
            // Flagged: in the `!` list, with its reason.
            w.state.runaway_only = true;
            w.state.refresh_list();
            let text = screen(&w.state, 200, 50);
            assert!(text.contains("hung? idle for"), "{text}");
            w.state.runaway_only = false;
            w.state.refresh_list();
        }
    }
    panic!("flagged at {flagged_at:?} and never cleared");
}

#[tokio::test]
async fn denied_metrics_are_said_once_and_not_asked_again() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    w.sim.inject_for(
        Fault::AccessDenied,
        FaultScope::operation("ListMetrics"),
        u32::MAX,
    );
    let id = w.sim.add_build(long_running(600.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    for _ in 0..20 {
        w.advance(60).await;
    }
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("metrics not allowed: the identity needs cloudwatch:ListMetrics and cloudwatch:GetMetricData"), "{text}");
    assert_eq!(count(&w, "ListMetrics"), 1, "asked once, for the session");
    assert_eq!(count(&w, "GetMetricData"), 0);
}

#[tokio::test]
async fn a_region_without_metrics_and_a_build_without_values_yet_each_say_so() {
    // A build whose container started seconds ago, in a minute not over
    // yet, has no value yet.
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    w.sim.advance(20.0);
    let id = w.sim.add_build(long_running(40.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(Msg::Tick(w.sim.now())).await;
    let text = screen(&w.state, 200, 50);
    assert!(
        text.contains("no figures yet: CloudWatch has a value a minute"),
        "{text}"
    );
    // Asked again a minute on, not before.
    let before = build_lists(&w.sim.requests());
    w.advance(20).await;
    assert_eq!(build_lists(&w.sim.requests()), before);
    w.advance(60).await;
    assert!(build_lists(&w.sim.requests()) > before);

    // A region CodeBuild publishes no resource metrics in.
    let mut w = Wire::start_in(Scenario::Quiet, "eu-north-1").await;
    let world = w.sim.world(&w.account(), "eu-north-1");
    let id = world.add_build(long_running(1200.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(Msg::Tick(w.sim.now())).await;
    for _ in 0..10 {
        w.advance(60).await;
    }
    let text = screen(&w.state, 200, 50);
    assert!(
        text.contains("CodeBuild publishes no resource metrics in eu-north-1"),
        "{text}"
    );
    let asked = world.requests();
    let lists = asked
        .iter()
        .filter(|r| r.operation == "ListMetrics")
        .count();
    assert!(lists <= 2, "{lists} ListMetrics: not asked again and again");
    assert!(asked.iter().all(|r| r.operation != "GetMetricData"));
}

#[tokio::test]
async fn twenty_running_builds_cost_a_bounded_number_of_metric_calls_an_hour() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let ids: Vec<String> = (0..20)
        .map(|i| w.sim.add_build(long_running(300.0 + f64::from(i) * 30.0)))
        .collect();
    w.settle_discovery(10).await;
    w.select(Row::Build(ids[0].as_str().into()));
    w.sim.clear_requests();
    for _ in 0..120 {
        w.advance(30).await;
    }
    let lists = count(&w, "ListMetrics");
    let reads = count(&w, "GetMetricData");
    println!("metric calls in an hour with 20 running builds, one on screen: ListMetrics {lists}, GetMetricData {reads}");
    // The build on screen: at most once a minute. The idle checks: one
    // batched call every 5 minutes for all twenty.
    assert!(reads <= 60 + 12 + 1, "{reads} GetMetricData");
    assert!(lists <= 3, "{lists} ListMetrics");
    let idle_reads: Vec<Value> = bodies(&w, "GetMetricData")
        .into_iter()
        .filter(|b| {
            b["MetricDataQueries"]
                .as_array()
                .is_some_and(|q| q.len() == 20)
        })
        .collect();
    assert!(
        idle_reads.len() >= 11,
        "every running build in one call: {}",
        idle_reads.len()
    );
}
