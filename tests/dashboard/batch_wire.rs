//! Batch builds through the wire: the real SDK client against the simulator,
//! the polling engine, the list rows and the dependency tree.

use aws_sdk_codebuild::types::RetryBuildBatchType;
use crossterm::event::KeyCode;

use crate::common::fixtures::{code, key};
use crate::common::wire::Wire;
use cbdash::app::{apply_batches, update, Row, State};
use cbdash::domain::Status;
use cbdash_sim::{BatchSpec, Fault, GroupSpec, Outcome, Scenario};

fn group(identifier: &str, depends_on: &[&str]) -> GroupSpec {
    GroupSpec {
        identifier: identifier.into(),
        depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
        phase_secs: Some(vec![("BUILD".into(), 60.0)]),
        ..GroupSpec::default()
    }
}

fn failing(identifier: &str, depends_on: &[&str], ignore_failure: bool) -> GroupSpec {
    GroupSpec {
        ignore_failure,
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "npm run e2e".into(),
        },
        ..group(identifier, depends_on)
    }
}

fn diamond() -> Vec<GroupSpec> {
    vec![
        group("lint", &[]),
        group("build-api", &["lint"]),
        GroupSpec {
            phase_secs: Some(vec![("BUILD".into(), 240.0)]),
            ..group("build-web", &["lint"])
        },
        failing("flaky-e2e", &["lint"], true),
        group("integration", &["build-api", "build-web"]),
        group("deploy-preview", &["integration"]),
    ]
}

/// Selects the row of batch `id` and returns the tree as "depth:name status".
fn tree(state: &mut State, id: &str) -> Vec<String> {
    let rows = state.visible_rows();
    assert!(
        state.list.select_row(&Row::Batch(id.into()), rows),
        "batch {id} listed"
    );
    let batch = state.selected_batch().expect("batch loaded").clone();
    state
        .tree_nodes()
        .iter()
        .map(|n| {
            let g = &batch.groups[n.group];
            let status = g.status().map_or("waiting".to_string(), |s| s.to_string());
            format!("{}:{} {status}", n.depth, g.name(n.group))
        })
        .collect()
}

async fn run_until_complete(w: &mut Wire, id: &str) {
    for _ in 0..400 {
        if w.state.store.batches.get(id).is_some_and(|b| b.complete) {
            return;
        }
        w.advance(15).await;
    }
    panic!("batch {id} did not complete");
}

#[tokio::test]
async fn a_graph_batch_with_a_diamond_advances_live_in_dependency_order() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_batch(BatchSpec {
        project: "monorepo-ci".into(),
        groups: diamond(),
        ..BatchSpec::default()
    });
    w.cycle().await;
    assert_eq!(w.state.store.batches.len(), 1);
    let mut saw_integration_waiting_on_web = false;
    for _ in 0..400 {
        let lines = tree(&mut w.state, &id);
        if lines.is_empty() {
            // Groups are known once the batchspec is read (DOWNLOAD_BATCHSPEC).
            w.advance(15).await;
            continue;
        }
        assert_eq!(lines.len(), 6, "{lines:?}");
        let nodes = w.state.tree_nodes();
        let integration = nodes
            .iter()
            .find(|n| n.also_after == ["build-web"])
            .expect("integration drawn once, under build-api, also after build-web");
        if integration.waiting_for == ["build-web"] {
            saw_integration_waiting_on_web = true;
        }
        if w.state.store.batches.get(&id).is_some_and(|b| b.complete) {
            break;
        }
        w.advance(15).await;
    }
    assert!(
        saw_integration_waiting_on_web,
        "integration waited for build-web"
    );
    let lines = tree(&mut w.state, &id);
    assert_eq!(
        lines,
        [
            "0:lint SUCCEEDED",
            "1:build-api SUCCEEDED",
            "2:integration SUCCEEDED",
            "3:deploy-preview SUCCEEDED",
            "1:build-web SUCCEEDED",
            "1:flaky-e2e FAILED",
        ]
    );
    let batch = w.state.store.batches.get(&id).expect("batch");
    assert_eq!(batch.status, Status::Succeeded, "the failure was allowed");
    // Every group's build is a real build the dashboard loaded, phases and all.
    for build_id in batch.build_ids() {
        let b = w.state.store.get(build_id).expect("group build loaded");
        assert_eq!(b.batch_id(), Some(id.as_str()));
        assert!(b.phases.len() >= 10);
    }
}

#[tokio::test]
async fn a_failure_without_ignore_failure_stops_the_dependents() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_batch(BatchSpec {
        project: "monorepo-ci".into(),
        groups: vec![
            group("lint", &[]),
            failing("unit", &["lint"], false),
            group("deploy", &["unit"]),
        ],
        ..BatchSpec::default()
    });
    w.cycle().await;
    run_until_complete(&mut w, &id).await;
    assert_eq!(
        tree(&mut w.state, &id),
        ["0:lint SUCCEEDED", "1:unit FAILED", "2:deploy waiting"]
    );
    assert_eq!(
        w.state.store.batches.get(&id).map(|b| b.status.clone()),
        Some(Status::Failed)
    );
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(
        frame.contains("deploy"),
        "a group that never ran is still shown"
    );
}

#[tokio::test]
async fn list_and_matrix_batches_run_their_groups_side_by_side() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let list = w.sim.add_batch(BatchSpec {
        project: "e2e-suites".into(),
        groups: vec![
            group("chrome", &[]),
            group("firefox", &[]),
            group("safari", &[]),
        ],
        ..BatchSpec::default()
    });
    let client = crate::common::sdk::client(&w.sim);
    let started = client
        .start_build_batch()
        .project_name("sdk-matrix")
        .send()
        .await
        .expect("matrix batch starts");
    let matrix = started
        .build_batch()
        .and_then(|b| b.id())
        .expect("batch id")
        .to_string();
    w.cycle().await;
    w.advance(60).await;
    let lines = tree(&mut w.state, &list);
    assert_eq!(lines.len(), 3);
    assert!(
        lines.iter().all(|l| l.starts_with("0:")),
        "all roots: {lines:?}"
    );
    let lines = tree(&mut w.state, &matrix);
    assert!(lines.len() >= 4, "one group per combination: {lines:?}");
    assert!(lines.iter().all(|l| l.starts_with("0:")), "{lines:?}");
    let batch = w.state.store.batches.get(&matrix).expect("matrix");
    assert_eq!(batch.groups.len(), lines.len());
}

#[tokio::test]
async fn a_retried_group_shows_its_attempts() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_batch(BatchSpec {
        project: "monorepo-ci".into(),
        groups: vec![group("lint", &[]), failing("unit", &["lint"], false)],
        ..BatchSpec::default()
    });
    w.cycle().await;
    run_until_complete(&mut w, &id).await;
    let client = crate::common::sdk::client(&w.sim);
    client
        .retry_build_batch()
        .id(&id)
        .retry_type(RetryBuildBatchType::RetryFailedBuilds)
        .send()
        .await
        .expect("retry");
    // The retry starts a new build of the batch: discovering it revives the
    // batch, which the next cycle fetches again.
    let unit_attempts = |w: &Wire| {
        w.state.store.batches.get(&id).and_then(|b| {
            b.groups
                .iter()
                .find(|g| g.identifier.as_deref() == Some("unit"))
                .map(|g| g.attempts())
        })
    };
    for _ in 0..40 {
        if unit_attempts(&w) == Some(2) {
            break;
        }
        w.advance(15).await;
    }
    assert_eq!(unit_attempts(&w), Some(2), "the retry was noticed");
    let batch = w.state.store.batches.get(&id).expect("batch").clone();
    let lint = batch
        .groups
        .iter()
        .find(|g| g.identifier.as_deref() == Some("lint"))
        .expect("lint");
    assert_eq!(lint.attempts(), 1, "a successful group keeps its build");
    tree(&mut w.state, &id);
    update(&mut w.state, code(KeyCode::Enter));
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(frame.contains("attempt 2"), "{frame}");
}

#[tokio::test]
async fn a_stopped_batch_shows_stopped_and_stops_polling() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_batch(BatchSpec {
        project: "monorepo-ci".into(),
        groups: diamond(),
        ..BatchSpec::default()
    });
    w.cycle().await;
    w.advance(120).await;
    crate::common::sdk::client(&w.sim)
        .stop_build_batch()
        .id(&id)
        .send()
        .await
        .expect("stop");
    run_until_complete(&mut w, &id).await;
    assert_eq!(
        w.state.store.batches.get(&id).map(|b| b.status.clone()),
        Some(Status::Stopped)
    );
    w.take_calls();
    w.cycle().await;
    let calls = w.take_calls();
    assert!(
        !calls.contains(&"BatchGetBuildBatches".to_string()),
        "a complete batch is not refetched: {calls:?}"
    );
}

#[tokio::test]
async fn api_calls_per_cycle_with_running_batches() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    w.advance(3).await;
    w.sim.clear_requests();
    w.cycle().await;
    let requests = w.sim.requests();
    let count = |op: &str| requests.iter().filter(|r| r.operation == op).count();
    let running_batches = w.state.store.batches.running_count();
    assert!(running_batches > 0, "the demo runs batches");
    assert_eq!(count("ListBuilds"), 1);
    // New batches show up through their group builds; the batch list is
    // read every two minutes only.
    assert_eq!(count("ListBuildBatches"), 0);
    assert_eq!(count("BatchGetBuildBatches"), running_batches.div_ceil(100));
    // One BatchGetBuilds serves plain builds and the groups of running batches.
    assert_eq!(count("BatchGetBuilds"), 1);
    let asked: Vec<&str> = requests
        .iter()
        .filter(|r| r.operation == "BatchGetBuilds")
        .flat_map(|r| r.body["ids"].as_array().into_iter().flatten())
        .filter_map(|v| v.as_str())
        .collect();
    let group_builds: Vec<String> = w
        .state
        .store
        .batches
        .running_ids()
        .iter()
        .filter_map(|id| w.state.store.batches.get(id))
        .flat_map(|b| b.build_ids().map(str::to_string).collect::<Vec<_>>())
        .filter(|id| w.state.store.get(id).is_some_and(|b| !b.complete))
        .collect();
    assert!(!group_builds.is_empty());
    for id in &group_builds {
        assert!(
            asked.contains(&id.as_str()),
            "running group build {id} refreshed"
        );
    }
    // CloudWatch's metric calls are counted in metrics_wire.
    let codebuild = requests
        .iter()
        .filter(|r| r.operation != "ListMetrics" && r.operation != "GetMetricData")
        .count();
    assert_eq!(
        codebuild,
        3,
        "{:?}",
        requests.iter().map(|r| &r.operation).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn malformed_depends_on_from_an_endpoint_renders_with_warnings() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let body = r#"{"buildBatches":[{"id":"monorepo-ci:0000aaaa-0000-4000-8000-000000000001",
        "arn":"arn:aws:codebuild:us-east-1:123456789012:build-batch/monorepo-ci:0000aaaa-0000-4000-8000-000000000001",
        "projectName":"monorepo-ci","buildBatchNumber":9,"startTime":1.7637e9,"buildBatchStatus":"IN_PROGRESS",
        "currentPhase":"IN_PROGRESS","complete":false,"buildGroups":[
          {"identifier":"a","dependsOn":["b"]},
          {"identifier":"b","dependsOn":["a"]},
          {"identifier":"c","dependsOn":["ghost"],"ignoreFailure":true},
          {"dependsOn":[],"currentBuildSummary":{"arn":"arn:aws:codebuild:us-east-1:123456789012:build/monorepo-ci:gone-1","buildStatus":"IN_PROGRESS"}},
          {"identifier":"d","currentBuildSummary":{}}
        ]}],"buildBatchesNotFound":[]}"#;
    w.sim.inject(
        Fault::RawBody {
            status: 200,
            body: body.into(),
        },
        1,
    );
    let fetched = w
        .api
        .batch_get_batches(vec![
            "monorepo-ci:0000aaaa-0000-4000-8000-000000000001".into()
        ])
        .await
        .expect("parses");
    apply_batches(&mut w.state, fetched);
    let id = "monorepo-ci:0000aaaa-0000-4000-8000-000000000001";
    let lines = tree(&mut w.state, id);
    assert_eq!(lines.len(), 5, "{lines:?}");
    // The group build that the service does not know: asked once, then shown as gone.
    let missing = w
        .api
        .batch_get_builds(vec!["monorepo-ci:gone-1".into()])
        .await
        .expect("answer");
    cbdash::app::apply(&mut w.state, missing);
    assert!(w.state.store.is_gone("monorepo-ci:gone-1"));
    update(&mut w.state, code(KeyCode::Right));
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(
        frame.contains("dependency cycle: a → b → a")
            || frame.contains("dependency cycle: b → a → b"),
        "{frame}"
    );
    assert!(frame.contains("unknown group 'ghost'"));
    assert!(frame.contains("group 4"), "a group without a name gets one");
    assert!(frame.contains("not found"), "its build is gone");
    update(&mut w.state, key('j'));
}
