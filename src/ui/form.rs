//! The start / relaunch form as a centred popup over the dashboard.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Table};
use ratatui::Frame;

use super::theme::{self, Theme};
use crate::app::form::{
    buildspec_window, env_value_shown, errors_on, shown, EnvPart, Field, Form, Item, Kind, Stage,
};
use crate::domain::EnvVar;
use crate::text::inert;

pub use crate::app::form::masked;

const LABEL_WIDTH: u16 = 26;
/// "› " or two spaces before each label.
const MARKER_WIDTH: usize = 2;

type Spans = Vec<Span<'static>>;

/// Draws the form over `area`; `mask_plaintext` hides PLAINTEXT variable
/// values in the form and the review alike.
/// `destination` names the account and region the build will start in.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    mask_plaintext: bool,
    destination: &[String],
    theme: Theme,
) {
    let popup = popup_area(area);
    if popup.is_empty() {
        return;
    }
    frame.render_widget(Clear, popup);
    let title = format!(" {} ", inert(form.title()));
    let block = theme
        .block()
        .border_style(theme::border(true))
        .title(Span::styled(title, theme::title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    let problems = form.problems();
    let mut notices = Vec::new();
    if let Some(error) = form.api_error() {
        notices.push(Line::styled(format!("⚠ {}", inert(error)), theme::error()));
    }
    if let Some(summary) = form.problem_summary(&problems) {
        notices.push(Line::styled(summary, theme::error()));
    }
    let [top, body, footer] = Layout::vertical([
        Constraint::Length(notices.len() as u16),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(notices), top);
    if body.is_empty() {
        // Too small for the list: the footer alone still says what to do.
    } else if matches!(form.stage(), Stage::Review | Stage::Sending) {
        review(frame, body, form, mask_plaintext, destination);
    } else {
        let lines = field_lines(form, &problems, body, mask_plaintext);
        frame.render_widget(Paragraph::new(lines), body);
    }
    let footer_line = match form.stage() {
        Stage::ConfirmDiscard => Line::styled(
            "Discard changes? y/n",
            theme::warning().add_modifier(Modifier::BOLD),
        ),
        Stage::Review => Line::styled("y send · n back", theme::title()),
        Stage::Sending => Line::styled("sending…", theme::warning()),
        Stage::Editing => Line::styled(form.key_hint(), theme::dim()),
    };
    frame.render_widget(Paragraph::new(footer_line), footer);
}

/// Most of the screen, leaving a margin of dashboard when there is room.
fn popup_area(area: Rect) -> Rect {
    let width = if area.width > 24 {
        (area.width - 4).min(110)
    } else {
        area.width
    };
    let height = if area.height > 8 {
        (area.height - 2).min(44)
    } else {
        area.height
    };
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The rows that fit in `area`, scrolled so the focused one is visible.
fn field_lines(
    form: &Form,
    problems: &[crate::app::form::Problem],
    area: Rect,
    mask: bool,
) -> Vec<Line<'static>> {
    let label_width = LABEL_WIDTH.min(area.width / 2) as usize;
    let focused = form.focused();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut focus_span = (0, 0);
    for item in form.items() {
        if item.row() != item {
            continue; // a variable's value and type share its row
        }
        if let Some(heading) = form.starts_section(item) {
            lines.push(Line::styled(heading, theme::title()));
        }
        let (label, value) = match item {
            Item::Env(i, _) => match form.env_vars().get(i) {
                Some(var) => env_row(var, i, focused, mask),
                None => continue,
            },
            Item::Field(field) => field_row(form, field, focused == item),
            Item::EnvHeader => {
                let summary = form.env_summary(focused == item);
                (
                    "environment variables".into(),
                    vec![vec![Span::styled(summary, theme::dim())]],
                )
            }
            Item::Advanced => {
                let (label, hint) = form.advanced_summary();
                (label.into(), vec![vec![Span::styled(hint, theme::dim())]])
            }
        };
        let here = focused.row() == item;
        let start = lines.len();
        let row = Rendered {
            label,
            value,
            focused: here,
            errors: errors_on(problems, item),
        };
        row.push_to(&mut lines, label_width, area.width as usize);
        if here {
            focus_span = (start, lines.len());
        }
    }
    let height = area.height as usize;
    let offset = focus_span.1.saturating_sub(height).min(focus_span.0);
    lines.into_iter().skip(offset).take(height).collect()
}

struct Rendered<'a> {
    label: String,
    value: Vec<Spans>,
    focused: bool,
    errors: Vec<&'a str>,
}

impl Rendered<'_> {
    /// Marker, label, value (maybe several lines), and the errors beside the
    /// value when they fit, else on the line below.
    fn push_to(self, lines: &mut Vec<Line<'static>>, label_width: usize, width: usize) {
        let (marker, label_style) = if self.focused {
            ("› ", theme::selected_row(true))
        } else {
            ("  ", Style::default())
        };
        let label: String = self.label.chars().take(label_width).collect();
        let indent = " ".repeat(label_width + MARKER_WIDTH + 1);
        for (n, spans) in self.value.into_iter().enumerate() {
            let mut line = if n == 0 {
                vec![
                    Span::styled(marker, theme::title()),
                    Span::styled(format!("{label:<label_width$}"), label_style),
                    Span::raw(" "),
                ]
            } else {
                vec![Span::raw(indent.clone())]
            };
            line.extend(spans);
            lines.push(Line::from(line));
        }
        if self.errors.is_empty() {
            return;
        }
        let text = inert(&self.errors.join("; ")).into_owned();
        let error = Span::styled(format!("  ✘ {text}"), theme::error());
        let fits = lines
            .last()
            .is_some_and(|l| l.width() + error.width() <= width);
        match lines.last_mut() {
            Some(last) if fits => last.spans.push(error),
            _ => lines.push(Line::from(vec![Span::raw(indent), error])),
        }
    }
}

fn field_row(form: &Form, field: Field, here: bool) -> (String, Vec<Spans>) {
    let text = form.text(field);
    let kind = field.kind();
    let plain = |s: &str| Span::raw(inert(s).into_owned());
    let value = match kind {
        Kind::Multiline if !text.trim().is_empty() => {
            let window = buildspec_window(text, here);
            let mut out: Vec<Spans> = window.lines.iter().map(|l| vec![plain(l)]).collect();
            if let (true, Some(last)) = (here, out.last_mut()) {
                last.push(cursor());
            }
            if let Some(note) = window.note {
                let at = if window.note_first { 0 } else { out.len() };
                out.insert(at, vec![Span::styled(note, theme::dim())]);
            }
            out
        }
        Kind::Choice(_) if here => vec![vec![
            Span::styled("‹ ", theme::dim()),
            plain(text),
            cursor(),
            Span::styled(" ›", theme::dim()),
        ]],
        Kind::Toggle if here => vec![vec![
            Span::styled(shown(kind, text), theme::selected_row(true)),
            Span::styled("  Space toggles", theme::dim()),
        ]],
        _ if here => vec![vec![plain(text), cursor()]],
        _ if text.trim().is_empty() => vec![vec![Span::styled("(not set)", theme::dim())]],
        _ => vec![vec![plain(&shown(kind, text))]],
    };
    (field.label().to_string(), value)
}

/// One variable per row: the name in the label column, then value and type;
/// the sub-field being edited carries the cursor.
fn env_row(var: &EnvVar, i: usize, focused: Item, mask: bool) -> (String, Vec<Spans>) {
    let part = match focused {
        Item::Env(j, part) if j == i => Some(part),
        _ => None,
    };
    let name = inert(&var.name).into_owned();
    let label = match (part, name.is_empty()) {
        (Some(EnvPart::Name), _) => format!("  {name}█"),
        (_, true) => "  (no name)".to_string(),
        (_, false) => format!("  {name}"),
    };
    let edit = |text: String, this: EnvPart, style: Style| -> Spans {
        if part == Some(this) {
            let style = style.add_modifier(Modifier::UNDERLINED);
            vec![Span::styled(text, style), cursor()]
        } else {
            vec![Span::styled(text, style)]
        }
    };
    let mut value = Vec::new();
    let shown_value = inert(&env_value_shown(var, mask)).into_owned();
    value.extend(edit(shown_value, EnvPart::Value, Style::default()));
    value.push(Span::raw("   "));
    let kind = inert(&var.kind).into_owned();
    value.extend(edit(kind, EnvPart::Type, Style::default().fg(Color::Cyan)));
    (label, vec![value])
}

fn cursor() -> Span<'static> {
    Span::styled("█", Style::default().fg(Color::Cyan))
}

/// The changes as field / old / new, or a note that nothing changed.
fn review(frame: &mut Frame, area: Rect, form: &Form, mask: bool, destination: &[String]) {
    let lines: Vec<Line> = destination
        .iter()
        .map(|l| Line::styled(inert(l).into_owned(), theme::warning()))
        .collect();
    let [top, area] = Layout::vertical([
        Constraint::Length((lines.len() as u16 + 1).min(area.height / 2)),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(lines), top);
    let changes = form.changes_masked(mask);
    if changes.is_empty() {
        let note = "No changes: the build starts with the settings it had.";
        frame.render_widget(Paragraph::new(Line::styled(note, theme::dim())), area);
        return;
    }
    let cell = |s: &str| Cell::from(inert(s).into_owned());
    let mut rows: Vec<Row> = changes
        .iter()
        .map(|c| {
            Row::new(vec![
                cell(&c.field),
                cell(&c.old).style(theme::dim()),
                cell(&c.new),
            ])
        })
        .collect();
    let room = (area.height as usize).saturating_sub(1).max(1);
    if rows.len() > room {
        let more = rows.len() - room + 1;
        rows.truncate(room - 1);
        rows.push(Row::new(vec![Cell::from(format!("… and {more} more"))]).style(theme::dim()));
    }
    let header = Row::new(vec!["field", "old", "new"]).style(theme::title());
    let widths = [
        Constraint::Length(LABEL_WIDTH.min(area.width / 3)),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ];
    frame.render_widget(Table::new(rows, widths).header(header), area);
}
