#![allow(dead_code)]

pub mod fixtures;
pub mod pty;
pub mod render;
pub mod sdk;
pub mod visible;
pub mod vt;
pub mod wire;
