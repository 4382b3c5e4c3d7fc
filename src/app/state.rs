use chrono::{DateTime, FixedOffset, Utc};

use super::history::History;
use super::list::ListView;
use super::poll::Poller;
use super::store::BuildStore;
use crate::domain::Build;
use crate::ui::layout;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Builds,
    Phases,
    Links,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::Builds, Pane::Phases, Pane::Links];
}

/// A one-line message for the status line; errors stay until replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub at: DateTime<Utc>,
}

/// What the program knows at start-up and does not change.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Shown in the header: region, profile or endpoint.
    pub context: String,
    pub read_only: bool,
    pub poll_secs: u64,
    pub projects: Vec<String>,
    /// Local time zone for wall-clock times (UTC in tests).
    pub tz: FixedOffset,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            context: String::new(),
            read_only: false,
            poll_secs: 3,
            projects: Vec::new(),
            tz: FixedOffset::east_opt(0).expect("zero offset is valid"),
        }
    }
}

/// The single owner of everything the panes show.
#[derive(Debug)]
pub struct State {
    pub settings: Settings,
    pub now: DateTime<Utc>,
    pub width: u16,
    pub height: u16,
    pub store: BuildStore,
    pub list: ListView,
    pub filter: String,
    pub filter_editing: bool,
    pub focus: Pane,
    pub phase_scroll: usize,
    pub link_cursor: usize,
    pub show_help: bool,
    pub poller: Poller,
    pub history: History,
    pub notice: Option<Notice>,
    pub quit: bool,
}

impl State {
    pub fn new(settings: Settings, now: DateTime<Utc>) -> State {
        let poller = Poller::new(settings.poll_secs, settings.projects.clone());
        State {
            settings,
            now,
            width: 80,
            height: 24,
            store: BuildStore::default(),
            list: ListView::default(),
            filter: String::new(),
            filter_editing: false,
            focus: Pane::Builds,
            phase_scroll: 0,
            link_cursor: 0,
            show_help: false,
            poller,
            history: History::default(),
            notice: None,
            quit: false,
        }
    }

    pub fn selected_build(&self) -> Option<&Build> {
        self.list.selected().and_then(|id| self.store.get(id))
    }

    /// Rows of the builds list that fit on screen now.
    pub fn visible_rows(&self) -> usize {
        layout::build_rows(self.width, self.height)
    }

    pub fn refresh_list(&mut self) {
        let rows = self.visible_rows();
        self.list.rebuild(&self.store, &self.filter, rows);
    }

    pub fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
            at: self.now,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
            at: self.now,
        });
    }
}
