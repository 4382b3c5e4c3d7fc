//! Every test case of a build's TEST reports, failures first.

use crate::domain::{Build, BuildId, TestCase};

/// Cases held at most: beyond, the view says it stopped reading.
pub const CASE_LIMIT: usize = 10_000;
/// Test cases a DescribeTestCases page holds at most (the service's limit).
pub const CASE_PAGE: i32 = 100;
/// Characters of a keyword at most.
pub const KEYWORD_LIMIT: usize = 200;

/// One DescribeTestCases pass over a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    pub report_arn: String,
    /// Some("FAILED") first; None reads the rest (FAILED ones skipped).
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestsView {
    pub build: BuildId,
    pub context: u16,
    pub title: String,
    /// The passes still to read, the current one first.
    pub passes: Vec<Pass>,
    /// The keyword sent as filter.keyword, if any.
    pub keyword: Option<String>,
    /// The keyword being typed after `/`.
    pub editing: Option<String>,
    pub cases: Vec<TestCase>,
    /// Names of reports whose test cases expired.
    pub expired: Vec<String>,
    /// Names of reports still being generated (no cases until the build ends).
    pub generating: Vec<String>,
    pub error: Option<String>,
    /// The case the cursor is on, and the first line shown.
    pub cursor: usize,
    pub scroll: usize,
    /// Bumped when the keyword changes: pages of an older search are dropped.
    pub generation: u32,
    /// Stopped at CASE_LIMIT.
    pub cut: bool,
    /// Cases asked for a page.
    pub page: i32,
}

impl TestsView {
    pub fn new(build: &Build) -> TestsView {
        TestsView {
            build: build.id.clone(),
            context: build.context,
            title: format!(
                " Tests · {} #{} ",
                build.project,
                build
                    .number
                    .map_or_else(|| "?".to_string(), |n| n.to_string())
            ),
            passes: Vec::new(),
            keyword: None,
            editing: None,
            cases: Vec::new(),
            expired: Vec::new(),
            generating: Vec::new(),
            error: None,
            cursor: 0,
            scroll: 0,
            generation: 0,
            cut: false,
            page: 100,
        }
    }

    pub fn loading(&self) -> bool {
        !self.passes.is_empty() && self.error.is_none()
    }

    pub fn selected(&self) -> Option<&TestCase> {
        self.cases.get(self.cursor)
    }
}
