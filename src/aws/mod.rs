//! The only module that touches SDK types: it builds the client from the
//! credential chain and converts requests and answers to domain types.

mod api;
mod body_cap;
mod connect;
mod convert;
mod enums;
mod error;
mod metrics;
pub mod profiles;
mod settings;

pub use api::CodeBuild;
pub use body_cap::DEFAULT_MAX_RESPONSE_BYTES;
pub use connect::{connect, ConnectOptions};
