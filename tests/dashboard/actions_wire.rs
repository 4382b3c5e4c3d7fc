//! Stop and retry through the wire: the exact requests the simulator
//! received, aimed at what the question named.

use crossterm::event::KeyCode;
use serde_json::json;

use crate::common::fixtures::{code, key};
use crate::common::wire::Wire;
use cbdash::app::{Effect, Row, Settings};
use cbdash::domain::Status;
use cbdash_sim::{BatchSpec, BuildSpec, GroupSpec, Outcome, Scenario};

fn long_build() -> BuildSpec {
    BuildSpec {
        project: "api-service".into(),
        phase_secs: Some(vec![("BUILD".into(), 600.0)]),
        ..BuildSpec::default()
    }
}

#[tokio::test]
async fn stop_names_the_build_asks_and_sends_one_stop_for_it() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(long_build());
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('x')).await;
    let confirm = w
        .state
        .overlay
        .confirm()
        .cloned()
        .expect("a question first");
    let text = confirm.lines.join("\n");
    assert!(
        text.contains("api-service #") && text.contains(&id) && text.contains("IN_PROGRESS"),
        "{text}"
    );
    assert!(w.mutations().is_empty(), "nothing before y");

    let effects = w.send(key('y')).await;
    assert!(matches!(&effects[..], [Effect::Send(_)]));
    let sent = w.mutations();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].operation, "StopBuild");
    assert_eq!(sent[0].body, json!({ "id": id }));
    // The row shows the answer at once, before any poll.
    assert_eq!(
        w.state.store.get(&id).map(|b| b.status.clone()),
        Some(Status::Stopped)
    );
}

#[tokio::test]
async fn a_stop_aimed_at_a_build_that_a_poll_moved_still_stops_that_build() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(long_build());
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('x')).await;
    // While the question is open, newer builds arrive above it.
    for _ in 0..3 {
        w.sim.add_build(BuildSpec {
            project: "web-frontend".into(),
            ..BuildSpec::default()
        });
    }
    w.advance(5).await;
    w.cycle().await;
    assert_ne!(
        w.state.list.rows()[0],
        Row::Build(id.as_str().into()),
        "the list moved"
    );
    w.send(key('y')).await;
    let sent = w.mutations();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body["id"], json!(id));
}

#[tokio::test]
async fn a_build_that_finished_meanwhile_is_not_stopped() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        project: "api-service".into(),
        phase_secs: Some(vec![("BUILD".into(), 30.0)]),
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('x')).await;
    for _ in 0..40 {
        w.advance(15).await;
    }
    assert!(w.state.store.get(&id).is_some_and(|b| b.complete));
    assert!(w.send(key('y')).await.is_empty());
    assert!(w.mutations().is_empty(), "nothing was sent");
    let notice = w.state.notice.clone().expect("the user is told");
    assert!(
        notice.text.contains("finished meanwhile"),
        "{}",
        notice.text
    );
}

#[tokio::test]
async fn n_and_esc_cancel_without_sending() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(long_build());
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('x')).await;
    w.send(key('n')).await;
    assert!(w.state.overlay.confirm().is_none());
    w.send(key('x')).await;
    w.send(code(KeyCode::Esc)).await;
    assert!(w.state.overlay.confirm().is_none());
    assert!(w.mutations().is_empty());
}

#[tokio::test]
async fn stop_a_running_batch() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let groups = vec![
        GroupSpec {
            identifier: "lint".into(),
            phase_secs: Some(vec![("BUILD".into(), 600.0)]),
            ..GroupSpec::default()
        },
        GroupSpec {
            identifier: "test".into(),
            depends_on: vec!["lint".into()],
            ..GroupSpec::default()
        },
    ];
    let id = w.sim.add_batch(BatchSpec {
        project: "monorepo-ci".into(),
        groups,
        ..BatchSpec::default()
    });
    w.cycle().await;
    w.advance(60).await;
    w.select(Row::Batch(id.as_str().into()));
    w.send(key('x')).await;
    assert!(w
        .state
        .overlay
        .confirm()
        .is_some_and(|c| c.title.contains("batch")));
    w.send(key('y')).await;
    let sent = w.mutations();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].operation, "StopBuildBatch");
    assert_eq!(sent[0].body, json!({ "id": id }));
}

#[tokio::test]
async fn retry_a_failed_build_sends_its_id_and_a_token_and_selects_the_new_build() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 3600.0,
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "npm test".into(),
        },
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('R')).await;
    w.send(key('y')).await;
    let sent = w.mutations();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].operation, "RetryBuild");
    assert_eq!(sent[0].body["id"], json!(id));
    let token = sent[0].body["idempotencyToken"].as_str().expect("a token");
    assert!(token.starts_with("cbdash-") && token.len() <= 64);
    let selected = w.state.list.selected().cloned().expect("selection");
    assert_ne!(
        selected,
        Row::Build(id.as_str().into()),
        "the new build is selected"
    );
    assert!(w
        .state
        .selected_build()
        .is_some_and(|b| b.project == "web-frontend" && !b.complete));
}

#[tokio::test]
async fn retry_a_batch_choosing_what_to_retry() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let groups = vec![
        GroupSpec {
            identifier: "lint".into(),
            ..GroupSpec::default()
        },
        GroupSpec {
            identifier: "unit".into(),
            depends_on: vec!["lint".into()],
            outcome: Outcome::FailIn {
                phase: "BUILD".into(),
                command: "cargo test".into(),
            },
            ..GroupSpec::default()
        },
    ];
    let id = w.sim.add_batch(BatchSpec {
        project: "monorepo-ci".into(),
        groups,
        ..BatchSpec::default()
    });
    w.cycle().await;
    for _ in 0..60 {
        w.advance(15).await;
    }
    assert!(w.state.store.batches.get(&id).is_some_and(|b| b.complete));
    w.select(Row::Batch(id.as_str().into()));
    w.send(key('R')).await;
    w.send(code(KeyCode::Right)).await;
    w.send(code(KeyCode::Left)).await;
    w.send(key('y')).await;
    let sent = w.mutations();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].operation, "RetryBuildBatch");
    assert_eq!(sent[0].body["id"], json!(id));
    assert_eq!(sent[0].body["retryType"], json!("RETRY_FAILED_BUILDS"));
    assert!(sent[0].body["idempotencyToken"].is_string());
    assert!(
        w.state.store.batches.get(&id).is_some_and(|b| !b.complete),
        "running again at once"
    );
}

#[tokio::test]
async fn read_only_explains_and_sends_nothing() {
    let settings = Settings {
        read_only: true,
        ..Settings::default()
    };
    let mut w = Wire::start_with(Scenario::Quiet, settings).await;
    let id = w.sim.add_build(long_build());
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    for k in ['x', 'R', 's'] {
        let effects = w.send(key(k)).await;
        assert!(effects.is_empty(), "{k}: {effects:?}");
        assert!(w.state.overlay.confirm().is_none() && w.state.overlay.form().is_none());
        let notice = w.state.notice.clone().expect("explained");
        assert!(notice.text.contains("read-only"), "{k}: {}", notice.text);
    }
    assert!(w.mutations().is_empty());
}

#[tokio::test]
async fn a_repeated_retry_with_the_same_token_starts_one_build() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 3600.0,
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w.send(key('R')).await;
    let effects = cbdash::app::update(&mut w.state, key('y'));
    let [Effect::Send(command)] = &effects[..] else {
        panic!("one command: {effects:?}");
    };
    // The same submission twice, as an automatic retry after a lost answer would.
    let first = crate::common::wire::send(&w.api, command)
        .await
        .expect("first");
    let second = crate::common::wire::send(&w.api, command)
        .await
        .expect("again");
    assert_eq!(first, second, "the same build, not a second one");
    let tokens: Vec<_> = w
        .mutations()
        .iter()
        .map(|r| r.body["idempotencyToken"].clone())
        .collect();
    assert_eq!(tokens.len(), 2);
    assert_eq!(tokens[0], tokens[1]);
}
