#![allow(dead_code)]

pub mod fixtures;
pub mod render;
pub mod wire;
