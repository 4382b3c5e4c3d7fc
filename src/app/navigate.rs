//! Moving within the panes, by key or by mouse: the list's selection, the
//! tree's cursor, the phases' scroll, the links' cursor.

use super::layout;
use super::msg::{Effect, Purpose};
use super::state::{Pane, State};

/// Details of a newly selected row start at their top.
pub fn reset_details(state: &mut State) {
    state.phase_scroll = 0;
    state.context_unfolded = false;
    state.link_cursor = 0;
    state.tree_cursor = None;
    state.tree_offset = 0;
}

/// Chooses a tree line; its group's build is fetched if not loaded yet.
pub fn select_tree_line(state: &mut State, index: usize) -> Vec<Effect> {
    let count = state.tree_nodes().len();
    if count == 0 {
        state.tree_cursor = None;
        return Vec::new();
    }
    let index = index.min(count - 1);
    state.tree_cursor = Some(index);
    state.phase_scroll = 0;
    state.link_cursor = 0;
    let height = layout::tree_rows(state.width, state.height);
    if index < state.tree_offset {
        state.tree_offset = index;
    } else if index >= state.tree_offset + height.max(1) {
        state.tree_offset = index + 1 - height.max(1);
    }
    match state.selected_group_build_id() {
        Some(id) if !state.store.contains(&id) && state.detail_requested.as_ref() != Some(&id) => {
            state.detail_requested = Some(id.clone());
            let context = state.selected_batch().map_or(0, |b| b.context);
            vec![Effect::Fetch {
                purpose: Purpose::Detail,
                ids: vec![id],
            }
            .at(context)]
        }
        _ => Vec::new(),
    }
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
                reset_details(state);
            }
            if delta > 0 && !moved && state.list.at_end() && state.poller.loaded {
                return load_older(state);
            }
        }
        Pane::Tree => {
            let current = state.tree_cursor.map_or(-1, |c| c as isize);
            let target = (current + delta).max(0) as usize;
            return select_tree_line(state, target);
        }
        Pane::Phases => {
            let max = super::phase_lines::max_scroll(state) as isize;
            state.phase_scroll = (state.phase_scroll as isize + delta).clamp(0, max) as usize;
        }
        Pane::Links => {
            let count = state.detail_links().len();
            let last = count.saturating_sub(1) as isize;
            state.link_cursor = (state.link_cursor as isize + delta).clamp(0, last) as usize;
        }
    }
    Vec::new()
}

/// The next older page of every context that has one.
fn load_older(state: &mut State) -> Vec<Effect> {
    let contexts = 1 + state.contexts.len() as u16;
    let histories = || 0..contexts;
    let mut loading = false;
    let mut more = false;
    for c in histories() {
        let history = state.split(c).1;
        loading |= history.loading();
        more |= history.has_more();
    }
    if loading {
        return Vec::new();
    }
    if !more {
        state.notify("no older builds");
        return Vec::new();
    }
    state.notify("loading older builds…");
    let mut effects = Vec::new();
    for c in histories() {
        effects.extend(state.split(c).1.load_more().into_iter().map(|e| e.at(c)));
    }
    effects
}
