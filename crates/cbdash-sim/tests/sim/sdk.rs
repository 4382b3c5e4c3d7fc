//! The simulator on loopback and the real SDK client pointed at it, with
//! the small readers the simulator's tests share.

use std::time::Duration;

use aws_sdk_codebuild::config::retry::RetryConfig;
use aws_sdk_codebuild::config::timeout::TimeoutConfig;
use aws_sdk_codebuild::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_codebuild::operation::create_project::builders::CreateProjectFluentBuilder;
use aws_sdk_codebuild::primitives::DateTime;
use aws_sdk_codebuild::types::{
    ArtifactsType, Build, BuildBatch, BuildGroup, ComputeType, EnvironmentType,
    EnvironmentVariable, EnvironmentVariableType, Project, ProjectArtifacts, ProjectEnvironment,
    ProjectSource, SortOrderType, SourceType, StatusType,
};
use aws_sdk_codebuild::Client;
use cbdash_sim::{BatchSpec, GroupSpec, Outcome, Scenario, SimConfig, SimHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A finished build's phases in the service's documented order.
pub const SEQUENCE: [&str; 11] = [
    "SUBMITTED",
    "QUEUED",
    "PROVISIONING",
    "DOWNLOAD_SOURCE",
    "INSTALL",
    "PRE_BUILD",
    "BUILD",
    "POST_BUILD",
    "UPLOAD_ARTIFACTS",
    "FINALIZING",
    "COMPLETED",
];

/// A client for `sim` with test credentials, the given retry policy and,
/// when set, a limit on each operation.
pub fn client_with(sim: &SimHandle, retry: RetryConfig, timeout: Option<Duration>) -> Client {
    let mut conf = aws_sdk_codebuild::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(sim.endpoint_url())
        .retry_config(retry);
    if let Some(limit) = timeout {
        conf = conf.timeout_config(TimeoutConfig::builder().operation_timeout(limit).build());
    }
    Client::from_conf(conf.build())
}

/// A client signing as `access_key` for `region`, one attempt per call.
pub fn client_as(sim: &SimHandle, access_key: &str, region: &str) -> Client {
    let conf = aws_sdk_codebuild::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new(access_key, "secret", None, None, "test"))
        .endpoint_url(sim.endpoint_url())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(conf)
}

/// A client for `sim` that makes one attempt per call, so every answer,
/// error or not, reaches the test.
pub fn client(sim: &SimHandle) -> Client {
    client_with(sim, RetryConfig::disabled(), None)
}

pub async fn start(config: SimConfig) -> SimHandle {
    SimHandle::start(config).await.expect("sim starts")
}

/// A simulator of `scenario` whose clock only moves by `advance`.
pub async fn frozen(scenario: Scenario) -> SimHandle {
    start(SimConfig {
        speed: 0.0,
        scenario,
        ..SimConfig::default()
    })
    .await
}

/// A frozen simulator with the projects but no builds.
pub async fn quiet() -> SimHandle {
    frozen(Scenario::Quiet).await
}

/// A frozen demo world grown from `seed`.
pub async fn demo(seed: u64) -> SimHandle {
    start(SimConfig {
        seed,
        speed: 0.0,
        ..SimConfig::default()
    })
    .await
}

/// The build `id`, which must exist.
pub async fn get(client: &Client, id: &str) -> Build {
    let out = client.batch_get_builds().ids(id).send().await.expect("get");
    out.builds().first().cloned().expect("build found")
}

/// The batch `id`, which must exist.
pub async fn get_batch(client: &Client, id: &str) -> BuildBatch {
    let out = client
        .batch_get_build_batches()
        .ids(id)
        .send()
        .await
        .expect("get batch");
    out.build_batches().first().cloned().expect("batch found")
}

/// A phase's type and status as plain strings.
fn phase_row(kind: Option<&str>, status: Option<&StatusType>) -> (String, Option<String>) {
    (
        kind.unwrap_or_default().to_string(),
        status.map(|s| s.as_str().to_string()),
    )
}

/// (phaseType, phaseStatus) of every listed batch phase.
pub fn batch_phases(batch: &BuildBatch) -> Vec<(String, Option<String>)> {
    batch
        .phases()
        .iter()
        .map(|p| phase_row(p.phase_type().map(|t| t.as_str()), p.phase_status()))
        .collect()
}

/// A frozen simulator without builds, a client for it, and a monorepo-ci
/// batch of `groups` started now.
pub async fn batch_of(groups: Vec<GroupSpec>) -> (SimHandle, Client, String) {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_batch(BatchSpec {
        groups,
        ..BatchSpec::default()
    });
    (sim, client, id)
}

/// The batch's group named `identifier`, which must exist.
pub fn group<'a>(batch: &'a BuildBatch, identifier: &str) -> &'a BuildGroup {
    batch
        .build_groups()
        .iter()
        .find(|g| g.identifier() == Some(identifier))
        .unwrap_or_else(|| panic!("no group {identifier}"))
}

/// The id of the group's current build; None while the group waits.
pub fn current_build_id(batch: &BuildBatch, identifier: &str) -> Option<String> {
    let arn = group(batch, identifier).current_build_summary()?.arn()?;
    arn.split_once(":build/").map(|(_, id)| id.to_string())
}

/// Every phase of a group build fixed: 25 s around a BUILD of `build` s.
fn timed(build: f64) -> Option<Vec<(String, f64)>> {
    let phases = [
        ("SUBMITTED", 1.0),
        ("QUEUED", 1.0),
        ("PROVISIONING", 10.0),
        ("DOWNLOAD_SOURCE", 2.0),
        ("INSTALL", 5.0),
        ("PRE_BUILD", 2.0),
        ("BUILD", build),
        ("POST_BUILD", 2.0),
        ("UPLOAD_ARTIFACTS", 1.0),
        ("FINALIZING", 1.0),
    ];
    Some(phases.iter().map(|(p, s)| (p.to_string(), *s)).collect())
}

/// Every phase fixed, as [`node`] plans them: DOWNLOAD_SOURCE starts at
/// 12 s, BUILD at 21 s and lasts `build` s, and the build completes 4 s
/// after BUILD ends.
pub fn timed_phases(build: f64) -> Option<Vec<(String, f64)>> {
    timed(build)
}

/// A batch group that depends on `depends_on` and succeeds.
pub fn node(identifier: &str, depends_on: &[&str], build: f64) -> GroupSpec {
    GroupSpec {
        identifier: identifier.into(),
        depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
        phase_secs: timed(build),
        ..GroupSpec::default()
    }
}

/// `spec`, failing in BUILD instead.
pub fn failing(spec: GroupSpec) -> GroupSpec {
    GroupSpec {
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "make test".into(),
        },
        ..spec
    }
}

/// Every build id, following nextToken to the last page, in `order` (the
/// service's default when `None`).
/// The builds `ids` name, fetched 100 at a time.
pub async fn get_builds(client: &Client, ids: &[String]) -> Vec<Build> {
    let mut builds = Vec::new();
    for chunk in ids.chunks(100) {
        let out = client
            .batch_get_builds()
            .set_ids(Some(chunk.to_vec()))
            .send()
            .await
            .expect("BatchGetBuilds");
        builds.extend(out.builds().iter().cloned());
    }
    builds
}

pub async fn all_build_ids(client: &Client, order: Option<SortOrderType>) -> Vec<String> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_builds()
            .set_sort_order(order.clone())
            .set_next_token(token.clone())
            .send()
            .await
            .expect("list builds");
        assert!(page.ids().len() <= 100, "pages hold at most 100 ids");
        ids.extend(page.ids().iter().cloned());
        match page.next_token() {
            Some(next) => token = Some(next.to_string()),
            None => return ids,
        }
    }
}

/// A timestamp as seconds since the epoch, with the fraction.
pub fn secs(t: &DateTime) -> f64 {
    t.secs() as f64 + f64::from(t.subsec_nanos()) / 1e9
}

/// (phaseType, phaseStatus, durationInSeconds) of every listed phase.
pub fn phases(build: &Build) -> Vec<(String, Option<String>, Option<i64>)> {
    build
        .phases()
        .iter()
        .map(|p| {
            let (kind, status) = phase_row(p.phase_type().map(|t| t.as_str()), p.phase_status());
            (kind, status, p.duration_in_seconds())
        })
        .collect()
}

/// The phaseType of every listed phase.
pub fn types(build: &Build) -> Vec<String> {
    phases(build).into_iter().map(|p| p.0).collect()
}

pub fn var(name: &str, value: &str, kind: EnvironmentVariableType) -> EnvironmentVariable {
    EnvironmentVariable::builder()
        .name(name)
        .value(value)
        .r#type(kind)
        .build()
        .expect("variable")
}

/// One raw HTTP/1.1 POST to `path`, with `target` as X-Amz-Target when set:
/// (status, lower-cased head, body).
pub async fn raw_post(
    sim: &SimHandle,
    path: &str,
    target: Option<&str>,
    body: &str,
) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(sim.addr())
        .await
        .expect("connect");
    let target = target
        .map(|t| format!("X-Amz-Target: {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n{target}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// A CloudWatch Logs client for `sim`, built like [`client`]: test
/// credentials and one attempt per call.
pub fn logs_client(sim: &SimHandle) -> aws_sdk_cloudwatchlogs::Client {
    use aws_sdk_cloudwatchlogs::config::retry::RetryConfig;
    use aws_sdk_cloudwatchlogs::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_cloudwatchlogs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(sim.endpoint_url())
        .retry_config(RetryConfig::disabled())
        .build();
    aws_sdk_cloudwatchlogs::Client::from_conf(conf)
}

/// (group, stream) of the build's CloudWatch log, as its `logs` names them.
pub async fn log_target(client: &Client, id: &str) -> (String, String) {
    let build = get(client, id).await;
    let logs = build.logs().expect("logs");
    (
        logs.group_name().expect("group").to_string(),
        logs.stream_name().expect("stream").to_string(),
    )
}

/// Every message of a stream, read from the head in pages of `limit` by
/// following nextForwardToken until it comes back unchanged.
pub async fn read_from_head(
    logs: &aws_sdk_cloudwatchlogs::Client,
    (group, stream): &(String, String),
    limit: i32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = logs
            .get_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .start_from_head(true)
            .limit(limit)
            .set_next_token(token.clone())
            .send()
            .await
            .expect("get log events");
        assert!(page.events().len() <= limit as usize, "limit honoured");
        lines.extend(
            page.events()
                .iter()
                .filter_map(|e| e.message().map(String::from)),
        );
        let next = page.next_forward_token().map(String::from);
        if next.is_none() || next == token {
            return lines;
        }
        token = next;
    }
}

/// The service role every test project names.
pub const ROLE: &str = "arn:aws:iam::123456789012:role/service-role/codebuild-test";

/// A CreateProject call for `name` with only what the model requires: a
/// GitHub source, no artifacts, a small Linux container.
pub fn new_project(client: &Client, name: &str) -> CreateProjectFluentBuilder {
    let source = ProjectSource::builder()
        .r#type(SourceType::Github)
        .location(format!("https://github.com/example/{name}.git"))
        .build()
        .expect("source");
    let artifacts = ProjectArtifacts::builder()
        .r#type(ArtifactsType::NoArtifacts)
        .build()
        .expect("artifacts");
    let environment = ProjectEnvironment::builder()
        .r#type(EnvironmentType::LinuxContainer)
        .image("aws/codebuild/standard:7.0")
        .compute_type(ComputeType::BuildGeneral1Small)
        .build()
        .expect("environment");
    client
        .create_project()
        .name(name)
        .source(source)
        .artifacts(artifacts)
        .environment(environment)
        .service_role(ROLE)
}

/// Creates the project [`new_project`] describes.
pub async fn create_project(client: &Client, name: &str) -> Project {
    let out = new_project(client, name)
        .send()
        .await
        .expect("CreateProject");
    out.project().cloned().expect("project")
}

/// One CodeBuild call as raw JSON, bypassing the SDK's own checks:
/// (status, parsed body).
pub async fn call(
    sim: &SimHandle,
    operation: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let target = format!("CodeBuild_20161006.{operation}");
    let (status, _, text) = raw_post(sim, "/", Some(&target), &body.to_string()).await;
    let parsed = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    (status, parsed)
}

/// The AWS CLI's `service` command against `endpoint`, with test
/// credentials and JSON output.
pub fn cli_service(endpoint: &str, service: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new("aws")
        .args(["--endpoint-url", endpoint, "--output", "json", service])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "y")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PAGER", "")
        .output()
        .expect("aws CLI on PATH")
}

/// `aws codebuild <args>` against `endpoint`.
pub fn cli(endpoint: &str, args: &[&str]) -> std::process::Output {
    cli_service(endpoint, "codebuild", args)
}

/// `aws codebuild <args>`, which must succeed, as the JSON it prints.
pub fn cli_json(endpoint: &str, args: &[&str]) -> serde_json::Value {
    let output = cli(endpoint, args);
    assert!(
        output.status.success(),
        "aws {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("CLI prints JSON")
}

/// A CloudWatch client for `sim` in `region`, built like [`client`]: test
/// credentials and one attempt per call. It speaks rpcv2Cbor.
pub fn metrics_client_in(sim: &SimHandle, region: &str) -> aws_sdk_cloudwatch::Client {
    use aws_sdk_cloudwatch::config::retry::RetryConfig;
    use aws_sdk_cloudwatch::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_cloudwatch::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(sim.endpoint_url())
        .retry_config(RetryConfig::disabled())
        .build();
    aws_sdk_cloudwatch::Client::from_conf(conf)
}

/// A CloudWatch client for `sim`'s default world (us-east-1).
pub fn metrics_client(sim: &SimHandle) -> aws_sdk_cloudwatch::Client {
    metrics_client_in(sim, "us-east-1")
}

/// The three dimensions that name the build's resource metrics: BuildId
/// (its ARN), BuildNumber and ProjectName.
pub async fn build_dimensions(
    client: &Client,
    id: &str,
) -> Vec<aws_sdk_cloudwatch::types::Dimension> {
    use aws_sdk_cloudwatch::types::Dimension;
    let build = get(client, id).await;
    let dim = |name: &str, value: String| Dimension::builder().name(name).value(value).build();
    vec![
        dim("BuildId", build.arn().expect("arn").to_string()),
        dim(
            "BuildNumber",
            build.build_number().expect("number").to_string(),
        ),
        dim(
            "ProjectName",
            build.project_name().expect("project").to_string(),
        ),
    ]
}

/// One AWS/CodeBuild MetricStat query.
pub fn metric_query(
    id: &str,
    metric: &str,
    dimensions: &[aws_sdk_cloudwatch::types::Dimension],
    stat: &str,
    period: i32,
) -> aws_sdk_cloudwatch::types::MetricDataQuery {
    use aws_sdk_cloudwatch::types::{Metric, MetricDataQuery, MetricStat};
    let metric = Metric::builder()
        .namespace("AWS/CodeBuild")
        .metric_name(metric)
        .set_dimensions(Some(dimensions.to_vec()))
        .build();
    let stat = MetricStat::builder()
        .metric(metric)
        .period(period)
        .stat(stat)
        .build();
    MetricDataQuery::builder().id(id).metric_stat(stat).build()
}

/// (epoch seconds, value) of one metric of the build `dimensions` name,
/// oldest first, from an hour before `sim`'s now to an hour after.
pub async fn metric_points(
    sim: &SimHandle,
    cw: &aws_sdk_cloudwatch::Client,
    dimensions: &[aws_sdk_cloudwatch::types::Dimension],
    metric: &str,
    stat: &str,
) -> Vec<(i64, f64)> {
    use aws_sdk_cloudwatch::primitives::DateTime as CwTime;
    use aws_sdk_cloudwatch::types::ScanBy;
    let now = sim.now().timestamp();
    let out = cw
        .get_metric_data()
        .metric_data_queries(metric_query("m", metric, dimensions, stat, 60))
        .start_time(CwTime::from_secs(now - 3 * 3600))
        .end_time(CwTime::from_secs(now + 3600))
        .scan_by(ScanBy::TimestampAscending)
        .send()
        .await
        .expect("GetMetricData");
    let result = out
        .metric_data_results()
        .first()
        .cloned()
        .expect("a result");
    result
        .timestamps()
        .iter()
        .map(|t| t.secs())
        .zip(result.values().iter().copied())
        .collect()
}

/// Phases of a build that runs 20 minutes in its container: two minutes
/// to download, two to install, one pre-build, ten of BUILD, a minute of
/// post-build and upload, and four minutes finalizing.
pub fn container_phases() -> Option<Vec<(String, f64)>> {
    let phases = [
        ("SUBMITTED", 1.0),
        ("QUEUED", 1.0),
        ("PROVISIONING", 28.0),
        ("DOWNLOAD_SOURCE", 120.0),
        ("INSTALL", 120.0),
        ("PRE_BUILD", 60.0),
        ("BUILD", 600.0),
        ("POST_BUILD", 40.0),
        ("UPLOAD_ARTIFACTS", 20.0),
        ("FINALIZING", 240.0),
    ];
    Some(phases.iter().map(|(p, s)| (p.to_string(), *s)).collect())
}
