//! Relaunch with overrides through the wire: the exact StartBuild and
//! StartBuildBatch bodies the simulator received.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{json, Value};

use crate::common::fixtures::{code, key};
use crate::common::wire::Wire;
use cbdash::app::form::Stage;
use cbdash::app::{update, Effect, Row};
use cbdash_sim::{BatchSpec, BuildSpec, Fault, GroupSpec, Scenario};

fn ctrl(c: char) -> cbdash::app::Msg {
    cbdash::app::Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

async fn type_text(w: &mut Wire, text: &str) {
    for c in text.chars() {
        w.send(key(c)).await;
    }
}

/// The label of the form's highlighted row, as drawn.
fn focused_row(w: &Wire) -> String {
    crate::common::render::screen(&w.state, 160, 60)
        .lines()
        .find_map(|l| {
            l.split_once("› ")
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .unwrap_or_default()
}

async fn go_to(w: &mut Wire, label: &str) {
    for _ in 0..200 {
        if focused_row(w).starts_with(label) {
            return;
        }
        w.send(code(KeyCode::Tab)).await;
    }
    panic!("no row {label:?}");
}

/// A finished build of web-frontend, loaded and selected.
async fn finished_build(w: &mut Wire) -> String {
    let id = w.sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 3600.0,
        source_version: Some("main".into()),
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    id
}

fn body_of(w: &Wire, operation: &str) -> Value {
    let sent = w.mutations();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].operation, operation);
    sent[0].body.clone()
}

#[tokio::test]
async fn relaunch_with_a_new_branch_and_a_new_variable_sends_exactly_that_and_what_it_ran_with() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = finished_build(&mut w).await;
    let ran_with = w.state.store.get(&id).expect("build").ran_with.clone();
    w.send(key('s')).await;
    assert!(w.state.overlay.form().is_some());
    w.send(ctrl('u')).await;
    type_text(&mut w, "feature/login").await;
    go_to(&mut w, "environment variables").await;
    w.send(key('+')).await;
    type_text(&mut w, "FEATURE_FLAG").await;
    w.send(code(KeyCode::Tab)).await;
    type_text(&mut w, "on").await;
    w.send(ctrl('s')).await;
    assert_eq!(
        w.state.overlay.form().map(|f| f.stage()),
        Some(Stage::Review)
    );
    let review = crate::common::render::screen(&w.state, 160, 60);
    assert!(
        review.contains("feature/login") && review.contains("FEATURE_FLAG"),
        "{review}"
    );
    assert!(w.mutations().is_empty(), "nothing before y");
    w.send(key('y')).await;

    let body = body_of(&w, "StartBuild");
    assert_eq!(body["projectName"], json!("web-frontend"));
    assert_eq!(body["sourceVersion"], json!("feature/login"));
    let vars = body["environmentVariablesOverride"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(vars.len(), ran_with.env_vars.len() + 1);
    assert!(vars.contains(&json!({"name": "FEATURE_FLAG", "value": "on", "type": "PLAINTEXT"})));
    for v in &ran_with.env_vars {
        assert!(vars
            .iter()
            .any(|s| s["name"] == json!(v.name) && s["value"] == json!(v.value)));
    }
    // Prefilled: it runs as the build ran.
    assert_eq!(body["computeTypeOverride"], json!(ran_with.compute_type));
    assert_eq!(body["imageOverride"], json!(ran_with.image));
    assert_eq!(
        body["timeoutInMinutesOverride"],
        json!(ran_with.timeout_minutes)
    );
    let token = body["idempotencyToken"].as_str().expect("a token");
    assert!(token.starts_with("cbdash-"));

    assert!(w.state.overlay.form().is_none(), "the form closes");
    let started = w.state.selected_build().expect("the new build is selected");
    assert_ne!(&*started.id, id.as_str());
    assert_eq!(started.source_version.as_deref(), Some("feature/login"));
}

#[tokio::test]
async fn invalid_values_send_nothing() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    finished_build(&mut w).await;
    w.send(key('s')).await;
    go_to(&mut w, "timeout (minutes)").await;
    w.send(ctrl('u')).await;
    type_text(&mut w, "3").await;
    let effects = w.send(ctrl('s')).await;
    assert!(effects.is_empty());
    assert_eq!(
        w.state.overlay.form().map(|f| f.stage()),
        Some(Stage::Editing)
    );
    let frame = crate::common::render::screen(&w.state, 160, 60);
    assert!(frame.contains("5"), "the limit is shown: {frame}");
    w.send(key('y')).await;
    assert!(w.mutations().is_empty());
}

#[tokio::test]
async fn an_api_error_is_shown_in_the_form_and_the_input_is_kept() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    finished_build(&mut w).await;
    w.send(key('s')).await;
    w.send(ctrl('u')).await;
    type_text(&mut w, "release/2.0").await;
    w.send(ctrl('s')).await;
    w.sim.inject(Fault::AccessDenied, 1);
    w.send(key('y')).await;
    let form = w.state.overlay.form().expect("the form stays open");
    assert_eq!(form.stage(), Stage::Editing);
    assert!(
        form.api_error()
            .is_some_and(|e| e.contains("access denied")),
        "{:?}",
        form.api_error()
    );
    let (values, _) = form.values().expect("valid");
    assert_eq!(values.source_version.as_deref(), Some("release/2.0"));
    let frame = crate::common::render::screen(&w.state, 160, 60);
    assert!(
        frame.contains("not authorized"),
        "the service's message is shown"
    );
}

#[tokio::test]
async fn a_second_submit_while_sending_does_nothing() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    finished_build(&mut w).await;
    w.send(key('s')).await;
    w.send(ctrl('s')).await;
    let first = update(&mut w.state, key('y'));
    assert!(matches!(&first[..], [Effect::Send(_)]));
    assert!(update(&mut w.state, key('y')).is_empty());
    assert!(update(&mut w.state, ctrl('s')).is_empty());
    w.run(first).await;
    assert_eq!(w.mutations().len(), 1, "one build started");
}

#[tokio::test]
async fn relaunch_a_batch_with_its_batch_settings() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_batch(BatchSpec {
        project: "monorepo-ci".into(),
        started_secs_ago: 7200.0,
        groups: vec![GroupSpec {
            identifier: "lint".into(),
            ..GroupSpec::default()
        }],
    });
    w.cycle().await;
    w.select(Row::Batch(id.as_str().into()));
    w.send(key('s')).await;
    assert!(w.state.overlay.form().is_some_and(|f| f.is_batch()));
    go_to(&mut w, "maximum builds allowed").await;
    w.send(ctrl('u')).await;
    type_text(&mut w, "8").await;
    w.send(ctrl('s')).await;
    w.send(key('y')).await;
    let body = body_of(&w, "StartBuildBatch");
    assert_eq!(body["projectName"], json!("monorepo-ci"));
    assert_eq!(
        body["buildBatchConfigOverride"]["restrictions"]["maximumBuildsAllowed"],
        json!(8)
    );
    assert!(body["idempotencyToken"].is_string());
    assert!(
        matches!(w.state.list.selected(), Some(Row::Batch(b)) if **b != *id),
        "the new batch is selected"
    );
}

#[tokio::test]
async fn a_new_build_from_the_project_list_has_no_overrides() {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    w.cycle().await;
    w.send(key('P')).await;
    let names = w
        .state
        .overlay
        .picker()
        .and_then(|p| p.names.clone())
        .expect("projects listed");
    assert!(names.len() >= 5);
    w.send(key('j')).await;
    w.send(code(KeyCode::Enter)).await;
    let form = w.state.overlay.form().expect("the form");
    assert!(!form.is_batch());
    w.send(ctrl('s')).await;
    w.send(key('y')).await;
    let body = body_of(&w, "StartBuild");
    let keys: Vec<&String> = body
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 2, "only the project and the token: {body}");
    assert_eq!(body["projectName"], json!(names[1]));
}
