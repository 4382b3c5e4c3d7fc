use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::layout::{areas, list_chrome};
use super::msg::Effect;
use super::navigate::{move_by, reset_details, select_tree_line};
use super::overlay::Overlay;
use super::state::{Pane, State};

/// Click selects (a build row, a link, or a pane); the wheel scrolls the pane
/// under the pointer.
pub fn on_mouse(state: &mut State, mouse: MouseEvent) -> Vec<Effect> {
    // Dialogs own the screen: the list under them is not clickable.
    let open = !matches!(
        state.overlay,
        Overlay::None | Overlay::LogView { help: false, .. }
    );
    if open || state.filter_editing {
        return Vec::new();
    }
    let a = areas(state.width, state.height, state.selected_batch().is_some());
    let at = Position::new(mouse.column, mouse.row);
    let Some((pane, area)) = [
        (Pane::Builds, a.builds),
        (Pane::Tree, a.tree),
        (Pane::Phases, a.phases),
        (Pane::Links, a.links),
    ]
    .into_iter()
    .find(|(_, r)| r.contains(at)) else {
        return Vec::new();
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            state.focus = pane;
            click(state, pane, area, at)
        }
        MouseEventKind::ScrollDown => {
            state.focus = pane;
            move_by(state, 3)
        }
        MouseEventKind::ScrollUp => {
            state.focus = pane;
            move_by(state, -3)
        }
        _ => Vec::new(),
    }
}

fn click(state: &mut State, pane: Pane, area: Rect, at: Position) -> Vec<Effect> {
    // Rows start below the border, and below the column header in the list.
    let first_row = match pane {
        Pane::Builds if list_chrome(area.height) => area.y + 2,
        Pane::Builds => area.y,
        _ => area.y + 1,
    };
    let Some(row) = at.y.checked_sub(first_row).map(usize::from) else {
        return Vec::new();
    };
    match pane {
        Pane::Builds => {
            let index = state.list.offset() + row;
            if index < state.list.len() {
                let rows = state.visible_rows();
                let previous = state.list.selected().cloned();
                state.list.select_index(index, rows);
                if state.list.selected() != previous.as_ref() {
                    reset_details(state);
                }
            }
        }
        Pane::Links => {
            // Each link takes two lines: label, then value.
            let count = state.detail_links().len();
            let index = row / 2;
            if index < count {
                state.link_cursor = index;
            }
        }
        Pane::Tree => {
            // The first line inside the border is the batch's summary.
            if let Some(line) = row.checked_sub(1) {
                let index = state.tree_offset + line;
                if index < state.tree_nodes().len() {
                    return select_tree_line(state, index);
                }
            }
        }
        Pane::Phases => {}
    }
    Vec::new()
}
