//! What a build and a batch build have in common, as the service shapes
//! both: one borrowed view, so that code showing either is written once.

use chrono::{DateTime, Utc};

use super::{Build, BuildBatch, BuildId, Phase, Status};

/// The fields a build and a batch build share, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Run<'a> {
    pub id: &'a BuildId,
    pub arn: Option<&'a str>,
    pub project: &'a str,
    pub number: Option<i64>,
    pub status: &'a Status,
    pub current_phase: Option<&'a str>,
    pub complete: bool,
    pub source_version: Option<&'a str>,
    pub resolved_source_version: Option<&'a str>,
    pub initiator: Option<&'a str>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub timeout_minutes: Option<i32>,
    pub phases: &'a [Phase],
    /// Which account and region (of those watched) it lives in.
    pub context: u16,
}

impl Run<'_> {
    /// Whole seconds it has run: until its end, or until `now` while it runs.
    pub fn elapsed_secs(&self, now: DateTime<Utc>) -> Option<i64> {
        let start = self.start?;
        let end = if self.complete { self.end? } else { now };
        Some((end - start).num_seconds().max(0))
    }

    /// The source version asked for, else the commit it resolved to.
    pub fn source(&self) -> Option<&str> {
        self.source_version.or(self.resolved_source_version)
    }
}

/// The same field names in both structs: one definition of the view.
macro_rules! run_of {
    ($ty:ty) => {
        impl $ty {
            /// The fields it shares with the other kind of run.
            pub fn run(&self) -> Run<'_> {
                Run {
                    id: &self.id,
                    arn: self.arn.as_deref(),
                    project: &self.project,
                    number: self.number,
                    status: &self.status,
                    current_phase: self.current_phase.as_deref(),
                    complete: self.complete,
                    source_version: self.source_version.as_deref(),
                    resolved_source_version: self.resolved_source_version.as_deref(),
                    initiator: self.initiator.as_deref(),
                    start: self.start,
                    end: self.end,
                    timeout_minutes: self.timeout_minutes,
                    phases: &self.phases,
                    context: self.context,
                }
            }

            /// Whole seconds it has run: until its end, or until `now` while it runs.
            pub fn elapsed_secs(&self, now: DateTime<Utc>) -> Option<i64> {
                self.run().elapsed_secs(now)
            }
        }
    };
}

run_of!(Build);
run_of!(BuildBatch);
