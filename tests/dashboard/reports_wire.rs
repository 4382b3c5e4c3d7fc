//! Test reports through the wire: asked for when a build with reports is
//! looked at (never for the whole list, never again once final), shown in
//! its details with the first failed tests.

use crate::common::fixtures::key;
use crate::common::render::screen;
use crate::common::wire::Wire;
use cbdash::app::Row;
use cbdash_sim::{BuildSpec, Outcome, Scenario};

fn tests_fail(project: &str, command: &str, secs_ago: f64) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        started_secs_ago: secs_ago,
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: command.into(),
        },
        ..BuildSpec::default()
    }
}

fn passes(project: &str, secs_ago: f64) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        started_secs_ago: secs_ago,
        outcome: Outcome::Succeed,
        ..BuildSpec::default()
    }
}

fn count(calls: &[String], operation: &str) -> usize {
    calls.iter().filter(|c| *c == operation).count()
}

#[tokio::test]
async fn a_failed_build_selected_lists_its_failed_tests_in_its_details() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w
        .sim
        .add_build(tests_fail("data-pipeline", "pytest -q", 3600.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let text = screen(&w.state, 200, 50);
    for shown in [
        "data-pipeline-pytest  FAILED  19 passed · 2 failed · 2 skipped",
        "tests/test_load.py › test_partition_dates_are_utc: DeprecationWarning:",
        "tests/test_schedule.py › test_backfill_window: AttributeError: module 'distutils'",
        "data-pipeline-coverage  SUCCEEDED  line 60.0 % ▅ · branch 49.8 %",
    ] {
        assert!(text.contains(shown), "{shown:?} in\n{text}");
    }
    // One report call for the build, one for its first few failures.
    let asked = w.sim.requests();
    let cases = asked.iter().find(|r| r.operation == "DescribeTestCases");
    let body = &cases.expect("DescribeTestCases").body;
    assert_eq!(body["filter"]["status"], "FAILED", "{body}");
    assert!(
        body["maxResults"].as_i64().is_some_and(|n| n <= 10),
        "{body}"
    );
    // Then the reports are final: never asked for again.
    let calls = w.take_calls();
    assert_eq!(count(&calls, "BatchGetReports"), 1, "{calls:?}");
    assert_eq!(count(&calls, "DescribeTestCases"), 1, "{calls:?}");
    for _ in 0..3 {
        w.send(key('k')).await;
        w.cycle().await;
    }
    let calls = w.take_calls();
    assert_eq!(count(&calls, "BatchGetReports"), 0, "{calls:?}");
    assert_eq!(count(&calls, "DescribeTestCases"), 0, "{calls:?}");
}

#[tokio::test]
async fn a_passing_build_shows_its_totals_and_asks_for_no_test_cases() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(passes("web-frontend", 3600.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("web-frontend-jest  SUCCEEDED"), "{text}");
    assert!(!text.contains(" failed"), "{text}");
    let calls = w.take_calls();
    assert_eq!(count(&calls, "DescribeTestCases"), 0, "{calls:?}");
}

#[tokio::test]
async fn reports_are_read_only_for_the_builds_looked_at_once_each() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    // Ten passing builds, then ten failed ones (newest, at the top).
    for i in 0..10 {
        w.sim
            .add_build(passes("web-frontend", 90_000.0 - f64::from(i) * 60.0));
    }
    for i in 0..10 {
        w.sim.add_build(tests_fail(
            "data-pipeline",
            "pytest -q",
            7200.0 - f64::from(i) * 60.0,
        ));
    }
    w.settle_discovery(10).await;
    for _ in 0..3 {
        w.cycle().await;
    }
    assert_eq!(w.state.store.builds.len(), 20);
    // Only the build selected at start-up (the newest, failed) is read.
    let calls = w.take_calls();
    assert_eq!(count(&calls, "BatchGetReports"), 1, "{calls:?}");
    assert_eq!(count(&calls, "DescribeTestCases"), 1, "{calls:?}");
    // Looking at the other nine failed builds, down and back up again.
    for _ in 0..9 {
        w.send(key('j')).await;
    }
    for _ in 0..9 {
        w.send(key('k')).await;
    }
    w.cycle().await;
    let calls = w.take_calls();
    let (reports, cases) = (
        count(&calls, "BatchGetReports"),
        count(&calls, "DescribeTestCases"),
    );
    println!(
        "looking at 9 more failed builds: {reports} BatchGetReports, {cases} DescribeTestCases"
    );
    assert_eq!((reports, cases), (9, 9), "{calls:?}");
    // The passing builds were never looked at: none of their reports read.
    let asked: Vec<String> = w
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.operation == "BatchGetReports")
        .map(|r| r.body.to_string())
        .collect();
    assert!(
        asked.iter().all(|b| !b.contains("web-frontend")),
        "{asked:?}"
    );
}

/// A failed data-pipeline build loaded and selected, cases read `page` at a time.
async fn failed_build_selected(page: i32) -> (Wire, String) {
    let settings = cbdash::app::Settings {
        context: "test".into(),
        case_page: page,
        ..cbdash::app::Settings::default()
    };
    let mut w = Wire::start_with(Scenario::Quiet, settings).await;
    let id = w
        .sim
        .add_build(tests_fail("data-pipeline", "pytest -q", 3600.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    w.sim.clear_requests();
    (w, id)
}

fn case_requests(w: &Wire) -> Vec<serde_json::Value> {
    w.sim
        .requests()
        .into_iter()
        .filter(|r| r.operation == "DescribeTestCases")
        .map(|r| r.body)
        .collect()
}

#[tokio::test]
async fn the_test_cases_view_reads_every_page_failures_first() {
    let (mut w, _) = failed_build_selected(7).await;
    w.send(key('t')).await;
    let view = w
        .state
        .overlay
        .tests()
        .expect("the test cases view is open");
    let statuses: Vec<&str> = view.cases.iter().map(|c| c.status.as_str()).collect();
    // 19 passed, 2 failed, 2 skipped: each case once, the failures first.
    assert_eq!(statuses.len(), 23, "{statuses:?}");
    assert_eq!(&statuses[..2], ["FAILED", "FAILED"], "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == "FAILED").count(), 2);
    assert!(!view.loading());
    let asked = case_requests(&w);
    // FAILED in one page, then the whole report in pages of 7.
    assert_eq!(asked.len(), 1 + 23usize.div_ceil(7), "{asked:?}");
    assert_eq!(asked[0]["filter"]["status"], "FAILED");
    assert!(asked.iter().all(|b| b["maxResults"] == 7), "{asked:?}");
    assert!(asked[1].get("nextToken").is_none() && asked[2]["nextToken"].is_string());
    let text = screen(&w.state, 200, 50);
    assert!(
        text.contains("Tests · data-pipeline #1 · 2 failed of 23"),
        "{text}"
    );
    // The selected failure's whole message: the assertion and its stack line.
    assert!(text.contains("DeprecationWarning"), "{text}");
    assert!(text.contains("      src/pipeline/load.py:57"), "{text}");
}

#[tokio::test]
async fn a_keyword_is_searched_by_the_service() {
    let (mut w, _) = failed_build_selected(100).await;
    w.send(key('t')).await;
    w.sim.clear_requests();
    w.send(key('/')).await;
    for c in "backfill".chars() {
        w.send(key(c)).await;
    }
    w.send(crate::common::fixtures::code(
        crossterm::event::KeyCode::Enter,
    ))
    .await;
    let view = w.state.overlay.tests().expect("the view stays open");
    let names: Vec<&str> = view.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["test_backfill_window"]);
    let asked = case_requests(&w);
    assert!(!asked.is_empty());
    assert!(
        asked.iter().all(|b| b["filter"]["keyword"] == "backfill"),
        "{asked:?}"
    );
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("contains “backfill”"), "{text}");
}

#[tokio::test]
async fn enter_on_a_failed_test_opens_the_log_at_the_line_naming_it() {
    let (mut w, _) = failed_build_selected(100).await;
    w.send(key('t')).await;
    w.send(key('j')).await;
    let name = w
        .state
        .overlay
        .tests()
        .unwrap()
        .selected()
        .unwrap()
        .name
        .clone();
    assert_eq!(name, "test_backfill_window");
    w.send(crate::common::fixtures::code(
        crossterm::event::KeyCode::Enter,
    ))
    .await;
    let log = w.state.overlay.log_view().expect("the log view is open");
    assert_eq!(log.query, name);
    let at = log.current.expect("on a match");
    let line = log.matches[at].line;
    assert_eq!(at, 0, "the first line naming it");
    let text = screen(&w.state, 200, 50);
    assert!(text.contains(&name), "{text}");
    assert!(log.offset <= line, "the line is on screen");
    // Esc goes back to the test cases, on the same test.
    w.send(crate::common::fixtures::code(
        crossterm::event::KeyCode::Esc,
    ))
    .await;
    let tests = w.state.overlay.tests().expect("back in the test cases");
    assert_eq!(
        tests.selected().map(|c| c.name.as_str()),
        Some("test_backfill_window")
    );
}

#[tokio::test]
async fn an_expired_report_says_its_test_cases_are_gone() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w
        .sim
        .add_build(tests_fail("data-pipeline", "pytest -q", 31.0 * 86_400.0));
    w.run(vec![cbdash::app::Effect::Fetch {
        purpose: cbdash::app::Purpose::Detail,
        ids: vec![id.clone()],
    }])
    .await;
    w.state.refresh_list();
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let details = screen(&w.state, 200, 50);
    assert!(
        details.contains("(expired: test cases deleted)"),
        "{details}"
    );
    w.sim.clear_requests();
    w.send(key('t')).await;
    let text = screen(&w.state, 200, 50);
    assert!(
        text.contains("data-pipeline-pytest: expired, its test cases were deleted after 30 days"),
        "{text}"
    );
    // Nothing to read from an expired report.
    assert!(case_requests(&w).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_prints_the_failed_tests_after_the_failing_phase() {
    // The simulator's clock on the machine's: watch reads it, and a report
    // of a frozen clock's past would look expired.
    let sim = cbdash_sim::SimHandle::start(cbdash_sim::SimConfig {
        speed: 1.0,
        scenario: Scenario::Quiet,
        ..cbdash_sim::SimConfig::default()
    })
    .await
    .expect("simulator");
    let id = sim.add_build(tests_fail("data-pipeline", "pytest -q", 3600.0));
    let out = crate::watch_cli::cbdash(&sim, &["watch", &id]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let context = lines
        .iter()
        .position(|l| l.contains("Error while executing command: pytest -q"))
        .expect("the failing phase's context");
    let report = lines
        .iter()
        .position(|l| {
            l.starts_with("data-pipeline-pytest FAILED: ") && l.contains(" passed · 2 failed")
        })
        .unwrap_or_else(|| panic!("the report's totals in {stderr}"));
    assert!(context < report, "{stderr}");
    assert!(
        lines.contains(&"  FAILED tests/test_load.py > test_partition_dates_are_utc: DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version. Use timezone-aware objects to represent datetimes in UTC: datetime.datetime.now(datetime.UTC)."),
        "{stderr}"
    );
    assert!(
        lines.iter().any(|l| l
            .starts_with("  FAILED tests/test_schedule.py > test_backfill_window: AttributeError")),
        "{stderr}"
    );
    // Two failures, both shown: nothing more to say.
    assert!(!stderr.contains("more"), "{stderr}");
    let ops: Vec<String> = sim.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(count(&ops, "BatchGetReports"), 1, "{ops:?}");
    assert_eq!(count(&ops, "DescribeTestCases"), 1, "{ops:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_json_gives_report_totals_for_a_call_per_hundred_reports_and_text_ls_none() {
    let w = Wire::start(Scenario::Quiet, &[]).await;
    for i in 0..5 {
        w.sim.add_build(tests_fail(
            "data-pipeline",
            "pytest -q",
            3600.0 + f64::from(i) * 60.0,
        ));
    }
    let out = crate::watch_cli::cbdash(&w.sim, &["ls"]).await;
    assert_eq!(out.status.code(), Some(0));
    let ops: Vec<String> = w.sim.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(count(&ops, "BatchGetReports"), 0, "text ls: {ops:?}");

    let out = crate::watch_cli::cbdash(&w.sim, &["ls", "--json"]).await;
    assert_eq!(out.status.code(), Some(0));
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let items = items.as_array().expect("an array");
    assert_eq!(items.len(), 5);
    for item in items {
        let reports = item["reports"].as_array().expect("report totals");
        let test = reports
            .iter()
            .find(|r| r["name"] == "data-pipeline-pytest")
            .unwrap_or_else(|| panic!("the TEST report in {item}"));
        assert_eq!(test["status"], "FAILED", "{item}");
        assert_eq!(test["totals"]["failed"], 2, "{item}");
    }
    let ops: Vec<String> = w.sim.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(
        count(&ops, "BatchGetReports"),
        1,
        "five builds' reports in one call: {ops:?}"
    );
    assert_eq!(count(&ops, "DescribeTestCases"), 0, "{ops:?}");
}

#[tokio::test]
async fn a_watched_build_that_fails_has_its_reports_read_though_not_selected() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    w.sim.add_build(passes("infra-terraform", 7200.0));
    let id = w
        .sim
        .add_build(tests_fail("data-pipeline", "pytest -q", 30.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('w')).await;
    // The user looks at the other build while this one runs.
    w.send(key('j')).await;
    assert_ne!(crate::common::fixtures::selected_id(&w.state), id);
    w.take_calls();
    let mut calls = Vec::new();
    for _ in 0..60 {
        w.advance(60).await;
        calls.extend(w.take_calls());
        if w.state.store.get(&id).is_some_and(|b| b.complete) {
            break;
        }
    }
    let build = w.state.store.get(&id).expect("loaded").clone();
    assert!(build.complete && !build.report_arns.is_empty());
    assert_eq!(count(&calls, "BatchGetReports"), 1, "{calls:?}");
    assert_eq!(count(&calls, "DescribeTestCases"), 1, "{calls:?}");
    let failed: Vec<&str> = build
        .report_arns
        .iter()
        .filter_map(|a| w.state.reports.failed.get(a))
        .flatten()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        failed,
        ["test_partition_dates_are_utc", "test_backfill_window"]
    );
}

/// BatchGetReports of `arns`, answered with `body` by the simulator.
async fn reports_answered(
    body: &str,
    arns: &[&str],
) -> Result<Vec<cbdash::domain::Report>, cbdash::domain::ApiError> {
    let w = Wire::start(Scenario::Quiet, &[]).await;
    w.sim.inject(
        cbdash_sim::Fault::RawBody {
            status: 200,
            body: body.to_string(),
        },
        1,
    );
    let effect = cbdash::app::Effect::FetchReports {
        arns: arns.iter().map(|a| a.to_string()).collect(),
    };
    match cbdash::runtime::execute::execute_one(&w.api, None, effect).await {
        Some(cbdash::app::Msg::Reports { result, .. }) => result,
        other => panic!("BatchGetReports answers with Reports: {other:?}"),
    }
}

#[tokio::test]
async fn report_types_and_statuses_newer_than_the_program_are_kept() {
    let arn = "arn:aws:codebuild:us-east-1:123456789012:report/perf:1";
    let body = format!(
        r#"{{"reports":[{{"arn":"{arn}","type":"PERFORMANCE","status":"ARCHIVED","name":"perf",
        "testSummary":{{"total":5,"statusCounts":{{"FLAKY":3,"SUCCEEDED":2}},"durationInNanoSeconds":5000}}}}]}}"#
    );
    let reports = reports_answered(&body, &[arn]).await.expect("answered");
    let r = &reports[0];
    assert_eq!(
        r.kind,
        cbdash::domain::ReportKind::Other("PERFORMANCE".into())
    );
    assert_eq!(r.status, "ARCHIVED");
    assert!(
        !r.is_final(),
        "an unknown status is asked again when its build ends"
    );
    let totals = r.totals.as_ref().expect("totals");
    assert_eq!((totals.succeeded, totals.other, totals.total), (2, 3, 5));
    assert_eq!(totals.describe(), "2 passed · 3 other");
}

#[tokio::test]
async fn an_answer_that_leaves_out_a_report_is_an_error() {
    let arn = "arn:aws:codebuild:us-east-1:123456789012:report/g:1";
    let err = reports_answered("{}", &[arn]).await.expect_err("malformed");
    assert!(
        err.to_string()
            .contains("BatchGetReports answered for 0 of the 1 reports asked for"),
        "{err}"
    );
}

#[tokio::test]
async fn a_report_still_generating_is_read_once_more_when_its_build_ends() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let phases = [
        ("QUEUED", 5.0),
        ("PROVISIONING", 20.0),
        ("DOWNLOAD_SOURCE", 5.0),
        ("INSTALL", 5.0),
        ("PRE_BUILD", 5.0),
        ("BUILD", 60.0),
        ("POST_BUILD", 5.0),
        ("UPLOAD_ARTIFACTS", 900.0),
    ];
    let id = w.sim.add_build(BuildSpec {
        phase_secs: Some(phases.iter().map(|(p, s)| (p.to_string(), *s)).collect()),
        ..passes("web-frontend", 600.0)
    });
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("web-frontend-jest  GENERATING"), "{text}");
    w.send(key('t')).await;
    let text = screen(&w.state, 200, 50);
    assert!(
        text.contains(
            "web-frontend-jest: still being generated, its test cases come when the build ends"
        ),
        "{text}"
    );
    w.send(crate::common::fixtures::code(
        crossterm::event::KeyCode::Esc,
    ))
    .await;
    w.take_calls();
    // Polls while it uploads ask nothing; its end asks once more.
    let mut calls = Vec::new();
    for _ in 0..40 {
        w.advance(60).await;
        calls.extend(w.take_calls());
    }
    assert!(w.state.store.get(&id).is_some_and(|b| b.complete));
    assert_eq!(count(&calls, "BatchGetReports"), 1, "{calls:?}");
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("web-frontend-jest  SUCCEEDED"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_shows_ten_failed_tests_then_how_many_more() {
    use cbdash_sim::{Fault, FaultScope};
    use serde_json::json;
    let sim = cbdash_sim::SimHandle::start(cbdash_sim::SimConfig {
        speed: 1.0,
        scenario: Scenario::Quiet,
        ..cbdash_sim::SimConfig::default()
    })
    .await
    .expect("simulator");
    let id = sim.add_build(tests_fail("data-pipeline", "pytest -q", 3600.0));
    let client = crate::common::sdk::client(&sim);
    let build = crate::common::sdk::get(&client, &id).await;
    let arns = build.report_arns().to_vec();
    // A report with 25 failures: the service answers 10 of them (maxResults).
    let report = json!({"reports": [{
        "arn": arns[0], "type": "TEST", "status": "FAILED", "name": "big-suite",
        "testSummary": {"total": 40, "statusCounts": {"FAILED": 25, "SUCCEEDED": 15},
            "durationInNanoSeconds": 9_000_000_000_i64}
    }], "reportsNotFound": arns[1..]});
    let cases: Vec<serde_json::Value> = (0..10)
        .map(|i| {
            json!({"reportArn": arns[0], "name": format!("test_{i}"), "prefix": "suite",
            "status": "FAILED", "message": format!("boom {i}\nat x.py:{i}")})
        })
        .collect();
    let raw = |body: serde_json::Value| Fault::RawBody {
        status: 200,
        body: body.to_string(),
    };
    sim.inject_for(raw(report), FaultScope::operation("BatchGetReports"), 1);
    sim.inject_for(
        raw(json!({ "testCases": cases })),
        FaultScope::operation("DescribeTestCases"),
        1,
    );
    let out = crate::watch_cli::cbdash(&sim, &["watch", &id]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("big-suite FAILED: 15 passed · 25 failed\n"),
        "{stderr}"
    );
    let shown = stderr
        .lines()
        .filter(|l| l.starts_with("  FAILED suite > test_"))
        .count();
    assert_eq!(shown, 10, "{stderr}");
    assert!(
        stderr.contains("  FAILED suite > test_9: boom 9\n  … 15 more\n"),
        "{stderr}"
    );
}

/// Faults answering the build's BatchGetReports and DescribeTestCases with
/// names and messages full of escapes: (report answer, cases answer).
fn hostile_answers(arns: &[String]) -> (cbdash_sim::Fault, cbdash_sim::Fault) {
    use crate::common::visible::HOSTILE;
    use serde_json::json;
    let report = json!({"reports": [{
        "arn": arns[0], "type": "TEST", "status": "FAILED", "name": HOSTILE,
        "testSummary": {"total": 2, "statusCounts": {"FAILED": 1, HOSTILE: 1},
            "durationInNanoSeconds": 1_000_000}
    }], "reportsNotFound": arns[1..]});
    let cases = json!({"testCases": [{"reportArn": arns[0], "name": HOSTILE, "prefix": HOSTILE,
        "status": "FAILED", "message": format!("{HOSTILE}\n{HOSTILE}")}]});
    let raw = |body: serde_json::Value| cbdash_sim::Fault::RawBody {
        status: 200,
        body: body.to_string(),
    };
    (raw(report), raw(cases))
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_test_names_and_messages_are_shown_inert() {
    use crate::common::visible::assert_visible;
    use cbdash_sim::FaultScope;
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w
        .sim
        .add_build(tests_fail("data-pipeline", "pytest -q", 3600.0));
    let client = crate::common::sdk::client(&w.sim);
    let arns = crate::common::sdk::get(&client, &id)
        .await
        .report_arns()
        .to_vec();
    let (report, cases) = hostile_answers(&arns);
    w.sim
        .inject_for(report, FaultScope::operation("BatchGetReports"), u32::MAX);
    w.sim
        .inject_for(cases, FaultScope::operation("DescribeTestCases"), u32::MAX);
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let details = screen(&w.state, 200, 50);
    assert!(
        details.contains("]0;PWNED"),
        "shown, made visible: {details}"
    );
    assert_visible("details", &details);
    w.send(key('t')).await;
    let view = screen(&w.state, 200, 50);
    assert!(view.contains("]0;PWNED"), "{view}");
    assert_visible("test cases view", &view);
    // And in watch, on a clock of the machine's (a frozen one looks expired).
    let sim = cbdash_sim::SimHandle::start(cbdash_sim::SimConfig {
        speed: 1.0,
        scenario: Scenario::Quiet,
        ..cbdash_sim::SimConfig::default()
    })
    .await
    .expect("simulator");
    let id = sim.add_build(tests_fail("data-pipeline", "pytest -q", 3600.0));
    let client = crate::common::sdk::client(&sim);
    let arns = crate::common::sdk::get(&client, &id)
        .await
        .report_arns()
        .to_vec();
    let (report, cases) = hostile_answers(&arns);
    sim.inject_for(report, FaultScope::operation("BatchGetReports"), 1);
    sim.inject_for(cases, FaultScope::operation("DescribeTestCases"), 1);
    let out = crate::watch_cli::cbdash(&sim, &["watch", &id]).await;
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(stderr.contains("]0;PWNED"), "{stderr}");
    assert_visible("watch stderr", &stderr);
}

#[tokio::test]
async fn a_failed_page_is_said_and_the_other_passes_are_still_read() {
    let (mut w, _) = failed_build_selected(100).await;
    // The FAILED pass is refused; the whole report's pass still comes,
    // with the failures in it.
    w.sim.inject_for(
        cbdash_sim::Fault::AccessDenied,
        cbdash_sim::FaultScope::operation("DescribeTestCases"),
        1,
    );
    w.send(key('t')).await;
    let view = w.state.overlay.tests().expect("the view is open");
    assert!(
        view.error
            .as_deref()
            .is_some_and(|e| e.starts_with("could not read the test cases")),
        "{:?}",
        view.error
    );
    // Every case once, the failures among them.
    assert_eq!(view.cases.len(), 23);
    assert_eq!(
        view.cases.iter().filter(|c| c.status == "FAILED").count(),
        2
    );
    assert!(!view.loading());
    assert_eq!(case_requests(&w).len(), 2);
}
