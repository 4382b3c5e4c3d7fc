use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use super::format::{duration, inert, relative, short_version};
use super::{layout, theme};
use crate::app::State;
use crate::domain::{Build, Status};

/// A column of the list; narrow terminals drop the least useful first.
struct Column {
    title: &'static str,
    width: Constraint,
    min_terminal_width: u16,
    cell: fn(&Build, &State) -> Cell<'static>,
}

const COLUMNS: &[Column] = &[
    Column {
        title: "",
        width: Constraint::Length(1),
        min_terminal_width: 0,
        cell: symbol,
    },
    // Sized to the visible project names in `draw`.
    Column {
        title: "PROJECT",
        width: Constraint::Length(0),
        min_terminal_width: 0,
        cell: project,
    },
    Column {
        title: "#",
        width: Constraint::Length(6),
        min_terminal_width: 40,
        cell: number,
    },
    Column {
        title: "STATUS",
        width: Constraint::Length(11),
        min_terminal_width: 90,
        cell: status,
    },
    Column {
        title: "PHASE",
        width: Constraint::Length(16),
        min_terminal_width: 60,
        cell: phase,
    },
    Column {
        title: "SOURCE",
        width: Constraint::Fill(1),
        min_terminal_width: 80,
        cell: source,
    },
    Column {
        title: "INITIATOR",
        width: Constraint::Fill(1),
        min_terminal_width: 120,
        cell: initiator,
    },
    Column {
        title: "STARTED",
        width: Constraint::Length(9),
        min_terminal_width: 70,
        cell: started,
    },
    Column {
        title: "DURATION",
        width: Constraint::Length(8),
        min_terminal_width: 30,
        cell: elapsed,
    },
];

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let chrome = layout::list_chrome(area.height);
    let inner = if chrome {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::border(focused))
            .title(title(state));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        inner
    } else {
        area
    };
    if let Some(message) = placeholder(state) {
        let text = Paragraph::new(message)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true });
        frame.render_widget(text, inner);
        return;
    }
    let columns: Vec<&Column> = COLUMNS
        .iter()
        .filter(|c| area.width >= c.min_terminal_width)
        .collect();
    // Only the rows on screen are built: cost follows the pane's height, not the number of builds.
    let visible = layout::build_rows(frame.area().width, frame.area().height);
    let list = &state.list;
    let rows: Vec<Row> = list
        .rows()
        .iter()
        .enumerate()
        .skip(list.offset())
        .take(visible)
        .filter_map(|(i, id)| {
            let build = state.store.get(id)?;
            let row = Row::new(columns.iter().map(|c| (c.cell)(build, state)));
            Some(if i == list.cursor() {
                row.style(theme::selected_row(focused))
            } else {
                row
            })
        })
        .collect();
    let widths = columns.iter().map(|c| {
        if c.title == "PROJECT" {
            Constraint::Length(project_width(state, visible))
        } else {
            c.width
        }
    });
    let mut table = Table::new(rows, widths).column_spacing(1);
    if chrome {
        table = table
            .header(Row::new(columns.iter().map(|c| Cell::from(c.title))).style(theme::title()));
    }
    frame.render_widget(table, inner);
}

/// Wide enough for the project names on screen, within reason.
fn project_width(state: &State, visible: usize) -> u16 {
    let list = &state.list;
    let longest = list
        .rows()
        .iter()
        .skip(list.offset())
        .take(visible)
        .filter_map(|id| state.store.get(id))
        .map(|b| b.project.chars().count())
        .max()
        .unwrap_or(0);
    longest.clamp(8, 32) as u16
}

fn title(state: &State) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!(" Builds ({}) ", state.list.len()),
        theme::title(),
    )];
    if !state.filter.is_empty() {
        spans.push(Span::styled(
            format!("filter: {} ", inert(&state.filter)),
            theme::warning(),
        ));
    }
    if state.history.loading() {
        spans.push(Span::styled("loading older… ", theme::dim()));
    }
    if state.poller.is_stale() && state.poller.loaded {
        spans.push(Span::styled("stale ", theme::warning()));
    }
    Line::from(spans)
}

/// What the pane says instead of rows: loading, failing, empty, no match.
fn placeholder(state: &State) -> Option<Vec<Line<'static>>> {
    if !state.list.is_empty() {
        return None;
    }
    let p = &state.poller;
    if !p.loaded {
        return Some(match &p.last_error {
            Some((e, _)) => {
                let mut lines = vec![Line::styled(
                    format!("Cannot list builds: {}", inert(&e.to_string())),
                    theme::error(),
                )];
                if let Some(hint) = e.hint() {
                    lines.push(Line::raw(format!("Hint: {hint}")));
                }
                lines
            }
            None => vec![Line::styled("loading…", theme::dim())],
        });
    }
    let text = if state.store.is_empty() {
        "No builds yet.".to_string()
    } else {
        format!(
            "No builds match “{}”. Esc clears the filter.",
            inert(&state.filter)
        )
    };
    Some(vec![Line::styled(text, theme::dim())])
}

fn symbol(b: &Build, _: &State) -> Cell<'static> {
    let (sym, color) = theme::status_mark(&b.status);
    Cell::from(sym).style(Style::default().fg(color))
}

fn project(b: &Build, _: &State) -> Cell<'static> {
    Cell::from(inert(&b.project).into_owned())
}

fn number(b: &Build, _: &State) -> Cell<'static> {
    Cell::from(b.number.map(|n| n.to_string()).unwrap_or_default())
}

fn status(b: &Build, _: &State) -> Cell<'static> {
    Cell::from(inert(b.status.as_str()).into_owned()).style(theme::status_style(&b.status))
}

/// The running phase; for a failure, the phase that failed.
fn phase(b: &Build, _: &State) -> Cell<'static> {
    let text = if b.status.is_failure() {
        b.failed_phase().map(|p| p.phase_type.as_ref())
    } else {
        None
    }
    .or(b.current_phase.as_deref())
    .unwrap_or("");
    let style = if b.status == Status::InProgress {
        theme::status_style(&b.status)
    } else {
        Style::default()
    };
    Cell::from(inert(text).into_owned()).style(style)
}

fn source(b: &Build, _: &State) -> Cell<'static> {
    let v = b
        .source_version
        .as_deref()
        .or(b.resolved_source_version.as_deref());
    Cell::from(
        v.map(|v| inert(&short_version(v)).into_owned())
            .unwrap_or_default(),
    )
}

fn initiator(b: &Build, _: &State) -> Cell<'static> {
    Cell::from(
        b.initiator
            .as_deref()
            .map(|i| inert(i).into_owned())
            .unwrap_or_default(),
    )
}

fn started(b: &Build, state: &State) -> Cell<'static> {
    Cell::from(b.start.map(|t| relative(t, state.now)).unwrap_or_default())
}

fn elapsed(b: &Build, state: &State) -> Cell<'static> {
    let text = b.elapsed_secs(state.now).map(duration).unwrap_or_default();
    let line = Line::from(text).alignment(Alignment::Right);
    if b.complete {
        Cell::from(line)
    } else {
        Cell::from(line).style(theme::status_style(&Status::InProgress))
    }
}
