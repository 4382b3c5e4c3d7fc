//! The log view of one build: its CloudWatch stream, read from the head and
//! then followed while the build runs.

use chrono::{DateTime, Duration, Utc};

use super::super::msg::Effect;
use crate::domain::{ApiError, Build, BuildId, ErrorKind, LogPage};
use crate::logs::search::Match;
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
    /// Go to the first match once the log has one (opened for a test).
    pub seek_first: bool,
    /// The test cases view it was opened from, to go back to.
    pub back: Option<Box<super::TestsView>>,
}

impl LogView {
    /// The view of `build`'s log, keeping `log_lines` lines; nothing read yet.
    pub fn new(build: &Build, log_lines: usize) -> LogView {
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
        LogView {
            build: build.id.clone(),
            context: build.context,
            title: format!(
                " Log · {} #{} ",
                build.project,
                build.number.unwrap_or_default()
            ),
            source,
            buffer: LogBuffer::new(log_lines),
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
            seek_first: false,
            back: None,
        }
    }

    /// An effect reading the next page, when one is due.
    pub fn read(&mut self) -> Vec<Effect> {
        let Source::CloudWatch { group, stream } = &self.source else {
            return Vec::new();
        };
        self.in_flight = true;
        self.next_read = None;
        vec![Effect::ReadLog {
            build: self.build.to_string(),
            group: group.clone(),
            stream: stream.clone(),
            next_token: self.next_token.clone(),
        }
        .at(self.context)]
    }

    /// A page arrived. At the end of the stream (no events, the same
    /// token), a `complete` build is done; a running one is read again
    /// shortly. `rows`: lines that fit in the view.
    pub fn on_page(
        &mut self,
        result: Result<LogPage, ApiError>,
        complete: bool,
        now: DateTime<Utc>,
        rows: usize,
    ) -> Vec<Effect> {
        self.in_flight = false;
        match result {
            Ok(page) => {
                let at_end = page.events.is_empty() && page.next_token == self.next_token;
                let dropped = self.buffer.dropped();
                for event in &page.events {
                    self.buffer.push_event(event.timestamp, &event.message);
                }
                // Lines dropped at the cap shift every index: a paused view
                // stays on the same text.
                let shifted = self.buffer.dropped() - dropped;
                self.offset = self.offset.saturating_sub(shifted);
                if page.next_token.is_some() {
                    self.next_token = page.next_token;
                }
                if self.follow {
                    self.offset = self.buffer.len().saturating_sub(rows);
                }
                if !self.query.is_empty() && !page.events.is_empty() {
                    self.matches = crate::logs::search::matches(&self.buffer, &self.query);
                }
                if self.seek_first && !self.matches.is_empty() {
                    self.seek_first = false;
                    self.current = None;
                    self.offset = 0;
                    self.jump(0, rows);
                }
                if at_end && complete {
                    self.status = Status::Done;
                } else if at_end || page.events.is_empty() {
                    self.status = Status::Following;
                    self.next_read = Some(now + Duration::seconds(FOLLOW_SECS));
                } else {
                    // More may be waiting: read on at once.
                    self.status = Status::Following;
                    return self.read();
                }
            }
            Err(e) if e.kind == ErrorKind::NotFound => {
                self.status = Status::Waiting;
                self.next_read = Some(now + Duration::seconds(WAIT_SECS));
            }
            Err(e) => {
                // Access is not going to change by itself; anything else might.
                let retry = e.kind != ErrorKind::AccessDenied;
                self.status = Status::Failed {
                    message: e.to_string(),
                    retry,
                };
                if retry {
                    self.next_read = Some(now + Duration::seconds(RETRY_SECS));
                }
            }
        }
        Vec::new()
    }

    /// Reads again when due.
    pub fn on_tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if !self.in_flight && self.next_read.is_some_and(|at| now >= at) {
            self.read()
        } else {
            Vec::new()
        }
    }

    pub fn refresh_matches(&mut self) {
        self.matches = if self.query.is_empty() {
            Vec::new()
        } else {
            crate::logs::search::matches(&self.buffer, &self.query)
        };
    }

    pub fn scroll(&mut self, delta: isize, last: usize) {
        let target = (self.offset as isize + delta).clamp(0, last as isize) as usize;
        self.offset = target;
        // Scrolling up pauses following; reaching the bottom resumes it.
        self.follow = target >= last;
    }

    /// Moves to the next (`step` 1), previous (-1) or nearest (0) match.
    pub fn jump(&mut self, step: isize, rows: usize) {
        if self.matches.is_empty() {
            self.current = None;
            return;
        }
        let n = self.matches.len() as isize;
        let next = match self.current {
            Some(c) => (c as isize + step).rem_euclid(n) as usize,
            None => self
                .matches
                .iter()
                .position(|m| m.line >= self.offset)
                .unwrap_or(0),
        };
        self.current = Some(next);
        self.follow = false;
        self.offset = self.matches[next].line.saturating_sub(rows / 3);
    }
}
