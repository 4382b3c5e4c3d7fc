//! cbdash: a terminal dashboard for AWS CodeBuild.

pub mod app;
pub mod aws;
pub mod domain;
pub mod runtime;
#[cfg(not(cbdash_nosim))]
pub mod sim;
pub mod ui;
