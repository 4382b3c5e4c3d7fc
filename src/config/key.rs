use crossterm::event::{KeyCode, KeyModifiers};

/// A key as written in `[keys]`: `"x"`, `"R"`, `"ctrl-s"`, `"f5"`, `"enter"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// Named keys accepted after any modifiers; `_` and `-` inside are ignored,
/// so `page_up`, `page-up` and `pageup` are the same.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("space", KeyCode::Char(' ')),
];

/// What a key spec may look like, for error messages.
pub(super) const KEY_SYNTAX: &str = "a character (\"x\", \"R\"), f1..f24, or one of enter, esc, \
    tab, backtab, backspace, delete, insert, home, end, page_up, page_down, up, down, left, \
    right, space; optionally after ctrl-, alt- or shift-";

impl KeySpec {
    /// Reads a key spec; `None` if it names no key.
    ///
    /// Upper-case letters and Shift-Tab carry SHIFT, as the built-in
    /// bindings write them.
    pub fn parse(spec: &str) -> Option<KeySpec> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = spec;
        // A lone "-" is the minus key, so only strip while a key remains.
        while let Some((head, tail)) = rest.split_once('-') {
            if tail.is_empty() {
                break;
            }
            modifiers |= match head.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                _ => break,
            };
            rest = tail;
        }
        let mut code = key_code(rest)?;
        if let KeyCode::Char(c) = code {
            if c.is_ascii_uppercase() {
                modifiers |= KeyModifiers::SHIFT;
            } else if c.is_ascii_lowercase() && modifiers.contains(KeyModifiers::SHIFT) {
                code = KeyCode::Char(c.to_ascii_uppercase());
            }
        }
        if code == KeyCode::Tab && modifiers.contains(KeyModifiers::SHIFT) {
            code = KeyCode::BackTab;
        }
        if code == KeyCode::BackTab {
            modifiers |= KeyModifiers::SHIFT;
        }
        Some(KeySpec { code, modifiers })
    }
}

fn key_code(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return (!c.is_control()).then_some(KeyCode::Char(c));
    }
    let folded: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == folded) {
        return Some(*code);
    }
    let n: u8 = folded.strip_prefix('f')?.parse().ok()?;
    (1..=24).contains(&n).then_some(KeyCode::F(n))
}
