//! The ASCII-only look, for terminals without Unicode.

use crate::common::fixtures::{code, diamond, mixed, state_with, state_with_batch};
use crate::common::render::screen;
use cbdash::app::update;

#[test]
fn ascii_mode_draws_borders_symbols_and_trees_in_ascii() {
    let mut state = state_with(mixed());
    state.settings.ascii = true;
    let frame = screen(&state, 120, 30);
    let first = frame.lines().nth(1).unwrap_or_default();
    assert!(
        first.starts_with("+ Builds") && first.trim_end().ends_with('+'),
        "{first}"
    );
    assert!(
        !frame.contains('┌')
            && !frame.contains('│')
            && !frame.contains('✔')
            && !frame.contains('✘')
    );
    assert!(
        frame.contains("|x api-service"),
        "failed build marked x: {frame}"
    );
    // Separators, ellipses and warnings too, at any width.
    for (width, height) in [(120, 30), (80, 24), (60, 20)] {
        let frame = screen(&state, width, height);
        let left: Vec<char> = frame.chars().filter(|c| !c.is_ascii()).collect();
        assert!(left.is_empty(), "{left:?} in {frame}");
    }

    let (b, builds) = diamond();
    let mut state = state_with_batch(b, builds);
    state.settings.ascii = true;
    update(&mut state, code(crossterm::event::KeyCode::Enter));
    let frame = screen(&state, 160, 45);
    assert!(
        frame.contains("|-+ build-api") || frame.contains("|-"),
        "{frame}"
    );
    assert!(
        !frame.contains('├') && !frame.contains('└') && !frame.contains('▸'),
        "{frame}"
    );
}
