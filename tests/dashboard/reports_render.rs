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
