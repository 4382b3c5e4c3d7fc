use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::theme::{self, Theme};
use crate::app::phase_lines::{self, Fold, PhaseLine, Subject, INDENT};
use crate::app::State;
use crate::domain::{Phase, Status};
use crate::text::{clock, duration, inert, short_version};

/// The selected build's (or batch's) summary and phases; a phase that did not
/// succeed shows its contexts, a long message folded to a few rows, so the
/// reason for a failure is readable here.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let subject = phase_lines::subject(state);
    let title = subject
        .as_ref()
        .map_or_else(|| " Phases ".to_string(), |s| s.title.clone());
    let block = Theme::of(&state.settings)
        .block()
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title()));
    let lines = match &subject {
        Some(s) => phase_lines::lines(s, state, phase_lines::inner_width(area.width))
            .iter()
            .map(|line| styled(s, line, state))
            .collect(),
        None if state.selected_batch().is_some() => vec![Line::styled(
            "This group has no build yet, or it is still loading.",
            theme::dim(),
        )],
        None => vec![Line::styled(
            "Select a build to see its phases.",
            theme::dim(),
        )],
    };
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((state.phase_scroll.min(u16::MAX as usize) as u16, 0));
    frame.render_widget(text, area);
}

/// Each line the app decided on, styled.
fn styled(s: &Subject, line: &PhaseLine, state: &State) -> Line<'static> {
    match line {
        PhaseLine::Summary => summary(s, Theme::of(&state.settings)),
        PhaseLine::Failure(text) => {
            Line::styled(text.clone(), theme::error().add_modifier(Modifier::BOLD))
        }
        PhaseLine::Verdict(v) => super::resources::verdict(v, state),
        PhaseLine::Resource(line) => super::resources::line(line, state),
        PhaseLine::Runaway(reason) => Line::styled(
            format!("⚠ {} {} · x stops it", reason.label(), reason.describe()),
            theme::runaway(),
        ),
        PhaseLine::Eta {
            progress,
            left_secs,
        } => {
            let text = if *left_secs >= 0 {
                format!(
                    "ETA {} · {:.0}% of the usual duration",
                    duration(*left_secs),
                    progress * 100.0
                )
            } else {
                format!("{} past the usual duration", duration(-left_secs))
            };
            Line::styled(text, theme::dim())
        }
        PhaseLine::Timing => Line::styled(timing(s, state), theme::dim()),
        PhaseLine::Id => Line::styled(inert(s.id).into_owned(), theme::dim()),
        PhaseLine::Report(r, width) => super::reports::report_line(r, *width, state),
        PhaseLine::FailedCase(c, width) => super::reports::failed_case_line(c, *width, state),
        PhaseLine::MoreFailed(n) => {
            Line::styled(format!("{INDENT}… {n} more failed"), theme::dim())
        }
        PhaseLine::ReportsPending(n) => Line::styled(
            format!("{n} test report{} loading…", if *n == 1 { "" } else { "s" }),
            theme::dim(),
        ),
        PhaseLine::ReportsMissing(n) => Line::styled(
            format!(
                "{n} test report{} not available",
                if *n == 1 { "" } else { "s" }
            ),
            theme::dim(),
        ),
        PhaseLine::NoPhases => Line::styled("No phase information yet.", theme::dim()),
        PhaseLine::Phase(p) => phase_line(p, s.complete, state),
        PhaseLine::StatusCode(code) => Line::styled(
            format!("{INDENT}{}", inert(code)),
            theme::error().add_modifier(Modifier::BOLD),
        ),
        PhaseLine::Message(row) => Line::styled(format!("{INDENT}{row}"), theme::error()),
        PhaseLine::Fold(fold) => {
            let key = fold_key(state);
            let hint = match fold {
                Fold::More(n) => format!("{INDENT}… ({n} more lines, {key} to expand)"),
                Fold::Unfolded => format!("{INDENT}({key} to fold)"),
                Fold::Cut(n) => format!("{INDENT}… ({n} more lines not shown, {key} to fold)"),
            };
            Line::styled(hint, theme::dim())
        }
    }
}

fn summary(s: &Subject, theme: Theme) -> Line<'static> {
    let (sym, color) = theme.status_mark(s.status);
    let mut summary = vec![Span::styled(
        format!("{sym} {}", inert(s.status.as_str())),
        Style::default().fg(color).add_modifier(Modifier::BOLD),
    )];
    if let Some(v) = s.source {
        summary.push(Span::raw(format!("  {}", inert(&short_version(v)))));
    }
    if let Some(r) = s.resolved {
        summary.push(Span::styled(
            format!(" @ {}", inert(&short_version(r))),
            theme::dim(),
        ));
    }
    if let Some(i) = s.initiator {
        summary.push(Span::styled(format!("  by {}", inert(i)), theme::dim()));
    }
    Line::from(summary)
}

fn timing(s: &Subject, state: &State) -> String {
    let mut timing = Vec::new();
    if let Some(start) = s.start {
        timing.push(format!(
            "started {}",
            clock(start, state.now, &state.settings.tz)
        ));
    }
    if let Some(secs) = s.elapsed {
        let verb = if s.complete { "took" } else { "running for" };
        timing.push(format!("{verb} {}", duration(secs)));
    }
    if let Some(t) = s.timeout_minutes {
        timing.push(format!("timeout {t}m"));
    }
    timing.join(" · ")
}

/// The key that folds and unfolds, as the user bound it.
fn fold_key(state: &State) -> String {
    use crate::app::keymap::{labels_with, Action, BINDINGS};
    BINDINGS
        .iter()
        .find(|b| b.action == Action::Fold)
        .and_then(|b| labels_with(b, &state.settings.keys).into_iter().next())
        .unwrap_or_default()
}

fn phase_line(p: &Phase, complete: bool, state: &State) -> Line<'static> {
    let running = p.status.is_none() && !complete && p.end.is_none();
    let status = match (&p.status, running) {
        (Some(s), _) => s.clone(),
        (None, true) => Status::InProgress,
        (None, false) => Status::Succeeded,
    };
    // The closing phase (COMPLETED, or a batch's SUCCEEDED/FAILED/STOPPED)
    // is a marker with no duration of its own.
    let is_marker = p.end.is_none() && p.duration_secs.is_none() && !running;
    let (sym, color) = if is_marker {
        (" ", Color::DarkGray)
    } else {
        Theme::of(&state.settings).status_mark(&status)
    };
    let start = p
        .start
        .map(|t| clock(t, state.now, &state.settings.tz))
        .unwrap_or_default();
    let took = if is_marker {
        String::new()
    } else {
        p.elapsed_secs(state.now).map(duration).unwrap_or_default()
    };
    let name_style = if running {
        Style::default().fg(color)
    } else {
        Style::default()
    };
    let mut spans = vec![
        Span::styled(format!(" {sym} "), Style::default().fg(color)),
        Span::styled(format!("{:<19}", inert(&p.phase_type)), name_style),
        Span::styled(format!("{start:>15} "), theme::dim()),
        Span::raw(format!("{took:>7}")),
    ];
    if let Some(s) = &p.status {
        if *s != Status::Succeeded {
            spans.push(Span::styled(
                format!("  {}", inert(s.as_str())),
                theme::status_style(s),
            ));
        }
    }
    Line::from(spans)
}
