//! A build's test and coverage reports, as the details show them.

use chrono::{DateTime, Utc};

/// What a report measures; kinds newer than the program are kept as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportKind {
    Test,
    CodeCoverage,
    Other(String),
}

impl ReportKind {
    pub fn parse(raw: &str) -> ReportKind {
        match raw {
            "TEST" => ReportKind::Test,
            "CODE_COVERAGE" => ReportKind::CodeCoverage,
            other => ReportKind::Other(other.to_string()),
        }
    }
}

/// Test cases counted by status (the summary's statusCounts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub succeeded: i64,
    pub failed: i64,
    pub error: i64,
    pub skipped: i64,
    pub unknown: i64,
    /// Cases under a status the program does not know.
    pub other: i64,
    pub total: i64,
}

impl Totals {
    /// Adds the cases counted under `status`.
    pub fn add(&mut self, status: &str, n: i64) {
        let slot = match status {
            "SUCCEEDED" => &mut self.succeeded,
            "FAILED" => &mut self.failed,
            "ERROR" => &mut self.error,
            "SKIPPED" => &mut self.skipped,
            "UNKNOWN" => &mut self.unknown,
            _ => &mut self.other,
        };
        *slot = slot.saturating_add(n.max(0));
    }

    /// "12 passed · 2 failed · 1 skipped": the statuses that have cases.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.succeeded, "passed"),
            (self.failed, "failed"),
            (self.error, "errors"),
            (self.skipped, "skipped"),
            (self.unknown, "unknown"),
            (self.other, "other"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "no test cases".to_string()
        } else {
            parts.join(" · ")
        }
    }
}

/// Line and branch coverage of a CODE_COVERAGE report, in percent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    pub line_pct: Option<f64>,
    pub branch_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub arn: String,
    pub name: String,
    pub kind: ReportKind,
    /// GENERATING, SUCCEEDED, FAILED, INCOMPLETE, DELETING, or newer.
    pub status: String,
    pub totals: Option<Totals>,
    pub duration_ns: Option<i64>,
    pub coverage: Option<Coverage>,
    /// When its test cases are deleted (30 days after it was made).
    pub expired: Option<DateTime<Utc>>,
    /// The report group it belongs to, whose trend the details draw.
    pub group_arn: Option<String>,
}

impl Report {
    /// A report that will not change any more: asked for once.
    pub fn is_final(&self) -> bool {
        matches!(self.status.as_str(), "SUCCEEDED" | "FAILED" | "INCOMPLETE")
    }

    /// Its test cases are gone.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expired.is_some_and(|at| at <= now)
    }

    pub fn failed_cases(&self) -> i64 {
        self.totals.as_ref().map_or(0, |t| t.failed + t.error)
    }
}

/// One test case of a TEST report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub report_arn: String,
    pub status: String,
    /// The suite, or the prefix the report format gives.
    pub suite: String,
    pub name: String,
    pub duration_ns: Option<i64>,
    pub message: String,
}

impl TestCase {
    /// The message's first line, as the details show it.
    pub fn first_line(&self) -> &str {
        self.message
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
    }
}

/// A page of DescribeTestCases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CasePage {
    pub cases: Vec<TestCase>,
    pub next_token: Option<String>,
}

/// One file of a CODE_COVERAGE report (DescribeCodeCoverages).
#[derive(Debug, Clone, PartialEq)]
pub struct FileCoverage {
    pub path: String,
    pub line_pct: Option<f64>,
    pub lines_covered: Option<i64>,
    pub lines_missed: Option<i64>,
    pub branch_pct: Option<f64>,
}

/// A page of DescribeCodeCoverages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoveragePage {
    pub files: Vec<FileCoverage>,
    pub next_token: Option<String>,
}

/// What GetReportGroupTrend is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrendField {
    PassRate,
    Duration,
    LineCoverage,
}

impl TrendField {
    /// The API's name of the field.
    pub fn as_str(self) -> &'static str {
        match self {
            TrendField::PassRate => "PASS_RATE",
            TrendField::Duration => "DURATION",
            TrendField::LineCoverage => "LINE_COVERAGE",
        }
    }

    /// The fields drawn for a group of reports of `kind`.
    pub fn for_kind(kind: &ReportKind) -> &'static [TrendField] {
        match kind {
            ReportKind::Test => &[TrendField::PassRate, TrendField::Duration],
            ReportKind::CodeCoverage => &[TrendField::LineCoverage],
            ReportKind::Other(_) => &[],
        }
    }
}
