use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::format::retry;
use super::theme;
use crate::app::State;
use crate::text::{clock, inert};

/// How long a plain notice stays; errors stay until replaced.
const NOTICE_SECS: i64 = 8;

/// Bottom line: the filter being typed, else the latest notice or poll
/// failure, with the key hint on the right.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    if state.filter_editing {
        let line = Line::from(vec![
            Span::styled("/", Style::default().fg(Color::Cyan)),
            Span::raw(inert(&state.filter).into_owned()),
            Span::styled("█", Style::default().fg(Color::Cyan)),
            Span::styled("   Enter keep · Esc clear", theme::dim()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    // The message gets the line; the key hint only the room left over.
    let message = message(state);
    let hint = "? help  q quit ";
    let room = area.width as usize;
    if message.width() + hint.len() + 2 <= room {
        frame.render_widget(
            Paragraph::new(Span::styled(hint, theme::dim())).alignment(Alignment::Right),
            area,
        );
    }
    frame.render_widget(Paragraph::new(message), area);
}

fn message(state: &State) -> Line<'static> {
    // The first account and region that fails speaks for itself.
    if let Some((c, (e, at))) = state
        .pollers()
        .find_map(|(c, p)| p.last_error.as_ref().map(|err| (c, err)))
    {
        let name = state.context_name(c);
        let prefix = if name.is_empty() {
            String::new()
        } else {
            format!("{}: ", inert(name))
        };
        let mut text = format!(
            " ⚠ {prefix}{} (at {})",
            inert(&e.to_string()),
            clock(*at, state.now, &state.settings.tz)
        );
        text.push_str(&format!(" · {}", retry(state)));
        let failing = state.pollers().filter(|(_, p)| p.is_stale()).count();
        if failing > 1 {
            text.push_str(&format!(" · {} more failing: C lists them", failing - 1));
        }
        if let Some(hint) = e.hint() {
            text.push_str(&format!(" · {hint}"));
        }
        return Line::styled(text, theme::warning());
    }
    match &state.notice {
        Some(n) if n.error => Line::styled(format!(" {}", inert(&n.text)), theme::error()),
        Some(n) if (state.now - n.at).num_seconds() < NOTICE_SECS => {
            Line::raw(format!(" {}", inert(&n.text)))
        }
        _ => scope_problems(state),
    }
}

/// Lists that fail on their own while the rest polls: named, with why.
fn scope_problems(state: &State) -> Line<'static> {
    let problems: Vec<String> = state
        .pollers()
        .flat_map(|(c, p)| {
            let name = state.context_name(c).to_string();
            p.failing_scopes().into_iter().map(move |text| {
                if name.is_empty() {
                    text
                } else {
                    format!("{name}: {text}")
                }
            })
        })
        .collect();
    match problems.as_slice() {
        [] => Line::default(),
        [one] => Line::styled(format!(" ⚠ {}", inert(one)), theme::warning()),
        [first, rest @ ..] => Line::styled(
            format!(" ⚠ {} (and {} more)", inert(first), rest.len()),
            theme::warning(),
        ),
    }
}
