use chrono::{DateTime, FixedOffset, Utc};

use super::history::History;
use super::layout;
use super::list::ListView;
use super::overlay::Overlay;
use super::poll::Poller;
use super::row::Row;
use super::runaway::{ProjectStats, Reason, Thresholds};
use super::store::BuildStore;
use super::tree::{self, TreeNode};
use crate::domain::{Build, BuildBatch, BuildId, Link};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Builds,
    /// The dependency tree of the selected batch.
    Tree,
    Phases,
    Links,
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
    /// Seeds idempotency tokens, different for every run.
    pub token_seed: u64,
    /// Draw PLAINTEXT environment values as dots.
    pub mask_plaintext: bool,
    /// Where presets are kept; None: the user's data directory.
    pub presets_file: Option<std::path::PathBuf>,
    /// Lines of a log kept in memory; older ones are dropped.
    pub log_lines: usize,
    pub runaway: Thresholds,
    /// Every build of these projects is watched.
    pub notify_projects: Vec<String>,
    /// The list's columns by name, in order; None: all that fit.
    pub columns: Option<Vec<String>>,
    /// One name per account and region watched, when there are several.
    pub context_names: Vec<String>,
    /// Keys rebound in the config file.
    pub keys: Vec<super::keymap::Override>,
    /// No colour on the screen (NO_COLOR): symbols, bold and reverse only.
    pub no_color: bool,
    /// ASCII-only symbols and borders, for terminals without Unicode.
    pub ascii: bool,
    /// Test cases per DescribeTestCases page: 100, the API's largest.
    pub case_page: i32,
    /// Files per DescribeCodeCoverages page: 100.
    pub coverage_page: i32,
    /// Open on the projects board (`--view projects`).
    pub open_board: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            context: String::new(),
            read_only: false,
            poll_secs: 3,
            projects: Vec::new(),
            tz: chrono::Offset::fix(&chrono::Utc),
            token_seed: 0,
            mask_plaintext: false,
            presets_file: None,
            log_lines: 50_000,
            runaway: Thresholds::default(),
            notify_projects: Vec::new(),
            columns: None,
            context_names: Vec::new(),
            keys: Vec::new(),
            no_color: false,
            ascii: false,
            case_page: super::overlay::CASE_PAGE,
            coverage_page: super::overlay::COVERAGE_PAGE,
            open_board: false,
        }
    }
}

/// Seconds between two learnings of typical durations.
const LEARN_EVERY_SECS: i64 = 30;

/// Milliseconds between the first polls of successive contexts.
const START_SPREAD_MS: i64 = 50;

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
    /// Long phase context messages shown in full rather than folded.
    pub context_unfolded: bool,
    pub link_cursor: usize,
    /// The tree line chosen in the selected batch; None shows the batch itself.
    pub tree_cursor: Option<usize>,
    pub tree_offset: usize,
    /// The group build last fetched on demand, so it is asked for once.
    pub detail_requested: Option<String>,
    /// What is open over the panes: at most one thing.
    pub overlay: Overlay,
    pub poller: Poller,
    pub history: History,
    pub notice: Option<Notice>,
    /// The account and region the form's build starts in.
    pub form_context: u16,
    /// Typical durations per project, relearnt when builds completed.
    pub stats: HashMap<String, ProjectStats>,
    pub stats_stale: bool,
    /// When typical durations were last learnt.
    pub stats_at: Option<DateTime<Utc>>,
    /// Running builds flagged as runaways, and why.
    pub runaways: HashMap<BuildId, Reason>,
    /// Show only runaways in the list.
    pub runaway_only: bool,
    /// The accounts and regions after the first, each polled on its own.
    pub contexts: Vec<ExtraContext>,
    /// While an answer is handled: the context it came from.
    pub answer_context: u16,
    /// Builds whose end the user wants to hear about.
    pub watched: std::collections::HashSet<BuildId>,
    /// Commands sent and not answered yet.
    pub sending: usize,
    /// Test and coverage reports of the builds looked at.
    pub reports: super::report_cache::Reports,
    /// Report group trends, by group and field.
    pub trends: super::report_cache::Trends,
    /// The projects board's rows and back-fill.
    pub board: super::board::Board,
    /// CPU, memory and disk of the builds looked at; hung detection.
    pub resources: super::resource_cache::Resources,
    tokens_issued: u64,
    pub quit: bool,
}

impl State {
    pub fn new(settings: Settings, now: DateTime<Utc>) -> State {
        let poller = Poller::new(settings.poll_secs, settings.projects.clone());
        // Many accounts and regions start a little apart, not all at once.
        let contexts = (1..settings.context_names.len().max(1))
            .map(|i| ExtraContext {
                poller: Poller::for_context(
                    settings.poll_secs,
                    settings.projects.clone(),
                    i as u16,
                    Some(now + chrono::Duration::milliseconds(START_SPREAD_MS * i as i64)),
                ),
                history: History::default(),
            })
            .collect();
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
            context_unfolded: false,
            link_cursor: 0,
            tree_cursor: None,
            tree_offset: 0,
            detail_requested: None,
            overlay: Overlay::None,
            poller,
            history: History::default(),
            notice: None,
            form_context: 0,
            stats: HashMap::new(),
            stats_stale: false,
            stats_at: None,
            runaways: HashMap::new(),
            runaway_only: false,
            watched: std::collections::HashSet::new(),
            contexts,
            answer_context: 0,
            sending: 0,
            reports: super::report_cache::Reports::default(),
            trends: super::report_cache::Trends::default(),
            resources: super::resource_cache::Resources::default(),
            board: super::board::Board::default(),
            tokens_issued: 0,
            quit: false,
        }
    }

    /// The panes cycled by Tab: the tree only while a batch is selected.
    pub fn panes(&self) -> Vec<Pane> {
        if self.selected_batch().is_some() {
            vec![Pane::Builds, Pane::Tree, Pane::Phases, Pane::Links]
        } else {
            vec![Pane::Builds, Pane::Phases, Pane::Links]
        }
    }

    /// The poller, history and store of one context (0 is the first).
    pub fn split(&mut self, context: u16) -> (&mut Poller, &mut History, &BuildStore) {
        match context
            .checked_sub(1)
            .and_then(|i| self.contexts.get_mut(usize::from(i)))
        {
            Some(extra) => (&mut extra.poller, &mut extra.history, &self.store),
            None => (&mut self.poller, &mut self.history, &self.store),
        }
    }

    /// Every context's poller, with its number (0 is the first).
    pub fn pollers(&self) -> impl Iterator<Item = (u16, &Poller)> {
        std::iter::once(&self.poller)
            .chain(self.contexts.iter().map(|c| &c.poller))
            .enumerate()
            .map(|(i, p)| (i as u16, p))
    }

    /// The name of a context, as the list and header show it.
    pub fn context_name(&self, context: u16) -> &str {
        self.settings
            .context_names
            .get(usize::from(context))
            .map_or("", String::as_str)
    }

    pub fn selected_batch(&self) -> Option<&BuildBatch> {
        match self.list.selected()? {
            Row::Batch(id) => self.store.batches.get(id),
            _ => None,
        }
    }

    /// The selected batch's groups as tree lines.
    pub fn tree_nodes(&self) -> Vec<TreeNode> {
        match self.selected_batch() {
            Some(batch) => tree::flatten(batch, &self.store, self.now),
            None => Vec::new(),
        }
    }

    /// The build the chosen tree line runs, by ID (it may not be loaded yet).
    pub fn selected_group_build_id(&self) -> Option<String> {
        let batch = self.selected_batch()?;
        let group = tree::group_at(batch, self.tree_cursor?)?;
        let summary = batch.groups.get(group)?.current.as_ref()?;
        summary.build_id().map(str::to_string)
    }

    /// The build the details panes show: the selected row's, or for a batch
    /// the build of the group chosen in its tree.
    pub fn selected_build(&self) -> Option<&Build> {
        match self.list.selected()? {
            Row::Batch(_) => self
                .selected_group_build_id()
                .and_then(|id| self.store.get(&id)),
            row => row.build_id().and_then(|id| self.store.get(id)),
        }
    }

    /// The links pane's rows: the shown build's, or the batch's own ARN.
    pub fn detail_links(&self) -> Vec<Link> {
        if let Some(build) = self.selected_build() {
            return build.links();
        }
        match self.selected_batch().and_then(|b| b.arn.clone()) {
            Some(arn) => vec![Link {
                label: "Batch ARN",
                value: arn,
                is_url: false,
            }],
            None => Vec::new(),
        }
    }

    /// Rows of the builds list that fit on screen now.
    pub fn visible_rows(&self) -> usize {
        layout::build_rows(self.width, self.height)
    }

    pub fn refresh_list(&mut self) {
        let rows = self.visible_rows();
        let only = self.runaway_only.then_some(&self.runaways);
        self.list.rebuild(
            &self.store,
            &self.filter,
            only,
            &self.settings.context_names,
            self.now,
            rows,
        );
    }

    /// Relearns typical durations if builds completed, and re-flags the
    /// running builds against them (once a second, on the clock tick).
    pub fn assess_runaways(&mut self) {
        // Typical durations move slowly: relearnt at most every 30 s, so a
        // busy account does not rescan its history every second.
        let due = self
            .stats_at
            .is_none_or(|at| (self.now - at).num_seconds() >= LEARN_EVERY_SECS);
        if self.stats_stale && due {
            self.stats = super::runaway::learn(&self.store);
            self.stats_stale = false;
            self.stats_at = Some(self.now);
        }
        let before = self.runaways.len();
        self.runaways = self
            .store
            .running_ids()
            .iter()
            .filter_map(|id| self.store.get(id))
            .filter_map(|b| {
                super::runaway::assess(
                    b,
                    self.stats.get(&b.project),
                    &self.settings.runaway,
                    self.now,
                )
                .or_else(|| {
                    super::runaway::idle(self.resources.idle.get(&b.id), &self.settings.runaway)
                })
                .map(|r| (b.id.clone(), r))
            })
            .collect();
        if self.runaway_only && before != self.runaways.len() {
            self.refresh_list();
        }
    }

    /// A fresh idempotency token: unique per submission (seeded per run),
    /// and the same for every automatic retry of it.
    pub fn next_token(&mut self) -> String {
        self.tokens_issued += 1;
        let mut z = self
            .settings
            .token_seed
            .wrapping_add(self.tokens_issued.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        format!("cbdash-{:016x}-{}", z, self.tokens_issued)
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

/// An account and region polled beside the first.
#[derive(Debug)]
pub struct ExtraContext {
    pub poller: Poller,
    pub history: History,
}
