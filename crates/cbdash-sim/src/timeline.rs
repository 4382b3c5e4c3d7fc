//! A build's whole life computed from its plan: which phases run, when each
//! ends and how. Pure, so any snapshot can be derived from it at any time.

use super::phase::{Context, Phase, Status};

/// How a build would end if nothing (timeout, stop) interrupts it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ending {
    Success,
    /// `phase` ends with `status` (FAILED or FAULT) and this context.
    Breaks {
        phase: Phase,
        status: Status,
        context: Context,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Plan {
    /// Milliseconds per phase, indexed like [`Phase::TIMED`].
    pub durations: [i64; 10],
    pub ending: Ending,
    /// What BUILD prints instead of generated output (a fixture's lines).
    pub output: Option<Vec<String>>,
    /// (milliseconds after BUILD starts, for how long) the build sits idle,
    /// hung on something: its CPU metrics drop to almost nothing.
    pub idle: Option<(i64, i64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Span {
    pub phase: Phase,
    pub start: i64,
    pub end: i64,
    pub status: Status,
    pub context: Context,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Timeline {
    /// Every phase up to and including FINALIZING (a stopped build ends
    /// with the phase it was stopped in).
    pub spans: Vec<Span>,
    /// Start of the COMPLETED phase, i.e. the build's endTime.
    pub completed_at: i64,
    pub status: Status,
}

/// After a failing BUILD or POST_BUILD the remaining phases still run, as
/// the service does; any other failure skips straight to FINALIZING.
fn keeps_running_after(phase: Phase) -> bool {
    matches!(phase, Phase::Build | Phase::PostBuild)
}

/// `timeout_ms` counts from the end of QUEUED (queue time has its own limit).
pub(crate) fn timeline(start: i64, plan: &Plan, timeout_ms: i64, stop_at: Option<i64>) -> Timeline {
    let mut spans = Vec::with_capacity(10);
    let mut t = start;
    let mut status = Status::Succeeded;
    let mut deadline: Option<i64> = None;
    let finalizing = Phase::Finalizing.index();
    let mut idx = 0;
    while idx < finalizing {
        let phase = Phase::TIMED[idx];
        let nominal_end = t + plan.durations[idx];
        if let Some(stop) = stop_at.filter(|s| *s < nominal_end) {
            // The service ends a stopped build at once: the running phase is
            // STOPPED and COMPLETED follows, with no FINALIZING.
            let end = stop.max(t);
            spans.push(span(phase, t, end, Status::Stopped, Context::default()));
            return Timeline {
                spans,
                completed_at: end,
                status: Status::Stopped,
            };
        }
        if let Some(limit) = deadline.filter(|d| *d < nominal_end) {
            let end = limit.max(t);
            spans.push(span(phase, t, end, Status::TimedOut, Context::timed_out()));
            t = end;
            status = Status::TimedOut;
            break;
        }
        let mut next = idx + 1;
        match &plan.ending {
            Ending::Breaks {
                phase: failing,
                status: failed,
                context,
            } if *failing == phase => {
                spans.push(span(phase, t, nominal_end, *failed, context.clone()));
                status = *failed;
                if !keeps_running_after(phase) {
                    next = finalizing;
                }
            }
            _ => spans.push(span(
                phase,
                t,
                nominal_end,
                Status::Succeeded,
                Context::default(),
            )),
        }
        t = nominal_end;
        if phase == Phase::Queued {
            deadline = Some(t + timeout_ms);
        }
        idx = next;
    }
    let mut end = t + plan.durations[finalizing];
    let mut finalized = Status::Succeeded;
    if let Some(stop) = stop_at.filter(|s| *s >= t && *s < end) {
        // A stop while finalizing ends that phase, and the build, at once.
        end = stop;
        finalized = Status::Stopped;
        status = Status::Stopped;
    }
    spans.push(span(
        Phase::Finalizing,
        t,
        end,
        finalized,
        Context::default(),
    ));
    Timeline {
        spans,
        completed_at: end,
        status,
    }
}

fn span(phase: Phase, start: i64, end: i64, status: Status, context: Context) -> Span {
    Span {
        phase,
        start,
        end,
        status,
        context,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(ending: Ending) -> Plan {
        Plan {
            durations: [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000],
            ending,
            output: None,
            idle: None,
        }
    }

    fn phases(tl: &Timeline) -> Vec<(&'static str, &'static str)> {
        tl.spans
            .iter()
            .map(|s| (s.phase.name(), s.status.name()))
            .collect()
    }

    #[test]
    fn success_runs_every_phase_back_to_back() {
        let tl = timeline(0, &plan(Ending::Success), 3_600_000, None);
        assert_eq!(tl.spans.len(), 10);
        assert_eq!(tl.completed_at, 55_000);
        assert!(tl.spans.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(tl.status, Status::Succeeded);
    }

    #[test]
    fn failed_install_skips_to_finalizing() {
        let ending = Ending::Breaks {
            phase: Phase::Install,
            status: Status::Failed,
            context: Context::command_failed("npm ci", 1),
        };
        let tl = timeline(0, &plan(ending), 3_600_000, None);
        let names: Vec<_> = phases(&tl).into_iter().map(|p| p.0).collect();
        assert_eq!(names[4..], ["INSTALL", "FINALIZING"]);
        assert_eq!(tl.status, Status::Failed);
    }

    #[test]
    fn timeout_cuts_the_running_phase() {
        let tl = timeline(0, &plan(Ending::Success), 20_000, None);
        // QUEUED ends at 3 s, so the deadline is 23 s, inside BUILD (21-28 s).
        let last_work = &tl.spans[tl.spans.len() - 2];
        assert_eq!(last_work.phase, Phase::Build);
        assert_eq!(last_work.end, 23_000);
        assert_eq!(tl.status, Status::TimedOut);
    }

    #[test]
    fn stop_ends_the_running_phase_at_that_moment() {
        // DOWNLOAD_SOURCE runs from 6 s to 10 s.
        let tl = timeline(0, &plan(Ending::Success), 3_600_000, Some(8_000));
        assert_eq!(phases(&tl)[3..], [("DOWNLOAD_SOURCE", "STOPPED")]);
        assert_eq!(tl.spans[3].end, 8_000);
        assert_eq!(tl.completed_at, 8_000);
        assert_eq!(tl.status, Status::Stopped);
    }

    #[test]
    fn stop_while_finalizing_cuts_it_short() {
        // FINALIZING runs from 45 s to 55 s.
        let tl = timeline(0, &plan(Ending::Success), 3_600_000, Some(50_000));
        assert_eq!(phases(&tl)[9..], [("FINALIZING", "STOPPED")]);
        assert_eq!(tl.completed_at, 50_000);
        assert_eq!(tl.status, Status::Stopped);
    }
}
