//! Build logs as the reader sees them: escape sequences made inert, colours
//! kept, memory bounded, search and the failure line, and hostile lines
//! drawn on ratatui's TestBackend.

use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::Terminal;

use cbdash::logs::{
    first_failure, matches, next_match, parse, prev_match, LogBuffer, Parsed, MARKER,
    MAX_LINE_CHARS,
};
use cbdash::ui::log_text::{draw, LogTextParams};
use cbdash::ui::theme::Theme;

fn text(raw: &str) -> String {
    parse(raw, MAX_LINE_CHARS).text
}

fn no_controls(s: &str) -> bool {
    !s.chars().any(|c| c.is_control())
}

/// The style of the text from byte `at`, as the parser gave it.
fn style_at(p: &Parsed, at: usize) -> Style {
    p.runs
        .iter()
        .find(|r| r.start <= at && at < r.end)
        .map_or(Style::default(), |r| r.style)
}

#[test]
fn clipboard_and_title_writes_are_gone_but_leave_a_marker() {
    for raw in [
        "before\x1b]52;c;ZWNobyBwd25lZA==\x07after",
        "before\x1b]52;c;ZWNobyBwd25lZA==\x1b\\after",
        "before\x1b]0;you have been pwned\x07after",
    ] {
        let shown = text(raw);
        assert_eq!(shown, format!("before{MARKER}after"), "{raw:?}");
    }
}

#[test]
fn screen_clears_cursor_moves_and_c1_controls_are_inert() {
    let shown = text("a\x1b[2Jb\x1b[10;20Hc\x1b[3Ad\x1b[?25le\u{9b}31mf\x1bPq#0;1\x1b\\g\x1b7h");
    assert!(no_controls(&shown), "{shown:?}");
    assert!(!shown.contains('\x1b'));
    assert_eq!(shown.matches(MARKER).count(), 7, "{shown:?}");
    assert!(shown.starts_with(&format!("a{MARKER}b{MARKER}c{MARKER}d")));
    // A lone ESC at the end, and one before text, are marked too.
    assert_eq!(text("x\x1b"), format!("x{MARKER}"));
    assert_eq!(text("\x1b\u{e9}t\u{e9}"), format!("{MARKER}\u{e9}t\u{e9}"));
}

#[test]
fn colours_become_styles_and_reset_ends_them() {
    let p = parse(
        "\x1b[1;31mFAIL\x1b[0m ok \x1b[38;5;208mi\x1b[48;2;1;2;3mj\x1b[92;4mk\x1b[mz",
        MAX_LINE_CHARS,
    );
    assert_eq!(p.text, "FAIL ok ijkz");
    let fail = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
    assert_eq!(style_at(&p, 0), fail);
    assert_eq!(style_at(&p, 3), fail);
    assert_eq!(style_at(&p, 5), Style::default(), "reset");
    assert_eq!(style_at(&p, 8), Style::new().fg(Color::Indexed(208)));
    let bg = Style::new().bg(Color::Rgb(1, 2, 3));
    assert_eq!(style_at(&p, 9), bg.fg(Color::Indexed(208)));
    let k = bg.fg(Color::LightGreen).add_modifier(Modifier::UNDERLINED);
    assert_eq!(style_at(&p, 10), k);
    assert_eq!(style_at(&p, 11), Style::default(), "ESC[m resets too");
}

#[test]
fn progress_bars_show_their_final_state() {
    assert_eq!(text("\r 10%\r 20%"), " 20%");
    assert_eq!(text("Get 10%\rGet 100%\r"), "Get 100%");
    assert_eq!(text("line\r"), "line");
    assert_eq!(text("\x1b[32m 10%\r 20%").as_str(), " 20%");
    let p = parse("\x1b[32m 10%\r 20%", MAX_LINE_CHARS);
    let green = Style::new().fg(Color::Green);
    assert_eq!(style_at(&p, 1), green, "the colour carries over");
}

#[test]
fn tabs_expand_to_stops_of_eight() {
    assert_eq!(text("a\tb"), "a       b");
    assert_eq!(text("12345678\tx"), "12345678        x");
    assert_eq!(text("\t"), " ".repeat(8));
}

#[test]
fn other_control_characters_are_shown_in_caret_notation() {
    assert_eq!(text("a\x07 b\0 c\x08 d\x7f"), "a^G b^@ c^H d^?");
}

#[test]
fn replacement_characters_from_invalid_utf8_pass_through() {
    let bad = "bad \u{fffd}\u{fffd} bytes";
    assert_eq!(text(bad), bad);
}

#[test]
fn unterminated_sequences_do_not_hide_the_rest_of_the_line() {
    let tail = "x".repeat(20_000);
    let shown = text(&format!("\x1b]52;c;{tail}"));
    assert!(shown.len() > 10_000, "only a bounded prefix is swallowed");
    let shown = text(&format!("\x1b[{}mvisible", "1;".repeat(5_000)));
    assert!(shown.ends_with("visible"));
}

#[test]
fn a_megabyte_line_is_bounded_and_draws_quickly() {
    let mut buffer = LogBuffer::new(10);
    let huge = format!("\x1b[31m{}\x1b[0m", "abcdefgh".repeat(131_072));
    let t = Instant::now();
    buffer.push_event(0, &huge);
    let line = buffer.get(0).expect("line");
    assert!(line.text().chars().count() <= MAX_LINE_CHARS + 40);
    assert!(line.text().ends_with("more characters"), "the cut is said");
    assert!(buffer.bytes() < 200_000, "{} bytes", buffer.bytes());
    for wrap in [false, true] {
        let screen = render(&buffer, 200, 50, |p| p.wrap = wrap);
        assert!(screen.contains("abcdefgh"));
    }
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn the_cap_drops_the_oldest_lines_and_counts_them() {
    let mut buffer = LogBuffer::new(3);
    buffer.push_event(1, "one\ntwo\n");
    buffer.push_event(2, "three\nfour\nfive");
    assert_eq!(buffer.len(), 3);
    assert_eq!(buffer.dropped(), 2);
    assert_eq!(buffer.get(0).map(|l| l.text()), Some("three"));
    assert_eq!(
        buffer.get(2).map(|l| (l.text(), l.timestamp_ms())),
        Some(("five", 2))
    );
    let screen = render(&buffer, 80, 10, |_| {});
    assert!(screen.contains("2 older lines were dropped"), "{screen}");
}

#[test]
fn search_ignores_case_and_wraps_around() {
    let mut buffer = LogBuffer::default();
    buffer.push_event(
        0,
        "Error: one\nfine\n\x1b[31mERROR\x1b[0m two, error three\nÉcole error",
    );
    let found = matches(&buffer, "error");
    let at: Vec<_> = found.iter().map(|m| (m.line, m.start, m.end)).collect();
    assert_eq!(at, [(0, 0, 5), (2, 0, 5), (2, 11, 16), (3, 7, 12)]);
    assert_eq!(matches(&buffer, "école").len(), 1);
    assert!(matches(&buffer, "").is_empty());
    assert_eq!(next_match(&found, Some(3)), Some(0));
    assert_eq!(prev_match(&found, Some(0)), Some(3));
    assert_eq!(next_match(&found, None), Some(0));
    assert_eq!(next_match(&[], None), None);
}

#[test]
fn the_failure_line_is_the_codebuild_one() {
    let log = [
        "[Container] 2024/05/01 10:00:00.1 Running command npm ci",
        "npm WARN deprecated: error-ish",
        "[Container] 2024/05/01 10:00:01.1 Phase complete: INSTALL State: SUCCEEDED",
        "test failed: exit status 1 from jest",
        "[Container] 2024/05/01 10:00:09.2 Command did not exit successfully npm test exit status 1",
        "[Container] 2024/05/01 10:00:09.3 Phase complete: BUILD State: FAILED",
        "[Container] 2024/05/01 10:00:10.0 Command did not exit successfully ./notify.sh exit status 2",
        "[Container] 2024/05/01 10:00:10.1 Phase complete: POST_BUILD State: FAILED",
    ];
    let mut buffer = LogBuffer::default();
    buffer.push_event(0, &log.join("\n"));
    assert_eq!(first_failure(&buffer, Some("BUILD")), Some(4));
    assert_eq!(first_failure(&buffer, Some("POST_BUILD")), Some(6));
    assert_eq!(first_failure(&buffer, None), Some(4));
    let mut plain = LogBuffer::default();
    plain.push_event(0, "ok\nERROR: disk full\nexit status 2\n");
    assert_eq!(first_failure(&plain, None), Some(2), "exit status first");
    assert_eq!(first_failure(&LogBuffer::default(), None), None);
}

#[test]
fn following_shows_the_newest_lines_and_scrolling_pauses() {
    let mut buffer = LogBuffer::default();
    for i in 0..1000 {
        buffer.push_event(i, &format!("line {i}\n"));
    }
    let screen = render(&buffer, 100, 12, |p| p.offset = 3);
    assert!(screen.contains("line 999") && screen.contains("following"));
    let screen = render(&buffer, 100, 12, |p| (p.offset, p.follow) = (3, false));
    assert!(screen.contains("│line 3 ") && !screen.contains("line 999"));
    assert!(screen.contains("paused — G resumes") && screen.contains("4–12 of 1000"));
}

/// Draws the buffer following its end; `adjust` changes the parameters.
fn draw_to(buffer: &LogBuffer, w: u16, h: u16, adjust: impl Fn(&mut LogTextParams)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let found = matches(buffer, "pwned");
    let mut p = LogTextParams {
        title: "Log \x1b]0;title\x07",
        status: "live\x1b[2J",
        offset: 0,
        h_scroll: 0,
        wrap: false,
        query: Some("pwned"),
        matches: &found,
        current: (!found.is_empty()).then_some(0),
        follow: true,
    };
    adjust(&mut p);
    terminal
        .draw(|f| draw(f, Rect::new(0, 0, w, h), buffer, &p, Theme::default()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

fn render(buffer: &LogBuffer, w: u16, h: u16, adjust: impl Fn(&mut LogTextParams)) -> String {
    let b = draw_to(buffer, w, h, adjust);
    let mut s = String::new();
    for y in 0..h {
        for x in 0..w {
            s.push_str(b[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

fn hostile() -> LogBuffer {
    let mut buffer = LogBuffer::default();
    buffer.push_event(0, "copy \x1b]52;c;cm0gLXJmIH4=\x07 done\n");
    buffer.push_event(1, "\x1b]0;pwned title\x1b\\set title\n");
    buffer.push_event(2, "\x1b[2J\x1b[H\x1b[31mred\x1b[0m \u{9b}6n bell\x07\n");
    buffer.push_event(3, "bad bytes \u{fffd}\u{fffd} \u{202e}reversed pwned\n");
    buffer.push_event(4, &"x\x1b[1m\ty".repeat(150_000));
    buffer.push_event(5, "last line: pwned?\r\n");
    buffer
}

#[test]
fn hostile_lines_never_reach_the_terminal() {
    let buffer = hostile();
    for (w, h) in [(200, 50), (20, 5)] {
        for wrap in [false, true] {
            for follow in [false, true] {
                let cells = draw_to(&buffer, w, h, |p| {
                    p.wrap = wrap;
                    p.follow = follow;
                    p.h_scroll = 3;
                });
                for cell in cells.content() {
                    let s = cell.symbol();
                    assert!(no_controls(s) && !s.contains('\x1b'), "{s:?} at {w}x{h}");
                }
            }
        }
    }
    let screen = render(&buffer, 200, 50, |p| p.follow = false);
    assert!(screen.contains("copy ␛ done"), "{screen}");
    assert!(screen.contains("bad bytes ��"));
    assert!(screen.contains("“pwned” 1/2"), "{screen}");
    assert_eq!(
        matches(&buffer, "pwned").len(),
        2,
        "removed payloads are not text"
    );
}

#[test]
fn the_current_match_is_highlighted_more_strongly() {
    let buffer = hostile();
    let current = |p: &mut LogTextParams| p.current = Some(1);
    let cells = draw_to(&buffer, 200, 50, current);
    let screen = render(&buffer, 200, 50, current);
    let at = |needle: &str| {
        let (y, row) = screen
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))?;
        let x = row[..row.find("pwned")?].chars().count();
        Some((x as u16, y as u16))
    };
    let other = cells[at("reversed pwned").expect("first match")].style();
    let strong = cells[at("last line").expect("current match")].style();
    let plain = cells[(1, 1)].style();
    assert_eq!(other.bg, Some(Color::Yellow));
    assert_ne!(strong.bg, other.bg);
    assert_ne!(plain.bg, other.bg);
    assert!(strong.add_modifier.contains(Modifier::BOLD));
}
