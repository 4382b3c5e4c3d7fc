use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::popup;
use super::theme::{self, Theme};
use crate::app::overlay::PresetMenu;
use crate::text::inert;

/// The preset name prompt or the list of saved presets, over the form.
pub fn draw(frame: &mut Frame, area: Rect, menu: &PresetMenu, theme: Theme) {
    let (title, lines): (&str, Vec<Line>) = match menu {
        PresetMenu::Naming(name) => (
            " Save as preset · Enter save · Esc cancel ",
            vec![Line::raw(format!("name: {}█", inert(name)))],
        ),
        PresetMenu::Loading => (" Presets ", vec![Line::styled("loading…", theme::dim())]),
        PresetMenu::Pick { items, cursor } => (
            " Load preset · Enter load · Esc cancel ",
            items
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let line = Line::raw(format!(
                        " {}  ({})",
                        inert(&p.name),
                        p.saved_at.format("%Y-%m-%d %H:%M")
                    ));
                    if i == *cursor {
                        line.style(theme::selected_row(true))
                    } else {
                        line
                    }
                })
                .collect(),
        ),
    };
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = popup::centred(frame, area, Constraint::Length(height), 60);
    let block = theme.block().border_style(theme::border(true)).title(title);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
