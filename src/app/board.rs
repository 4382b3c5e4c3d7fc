//! The projects board's figures: one row per project, from the builds
//! loaded (polled, paged and back-filled), sorted by what needs attention.
//! Pure: the same builds and the same `now` give the same board.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::runaway::Durations;
use super::store::BuildStore;
use crate::domain::{Build, Status};

/// Builds of a project the figures look at: the newest this many.
pub const WINDOW: usize = 50;
/// Builds the success rate over "the last N" counts.
pub const LAST_N: usize = 20;
/// Durations drawn in the sparkline.
pub const SPARK: usize = 30;
/// Newest durations against oldest: a project whose median grew by this
/// factor is slowing.
const SLOWING: f64 = 1.5;
/// Builds compared at each end of the window for slowing.
const SLOWING_SAMPLE: usize = 10;

/// What a project needs, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Attention {
    /// Its latest build failed.
    Failing,
    /// The same commit failed and then passed.
    Flaky,
    /// Its builds take much longer than they did.
    Slowing,
    Healthy,
    /// Listed by ListProjects, with no build loaded.
    NoBuilds,
}

impl Attention {
    pub fn as_str(self) -> &'static str {
        match self {
            Attention::Failing => "failing",
            Attention::Flaky => "flaky",
            Attention::Slowing => "slowing",
            Attention::Healthy => "healthy",
            Attention::NoBuilds => "no builds",
        }
    }
}

/// Successes out of the builds that ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    pub succeeded: usize,
    pub total: usize,
}

impl Rate {
    pub fn percent(self) -> Option<f64> {
        (self.total > 0).then(|| self.succeeded as f64 * 100.0 / self.total as f64)
    }

    fn count(&mut self, b: &Build) {
        self.total += 1;
        if b.status == Status::Succeeded {
            self.succeeded += 1;
        }
    }
}

/// One row of the board.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectHealth {
    pub project: String,
    pub context: u16,
    pub attention: Attention,
    /// The latest build that ended: its status and when it ended.
    pub latest: Option<(Status, DateTime<Utc>)>,
    /// Since when it has been red (failing) or green: the end of the
    /// first build of the current streak.
    pub since: Option<DateTime<Utc>>,
    pub last_n: Rate,
    pub day: Rate,
    pub week: Rate,
    /// Of the builds that succeeded in the window.
    pub durations: Option<Durations>,
    /// The newest `SPARK` durations of builds that ended, oldest first.
    pub spark: Vec<f64>,
    /// QUEUED + PROVISIONING, median, in seconds.
    pub queue_p50: Option<i64>,
    /// Builds a day over the last 7 days (or the span of what is loaded,
    /// when shorter).
    pub per_day: f64,
    pub running: usize,
    /// A commit that failed and then passed in the window.
    pub flaky_commit: Option<String>,
    /// Newest median over oldest median, when slowing.
    pub slowing: Option<f64>,
    /// Builds of the project the figures came from.
    pub builds: usize,
}

/// Every project's row, the most urgent first: failing (longest red
/// first), flaky, slowing (most first), healthy (by name), then the
/// `listed` projects no build of which is loaded.
pub fn compute(
    store: &BuildStore,
    listed: &[(u16, String)],
    now: DateTime<Utc>,
) -> Vec<ProjectHealth> {
    // Every build by project (a walk over the store without a lookup per
    // build), then each project's newest first: a window's worth of ended
    // builds, and every running one.
    let mut by_project: HashMap<(&str, u16), (Vec<&Build>, usize), Fnv> =
        HashMap::with_capacity_and_hasher(listed.len().max(64), Fnv::default());
    for b in store.builds.values() {
        by_project
            .entry((b.project.as_str(), b.context))
            .or_default()
            .0
            .push(b);
    }
    for (list, _) in by_project.values_mut() {
        list.sort_unstable_by(|a, b| {
            b.start
                .cmp(&a.start)
                .then_with(|| b.number.cmp(&a.number))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut ended = 0;
        list.retain(|b| {
            if !b.complete {
                return true;
            }
            ended += 1;
            ended <= WINDOW
        });
    }
    let empty: Vec<&Build> = Vec::new();
    let quiet = listed
        .iter()
        .filter(|(c, p)| !by_project.contains_key(&(p.as_str(), *c)))
        .map(|(c, p)| health(p, *c, &empty, now));
    let mut rows: Vec<ProjectHealth> = by_project
        .iter()
        .map(|((project, context), (builds, _))| health(project, *context, builds, now))
        .chain(quiet)
        .collect();
    rows.sort_by(|a, b| {
        a.attention
            .cmp(&b.attention)
            .then_with(|| match a.attention {
                Attention::Failing => a.since.cmp(&b.since),
                Attention::Slowing => b
                    .slowing
                    .unwrap_or(0.0)
                    .total_cmp(&a.slowing.unwrap_or(0.0)),
                _ => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.project.cmp(&b.project))
            .then_with(|| a.context.cmp(&b.context))
    });
    rows
}

/// One project's row from its builds, newest first.
fn health(project: &str, context: u16, builds: &[&Build], now: DateTime<Utc>) -> ProjectHealth {
    let running = builds.iter().filter(|b| !b.complete).count();
    let ended: Vec<&Build> = builds.iter().copied().filter(|b| b.complete).collect();
    let end_of = |b: &Build| b.end.or(b.start).unwrap_or(now);
    let latest = ended.first().map(|b| (b.status.clone(), end_of(b)));
    // The streak: the newest builds that share the latest one's colour.
    let red = |b: &Build| b.status.is_failure();
    let since = ended.first().map(|first| {
        let streak_red = red(first);
        let mut start = end_of(first);
        for b in &ended {
            if b.status == Status::Stopped {
                continue;
            }
            if red(b) != streak_red {
                break;
            }
            start = end_of(b);
        }
        start
    });
    let mut last_n = Rate::default();
    let mut day = Rate::default();
    let mut week = Rate::default();
    for (i, b) in ended.iter().enumerate() {
        let at = end_of(b);
        if i < LAST_N {
            last_n.count(b);
        }
        if now - at <= Duration::hours(24) {
            day.count(b);
        }
        if now - at <= Duration::days(7) {
            week.count(b);
        }
    }
    let secs = |b: &Build| b.elapsed_secs(now);
    let succeeded: Vec<i64> = ended
        .iter()
        .filter(|b| b.status == Status::Succeeded)
        .filter_map(|b| secs(b))
        .collect();
    let slowing = slowing(&succeeded);
    let durations = Durations::of(succeeded);
    let spark: Vec<f64> = ended
        .iter()
        .take(SPARK)
        .rev()
        .filter_map(|b| secs(b).map(|s| s as f64))
        .collect();
    let queued: Vec<i64> = ended.iter().filter_map(|b| queue_secs(b)).collect();
    let queue_p50 = Durations::of(queued).map(|d| d.median);
    let per_day = per_day(builds, now);
    let flaky_commit = flaky(&ended);
    let failing = latest.as_ref().is_some_and(|(s, _)| s.is_failure());
    let attention = if builds.is_empty() {
        Attention::NoBuilds
    } else if failing {
        Attention::Failing
    } else if flaky_commit.is_some() {
        Attention::Flaky
    } else if slowing.is_some() {
        Attention::Slowing
    } else {
        Attention::Healthy
    };
    ProjectHealth {
        project: project.to_string(),
        context,
        attention,
        latest,
        since,
        last_n,
        day,
        week,
        durations,
        spark,
        queue_p50,
        per_day,
        running,
        flaky_commit,
        slowing,
        builds: builds.len(),
    }
}

/// QUEUED and PROVISIONING together, when PROVISIONING is known; in one
/// pass over the first phases.
fn queue_secs(b: &Build) -> Option<i64> {
    let mut queued = 0;
    for p in b.phases.iter().take(4) {
        match p.phase_type.as_ref() {
            "QUEUED" => queued = p.duration_secs.unwrap_or(0),
            "PROVISIONING" => return Some(queued + p.duration_secs?),
            _ => {}
        }
    }
    None
}

/// Builds started in the last 7 days, a day; over a shorter span when the
/// loaded builds do not go back that far.
fn per_day(builds: &[&Build], now: DateTime<Utc>) -> f64 {
    let week = now - Duration::days(7);
    let (mut count, mut oldest) = (0usize, None::<DateTime<Utc>>);
    for start in builds.iter().filter_map(|b| b.start).filter(|s| *s >= week) {
        count += 1;
        oldest = Some(oldest.map_or(start, |o| o.min(start)));
    }
    let Some(oldest) = oldest else {
        return 0.0;
    };
    // A window full of builds reaches back only so far: count per the days
    // it covers, at least one.
    let span = if builds.len() >= WINDOW {
        (now - oldest).num_seconds().max(86_400) as f64 / 86_400.0
    } else {
        7.0
    };
    count as f64 / span.clamp(1.0, 7.0)
}

/// A commit with a failed build and a later successful one, newest first.
fn flaky(ended: &[&Build]) -> Option<String> {
    // Newest first: a success seen before a failure of the same commit is
    // the later one. A window is 50 builds: a list beats a map.
    let mut passed_later: Vec<&str> = Vec::new();
    for b in ended {
        let Some(commit) = b
            .resolved_source_version
            .as_deref()
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        if b.status == Status::Succeeded {
            passed_later.push(commit);
        } else if b.status.is_failure() && passed_later.contains(&commit) {
            return Some(commit.to_string());
        }
    }
    None
}

/// Newest median over oldest median of the successful durations (newest
/// first), when it grew past `SLOWING`.
fn slowing(succeeded: &[i64]) -> Option<f64> {
    if succeeded.len() < 2 * SLOWING_SAMPLE {
        return None;
    }
    let median = |s: &[i64]| {
        let mut v = [0i64; SLOWING_SAMPLE];
        v.copy_from_slice(s);
        v.sort_unstable();
        v[SLOWING_SAMPLE.div_ceil(2) - 1]
    };
    let newest = median(&succeeded[..SLOWING_SAMPLE]);
    let oldest = median(&succeeded[succeeded.len() - SLOWING_SAMPLE..]);
    let ratio = newest as f64 / oldest.max(1) as f64;
    (ratio >= SLOWING).then_some(ratio)
}

/// The board's figures and what its back-fill has asked, kept in the state.
#[derive(Debug, Default)]
pub struct Board {
    pub rows: Vec<ProjectHealth>,
    /// Builds completed or arrived since the rows were computed.
    pub stale: bool,
    /// Projects ListProjects named, by context.
    pub listed: Vec<(u16, String)>,
    /// Contexts whose projects were listed (or are being listed).
    pub(super) listing: std::collections::HashSet<u16>,
    /// Projects back-filled (or being back-filled), never asked twice.
    pub(super) backfilled: std::collections::HashSet<(u16, String)>,
    /// Back-fills asked and not answered yet.
    pub pending: usize,
    /// Back-fills that failed, with the last error.
    pub failed: usize,
    pub last_error: Option<String>,
}

/// FNV-1a for the grouping map: project names are short, and the map lives
/// for one computation, so a fast hash beats SipHash here.
type Fnv = std::hash::BuildHasherDefault<FnvHasher>;

#[derive(Default)]
struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}
