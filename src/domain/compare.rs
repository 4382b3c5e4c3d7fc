//! What changed between two builds of a project: only the settings and
//! timings that differ, bounded whatever the builds hold.

use std::collections::BTreeMap;

use super::{Build, EnvVar, Status};

/// Environment variable differences listed at most; the rest are counted.
pub const ENV_LIMIT: usize = 40;
/// Phases listed at most (the service has 11; new ones are kept as sent).
pub const PHASE_LIMIT: usize = 20;
/// Characters of one value shown; longer ones end in "…".
pub const VALUE_LIMIT: usize = 120;
/// Variables looked at per build: beyond, they are counted, not compared.
pub const ENV_SCAN_LIMIT: usize = 5_000;

/// One difference: what the build had, what the other had, and a note
/// (a phase's delta, "added", "removed").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub this: String,
    pub other: String,
    pub note: String,
}

/// The two builds as the comparison names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub id: String,
    pub number: Option<i64>,
    pub status: String,
}

impl Side {
    fn of(b: &Build) -> Side {
        Side {
            id: b.id.to_string(),
            number: b.number,
            status: b.status.as_str().to_string(),
        }
    }

    /// "#12 FAILED".
    pub fn title(&self) -> String {
        let number = self
            .number
            .map_or_else(|| "?".to_string(), |n| n.to_string());
        format!("#{number} {}", self.status)
    }
}

/// A build compared with another of the same project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub project: String,
    pub this: Side,
    pub other: Side,
    /// Settings that differ, in a fixed order: source, environment,
    /// variables, buildspec, timeouts, initiator.
    pub settings: Vec<Row>,
    /// Per-phase durations with the delta (this minus other).
    pub phases: Vec<Row>,
    /// Links to the commits, when the source is a known host.
    pub links: Vec<(String, String)>,
    /// Said above the rows: why this other build, what was left out.
    pub notes: Vec<String>,
}

impl Comparison {
    /// Nothing in the settings differs.
    pub fn same_settings(&self) -> bool {
        self.settings.is_empty()
    }
}

/// Compares `this` with `other`; PLAINTEXT values are dots when `mask`.
/// Parameter Store and Secrets Manager values are names, shown as such.
pub fn compare(this: &Build, other: &Build, mask: bool) -> Comparison {
    let (a, b) = (&*this.ran_with, &*other.ran_with);
    let source = |b: &Build| {
        b.source_version
            .clone()
            .or_else(|| b.ran_with.source_version.clone())
    };
    let minutes = |m: Option<i32>| m.map(|m| format!("{m} min"));
    let mut notes = Vec::new();
    let mut settings: Vec<Row> = [
        row("source version", source(this), source(other)),
        row(
            "commit",
            this.resolved_source_version.clone(),
            other.resolved_source_version.clone(),
        ),
        row("image", a.image.clone(), b.image.clone()),
        row(
            "compute type",
            a.compute_type.clone(),
            b.compute_type.clone(),
        ),
        row(
            "environment type",
            a.environment_type.clone(),
            b.environment_type.clone(),
        ),
        row(
            "privileged mode",
            a.privileged_mode.map(|v| v.to_string()),
            b.privileged_mode.map(|v| v.to_string()),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    settings.extend(env_rows(&a.env_vars, &b.env_vars, mask, &mut notes));
    if a.buildspec != b.buildspec {
        let (x, y) = (
            a.buildspec.as_deref().map(buildspec_summary),
            b.buildspec.as_deref().map(buildspec_summary),
        );
        let note = if x == y { "the text differs" } else { "" };
        settings.push(Row {
            label: "buildspec".to_string(),
            this: x.unwrap_or_else(|| "the project's".to_string()),
            other: y.unwrap_or_else(|| "the project's".to_string()),
            note: note.to_string(),
        });
    }
    settings.extend(
        [
            row(
                "timeout",
                minutes(this.timeout_minutes.or(a.timeout_minutes)),
                minutes(other.timeout_minutes.or(b.timeout_minutes)),
            ),
            row(
                "queued timeout",
                minutes(a.queued_timeout_minutes),
                minutes(b.queued_timeout_minutes),
            ),
            row("initiator", this.initiator.clone(), other.initiator.clone()),
        ]
        .into_iter()
        .flatten(),
    );
    let links = [("this commit", this), ("other commit", other)]
        .into_iter()
        .filter_map(|(label, b)| commit_link(b).map(|url| (label.to_string(), url)))
        .filter(|_| this.resolved_source_version != other.resolved_source_version)
        .collect();
    Comparison {
        project: this.project.clone(),
        this: Side::of(this),
        other: Side::of(other),
        settings,
        phases: phase_rows(this, other, &mut notes),
        links,
        notes,
    }
}

/// A row when the two differ.
fn row(label: &str, x: Option<String>, y: Option<String>) -> Option<Row> {
    (x != y).then(|| Row {
        label: label.to_string(),
        this: shown(x.as_deref()),
        other: shown(y.as_deref()),
        note: String::new(),
    })
}

fn shown(v: Option<&str>) -> String {
    v.map_or_else(|| "—".to_string(), cap)
}

/// At most VALUE_LIMIT characters, then "…".
fn cap(v: &str) -> String {
    let mut chars = v.chars();
    let head: String = chars.by_ref().take(VALUE_LIMIT).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// A buildspec as one line: its first line and how many there are.
fn buildspec_summary(spec: &str) -> String {
    let first = spec.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let lines = spec.lines().take(100_000).count();
    if lines > 1 {
        format!("{} ({lines} lines)", cap(first.trim()))
    } else {
        cap(first.trim())
    }
}

/// A variable's value as shown: references by name, PLAINTEXT masked or not.
fn value(v: &EnvVar, mask: bool) -> String {
    if v.is_reference() {
        format!("{} {}", reference_label(&v.kind), cap(&v.value))
    } else if mask {
        "••••••".to_string()
    } else {
        cap(&v.value)
    }
}

fn reference_label(kind: &str) -> &'static str {
    match kind {
        "SECRETS_MANAGER" => "secret ref",
        _ => "parameter ref",
    }
}

fn env_rows(this: &[EnvVar], other: &[EnvVar], mask: bool, notes: &mut Vec<String>) -> Vec<Row> {
    for (vars, whose) in [(this, "this build"), (other, "the other build")] {
        if vars.len() > ENV_SCAN_LIMIT {
            notes.push(format!(
                "{whose} has {} variables: only the first {ENV_SCAN_LIMIT} are compared",
                vars.len()
            ));
        }
    }
    // The last definition of a name wins, as in the service.
    let index = |vars: &[EnvVar]| -> BTreeMap<String, EnvVar> {
        vars.iter()
            .take(ENV_SCAN_LIMIT)
            .map(|v| (v.name.clone(), v.clone()))
            .collect()
    };
    let (a, b) = (index(this), index(other));
    let mut rows = Vec::new();
    let mut more = 0usize;
    let mut push = |row: Row| {
        if rows.len() < ENV_LIMIT {
            rows.push(row);
        } else {
            more += 1;
        }
    };
    for (name, x) in &a {
        let label = format!("env {}", cap(name));
        match b.get(name) {
            None => push(Row {
                label,
                this: value(x, mask),
                other: "—".to_string(),
                note: "added".to_string(),
            }),
            Some(y) if x != y => {
                let (this, other) = (value(x, mask), value(y, mask));
                let note = if x.kind != y.kind {
                    format!("{} → {}", y.kind, x.kind)
                } else if this == other {
                    "value changed".to_string()
                } else {
                    "changed".to_string()
                };
                push(Row {
                    label,
                    this,
                    other,
                    note,
                });
            }
            Some(_) => {}
        }
    }
    for (name, y) in &b {
        if !a.contains_key(name) {
            push(Row {
                label: format!("env {}", cap(name)),
                this: "—".to_string(),
                other: value(y, mask),
                note: "removed".to_string(),
            });
        }
    }
    if more > 0 {
        rows.push(Row {
            label: format!("… {more} more"),
            this: String::new(),
            other: String::new(),
            note: "variables differ".to_string(),
        });
    }
    rows
}

/// Every phase either build went through, in the order the service lists
/// them, with both durations and the delta.
fn phase_rows(this: &Build, other: &Build, notes: &mut Vec<String>) -> Vec<Row> {
    let duration = |b: &Build, name: &str| {
        b.phases
            .iter()
            .find(|p| p.phase_type == name)
            .and_then(|p| p.duration_secs)
    };
    let mut names: Vec<&str> = Vec::new();
    for p in this.phases.iter().chain(&other.phases) {
        if !names.contains(&&*p.phase_type) {
            if names.len() == PHASE_LIMIT {
                notes.push(format!("only the first {PHASE_LIMIT} phases are compared"));
                break;
            }
            names.push(&p.phase_type);
        }
    }
    // Known phases in the service's order, new ones after them as sent.
    let rank = |n: &str| {
        super::PHASE_TYPES
            .iter()
            .position(|k| *k == n)
            .unwrap_or(super::PHASE_TYPES.len())
    };
    names.sort_by_key(|n| rank(n));
    names
        .into_iter()
        .filter_map(|name| {
            let (x, y) = (duration(this, name), duration(other, name));
            if x.is_none() && y.is_none() {
                return None;
            }
            let secs = |d: Option<i64>| d.map_or_else(|| "—".to_string(), crate::text::duration);
            let note = match (x, y) {
                (Some(x), Some(y)) => delta(x.saturating_sub(y)),
                _ => String::new(),
            };
            Some(Row {
                label: cap(name),
                this: secs(x),
                other: secs(y),
                note,
            })
        })
        .collect()
}

/// "+1m05s", "-3s", "=".
fn delta(d: i64) -> String {
    match d {
        0 => "=".to_string(),
        d if d > 0 => format!("+{}", crate::text::duration(d)),
        d => format!("-{}", crate::text::duration(d.saturating_neg())),
    }
}

/// The commit on its host's web page, when the source is GitHub,
/// Bitbucket or CodeCommit and the commit a hash.
pub fn commit_link(b: &Build) -> Option<String> {
    let commit = b.resolved_source_version.as_deref()?;
    if !(7..=64).contains(&commit.len()) || !commit.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let location = b.ran_with.source_location.as_deref()?;
    let kind = b.ran_with.source_type.as_deref().unwrap_or_default();
    let safe = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-_./".contains(&c))
    };
    let repo = |prefix: &str| {
        let path = location.strip_prefix(prefix)?;
        let path = path
            .strip_suffix(".git")
            .unwrap_or(path)
            .trim_end_matches('/');
        (safe(path) && path.split('/').count() == 2).then(|| path.to_string())
    };
    match kind {
        "GITHUB" => {
            repo("https://github.com/").map(|p| format!("https://github.com/{p}/commit/{commit}"))
        }
        "BITBUCKET" => repo("https://bitbucket.org/")
            .map(|p| format!("https://bitbucket.org/{p}/commits/{commit}")),
        "CODECOMMIT" => {
            let rest = location.strip_prefix("https://git-codecommit.")?;
            let (region, path) = rest.split_once(".amazonaws.com/v1/repos/")?;
            let name = path.trim_end_matches('/');
            // A region is a plain name: no dot or slash may move the host.
            let region_ok = !region.is_empty()
                && region
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
            (region_ok && safe(name) && !name.contains('/')).then(|| {
                format!(
                    "https://{region}.console.aws.amazon.com/codesuite/codecommit/repositories/{name}/commit/{commit}?region={region}"
                )
            })
        }
        _ => None,
    }
}

/// Which earlier success to compare with: the newest on the same source
/// version, and the newest of the project whatever its version.
#[derive(Debug, Clone, Copy, Default)]
pub struct Baseline<'a> {
    pub same_source: Option<&'a Build>,
    pub any: Option<&'a Build>,
}

impl<'a> Baseline<'a> {
    /// The build to compare with: same source first.
    pub fn best(&self) -> Option<&'a Build> {
        self.same_source.or(self.any)
    }

    /// Nothing better can be found: the same source matched, or the
    /// target names no source version to match.
    pub fn settled(&self, target: &Build) -> bool {
        self.same_source.is_some() || (target_source(target).is_none() && self.any.is_some())
    }
}

fn target_source(b: &Build) -> Option<&str> {
    b.source_version.as_deref().filter(|s| !s.is_empty())
}

/// Ran before `target`: an earlier start, else a lower number.
fn before(candidate: &Build, target: &Build) -> bool {
    match (candidate.start, target.start) {
        (Some(c), Some(t)) if c != t => c < t,
        _ => match (candidate.number, target.number) {
            (Some(c), Some(t)) => c < t,
            _ => false,
        },
    }
}

fn newer<'a>(x: Option<&'a Build>, y: &'a Build) -> Option<&'a Build> {
    match x {
        Some(x) if (x.start, x.number) >= (y.start, y.number) => Some(x),
        _ => Some(y),
    }
}

/// The newest earlier successes of `target`'s project among `candidates`.
pub fn baseline<'a>(
    target: &Build,
    candidates: impl IntoIterator<Item = &'a Build>,
) -> Baseline<'a> {
    let mut found = Baseline::default();
    let source = target_source(target);
    for c in candidates {
        if c.id == target.id
            || c.project != target.project
            || c.status != Status::Succeeded
            || !before(c, target)
        {
            continue;
        }
        found.any = newer(found.any, c);
        if source.is_some() && c.source_version.as_deref() == source {
            found.same_source = newer(found.same_source, c);
        }
    }
    found
}

/// The comparison as plain lines, for scripts and narrow screens.
pub fn plain_lines(c: &Comparison) -> Vec<String> {
    let mut lines = vec![format!(
        "{}: {} {} compared with {} {}",
        c.project,
        c.this.title(),
        c.this.id,
        c.other.title(),
        c.other.id
    )];
    lines.extend(c.notes.iter().cloned());
    if c.same_settings() {
        lines.push("settings: the same".to_string());
    } else {
        lines.push("settings that differ:".to_string());
        for r in &c.settings {
            let note = if r.note.is_empty() {
                String::new()
            } else {
                format!("  ({})", r.note)
            };
            lines.push(format!("  {}: {} (was {}){note}", r.label, r.this, r.other));
        }
    }
    for (label, url) in &c.links {
        lines.push(format!("  {label}: {url}"));
    }
    if !c.phases.is_empty() {
        lines.push("phases (this, other, delta):".to_string());
        for r in &c.phases {
            let line = format!("  {:<18} {:>8} {:>8}  {}", r.label, r.this, r.other, r.note);
            lines.push(line.trim_end().to_string());
        }
    }
    lines
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
