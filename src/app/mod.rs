//! State, messages and the pure `update` that joins them.

pub mod actions;
pub mod discovery;
pub mod form;
mod history;
pub mod keymap;
mod keys;
pub mod layout;
mod list;
pub mod log_view;
mod mouse;
mod msg;
pub mod open;
pub mod paste;
pub mod phase_lines;
pub mod poll;
pub mod preset_menu;
pub mod projects;
pub mod runaway;
pub mod sort;
mod state;
mod store;
pub mod tree;
mod update;

pub use keys::PASTE_LIMIT;
pub use list::{ListView, Row};
pub use msg::{Command, Effect, ListRequest, Msg, Purpose, Resource, Sent};
pub use state::{Notice, Pane, Settings, State};
pub use store::{BuildStore, Collection};
pub use update::{apply, apply_batches, update};
