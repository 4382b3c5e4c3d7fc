use clap::{Parser, Subcommand, ValueEnum};

use cbdash_sim::Scenario;

/// A live terminal dashboard for AWS CodeBuild.
///
/// Credentials and region come from the AWS default chain (environment,
/// profiles, SSO, instance metadata). Try `cbdash --demo` to run against the
/// built-in CodeBuild simulator with no AWS account.
#[derive(Debug, Parser)]
#[command(name = "cbdash", version, about, long_about, after_help = KEYS)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// AWS profile to use (from ~/.aws/config); repeat to watch several
    /// accounts, or give a glob over the profiles there: 'prod-*'
    #[arg(long, value_name = "NAME", global = true)]
    pub profile: Vec<String>,

    /// Watch every profile in the AWS config and credentials files
    #[arg(long, global = true, conflicts_with = "profile")]
    pub all_profiles: bool,

    /// AWS region, e.g. eu-west-1; several side by side: us-east-1,eu-west-1
    /// (default: from the profile or AWS_REGION)
    #[arg(long, value_name = "REGION", global = true, value_delimiter = ',')]
    pub region: Vec<String>,

    /// Any CodeBuild-compatible endpoint, e.g. http://127.0.0.1:4510
    #[arg(long, value_name = "URL", env = "AWS_ENDPOINT_URL", global = true)]
    pub endpoint_url: Option<String>,

    /// Watch only this project (repeat for several); default: every build in the region
    #[arg(long = "project", value_name = "NAME", global = true)]
    pub projects: Vec<String>,

    /// Seconds between polls while builds run (slower while none do)
    /// (default 3, or `poll_secs` in the config file)
    #[arg(long, value_name = "SECS", global = true, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub poll: Option<u64>,

    /// The config file to read (default: `cbdash config path`)
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<std::path::PathBuf>,

    /// Never change anything in the account
    #[arg(long)]
    pub read_only: bool,

    /// Lines of a build log kept in memory (older lines are dropped)
    /// (default 50000, or `log_lines` in the config file)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(100..=10_000_000))]
    pub log_lines: Option<u64>,

    /// Megabytes of one response read at most; a larger one is stopped
    /// (default 64, or `max_response_mb` in the config file)
    #[arg(long, value_name = "MB", global = true, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_response_mb: Option<u64>,

    /// ASCII-only symbols and borders, for terminals without Unicode
    /// (NO_COLOR set and not empty: no colour either)
    #[arg(long, global = true)]
    pub ascii: bool,

    /// Show PLAINTEXT environment variable values as dots in forms, reviews and comparisons
    #[arg(long, global = true)]
    pub mask_values: bool,

    /// Run against the built-in simulator with dummy credentials: no AWS account needed
    #[arg(long, conflicts_with_all = ["profile", "all_profiles", "endpoint_url"])]
    pub demo: bool,

    /// Scenario seed for --demo
    #[arg(long, value_name = "N", default_value_t = 42, requires = "demo")]
    pub seed: u64,

    /// Simulated seconds per real second for --demo
    #[arg(long, value_name = "X", default_value_t = 1.0, requires = "demo")]
    pub speed: f64,

    /// What the --demo simulator's account looks like
    #[arg(long, value_enum, default_value_t = ScenarioArg::Demo, requires = "demo")]
    pub scenario: ScenarioArg,

    /// What the dashboard opens on: the builds, or the projects board
    #[arg(long, value_enum, default_value_t = ViewArg::Builds)]
    pub view: ViewArg,
}

/// The views the dashboard can open on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ViewArg {
    /// The builds list and the selected build's details
    Builds,
    /// One row per project, the ones that need attention first
    Projects,
}

/// The simulator scenarios offered on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScenarioArg {
    /// Ten projects, a week of history, a few builds running
    Demo,
    /// 300 projects, ~5,000 builds in 36 h, 150+ running, bursts of 120
    Busy,
    /// The demo's projects without any builds
    Quiet,
    /// No projects and no builds: create your own with create-project
    Empty,
}

impl From<ScenarioArg> for Scenario {
    fn from(arg: ScenarioArg) -> Scenario {
        match arg {
            ScenarioArg::Demo => Scenario::Demo,
            ScenarioArg::Busy => Scenario::Busy,
            ScenarioArg::Quiet => Scenario::Quiet,
            ScenarioArg::Empty => Scenario::Empty,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Follow one build (or batch build) until it completes, printing its phases as plain lines
    ///
    /// Times are local, with their offset. Exits 0 when the build succeeded,
    /// 1 when it did not (the failing phase's context, or a batch's groups
    /// that did not succeed, go to stderr), 2 when it could not be watched
    /// or the answer could not be trusted. A closed stdout (`| head`) ends
    /// it quietly.
    Watch {
        /// The build or batch ID, e.g. my-project:0123abcd-…
        build_id: String,
    },
    /// Print what changed between a build and the last successful build of its project
    ///
    /// Without OTHER_ID, the other build is the last success before it on
    /// the same source version, else the project's last success (up to 300
    /// of the project's builds are read). Only what differs is printed:
    /// source, commit, image, compute type, environment variables,
    /// buildspec, timeouts, initiator, and each phase's duration with the
    /// delta. Exits 0 when it could compare, 1 when it could not (a build
    /// not found, no earlier success), 2 on bad usage.
    Diff {
        /// The build to explain, e.g. my-project:0123abcd-…
        build_id: String,
        /// The build to compare it with (default: the last success before it)
        other_id: Option<String>,
    },
    /// Where the config file is read from, and whether it is valid
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print the current builds and batches, newest first
    ///
    /// Reads back until every build that can still be running is found.
    /// Exits 0 when the list is complete, 3 when it is printed but partial
    /// or unverified (a call failed or answered what cannot be trusted; the
    /// message says what is missing), 2 when nothing could be listed.
    Ls {
        /// One JSON array instead of text lines, with each build's report
        /// totals (one BatchGetReports per 100 reports)
        #[arg(long)]
        json: bool,
        /// The projects board's figures instead, a line (or JSON object) a
        /// project: each project's newest 50 builds are read first (one
        /// ListBuildsForProject and one BatchGetBuilds each)
        #[arg(long = "projects")]
        board: bool,
    },
    /// Run the CodeBuild simulator alone, for the AWS CLI and scripts
    ///
    /// It speaks CodeBuild's JSON protocol on 127.0.0.1, e.g.:
    ///   aws --endpoint-url http://127.0.0.1:4510 codebuild list-builds
    ///
    /// With --scenario empty it is a local CodeBuild with no projects yet:
    /// create-project, then start-build, stop-build, batch-delete-builds
    /// and delete-project as against the service.
    Sim {
        /// Port on 127.0.0.1 (0 picks a free one)
        #[arg(long, default_value_t = 4510)]
        port: u16,
        /// Scenario seed: the same seed gives the same projects and builds
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Simulated seconds per real second
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// What the simulated accounts look like
        #[arg(long, value_enum, default_value_t = ScenarioArg::Demo)]
        scenario: ScenarioArg,
    },
    /// Print a shell completion script, e.g. `cbdash completions bash > ~/.local/share/bash-completion/completions/cbdash`
    Completions {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `cbdash man > ~/.local/share/man/man1/cbdash.1`
    Man,
}

const KEYS: &str = "Keys: j/k move · Tab pane · Enter details · / filter · r refresh · o open link · y copy link · ? help · q quit";

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the config file's path (see assets/config.example.toml for every key)
    Path,
}
