//! JSON for scripts that is exact and still inert on a terminal: every
//! character the sanitiser would change is written as a `\u` escape, so
//! the value parses back the same and nothing in it acts on the terminal
//! (serde_json alone escapes only U+0000 to U+001F).

use std::io::{self, Write};

use serde::Serialize;

use super::inert;

struct Escaping;

impl serde_json::ser::Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if inert(fragment) == fragment {
            return writer.write_all(fragment.as_bytes());
        }
        let (mut bytes, mut units) = ([0u8; 4], [0u16; 2]);
        for c in fragment.chars() {
            let one = c.encode_utf8(&mut bytes);
            if inert(one) == *one {
                writer.write_all(one.as_bytes())?;
            } else {
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// `value` as one line of JSON, inert.
pub fn json_line(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, Escaping);
    // Writing to a Vec fails only on a value serde cannot represent.
    if value.serialize(&mut serializer).is_err() {
        return "null".to_string();
    }
    String::from_utf8(out).unwrap_or_else(|_| "null".to_string())
}

#[cfg(test)]
mod tests {
    use super::json_line;

    #[test]
    fn controls_and_invisible_characters_are_escaped_and_the_value_is_kept() {
        let hostile = "main\u{9b}31m\u{202e}txt\u{1b}]0;x\u{7}\u{7f} café 🚀";
        let value = serde_json::json!({ "branch": hostile });
        let line = json_line(&value);
        for raw in ['\u{9b}', '\u{202e}', '\u{1b}', '\u{7}', '\u{7f}'] {
            assert!(!line.contains(raw), "{line:?}");
        }
        assert!(
            line.contains("\\u009b") && line.contains("\\u202e"),
            "{line}"
        );
        assert!(
            line.contains("café 🚀"),
            "printable text stays as it is: {line}"
        );
        let back: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(back, value);
    }
}
