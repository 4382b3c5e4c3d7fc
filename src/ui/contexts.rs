use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::popup;
use super::theme::{self, Theme};
use crate::app::poll::Identity;
use crate::app::State;
use crate::text::inert;

/// Every account and region watched: the failing ones first, each with
/// why, then the rest with what runs there.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let theme = Theme::of(&state.settings);
    let mut rows: Vec<(bool, Line<'static>)> = state
        .pollers()
        .map(|(c, p)| {
            let name = match state.context_name(c) {
                "" => state.settings.context.clone(),
                name => name.to_string(),
            };
            let account = match &p.identity {
                Identity::Known(account) => account.clone(),
                Identity::Failed(_) => "account ?".into(),
                _ => "…".into(),
            };
            let name = format!("{:<28} {:<13} ", inert(&name), inert(&account));
            let mut problems: Vec<String> =
                p.last_error.iter().map(|(e, _)| e.to_string()).collect();
            problems.extend(p.failing_scopes());
            if problems.is_empty() {
                let running = state.store.running_ids_in(c).len();
                let what = match (p.loaded, p.discovering()) {
                    (false, _) => "loading…".to_string(),
                    (true, Some(pages)) => format!("discovering… {pages} pages"),
                    (true, None) => format!("{running} running"),
                };
                let line = Line::from(vec![
                    Span::styled(format!(" {} ", theme.sym("✔", "+")), theme::dim()),
                    Span::raw(name),
                    Span::styled(what, theme::dim()),
                ]);
                return (false, line);
            }
            let line = Line::from(vec![
                Span::styled(format!(" {} ", theme.sym("⚠", "!")), theme::warning()),
                Span::raw(name),
                Span::styled(inert(&problems.join(" · ")).into_owned(), theme::warning()),
            ]);
            (true, line)
        })
        .collect();
    // Failing first; otherwise in the order given.
    rows.sort_by_key(|(failing, _)| !failing);
    let height = (rows.len() as u16 + 4).min(area.height);
    let popup = popup::centred(frame, area, Constraint::Length(height), 120);
    let failing = rows.iter().filter(|(f, _)| *f).count();
    let title = format!(
        " Accounts and regions · {} · {failing} failing ",
        rows.len()
    );
    let block = theme.block().title(title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [body, foot] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let room = usize::from(body.height);
    let mut lines: Vec<Line> = rows.into_iter().map(|(_, l)| l).collect();
    if lines.len() > room && room > 0 {
        let hidden = lines.len() - (room - 1);
        lines.truncate(room - 1);
        lines.push(Line::styled(format!(" … and {hidden} more"), theme::dim()));
    }
    frame.render_widget(Paragraph::new(lines), body);
    frame.render_widget(
        Paragraph::new(Line::styled(" Any key closes this list.", theme::dim())),
        foot,
    );
}
