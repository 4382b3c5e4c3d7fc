//! Builds and states as the service would describe them, for pure tests.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};

use cbdash::app::{apply, update, Effect, Msg, Settings, State};
use cbdash::domain::Fetched;
use cbdash::domain::{Build, LogLinks, Phase, PhaseContext, Status};

pub use cbdash::domain::PHASE_TYPES as SEQUENCE;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .expect("valid date")
}

/// A build of `project` number `n` that started `mins_ago` minutes before t0.
/// Running builds are in BUILD; finished ones took 5 minutes.
pub fn build(project: &str, n: i64, mins_ago: i64, status: Status) -> Build {
    let id = format!("{project}:{n:08x}-0000-4000-8000-00000000{n:04x}");
    let mut b = Build::new(&id);
    b.number = Some(n);
    b.arn = Some(format!(
        "arn:aws:codebuild:us-east-1:123456789012:build/{id}"
    ));
    b.start = Some(t0() - Duration::minutes(mins_ago));
    b.source_version = Some("refs/heads/main".into());
    b.resolved_source_version = Some("4f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39".into());
    b.initiator = Some("alice".into());
    b.timeout_minutes = Some(60);
    // What a typical build ran with, as BatchGetBuilds reports it.
    b.ran_with = std::sync::Arc::new(cbdash::domain::Overrides {
        source_version: Some("refs/heads/main".into()),
        env_vars: vec![
            cbdash::domain::EnvVar {
                name: "STAGE".into(),
                value: "prod".into(),
                kind: "PLAINTEXT".into(),
            },
            cbdash::domain::EnvVar {
                name: "DB_PASSWORD".into(),
                value: "/prod/db-password".into(),
                kind: "PARAMETER_STORE".into(),
            },
        ],
        compute_type: Some("BUILD_GENERAL1_MEDIUM".into()),
        environment_type: Some("LINUX_CONTAINER".into()),
        image: Some("aws/codebuild/standard:7.0".into()),
        image_pull_credentials_type: Some("CODEBUILD".into()),
        privileged_mode: Some(false),
        timeout_minutes: Some(60),
        queued_timeout_minutes: Some(480),
        git_clone_depth: Some(1),
        report_build_status: Some(true),
        source_type: Some("GITHUB".into()),
        source_location: Some(format!("https://github.com/example/{project}.git")),
        insecure_ssl: Some(false),
        service_role: Some("arn:aws:iam::123456789012:role/service-role/codebuild".into()),
        encryption_key: Some("arn:aws:kms:us-east-1:123456789012:alias/aws/s3".into()),
        cache_type: Some("NO_CACHE".into()),
        ..cbdash::domain::Overrides::default()
    });
    b.logs = LogLinks {
        group: Some(format!("/aws/codebuild/{project}")),
        stream: Some(id.split(':').nth(1).unwrap_or_default().to_string()),
        deep_link: Some(format!("https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252F{project}")),
        s3_deep_link: None,
        cloudwatch_arn: Some(format!("arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/{project}")),
        s3_arn: None,
    };
    let start = b.start.unwrap_or_else(t0);
    let running = status == Status::InProgress;
    let last = if running { 6 } else { 10 };
    let mut at = start;
    for (i, name) in SEQUENCE.iter().enumerate().take(last + 1) {
        let secs = if i == 6 { 150 } else { 15 };
        let is_current = running && i == last;
        let is_marker = i == 10;
        let phase_status = if is_current || is_marker {
            None
        } else if i == 6 && status != Status::Succeeded {
            Some(status.clone())
        } else {
            Some(Status::Succeeded)
        };
        let contexts = match &phase_status {
            Some(Status::Failed) => vec![PhaseContext {
                status_code: "COMMAND_EXECUTION_ERROR".into(),
                message: "Error while executing command: npm test. Reason: exit status 1".into(),
            }],
            _ => Vec::new(),
        };
        let done = !(is_current || is_marker);
        b.phases.push(Phase {
            phase_type: cbdash::domain::phase_type(name),
            status: phase_status,
            start: Some(at),
            end: done.then(|| at + Duration::seconds(secs)),
            duration_secs: done.then_some(secs),
            contexts,
        });
        if done {
            at += Duration::seconds(secs);
        }
    }
    b.current_phase = Some(SEQUENCE[last].to_string());
    b.complete = !running;
    b.status = status;
    if !running {
        b.end = Some(at);
    }
    b
}

/// A state at 160x45 holding `builds`, as after a first poll.
pub fn state_with(builds: Vec<Build>) -> State {
    state_with_history(builds, None)
}

/// Like `state_with`, where the first discovery page ended at `next_token`.
pub fn state_with_history(builds: Vec<Build>, next_token: Option<&str>) -> State {
    let mut state = State::new(
        Settings {
            context: "demo".into(),
            ..Settings::default()
        },
        t0(),
    );
    update(
        &mut state,
        Msg::Resize {
            width: 160,
            height: 45,
        },
    );
    loaded(&mut state, next_token);
    apply(
        &mut state,
        Fetched {
            builds,
            not_found: Vec::new(),
        },
    );
    state
}

/// Marks the first discovery as answered, as after a first poll: every
/// list comes back empty; older history starts at `next_token`.
pub fn loaded(state: &mut State, next_token: Option<&str>) {
    let now = state.now;
    let effects = update(state, Msg::Tick(now));
    answer_lists(state, effects);
    if let Some(token) = next_token {
        state.history.start_at(
            cbdash::app::Resource::Builds,
            &None,
            Some(token.to_string()),
        );
    }
}

/// Answers every list request in `effects` (and those they lead to) with
/// an empty last page; returns the other effects.
pub fn answer_lists(state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
    use cbdash::domain::ListPage;
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    let mut rest = Vec::new();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::List(request) => queue.extend(update(
                state,
                Msg::Listed {
                    request,
                    result: Ok(ListPage::default()),
                },
            )),
            other => rest.push(other),
        }
    }
    rest
}

/// A realistic mix: running, failed, succeeded, timed out, stopped.
pub fn mixed() -> Vec<Build> {
    vec![
        build("web-frontend", 412, 2, Status::InProgress),
        build("api-service", 1088, 7, Status::Failed),
        build("data-pipeline", 97, 52, Status::InProgress),
        build("mobile-app", 230, 95, Status::Succeeded),
        build("infra-terraform", 61, 180, Status::TimedOut),
        build("docs-site", 808, 600, Status::Stopped),
    ]
}

/// `effects` without the metric reads that any message may bring for the
/// build on screen and the running builds.
pub fn actions(effects: Vec<Effect>) -> Vec<Effect> {
    effects
        .into_iter()
        .filter(|e| {
            let inner = match e {
                Effect::At { effect, .. } => effect.as_ref(),
                e => e,
            };
            !matches!(inner, Effect::ListMetrics(_) | Effect::MetricData(_))
        })
        .collect()
}

pub fn key(c: char) -> Msg {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(code: crossterm::event::KeyCode) -> Msg {
    use crossterm::event::{KeyEvent, KeyModifiers};
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn selected_id(state: &State) -> String {
    state
        .list
        .selected()
        .map(|s| s.id().to_string())
        .unwrap_or_default()
}

/// An empty batch discovery page: the scope has no batches.
pub fn no_batches(project: Option<&str>) -> Msg {
    use cbdash::app::{ListRequest, Purpose, Resource};
    use cbdash::domain::ListPage;
    Msg::Listed {
        request: ListRequest {
            resource: Resource::Batches,
            project: project.map(str::to_string),
            next_token: None,
            purpose: Purpose::Poll,
            running_only: false,
        },
        result: Ok(ListPage::default()),
    }
}

/// A group of a fixture batch: name, dependencies, ignoreFailure, and the
/// status of its build (None: not started).
pub type GroupFixture<'a> = (&'a str, &'a [&'a str], bool, Option<Status>);

/// A batch of `project` with the given groups, and the builds of the groups
/// that started (each a fixture build with the batch's ARN).
pub fn batch(
    project: &str,
    n: i64,
    mins_ago: i64,
    groups: &[GroupFixture],
) -> (cbdash::domain::BuildBatch, Vec<Build>) {
    use cbdash::domain::{BuildBatch, BuildGroup, BuildSummary};
    let id = format!("{project}:b{n:07x}-0000-4000-8000-0000000000{n:02x}");
    let arn = format!("arn:aws:codebuild:us-east-1:123456789012:build-batch/{id}");
    let mut b = BuildBatch::new(&id);
    b.arn = Some(arn.clone());
    b.number = Some(n);
    b.start = Some(t0() - Duration::minutes(mins_ago));
    b.source_version = Some("refs/heads/main".into());
    b.initiator = Some("alice".into());
    b.current_phase = Some("IN_PROGRESS".into());
    let mut builds = Vec::new();
    for (i, (name, deps, ignore, status)) in groups.iter().enumerate() {
        let current = status.as_ref().map(|st| {
            let mut gb = build(project, n * 1000 + i as i64, mins_ago - 1, st.clone());
            gb.batch_arn = Some(arn.clone());
            let summary = BuildSummary {
                arn: gb.arn.clone(),
                requested_on: gb.start,
                status: Some(st.clone()),
            };
            builds.push(gb);
            summary
        });
        b.groups.push(BuildGroup {
            identifier: Some(name.to_string()),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
            ignore_failure: *ignore,
            current,
            prior: Vec::new(),
        });
    }
    let running = groups
        .iter()
        .any(|g| g.3.is_none() || g.3 == Some(Status::InProgress));
    b.complete = !running;
    b.status = if running {
        Status::InProgress
    } else {
        Status::Succeeded
    };
    (b, builds)
}

/// A batch whose `n` groups form one chain, each depending on the one
/// before; the first ten succeeded, the eleventh runs, the rest wait.
pub fn chain(n: usize) -> (cbdash::domain::BuildBatch, Vec<Build>) {
    let owned: Vec<String> = (0..n).map(|i| format!("step-{i:06}")).collect();
    let names: Vec<&str> = owned.iter().map(String::as_str).collect();
    let groups: Vec<GroupFixture> = (0..n)
        .map(|i| {
            let status = match i {
                0..10 => Some(Status::Succeeded),
                10 => Some(Status::InProgress),
                _ => None,
            };
            let deps = match i {
                0 => &[][..],
                _ => std::slice::from_ref(&names[i - 1]),
            };
            (names[i], deps, false, status)
        })
        .collect();
    batch("monorepo-ci", 1, 40, &groups)
}

/// The diamond of a typical monorepo pipeline, half-way through.
pub fn diamond() -> (cbdash::domain::BuildBatch, Vec<Build>) {
    batch(
        "monorepo-ci",
        12,
        20,
        &[
            ("lint", &[], false, Some(Status::Succeeded)),
            ("build-api", &["lint"], false, Some(Status::Succeeded)),
            ("build-web", &["lint"], false, Some(Status::InProgress)),
            ("flaky-e2e", &["lint"], true, Some(Status::Failed)),
            ("integration", &["build-api", "build-web"], false, None),
            ("deploy-preview", &["integration"], false, None),
        ],
    )
}

/// A state whose list holds `batch` (selected) and its group builds.
pub fn state_with_batch(batch: cbdash::domain::BuildBatch, builds: Vec<Build>) -> State {
    use cbdash::app::apply_batches;
    use cbdash::domain::FetchedBatches;
    let mut state = state_with(builds);
    apply_batches(
        &mut state,
        FetchedBatches {
            batches: vec![batch],
            not_found: Vec::new(),
        },
    );
    update(&mut state, key('g'));
    state
}

/// The ARNs of the reports `reported()` gives api-service #1088.
pub const TEST_GROUP: &str =
    "arn:aws:codebuild:eu-west-1:123456789012:report-group/api-service-unit-tests";
pub const COVERAGE_GROUP: &str =
    "arn:aws:codebuild:eu-west-1:123456789012:report-group/api-service-coverage";
pub const TEST_REPORT: &str =
    "arn:aws:codebuild:us-east-1:123456789012:report/api-service-unit-tests:7f3e9a10-0000-4000-8000-000000000440";
pub const COVERAGE_REPORT: &str =
    "arn:aws:codebuild:us-east-1:123456789012:report/api-service-coverage:7f3e9a10-0000-4000-8000-000000000441";

fn case(status: &str, suite: &str, name: &str, ms: i64, message: &str) -> cbdash::domain::TestCase {
    cbdash::domain::TestCase {
        report_arn: TEST_REPORT.into(),
        status: status.into(),
        suite: suite.into(),
        name: name.into(),
        duration_ns: Some(ms * 1_000_000),
        message: message.into(),
    }
}

/// api-service #1088's test cases: two failures, then the rest.
pub fn api_cases() -> Vec<cbdash::domain::TestCase> {
    let mut cases = vec![
        case(
            "FAILED",
            "orders::tests",
            "rejects_an_expired_token",
            42,
            "assertion `left == right` failed\n  left: 200\n right: 401\nsrc/orders/auth.rs:88:9",
        ),
        case(
            "FAILED",
            "payments::tests",
            "refunds_are_idempotent",
            1_250,
            "called `Result::unwrap()` on an `Err` value: Conflict(\"refund already issued\")\nsrc/payments/refund.rs:140:41",
        ),
    ];
    for (i, name) in [
        "lists_orders",
        "paginates",
        "creates_an_order",
        "cancels_an_order",
        "health_is_ok",
    ]
    .iter()
    .enumerate()
    {
        cases.push(case(
            "SUCCEEDED",
            "orders::tests",
            name,
            3 + i as i64 * 7,
            "",
        ));
    }
    cases.push(case("SKIPPED", "payments::tests", "settles_in_eur", 0, ""));
    cases
}

/// The mixed builds, api-service #1088 (failed) with a TEST and a
/// CODE_COVERAGE report, selected and its reports answered as the service
/// would: totals, then the first failed cases.
pub fn reported(width: u16, height: u16) -> State {
    let mut builds = mixed();
    builds[1].report_arns = vec![TEST_REPORT.into(), COVERAGE_REPORT.into()];
    let mut state = state_with(builds);
    update(&mut state, Msg::Resize { width, height });
    let effects = update(&mut state, key('j'));
    answer_reports(&mut state, effects);
    state
}

/// Answers BatchGetReports and DescribeTestCases in `effects`, and what
/// they lead to; returns the other effects.
pub fn answer_reports(state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
    use cbdash::domain::{CasePage, Coverage, Report, ReportKind, Totals};
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    let mut rest = Vec::new();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::FetchReports { arns } => {
                let reports = vec![
                    Report {
                        arn: TEST_REPORT.into(),
                        name: "api-service-unit-tests".into(),
                        kind: ReportKind::Test,
                        status: "FAILED".into(),
                        totals: Some(Totals {
                            succeeded: 5,
                            failed: 2,
                            skipped: 1,
                            total: 8,
                            ..Totals::default()
                        }),
                        duration_ns: Some(1_325_000_000),
                        coverage: None,
                        expired: Some(t0() + Duration::days(30)),
                        group_arn: Some(TEST_GROUP.into()),
                    },
                    Report {
                        arn: COVERAGE_REPORT.into(),
                        name: "api-service-coverage".into(),
                        kind: ReportKind::CodeCoverage,
                        status: "SUCCEEDED".into(),
                        totals: None,
                        duration_ns: None,
                        coverage: Some(Coverage {
                            line_pct: Some(81.25),
                            branch_pct: Some(64.0),
                        }),
                        expired: Some(t0() + Duration::days(30)),
                        group_arn: Some(COVERAGE_GROUP.into()),
                    },
                ];
                queue.extend(update(
                    state,
                    Msg::Reports {
                        arns,
                        result: Ok(reports),
                    },
                ));
            }
            Effect::DescribeCases(request) => {
                let cases: Vec<_> = api_cases()
                    .into_iter()
                    .filter(|c| request.status.as_ref().is_none_or(|s| *s == c.status))
                    .filter(|c| {
                        request
                            .keyword
                            .as_ref()
                            .is_none_or(|k| c.name.contains(k.as_str()))
                    })
                    .take(request.max_results as usize)
                    .collect();
                let page = CasePage {
                    cases,
                    next_token: None,
                };
                queue.extend(update(
                    state,
                    Msg::Cases {
                        request,
                        result: Ok(page),
                    },
                ));
            }
            other => rest.push(other),
        }
    }
    rest
}
