//! The comparison of a build with its project's last success, in place of
//! the panes: side by side when wide, stacked when narrow.

use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

use super::theme::{self, Theme};
use crate::app::overlay::{CompareStatus, CompareView};
use crate::domain::compare::{Comparison, Row};
use crate::text::inert;

/// Columns from which both builds are shown side by side.
pub const SIDE_BY_SIDE: u16 = 120;

pub fn draw(frame: &mut Frame, area: Rect, view: &CompareView, theme: Theme) {
    let hint = ascii(" j/k scroll · o/y commit link · Esc back ", theme);
    let block = theme
        .block()
        .border_style(theme::border(true))
        .title(ascii(&view.title(), theme))
        .title_bottom(Line::from(hint).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = match &view.status {
        CompareStatus::Loading => {
            let text = format!(
                "looking for the last successful build of {}…",
                view.target.project
            );
            vec![Line::styled(ascii(&text, theme), theme::dim())]
        }
        CompareStatus::Failed(why) => vec![Line::styled(ascii(why, theme), theme::warning())],
        CompareStatus::Ready(c) if inner.width >= SIDE_BY_SIDE => {
            side_by_side(c, inner.width, theme)
        }
        CompareStatus::Ready(c) => stacked(c, theme),
    };
    let offset = view.scroll.min(last_offset(&lines, inner));
    let shown: Vec<Line> = lines.into_iter().skip(offset).collect();
    // Narrow screens wrap long values (image names, ARNs) instead of cutting them.
    frame.render_widget(Paragraph::new(shown).wrap(Wrap { trim: false }), inner);
}

/// The first line shown when scrolled to the end: the view is full, each
/// line taking the rows it wraps to.
fn last_offset(lines: &[Line], area: Rect) -> usize {
    let (width, rows) = (usize::from(area.width.max(1)), usize::from(area.height));
    let mut used = 0;
    let mut first = lines.len();
    while first > 0 {
        let height = lines[first - 1].width().div_ceil(width).max(1);
        if used + height > rows {
            break;
        }
        used += height;
        first -= 1;
    }
    first
}

/// The text made inert, and plain ASCII on an ASCII-only terminal.
fn ascii(text: &str, theme: Theme) -> String {
    let text = inert(text);
    if !theme.ascii {
        return text.into_owned();
    }
    text.replace('—', "-")
        .replace('…', "...")
        .replace('•', "*")
        .replace('→', "->")
        .replace('·', "-")
}

/// `text` cut or padded to `width` columns.
fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if total > width && used + w + 1 > width {
            out.push('…');
            used += 1;
            break;
        }
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

fn side_by_side(c: &Comparison, width: u16, theme: Theme) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let label_w = 24;
    let note_w = 22;
    let value_w = width.saturating_sub(label_w + note_w + 3) / 2;
    let row = |label: &str, this: &str, other: &str, note: &str, style: Style| {
        Line::from(vec![
            Span::styled(fit(&ascii(label, theme), label_w), theme::dim()),
            Span::raw(" "),
            Span::styled(fit(&ascii(this, theme), value_w), style),
            Span::raw(" "),
            Span::styled(fit(&ascii(other, theme), value_w), style),
            Span::raw(" "),
            Span::styled(fit(&ascii(note, theme), note_w), theme::dim()),
        ])
    };
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines = vec![row(
        "",
        &format!("this {}", c.this.title()),
        &format!("last success {}", c.other.title()),
        "",
        bold,
    )];
    lines.push(row("", &c.this.id, &c.other.id, "", theme::dim()));
    for note in &c.notes {
        lines.push(Line::styled(ascii(note, theme), theme::dim()));
    }
    lines.push(Line::default());
    lines.push(Line::styled("Settings that differ", theme::title()));
    if c.same_settings() {
        lines.push(Line::styled(
            "  none: both ran with the same settings",
            theme::dim(),
        ));
    }
    let plain = Style::default();
    let push = |rows: &[Row], lines: &mut Vec<Line<'static>>| {
        for r in rows {
            lines.push(row(&r.label, &r.this, &r.other, &r.note, plain));
        }
    };
    push(&c.settings, &mut lines);
    for (label, url) in &c.links {
        lines.push(Line::from(vec![
            Span::styled(fit(&ascii(label, theme), label_w), theme::dim()),
            Span::raw(" "),
            Span::raw(ascii(url, theme)),
        ]));
    }
    if !c.phases.is_empty() {
        lines.push(Line::default());
        lines.push(row("Phases", "", "", "delta", theme::title()));
        push(&c.phases, &mut lines);
    }
    lines
}

/// One difference under another: the label, then this build's value and
/// the other's, each on its own line.
fn stacked(c: &Comparison, theme: Theme) -> Vec<Line<'static>> {
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::styled(
            ascii(&format!("this          {}", c.this.title()), theme),
            bold,
        ),
        Line::styled(
            ascii(
                &format!("last success  {}  {}", c.other.title(), c.other.id),
                theme,
            ),
            bold,
        ),
    ];
    for note in &c.notes {
        lines.push(Line::styled(ascii(note, theme), theme::dim()));
    }
    lines.push(Line::default());
    lines.push(Line::styled("Settings that differ", theme::title()));
    if c.same_settings() {
        lines.push(Line::styled(
            "  none: both ran with the same settings",
            theme::dim(),
        ));
    }
    for r in &c.settings {
        let head = if r.note.is_empty() {
            r.label.clone()
        } else {
            format!("{}  ({})", r.label, r.note)
        };
        lines.push(Line::raw(ascii(&head, theme)));
        if !r.this.is_empty() || !r.other.is_empty() {
            lines.push(Line::raw(ascii(&format!("  this  {}", r.this), theme)));
            lines.push(Line::styled(
                ascii(&format!("  was   {}", r.other), theme),
                theme::dim(),
            ));
        }
    }
    for (label, url) in &c.links {
        lines.push(Line::styled(ascii(label, theme), theme::dim()));
        lines.push(Line::raw(ascii(&format!("  {url}"), theme)));
    }
    if !c.phases.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(
            format!("{:<20} {:>8} {:>8}  delta", "Phases", "this", "other"),
            theme::title(),
        ));
        for r in &c.phases {
            let line = format!("{:<20} {:>8} {:>8}  {}", r.label, r.this, r.other, r.note);
            lines.push(Line::raw(ascii(&line, theme)));
        }
    }
    lines
}
