//! The projects board against the simulator: its figures equal what the
//! service's own history implies (read apart with the SDK), its back-fill
//! is bounded and never repeated, and `ls --projects` prints the same.

use std::collections::HashMap;

use crate::common::fixtures::{code, key};
use crate::common::render::screen;
use crate::common::sdk::{client, get_builds};
use crate::common::wire::Wire;
use aws_sdk_codebuild::types::{Build, StatusType};
use cbdash::app::board::{Attention, ProjectHealth};
use cbdash_sim::Scenario;

/// A project's newest 50 builds as a client reads them apart: one
/// ListBuildsForProject page, one BatchGetBuilds, newest first.
async fn history(sim: &cbdash_sim::SimHandle, project: &str) -> Vec<Build> {
    let cb = client(sim);
    let page = cb
        .list_builds_for_project()
        .project_name(project)
        .sort_order(aws_sdk_codebuild::types::SortOrderType::Descending)
        .send()
        .await
        .expect("ListBuildsForProject");
    let ids: Vec<String> = page.ids().iter().take(50).cloned().collect();
    let mut builds = get_builds(&cb, &ids).await;
    builds.sort_by_key(|b| std::cmp::Reverse(b.start_time().map(|t| t.as_secs_f64() as i64)));
    builds
}

/// Whole seconds from start to end, as the milliseconds say.
fn secs(b: &Build) -> Option<i64> {
    let ms = |t: &aws_sdk_codebuild::primitives::DateTime| t.to_millis().ok();
    Some((ms(b.end_time()?)? - ms(b.start_time()?)?) / 1000)
}

fn median_and_p90(mut v: Vec<i64>) -> Option<(i64, i64)> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let rank = |p: f64| v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    Some((rank(0.5), rank(0.9)))
}

/// What the service's history says of a project, computed here apart
/// from the dashboard.
struct Expected {
    succeeded_of_20: (usize, usize),
    p50_p90: Option<(i64, i64)>,
    queue_p50: Option<i64>,
    latest_failed: bool,
    red_or_green_since: Option<i64>,
    flaky: bool,
}

fn expected(builds: &[Build]) -> Expected {
    let ended: Vec<&Build> = builds.iter().filter(|b| b.build_complete()).collect();
    let ok = |b: &Build| b.build_status() == Some(&StatusType::Succeeded);
    let red = |b: &Build| {
        matches!(
            b.build_status(),
            Some(StatusType::Failed | StatusType::Fault | StatusType::TimedOut)
        )
    };
    let last20: Vec<&&Build> = ended.iter().take(20).collect();
    let succeeded_of_20 = (last20.iter().filter(|b| ok(b)).count(), last20.len());
    let p50_p90 = median_and_p90(
        ended
            .iter()
            .filter(|b| ok(b))
            .filter_map(|b| secs(b))
            .collect(),
    );
    let queue: Vec<i64> = ended
        .iter()
        .filter_map(|b| {
            let d = |name: &str| {
                b.phases()
                    .iter()
                    .find(|p| p.phase_type().map(|t| t.as_str()) == Some(name))
                    .and_then(|p| p.duration_in_seconds())
            };
            Some(d("QUEUED").unwrap_or(0) + d("PROVISIONING")?)
        })
        .collect();
    let queue_p50 = median_and_p90(queue).map(|(m, _)| m);
    let latest_failed = ended.first().is_some_and(|b| red(b));
    let red_or_green_since = ended.first().map(|first| {
        let colour = red(first);
        let mut since = first.end_time().map(|t| t.secs()).unwrap_or_default();
        for b in &ended {
            if b.build_status() == Some(&StatusType::Stopped) {
                continue;
            }
            if red(b) != colour {
                break;
            }
            since = b.end_time().map(|t| t.secs()).unwrap_or_default();
        }
        since
    });
    // Newest first: a failure older than a success of the same commit.
    let mut passed: HashMap<&str, bool> = HashMap::new();
    let mut flaky = false;
    for b in &ended {
        let Some(commit) = b.resolved_source_version() else {
            continue;
        };
        if ok(b) {
            passed.insert(commit, true);
        } else if red(b) && passed.contains_key(commit) {
            flaky = true;
        }
    }
    Expected {
        succeeded_of_20,
        p50_p90,
        queue_p50,
        latest_failed,
        red_or_green_since,
        flaky,
    }
}

fn row<'a>(w: &'a Wire, project: &str) -> &'a ProjectHealth {
    w.state
        .board
        .rows
        .iter()
        .find(|r| r.project == project)
        .unwrap_or_else(|| panic!("{project} on the board"))
}

/// The demo with the board opened and its back-fill done.
async fn board_open() -> Wire {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.settle_discovery(10).await;
    w.sim.clear_requests();
    w.send(key('b')).await;
    w
}

#[tokio::test]
async fn every_figure_of_the_board_is_what_the_services_history_implies() {
    let w = board_open().await;
    assert_eq!(w.state.board.pending, 0, "back-fill done");
    let projects: Vec<String> = w
        .state
        .board
        .rows
        .iter()
        .map(|r| r.project.clone())
        .collect();
    assert!(projects.len() >= 8, "{projects:?}");
    for project in &projects {
        let builds = history(&w.sim, project).await;
        let want = expected(&builds);
        let got = row(&w, project);
        assert_eq!(
            (got.last_n.succeeded, got.last_n.total),
            want.succeeded_of_20,
            "{project}: last 20"
        );
        assert_eq!(
            got.durations.map(|d| (d.median, d.p90)),
            want.p50_p90,
            "{project}: p50, p90"
        );
        assert_eq!(got.queue_p50, want.queue_p50, "{project}: queue");
        assert_eq!(
            got.attention == Attention::Failing,
            want.latest_failed,
            "{project}: failing"
        );
        assert_eq!(
            got.since.map(|t| t.timestamp()),
            want.red_or_green_since,
            "{project}: since"
        );
        assert_eq!(got.flaky_commit.is_some(), want.flaky, "{project}: flaky");
    }
    // Failing first, then flaky, slowing, healthy.
    let order: Vec<Attention> = w.state.board.rows.iter().map(|r| r.attention).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[tokio::test]
async fn the_back_fill_reads_each_project_once_at_most_fifty_builds() {
    let mut w = board_open().await;
    let asked = w.sim.requests();
    let lists: Vec<&cbdash_sim::RecordedRequest> = asked
        .iter()
        .filter(|r| r.operation == "ListBuildsForProject")
        .collect();
    let projects = w.state.board.listed.len();
    assert!(
        lists.len() <= projects,
        "{} lists for {projects} projects",
        lists.len()
    );
    assert!(
        asked
            .iter()
            .filter(|r| r.operation == "ListProjects")
            .count()
            == 1
    );
    for r in asked.iter().filter(|r| r.operation == "BatchGetBuilds") {
        let n = r.body["ids"].as_array().map_or(0, Vec::len);
        assert!(n <= 100, "{n} ids");
    }
    let fills = asked
        .iter()
        .filter(|r| r.operation == "BatchGetBuilds")
        .filter(|r| r.body["ids"].as_array().is_some_and(|ids| ids.len() <= 50))
        .count();
    assert!(fills >= lists.len().saturating_sub(1), "{fills} fills");
    // Closed and opened again: nothing is read twice.
    w.sim.clear_requests();
    w.send(code(crossterm::event::KeyCode::Esc)).await;
    w.send(key('b')).await;
    let again = w.sim.requests();
    assert!(
        again
            .iter()
            .all(|r| r.operation != "ListBuildsForProject" && r.operation != "ListProjects"),
        "{:?}",
        again.iter().map(|r| &r.operation).collect::<Vec<_>>()
    );
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("Projects ("), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_projects_prints_the_boards_figures_as_lines_or_json() {
    let sim = cbdash_sim::SimHandle::start(cbdash_sim::SimConfig {
        speed: 0.0,
        scenario: Scenario::Demo,
        ..cbdash_sim::SimConfig::default()
    })
    .await
    .expect("simulator");
    let out = crate::watch_cli::cbdash(&sim, &["ls", "--projects", "--json"]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
        .collect();
    assert!(rows.len() >= 8, "{rows:?}");
    // The same order and figures as the board: what the service implies.
    let attention: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["attention"].as_str())
        .collect();
    let rank = |a: &str| {
        ["failing", "flaky", "slowing", "healthy", "no builds"]
            .iter()
            .position(|x| *x == a)
    };
    assert!(
        attention.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{attention:?}"
    );
    for r in &rows {
        let project = r["project"].as_str().expect("project");
        let want = expected(&history(&sim, project).await);
        assert_eq!(
            (
                r["last_20"]["succeeded"].as_u64(),
                r["last_20"]["total"].as_u64()
            ),
            (
                Some(want.succeeded_of_20.0 as u64),
                Some(want.succeeded_of_20.1 as u64)
            ),
            "{project}"
        );
        assert_eq!(
            r["p50_secs"].as_i64(),
            want.p50_p90.map(|p| p.0),
            "{project}"
        );
    }
    let text = crate::watch_cli::cbdash(&sim, &["ls", "--projects"]).await;
    let text = String::from_utf8_lossy(&text.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(first.starts_with(attention[0]), "{text}");
    assert!(
        first.contains("last20 ") && first.contains("p50 "),
        "{text}"
    );
}
