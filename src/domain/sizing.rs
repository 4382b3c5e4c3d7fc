//! What a build's peak figures say of its compute type: out of memory,
//! too small, or bigger than it needs. Hints from figures, never actions.

use super::metrics::{capacity, next_size_up, short_size, BuildResources, Metric, GENERAL_LADDER};
use super::Build;

/// Memory % at or past which a failure is taken for the memory running out.
pub const OOM_PERCENT: f64 = 95.0;
/// Memory % at or past which a build that did not fail is near the limit.
const TIGHT_PERCENT: f64 = 90.0;
/// Headroom a smaller type must leave: its CPU under 80 %, memory under 70 %.
const SMALLER_CPU: f64 = 80.0;
const SMALLER_MEMORY: f64 = 70.0;
/// Values (minutes) needed before a build's peaks say anything of its size.
const MIN_VALUES: usize = 3;

/// The exit status of a process the kernel killed for memory (128 + 9).
const KILLED: &str = "exit status 137";

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// It failed, and its memory ran out: exit status 137, or memory at
    /// `OOM_PERCENT` or more.
    OutOfMemory {
        killed: bool,
        peak_percent: Option<f64>,
        peak_mb: Option<f64>,
        limit_mb: Option<u32>,
        compute_type: String,
        /// The next compute type up, to relaunch it on.
        next: Option<&'static str>,
    },
    /// Memory came close to the limit.
    Undersized {
        peak_percent: f64,
        compute_type: String,
        next: &'static str,
    },
    /// A smaller type would have held the peaks with room to spare.
    Oversized {
        peak_cpu: f64,
        compute_type: String,
        smaller: &'static str,
    },
}

impl Verdict {
    /// One line for the details.
    pub fn describe(&self) -> String {
        match self {
            Verdict::OutOfMemory {
                killed,
                peak_percent,
                peak_mb,
                limit_mb,
                compute_type,
                ..
            } => {
                let mut text = String::from("out of memory?");
                match (peak_percent, peak_mb, limit_mb) {
                    (Some(p), Some(mb), Some(limit)) => text.push_str(&format!(
                        " used {p:.0} % ({mb:.0} of {limit} MB) on {}",
                        short_size(compute_type)
                    )),
                    (Some(p), _, _) => {
                        text.push_str(&format!(" used {p:.0} % on {}", short_size(compute_type)))
                    }
                    _ => {}
                }
                if *killed {
                    text.push_str(if peak_percent.is_some() {
                        ", then exit status 137"
                    } else {
                        " exit status 137 (killed)"
                    });
                }
                text
            }
            Verdict::Undersized {
                peak_percent,
                compute_type,
                next,
            } => format!(
                "peak memory {peak_percent:.0} % on {}: consider {}",
                short_size(compute_type),
                short_size(next)
            ),
            Verdict::Oversized {
                peak_cpu,
                compute_type,
                smaller,
            } => format!(
                "peak CPU {peak_cpu:.0} % on {}: {} would do",
                short_size(compute_type),
                short_size(smaller)
            ),
        }
    }

    /// The compute type a one-key relaunch would use.
    pub fn relaunch_on(&self) -> Option<&'static str> {
        match self {
            Verdict::OutOfMemory { next, .. } => *next,
            Verdict::Undersized { next, .. } => Some(next),
            Verdict::Oversized { .. } => None,
        }
    }
}

/// Whether any of the build's phase contexts says the kernel killed it.
pub fn killed_in_context(b: &Build) -> bool {
    b.phases
        .iter()
        .flat_map(|p| p.contexts.iter())
        .any(|c| says_killed(&c.message))
}

/// Whether a log line says so.
pub fn killed_in_line(line: &str) -> bool {
    says_killed(line)
}

/// `exit status 137` as a whole number: not 1370, not 13700.
fn says_killed(text: &str) -> bool {
    text.match_indices(KILLED).any(|(at, _)| {
        !text[at + KILLED.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// The build's verdict: `killed_in_log` when its log said exit status 137.
pub fn verdict(
    b: &Build,
    resources: Option<&BuildResources>,
    killed_in_log: bool,
) -> Option<Verdict> {
    let compute_type = b.ran_with.compute_type.clone().unwrap_or_default();
    let limit = capacity(&compute_type);
    let peak_percent = resources.and_then(|r| r.peak(Metric::MemoryPercent));
    let peak_mb = resources.and_then(|r| r.peak(Metric::MemoryMb));
    if b.complete && b.status.is_failure() {
        let killed = killed_in_log || killed_in_context(b);
        if killed || peak_percent.is_some_and(|p| p >= OOM_PERCENT) {
            return Some(Verdict::OutOfMemory {
                killed,
                peak_percent,
                peak_mb,
                limit_mb: limit.map(|c| c.memory_mb),
                next: next_size_up(&compute_type),
                compute_type,
            });
        }
    }
    let r = resources?;
    let enough = r
        .get(Metric::CpuPeak)
        .is_some_and(|s| s.points.len() >= MIN_VALUES);
    if !enough {
        return None;
    }
    if let (Some(p), Some(next)) = (peak_percent, next_size_up(&compute_type)) {
        if p >= TIGHT_PERCENT {
            return Some(Verdict::Undersized {
                peak_percent: p,
                compute_type,
                next,
            });
        }
    }
    // Only a build that ran to its end shows all it needed.
    if !b.complete {
        return None;
    }
    let (cap, peak_cpu) = (limit?, r.peak(Metric::CpuPeak)?);
    let used_vcpus = peak_cpu / 100.0 * f64::from(cap.vcpus);
    let used_mb = peak_mb.or_else(|| Some(peak_percent? / 100.0 * f64::from(cap.memory_mb)))?;
    let smaller = GENERAL_LADDER
        .iter()
        .take_while(|(name, _)| *name != compute_type)
        .find(|(_, c)| {
            used_vcpus / f64::from(c.vcpus) * 100.0 <= SMALLER_CPU
                && used_mb / f64::from(c.memory_mb) * 100.0 <= SMALLER_MEMORY
        })
        .map(|(name, _)| *name)?;
    Some(Verdict::Oversized {
        peak_cpu,
        compute_type,
        smaller,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::Series;
    use crate::domain::{Overrides, Phase, PhaseContext, Status};

    fn build(compute: &str, status: Status) -> Build {
        let mut b = Build::new("p:1");
        b.status = status;
        b.complete = true;
        b.ran_with = std::sync::Arc::new(Overrides {
            compute_type: Some(compute.to_string()),
            ..Overrides::default()
        });
        b
    }

    fn resources(cpu: f64, mem_pct: f64, mem_mb: f64) -> BuildResources {
        let s = |v: f64| Series::from_points((0..10).map(|m| (m * 60, v)).collect());
        BuildResources {
            series: vec![
                (Metric::CpuPeak, s(cpu)),
                (Metric::MemoryPercent, s(mem_pct)),
                (Metric::MemoryMb, s(mem_mb)),
            ],
        }
    }

    #[test]
    fn a_failure_at_the_memory_limit_is_out_of_memory_with_the_next_size() {
        let b = build("BUILD_GENERAL1_SMALL", Status::Failed);
        let v = verdict(&b, Some(&resources(90.0, 99.0, 3041.0)), false);
        assert_eq!(
            v.as_ref().and_then(Verdict::relaunch_on),
            Some("BUILD_GENERAL1_MEDIUM")
        );
        assert_eq!(
            v.map(|v| v.describe()).unwrap_or_default(),
            "out of memory? used 99 % (3041 of 3072 MB) on SMALL"
        );
    }

    #[test]
    fn exit_status_137_alone_names_it_without_figures() {
        let mut b = build("BUILD_GENERAL1_MEDIUM", Status::Failed);
        b.phases.push(Phase {
            phase_type: "BUILD".into(),
            status: Some(Status::Failed),
            start: None,
            end: None,
            duration_secs: None,
            contexts: vec![PhaseContext {
                status_code: "COMMAND_EXECUTION_ERROR".into(),
                message: "Error while executing command: make. Reason: exit status 137".into(),
            }],
        });
        let v = verdict(&b, None, false).map(|v| v.describe());
        assert_eq!(
            v.as_deref(),
            Some("out of memory? exit status 137 (killed)")
        );
        // An ordinary failure is no verdict at all.
        let plain = build("BUILD_GENERAL1_MEDIUM", Status::Failed);
        assert_eq!(verdict(&plain, None, false), None);
    }

    #[test]
    fn only_exit_status_137_itself_says_killed() {
        assert!(killed_in_line("make: *** [all] Error, exit status 137"));
        assert!(killed_in_line("exit status 137."));
        assert!(!killed_in_line("exit status 1370"));
        assert!(killed_in_line("exit status 1370, then exit status 137"));
    }

    #[test]
    fn peaks_give_a_hint_either_way() {
        let tight = build("BUILD_GENERAL1_SMALL", Status::Succeeded);
        let v = verdict(&tight, Some(&resources(70.0, 96.0, 2950.0)), false);
        assert_eq!(
            v.map(|v| v.describe()).as_deref(),
            Some("peak memory 96 % on SMALL: consider MEDIUM")
        );
        let idle = build("BUILD_GENERAL1_LARGE", Status::Succeeded);
        let v = verdict(&idle, Some(&resources(12.0, 8.0, 1200.0)), false);
        assert_eq!(
            v.map(|v| v.describe()).as_deref(),
            Some("peak CPU 12 % on LARGE: SMALL would do")
        );
        // A build that used what it had gets no hint.
        let busy = build("BUILD_GENERAL1_MEDIUM", Status::Succeeded);
        assert_eq!(
            verdict(&busy, Some(&resources(85.0, 60.0, 4300.0)), false),
            None
        );
    }
}
