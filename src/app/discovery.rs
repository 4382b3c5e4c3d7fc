//! One scope of discovery: the range of one list call (builds or batches,
//! of every project or of one), read newest first, page by page, until
//! everything in it that can still be running has been seen.
//!
//! ListBuilds returns IDs only, newest first, 100 a page. Its pages are read
//! as *gaps*: from a token down to where reading may stop. At start-up the
//! only stop is age (a build started longer ago than the longest possible
//! queue plus build timeout cannot be running); later, a cycle reads from
//! the top down to the newest build it had seen before. A gap left open when
//! a cycle's page budget runs out is read on in the next cycle, at once.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

use super::msg::{fetch_batch_effects, fetch_effects, Effect, ListRequest, Purpose, Resource};
use super::store::BuildStore;
use crate::domain::{ApiError, ErrorKind};

/// The longest a build can live: 8 h queued plus 36 h building (the API's
/// maxima for queuedTimeoutInMinutes and timeoutInMinutes), and an hour for
/// the phases that run after a timeout.
pub const MAX_LIFETIME_HOURS: i64 = 8 + 36 + 1;
/// Pages one scope reads in one cycle; a longer gap goes on in the next.
pub const PAGES_PER_CYCLE: u32 = 20;

/// Where a gap may stop being read.
#[derive(Debug, Clone, PartialEq)]
pub enum Until {
    /// Start-up: until the builds are too old to be running.
    TooOld,
    /// Down to the newest item seen before, or anything known and older.
    Seen {
        id: String,
        start: Option<DateTime<Utc>>,
    },
    /// This page only (the first page of batches: the running ones come
    /// from the IN_PROGRESS listing).
    OnePage,
    /// Every page (a listing filtered to what runs).
    End,
}

#[derive(Debug, Clone, PartialEq)]
struct Gap {
    token: Option<String>,
    until: Until,
    /// Pages of this gap read so far.
    pages: u32,
}

/// IDs of one page that are looked at: ten times the API's page size.
pub const MAX_PAGE_IDS: usize = 1000;

/// A gap longer than this is not read on: no real account lists 100,000
/// builds that can still be running, an endpoint that pages forever does.
pub const MAX_GAP_PAGES: u32 = 1000;

/// Of two stops for the top of the list, the one that reads further: a
/// head that failed is merged into the next one, never dropped.
fn further(a: Until, b: Until) -> Until {
    match (a, b) {
        (Until::TooOld, _) | (_, Until::TooOld) => Until::TooOld,
        (
            Until::Seen {
                id: a_id,
                start: a_start,
            },
            Until::Seen {
                id: b_id,
                start: b_start,
            },
        ) => match (a_start, b_start) {
            (Some(x), Some(y)) if y < x => Until::Seen {
                id: b_id,
                start: b_start,
            },
            (Some(_), None) => Until::Seen {
                id: b_id,
                start: None,
            },
            _ => Until::Seen {
                id: a_id,
                start: a_start,
            },
        },
        (Until::Seen { id, start }, _) | (_, Until::Seen { id, start }) => {
            Until::Seen { id, start }
        }
        (a, _) => a,
    }
}

/// How one scope has fared: it fails and backs off on its own.
#[derive(Debug, Clone, Default)]
pub struct Health {
    pub failures: u32,
    pub last_error: Option<(ApiError, DateTime<Utc>)>,
    /// Set when the scope cannot work at all (an unknown project, batches
    /// not allowed): said once, checked again rarely.
    pub dead: Option<String>,
    /// The endpoint answered a page with the token it was asked for:
    /// paging stopped there, said once.
    pub stuck_token: bool,
}

#[derive(Debug)]
enum Step {
    Idle,
    Listing(Gap),
    /// The page's new items are being fetched, to learn their age.
    Fetching {
        gap: Gap,
        page: Vec<String>,
        next: Option<String>,
        closed: bool,
        /// Fetches not answered yet (a page of more than 100 needs several).
        pending: usize,
        error: Option<ApiError>,
    },
}

/// What a step of a scope leads to.
#[derive(Debug, Default)]
pub struct Outcome {
    pub effects: Vec<Effect>,
    /// The scope is done for this cycle.
    pub done: bool,
    /// The scope's start-up reading ended here: older pages are history.
    pub history_from: Option<Option<String>>,
    /// To say once on the status line.
    pub warning: Option<String>,
}

#[derive(Debug)]
pub struct Scope {
    pub resource: Resource,
    pub project: Option<String>,
    /// Lists only what runs (ListBuildBatches' IN_PROGRESS filter): read
    /// once at start-up, then retired.
    pub running_only: bool,
    /// Open gaps, the newest first.
    gaps: VecDeque<Gap>,
    /// The newest item this scope has listed and loaded, and its start.
    newest: Option<(String, Option<DateTime<Utc>>)>,
    pub pages: u32,
    /// The first complete reading is done: what can run has been seen.
    pub discovered: bool,
    pub retired: bool,
    pub health: Health,
    /// When this scope is next read; None: at the next cycle.
    pub due: Option<DateTime<Utc>>,
    step: Step,
    budget: u32,
}

impl Scope {
    pub fn new(resource: Resource, project: Option<String>, running_only: bool) -> Scope {
        Scope {
            resource,
            project,
            running_only,
            gaps: VecDeque::new(),
            newest: None,
            pages: 0,
            discovered: false,
            retired: false,
            health: Health::default(),
            due: None,
            step: Step::Idle,
            budget: 0,
        }
    }

    /// How the scope names itself on screen.
    pub fn name(&self) -> String {
        let what = match (self.resource, self.running_only) {
            (Resource::Builds, _) => "builds",
            (Resource::Batches, false) => "batches",
            (Resource::Batches, true) => "running batches",
        };
        match &self.project {
            Some(p) => format!("project {p} ({what})"),
            None => what.to_string(),
        }
    }

    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        !self.retired && self.due.is_none_or(|at| now >= at)
    }

    pub fn failing(&self) -> bool {
        self.health.failures > 0 || self.health.dead.is_some()
    }

    /// Older pages are still to be read (a burst, or the start-up reading).
    pub fn has_gaps(&self) -> bool {
        !self.gaps.is_empty()
    }

    /// Starts this scope's share of a cycle: its first request.
    pub fn begin(&mut self) -> Option<ListRequest> {
        self.budget = PAGES_PER_CYCLE;
        let until = match (&self.newest, self.resource, self.running_only) {
            (_, _, true) => Until::End,
            (Some((id, start)), _, _) => Until::Seen {
                id: id.clone(),
                start: *start,
            },
            (None, Resource::Builds, _) => Until::TooOld,
            (None, Resource::Batches, _) => Until::OnePage,
        };
        // A filtered listing reads from the top once, then goes on where it
        // failed. Otherwise a head left from an earlier cycle (its page or
        // its fetch failed) is merged into this one, keeping the stop that
        // reads further.
        if self.running_only {
            if !self.has_gaps() {
                self.gaps.push_front(Gap {
                    token: None,
                    until,
                    pages: 0,
                });
            }
            return self.next_request();
        }
        let mut until = until;
        self.gaps.retain(|g| {
            if g.token.is_some() {
                return true;
            }
            until = further(until.clone(), g.until.clone());
            false
        });
        self.gaps.push_front(Gap {
            token: None,
            until,
            pages: 0,
        });
        self.next_request()
    }

    fn next_request(&mut self) -> Option<ListRequest> {
        if self.budget == 0 {
            return None;
        }
        let gap = self.gaps.pop_front()?;
        self.budget -= 1;
        let request = ListRequest {
            resource: self.resource,
            project: self.project.clone(),
            next_token: gap.token.clone(),
            purpose: Purpose::Poll,
            running_only: self.running_only,
        };
        self.step = Step::Listing(gap);
        Some(request)
    }

    fn continue_or_finish(&mut self, mut outcome: Outcome) -> Outcome {
        match self.next_request() {
            Some(request) => outcome.effects.push(Effect::List(request)),
            None => {
                self.step = Step::Idle;
                outcome.done = true;
            }
        }
        outcome
    }

    /// True when this scope waits for the page `token` names.
    pub fn awaits(&self, token: &Option<String>) -> bool {
        matches!(&self.step, Step::Listing(gap) if gap.token == *token)
    }

    /// A page answered. `index` names this scope in the fetch it asks for.
    pub fn on_listed(
        &mut self,
        result: Result<(Vec<String>, Option<String>), ApiError>,
        store: &BuildStore,
        now: DateTime<Utc>,
        index: u16,
    ) -> Outcome {
        let Step::Listing(_) = &self.step else {
            return Outcome::default();
        };
        let Step::Listing(mut gap) = std::mem::replace(&mut self.step, Step::Idle) else {
            return Outcome::default();
        };
        let (mut ids, next) = match result {
            Ok(page) => page,
            Err(e) => {
                // Read again next time: the top is merged into the next head.
                self.gaps.push_front(gap);
                self.fail(e, now);
                return Outcome {
                    done: true,
                    ..Outcome::default()
                };
            }
        };
        // The API pages by 100; an endpoint that sends a million IDs on one
        // page is not fetched a million times.
        ids.truncate(MAX_PAGE_IDS);
        self.pages += 1;
        gap.pages += 1;
        self.health.failures = 0;
        self.health.last_error = None;
        self.health.dead = None;
        // An endpoint that hands back the same token, or pages on and on,
        // is not followed forever.
        let stuck = next.is_some() && next == gap.token;
        let next = next.filter(|_| !stuck && gap.pages < MAX_GAP_PAGES);
        let warning = (stuck && !self.health.stuck_token).then(|| stuck_warning(self.resource));
        self.health.stuck_token |= stuck;
        let (page, hit) = new_items(&ids, &gap.until, store, self.resource);
        let closed = hit || next.is_none() || gap.until == Until::OnePage;
        let unknown: Vec<String> = page
            .iter()
            .filter(|id| !known(store, self.resource, id))
            .cloned()
            .collect();
        if unknown.is_empty() {
            let mut outcome = self.after_page(gap, &page, next, closed, store, now);
            outcome.warning = warning;
            return outcome;
        }
        let purpose = Purpose::Discover(index);
        let effects = match self.resource {
            Resource::Builds => fetch_effects(unknown, purpose),
            Resource::Batches => fetch_batch_effects(unknown, purpose),
        };
        self.step = Step::Fetching {
            gap,
            page,
            next,
            closed,
            pending: effects.len(),
            error: None,
        };
        Outcome {
            effects,
            warning,
            ..Outcome::default()
        }
    }

    /// A fetch of the page's new items answered (and was applied).
    pub fn on_fetched(
        &mut self,
        error: Option<ApiError>,
        store: &BuildStore,
        now: DateTime<Utc>,
    ) -> Outcome {
        let Step::Fetching {
            pending, error: e, ..
        } = &mut self.step
        else {
            return Outcome::default();
        };
        *pending = pending.saturating_sub(1);
        if error.is_some() {
            *e = error;
        }
        if *pending > 0 {
            return Outcome::default();
        }
        let Step::Fetching {
            gap,
            page,
            next,
            closed,
            error,
            ..
        } = std::mem::replace(&mut self.step, Step::Idle)
        else {
            return Outcome::default();
        };
        if let Some(e) = error {
            // Read the page again next time: its items are not all known.
            self.gaps.push_front(gap);
            self.fail(e, now);
            return Outcome {
                done: true,
                ..Outcome::default()
            };
        }
        self.after_page(gap, &page, next, closed, store, now)
    }

    fn after_page(
        &mut self,
        gap: Gap,
        page: &[String],
        next: Option<String>,
        closed: bool,
        store: &BuildStore,
        now: DateTime<Utc>,
    ) -> Outcome {
        // The top of the list is where the next cycle stops: its newest
        // item that is loaded (one the service did not find is no stop).
        if gap.token.is_none() && !self.running_only {
            if let Some(id) = page.iter().find(|id| known(store, self.resource, id)) {
                self.newest = Some((id.clone(), start_of(store, self.resource, id)));
            }
        }
        let limit = now - Duration::hours(MAX_LIFETIME_HOURS);
        let too_old = gap.until != Until::End
            && oldest_start(store, self.resource, page).is_some_and(|t| t < limit);
        let mut outcome = Outcome::default();
        if closed || too_old {
            if matches!(gap.until, Until::TooOld | Until::OnePage) && !self.discovered {
                // Where the start-up reading ended, history paging begins.
                outcome.history_from = Some(next);
                self.discovered = true;
            }
            if gap.until == Until::End {
                self.discovered = true;
                self.retired = true;
            }
        } else {
            self.gaps.push_front(Gap {
                token: next,
                until: gap.until,
                pages: gap.pages,
            });
        }
        self.continue_or_finish(outcome)
    }

    fn fail(&mut self, e: ApiError, now: DateTime<Utc>) {
        self.health.failures += 1;
        self.health.last_error = Some((e, now));
    }

    /// Marks the scope as unable to work, with the reason shown; its open
    /// gaps stay, to be read once it works again.
    pub fn kill(&mut self, reason: String) {
        self.health.dead = Some(reason);
    }
}

/// The leading items of a page that are new: up to the item the gap stops
/// at. Items seen through another path (a batch's group build fetched on
/// its own) do not stop the reading unless they are older than the stop.
fn new_items(
    ids: &[String],
    until: &Until,
    store: &BuildStore,
    resource: Resource,
) -> (Vec<String>, bool) {
    let Until::Seen { id: stop, start } = until else {
        return (ids.to_vec(), false);
    };
    let at = ids.iter().position(|id| {
        id == stop
            || start.is_some_and(|stop_start| {
                start_of(store, resource, id).is_some_and(|t| t < stop_start)
            })
    });
    match at {
        Some(n) => (ids[..n].to_vec(), true),
        None => (ids.to_vec(), false),
    }
}

/// What the status line says when a list's next token is the one just
/// sent: asking again would only get the same page.
pub fn stuck_warning(resource: Resource) -> String {
    let list = match resource {
        Resource::Builds => "ListBuilds",
        Resource::Batches => "ListBuildBatches",
    };
    format!("{list} answered with the page token it was sent: stopped paging there")
}

fn known(store: &BuildStore, resource: Resource, id: &str) -> bool {
    match resource {
        Resource::Builds => store.builds.contains(id),
        Resource::Batches => store.batches.contains(id),
    }
}

fn start_of(store: &BuildStore, resource: Resource, id: &str) -> Option<DateTime<Utc>> {
    match resource {
        Resource::Builds => store.builds.get(id).and_then(|b| b.start),
        Resource::Batches => store.batches.get(id).and_then(|b| b.start),
    }
}

fn oldest_start(store: &BuildStore, resource: Resource, ids: &[String]) -> Option<DateTime<Utc>> {
    ids.iter()
        .filter_map(|id| start_of(store, resource, id))
        .min()
}

/// Why a failing list means the scope cannot work at all, if it does.
pub fn fatal(scope: &Scope, e: &ApiError) -> Option<String> {
    let operation = match (scope.resource, scope.project.is_some()) {
        (Resource::Builds, false) => "ListBuilds",
        (Resource::Builds, true) => "ListBuildsForProject",
        (Resource::Batches, false) => "ListBuildBatches",
        (Resource::Batches, true) => "ListBuildBatchesForProject",
    };
    match (e.kind, &scope.project, scope.resource) {
        (ErrorKind::NotFound, Some(p), _) => Some(format!("project {p} not found")),
        (ErrorKind::AccessDenied, _, Resource::Batches) => {
            Some(format!("batches: not authorized for codebuild:{operation}"))
        }
        (ErrorKind::InvalidInput | ErrorKind::Other, _, Resource::Batches) => Some(format!(
            "batches: this endpoint cannot list them ({})",
            e.message
        )),
        (ErrorKind::AccessDenied, _, Resource::Builds) => {
            Some(format!("builds: not authorized for codebuild:{operation}"))
        }
        _ => None,
    }
}
