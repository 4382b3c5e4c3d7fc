use std::process::ExitCode;

use chrono::Local;
use clap::{CommandFactory, Parser};

use cbdash::aws::{profiles, ConnectOptions};
use cbdash::cli::{Cli, Command, ConfigAction};
use cbdash::config::{self, Sources};
use cbdash_sim::{serve_until_ctrl_c, SimConfig, SimHandle};
// Errors may quote a file or a name the user gave: shown inert.
use cbdash::text::inert;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Completions { shell }) = cli.command {
        // Written whole to memory first: the generator panics on a closed pipe.
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "cbdash", &mut script);
        return print_bytes(&script);
    }
    if let Some(Command::Man) = cli.command {
        let mut page = Vec::new();
        if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut page) {
            say_err(&format!("cbdash: cannot write the manual page: {e}"));
            return ExitCode::FAILURE;
        }
        return print_bytes(&page);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say_err(&format!("cbdash: cannot start: {e}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say_err(&format!("cbdash: {e}"));
            ExitCode::FAILURE
        }
    }
}

/// A line on stdout; a closed pipe (`| head`) is not an error to report.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Generated text on stdout; a closed pipe (`| head`) is not an error to report.
fn print_bytes(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let _ = std::io::stdout().write_all(bytes);
    ExitCode::SUCCESS
}

/// A line on stderr, inert (errors can quote file text); after a closed
/// terminal stderr is gone too, and `eprintln!` would panic over it.
fn say_err(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", inert(line));
}

async fn run(cli: Cli) -> std::io::Result<()> {
    let config_path = cli.config.clone().or_else(config::default_path);
    if let Some(Command::Config {
        action: ConfigAction::Path,
    }) = &cli.command
    {
        match &config_path {
            Some(path) => say(&path.display().to_string()),
            None => say("(no config directory for this user)"),
        }
        return Ok(());
    }
    if let Some(Command::Sim {
        port,
        seed,
        speed,
        scenario,
    }) = cli.command
    {
        let config = SimConfig {
            seed,
            speed,
            port,
            scenario: scenario.into(),
        };
        return serve_until_ctrl_c(config).await;
    }
    // A bad config stops the program: it never runs on half of one.
    let file = match config_path.as_deref().map(config::load).transpose() {
        Ok(file) => file.unwrap_or_default(),
        Err(e) => {
            say_err(&format!("cbdash: {e}"));
            std::process::exit(2);
        }
    };
    let known_profiles = profiles::known_profiles();
    let profile_files = profiles::files_looked_in();
    let env = |name: &str| std::env::var_os(name);
    let sources = Sources {
        cli: &cli,
        file: &file,
        env: &env,
        known_profiles: &known_profiles,
        profile_files: &profile_files,
    };
    if let Some(Command::Watch { .. } | Command::Ls { .. } | Command::Diff { .. }) = &cli.command {
        let (settings, mut options) = or_exit(sources.headless(*Local::now().offset()));
        // `--demo ls` reads the built-in simulator, as the dashboard would.
        let _sim = if cli.demo {
            let sim = SimHandle::start(SimConfig {
                seed: cli.seed,
                speed: cli.speed,
                port: 0,
                scenario: cli.scenario.into(),
            })
            .await?;
            options = ConnectOptions::for_simulator(sim.endpoint_url());
            Some(sim)
        } else {
            None
        };
        let code = if let Some(Command::Watch { build_id }) = &cli.command {
            cbdash::runtime::headless::watch(settings, options, build_id).await
        } else if let Some(Command::Diff { build_id, other_id }) = &cli.command {
            cbdash::runtime::headless::diff(settings, options, build_id, other_id.as_deref()).await
        } else {
            let (json, projects) = match cli.command {
                Some(Command::Ls { json, board }) => (json, board),
                _ => (false, false),
            };
            if projects {
                cbdash::runtime::headless::ls_projects(settings, options, json).await
            } else {
                cbdash::runtime::headless::ls(settings, options, json).await
            }
        };
        std::process::exit(i32::from(code));
    }
    {
        use std::io::IsTerminal;
        if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
            say_err("cbdash needs a terminal; use `cbdash ls` or `cbdash watch` in scripts");
            std::process::exit(2);
        }
    }
    let tz = *Local::now().offset();
    // Kept alive for as long as the dashboard runs.
    let mut sims = Vec::new();
    let (mut settings, options) = if cli.demo {
        let mut settings = sources.settings();
        // One simulator per region asked for: two regions, side by side.
        let regions = if cli.region.is_empty() {
            vec!["us-east-1".to_string()]
        } else {
            cli.region.clone()
        };
        let mut options = Vec::new();
        for (i, region) in regions.iter().enumerate() {
            let sim = SimHandle::start(SimConfig {
                seed: cli.seed + i as u64,
                speed: cli.speed,
                port: 0,
                scenario: cli.scenario.into(),
            })
            .await?;
            let mut o = ConnectOptions::for_simulator(sim.endpoint_url());
            o.region = Some(region.clone());
            o.max_response_bytes = sources.max_response_bytes();
            options.push(o);
            sims.push(sim);
        }
        settings.context = match sims.first() {
            Some(sim) if sims.len() == 1 => format!("demo · simulator at {}", sim.endpoint_url()),
            _ => format!("demo · {} simulated regions", sims.len()),
        };
        if regions.len() > 1 {
            settings.context_names = regions;
        }
        // The demo's projects are not the user's: their presets and the
        // projects the config file watches stay apart.
        settings.projects = cli.projects.clone();
        settings.presets_file = Some(std::env::temp_dir().join("cbdash-demo-presets.json"));
        (settings, options)
    } else {
        or_exit(sources.dashboard())
    };
    settings.tz = tz;
    settings.token_seed = token_seed();
    settings.open_board = cli.view == cbdash::cli::ViewArg::Projects;
    cbdash::runtime::run(settings, options).await
}

/// The value, or the reason on stderr and exit code 2: nothing runs on
/// settings that cannot be decided.
fn or_exit<T>(decided: Result<T, String>) -> T {
    match decided {
        Ok(value) => value,
        Err(e) => {
            say_err(&format!("cbdash: {e}"));
            std::process::exit(2);
        }
    }
}

/// Different for every run, so idempotency tokens never repeat across runs.
fn token_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}
