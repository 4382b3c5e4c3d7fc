use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::metrics::{MetricFilter, MetricName, MetricQuery, QueryResult};
use crate::domain::{ApiError, BuildId, CasePage, CoveragePage, Report, StartRequest, TrendField};
use crate::domain::{Fetched, FetchedBatches, ListPage, LogPage, Started};
use crate::presets::Preset;

/// Failed test cases read for the details and `watch`, per report.
pub const INLINE_CASES: i32 = 10;

/// The API's limit on IDs per BatchGetBuilds and BatchGetBuildBatches.
pub const BATCH_LIMIT: usize = 100;

/// Everything that can happen to the program, in the order it happened.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Text pasted into the terminal, in one piece (bracketed paste).
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock moved: elapsed times change and polls may be due.
    Tick(DateTime<Utc>),
    /// A poll came due between two ticks: only the polls are looked at
    /// (with many contexts this comes many times a second).
    PollDue(DateTime<Utc>),
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
    Projects(Result<Vec<String>, ApiError>),
    /// GetCallerIdentity: the account the context's credentials belong to.
    Identified(Result<String, ApiError>),
    /// A page of a build's log stream.
    LogPage {
        build: String,
        result: Result<LogPage, ApiError>,
    },
    /// Saved presets of a project, the last used first.
    PresetsLoaded(Result<Vec<Preset>, String>),
    /// A preset file operation finished: what to tell the user.
    PresetsDone(Result<String, String>),
    /// A command that changes the account answered.
    Sent(Box<Sent>),
    /// An answer from the account and region numbered `context` (the first,
    /// 0, sends its answers unwrapped).
    From {
        context: u16,
        msg: Box<Msg>,
    },
    /// A page of a project's builds, looked through for an earlier success.
    Candidates {
        request: FindRequest,
        result: Result<(Fetched, Option<String>), ApiError>,
    },
    /// BatchGetReports answered for these ARNs.
    Reports {
        arns: Vec<String>,
        result: Result<Vec<Report>, ApiError>,
    },
    /// A page of DescribeTestCases.
    Cases {
        request: CaseRequest,
        result: Result<CasePage, ApiError>,
    },
    /// A page of DescribeCodeCoverages.
    Coverages {
        request: CoverageRequest,
        result: Result<CoveragePage, ApiError>,
    },
    /// GetReportGroupTrend answered: the values, newest first.
    Trend {
        request: TrendRequest,
        result: Result<Vec<f64>, ApiError>,
    },
    /// ListMetrics answered: the metrics' exact names.
    MetricsListed {
        request: MetricsListRequest,
        result: Result<Vec<MetricName>, ApiError>,
    },
    /// GetMetricData answered, per query ID.
    MetricData {
        request: MetricDataRequest,
        result: Result<Vec<QueryResult>, ApiError>,
    },
    /// A project's newest builds, for the projects board.
    Backfilled {
        project: String,
        result: Result<Fetched, ApiError>,
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
    /// The new items of a discovery page, for the scope numbered here.
    Discover(u16),
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
    /// Only what runs (ListBuildBatches' IN_PROGRESS filter).
    pub running_only: bool,
}

/// A page of the builds of the compared build's project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindRequest {
    /// The build compared.
    pub target: String,
    pub project: String,
    pub next_token: Option<String>,
}

/// Who asked for test cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CasePurpose {
    /// The first few failures, inline in the details.
    Inline,
    /// The test cases view.
    View,
}

/// One page of DescribeTestCases of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRequest {
    pub report_arn: String,
    /// filter.status: FAILED first, then the rest.
    pub status: Option<String>,
    /// filter.keyword, when the user searches.
    pub keyword: Option<String>,
    pub max_results: i32,
    pub next_token: Option<String>,
    pub purpose: CasePurpose,
    /// The view's search this page belongs to.
    pub generation: u32,
}

impl CaseRequest {
    /// The first few FAILED cases of a report, for the details.
    pub fn inline(report_arn: &str) -> CaseRequest {
        CaseRequest {
            report_arn: report_arn.to_string(),
            status: Some("FAILED".to_string()),
            keyword: None,
            max_results: INLINE_CASES,
            next_token: None,
            purpose: CasePurpose::Inline,
            generation: 0,
        }
    }
}

/// One page of DescribeCodeCoverages of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRequest {
    pub report_arn: String,
    /// sortBy FILE_PATH, else LINE_COVERAGE_PERCENTAGE.
    pub by_path: bool,
    /// sortOrder DESCENDING, else ASCENDING.
    pub descending: bool,
    pub max_results: i32,
    pub next_token: Option<String>,
    /// The view's order this page belongs to.
    pub generation: u32,
}

/// GetReportGroupTrend of one field of a report group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendRequest {
    pub group_arn: String,
    pub field: TrendField,
    pub reports: i32,
}

/// Who asked for metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsPurpose {
    /// The build on screen, all of its resources.
    Build(BuildId),
    /// The CPU of a context's running builds, for hung detection: the
    /// builds of query IDs b0, b1, … (none for ListMetrics).
    Idle(Vec<BuildId>),
}

/// ListMetrics in AWS/CodeBuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsListRequest {
    pub purpose: MetricsPurpose,
    pub filter: MetricFilter,
}

/// GetMetricData: at most 500 queries between two times (epoch seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricDataRequest {
    pub purpose: MetricsPurpose,
    pub queries: Vec<MetricQuery>,
    pub start: i64,
    pub end: i64,
}

/// Work for the runtime; its results come back as messages.
#[derive(Debug, Clone, PartialEq)]
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
    /// One page of ListBuildsForProject (newest first) and BatchGetBuilds
    /// of its IDs: where an earlier success is looked for.
    FindSuccess(FindRequest),
    /// BatchGetReports; never more than 100 ARNs.
    FetchReports {
        arns: Vec<String>,
    },
    /// One page of DescribeTestCases.
    DescribeCases(CaseRequest),
    /// One page of DescribeCodeCoverages.
    DescribeCoverages(CoverageRequest),
    /// GetReportGroupTrend.
    Trend(TrendRequest),
    /// ListMetrics, every page (bounded).
    ListMetrics(MetricsListRequest),
    /// GetMetricData, every page (bounded).
    MetricData(MetricDataRequest),
    /// ListProjects, for the picker and the board.
    ListProjects,
    /// ListBuildsForProject's first page and BatchGetBuilds of its newest
    /// `limit` builds (at most 100): the projects board's history.
    Backfill {
        project: String,
        limit: usize,
    },
    /// STS GetCallerIdentity, once per context.
    Identify,
    /// GetLogEvents from the head, or onward from `next_token`.
    ReadLog {
        build: String,
        group: String,
        stream: String,
        next_token: Option<String>,
    },
    /// Read or write the preset file.
    Presets(Box<PresetOp>),
    /// A change to the account: only ever after the user confirmed it.
    Send(Command),
    /// `effect`, aimed at the account and region numbered `context`.
    At {
        context: u16,
        effect: Box<Effect>,
    },
    OpenUrl(String),
    /// Put text on the clipboard with OSC 52.
    Copy(String),
    /// The terminal bell and a desktop notification (OSC 9 and OSC 777).
    Notify {
        title: String,
        body: String,
    },
    Quit,
}

/// Calls that change the account, aimed at the IDs captured when the user
/// asked, whatever the list does meanwhile.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    StopBuild {
        id: String,
    },
    StopBatch {
        id: String,
    },
    RetryBuild {
        id: String,
        token: String,
    },
    /// `retry_type`: RETRY_FAILED_BUILDS or RETRY_ALL_BUILDS.
    RetryBatch {
        id: String,
        token: String,
        retry_type: String,
    },
    Start(Box<StartRequest>),
}

/// File work for the runtime: it owns the preset file.
#[derive(Debug, Clone, PartialEq)]
pub enum PresetOp {
    Save { project: String, preset: Preset },
    Load { project: String },
    RememberLast { project: String, preset: Preset },
}

/// A command and its answer (boxed in `Msg`: builds are large).
#[derive(Debug, Clone)]
pub struct Sent {
    pub command: Command,
    pub result: Result<Started, ApiError>,
}

impl Effect {
    /// The effect aimed at `context`; the first context needs no wrapping.
    pub fn at(self, context: u16) -> Effect {
        if context == 0 {
            self
        } else {
            Effect::At {
                context,
                effect: Box::new(self),
            }
        }
    }
}

fn chunks(ids: Vec<String>) -> impl Iterator<Item = Vec<String>> {
    let chunks: Vec<Vec<String>> = ids.chunks(BATCH_LIMIT).map(<[String]>::to_vec).collect();
    chunks.into_iter()
}

/// BatchGetBuilds effects for `ids`, at most 100 per call.
pub fn fetch_effects(ids: Vec<String>, purpose: Purpose) -> Vec<Effect> {
    chunks(ids)
        .map(|ids| Effect::Fetch { purpose, ids })
        .collect()
}

/// BatchGetBuildBatches effects for `ids`, at most 100 per call.
pub fn fetch_batch_effects(ids: Vec<String>, purpose: Purpose) -> Vec<Effect> {
    chunks(ids)
        .map(|ids| Effect::FetchBatches { purpose, ids })
        .collect()
}
