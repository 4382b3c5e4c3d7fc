//! The projects board as the user drives it: opened with `b` (or
//! `--view projects`), its history back-filled once per project, its rows
//! recomputed as builds complete, Enter filtering the builds to a project.

use crossterm::event::KeyCode;

use super::board;
use super::msg::Effect;
use super::overlay::Overlay;
use super::state::State;
use crate::domain::{ApiError, Fetched};

/// Builds back-filled per project at most (the board's window).
pub const BACKFILL: usize = board::WINDOW;

/// Opens the board: its rows at once from what is loaded, and the calls
/// that complete its history (ListProjects per context, once).
pub fn open(state: &mut State) -> Vec<Effect> {
    state.overlay = Overlay::Board { cursor: 0 };
    recompute(state);
    let contexts = 1 + u16::try_from(state.contexts.len()).unwrap_or(u16::MAX - 1);
    let mut effects = Vec::new();
    for context in 0..contexts {
        if state.board.listing.insert(context) {
            if state.settings.projects.is_empty() {
                effects.push(Effect::ListProjects.at(context));
            } else {
                // `--project`: those and no others.
                let named = state.settings.projects.clone();
                effects.extend(backfills(state, context, named));
            }
        }
    }
    effects
}

/// The rows again, from the builds loaded now.
pub fn recompute(state: &mut State) {
    state.board.rows = board::compute(&state.store, &state.board.listed, state.now);
    state.board.stale = false;
    if let Overlay::Board { cursor } = &mut state.overlay {
        *cursor = (*cursor).min(state.board.rows.len().saturating_sub(1));
    }
}

/// Back-fills of the projects of `context` not yet asked, and not already
/// holding a window of ended builds.
fn backfills(state: &mut State, context: u16, projects: Vec<String>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for project in projects {
        if !state.board.backfilled.insert((context, project.clone())) {
            continue;
        }
        let loaded = state
            .board
            .rows
            .iter()
            .find(|r| r.context == context && r.project == project)
            .map_or(0, |r| r.builds);
        if loaded >= BACKFILL {
            continue;
        }
        state.board.pending += 1;
        effects.push(
            Effect::Backfill {
                project,
                limit: BACKFILL,
            }
            .at(context),
        );
    }
    effects
}

/// ListProjects answered while the board wants it.
pub fn on_projects(state: &mut State, result: &Result<Vec<String>, ApiError>) -> Vec<Effect> {
    let context = state.answer_context;
    if !state.board.listing.contains(&context) {
        return Vec::new();
    }
    match result {
        Ok(names) => {
            for name in names {
                if !state
                    .board
                    .listed
                    .iter()
                    .any(|(c, p)| *c == context && p == name)
                {
                    state.board.listed.push((context, name.clone()));
                }
            }
            state.board.stale = true;
            backfills(state, context, names.clone())
        }
        Err(e) => {
            state.board.last_error = Some(format!("projects: {e}"));
            Vec::new()
        }
    }
}

/// A project's back-fill answered: its builds join the store.
pub fn on_backfilled(state: &mut State, project: &str, result: Result<Fetched, ApiError>) {
    state.board.pending = state.board.pending.saturating_sub(1);
    match result {
        Ok(fetched) => super::merge::apply(state, fetched),
        Err(e) => {
            state.board.failed += 1;
            state.board.last_error = Some(format!("{project}: {e}"));
        }
    }
    state.board.stale = true;
    if state.board.pending == 0 && matches!(state.overlay, Overlay::Board { .. }) {
        recompute(state);
    }
}

/// Once a second: the rows again when builds completed since.
pub fn on_tick(state: &mut State) {
    if state.board.stale && matches!(state.overlay, Overlay::Board { .. }) {
        recompute(state);
    }
}

pub fn on_key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let Overlay::Board { cursor } = &mut state.overlay else {
        return Vec::new();
    };
    let last = state.board.rows.len().saturating_sub(1);
    match code {
        KeyCode::Esc | KeyCode::Char('q' | 'b') => state.overlay = Overlay::None,
        KeyCode::Down | KeyCode::Char('j') => *cursor = (*cursor + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => *cursor = cursor.saturating_sub(1),
        KeyCode::Home | KeyCode::Char('g') => *cursor = 0,
        KeyCode::End | KeyCode::Char('G') => *cursor = last,
        KeyCode::PageDown => *cursor = (*cursor + 10).min(last),
        KeyCode::PageUp => *cursor = cursor.saturating_sub(10),
        KeyCode::Enter => {
            let Some(project) = state.board.rows.get(*cursor).map(|r| r.project.clone()) else {
                return Vec::new();
            };
            // The builds of that project alone; Esc clears the filter.
            state.filter = format!("project:{project}");
            state.overlay = Overlay::None;
            state.refresh_list();
            state.notify(format!(
                "builds of {} · ! runaways · x stops · Esc shows all",
                crate::text::inert(&project)
            ));
        }
        _ => {}
    }
    Vec::new()
}
