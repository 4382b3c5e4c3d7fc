//! The log view's handlers: opening a build's log, the pages that arrive
//! for it, the clock that follows it, and its keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::Effect;
use super::overlay::{LogView, Overlay, SEARCH_LIMIT};
use super::paste::{self, Pasted};
use super::state::State;
use crate::domain::{ApiError, LogPage};
use crate::logs::search::first_failure;

/// `l`: open the selected build's log.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(build) = state.selected_build() else {
        state.warn("select a build to read its log");
        return Vec::new();
    };
    let mut view = LogView::new(build, state.settings.log_lines);
    let effects = view.read();
    state.overlay = Overlay::new_log_view(view);
    effects
}

/// A page arrived for the open view, if it still shows `build`.
pub fn on_page(state: &mut State, build: &str, result: Result<LogPage, ApiError>) -> Vec<Effect> {
    let complete = state.store.get(build).is_none_or(|b| b.complete);
    let now = state.now;
    let rows = log_rows(state);
    match state.overlay.log_view_mut().filter(|v| &*v.build == build) {
        Some(view) => view.on_page(result, complete, now, rows),
        None => Vec::new(),
    }
}

/// Reads again when due.
pub fn on_tick(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    match state.overlay.log_view_mut() {
        Some(view) => view.on_tick(now),
        None => Vec::new(),
    }
}

/// Lines of log that fit in the view.
pub fn log_rows(state: &State) -> usize {
    (state.height as usize).saturating_sub(5).max(1)
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let rows = log_rows(state);
    let Some(view) = state.overlay.log_view_mut() else {
        return Vec::new();
    };
    if view.searching {
        match key.code {
            KeyCode::Enter => {
                view.searching = false;
                view.jump(0, rows);
            }
            KeyCode::Esc => {
                view.searching = false;
                view.query.clear();
                view.matches.clear();
                view.current = None;
            }
            KeyCode::Backspace => {
                view.query.pop();
            }
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL)
                    && view.query.chars().count() < SEARCH_LIMIT =>
            {
                view.query.push(c)
            }
            _ => {}
        }
        view.refresh_matches();
        return Vec::new();
    }
    let last = view.buffer.len().saturating_sub(rows);
    let page = rows as isize;
    match key.code {
        // Opened from the test cases: back to them, where the user was.
        KeyCode::Esc => {
            state.overlay = match view.back.take() {
                Some(tests) => Overlay::Tests(tests),
                None => Overlay::None,
            }
        }
        KeyCode::Char('j') | KeyCode::Down => view.scroll(1, last),
        KeyCode::Char('k') | KeyCode::Up => view.scroll(-1, last),
        KeyCode::PageDown => view.scroll(page, last),
        KeyCode::PageUp => view.scroll(-page, last),
        KeyCode::Char('g') | KeyCode::Home => view.scroll(isize::MIN / 2, last),
        KeyCode::Char('G') | KeyCode::End => {
            view.offset = last;
            view.follow = true;
        }
        KeyCode::Left => view.h_scroll = view.h_scroll.saturating_sub(8),
        KeyCode::Right => view.h_scroll += 8,
        KeyCode::Char('w') => view.wrap = !view.wrap,
        KeyCode::Char('/') => view.searching = true,
        KeyCode::Char('n') => view.jump(1, rows),
        KeyCode::Char('N') => view.jump(-1, rows),
        KeyCode::Char('f') => {
            let failed = state
                .store
                .get(&view.build)
                .and_then(|b| b.failed_phase())
                .map(|p| p.phase_type.to_string());
            match first_failure(&view.buffer, failed.as_deref()) {
                Some(line) => {
                    view.follow = false;
                    view.offset = line.saturating_sub(rows / 3);
                }
                None => state.notify("no line in this log looks like the failure"),
            }
        }
        _ => {}
    }
    Vec::new()
}

/// A search matches within one line, so a paste is taken up to its first
/// line break, and up to SEARCH_LIMIT characters in all.
pub fn paste(state: &mut State, text: &str) -> Pasted {
    let Some(view) = state.overlay.log_view_mut().filter(|v| v.searching) else {
        return Pasted::Refused;
    };
    let mut lines = text.split(['\n', '\r']).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let room = SEARCH_LIMIT.saturating_sub(view.query.chars().count());
    let (kept, dropped) = paste::fit(first, room, false);
    view.query.push_str(&kept);
    view.refresh_matches();
    match paste::outcome("the search", SEARCH_LIMIT, kept.chars().count(), dropped) {
        Pasted::Taken if lines.next().is_some() => Pasted::Cut(
            "pasted text cut at its first line break: a search matches within one line".into(),
        ),
        pasted => pasted,
    }
}
