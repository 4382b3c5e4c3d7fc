//! The polling engine over the wire: the real SDK client against the
//! simulator, counting the calls the simulator received.

use crate::common::fixtures::key;
use crate::common::wire::Wire;
use cbdash::domain::Status;
use cbdash_sim::{BuildSpec, Outcome, Scenario};

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
    // CloudWatch's metric calls (the build on screen, the idle checks) are
    // counted in metrics_wire.
    let ops: Vec<&str> = requests
        .iter()
        .map(|r| r.operation.as_str())
        .filter(|op| !op.ends_with("Metrics") && !op.starts_with("GetMetric"))
        .collect();
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
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
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
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
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

    let frame = crate::common::render::screen(&w.state, 160, 45);
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

/// A short build that completed long ago, `secs_ago` seconds after start.
fn finished(project: &str, secs_ago: f64) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        started_secs_ago: secs_ago,
        phase_secs: Some(vec![("BUILD".into(), 30.0)]),
        ..BuildSpec::default()
    }
}

/// A build still running an hour from now.
fn long(project: &str, secs_ago: f64) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        started_secs_ago: secs_ago,
        timeout_minutes: Some(36 * 60),
        phase_secs: Some(vec![("BUILD".into(), secs_ago + 3600.0)]),
        ..BuildSpec::default()
    }
}

#[tokio::test]
async fn a_build_running_for_hours_behind_250_newer_builds_is_found_at_start_up() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let old = w.sim.add_build(long("data-pipeline", 5.0 * 3600.0));
    for i in 0..250 {
        w.sim
            .add_build(finished("api-service", 4.0 * 3600.0 - i as f64 * 50.0));
    }
    w.settle_discovery(10).await;
    assert!(
        w.state.store.get(&old).is_some_and(|b| !b.complete),
        "the 5-hour build is listed as running"
    );
    let (shown, service) = w.running_counts().await;
    assert_eq!(shown, service);
    assert_eq!(shown, 1);
    assert_eq!(w.state.store.len(), 251, "every build of the window");
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(frame.contains("251 builds · 1 running"), "{frame}");
}

#[tokio::test]
async fn builds_started_between_two_polls_are_all_found_in_one_cycle() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    for i in 0..20 {
        w.sim
            .add_build(finished("api-service", 3600.0 - i as f64 * 60.0));
    }
    w.settle_discovery(5).await;
    assert_eq!(w.state.store.len(), 20);
    // 150 builds start at once, between two polls.
    for _ in 0..150 {
        w.sim.add_build(long("web-frontend", 1.0));
    }
    w.take_calls();
    w.cycle().await;
    let calls = w.take_calls();
    let pages = calls.iter().filter(|c| *c == "ListBuilds").count();
    assert_eq!(
        pages, 2,
        "both pages of the burst, in the same cycle: {calls:?}"
    );
    let (shown, service) = w.running_counts().await;
    assert_eq!((shown, service), (150, 150));
    assert_eq!(w.state.store.len(), 170);
    // And again: counts stay true across further bursts.
    for round in 0..3 {
        for _ in 0..120 {
            w.sim.add_build(long("mobile-app", 1.0));
        }
        w.cycle().await;
        let (shown, service) = w.running_counts().await;
        assert_eq!(shown, service, "after burst {round}");
    }
    assert_eq!(w.state.store.len(), 170 + 360);
}

#[tokio::test]
async fn one_hundred_fifty_running_among_a_thousand_are_all_counted() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    // 850 done over the last 36 hours, 150 running started over 10 hours,
    // interleaved in the list.
    let mut specs: Vec<BuildSpec> = (0..850)
        .map(|i| {
            finished(
                "api-service",
                3600.0 + 35.0 * 3600.0 * (i as f64 + 0.5) / 850.0,
            )
        })
        .collect();
    specs.extend((0..150).map(|i| long("data-pipeline", 10.0 * 3600.0 * (i as f64 + 0.5) / 150.0)));
    specs.sort_by(|a, b| b.started_secs_ago.total_cmp(&a.started_secs_ago));
    for spec in specs {
        w.sim.add_build(spec);
    }
    w.settle_discovery(10).await;
    assert_eq!(w.state.poller.discovering(), None);
    let calls = w.take_calls();
    let service = crate::common::wire::service_counts(&w.sim).await;
    assert_eq!(w.state.store.running_count(), service.running.len());
    assert_eq!(service.running.len(), 150);
    assert_eq!(w.state.store.len(), service.builds.len());
    // The calls it took: the minimum, 10 pages and one fetch of each, and
    // the two batch lists, and STS once for the header's account; the
    // running builds were fetched with their page.
    let count = |op: &str| calls.iter().filter(|c| *c == op).count();
    assert_eq!(count("ListBuilds"), 10, "{calls:?}");
    assert_eq!(count("BatchGetBuilds"), 10, "{calls:?}");
    assert_eq!(count("GetCallerIdentity"), 1, "{calls:?}");
    // Beside them, one metrics listing and one read, whatever the number
    // of running builds.
    assert_eq!(count("ListMetrics"), 1, "{calls:?}");
    assert_eq!(count("GetMetricData"), 1, "{calls:?}");
    assert_eq!(calls.len(), 25, "{calls:?}");
}

#[tokio::test]
async fn an_unknown_project_fails_alone_while_the_good_one_polls_at_its_pace() {
    let mut w = Wire::start(Scenario::Demo, &["web-frontend", "nosuchproject"]).await;
    w.cycle().await;
    assert_eq!(
        w.state.poller.failing_scopes(),
        vec!["project nosuchproject not found".to_string()]
    );
    assert!(!w.state.poller.is_stale(), "the good project is not stale");
    assert!(w.state.store.running_count() > 0 || !w.state.store.is_empty());
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(frame.contains("project nosuchproject not found"), "{frame}");
    assert!(!frame.contains("stale"), "{frame}");
    // A dozen cycles later the unknown project was not asked for again.
    w.take_calls();
    for _ in 0..12 {
        w.cycle().await;
    }
    let asked: Vec<String> = w
        .sim
        .requests()
        .iter()
        .filter_map(|r| r.body["projectName"].as_str().map(str::to_string))
        .collect();
    assert!(asked.iter().all(|p| p == "web-frontend"), "{asked:?}");
    assert!(
        asked.len() >= 12,
        "the good project kept its pace: {asked:?}"
    );
}

#[tokio::test]
async fn with_batch_listing_denied_every_running_build_is_still_a_row() {
    use cbdash_sim::{Fault, FaultScope};
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.sim.inject_for(
        Fault::AccessDenied,
        FaultScope::operation("ListBuildBatches"),
        u32::MAX,
    );
    w.settle_discovery(10).await;
    assert_eq!(
        w.state.poller.batches_off(),
        Some("batches: not authorized for codebuild:ListBuildBatches")
    );
    let running = w.sim.running_builds();
    assert!(
        running
            .iter()
            .any(|id| w.state.store.get(id).is_some_and(|b| b.batch_arn.is_some())),
        "the demo runs batch group builds"
    );
    assert_eq!(w.state.store.running_count(), running.len());
    let rows: std::collections::HashSet<&str> =
        w.state.list.rows().iter().map(|r| &**r.id()).collect();
    for id in &running {
        assert!(rows.contains(id.as_str()), "running build {id} is a row");
    }
    assert!(!w.state.poller.is_stale(), "builds are not stale");
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(
        frame.contains("batches: not authorized for codebuild:ListBuildBatches"),
        "{frame}"
    );
    assert!(
        frame.contains("· batch "),
        "group builds are tagged: {frame}"
    );
}

#[tokio::test]
async fn a_throttled_account_backs_off_alone() {
    let mut w = Wire::regions(&["us-east-1", "eu-west-1"]).await;
    w.cycle().await;
    let (eu, _) = &w.others[0];
    eu.inject(cbdash_sim::Fault::Throttle, u32::MAX);
    eu.clear_requests();
    let mut us_cycles = 0;
    for _ in 0..20 {
        w.sim.clear_requests();
        w.advance(3).await;
        us_cycles += usize::from(w.take_calls().contains(&"ListBuilds".to_string()));
    }
    let pollers: Vec<_> = w.state.pollers().map(|(_, p)| p).collect();
    assert!(!pollers[0].is_stale(), "us-east-1 is fine");
    assert!(pollers[1].is_stale(), "eu-west-1 is throttled");
    assert!(
        us_cycles >= 19,
        "us-east-1 kept its 3 s pace: {us_cycles} of 20"
    );
    let eu_calls = w.others[0].0.requests().len();
    // 3 s, then backing off: 6, 12, 24 and 48 s with jitter.
    assert!(
        eu_calls <= 6,
        "eu-west-1 backed off: {eu_calls} calls in 60 s"
    );
}

/// Every ListBuilds from now on answers no IDs and the token `token`.
fn sticky_list_builds(w: &Wire, token: &str) {
    use cbdash_sim::{Fault, FaultScope};
    let body = serde_json::json!({"ids": [], "nextToken": token}).to_string();
    w.sim.inject_for(
        Fault::RawBody { status: 200, body },
        FaultScope::operation("ListBuilds"),
        u32::MAX,
    );
}

/// The page tokens the ListBuilds requests carried, oldest first.
fn list_builds_tokens(w: &Wire) -> Vec<Option<String>> {
    w.sim
        .requests()
        .iter()
        .filter(|r| r.operation == "ListBuilds")
        .map(|r| r.body["nextToken"].as_str().map(String::from))
        .collect()
}

#[tokio::test]
async fn a_discovery_page_token_that_does_not_move_ends_paging_with_a_warning() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    sticky_list_builds(&w, "same-page");
    w.cycle().await;
    assert_eq!(
        list_builds_tokens(&w),
        [None, Some("same-page".to_string())],
        "the repeated token is not asked for a second time"
    );
    let notice = w.state.notice.clone().expect("a warning");
    assert!(notice.error, "{notice:?}");
    assert!(
        notice
            .text
            .contains("ListBuilds answered with the page token it was sent"),
        "{}",
        notice.text
    );
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(
        frame.contains("ListBuilds answered with the page token it was sent"),
        "on the status line"
    );
}

#[tokio::test]
async fn an_older_page_with_the_token_just_sent_is_not_requested_again_on_a_key_press() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    w.send(key('G')).await;
    sticky_list_builds(&w, "stuck");
    let before = list_builds_tokens(&w).len();
    // The first older page moves on to "stuck"; asking for "stuck" answers "stuck".
    w.send(key('j')).await;
    w.send(key('j')).await;
    let tokens = list_builds_tokens(&w)[before..].to_vec();
    assert_eq!(tokens.len(), 2, "{tokens:?}");
    assert_eq!(tokens[1].as_deref(), Some("stuck"));
    let notice = w.state.notice.clone().expect("a warning");
    assert!(
        notice
            .text
            .starts_with("older builds: ListBuilds answered with the page token"),
        "{}",
        notice.text
    );
    for _ in 0..3 {
        w.send(key('j')).await;
    }
    assert_eq!(
        list_builds_tokens(&w).len(),
        before + 2,
        "further presses do not ask for the stuck page"
    );
}
