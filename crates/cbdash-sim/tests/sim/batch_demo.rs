//! The demo's batches: a week of history with failures and a retry, a
//! graph under way when the demo opens, one batch always running, and all
//! of it reproducible from the seed.

use std::collections::HashSet;

use crate::sdk::{client, demo, raw_post};
use aws_sdk_codebuild::types::{BuildBatch, BuildBatchFilter, StatusType};
use aws_sdk_codebuild::Client;
use cbdash_sim::SimHandle;

async fn all_batches(client: &Client) -> Vec<BuildBatch> {
    let ids = client.list_build_batches().send().await.expect("list").ids;
    let got = client
        .batch_get_build_batches()
        .set_ids(ids)
        .send()
        .await
        .expect("get");
    got.build_batches().to_vec()
}

async fn running_ids(client: &Client) -> Vec<String> {
    let filter = BuildBatchFilter::builder()
        .status(StatusType::InProgress)
        .build();
    let out = client
        .list_build_batches()
        .filter(filter)
        .send()
        .await
        .expect("list running");
    out.ids().to_vec()
}

/// Every batch and every build as raw JSON, for byte-for-byte comparison.
async fn raw_world(sim: &SimHandle) -> (String, String) {
    let client = client(sim);
    let batch_ids = client.list_build_batches().send().await.expect("list").ids;
    let build_ids = client.list_builds().send().await.expect("list").ids;
    let post = |target: &'static str, ids: Option<Vec<String>>| {
        let body = serde_json::json!({ "ids": ids.unwrap_or_default() }).to_string();
        async move { raw_post(sim, "/", Some(target), &body).await.2 }
    };
    (
        post("CodeBuild_20161006.BatchGetBuildBatches", batch_ids).await,
        post("CodeBuild_20161006.BatchGetBuilds", build_ids).await,
    )
}

#[tokio::test]
async fn the_demo_has_batch_history_with_failures_and_a_retry() {
    let sim = demo(42).await;
    let client = client(&sim);
    let batches = all_batches(&client).await;
    assert!(batches.len() >= 15, "{} batches", batches.len());
    let projects: HashSet<&str> = batches.iter().filter_map(|b| b.project_name()).collect();
    assert_eq!(
        projects,
        HashSet::from(["monorepo-ci", "sdk-matrix", "e2e-suites"])
    );
    let status = |s: StatusType| batches.iter().any(|b| b.build_batch_status() == Some(&s));
    assert!(status(StatusType::Failed) && status(StatusType::Succeeded));
    let retried = batches.iter().any(|b| {
        b.build_groups()
            .iter()
            .any(|g| !g.prior_build_summary_list().is_empty())
    });
    assert!(retried, "one batch was retried");
    for matrix in batches
        .iter()
        .filter(|b| b.project_name() == Some("sdk-matrix") && b.complete())
    {
        assert_eq!(matrix.build_groups().len(), 4, "2 images x 2 runtimes");
    }
}

#[tokio::test]
async fn the_demo_opens_on_a_graph_working_through_its_diamond() {
    let sim = demo(42).await;
    let client = client(&sim);
    let running = running_ids(&client).await;
    let got = client
        .batch_get_build_batches()
        .set_ids(Some(running))
        .send()
        .await
        .expect("get");
    let diamond = |batch: &&BuildBatch| {
        let groups = batch.build_groups();
        let integration = groups
            .iter()
            .find(|g| g.identifier() == Some("integration"));
        let started = groups
            .iter()
            .filter(|g| g.current_build_summary().is_some())
            .count();
        integration.is_some_and(|g| {
            g.depends_on() == ["build-api", "build-web"] && g.current_build_summary().is_none()
        }) && started >= 2
    };
    assert!(
        got.build_batches().iter().any(|b| diamond(&b)),
        "a running graph has started some groups, integration waits"
    );
}

#[tokio::test]
async fn a_batch_is_always_running_and_new_ones_arrive() {
    let sim = demo(42).await;
    let client = client(&sim);
    let first: HashSet<String> = running_ids(&client).await.into_iter().collect();
    let mut seen = first.clone();
    for minute in 0..=90 {
        let running = running_ids(&client).await;
        assert!(!running.is_empty(), "no batch running at minute {minute}");
        seen.extend(running);
        sim.advance(60.0);
    }
    assert!(seen.len() >= first.len() + 3, "{} batches seen", seen.len());
}

#[tokio::test]
async fn the_same_seed_gives_the_same_batches_byte_for_byte() {
    let a = demo(7).await;
    let b = demo(7).await;
    a.advance(1800.0);
    b.advance(1800.0);
    assert_eq!(raw_world(&a).await, raw_world(&b).await);
    let other = demo(8).await;
    other.advance(1800.0);
    assert_ne!(raw_world(&a).await.0, raw_world(&other).await.0);
}

#[tokio::test]
async fn batches_do_not_depend_on_how_often_the_sim_is_asked() {
    let once = demo(3).await;
    let often = demo(3).await;
    once.advance(1800.0);
    let chatty = client(&often);
    for _ in 0..60 {
        let ids = chatty.list_build_batches().send().await.expect("poll").ids;
        chatty
            .batch_get_build_batches()
            .set_ids(ids.map(|ids| ids.into_iter().take(5).collect()))
            .send()
            .await
            .expect("poll");
        often.advance(30.0);
    }
    assert_eq!(raw_world(&once).await, raw_world(&often).await);
}
