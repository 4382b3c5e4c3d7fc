//! Keys while editing: moving between rows, typing, toggling, choosing,
//! and adding or deleting environment variables.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::fields::{self, Kind};
use super::{validate, EnvPart, Form, FormEvent, Item, Stage};
use crate::app::paste::{self, Pasted};
use crate::domain::choices;
use crate::domain::EnvVar;

impl Form {
    pub(super) fn edit(&mut self, key: KeyEvent) -> FormEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let item = self.focused();
        match key.code {
            KeyCode::Esc => return self.escape(),
            KeyCode::Tab | KeyCode::Down => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(false),
            KeyCode::Char('s') if ctrl => self.ask_review(),
            KeyCode::Char('u') if ctrl => self.with_buffer(item, |text, _| text.clear()),
            KeyCode::Char('d') if ctrl => self.delete_env(item),
            // Other shortcuts belong to the app or the terminal, not the text.
            KeyCode::Char(_) if ctrl || alt => {}
            KeyCode::Enter => self.enter(item),
            KeyCode::Char('+') if item == Item::EnvHeader => self.add_env(),
            KeyCode::Char(' ') if matches!(item, Item::Advanced) => self.toggle_advanced(),
            KeyCode::Left => self.with_buffer(item, |text, kind| choose(text, kind, false)),
            KeyCode::Right => self.with_buffer(item, |text, kind| choose(text, kind, true)),
            KeyCode::Backspace => self.with_buffer(item, |text, _| {
                text.pop();
            }),
            KeyCode::Char(c) => self.with_buffer(item, |text, kind| type_char(text, kind, c)),
            _ => {}
        }
        FormEvent::None
    }

    /// A paste into the focused text, as typed but in one step, cut at
    /// the field's limit.
    pub fn paste(&mut self, text: &str) -> Pasted {
        if self.stage != Stage::Editing {
            return Pasted::Refused;
        }
        let item = self.focused();
        let Some((what, limit)) = limit_of(item) else {
            return Pasted::Refused;
        };
        let mut pasted = Pasted::Refused;
        self.with_buffer(item, |buffer, kind| {
            let room = limit.saturating_sub(buffer.chars().count());
            let (kept, dropped) = paste::fit(text, room, kind == Kind::Multiline);
            for c in kept.chars() {
                type_char(buffer, kind, c);
            }
            pasted = paste::outcome(&what, limit, kept.chars().count(), dropped);
        });
        pasted
    }

    fn escape(&mut self) -> FormEvent {
        if self.is_dirty() {
            self.stage = Stage::ConfirmDiscard;
            FormEvent::None
        } else {
            FormEvent::Cancel
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let len = self.items().len().max(1);
        let at = self.focus.min(len - 1);
        self.focus = if forward {
            (at + 1) % len
        } else {
            (at + len - 1) % len
        };
    }

    fn focus_on(&mut self, item: Item) {
        if let Some(at) = self.items().iter().position(|&i| i == item) {
            self.focus = at;
        }
    }

    /// Ctrl-S: review when everything is valid; otherwise show every error
    /// and put the cursor on the first one.
    fn ask_review(&mut self) {
        let problems = validate::check(self).2;
        let Some(first) = problems.first() else {
            self.stage = Stage::Review;
            return;
        };
        self.show_errors = true;
        let hidden = problems
            .iter()
            .any(|p| matches!(p.item, Item::Field(f) if fields::ADVANCED.contains(&f)));
        if hidden {
            self.advanced_open = true;
        }
        self.focus_on(first.item);
    }

    fn enter(&mut self, item: Item) {
        match item {
            Item::EnvHeader => self.add_env(),
            Item::Advanced => self.toggle_advanced(),
            Item::Field(f) if f.kind() == Kind::Multiline => {
                self.with_buffer(item, |text, _| text.push('\n'))
            }
            _ => self.move_focus(true),
        }
    }

    fn toggle_advanced(&mut self) {
        self.advanced_open = !self.advanced_open;
        self.focus_on(Item::Advanced);
    }

    fn add_env(&mut self) {
        self.env.push(EnvVar {
            name: String::new(),
            value: String::new(),
            kind: "PLAINTEXT".to_string(),
        });
        self.focus_on(Item::Env(self.env.len() - 1, EnvPart::Name));
    }

    fn delete_env(&mut self, item: Item) {
        let Item::Env(i, _) = item else { return };
        if i >= self.env.len() {
            return;
        }
        self.env.remove(i);
        let next = match self.env.len() {
            0 => Item::EnvHeader,
            n => Item::Env(i.min(n - 1), EnvPart::Name),
        };
        self.focus_on(next);
    }

    /// Runs `edit` on the focused row's text, if it has one.
    fn with_buffer(&mut self, item: Item, edit: impl FnOnce(&mut String, Kind)) {
        let target = match item {
            Item::Field(f) => self.texts.get_mut(f.index()).map(|t| (t, f.kind())),
            Item::Env(i, part) => self.env.get_mut(i).map(|var| match part {
                EnvPart::Name => (&mut var.name, Kind::Text),
                EnvPart::Value => (&mut var.value, Kind::Text),
                EnvPart::Type => (&mut var.kind, Kind::Choice(choices::ENV_VAR_TYPES)),
            }),
            Item::EnvHeader | Item::Advanced => None,
        };
        if let Some((text, kind)) = target {
            edit(text, kind);
        }
    }
}

/// What the focused row's text is called in messages, and its limit.
pub(super) fn limit_of(item: Item) -> Option<(String, usize)> {
    match item {
        Item::Field(f) => Some((f.label().to_string(), f.max_chars())),
        Item::Env(i, part) => {
            let label = format!("environment variable {} {}", i + 1, part.noun());
            Some((label, fields::env_max_chars(part)))
        }
        Item::EnvHeader | Item::Advanced => None,
    }
}

fn type_char(text: &mut String, kind: Kind, c: char) {
    match kind {
        Kind::Toggle if c == ' ' => flip(text),
        Kind::Toggle => {}
        // The SDK's values are upper case without spaces.
        Kind::Choice(_) if c.is_whitespace() => {}
        Kind::Choice(_) | Kind::ChoiceList(_) => text.extend(c.to_uppercase()),
        Kind::Text | Kind::Multiline | Kind::Number { .. } => text.push(c),
    }
}

/// ←/→: the next or previous SDK value; a toggle flips.
fn choose(text: &mut String, kind: Kind, forward: bool) {
    match kind {
        Kind::Toggle => flip(text),
        Kind::Choice(values) => {
            if let Some(next) = cycle(text.trim(), values, forward) {
                *text = next.to_string();
            }
        }
        _ => {}
    }
}

fn flip(text: &mut String) {
    let next = if text == "on" { "off" } else { "on" };
    *text = next.to_string();
}

/// The neighbour of `current` in `values`, wrapping around. Text that is not
/// a value yet jumps to the first value it starts (or, going back, the last).
fn cycle(current: &str, values: &'static [&'static str], forward: bool) -> Option<&'static str> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let at = match values.iter().position(|v| *v == current) {
        Some(i) if forward => (i + 1) % n,
        Some(i) => (i + n - 1) % n,
        None => {
            let prefix = current.to_uppercase();
            let mut matching = (0..n).filter(|&i| values[i].starts_with(&prefix));
            let found = if forward {
                matching.next()
            } else {
                matching.next_back()
            };
            found.unwrap_or(if forward { 0 } else { n - 1 })
        }
    };
    values.get(at).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycling_wraps_and_completes_a_typed_prefix() {
        let values: &'static [&'static str] = &["A_ONE", "B_TWO", "B_THREE"];
        assert_eq!(cycle("B_THREE", values, true), Some("A_ONE"));
        assert_eq!(cycle("A_ONE", values, false), Some("B_THREE"));
        assert_eq!(cycle("b", values, true), Some("B_TWO"));
        assert_eq!(cycle("zzz", values, true), Some("A_ONE"));
        assert_eq!(cycle("", &[], true), None);
    }

    #[test]
    fn a_toggle_leaves_not_set_on_the_first_press() {
        let mut text = String::new();
        type_char(&mut text, Kind::Toggle, ' ');
        assert_eq!(text, "on");
        choose(&mut text, Kind::Toggle, true);
        assert_eq!(text, "off");
    }
}
