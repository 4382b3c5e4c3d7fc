//! Watching a build: told once when it finishes, by bell and desktop
//! notification; and the other requests to the terminal, the clipboard
//! (OSC 52) and the browser opener, fed hostile text.

use crate::common::fixtures::key;
use crate::common::wire::Wire;
use cbdash::app::{Row, Settings};
use cbdash::runtime::terminal::notify;
use cbdash_sim::{BuildSpec, Outcome, Scenario};

fn quick(project: &str, outcome: Outcome) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        outcome,
        phase_secs: Some(vec![("BUILD".into(), 60.0)]),
        ..BuildSpec::default()
    }
}

/// Polls until the build completes.
async fn until_done(w: &mut Wire, id: &str) {
    for _ in 0..100 {
        if w.state.store.get(id).is_some_and(|b| b.complete) {
            return;
        }
        w.advance(10).await;
    }
}

#[tokio::test]
async fn a_watched_build_notifies_once_when_it_finishes() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(quick(
        "api-service",
        Outcome::FailIn {
            phase: "BUILD".into(),
            command: "make".into(),
        },
    ));
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('w')).await;
    assert!(w.state.watched.contains(id.as_str()));
    until_done(&mut w, &id).await;
    let notice = w.state.notice.clone().expect("told");
    assert!(
        notice.text.contains("api-service #") && notice.text.contains("FAILED"),
        "{}",
        notice.text
    );
    assert!(notice.text.contains("failed in BUILD"), "{}", notice.text);
    assert!(w.state.watched.is_empty(), "once");
}

#[tokio::test]
async fn builds_of_notified_projects_are_watched_without_asking() {
    let settings = Settings {
        notify_projects: vec!["web-frontend".into()],
        ..Settings::default()
    };
    let mut w = Wire::start_with(Scenario::Quiet, settings).await;
    let id = w.sim.add_build(quick("web-frontend", Outcome::Succeed));
    let other = w.sim.add_build(quick("api-service", Outcome::Succeed));
    w.cycle().await;
    until_done(&mut w, &id).await;
    until_done(&mut w, &other).await;
    let notice = w.state.notice.clone().expect("told");
    assert!(
        notice.text.contains("web-frontend") && notice.text.contains("SUCCEEDED"),
        "{}",
        notice.text
    );
}

#[test]
fn the_notification_rings_and_speaks_both_dialects_inertly() {
    let mut out = Vec::new();
    notify(
        &mut out,
        &format!("web #1 FAILED{}", crate::common::visible::HOSTILE),
        "failed in BUILD; after 3m",
    )
    .expect("write");
    let text = String::from_utf8(out).expect("utf-8");
    // What the terminal shows: the text between our own sequences.
    for shown in text.split(['\x07', '\x1b']) {
        crate::common::visible::assert_visible("notification", shown);
    }
    assert!(text.starts_with('\x07'), "the bell");
    assert!(text.contains("\x1b]9;web #1 FAILED"), "OSC 9");
    assert!(text.contains("\x1b]777;notify;web #1 FAILED"), "OSC 777");
    // Only our own three sequences: nothing from the build's text survives raw.
    assert_eq!(text.matches('\x1b').count(), 2, "{text:?}");
    assert_eq!(text.matches('\x07').count(), 3, "{text:?}");
}

#[tokio::test]
async fn w_on_a_finished_build_says_so() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        started_secs_ago: 3600.0,
        ..quick("api-service", Outcome::Succeed)
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('w')).await;
    assert!(w.state.watched.is_empty());
    assert!(w
        .state
        .notice
        .as_ref()
        .is_some_and(|n| n.error && n.text.contains("already finished")));
}

/// A log group name from StartBuild's override shows in the build's links:
/// `y` copies it only as drawn, `o` refuses it, and the frame stays inert.
#[tokio::test]
async fn a_hostile_link_is_copied_inert_and_never_opened() {
    use crate::common::visible::{assert_visible, HOSTILE};
    use aws_sdk_codebuild::types::{CloudWatchLogsConfig, LogsConfig, LogsConfigStatusType};
    use cbdash::app::Effect;
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let logs = CloudWatchLogsConfig::builder()
        .status(LogsConfigStatusType::Enabled)
        .group_name(HOSTILE)
        .build()
        .expect("logs config");
    let started = crate::common::sdk::client(&w.sim)
        .start_build()
        .project_name("web-frontend")
        .source_version(HOSTILE)
        .logs_config_override(LogsConfig::builder().cloud_watch_logs(logs).build())
        .send()
        .await
        .expect("started");
    let id = started
        .build_value()
        .and_then(|b| b.id())
        .expect("an id")
        .to_string();
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));

    let copied: Vec<String> = w
        .send(key('y'))
        .await
        .into_iter()
        .filter_map(|e| match e {
            Effect::Copy(text) => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(copied.len(), 1, "{copied:?}");
    assert!(
        copied[0].starts_with("https://console.aws.amazon.com/"),
        "{copied:?}"
    );
    assert!(copied[0].contains("main�]0;PWNED�"), "{copied:?}");
    assert_visible("clipboard", &copied[0]);
    let mut osc = Vec::new();
    cbdash::runtime::terminal::copy_to_clipboard(&mut osc, &copied[0]).expect("write");
    assert_eq!(
        osc.iter().filter(|b| **b == 0x1b).count(),
        1,
        "one OSC 52 only"
    );

    let opened = w.send(key('o')).await;
    assert!(
        !opened.iter().any(|e| matches!(e, Effect::OpenUrl(_))),
        "{opened:?}"
    );
    let notice = w.state.notice.clone().expect("a notice says why");
    assert!(notice.text.contains("not opened"), "{}", notice.text);
    assert_visible(
        "the frame",
        &crate::common::render::screen(&w.state, 160, 45),
    );
}
