use std::collections::HashSet;

use crate::domain::{BuildId, Run};

use super::row::Row;
use super::sort::Sort;
use super::store::{newest_first, BuildStore, Key};

/// The builds pane's rows: builds and batches newest first, narrowed by the
/// filter, expanded batches followed by their group builds. The selection is
/// tracked by identity, so polls never move it to another build.
#[derive(Debug, Default)]
pub struct ListView {
    rows: Vec<Row>,
    cursor: usize,
    offset: usize,
    selected: Option<Row>,
    expanded: HashSet<BuildId>,
    /// Until the user picks a row, the first row is selected whatever
    /// arrives first (batches and builds load in separate calls).
    picked: bool,
    pub sort: Sort,
}

impl ListView {
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// First row shown; the UI draws from here.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn selected(&self) -> Option<&Row> {
        self.selected.as_ref()
    }

    pub fn is_expanded(&self, batch: &str) -> bool {
        self.expanded.contains(batch)
    }

    /// Expands or collapses a batch; the caller rebuilds the rows.
    pub fn set_expanded(&mut self, batch: &BuildId, expanded: bool) -> bool {
        if expanded {
            self.expanded.insert(batch.clone())
        } else {
            self.expanded.remove(batch)
        }
    }

    /// Makes `row` the selection if it is listed.
    pub fn select_row(&mut self, row: &Row, height: usize) -> bool {
        match self.rows.iter().position(|r| r == row) {
            Some(index) => {
                self.select_index(index, height);
                true
            }
            None => false,
        }
    }

    /// Recomputes the rows after the store, the filter or an expansion changed.
    /// `only`: when set, just these builds (the runaway filter).
    pub fn rebuild<V>(
        &mut self,
        store: &BuildStore,
        filter: &str,
        only: Option<&std::collections::HashMap<BuildId, V>>,
        context_names: &[String],
        now: chrono::DateTime<chrono::Utc>,
        height: usize,
    ) {
        // The context's name matches too, when several are watched.
        let named = |context: u16, needle: &str| {
            context_names
                .get(usize::from(context))
                .is_some_and(|n| contains_ignore_case(n, needle))
        };
        let needle = filter.trim().to_ascii_lowercase();
        // Narrowing the list is a choice too: what it selects stays selected.
        self.picked |= !needle.is_empty();
        // A batch's builds are listed under their batch, not on rows of their
        // own; while the batch is not loaded (batches cannot be listed) they
        // are ordinary rows.
        let builds = store.builds.order().iter().filter(|k| {
            only.is_none_or(|set| set.contains_key(&k.id))
                && (!k.grouped || !store.batch_loaded_for(&k.id))
                && (needle.is_empty()
                    || store.builds.get(&k.id).is_some_and(|b| {
                        run_matches(b.run(), false, &needle) || named(b.context, &needle)
                    }))
        });
        let batches = store.batches.order().iter().filter(|k| {
            // The runaway filter lists builds only.
            only.is_none()
                && (needle.is_empty()
                    || store.batches.get(&k.id).is_some_and(|b| {
                        run_matches(b.run(), true, &needle) || named(b.context, &needle)
                    }))
        });
        let merged = merge(builds, batches, |id| {
            match store.batches.get(id).filter(|_| self.expanded.contains(id)) {
                Some(batch) => batch
                    .build_ids()
                    .map(|build| Row::Group {
                        batch: id.clone(),
                        build: build.into(),
                    })
                    .collect(),
                None => Vec::new(),
            }
        });
        self.rows = super::sort::apply(merged, self.sort, store, now);
        let found = self
            .selected
            .as_ref()
            .filter(|_| self.picked)
            .and_then(|sel| self.rows.iter().position(|r| r == sel));
        match found {
            Some(pos) => self.cursor = pos,
            None => {
                self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
                self.selected = self.rows.get(self.cursor).cloned();
            }
        }
        self.scroll_into_view(height);
    }

    /// Puts the row of a build just added to the store in its place, as a
    /// rebuild would; false when this list is not the plain newest-first
    /// one (another sort, an expanded batch), which needs a rebuild.
    pub fn insert_build(&mut self, id: &BuildId, store: &BuildStore, height: usize) -> bool {
        if self.sort != super::sort::Sort::Newest || !self.expanded.is_empty() {
            return false;
        }
        let Some(new) = store.builds.key_of(id) else {
            return false;
        };
        let pos = self.rows.partition_point(|row| {
            let key = match row {
                Row::Build(id) => store.builds.key_of(id),
                Row::Batch(id) => store.batches.key_of(id),
                Row::Group { .. } => None,
            };
            key.is_some_and(|k| newest_first(&k, &new).is_lt())
        });
        self.rows.insert(pos, Row::Build(id.clone()));
        if self.picked && pos <= self.cursor && self.rows.len() > 1 {
            self.cursor += 1;
        }
        self.cursor = self.cursor.min(self.rows.len() - 1);
        if !self.picked {
            self.selected = self.rows.get(self.cursor).cloned();
        }
        self.scroll_into_view(height);
        true
    }

    /// Moves the cursor by `delta` rows; returns false when it was already at
    /// the end it moved towards.
    pub fn move_by(&mut self, delta: isize, height: usize) -> bool {
        if self.rows.is_empty() {
            return false;
        }
        let last = self.rows.len() - 1;
        let target = (self.cursor as isize + delta).clamp(0, last as isize) as usize;
        let moved = target != self.cursor;
        self.select_index(target, height);
        moved
    }

    pub fn select_index(&mut self, index: usize, height: usize) {
        if self.rows.is_empty() {
            return;
        }
        self.picked = true;
        self.cursor = index.min(self.rows.len() - 1);
        self.selected = Some(self.rows[self.cursor].clone());
        self.scroll_into_view(height);
    }

    pub fn at_end(&self) -> bool {
        self.rows.is_empty() || self.cursor + 1 == self.rows.len()
    }

    /// Keeps the cursor within the `height` rows shown.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        let max_offset = self.rows.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

/// Merges two newest-first sequences into rows, each batch followed by the
/// rows `children` gives for it.
fn merge<'a>(
    builds: impl Iterator<Item = &'a Key>,
    batches: impl Iterator<Item = &'a Key>,
    children: impl Fn(&BuildId) -> Vec<Row>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut builds = builds.peekable();
    let mut batches = batches.peekable();
    loop {
        let take_batch = match (builds.peek(), batches.peek()) {
            (None, None) => break,
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (Some(build), Some(batch)) => newest_first(batch, build).is_lt(),
        };
        if take_batch {
            if let Some(batch) = batches.next() {
                rows.push(Row::Batch(batch.id.clone()));
                rows.extend(children(&batch.id));
            }
        } else if let Some(build) = builds.next() {
            rows.push(Row::Build(build.id.clone()));
        }
    }
    rows
}

/// Case-insensitive match on the fields a user filters by; a batch also
/// matches the word "batch".
fn run_matches(run: Run<'_>, batch: bool, needle: &str) -> bool {
    // `project:NAME`: that project exactly (the board's Enter).
    if let Some(project) = needle.strip_prefix("project:") {
        return run.project.eq_ignore_ascii_case(project.trim());
    }
    [
        Some(run.project),
        Some(&**run.id),
        Some(run.status.as_str()),
        run.source_version,
        run.initiator,
        batch.then_some("batch"),
    ]
    .into_iter()
    .flatten()
    .any(|field| contains_ignore_case(field, needle))
}

fn contains_ignore_case(hay: &str, needle_lower: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle_lower.as_bytes());
    if needle.is_empty() {
        return true;
    }
    needle.len() <= hay.len()
        && hay.windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_case_without_allocating() {
        assert!(contains_ignore_case("Web-Frontend", "front"));
        assert!(contains_ignore_case("FAILED", "fail"));
        assert!(!contains_ignore_case("api", "apis"));
    }
}
