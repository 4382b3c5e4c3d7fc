use chrono::{DateTime, Utc};
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row as TableRow, Table, Wrap};
use ratatui::Frame;

use super::theme::{self, Theme};
use crate::app::layout;
use crate::app::{Row, State};
use crate::domain::{Build, BuildBatch, Run, Status};
use crate::text::{duration, inert, relative, short_version};

/// What one line of the list says, whether it is a build, a batch or a
/// batch's group build.
struct Item {
    status: Status,
    /// Project, marked for batches and indented for group builds.
    name: String,
    number: Option<i64>,
    phase: String,
    source: Option<String>,
    initiator: Option<String>,
    start: Option<DateTime<Utc>>,
    elapsed: Option<i64>,
    running: bool,
    /// Flagged: running far longer than usual, or near its timeout.
    runaway: bool,
    /// The account and region, when several are watched.
    context: u16,
}

impl Item {
    /// A build or batch, `name` and `phase` being what its row says of it.
    fn of(run: Run<'_>, name: String, phase: String, now: DateTime<Utc>) -> Item {
        Item {
            status: run.status.clone(),
            name,
            number: run.number,
            phase,
            source: run.source().map(str::to_string),
            initiator: run.initiator.map(str::to_string),
            start: run.start,
            elapsed: run.elapsed_secs(now),
            running: !run.complete,
            runaway: false,
            context: run.context,
        }
    }

    fn build(b: &Build, now: DateTime<Utc>) -> Item {
        // The running phase; for a failure, the phase that failed.
        let failed = b
            .status
            .is_failure()
            .then(|| b.failed_phase().map(|p| p.phase_type.to_string()))
            .flatten();
        let phase = failed
            .or_else(|| b.current_phase.clone())
            .unwrap_or_default();
        Item::of(b.run(), b.project.clone(), phase, now)
    }

    fn batch(b: &BuildBatch, expanded: bool, now: DateTime<Utc>, theme: Theme) -> Item {
        let (done, total) = b.progress();
        let marker = if expanded {
            theme.sym("▾", "v")
        } else {
            theme.sym("▸", ">")
        };
        let name = format!("{marker} {}", b.project);
        Item::of(b.run(), name, format!("batch {done}/{total}"), now)
    }

    /// A group build under its batch; it may not be loaded yet.
    fn group(
        batch: &BuildBatch,
        build_id: &str,
        build: Option<&Build>,
        gone: bool,
        now: DateTime<Utc>,
    ) -> Item {
        let group = batch
            .groups
            .iter()
            .enumerate()
            .find(|(_, g)| g.current.as_ref().and_then(|c| c.build_id()) == Some(build_id));
        let label = group.map_or_else(|| build_id.to_string(), |(i, g)| g.name(i));
        let mut item = match build {
            Some(b) => Item::build(b, now),
            None => Item {
                status: group
                    .and_then(|(_, g)| g.status().cloned())
                    .unwrap_or(Status::InProgress),
                name: String::new(),
                number: None,
                phase: if gone { "not found" } else { "loading…" }.into(),
                source: None,
                initiator: None,
                start: None,
                elapsed: None,
                running: true,
                runaway: false,
                context: batch.context,
            },
        };
        item.name = format!("  └ {label}");
        item
    }
}

/// A column of the list; narrow terminals drop the least useful first.
struct Column {
    title: &'static str,
    width: Constraint,
    min_terminal_width: u16,
    cell: fn(&Item, &State) -> Cell<'static>,
}

const COLUMNS: &[Column] = &[
    Column {
        title: "",
        width: Constraint::Length(1),
        min_terminal_width: 0,
        cell: symbol,
    },
    // Sized to the visible names in `draw`.
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

const CONTEXT_COLUMN: Column = Column {
    title: "CONTEXT",
    width: Constraint::Length(16),
    min_terminal_width: 0,
    cell: context,
};

fn context(it: &Item, state: &State) -> Cell<'static> {
    Cell::from(inert(state.context_name(it.context)).into_owned()).style(theme::dim())
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let chrome = layout::list_chrome(area.height);
    let inner = if chrome {
        let block = Theme::of(&state.settings)
            .block()
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
    let mut columns: Vec<&Column> = match &state.settings.columns {
        // The status symbol always leads; then the chosen columns, in order.
        Some(chosen) => std::iter::once(&COLUMNS[0])
            .chain(chosen.iter().filter_map(|name| {
                COLUMNS
                    .iter()
                    .skip(1)
                    .find(|c| c.title.eq_ignore_ascii_case(column_title(name)))
            }))
            .collect(),
        None => COLUMNS
            .iter()
            .filter(|c| area.width >= c.min_terminal_width)
            .collect(),
    };
    // Several accounts and regions: say which one each row is in.
    if !state.contexts.is_empty() {
        columns.insert(1, &CONTEXT_COLUMN);
    }
    // Only the rows on screen are built: cost follows the pane's height, not the number of builds.
    let visible = layout::build_rows(frame.area().width, frame.area().height);
    let list = &state.list;
    let items: Vec<(usize, Item)> = list
        .rows()
        .iter()
        .enumerate()
        .skip(list.offset())
        .take(visible)
        .filter_map(|(i, row)| item(state, row).map(|it| (i, it)))
        .collect();
    let name_width = items
        .iter()
        .map(|(_, it)| it.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 36) as u16;
    let rows: Vec<TableRow> = items
        .iter()
        .map(|(i, it)| {
            let row = TableRow::new(columns.iter().map(|c| (c.cell)(it, state)));
            if *i == list.cursor() {
                row.style(theme::selected_row(focused))
            } else {
                row
            }
        })
        .collect();
    let widths = columns.iter().map(|c| {
        if c.title == "PROJECT" {
            Constraint::Length(name_width)
        } else {
            c.width
        }
    });
    let mut table = Table::new(rows, widths).column_spacing(1);
    if chrome {
        table = table.header(
            TableRow::new(columns.iter().map(|c| Cell::from(c.title))).style(theme::title()),
        );
    }
    frame.render_widget(table, inner);
}

fn item(state: &State, row: &Row) -> Option<Item> {
    let store = &state.store;
    match row {
        Row::Build(id) => store.get(id).map(|b| {
            let mut item = Item::build(b, state.now);
            item.runaway = state.runaways.contains_key(id);
            // A batch's build on a row of its own: its batch is not loaded.
            if let Some(batch) = b.batch_id() {
                let short = batch.rsplit(':').next().unwrap_or(batch);
                let short: String = short.chars().take(8).collect();
                item.name = format!("{} · batch {short}", b.project);
            }
            item
        }),
        Row::Batch(id) => store.batches.get(id).map(|b| {
            Item::batch(
                b,
                state.list.is_expanded(id),
                state.now,
                Theme::of(&state.settings),
            )
        }),
        Row::Group { batch, build } => store
            .batches
            .get(batch)
            .map(|bt| Item::group(bt, build, store.get(build), store.is_gone(build), state.now)),
    }
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
    if state.list.sort != crate::app::sort::Sort::Newest {
        spans.push(Span::styled(
            format!("by {} ", state.list.sort.label()),
            theme::dim(),
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
        return Some(match p.first_error() {
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

fn symbol(it: &Item, state: &State) -> Cell<'static> {
    let (sym, color) = Theme::of(&state.settings).status_mark(&it.status);
    Cell::from(sym).style(Style::default().fg(color))
}

fn project(it: &Item, _: &State) -> Cell<'static> {
    Cell::from(inert(&it.name).into_owned())
}

fn number(it: &Item, _: &State) -> Cell<'static> {
    Cell::from(it.number.map(|n| n.to_string()).unwrap_or_default())
}

fn status(it: &Item, _: &State) -> Cell<'static> {
    Cell::from(inert(it.status.as_str()).into_owned()).style(theme::status_style(&it.status))
}

fn phase(it: &Item, state: &State) -> Cell<'static> {
    if it.runaway {
        let mark = Theme::of(&state.settings).sym("⚠", "!");
        return Cell::from(format!("{mark} {}", inert(&it.phase))).style(theme::runaway());
    }
    let style = if it.running {
        Style::default().fg(Color::Cyan)
    } else {
        Style::default()
    };
    Cell::from(inert(&it.phase).into_owned()).style(style)
}

fn source(it: &Item, _: &State) -> Cell<'static> {
    Cell::from(
        it.source
            .as_deref()
            .map(|v| inert(&short_version(v)).into_owned())
            .unwrap_or_default(),
    )
}

fn initiator(it: &Item, _: &State) -> Cell<'static> {
    Cell::from(
        it.initiator
            .as_deref()
            .map(|i| inert(i).into_owned())
            .unwrap_or_default(),
    )
}

fn started(it: &Item, state: &State) -> Cell<'static> {
    Cell::from(it.start.map(|t| relative(t, state.now)).unwrap_or_default())
}

fn elapsed(it: &Item, _: &State) -> Cell<'static> {
    let line = Line::from(it.elapsed.map(duration).unwrap_or_default()).alignment(Alignment::Right);
    if it.running {
        Cell::from(line).style(theme::status_style(&Status::InProgress))
    } else {
        Cell::from(line)
    }
}

/// The header of a column named in the config file.
fn column_title(name: &str) -> &str {
    match name {
        "number" => "#",
        "duration" => "DURATION",
        other => other,
    }
}
