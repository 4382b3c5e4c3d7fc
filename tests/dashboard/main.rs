//! The dashboard's tests, in one binary: pure key, polling and form tests,
//! TestBackend snapshots, and the dashboard against the simulator over the
//! wire. The test that changes the process's environment has a binary of its
//! own (credentials_wire).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

mod actions_wire;
mod ascii;
mod aws_cli;
mod batch_wire;
mod board;
mod board_wire;
mod compare_wire;
mod config;
mod config_cli;
mod contexts_wire;
mod coverage_wire;
mod faults_wire;
mod form;
mod keys;
mod log_text;
mod logs_wire;
mod metrics_rules;
mod metrics_wire;
mod notify;
mod polling_rules;
mod polling_wire;
mod presets;
mod presets_wire;
mod render;
mod reports_render;
mod reports_wire;
mod runaway;
mod start_wire;
mod tree;
mod watch_cli;
