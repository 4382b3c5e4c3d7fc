//! The files of a build's CODE_COVERAGE reports, lowest coverage first.

use crate::domain::{Build, BuildId, FileCoverage};

/// Files held at most: beyond, the view says it stopped reading.
pub const FILE_LIMIT: usize = 10_000;
/// Files a DescribeCodeCoverages page holds at most (the service's limit).
pub const COVERAGE_PAGE: i32 = 100;

/// The order the service is asked for; `s` goes to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoverageOrder {
    /// LINE_COVERAGE_PERCENTAGE ascending: the least covered first.
    #[default]
    LowestFirst,
    /// LINE_COVERAGE_PERCENTAGE descending.
    HighestFirst,
    /// FILE_PATH ascending.
    ByPath,
}

impl CoverageOrder {
    pub fn next(self) -> CoverageOrder {
        match self {
            CoverageOrder::LowestFirst => CoverageOrder::HighestFirst,
            CoverageOrder::HighestFirst => CoverageOrder::ByPath,
            CoverageOrder::ByPath => CoverageOrder::LowestFirst,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            CoverageOrder::LowestFirst => "lowest coverage first",
            CoverageOrder::HighestFirst => "highest coverage first",
            CoverageOrder::ByPath => "by file path",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CoverageView {
    pub build: BuildId,
    pub context: u16,
    pub title: String,
    /// The coverage reports of the build, by ARN and name.
    pub reports: Vec<(String, String)>,
    /// The reports still to read, the current one first.
    pub pending: Vec<String>,
    pub order: CoverageOrder,
    pub files: Vec<FileCoverage>,
    pub error: Option<String>,
    pub cursor: usize,
    pub scroll: usize,
    /// Bumped when the order changes: pages of an older order are dropped.
    pub generation: u32,
    /// Stopped at FILE_LIMIT.
    pub cut: bool,
    /// Files asked for a page.
    pub page: i32,
}

impl CoverageView {
    pub fn new(build: &Build) -> CoverageView {
        CoverageView {
            build: build.id.clone(),
            context: build.context,
            title: format!(
                " Coverage · {} #{} ",
                build.project,
                build
                    .number
                    .map_or_else(|| "?".to_string(), |n| n.to_string())
            ),
            reports: Vec::new(),
            pending: Vec::new(),
            order: CoverageOrder::default(),
            files: Vec::new(),
            error: None,
            cursor: 0,
            scroll: 0,
            generation: 0,
            cut: false,
            page: 100,
        }
    }

    pub fn loading(&self) -> bool {
        !self.pending.is_empty() && self.error.is_none()
    }
}
