use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for. Which key does what lives in `BINDINGS` alone; the
/// help screen is generated from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    NextPane,
    PrevPane,
    Expand,
    Collapse,
    Details,
    Back,
    Filter,
    Refresh,
    Open,
    Copy,
    Stop,
    Retry,
    Start,
    /// Relaunch one compute type up (an out-of-memory build).
    Upsize,
    Projects,
    /// The projects board.
    Board,
    Logs,
    Compare,
    Tests,
    Coverage,
    Runaways,
    Watch,
    Sort,
    Contexts,
    Fold,
    Help,
    Quit,
}

pub struct Binding {
    pub keys: &'static [(KeyModifiers, KeyCode)],
    pub action: Action,
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[(NONE, KeyCode::Char('k')), (NONE, KeyCode::Up)],
        action: Action::Up,
        help: "move up",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('j')), (NONE, KeyCode::Down)],
        action: Action::Down,
        help: "move down (past the last build: load older ones)",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('g')), (NONE, KeyCode::Home)],
        action: Action::Top,
        help: "first row",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('G')), (NONE, KeyCode::End)],
        action: Action::Bottom,
        help: "last row",
    },
    Binding {
        keys: &[(NONE, KeyCode::PageUp)],
        action: Action::PageUp,
        help: "page up",
    },
    Binding {
        keys: &[(NONE, KeyCode::PageDown)],
        action: Action::PageDown,
        help: "page down",
    },
    Binding {
        keys: &[(NONE, KeyCode::Right)],
        action: Action::Expand,
        help: "expand a batch: its group builds beneath it",
    },
    Binding {
        keys: &[(NONE, KeyCode::Left)],
        action: Action::Collapse,
        help: "collapse the batch",
    },
    Binding {
        keys: &[(NONE, KeyCode::Tab)],
        action: Action::NextPane,
        help: "next pane",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::BackTab)],
        action: Action::PrevPane,
        help: "previous pane",
    },
    Binding {
        keys: &[(NONE, KeyCode::Enter)],
        action: Action::Details,
        help: "focus the details; in a batch's tree: jump to the group's build",
    },
    Binding {
        keys: &[(NONE, KeyCode::Esc)],
        action: Action::Back,
        help: "back to the builds; clear the filter",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('/'))],
        action: Action::Filter,
        help: "filter by project, ID, status, source version, initiator",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('r'))],
        action: Action::Refresh,
        help: "refresh now",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('o'))],
        action: Action::Open,
        help: "open the selected link in the browser",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('y'))],
        action: Action::Copy,
        help: "copy the selected link (OSC 52, works over SSH)",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('x'))],
        action: Action::Stop,
        help: "stop the selected build or batch (asks first)",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('R'))],
        action: Action::Retry,
        help: "retry the selected build or batch (asks first)",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('s'))],
        action: Action::Start,
        help: "relaunch with overrides: a form prefilled with what it ran with",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('M'))],
        action: Action::Upsize,
        help: "relaunch one compute type up (more memory), through the form",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('l'))],
        action: Action::Logs,
        help: "the build's log, live (in it: / search, n/N, f the failure, G follow, Esc back)",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('c'))],
        action: Action::Compare,
        help: "compare the build with the last success: what changed (Esc back)",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('t'))],
        action: Action::Tests,
        help: "the test cases, failures first (/ keyword, Enter its log line)",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('v'))],
        action: Action::Coverage,
        help: "code coverage by file, lowest first (s: highest first, by path)",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('!')), (NONE, KeyCode::Char('!'))],
        action: Action::Runaways,
        help: "show only runaway builds (running far longer than usual, or near their timeout)",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('w'))],
        action: Action::Watch,
        help: "watch the build: bell and desktop notification when it finishes",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('S'))],
        action: Action::Sort,
        help: "sort the list by start time, duration, status or project",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('P'))],
        action: Action::Projects,
        help: "projects: start a new build of any project",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('b'))],
        action: Action::Board,
        help: "projects board: which projects are red, flaky, slowing",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('C'))],
        action: Action::Contexts,
        help: "accounts and regions: which fail, and why",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('e'))],
        action: Action::Fold,
        help: "expand or fold a long phase context message",
    },
    Binding {
        keys: &[(SHIFT, KeyCode::Char('?')), (NONE, KeyCode::Char('?'))],
        action: Action::Help,
        help: "show or hide this help",
    },
    Binding {
        keys: &[(NONE, KeyCode::Char('q')), (CTRL, KeyCode::Char('c'))],
        action: Action::Quit,
        help: "quit",
    },
];

/// Terminals disagree on whether upper-case letters and Shift-Tab carry
/// SHIFT, so it is ignored where the key itself already says it.
fn normalize(mods: KeyModifiers, code: KeyCode) -> KeyModifiers {
    match code {
        KeyCode::Char(c) if !c.is_ascii_lowercase() => mods - KeyModifiers::SHIFT,
        KeyCode::BackTab => mods - KeyModifiers::SHIFT,
        _ => mods,
    }
}

/// A key the user bound to an action in the config file, replacing that
/// action's default keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Override {
    pub action: Action,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// The config file's name of each action.
pub const ACTION_NAMES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("page_up", Action::PageUp),
    ("page_down", Action::PageDown),
    ("next_pane", Action::NextPane),
    ("prev_pane", Action::PrevPane),
    ("expand", Action::Expand),
    ("collapse", Action::Collapse),
    ("details", Action::Details),
    ("back", Action::Back),
    ("filter", Action::Filter),
    ("refresh", Action::Refresh),
    ("open", Action::Open),
    ("copy", Action::Copy),
    ("stop", Action::Stop),
    ("retry", Action::Retry),
    ("start", Action::Start),
    ("upsize", Action::Upsize),
    ("projects", Action::Projects),
    ("board", Action::Board),
    ("logs", Action::Logs),
    ("compare", Action::Compare),
    ("tests", Action::Tests),
    ("coverage", Action::Coverage),
    ("help", Action::Help),
    ("quit", Action::Quit),
    ("watch", Action::Watch),
    ("runaways", Action::Runaways),
    ("sort", Action::Sort),
    ("contexts", Action::Contexts),
    ("fold", Action::Fold),
];

pub fn action_named(name: &str) -> Option<Action> {
    ACTION_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| *a)
}

/// The action bound to a key press, with the user's overrides first; an
/// overridden action no longer answers to its default keys.
pub fn action_with(key: &KeyEvent, overrides: &[Override]) -> Option<Action> {
    let mods = normalize(key.modifiers, key.code);
    if let Some(o) = overrides
        .iter()
        .find(|o| o.code == key.code && normalize(o.modifiers, o.code) == mods)
    {
        return Some(o.action);
    }
    action_for(key).filter(|a| !overrides.iter().any(|o| o.action == *a))
}

/// The keys shown for a binding: the user's, when overridden.
pub fn labels_with(binding: &Binding, overrides: &[Override]) -> Vec<String> {
    let mine: Vec<String> = overrides
        .iter()
        .filter(|o| o.action == binding.action)
        .map(|o| key_label(o.modifiers, o.code))
        .collect();
    if mine.is_empty() {
        labels(binding)
    } else {
        mine
    }
}

/// The action bound to a key press, if any.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    let mods = normalize(key.modifiers, key.code);
    BINDINGS
        .iter()
        .find(|b| {
            b.keys
                .iter()
                .any(|(m, code)| *code == key.code && normalize(*m, *code) == mods)
        })
        .map(|b| b.action)
}

/// How a key is written in the help screen.
pub fn key_label(mods: KeyModifiers, code: KeyCode) -> String {
    let name = match code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => return "Shift-Tab".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    };
    if mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", name.to_uppercase())
    } else {
        name
    }
}

/// All labels for a binding, deduplicated (`?` is listed with and without SHIFT).
pub fn labels(binding: &Binding) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (m, c) in binding.keys {
        let label = key_label(*m, *c);
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(mods: KeyModifiers, code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn resolves_keys_with_and_without_shift_reporting() {
        assert_eq!(
            action_for(&key(NONE, KeyCode::Char('G'))),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(&key(SHIFT, KeyCode::Char('G'))),
            Some(Action::Bottom)
        );
        assert_eq!(
            action_for(&key(CTRL, KeyCode::Char('c'))),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(&key(NONE, KeyCode::Char('c'))),
            Some(Action::Compare)
        );
        assert_eq!(
            action_for(&key(SHIFT, KeyCode::BackTab)),
            Some(Action::PrevPane)
        );
    }

    #[test]
    fn every_action_has_a_key() {
        for b in BINDINGS {
            assert!(!labels(b).is_empty());
            let (m, c) = b.keys[0];
            assert_eq!(action_for(&key(m, c)), Some(b.action), "{}", b.help);
        }
    }
}
