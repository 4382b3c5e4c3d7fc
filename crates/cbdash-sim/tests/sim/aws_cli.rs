//! The AWS CLI against the simulator: builds, batch builds and build
//! logs (the simulator as a local CodeBuild, through `cbdash sim`, is in
//! the dashboard's tests). Needs `aws` on PATH, so it is run apart: `cargo
//! test -p cbdash-sim --test sim -- --ignored aws_cli`.

use crate::sdk::{cli, cli_json, cli_service, frozen};
use cbdash_sim::Scenario;
use serde_json::Value;

/// A build's CloudWatch log through `aws logs get-log-events`, from the
/// head, as the CLI parses it.
fn read_log(endpoint: &str, builds: &[Value]) {
    // A finished build's stream exists; a new one's may not yet.
    let logs = builds
        .iter()
        .filter(|b| b["buildComplete"] == true)
        .find_map(|b| {
            Some((
                b["logs"]["groupName"].as_str()?,
                b["logs"]["streamName"].as_str()?,
            ))
        })
        .expect("a build with a CloudWatch stream");
    let args = [
        "get-log-events",
        "--log-group-name",
        logs.0,
        "--log-stream-name",
        logs.1,
        "--start-from-head",
        "--limit",
        "20",
    ];
    let output = cli_service(endpoint, "logs", &args);
    assert!(
        output.status.success(),
        "aws logs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page: Value = serde_json::from_slice(&output.stdout).expect("CLI prints JSON");
    let events = page["events"].as_array().expect("events");
    assert!(!events.is_empty() && events.len() <= 20, "{page}");
    assert!(events[0]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("[Container] ")));
    assert!(events.iter().all(|e| e["timestamp"].is_i64()));
    assert!(page["nextForwardToken"]
        .as_str()
        .is_some_and(|t| t.starts_with("f/")));

    let missing = cli_service(
        endpoint,
        "logs",
        &[
            "get-log-events",
            "--log-group-name",
            logs.0,
            "--log-stream-name",
            "nope",
        ],
    );
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success());
    assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
}

/// Batches through the CLI: listing (which pages on its own), a status
/// filter, and the full BuildBatch shape parsed by the CLI's model.
fn read_batches(endpoint: &str) {
    let listed = cli_json(endpoint, &["list-build-batches", "--page-size", "5"]);
    let ids: Vec<&str> = listed["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(ids.len() >= 15, "history plus running batches: {ids:?}");
    let running = cli_json(
        endpoint,
        &["list-build-batches", "--filter", "status=IN_PROGRESS"],
    );
    let running_ids = running["ids"].as_array().map_or(0, Vec::len);
    assert!(running_ids >= 1, "a batch is always running");
    let mut args = vec!["batch-get-build-batches", "--ids"];
    args.extend(&ids[..3]);
    args.push("monorepo-ci:missing");
    let got = cli_json(endpoint, &args);
    let batches = got["buildBatches"].as_array().expect("buildBatches");
    assert_eq!(batches.len(), 3);
    assert_eq!(got["buildBatchesNotFound"][0], "monorepo-ci:missing");
    for batch in batches {
        assert!(batch["arn"]
            .as_str()
            .is_some_and(|a| a.contains(":build-batch/")));
        assert!(batch["phases"].as_array().is_some_and(|p| !p.is_empty()));
        assert!(batch["buildGroups"].is_array());
    }
    let project = cli_json(
        endpoint,
        &[
            "list-build-batches-for-project",
            "--project-name",
            "sdk-matrix",
        ],
    );
    assert!(project["ids"].as_array().is_some_and(|ids| ids
        .iter()
        .all(|id| id.as_str().is_some_and(|id| id.starts_with("sdk-matrix:")))));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS CLI"]
async fn aws_cli_reads_the_simulator() {
    let sim = frozen(Scenario::Demo).await;
    let endpoint = sim.endpoint_url();
    let ids = tokio::task::spawn_blocking(move || {
        let listed = cli_json(&endpoint, &["list-builds"]);
        let ids: Vec<String> = listed["ids"]
            .as_array()
            .expect("ids")
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        assert!(ids.len() >= 300, "the CLI follows nextToken itself");
        let mut args = vec!["batch-get-builds", "--ids"];
        args.extend(ids[..3].iter().map(String::as_str));
        let got = cli_json(&endpoint, &args);
        println!("{}", serde_json::to_string_pretty(&got).unwrap_or_default());
        assert_eq!(got["builds"].as_array().map(Vec::len), Some(3));
        let mut args = vec!["batch-get-builds", "--ids"];
        args.extend(ids[..30].iter().map(String::as_str));
        let recent = cli_json(&endpoint, &args);
        read_log(&endpoint, recent["builds"].as_array().expect("builds"));
        let projects = cli_json(
            &endpoint,
            &["batch-get-projects", "--names", "web-frontend"],
        );
        assert_eq!(projects["projects"][0]["name"], "web-frontend");
        let missing = cli(
            &endpoint,
            &["list-builds-for-project", "--project-name", "nope"],
        );
        let stderr = String::from_utf8_lossy(&missing.stderr);
        assert!(!missing.status.success());
        assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
        read_batches(&endpoint);
        // STS names the account of the key that signed (here the default one).
        let who = cli_service(&endpoint, "sts", &["get-caller-identity"]);
        let who: Value = serde_json::from_slice(&who.stdout).expect("CLI prints JSON");
        assert_eq!(who["Account"], "123456789012", "{who}");
        ids
    })
    .await
    .expect("CLI run");
    assert!(!ids.is_empty());
}

/// `aws cloudwatch <args>`, which must succeed, as the JSON it prints.
fn cloudwatch_json(endpoint: &str, args: &[&str]) -> Value {
    let output = cli_service(endpoint, "cloudwatch", args);
    assert!(
        output.status.success(),
        "aws cloudwatch {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("CLI prints JSON")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS CLI"]
async fn aws_cli_reads_build_metrics_as_the_sdk_does() {
    use aws_sdk_cloudwatch::primitives::DateTime as CwTime;
    use aws_sdk_cloudwatch::types::{DimensionFilter, ScanBy};

    let sim = crate::sdk::quiet().await;
    let id = sim.add_build(cbdash_sim::BuildSpec {
        started_secs_ago: 1800.0,
        phase_secs: crate::sdk::container_phases(),
        ..cbdash_sim::BuildSpec::default()
    });
    let dims = crate::sdk::build_dimensions(&crate::sdk::client(&sim), &id).await;
    let cw = crate::sdk::metrics_client(&sim);
    let listed = cw
        .list_metrics()
        .namespace("AWS/CodeBuild")
        .dimensions(
            DimensionFilter::builder()
                .name("ProjectName")
                .value("web-frontend")
                .build(),
        )
        .send()
        .await
        .expect("ListMetrics");
    let sdk_metrics: Vec<(String, Vec<(String, String)>)> = listed
        .metrics()
        .iter()
        .map(|m| {
            let dims = m
                .dimensions()
                .iter()
                .map(|d| {
                    (
                        d.name().unwrap().to_string(),
                        d.value().unwrap().to_string(),
                    )
                })
                .collect();
            (m.metric_name().unwrap().to_string(), dims)
        })
        .collect();
    let now = sim.now().timestamp();
    let (start, end) = (now - 3600, now);
    let sdk_data = cw
        .get_metric_data()
        .metric_data_queries(crate::sdk::metric_query(
            "mem",
            "MemoryUtilized",
            &dims,
            "Maximum",
            60,
        ))
        .start_time(CwTime::from_secs(start))
        .end_time(CwTime::from_secs(end))
        .scan_by(ScanBy::TimestampAscending)
        .send()
        .await
        .expect("GetMetricData");
    let sdk_result = sdk_data.metric_data_results()[0].clone();
    let sdk_times: Vec<i64> = sdk_result.timestamps().iter().map(|t| t.secs()).collect();
    let sdk_values = sdk_result.values().to_vec();
    assert!(sdk_values.len() >= 19);

    let endpoint = sim.endpoint_url();
    let query = serde_json::json!([{
        "Id": "mem",
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/CodeBuild",
                "MetricName": "MemoryUtilized",
                "Dimensions": dims.iter().map(|d| serde_json::json!({"Name": d.name(), "Value": d.value()})).collect::<Vec<_>>(),
            },
            "Period": 60,
            "Stat": "Maximum",
        },
    }])
    .to_string();
    let iso = |t: i64| chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc3339();
    let (start_text, end_text) = (iso(start), iso(end));
    tokio::task::spawn_blocking(move || {
        let listed = cloudwatch_json(
            &endpoint,
            &[
                "list-metrics",
                "--namespace",
                "AWS/CodeBuild",
                "--dimensions",
                "Name=ProjectName,Value=web-frontend",
            ],
        );
        let cli_metrics: Vec<(String, Vec<(String, String)>)> = listed["Metrics"]
            .as_array()
            .expect("Metrics")
            .iter()
            .map(|m| {
                let dims = m["Dimensions"]
                    .as_array()
                    .expect("Dimensions")
                    .iter()
                    .map(|d| {
                        (
                            d["Name"].as_str().unwrap().to_string(),
                            d["Value"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect();
                (m["MetricName"].as_str().unwrap().to_string(), dims)
            })
            .collect();
        // The build's six, and the project's own six (ProjectName alone).
        assert_eq!(cli_metrics.iter().filter(|(_, d)| d.len() == 3).count(), 6);
        assert_eq!(cli_metrics.len(), 12);
        assert_eq!(cli_metrics, sdk_metrics);

        let data = cloudwatch_json(
            &endpoint,
            &[
                "get-metric-data",
                "--metric-data-queries",
                &query,
                "--start-time",
                &start_text,
                "--end-time",
                &end_text,
                "--scan-by",
                "TimestampAscending",
            ],
        );
        let result = &data["MetricDataResults"][0];
        assert_eq!(result["Id"], "mem");
        assert_eq!(result["StatusCode"], "Complete");
        let values: Vec<f64> = result["Values"]
            .as_array()
            .expect("Values")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        // The CLI prints doubles in its own shortest form: equal to the
        // last bits or so.
        assert_eq!(values.len(), sdk_values.len());
        for (cli, sdk) in values.iter().zip(&sdk_values) {
            assert!((cli - sdk).abs() <= sdk.abs() * 1e-12, "{cli} vs {sdk}");
        }
        let times: Vec<i64> = result["Timestamps"]
            .as_array()
            .expect("Timestamps")
            .iter()
            // CLI v1 prints the wire's epoch seconds as they came (its
            // default cli_timestamp_format); v2 prints ISO 8601.
            .map(|t| match t.as_i64() {
                Some(secs) => secs,
                None => chrono::DateTime::parse_from_rfc3339(t.as_str().expect("text"))
                    .expect("a timestamp")
                    .timestamp(),
            })
            .collect();
        assert_eq!(times, sdk_times);

        let bad = query.replace("\"Period\":60", "\"Period\":90");
        let refused = cli_service(
            &endpoint,
            "cloudwatch",
            &[
                "get-metric-data",
                "--metric-data-queries",
                &bad,
                "--start-time",
                &start_text,
                "--end-time",
                &end_text,
            ],
        );
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(!refused.status.success());
        assert!(stderr.contains("(InvalidParameterValue)"), "{stderr}");
    })
    .await
    .expect("CLI run");
}
