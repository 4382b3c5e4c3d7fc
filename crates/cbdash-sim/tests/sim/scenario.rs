//! The demo world: its size and mix, the running-build band kept over time,
//! the build about to time out, and reproducibility from the seed.

use std::collections::HashSet;
use std::time::Duration;

use crate::sdk::{all_build_ids, client, demo, quiet, raw_post, start};
use aws_sdk_codebuild::types::{Build, StatusType};
use aws_sdk_codebuild::Client;
use cbdash_sim::{Scenario, SimConfig, SimHandle};

/// The newest 200 builds: every running build is among them.
async fn recent(client: &Client) -> Vec<Build> {
    let first = client.list_builds().send().await.expect("page 1");
    let second = client
        .list_builds()
        .set_next_token(first.next_token().map(String::from))
        .send()
        .await
        .expect("page 2");
    let mut builds = Vec::new();
    for page in [first.ids(), second.ids()] {
        let got = client
            .batch_get_builds()
            .set_ids(Some(page.to_vec()))
            .send()
            .await
            .expect("get");
        builds.extend(got.builds().iter().cloned());
    }
    builds
}

/// Running single builds: group builds come and go with their batches, so
/// the demo keeps its 3..6 band without them.
fn running(builds: &[Build]) -> Vec<&Build> {
    builds
        .iter()
        .filter(|b| b.build_status() == Some(&StatusType::InProgress))
        .filter(|b| b.build_batch_arn().is_none())
        .collect()
}

async fn raw_batch_get(sim: &SimHandle, ids: &[String]) -> String {
    let body = serde_json::json!({ "ids": ids }).to_string();
    let target = Some("CodeBuild_20161006.BatchGetBuilds");
    let (_, _, body) = raw_post(sim, "/", target, &body).await;
    body
}

#[tokio::test]
async fn the_demo_has_projects_history_and_a_realistic_mix() {
    let sim = demo(42).await;
    let client = client(&sim);
    let projects = client.list_projects().send().await.expect("projects");
    assert!(projects.projects().len() >= 5);

    let ids = all_build_ids(&client, None).await;
    assert!(ids.len() >= 300, "{} builds", ids.len());

    let mut statuses = HashSet::new();
    let mut failed_with_context = 0;
    for chunk in ids.chunks(100) {
        let got = client
            .batch_get_builds()
            .set_ids(Some(chunk.to_vec()))
            .send()
            .await
            .expect("get");
        for build in got.builds() {
            let status = build.build_status().cloned().expect("status");
            if status == StatusType::Failed {
                let has_context = build.phases().iter().any(|p| {
                    p.phase_status() == Some(&StatusType::Failed)
                        && p.contexts()
                            .iter()
                            .any(|c| !c.message().unwrap_or_default().is_empty())
                });
                failed_with_context += usize::from(has_context);
            }
            statuses.insert(status);
        }
    }
    for status in [
        StatusType::Succeeded,
        StatusType::Failed,
        StatusType::TimedOut,
        StatusType::Stopped,
        StatusType::Fault,
        StatusType::InProgress,
    ] {
        assert!(statuses.contains(&status), "missing {status:?}");
    }
    assert!(failed_with_context > 10, "failures explain themselves");
}

#[tokio::test]
async fn three_to_six_builds_run_throughout_a_simulated_hour() {
    let sim = demo(42).await;
    let client = client(&sim);
    let mut seen_new = HashSet::new();
    for minute in 0..=60 {
        let builds = recent(&client).await;
        let now_running = running(&builds);
        let count = now_running.len();
        assert!(
            (3..=6).contains(&count),
            "{count} running at minute {minute}"
        );
        seen_new.extend(now_running.iter().filter_map(|b| b.id().map(String::from)));
        sim.advance(60.0);
    }
    assert!(
        seen_new.len() > 10,
        "builds keep arriving: {} seen",
        seen_new.len()
    );
}

#[tokio::test]
async fn a_long_data_pipeline_build_is_about_to_time_out() {
    let sim = demo(42).await;
    let client = client(&sim);
    let builds = recent(&client).await;
    let long = running(&builds)
        .into_iter()
        .find(|b| {
            b.initiator() == Some("codepipeline/nightly-etl") && b.current_phase() == Some("BUILD")
        })
        .cloned()
        .expect("a long data-pipeline build");
    assert_eq!(long.timeout_in_minutes(), Some(60));
    let age = sim.now().timestamp() - long.start_time().expect("start").secs();
    assert!((50 * 60..55 * 60).contains(&age), "started {age} s ago");

    sim.advance(10.0 * 60.0);
    let id = long.id().expect("id");
    let got = client.batch_get_builds().ids(id).send().await.expect("get");
    assert_eq!(got.builds()[0].build_status(), Some(&StatusType::TimedOut));
}

#[tokio::test]
async fn the_same_seed_gives_the_same_builds_byte_for_byte() {
    let a = demo(7).await;
    let b = demo(7).await;
    let ids_a = client(&a).list_builds().send().await.expect("list").ids;
    let ids_b = client(&b).list_builds().send().await.expect("list").ids;
    assert_eq!(ids_a, ids_b);
    let ids = ids_a.unwrap_or_default();
    assert_eq!(raw_batch_get(&a, &ids).await, raw_batch_get(&b, &ids).await);

    let other = demo(8).await;
    let ids_other = client(&other).list_builds().send().await.expect("list").ids;
    assert_ne!(Some(ids), ids_other, "another seed, another world");
}

#[tokio::test]
async fn arrivals_do_not_depend_on_how_often_the_sim_is_asked() {
    let once = demo(3).await;
    let often = demo(3).await;
    once.advance(900.0);
    let chatty = client(&often);
    for _ in 0..30 {
        chatty.list_builds().send().await.expect("poll");
        often.advance(30.0);
    }
    let a = client(&once).list_builds().send().await.expect("list").ids;
    let b = chatty.list_builds().send().await.expect("list").ids;
    assert_eq!(a, b);
}

#[tokio::test]
async fn the_quiet_scenario_has_projects_but_no_builds_ever() {
    let sim = quiet().await;
    let client = client(&sim);
    sim.advance(3600.0);
    assert!(client
        .list_builds()
        .send()
        .await
        .expect("list")
        .ids()
        .is_empty());
    assert!(
        client
            .list_projects()
            .send()
            .await
            .expect("projects")
            .projects()
            .len()
            >= 5
    );
}

#[tokio::test]
async fn speed_runs_the_clock_faster_than_real_time() {
    let sim = start(SimConfig {
        speed: 600.0,
        scenario: Scenario::Quiet,
        ..SimConfig::default()
    })
    .await;
    let before = sim.now();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let moved = (sim.now() - before).num_seconds();
    assert!(
        moved >= 25,
        "50 ms at 600x is 30 s of sim time, got {moved}"
    );
    sim.shutdown();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let refused = tokio::net::TcpStream::connect(sim.addr()).await;
    assert!(refused.is_err(), "shutdown stops accepting connections");
}
