//! The simulator at scale, over the wire: the busy account, paging deep
//! into ListBuilds while builds arrive, one world per access key and
//! region, and faults that hit a single operation.

use std::collections::HashSet;
use std::time::Instant;

use crate::sdk::{all_build_ids, client, client_as, frozen, raw_post, secs};
use aws_sdk_codebuild::types::StatusType;
use aws_sdk_codebuild::Client;
use cbdash_sim::{BuildSpec, Fault, FaultScope, Scenario};
use chrono::{Duration, Timelike};

async fn project_names(client: &Client) -> Vec<String> {
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_projects()
            .set_next_token(token)
            .send()
            .await
            .expect("ListProjects");
        names.extend(page.projects().iter().cloned());
        token = page.next_token().map(String::from);
        if token.is_none() {
            return names;
        }
    }
}

use crate::sdk::get_builds as fetch;

/// Ids listed before `head` (the newest id of an earlier poll), newest
/// first, as a poller pages back to what it already knows.
async fn new_since(client: &Client, head: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_builds()
            .set_next_token(token)
            .send()
            .await
            .expect("ListBuilds");
        for id in page.ids() {
            if id == head {
                return ids;
            }
            ids.push(id.clone());
        }
        token = page.next_token().map(String::from);
        if token.is_none() {
            return ids;
        }
    }
}

#[tokio::test]
async fn the_busy_account_has_hundreds_of_projects_and_thousands_of_recent_builds() {
    let started = Instant::now();
    let sim = frozen(Scenario::Busy).await;
    eprintln!("busy world built in {:?}", started.elapsed());
    let client = client(&sim);

    let names = project_names(&client).await;
    assert_eq!(names.len(), 300, "ListProjects pages through 300 projects");
    let derived = names.iter().filter(|n| n.starts_with("svc-")).count();
    assert_eq!(
        derived, 289,
        "the demo's eleven projects and 289 derived ones"
    );
    assert!(names.iter().any(|n| n == "svc-042-payments"), "{names:?}");

    let recent = sim.builds_since(sim.now() - Duration::hours(36));
    eprintln!("{} builds in the last 36 h", recent.len());
    assert!(
        (4_000..=6_500).contains(&recent.len()),
        "about 5,000 builds in 36 h, got {}",
        recent.len()
    );
    let listed = all_build_ids(&client, None).await;
    assert_eq!(
        &listed[..recent.len()],
        &recent[..],
        "ListBuilds lists the last 36 hours first, newest first"
    );

    // The running ones say so over the wire.
    let running = sim.running_builds();
    assert!(running.len() >= 150, "{} running", running.len());
    let fetched = fetch(&client, &running).await;
    assert_eq!(fetched.len(), running.len());
    assert!(fetched
        .iter()
        .all(|b| b.build_status() == Some(&StatusType::InProgress)));
}

#[tokio::test]
async fn the_busy_band_of_running_builds_holds_as_time_passes() {
    let sim = frozen(Scenario::Busy).await;
    let mut counts = Vec::new();
    // Three simulated hours in odd steps, so samples land anywhere.
    for _ in 0..(3 * 3600 / 97) {
        counts.push(sim.running_builds().len());
        sim.advance(97.0);
    }
    let min = counts.iter().min().copied().unwrap_or_default();
    let max = counts.iter().max().copied().unwrap_or_default();
    counts.sort_unstable();
    let median = counts[counts.len() / 2];
    assert!(min >= 150, "never fewer than 150 running, got {min}");
    assert!(median <= 180, "mostly 150-180 running, median {median}");
    assert!(max >= 250, "a burst lifts the count for a while, max {max}");
}

#[tokio::test]
async fn a_burst_of_over_a_hundred_builds_starts_within_one_poll_interval() {
    let sim = frozen(Scenario::Busy).await;
    let client = client(&sim);
    // Bursts start 30 s after every even hour (UTC).
    let now = sim.now();
    let hour = now
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .expect("hour");
    let mut burst = hour + Duration::seconds(30);
    while burst <= now || burst.hour() % 2 != 0 {
        burst += Duration::hours(1);
    }
    let wait = (burst - now).num_seconds() - 3;
    sim.advance(wait as f64);
    let first = client.list_builds().send().await.expect("ListBuilds");
    let head = first.ids()[0].clone();

    sim.advance(5.0);
    let fresh = new_since(&client, &head).await;
    assert!(
        fresh.len() >= 100,
        "a 5 s poll sees the burst: {} new builds",
        fresh.len()
    );
    let builds = fetch(&client, &fresh).await;
    let starts: Vec<f64> = builds
        .iter()
        .filter_map(|b| b.start_time().map(secs))
        .collect();
    let spread = starts.iter().cloned().fold(f64::MIN, f64::max)
        - starts.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread <= 5.0, "all within the poll interval, {spread} s");
}

#[tokio::test]
async fn long_running_builds_sit_behind_hundreds_of_newer_builds() {
    let sim = frozen(Scenario::Busy).await;
    let client = client(&sim);
    let listed = all_build_ids(&client, None).await;
    let now = secs(&aws_sdk_codebuild::primitives::DateTime::from_millis(
        sim.now().timestamp_millis(),
    ));
    let running = fetch(&client, &sim.running_builds()).await;
    let old: Vec<(String, f64)> = running
        .iter()
        .filter_map(|b| Some((b.id()?.to_string(), secs(b.start_time()?))))
        .filter(|(_, start)| now - start >= 3.0 * 3600.0)
        .collect();
    assert!(
        old.len() >= 5,
        "a handful started 3 h or more ago, got {}",
        old.len()
    );
    for (id, start) in &old {
        let pos = listed.iter().position(|l| l == id).expect("listed");
        assert!(
            pos > 250,
            "{id}, started {:.1} h ago, is listed at {pos}",
            (now - start) / 3600.0
        );
    }
    let oldest = old.iter().map(|(_, s)| now - s).fold(0.0, f64::max);
    assert!(oldest >= 15.0 * 3600.0, "one has run for 15 h or more");
}

#[tokio::test]
async fn paging_through_twenty_thousand_builds_lists_each_exactly_once_while_builds_arrive() {
    let started = Instant::now();
    let sim = frozen(Scenario::Scale {
        builds_36h: 20_000,
        running: 150,
    })
    .await;
    eprintln!("20k world built in {:?}", started.elapsed());
    let client = client(&sim);
    let before: HashSet<String> = sim
        .builds_since(sim.now() - Duration::days(30))
        .into_iter()
        .collect();
    let last_36h = sim.builds_since(sim.now() - Duration::hours(36)).len();
    eprintln!("{last_36h} builds in the last 36 h");
    assert!((18_000..=22_000).contains(&last_36h), "{last_36h} builds");

    let mut seen = Vec::new();
    let mut token = None;
    let mut latencies = Vec::new();
    loop {
        let asked = Instant::now();
        let page = client
            .list_builds()
            .set_next_token(token)
            .send()
            .await
            .expect("ListBuilds");
        latencies.push(asked.elapsed());
        seen.extend(page.ids().iter().cloned());
        token = page.next_token().map(String::from);
        if token.is_none() {
            break;
        }
        // New builds arrive at the head between pages.
        sim.advance(3.0);
    }
    latencies.sort_unstable();
    eprintln!(
        "{} ListBuilds pages, median {:?}, slowest {:?}",
        latencies.len(),
        latencies[latencies.len() / 2],
        latencies[latencies.len() - 1]
    );
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no id is listed twice");
    let missing = before.iter().filter(|id| !unique.contains(id)).count();
    assert_eq!(missing, 0, "every build that existed is listed");
    assert!(sim.builds_since(sim.now() - Duration::days(30)).len() > before.len());

    // The busiest project's listing pages the same way.
    let mut per_project = std::collections::HashMap::new();
    for id in &seen {
        let name = id.split(':').next().unwrap_or_default().to_string();
        *per_project.entry(name).or_insert(0) += 1;
    }
    let (project, _) = per_project
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .expect("some project");
    let project = project.as_str();
    let mut mine = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_builds_for_project()
            .project_name(project)
            .set_next_token(token)
            .send()
            .await
            .expect("ListBuildsForProject");
        mine.extend(page.ids().iter().cloned());
        token = page.next_token().map(String::from);
        if token.is_none() {
            break;
        }
        sim.advance(3.0);
    }
    let expected: HashSet<&String> = seen
        .iter()
        .filter(|id| id.starts_with(&format!("{project}:")))
        .collect();
    let listed: HashSet<&String> = mine.iter().collect();
    assert_eq!(listed.len(), mine.len(), "no id is listed twice");
    assert!(mine.len() > 100, "{} builds of {project}", mine.len());
    assert!(
        expected.is_subset(&listed),
        "every build of {project} is listed"
    );
}

#[tokio::test]
async fn each_access_key_and_region_is_a_world_of_its_own() {
    let sim = frozen(Scenario::Demo).await;
    let default = client(&sim);
    let alpha = client_as(&sim, "AKIA111122223333TEST", "us-east-1");
    let alpha_west = client_as(&sim, "AKIA111122223333TEST", "eu-west-1");
    let beta = client_as(&sim, "AKIA444455556666TEST", "us-east-1");

    let mut heads = Vec::new();
    for c in [&default, &alpha, &alpha_west, &beta] {
        let page = c.list_builds().send().await.expect("ListBuilds");
        heads.push(page.ids().to_vec());
    }
    let distinct: HashSet<&Vec<String>> = heads.iter().collect();
    assert_eq!(distinct.len(), 4, "four worlds, four histories");
    assert_eq!(sim.world_count(), 4);

    // ARNs and errors carry the world's own account and region.
    let build = &fetch(&alpha_west, &heads[2][..1]).await[0];
    let arn = build.arn().unwrap_or_default();
    assert!(
        arn.starts_with("arn:aws:codebuild:eu-west-1:111122223333:build/"),
        "{arn}"
    );
    let log_arn = build
        .logs()
        .and_then(|l| l.cloud_watch_logs_arn())
        .unwrap_or_default();
    assert!(
        log_arn.starts_with("arn:aws:logs:eu-west-1:111122223333:"),
        "{log_arn}"
    );
    let err = beta
        .list_builds_for_project()
        .project_name("nope")
        .send()
        .await
        .expect_err("unknown project");
    let text = format!("{:?}", err.into_service_error());
    assert!(
        text.contains("arn:aws:codebuild:us-east-1:444455556666:project/nope"),
        "{text}"
    );

    // The Rust API reaches the same worlds.
    let world = sim.world("111122223333", "eu-west-1");
    let id = world.add_build(BuildSpec {
        project: "api-service".into(),
        ..BuildSpec::default()
    });
    let west = alpha_west.list_builds().send().await.expect("ListBuilds");
    assert_eq!(west.ids().first(), Some(&id), "its own client sees it");
    let east = alpha.list_builds().send().await.expect("ListBuilds");
    assert!(
        !east.ids().contains(&id),
        "the same account's other region does not"
    );
    assert!(world.running_builds().contains(&id));
    assert!(!sim.running_builds().contains(&id));
    assert!(world
        .requests()
        .iter()
        .all(|r| r.operation == "ListBuilds" || r.operation == "BatchGetBuilds"));

    world.inject(Fault::AccessDenied, 1);
    let err = alpha_west.list_builds().send().await.expect_err("denied");
    let text = format!("{:?}", err.into_service_error());
    assert!(text.contains("arn:aws:sts::111122223333:"), "{text}");
    default
        .list_builds()
        .send()
        .await
        .expect("others unaffected");
}

#[tokio::test]
async fn a_fault_for_one_operation_hits_only_that_operation() {
    let sim = frozen(Scenario::Demo).await;
    let client = client(&sim);
    sim.inject_for(
        Fault::AccessDenied,
        FaultScope::operation("ListBuildBatches"),
        u32::MAX,
    );
    for _ in 0..3 {
        let err = client
            .list_build_batches()
            .send()
            .await
            .expect_err("batches denied every time");
        assert!(format!("{:?}", err.into_service_error()).contains("AccessDenied"));
        client
            .list_builds()
            .send()
            .await
            .expect("builds still listed");
    }
    client
        .list_build_batches_for_project()
        .project_name("monorepo-ci")
        .send()
        .await
        .expect("another operation");
    sim.clear_faults();
    client.list_build_batches().send().await.expect("cleared");

    // One project of one operation, for two requests, over the control
    // endpoint.
    let (status, _, _) = raw_post(
        &sim,
        "/__sim/fault",
        None,
        r#"{"fault":"throttle","operation":"ListBuildsForProject","project":"api-service","count":2}"#,
    )
    .await;
    assert_eq!(status, 200);
    let for_project = |name: &'static str| {
        let client = client.clone();
        async move {
            client
                .list_builds_for_project()
                .project_name(name)
                .send()
                .await
                .is_ok()
        }
    };
    assert!(for_project("web-frontend").await, "other projects pass");
    assert!(!for_project("api-service").await);
    assert!(!for_project("api-service").await);
    assert!(for_project("api-service").await, "used up after two");
}

/// Resident memory of this process in MiB (Linux), for the figures the
/// test prints.
fn rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[tokio::test]
async fn a_hundred_accounts_each_get_a_demo_world_of_their_own() {
    let sim = frozen(Scenario::Demo).await;
    let before = rss_mib();
    let started = Instant::now();
    let mut heads = HashSet::new();
    for n in 0..100u64 {
        let key = format!("AKIA{:012}TEST", 200_000_000_000 + n);
        let client = client_as(&sim, &key, "us-east-1");
        let page = client.list_builds().send().await.expect("ListBuilds");
        heads.insert(page.ids().first().cloned());
    }
    let after = rss_mib();
    eprintln!(
        "100 demo worlds in {:?}, RSS {before:?} MiB -> {after:?} MiB",
        started.elapsed()
    );
    assert_eq!(sim.world_count(), 101, "the default world and 100 more");
    assert_eq!(heads.len(), 100, "each world has a history of its own");
    let account = sim.world("200000000042", "us-east-1");
    assert_eq!(account.requests().len(), 1, "requests are kept per world");
}
