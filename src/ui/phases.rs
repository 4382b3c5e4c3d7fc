use chrono::{DateTime, Utc};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::format::{clock, duration, inert, short_version};
use super::theme;
use crate::app::State;
use crate::domain::{Build, BuildBatch, Phase, Status};

/// What the pane describes: a build, or a batch (its own phases).
struct Subject<'a> {
    title: String,
    status: &'a Status,
    source: Option<&'a str>,
    resolved: Option<&'a str>,
    initiator: Option<&'a str>,
    start: Option<DateTime<Utc>>,
    elapsed: Option<i64>,
    complete: bool,
    timeout_minutes: Option<i32>,
    id: &'a str,
    phases: &'a [Phase],
}

impl<'a> Subject<'a> {
    fn build(b: &'a Build, now: DateTime<Utc>) -> Subject<'a> {
        Subject {
            title: format!(" Phases · {} #{} ", inert(&b.project), number(b.number)),
            status: &b.status,
            source: b.source_version.as_deref(),
            resolved: b.resolved_source_version.as_deref(),
            initiator: b.initiator.as_deref(),
            start: b.start,
            elapsed: b.elapsed_secs(now),
            complete: b.complete,
            timeout_minutes: b.timeout_minutes,
            id: &b.id,
            phases: &b.phases,
        }
    }

    fn batch(b: &'a BuildBatch, now: DateTime<Utc>) -> Subject<'a> {
        Subject {
            title: format!(
                " Batch phases · {} #{} ",
                inert(&b.project),
                number(b.number)
            ),
            status: &b.status,
            source: b.source_version.as_deref(),
            resolved: b.resolved_source_version.as_deref(),
            initiator: b.initiator.as_deref(),
            start: b.start,
            elapsed: b.elapsed_secs(now),
            complete: b.complete,
            timeout_minutes: b.timeout_minutes,
            id: &b.id,
            phases: &b.phases,
        }
    }
}

fn number(n: Option<i64>) -> String {
    n.map_or_else(|| "?".into(), |n| n.to_string())
}

/// The selected build's (or batch's) summary and phases; a phase that did not
/// succeed shows its contexts in full, so the reason for a failure is
/// readable here.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let subject = match (state.selected_build(), state.selected_batch()) {
        (Some(b), _) => Some(Subject::build(b, state.now)),
        (None, Some(batch)) if state.tree_cursor.is_none() => {
            Some(Subject::batch(batch, state.now))
        }
        _ => None,
    };
    let title = subject
        .as_ref()
        .map_or_else(|| " Phases ".to_string(), |s| s.title.clone());
    let block = theme::block()
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title()));
    let lines = match &subject {
        Some(s) => lines(s, state),
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

fn lines(s: &Subject, state: &State) -> Vec<Line<'static>> {
    let (sym, color) = theme::status_mark(s.status);
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
    let mut out = vec![Line::from(summary)];
    if let Some(reason) = failure_line(s) {
        out.push(reason);
    }
    if let Some(reason) = state.runaways.get(s.id) {
        out.push(Line::styled(
            format!("⚠ runaway: {} · x stops it", reason.describe()),
            theme::runaway(),
        ));
    }
    if let Some(line) = eta_line(s, state) {
        out.push(line);
    }
    out.push(Line::styled(timing.join(" · "), theme::dim()));
    out.push(Line::styled(inert(s.id).into_owned(), theme::dim()));
    if s.phases.is_empty() {
        out.push(Line::styled("No phase information yet.", theme::dim()));
        return out;
    }
    for p in s.phases {
        out.push(phase_line(p, s.complete, state));
        if p.status.as_ref().is_some_and(|st| *st != Status::Succeeded) {
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

/// Progress against the project's usual duration, for a running build.
fn eta_line(s: &Subject, state: &State) -> Option<Line<'static>> {
    if s.complete {
        return None;
    }
    let build = state.store.get(s.id)?;
    let stats = state.stats.get(&build.project);
    let (progress, left) =
        crate::app::runaway::eta(build, stats, &state.settings.runaway, state.now)?;
    let text = if left >= 0 {
        format!(
            "ETA {} · {:.0}% of the usual duration",
            duration(left),
            progress * 100.0
        )
    } else {
        format!("{} past the usual duration", duration(-left))
    };
    Some(Line::styled(text, theme::dim()))
}

/// Why it failed, up front: readable even when the phase list is cut.
fn failure_line(s: &Subject) -> Option<Line<'static>> {
    if !s.status.is_failure() {
        return None;
    }
    let phase = s
        .phases
        .iter()
        .find(|p| p.status.as_ref().is_some_and(|st| *st != Status::Succeeded))?;
    let detail = match phase.meaningful_contexts().next() {
        Some(c) if !c.message.is_empty() => format!(": {}", inert(&c.message)),
        Some(c) => format!(": {}", inert(&c.status_code)),
        None => String::new(),
    };
    Some(Line::styled(
        format!("{} in {}{detail}", s.status, inert(&phase.phase_type)),
        theme::error().add_modifier(Modifier::BOLD),
    ))
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
