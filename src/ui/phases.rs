use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::theme;
use crate::app::State;
use crate::domain::{Build, BuildBatch, Phase, PhaseContext, Status};
use crate::text::{clock, duration, inert, short_version};

/// What the pane describes: a build, or a batch (its own phases).
struct Subject<'a> {
    title: String,
    status: &'a Status,
    source: Option<&'a str>,
    resolved: Option<&'a str>,
    initiator: Option<&'a str>,
    start: Option<DateTime<Utc>>,
    elapsed: Option<i64>,
    complete: bool,
    timeout_minutes: Option<i32>,
    id: &'a str,
    phases: &'a [Phase],
}

impl<'a> Subject<'a> {
    fn build(b: &'a Build, now: DateTime<Utc>) -> Subject<'a> {
        Subject {
            title: format!(" Phases · {} #{} ", inert(&b.project), number(b.number)),
            status: &b.status,
            source: b.source_version.as_deref(),
            resolved: b.resolved_source_version.as_deref(),
            initiator: b.initiator.as_deref(),
            start: b.start,
            elapsed: b.elapsed_secs(now),
            complete: b.complete,
            timeout_minutes: b.timeout_minutes,
            id: &b.id,
            phases: &b.phases,
        }
    }

    fn batch(b: &'a BuildBatch, now: DateTime<Utc>) -> Subject<'a> {
        Subject {
            title: format!(
                " Batch phases · {} #{} ",
                inert(&b.project),
                number(b.number)
            ),
            status: &b.status,
            source: b.source_version.as_deref(),
            resolved: b.resolved_source_version.as_deref(),
            initiator: b.initiator.as_deref(),
            start: b.start,
            elapsed: b.elapsed_secs(now),
            complete: b.complete,
            timeout_minutes: b.timeout_minutes,
            id: &b.id,
            phases: &b.phases,
        }
    }
}

fn number(n: Option<i64>) -> String {
    n.map_or_else(|| "?".into(), |n| n.to_string())
}

/// Rows of a context message shown while folded.
const FOLDED_ROWS: usize = 3;
/// Rows of one context message shown at most even when unfolded: a
/// message of megabytes is not laid out on every frame.
const MAX_ROWS: usize = 2_000;

fn subject(state: &State) -> Option<Subject<'_>> {
    match (state.selected_build(), state.selected_batch()) {
        (Some(b), _) => Some(Subject::build(b, state.now)),
        (None, Some(batch)) if state.tree_cursor.is_none() => {
            Some(Subject::batch(batch, state.now))
        }
        _ => None,
    }
}

/// How far the phases pane scrolls at the current terminal size: until
/// its last line is at the bottom.
pub fn max_scroll(state: &State) -> usize {
    let area =
        crate::app::layout::areas(state.width, state.height, state.selected_batch().is_some())
            .phases;
    let count = subject(state).map_or(0, |s| lines(&s, state, inner_width(area)).len());
    count.saturating_sub(usize::from(area.height.saturating_sub(2)))
}

fn inner_width(area: Rect) -> usize {
    usize::from(area.width.saturating_sub(2))
}

/// The selected build's (or batch's) summary and phases; a phase that did not
/// succeed shows its contexts, a long message folded to a few rows, so the
/// reason for a failure is readable here.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let subject = subject(state);
    let title = subject
        .as_ref()
        .map_or_else(|| " Phases ".to_string(), |s| s.title.clone());
    let block = theme::block()
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title()));
    let lines = match &subject {
        Some(s) => lines(s, state, inner_width(area)),
        None if state.selected_batch().is_some() => vec![Line::styled(
            "This group has no build yet, or it is still loading.",
            theme::dim(),
        )],
        None => vec![Line::styled(
            "Select a build to see its phases.",
            theme::dim(),
        )],
    };
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((state.phase_scroll.min(u16::MAX as usize) as u16, 0));
    frame.render_widget(text, area);
}

fn lines(s: &Subject, state: &State, width: usize) -> Vec<Line<'static>> {
    let (sym, color) = theme::status_mark(s.status);
    let mut summary = vec![Span::styled(
        format!("{sym} {}", inert(s.status.as_str())),
        Style::default().fg(color).add_modifier(Modifier::BOLD),
    )];
    if let Some(v) = s.source {
        summary.push(Span::raw(format!("  {}", inert(&short_version(v)))));
    }
    if let Some(r) = s.resolved {
        summary.push(Span::styled(
            format!(" @ {}", inert(&short_version(r))),
            theme::dim(),
        ));
    }
    if let Some(i) = s.initiator {
        summary.push(Span::styled(format!("  by {}", inert(i)), theme::dim()));
    }
    let mut timing = Vec::new();
    if let Some(start) = s.start {
        timing.push(format!(
            "started {}",
            clock(start, state.now, &state.settings.tz)
        ));
    }
    if let Some(secs) = s.elapsed {
        let verb = if s.complete { "took" } else { "running for" };
        timing.push(format!("{verb} {}", duration(secs)));
    }
    if let Some(t) = s.timeout_minutes {
        timing.push(format!("timeout {t}m"));
    }
    let mut out = vec![Line::from(summary)];
    let (reason, told) = failure_line(s, width);
    out.extend(reason);
    if let Some(reason) = state.runaways.get(s.id) {
        out.push(Line::styled(
            format!("⚠ runaway: {} · x stops it", reason.describe()),
            theme::runaway(),
        ));
    }
    if let Some(line) = eta_line(s, state) {
        out.push(line);
    }
    out.push(Line::styled(timing.join(" · "), theme::dim()));
    out.push(Line::styled(inert(s.id).into_owned(), theme::dim()));
    if s.phases.is_empty() {
        out.push(Line::styled("No phase information yet.", theme::dim()));
        return out;
    }
    for p in s.phases {
        out.push(phase_line(p, s.complete, state));
        if p.status.as_ref().is_some_and(|st| *st != Status::Succeeded) {
            for c in p.meaningful_contexts() {
                if !c.status_code.is_empty() {
                    out.push(Line::styled(
                        format!("    {}", inert(&c.status_code)),
                        theme::error().add_modifier(Modifier::BOLD),
                    ));
                }
                // The failure line above already said a short message.
                if !c.message.is_empty() && !told.is_some_and(|t| std::ptr::eq(t, c)) {
                    message_lines(&inert(&c.message), width, state, &mut out);
                }
            }
        }
    }
    out
}

/// A context message in rows of the pane's width: the first few while
/// folded, with how many more and the key that unfolds them.
fn message_lines(text: &str, width: usize, state: &State, out: &mut Vec<Line<'static>>) {
    const INDENT: &str = "    ";
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
        out.push(Line::styled(format!("{INDENT}{row}"), theme::error()));
    }
    let key = fold_key(state);
    let more = total - shown;
    let hint = match (state.context_unfolded, more) {
        (false, 0) => return,
        (false, n) => format!("{INDENT}… ({n} more lines, {key} to expand)"),
        (true, 0) if total > FOLDED_ROWS + 1 => format!("{INDENT}({key} to fold)"),
        (true, 0) => return,
        (true, n) => format!("{INDENT}… ({n} more lines not shown, {key} to fold)"),
    };
    out.push(Line::styled(hint, theme::dim()));
}

/// The key that folds and unfolds, as the user bound it.
fn fold_key(state: &State) -> String {
    use crate::app::keymap::{labels_with, Action, BINDINGS};
    BINDINGS
        .iter()
        .find(|b| b.action == Action::Fold)
        .and_then(|b| labels_with(b, &state.settings.keys).into_iter().next())
        .unwrap_or_default()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    Span::raw(&*c.encode_utf8(&mut buf)).width()
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
fn eta_line(s: &Subject, state: &State) -> Option<Line<'static>> {
    if s.complete {
        return None;
    }
    let build = state.store.get(s.id)?;
    let stats = state.stats.get(&build.project);
    let (progress, left) =
        crate::app::runaway::eta(build, stats, &state.settings.runaway, state.now)?;
    let text = if left >= 0 {
        format!(
            "ETA {} · {:.0}% of the usual duration",
            duration(left),
            progress * 100.0
        )
    } else {
        format!("{} past the usual duration", duration(-left))
    };
    Some(Line::styled(text, theme::dim()))
}

/// Why it failed, up front: readable even when the phase list is cut. A
/// message that fits on the line is said here (and returned, so the phase
/// list does not repeat it); a longer one only under its phase, folded.
fn failure_line<'a>(
    s: &Subject<'a>,
    width: usize,
) -> (Option<Line<'static>>, Option<&'a PhaseContext>) {
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
            let fits = Span::raw(&*head).width() + 2 + Span::raw(&*message).width() <= width;
            if fits {
                (format!(": {message}"), Some(c))
            } else {
                (" (below)".to_string(), None)
            }
        }
        Some(c) => (format!(": {}", inert(&c.status_code)), None),
        None => (String::new(), None),
    };
    let line = Line::styled(
        format!("{head}{detail}"),
        theme::error().add_modifier(Modifier::BOLD),
    );
    (Some(line), told)
}

fn phase_line(p: &Phase, complete: bool, state: &State) -> Line<'static> {
    let running = p.status.is_none() && !complete && p.end.is_none();
    let status = match (&p.status, running) {
        (Some(s), _) => s.clone(),
        (None, true) => Status::InProgress,
        (None, false) => Status::Succeeded,
    };
    // The closing phase (COMPLETED, or a batch's SUCCEEDED/FAILED/STOPPED)
    // is a marker with no duration of its own.
    let is_marker = p.end.is_none() && p.duration_secs.is_none() && !running;
    let (sym, color) = if is_marker {
        (" ", Color::DarkGray)
    } else {
        theme::status_mark(&status)
    };
    let start = p
        .start
        .map(|t| clock(t, state.now, &state.settings.tz))
        .unwrap_or_default();
    let took = if is_marker {
        String::new()
    } else {
        p.elapsed_secs(state.now).map(duration).unwrap_or_default()
    };
    let name_style = if running {
        Style::default().fg(color)
    } else {
        Style::default()
    };
    let mut spans = vec![
        Span::styled(format!(" {sym} "), Style::default().fg(color)),
        Span::styled(format!("{:<19}", inert(&p.phase_type)), name_style),
        Span::styled(format!("{start:>15} "), theme::dim()),
        Span::raw(format!("{took:>7}")),
    ];
    if let Some(s) = &p.status {
        if *s != Status::Succeeded {
            spans.push(Span::styled(
                format!("  {}", inert(s.as_str())),
                theme::status_style(s),
            ));
        }
    }
    Line::from(spans)
}
