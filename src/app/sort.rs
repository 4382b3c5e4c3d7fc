//! Other orders for the builds list than newest first.

use chrono::{DateTime, Utc};

use super::row::Row;
use super::store::BuildStore;
use crate::domain::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By start time, newest first: the store's own order.
    #[default]
    Newest,
    /// Longest running or longest taking first.
    Duration,
    /// Running, then failures, then the rest.
    Status,
    Project,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Newest => Sort::Duration,
            Sort::Duration => Sort::Status,
            Sort::Status => Sort::Project,
            Sort::Project => Sort::Newest,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "start time",
            Sort::Duration => "duration",
            Sort::Status => "status",
            Sort::Project => "project",
        }
    }
}

fn status_rank(s: &Status) -> u8 {
    match s {
        Status::InProgress => 0,
        Status::Failed => 1,
        Status::Fault => 2,
        Status::TimedOut => 3,
        Status::Stopped => 4,
        Status::Succeeded => 5,
        Status::Other(_) => 6,
    }
}

/// Reorders top-level rows, each keeping its group rows beneath it; ties
/// keep the newest-first order.
pub fn apply(rows: Vec<Row>, sort: Sort, store: &BuildStore, now: DateTime<Utc>) -> Vec<Row> {
    if sort == Sort::Newest {
        return rows;
    }
    let mut entries: Vec<Vec<Row>> = Vec::new();
    for row in rows {
        match (&row, entries.last_mut()) {
            (Row::Group { .. }, Some(entry)) => entry.push(row),
            _ => entries.push(vec![row]),
        }
    }
    // (status rank, duration, project) of an entry's first row.
    let facts = |row: &Row| -> (u8, i64, String) {
        match row {
            Row::Batch(id) => store.batches.get(id).map_or((9, 0, String::new()), |b| {
                (
                    status_rank(&b.status),
                    b.elapsed_secs(now).unwrap_or(0),
                    b.project.clone(),
                )
            }),
            row => row
                .build_id()
                .and_then(|id| store.get(id))
                .map_or((9, 0, String::new()), |b| {
                    (
                        status_rank(&b.status),
                        b.elapsed_secs(now).unwrap_or(0),
                        b.project.clone(),
                    )
                }),
        }
    };
    let mut keyed: Vec<((u8, i64, String), Vec<Row>)> =
        entries.into_iter().map(|e| (facts(&e[0]), e)).collect();
    match sort {
        Sort::Duration => keyed.sort_by_key(|k| std::cmp::Reverse(k.0 .1)),
        Sort::Status => keyed.sort_by_key(|k| k.0 .0),
        Sort::Project => keyed.sort_by(|a, b| a.0 .2.cmp(&b.0 .2)),
        Sort::Newest => {}
    }
    keyed.into_iter().flat_map(|(_, rows)| rows).collect()
}
