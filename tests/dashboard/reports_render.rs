//! The details with reports and the test cases view, as a user sees them.

use crate::common::fixtures::{answer_reports, key, reported};
use crate::common::render::screen;
use cbdash::app::update;

#[test]
fn details_with_reports_at_200x50() {
    let state = reported(200, 50);
    let frame = screen(&state, 200, 50);
    assert!(frame.contains("api-service-unit-tests  FAILED  5 passed · 2 failed · 1 skipped  1s"));
    assert!(frame
        .contains("orders::tests › rejects_an_expired_token: assertion `left == right` failed"));
    assert!(frame.contains("api-service-coverage  SUCCEEDED  line 81.2 % · branch 64.0 %"));
    insta::assert_snapshot!(frame);
}

#[test]
fn details_with_reports_at_80x24() {
    let state = reported(80, 24);
    let frame = screen(&state, 80, 24);
    assert!(frame.contains("api-service-unit-tests"), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn test_cases_view_at_200x50() {
    let mut state = reported(200, 50);
    let effects = update(&mut state, key('t'));
    answer_reports(&mut state, effects);
    let frame = screen(&state, 200, 50);
    assert!(
        frame.contains("Tests · api-service #1088 · 2 failed of 8"),
        "{frame}"
    );
    // The selected failure's whole message, line by line.
    assert!(frame.contains("       right: 401"), "{frame}");
    assert!(frame.contains("src/orders/auth.rs:88:9"), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn test_cases_view_at_80x24() {
    let mut state = reported(80, 24);
    let effects = update(&mut state, key('t'));
    answer_reports(&mut state, effects);
    update(&mut state, key('j'));
    let frame = screen(&state, 80, 24);
    assert!(frame.contains("refunds_are_idempotent"), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn a_pasted_keyword_keeps_its_first_line_and_is_sent_as_filter_keyword() {
    use cbdash::app::{CasePurpose, Effect, Msg};
    let mut state = reported(200, 50);
    let effects = update(&mut state, key('t'));
    answer_reports(&mut state, effects);
    update(&mut state, key('/'));
    update(&mut state, Msg::Paste("refund\nrm -rf /".into()));
    let effects = update(
        &mut state,
        crate::common::fixtures::code(crossterm::event::KeyCode::Enter),
    );
    let asked: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::DescribeCases(r) if r.purpose == CasePurpose::View => Some(r.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(asked.len(), 1, "{effects:?}");
    assert_eq!(asked[0].keyword.as_deref(), Some("refund"));
    assert_eq!(asked[0].status.as_deref(), Some("FAILED"), "failures first");
    answer_reports(&mut state, effects);
    let view = state.overlay.tests().expect("open");
    let names: Vec<&str> = view.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["refunds_are_idempotent"]);
}

#[test]
fn a_message_of_megabytes_is_shown_in_a_bounded_number_of_rows() {
    let mut state = reported(200, 50);
    let effects = update(&mut state, key('t'));
    answer_reports(&mut state, effects);
    let view = state.overlay.tests_mut().expect("open");
    view.cases[0].message = format!("{}\n{}", "x".repeat(4_000_000), "y\n".repeat(100_000));
    let started = std::time::Instant::now();
    let frame = screen(&state, 200, 50);
    let view = state.overlay.tests().expect("open");
    let rows = cbdash::app::tests_view::lines(view, 200).len();
    // A row per case, a first line per other failure, 500 rows of this message.
    assert!(rows <= view.cases.len() * 2 + 500, "{rows} rows");
    assert!(frame.contains("xxxxxxxx"), "{frame}");
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

/// Answers the trend and coverage calls in `effects` as the service would.
fn answer_trends_and_coverage(state: &mut cbdash::app::State, effects: Vec<cbdash::app::Effect>) {
    use cbdash::app::{Effect, Msg};
    use cbdash::domain::{CoveragePage, FileCoverage, TrendField};
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::At { effect, .. } => queue.push_back(*effect),
            Effect::Trend(request) => {
                // Newest first, as GetReportGroupTrend gives them.
                let values = match request.field {
                    TrendField::PassRate => {
                        vec![62.5, 100.0, 100.0, 87.5, 100.0, 100.0, 100.0, 100.0]
                    }
                    TrendField::Duration => {
                        vec![1.3e9, 1.2e9, 1.1e9, 1.2e9, 0.9e9, 0.8e9, 0.8e9, 0.7e9]
                    }
                    TrendField::LineCoverage => {
                        vec![81.25, 80.0, 78.5, 79.0, 75.0, 72.0, 70.5, 70.0]
                    }
                };
                queue.extend(update(
                    state,
                    Msg::Trend {
                        request,
                        result: Ok(values),
                    },
                ));
            }
            Effect::DescribeCoverages(request) => {
                let file =
                    |path: &str, pct: f64, covered: i64, missed: i64, branch: f64| FileCoverage {
                        path: path.into(),
                        line_pct: Some(pct),
                        lines_covered: Some(covered),
                        lines_missed: Some(missed),
                        branch_pct: Some(branch),
                    };
                let mut files = vec![
                    file("src/orders/refunds.rs", 41.2, 42, 60, 30.0),
                    file("src/orders/auth.rs", 63.5, 87, 50, 51.2),
                    file("src/payments/settle.rs", 88.0, 176, 24, 75.0),
                    file("src/main.rs", 100.0, 12, 0, 100.0),
                ];
                if request.by_path {
                    files.sort_by(|a, b| a.path.cmp(&b.path));
                }
                if request.descending {
                    files.reverse();
                }
                let page = CoveragePage {
                    files,
                    next_token: None,
                };
                queue.extend(update(
                    state,
                    Msg::Coverages {
                        request,
                        result: Ok(page),
                    },
                ));
            }
            _ => {}
        }
    }
}

/// The reported build, its trends answered.
fn trended(width: u16, height: u16) -> cbdash::app::State {
    use crate::common::fixtures::{mixed, state_with, COVERAGE_REPORT, TEST_REPORT};
    let mut builds = mixed();
    builds[1].report_arns = vec![TEST_REPORT.into(), COVERAGE_REPORT.into()];
    let mut state = state_with(builds);
    update(&mut state, cbdash::app::Msg::Resize { width, height });
    let effects = update(&mut state, key('j'));
    // The trends are asked for once the reports are known.
    let rest = answer_reports(&mut state, effects);
    answer_trends_and_coverage(&mut state, rest);
    state
}

#[test]
fn details_with_trends_at_200x50() {
    let state = trended(200, 50);
    let frame = screen(&state, 200, 50);
    assert!(
        frame.contains("5 passed · 2 failed · 1 skipped  1s ▅▅▅▆▇▇▇█  pass rate 62.5 % ████▇██▅"),
        "{frame}"
    );
    assert!(
        frame.contains("line 81.2 % ▆▆▆▆▇▆▇▇ · branch 64.0 %"),
        "{frame}"
    );
    insta::assert_snapshot!(frame);
}

#[test]
fn details_with_trends_at_80x24() {
    let state = trended(80, 24);
    let frame = screen(&state, 80, 24);
    // Too narrow for the sparklines: the figures stay.
    assert!(
        frame.contains("api-service-unit-tests  FAILED  5 passed · 2 failed · 1 skipped  1s  "),
        "{frame}"
    );
    assert!(!frame.contains("pass rate"), "{frame}");
    assert!(!frame.contains('▅') && !frame.contains('█'), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn coverage_view_at_200x50() {
    let mut state = trended(200, 50);
    let effects = update(&mut state, key('v'));
    answer_trends_and_coverage(&mut state, effects);
    let frame = screen(&state, 200, 50);
    assert!(
        frame.contains("Coverage · api-service #1088 · 4 files, lowest coverage first"),
        "{frame}"
    );
    assert!(
        frame.contains("  41.2 %       42       60    30.0 %  src/orders/refunds.rs"),
        "{frame}"
    );
    insta::assert_snapshot!(frame);
}

#[test]
fn coverage_view_at_80x24() {
    let mut state = trended(80, 24);
    let effects = update(&mut state, key('v'));
    answer_trends_and_coverage(&mut state, effects);
    let effects = update(&mut state, key('s'));
    answer_trends_and_coverage(&mut state, effects);
    let frame = screen(&state, 80, 24);
    assert!(frame.contains("highest coverage first"), "{frame}");
    assert!(frame.contains("src/main.rs"), "{frame}");
    insta::assert_snapshot!(frame);
}
