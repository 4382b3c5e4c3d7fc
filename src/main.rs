use std::process::ExitCode;

use chrono::Local;
use clap::{CommandFactory, Parser};

use cbdash::app::Settings;
use cbdash::aws::ConnectOptions;
use cbdash::sim::{serve_until_ctrl_c, SimConfig, SimHandle};
// Errors may quote a file or a name the user gave: shown inert.
use cbdash::text::inert;

mod cli;

use cbdash::app::keymap;
use cbdash::app::runaway::Thresholds;
use cbdash::config::{self, Config};
use cli::{Cli, Command, ConfigAction};

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
    if let Some(Command::Watch { .. } | Command::Ls { .. }) = &cli.command {
        let (settings, mut options) = headless_setup(&cli, &file);
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
        } else {
            let json = matches!(cli.command, Some(Command::Ls { json: true }));
            cbdash::runtime::headless::ls(settings, options, json).await
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
    let mut settings = settings_from(&cli, &file);
    settings.tz = tz;
    settings.token_seed = token_seed();
    // Kept alive for as long as the dashboard runs.
    let mut sims = Vec::new();
    let contexts = if cli.demo {
        // One simulator per region asked for: two regions, side by side.
        let regions = if cli.region.is_empty() {
            vec!["us-east-1".to_string()]
        } else {
            cli.region.clone()
        };
        let mut contexts = Vec::new();
        for (i, region) in regions.iter().enumerate() {
            let sim = SimHandle::start(SimConfig {
                seed: cli.seed + i as u64,
                speed: cli.speed,
                port: 0,
                scenario: cli.scenario.into(),
            })
            .await?;
            let mut options = ConnectOptions::for_simulator(sim.endpoint_url());
            options.region = Some(region.clone());
            options.max_response_bytes = max_response_bytes(&cli, &file);
            contexts.push((region.clone(), options));
            sims.push(sim);
        }
        settings.context = match sims.first() {
            Some(sim) if sims.len() == 1 => format!("demo · simulator at {}", sim.endpoint_url()),
            _ => format!("demo · {} simulated regions", sims.len()),
        };
        // The demo's projects are not the user's: their presets and the
        // projects the config file watches stay apart.
        settings.projects = cli.projects.clone();
        settings.presets_file = Some(std::env::temp_dir().join("cbdash-demo-presets.json"));
        contexts
    } else {
        let contexts = connect_options(&cli, &file);
        settings.context = match contexts.as_slice() {
            [(_, _)] => context_label(&cli),
            many => format!("{} accounts and regions", many.len()),
        };
        contexts
    };
    if contexts.len() > 1 {
        settings.context_names = contexts.iter().map(|(name, _)| name.clone()).collect();
    }
    let options = contexts.into_iter().map(|(_, o)| o).collect();
    cbdash::runtime::run(settings, options).await
}

/// The response size limit: the command line's, else the file's, else 64 MB.
fn max_response_bytes(cli: &Cli, file: &Config) -> u64 {
    cli.max_response_mb
        .or(file.max_response_mb)
        .map_or(cbdash::aws::DEFAULT_MAX_RESPONSE_BYTES, |mb| {
            mb * 1024 * 1024
        })
}

/// Header text naming where the dashboard looks.
fn context_label(cli: &Cli) -> String {
    let profile = cli
        .profile
        .first()
        .cloned()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".into());
    let region = cli
        .region
        .first()
        .cloned()
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok());
    let mut parts = vec![format!("profile {profile}")];
    if let Some(r) = region {
        parts.push(r);
    }
    if let Some(url) = &cli.endpoint_url {
        parts.push(url.clone());
    }
    if !cli.projects.is_empty() {
        parts.push(format!("projects: {}", cli.projects.join(", ")));
    }
    parts.join(" · ")
}

/// Different for every run, so idempotency tokens never repeat across runs.
fn token_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// Settings and connection for the commands that print instead of drawing.
fn headless_setup(cli: &Cli, file: &Config) -> (Settings, ConnectOptions) {
    let settings = Settings {
        read_only: true,
        tz: *Local::now().offset(),
        ..settings_from(cli, file)
    };
    // Scripts watch one account and region: the first given.
    let options = connect_options(cli, file)
        .into_iter()
        .next()
        .map(|(_, options)| options)
        .unwrap_or_default();
    (settings, options)
}

/// The command line wins over the config file, which wins over defaults.
fn settings_from(cli: &Cli, file: &Config) -> Settings {
    let defaults = Settings::default();
    let r = &file.runaway;
    Settings {
        read_only: cli.read_only || file.read_only,
        poll_secs: cli.poll.or(file.poll_secs).unwrap_or(defaults.poll_secs),
        projects: if cli.projects.is_empty() {
            file.projects.clone()
        } else {
            cli.projects.clone()
        },
        mask_plaintext: cli.mask_values || file.mask_plaintext,
        log_lines: cli
            .log_lines
            .map(|n| n as usize)
            .or(file.log_lines)
            .unwrap_or(defaults.log_lines),
        notify_projects: file.notify_projects.clone(),
        keys: file
            .keys
            .iter()
            .filter_map(|(name, spec)| {
                keymap::action_named(name).map(|action| keymap::Override {
                    action,
                    code: spec.code,
                    modifiers: spec.modifiers,
                })
            })
            .collect(),
        columns: file
            .columns
            .as_ref()
            .map(|cols| cols.iter().map(|c| c.name().to_string()).collect()),
        runaway: Thresholds {
            p90_factor: r.p90_factor,
            timeout_fraction: r.timeout_fraction,
            phase_factor: r.phase_factor,
            min_history: r.min_history,
        },
        no_color: no_color_asked(),
        ascii: cli.ascii || file.ascii,
        ..defaults
    }
}

/// NO_COLOR set and not empty asks for no colour (https://no-color.org).
fn no_color_asked() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The profiles given, globs expanded, or every profile with --all-profiles.
fn chosen_profiles(cli: &Cli) -> Result<Vec<String>, String> {
    use cbdash::aws::profiles;
    let known = profiles::known_profiles();
    // A profile that does not exist is said by name, before anything runs.
    if let Some(missing) = cli
        .profile
        .iter()
        .find(|p| !profiles::is_glob(p) && !known.contains(p))
    {
        return Err(format!(
            "no profile {missing:?} in {}",
            profiles::files_looked_in()
        ));
    }
    let globs = cli.profile.iter().any(|p| profiles::is_glob(p));
    if !cli.all_profiles && !globs {
        return Ok(cli.profile.clone());
    }
    if cli.all_profiles {
        if known.is_empty() {
            return Err("--all-profiles: no profile in the AWS config or credentials file".into());
        }
        return Ok(known);
    }
    profiles::expand(&cli.profile, &known)
}

/// Every account and region to watch, named: each profile given times each
/// region given (flags first, else the config file's contexts, else the
/// default chain).
fn connect_options(cli: &Cli, file: &Config) -> Vec<(String, ConnectOptions)> {
    if cli.profile.is_empty()
        && !cli.all_profiles
        && cli.region.is_empty()
        && !file.contexts.is_empty()
    {
        return file
            .contexts
            .iter()
            .map(|c| {
                let options = ConnectOptions {
                    profile: c.profile.clone(),
                    region: c.region.clone(),
                    endpoint_url: cli.endpoint_url.clone().or_else(|| c.endpoint_url.clone()),
                    max_response_bytes: max_response_bytes(cli, file),
                    ..ConnectOptions::default()
                };
                (c.name.clone(), options)
            })
            .collect();
    }
    let profiles: Vec<Option<String>> = match chosen_profiles(cli) {
        Ok(names) if names.is_empty() => vec![None],
        Ok(names) => names.into_iter().map(Some).collect(),
        Err(e) => {
            say_err(&format!("cbdash: {e}"));
            std::process::exit(2);
        }
    };
    let regions: Vec<Option<String>> = if cli.region.is_empty() {
        vec![None]
    } else {
        cli.region.iter().cloned().map(Some).collect()
    };
    let mut out = Vec::new();
    for profile in &profiles {
        for region in &regions {
            let name = format!(
                "{}/{}",
                profile.as_deref().unwrap_or("default"),
                region.as_deref().unwrap_or("default")
            );
            let options = ConnectOptions {
                profile: profile.clone(),
                region: region.clone(),
                endpoint_url: cli.endpoint_url.clone(),
                max_response_bytes: max_response_bytes(cli, file),
                ..ConnectOptions::default()
            };
            out.push((name, options));
        }
    }
    out
}
