//! The presets file: `{"version":1,"projects":{"<name>":{"presets":[..],"last":{..}}}}`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::{Preset, PresetError};

pub const VERSION: u64 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Document {
    pub version: u64,
    #[serde(default)]
    pub projects: BTreeMap<String, ProjectEntry>,
}

impl Default for Document {
    fn default() -> Document {
        Document {
            version: VERSION,
            projects: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct ProjectEntry {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub presets: Vec<Preset>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<Preset>,
}

impl ProjectEntry {
    pub fn is_empty(&self) -> bool {
        self.presets.is_empty() && self.last.is_none()
    }
}

pub(super) fn parse(path: &Path, bytes: &[u8]) -> Result<Document, PresetError> {
    let corrupt = |err: serde_json::Error| corrupt(path, &err);
    // The version is checked before the shape, so a newer file whose shape
    // changed reads as "newer", not as damaged.
    let found = probe_version(bytes).map_err(corrupt)?;
    if found != VERSION {
        return Err(PresetError::UnsupportedVersion {
            path: path.to_path_buf(),
            found,
        });
    }
    serde_json::from_slice(bytes).map_err(corrupt)
}

pub(super) fn render(doc: &Document) -> serde_json::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(doc)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads only `version`, and requires a JSON object: derived structs would
/// also accept an array such as `[1]`, which is no presets file.
fn probe_version(bytes: &[u8]) -> serde_json::Result<u64> {
    struct Probe;
    impl<'de> Visitor<'de> for Probe {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object with a `version` field")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<u64, A::Error> {
            #[derive(Deserialize)]
            struct Fields {
                version: u64,
            }
            Ok(Fields::deserialize(MapAccessDeserializer::new(map))?.version)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let version = (&mut de).deserialize_map(Probe)?;
    de.end()?;
    Ok(version)
}

fn corrupt(path: &Path, err: &serde_json::Error) -> PresetError {
    let full = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    PresetError::Corrupt {
        path: path.to_path_buf(),
        line: err.line(),
        column: err.column(),
        message: redact_quoted(full.strip_suffix(&position).unwrap_or(&full)),
    }
}

/// serde quotes offending values (`invalid type: string "…"`, `unknown
/// variant `…``), and so do some panics; those may be plaintext
/// environment values, so the text keeps no quoted part.
pub fn redact_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' || c == '`' {
            out.push('…');
            let mut escaped = false;
            for inner in chars.by_ref() {
                if inner == c && !escaped {
                    out.push(c);
                    break;
                }
                escaped = c == '"' && inner == '\\' && !escaped;
            }
        }
    }
    out
}

/// RFC 3339 timestamps, so the file stays readable by hand.
pub(super) mod rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| D::Error::custom("saved_at is not an RFC 3339 timestamp"))
    }
}

#[cfg(test)]
mod tests {
    use super::redact_quoted;

    #[test]
    fn quoted_values_are_hidden() {
        assert_eq!(
            redact_quoted(r#"invalid type: string "hunter\"2", expected i32"#),
            "invalid type: string \"…\", expected i32"
        );
        assert_eq!(
            redact_quoted("unknown variant `hunter2`, expected `PLAINTEXT`"),
            "unknown variant `…`, expected `…`"
        );
        assert_eq!(redact_quoted("no quotes here"), "no quotes here");
    }
}
