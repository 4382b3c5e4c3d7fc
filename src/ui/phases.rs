use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::format::{clock, duration, inert, short_version};
use super::theme;
use crate::app::State;
use crate::domain::{Build, Phase, Status};

/// The selected build's summary and phases; a phase that did not succeed
/// shows its contexts in full, so the reason for a failure is readable here.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let build = state.selected_build();
    let title = match build {
        Some(b) => format!(
            " Phases · {} #{} ",
            inert(&b.project),
            b.number
                .map(|n| n.to_string())
                .unwrap_or_else(|| "?".into())
        ),
        None => " Phases ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title()));
    let lines = match build {
        Some(b) => lines(b, state),
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

fn lines(b: &Build, state: &State) -> Vec<Line<'static>> {
    let (sym, color) = theme::status_mark(&b.status);
    let mut summary = vec![Span::styled(
        format!("{sym} {}", inert(b.status.as_str())),
        Style::default().fg(color).add_modifier(Modifier::BOLD),
    )];
    if let Some(v) = &b.source_version {
        summary.push(Span::raw(format!("  {}", inert(&short_version(v)))));
    }
    if let Some(r) = &b.resolved_source_version {
        summary.push(Span::styled(
            format!(" @ {}", inert(&short_version(r))),
            theme::dim(),
        ));
    }
    if let Some(i) = &b.initiator {
        summary.push(Span::styled(format!("  by {}", inert(i)), theme::dim()));
    }
    let mut timing = Vec::new();
    if let Some(start) = b.start {
        timing.push(format!(
            "started {}",
            clock(start, state.now, &state.settings.tz)
        ));
    }
    if let Some(secs) = b.elapsed_secs(state.now) {
        let verb = if b.complete { "took" } else { "running for" };
        timing.push(format!("{verb} {}", duration(secs)));
    }
    if let Some(t) = b.timeout_minutes {
        timing.push(format!("timeout {t}m"));
    }
    let mut out = vec![
        Line::from(summary),
        Line::styled(timing.join(" · "), theme::dim()),
        Line::styled(format!("{}", inert(&b.id)), theme::dim()),
    ];
    if let Some(reason) = failure_line(b) {
        out.insert(1, reason);
    }
    if b.phases.is_empty() {
        out.push(Line::styled("No phase information yet.", theme::dim()));
        return out;
    }
    for p in &b.phases {
        out.push(phase_line(p, b, state));
        if p.status.as_ref().is_some_and(|s| *s != Status::Succeeded) {
            for c in p.meaningful_contexts() {
                if !c.status_code.is_empty() {
                    out.push(Line::styled(
                        format!("    {}", inert(&c.status_code)),
                        theme::error().add_modifier(Modifier::BOLD),
                    ));
                }
                if !c.message.is_empty() {
                    out.push(Line::styled(
                        format!("    {}", inert(&c.message)),
                        theme::error(),
                    ));
                }
            }
        }
    }
    out
}

/// Why the build failed, up front: readable even when the phase list is cut.
fn failure_line(b: &Build) -> Option<Line<'static>> {
    if !b.status.is_failure() {
        return None;
    }
    let phase = b.failed_phase()?;
    let context = phase.meaningful_contexts().next();
    let detail = match context {
        Some(c) if !c.message.is_empty() => format!(": {}", inert(&c.message)),
        Some(c) => format!(": {}", inert(&c.status_code)),
        None => String::new(),
    };
    Some(Line::styled(
        format!("{} in {}{detail}", b.status, inert(&phase.phase_type)),
        theme::error().add_modifier(Modifier::BOLD),
    ))
}

fn phase_line(p: &Phase, b: &Build, state: &State) -> Line<'static> {
    let running = p.status.is_none() && !b.complete && p.end.is_none();
    let status = match (&p.status, running) {
        (Some(s), _) => s.clone(),
        (None, true) => Status::InProgress,
        (None, false) => Status::Succeeded,
    };
    // COMPLETED is a marker with no duration of its own.
    let is_marker = p.phase_type == "COMPLETED";
    let (sym, color) = if is_marker {
        (" ", theme::dim().fg.unwrap_or_default())
    } else {
        theme::status_mark(&status)
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
    let mut spans = vec![
        Span::styled(format!(" {sym} "), Style::default().fg(color)),
        Span::styled(
            format!("{:<17}", inert(&p.phase_type)),
            Style::default().fg(if running {
                color
            } else {
                ratatui::style::Color::Reset
            }),
        ),
        Span::styled(format!("{start:>17} "), theme::dim()),
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
