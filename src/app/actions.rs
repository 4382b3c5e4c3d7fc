//! Stop, retry and start: each asks first, names exactly what it will act
//! on, and sends nothing in read-only mode.

use super::form::{Form, FormEvent};
use super::list::Row;
use super::msg::{Command, Effect};
use super::preset_menu::PresetOp;
use super::state::State;
use super::update::{apply, apply_batches};
use crate::domain::{ApiError, StartRequest};
use crate::domain::{Fetched, FetchedBatches, Started};
use crate::text::duration;

/// A question waiting for y / n, with the command it will send.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    /// What will be acted on: project, number, ID, status, elapsed.
    pub lines: Vec<String>,
    pub kind: ConfirmKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmKind {
    StopBuild {
        id: String,
    },
    StopBatch {
        id: String,
    },
    RetryBuild {
        id: String,
    },
    /// Index into RETRY_TYPES.
    RetryBatch {
        id: String,
        retry_type: usize,
    },
}

pub const RETRY_TYPES: &[&str] = crate::domain::choices::BATCH_RETRY_TYPES;

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

/// Lines naming a build or batch exactly, and the account and region the
/// call will go to.
fn describe(state: &State, batch: bool, id: &str) -> Option<(Vec<String>, bool)> {
    let (project, number, status, elapsed, complete, arn, context) = if batch {
        let b = state.store.batches.get(id)?;
        (
            b.project.clone(),
            b.number,
            b.status.clone(),
            b.elapsed_secs(state.now),
            b.complete,
            b.arn.clone(),
            b.context,
        )
    } else {
        let b = state.store.get(id)?;
        (
            b.project.clone(),
            b.number,
            b.status.clone(),
            b.elapsed_secs(state.now),
            b.complete,
            b.arn.clone(),
            b.context,
        )
    };
    let kind = if batch { "batch" } else { "build" };
    let number = number.map_or_else(|| "?".into(), |n| n.to_string());
    let mut lines = vec![
        format!("{kind}   {project} #{number}"),
        format!("ID      {id}"),
        format!(
            "status  {status}{}",
            elapsed
                .map(|s| format!(" · {}", duration(s)))
                .unwrap_or_default()
        ),
    ];
    lines.extend(whereabouts(state, arn.as_deref(), context));
    Some((lines, complete))
}

/// "account 222222222222 · eu-west-1 · prod": where the build lives (its
/// ARN) and through which context the call goes; a warning when the
/// context's credentials answer as another account.
pub fn whereabouts(state: &State, arn: Option<&str>, context: u16) -> Vec<String> {
    let poller = state.pollers().find(|(c, _)| *c == context).map(|(_, p)| p);
    let answering = poller.and_then(|p| p.account());
    let place = arn.and_then(crate::domain::arn_place);
    let name = match state.context_name(context) {
        "" => state.settings.context.as_str(),
        name => name,
    };
    let mut lines = Vec::new();
    match (place, answering) {
        (Some((region, account)), _) => {
            lines.push(format!("account {account} · {region} · {name}"));
        }
        (None, Some(account)) => lines.push(format!("account {account} · {name}")),
        (None, None) => lines.push(format!("account unknown · {name}")),
    }
    if let (Some((_, owner)), Some(answering)) = (place, answering) {
        if owner != answering {
            lines.push(format!(
                "⚠ these credentials answer as account {answering}, not the build's {owner}"
            ));
        }
    }
    lines
}

/// Where the form's build will start: its context's account and region.
pub fn form_destination(state: &State) -> Vec<String> {
    let context = state.form_context;
    // Any build of that context names its account, should STS not answer.
    let arn = state
        .selected_build()
        .filter(|b| b.context == context)
        .and_then(|b| b.arn.as_deref());
    let mut lines = whereabouts(state, arn, context);
    if let Some(first) = lines.first_mut() {
        *first = format!("starts in {first}");
    }
    lines
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
    state.confirm = Some(Confirm {
        title: title.into(),
        lines,
        kind,
    });
}

/// Keeps an open question true to the build it names: the status and the
/// time it has run are those of the latest answer, not of the moment asked.
pub fn refresh_confirm(state: &mut State) {
    let Some(confirm) = &state.confirm else {
        return;
    };
    let (batch, id, stop) = match &confirm.kind {
        ConfirmKind::StopBuild { id } => (false, id.clone(), true),
        ConfirmKind::StopBatch { id } => (true, id.clone(), true),
        ConfirmKind::RetryBuild { id } => (false, id.clone(), false),
        ConfirmKind::RetryBatch { id, .. } => (true, id.clone(), false),
    };
    let Some((mut lines, complete)) = describe(state, batch, &id) else {
        return;
    };
    if stop && complete {
        lines.push("It has finished meanwhile: there is nothing left to stop.".into());
    }
    if let Some(confirm) = state.confirm.as_mut() {
        confirm.lines = lines;
    }
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
    state.confirm = Some(Confirm {
        title: title.into(),
        lines,
        kind,
    });
}

/// Keys while a question is open: y sends, n or Esc cancels, ←/→/Tab
/// choose the retry type of a batch.
pub fn on_confirm_key(state: &mut State, code: crossterm::event::KeyCode) -> Vec<Effect> {
    use crossterm::event::KeyCode;
    let Some(confirm) = state.confirm.as_mut() else {
        return Vec::new();
    };
    match code {
        KeyCode::Char('y') | KeyCode::Char('Y') => {
            let Some(confirm) = state.confirm.take() else {
                return Vec::new();
            };
            send_confirmed(state, confirm.kind)
        }
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
            state.confirm = None;
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
                super::keys::reset_details(state);
            }
            state.notify(format!("{verb} {label}"));
            if let Command::Start(request) = command {
                state.form = None;
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
        Err(e) => match (&command, state.form.as_mut()) {
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
    state.form = form;
}

/// Keys while the form is open: it edits; a submission becomes one
/// StartBuild / StartBuildBatch with a fresh idempotency token.
pub fn on_form_key(state: &mut State, key: crossterm::event::KeyEvent) -> Vec<Effect> {
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    match form.on_key(key) {
        FormEvent::None => Vec::new(),
        FormEvent::Cancel => {
            state.form = None;
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
