//! Stop, retry and start: each asks first, names exactly what it will act
//! on, and sends nothing in read-only mode.

use super::describe::describe;
use super::form::{Form, FormEvent};
use super::merge::{apply, apply_batches};
use super::msg::{Command, Effect, PresetOp};
use super::overlay::{Confirm, ConfirmKind, Overlay, RETRY_TYPES};
use super::row::Row;
use super::state::State;
use crate::domain::{ApiError, StartRequest};
use crate::domain::{Fetched, FetchedBatches, Started};

/// The selected row's target: (is a batch, ID).
fn target(state: &State) -> Option<(bool, String)> {
    match state.list.selected()? {
        Row::Batch(id) => Some((true, id.to_string())),
        row => row.build_id().map(|id| (false, id.to_string())),
    }
}

/// Refuses in read-only mode, with the reason; true when allowed.
pub fn allowed(state: &mut State, what: &str) -> bool {
    if state.settings.read_only {
        state.warn(format!(
            "read-only mode: {what} is disabled, nothing was sent"
        ));
        return false;
    }
    true
}

/// `x`: ask to stop the selected build or batch.
pub fn ask_stop(state: &mut State) {
    if !allowed(state, "stopping") {
        return;
    }
    let Some((batch, id)) = target(state) else {
        state.warn("nothing selected to stop");
        return;
    };
    let Some((lines, complete)) = describe(state, batch, &id) else {
        return;
    };
    if complete {
        state.warn("it has already finished: nothing to stop");
        return;
    }
    let kind = if batch {
        ConfirmKind::StopBatch { id }
    } else {
        ConfirmKind::StopBuild { id }
    };
    let title = if batch {
        "Stop this batch build?"
    } else {
        "Stop this build?"
    };
    state.overlay = Overlay::Confirm(Confirm {
        title: title.into(),
        lines,
        kind,
    });
}

/// `R`: ask to retry the selected build or batch.
pub fn ask_retry(state: &mut State) {
    if !allowed(state, "retrying") {
        return;
    }
    let Some((batch, id)) = target(state) else {
        state.warn("nothing selected to retry");
        return;
    };
    let Some((lines, complete)) = describe(state, batch, &id) else {
        return;
    };
    if !complete {
        state.warn("it is still running: only a finished build can be retried");
        return;
    }
    let (title, kind) = if batch {
        (
            "Retry this batch build?",
            ConfirmKind::RetryBatch { id, retry_type: 0 },
        )
    } else {
        ("Retry this build?", ConfirmKind::RetryBuild { id })
    };
    state.overlay = Overlay::Confirm(Confirm {
        title: title.into(),
        lines,
        kind,
    });
}

/// Keys while a question is open: y sends, n or Esc cancels, ←/→/Tab
/// choose the retry type of a batch.
pub fn on_confirm_key(state: &mut State, code: crossterm::event::KeyCode) -> Vec<Effect> {
    use crossterm::event::KeyCode;
    let Some(confirm) = state.overlay.confirm_mut() else {
        return Vec::new();
    };
    match code {
        KeyCode::Char('y') | KeyCode::Char('Y') => {
            let Some(confirm) = state.overlay.take_confirm() else {
                return Vec::new();
            };
            send_confirmed(state, confirm.kind)
        }
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
            state.overlay = Overlay::None;
            state.notify("cancelled: nothing was sent");
            Vec::new()
        }
        KeyCode::Left | KeyCode::Right | KeyCode::Tab | KeyCode::BackTab => {
            if let ConfirmKind::RetryBatch { retry_type, .. } = &mut confirm.kind {
                *retry_type = (*retry_type + 1) % RETRY_TYPES.len();
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The dialog named its target when it opened; if that finished meanwhile
/// a stop is pointless and nothing is sent.
fn send_confirmed(state: &mut State, kind: ConfirmKind) -> Vec<Effect> {
    let command = match kind {
        ConfirmKind::StopBuild { id } => {
            if let Some(b) = state.store.get(&id).filter(|b| b.complete) {
                let text = format!("{id} finished meanwhile ({}): nothing was sent", b.status);
                state.warn(text);
                return Vec::new();
            }
            Command::StopBuild { id }
        }
        ConfirmKind::StopBatch { id } => {
            if let Some(b) = state.store.batches.get(&id).filter(|b| b.complete) {
                let text = format!("{id} finished meanwhile ({}): nothing was sent", b.status);
                state.warn(text);
                return Vec::new();
            }
            Command::StopBatch { id }
        }
        ConfirmKind::RetryBuild { id } => Command::RetryBuild {
            id,
            token: state.next_token(),
        },
        ConfirmKind::RetryBatch { id, retry_type } => Command::RetryBatch {
            id,
            token: state.next_token(),
            retry_type: RETRY_TYPES[retry_type % RETRY_TYPES.len()].to_string(),
        },
    };
    // Aimed at the account and region the target lives in.
    let context = match &command {
        Command::StopBatch { id } | Command::RetryBatch { id, .. } => {
            state.store.batches.get(id).map_or(0, |b| b.context)
        }
        Command::StopBuild { id } | Command::RetryBuild { id, .. } => {
            state.store.get(id).map_or(0, |b| b.context)
        }
        Command::Start(_) => state.form_context,
    };
    state.sending += 1;
    state.notify("sending…");
    vec![Effect::Send(command).at(context)]
}

/// The answer to a command: what it returned is shown at once, without
/// waiting for the next poll; a new build is selected.
pub fn on_sent(
    state: &mut State,
    command: Command,
    result: Result<Started, ApiError>,
) -> Vec<Effect> {
    state.sending = state.sending.saturating_sub(1);
    let verb = match &command {
        Command::StopBuild { .. } | Command::StopBatch { .. } => "stopped",
        Command::RetryBuild { .. } | Command::RetryBatch { .. } => "retried",
        Command::Start(_) => "started",
    };
    match result {
        Ok(started) => {
            let (row, label) = match started {
                Started::Build(b) => {
                    let label = format!("{} #{}", b.project, b.number.unwrap_or_default());
                    let row = Row::Build(b.id.clone());
                    apply(
                        state,
                        Fetched {
                            builds: vec![*b],
                            not_found: Vec::new(),
                        },
                    );
                    (row, label)
                }
                Started::Batch(b) => {
                    let label = format!("{} batch #{}", b.project, b.number.unwrap_or_default());
                    let row = Row::Batch(b.id.clone());
                    let fetched = FetchedBatches {
                        batches: vec![*b],
                        not_found: Vec::new(),
                    };
                    apply_batches(state, fetched);
                    (row, label)
                }
            };
            if !matches!(
                command,
                Command::StopBuild { .. } | Command::StopBatch { .. }
            ) {
                let rows = state.visible_rows();
                state.list.select_row(&row, rows);
                super::navigate::reset_details(state);
            }
            state.notify(format!("{verb} {label}"));
            if let Command::Start(request) = command {
                if state.overlay.form().is_some() {
                    state.overlay = Overlay::None;
                }
                // Remembered for the next start of this project.
                let request = *request;
                let preset = super::preset_menu::stored(
                    state,
                    "last used".into(),
                    request.overrides,
                    request.batch,
                );
                return vec![Effect::Presets(Box::new(PresetOp::RememberLast {
                    project: request.project,
                    preset,
                }))];
            }
        }
        Err(e) => match (&command, state.overlay.form_mut()) {
            (Command::Start(_), Some(form)) => form.set_api_error(e.to_string()),
            _ => state.warn(format!("not {verb}: {e}")),
        },
    }
    Vec::new()
}

/// `s`: the start form, prefilled with what the selected build or batch
/// ran with.
pub fn open_form(state: &mut State) {
    if !allowed(state, "starting builds") {
        return;
    }
    let Some((batch, id)) = target(state) else {
        state.warn("select a build to relaunch it with overrides");
        return;
    };
    let form = if batch {
        state.store.batches.get(&id).map(|b| {
            Form::new(
                format!(
                    " Relaunch {} batch #{} ",
                    b.project,
                    b.number.unwrap_or_default()
                ),
                b.project.clone(),
                (*b.ran_with).clone(),
                Some(b.batch_config.clone()),
            )
        })
    } else {
        state.store.get(&id).map(|b| {
            Form::new(
                format!(" Relaunch {} #{} ", b.project, b.number.unwrap_or_default()),
                b.project.clone(),
                (*b.ran_with).clone(),
                None,
            )
        })
    };
    state.form_context = if batch {
        state.store.batches.get(&id).map_or(0, |b| b.context)
    } else {
        state.store.get(&id).map_or(0, |b| b.context)
    };
    if let Some(form) = form {
        state.overlay = Overlay::new_form(form);
    }
}

/// Keys while the form is open: it edits; a submission becomes one
/// StartBuild / StartBuildBatch with a fresh idempotency token.
pub fn on_form_key(state: &mut State, key: crossterm::event::KeyEvent) -> Vec<Effect> {
    let Some(form) = state.overlay.form_mut() else {
        return Vec::new();
    };
    match form.on_key(key) {
        FormEvent::None => Vec::new(),
        FormEvent::Cancel => {
            state.overlay = Overlay::None;
            state.notify("cancelled: nothing was sent");
            Vec::new()
        }
        FormEvent::Submit => {
            let Ok((overrides, batch)) = form.values() else {
                return Vec::new();
            };
            let project = form.project().to_string();
            form.set_sending();
            let request = StartRequest {
                project,
                overrides,
                batch,
                idempotency_token: state.next_token(),
            };
            state.sending += 1;
            vec![Effect::Send(Command::Start(Box::new(request))).at(state.form_context)]
        }
    }
}

/// The relaunch form with the compute type one size up, for a build that
/// ran out of memory: the review shows the change before anything is sent.
pub fn open_upsized_form(state: &mut State) {
    if matches!(target(state), Some((true, _))) {
        state.warn("one size up relaunches a build, not a batch: relaunch the batch with s");
        return;
    }
    let Some(b) = state.selected_build() else {
        state.warn("select a build to relaunch it one size up");
        return;
    };
    let current = b.ran_with.compute_type.clone().unwrap_or_default();
    let Some(next) = crate::domain::metrics::next_size_up(&current) else {
        let text = if current.is_empty() {
            "its compute type is not known: relaunch it with s and pick one".to_string()
        } else {
            format!(
                "{} has no larger general-purpose size: relaunch it with s to pick another",
                crate::text::inert(&current)
            )
        };
        state.warn(text);
        return;
    };
    let mut overrides = (*b.ran_with).clone();
    overrides.compute_type = Some(next.to_string());
    open_form(state);
    if let Some(form) = state.overlay.form_mut() {
        form.load(overrides, None, &[]);
        state.notify(format!(
            "compute type {} → {next}: Ctrl-S reviews the change, or edit on",
            crate::text::inert(&current)
        ));
    }
}
