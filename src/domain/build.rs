use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{Overrides, Status};

/// A build ID as CodeBuild spells it (`project:uuid`); cheap to clone.
pub type BuildId = Arc<str>;

#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub id: BuildId,
    pub arn: Option<String>,
    pub project: String,
    pub number: Option<i64>,
    pub status: Status,
    /// Phase type as the service names it (kept raw: new phases show up as-is).
    pub current_phase: Option<String>,
    pub complete: bool,
    pub source_version: Option<String>,
    pub resolved_source_version: Option<String>,
    pub initiator: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub timeout_minutes: Option<i32>,
    pub phases: Vec<Phase>,
    pub logs: LogLinks,
    /// Set when the build runs a group of a batch build.
    pub batch_arn: Option<String>,
    /// The settings it ran with, to relaunch it as it was; shared between
    /// builds that ran with the same (most builds of a project do).
    pub ran_with: Arc<Overrides>,
    /// Which account and region (of those watched) it lives in.
    pub context: u16,
    /// ARNs of the test and coverage reports it made.
    pub report_arns: Vec<String>,
}

impl Build {
    /// A build with only an ID and project: the base for fixtures and partial data.
    pub fn new(id: &str) -> Build {
        let project = id.split_once(':').map_or(id, |(p, _)| p).to_string();
        Build {
            id: Arc::from(id),
            arn: None,
            project,
            number: None,
            status: Status::InProgress,
            current_phase: None,
            complete: false,
            source_version: None,
            resolved_source_version: None,
            initiator: None,
            start: None,
            end: None,
            timeout_minutes: None,
            phases: Vec::new(),
            logs: LogLinks::default(),
            batch_arn: None,
            ran_with: Arc::default(),
            context: 0,
            report_arns: Vec::new(),
        }
    }

    /// The ID of the batch this build belongs to, from its batch ARN.
    pub fn batch_id(&self) -> Option<&str> {
        let (_, id) = self.batch_arn.as_deref()?.split_once(":build-batch/")?;
        (!id.is_empty()).then_some(id)
    }

    /// The phase that decided a failed outcome: the first that did not succeed.
    pub fn failed_phase(&self) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|p| p.status.as_ref().is_some_and(|s| *s != Status::Succeeded))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// Known names are shared statics; new ones are kept as sent.
    pub phase_type: Cow<'static, str>,
    /// None while the phase runs (the service omits it until the phase ends).
    pub status: Option<Status>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub duration_secs: Option<i64>,
    pub contexts: Vec<PhaseContext>,
}

impl Phase {
    pub fn elapsed_secs(&self, now: DateTime<Utc>) -> Option<i64> {
        if let Some(d) = self.duration_secs {
            return Some(d);
        }
        let start = self.start?;
        Some((self.end.unwrap_or(now) - start).num_seconds().max(0))
    }

    /// Contexts that carry something to read (the service writes empty ones on success).
    pub fn meaningful_contexts(&self) -> impl Iterator<Item = &PhaseContext> {
        self.contexts
            .iter()
            .filter(|c| !c.status_code.is_empty() || !c.message.is_empty())
    }
}

/// The phase types CodeBuild documents, in the order builds go through them.
pub const PHASE_TYPES: [&str; 11] = [
    "SUBMITTED",
    "QUEUED",
    "PROVISIONING",
    "DOWNLOAD_SOURCE",
    "INSTALL",
    "PRE_BUILD",
    "BUILD",
    "POST_BUILD",
    "UPLOAD_ARTIFACTS",
    "FINALIZING",
    "COMPLETED",
];

/// A phase type without an allocation per phase when the name is known.
pub fn phase_type(raw: &str) -> Cow<'static, str> {
    match PHASE_TYPES.iter().find(|known| **known == raw) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(raw.to_string()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseContext {
    pub status_code: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogLinks {
    pub group: Option<String>,
    pub stream: Option<String>,
    pub deep_link: Option<String>,
    pub s3_deep_link: Option<String>,
    pub cloudwatch_arn: Option<String>,
    pub s3_arn: Option<String>,
}

/// One row of the log-links pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: &'static str,
    pub value: String,
    /// Opens in a browser (the others are identifiers to copy).
    pub is_url: bool,
}

impl Build {
    /// The links and identifiers the service gave for this build, in the
    /// order the links pane lists them; absent ones are left out.
    pub fn links(&self) -> Vec<Link> {
        let l = &self.logs;
        [
            ("CloudWatch logs", &l.deep_link, true),
            ("S3 logs", &l.s3_deep_link, true),
            ("Log group", &l.group, false),
            ("Log stream", &l.stream, false),
            ("Logs ARN", &l.cloudwatch_arn, false),
            ("S3 logs ARN", &l.s3_arn, false),
            ("Build ARN", &self.arn, false),
        ]
        .into_iter()
        .filter_map(|(label, value, is_url)| {
            value.as_ref().filter(|v| !v.is_empty()).map(|v| Link {
                label,
                value: v.clone(),
                is_url,
            })
        })
        .collect()
    }
}
