use crate::app::{Msg, PresetOp};
use crate::presets::PresetStore;

/// Runs one preset file operation (blocking file I/O: call it off the
/// event loop) and says how it went.
pub fn execute(store: Option<&PresetStore>, op: PresetOp) -> Msg {
    let Some(store) = store else {
        let text = "presets are unavailable: no data directory for this user".to_string();
        return match op {
            PresetOp::Load { .. } => Msg::PresetsLoaded(Err(text)),
            _ => Msg::PresetsDone(Err(text)),
        };
    };
    match op {
        PresetOp::Load { project } => {
            let loaded = store.last_used(&project).and_then(|last| {
                let mut all: Vec<_> = last.into_iter().collect();
                all.extend(store.presets(&project)?);
                Ok(all)
            });
            Msg::PresetsLoaded(loaded.map_err(|e| e.to_string()))
        }
        PresetOp::Save { project, preset } => {
            let name = preset.name.clone();
            Msg::PresetsDone(
                store
                    .save(&project, preset)
                    .map(|()| format!("saved preset {name} for {project}"))
                    .map_err(|e| e.to_string()),
            )
        }
        PresetOp::RememberLast { project, preset } => Msg::PresetsDone(
            store
                .remember_last(&project, preset)
                // Silent on success: the start itself was just announced.
                .map(|()| String::new())
                .map_err(|e| e.to_string()),
        ),
    }
}
