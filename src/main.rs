use std::process::ExitCode;

use chrono::Local;
use clap::Parser;

use cbdash::app::Settings;
use cbdash::aws::ConnectOptions;
use cbdash::sim::{serve_until_ctrl_c, Scenario, SimConfig, SimHandle};

mod cli;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cbdash: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cbdash: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> std::io::Result<()> {
    if let Some(Command::Watch { build_id }) = &cli.command {
        let (settings, options) = headless_setup(&cli);
        let code = cbdash::runtime::headless::watch(settings, options, build_id).await;
        std::process::exit(i32::from(code));
    }
    if let Some(Command::Ls { json }) = &cli.command {
        let (settings, options) = headless_setup(&cli);
        let code = cbdash::runtime::headless::ls(settings, options, *json).await;
        std::process::exit(i32::from(code));
    }
    if let Some(Command::Sim { port, seed, speed }) = cli.command {
        let config = SimConfig {
            seed,
            speed,
            port,
            scenario: Scenario::Demo,
        };
        return serve_until_ctrl_c(config).await;
    }
    let tz = *Local::now().offset();
    let mut settings = Settings {
        context: String::new(),
        read_only: cli.read_only,
        poll_secs: cli.poll,
        projects: cli.projects.clone(),
        tz,
        token_seed: token_seed(),
        mask_plaintext: cli.mask_values,
        presets_file: None,
        log_lines: cli.log_lines as usize,
        runaway: Default::default(),
    };
    // Kept alive for as long as the dashboard runs.
    let _sim;
    let options = if cli.demo {
        let sim = SimHandle::start(SimConfig {
            seed: cli.seed,
            speed: cli.speed,
            port: 0,
            scenario: Scenario::Demo,
        })
        .await?;
        settings.context = format!("demo · simulator at {}", sim.endpoint_url());
        // The demo's projects are not the user's: keep their presets apart.
        settings.presets_file = Some(std::env::temp_dir().join("cbdash-demo-presets.json"));
        let options = ConnectOptions::for_simulator(sim.endpoint_url());
        _sim = Some(sim);
        options
    } else {
        _sim = None;
        settings.context = context_label(&cli);
        ConnectOptions {
            profile: cli.profile.clone(),
            region: cli.region.clone(),
            endpoint_url: cli.endpoint_url.clone(),
            ..ConnectOptions::default()
        }
    };
    cbdash::runtime::run(settings, options).await
}

/// Header text naming where the dashboard looks.
fn context_label(cli: &Cli) -> String {
    let profile = cli
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".into());
    let region = cli
        .region
        .clone()
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
fn headless_setup(cli: &Cli) -> (Settings, ConnectOptions) {
    let settings = Settings {
        poll_secs: cli.poll,
        projects: cli.projects.clone(),
        read_only: true,
        ..Settings::default()
    };
    let options = ConnectOptions {
        profile: cli.profile.clone(),
        region: cli.region.clone(),
        endpoint_url: cli.endpoint_url.clone(),
        ..ConnectOptions::default()
    };
    (settings, options)
}
