//! Typed reads of document values, each failing with the value's position.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeString, DeTable, DeValue};
use toml::Spanned;

use super::error::{closest, quoted, ConfigError};

pub(super) type Key<'i> = Spanned<DeString<'i>>;
pub(super) type Val<'i> = Spanned<DeValue<'i>>;

pub(super) struct Doc<'a> {
    pub text: &'a str,
    pub path: &'a Path,
}

/// A table's entries in file order, so the first problem reported is the
/// first one in the file.
pub(super) fn entries<'t, 'i>(table: &'t DeTable<'i>) -> Vec<(&'t Key<'i>, &'t Val<'i>)> {
    let mut out: Vec<_> = table.iter().collect();
    out.sort_by_key(|(k, _)| k.span().start);
    out
}

/// The dotted path of `name` under `prefix`. Names that are not plain are
/// quoted and escaped, as they come from the file and end up on a terminal.
pub(super) fn join(prefix: &str, name: &str) -> String {
    let plain = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let name = if plain {
        name.to_string()
    } else {
        quoted(name)
    };
    if prefix.is_empty() {
        name
    } else {
        format!("{prefix}.{name}")
    }
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Doc<'_> {
    pub fn error(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::at(
            self.path,
            self.text,
            span,
            Some(key.to_string()),
            message.into(),
        )
    }

    /// `key` (under `prefix`) is not one of `known`.
    pub fn unknown_key(&self, key: &Key<'_>, prefix: &str, known: &[&str]) -> ConfigError {
        let name = key.get_ref().as_ref();
        let message = match closest(name, known) {
            Some(hint) => format!("unknown key, did you mean `{hint}`?"),
            None => format!("unknown key, expected one of: {}", known.join(", ")),
        };
        self.error(key.span(), &join(prefix, name), message)
    }

    pub fn wrong_type(&self, v: &Val<'_>, key: &str, expected: &str) -> ConfigError {
        let found = kind(v.get_ref());
        self.error(v.span(), key, format!("expected {expected}, found {found}"))
    }

    /// The value as written, for "(got ...)" in messages.
    pub fn got(&self, v: &Val<'_>) -> String {
        let raw = self.text.get(v.span()).unwrap_or("?");
        let short: String = raw.chars().take(40).collect();
        short.escape_debug().to_string()
    }

    pub fn bool(&self, v: &Val<'_>, key: &str) -> Result<bool, ConfigError> {
        match v.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.wrong_type(v, key, "true or false")),
        }
    }

    /// A non-empty string.
    pub fn string<'v>(&self, v: &'v Val<'_>, key: &str) -> Result<&'v str, ConfigError> {
        match v.get_ref() {
            DeValue::String(s) if s.is_empty() => {
                Err(self.error(v.span(), key, "must not be empty"))
            }
            DeValue::String(s) => Ok(s.as_ref()),
            _ => Err(self.wrong_type(v, key, "a string")),
        }
    }

    pub fn int_in(&self, v: &Val<'_>, key: &str, min: u64, max: u64) -> Result<u64, ConfigError> {
        let DeValue::Integer(i) = v.get_ref() else {
            return Err(self.wrong_type(v, key, "an integer"));
        };
        i128::from_str_radix(i.as_str(), i.radix())
            .ok()
            .filter(|n| (i128::from(min)..=i128::from(max)).contains(n))
            .and_then(|n| u64::try_from(n).ok())
            .ok_or_else(|| {
                let got = self.got(v);
                self.error(
                    v.span(),
                    key,
                    format!("must be between {min} and {max} (got {got})"),
                )
            })
    }

    /// A number; integers are accepted where a float is expected. May be
    /// NaN or infinite, which every range check rejects.
    pub fn number(&self, v: &Val<'_>, key: &str) -> Result<f64, ConfigError> {
        match v.get_ref() {
            DeValue::Float(f) => Ok(f.as_str().parse().unwrap_or(f64::NAN)),
            DeValue::Integer(i) => {
                Ok(i128::from_str_radix(i.as_str(), i.radix()).map_or(f64::NAN, |n| n as f64))
            }
            _ => Err(self.wrong_type(v, key, "a number")),
        }
    }

    pub fn array<'v, 'i>(
        &self,
        v: &'v Val<'i>,
        key: &str,
        expected: &str,
    ) -> Result<&'v [Val<'i>], ConfigError> {
        match v.get_ref() {
            DeValue::Array(a) => Ok(a),
            _ => Err(self.wrong_type(v, key, expected)),
        }
    }

    pub fn table<'v, 'i>(&self, v: &'v Val<'i>, key: &str) -> Result<&'v DeTable<'i>, ConfigError> {
        match v.get_ref() {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.wrong_type(v, key, "a table")),
        }
    }

    /// A list of non-empty strings.
    pub fn strings(&self, v: &Val<'_>, key: &str) -> Result<Vec<String>, ConfigError> {
        self.array(v, key, "a list of strings")?
            .iter()
            .map(|item| self.string(item, key).map(str::to_string))
            .collect()
    }
}
