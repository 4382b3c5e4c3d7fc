//! The project picker: start a new build of any project, nothing prefilled.

use crossterm::event::KeyCode;

use super::commands::allowed;
use super::form::Form;
use super::msg::Effect;
use super::overlay::{Overlay, Picker};
use super::state::State;
use crate::domain::{ApiError, Overrides};

/// `P`: list the projects.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.overlay = Overlay::Picker(Picker::default());
    // The projects of the account and region of the selected build.
    state.form_context = state.selected_build().map_or(0, |b| b.context);
    vec![Effect::ListProjects.at(state.form_context)]
}

pub fn on_listed(state: &mut State, result: Result<Vec<String>, ApiError>) {
    let Some(picker) = state.overlay.picker_mut() else {
        return;
    };
    match result {
        Ok(names) => picker.names = Some(names),
        Err(e) => picker.error = Some(e.to_string()),
    }
}

pub fn on_key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let Some(picker) = state.overlay.picker_mut() else {
        return Vec::new();
    };
    let count = picker.names.as_ref().map_or(0, Vec::len);
    match code {
        KeyCode::Esc | KeyCode::Char('q') => state.overlay = Overlay::None,
        KeyCode::Down | KeyCode::Char('j') => {
            picker.cursor = (picker.cursor + 1).min(count.saturating_sub(1));
        }
        KeyCode::Up | KeyCode::Char('k') => picker.cursor = picker.cursor.saturating_sub(1),
        KeyCode::Enter | KeyCode::Char('s') => {
            let Some(project) = picker
                .names
                .as_ref()
                .and_then(|n| n.get(picker.cursor))
                .cloned()
            else {
                return Vec::new();
            };
            if !allowed(state, "starting builds") {
                return Vec::new();
            }
            // form_context was set when the picker opened.
            state.overlay = Overlay::new_form(Form::new(
                format!(" New build of {project} "),
                project,
                Overrides::default(),
                None,
            ));
        }
        _ => {}
    }
    Vec::new()
}
