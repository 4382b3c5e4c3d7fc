use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::domain::{Build, BuildBatch, BuildId, Run};

/// What the store needs to know of a build or a batch to keep it in order.
pub trait Entry {
    fn run(&self) -> Run<'_>;
    fn set_key_id(&mut self, id: BuildId);
    /// Listed under something else (a batch's build), not on its own row.
    fn grouped(&self) -> bool {
        false
    }
}

impl Entry for Build {
    fn run(&self) -> Run<'_> {
        Build::run(self)
    }
    fn set_key_id(&mut self, id: BuildId) {
        self.id = id;
    }
    fn grouped(&self) -> bool {
        self.batch_arn.is_some()
    }
}

impl Entry for BuildBatch {
    fn run(&self) -> Run<'_> {
        BuildBatch::run(self)
    }
    fn set_key_id(&mut self, id: BuildId) {
        self.id = id;
    }
}

/// Where an item sorts, kept beside its ID so ordering, merging and
/// listing never look items up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub start: Option<DateTime<Utc>>,
    pub number: Option<i64>,
    pub id: BuildId,
    pub grouped: bool,
}

impl Key {
    fn of<T: Entry>(item: &T) -> Key {
        Key {
            start: item.run().start,
            number: item.run().number,
            id: item.run().id.clone(),
            grouped: item.grouped(),
        }
    }
}

/// Newest first; ties broken by number, then ID, so the order is total.
pub fn newest_first(a: &Key, b: &Key) -> Ordering {
    b.start
        .cmp(&a.start)
        .then_with(|| b.number.cmp(&a.number))
        .then_with(|| a.id.cmp(&b.id))
}

/// Items by ID, their display order (newest first) and the set still
/// running. Applying a response touches only the items in it.
#[derive(Debug)]
pub struct Collection<T> {
    items: HashMap<BuildId, T>,
    order: Vec<Key>,
    running: HashSet<BuildId>,
    /// The same, by context: each context's poll looks at its own only.
    running_in: HashMap<u16, HashSet<BuildId>>,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            items: HashMap::new(),
            order: Vec::new(),
            running: HashSet::new(),
            running_in: HashMap::new(),
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

    /// The sort key of an item.
    pub fn key_of(&self, id: &str) -> Option<Key> {
        self.items.get(id).map(Key::of)
    }

    /// Every item, in no order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.items.values()
    }

    /// Sort keys in display order.
    pub fn order(&self) -> &[Key] {
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

    fn position(&self, key: &Key) -> Result<usize, usize> {
        self.order
            .binary_search_by(|other| newest_first(other, key))
    }

    /// Inserts or replaces an item; returns true when the order changed.
    pub fn upsert(&mut self, mut item: T) -> bool {
        let mut reordered = true;
        if let Some(old) = self.items.get(item.run().id) {
            // Reuse the stored Arc so every copy of this ID shares one allocation.
            item.set_key_id(old.run().id.clone());
            reordered = old.run().start != item.run().start
                || old.run().number != item.run().number
                || old.grouped() != item.grouped();
            if reordered {
                if let Ok(pos) = self.position(&Key::of(old)) {
                    self.order.remove(pos);
                }
            }
        }
        let id = item.run().id.clone();
        if let Some(old) = self.items.get(&id) {
            self.forget_running(&id, old.run().context);
        }
        if !item.run().complete {
            self.running.insert(id.clone());
            self.running_in
                .entry(item.run().context)
                .or_default()
                .insert(id.clone());
        }
        if reordered {
            let key = Key::of(&item);
            let pos = self.position(&key).unwrap_or_else(|p| p);
            self.order.insert(pos, key);
        }
        self.items.insert(id, item);
        reordered
    }

    /// Drops an item the service no longer knows.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(item) = self.items.get(id) else {
            return false;
        };
        if let Ok(pos) = self.position(&Key::of(item)) {
            self.order.remove(pos);
        }
        let context = item.run().context;
        self.forget_running(id, context);
        self.items.remove(id);
        true
    }

    fn forget_running(&mut self, id: &str, context: u16) {
        self.running.remove(id);
        if let Some(set) = self.running_in.get_mut(&context) {
            set.remove(id);
        }
    }

    /// Items of one context not yet complete.
    pub fn running_in(&self, context: u16) -> impl Iterator<Item = &BuildId> {
        self.running_in.get(&context).into_iter().flatten()
    }
}

/// Every build and batch known.
#[derive(Debug, Default)]
pub struct BuildStore {
    pub builds: Collection<Build>,
    pub batches: Collection<BuildBatch>,
    /// Builds the service said it does not know (buildsNotFound): not asked
    /// for again.
    gone: HashSet<String>,
    /// Complete batches that started a new build (a retry elsewhere): polled
    /// again until their next answer is in.
    revived: HashSet<String>,
    /// The settings each project's builds last ran with: builds that ran
    /// with the same share one copy.
    settings: HashMap<String, std::sync::Arc<crate::domain::Overrides>>,
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

    pub fn upsert(&mut self, mut build: Build) -> bool {
        match self.settings.get(&build.project) {
            Some(shared) if **shared == *build.ran_with => build.ran_with = shared.clone(),
            _ => {
                self.settings
                    .insert(build.project.clone(), build.ran_with.clone());
            }
        }
        if !build.complete && !self.builds.contains(&build.id) {
            if let Some(batch) = build.batch_id() {
                if self.batches.get(batch).is_some_and(|b| b.complete) {
                    self.revived.insert(batch.to_string());
                }
            }
        }
        self.builds.upsert(build)
    }

    /// Inserts or replaces a batch; returns true when the order changed.
    pub fn upsert_batch(&mut self, mut batch: BuildBatch) -> bool {
        let key = format!("batch:{}", batch.project);
        match self.settings.get(&key) {
            Some(shared) if **shared == *batch.ran_with => batch.ran_with = shared.clone(),
            _ => {
                self.settings.insert(key, batch.ran_with.clone());
            }
        }
        self.revived.remove(&*batch.id);
        self.batches.upsert(batch)
    }

    /// Batches of one context to fetch in a poll: running ones, and
    /// complete ones revived.
    pub fn batches_to_poll(&self, context: u16) -> Vec<String> {
        let mut ids: Vec<String> = self
            .batches
            .running_in(context)
            .map(|id| id.to_string())
            .collect();
        ids.extend(
            self.revived
                .iter()
                .filter(|id| self.batches.get(id).is_some_and(|b| b.context == context))
                .cloned(),
        );
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Forgets a build the service no longer knows.
    pub fn remove(&mut self, id: &str) -> bool {
        self.gone.insert(id.to_string());
        self.builds.remove(id)
    }

    pub fn is_gone(&self, id: &str) -> bool {
        self.gone.contains(id)
    }

    /// Running builds of one context.
    pub fn running_ids_in(&self, context: u16) -> Vec<String> {
        let mut ids: Vec<String> = self
            .builds
            .running_in(context)
            .map(|id| id.to_string())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Something runs in this context (a build or a batch to poll): it polls
    /// at its pace rather than slowly.
    pub fn busy_in(&self, context: u16) -> bool {
        self.runs_in(context, None)
            || self.batches.running_in(context).next().is_some()
            || self
                .revived
                .iter()
                .any(|id| self.batches.get(id).is_some_and(|b| b.context == context))
    }

    /// True when build `id` belongs to a batch that is loaded.
    pub fn batch_loaded_for(&self, id: &str) -> bool {
        self.get(id)
            .and_then(Build::batch_id)
            .is_some_and(|batch| self.batches.contains(batch))
    }

    /// Running builds of one context (and of one project, when named): the
    /// scope that lists them polls at the full rate.
    pub fn runs_in(&self, context: u16, project: Option<&str>) -> bool {
        self.builds.running.iter().any(|id| {
            self.get(id)
                .is_some_and(|b| b.context == context && project.is_none_or(|p| b.project == p))
        })
    }

    /// Batches that running builds of one context belong to, not loaded
    /// yet: a new batch shows up through its first group build.
    pub fn unknown_batches(&self, context: u16) -> Vec<String> {
        let mut ids: Vec<String> = self
            .builds
            .running_in(context)
            .filter_map(|id| self.get(id))
            .filter_map(|b| b.batch_id())
            .filter(|id| !self.batches.contains(id))
            .map(str::to_string)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Group builds of running batches that are not loaded yet: fetched in
    /// the same BatchGetBuilds calls as every other build.
    pub fn missing_group_builds(&self, context: u16) -> Vec<String> {
        let mut ids: Vec<String> = self
            .batches
            .running_in(context)
            .filter_map(|id| self.batches.get(id))
            .flat_map(|b| b.build_ids())
            .filter(|id| !self.builds.contains(id) && !self.gone.contains(*id))
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
        let order: Vec<&str> = store.builds.order().iter().map(|k| &*k.id).collect();
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
