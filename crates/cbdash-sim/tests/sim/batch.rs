//! Batch builds on a frozen clock: groups start in dependency order (the
//! diamond included), ignoreFailure lets a graph go on, lists run in
//! parallel, matrices expand, and every group build is a real build.

use crate::sdk::{
    batch_of, batch_phases, client, current_build_id, failing, get, get_batch, group, node, quiet,
    secs,
};
use aws_sdk_codebuild::types::{BuildBatch, StatusType};
use aws_sdk_codebuild::Client;
use cbdash_sim::{BatchSpec, GroupSpec};

/// (start, end) of the group's current build, in epoch seconds.
async fn window(client: &Client, batch: &BuildBatch, identifier: &str) -> (f64, Option<f64>) {
    let id = current_build_id(batch, identifier).expect("group started");
    let build = get(client, &id).await;
    let start = build.start_time().map(secs).expect("start");
    (start, build.end_time().map(secs))
}

fn started(batch: &BuildBatch, identifier: &str) -> bool {
    current_build_id(batch, identifier).is_some()
}

#[tokio::test]
async fn a_graph_starts_each_group_once_its_dependencies_succeed() {
    let sim = quiet().await;
    let client = client(&sim);
    // lint (55 s) -> build-api (125 s) and build-web (85 s) -> integration.
    let id = sim.add_batch(BatchSpec {
        groups: vec![
            node("lint", &[], 30.0),
            node("build-api", &["lint"], 100.0),
            node("build-web", &["lint"], 60.0),
            node("integration", &["build-api", "build-web"], 30.0),
        ],
        ..BatchSpec::default()
    });
    sim.advance(30.0);
    let batch = get_batch(&client, &id).await;
    assert!(started(&batch, "lint"));
    for waiting in ["build-api", "build-web", "integration"] {
        let g = group(&batch, waiting);
        assert!(g.current_build_summary().is_none(), "{waiting} waits");
    }

    sim.advance(130.0);
    let batch = get_batch(&client, &id).await;
    let (_, lint_end) = window(&client, &batch, "lint").await;
    let (api_start, api_end) = window(&client, &batch, "build-api").await;
    let (web_start, web_end) = window(&client, &batch, "build-web").await;
    assert_eq!(Some(api_start), lint_end, "both sides start when lint ends");
    assert_eq!(Some(web_start), lint_end);
    assert!(
        web_end.is_some() && api_end.is_none(),
        "web done, api running"
    );
    assert!(
        !started(&batch, "integration"),
        "the diamond waits for both"
    );

    sim.advance(60.0);
    let batch = get_batch(&client, &id).await;
    let (_, api_end) = window(&client, &batch, "build-api").await;
    let (integration_start, _) = window(&client, &batch, "integration").await;
    assert_eq!(
        Some(integration_start),
        api_end,
        "starts with the later side"
    );

    sim.advance(120.0);
    let batch = get_batch(&client, &id).await;
    assert!(batch.complete());
    assert_eq!(batch.build_batch_status(), Some(&StatusType::Succeeded));
    let summary = group(&batch, "integration").current_build_summary();
    assert_eq!(
        summary.and_then(|s| s.build_status()),
        Some(&StatusType::Succeeded)
    );
}

#[tokio::test]
async fn ignore_failure_lets_dependents_run_and_the_batch_succeed() {
    let flaky = GroupSpec {
        ignore_failure: true,
        ..failing(node("flaky-e2e", &[], 20.0))
    };
    let (sim, client, id) =
        batch_of(vec![flaky, node("deploy-preview", &["flaky-e2e"], 10.0)]).await;
    sim.advance(200.0);
    let batch = get_batch(&client, &id).await;
    let status = |g: &str| {
        group(&batch, g)
            .current_build_summary()
            .and_then(|s| s.build_status())
            .cloned()
    };
    assert_eq!(status("flaky-e2e"), Some(StatusType::Failed));
    assert_eq!(status("deploy-preview"), Some(StatusType::Succeeded));
    assert!(group(&batch, "flaky-e2e").ignore_failure());
    assert_eq!(batch.build_batch_status(), Some(&StatusType::Succeeded));
}

#[tokio::test]
async fn a_failure_without_ignore_failure_fails_the_batch_and_stops_dependents() {
    let (sim, client, id) = batch_of(vec![
        failing(node("build-api", &[], 20.0)),
        node("slow-docs", &[], 120.0),
        node("integration", &["build-api"], 10.0),
        node("deploy", &["integration"], 10.0),
    ])
    .await;
    sim.advance(80.0);
    let batch = get_batch(&client, &id).await;
    assert_eq!(batch.build_batch_status(), Some(&StatusType::InProgress));
    assert!(started(&batch, "slow-docs"), "independent groups still run");

    sim.advance(200.0);
    let batch = get_batch(&client, &id).await;
    assert!(batch.complete());
    assert_eq!(batch.build_batch_status(), Some(&StatusType::Failed));
    assert!(!started(&batch, "integration") && !started(&batch, "deploy"));
    let (_, docs_end) = window(&client, &batch, "slow-docs").await;
    let end = batch.end_time().map(secs);
    assert!(end >= docs_end, "the batch ends once running groups finish");
    let in_progress = batch
        .phases()
        .iter()
        .find(|p| p.phase_type().map(|t| t.as_str()) == Some("IN_PROGRESS"))
        .expect("IN_PROGRESS");
    assert_eq!(in_progress.phase_status(), Some(&StatusType::Failed));
    let message = in_progress.contexts()[0].message().unwrap_or_default();
    assert!(message.contains("build-api"), "{message}");
    let last = batch_phases(&batch).pop().expect("phases");
    assert_eq!(last, ("FAILED".to_string(), None));
}

#[tokio::test]
async fn a_list_starts_every_group_at_once() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_batch(BatchSpec {
        project: "e2e-suites".into(),
        groups: vec![
            node("checkout-flow", &[], 60.0),
            node("search-flow", &[], 30.0),
            node("account-flow", &[], 90.0),
        ],
        ..BatchSpec::default()
    });
    sim.advance(20.0);
    let batch = get_batch(&client, &id).await;
    let requested: Vec<_> = batch
        .build_groups()
        .iter()
        .map(|g| {
            g.current_build_summary()
                .and_then(|s| s.requested_on())
                .cloned()
        })
        .collect();
    assert_eq!(requested.len(), 3);
    assert!(requested[0].is_some());
    assert!(
        requested.iter().all(|r| *r == requested[0]),
        "{requested:?}"
    );
}

#[tokio::test]
async fn the_demo_matrix_runs_one_group_per_image_and_variable_value() {
    let sim = quiet().await;
    let client = client(&sim);
    let started = client
        .start_build_batch()
        .project_name("sdk-matrix")
        .send()
        .await
        .expect("started");
    let id = started.build_batch().and_then(|b| b.id()).expect("id");
    sim.advance(30.0);
    let batch = get_batch(&client, id).await;
    let identifiers: Vec<&str> = batch
        .build_groups()
        .iter()
        .filter_map(|g| g.identifier())
        .collect();
    assert_eq!(
        identifiers,
        [
            "standard_7_0_python3_12",
            "standard_7_0_nodejs20",
            "amazonlinux_x86_64_standard_5_0_python3_12",
            "amazonlinux_x86_64_standard_5_0_nodejs20",
        ]
    );
    let cell = current_build_id(&batch, "amazonlinux_x86_64_standard_5_0_nodejs20");
    let build = get(&client, &cell.expect("started")).await;
    let env = build.environment().expect("environment");
    assert_eq!(env.image(), "aws/codebuild/amazonlinux-x86_64-standard:5.0");
    let runtime = env
        .environment_variables()
        .iter()
        .find(|v| v.name() == "SDK_RUNTIME")
        .map(|v| v.value());
    assert_eq!(runtime, Some("nodejs20"));
}

#[tokio::test]
async fn batch_phases_run_in_the_service_order() {
    let (sim, client, id) = batch_of(vec![node("only", &[], 10.0)]).await;
    let fresh = get_batch(&client, &id).await;
    assert_eq!(batch_phases(&fresh), [("SUBMITTED".to_string(), None)]);
    assert_eq!(fresh.current_phase(), Some("SUBMITTED"));
    assert!(fresh.build_groups().is_empty(), "no batchspec read yet");
    assert!(!fresh.complete() && fresh.end_time().is_none());

    sim.advance(10.0);
    let running = get_batch(&client, &id).await;
    assert_eq!(running.current_phase(), Some("IN_PROGRESS"));
    assert_eq!(running.build_groups().len(), 1);

    sim.advance(60.0);
    let done = get_batch(&client, &id).await;
    let succeeded = Some("SUCCEEDED".to_string());
    assert_eq!(
        batch_phases(&done),
        [
            ("SUBMITTED".to_string(), succeeded.clone()),
            ("DOWNLOAD_BATCHSPEC".to_string(), succeeded.clone()),
            ("IN_PROGRESS".to_string(), succeeded),
            ("SUCCEEDED".to_string(), None),
        ]
    );
    assert_eq!(done.current_phase(), Some("SUCCEEDED"));
    let in_progress = &done.phases()[2];
    let group_build = current_build_id(&done, "only").expect("ran");
    let build = get(&client, &group_build).await;
    assert_eq!(in_progress.end_time(), build.end_time());
    assert_eq!(done.end_time(), in_progress.end_time());
}

#[tokio::test]
async fn group_builds_are_real_builds_that_point_at_their_batch() {
    let (sim, client, id) =
        batch_of(vec![node("lint", &[], 10.0), node("test", &["lint"], 10.0)]).await;
    sim.advance(120.0);
    let batch = get_batch(&client, &id).await;
    let arn = batch.arn().expect("arn");
    assert_eq!(
        arn,
        format!("arn:aws:codebuild:us-east-1:123456789012:build-batch/{id}")
    );
    assert!(id.starts_with("monorepo-ci:"));
    let lint = current_build_id(&batch, "lint").expect("lint ran");
    let test = current_build_id(&batch, "test").expect("test ran");
    let got = client
        .batch_get_builds()
        .ids(&lint)
        .ids(&test)
        .send()
        .await
        .expect("get");
    for build in got.builds() {
        assert_eq!(build.build_batch_arn(), Some(arn));
        assert_eq!(build.project_name(), Some("monorepo-ci"));
        assert_eq!(build.build_status(), Some(&StatusType::Succeeded));
        assert_eq!(build.phases().len(), 11, "every build phase");
    }
    let summary = group(&batch, "lint")
        .current_build_summary()
        .expect("summary");
    assert_eq!(summary.arn(), got.builds()[0].arn());
    assert_eq!(summary.requested_on(), got.builds()[0].start_time());

    let listed = client.list_builds().send().await.expect("list");
    assert_eq!(listed.ids(), [test.clone(), lint.clone()], "newest first");
    let for_project = client
        .list_builds_for_project()
        .project_name("monorepo-ci")
        .send()
        .await
        .expect("list for project");
    assert_eq!(for_project.ids().len(), 2);
}

#[tokio::test]
async fn an_invalid_graph_fails_while_the_batchspec_is_read() {
    let sim = quiet().await;
    let client = client(&sim);
    let unknown = sim.add_batch(BatchSpec {
        groups: vec![node("build", &["compile"], 10.0)],
        ..BatchSpec::default()
    });
    let cycle = sim.add_batch(BatchSpec {
        groups: vec![
            node("a", &["c"], 10.0),
            node("b", &["a"], 10.0),
            node("c", &["b"], 10.0),
        ],
        ..BatchSpec::default()
    });
    sim.advance(30.0);
    for (id, expected) in [
        (unknown, "build group build depends on compile"),
        (cycle, "dependency cycle: a -> c -> b -> a"),
    ] {
        let batch = get_batch(&client, &id).await;
        assert_eq!(batch.build_batch_status(), Some(&StatusType::Failed));
        assert!(batch.complete());
        assert!(batch.build_groups().is_empty(), "no group ever starts");
        let download = &batch.phases()[1];
        assert_eq!(
            download.phase_type().map(|t| t.as_str()),
            Some("DOWNLOAD_BATCHSPEC")
        );
        assert_eq!(download.phase_status(), Some(&StatusType::Failed));
        let context = &download.contexts()[0];
        assert_eq!(context.status_code(), Some("CLIENT_ERROR"));
        let message = context.message().unwrap_or_default();
        assert!(message.contains(expected), "{message}");
    }
    let builds = client.list_builds().send().await.expect("list");
    assert!(builds.ids().is_empty(), "no group build was ever stored");
}
