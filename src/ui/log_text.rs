//! Log text: the stored lines of a buffer, drawn from the rows on screen only,
//! so a frame costs the same with 100 lines as with 50 000, and a long line
//! costs its visible part.

use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::{self, Theme};
use crate::logs::columns::{row_count, row_end, skip_columns, wrapped};
use crate::logs::{LogBuffer, Match, MAX_MATCHES};
use crate::text::inert;

/// What to show of a buffer. `matches` are as [`crate::logs::matches`]
/// returns them (sorted); `current` indexes them.
pub struct LogTextParams<'a> {
    pub title: &'a str,
    pub status: &'a str,
    /// First line shown, unless following.
    pub offset: usize,
    /// Columns skipped on the left when not wrapping.
    pub h_scroll: usize,
    pub wrap: bool,
    pub query: Option<&'a str>,
    pub matches: &'a [Match],
    pub current: Option<usize>,
    /// Show the newest lines whatever `offset` says.
    pub follow: bool,
}

/// A piece of a line on one screen row: a byte range of its text, after
/// `pad` blank columns (where a wide character was cut at the left edge).
struct Row {
    line: usize,
    start: usize,
    end: usize,
    pad: usize,
}

struct Areas {
    note: Option<Rect>,
    body: Rect,
    status: Option<Rect>,
}

/// Inside the border: the dropped-lines note on top when there is room for
/// it, the status line at the bottom, the log between.
fn areas(inner: Rect, dropped: bool) -> Areas {
    let h = inner.height;
    let row = |y: u16| Rect {
        y: inner.y + y,
        height: 1,
        ..inner
    };
    let note = (dropped && h >= 3).then(|| row(0));
    let top = u16::from(note.is_some());
    Areas {
        note,
        body: Rect {
            y: inner.y + top,
            height: h.saturating_sub(top + 1),
            ..inner
        },
        status: (h >= 1).then(|| row(h - 1)),
    }
}

/// Screen rows of log text in a pane drawn at `area`: a page, for scrolling.
pub fn page_rows(area: Rect, buffer: &LogBuffer) -> usize {
    // A border takes one cell whatever it is drawn with.
    let inner = Theme::default().block().inner(area);
    areas(inner, buffer.dropped() > 0).body.height as usize
}

/// Draws the pane. Work is proportional to the rows shown, never to the
/// number of lines stored.
pub fn draw(frame: &mut Frame, area: Rect, buffer: &LogBuffer, p: &LogTextParams, theme: Theme) {
    let area = area.intersection(frame.area());
    let title = format!(" {} ", inert(p.title.trim()));
    let block = theme
        .block()
        .border_style(theme::border(true))
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let a = areas(inner, buffer.dropped() > 0);
    if let Some(note) = a.note {
        let text = format!(
            " ⋯ {} older lines were dropped; the newest {} are kept",
            buffer.dropped(),
            buffer.len()
        );
        frame.render_widget(Line::styled(text, theme::warning()), note);
    }
    let rows = rows(buffer, p, a.body.width as usize, a.body.height as usize);
    let current = p.current.and_then(|k| p.matches.get(k));
    for (i, row) in rows.iter().enumerate() {
        let area = Rect {
            y: a.body.y.saturating_add(i as u16),
            height: 1,
            ..a.body
        };
        frame.render_widget(row_line(buffer, row, p.matches, current), area);
    }
    if let Some(area) = a.status {
        status(frame, area, buffer, p, &rows);
    }
}

fn rows(buffer: &LogBuffer, p: &LogTextParams, width: usize, height: usize) -> Vec<Row> {
    let len = buffer.len();
    if width == 0 || height == 0 || len == 0 {
        return Vec::new();
    }
    if !p.wrap {
        // A full page whenever there are lines enough.
        let last = len.saturating_sub(height);
        let first = if p.follow { last } else { p.offset.min(last) };
        return (first..len.min(first + height))
            .filter_map(|i| {
                let l = buffer.get(i)?;
                let (start, pad) = skip_columns(l.text(), l.is_ascii(), p.h_scroll);
                let end = row_end(l.text(), l.is_ascii(), start, width.saturating_sub(pad));
                Some(Row {
                    line: i,
                    start,
                    end,
                    pad,
                })
            })
            .collect();
    }
    if !p.follow {
        let first = p.offset.min(len - 1);
        let rows = wrap_from(buffer, first, 0, width, height);
        if rows.len() >= height || first == 0 {
            return rows;
        }
    }
    // The newest lines, bottom-aligned: count rows back from the end.
    let (mut first, mut skip, mut need) = (len, 0, height);
    while need > 0 && first > 0 {
        first -= 1;
        let n = buffer
            .get(first)
            .map_or(1, |l| row_count(l.text(), l.is_ascii(), width));
        skip = n.saturating_sub(need);
        need = need.saturating_sub(n);
    }
    wrap_from(buffer, first, skip, width, height)
}

/// Wrapped rows from line `first`, leaving out its first `skip` rows.
fn wrap_from(
    buffer: &LogBuffer,
    first: usize,
    mut skip: usize,
    width: usize,
    height: usize,
) -> Vec<Row> {
    let mut rows = Vec::with_capacity(height);
    let mut i = first;
    while rows.len() < height {
        let Some(l) = buffer.get(i) else { break };
        let pieces = wrapped(l.text(), l.is_ascii(), width, skip, height - rows.len());
        rows.extend(pieces.into_iter().map(|(start, end)| Row {
            line: i,
            start,
            end,
            pad: 0,
        }));
        skip = 0;
        i += 1;
    }
    rows
}

/// One row's spans: the line's own styles, with search matches on top.
fn row_line<'a>(
    buffer: &'a LogBuffer,
    row: &Row,
    matches: &[Match],
    current: Option<&Match>,
) -> Line<'a> {
    let Some(line) = buffer.get(row.line) else {
        return Line::default();
    };
    let mut spans = Vec::new();
    if row.pad > 0 {
        spans.push(Span::raw(" ".repeat(row.pad)));
    }
    // Binary searches keep this to the runs and matches on this row.
    let on_line = &matches[matches.partition_point(|m| m.line < row.line)..];
    let on_line = &on_line[..on_line.partition_point(|m| m.line <= row.line)];
    let hits = &on_line[on_line.partition_point(|m| m.end <= row.start)..];
    let hits = &hits[..hits.partition_point(|m| m.start < row.end)];
    let runs = line.runs();
    let runs = &runs[runs.partition_point(|r| r.end <= row.start)..];
    let runs = &runs[..runs.partition_point(|r| r.start < row.end)];

    let mut cuts = vec![row.start, row.end];
    cuts.extend(runs.iter().flat_map(|r| [r.start, r.end]));
    cuts.extend(hits.iter().flat_map(|m| [m.start, m.end]));
    for c in &mut cuts {
        *c = (*c).max(row.start).min(row.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut hit = 0;
    for w in cuts.windows(2) {
        let Some(piece) = line.text().get(w[0]..w[1]) else {
            continue;
        };
        let mut style = line.style_at(w[0]);
        while hits.get(hit).is_some_and(|m| m.end <= w[0]) {
            hit += 1;
        }
        if let Some(m) = hits.get(hit).filter(|m| m.start <= w[0]) {
            let strong = current == Some(m);
            style = style.patch(if strong {
                current_match()
            } else {
                other_match()
            });
        }
        spans.push(Span::styled(piece, style));
    }
    Line::from(spans)
}

/// Reverse video from the log itself would hide the highlight: removed.
fn other_match() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .remove_modifier(Modifier::REVERSED)
}

fn current_match() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
        .remove_modifier(Modifier::REVERSED)
}

/// The caller's status, following or paused, the search's position; the
/// lines in view on the right when there is room.
fn status(frame: &mut Frame, area: Rect, buffer: &LogBuffer, p: &LogTextParams, rows: &[Row]) {
    let mut spans = vec![Span::raw(format!(" {}", inert(p.status)))];
    spans.push(if p.follow {
        Span::styled(" · following", Style::new().fg(Color::Green))
    } else {
        Span::styled(" · paused — G resumes", theme::warning())
    });
    if let Some(q) = p.query.filter(|q| !q.is_empty()) {
        let q = inert(q);
        let n = p.matches.len();
        let more = if n >= MAX_MATCHES { "+" } else { "" };
        spans.push(match p.current.filter(|&k| k < n) {
            _ if n == 0 => Span::styled(format!(" · “{q}”: no matches"), theme::warning()),
            Some(k) => Span::raw(format!(" · “{q}” {}/{n}{more}", k + 1)),
            None => Span::raw(format!(" · “{q}” {n}{more} matches")),
        });
    }
    let left = Line::from(spans);
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let pos = format!("{}–{} of {} ", first.line + 1, last.line + 1, buffer.len());
        if left.width() + pos.chars().count() + 2 <= area.width as usize {
            let right = Paragraph::new(Span::styled(pos, theme::dim())).alignment(Alignment::Right);
            frame.render_widget(right, area);
        }
    }
    frame.render_widget(left, area);
}
