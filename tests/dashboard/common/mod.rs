#![allow(dead_code)]

pub mod fixtures;
pub mod pty;
pub mod render;
#[path = "../../../crates/cbdash-sim/tests/sim/sdk.rs"]
pub mod sdk;
pub mod visible;
pub mod vt;
pub mod wire;
