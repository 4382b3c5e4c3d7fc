#![allow(dead_code)]

pub mod fixtures;
pub mod render;
pub mod sdk;
pub mod vt;
pub mod wire;
