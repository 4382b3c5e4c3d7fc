//! Drawing, from state only: one file per pane.

mod board;
mod builds;
mod compare;
mod confirm;
mod contexts;
mod coverage_view;
pub mod form;
pub mod format;
mod header;
mod help;
mod links;
pub mod log_text;
mod log_view;
pub mod phases;
mod popup;
mod preset_menu;
mod projects;
pub mod reports;
mod resources;
mod status;
mod tests_view;
pub mod theme;
mod tree;

use ratatui::Frame;

use theme::Theme;

use crate::app::overlay::Overlay;
use crate::app::{layout, Pane, State};

/// Draws a whole frame. Reads `state` and nothing else.
pub fn draw(frame: &mut Frame, state: &State) {
    draw_panes(frame, state);
    if state.settings.ascii {
        theme::plain_symbols(frame.buffer_mut());
    }
    if state.settings.no_color {
        theme::drop_colours(frame.buffer_mut());
    }
}

fn draw_panes(frame: &mut Frame, state: &State) {
    let size = frame.area();
    let theme = Theme::of(&state.settings);
    let a = layout::areas(size.width, size.height, state.selected_batch().is_some());
    header::draw(frame, a.header, state);
    if let Overlay::LogView { view, help } = &state.overlay {
        let body = ratatui::layout::Rect {
            y: a.header.bottom(),
            height: a.status.y.saturating_sub(a.header.bottom()),
            ..size
        };
        log_view::draw(frame, body, view, theme);
        status::draw(frame, a.status, state);
        if *help {
            help::draw(frame, size, &state.settings.keys, theme);
        }
        return;
    }
    if let Overlay::Compare(view) = &state.overlay {
        let body = ratatui::layout::Rect {
            y: a.header.bottom(),
            height: a.status.y.saturating_sub(a.header.bottom()),
            ..size
        };
        compare::draw(frame, body, view, theme);
        status::draw(frame, a.status, state);
        return;
    }
    if let Overlay::Tests(view) = &state.overlay {
        let body = ratatui::layout::Rect {
            y: a.header.bottom(),
            height: a.status.y.saturating_sub(a.header.bottom()),
            ..size
        };
        tests_view::draw(frame, body, view, theme);
        status::draw(frame, a.status, state);
        return;
    }
    if let Overlay::Board { cursor } = &state.overlay {
        let body = ratatui::layout::Rect {
            y: a.header.bottom(),
            height: a.status.y.saturating_sub(a.header.bottom()),
            ..size
        };
        board::draw(frame, body, state, *cursor);
        status::draw(frame, a.status, state);
        return;
    }
    if let Overlay::Coverage(view) = &state.overlay {
        let body = ratatui::layout::Rect {
            y: a.header.bottom(),
            height: a.status.y.saturating_sub(a.header.bottom()),
            ..size
        };
        coverage_view::draw(frame, body, view, theme);
        status::draw(frame, a.status, state);
        return;
    }
    builds::draw(frame, a.builds, state, state.focus == Pane::Builds);
    if !a.tree.is_empty() {
        tree::draw(frame, a.tree, state, state.focus == Pane::Tree);
    }
    if !a.phases.is_empty() {
        phases::draw(frame, a.phases, state, state.focus == Pane::Phases);
    }
    if !a.links.is_empty() {
        links::draw(frame, a.links, state, state.focus == Pane::Links);
    }
    status::draw(frame, a.status, state);
    match &state.overlay {
        Overlay::None
        | Overlay::LogView { .. }
        | Overlay::Compare(_)
        | Overlay::Tests(_)
        | Overlay::Coverage(_)
        | Overlay::Board { .. } => {}
        Overlay::Confirm(confirm) => confirm::draw(frame, size, confirm, theme),
        Overlay::Picker(picker) => projects::draw(frame, size, picker, theme),
        Overlay::Form { form, menu } => {
            let destination = crate::app::describe::form_destination(state);
            form::draw(
                frame,
                size,
                form,
                state.settings.mask_plaintext,
                &destination,
                theme,
            );
            if let Some(menu) = menu {
                preset_menu::draw(frame, size, menu, theme);
            }
        }
        Overlay::Contexts => contexts::draw(frame, size, state),
        Overlay::Help => help::draw(frame, size, &state.settings.keys, theme),
    }
}
