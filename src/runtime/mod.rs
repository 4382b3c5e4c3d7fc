//! The event loop: terminal input, timers and API answers become messages;
//! `update` turns them into effects, which run here.

pub mod effects;
pub mod execute;
pub mod headless;
pub mod presets_io;
pub mod signals;
pub mod terminal;

use std::io;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, MouseEventKind};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::app::{update, Effect, Msg, Settings, State};
use crate::aws::ConnectOptions;
use crate::presets::PresetStore;
use crate::ui;
use effects::Executor;

/// Runs the dashboard until the user quits, a signal comes or the
/// terminal closes.
pub async fn run(settings: Settings, options: Vec<ConnectOptions>) -> io::Result<()> {
    // Before the terminal changes: a signal at any later moment restores it.
    signals::end_on_signals()?;
    let mut term = terminal::enter()?;
    let result = event_loop(&mut term, settings, options).await;
    // Input ended or drawing failed because the terminal was closed: nobody
    // is left to tell, and it is no crash.
    if terminal::gone() {
        terminal::restore_and_exit(signals::HUNG_UP);
    }
    terminal::restore();
    // Restored already: ratatui's own restore on drop would `eprintln!` a
    // failure, which panics when stderr is gone.
    std::mem::forget(term);
    result
}

async fn event_loop(
    term: &mut terminal::Term,
    settings: Settings,
    options: Vec<ConnectOptions>,
) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let presets = match &settings.presets_file {
        Some(path) => Some(PresetStore::at(path.clone())),
        None => PresetStore::default_location(),
    };
    let executor = Executor::new(options, presets, tx);
    let mut state = State::new(settings, Utc::now());
    let size = term.size()?;
    update(
        &mut state,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    if state.settings.open_board {
        for effect in crate::app::open_board(&mut state) {
            executor.spawn(effect);
        }
    }
    // The first frame, before credentials resolve or anything answers.
    term.draw(|f| ui::draw(f, &state))?;

    let mut events = EventStream::new();
    // Once a second: live elapsed times, and polls that came due.
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // Answers from many accounts arrive all the time: they are drawn at
    // most FRAME apart, while keys are drawn at once.
    let mut last_draw = tokio::time::Instant::now();
    let mut dirty = false;
    loop {
        // The next poll due in any account and region not polling now.
        let next_poll = state
            .pollers()
            .filter(|(_, p)| !p.in_flight())
            .map(|(_, p)| p.next_at)
            .min();
        let until_poll = next_poll
            .flatten()
            .and_then(|at| (at - Utc::now()).to_std().ok())
            .unwrap_or(Duration::ZERO);
        let idle = next_poll.is_some();
        let first = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => from_terminal(event),
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => Some(msg),
            _ = tick.tick() => Some(Msg::Tick(Utc::now())),
            _ = tokio::time::sleep(until_poll), if idle => Some(Msg::PollDue(Utc::now())),
            _ = tokio::time::sleep_until(last_draw + FRAME), if dirty => None,
        };
        // Handle everything already queued, then draw once.
        let mut batch: Vec<Msg> = first.into_iter().collect();
        while let Ok(msg) = rx.try_recv() {
            batch.push(msg);
        }
        let from_user = batch.iter().any(|m| {
            matches!(
                m,
                Msg::Key(_) | Msg::Mouse(_) | Msg::Paste(_) | Msg::Resize { .. }
            )
        });
        dirty |= !batch.is_empty();
        for msg in batch {
            for effect in update(&mut state, msg) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Notify { title, body } => {
                        terminal::notify(term.backend_mut(), &title, &body)?
                    }
                    Effect::Copy(text) => terminal::copy_to_clipboard(term.backend_mut(), &text)?,
                    other => executor.spawn(other),
                }
            }
        }
        if dirty && (from_user || last_draw.elapsed() >= FRAME) {
            term.draw(|f| ui::draw(f, &state))?;
            last_draw = tokio::time::Instant::now();
            dirty = false;
        }
    }
}

/// The shortest time between two frames drawn for answers, not keys.
const FRAME: Duration = Duration::from_millis(100);

fn from_terminal(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        // Pointer motion changes nothing; skipping it avoids a redraw per move.
        Event::Mouse(mouse) if mouse.kind == MouseEventKind::Moved => None,
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}
