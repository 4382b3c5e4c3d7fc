//! Project histories a projects board reads as a client would: the newest
//! 50 builds of a project (ListBuildsForProject, then BatchGetBuilds).
//! The demo has a project red since this morning, a flaky one, a slowing
//! one, one whose builds queue for minutes, and healthy ones.

use std::collections::HashMap;

use aws_sdk_codebuild::types::{Build, SortOrderType, StatusType};
use aws_sdk_codebuild::Client;
use cbdash_sim::SimHandle;

use crate::sdk::{client, demo, get_builds, secs};

/// How far back a board back-fills a project.
const BACKFILL: usize = 50;
/// The demo's "this morning": 3h12m before its start.
const RED_SINCE: f64 = 3.0 * 3600.0 + 12.0 * 60.0;
const SEEDS: [u64; 2] = [42, 7];

/// The newest `BACKFILL` builds of `project`, newest first.
pub async fn history(client: &Client, project: &str) -> Vec<Build> {
    let out = client
        .list_builds_for_project()
        .project_name(project)
        .sort_order(SortOrderType::Descending)
        .send()
        .await
        .expect("ListBuildsForProject");
    let ids: Vec<String> = out.ids().iter().take(BACKFILL).cloned().collect();
    let mut builds = get_builds(client, &ids).await;
    builds.sort_by(|a, b| start(b).total_cmp(&start(a)));
    builds
}

fn start(b: &Build) -> f64 {
    b.start_time().map_or(0.0, secs)
}

fn status(b: &Build) -> &str {
    b.build_status().map_or("", StatusType::as_str)
}

/// Seconds from start to end of each complete build, oldest first.
pub fn durations(newest_first: &[Build]) -> Vec<f64> {
    newest_first
        .iter()
        .rev()
        .filter(|b| b.build_complete())
        .filter_map(|b| Some(secs(b.end_time()?) - start(b)))
        .collect()
}

/// Seconds in QUEUED and PROVISIONING.
pub fn queued(b: &Build) -> f64 {
    b.phases()
        .iter()
        .filter(|p| {
            matches!(
                p.phase_type().map(|t| t.as_str()),
                Some("QUEUED" | "PROVISIONING")
            )
        })
        .filter_map(|p| p.duration_in_seconds())
        .sum::<i64>() as f64
}

pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}

/// Whether some commit failed and a later build of it passed.
pub fn retried_commits(builds: &[Build]) -> usize {
    let mut by_commit: HashMap<&str, Vec<&Build>> = HashMap::new();
    for b in builds {
        if let Some(commit) = b.resolved_source_version() {
            by_commit.entry(commit).or_default().push(b);
        }
    }
    by_commit
        .values()
        .filter(|runs| {
            runs.iter().any(|f| {
                status(f) == "FAILED"
                    && runs
                        .iter()
                        .any(|p| status(p) == "SUCCEEDED" && start(p) > start(f))
            })
        })
        .count()
}

fn success_rate(builds: &[Build]) -> f64 {
    let done: Vec<&Build> = builds.iter().filter(|b| b.build_complete()).collect();
    let passed = done.iter().filter(|b| status(b) == "SUCCEEDED").count();
    passed as f64 / done.len().max(1) as f64
}

async fn world(seed: u64) -> (SimHandle, Client) {
    let sim = demo(seed).await;
    let client = client(&sim);
    (sim, client)
}

/// Every role's project has a full back-fill and builds in the last day.
#[tokio::test]
async fn each_board_project_has_a_full_backfill_and_a_day_of_builds() {
    let (sim, client) = world(42).await;
    let day_ago = sim.now().timestamp() as f64 - 86_400.0;
    for project in [
        "infra-terraform",
        "web-frontend",
        "api-service",
        "mobile-app",
        "docs-site",
    ] {
        let builds = history(&client, project).await;
        assert_eq!(builds.len(), BACKFILL, "{project}");
        let recent = builds.iter().filter(|b| start(b) >= day_ago).count();
        assert!(recent >= 5, "{project}: {recent} builds in the last 24 h");
    }
}

#[tokio::test]
async fn infra_terraform_is_red_since_this_morning_after_a_green_run() {
    for seed in SEEDS {
        let (sim, client) = world(seed).await;
        let morning = sim.now().timestamp() as f64 - RED_SINCE;
        let builds = history(&client, "infra-terraform").await;
        let (since, before): (Vec<&Build>, Vec<&Build>) =
            builds.iter().partition(|b| start(b) >= morning);
        let done: Vec<&&Build> = since.iter().filter(|b| b.build_complete()).collect();
        assert!(
            done.len() >= 3,
            "seed {seed}: {} since the morning",
            done.len()
        );
        assert!(
            done.iter().all(|b| status(b) == "FAILED"),
            "seed {seed}: {:?}",
            done.iter().map(|b| status(b)).collect::<Vec<_>>()
        );
        let latest = builds.iter().find(|b| b.build_complete()).expect("a build");
        assert_eq!(status(latest), "FAILED", "seed {seed}");
        assert_eq!(
            before.first().map(|b| status(b)),
            Some("SUCCEEDED"),
            "seed {seed}: green just before the morning"
        );
        assert!(success_rate(&builds[since.len()..]) >= 0.8, "seed {seed}");
    }
}

#[tokio::test]
async fn web_frontend_has_commits_that_failed_and_passed_on_a_retry() {
    for seed in SEEDS {
        let (_sim, client) = world(seed).await;
        let builds = history(&client, "web-frontend").await;
        let retried = retried_commits(&builds);
        assert!(retried >= 3, "seed {seed}: {retried} retried commits");
        assert!(success_rate(&builds) >= 0.6, "seed {seed}: mostly green");
    }
}

#[tokio::test]
async fn api_service_builds_slow_down_over_the_week() {
    for seed in SEEDS {
        let (_sim, client) = world(seed).await;
        let builds = history(&client, "api-service").await;
        let d = durations(&builds);
        assert!(d.len() >= 40, "seed {seed}");
        let oldest = median(&d[..10]);
        let newest = median(&d[d.len() - 10..]);
        assert!(
            newest >= 1.8 * oldest,
            "seed {seed}: {oldest} s then {newest} s"
        );
        assert!((7.0 * 60.0..11.0 * 60.0).contains(&newest), "{newest}");
        assert!(success_rate(&builds) >= 0.9, "seed {seed}");
    }
}

#[tokio::test]
async fn mobile_app_builds_wait_minutes_for_capacity_and_others_seconds() {
    for seed in SEEDS {
        let (_sim, client) = world(seed).await;
        let slow = history(&client, "mobile-app").await;
        let waits: Vec<f64> = slow
            .iter()
            .filter(|b| b.build_complete())
            .map(queued)
            .collect();
        let p50 = median(&waits);
        assert!((240.0..=480.0).contains(&p50), "seed {seed}: {p50} s");
        assert!(success_rate(&slow) >= 0.9, "seed {seed}: green");
        for other in [
            "web-frontend",
            "api-service",
            "docs-site",
            "infra-terraform",
        ] {
            let builds = history(&client, other).await;
            let waits: Vec<f64> = builds.iter().map(queued).collect();
            assert!(median(&waits) < 60.0, "seed {seed}: {other}");
        }
    }
}

#[tokio::test]
async fn healthy_projects_pass_nine_builds_in_ten() {
    for seed in SEEDS {
        let (_sim, client) = world(seed).await;
        for project in ["docs-site", "payments-api"] {
            let builds = history(&client, project).await;
            let rate = success_rate(&builds);
            assert!(rate >= 0.9, "seed {seed}: {project} {rate}");
        }
    }
}

/// What a board would say of a project's newest builds, if anything.
#[derive(Debug, PartialEq, Eq, Hash, Clone, Copy)]
enum Kind {
    Red,
    Flaky,
    Slowing,
    LongQueue,
}

fn kinds(builds: &[Build], morning: f64) -> Vec<Kind> {
    let mut found = Vec::new();
    let done: Vec<&Build> = builds.iter().filter(|b| b.build_complete()).collect();
    let since: Vec<&&Build> = done.iter().filter(|b| start(b) >= morning).collect();
    let before = done.iter().find(|b| start(b) < morning);
    if !since.is_empty()
        && since.iter().all(|b| status(b) == "FAILED")
        && before.is_some_and(|b| status(b) == "SUCCEEDED")
    {
        found.push(Kind::Red);
    }
    if retried_commits(builds) >= 1 {
        found.push(Kind::Flaky);
    }
    let d = durations(builds);
    let third = d.len() / 3;
    // Every one of the newest third outlasts every one of the oldest.
    let (old, new) = (&d[..third], &d[d.len() - third..]);
    let longest_old = old.iter().copied().fold(0.0, f64::max);
    let shortest_new = new.iter().copied().fold(f64::MAX, f64::min);
    if third >= 3 && median(new) >= 1.8 * median(old) && shortest_new > longest_old {
        found.push(Kind::Slowing);
    }
    let waits: Vec<f64> = done.iter().map(|b| queued(b)).collect();
    if !waits.is_empty() && median(&waits) >= 240.0 {
        found.push(Kind::LongQueue);
    }
    found
}

#[tokio::test]
async fn the_busy_account_has_a_few_projects_of_each_kind() {
    let started = std::time::Instant::now();
    let sim = crate::sdk::frozen(cbdash_sim::Scenario::Busy).await;
    let client = client(&sim);
    // The world grows on its first call.
    client.list_projects().send().await.expect("ListProjects");
    let startup = started.elapsed();
    let morning = sim.now().timestamp() as f64 - RED_SINCE;
    let mut counts: HashMap<Kind, usize> = HashMap::new();
    let mut queues = Vec::new();
    for n in 1..=289 {
        let suffix = ["web", "api", "etl", "mobile", "infra", "docs", "payments"][(n - 1) % 7];
        let project = format!("svc-{n:03}-{suffix}");
        let builds = history(&client, &project).await;
        for kind in kinds(&builds, morning) {
            *counts.entry(kind).or_default() += 1;
        }
        queues.extend(builds.iter().filter(|b| b.build_complete()).map(queued));
    }
    eprintln!("busy start-up {startup:?}, kinds {counts:?}");
    for kind in [Kind::Red, Kind::Flaky, Kind::Slowing, Kind::LongQueue] {
        let n = counts.get(&kind).copied().unwrap_or(0);
        assert!((3..=40).contains(&n), "{kind:?}: {n} projects, {counts:?}");
    }
    assert!(median(&queues) < 60.0, "most builds barely queue");
}

/// Every build of `project` (or of the account), every page.
async fn every_build(client: &Client, project: Option<&str>) -> Vec<Build> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (page, next) = match project {
            Some(p) => {
                let out = client
                    .list_builds_for_project()
                    .project_name(p)
                    .set_next_token(token.clone())
                    .send()
                    .await
                    .expect("ListBuildsForProject");
                (out.ids().to_vec(), out.next_token().map(String::from))
            }
            None => {
                let out = client
                    .list_builds()
                    .set_next_token(token.clone())
                    .send()
                    .await
                    .expect("ListBuilds");
                (out.ids().to_vec(), out.next_token().map(String::from))
            }
        };
        ids.extend(page);
        match next {
            Some(n) => token = Some(n),
            None => return get_builds(client, &ids).await,
        }
    }
}

/// (period start, value) of one project-level (or account-level) metric.
async fn project_metric(
    cw: &aws_sdk_cloudwatch::Client,
    project: Option<&str>,
    metric: &str,
    stat: &str,
    period: i32,
    (start, end): (i64, i64),
) -> Vec<(i64, f64)> {
    use aws_sdk_cloudwatch::primitives::DateTime as CwTime;
    use aws_sdk_cloudwatch::types::{Dimension, ScanBy};
    let dims: Vec<Dimension> = project
        .map(|p| Dimension::builder().name("ProjectName").value(p).build())
        .into_iter()
        .collect();
    let out = cw
        .get_metric_data()
        .metric_data_queries(crate::sdk::metric_query("m", metric, &dims, stat, period))
        .start_time(CwTime::from_secs(start))
        .end_time(CwTime::from_secs(end))
        .scan_by(ScanBy::TimestampAscending)
        .send()
        .await
        .expect("GetMetricData");
    let result = out.metric_data_results()[0].clone();
    assert_eq!(result.status_code().map(|s| s.as_str()), Some("Complete"));
    result
        .timestamps()
        .iter()
        .map(|t| t.secs())
        .zip(result.values().iter().copied())
        .collect()
}

/// Per period from `start`: the builds that completed in it, as
/// (period start, builds) oldest first.
fn by_period(builds: &[Build], start: i64, end: i64, period: i64) -> Vec<(i64, Vec<&Build>)> {
    let mut periods: std::collections::BTreeMap<i64, Vec<&Build>> = Default::default();
    for b in builds.iter().filter(|b| b.build_complete()) {
        let done = b.end_time().map_or(0.0, secs);
        if done < start as f64 || done >= end as f64 {
            continue;
        }
        let k = ((done - start as f64) / period as f64).floor() as i64;
        periods.entry(start + k * period).or_default().push(b);
    }
    periods.into_iter().collect()
}

fn counted(periods: &[(i64, Vec<&Build>)], keep: impl Fn(&Build) -> bool) -> Vec<(i64, f64)> {
    periods
        .iter()
        .map(|(at, builds)| (*at, builds.iter().filter(|b| keep(b)).count() as f64))
        .collect()
}

#[tokio::test]
async fn project_metrics_count_the_builds_the_history_holds_per_period() {
    let (sim, client) = world(42).await;
    let cw = crate::sdk::metrics_client(&sim);
    let now = sim.now().timestamp();
    let window = (now - now % 3600 - 7 * 86_400, now + 3600);
    for project in ["infra-terraform", "web-frontend"] {
        let builds = every_build(&client, Some(project)).await;
        let hours = by_period(&builds, window.0, window.1, 3600);
        assert!(hours.len() >= 30, "{project}: {} hours", hours.len());
        for (metric, keep) in [
            ("Builds", (|_: &Build| true) as fn(&Build) -> bool),
            ("SucceededBuilds", |b| status(b) == "SUCCEEDED"),
            ("FailedBuilds", |b| {
                matches!(status(b), "FAILED" | "TIMED_OUT")
            }),
        ] {
            let served = project_metric(&cw, Some(project), metric, "Sum", 3600, window).await;
            assert_eq!(served, counted(&hours, keep), "{project} {metric}");
        }
        let days = by_period(&builds, window.0, window.1, 86_400);
        let served =
            project_metric(&cw, Some(project), "Duration", "Average", 86_400, window).await;
        assert_eq!(served.len(), days.len());
        for ((at, value), (day, done)) in served.iter().zip(&days) {
            let d: Vec<f64> = done
                .iter()
                .map(|b| secs(b.end_time().unwrap()) - start(b))
                .collect();
            let mean = d.iter().sum::<f64>() / d.len() as f64;
            assert_eq!(at, day);
            assert!((value - mean).abs() < 0.01, "{project}: {value} vs {mean}");
        }
    }
    // The account's Builds: every build completed in the window.
    let all = every_build(&client, None).await;
    let days = by_period(&all, window.0, window.1, 86_400);
    let served = project_metric(&cw, None, "Builds", "Sum", 86_400, window).await;
    assert_eq!(served, counted(&days, |_| true));
    // QueuedDuration is QUEUED alone: mobile-app's builds wait minutes.
    let queued = project_metric(
        &cw,
        Some("mobile-app"),
        "QueuedDuration",
        "Average",
        86_400,
        window,
    )
    .await;
    assert!(queued.iter().all(|(_, v)| *v >= 150.0), "{queued:?}");
}

#[tokio::test]
async fn list_metrics_by_project_name_has_build_and_project_level_metrics() {
    let (sim, _client) = world(42).await;
    let cw = crate::sdk::metrics_client(&sim);
    let out = cw
        .list_metrics()
        .namespace("AWS/CodeBuild")
        .dimensions(
            aws_sdk_cloudwatch::types::DimensionFilter::builder()
                .name("ProjectName")
                .value("docs-site")
                .build(),
        )
        .send()
        .await
        .expect("ListMetrics");
    let project_level: Vec<&str> = out
        .metrics()
        .iter()
        .filter(|m| m.dimensions().len() == 1)
        .filter_map(|m| m.metric_name())
        .collect();
    assert_eq!(
        project_level,
        [
            "Builds",
            "SucceededBuilds",
            "FailedBuilds",
            "Duration",
            "QueuedDuration",
            "BuildDuration"
        ]
    );
    let per_build = out
        .metrics()
        .iter()
        .filter(|m| m.dimensions().len() == 3)
        .count();
    assert!(per_build >= 6 * 10, "{per_build} per-build metrics");
    assert_eq!(per_build + 6, out.metrics().len());
}
