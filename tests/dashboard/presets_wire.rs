//! Presets from the form: save, load, remember the last start, and a
//! corrupt preset file that is reported and left alone.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::common::fixtures::{code, key, selected_id};
use crate::common::wire::Wire;
use cbdash::app::overlay::PresetMenu;
use cbdash::app::{Row, Settings};
use cbdash_sim::{BuildSpec, Scenario};

fn ctrl(c: char) -> cbdash::app::Msg {
    cbdash::app::Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

async fn type_text(w: &mut Wire, text: &str) {
    for c in text.chars() {
        w.send(key(c)).await;
    }
}

async fn with_build() -> Wire {
    let mut w = Wire::start(Scenario::Quiet, &[]).await;
    let id = w.sim.add_build(BuildSpec {
        project: "api-service".into(),
        started_secs_ago: 3600.0,
        source_version: Some("main".into()),
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(id.as_str().into()));
    w
}

fn source_version(w: &Wire) -> Option<String> {
    w.state
        .overlay
        .form()
        .and_then(|f| f.values().ok())
        .and_then(|(o, _)| o.source_version)
}

#[tokio::test]
async fn a_saved_preset_loads_into_a_later_form() {
    let mut w = with_build().await;
    w.send(key('s')).await;
    w.send(ctrl('u')).await;
    type_text(&mut w, "hotfix/login").await;
    w.send(ctrl('w')).await;
    type_text(&mut w, "hotfix").await;
    w.send(code(KeyCode::Enter)).await;
    let notice = w.state.notice.clone().expect("told");
    assert!(
        notice.text.contains("saved preset hotfix"),
        "{}",
        notice.text
    );
    // Leave the form (it asks, since it changed), open a fresh one.
    w.send(code(KeyCode::Esc)).await;
    w.send(key('y')).await;
    assert!(w.state.overlay.form().is_none());
    w.send(key('s')).await;
    assert_eq!(source_version(&w).as_deref(), Some("main"));
    w.send(ctrl('o')).await;
    assert!(matches!(
        w.state.overlay.preset_menu(),
        Some(PresetMenu::Pick { .. })
    ));
    w.send(code(KeyCode::Enter)).await;
    assert_eq!(source_version(&w).as_deref(), Some("hotfix/login"));
    assert!(
        w.state.overlay.form().is_some_and(|f| f.is_dirty()),
        "loaded values are changes to review"
    );
}

#[tokio::test]
async fn the_last_start_is_remembered_per_project() {
    let mut w = with_build().await;
    w.send(key('s')).await;
    w.send(ctrl('u')).await;
    type_text(&mut w, "release/3").await;
    w.send(ctrl('s')).await;
    w.send(key('y')).await;
    assert!(w.state.overlay.form().is_none(), "started");
    let last = w
        .presets
        .last_used("api-service")
        .expect("readable")
        .expect("remembered");
    assert_eq!(last.overrides.source_version.as_deref(), Some("release/3"));
    w.send(key('s')).await;
    w.send(ctrl('o')).await;
    let Some(PresetMenu::Pick { items, .. }) = w.state.overlay.preset_menu().cloned() else {
        panic!("a list");
    };
    assert_eq!(items[0].name, "last used");
}

#[tokio::test]
async fn a_corrupt_preset_file_is_reported_and_left_untouched() {
    let mut w = with_build().await;
    let path = w.presets.path().to_path_buf();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("temp dir");
    }
    std::fs::write(&path, b"{ this is not json").expect("write");
    w.send(key('s')).await;
    w.send(ctrl('w')).await;
    type_text(&mut w, "mine").await;
    w.send(code(KeyCode::Enter)).await;
    let notice = w.state.notice.clone().expect("told");
    assert!(notice.error, "an error");
    assert!(
        notice.text.contains(&path.display().to_string()),
        "names the file: {}",
        notice.text
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        b"{ this is not json",
        "not overwritten"
    );
    w.send(ctrl('o')).await;
    assert!(w.state.overlay.preset_menu().is_none());
    assert!(w.state.notice.as_ref().is_some_and(|n| n.error));
}

/// The value of `name` in the open form, as it would be sent.
fn form_value(w: &Wire, name: &str) -> Option<String> {
    let form = w.state.overlay.form()?;
    let var = form.env_vars().iter().find(|v| v.name == name)?;
    Some(var.value.clone())
}

/// Opens the form on `id` and loads the preset at `index` of the menu.
async fn apply_preset(w: &mut Wire, id: &str, index: usize) {
    w.select(Row::Build(id.into()));
    w.send(key('s')).await;
    w.send(ctrl('o')).await;
    for _ in 0..index {
        w.send(code(KeyCode::Down)).await;
    }
    w.send(code(KeyCode::Enter)).await;
}

#[tokio::test]
async fn with_masking_on_no_plaintext_value_is_written_and_a_preset_asks_for_it() {
    let secret = "s3cr3t-deploy-value";
    let settings = Settings {
        context: "test".into(),
        mask_plaintext: true,
        ..Settings::default()
    };
    let mut w = Wire::start_with(Scenario::Quiet, settings).await;
    // web-frontend runs with NODE_ENV=production and a Parameter Store reference.
    let first = w.sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 3600.0,
        ..BuildSpec::default()
    });
    w.cycle().await;
    w.select(Row::Build(first.as_str().into()));
    w.send(key('s')).await;
    w.send(code(KeyCode::Tab)).await;
    w.send(key('+')).await;
    type_text(&mut w, "DEPLOY_TOKEN").await;
    w.send(code(KeyCode::Tab)).await;
    type_text(&mut w, secret).await;
    w.send(ctrl('w')).await;
    type_text(&mut w, "deploy").await;
    w.send(code(KeyCode::Enter)).await;
    w.send(ctrl('s')).await;
    w.send(key('y')).await;
    assert!(w.state.overlay.form().is_none(), "started");
    let sent = w.mutations();
    assert!(
        sent[0].body.to_string().contains(secret),
        "the build got it"
    );
    let relaunched = selected_id(&w.state);
    assert_ne!(relaunched, first);

    let file = String::from_utf8(std::fs::read(w.presets.path()).expect("written")).expect("UTF-8");
    for value in [secret, "production"] {
        assert!(!file.contains(value), "{value} on disk: {file}");
    }
    for kept in ["DEPLOY_TOKEN", "NODE_ENV", "/ci/web-frontend/sentry-token"] {
        assert!(file.contains(kept), "{kept} kept: {file}");
    }
    assert!(
        file.contains("\"last\"") && file.contains("\"deploy\""),
        "{file}"
    );

    // A build without the variable: its value is asked for, not sent empty.
    apply_preset(&mut w, &first, 1).await;
    assert_eq!(form_value(&w, "NODE_ENV").as_deref(), Some("production"));
    assert_eq!(form_value(&w, "DEPLOY_TOKEN").as_deref(), Some(""));
    let notice = w.state.notice.clone().expect("told");
    assert!(
        notice.text.contains("1 variable value(s) were not saved"),
        "{}",
        notice.text
    );
    let errors = w.state.overlay.form().map(|f| f.values());
    assert!(
        matches!(&errors, Some(Err(e)) if e.iter().any(|(_, m)| m.contains("not saved with the preset"))),
        "{errors:?}"
    );
    w.send(code(KeyCode::Esc)).await;
    w.send(key('y')).await;

    // The relaunched build ran with it: the value comes from the build.
    apply_preset(&mut w, &relaunched, 1).await;
    assert_eq!(form_value(&w, "DEPLOY_TOKEN").as_deref(), Some(secret));
    assert!(w.state.overlay.form().is_some_and(|f| f.values().is_ok()));
}
