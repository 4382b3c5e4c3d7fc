//! State, messages and the pure `update` that joins them.
//!
//! Messages and state are leaves; the handlers (keys, mouse, commands, the
//! overlays' own) take the state; `update` calls the handlers, never the
//! reverse. `scripts/app-imports.sh` checks it.

pub mod board;
mod board_view;
mod commands;
pub mod compare;
pub mod coverage_view;
pub mod describe;
pub mod discovery;
pub mod form;
mod history;
mod idle;
pub mod keymap;
mod keys;
pub mod layout;
mod list;
mod log_view;
mod merge;
mod mouse;
mod msg;
mod navigate;
pub mod open;
pub mod overlay;
pub mod paste;
pub mod phase_lines;
pub mod poll;
mod preset_menu;
mod projects;
mod report_cache;
pub mod reports;
pub mod resource_cache;
pub mod resource_lines;
pub mod resources;
mod row;
pub mod runaway;
pub mod sort;
mod state;
mod store;
pub mod tests_view;
pub mod tree;
pub mod trends;
mod update;

pub use board_view::{open as open_board, recompute as recompute_board};
pub use keys::PASTE_LIMIT;
pub use list::ListView;
pub use merge::{apply, apply_batches};
pub use msg::BATCH_LIMIT;
pub use msg::{CasePurpose, CaseRequest, CoverageRequest, TrendRequest};
pub use msg::{Command, Effect, FindRequest, ListRequest, Msg, PresetOp, Purpose, Resource, Sent};
pub use msg::{MetricDataRequest, MetricsListRequest, MetricsPurpose};
pub use row::Row;
pub use state::{Notice, Pane, Settings, State};
pub use store::{BuildStore, Collection};
pub use update::update;
