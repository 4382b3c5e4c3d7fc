//! Output that is unsafe to copy to a terminal as it is, written by every
//! build of one demo project so a log viewer always has it to cope with:
//! SGR colours (from its npm and Jest), a title change, a clipboard write,
//! screen clearing and cursor movement, carriage-return progress bars,
//! tabs and a 20 000-character line.

/// The project whose builds write it.
pub(crate) const HOSTILE_PROJECT: &str = "web-frontend";

/// Length of the minified line, in characters.
pub(crate) const LONG_LINE_CHARS: usize = 20_000;

/// A progress bar redrawn in place with carriage returns.
pub(crate) fn progress_bar(label: &str) -> String {
    let mut line = String::new();
    for pct in (10..=100).step_by(10) {
        let filled = "#".repeat(pct / 5);
        line.push_str(&format!("\r{pct:>3}% [{filled:<20}] {label}"));
    }
    line
}

/// What Jest and a misbehaving test print before the results.
pub(crate) fn preamble(src_dir: &str) -> Vec<String> {
    vec![
        // OSC 0: set the window title.
        "\x1b]0;jest --ci --coverage\x07".to_string(),
        // Clear the screen and scrollback, cursor home.
        "\x1b[2J\x1b[3J\x1b[H".to_string(),
        "\x1b[1mDetermining test suites to run...\x1b[22m\x1b[1A\x1b[2K\x1b[1G".to_string(),
        // OSC 52: put "evil" on the clipboard.
        "  console.log src/setupTests.ts:4 \x1b]52;c;ZXZpbA==\x07copied session token".to_string(),
        // Save the cursor, jump, blink, restore.
        "\x1b[s\x1b[10;40H\x1b[5m\x1b[41m ATTENTION \x1b[0m\x1b[u".to_string(),
        progress_bar("collecting coverage"),
        "  console.warn\tsrc/lib/featureFlags.ts:17\tflag\tcheckout-v2\tdefaulted\toff".to_string(),
        format!("    at {src_dir}/node_modules/analytics-sdk/dist/index.min.js:1:19321"),
        minified_line(),
    ]
}

/// One line of minified JavaScript, exactly [`LONG_LINE_CHARS`] long.
pub(crate) fn minified_line() -> String {
    let mut line = String::from("> 1 | !function(e,t){\"use strict\";");
    let mut i = 0u32;
    while line.len() < LONG_LINE_CHARS {
        line.push_str(&format!(
            "var a{i}=function(n,r){{return n.map(function(o){{return o*r+{i}}})}},b{i}=a{i}([{i},{},{}],e);t.q{i}=b{i};",
            i * 7 % 13,
            i * 3 % 11
        ));
        i += 1;
    }
    line.truncate(LONG_LINE_CHARS);
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_line_is_exactly_as_long_as_promised() {
        assert_eq!(minified_line().chars().count(), LONG_LINE_CHARS);
    }

    #[test]
    fn progress_redraws_in_place() {
        let bar = progress_bar("x");
        assert_eq!(bar.matches('\r').count(), 10);
        assert!(bar.ends_with("100% [####################] x"));
    }
}
