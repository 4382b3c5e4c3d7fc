//! CloudWatch's per-build resource metrics through the real SDK client
//! (rpcv2Cbor): ListMetrics finds a build's six metrics by its three
//! dimensions, GetMetricData reads them per minute of the build's life.

use std::collections::BTreeSet;

use aws_sdk_cloudwatch::error::ProvideErrorMetadata;
use aws_sdk_cloudwatch::primitives::DateTime as CwTime;
use aws_sdk_cloudwatch::types::{
    Dimension, DimensionFilter, MetricDataQuery, RecentlyActive, ScanBy, StatusCode,
};
use cbdash_sim::{BuildSpec, Fault, FaultScope};

use crate::sdk::{
    build_dimensions, client, client_as, container_phases, demo, get, metric_points, metric_query,
    metrics_client, metrics_client_in, quiet, raw_post,
};

const SIX: [&str; 6] = [
    "CPUUtilized",
    "CPUUtilizedPercent",
    "MemoryUtilized",
    "MemoryUtilizedPercent",
    "StorageReadBytes",
    "StorageWriteBytes",
];

fn filter(name: &str, value: Option<&str>) -> DimensionFilter {
    DimensionFilter::builder()
        .name(name)
        .set_value(value.map(String::from))
        .build()
}

/// A finished web-frontend build of [`container_phases`], started
/// `secs_ago`: (id, its dimensions).
async fn finished_build(sim: &cbdash_sim::SimHandle, secs_ago: f64) -> (String, Vec<Dimension>) {
    let id = sim.add_build(BuildSpec {
        started_secs_ago: secs_ago,
        phase_secs: container_phases(),
        ..BuildSpec::default()
    });
    let dims = build_dimensions(&client(sim), &id).await;
    (id, dims)
}

fn value_of<'a>(dims: &'a [Dimension], name: &str) -> &'a str {
    dims.iter()
        .find(|d| d.name() == Some(name))
        .and_then(Dimension::value)
        .expect("dimension")
}

#[tokio::test]
async fn list_metrics_finds_a_builds_six_metrics_with_exactly_its_three_dimensions() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    finished_build(&sim, 1700.0).await;
    let cw = metrics_client(&sim);
    let out = cw
        .list_metrics()
        .namespace("AWS/CodeBuild")
        .dimensions(filter("ProjectName", Some("web-frontend")))
        .dimensions(filter("BuildNumber", Some(value_of(&dims, "BuildNumber"))))
        .send()
        .await
        .expect("ListMetrics");
    let names: BTreeSet<&str> = out
        .metrics()
        .iter()
        .filter_map(|m| m.metric_name())
        .collect();
    assert_eq!(names, SIX.into_iter().collect(), "{out:?}");
    assert_eq!(out.metrics().len(), 6);
    for metric in out.metrics() {
        assert_eq!(metric.namespace(), Some("AWS/CodeBuild"));
        assert_eq!(
            metric.dimensions(),
            dims.as_slice(),
            "exactly the three dimensions"
        );
    }
    assert!(value_of(&dims, "BuildId")
        .starts_with("arn:aws:codebuild:us-east-1:123456789012:build/web-frontend:"));
    assert!(out.next_token().is_none());

    // A filter with a name alone matches every build having it.
    let by_name = cw
        .list_metrics()
        .dimensions(filter("ProjectName", Some("web-frontend")))
        .dimensions(filter("BuildId", None))
        .metric_name("MemoryUtilized")
        .send()
        .await
        .expect("ListMetrics");
    assert_eq!(by_name.metrics().len(), 2, "one MemoryUtilized per build");
    let other = cw
        .list_metrics()
        .dimensions(filter("ProjectName", Some("api-service")))
        .send()
        .await
        .expect("ListMetrics");
    assert!(other.metrics().is_empty(), "no api-service builds here");
}

#[tokio::test]
async fn recently_active_lists_only_builds_with_a_datapoint_in_the_last_three_hours() {
    let sim = quiet().await;
    finished_build(&sim, 5.0 * 3600.0).await;
    let (_, recent) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let project = || filter("ProjectName", Some("web-frontend"));
    let all = cw
        .list_metrics()
        .dimensions(project())
        .send()
        .await
        .expect("list");
    // Both builds' metrics two weeks back, and the project's own six.
    let per_build = |out: &aws_sdk_cloudwatch::operation::list_metrics::ListMetricsOutput| {
        out.metrics()
            .iter()
            .filter(|m| m.dimensions().len() == 3)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(per_build(&all).len(), 12, "both builds' metrics");
    assert_eq!(all.metrics().len(), 18, "and the project's");
    let active = cw
        .list_metrics()
        .dimensions(project())
        .recently_active(RecentlyActive::Pt3H)
        .send()
        .await
        .expect("list recent");
    assert_eq!(per_build(&active).len(), 6);
    assert!(per_build(&active)
        .iter()
        .all(|m| m.dimensions() == recent.as_slice()));
    assert_eq!(
        active.metrics().len(),
        12,
        "a build completed in the last three hours"
    );

    let err = cw
        .list_metrics()
        .recently_active(RecentlyActive::from("PT1H"))
        .send()
        .await
        .expect_err("only PT3H");
    assert_eq!(err.code(), Some("InvalidParameterValue"), "{err:?}");
}

#[tokio::test]
async fn list_metrics_pages_at_500_and_every_page_is_new() {
    let sim = demo(7).await;
    let cw = metrics_client(&sim);
    let mut seen = BTreeSet::new();
    let mut token: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let page = cw
            .list_metrics()
            .namespace("AWS/CodeBuild")
            .set_next_token(token.clone())
            .send()
            .await
            .expect("ListMetrics");
        pages.push(page.metrics().len());
        for m in page.metrics() {
            let key = format!("{:?} {:?}", m.metric_name(), m.dimensions());
            assert!(seen.insert(key), "listed twice");
        }
        match page.next_token() {
            Some(next) => token = Some(next.to_string()),
            None => break,
        }
    }
    assert!(pages.len() >= 3, "a week of demo builds: {pages:?}");
    let (last, full) = pages.split_last().expect("pages");
    assert!(full.iter().all(|&n| n == 500), "{pages:?}");
    assert!(*last <= 500 && seen.len() % 6 == 0);

    let err = cw
        .list_metrics()
        .next_token("not-a-token")
        .send()
        .await
        .expect_err("bad token");
    assert_eq!(err.code(), Some("InvalidParameterValue"));
}

#[tokio::test]
async fn a_region_without_resource_metrics_has_builds_but_no_metrics() {
    let sim = demo(7).await;
    let builds = client_as(&sim, "AKIDTEST", "af-south-1")
        .list_builds()
        .send()
        .await
        .expect("ListBuilds");
    let id = builds
        .ids()
        .first()
        .expect("the region's world has builds")
        .clone();
    let dims = build_dimensions(&client_as(&sim, "AKIDTEST", "af-south-1"), &id).await;
    let cw = metrics_client_in(&sim, "af-south-1");
    let listed = cw
        .list_metrics()
        .namespace("AWS/CodeBuild")
        .send()
        .await
        .expect("CloudWatch answers");
    assert!(listed.metrics().is_empty());
    assert!(
        metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Average")
            .await
            .is_empty()
    );
    // The same kind of build in us-east-1 has them.
    let home = client(&sim).list_builds().send().await.expect("ListBuilds");
    let dims = build_dimensions(&client(&sim), &home.ids()[0]).await;
    let cw = metrics_client(&sim);
    let listed = cw
        .list_metrics()
        .namespace("AWS/CodeBuild")
        .send()
        .await
        .expect("list");
    assert_eq!(listed.metrics().len(), 500);
    assert!(
        !metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Average")
            .await
            .is_empty()
    );
}

/// The build's phase spans as (type, start, end) in epoch seconds.
async fn spans(sim: &cbdash_sim::SimHandle, id: &str) -> Vec<(String, i64, i64)> {
    let build = get(&client(sim), id).await;
    build
        .phases()
        .iter()
        .filter_map(|p| {
            Some((
                p.phase_type()?.as_str().to_string(),
                p.start_time()?.secs(),
                p.end_time()?.secs(),
            ))
        })
        .collect()
}

/// The values of the minutes lying wholly inside `phase`.
fn inside(points: &[(i64, f64)], spans: &[(String, i64, i64)], phase: &str) -> Vec<f64> {
    let (_, start, end) = spans.iter().find(|s| s.0 == phase).expect("phase ran");
    points
        .iter()
        .filter(|(t, _)| *t >= *start && t + 60 <= *end)
        .map(|p| p.1)
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[tokio::test]
async fn get_metric_data_has_a_value_a_minute_of_the_container_shaped_by_its_phases() {
    let sim = quiet().await;
    let (id, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let cpu = metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Average").await;
    let spans = spans(&sim, &id).await;
    let container_start = spans.iter().find(|s| s.0 == "DOWNLOAD_SOURCE").unwrap().1;
    let end = get(&client(&sim), &id).await.end_time().unwrap().secs();
    assert_eq!(cpu.first().unwrap().0, container_start / 60 * 60);
    assert_eq!(cpu.last().unwrap().0, (end - 1) / 60 * 60);
    assert!(
        cpu.windows(2).all(|w| w[1].0 - w[0].0 == 60),
        "every minute"
    );
    assert!(cpu.len() >= 19, "{}", cpu.len());

    let finalizing = inside(&cpu, &spans, "FINALIZING");
    let build = inside(&cpu, &spans, "BUILD");
    assert!(finalizing.len() >= 3 && build.len() >= 9);
    assert!(finalizing.iter().all(|v| *v < 2.5), "idle: {finalizing:?}");
    assert!(mean(&build) > 40.0, "web-frontend works hard: {build:?}");
    let distinct: BTreeSet<u64> = build.iter().map(|v| v.to_bits()).collect();
    assert!(distinct.len() > build.len() / 2, "a curve, not a constant");

    // Units follow the compute type: SMALL has 2 vCPUs and 3 GB.
    let units = metric_points(&sim, &cw, &dims, "CPUUtilized", "Average").await;
    for ((t, pct), (u_t, u)) in cpu.iter().zip(&units) {
        assert_eq!(t, u_t);
        assert!((pct / 100.0 * 2048.0 - u).abs() < 1e-6);
    }
    let mb = metric_points(&sim, &cw, &dims, "MemoryUtilized", "Average").await;
    let pct = metric_points(&sim, &cw, &dims, "MemoryUtilizedPercent", "Average").await;
    for ((_, mb), (_, pct)) in mb.iter().zip(&pct) {
        assert!((mb / 3072.0 * 100.0 - pct).abs() < 1e-6);
    }
    let memory_build = inside(&mb, &spans, "BUILD");
    assert!(
        memory_build.last().unwrap() > memory_build.first().unwrap(),
        "memory climbs"
    );
    let writes = metric_points(&sim, &cw, &dims, "StorageWriteBytes", "Average").await;
    let download = inside(&writes, &spans, "DOWNLOAD_SOURCE");
    let idle = inside(&writes, &spans, "FINALIZING");
    assert!(
        download.iter().all(|v| *v > 1e7),
        "cloning writes: {download:?}"
    );
    assert!(idle.iter().all(|v| *v == 0.0));
}

#[tokio::test]
async fn a_subset_of_the_dimensions_finds_no_metric() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let subset: Vec<Dimension> = dims
        .iter()
        .filter(|d| d.name() != Some("BuildNumber"))
        .cloned()
        .collect();
    let project_only: Vec<Dimension> = dims
        .iter()
        .filter(|d| d.name() == Some("ProjectName"))
        .cloned()
        .collect();
    let now = sim.now().timestamp();
    let out = cw
        .get_metric_data()
        .metric_data_queries(metric_query(
            "full",
            "CPUUtilizedPercent",
            &dims,
            "Average",
            60,
        ))
        .metric_data_queries(metric_query(
            "subset",
            "CPUUtilizedPercent",
            &subset,
            "Average",
            60,
        ))
        .metric_data_queries(metric_query(
            "project",
            "CPUUtilizedPercent",
            &project_only,
            "Average",
            60,
        ))
        .start_time(CwTime::from_secs(now - 7200))
        .end_time(CwTime::from_secs(now))
        .send()
        .await
        .expect("GetMetricData");
    let results = out.metric_data_results();
    assert_eq!(results.len(), 3);
    assert!(!results[0].values().is_empty());
    for r in &results[1..] {
        assert!(r.values().is_empty() && r.timestamps().is_empty(), "{r:?}");
        assert_eq!(r.status_code(), Some(&StatusCode::Complete));
        assert_eq!(
            r.label(),
            Some("CPUUtilizedPercent"),
            "labelled by the metric"
        );
    }
}

async fn one_call(
    cw: &aws_sdk_cloudwatch::Client,
    queries: &[MetricDataQuery],
    window: (i64, i64),
    scan: Option<ScanBy>,
    max: Option<i32>,
    token: Option<String>,
) -> aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput {
    cw.get_metric_data()
        .set_metric_data_queries(Some(queries.to_vec()))
        .start_time(CwTime::from_secs(window.0))
        .end_time(CwTime::from_secs(window.1))
        .set_scan_by(scan)
        .set_max_datapoints(max)
        .set_next_token(token)
        .send()
        .await
        .expect("GetMetricData")
}

fn points(r: &aws_sdk_cloudwatch::types::MetricDataResult) -> Vec<(i64, f64)> {
    r.timestamps()
        .iter()
        .map(|t| t.secs())
        .zip(r.values().iter().copied())
        .collect()
}

#[tokio::test]
async fn descending_is_the_default_and_ascending_is_its_reverse() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let now = sim.now().timestamp();
    let queries = [metric_query("mem", "MemoryUtilized", &dims, "Maximum", 60)];
    let default = one_call(&cw, &queries, (now - 7200, now), None, None, None).await;
    let desc = one_call(
        &cw,
        &queries,
        (now - 7200, now),
        Some(ScanBy::TimestampDescending),
        None,
        None,
    )
    .await;
    let asc = one_call(
        &cw,
        &queries,
        (now - 7200, now),
        Some(ScanBy::TimestampAscending),
        None,
        None,
    )
    .await;
    let mut reversed = points(&asc.metric_data_results()[0]);
    assert!(reversed.windows(2).all(|w| w[0].0 < w[1].0));
    reversed.reverse();
    assert_eq!(points(&desc.metric_data_results()[0]), reversed);
    assert_eq!(points(&default.metric_data_results()[0]), reversed);
}

#[tokio::test]
async fn max_datapoints_pages_through_the_same_points_as_one_call() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let (_, other) = finished_build(&sim, 1500.0).await;
    let cw = metrics_client(&sim);
    let now = sim.now().timestamp();
    let queries = [
        metric_query("cpu", "CPUUtilizedPercent", &dims, "Average", 60),
        metric_query("writes", "StorageWriteBytes", &other, "Sum", 120),
        metric_query("mem", "MemoryUtilizedPercent", &dims, "Minimum", 60),
    ];
    let window = (now - 7200, now);
    let whole = one_call(&cw, &queries, window, None, None, None).await;
    assert!(whole.next_token().is_none());
    let mut paged: std::collections::BTreeMap<String, Vec<(i64, f64)>> = Default::default();
    let mut token = None;
    let mut calls = 0;
    loop {
        let page = one_call(&cw, &queries, window, None, Some(7), token).await;
        calls += 1;
        let returned: usize = page
            .metric_data_results()
            .iter()
            .map(|r| r.values().len())
            .sum();
        assert!(returned <= 7);
        for r in page.metric_data_results() {
            paged
                .entry(r.id().unwrap().to_string())
                .or_default()
                .extend(points(r));
        }
        token = page.next_token().map(String::from);
        if token.is_some() {
            assert!(page
                .metric_data_results()
                .iter()
                .any(|r| r.status_code() == Some(&StatusCode::PartialData)));
        } else {
            break;
        }
    }
    let total: usize = whole
        .metric_data_results()
        .iter()
        .map(|r| r.values().len())
        .sum();
    assert!(calls >= total / 7, "{calls} calls for {total} points");
    for r in whole.metric_data_results() {
        assert_eq!(r.status_code(), Some(&StatusCode::Complete));
        assert_eq!(paged[r.id().unwrap()], points(r), "{:?}", r.id());
    }
    let err = cw
        .get_metric_data()
        .set_metric_data_queries(Some(queries.to_vec()))
        .start_time(CwTime::from_secs(window.0))
        .end_time(CwTime::from_secs(window.1))
        .next_token("gmd1.0000000000000000.0.3")
        .send()
        .await
        .expect_err("a token of another request");
    assert_eq!(err.code(), Some("InvalidNextToken"));
    assert!(err.into_service_error().is_invalid_next_token());
}

#[tokio::test]
async fn limits_are_invalid_parameter_values_with_the_query_code() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let now = sim.now().timestamp();
    let q =
        |id: &str, period: i32| metric_query(id, "CPUUtilizedPercent", &dims, "Average", period);
    let many: Vec<MetricDataQuery> = (0..501).map(|i| q(&format!("q{i}"), 60)).collect();
    let expression = MetricDataQuery::builder()
        .id("e1")
        .expression("m1 * 2")
        .build();
    let cases: Vec<(&str, Vec<MetricDataQuery>, (i64, i64))> = vec![
        ("501 queries", many, (now - 3600, now)),
        (
            "an Id starting upper case",
            vec![q("Cpu", 60)],
            (now - 3600, now),
        ),
        (
            "an Id starting with a digit",
            vec![q("1cpu", 60)],
            (now - 3600, now),
        ),
        ("an Id with a dash", vec![q("cpu-1", 60)], (now - 3600, now)),
        (
            "the same Id twice",
            vec![q("a", 60), q("a", 120)],
            (now - 3600, now),
        ),
        ("period 90", vec![q("a", 90)], (now - 3600, now)),
        ("period 30", vec![q("a", 30)], (now - 3600, now)),
        ("start at end", vec![q("a", 60)], (now, now)),
        ("start after end", vec![q("a", 60)], (now, now - 60)),
        ("an expression", vec![expression], (now - 3600, now)),
    ];
    for (case, queries, (start, end)) in cases {
        let err = cw
            .get_metric_data()
            .set_metric_data_queries(Some(queries))
            .start_time(CwTime::from_secs(start))
            .end_time(CwTime::from_secs(end))
            .send()
            .await
            .expect_err(case);
        assert_eq!(err.code(), Some("InvalidParameterValue"), "{case}: {err:?}");
        if case == "an expression" {
            assert!(err
                .message()
                .unwrap()
                .contains("not supported by this simulator"));
        }
    }
    let ok: Vec<MetricDataQuery> = (0..500).map(|i| q(&format!("q{i}"), 60)).collect();
    let out = one_call(&cw, &ok, (now - 3600, now), None, None, None).await;
    assert_eq!(out.metric_data_results().len(), 500, "500 is the limit");
}

#[tokio::test]
async fn return_data_false_leaves_the_query_out_of_the_results() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let now = sim.now().timestamp();
    let hidden = MetricDataQuery::builder()
        .set_metric_stat(
            metric_query("x", "MemoryUtilized", &dims, "Average", 60)
                .metric_stat()
                .cloned(),
        )
        .id("hidden")
        .return_data(false)
        .build();
    let shown = metric_query("shown", "MemoryUtilized", &dims, "Average", 300);
    let out = one_call(&cw, &[hidden, shown], (now - 7200, now), None, None, None).await;
    let ids: Vec<&str> = out
        .metric_data_results()
        .iter()
        .filter_map(|r| r.id())
        .collect();
    assert_eq!(ids, ["shown"]);
}

#[tokio::test]
async fn periods_aggregate_the_minutes_with_the_statistic() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let now = sim.now().timestamp() / 60 * 60;
    let window = (now - 7200, now);
    let stats = ["Average", "Maximum", "Minimum", "Sum", "SampleCount"];
    let queries: Vec<MetricDataQuery> = stats
        .iter()
        .map(|s| metric_query(&s.to_lowercase(), "CPUUtilizedPercent", &dims, s, 300))
        .collect();
    let minutes = [metric_query(
        "raw",
        "CPUUtilizedPercent",
        &dims,
        "Average",
        60,
    )];
    let out = one_call(
        &cw,
        &queries,
        window,
        Some(ScanBy::TimestampAscending),
        None,
        None,
    )
    .await;
    let raw = points(
        &one_call(
            &cw,
            &minutes,
            window,
            Some(ScanBy::TimestampAscending),
            None,
            None,
        )
        .await
        .metric_data_results()[0],
    );
    let r: Vec<Vec<(i64, f64)>> = out.metric_data_results().iter().map(points).collect();
    let (avg, max, min, sum, count) = (&r[0], &r[1], &r[2], &r[3], &r[4]);
    assert_eq!(count.iter().map(|p| p.1).sum::<f64>() as usize, raw.len());
    for i in 0..avg.len() {
        let t = avg[i].0;
        assert_eq!((t - window.0) % 300, 0, "periods start at StartTime");
        let inside: Vec<f64> = raw
            .iter()
            .filter(|p| p.0 >= t && p.0 < t + 300)
            .map(|p| p.1)
            .collect();
        assert_eq!(count[i].1, inside.len() as f64);
        assert!(count[i].1 <= 5.0);
        assert!((sum[i].1 - inside.iter().sum::<f64>()).abs() < 1e-6);
        assert!(min[i].1 <= avg[i].1 && avg[i].1 <= max[i].1);
        assert_eq!(max[i].1, inside.iter().copied().fold(f64::MIN, f64::max));
    }
}

#[tokio::test]
async fn an_injected_access_denied_answers_as_cloudwatch_does() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    sim.inject_for(
        Fault::AccessDenied,
        FaultScope::operation("GetMetricData"),
        1,
    );
    let now = sim.now().timestamp();
    let err = cw
        .get_metric_data()
        .metric_data_queries(metric_query("a", "CPUUtilized", &dims, "Average", 60))
        .start_time(CwTime::from_secs(now - 3600))
        .end_time(CwTime::from_secs(now))
        .send()
        .await
        .expect_err("denied");
    assert_eq!(err.code(), Some("AccessDenied"), "{err:?}");
    assert!(
        err.message().unwrap().contains("cloudwatch:GetMetricData"),
        "{err:?}"
    );

    // The query-compatible header, on the awsJson 1.0 form too.
    sim.inject_for(Fault::AccessDenied, FaultScope::operation("ListMetrics"), 1);
    let (status, head, body) = raw_post(
        &sim,
        "/",
        Some("GraniteServiceVersion20100801.ListMetrics"),
        "{}",
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        head.contains("x-amzn-query-error: accessdenied;sender"),
        "{head}"
    );
    assert!(
        head.contains("content-type: application/x-amz-json-1.0"),
        "{head}"
    );
    assert!(body.contains("cloudwatch:ListMetrics"), "{body}");

    sim.inject_for(Fault::Throttle, FaultScope::operation("ListMetrics"), 1);
    let err = cw.list_metrics().send().await.expect_err("throttled");
    assert_eq!(err.code(), Some("Throttling"));
    sim.inject_for(Fault::ServerError, FaultScope::operation("ListMetrics"), 1);
    let (status, head, _) = raw_post(
        &sim,
        "/",
        Some("GraniteServiceVersion20100801.ListMetrics"),
        "{}",
    )
    .await;
    assert_eq!(status, 500);
    assert!(
        head.contains("x-amzn-query-error: internalserviceerror;receiver"),
        "{head}"
    );
    // Answered normally once the faults are used up: the build's six,
    // its project's six and the account's six.
    assert_eq!(
        cw.list_metrics()
            .send()
            .await
            .expect("list")
            .metrics()
            .len(),
        18
    );
}

#[tokio::test]
async fn unknown_cloudwatch_operations_are_refused_as_the_protocol_does() {
    let sim = quiet().await;
    let cw = metrics_client(&sim);
    let err = cw.describe_alarms().send().await.expect_err("not served");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(404));
    assert_eq!(err.code(), Some("InvalidAction"), "{err:?}");
    let (status, head, _) = raw_post(
        &sim,
        "/",
        Some("GraniteServiceVersion20100801.DescribeAlarms"),
        "{}",
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        head.contains("x-amzn-query-error: invalidaction;sender"),
        "{head}"
    );
}

#[tokio::test]
async fn a_wide_call_stops_at_max_datapoints() {
    let sim = quiet().await;
    let (_, dims) = finished_build(&sim, 1800.0).await;
    let cw = metrics_client(&sim);
    let now = sim.now().timestamp();
    let queries: Vec<MetricDataQuery> = (0..500)
        .map(|i| metric_query(&format!("q{i}"), "StorageReadBytes", &dims, "p90", 60))
        .collect();
    let started = std::time::Instant::now();
    let out = one_call(
        &cw,
        &queries,
        (now - 15 * 86_400, now),
        None,
        Some(100),
        None,
    )
    .await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let returned: usize = out
        .metric_data_results()
        .iter()
        .map(|r| r.values().len())
        .sum();
    assert_eq!(returned, 100);
    assert!(out.next_token().is_some());
    let partial = out
        .metric_data_results()
        .iter()
        .filter(|r| r.status_code() == Some(&StatusCode::PartialData))
        .count();
    assert!(
        partial >= 495,
        "every query past the cut is partial: {partial}"
    );
}
