//! The AWS CLI against the simulator. Needs `aws` on PATH, so it is run by
//! hand: `cargo test --test sim_cli -- --ignored --nocapture`.

mod common;

use std::process::Command;

use cbdash::sim::Scenario;
use common::sdk::frozen;
use serde_json::Value;

fn run(endpoint: &str, args: &[&str]) -> std::process::Output {
    Command::new("aws")
        .args(["--endpoint-url", endpoint, "--output", "json", "codebuild"])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "y")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PAGER", "")
        .output()
        .expect("aws CLI on PATH")
}

fn aws(endpoint: &str, args: &[&str]) -> Value {
    let output = run(endpoint, args);
    assert!(
        output.status.success(),
        "aws {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("CLI prints JSON")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS CLI"]
async fn aws_cli_reads_the_simulator() {
    let sim = frozen(Scenario::Demo).await;
    let endpoint = sim.endpoint_url();
    let ids = tokio::task::spawn_blocking(move || {
        let listed = aws(&endpoint, &["list-builds"]);
        let ids: Vec<String> = listed["ids"]
            .as_array()
            .expect("ids")
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        assert!(ids.len() >= 300, "the CLI follows nextToken itself");
        let mut args = vec!["batch-get-builds", "--ids"];
        args.extend(ids[..3].iter().map(String::as_str));
        let got = aws(&endpoint, &args);
        println!("{}", serde_json::to_string_pretty(&got).unwrap_or_default());
        assert_eq!(got["builds"].as_array().map(Vec::len), Some(3));
        let projects = aws(
            &endpoint,
            &["batch-get-projects", "--names", "web-frontend"],
        );
        assert_eq!(projects["projects"][0]["name"], "web-frontend");
        let missing = run(
            &endpoint,
            &["list-builds-for-project", "--project-name", "nope"],
        );
        let stderr = String::from_utf8_lossy(&missing.stderr);
        assert!(!missing.status.success());
        assert!(stderr.contains("(ResourceNotFoundException)"), "{stderr}");
        ids
    })
    .await
    .expect("CLI run");
    assert!(!ids.is_empty());
}
