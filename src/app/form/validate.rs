//! Turns the form's texts into overrides, collecting every problem at once
//! so the user can fix them all before anything is sent.

use super::fields::{self, target, Field, Kind, Target};
use super::{EnvPart, Form, Item};
use crate::domain::choices;
use crate::domain::{BatchConfig, EnvVar, Overrides};

/// A value the API would refuse, tied to the row that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub item: Item,
    pub label: String,
    pub message: String,
}

/// CodeBuild reserves this prefix for its own variables.
const RESERVED_PREFIX: &str = "CODEBUILD_";

/// The parsed values and every problem, in display order.
pub(super) fn check(form: &Form) -> (Overrides, BatchConfig, Vec<Problem>) {
    let mut overrides = Overrides::default();
    let mut batch = BatchConfig::default();
    let mut problems = Vec::new();
    let mut parse = |field: Field, problems: &mut Vec<Problem>| {
        let text = form.text(field);
        let checked = within(text, field.max_chars())
            .and_then(|()| store(field, text, &mut overrides, &mut batch));
        if let Err(message) = checked {
            problems.push(Problem {
                item: Item::Field(field),
                label: field.label().to_string(),
                message,
            });
        }
    };
    parse(Field::SourceVersion, &mut problems);
    let env_vars = check_env(form.env_vars(), form.missing(), &mut problems);
    let batch_fields: &[Field] = if form.is_batch() { &fields::BATCH } else { &[] };
    for &field in fields::MAIN
        .iter()
        .chain(&fields::ADVANCED)
        .chain(batch_fields)
    {
        parse(field, &mut problems);
    }
    overrides.env_vars = env_vars;
    (overrides, batch, problems)
}

/// Longer than the API takes: refused before sending.
fn within(text: &str, max: usize) -> Result<(), String> {
    let n = text.chars().count();
    if n > max {
        return Err(format!("is {n} characters; at most {max} are allowed"));
    }
    Ok(())
}

fn store(field: Field, text: &str, o: &mut Overrides, b: &mut BatchConfig) -> Result<(), String> {
    let kind = field.kind();
    match target(field, o, b) {
        Target::Text(v) => *v = parse_text(kind, text)?,
        Target::Number(v) => *v = parse_number(kind, text)?,
        Target::Flag(v) => *v = parse_flag(text),
        Target::List(v) => *v = parse_list(kind, text)?,
    }
    Ok(())
}

/// Empty means "leave the project's setting".
fn parse_text(kind: Kind, text: &str) -> Result<Option<String>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    match kind {
        // A buildspec's indentation and trailing newline are meaningful.
        Kind::Multiline => Ok(Some(text.to_string())),
        Kind::Choice(values) if !values.contains(&trimmed) => Err(format!(
            "unknown value \"{trimmed}\": ←/→ shows the allowed ones"
        )),
        _ => Ok(Some(trimmed.to_string())),
    }
}

fn parse_number(kind: Kind, text: &str) -> Result<Option<i32>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let n: i64 = trimmed
        .parse()
        .map_err(|_| "must be a whole number".to_string())?;
    if let Kind::Number { min, max } = kind {
        let out_of_range = n < min || max.is_some_and(|max| n > max);
        if out_of_range {
            return Err(match max {
                Some(max) => format!("must be between {min} and {max}"),
                None => format!("must be {min} or more"),
            });
        }
    }
    i32::try_from(n)
        .map(Some)
        .map_err(|_| "is too large".to_string())
}

fn parse_flag(text: &str) -> Option<bool> {
    match text {
        "on" => Some(true),
        "off" => Some(false),
        _ => None,
    }
}

/// Comma-separated; every entry must be one of the SDK's values.
fn parse_list(kind: Kind, text: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = split_list(text).map(str::to_string).collect();
    if let Kind::ChoiceList(values) = kind {
        if let Some(bad) = items.iter().find(|i| !values.contains(&i.as_str())) {
            return Err(format!("unknown value \"{bad}\""));
        }
    }
    Ok(items)
}

pub(super) fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn check_env(vars: &[EnvVar], missing: &[String], problems: &mut Vec<Problem>) -> Vec<EnvVar> {
    let types = choices::ENV_VAR_TYPES;
    let mut out: Vec<EnvVar> = Vec::with_capacity(vars.len());
    for (i, var) in vars.iter().enumerate() {
        let mut report = |part, message: String| {
            problems.push(Problem {
                item: Item::Env(i, part),
                label: format!("environment variable {}", i + 1),
                message,
            })
        };
        let name = var.name.trim();
        let kind = var.kind.trim();
        if name.is_empty() {
            report(EnvPart::Name, "name is empty".into());
        } else if name.starts_with(RESERVED_PREFIX) {
            report(
                EnvPart::Name,
                format!("names starting with {RESERVED_PREFIX} are reserved"),
            );
        } else if out.iter().any(|v| v.name == name) {
            report(EnvPart::Name, format!("name {name} is already used"));
        }
        for (part, text) in [(EnvPart::Name, &var.name), (EnvPart::Value, &var.value)] {
            if let Err(message) = within(text, fields::env_max_chars(part)) {
                report(part, format!("{} {message}", part.noun()));
            }
        }
        if !types.contains(&kind) {
            report(
                EnvPart::Type,
                format!("type must be one of {}", types.join(", ")),
            );
        } else if kind != "PLAINTEXT" && var.value.trim().is_empty() {
            report(
                EnvPart::Value,
                "value must name the parameter or secret".into(),
            );
        } else if var.value.is_empty() && missing.contains(&var.name) {
            report(
                EnvPart::Value,
                "value was not saved with the preset: type it, or Ctrl-D drops it".into(),
            );
        }
        out.push(EnvVar {
            name: name.to_string(),
            value: var.value.clone(),
            kind: kind.to_string(),
        });
    }
    out
}
