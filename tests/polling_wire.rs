//! The polling engine over the wire: the real SDK client against the
//! simulator, counting the calls the simulator received.

mod common;

use cbdash::domain::Status;
use cbdash::sim::{BuildSpec, Outcome, Scenario};
use common::fixtures::key;
use common::wire::Wire;

#[tokio::test]
async fn start_up_reads_back_to_the_age_limit_and_later_cycles_fetch_only_running_builds() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    let requests = w.sim.requests();
    let ops: Vec<&str> = requests.iter().map(|r| r.operation.as_str()).collect();
    let filtered = requests
        .iter()
        .filter(|r| {
            r.operation == "ListBuildBatches" && r.body["filter"]["status"] == "IN_PROGRESS"
        })
        .count();
    assert_eq!(
        filtered, 1,
        "the running batches in one filtered call: {ops:?}"
    );
    let pages = ops.iter().filter(|op| **op == "ListBuilds").count();
    assert!(pages >= 1, "{ops:?}");
    // Reading went back past the oldest build that could still run.
    let limit = w.sim.now() - chrono::Duration::hours(45);
    let oldest = w.state.store.builds.order().last().and_then(|k| k.start);
    assert!(oldest.is_some_and(|t| t < limit), "read back past 45 h");
    assert_eq!(w.state.poller.discovering(), None, "discovery is complete");
    let running = w.state.store.running_count();
    assert!(running >= 3, "{running} running");

    // A steady cycle: the builds page plus ceil(running/100) of each fetch,
    // asking only for what is still running (or new).
    w.advance(3).await;
    w.sim.clear_requests();
    w.cycle().await;
    let requests = w.sim.requests();
    let ops: Vec<&str> = requests.iter().map(|r| r.operation.as_str()).collect();
    assert_eq!(
        ops,
        ["ListBuilds", "BatchGetBuildBatches", "BatchGetBuilds"]
    );
    let asked = requests[2].body["ids"].as_array().map_or(0, Vec::len);
    assert!(
        asked <= running + 2,
        "asked for {asked} ids with {running} running"
    );
    for id in requests[2].body["ids"].as_array().into_iter().flatten() {
        let id = id.as_str().unwrap_or_default();
        assert!(
            w.state.store.get(id).is_none_or(
                |b| !b.complete || b.end >= Some(w.sim.now() - chrono::Duration::seconds(10))
            ),
            "{id} was complete before this cycle and still fetched"
        );
    }
}

#[tokio::test]
async fn a_build_that_completes_is_fetched_no_more() {
    let mut w = Wire::start(Scenario::Empty, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        project: "api-service".into(),
        phase_secs: Some(vec![("BUILD".into(), 20.0)]),
        ..BuildSpec::default()
    });
    w.cycle().await;
    assert_eq!(
        w.state.store.get(&id).map(|b| b.status.clone()),
        Some(Status::InProgress)
    );
    w.sim.clear_requests();
    // Run until the build completes, then one more cycle.
    let mut cycles = 0;
    while w.state.store.get(&id).is_some_and(|b| !b.complete) && cycles < 200 {
        w.cycle().await;
        cycles += 1;
    }
    assert_eq!(
        w.state.store.get(&id).map(|b| b.status.clone()),
        Some(Status::Succeeded)
    );
    w.take_calls();
    w.cycle().await;
    let calls = w.take_calls();
    assert!(
        !calls.is_empty()
            && calls
                .iter()
                .all(|c| c == "ListBuilds" || c == "ListBuildBatches"),
        "nothing running: the lists only, each at its own pace: {calls:?}"
    );
}

#[tokio::test]
async fn phases_and_failure_contexts_arrive_as_the_service_writes_them() {
    let mut w = Wire::start(Scenario::Empty, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 3600.0,
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "npm test".into(),
        },
        ..BuildSpec::default()
    });
    w.cycle().await;
    let b = w.state.store.get(&id).expect("build loaded");
    assert_eq!(b.status, Status::Failed);
    let failed = b.failed_phase().expect("a failed phase");
    assert_eq!(failed.phase_type, "BUILD");
    let context = failed.meaningful_contexts().next().expect("context");
    assert_eq!(context.status_code, "COMMAND_EXECUTION_ERROR");
    assert_eq!(
        context.message,
        "Error while executing command: npm test. Reason: exit status 1"
    );
    assert!(b
        .logs
        .deep_link
        .as_deref()
        .is_some_and(|l| l.starts_with("https://")));
    assert!(b.logs.group.is_some() && b.logs.stream.is_some() && b.arn.is_some());

    let frame = common::render::screen(&w.state, 160, 45);
    assert!(frame.contains("Error while executing command: npm test. Reason: exit status 1"));
}

#[tokio::test]
async fn scrolling_past_the_last_row_loads_older_history_without_polling_it() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    w.take_calls();
    w.send(key('G')).await;
    let rows_before = w.state.list.len();
    let builds_before = w.state.store.len();
    let oldest_before = w.state.list.rows()[rows_before - 1].clone();
    w.send(key('j')).await;
    let calls = w.take_calls();
    assert_eq!(
        calls[..2],
        ["ListBuilds", "BatchGetBuilds"],
        "the next page of builds, then their details"
    );
    // Batches are paged too when their first page said there is more.
    assert!(
        calls[2..]
            .iter()
            .all(|c| c == "ListBuildBatches" || c == "BatchGetBuildBatches"),
        "{calls:?}"
    );
    assert!(
        w.state.store.len() >= builds_before + 90,
        "about a page more"
    );
    assert_eq!(
        w.state.list.selected(),
        Some(&oldest_before),
        "the cursor stays where it was"
    );
    // Rows merge by start time: the older builds are listed, around the
    // selection that stayed put.
    assert!(
        w.state.list.len() > rows_before,
        "older rows are now reachable"
    );

    // Older builds are complete: the next cycle does not fetch them again.
    w.cycle().await;
    let requests = w.sim.requests();
    let fetched: usize = requests
        .iter()
        .filter(|r| r.operation == "BatchGetBuilds")
        .map(|r| r.body["ids"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(fetched <= 8, "fetched {fetched} ids");
}

#[tokio::test]
async fn watched_projects_are_discovered_one_page_each() {
    let mut w = Wire::start(Scenario::Demo, &["web-frontend", "api-service"]).await;
    w.cycle().await;
    let requests = w.sim.requests();
    let lists: Vec<&str> = requests
        .iter()
        .filter(|r| r.operation == "ListBuildsForProject")
        .filter_map(|r| r.body["projectName"].as_str())
        .collect();
    assert_eq!(lists, ["web-frontend", "api-service"]);
    assert!(!w.state.store.is_empty());
    let projects: std::collections::HashSet<&str> = w
        .state
        .list
        .rows()
        .iter()
        .filter_map(|row| w.state.store.get(row.id()))
        .map(|b| b.project.as_str())
        .collect();
    assert!(
        projects
            .iter()
            .all(|p| *p == "web-frontend" || *p == "api-service"),
        "{projects:?}"
    );
}

#[tokio::test]
async fn new_builds_appear_without_moving_the_selection() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    w.send(key('j')).await;
    w.send(key('j')).await;
    let chosen = w.state.list.selected().cloned().expect("selection");
    let before = w.state.store.len();
    // An hour of simulated time brings new builds at the top.
    for _ in 0..20 {
        w.advance(180).await;
    }
    assert!(w.state.store.len() > before, "new builds arrived");
    assert_eq!(w.state.list.selected(), Some(&chosen));
}
