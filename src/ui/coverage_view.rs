//! The files of a build's coverage reports, in place of the panes: one row
//! a file, in the order the service sorted them.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::reports::fit;
use super::theme::{self, Theme};
use crate::app::overlay::CoverageView;
use crate::domain::FileCoverage;
use crate::text::inert;

pub fn draw(frame: &mut Frame, area: Rect, view: &CoverageView, theme: Theme) {
    let inner = super::popup::pane(
        frame,
        area,
        &title(view),
        " j/k move · s order · Esc back ",
        theme,
    );
    let width = usize::from(inner.width);
    let mut head: Vec<Line> = Vec::new();
    if let Some(e) = &view.error {
        head.push(Line::styled(theme.text(e), theme::warning()));
    } else if view.loading() {
        head.push(Line::styled(
            theme.text("reading the coverage…"),
            theme::dim(),
        ));
    } else if view.files.is_empty() {
        head.push(Line::styled("no files", theme::dim()));
    }
    if view.cut {
        head.push(Line::styled(
            theme.text(&format!("the first {} files only", view.files.len())),
            theme::dim(),
        ));
    }
    head.push(Line::styled(
        format!(
            "{:>8} {:>8} {:>8} {:>9}  file",
            "line", "covered", "missed", "branch"
        ),
        theme::title(),
    ));
    let rows = usize::from(inner.height).saturating_sub(head.len());
    let body = view
        .files
        .iter()
        .enumerate()
        .skip(view.scroll)
        .take(rows)
        .map(|(i, f)| file_line(f, i == view.cursor, width, theme));
    let all: Vec<Line> = head.into_iter().chain(body).collect();
    frame.render_widget(Paragraph::new(all), inner);
}

/// " Coverage · app #12 · 40 files, lowest coverage first ".
fn title(view: &CoverageView) -> String {
    let base = view.title.trim_end();
    format!(
        "{base} · {} files, {} ",
        view.files.len(),
        view.order.describe()
    )
}

/// What a file's answer left out.
fn none(theme: Theme) -> String {
    if theme.ascii { "-" } else { "–" }.to_string()
}

fn percent(p: Option<f64>, theme: Theme) -> String {
    p.map_or_else(|| none(theme), |p| format!("{p:.1} %"))
}

fn count(n: Option<i64>, theme: Theme) -> String {
    n.map_or_else(|| none(theme), |n| n.to_string())
}

/// "  42.0 %       21       29    30.0 %  src/app/main.rs".
fn file_line(f: &FileCoverage, selected: bool, width: usize, theme: Theme) -> Line<'static> {
    let figures = format!(
        "{:>8} {:>8} {:>8} {:>9}  ",
        percent(f.line_pct, theme),
        count(f.lines_covered, theme),
        count(f.lines_missed, theme),
        percent(f.branch_pct, theme)
    );
    let room = width.saturating_sub(figures.chars().count());
    // No more than fits: inert reads all it is given, on every frame.
    let head: String = f.path.chars().take(room + 1).collect();
    let path = fit(&inert(&head), room);
    let low = f.line_pct.is_some_and(|p| p < 50.0);
    let mut style = Style::default();
    if selected {
        style = style.add_modifier(Modifier::REVERSED);
    }
    Line::from(vec![
        Span::styled(
            figures,
            if low {
                theme::warning()
            } else {
                Style::default()
            },
        ),
        Span::styled(path, style),
    ])
}
