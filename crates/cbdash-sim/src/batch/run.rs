//! A batch run's whole life derived from its groups' plans and builds: when
//! each group starts, how it ends, and the batch phases around them. Pure,
//! like a build's timeline, so any snapshot can be derived at any time.

use super::spec::topo_order;
use super::Batch;
use crate::build::Build;
use crate::clock::MINUTE;
use crate::phase::{Context, Status};
use crate::timeline::timeline;

pub(crate) const SUBMITTED: &str = "SUBMITTED";
pub(crate) const DOWNLOAD_BATCHSPEC: &str = "DOWNLOAD_BATCHSPEC";
pub(crate) const IN_PROGRESS: &str = "IN_PROGRESS";
pub(crate) const COMBINE_ARTIFACTS: &str = "COMBINE_ARTIFACTS";

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Fate {
    /// The group's build in this run, or the earlier build it keeps.
    Runs {
        start: i64,
        end: i64,
        status: Status,
        this_run: bool,
    },
    /// A dependency let it down, or the batch was stopped or timed out first.
    NeverStarts,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BatchSpan {
    pub phase: &'static str,
    pub start: i64,
    pub end: i64,
    pub status: Status,
    pub context: Context,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RunView {
    /// One per group, in declaration order.
    pub fates: Vec<Fate>,
    /// Every phase that takes time, up to the final one.
    pub spans: Vec<BatchSpan>,
    /// Start of the final phase, i.e. the batch's endTime.
    pub completed_at: i64,
    pub status: Status,
    /// When the batchspec has been read and the groups are known.
    pub groups_from: Option<i64>,
}

impl RunView {
    /// The phase that marks the end: SUCCEEDED, STOPPED or FAILED (the
    /// service has no TIMED_OUT phase, so a timeout ends in FAILED).
    pub fn final_phase(&self) -> &'static str {
        match self.status {
            Status::Succeeded => "SUCCEEDED",
            Status::Stopped => "STOPPED",
            _ => "FAILED",
        }
    }

    fn close(mut self, span: BatchSpan) -> Self {
        self.completed_at = span.end;
        self.status = span.status;
        self.spans.push(span);
        self
    }
}

fn span(phase: &'static str, (start, end): (i64, i64), status: Status) -> BatchSpan {
    BatchSpan {
        phase,
        start,
        end,
        status,
        context: Context::default(),
    }
}

fn cut_span(phase: &'static str, window: (i64, i64), status: Status) -> BatchSpan {
    let context = if status == Status::TimedOut {
        Context::new(
            "BUILD_BATCH_TIMED_OUT",
            "Build batch has timed out. ".into(),
        )
    } else {
        Context::default()
    };
    BatchSpan {
        context,
        ..span(phase, window, status)
    }
}

/// Every group's fate, dependencies first. A group starts when each of its
/// dependencies has ended, SUCCEEDED or with ignoreFailure set, and not
/// before IN_PROGRESS; the flag tells whether the cutoff kept one from
/// starting.
fn fates(batch: &Batch, builds: &[Build], in_progress: i64, cutoff: i64) -> (Vec<Fate>, bool) {
    let mut fates = vec![Fate::NeverStarts; batch.groups.len()];
    let mut cut = false;
    let nodes: Vec<(&str, &[String])> = batch
        .groups
        .iter()
        .map(|g| (g.identifier.as_str(), g.depends_on.as_slice()))
        .collect();
    for i in topo_order(&nodes).unwrap_or_default() {
        let group = &batch.groups[i];
        fates[i] = if let Some(build) = group.current.and_then(|idx| builds.get(idx)) {
            let tl = build.timeline();
            Fate::Runs {
                start: build.start,
                end: tl.completed_at,
                status: tl.status,
                this_run: build.start >= batch.run.start,
            }
        } else if let Some(planned) = &group.next {
            let mut ready = Some(in_progress);
            for dep in &group.depends_on {
                let j = batch.group_index(dep);
                ready = match j.map(|j| (fates[j], batch.groups[j].ignore_failure)) {
                    Some((Fate::Runs { end, status, .. }, ignore))
                        if status == Status::Succeeded || ignore =>
                    {
                        ready.map(|r| r.max(end))
                    }
                    _ => None,
                };
            }
            match ready {
                Some(start) if start >= cutoff => {
                    cut = true;
                    Fate::NeverStarts
                }
                Some(start) => {
                    let timeout = i64::from(group.settings.timeout_minutes) * MINUTE;
                    let tl = timeline(start, &planned.plan, timeout, Some(cutoff));
                    Fate::Runs {
                        start,
                        end: tl.completed_at,
                        status: tl.status,
                        this_run: true,
                    }
                }
                None => Fate::NeverStarts,
            }
        } else {
            Fate::NeverStarts
        };
    }
    (fates, cut)
}

/// The context of a failed IN_PROGRESS: which groups let the batch down.
fn failure(batch: &Batch, fates: &[Fate]) -> Option<Context> {
    let failed: Vec<String> = batch
        .groups
        .iter()
        .zip(fates)
        .filter_map(|(group, fate)| match fate {
            Fate::Runs { status, .. } if *status != Status::Succeeded && !group.ignore_failure => {
                Some(format!("{} ({})", group.identifier, status.name()))
            }
            _ => None,
        })
        .collect();
    let never = fates.contains(&Fate::NeverStarts);
    if failed.is_empty() && !never {
        return None;
    }
    Some(Context::new(
        "BUILD_GROUP_FAILED",
        format!("Build groups did not succeed: {}", failed.join(", ")),
    ))
}

pub(crate) fn is_complete_at(batch: &Batch, builds: &[Build], now: i64) -> bool {
    now >= simulate(batch, builds).completed_at
}

pub(crate) fn simulate(batch: &Batch, builds: &[Build]) -> RunView {
    let run = &batch.run;
    let deadline = run.start + batch.timeout_ms();
    let (cutoff, cut_status) = match run.stop_at {
        Some(stop) if stop <= deadline => (stop, Status::Stopped),
        _ => (deadline, Status::TimedOut),
    };
    let mut view = RunView {
        fates: vec![Fate::NeverStarts; batch.groups.len()],
        spans: Vec::new(),
        completed_at: run.start,
        status: Status::Succeeded,
        groups_from: None,
    };
    let mut t = run.start;
    for (phase, duration) in [
        (SUBMITTED, run.durations[0]),
        (DOWNLOAD_BATCHSPEC, run.durations[1]),
    ] {
        let end = t + duration;
        if cutoff < end {
            return view.close(cut_span(phase, (t, cutoff.max(t)), cut_status));
        }
        if let Some(problem) = batch
            .spec_error
            .as_ref()
            .filter(|_| phase == DOWNLOAD_BATCHSPEC)
        {
            let context = Context::new("CLIENT_ERROR", format!("CLIENT_ERROR: {problem}"));
            return view.close(BatchSpan {
                context,
                ..span(phase, (t, end), Status::Failed)
            });
        }
        view.spans.push(span(phase, (t, end), Status::Succeeded));
        t = end;
    }
    view.groups_from = Some(t);
    let (fates, never_started) = fates(batch, builds, t, cutoff);
    let ends = fates
        .iter()
        .filter_map(|f| match f {
            Fate::Runs {
                end,
                this_run: true,
                ..
            } => Some(*end),
            _ => None,
        })
        .fold(t, i64::max);
    let failed = failure(batch, &fates);
    view.fates = fates;
    // A build still running at the cutoff is stopped there, and ends there.
    if never_started || ends >= cutoff {
        return view.close(cut_span(IN_PROGRESS, (t, ends.max(cutoff)), cut_status));
    }
    if let Some(context) = failed {
        return view.close(BatchSpan {
            context,
            ..span(IN_PROGRESS, (t, ends), Status::Failed)
        });
    }
    if !batch.combine_artifacts() {
        return view.close(span(IN_PROGRESS, (t, ends), Status::Succeeded));
    }
    view.spans
        .push(span(IN_PROGRESS, (t, ends), Status::Succeeded));
    let end = ends + run.durations[2];
    if cutoff < end {
        return view.close(cut_span(
            COMBINE_ARTIFACTS,
            (ends, cutoff.max(ends)),
            cut_status,
        ));
    }
    view.close(span(COMBINE_ARTIFACTS, (ends, end), Status::Succeeded))
}
