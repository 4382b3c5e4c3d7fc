//! The log view of one build: its CloudWatch stream, read from the head and
//! then followed while the build runs.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::msg::Effect;
use super::paste::{self, Pasted};
use super::state::State;
use crate::domain::LogPage;
use crate::domain::{ApiError, BuildId, ErrorKind};
use crate::logs::search::{first_failure, Match};
use crate::logs::LogBuffer;

/// How often a running build's stream is read again once at its end.
const FOLLOW_SECS: i64 = 2;
/// Characters a search takes, typed or pasted: a log line is matched
/// against the whole query, so it stays short.
pub const SEARCH_LIMIT: usize = 256;
/// How often to look for a stream that does not exist yet.
const WAIT_SECS: i64 = 3;
/// Back-off after a failed read.
const RETRY_SECS: i64 = 10;

#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    CloudWatch {
        group: String,
        stream: String,
    },
    /// Logs go to S3 only: the link is all there is.
    S3Only {
        link: Option<String>,
    },
    Disabled,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Loading,
    /// The build has not created its stream yet (queued, provisioning).
    Waiting,
    Following,
    /// The build is complete and the stream read to its end.
    Done,
    /// Reading failed; `retry` says whether it is tried again.
    Failed {
        message: String,
        retry: bool,
    },
}

#[derive(Debug)]
pub struct LogView {
    pub build: BuildId,
    /// The account and region the build lives in.
    pub context: u16,
    pub title: String,
    pub source: Source,
    pub buffer: LogBuffer,
    pub status: Status,
    next_token: Option<String>,
    in_flight: bool,
    next_read: Option<DateTime<Utc>>,
    /// First line shown.
    pub offset: usize,
    pub h_scroll: usize,
    pub wrap: bool,
    /// Keep the newest lines in view (off once the user scrolls up).
    pub follow: bool,
    pub query: String,
    pub searching: bool,
    pub matches: Vec<Match>,
    pub current: Option<usize>,
}

/// An effect reading the next page, when one is due.
fn read(view: &mut LogView) -> Vec<Effect> {
    let Source::CloudWatch { group, stream } = &view.source else {
        return Vec::new();
    };
    view.in_flight = true;
    view.next_read = None;
    vec![Effect::ReadLog {
        build: view.build.to_string(),
        group: group.clone(),
        stream: stream.clone(),
        next_token: view.next_token.clone(),
    }
    .at(view.context)]
}

/// `l`: open the selected build's log.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(build) = state.selected_build() else {
        state.warn("select a build to read its log");
        return Vec::new();
    };
    let logs = &build.logs;
    let source = match (&logs.group, &logs.stream) {
        (Some(group), Some(stream)) => Source::CloudWatch {
            group: group.clone(),
            stream: stream.clone(),
        },
        _ if logs.s3_deep_link.is_some() || logs.s3_arn.is_some() => Source::S3Only {
            link: logs.s3_deep_link.clone(),
        },
        _ => Source::Disabled,
    };
    let mut view = LogView {
        build: build.id.clone(),
        context: build.context,
        title: format!(
            " Log · {} #{} ",
            build.project,
            build.number.unwrap_or_default()
        ),
        source,
        buffer: LogBuffer::new(state.settings.log_lines),
        status: Status::Loading,
        next_token: None,
        in_flight: false,
        next_read: None,
        offset: 0,
        h_scroll: 0,
        wrap: false,
        follow: true,
        query: String::new(),
        searching: false,
        matches: Vec::new(),
        current: None,
    };
    let effects = read(&mut view);
    state.log_view = Some(view);
    effects
}

/// A page arrived. At the end of the stream (no events, the same token),
/// a complete build is done; a running one is read again shortly.
pub fn on_page(state: &mut State, build: &str, result: Result<LogPage, ApiError>) -> Vec<Effect> {
    let complete = state.store.get(build).is_none_or(|b| b.complete);
    let now = state.now;
    let rows = log_rows(state);
    let Some(view) = state.log_view.as_mut().filter(|v| &*v.build == build) else {
        return Vec::new();
    };
    view.in_flight = false;
    match result {
        Ok(page) => {
            let at_end = page.events.is_empty() && page.next_token == view.next_token;
            let dropped = view.buffer.dropped();
            for event in &page.events {
                view.buffer.push_event(event.timestamp, &event.message);
            }
            // Lines dropped at the cap shift every index: a paused view
            // stays on the same text.
            let shifted = view.buffer.dropped() - dropped;
            view.offset = view.offset.saturating_sub(shifted);
            if page.next_token.is_some() {
                view.next_token = page.next_token;
            }
            if view.follow {
                view.offset = view.buffer.len().saturating_sub(rows);
            }
            if !view.query.is_empty() && !page.events.is_empty() {
                view.matches = crate::logs::search::matches(&view.buffer, &view.query);
            }
            if at_end && complete {
                view.status = Status::Done;
            } else if at_end || page.events.is_empty() {
                view.status = Status::Following;
                view.next_read = Some(now + Duration::seconds(FOLLOW_SECS));
            } else {
                // More may be waiting: read on at once.
                view.status = Status::Following;
                return read(view);
            }
        }
        Err(e) if e.kind == ErrorKind::NotFound => {
            view.status = Status::Waiting;
            view.next_read = Some(now + Duration::seconds(WAIT_SECS));
        }
        Err(e) => {
            // Access is not going to change by itself; anything else might.
            let retry = e.kind != ErrorKind::AccessDenied;
            view.status = Status::Failed {
                message: e.to_string(),
                retry,
            };
            if retry {
                view.next_read = Some(now + Duration::seconds(RETRY_SECS));
            }
        }
    }
    Vec::new()
}

/// Reads again when due.
pub fn on_tick(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    match state.log_view.as_mut() {
        Some(view) if !view.in_flight && view.next_read.is_some_and(|at| now >= at) => read(view),
        _ => Vec::new(),
    }
}

/// Lines of log that fit in the view.
pub fn log_rows(state: &State) -> usize {
    (state.height as usize).saturating_sub(5).max(1)
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let rows = log_rows(state);
    let Some(view) = state.log_view.as_mut() else {
        return Vec::new();
    };
    if view.searching {
        match key.code {
            KeyCode::Enter => {
                view.searching = false;
                jump(view, 0, rows);
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
        refresh_matches(view);
        return Vec::new();
    }
    let last = view.buffer.len().saturating_sub(rows);
    let page = rows as isize;
    match key.code {
        KeyCode::Esc => state.log_view = None,
        KeyCode::Char('j') | KeyCode::Down => scroll(view, 1, last),
        KeyCode::Char('k') | KeyCode::Up => scroll(view, -1, last),
        KeyCode::PageDown => scroll(view, page, last),
        KeyCode::PageUp => scroll(view, -page, last),
        KeyCode::Char('g') | KeyCode::Home => scroll(view, isize::MIN / 2, last),
        KeyCode::Char('G') | KeyCode::End => {
            view.offset = last;
            view.follow = true;
        }
        KeyCode::Left => view.h_scroll = view.h_scroll.saturating_sub(8),
        KeyCode::Right => view.h_scroll += 8,
        KeyCode::Char('w') => view.wrap = !view.wrap,
        KeyCode::Char('/') => view.searching = true,
        KeyCode::Char('n') => jump(view, 1, rows),
        KeyCode::Char('N') => jump(view, -1, rows),
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
    let Some(view) = state.log_view.as_mut().filter(|v| v.searching) else {
        return Pasted::Refused;
    };
    let mut lines = text.split(['\n', '\r']).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    let room = SEARCH_LIMIT.saturating_sub(view.query.chars().count());
    let (kept, dropped) = paste::fit(first, room, false);
    view.query.push_str(&kept);
    refresh_matches(view);
    match paste::outcome("the search", SEARCH_LIMIT, kept.chars().count(), dropped) {
        Pasted::Taken if lines.next().is_some() => Pasted::Cut(
            "pasted text cut at its first line break: a search matches within one line".into(),
        ),
        pasted => pasted,
    }
}

fn refresh_matches(view: &mut LogView) {
    view.matches = if view.query.is_empty() {
        Vec::new()
    } else {
        crate::logs::search::matches(&view.buffer, &view.query)
    };
}

fn scroll(view: &mut LogView, delta: isize, last: usize) {
    let target = (view.offset as isize + delta).clamp(0, last as isize) as usize;
    view.offset = target;
    // Scrolling up pauses following; reaching the bottom resumes it.
    view.follow = target >= last;
}

/// Moves to the next (`step` 1), previous (-1) or nearest (0) match.
fn jump(view: &mut LogView, step: isize, rows: usize) {
    if view.matches.is_empty() {
        view.current = None;
        return;
    }
    let n = view.matches.len() as isize;
    let next = match view.current {
        Some(c) => (c as isize + step).rem_euclid(n) as usize,
        None => view
            .matches
            .iter()
            .position(|m| m.line >= view.offset)
            .unwrap_or(0),
    };
    view.current = Some(next);
    view.follow = false;
    view.offset = view.matches[next].line.saturating_sub(rows / 3);
}
