//! Frames as a user sees them, on ratatui's TestBackend (insta snapshots).

use crate::common::fixtures::{build, code, key, mixed, state_with, t0};
use crate::common::render::screen;
use cbdash::app::{update, Msg, Settings, State};
use cbdash::domain::{ApiError, ErrorKind, Status};

fn sized(mut state: State, width: u16, height: u16) -> State {
    update(&mut state, Msg::Resize { width, height });
    state
}

#[test]
fn dashboard_with_a_failed_build_selected() {
    let mut state = state_with(mixed());
    update(&mut state, key('j'));
    let frame = screen(&state, 160, 45);
    assert!(frame.contains("COMMAND_EXECUTION_ERROR"));
    assert!(frame.contains("Error while executing command: npm test. Reason: exit status 1"));
    insta::assert_snapshot!(frame);
}

#[test]
fn dashboard_at_80x24_keeps_the_essentials() {
    let state = sized(state_with(mixed()), 80, 24);
    let frame = screen(&state, 80, 24);
    assert!(frame.contains("web-frontend"));
    insta::assert_snapshot!(frame);
}

#[test]
fn first_frame_says_loading() {
    let state = State::new(
        Settings {
            context: "profile default · us-east-1".into(),
            ..Settings::default()
        },
        t0(),
    );
    let frame = screen(&state, 80, 12);
    assert!(frame.contains("loading…"));
    insta::assert_snapshot!(frame);
}

#[test]
fn missing_credentials_explain_what_to_do() {
    let mut state = State::new(Settings::default(), t0());
    update(
        &mut state,
        Msg::Resize {
            width: 120,
            height: 20,
        },
    );
    update(&mut state, Msg::Tick(t0()));
    // Every discovery call of the cycle fails the same way.
    for (resource, running_only) in [
        (cbdash::app::Resource::Builds, false),
        (cbdash::app::Resource::Batches, false),
        (cbdash::app::Resource::Batches, true),
    ] {
        update(
            &mut state,
            Msg::Listed {
                request: cbdash::app::ListRequest {
                    resource,
                    project: None,
                    next_token: None,
                    purpose: cbdash::app::Purpose::Poll,
                    running_only,
                },
                result: Err(ApiError::new(
                    ErrorKind::Credentials,
                    "no usable AWS credentials",
                )),
            },
        );
    }
    let frame = screen(&state, 120, 20);
    assert!(frame.contains("Cannot list builds: credentials: no usable AWS credentials"));
    assert!(frame.contains("aws sso login"));
    insta::assert_snapshot!(frame);
}

#[test]
fn help_lists_every_binding() {
    let mut state = state_with(mixed());
    update(&mut state, key('?'));
    let frame = screen(&state, 100, 38);
    for text in [
        "relaunch one compute type up",
        "refresh now",
        "copy the selected link",
        "Shift-Tab",
        "PgDn",
        "Ctrl-C",
    ] {
        assert!(frame.contains(text), "missing {text}");
    }
    insta::assert_snapshot!(frame);
}

#[test]
fn values_newer_than_the_program_are_shown_raw() {
    let mut odd = build(
        "web-frontend",
        9,
        1,
        Status::Other("PAUSED_FOR_APPROVAL".into()),
    );
    odd.phases[3].phase_type = "WARM_CACHE".into();
    odd.phases[3].status = Some(Status::Other("DEFERRED".into()));
    let state = state_with(vec![odd]);
    let frame = screen(&state, 160, 45);
    for raw in ["PAUSED_FOR_APPROVAL", "WARM_CACHE", "DEFERRED"] {
        assert!(frame.contains(raw), "missing {raw}");
    }
}

#[test]
fn hostile_text_from_the_service_is_drawn_inert() {
    let mut b = build("web-frontend", 1, 1, Status::Failed);
    b.initiator = Some("mallory\x1b]52;c;ZXZpbA==\x07".into());
    b.source_version = Some("main\x1b[2J\x1b]0;pwned\x07".into());
    b.phases[6].contexts[0].message = "boom\r\x1b[31mred\x1b[0m\u{9b}1A".into();
    let state = state_with(vec![b]);
    let frame = screen(&state, 160, 45);
    assert!(
        !frame.chars().any(|c| c.is_control() && c != '\n'),
        "control characters reached the frame"
    );
    assert!(frame.contains("mallory"));
}

#[test]
fn every_size_down_to_nothing_renders_without_panic() {
    for (w, h) in [
        (0, 0),
        (1, 1),
        (20, 5),
        (20, 6),
        (33, 9),
        (60, 15),
        (79, 16),
        (99, 40),
        (250, 80),
    ] {
        for setup in 0..5 {
            let mut state = sized(state_with(mixed()), w, h);
            match setup {
                1 => {
                    update(&mut state, key('?'));
                }
                2 => {
                    update(&mut state, key('/'));
                    update(&mut state, key('x'));
                }
                3 => {
                    update(&mut state, key('x'));
                    assert!(state.overlay.confirm().is_some());
                }
                4 => {
                    update(&mut state, key('s'));
                    assert!(state.overlay.form().is_some());
                }
                _ => {}
            }
            let frame = screen(&state, w, h);
            assert_eq!(frame.lines().count(), h as usize);
        }
    }
    // A batch selected, its tree focused on a group, at every size too.
    for (w, h) in [(0, 0), (1, 1), (20, 5), (20, 16), (40, 17), (99, 40)] {
        let (b, builds) = crate::common::fixtures::diamond();
        let mut state = sized(crate::common::fixtures::state_with_batch(b, builds), w, h);
        update(
            &mut state,
            crate::common::fixtures::code(crossterm::event::KeyCode::Enter),
        );
        update(&mut state, key('G'));
        assert_eq!(screen(&state, w, h).lines().count(), h as usize);
    }
    let tiny = screen(&sized(state_with(mixed()), 20, 5), 20, 5);
    insta::assert_snapshot!(tiny);
}

#[test]
fn batch_tree_with_a_diamond_and_a_failure_allowed() {
    let (b, builds) = crate::common::fixtures::diamond();
    let mut state = crate::common::fixtures::state_with_batch(b, builds);
    let overview = screen(&state, 160, 45);
    assert!(overview.contains("Batch phases"));
    assert!(overview.contains("batch 3/6"));
    insta::assert_snapshot!("batch_overview", overview);

    update(
        &mut state,
        crate::common::fixtures::code(crossterm::event::KeyCode::Enter),
    );
    for _ in 0..4 {
        update(&mut state, key('j'));
    }
    let frame = screen(&state, 160, 45);
    for text in [
        "also after: build-web",
        "waiting for build-web",
        "may fail",
        "Phases · monorepo-ci",
    ] {
        assert!(frame.contains(text), "missing {text}");
    }
    insta::assert_snapshot!("batch_tree_group_chosen", frame);
    let narrow = screen(&sized(state, 80, 24), 80, 24);
    insta::assert_snapshot!("batch_tree_80x24", narrow);
}

#[test]
fn the_config_chooses_the_columns_and_their_order() {
    let mut state = state_with(mixed());
    state.settings.columns = Some(vec!["duration".into(), "project".into(), "status".into()]);
    let frame = screen(&state, 160, 45);
    let header = frame.lines().nth(2).unwrap_or_default().to_string();
    let (d, p, s) = (
        header.find("DURATION"),
        header.find("PROJECT"),
        header.find("STATUS"),
    );
    assert!(d < p && p < s && d.is_some(), "{header}");
    assert!(
        !header.contains("INITIATOR") && !header.contains("SOURCE"),
        "{header}"
    );
}

#[test]
fn many_contexts_are_summed_up_and_c_lists_the_failing_ones_first() {
    use cbdash::app::Effect;
    let names: Vec<String> = (0..6).map(|i| format!("prod-{i}/eu-west-1")).collect();
    let mut state = State::new(
        Settings {
            context: "6 accounts and regions".into(),
            context_names: names,
            ..Settings::default()
        },
        t0(),
    );
    let now = t0() + chrono::Duration::seconds(1);
    state.now = now;
    let mut queue: std::collections::VecDeque<Effect> = update(&mut state, Msg::Tick(now)).into();
    while let Some(effect) = queue.pop_front() {
        let (context, effect) = cbdash::runtime::execute::split(effect);
        let Effect::List(request) = effect else {
            continue;
        };
        let result = if context == 2 || context == 4 {
            Err(ApiError::new(
                ErrorKind::Credentials,
                "the SSO session has expired",
            ))
        } else {
            Ok(cbdash::domain::ListPage::default())
        };
        let msg = cbdash::runtime::execute::from(context, Msg::Listed { request, result });
        queue.extend(update(&mut state, msg));
    }
    let frame = screen(&state, 160, 20);
    assert!(frame.contains("4 ok · 2 credentials"), "{frame}");
    assert!(frame.contains("1 more failing: C lists them"), "{frame}");
    update(&mut state, key('C'));
    let frame = screen(&state, 160, 20);
    assert!(
        frame.contains("Accounts and regions · 6 · 2 failing"),
        "{frame}"
    );
    let lines: Vec<&str> = frame.lines().filter(|l| l.contains("prod-")).collect();
    assert!(lines[0].contains("prod-2/eu-west-1") && lines[0].contains("SSO session has expired"));
    assert!(lines[1].contains("prod-4/eu-west-1"));
    assert!(lines[2].contains("prod-0/eu-west-1") && lines[2].contains("0 running"));
    update(&mut state, key('x'));
    assert!(
        !screen(&state, 160, 20).contains("Accounts and regions"),
        "any key closes it"
    );
}

/// Code points of planes 0 to 3 and 14: every assigned plane.
fn every_code_point() -> Vec<char> {
    (0..=0x3_ffff)
        .chain(0xe_0000..=0xe_ffff)
        .filter_map(char::from_u32)
        .collect()
}

/// Nine builds whose every text field of the list holds one of `texts`.
fn nine_builds(texts: &mut impl Iterator<Item = String>) -> Vec<cbdash::domain::Build> {
    (0..9)
        .map(|n| {
            let mut b = build("p", n + 1, n, Status::Succeeded);
            let mut next = || texts.next().unwrap_or_default();
            b.project = next();
            b.status = Status::Other(next());
            b.current_phase = Some(next());
            b.source_version = Some(next());
            b.initiator = Some(next());
            b
        })
        .collect()
}

/// Draws the builds, then moves the selection down and up, on an emulated
/// terminal: the list's side borders and bottom border stay as `reference`
/// (the same steps with plain text) has them, in ratatui and on screen, and
/// every row of the list reads on screen as ratatui drew it.
fn assert_borders_stay(builds: Vec<cbdash::domain::Build>, reference: &[ratatui::buffer::Buffer]) {
    let area = reference[0].area;
    let mut state = sized(state_with(builds), area.width, area.height);
    let mut vt = crate::common::vt::Vt::new(area.width, area.height);
    let list = cbdash::app::layout::areas(area.width, area.height, false).builds;
    let sides =
        (list.top() + 1..list.bottom()).flat_map(|y| [(list.left(), y), (list.right() - 1, y)]);
    let bottom = (list.left()..list.right()).map(|x| (x, list.bottom() - 1));
    let border: Vec<(u16, u16)> = sides.chain(bottom).collect();
    for (step, want) in reference.iter().enumerate() {
        match step {
            1 => update(&mut state, key('j')),
            2 => update(&mut state, key('k')),
            _ => Vec::new(),
        };
        let frame = vt.draw(&state);
        for &(x, y) in &border {
            let expected = want[(x, y)].symbol();
            let what = || format!("{}x{} step {step} at ({x}, {y})", area.width, area.height);
            assert_eq!(frame[(x, y)].symbol(), expected, "ratatui: {}", what());
            let shown = &vt.screen[usize::from(y)][usize::from(x)];
            assert_eq!(shown, expected, "terminal: {}", what());
        }
        // Inside, every row reads on the terminal as ratatui drew it.
        for y in list.top()..list.bottom() {
            let mut drawn = String::new();
            let mut x = list.left();
            while x < list.right() {
                let symbol = frame[(x, y)].symbol();
                drawn.push_str(symbol);
                x += ratatui::buffer::CellWidth::cell_width(symbol).max(1);
            }
            let row =
                &vt.screen[usize::from(y)][usize::from(list.left())..usize::from(list.right())];
            assert_eq!(
                row.concat(),
                drawn,
                "{}x{} step {step} row {y}",
                area.width,
                area.height
            );
        }
    }
}

/// The sanitiser's promise, for every code point: nothing reaching a row of
/// the list makes the terminal and ratatui disagree on where a cell is.
#[test]
fn no_code_point_alone_or_in_runs_moves_the_list_borders() {
    const RUN: usize = 64;
    let code_points = every_code_point();
    // Alone, a character of no width starts a cell instead of joining one.
    let zero_width: Vec<char> = code_points
        .iter()
        .copied()
        .filter(|c| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0) == 0)
        .collect();
    let fields_per_frame = 9 * 5;
    for (width, height) in [(80, 24), (200, 50)] {
        let plain = nine_builds(&mut std::iter::repeat("plain".to_string()));
        let mut state = sized(state_with(plain), width, height);
        let mut vt = crate::common::vt::Vt::new(width, height);
        let reference: Vec<_> = [None, Some('j'), Some('k')]
            .into_iter()
            .map(|k| {
                if let Some(k) = k {
                    update(&mut state, key(k));
                }
                vt.draw(&state)
            })
            .collect();
        for frame in code_points.chunks(RUN * fields_per_frame) {
            let mut runs = frame.chunks(RUN).map(|r| r.iter().collect::<String>());
            assert_borders_stay(nine_builds(&mut runs), &reference);
        }
        for frame in zero_width.chunks(fields_per_frame) {
            let mut alone = frame.iter().map(|c| c.to_string());
            assert_borders_stay(nine_builds(&mut alone), &reference);
        }
        // After an emoji and after a letter, where they may join it.
        for frame in zero_width.chunks(RUN / 2 * fields_per_frame) {
            let mut after = frame
                .chunks(RUN / 2)
                .map(|r| r.iter().flat_map(|c| ['\u{231a}', *c, 'a', *c]).collect());
            assert_borders_stay(nine_builds(&mut after), &reference);
        }
    }
}

#[test]
fn a_context_message_longer_than_a_screen_is_shown_once_folded_and_e_unfolds_it() {
    let mut failed = build("api-service", 1088, 7, Status::Failed);
    let message: String = (0..500)
        .map(|i| format!("line {i:03}: npm ERR! test failed. "))
        .collect();
    assert!(message.len() > 10_000);
    for phase in &mut failed.phases {
        for context in &mut phase.contexts {
            context.message = message.clone();
        }
    }
    let mut state = sized(state_with(vec![failed]), 120, 40);
    let folded = screen(&state, 120, 40);
    assert_eq!(
        folded.matches("line 000: npm ERR!").count(),
        1,
        "the message is shown once"
    );
    assert!(folded.contains("FAILED in BUILD (below)"), "{folded}");
    assert!(folded.contains("more lines, e to expand)"), "{folded}");
    assert!(
        folded.contains("✔ POST_BUILD"),
        "the phases after it stay in view"
    );
    insta::assert_snapshot!("long_context_folded", folded);

    update(&mut state, key('e'));
    update(&mut state, code(crossterm::event::KeyCode::Tab));
    let unfolded = screen(&state, 120, 40);
    assert!(!unfolded.contains("to expand)"));
    assert!(unfolded.contains("line 010: npm ERR!"), "more of it shows");
    // Scrolling the phases pane reaches the end of the message.
    update(&mut state, key('G'));
    let end = screen(&state, 120, 40);
    assert!(end.contains("line 499: "), "{end}");
    assert!(end.contains("(e to fold)"), "{end}");
    insta::assert_snapshot!("long_context_unfolded_end", end);
    update(&mut state, key('e'));
    assert!(
        screen(&state, 120, 40).contains("to expand)"),
        "folds again"
    );
}

#[test]
fn no_color_draws_no_colour_and_keeps_the_selected_row_reversed() {
    use ratatui::style::{Color, Modifier};
    let mut state = state_with(mixed());
    update(&mut state, key('j'));
    let coloured = crate::common::render::cells(&state, 160, 45);
    state.settings.no_color = true;
    let plain = crate::common::render::cells(&state, 160, 45);

    let text = screen(&state, 160, 45);
    let selected_y = text
        .lines()
        .position(|line| line.contains("✘ api-service"))
        .expect("the failed build is listed") as u16;
    let area = plain.area;
    let mut reversed_on_selected_row = 0;
    for y in 0..area.height {
        for x in 0..area.width {
            let (was, now) = (&coloured[(x, y)], &plain[(x, y)]);
            assert_eq!(
                (now.fg, now.bg, now.underline_color),
                (Color::Reset, Color::Reset, Color::Reset),
                "colour left at {x},{y}: {now:?}"
            );
            assert_eq!(was.symbol(), now.symbol(), "the same symbols at {x},{y}");
            if was.bg != Color::Reset {
                assert!(now.modifier.contains(Modifier::REVERSED), "{x},{y}");
            }
            if y == selected_y && now.modifier.contains(Modifier::REVERSED) {
                reversed_on_selected_row += 1;
            }
        }
    }
    assert!(
        coloured.content.iter().any(|c| c.fg != Color::Reset),
        "the same frame has colour without NO_COLOR"
    );
    assert!(
        reversed_on_selected_row > 20,
        "the selected row stands out: {reversed_on_selected_row} cells"
    );
    // The focused pane (the list) keeps a bold border; the others do not.
    let corners: Vec<(u16, u16)> = (0..area.height)
        .filter(|&y| plain[(0, y)].symbol() == "┌")
        .map(|y| (0, y))
        .collect();
    assert!(corners.len() >= 2, "{text}");
    let bold = |(x, y): (u16, u16)| plain[(x, y)].modifier.contains(Modifier::BOLD);
    assert!(bold(corners[0]), "the focused list's border is bold");
    assert!(!bold(corners[1]), "the phases pane's border is not");
}

/// A failed build selected whose last success ran on another image, with
/// other variables and a slower BUILD, and the compare key pressed.
fn comparing(width: u16, height: u16) -> State {
    let success = build("web-frontend", 11, 90, Status::Succeeded);
    let mut failed = build("web-frontend", 12, 10, Status::Failed);
    failed.resolved_source_version = Some("9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c".into());
    let mut ran_with = (*failed.ran_with).clone();
    ran_with.image = Some("aws/codebuild/standard:8.0".into());
    ran_with.env_vars[0].value = "staging".into();
    ran_with.env_vars.push(cbdash::domain::EnvVar {
        name: "API_KEY".into(),
        value: "arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key".into(),
        kind: "SECRETS_MANAGER".into(),
    });
    failed.ran_with = std::sync::Arc::new(ran_with);
    failed.phases[6].duration_secs = Some(48);
    let mut state = sized(state_with(vec![failed, success]), width, height);
    update(&mut state, key('c'));
    state
}

#[test]
fn comparison_side_by_side_at_200x50() {
    let frame = screen(&comparing(200, 50), 200, 50);
    assert!(frame.contains("this #12 FAILED"), "{frame}");
    assert!(frame.contains("last success #11 SUCCEEDED"), "{frame}");
    assert!(frame.contains("aws/codebuild/standard:8.0"), "{frame}");
    insta::assert_snapshot!(frame);
}

#[test]
fn comparison_stacked_at_80x24() {
    let frame = screen(&comparing(80, 24), 80, 24);
    assert!(
        frame.contains("  this  aws/codebuild/standard:8.0"),
        "{frame}"
    );
    assert!(
        frame.contains("  was   aws/codebuild/standard:7.0"),
        "{frame}"
    );
    insta::assert_snapshot!(frame);
}

#[test]
fn comparison_scrolls_to_its_last_phase_and_esc_closes_it() {
    let mut state = comparing(80, 24);
    assert!(!screen(&state, 80, 24).contains("FINALIZING"));
    update(&mut state, key('G'));
    let frame = screen(&state, 80, 24);
    assert!(frame.contains("FINALIZING"), "{frame}");
    update(&mut state, code(crossterm::event::KeyCode::Esc));
    assert!(screen(&state, 80, 24).contains("Builds"));
}

#[test]
fn in_the_comparison_o_opens_the_commit_and_y_copies_it() {
    let mut state = comparing(200, 50);
    let url =
        "https://github.com/example/web-frontend/commit/9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c";
    assert_eq!(
        update(&mut state, key('o')),
        [cbdash::app::Effect::OpenUrl(url.into())]
    );
    assert_eq!(
        update(&mut state, key('y')),
        [cbdash::app::Effect::Copy(url.into())]
    );
}
