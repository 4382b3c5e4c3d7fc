//! Code coverage and report group trends through the wire: the coverage
//! view sorted and paged by the service, and the trend sparklines in the
//! details, asked for once per group of the builds looked at.

use crate::common::fixtures::key;
use crate::common::render::screen;
use crate::common::wire::Wire;
use cbdash::app::{Msg, Row, Settings};
use cbdash_sim::{BuildSpec, Outcome, Scenario};

fn tests_fail(project: &str, secs_ago: f64) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        started_secs_ago: secs_ago,
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "pytest -q".into(),
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

/// Three passing data-pipeline builds, then a failed one, selected.
async fn failed_after_passes(settings: Settings) -> (Wire, String) {
    let mut w = Wire::start_with(Scenario::Quiet, settings).await;
    for i in 0..3 {
        w.sim
            .add_build(passes("data-pipeline", 20_000.0 - f64::from(i) * 3600.0));
    }
    let id = w.sim.add_build(tests_fail("data-pipeline", 3600.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    (w, id)
}

fn settings() -> Settings {
    Settings {
        context: "test".into(),
        coverage_page: 3,
        ..Settings::default()
    }
}

fn bodies(w: &Wire, operation: &str) -> Vec<serde_json::Value> {
    w.sim
        .requests()
        .into_iter()
        .filter(|r| r.operation == operation)
        .map(|r| r.body)
        .collect()
}

fn line_pcts(w: &Wire) -> Vec<f64> {
    let view = w
        .state
        .overlay
        .coverage()
        .expect("the coverage view is open");
    assert!(!view.loading(), "{view:?}");
    view.files.iter().filter_map(|f| f.line_pct).collect()
}

#[tokio::test]
async fn the_coverage_view_reads_every_page_lowest_coverage_first() {
    let (mut w, _) = failed_after_passes(settings()).await;
    w.sim.clear_requests();
    w.send(key('v')).await;
    let pcts = line_pcts(&w);
    assert!(pcts.len() > 3, "more files than one page: {pcts:?}");
    assert!(pcts.windows(2).all(|p| p[0] <= p[1]), "{pcts:?}");
    let asked = bodies(&w, "DescribeCodeCoverages");
    assert_eq!(asked.len(), pcts.len().div_ceil(3), "{asked:?}");
    for b in &asked {
        assert_eq!(b["sortBy"], "LINE_COVERAGE_PERCENTAGE", "{b}");
        assert_eq!(b["sortOrder"], "ASCENDING", "{b}");
        assert_eq!(b["maxResults"], 3, "{b}");
    }
    assert!(asked[0].get("nextToken").is_none() && asked[1]["nextToken"].is_string());
    let text = screen(&w.state, 200, 50);
    let title = format!(
        "Coverage · data-pipeline #4 · {} files, lowest coverage first",
        pcts.len()
    );
    assert!(text.contains(&title), "{title:?} in\n{text}");
    let lowest = format!("{:.1} %", pcts[0]);
    assert!(text.contains(&lowest), "{lowest} in\n{text}");
}

#[tokio::test]
async fn s_asks_the_service_for_highest_first_then_by_path() {
    let (mut w, _) = failed_after_passes(settings()).await;
    w.send(key('v')).await;
    let files = line_pcts(&w).len();
    w.sim.clear_requests();
    w.send(key('s')).await;
    let pcts = line_pcts(&w);
    assert_eq!(pcts.len(), files);
    assert!(pcts.windows(2).all(|p| p[0] >= p[1]), "{pcts:?}");
    let asked = bodies(&w, "DescribeCodeCoverages");
    assert!(
        asked.iter().all(|b| b["sortOrder"] == "DESCENDING"),
        "{asked:?}"
    );
    w.sim.clear_requests();
    w.send(key('s')).await;
    let view = w.state.overlay.coverage().expect("still open");
    let paths: Vec<&str> = view.files.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), files);
    let asked = bodies(&w, "DescribeCodeCoverages");
    assert!(
        asked
            .iter()
            .all(|b| b["sortBy"] == "FILE_PATH" && b["sortOrder"] == "ASCENDING"),
        "{asked:?}"
    );
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("files, by file path"), "{text}");
    w.send(key('v')).await;
    assert!(w.state.overlay.coverage().is_none(), "v closes the view");
}

#[tokio::test]
async fn a_build_without_coverage_says_so_and_asks_nothing() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    // api-service runs cargo test: a TEST report, no coverage.
    let id = w.sim.add_build(passes("api-service", 3600.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    assert!(!w.state.reports.by_arn.is_empty(), "its reports are read");
    w.sim.clear_requests();
    w.send(key('v')).await;
    assert!(w.state.overlay.coverage().is_none());
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("no code coverage report"), "{text}");
    assert!(bodies(&w, "DescribeCodeCoverages").is_empty());
}

/// The sparkline after `label` on the screen: the characters up to a space.
fn spark_after<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let at = text.find(label)? + label.len();
    let rest = text[at..].strip_prefix(' ')?;
    rest.split([' ', '│', '|']).next()
}

/// "pass rate 90.5 %" for the selected build's TEST report, as its totals say.
fn pass_rate(w: &Wire) -> String {
    let r = w
        .state
        .reports
        .by_arn
        .values()
        .find(|r| r.kind == cbdash::domain::ReportKind::Test && r.failed_cases() > 0)
        .expect("the failed build's TEST report");
    let t = r.totals.as_ref().expect("totals");
    format!(
        "pass rate {:.1} %",
        t.succeeded as f64 * 100.0 / t.total as f64
    )
}

#[tokio::test]
async fn the_details_draw_each_groups_trend_beside_its_figures() {
    let (w, _) = failed_after_passes(settings()).await;
    let text = screen(&w.state, 200, 50);
    // The report's own rate, then the group's four final reports, oldest first.
    let rate = pass_rate(&w);
    let spark = spark_after(&text, &rate).unwrap_or_else(|| panic!("{rate:?} in\n{text}"));
    assert_eq!(spark.chars().count(), 4, "{spark:?} in\n{text}");
    assert!(spark.chars().all(|c| "▁▂▃▄▅▆▇█".contains(c)), "{spark:?}");
    // Before it the duration, its trend beside it.
    let before: Vec<&str> = text[..text.find(&rate).unwrap_or_default()]
        .split_whitespace()
        .rev()
        .take(2)
        .collect();
    assert!(before[1].ends_with('s'), "{before:?}");
    assert_eq!(before[0].chars().count(), 4, "{before:?}");
    assert!(
        before[0].chars().all(|c| "▁▂▃▄▅▆▇█".contains(c)),
        "{before:?}"
    );
    let line = w
        .state
        .reports
        .by_arn
        .values()
        .find_map(|r| r.coverage.as_ref()?.line_pct)
        .expect("the coverage report's line coverage");
    let figure = format!("line {line:.1} %");
    let cov = spark_after(&text, &figure).unwrap_or_else(|| panic!("{figure:?} in\n{text}"));
    assert_eq!(cov.chars().count(), 4, "{cov:?} in\n{text}");
    let asked = bodies(&w, "GetReportGroupTrend");
    let mut fields: Vec<&str> = asked
        .iter()
        .filter_map(|b| b["trendField"].as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["DURATION", "LINE_COVERAGE", "PASS_RATE"],
        "{asked:?}"
    );
    assert!(asked.iter().all(|b| b["numOfReports"] == 30), "{asked:?}");
}

#[tokio::test]
async fn ascii_trends_use_ascii_levels_and_narrow_terminals_keep_the_figure() {
    let settings = Settings {
        ascii: true,
        ..settings()
    };
    let (mut w, _) = failed_after_passes(settings).await;
    let text = screen(&w.state, 200, 50);
    let rate = pass_rate(&w);
    let spark = spark_after(&text, &rate).unwrap_or_else(|| panic!("{text}"));
    assert_eq!(spark.chars().count(), 4, "{text}");
    assert!(spark.chars().all(|c| "_.-=#".contains(c)), "{spark:?}");
    w.send(Msg::Resize {
        width: 80,
        height: 24,
    })
    .await;
    let text = screen(&w.state, 80, 24);
    // At 80 columns the totals and the duration, no trend.
    assert!(text.contains(" passed - "), "{text}");
    assert!(!text.contains("pass rate"), "{text}");
    w.send(key('v')).await;
    let text = screen(&w.state, 80, 24);
    assert!(text.contains("Coverage - data-pipeline #4"), "{text}");
    // The view's rows (the header bar is not the view's).
    let view: String = text.lines().skip(1).collect();
    assert!(view.is_ascii(), "the coverage view in ASCII:\n{text}");
}

#[tokio::test]
async fn trends_are_asked_once_per_group_and_never_for_builds_not_looked_at() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    for i in 0..5 {
        w.sim
            .add_build(passes("web-frontend", 90_000.0 - f64::from(i) * 60.0));
    }
    for i in 0..5 {
        w.sim
            .add_build(tests_fail("data-pipeline", 7200.0 - f64::from(i) * 60.0));
    }
    w.settle_discovery(10).await;
    // Up and down over the data-pipeline builds, three times.
    for _ in 0..3 {
        for _ in 0..4 {
            w.send(key('j')).await;
        }
        for _ in 0..4 {
            w.send(key('k')).await;
        }
        w.cycle().await;
    }
    let asked = bodies(&w, "GetReportGroupTrend");
    let groups: Vec<String> = asked
        .iter()
        .map(|b| format!("{} {}", b["reportGroupArn"], b["trendField"]))
        .collect();
    assert_eq!(
        groups.len(),
        3,
        "test group twice, coverage once: {groups:?}"
    );
    let mut unique = groups.clone();
    unique.dedup();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 3, "{groups:?}");
    assert!(
        groups.iter().all(|g| g.contains("data-pipeline")),
        "{groups:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_trend_leaves_the_figures_and_is_not_asked_again() {
    use cbdash_sim::{Fault, FaultScope};
    let mut w = Wire::start_with(Scenario::Quiet, settings()).await;
    w.sim.inject_for(
        Fault::ServerError,
        FaultScope::operation("GetReportGroupTrend"),
        u32::MAX,
    );
    let id = w.sim.add_build(tests_fail("data-pipeline", 3600.0));
    let other = w.sim.add_build(passes("web-frontend", 7200.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let text = screen(&w.state, 200, 50);
    let rate = pass_rate(&w);
    let at = text
        .find(&rate)
        .unwrap_or_else(|| panic!("{rate:?} in\n{text}"));
    let bars = |t: &str| t.chars().any(|c| "▁▂▃▄▅▆▇█".contains(c));
    let duration = text[..at]
        .split_whitespace()
        .next_back()
        .unwrap_or_default();
    assert!(duration.ends_with('s') && !bars(duration), "{duration:?}");
    let after = text[at + rate.len()..]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    assert!(!bars(after), "no sparkline after the rate: {after:?}");
    assert_eq!(bodies(&w, "GetReportGroupTrend").len(), 3);
    // Away and back: the failed trends are not asked for again.
    w.select(Row::Build(other.as_str().into()));
    w.send(key('k')).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let asked = bodies(&w, "GetReportGroupTrend");
    let data_pipeline = asked
        .iter()
        .filter(|b| b["reportGroupArn"].to_string().contains("data-pipeline"))
        .count();
    assert_eq!(data_pipeline, 3, "{asked:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trend_of_a_thousand_odd_values_draws_at_most_thirty_numbers() {
    use cbdash_sim::{Fault, FaultScope};
    let mut w = Wire::start_with(Scenario::Quiet, settings()).await;
    // Numbers, words, NaN and overflow: only the finite numbers are drawn.
    let raw: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            let data = match i % 4 {
                0 => "NaN".to_string(),
                1 => "1e999".to_string(),
                2 => "\u{1b}]0;PWNED\u{7}".to_string(),
                _ => format!("{}", 50 + i % 50),
            };
            serde_json::json!({"reportArn": "x", "data": data})
        })
        .collect();
    let body = serde_json::json!({"rawData": raw}).to_string();
    w.sim.inject_for(
        Fault::RawBody { status: 200, body },
        FaultScope::operation("GetReportGroupTrend"),
        u32::MAX,
    );
    let id = w.sim.add_build(tests_fail("data-pipeline", 3600.0));
    w.settle_discovery(10).await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('k')).await;
    let text = screen(&w.state, 200, 50);
    let rate = pass_rate(&w);
    let spark = spark_after(&text, &rate).unwrap_or_else(|| panic!("{text}"));
    assert!(
        (1..=30).contains(&spark.chars().count()),
        "{spark:?} in\n{text}"
    );
    assert!(spark.chars().all(|c| "▁▂▃▄▅▆▇█".contains(c)), "{spark:?}");
    assert!(!text.contains("PWNED"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_coverage_error_is_said_in_the_view_and_hostile_paths_are_inert() {
    use crate::common::visible::HOSTILE;
    use cbdash_sim::{Fault, FaultScope};
    let (mut w, _) = failed_after_passes(settings()).await;
    w.sim.inject_for(
        Fault::AccessDenied,
        FaultScope::operation("DescribeCodeCoverages"),
        1,
    );
    w.send(key('v')).await;
    let text = screen(&w.state, 200, 50);
    assert!(text.contains("could not read the code coverage"), "{text}");
    let body = serde_json::json!({"codeCoverages": [{
        "filePath": format!("{HOSTILE}/src/x.py"), "lineCoveragePercentage": 12.5,
        "linesCovered": 1, "linesMissed": 7, "branchCoveragePercentage": 0.0
    }]})
    .to_string();
    w.sim.inject_for(
        Fault::RawBody { status: 200, body },
        FaultScope::operation("DescribeCodeCoverages"),
        u32::MAX,
    );
    // `s` reads again, in the next order.
    w.send(key('s')).await;
    let text = screen(&w.state, 200, 50);
    assert!(
        text.contains("  12.5 %        1        7     0.0 %  "),
        "{text}"
    );
    crate::common::visible::assert_visible("the coverage view", &text);
}
