//! The simulator's tests, in one binary: the real SDK clients against the
//! simulator on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cbor_client;
mod sdk;

mod aws_cli;
mod batch;
mod batch_demo;
mod batch_list;
mod batch_start;
mod batch_stop_retry;
mod board_history;
mod cbor;
mod cbor_errors;
mod cbor_sdk;
mod coverage;
mod delete_builds;
mod faults;
mod lifecycle;
mod logs;
mod logs_content;
mod logs_errors;
mod logs_output;
mod metrics;
mod metrics_fates;
mod project_validation;
mod projects;
mod regression;
mod report_groups;
mod reports;
mod scale;
mod scenario;
mod start;
mod stop_retry;
mod test_cases;
mod user_builds;
mod wire;
