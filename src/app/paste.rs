//! What a paste brings into a text: controls as spaces (line breaks kept
//! where the text has lines), cut to the room the text has left, and the
//! message saying what was left out.

/// How a paste went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pasted {
    /// Nothing here takes text.
    Refused,
    Taken,
    /// Taken in part; the message says how much was left out.
    Cut(String),
}

/// The part of `pasted` that fits in `room` characters, with `\r\n` as one
/// line break; work stops at the cut, the rest is only counted.
pub fn fit(pasted: &str, room: usize, lines: bool) -> (String, usize) {
    let mut kept = String::with_capacity(pasted.len().min(room.saturating_mul(4)));
    let mut taken = 0;
    let mut chars = pasted.chars().peekable();
    while taken < room {
        let Some(c) = chars.next() else { break };
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        kept.push(match c {
            '\n' | '\r' if lines => '\n',
            c if c.is_control() => ' ',
            c => c,
        });
        taken += 1;
    }
    (kept, chars.count())
}

/// `Taken`, or `Cut` naming what was cut at `limit` when `dropped` is more
/// than nothing.
pub fn outcome(what: &str, limit: usize, kept: usize, dropped: usize) -> Pasted {
    if dropped == 0 {
        return Pasted::Taken;
    }
    Pasted::Cut(format!(
        "pasted text cut: {what} takes at most {limit} characters; \
         {dropped} of the {} pasted were left out",
        kept + dropped
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_spaces_and_line_breaks_stay_only_in_lines() {
        assert_eq!(fit("a\r\nb\tc", 10, false), ("a b c".to_string(), 0));
        assert_eq!(fit("a\r\nb\rc", 10, true), ("a\nb\nc".to_string(), 0));
    }

    #[test]
    fn the_cut_is_counted_in_characters() {
        assert_eq!(fit("ééééé", 2, false), ("éé".to_string(), 3));
        assert_eq!(fit("abc", 0, false), (String::new(), 3));
        assert_eq!(outcome("x", 2, 2, 0), Pasted::Taken);
        let Pasted::Cut(message) = outcome("source version", 2, 2, 3) else {
            panic!("a cut");
        };
        assert!(
            message.contains("at most 2 characters; 3 of the 5"),
            "{message}"
        );
    }
}
