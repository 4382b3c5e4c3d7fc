//! What the review screen lists: each field that differs from what the
//! build ran with, worded as the user reads it.

use super::fields::{self, Field, Kind};
use super::validate::split_list;
use super::{Change, Form};
use crate::domain::EnvVar;

/// Stands in for a PLAINTEXT value; fixed width so it hides the length too.
pub const MASK: &str = "••••••";

const NOT_SET: &str = "(not set)";

/// An environment variable's value as it may be shown. PARAMETER_STORE and
/// SECRETS_MANAGER values are references (a parameter name, a secret ARN),
/// so they are marked as such rather than passed off as the secret itself;
/// PLAINTEXT values are hidden when `mask_plaintext` is set.
pub fn masked(var: &EnvVar, mask_plaintext: bool) -> String {
    match var.kind.trim() {
        "PARAMETER_STORE" => format!("ssm:{}", var.value),
        "SECRETS_MANAGER" => format!("secret:{}", var.value),
        _ if mask_plaintext => MASK.to_string(),
        _ => var.value.clone(),
    }
}

/// The value part for an env var row being edited: like `masked`, but an
/// empty value stays empty so the user sees there is nothing yet.
pub(crate) fn env_value_shown(var: &EnvVar, mask_plaintext: bool) -> String {
    if var.value.is_empty() {
        return String::new();
    }
    masked(var, mask_plaintext)
}

/// A field's text as the user reads it: "(not set)" when empty, numbers
/// and lists normalised so "010" and "10" are no change.
pub(crate) fn shown(kind: Kind, text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return NOT_SET.to_string();
    }
    match kind {
        Kind::Multiline => text.to_string(),
        Kind::Number { .. } => trimmed
            .parse::<i64>()
            .map_or_else(|_| trimmed.to_string(), |n| n.to_string()),
        Kind::ChoiceList(_) => split_list(text).collect::<Vec<_>>().join(", "),
        Kind::Text | Kind::Choice(_) | Kind::Toggle => trimmed.to_string(),
    }
}

fn describe(var: &EnvVar, mask_plaintext: bool) -> String {
    format!(
        "{}={} ({})",
        var.name.trim(),
        masked(var, mask_plaintext),
        var.kind.trim()
    )
}

impl Form {
    /// `changes()`, with PLAINTEXT environment values hidden when asked.
    pub fn changes_masked(&self, mask_plaintext: bool) -> Vec<Change> {
        let mut out = Vec::new();
        self.field_change(Field::SourceVersion, &mut out);
        self.env_changes(mask_plaintext, &mut out);
        let batch_fields: &[Field] = if self.batch { &fields::BATCH } else { &[] };
        for &field in fields::MAIN
            .iter()
            .chain(&fields::ADVANCED)
            .chain(batch_fields)
        {
            self.field_change(field, &mut out);
        }
        out
    }

    fn field_change(&self, field: Field, out: &mut Vec<Change>) {
        let before = self
            .original_texts
            .get(field.index())
            .map_or("", String::as_str);
        let old = shown(field.kind(), before);
        let new = shown(field.kind(), self.text(field));
        if old != new {
            out.push(Change {
                field: field.label().to_string(),
                old,
                new,
            });
        }
    }

    /// Variables are matched by name: added, changed, then removed.
    fn env_changes(&self, mask: bool, out: &mut Vec<Change>) {
        let field = || "environment variable".to_string();
        let before = &self.original.env_vars;
        for var in &self.env {
            let name = var.name.trim();
            match before.iter().find(|v| v.name == name) {
                None => out.push(Change {
                    field: field(),
                    old: NOT_SET.to_string(),
                    new: describe(var, mask),
                }),
                Some(old) if old.value != var.value || old.kind != var.kind.trim() => {
                    out.push(Change {
                        field: field(),
                        old: describe(old, mask),
                        new: describe(var, mask),
                    })
                }
                Some(_) => {}
            }
        }
        for old in before {
            if !self.env.iter().any(|v| v.name.trim() == old.name) {
                out.push(Change {
                    field: field(),
                    old: describe(old, mask),
                    new: "(removed)".to_string(),
                });
            }
        }
    }
}
