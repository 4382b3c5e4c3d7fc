use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::aws::{Fetched, FetchedBatches, ListPage};
use crate::domain::ApiError;

/// Everything that can happen to the program, in the order it happened.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock moved: elapsed times change and polls may be due.
    Tick(DateTime<Utc>),
    Listed {
        request: ListRequest,
        result: Result<ListPage, ApiError>,
    },
    Fetched {
        purpose: Purpose,
        result: Result<Fetched, ApiError>,
    },
    BatchesFetched {
        purpose: Purpose,
        result: Result<FetchedBatches, ApiError>,
    },
    /// Opening a link in the browser failed.
    OpenFailed {
        url: String,
        error: String,
    },
}

/// Why a list or fetch was made: the poll cycle, loading older history, or
/// showing one build the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Poll,
    History,
    Detail,
}

/// What a list call enumerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// ListBuilds / ListBuildsForProject.
    Builds,
    /// ListBuildBatches / ListBuildBatchesForProject.
    Batches,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    pub resource: Resource,
    /// None lists every project's builds (ListBuilds).
    pub project: Option<String>,
    pub next_token: Option<String>,
    pub purpose: Purpose,
}

/// Work for the runtime; its results come back as messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    List(ListRequest),
    /// BatchGetBuilds; never more than 100 IDs.
    Fetch {
        purpose: Purpose,
        ids: Vec<String>,
    },
    /// BatchGetBuildBatches; never more than 100 IDs.
    FetchBatches {
        purpose: Purpose,
        ids: Vec<String>,
    },
    OpenUrl(String),
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    Quit,
}
