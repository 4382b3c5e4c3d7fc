//! The shape of the file: which keys exist and what each may hold.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::error::{closest, quoted, ConfigError};
use super::key::KEY_SYNTAX;
use super::value::{entries, join, Doc, Val};
use super::{Column, Config, ContextConfig, KeySpec, Runaway, ACTIONS};

const ROOT_KEYS: &[&str] = &[
    "poll_secs",
    "read_only",
    "mask_plaintext",
    "projects",
    "log_lines",
    "max_response_mb",
    "ascii",
    "columns",
    "notify_projects",
    "runaway",
    "contexts",
    "keys",
];
const RUNAWAY_KEYS: &[&str] = &[
    "p90_factor",
    "timeout_fraction",
    "phase_factor",
    "min_history",
    "idle_cpu_percent",
    "idle_minutes",
];
const CONTEXT_KEYS: &[&str] = &["name", "profile", "region", "endpoint_url"];
const COLUMN_NAMES: [&str; 8] = {
    let mut names = [""; 8];
    let mut i = 0;
    while i < names.len() {
        names[i] = Column::ALL[i].name();
        i += 1;
    }
    names
};

pub(super) fn read(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let doc = Doc { text, path };
    let root = DeTable::parse(text).map_err(|e| syntax_error(&doc, &e))?;
    let mut config = Config::default();
    for (k, v) in entries(root.get_ref()) {
        let name = k.get_ref().as_ref();
        match name {
            "poll_secs" => config.poll_secs = Some(doc.int_in(v, name, 1, 3600)?),
            "read_only" => config.read_only = doc.bool(v, name)?,
            "mask_plaintext" => config.mask_plaintext = doc.bool(v, name)?,
            "ascii" => config.ascii = doc.bool(v, name)?,
            "projects" => config.projects = doc.strings(v, name)?,
            "notify_projects" => config.notify_projects = doc.strings(v, name)?,
            "log_lines" => {
                let n = doc.int_in(v, name, 100, 10_000_000)?;
                config.log_lines = Some(usize::try_from(n).unwrap_or(usize::MAX));
            }
            "max_response_mb" => config.max_response_mb = Some(doc.int_in(v, name, 1, 4096)?),
            "columns" => config.columns = Some(columns(&doc, v)?),
            "runaway" => config.runaway = runaway(&doc, v)?,
            "contexts" => config.contexts = contexts(&doc, v)?,
            "keys" => config.keys = keys(&doc, v)?,
            _ => return Err(doc.unknown_key(k, "", ROOT_KEYS)),
        }
    }
    Ok(config)
}

fn syntax_error(doc: &Doc<'_>, e: &toml::de::Error) -> ConfigError {
    let message = e.message().trim().replace('\n', "; ");
    match e.span() {
        Some(span) => {
            // The parser points at the repeated key; name it as written.
            let key = (message == "duplicate key")
                .then(|| doc.text.get(span.clone()))
                .flatten()
                .map(str::trim)
                .map(|raw| {
                    if raw.len() <= 64 && !raw.chars().any(char::is_control) {
                        raw.to_string()
                    } else {
                        quoted(raw)
                    }
                });
            ConfigError::at(doc.path, doc.text, span, key, message)
        }
        None => ConfigError {
            path: doc.path.to_path_buf(),
            line: None,
            column: None,
            key: None,
            message,
        },
    }
}

/// "unknown <what> ..., expected one of: ..." with a suggestion when close.
fn unknown_name(what: &str, name: &str, allowed: &[&str]) -> String {
    let list = allowed.join(", ");
    match closest(name, allowed) {
        Some(hint) => format!(
            "unknown {what} {}, did you mean `{hint}`? Expected one of: {list}",
            quoted(name)
        ),
        None => format!("unknown {what} {}, expected one of: {list}", quoted(name)),
    }
}

fn columns(doc: &Doc<'_>, v: &Val<'_>) -> Result<Vec<Column>, ConfigError> {
    const KEY: &str = "columns";
    let items = doc.array(v, KEY, "a list of column names")?;
    if items.is_empty() {
        return Err(doc.error(v.span(), KEY, "must name at least one column"));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let name = doc.string(item, KEY)?;
        let column = Column::from_name(name).ok_or_else(|| {
            doc.error(
                item.span(),
                KEY,
                unknown_name("column", name, &COLUMN_NAMES),
            )
        })?;
        if out.contains(&column) {
            return Err(doc.error(item.span(), KEY, format!("column `{name}` is listed twice")));
        }
        out.push(column);
    }
    Ok(out)
}

fn runaway(doc: &Doc<'_>, v: &Val<'_>) -> Result<Runaway, ConfigError> {
    let mut out = Runaway::default();
    for (k, v) in entries(doc.table(v, "runaway")?) {
        let name = k.get_ref().as_ref();
        let key = join("runaway", name);
        match name {
            "p90_factor" => out.p90_factor = above_one(doc, v, &key)?,
            "phase_factor" => out.phase_factor = above_one(doc, v, &key)?,
            "timeout_fraction" => {
                let x = doc.number(v, &key)?;
                if !(x > 0.0 && x <= 1.0) {
                    let got = doc.got(v);
                    let message = format!("must be greater than 0 and at most 1.0 (got {got})");
                    return Err(doc.error(v.span(), &key, message));
                }
                out.timeout_fraction = x;
            }
            "min_history" => {
                let n = doc.int_in(v, &key, 1, 1000)?;
                out.min_history = usize::try_from(n).unwrap_or(usize::MAX);
            }
            "idle_cpu_percent" => {
                let x = doc.number(v, &key)?;
                if !(x > 0.0 && x < 100.0) {
                    let got = doc.got(v);
                    let message = format!("must be greater than 0 and under 100 (got {got})");
                    return Err(doc.error(v.span(), &key, message));
                }
                out.idle_cpu_percent = x;
            }
            "idle_minutes" => {
                let n = doc.int_in(v, &key, 1, 24 * 60)?;
                out.idle_minutes = i64::try_from(n).unwrap_or(15);
            }
            _ => return Err(doc.unknown_key(k, "runaway", RUNAWAY_KEYS)),
        }
    }
    Ok(out)
}

/// A factor that must stretch the usual duration: anything up to 1.0 would
/// flag ordinary builds.
fn above_one(doc: &Doc<'_>, v: &Val<'_>, key: &str) -> Result<f64, ConfigError> {
    let x = doc.number(v, key)?;
    if x.is_finite() && x > 1.0 {
        Ok(x)
    } else {
        let got = doc.got(v);
        Err(doc.error(
            v.span(),
            key,
            format!("must be greater than 1.0 (got {got})"),
        ))
    }
}

fn contexts(doc: &Doc<'_>, v: &Val<'_>) -> Result<Vec<ContextConfig>, ConfigError> {
    let items = doc.array(v, "contexts", "an array of tables ([[contexts]])")?;
    let mut out: Vec<ContextConfig> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("contexts[{i}]");
        let context = context(doc, item, &prefix)?;
        if let Some(first) = out.iter().position(|c| c.name == context.name) {
            // Point at the explicit name when there is one.
            let (span, key) = match item.get_ref() {
                DeValue::Table(t) => match t.get("name") {
                    Some(n) => (n.span(), join(&prefix, "name")),
                    None => (item.span(), prefix.clone()),
                },
                _ => (item.span(), prefix.clone()),
            };
            let message = format!(
                "context name {} is already used by contexts[{first}]; give each a distinct `name`",
                quoted(&context.name)
            );
            return Err(doc.error(span, &key, message));
        }
        out.push(context);
    }
    Ok(out)
}

fn context(doc: &Doc<'_>, item: &Val<'_>, prefix: &str) -> Result<ContextConfig, ConfigError> {
    let DeValue::Table(table) = item.get_ref() else {
        return Err(doc.wrong_type(item, prefix, "a table"));
    };
    let (mut name, mut profile, mut region, mut endpoint_url) = (None, None, None, None);
    for (k, v) in entries(table) {
        let field = k.get_ref().as_ref();
        let key = join(prefix, field);
        let slot = match field {
            "name" => &mut name,
            "profile" => &mut profile,
            "region" => &mut region,
            "endpoint_url" => &mut endpoint_url,
            _ => return Err(doc.unknown_key(k, prefix, CONTEXT_KEYS)),
        };
        let s = doc.string(v, &key)?;
        if field == "endpoint_url" && !is_http_url(s) {
            let message = format!("must be an http:// or https:// URL (got {})", quoted(s));
            return Err(doc.error(v.span(), &key, message));
        }
        *slot = Some(s.to_string());
    }
    let name = name.unwrap_or_else(|| default_name(profile.as_deref(), region.as_deref()));
    Ok(ContextConfig {
        name,
        profile,
        region,
        endpoint_url,
    })
}

fn is_http_url(s: &str) -> bool {
    ["http://", "https://"].iter().any(|scheme| {
        s.len() > scheme.len()
            && s.get(..scheme.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(scheme))
    })
}

/// `<profile>/<region>`; a missing profile is the SDK's `default`, a missing
/// region is whatever the profile says, so it is left out.
fn default_name(profile: Option<&str>, region: Option<&str>) -> String {
    let profile = profile.unwrap_or("default");
    match region {
        Some(region) => format!("{profile}/{region}"),
        None => profile.to_string(),
    }
}

fn keys(doc: &Doc<'_>, v: &Val<'_>) -> Result<Vec<(String, KeySpec)>, ConfigError> {
    let mut out = Vec::new();
    for (k, v) in entries(doc.table(v, "keys")?) {
        let action = k.get_ref().as_ref();
        let key = join("keys", action);
        if !ACTIONS.contains(&action) {
            return Err(doc.error(k.span(), &key, unknown_name("action", action, ACTIONS)));
        }
        let spec = doc.string(v, &key)?;
        let parsed = KeySpec::parse(spec).ok_or_else(|| {
            let message = format!("{} is not a key; use {KEY_SYNTAX}", quoted(spec));
            doc.error(v.span(), &key, message)
        })?;
        out.push((action.to_string(), parsed));
    }
    Ok(out)
}
