//! The program's own model of CodeBuild: what the panes show, free of SDK types.

mod build;
mod error;
mod status;

pub use build::{Build, BuildId, Link, LogLinks, Phase, PhaseContext};
pub use error::{ApiError, ErrorKind};
pub use status::Status;
