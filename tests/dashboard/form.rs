//! The start / relaunch form, driven by keys as a user would.

use cbdash::app::form::{masked, Form, FormEvent, Stage, MASK};
use cbdash::app::paste::Pasted;
use cbdash::domain::choices;
use cbdash::domain::{BatchConfig, EnvVar, Overrides};
use crossterm::event::{KeyCode, KeyCode::*, KeyEvent, KeyModifiers};
use ratatui::{backend::TestBackend, Terminal};

/// What a typical build ran with.
const RAN_WITH: &str = r#"{
  "source_version": "main", "compute_type": "BUILD_GENERAL1_SMALL",
  "env_vars": [{"name": "STAGE", "value": "prod", "kind": "PLAINTEXT"},
               {"name": "DB_PASSWORD", "value": "/prod/db-password", "kind": "PARAMETER_STORE"}],
  "buildspec": "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n",
  "environment_type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
  "image_pull_credentials_type": "CODEBUILD", "privileged_mode": false,
  "timeout_minutes": 60, "queued_timeout_minutes": 480, "git_clone_depth": 1,
  "git_submodules": true, "report_build_status": true, "source_type": "GITHUB",
  "source_location": "https://github.com/acme/web.git", "insecure_ssl": false,
  "service_role": "arn:aws:iam::123456789012:role/build", "cache_type": "S3",
  "cache_location": "acme-cache/web", "auto_retry_limit": 2
}"#;
const BATCH: &str = r#"{"combine_artifacts": true, "maximum_builds_allowed": 10,
  "compute_types_allowed": ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM"],
  "timeout_minutes": 120, "batch_report_mode": "REPORT_AGGREGATED_BATCH"}"#;

fn ran_with() -> Overrides {
    serde_json::from_str(RAN_WITH).expect("fixture")
}
fn batch() -> BatchConfig {
    serde_json::from_str(BATCH).expect("fixture")
}
fn form() -> Form {
    Form::new("Relaunch web #42".into(), "web".into(), ran_with(), None)
}
fn batch_form() -> Form {
    Form::new(
        "Relaunch web:7".into(),
        "web".into(),
        ran_with(),
        Some(batch()),
    )
}
fn var(name: &str, value: &str, kind: &str) -> EnvVar {
    let (name, value, kind) = (name.into(), value.into(), kind.into());
    EnvVar { name, value, kind }
}

/// Presses keys written as text: `<tab>`, `<s-tab>`, `<enter>`, `<esc>`,
/// `<left>`, `<right>`, `<C-s>` (Ctrl-S); anything else is typed. Returns
/// what the last key did.
fn keys(form: &mut Form, script: &str) -> FormEvent {
    let mut last = FormEvent::None;
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        let (code, mods, len) = match rest.split_once('>') {
            Some((name, _)) if c == '<' && name.len() > 1 => {
                let code = match &name[1..] {
                    "tab" => Tab,
                    "s-tab" => BackTab,
                    "enter" => Enter,
                    "esc" => Esc,
                    "left" => Left,
                    "right" => Right,
                    ctrl => Char(ctrl.chars().last().unwrap_or(' ')),
                };
                let ctrl = name.starts_with("<C-");
                let mods = if ctrl {
                    KeyModifiers::CONTROL
                } else {
                    KeyModifiers::NONE
                };
                (code, mods, name.len() + 1)
            }
            _ => (Char(c), KeyModifiers::NONE, c.len_utf8()),
        };
        last = form.on_key(KeyEvent::new(code, mods));
        rest = &rest[len..];
    }
    last
}

fn screen(form: &Form, width: u16, height: u16, mask: bool) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let destination = ["starts in account 123456789012 · us-east-1 · test".to_string()];
    let theme = cbdash::ui::theme::Theme::default();
    let draw = |f: &mut ratatui::Frame| {
        cbdash::ui::form::draw(f, f.area(), form, mask, &destination, theme)
    };
    terminal.draw(draw).expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        (0..width).for_each(|x| out.push_str(buffer[(x, y)].symbol()));
        out.push('\n');
    }
    out
}

/// Tabs until the highlighted row is labelled `label` (a variable's name
/// carries the cursor while focused).
fn go_to(form: &mut Form, label: &str) {
    for _ in 0..200 {
        let frame = screen(form, 140, 60, false);
        let row = frame
            .lines()
            .find_map(|l| l.split_once("› "))
            .map(|(_, r)| r.trim_start());
        let at = |end: &str| row.is_some_and(|r| r.starts_with(&format!("{label}{end}")));
        if at(" ") || at("█") {
            return;
        }
        keys(form, "<tab>");
    }
    panic!("no row labelled {label:?}");
}

/// Ctrl-S must refuse: nothing sent, still editing, the field named.
fn assert_rejected(form: &mut Form, label: &str, message: &str) {
    assert_eq!(keys(form, "<C-s>"), FormEvent::None);
    assert_eq!(form.stage(), Stage::Editing);
    let errors = form.values().expect_err("invalid input must not validate");
    let named = errors
        .iter()
        .any(|(l, m)| l == label && m.contains(message));
    assert!(named, "expected {label}: {message} in {errors:?}");
}

fn changed(form: &Form) -> Vec<(String, String, String)> {
    form.changes()
        .into_iter()
        .map(|c| (c.field, c.old, c.new))
        .collect()
}
fn row(field: &str, old: &str, new: &str) -> (String, String, String) {
    (field.into(), old.into(), new.into())
}

#[test]
fn an_untouched_form_relaunches_exactly_what_ran() {
    let f = form();
    assert_eq!(f.values(), Ok((ran_with(), None)));
    assert!(f.changes().is_empty() && !f.is_dirty() && !f.is_batch());
    assert_eq!(
        (f.title(), f.project(), f.stage()),
        ("Relaunch web #42", "web", Stage::Editing)
    );
    let b = batch_form();
    assert_eq!(b.values(), Ok((ran_with(), Some(batch()))));
    assert!(b.changes().is_empty() && b.is_batch());
}

#[test]
fn a_new_branch_and_a_new_variable_are_the_only_changes() {
    let mut f = form();
    keys(&mut f, "<C-u>feature/login<tab>+FEATURE_FLAG<tab>on");
    let added = row(
        "environment variable",
        "(not set)",
        "FEATURE_FLAG=on (PLAINTEXT)",
    );
    assert_eq!(
        changed(&f),
        [row("source version", "main", "feature/login"), added]
    );
    let mut expected = ran_with();
    expected.source_version = Some("feature/login".into());
    expected
        .env_vars
        .push(var("FEATURE_FLAG", "on", "PLAINTEXT"));
    assert_eq!(f.values(), Ok((expected, None)));
    assert!(f.is_dirty());
}

#[test]
fn every_field_rule_refuses_with_the_field_named() {
    for (label, text, message) in [
        ("timeout (minutes)", "4", "between 5 and 2160"),
        ("timeout (minutes)", "2161", "between 5 and 2160"),
        ("timeout (minutes)", "an hour", "must be a whole number"),
        ("queued timeout (minutes)", "4", "between 5 and 480"),
        ("queued timeout (minutes)", "481", "between 5 and 480"),
        ("git clone depth", "-1", "0 or more"),
        ("git clone depth", "1.5", "must be a whole number"),
        ("auto retry limit", "-1", "0 or more"),
        ("compute type", "huge", "unknown value \"HUGE\""),
        ("cache type", "DISK", "unknown value \"DISK\""),
        ("maximum builds allowed", "0", "1 or more"),
        ("batch timeout (minutes)", "4", "5 or more"),
        (
            "compute types allowed",
            "BUILD_GENERAL1_SMALL, TINY",
            "\"TINY\"",
        ),
        ("batch report mode", "EVERY", "unknown value"),
    ] {
        let mut f = batch_form();
        go_to(&mut f, "▸ advanced");
        keys(&mut f, "<enter>");
        go_to(&mut f, label);
        keys(&mut f, &format!("<C-u>{text}"));
        assert_rejected(&mut f, label, message);
    }
}

#[test]
fn bad_variable_names_and_types_are_refused() {
    for (name, kind, message) in [
        ("", "PLAINTEXT", "name is empty"),
        ("STAGE", "PLAINTEXT", "already used"),
        ("CODEBUILD_BUILD_ID", "PLAINTEXT", "reserved"),
        ("OK_NAME", "VAULT", "type must be one of"),
    ] {
        let mut f = form();
        go_to(&mut f, "environment variables");
        keys(&mut f, &format!("<enter>{name}<tab>x<tab><C-u>{kind}"));
        assert_rejected(&mut f, "environment variable 3", message);
    }
}

#[test]
fn errors_are_shown_beside_their_field_until_fixed() {
    let mut f = form();
    go_to(&mut f, "timeout (minutes)");
    keys(&mut f, "<C-u>4<C-s>");
    let frame = screen(&f, 140, 60, false);
    let line = frame.lines().find(|l| l.contains("› timeout (minutes)"));
    assert!(
        line.unwrap_or("")
            .contains("4█  ✘ must be between 5 and 2160"),
        "{frame}"
    );
    assert!(frame.contains("1 problem"), "{frame}");
    keys(&mut f, "<C-u>90");
    assert!(!screen(&f, 140, 60, false).contains('✘'));
}

#[test]
fn choosing_with_arrows_stays_within_the_sdk_values() {
    let mut f = form();
    go_to(&mut f, "compute type");
    let allowed = choices::COMPUTE_TYPES;
    let mut seen = Vec::new();
    for _ in 0..allowed.len() {
        keys(&mut f, "<right>");
        let chosen = f
            .values()
            .ok()
            .and_then(|(o, _)| o.compute_type)
            .unwrap_or_default();
        assert!(allowed.contains(&chosen.as_str()), "{chosen:?}");
        seen.push(chosen);
    }
    // A full turn offers every value and comes back to where it started.
    assert_eq!(
        seen.last().map(String::as_str),
        Some("BUILD_GENERAL1_SMALL")
    );
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), allowed.len());
    go_to(&mut f, "DB_PASSWORD");
    keys(&mut f, "<tab><tab>"); // to its type
    for _ in 0..7 {
        keys(&mut f, "<left>");
        let kind = f
            .values()
            .map(|(o, _)| o.env_vars[1].kind.clone())
            .unwrap_or_default();
        assert!(choices::ENV_VAR_TYPES.contains(&kind.as_str()), "{kind:?}");
    }
}

#[test]
fn toggles_multiline_text_deletion_and_presets() {
    let mut f = form();
    go_to(&mut f, "privileged mode");
    keys(&mut f, " ");
    assert_eq!(changed(&f), [row("privileged mode", "off", "on")]);
    keys(&mut f, "<C-u>");
    assert_eq!(f.values().map(|(o, _)| o.privileged_mode), Ok(None));
    go_to(&mut f, "buildspec");
    keys(&mut f, "      - make test<enter>");
    go_to(&mut f, "STAGE");
    keys(&mut f, "<C-d>");
    let (o, _) = f.values().expect("valid");
    assert!(o
        .buildspec
        .unwrap_or_default()
        .ends_with("- make\n      - make test\n"));
    let removed = f
        .changes()
        .into_iter()
        .find(|c| c.new == "(removed)")
        .map(|c| c.old);
    assert_eq!(removed.as_deref(), Some("STAGE=prod (PLAINTEXT)"));

    let mut preset = ran_with();
    preset.compute_type = Some("BUILD_GENERAL1_LARGE".into());
    f.load(preset.clone(), None, &[]);
    assert_eq!(f.values(), Ok((preset, None)));
    assert_eq!(
        changed(&f),
        [row(
            "compute type",
            "BUILD_GENERAL1_SMALL",
            "BUILD_GENERAL1_LARGE"
        )]
    );
}

#[test]
fn escape_cancels_at_once_only_when_nothing_changed() {
    let mut f = form();
    assert_eq!(keys(&mut f, "<esc>"), FormEvent::Cancel);
    assert_eq!(keys(&mut f, "-hotfix<esc>"), FormEvent::None);
    assert_eq!(f.stage(), Stage::ConfirmDiscard);
    assert!(screen(&f, 120, 40, false).contains("Discard changes? y/n"));
    assert_eq!(
        (keys(&mut f, "n"), f.stage()),
        (FormEvent::None, Stage::Editing)
    );
    assert_eq!(changed(&f), [row("source version", "main", "main-hotfix")]);
    assert_eq!(keys(&mut f, "<esc>y"), FormEvent::Cancel);
}

#[test]
fn review_then_yes_submits_once() {
    let mut f = form();
    assert_eq!(keys(&mut f, "<C-u>release/1.2<C-s>"), FormEvent::None);
    assert_eq!(f.stage(), Stage::Review);
    let frame = screen(&f, 120, 40, false);
    assert!(
        frame.contains("release/1.2") && frame.contains("y send · n back"),
        "{frame}"
    );
    assert_eq!(
        (keys(&mut f, "n"), f.stage()),
        (FormEvent::None, Stage::Editing)
    );
    assert_eq!(keys(&mut f, "<C-s>y"), FormEvent::Submit);
    assert_eq!(f.stage(), Stage::Sending);
    assert!(screen(&f, 120, 40, false).contains("sending…"));
    for again in ["y", "<enter>", "<esc>", "<C-s>"] {
        assert_eq!(
            (keys(&mut f, again), f.stage()),
            (FormEvent::None, Stage::Sending)
        );
    }
}

#[test]
fn an_api_error_returns_to_editing_with_the_input_kept() {
    let mut f = form();
    keys(&mut f, "<C-u>release/1.2<C-s><enter>");
    f.set_api_error("AccountLimitExceededException: too many builds".into());
    assert_eq!(f.stage(), Stage::Editing);
    assert_eq!(
        f.api_error(),
        Some("AccountLimitExceededException: too many builds")
    );
    let kept = f.values().ok().and_then(|(o, _)| o.source_version);
    assert_eq!(kept.as_deref(), Some("release/1.2"));
    assert!(screen(&f, 120, 40, false).contains("⚠ AccountLimitExceededException"));
    assert_eq!(keys(&mut f, "<C-s>y"), FormEvent::Submit);
    assert_eq!(f.api_error(), None);
}

#[test]
fn references_show_as_references_and_plaintext_can_be_masked() {
    let mut o = ran_with();
    let arn = "arn:aws:secretsmanager:eu-west-1:1:secret:gh";
    o.env_vars = vec![
        var("API_TOKEN", "tok-123-plain", "PLAINTEXT"),
        var("DB_PASSWORD", "/prod/db-password", "PARAMETER_STORE"),
        var("GH_KEY", arn, "SECRETS_MANAGER"),
    ];
    let mut f = Form::new("Start web".into(), "web".into(), o, None);
    let frame = screen(&f, 140, 60, true);
    assert!(frame.contains("ssm:/prod/db-password") && frame.contains(&format!("secret:{arn}")));
    assert!(
        !frame.contains("tok-123-plain") && frame.contains(MASK),
        "{frame}"
    );
    assert!(screen(&f, 140, 60, false).contains("tok-123-plain"));
    // The review hides new plaintext values too; the change keeps the real one.
    keys(&mut f, "<tab>+NEW_SECRET<tab>hunter2<C-s>");
    let review = screen(&f, 140, 40, true);
    assert!(
        review.contains("NEW_SECRET=••••••") && !review.contains("hunter2"),
        "{review}"
    );
    assert!(f
        .changes()
        .iter()
        .any(|c| c.new == "NEW_SECRET=hunter2 (PLAINTEXT)"));
    assert_eq!(
        masked(&var("DB", "/prod/db", "PARAMETER_STORE"), true),
        "ssm:/prod/db"
    );
    assert_eq!(masked(&var("T", "plain", "PLAINTEXT"), true), MASK);
    assert_eq!(masked(&var("T", "plain", "PLAINTEXT"), false), "plain");
}

#[test]
fn values_longer_than_the_api_takes_are_refused_with_the_limit() {
    let mut f = form();
    let mut long = ran_with();
    long.source_version = Some("v".repeat(1_025));
    long.env_vars[0].value = "s".repeat(131_073);
    f.load(long, None, &[]);
    assert_rejected(&mut f, "source version", "is 1025 characters; at most 1024");
    assert_rejected(
        &mut f,
        "environment variable 1",
        "value is 131073 characters; at most 131072",
    );
    let mut at_limit = ran_with();
    at_limit.source_version = Some("v".repeat(1_024));
    at_limit.env_vars[0].value = "s".repeat(131_072);
    f.load(at_limit.clone(), None, &[]);
    assert_eq!(f.values(), Ok((at_limit, None)));
}

#[test]
fn a_paste_keeps_line_breaks_only_where_the_text_has_lines() {
    let mut f = form();
    keys(&mut f, "<C-u>");
    assert_eq!(f.paste("feature/a\nb\tc"), Pasted::Taken);
    go_to(&mut f, "buildspec");
    keys(&mut f, "<C-u>");
    assert_eq!(f.paste("version: 0.2\r\nphases: {}\n"), Pasted::Taken);
    let (o, _) = f.values().expect("valid");
    assert_eq!(o.source_version.as_deref(), Some("feature/a b c"));
    assert_eq!(o.buildspec.as_deref(), Some("version: 0.2\nphases: {}\n"));
    keys(&mut f, "<C-s>");
    assert_eq!(f.paste("late"), Pasted::Refused, "the review takes no text");
}

#[test]
fn a_preset_without_plaintext_values_takes_them_from_the_build_or_asks() {
    let mut f = form();
    let mut preset = ran_with();
    preset.env_vars = vec![
        var("STAGE", "", "PLAINTEXT"),
        var("DB_PASSWORD", "/prod/db-password", "PARAMETER_STORE"),
        var("DEPLOY_KEY", "", "PLAINTEXT"),
    ];
    let withheld = ["STAGE".to_string(), "DEPLOY_KEY".to_string()];
    assert_eq!(f.load(preset, None, &withheld), 1, "one value to ask for");
    assert_eq!(f.env_vars()[0].value, "prod", "the build's own value");
    assert!(
        screen(&f, 140, 60, true).contains("not saved with the preset"),
        "flagged at once"
    );
    assert_rejected(
        &mut f,
        "environment variable 3",
        "not saved with the preset",
    );
    // The refusal put the cursor on the missing value.
    keys(&mut f, "k-123");
    let (o, _) = f.values().expect("filled in");
    assert_eq!(o.env_vars[2], var("DEPLOY_KEY", "k-123", "PLAINTEXT"));
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let mut o = ran_with();
    o.source_version = Some("main\x1b[2J\x07".into());
    let frame = screen(
        &Form::new("t\x1b]0;x\x07".into(), "w".into(), o, None),
        120,
        40,
        false,
    );
    assert!(
        !frame.chars().any(|c| c.is_control() && c != '\n'),
        "{frame:?}"
    );
}

#[test]
fn draws_at_any_size_in_every_stage() {
    let mut f = batch_form();
    let big = screen(&f, 200, 50, true);
    assert!(big.contains("Relaunch web:7") && big.contains("source version"));
    assert!(screen(&f, 20, 5, true).starts_with('┌'));
    let every_size = |f: &Form| {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (5, 3),
            (20, 5),
            (24, 9),
            (33, 7),
            (80, 24),
            (200, 50),
        ] {
            assert_eq!(screen(f, w, h, true).lines().count(), h as usize);
        }
    };
    go_to(&mut f, "batch report mode");
    keys(&mut f, "<C-u>?<C-s>");
    every_size(&f); // editing, with an error, scrolled down
    keys(&mut f, "<esc>");
    every_size(&f); // asking to discard
    keys(&mut f, "<esc><C-u>REPORT_INDIVIDUAL_BUILDS<C-s>");
    assert_eq!(f.stage(), Stage::Review);
    every_size(&f);
    keys(&mut f, "y");
    every_size(&f); // sending
}

#[test]
fn no_key_sequence_breaks_the_form() {
    let codes = [
        Tab,
        BackTab,
        Up,
        Down,
        Left,
        Right,
        Enter,
        Backspace,
        Esc,
        Delete,
        F(5),
    ];
    let chars = [' ', '+', 'n', 'y', '7', 'é', 'd', 'u', 's'];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut f = batch_form();
    for step in 0..5000u32 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let pick = (seed >> 20) as usize;
        let code: KeyCode = match pick % 2 {
            0 => codes[(pick / 2) % codes.len()],
            _ => Char(chars[(pick / 2) % chars.len()]),
        };
        let modifiers = [
            KeyModifiers::CONTROL,
            KeyModifiers::SHIFT,
            KeyModifiers::NONE,
        ];
        let modifiers = modifiers[(seed as usize % 5).min(2)];
        if f.on_key(KeyEvent::new(code, modifiers)) == FormEvent::Cancel {
            f = batch_form();
        }
        if f.stage() == Stage::Sending {
            f.set_api_error("try again".into());
        }
        if step % 97 == 0 {
            let (w, h) = (20 + (step % 60) as u16, 5 + (step % 30) as u16);
            assert!(screen(&f, w, h, step % 2 == 0).contains(" Relaunch web:7 "));
        }
    }
}
