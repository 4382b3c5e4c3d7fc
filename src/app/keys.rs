use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::commands;
use super::compare;
use super::keymap::{action_with, Action};
use super::log_view;
use super::msg::Effect;
use super::navigate::{move_by, reset_details, select_tree_line};
use super::overlay::Overlay;
use super::paste::{self, Pasted};
use super::preset_menu;
use super::projects;
use super::row::Row;
use super::state::{Pane, State};

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
    }
    match &mut state.overlay {
        Overlay::LogView {
            help: help @ false, ..
        } => {
            if key.code == KeyCode::Char('?') {
                *help = true;
                return Vec::new();
            }
            if matches!(key.code, KeyCode::Char('q')) {
                return quit(state);
            }
            return log_view::on_key(state, key);
        }
        Overlay::Form { .. } => {
            if let Some(effects) = preset_menu::on_key(state, key) {
                return effects;
            }
            return commands::on_form_key(state, key);
        }
        Overlay::Picker(_) => return projects::on_key(state, key.code),
        Overlay::Compare(_) => return compare::on_key(state, key),
        Overlay::Tests(_) => return super::tests_view::on_key(state, key),
        Overlay::Coverage(_) => return super::coverage_view::on_key(state, key),
        Overlay::Board { .. } => {
            if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
                return quit(state);
            }
            return super::board_view::on_key(state, key.code);
        }
        Overlay::Confirm(_) => return commands::on_confirm_key(state, key.code),
        _ => {}
    }
    if state.filter_editing {
        edit_filter(state, key);
        return Vec::new();
    }
    if state.overlay.help_shown() || matches!(state.overlay, Overlay::Contexts) {
        // Any key closes help; the quit key also quits.
        state.overlay.close_help();
        return match action_with(&key, &state.settings.keys) {
            Some(Action::Quit) => quit(state),
            _ => Vec::new(),
        };
    }
    match action_with(&key, &state.settings.keys) {
        Some(action) => act(state, action),
        None => Vec::new(),
    }
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
}

/// Characters the filter takes from a paste; beyond, it is cut and the
/// user told.
pub const PASTE_LIMIT: usize = 4096;

/// A paste goes where typing would: the log search, the filter or the
/// form's focused text, each cut at its own limit.
pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    // The log view covers the rest: only its search takes text.
    let pasted = if state.overlay.log_view().is_some() {
        log_view::paste(state, text)
    } else if state.overlay.tests().is_some() {
        super::tests_view::paste(state, text)
    } else if state.filter_editing {
        let room = PASTE_LIMIT.saturating_sub(state.filter.chars().count());
        let (kept, dropped) = paste::fit(text, room, false);
        state.filter.push_str(&kept);
        state.refresh_list();
        let rows = state.visible_rows();
        state.list.select_index(0, rows);
        paste::outcome("the filter", PASTE_LIMIT, kept.chars().count(), dropped)
    } else if let Some(form) = state.overlay.form_mut() {
        form.paste(text)
    } else {
        Pasted::Refused
    };
    match pasted {
        Pasted::Refused => state.warn("nothing here takes pasted text"),
        Pasted::Cut(message) => state.warn(message),
        Pasted::Taken => {}
    }
    Vec::new()
}

fn edit_filter(state: &mut State, key: KeyEvent) {
    match key.code {
        KeyCode::Enter => state.filter_editing = false,
        KeyCode::Esc => {
            state.filter_editing = false;
            state.filter.clear();
        }
        KeyCode::Backspace => {
            state.filter.pop();
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => state.filter.clear(),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => state.filter.push(c),
        _ => return,
    }
    let before = state.list.selected().cloned();
    state.refresh_list();
    // When the filter hides the selected row, the first match is selected.
    if state.list.selected() != before.as_ref() {
        let rows = state.visible_rows();
        state.list.select_index(0, rows);
    }
}

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.visible_rows().max(1) as isize;
    match action {
        Action::Quit => return quit(state),
        Action::Help => state.overlay = Overlay::Help,
        Action::Contexts => state.overlay = Overlay::Contexts,
        Action::Fold => {
            state.context_unfolded = !state.context_unfolded;
            // Folded, the pane may be shorter than where it was scrolled.
            state.phase_scroll = state
                .phase_scroll
                .min(super::phase_lines::max_scroll(state));
        }
        Action::Up => return move_by(state, -1),
        Action::Down => return move_by(state, 1),
        Action::PageUp => return move_by(state, -page),
        Action::PageDown => return move_by(state, page),
        Action::Top => return move_by(state, isize::MIN / 2),
        Action::Bottom => return move_by(state, isize::MAX / 2),
        Action::NextPane => state.focus = cycle_pane(state, 1),
        Action::PrevPane => state.focus = cycle_pane(state, -1),
        Action::Expand => expand(state, true),
        Action::Collapse => expand(state, false),
        Action::Details => return details(state),
        Action::Back => {
            if state.focus != Pane::Builds {
                state.focus = Pane::Builds;
            } else if !state.filter.is_empty() {
                state.filter.clear();
                state.refresh_list();
            }
        }
        Action::Filter => {
            state.focus = Pane::Builds;
            state.filter_editing = true;
        }
        Action::Refresh => {
            state.notify("refreshing…");
            let now = state.now;
            let mut effects = state.poller.refresh(&state.store, now);
            for extra in &mut state.contexts {
                effects.extend(extra.poller.refresh(&state.store, now));
            }
            return effects;
        }
        Action::Stop => commands::ask_stop(state),
        Action::Retry => commands::ask_retry(state),
        Action::Start => commands::open_form(state),
        Action::Upsize => commands::open_upsized_form(state),
        Action::Projects => return projects::open(state),
        Action::Board => return super::board_view::open(state),
        Action::Logs => return log_view::open(state),
        Action::Compare => return compare::open(state),
        Action::Tests => return super::tests_view::open(state),
        Action::Coverage => return super::coverage_view::open(state),
        Action::Watch => toggle_watch(state),
        Action::Sort => {
            state.list.sort = state.list.sort.next();
            state.refresh_list();
            state.notify(format!("sorted by {}", state.list.sort.label()));
        }
        Action::Runaways => {
            state.runaway_only = !state.runaway_only;
            state.focus = Pane::Builds;
            state.refresh_list();
            let text = if state.runaway_only {
                format!(
                    "{} runaway build(s) · ! shows all again",
                    state.runaways.len()
                )
            } else {
                "showing all builds".to_string()
            };
            state.notify(text);
        }
        Action::Open => return open_link(state),
        Action::Copy => return copy_link(state),
    }
    Vec::new()
}

fn cycle_pane(state: &State, step: isize) -> Pane {
    let panes = state.panes();
    let i = panes.iter().position(|p| *p == state.focus).unwrap_or(0) as isize;
    panes[(i + step).rem_euclid(panes.len() as isize) as usize]
}

/// → shows a batch's group builds beneath it, ← hides them (from a group
/// row too, which then selects its batch).
fn expand(state: &mut State, open: bool) {
    let Some(row) = state.list.selected().cloned() else {
        return;
    };
    let batch = match &row {
        Row::Batch(id) => id.clone(),
        Row::Group { batch, .. } if !open => batch.clone(),
        _ => return,
    };
    if state.list.set_expanded(&batch, open) {
        state.refresh_list();
        if !open {
            let rows = state.visible_rows();
            state.list.select_row(&Row::Batch(batch), rows);
        }
    }
}

/// Enter: from the list, into the details (a batch's tree first); from the
/// tree, to the chosen group's build in the list.
fn details(state: &mut State) -> Vec<Effect> {
    match state.focus {
        Pane::Builds if state.selected_batch().is_some() => {
            state.focus = Pane::Tree;
            if state.tree_cursor.is_none() {
                return select_tree_line(state, 0);
            }
        }
        Pane::Builds if state.selected_build().is_some() => state.focus = Pane::Phases,
        Pane::Tree => jump_to_group_build(state),
        _ => {}
    }
    Vec::new()
}

fn jump_to_group_build(state: &mut State) {
    let (Some(Row::Batch(batch)), Some(build)) = (
        state.list.selected().cloned(),
        state.selected_group_build_id(),
    ) else {
        state.warn("this group has not started: it has no build yet");
        return;
    };
    state.list.set_expanded(&batch, true);
    state.refresh_list();
    let rows = state.visible_rows();
    let row = Row::Group {
        batch,
        build: build.into(),
    };
    if state.list.select_row(&row, rows) {
        state.focus = Pane::Builds;
        reset_details(state);
    }
}

/// The link `o` and `y` act on: the one selected in the links pane, else the
/// build's first browser link.
fn target_link(state: &State) -> Option<crate::domain::Link> {
    let links = state.detail_links();
    if state.focus == Pane::Links {
        return links.get(state.link_cursor).cloned();
    }
    links.into_iter().find(|l| l.is_url)
}

fn open_link(state: &mut State) -> Vec<Effect> {
    match target_link(state) {
        Some(link) if link.is_url => match super::open::openable(&link.value) {
            Ok(()) => {
                state.notify(format!("opening {} in the browser", link.label));
                vec![Effect::OpenUrl(link.value)]
            }
            Err(why) => {
                state.warn(format!("not opened: {why}; press y to copy it"));
                Vec::new()
            }
        },
        Some(link) => {
            state.warn(format!(
                "{} is not a web link; press y to copy it",
                link.label
            ));
            Vec::new()
        }
        None => {
            state.warn("no link to open for this build");
            Vec::new()
        }
    }
}

fn copy_link(state: &mut State) -> Vec<Effect> {
    match target_link(state) {
        Some(link) => {
            state.notify(format!("copied {} to the clipboard (OSC 52)", link.label));
            // Exactly the text the screen shows: nothing pasted later can
            // carry a newline or an escape sequence the user did not see.
            let shown = crate::text::inert(&link.value).into_owned();
            vec![Effect::Copy(shown)]
        }
        None => {
            state.warn("nothing to copy for this build");
            Vec::new()
        }
    }
}

/// `w`: be told when the selected build finishes (again: stop watching).
fn toggle_watch(state: &mut State) {
    let Some(b) = state.selected_build() else {
        state.warn("select a build to watch it");
        return;
    };
    let (id, label, complete) = (
        b.id.clone(),
        format!("{} #{}", b.project, b.number.unwrap_or_default()),
        b.complete,
    );
    if complete {
        state.warn(format!("{label} has already finished"));
    } else if state.watched.remove(&id) {
        state.notify(format!("no longer watching {label}"));
    } else {
        state.watched.insert(id);
        state.notify(format!(
            "watching {label}: the terminal will ring when it finishes"
        ));
    }
}
