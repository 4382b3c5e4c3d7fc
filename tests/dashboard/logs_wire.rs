//! Build logs through the wire: GetLogEvents from the simulator, followed
//! live, searched, capped, and every case where there is no stream to read.

use crossterm::event::KeyCode;

use crate::common::fixtures::{code, key};
use crate::common::wire::Wire;
use cbdash::app::overlay::{Source, Status};
use cbdash::app::{Row, Settings};
use cbdash::domain::ErrorKind;
use cbdash_sim::{BuildSpec, Fault, Outcome, Scenario};

fn numbered(count: usize) -> Vec<String> {
    (1..=count).map(|i| format!("step {i:03} done")).collect()
}

/// A build that starts now and prints `lines` during a BUILD of `secs`.
async fn running(w: &mut Wire, lines: Vec<String>, secs: f64) -> String {
    let id = w.sim.add_build(BuildSpec {
        project: "api-service".into(),
        phase_secs: Some(vec![("BUILD".into(), secs)]),
        output: Some(lines),
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    id
}

/// A build that finished an hour ago after printing `lines`, its log open
/// and read to the end.
async fn finished_log(w: &mut Wire, lines: Vec<String>) -> String {
    let id = w.sim.add_build(BuildSpec {
        project: "api-service".into(),
        started_secs_ago: 3600.0,
        output: Some(lines),
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('l')).await;
    w.advance(3).await;
    id
}

fn log_status(w: &Wire) -> Status {
    w.state
        .overlay
        .log_view()
        .map(|v| v.status.clone())
        .expect("the log view is open")
}

fn shown(w: &Wire) -> usize {
    w.state.overlay.log_view().map_or(0, |v| v.buffer.len())
}

fn log_reads(w: &Wire) -> usize {
    w.sim
        .requests()
        .iter()
        .filter(|r| r.operation == "GetLogEvents")
        .count()
}

#[tokio::test]
async fn a_running_builds_log_waits_for_its_stream_then_grows_live_and_stops_at_the_end() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = running(&mut w, numbered(60), 120.0).await;
    w.send(key('l')).await;
    assert_eq!(
        log_status(&w),
        Status::Waiting,
        "no stream before the container starts"
    );
    assert!(crate::common::render::screen(&w.state, 160, 45).contains("waiting for the build"));

    let mut sizes = Vec::new();
    for _ in 0..120 {
        w.advance(5).await;
        sizes.push(shown(&w));
        if log_status(&w) == Status::Done {
            break;
        }
    }
    assert_eq!(
        log_status(&w),
        Status::Done,
        "a complete build's log is read to its end"
    );
    let growing = sizes.windows(2).filter(|p| p[1] > p[0]).count();
    assert!(growing >= 5, "the log grew live: {sizes:?}");
    let view = w.state.overlay.log_view().expect("view");
    let text: Vec<&str> = view.buffer.iter().map(|l| l.text()).collect();
    for line in numbered(60) {
        assert!(text.contains(&line.as_str()), "{line} shown once: ");
    }
    assert!(text
        .iter()
        .any(|l| l.contains("Phase complete: BUILD State: SUCCEEDED")));
    assert!(w.state.store.get(&id).is_some_and(|b| b.complete));

    // Done: no more reads, however long the view stays open.
    let reads = log_reads(&w);
    for _ in 0..5 {
        w.advance(5).await;
    }
    assert_eq!(log_reads(&w), reads);
}

#[tokio::test]
async fn scrolling_up_pauses_following_and_g_resumes() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    running(&mut w, numbered(200), 300.0).await;
    w.send(key('l')).await;
    for _ in 0..60 {
        w.advance(5).await;
    }
    w.send(key('k')).await;
    let paused_at = w
        .state
        .overlay
        .log_view()
        .map(|v| (v.offset, v.follow))
        .expect("view");
    assert!(!paused_at.1);
    for _ in 0..6 {
        w.advance(5).await;
    }
    assert_eq!(
        w.state.overlay.log_view().map(|v| v.offset),
        Some(paused_at.0),
        "stays put"
    );
    w.send(key('G')).await;
    let view = w.state.overlay.log_view().expect("view");
    assert!(view.follow && view.offset > paused_at.0);
}

#[tokio::test]
async fn search_finds_and_n_moves_and_f_jumps_to_the_failure() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let mut lines = numbered(120);
    lines.push("npm ERR! Test failed.  See above for more details.".into());
    let id = w.sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 3600.0,
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "npm test".into(),
        },
        output: Some(lines),
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('l')).await;
    w.advance(3).await;
    assert_eq!(log_status(&w), Status::Done);
    w.send(key('/')).await;
    for c in "STEP 01".chars() {
        w.send(key(c)).await;
    }
    w.send(code(KeyCode::Enter)).await;
    let view = w.state.overlay.log_view().expect("view");
    assert_eq!(view.matches.len(), 10, "step 010..019, case-insensitive");
    let first = view.current.expect("a current match");
    w.send(key('n')).await;
    assert_eq!(
        w.state.overlay.log_view().and_then(|v| v.current),
        Some(first + 1)
    );
    w.send(key('N')).await;
    w.send(key('N')).await;
    assert_eq!(
        w.state.overlay.log_view().and_then(|v| v.current),
        Some(9),
        "wraps around"
    );

    w.send(key('f')).await;
    let view = w.state.overlay.log_view().expect("view");
    let rows = 45 - 5;
    let visible: Vec<&str> = view
        .buffer
        .iter()
        .skip(view.offset)
        .take(rows)
        .map(|l| l.text())
        .collect();
    assert!(
        visible.iter().any(|l| l.contains("Command did not exit successfully") || l.contains("State: FAILED")),
        "the failure is on screen: {visible:?}"
    );
}

#[tokio::test]
async fn the_line_cap_keeps_the_newest_lines_and_says_so() {
    let settings = Settings {
        log_lines: 100,
        ..Settings::default()
    };
    let mut w = Wire::start_with(Scenario::Quiet, settings).await;
    let id = finished_log(&mut w, numbered(400)).await;
    let view = w.state.overlay.log_view().expect("view");
    assert_eq!(view.buffer.len(), 100);
    assert!(view.buffer.dropped() >= 300);
    let last = w.sim.log_lines(&id).last().cloned().unwrap_or_default();
    assert_eq!(
        view.buffer.iter().last().map(|l| l.text()),
        Some(last.as_str()),
        "the newest line kept"
    );
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(frame.contains("dropped"), "{frame}");
}

#[tokio::test]
async fn logs_in_s3_only_say_so_and_offer_the_link() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        project: "docs-site".into(),
        started_secs_ago: 3600.0,
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('l')).await;
    let view = w.state.overlay.log_view().expect("view");
    assert!(matches!(&view.source, Source::S3Only { link: Some(l) } if l.starts_with("https://")));
    let frame = crate::common::render::screen(&w.state, 160, 45);
    assert!(
        frame.contains("S3 only") && frame.contains("https://"),
        "{frame}"
    );
    assert_eq!(log_reads(&w), 0, "nothing to read from CloudWatch");
}

#[tokio::test]
async fn cloudwatch_logging_disabled_says_so() {
    let mut state = crate::common::fixtures::state_with(vec![{
        let mut b =
            crate::common::fixtures::build("legacy", 1, 5, cbdash::domain::Status::Succeeded);
        b.logs = cbdash::domain::LogLinks::default();
        b
    }]);
    let effects = cbdash::app::update(&mut state, key('l'));
    let effects = crate::common::fixtures::actions(effects);
    assert!(effects.is_empty(), "nothing to read: {effects:?}");
    let frame = crate::common::render::screen(&state, 160, 45);
    assert!(frame.contains("CloudWatch logging is disabled"), "{frame}");
}

#[tokio::test]
async fn access_denied_on_logs_is_explained_and_the_dashboard_goes_on() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    running(&mut w, numbered(10), 60.0).await;
    for _ in 0..12 {
        w.advance(5).await;
    }
    w.sim.inject(Fault::AccessDenied, 1);
    w.send(key('l')).await;
    let Status::Failed { message, retry } = log_status(&w) else {
        panic!("{:?}", log_status(&w));
    };
    assert!(!retry, "access does not fix itself");
    assert!(message.contains("logs:GetLogEvents"), "{message}");
    w.cycle().await;
    assert!(!w.state.poller.is_stale(), "polling is unaffected");
    assert!(w
        .state
        .poller
        .last_error
        .as_ref()
        .is_none_or(|(e, _)| e.kind != ErrorKind::AccessDenied));
    w.send(code(KeyCode::Esc)).await;
    assert!(w.state.overlay.log_view().is_none());
}

#[tokio::test]
async fn hostile_output_reaches_the_screen_inert() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let huge = "x".repeat(1 << 20);
    let lines = vec![
        "copy \u{1b}]52;c;ZXZpbA==\u{7} done".to_string(),
        "title \u{1b}]0;pwned\u{7} done".into(),
        "clear \u{1b}[2J\u{1b}[H done".into(),
        "\u{1b}[31mred\u{1b}[0m plain".into(),
        "bad bytes \u{fffd}\u{fffd}".into(),
        "progress\r 10%\r 55%\r 100%".into(),
        huge,
    ];
    let id = w.sim.add_build(BuildSpec {
        project: "api-service".into(),
        started_secs_ago: 3600.0,
        output: Some(lines),
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('l')).await;
    w.advance(3).await;
    let view = w.state.overlay.log_view().expect("view");
    assert!(
        view.buffer.iter().any(|l| l.text() == "red plain"),
        "colour became style"
    );
    assert!(
        view.buffer.iter().any(|l| l.text().ends_with(" 100%")),
        "a progress bar shows its end"
    );
    // Bring the hostile lines on screen.
    w.send(key('/')).await;
    for c in "copy".chars() {
        w.send(key(c)).await;
    }
    w.send(code(KeyCode::Enter)).await;
    for (width, height) in [(200, 50), (80, 24), (20, 5)] {
        let frame = crate::common::render::screen(&w.state, width, height);
        assert!(
            !frame.chars().any(|c| c.is_control() && c != '\n'),
            "{frame}"
        );
    }
    let frame = crate::common::render::screen(&w.state, 200, 50);
    assert!(frame.contains("red plain"));
    assert!(
        !frame.contains("]52;"),
        "the OSC 52 payload is not written out"
    );
    let view = w.state.overlay.log_view().expect("view");
    assert!(
        view.buffer.bytes() < 4 << 20,
        "a 1 MB line is bounded: {}",
        view.buffer.bytes()
    );
}

#[tokio::test]
async fn a_paste_into_the_search_takes_its_first_line_up_to_the_search_limit() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    finished_log(&mut w, numbered(30)).await;
    assert_eq!(log_status(&w), Status::Done);
    w.send(key('/')).await;
    w.send(cbdash::app::Msg::Paste("step 02\r\nstep 1".into()))
        .await;
    let view = w.state.overlay.log_view().expect("view");
    assert_eq!(view.query, "step 02", "cut at the first line break");
    assert_eq!(view.matches.len(), 10, "step 020..029 are found at once");
    let notice = w.state.notice.clone().expect("the cut is said");
    assert!(notice.text.contains("first line break"), "{}", notice.text);

    let limit = cbdash::app::overlay::SEARCH_LIMIT;
    w.send(cbdash::app::Msg::Paste("x".repeat(1_000))).await;
    let view = w.state.overlay.log_view().expect("view");
    assert_eq!(view.query.chars().count(), limit);
    assert!(view.query.starts_with("step 02x"), "earlier text kept");
    let notice = w.state.notice.clone().expect("the cut is said");
    let left_out = 1_000 - (limit - "step 02".len());
    assert!(
        notice.text.contains(&format!(
            "at most {limit} characters; {left_out} of the 1000"
        )),
        "{}",
        notice.text
    );
    w.send(key('y')).await;
    assert_eq!(
        w.state.overlay.log_view().map(|v| v.query.chars().count()),
        Some(limit),
        "typing stops at the limit too"
    );
}
