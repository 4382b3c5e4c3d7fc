//! A build's reports and its failed tests, as lines of the details.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::theme::{self, Theme};
use crate::app::phase_lines::INDENT;
use crate::app::trends::sparkline;
use crate::app::State;
use crate::domain::{Report, ReportKind, Status, TestCase, TrendField};
use crate::text::{duration, inert};
use unicode_width::UnicodeWidthStr;

/// A test's or a report's duration: milliseconds under a second.
pub fn nanos(ns: i64) -> String {
    if ns < 1_000_000_000 {
        format!("{} ms", ns.max(0) / 1_000_000)
    } else {
        duration(ns / 1_000_000_000)
    }
}

fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "–".to_string(), |p| format!("{p:.1} %"))
}

/// "▣ unit-tests  FAILED  40 passed · 2 failed  1.2 s ▅▆▇  pass rate 95.2 % ██▇",
/// its trends as long as fits in `width`.
pub fn report_line(r: &Report, width: usize, state: &State) -> Line<'static> {
    let bare = line_with(r, 0, state);
    let sparks = TrendField::for_kind(&r.kind)
        .iter()
        .filter(|f| trend_values(r, **f, state).is_some())
        .count();
    if sparks == 0 || state.width < SPARK_WIDTH {
        return bare;
    }
    // Each sparkline takes a space and a column a report.
    let room = width.saturating_sub(bare.width()) / sparks;
    let points = room
        .saturating_sub(1)
        .min(crate::app::trends::TREND_REPORTS as usize);
    if points < MIN_POINTS {
        return bare;
    }
    line_with(r, points, state)
}

/// The report's line with sparklines of its last `points` reports at most.
fn line_with(r: &Report, points: usize, state: &State) -> Line<'static> {
    let status = Status::parse(&r.status);
    let (sym, color) = Theme::of(&state.settings).status_mark(&status);
    let mut spans = vec![
        Span::styled(format!(" {sym} "), Style::default().fg(color)),
        Span::styled(
            inert(&r.name).into_owned(),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::styled(
            format!("  {}", inert(&r.status)),
            theme::status_style(&status),
        ),
    ];
    match &r.kind {
        ReportKind::CodeCoverage => {
            let c = r.coverage.clone().unwrap_or_default();
            let spark = trend(r, TrendField::LineCoverage, Some(100.0), points, state);
            spans.push(Span::raw(format!(
                "  line {}{spark} · branch {}",
                percent(c.line_pct),
                percent(c.branch_pct)
            )));
        }
        _ => {
            if let Some(t) = &r.totals {
                spans.push(Span::raw(format!("  {}", t.describe())));
            }
            if let Some(ns) = r.duration_ns {
                let spark = trend(r, TrendField::Duration, None, points, state);
                spans.push(Span::styled(
                    format!("  {}{spark}", nanos(ns)),
                    theme::dim(),
                ));
            }
            // This report's own rate, its group's trend beside it; narrow
            // terminals keep to the totals.
            let rate = r
                .totals
                .as_ref()
                .filter(|t| t.total > 0 && state.width >= SPARK_WIDTH)
                .map(|t| t.succeeded as f64 * 100.0 / t.total as f64);
            if let Some(rate) = rate {
                let spark = trend(r, TrendField::PassRate, Some(100.0), points, state);
                spans.push(Span::raw(format!("  pass rate {rate:.1} %{spark}")));
            }
        }
    }
    if r.is_expired(state.now) {
        spans.push(Span::styled(
            "  (expired: test cases deleted)",
            theme::dim(),
        ));
    }
    Line::from(spans)
}

/// Narrower terminals show the figures without their trend.
pub const SPARK_WIDTH: u16 = 100;
/// Fewer reports than this would not show a trend: none is drawn.
const MIN_POINTS: usize = 4;

fn trend_values<'a>(r: &Report, field: TrendField, state: &'a State) -> Option<&'a [f64]> {
    state.trends.values(r.group_arn.as_deref()?, field)
}

/// " ▇▇▆▇" after a figure: its group's last `points` reports, oldest first;
/// nothing when unknown or `points` is 0.
fn trend(
    r: &Report,
    field: TrendField,
    ceiling: Option<f64>,
    points: usize,
    state: &State,
) -> String {
    match trend_values(r, field, state) {
        Some(values) if points > 0 => {
            let last = &values[values.len().saturating_sub(points)..];
            format!(" {}", sparkline(last, ceiling, state.settings.ascii))
        }
        _ => String::new(),
    }
}

/// "    ✗ suite › name: first line of the message".
pub fn failed_case_line(c: &TestCase, width: usize, state: &State) -> Line<'static> {
    let theme = Theme::of(&state.settings);
    let (sym, _) = theme.status_mark(&Status::parse(&c.status));
    let mut spans = vec![Span::styled(format!("{INDENT}{sym} "), theme::error())];
    if !c.suite.is_empty() {
        let sep = if state.settings.ascii { ">" } else { "›" };
        spans.push(Span::styled(
            format!("{} {sep} ", inert(&c.suite)),
            theme::dim(),
        ));
    }
    spans.push(Span::styled(
        inert(&c.name).into_owned(),
        theme::error().add_modifier(Modifier::BOLD),
    ));
    let first = c.first_line();
    if !first.is_empty() {
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let room = width.saturating_sub(used + 2);
        // No more than fits: inert reads all it is given, on every frame.
        let head: String = first.chars().take(room + 1).collect();
        spans.push(Span::raw(format!(": {}", fit(&inert(&head), room))));
    }
    Line::from(spans)
}

/// `text` in at most `width` columns, cut with "…" when longer.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthStr::width(c.encode_utf8(&mut [0u8; 4]) as &str);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The key that opens the test cases, as the user bound it.
pub fn cases_key(state: &State) -> String {
    use crate::app::keymap::{labels_with, Action, BINDINGS};
    BINDINGS
        .iter()
        .find(|b| b.action == Action::Tests)
        .and_then(|b| labels_with(b, &state.settings.keys).into_iter().next())
        .unwrap_or_default()
}
