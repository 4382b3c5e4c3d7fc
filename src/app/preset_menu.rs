//! Presets from within the form: Ctrl-W saves the form under a name,
//! Ctrl-O loads a saved one (or the overrides last used) into it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::{Effect, PresetOp};
use super::overlay::{Overlay, PresetMenu};
use super::state::State;
use crate::domain::{BatchConfig, Overrides};
use crate::presets::Preset;

/// The form's preset menu, open or not; None without a form.
fn slot(state: &mut State) -> Option<&mut Option<PresetMenu>> {
    match &mut state.overlay {
        Overlay::Form { menu, .. } => Some(menu),
        _ => None,
    }
}

/// Keys the form does not see while a preset menu is open, and the two
/// that open one. Returns None when the key is the form's.
pub fn on_key(state: &mut State, key: KeyEvent) -> Option<Vec<Effect>> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let project = state.overlay.form()?.project().to_string();
    let slot = slot(state)?;
    let Some(menu) = slot.as_mut() else {
        return match key.code {
            KeyCode::Char('w') if ctrl => {
                *slot = Some(PresetMenu::Naming(String::new()));
                Some(Vec::new())
            }
            KeyCode::Char('o') if ctrl => {
                *slot = Some(PresetMenu::Loading);
                Some(vec![Effect::Presets(Box::new(PresetOp::Load { project }))])
            }
            _ => None,
        };
    };
    if key.code == KeyCode::Esc {
        *slot = None;
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
                *slot = None;
                if let (Some(preset), Some(form)) = (chosen, state.overlay.form_mut()) {
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
    let Some(PresetMenu::Naming(name)) = slot(state).and_then(Option::take) else {
        return Vec::new();
    };
    let Some(form) = state.overlay.form() else {
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

/// Saved presets arrived (the last used one, if any, first), for the
/// form's menu.
pub fn on_loaded(state: &mut State, result: Result<Vec<Preset>, String>) {
    let mut menu = None;
    match result {
        Ok(items) if items.is_empty() => {
            state.notify("no presets saved for this project yet (Ctrl-W saves one)");
        }
        Ok(items) => menu = Some(PresetMenu::Pick { items, cursor: 0 }),
        Err(e) => state.warn(e),
    }
    if let Some(slot) = slot(state) {
        *slot = menu;
    }
}
