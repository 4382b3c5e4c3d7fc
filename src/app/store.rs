use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::domain::{Build, BuildBatch, BuildId};

/// What the store needs to know of a build or a batch to keep it in order.
pub trait Entry {
    fn key_id(&self) -> &BuildId;
    fn set_key_id(&mut self, id: BuildId);
    fn started(&self) -> Option<DateTime<Utc>>;
    fn number(&self) -> Option<i64>;
    fn is_complete(&self) -> bool;
}

impl Entry for Build {
    fn key_id(&self) -> &BuildId {
        &self.id
    }
    fn set_key_id(&mut self, id: BuildId) {
        self.id = id;
    }
    fn started(&self) -> Option<DateTime<Utc>> {
        self.start
    }
    fn number(&self) -> Option<i64> {
        self.number
    }
    fn is_complete(&self) -> bool {
        self.complete
    }
}

impl Entry for BuildBatch {
    fn key_id(&self) -> &BuildId {
        &self.id
    }
    fn set_key_id(&mut self, id: BuildId) {
        self.id = id;
    }
    fn started(&self) -> Option<DateTime<Utc>> {
        self.start
    }
    fn number(&self) -> Option<i64> {
        self.number
    }
    fn is_complete(&self) -> bool {
        self.complete
    }
}

/// Newest first; ties broken by number, then ID, so the order is total.
pub fn newest_first<A: Entry, B: Entry>(a: &A, b: &B) -> Ordering {
    b.started()
        .cmp(&a.started())
        .then_with(|| b.number().cmp(&a.number()))
        .then_with(|| a.key_id().cmp(b.key_id()))
}

/// Items by ID, their display order (newest first) and the set still
/// running. Applying a response touches only the items in it.
#[derive(Debug)]
pub struct Collection<T> {
    items: HashMap<BuildId, T>,
    order: Vec<BuildId>,
    running: HashSet<BuildId>,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            items: HashMap::new(),
            order: Vec::new(),
            running: HashSet::new(),
        }
    }
}

impl<T: Entry> Collection<T> {
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.items.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.items.contains_key(id)
    }

    /// IDs in display order.
    pub fn order(&self) -> &[BuildId] {
        &self.order
    }

    pub fn running_count(&self) -> usize {
        self.running.len()
    }

    /// IDs of items not yet complete: the only ones polled for details.
    pub fn running_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.running.iter().map(|id| id.to_string()).collect();
        ids.sort_unstable();
        ids
    }

    fn position(&self, item: &T) -> Result<usize, usize> {
        self.order.binary_search_by(|id| match self.items.get(id) {
            Some(other) => newest_first(other, item),
            None => Ordering::Less,
        })
    }

    /// Inserts or replaces an item; returns true when the order changed.
    pub fn upsert(&mut self, mut item: T) -> bool {
        let mut reordered = true;
        if let Some(old) = self.items.get(item.key_id()) {
            // Reuse the stored Arc so every copy of this ID shares one allocation.
            item.set_key_id(old.key_id().clone());
            reordered = old.started() != item.started() || old.number() != item.number();
            if reordered {
                if let Ok(pos) = self.position(old) {
                    self.order.remove(pos);
                }
            }
        }
        let id = item.key_id().clone();
        if item.is_complete() {
            self.running.remove(&id);
        } else {
            self.running.insert(id.clone());
        }
        if reordered {
            let pos = self.position(&item).unwrap_or_else(|p| p);
            self.order.insert(pos, id.clone());
        }
        self.items.insert(id, item);
        reordered
    }

    /// Drops an item the service no longer knows.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(item) = self.items.get(id) else {
            return false;
        };
        if let Ok(pos) = self.position(item) {
            self.order.remove(pos);
        }
        self.running.remove(id);
        self.items.remove(id);
        true
    }
}

/// Every build and batch known.
#[derive(Debug, Default)]
pub struct BuildStore {
    pub builds: Collection<Build>,
    pub batches: Collection<BuildBatch>,
}

impl BuildStore {
    pub fn get(&self, id: &str) -> Option<&Build> {
        self.builds.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.builds.contains(id)
    }

    /// Builds and batches together, as the header counts them.
    pub fn len(&self) -> usize {
        self.builds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.builds.is_empty() && self.batches.is_empty()
    }

    pub fn running_count(&self) -> usize {
        self.builds.running_count()
    }

    pub fn running_ids(&self) -> Vec<String> {
        self.builds.running_ids()
    }

    pub fn upsert(&mut self, build: Build) -> bool {
        self.builds.upsert(build)
    }

    pub fn remove(&mut self, id: &str) -> bool {
        self.builds.remove(id)
    }

    /// Group builds of running batches that are not loaded yet: fetched in
    /// the same BatchGetBuilds calls as every other build.
    pub fn missing_group_builds(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .batches
            .running_ids()
            .iter()
            .filter_map(|id| self.batches.get(id))
            .flat_map(|b| b.build_ids())
            .filter(|id| !self.builds.contains(id))
            .map(str::to_string)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

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
        let order: Vec<&str> = store.builds.order().iter().map(|s| &**s).collect();
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
