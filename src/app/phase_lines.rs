//! What the phases pane shows, line by line. Decided here, where keys
//! scroll the pane as far as it is drawn; the ui only styles each line.

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthStr;

use super::layout;
use super::runaway::Reason;
use super::state::State;
use crate::domain::{Phase, PhaseContext, Report, Run, Status, TestCase};
use crate::text::inert;

/// Rows of a context message shown while folded.
const FOLDED_ROWS: usize = 3;
/// Rows of one context message shown at most even when unfolded: a
/// message of megabytes is not laid out on every frame.
const MAX_ROWS: usize = 2_000;
/// The indent of a context under its phase.
pub const INDENT: &str = "    ";

/// What the pane describes: a build, or a batch (its own phases).
pub struct Subject<'a> {
    pub title: String,
    pub status: &'a Status,
    pub source: Option<&'a str>,
    pub resolved: Option<&'a str>,
    pub initiator: Option<&'a str>,
    pub start: Option<DateTime<Utc>>,
    pub elapsed: Option<i64>,
    pub complete: bool,
    pub timeout_minutes: Option<i32>,
    pub id: &'a str,
    pub phases: &'a [Phase],
}

impl<'a> Subject<'a> {
    /// `label` names the pane: "Phases" of a build, "Batch phases".
    fn of(label: &str, run: Run<'a>, now: DateTime<Utc>) -> Subject<'a> {
        Subject {
            title: format!(" {label} · {} #{} ", inert(run.project), number(run.number)),
            status: run.status,
            source: run.source_version,
            resolved: run.resolved_source_version,
            initiator: run.initiator,
            start: run.start,
            elapsed: run.elapsed_secs(now),
            complete: run.complete,
            timeout_minutes: run.timeout_minutes,
            id: run.id.as_ref(),
            phases: run.phases,
        }
    }
}

fn number(n: Option<i64>) -> String {
    n.map_or_else(|| "?".into(), |n| n.to_string())
}

/// One line of the pane.
#[derive(Debug, Clone, PartialEq)]
pub enum PhaseLine<'a> {
    /// Status, source versions, initiator.
    Summary,
    /// Why it failed, up front.
    Failure(String),
    /// Out of memory, up front, with the figures.
    Verdict(crate::domain::sizing::Verdict),
    /// The resources part: sparklines, figures, notes, hints.
    Resource(super::resource_lines::ResourceLine),
    Runaway(&'a Reason),
    /// A running build against its project's usual duration.
    Eta {
        progress: f64,
        left_secs: i64,
    },
    /// When it started, how long it took, its timeout.
    Timing,
    Id,
    /// A report's name, status, totals and duration (or coverage).
    /// With the pane's width, which bounds its trends.
    Report(&'a Report, usize),
    /// A failed test case inline: its name and its message's first line,
    /// cut to the pane's width (the second field).
    FailedCase(&'a TestCase, usize),
    /// Failed cases not listed inline.
    MoreFailed(i64),
    /// Reports asked for and not answered yet.
    ReportsPending(usize),
    /// Reports asked for that did not come back.
    ReportsMissing(usize),
    NoPhases,
    Phase(&'a Phase),
    /// A context's status code, under its phase.
    StatusCode(&'a str),
    /// One row of a context message, at most the pane's width.
    Message(String),
    /// How a long message is folded.
    Fold(Fold),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Folded: this many more rows to expand.
    More(usize),
    /// Unfolded and shown whole: the key folds it again.
    Unfolded,
    /// Unfolded, this many rows past the most ever shown.
    Cut(usize),
}

/// What the pane describes for the selection, if anything.
pub fn subject(state: &State) -> Option<Subject<'_>> {
    match (state.selected_build(), state.selected_batch()) {
        (Some(b), _) => Some(Subject::of("Phases", b.run(), state.now)),
        (None, Some(batch)) if state.tree_cursor.is_none() => {
            Some(Subject::of("Batch phases", batch.run(), state.now))
        }
        _ => None,
    }
}

/// How far the phases pane scrolls at the current terminal size: until
/// its last line is at the bottom.
pub fn max_scroll(state: &State) -> usize {
    let area = layout::areas(state.width, state.height, state.selected_batch().is_some()).phases;
    let count = subject(state).map_or(0, |s| lines(&s, state, inner_width(area.width)).len());
    count.saturating_sub(usize::from(area.height.saturating_sub(2)))
}

/// Columns inside the pane's borders.
pub fn inner_width(pane_width: u16) -> usize {
    usize::from(pane_width.saturating_sub(2))
}

/// The summary, then the phases; a phase that did not succeed shows its
/// contexts, a long message folded to a few rows, so the reason for a
/// failure is readable here.
pub fn lines<'a>(s: &Subject<'a>, state: &'a State, width: usize) -> Vec<PhaseLine<'a>> {
    let mut out = vec![PhaseLine::Summary];
    let (reason, told) = failure_line(s, width);
    out.extend(reason.map(PhaseLine::Failure));
    let build = state.store.get(s.id);
    if let Some(b) = build {
        let sampled = state.resources.sampled.get(&b.id).map(|s| &s.resources);
        let killed = state.resources.killed.contains(&b.id);
        if let Some(v) = crate::domain::sizing::verdict(b, sampled, killed)
            .filter(|v| matches!(v, crate::domain::sizing::Verdict::OutOfMemory { .. }))
        {
            out.push(PhaseLine::Verdict(v));
        }
    }
    // Which tests failed, up front too: the next question after why.
    report_lines(s, state, width, &mut out);
    if let Some(reason) = state.runaways.get(s.id) {
        out.push(PhaseLine::Runaway(reason));
    }
    if let Some((progress, left_secs)) = eta(s, state) {
        out.push(PhaseLine::Eta {
            progress,
            left_secs,
        });
    }
    out.push(PhaseLine::Timing);
    out.push(PhaseLine::Id);
    if s.phases.is_empty() {
        out.push(PhaseLine::NoPhases);
    }
    for p in s.phases {
        out.push(PhaseLine::Phase(p));
        if p.status.as_ref().is_some_and(|st| *st != Status::Succeeded) {
            for c in p.meaningful_contexts() {
                if !c.status_code.is_empty() {
                    out.push(PhaseLine::StatusCode(&c.status_code));
                }
                // The failure line above already said a short message.
                if !c.message.is_empty() && !told.is_some_and(|t| std::ptr::eq(t, c)) {
                    message_lines(&inert(&c.message), width, state, &mut out);
                }
            }
        }
    }
    // CPU, memory and disk over the phases just listed.
    if let Some(b) = build {
        out.extend(
            super::resource_lines::lines(state, b, width)
                .into_iter()
                .map(PhaseLine::Resource),
        );
    }
    out
}

/// The build's reports, and for a failed build its first failed tests.
fn report_lines<'a>(s: &Subject<'a>, state: &'a State, width: usize, out: &mut Vec<PhaseLine<'a>>) {
    let Some(build) = state.store.get(s.id) else {
        return;
    };
    let reports = &state.reports;
    let mut known = 0;
    for r in reports.of(build) {
        known += 1;
        out.push(PhaseLine::Report(r, width));
        if !s.status.is_failure() {
            continue;
        }
        let Some(cases) = reports.failed.get(&r.arn) else {
            continue;
        };
        let shown = &cases[..cases.len().min(super::reports::DETAIL_CASES)];
        out.extend(shown.iter().map(|c| PhaseLine::FailedCase(c, width)));
        let more = r.failed_cases() - shown.len() as i64;
        if more > 0 {
            out.push(PhaseLine::MoreFailed(more));
        }
    }
    let missing = build.report_arns.len().saturating_sub(known);
    let pending = build
        .report_arns
        .iter()
        .filter(|a| reports.pending(a))
        .count();
    if pending > 0 {
        out.push(PhaseLine::ReportsPending(pending));
    }
    // Answered without them: deleted, or the call failed (the status line said).
    if missing > pending {
        out.push(PhaseLine::ReportsMissing(missing - pending));
    }
}

/// A context message in rows of the pane's width: the first few while
/// folded, with how many more.
fn message_lines(text: &str, width: usize, state: &State, out: &mut Vec<PhaseLine>) {
    let width = width.saturating_sub(INDENT.len()).max(8);
    let total = row_count(text, width);
    let shown = if state.context_unfolded {
        total.min(MAX_ROWS)
    } else if total > FOLDED_ROWS + 1 {
        FOLDED_ROWS
    } else {
        total
    };
    for row in rows(text, width).take(shown) {
        out.push(PhaseLine::Message(row.to_string()));
    }
    let more = total - shown;
    let fold = match (state.context_unfolded, more) {
        (false, 0) => return,
        (false, n) => Fold::More(n),
        (true, 0) if total > FOLDED_ROWS + 1 => Fold::Unfolded,
        (true, 0) => return,
        (true, n) => Fold::Cut(n),
    };
    out.push(PhaseLine::Fold(fold));
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    UnicodeWidthStr::width(&*c.encode_utf8(&mut buf))
}

/// How many rows of `width` columns `text` takes, without laying it out.
fn row_count(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for w in text.chars().map(char_width) {
        if used + w > width {
            rows += 1;
            used = 0;
        }
        used += w;
    }
    rows
}

/// `text` cut into rows of at most `width` columns, lazily.
fn rows(text: &str, width: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut used = 0;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            let w = char_width(c);
            if used + w > width {
                end = i;
                break;
            }
            used += w;
        }
        let (row, tail) = rest.split_at(end.max(rest.chars().next().map_or(0, char::len_utf8)));
        rest = tail;
        Some(row)
    })
}

/// Progress against the project's usual duration, for a running build.
fn eta(s: &Subject, state: &State) -> Option<(f64, i64)> {
    if s.complete {
        return None;
    }
    let build = state.store.get(s.id)?;
    let stats = state.stats.get(&build.project);
    super::runaway::eta(build, stats, &state.settings.runaway, state.now)
}

/// Why it failed, up front: readable even when the phase list is cut. A
/// message that fits on the line is said here (and returned, so the phase
/// list does not repeat it); a longer one only under its phase, folded.
fn failure_line<'a>(s: &Subject<'a>, width: usize) -> (Option<String>, Option<&'a PhaseContext>) {
    if !s.status.is_failure() {
        return (None, None);
    }
    let Some(phase) = s
        .phases
        .iter()
        .find(|p| p.status.as_ref().is_some_and(|st| *st != Status::Succeeded))
    else {
        return (None, None);
    };
    let head = format!("{} in {}", s.status, inert(&phase.phase_type));
    let context = phase.meaningful_contexts().next();
    let (detail, told) = match context {
        Some(c) if !c.message.is_empty() => {
            let message = inert(&c.message);
            let fits = head.width() + 2 + message.width() <= width;
            if fits {
                (format!(": {message}"), Some(c))
            } else {
                (" (below)".to_string(), None)
            }
        }
        Some(c) => (format!(": {}", inert(&c.status_code)), None),
        None => (String::new(), None),
    };
    (Some(format!("{head}{detail}")), told)
}
