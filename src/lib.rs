//! cbdash: a terminal dashboard for AWS CodeBuild.

pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod domain;
pub mod logs;
pub mod presets;
pub mod runtime;
pub mod text;
pub mod ui;
