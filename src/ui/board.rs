//! The projects board, in place of the panes: a row a project, the ones
//! that need attention first, with their figures and recent durations.

use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::{self, Theme};
use crate::app::board::{Attention, ProjectHealth, Rate, SPARK};
use crate::app::trends::sparkline;
use crate::app::State;
use crate::text::duration;

/// Columns from which the durations sparkline, queue time, builds a day
/// and running builds are shown.
const WIDE: usize = 140;
/// Columns from which the 7-day rate and p90 are shown.
const MEDIUM: usize = 100;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, cursor: usize) {
    let theme = Theme::of(&state.settings);
    let board = &state.board;
    let mut title = format!(" Projects ({}) · by attention ", board.rows.len());
    if board.pending > 0 {
        title.push_str(&format!("· back-filling {} projects… ", board.pending));
    }
    let inner = super::popup::pane(
        frame,
        area,
        &title,
        " j/k move · Enter its builds · Esc back ",
        theme,
    );
    let width = usize::from(inner.width);
    let fit = fit_for(width);
    let mut lines = vec![header(fit, width)];
    if let Some(e) = &board.last_error {
        lines.push(Line::styled(
            theme.text(&format!("{} back-fill failed: {e}", board.failed.max(1))),
            theme::warning(),
        ));
    }
    if board.rows.is_empty() {
        lines.push(Line::styled(
            theme.text("No projects yet: their builds are being read…"),
            theme::dim(),
        ));
    }
    let rows = usize::from(inner.height).saturating_sub(lines.len());
    let offset = cursor.saturating_sub(rows.saturating_sub(1));
    for (i, row) in board.rows.iter().enumerate().skip(offset).take(rows) {
        let mut line = row_line(row, state, fit, width);
        if i == cursor {
            line = line.patch_style(theme::selected_row(true));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Which columns fit: all of them, the figures without the pictures, or
/// the essentials.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    Narrow,
    Medium,
    Wide,
}

fn fit_for(width: usize) -> Fit {
    match width {
        w if w >= WIDE => Fit::Wide,
        w if w >= MEDIUM => Fit::Medium,
        _ => Fit::Narrow,
    }
}

/// Columns of the state text.
const STATE: usize = 30;

fn header(fit: Fit, width: usize) -> Line<'static> {
    let name = name_width(width, fit);
    let state = STATE;
    let mut text = format!(
        "  {:<name$} {:<state$} {:>7} {:>6}",
        "PROJECT", "STATE", "LAST 20", "24H"
    );
    if fit >= Fit::Medium {
        text.push_str(&format!(" {:>6}", "7D"));
    }
    text.push_str(&format!(" {:>7}", "P50"));
    if fit >= Fit::Medium {
        text.push_str(&format!(" {:>7}", "P90"));
    }
    if fit == Fit::Wide {
        text.push_str(&format!(
            "  {:<SPARK$} {:>6} {:>5} {:>3}",
            "DURATIONS", "QUEUE", "/DAY", "RUN"
        ));
    }
    Line::styled(text, theme::dim())
}

/// The project column: what the other columns leave, 12 to 32.
fn name_width(width: usize, fit: Fit) -> usize {
    let fixed = 2
        + 1
        + STATE
        + 8
        + 7
        + 8
        + match fit {
            Fit::Narrow => 0,
            Fit::Medium => 7 + 8,
            Fit::Wide => 7 + 8 + 2 + SPARK + 7 + 6 + 4,
        };
    width.saturating_sub(fixed).clamp(12, 32)
}

fn row_line(row: &ProjectHealth, state: &State, fit: Fit, width: usize) -> Line<'static> {
    let theme = Theme::of(&state.settings);
    let (mark, colour) = mark(row.attention, theme);
    let name = name_width(width, fit);
    let state_cols = STATE;
    let project = super::reports::fit(&theme.text(&row.project), name);
    let p = |d: Option<i64>| d.map(duration).unwrap_or_else(|| "-".to_string());
    let mut figures = format!(" {:>7} {:>6}", rate(row.last_n), rate(row.day));
    if fit >= Fit::Medium {
        figures.push_str(&format!(" {:>6}", rate(row.week)));
    }
    figures.push_str(&format!(" {:>7}", p(row.durations.map(|d| d.median))));
    if fit >= Fit::Medium {
        figures.push_str(&format!(" {:>7}", p(row.durations.map(|d| d.p90))));
    }
    let mut spans = vec![
        Span::styled(format!("{mark} "), Style::default().fg(colour)),
        Span::raw(format!("{project:<name$} ")),
        Span::styled(
            format!(
                "{:<state_cols$}",
                super::reports::fit(&theme.text(&state_text(row, state)), state_cols)
            ),
            Style::default().fg(colour),
        ),
        Span::raw(figures),
    ];
    if fit == Fit::Wide {
        let spark = sparkline(&row.spark, None, state.settings.ascii);
        spans.push(Span::styled(
            format!("  {spark:<SPARK$}"),
            Style::default().fg(Color::Cyan),
        ));
        spans.push(Span::raw(format!(
            " {:>6} {:>5.1} {:>3}",
            p(row.queue_p50),
            row.per_day,
            row.running
        )));
    }
    let mut line = Line::from(spans);
    if row.attention == Attention::Failing {
        line = line.patch_style(Style::default().add_modifier(Modifier::BOLD));
    }
    line
}

fn mark(attention: Attention, theme: Theme) -> (&'static str, Color) {
    match attention {
        Attention::Failing => (theme.sym("✘", "x"), Color::Red),
        Attention::Flaky => (theme.sym("≈", "~"), Color::Yellow),
        Attention::Slowing => (theme.sym("↗", "^"), Color::Magenta),
        Attention::Healthy => (theme.sym("✔", "+"), Color::Green),
        Attention::NoBuilds => (" ", Color::DarkGray),
    }
}

/// "red for 3h12m", "flaky: 4f2a9c1d failed then passed", "slowing ×1.9",
/// "green since yesterday 18:04", "no builds".
fn state_text(row: &ProjectHealth, state: &State) -> String {
    let since = |t: Option<DateTime<Utc>>| t.map(|t| when(t, state)).unwrap_or_default();
    match row.attention {
        Attention::Failing => match row.since {
            Some(t) => format!("red for {}", duration((state.now - t).num_seconds())),
            None => "red".to_string(),
        },
        Attention::Flaky => format!(
            "flaky: {} failed+passed",
            row.flaky_commit
                .as_deref()
                .map(crate::text::short_version)
                .unwrap_or_default()
        ),
        Attention::Slowing => format!("slowing: {:.1}x as long", row.slowing.unwrap_or(1.0)),
        Attention::Healthy => format!("green since {}", since(row.since)),
        Attention::NoBuilds => "no builds".to_string(),
    }
}

/// "14:02" today, "yesterday 18:04", else "Nov 28 18:04".
fn when(t: DateTime<Utc>, state: &State) -> String {
    let tz = &state.settings.tz;
    let (local, today) = (
        t.with_timezone(tz),
        state.now.with_timezone(tz).date_naive(),
    );
    let day = local.date_naive();
    if day == today {
        local.format("%H:%M").to_string()
    } else if today.pred_opt() == Some(day) {
        local.format("yesterday %H:%M").to_string()
    } else {
        local.format("%b %d %H:%M").to_string()
    }
}

fn rate(r: Rate) -> String {
    r.percent()
        .map_or_else(|| "-".to_string(), |p| format!("{p:.0} %"))
}
