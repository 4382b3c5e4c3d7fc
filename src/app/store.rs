use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use crate::domain::{Build, BuildId};

/// Every build known, by ID, plus their display order (newest first) and the
/// set still running. Applying a response touches only the builds in it.
#[derive(Debug, Default)]
pub struct BuildStore {
    builds: HashMap<BuildId, Build>,
    order: Vec<BuildId>,
    running: HashSet<BuildId>,
}

fn newest_first(a: &Build, b: &Build) -> Ordering {
    b.start
        .cmp(&a.start)
        .then_with(|| b.number.cmp(&a.number))
        .then_with(|| a.id.cmp(&b.id))
}

impl BuildStore {
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Build> {
        self.builds.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.builds.contains_key(id)
    }

    /// Build IDs in display order.
    pub fn order(&self) -> &[BuildId] {
        &self.order
    }

    pub fn running_count(&self) -> usize {
        self.running.len()
    }

    /// IDs of builds not yet complete: the only ones polled for details.
    pub fn running_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.running.iter().map(|id| id.to_string()).collect();
        ids.sort_unstable();
        ids
    }

    fn position(&self, build: &Build) -> Result<usize, usize> {
        self.order.binary_search_by(|id| match self.builds.get(id) {
            Some(other) => newest_first(other, build),
            None => Ordering::Less,
        })
    }

    /// Inserts or replaces a build; returns true when the display order changed.
    pub fn upsert(&mut self, mut build: Build) -> bool {
        let mut reordered = false;
        if let Some(old) = self.builds.get(&build.id) {
            // Reuse the stored Arc so every copy of this ID shares one allocation.
            build.id = old.id.clone();
            if old.start != build.start || old.number != build.number {
                if let Ok(pos) = self.position(old) {
                    self.order.remove(pos);
                }
                reordered = true;
            }
        } else {
            reordered = true;
        }
        if build.complete {
            self.running.remove(&build.id);
        } else {
            self.running.insert(build.id.clone());
        }
        let id = build.id.clone();
        if reordered {
            let pos = self.position(&build).unwrap_or_else(|p| p);
            self.order.insert(pos, id.clone());
        }
        self.builds.insert(id, build);
        reordered
    }

    /// Drops a build the service no longer knows.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(build) = self.builds.get(id) else {
            return false;
        };
        if let Ok(pos) = self.position(build) {
            self.order.remove(pos);
        }
        self.running.remove(id);
        self.builds.remove(id);
        true
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn build(id: &str, start_min: i64, complete: bool) -> Build {
        let mut b = Build::new(id);
        b.start = Utc
            .timestamp_opt(1_700_000_000 + start_min * 60, 0)
            .single();
        b.complete = complete;
        b
    }

    #[test]
    fn keeps_newest_first_and_tracks_running() {
        let mut store = BuildStore::default();
        store.upsert(build("a:1", 1, true));
        store.upsert(build("a:3", 3, false));
        store.upsert(build("a:2", 2, false));
        let order: Vec<&str> = store.order().iter().map(|s| &**s).collect();
        assert_eq!(order, ["a:3", "a:2", "a:1"]);
        assert_eq!(store.running_ids(), ["a:2", "a:3"]);

        // Completing a build stops it from being polled, without reordering.
        assert!(!store.upsert(build("a:3", 3, true)));
        assert_eq!(store.running_ids(), ["a:2"]);

        assert!(store.remove("a:2"));
        assert_eq!(store.len(), 2);
        assert_eq!(store.running_count(), 0);
    }
}
