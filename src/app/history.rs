use super::msg::{fetch_batch_effects, fetch_effects, Effect, ListRequest, Purpose, Resource};
use crate::domain::ApiError;

/// Paging into older builds: never polled, loaded when the user scrolls past
/// the last row. One cursor per discovery scope: builds or batches, of all
/// projects or of one.
#[derive(Debug, Default)]
pub struct History {
    cursors: Vec<Cursor>,
    pending: usize,
}

/// What an older page's answer leads to.
#[derive(Debug, Default)]
pub struct Listed {
    pub effects: Vec<Effect>,
    pub stuck: bool,
}

#[derive(Debug)]
struct Cursor {
    resource: Resource,
    project: Option<String>,
    /// None once the oldest page was read.
    next_token: Option<String>,
}

impl History {
    pub fn loading(&self) -> bool {
        self.pending > 0
    }

    /// True when an older page may exist.
    pub fn has_more(&self) -> bool {
        self.cursors.iter().any(|c| c.next_token.is_some())
    }

    /// Remembers where a scope's start-up reading ended: older pages are
    /// history, read only when asked for.
    pub fn start_at(
        &mut self,
        resource: Resource,
        project: &Option<String>,
        next_token: Option<String>,
    ) {
        match self
            .cursors
            .iter_mut()
            .find(|c| c.resource == resource && &c.project == project)
        {
            Some(cursor) => cursor.next_token = next_token,
            None => self.cursors.push(Cursor {
                resource,
                project: project.clone(),
                next_token,
            }),
        }
    }

    /// Requests the next older page of every scope that has one.
    pub fn load_more(&mut self) -> Vec<Effect> {
        if self.pending > 0 {
            return Vec::new();
        }
        let effects: Vec<Effect> = self
            .cursors
            .iter()
            .filter_map(|c| {
                c.next_token.as_ref().map(|token| {
                    Effect::List(ListRequest {
                        resource: c.resource,
                        project: c.project.clone(),
                        next_token: Some(token.clone()),
                        purpose: Purpose::History,
                        running_only: false,
                    })
                })
            })
            .collect();
        self.pending = effects.len();
        effects
    }

    /// An older page answered: fetch the builds not loaded yet. A next
    /// token equal to the one `sent` ends that scope's paging (the same
    /// page would come back on every request), and `stuck` says so.
    pub fn on_listed(
        &mut self,
        request: &ListRequest,
        result: &Result<(Vec<String>, Option<String>), ApiError>,
        known: impl Fn(&str) -> bool,
    ) -> Listed {
        self.pending = self.pending.saturating_sub(1);
        let Ok((ids, next_token)) = result else {
            return Listed::default();
        };
        let resource = request.resource;
        let stuck = next_token.is_some() && *next_token == request.next_token;
        if let Some(cursor) = self
            .cursors
            .iter_mut()
            .find(|c| c.resource == resource && c.project == request.project)
        {
            cursor.next_token = next_token.clone().filter(|_| !stuck);
        }
        let unknown: Vec<String> = ids.iter().filter(|id| !known(id)).cloned().collect();
        let effects = match resource {
            Resource::Builds => fetch_effects(unknown, Purpose::History),
            Resource::Batches => fetch_batch_effects(unknown, Purpose::History),
        };
        self.pending += effects.len();
        Listed { effects, stuck }
    }

    pub fn on_fetched(&mut self) {
        self.pending = self.pending.saturating_sub(1);
    }
}
