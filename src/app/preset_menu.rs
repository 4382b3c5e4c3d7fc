//! Presets from within the form: Ctrl-W saves the form under a name,
//! Ctrl-O loads a saved one (or the overrides last used) into it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::{Effect, PresetOp};
use super::overlay::PresetMenu;
use super::state::State;
use crate::domain::{BatchConfig, Overrides};
use crate::presets::Preset;

/// Keys the form does not see while a preset menu is open, and the two
/// that open one. Returns None when the key is the form's.
pub fn on_key(state: &mut State, key: KeyEvent) -> Option<Vec<Effect>> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let project = state.form.as_ref()?.project().to_string();
    let Some(menu) = state.preset_menu.as_mut() else {
        return match key.code {
            KeyCode::Char('w') if ctrl => {
                state.preset_menu = Some(PresetMenu::Naming(String::new()));
                Some(Vec::new())
            }
            KeyCode::Char('o') if ctrl => {
                state.preset_menu = Some(PresetMenu::Loading);
                Some(vec![Effect::Presets(Box::new(PresetOp::Load { project }))])
            }
            _ => None,
        };
    };
    if key.code == KeyCode::Esc {
        state.preset_menu = None;
        return Some(Vec::new());
    }
    match menu {
        PresetMenu::Naming(name) => match key.code {
            KeyCode::Enter => return Some(save(state, project)),
            KeyCode::Backspace => {
                name.pop();
            }
            KeyCode::Char(c) if !ctrl => name.push(c),
            _ => {}
        },
        PresetMenu::Loading => {}
        PresetMenu::Pick { items, cursor } => match key.code {
            KeyCode::Down | KeyCode::Char('j') => {
                *cursor = (*cursor + 1).min(items.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => *cursor = cursor.saturating_sub(1),
            KeyCode::Enter => {
                let chosen = items.get(*cursor).cloned();
                state.preset_menu = None;
                if let (Some(preset), Some(form)) = (chosen, state.form.as_mut()) {
                    let missing = form.load(preset.overrides, preset.batch, &preset.withheld);
                    match missing {
                        0 => state.notify(format!("loaded preset {}", preset.name)),
                        n => state.warn(format!(
                            "loaded preset {}: {n} variable value(s) were not saved \
                             (masking is on); fill in the fields marked ✘",
                            preset.name
                        )),
                    }
                }
            }
            _ => {}
        },
    }
    Some(Vec::new())
}

fn save(state: &mut State, project: String) -> Vec<Effect> {
    let Some(PresetMenu::Naming(name)) = state.preset_menu.take() else {
        return Vec::new();
    };
    let Some(form) = state.form.as_ref() else {
        return Vec::new();
    };
    match form.values() {
        Ok((overrides, batch)) => {
            let preset = stored(state, name.trim().to_string(), overrides, batch);
            vec![Effect::Presets(Box::new(PresetOp::Save {
                project,
                preset,
            }))]
        }
        Err(errors) => {
            state.warn(format!(
                "not saved: {} field(s) need fixing first",
                errors.len()
            ));
            Vec::new()
        }
    }
}

/// A preset as it goes to disk: with masking on, no PLAINTEXT value.
pub fn stored(
    state: &State,
    name: String,
    overrides: Overrides,
    batch: Option<BatchConfig>,
) -> Preset {
    let preset = Preset {
        name,
        overrides,
        batch,
        saved_at: state.now,
        withheld: Vec::new(),
    };
    if state.settings.mask_plaintext {
        preset.withholding_plaintext()
    } else {
        preset
    }
}

/// Saved presets arrived (the last used one, if any, first).
pub fn on_loaded(state: &mut State, result: Result<Vec<Preset>, String>) {
    match result {
        Ok(items) if items.is_empty() => {
            state.preset_menu = None;
            state.notify("no presets saved for this project yet (Ctrl-W saves one)");
        }
        Ok(items) => state.preset_menu = Some(PresetMenu::Pick { items, cursor: 0 }),
        Err(e) => {
            state.preset_menu = None;
            state.warn(e);
        }
    }
}
