//! State, messages and the pure `update` that joins them.

mod history;
pub mod keymap;
mod keys;
mod list;
mod mouse;
mod msg;
pub mod poll;
mod state;
mod store;
mod update;

pub use list::ListView;
pub use msg::{Effect, ListRequest, Msg, Purpose};
pub use state::{Notice, Pane, Settings, State};
pub use store::BuildStore;
pub use update::{apply, update};
