//! The test cases of a build's reports, in place of the panes: one row a
//! case, the selected case's whole message under it.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::reports::{fit, nanos};
use super::theme::{self, Theme};
use crate::app::overlay::TestsView;
use crate::app::tests_view::{lines, TestLine};
use crate::domain::{Status, TestCase};
use crate::text::inert;

pub fn draw(frame: &mut Frame, area: Rect, view: &TestsView, theme: Theme) {
    let inner = super::popup::pane(
        frame,
        area,
        &title(view),
        " j/k move · / keyword · Enter its log line · Esc back ",
        theme,
    );
    let width = usize::from(inner.width);
    let mut head: Vec<Line> = Vec::new();
    if let Some(text) = &view.editing {
        head.push(Line::from(vec![
            Span::styled("keyword: ", theme::title()),
            Span::raw(format!("{}▏", inert(text))),
        ]));
    } else if let Some(k) = &view.keyword {
        head.push(Line::styled(
            theme.text(&format!(
                "cases whose name or suite contains “{k}” · / to change"
            )),
            theme::dim(),
        ));
    }
    for name in &view.expired {
        head.push(Line::styled(
            theme.text(&format!(
                "{name}: expired, its test cases were deleted after 30 days"
            )),
            theme::warning(),
        ));
    }
    for name in &view.generating {
        head.push(Line::styled(
            theme.text(&format!(
                "{name}: still being generated, its test cases come when the build ends"
            )),
            theme::dim(),
        ));
    }
    if let Some(e) = &view.error {
        head.push(Line::styled(theme.text(e), theme::warning()));
    } else if view.loading() {
        head.push(Line::styled(
            theme.text("reading the test cases…"),
            theme::dim(),
        ));
    } else if view.cases.is_empty() && view.expired.is_empty() && view.generating.is_empty() {
        head.push(Line::styled("no test cases", theme::dim()));
    }
    if view.cut {
        head.push(Line::styled(
            theme.text(&format!("the first {} cases only", view.cases.len())),
            theme::dim(),
        ));
    }
    let rows = usize::from(inner.height).saturating_sub(head.len());
    let body = lines(view, width)
        .into_iter()
        .skip(view.scroll)
        .take(rows)
        .map(|line| match line {
            TestLine::Case(i) => match view.cases.get(i) {
                Some(case) => case_line(case, i == view.cursor, width, theme),
                None => Line::raw(""),
            },
            TestLine::Message(row) => Line::styled(format!("      {row}"), theme::dim()),
        });
    let all: Vec<Line> = head.into_iter().chain(body).collect();
    frame.render_widget(Paragraph::new(all), inner);
}

/// " Tests · app #12 · 2 failed of 40 ".
fn title(view: &TestsView) -> String {
    let failed = view
        .cases
        .iter()
        .filter(|c| c.status == "FAILED" || c.status == "ERROR")
        .count();
    let base = view.title.trim_end();
    format!("{base} · {failed} failed of {} ", view.cases.len())
}

/// "✘ FAILED   suite › name   12 ms".
fn case_line(case: &TestCase, selected: bool, width: usize, theme: Theme) -> Line<'static> {
    let status = Status::parse(&case.status);
    let (sym, color) = theme.status_mark(&status);
    let took = case.duration_ns.map(nanos).unwrap_or_default();
    let sep = if theme.ascii { ">" } else { "›" };
    let suite = if case.suite.is_empty() {
        String::new()
    } else {
        format!("{} {sep} ", inert(&case.suite))
    };
    let room = width.saturating_sub(3 + 10 + 10);
    let name = fit(&format!("{suite}{}", inert(&case.name)), room);
    let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
    let mut style = Style::default();
    if selected {
        style = style.add_modifier(Modifier::REVERSED);
    }
    Line::from(vec![
        Span::styled(format!(" {sym} "), Style::default().fg(color)),
        Span::styled(
            format!("{:<10}", fit(&inert(&case.status), 9)),
            theme::status_style(&status),
        ),
        Span::styled(format!("{name}{}", " ".repeat(pad)), style),
        Span::styled(format!("{took:>10}"), theme::dim()),
    ])
}
