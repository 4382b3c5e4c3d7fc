//! CloudWatch Logs GetLogEvents against the simulator with the real SDK
//! client: a build's stream appears when its container starts, grows as sim
//! time passes, and pages like the service's.

use crate::sdk::{client, log_target, logs_client, quiet, read_from_head, timed_phases};
use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;
use aws_sdk_cloudwatchlogs::operation::get_log_events::GetLogEventsOutput;
use cbdash_sim::{BuildSpec, SimHandle};

/// A build started now with every phase fixed; its container starts at
/// 12 s and BUILD runs from 21 s for `build` s.
fn timed_build(sim: &SimHandle, build: f64) -> String {
    sim.add_build(BuildSpec {
        phase_secs: timed_phases(build),
        ..BuildSpec::default()
    })
}

fn messages(page: &GetLogEventsOutput) -> Vec<String> {
    let messages = page.events().iter().filter_map(|e| e.message());
    messages.map(String::from).collect()
}

async fn page(
    logs: &aws_sdk_cloudwatchlogs::Client,
    (group, stream): &(String, String),
    token: Option<&str>,
) -> GetLogEventsOutput {
    logs.get_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .start_from_head(true)
        .set_next_token(token.map(String::from))
        .send()
        .await
        .expect("get log events")
}

#[tokio::test]
async fn the_stream_appears_when_the_container_starts() {
    let sim = quiet().await;
    let id = timed_build(&sim, 60.0);
    let target = log_target(&client(&sim), &id).await;
    assert_eq!(target.0, "/aws/codebuild/web-frontend");
    assert_eq!(Some(target.1.as_str()), id.split(':').nth(1));
    let logs = logs_client(&sim);

    sim.advance(11.9);
    let err = logs
        .get_log_events()
        .log_group_name(&target.0)
        .log_stream_name(&target.1)
        .send()
        .await
        .expect_err("no stream during PROVISIONING");
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(
        err.message(),
        Some("The specified log stream does not exist.")
    );
    let typed = err.into_service_error();
    assert!(typed.is_resource_not_found_exception(), "{typed:?}");
    assert!(sim.log_lines(&id).is_empty());

    sim.advance(0.1);
    let first = messages(&page(&logs, &target, None).await);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(
        first[0].starts_with("[Container] 2024/11/23 12:00:12.000"),
        "{}",
        first[0]
    );
    assert!(first[0].ends_with(" Running on CodeBuild On-demand"));
    sim.advance(1.0);
    let lines = sim.log_lines(&id);
    assert!(lines[1].ends_with(" Waiting for agent ping"), "{lines:?}");
    assert!(lines[2].ends_with(" Waiting for DOWNLOAD_SOURCE"));
}

#[tokio::test]
async fn lines_grow_and_the_forward_token_brings_only_new_ones() {
    let sim = quiet().await;
    let id = timed_build(&sim, 120.0);
    let target = log_target(&client(&sim), &id).await;
    let logs = logs_client(&sim);
    sim.advance(30.0);

    let first = page(&logs, &target, None).await;
    let mut seen = messages(&first);
    assert_eq!(seen, sim.log_lines(&id));
    let now_ms = sim.now().timestamp_millis();
    assert!(
        first
            .events()
            .iter()
            .all(|e| e.timestamp().is_some_and(|t| t <= now_ms)
                && e.ingestion_time() >= e.timestamp())
    );

    let mut token = first.next_forward_token().expect("token").to_string();
    assert!(token.starts_with("f/"), "{token}");
    for _ in 0..6 {
        sim.advance(20.0);
        let next = page(&logs, &target, Some(&token)).await;
        let new = messages(&next);
        assert!(!new.is_empty(), "BUILD keeps writing");
        seen.extend(new);
        assert_eq!(seen, sim.log_lines(&id), "only the new lines, in order");
        token = next.next_forward_token().expect("token").to_string();
    }

    // Caught up: no events, and the very same token back.
    let idle = page(&logs, &target, Some(&token)).await;
    assert!(idle.events().is_empty());
    assert_eq!(idle.next_forward_token(), Some(token.as_str()));
}

#[tokio::test]
async fn without_start_from_head_the_newest_page_comes_first() {
    let sim = quiet().await;
    let output: Vec<String> = (1..=50).map(|i| format!("step {i:02}")).collect();
    let id = sim.add_build(BuildSpec {
        phase_secs: timed_phases(60.0),
        output: Some(output),
        ..BuildSpec::default()
    });
    let target = log_target(&client(&sim), &id).await;
    sim.advance(3600.0);
    let all = sim.log_lines(&id);
    let logs = logs_client(&sim);

    let newest = logs
        .get_log_events()
        .log_group_name(&target.0)
        .log_stream_name(&target.1)
        .limit(10)
        .send()
        .await
        .expect("newest page");
    assert_eq!(messages(&newest), all[all.len() - 10..]);
    let last = all.last().expect("lines");
    assert!(
        last.ends_with("Phase context status code:  Message: "),
        "{last}"
    );

    let back = newest.next_backward_token().expect("backward token");
    assert!(back.starts_with("b/"), "{back}");
    let older = logs
        .get_log_events()
        .log_group_name(&target.0)
        .log_stream_name(&target.1)
        .limit(10)
        .next_token(back)
        .send()
        .await
        .expect("older page");
    assert_eq!(messages(&older), all[all.len() - 20..all.len() - 10]);

    // Nothing newer than the newest page yet.
    let forward = newest.next_forward_token().expect("forward token");
    let caught_up = page(&logs, &target, Some(forward)).await;
    assert!(caught_up.events().is_empty());
    assert_eq!(caught_up.next_forward_token(), Some(forward));
}

#[tokio::test]
async fn paging_forward_through_600_lines_reads_each_once_in_order() {
    let sim = quiet().await;
    let output: Vec<String> = (1..=600).map(|i| format!("output line {i:03}")).collect();
    let id = sim.add_build(BuildSpec {
        phase_secs: timed_phases(600.0),
        output: Some(output.clone()),
        ..BuildSpec::default()
    });
    let target = log_target(&client(&sim), &id).await;
    sim.advance(3600.0);
    let logs = logs_client(&sim);

    let read = read_from_head(&logs, &target, 100).await;
    assert_eq!(read, sim.log_lines(&id));
    let printed: Vec<&String> = read.iter().filter(|l| l.starts_with("output ")).collect();
    assert_eq!(printed, output.iter().collect::<Vec<_>>());
    let gets = sim
        .requests()
        .iter()
        .filter(|r| r.operation == "GetLogEvents" && r.status == 200)
        .count();
    assert!(gets >= 7, "pages of 100: {gets}");
}

#[tokio::test]
async fn time_range_filters_events() {
    let sim = quiet().await;
    let id = timed_build(&sim, 60.0);
    let target = log_target(&client(&sim), &id).await;
    sim.advance(3600.0);
    let logs = logs_client(&sim);
    let start = sim.now().timestamp_millis() - 3_600_000;
    // BUILD runs from 21 s to 81 s after the start.
    let (from, to) = (start + 30_000, start + 40_000);
    let window = logs
        .get_log_events()
        .log_group_name(&target.0)
        .log_stream_name(&target.1)
        .start_time(from)
        .end_time(to)
        .start_from_head(true)
        .send()
        .await
        .expect("window");
    assert!(!window.events().is_empty());
    assert!(window
        .events()
        .iter()
        .all(|e| e.timestamp().is_some_and(|t| (from..to).contains(&t))));
}

#[tokio::test]
async fn a_started_build_logs_where_its_override_says() {
    use aws_sdk_codebuild::types::{CloudWatchLogsConfig, LogsConfig, LogsConfigStatusType};
    let sim = quiet().await;
    let client = client(&sim);
    let cloudwatch = |status| {
        CloudWatchLogsConfig::builder()
            .status(status)
            .group_name("/ci/web")
            .stream_name("runs")
            .build()
            .expect("cloudWatchLogs")
    };
    let start = |status| {
        client
            .start_build()
            .project_name("web-frontend")
            .logs_config_override(
                LogsConfig::builder()
                    .cloud_watch_logs(cloudwatch(status))
                    .build(),
            )
            .send()
    };
    let on = start(LogsConfigStatusType::Enabled).await.expect("started");
    let off = start(LogsConfigStatusType::Disabled)
        .await
        .expect("started");
    let id = |out: &aws_sdk_codebuild::operation::start_build::StartBuildOutput| {
        out.build_value()
            .and_then(|b| b.id())
            .map(String::from)
            .expect("id")
    };
    let (on, off) = (id(&on), id(&off));
    let target = log_target(&client, &on).await;
    assert_eq!(target.0, "/ci/web");
    assert_eq!(
        target.1,
        format!("runs/{}", on.split(':').nth(1).unwrap_or_default())
    );
    let logs = logs_client(&sim);
    let read = |target: (String, String)| {
        logs.get_log_events()
            .log_group_name(target.0)
            .log_stream_name(target.1)
            .send()
    };

    // No build has written to the group yet, so it does not exist.
    let err = read(target.clone()).await.expect_err("no group yet");
    assert_eq!(
        err.message(),
        Some("The specified log group does not exist.")
    );
    sim.advance(3600.0);
    let page = read(target).await.expect("stream");
    assert!(!page.events().is_empty());
    assert!(
        sim.log_lines(&off).is_empty(),
        "CloudWatch disabled: no stream"
    );
}
