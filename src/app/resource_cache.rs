//! What is known of the resource metrics of the builds looked at: kept in
//! the state; `resources.rs` and `idle.rs` decide what to ask for and take
//! the answers.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::domain::metrics::{BuildResources, MetricName};
use crate::domain::BuildId;

/// Builds whose metrics are remembered at most: the oldest looked at are
/// forgotten first.
pub(super) const REMEMBERED: usize = 200;

/// The exact names of a build's metrics, as ListMetrics gave them.
#[derive(Debug, Clone, PartialEq)]
pub enum Names {
    Pending,
    Known(Vec<MetricName>),
    /// ListMetrics found none, at this time: not published yet, or gone.
    None {
        at: DateTime<Utc>,
    },
}

/// The values read of a build's metrics.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    pub resources: BuildResources,
    pub at: DateTime<Utc>,
    /// Whether the build had ended when they were read: then they are final.
    pub complete: bool,
}

/// Why no metrics are read in an account and region.
#[derive(Debug, Clone, PartialEq)]
pub enum Unavailable {
    /// AccessDenied: not asked again this session.
    Denied(String),
    /// The region publishes no CodeBuild resource metrics.
    NotInRegion(String),
    /// Another failure; asked again after a pause.
    Failed { message: String, at: DateTime<Utc> },
}

/// The latest CPU check of a running build, for hung detection.
#[derive(Debug, Clone, PartialEq)]
pub struct IdleCheck {
    /// Seconds at the end of the series spent under the threshold.
    pub idle_secs: i64,
    /// The mean CPU % over those seconds.
    pub cpu_pct: f64,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct Resources {
    pub names: HashMap<BuildId, Names>,
    pub sampled: HashMap<BuildId, Sampled>,
    /// Builds being read, each with whether it had ended when asked.
    pub(super) reading: HashMap<BuildId, bool>,
    /// By context.
    pub unavailable: HashMap<u16, Unavailable>,
    /// Contexts whose failure (other than a denial) was said already.
    pub(super) failure_said: HashSet<u16>,
    /// The CPU metric of running builds, from the listing of recently
    /// active ones (hung detection).
    pub cpu_names: HashMap<BuildId, MetricName>,
    /// Builds whose log said exit status 137.
    pub killed: HashSet<BuildId>,
    /// Running builds checked for idleness, by build.
    pub idle: HashMap<BuildId, IdleCheck>,
    /// When each context's running builds are checked next.
    pub(super) idle_due: HashMap<u16, DateTime<Utc>>,
    /// The CPU metrics of a context's recently active builds are being listed.
    pub(super) listing_recent: HashSet<u16>,
    /// Builds in the order they were first looked at, to forget the oldest.
    pub(super) order: Vec<BuildId>,
    /// No screen (`watch`, `ls`): nothing is selected, nothing is read.
    pub headless: bool,
}

impl Resources {
    /// What is shown of `build`'s resources in `context`.
    pub fn view(&self, build: &str, context: u16) -> View<'_> {
        if let Some(sampled) = self.sampled.get(build) {
            if sampled.resources.has_data() {
                return View::Shown(sampled);
            }
        }
        if let Some(why) = self.unavailable.get(&context) {
            return View::Unavailable(why);
        }
        match self.names.get(build) {
            None | Some(Names::Pending) => View::Loading,
            Some(Names::None { .. }) => View::NoData,
            Some(Names::Known(_)) if self.reading.contains_key(build) => View::Loading,
            Some(Names::Known(_)) => View::NoData,
        }
    }

    /// Remembers that `build` was looked at; forgets the oldest past the limit.
    pub(super) fn touch(&mut self, build: &BuildId) {
        if self.order.iter().any(|b| b == build) {
            return;
        }
        self.order.push(build.clone());
        if self.order.len() > REMEMBERED {
            let old = self.order.remove(0);
            self.names.remove(&old);
            self.sampled.remove(&old);
            self.cpu_names.remove(&old);
            self.killed.remove(&old);
        }
    }
}

/// What the details say of a build's resources.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum View<'a> {
    Loading,
    /// Asked, and CloudWatch has no values (yet).
    NoData,
    Unavailable(&'a Unavailable),
    Shown(&'a Sampled),
}
