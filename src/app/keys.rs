use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::keymap::{action_for, Action};
use super::msg::Effect;
use super::state::{Pane, State};

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
    }
    if state.filter_editing {
        edit_filter(state, key);
        return Vec::new();
    }
    if state.show_help {
        // Any key closes help; the quit key also quits.
        state.show_help = false;
        return match action_for(&key) {
            Some(Action::Quit) => quit(state),
            _ => Vec::new(),
        };
    }
    match action_for(&key) {
        Some(action) => act(state, action),
        None => Vec::new(),
    }
}

fn quit(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    vec![Effect::Quit]
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
    state.refresh_list();
}

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.visible_rows().max(1) as isize;
    match action {
        Action::Quit => return quit(state),
        Action::Help => state.show_help = true,
        Action::Up => return move_by(state, -1),
        Action::Down => return move_by(state, 1),
        Action::PageUp => return move_by(state, -page),
        Action::PageDown => return move_by(state, page),
        Action::Top => return move_by(state, isize::MIN / 2),
        Action::Bottom => return move_by(state, isize::MAX / 2),
        Action::NextPane => state.focus = cycle_pane(state.focus, 1),
        Action::PrevPane => state.focus = cycle_pane(state.focus, Pane::ALL.len() - 1),
        Action::Details => {
            if state.focus == Pane::Builds && state.selected_build().is_some() {
                state.focus = Pane::Phases;
            }
        }
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
            return state.poller.refresh();
        }
        Action::Open => return open_link(state),
        Action::Copy => return copy_link(state),
    }
    Vec::new()
}

fn cycle_pane(current: Pane, step: usize) -> Pane {
    let i = Pane::ALL.iter().position(|p| *p == current).unwrap_or(0);
    Pane::ALL[(i + step) % Pane::ALL.len()]
}

/// Moves within the focused pane; moving down past the last build loads
/// older history.
pub fn move_by(state: &mut State, delta: isize) -> Vec<Effect> {
    match state.focus {
        Pane::Builds => {
            let previous = state.list.selected().cloned();
            let rows = state.visible_rows();
            let moved = state.list.move_by(delta, rows);
            if state.list.selected() != previous.as_ref() {
                state.phase_scroll = 0;
                state.link_cursor = 0;
            }
            if delta > 0 && !moved && state.list.at_end() && state.poller.loaded {
                return load_older(state);
            }
        }
        Pane::Phases => {
            let max = state.selected_build().map_or(0, |b| b.phases.len()) as isize;
            state.phase_scroll = (state.phase_scroll as isize + delta).clamp(0, max) as usize;
        }
        Pane::Links => {
            let count = state.selected_build().map_or(0, |b| b.links().len());
            let last = count.saturating_sub(1) as isize;
            state.link_cursor = (state.link_cursor as isize + delta).clamp(0, last) as usize;
        }
    }
    Vec::new()
}

fn load_older(state: &mut State) -> Vec<Effect> {
    if state.history.loading() {
        return Vec::new();
    }
    if !state.history.has_more() {
        state.notify("no older builds");
        return Vec::new();
    }
    state.notify("loading older builds…");
    state.history.load_more()
}

/// The link `o` and `y` act on: the one selected in the links pane, else the
/// build's first browser link.
fn target_link(state: &State) -> Option<crate::domain::Link> {
    let links = state.selected_build()?.links();
    if state.focus == Pane::Links {
        return links.get(state.link_cursor).cloned();
    }
    links.into_iter().find(|l| l.is_url)
}

fn open_link(state: &mut State) -> Vec<Effect> {
    match target_link(state) {
        Some(link) if link.is_url => {
            state.notify(format!("opening {} in the browser", link.label));
            vec![Effect::OpenUrl(link.value)]
        }
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
            vec![Effect::Copy(link.value)]
        }
        None => {
            state.warn("nothing to copy for this build");
            Vec::new()
        }
    }
}
