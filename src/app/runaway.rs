//! Typical durations learnt from each project's recent builds, and the
//! rules that flag a running build as a runaway.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::store::BuildStore;
use crate::domain::{Build, Status};

/// How many of a project's latest successful builds set its typical durations.
const SAMPLE: usize = 50;
/// A phase is never "stuck" before this long, however quick it usually is.
const MIN_STUCK_SECS: i64 = 120;

/// When a running build counts as a runaway.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Past this many times the project's p90 duration.
    pub p90_factor: f64,
    /// Past this fraction of the build's own timeout.
    pub timeout_fraction: f64,
    /// In one phase this many times its usual p90.
    pub phase_factor: f64,
    /// Successful builds needed before durations are trusted.
    pub min_history: usize,
    /// A running build under this CPU % ...
    pub idle_cpu_percent: f64,
    /// ... for this many minutes after PROVISIONING looks hung.
    pub idle_minutes: i64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            p90_factor: 1.5,
            timeout_fraction: 0.8,
            phase_factor: 3.0,
            min_history: 5,
            idle_cpu_percent: 2.0,
            idle_minutes: 15,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durations {
    pub median: i64,
    pub p90: i64,
    pub count: usize,
}

impl Durations {
    /// Median and p90 (nearest rank) of `secs`; None when empty.
    pub fn of(mut secs: Vec<i64>) -> Option<Durations> {
        if secs.is_empty() {
            return None;
        }
        secs.sort_unstable();
        let rank =
            |p: f64| secs[((p * secs.len() as f64).ceil() as usize).clamp(1, secs.len()) - 1];
        Some(Durations {
            median: rank(0.5),
            p90: rank(0.9),
            count: secs.len(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectStats {
    pub total: Option<Durations>,
    pub phases: HashMap<String, Durations>,
}

/// Typical durations of every project, from its latest successful builds.
pub fn learn(store: &BuildStore) -> HashMap<String, ProjectStats> {
    let mut samples: HashMap<&str, Vec<&Build>> = HashMap::new();
    for key in store.builds.order() {
        let Some(b) = store.get(&key.id) else {
            continue;
        };
        if b.complete && b.status == Status::Succeeded {
            let list = samples.entry(b.project.as_str()).or_default();
            if list.len() < SAMPLE {
                list.push(b);
            }
        }
    }
    samples
        .into_iter()
        .map(|(project, builds)| {
            let total = Durations::of(
                builds
                    .iter()
                    .filter_map(|b| b.elapsed_secs(b.end.unwrap_or_default()))
                    .collect(),
            );
            let mut per_phase: HashMap<String, Vec<i64>> = HashMap::new();
            for b in &builds {
                for p in &b.phases {
                    if let Some(d) = p.duration_secs {
                        per_phase
                            .entry(p.phase_type.to_string())
                            .or_default()
                            .push(d);
                    }
                }
            }
            let phases = per_phase
                .into_iter()
                .filter_map(|(name, secs)| Durations::of(secs).map(|d| (name, d)))
                .collect();
            (project.to_string(), ProjectStats { total, phases })
        })
        .collect()
}

/// Why a running build is flagged.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    PastTypical {
        elapsed: i64,
        p90: i64,
    },
    NearTimeout {
        elapsed: i64,
        timeout: i64,
    },
    StuckInPhase {
        phase: String,
        elapsed: i64,
        usual: i64,
    },
    /// Its CPU stayed under the idle threshold this long.
    Idle {
        idle_secs: i64,
        cpu_pct: f64,
    },
}

impl Reason {
    pub fn describe(&self) -> String {
        use crate::text::duration;
        match self {
            Reason::PastTypical { elapsed, p90 } => {
                format!(
                    "running {} — p90 for this project is {}",
                    duration(*elapsed),
                    duration(*p90)
                )
            }
            Reason::NearTimeout { elapsed, timeout } => {
                format!(
                    "running {} of its {} timeout",
                    duration(*elapsed),
                    duration(*timeout)
                )
            }
            Reason::StuckInPhase {
                phase,
                elapsed,
                usual,
            } => format!(
                "{} in {phase} — usually {}",
                duration(*elapsed),
                duration(*usual)
            ),
            Reason::Idle { idle_secs, cpu_pct } => {
                format!("idle for {} min at {:.0} % CPU", idle_secs / 60, cpu_pct)
            }
        }
    }

    /// What the flag calls it.
    pub fn label(&self) -> &'static str {
        match self {
            Reason::Idle { .. } => "hung?",
            _ => "runaway:",
        }
    }
}

/// The first rule a running build breaks, if any.
pub fn assess(
    b: &Build,
    stats: Option<&ProjectStats>,
    t: &Thresholds,
    now: DateTime<Utc>,
) -> Option<Reason> {
    if b.complete {
        return None;
    }
    let elapsed = b.elapsed_secs(now)?;
    if let Some(timeout) = b.timeout_minutes.map(|m| i64::from(m) * 60) {
        if timeout > 0 && elapsed as f64 >= t.timeout_fraction * timeout as f64 {
            return Some(Reason::NearTimeout { elapsed, timeout });
        }
    }
    let trusted = |d: &Durations| d.count >= t.min_history;
    if let Some(total) = stats.and_then(|s| s.total).filter(trusted) {
        if elapsed as f64 > t.p90_factor * total.p90 as f64 {
            return Some(Reason::PastTypical {
                elapsed,
                p90: total.p90,
            });
        }
    }
    let phase = b
        .phases
        .iter()
        .rev()
        .find(|p| p.status.is_none() && p.end.is_none())?;
    let in_phase = phase.elapsed_secs(now)?;
    let usual = stats
        .and_then(|s| s.phases.get(phase.phase_type.as_ref()))
        .filter(|d| trusted(d))?;
    let limit = (t.phase_factor * usual.p90 as f64).max(MIN_STUCK_SECS as f64);
    (in_phase as f64 > limit).then(|| Reason::StuckInPhase {
        phase: phase.phase_type.to_string(),
        elapsed: in_phase,
        usual: usual.p90,
    })
}

/// Progress against the project's median, and the time left (negative
/// once past it).
pub fn eta(
    b: &Build,
    stats: Option<&ProjectStats>,
    t: &Thresholds,
    now: DateTime<Utc>,
) -> Option<(f64, i64)> {
    let total = stats?.total.filter(|d| d.count >= t.min_history)?;
    let elapsed = b.elapsed_secs(now)?;
    let median = total.median.max(1);
    Some((elapsed as f64 / median as f64, median - elapsed))
}

/// The idle rule: the latest CPU check of a running build found it under
/// the threshold for the whole period.
pub fn idle(check: Option<&super::resource_cache::IdleCheck>, t: &Thresholds) -> Option<Reason> {
    let c = check?;
    (c.idle_secs >= t.idle_minutes * 60).then_some(Reason::Idle {
        idle_secs: c.idle_secs,
        cpu_pct: c.cpu_pct,
    })
}
