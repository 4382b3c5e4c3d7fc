//! What a question says about its target: the build or batch exactly, and
//! the account and region the call will go to, kept true while it is open.

use super::overlay::ConfirmKind;
use super::state::State;
use crate::text::duration;

/// Lines naming a build or batch exactly, and the account and region the
/// call will go to.
pub fn describe(state: &State, batch: bool, id: &str) -> Option<(Vec<String>, bool)> {
    let run = if batch {
        state.store.batches.get(id)?.run()
    } else {
        state.store.get(id)?.run()
    };
    let kind = if batch { "batch" } else { "build" };
    let number = run.number.map_or_else(|| "?".into(), |n| n.to_string());
    let mut lines = vec![
        format!("{kind}   {} #{number}", run.project),
        format!("ID      {id}"),
        format!(
            "status  {}{}",
            run.status,
            run.elapsed_secs(state.now)
                .map(|s| format!(" · {}", duration(s)))
                .unwrap_or_default()
        ),
    ];
    lines.extend(whereabouts(state, run.arn, run.context));
    Some((lines, run.complete))
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

/// Keeps an open question true to the build it names: the status and the
/// time it has run are those of the latest answer, not of the moment asked.
pub fn refresh_confirm(state: &mut State) {
    let Some(confirm) = state.overlay.confirm() else {
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
    if let Some(confirm) = state.overlay.confirm_mut() {
        confirm.lines = lines;
    }
}
