//! The only module that touches SDK types: it builds the client from the
//! credential chain and converts requests and answers to domain types.

mod api;
mod connect;
mod convert;
mod error;

pub use api::{CodeBuild, Fetched, FetchedBatches, ListPage};
pub use connect::{connect, ConnectOptions};
