use crate::domain::{Build, BuildId};

use super::store::BuildStore;

/// The builds pane's rows: the store's order narrowed by the filter, with the
/// selection tracked by build ID so polls never move it to another build.
#[derive(Debug, Default)]
pub struct ListView {
    rows: Vec<BuildId>,
    cursor: usize,
    offset: usize,
    selected: Option<BuildId>,
}

impl ListView {
    pub fn rows(&self) -> &[BuildId] {
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

    pub fn selected(&self) -> Option<&BuildId> {
        self.selected.as_ref()
    }

    /// Recomputes the rows after the store or the filter changed.
    pub fn rebuild(&mut self, store: &BuildStore, filter: &str, height: usize) {
        let needle = filter.trim().to_ascii_lowercase();
        self.rows = if needle.is_empty() {
            store.order().to_vec()
        } else {
            store
                .order()
                .iter()
                .filter(|id| store.get(id).is_some_and(|b| matches(b, &needle)))
                .cloned()
                .collect()
        };
        let found = self
            .selected
            .as_ref()
            .and_then(|sel| self.rows.iter().position(|id| id == sel));
        match found {
            Some(pos) => self.cursor = pos,
            None => {
                self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
                self.selected = self.rows.get(self.cursor).cloned();
            }
        }
        self.scroll_into_view(height);
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

/// Case-insensitive match on the fields a user filters by.
fn matches(b: &Build, needle: &str) -> bool {
    [
        Some(b.project.as_str()),
        Some(&*b.id),
        Some(b.status.as_str()),
        b.source_version.as_deref(),
        b.initiator.as_deref(),
    ]
    .into_iter()
    .flatten()
    .any(|field| contains_ignore_case(field, needle))
}

fn contains_ignore_case(hay: &str, needle_lower: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle_lower.as_bytes());
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
