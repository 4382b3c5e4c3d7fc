//! The projects board from known histories: its figures, its order, how
//! it looks at 80x24 and 200x50 and in ASCII, and Enter to a project's
//! builds.

use chrono::Duration;

use crate::common::fixtures::{actions, build, code, key, state_with, t0};
use crate::common::render::screen;
use cbdash::app::board::{compute, Attention};
use cbdash::app::{update, Msg, State};
use cbdash::domain::{Build, Status};

/// A build of `project` started `mins_ago`, that took `secs` in BUILD
/// and waited `queued` in QUEUED, on commit `commit`.
fn ran(project: &str, n: i64, mins_ago: i64, status: Status, secs: i64, commit: &str) -> Build {
    let mut b = build(project, n, mins_ago, status);
    b.resolved_source_version = Some(commit.to_string());
    let start = b.start.unwrap_or_else(t0);
    let mut at = start;
    for p in &mut b.phases {
        let d = match p.phase_type.as_ref() {
            "BUILD" => secs,
            "COMPLETED" => 0,
            _ => 15,
        };
        p.start = Some(at);
        if p.phase_type != "COMPLETED" {
            p.duration_secs = Some(d);
            p.end = Some(at + Duration::seconds(d));
            at += Duration::seconds(d);
        }
    }
    b.end = Some(at);
    b
}

/// Four projects, each with 24 builds an hour apart (newest first):
/// red since its third newest build, flaky (a commit failed then passed),
/// slowing (BUILD from 3 to 9 minutes), healthy.
fn histories() -> Vec<Build> {
    let mut builds = Vec::new();
    for i in 0..24i64 {
        let mins = 30 + i * 60;
        let n = 100 - i;
        let red = if i < 3 {
            Status::Failed
        } else {
            Status::Succeeded
        };
        builds.push(ran(
            "red-since-morning",
            n,
            mins,
            red,
            300,
            &format!("c{i:039}"),
        ));
        // The same commit: failed an hour before it passed.
        let (status, commit) = match i {
            4 => (Status::Succeeded, "f".repeat(40)),
            5 => (Status::Failed, "f".repeat(40)),
            _ => (Status::Succeeded, format!("d{i:039}")),
        };
        builds.push(ran("flaky-tests", n, mins, status, 240, &commit));
        builds.push(ran(
            "slowing-down",
            n,
            mins,
            Status::Succeeded,
            540 - i * 15,
            &format!("e{i:039}"),
        ));
        builds.push(ran(
            "healthy",
            n,
            mins,
            Status::Succeeded,
            200,
            &format!("a{i:039}"),
        ));
    }
    builds
}

fn board_state(width: u16, height: u16) -> State {
    let mut state = state_with(histories());
    update(&mut state, Msg::Resize { width, height });
    actions(update(&mut state, key('b')));
    state
}

#[test]
fn the_board_puts_the_red_project_first_then_flaky_then_slowing_then_healthy() {
    let state = state_with(histories());
    let rows = compute(&state.store, &[], t0());
    let order: Vec<(&str, Attention)> = rows
        .iter()
        .map(|r| (r.project.as_str(), r.attention))
        .collect();
    assert_eq!(
        order,
        [
            ("red-since-morning", Attention::Failing),
            ("flaky-tests", Attention::Flaky),
            ("slowing-down", Attention::Slowing),
            ("healthy", Attention::Healthy),
        ]
    );
    let red = &rows[0];
    // Red since the first of its three failures ended: started 150 min
    // before t0, it took 2m15s of 15-second phases and 5 min of BUILD.
    let first_failure_end = t0() - Duration::minutes(150) + Duration::seconds(9 * 15 + 300);
    assert_eq!(red.since, Some(first_failure_end));
    assert_eq!((red.last_n.succeeded, red.last_n.total), (17, 20));
    // 24 builds an hour apart: the newest 23 started within 24 h... and
    // ended within it: 21 of them passed.
    assert_eq!(red.day.total, 24);
    assert_eq!(red.day.succeeded, 21);
    assert_eq!(red.week.total, 24);
    let flaky = &rows[1];
    assert_eq!(flaky.flaky_commit.as_deref(), Some("f".repeat(40).as_str()));
    let slowing = &rows[2];
    // The newest ten BUILDs take 540..405 s, the oldest ten 345..195 s.
    assert!(
        slowing.slowing.is_some_and(|s| s > 1.5),
        "{:?}",
        slowing.slowing
    );
    let healthy = &rows[3];
    let d = healthy.durations.expect("durations");
    assert_eq!((d.median, d.p90), (200 + 135, 200 + 135));
    // QUEUED and PROVISIONING: 15 s each.
    assert_eq!(healthy.queue_p50, Some(30));
    assert_eq!(healthy.spark.len(), 24);
    assert_eq!(healthy.running, 0);
}

#[test]
fn projects_listed_without_builds_come_last() {
    let state = state_with(histories());
    let rows = compute(&state.store, &[(0, "quiet-one".to_string())], t0());
    let last = rows.last().expect("rows");
    assert_eq!(
        (last.project.as_str(), last.attention),
        ("quiet-one", Attention::NoBuilds)
    );
}

#[test]
fn the_board_at_200x50_and_80x24() {
    let wide = screen(&board_state(200, 50), 200, 50);
    for shown in [
        "Projects (4) · by attention",
        "✘ red-since-morning",
        "red for 2h",
        "≈ flaky-tests",
        "flaky: ffffffff failed+passed",
        "↗ slowing-down",
        "✔ healthy",
        "DURATIONS",
    ] {
        assert!(wide.contains(shown), "{shown:?} in\n{wide}");
    }
    insta::assert_snapshot!("board_200x50", wide);
    // Narrow: the sparkline and the rarer columns give way.
    let narrow = screen(&board_state(80, 24), 80, 24);
    assert!(!narrow.contains("DURATIONS"), "{narrow}");
    assert!(narrow.contains("red-since-morni"), "{narrow}");
    insta::assert_snapshot!("board_80x24", narrow);
}

#[test]
fn the_board_in_ascii() {
    let mut state = board_state(200, 50);
    state.settings.ascii = true;
    let text = screen(&state, 200, 50);
    assert!(text.is_ascii(), "{text}");
    assert!(text.contains("x red-since-morning"), "{text}");
    assert!(text.contains("~ flaky-tests"), "{text}");
    insta::assert_snapshot!("board_ascii", text);
}

#[test]
fn enter_lists_that_projects_builds_alone_and_esc_shows_all_again() {
    let mut state = board_state(160, 45);
    // `healthy` is the fourth row; its name is inside no other.
    for _ in 0..3 {
        update(&mut state, key('j'));
    }
    update(&mut state, code(crossterm::event::KeyCode::Enter));
    assert!(!matches!(
        state.overlay,
        cbdash::app::overlay::Overlay::Board { .. }
    ));
    let rows = state.list.rows().len();
    assert_eq!(rows, 24, "the project's builds alone");
    assert!(state
        .list
        .rows()
        .iter()
        .all(|r| r.build_id().is_some_and(|id| id.starts_with("healthy:"))));
    update(&mut state, code(crossterm::event::KeyCode::Esc));
    assert_eq!(state.list.rows().len(), 96);
}
