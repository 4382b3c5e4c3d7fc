//! The comparison of a build with its project's last success, in place of
//! the panes: side by side when wide, stacked when narrow.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

use super::theme::{self, Theme};
use crate::app::overlay::{CompareStatus, CompareView};
use crate::domain::compare::{Comparison, Row};

/// Columns from which both builds are shown side by side.
pub const SIDE_BY_SIDE: u16 = 120;

pub fn draw(frame: &mut Frame, area: Rect, view: &CompareView, theme: Theme) {
    let inner = super::popup::pane(
        frame,
        area,
        &view.title(),
        " j/k scroll · o/y commit link · Esc back ",
        theme,
    );
    let lines: Vec<Line> = match &view.status {
        CompareStatus::Loading => {
            let text = format!(
                "looking for the last successful build of {}…",
                view.target.project
            );
            vec![Line::styled(theme.text(&text), theme::dim())]
        }
        CompareStatus::Failed(why) => vec![Line::styled(theme.text(why), theme::warning())],
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
            Span::styled(fit(&theme.text(label), label_w), theme::dim()),
            Span::raw(" "),
            Span::styled(fit(&theme.text(this), value_w), style),
            Span::raw(" "),
            Span::styled(fit(&theme.text(other), value_w), style),
            Span::raw(" "),
            Span::styled(fit(&theme.text(note), note_w), theme::dim()),
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
        lines.push(Line::styled(theme.text(note), theme::dim()));
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
            Span::styled(fit(&theme.text(label), label_w), theme::dim()),
            Span::raw(" "),
            Span::raw(theme.text(url)),
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
            theme.text(&format!("this          {}", c.this.title())),
            bold,
        ),
        Line::styled(
            theme.text(&format!(
                "last success  {}  {}",
                c.other.title(),
                c.other.id
            )),
            bold,
        ),
    ];
    for note in &c.notes {
        lines.push(Line::styled(theme.text(note), theme::dim()));
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
        lines.push(Line::raw(theme.text(&head)));
        if !r.this.is_empty() || !r.other.is_empty() {
            lines.push(Line::raw(theme.text(&format!("  this  {}", r.this))));
            lines.push(Line::styled(
                theme.text(&format!("  was   {}", r.other)),
                theme::dim(),
            ));
        }
    }
    for (label, url) in &c.links {
        lines.push(Line::styled(theme.text(label), theme::dim()));
        lines.push(Line::raw(theme.text(&format!("  {url}"))));
    }
    if !c.phases.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(
            format!("{:<20} {:>8} {:>8}  delta", "Phases", "this", "other"),
            theme::title(),
        ));
        for r in &c.phases {
            let line = format!("{:<20} {:>8} {:>8}  {}", r.label, r.this, r.other, r.note);
            lines.push(Line::raw(theme.text(&line)));
        }
    }
    lines
}
