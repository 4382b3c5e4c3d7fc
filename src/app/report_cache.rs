//! What is known of the reports and report group trends of the builds
//! looked at: kept in the state; `reports.rs` and `trends.rs` decide what
//! to ask for and take the answers.

use std::collections::{HashMap, HashSet};

use crate::domain::{Build, Report, TestCase, TrendField};

/// Builds followed beside the selection (completed while watched) at most.
const FOLLOWED_LIMIT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Asked {
    /// Asked, not answered yet.
    Pending { complete: bool },
    /// Answered; whether the build was complete when asked.
    Answered { complete: bool },
}

/// What is known of reports, by ARN.
#[derive(Debug, Default)]
pub struct Reports {
    pub by_arn: HashMap<String, Report>,
    /// The first few FAILED test cases of a report, shown inline.
    pub failed: HashMap<String, Vec<TestCase>>,
    pub(super) asked: HashMap<String, Asked>,
    pub(super) failed_asked: HashSet<String>,
    /// Builds whose reports are wanted though not selected.
    pub(super) followed: Vec<String>,
    /// No screen (`watch`, `ls`): the selection is nobody's, so only the
    /// followed builds' reports are read.
    pub headless: bool,
}

impl Reports {
    /// The reports of `build` known so far, in its order.
    pub fn of<'a>(&'a self, build: &'a Build) -> impl Iterator<Item = &'a Report> + 'a {
        build.report_arns.iter().filter_map(|a| self.by_arn.get(a))
    }

    /// Also fetch `build`'s reports, though it is not selected.
    pub fn follow(&mut self, build: &str) {
        if !self.followed.iter().any(|b| b == build) && self.followed.len() < FOLLOWED_LIMIT {
            self.followed.push(build.to_string());
        }
    }

    /// Asked for and not answered yet.
    pub fn pending(&self, arn: &str) -> bool {
        matches!(self.asked.get(arn), Some(Asked::Pending { .. }))
    }

    /// Whether `arn` needs asking for, for a build that is complete or not.
    pub(super) fn wanted(&self, arn: &str, complete: bool) -> bool {
        if self.by_arn.get(arn).is_some_and(Report::is_final) {
            return false;
        }
        match self.asked.get(arn) {
            None => true,
            Some(Asked::Pending { .. }) => false,
            // Once more when its build finished since: the report is final now.
            Some(Asked::Answered { complete: then }) => complete && !then,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Trend {
    Pending,
    /// The values, oldest first.
    Known(Vec<f64>),
    Failed,
}

#[derive(Debug, Default)]
pub struct Trends {
    pub(super) by_group: HashMap<(String, TrendField), Trend>,
}

impl Trends {
    /// The values of `field` over `group`'s last reports, oldest first.
    pub fn values(&self, group: &str, field: TrendField) -> Option<&[f64]> {
        match self.by_group.get(&(group.to_string(), field)) {
            Some(Trend::Known(v)) if !v.is_empty() => Some(v),
            _ => None,
        }
    }
}
