//! A build compared with the last successful build of its project.

use crate::domain::compare::Comparison;
use crate::domain::Build;

#[derive(Debug, Clone, PartialEq)]
pub enum CompareStatus {
    /// Looking through the project's older builds for a success.
    Loading,
    Ready(Box<Comparison>),
    /// No earlier success, or the look-up failed: what to tell the user.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    /// The build compared, as it was when the user asked.
    pub target: Box<Build>,
    pub status: CompareStatus,
    /// First line shown.
    pub scroll: usize,
    /// Pages of ListBuildsForProject read so far.
    pub pages: u8,
    /// Builds looked at in those pages.
    pub looked_at: usize,
    /// The newest earlier success on another source version, kept while a
    /// success on the same one is looked for further back.
    pub fallback: Option<Box<Build>>,
}

impl CompareView {
    pub fn new(target: &Build) -> CompareView {
        CompareView {
            target: Box::new(target.clone()),
            status: CompareStatus::Loading,
            scroll: 0,
            pages: 0,
            looked_at: 0,
            fallback: None,
        }
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        match &self.status {
            CompareStatus::Ready(c) => Some(c),
            _ => None,
        }
    }

    /// " Compare · app #12 "
    pub fn title(&self) -> String {
        let number = self
            .target
            .number
            .map_or_else(|| "?".to_string(), |n| n.to_string());
        format!(" Compare · {} #{number} ", self.target.project)
    }
}
