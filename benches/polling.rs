//! What polling costs: API calls and seconds until start-up discovery is
//! complete, and calls per minute per account and region in steady state,
//! each next to its baseline in the same run.
//! Run: `cargo bench --bench polling`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code)]
#[path = "../crates/cbdash-sim/tests/sim/sdk.rs"]
mod sdk;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::mpsc;

use cbdash::app::{update, Msg, Settings, State};
use cbdash::aws::ConnectOptions;
use cbdash::runtime::effects::Executor;
use cbdash::runtime::execute::settle;
use cbdash_sim::{BuildSpec, Scenario, SimConfig, SimHandle};

/// Runs the dashboard's engine as the terminal program does (an executor
/// task per call, its rate limits and in-flight cap), without a terminal,
/// until discovery is complete. Returns the seconds it took.
async fn discover_live(sims: &[SimHandle]) -> f64 {
    let settings = Settings {
        context_names: if sims.len() > 1 {
            (0..sims.len()).map(|i| format!("ctx{i}")).collect()
        } else {
            Vec::new()
        },
        ..Settings::default()
    };
    let options = sims
        .iter()
        .map(|s| ConnectOptions::for_simulator(s.endpoint_url()))
        .collect();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let executor = Executor::new(options, None, tx);
    let mut state = State::new(settings, Utc::now());
    let start = Instant::now();
    let deadline = start + Duration::from_secs(300);
    let mut tick = tokio::time::interval(Duration::from_millis(50));
    loop {
        let msg = tokio::select! {
            Some(msg) = rx.recv() => msg,
            _ = tick.tick() => Msg::Tick(Utc::now()),
        };
        if let Msg::Tick(now) = msg {
            state.now = now;
        }
        for effect in update(&mut state, msg) {
            executor.spawn(effect);
        }
        let done = state.pollers().all(|(_, p)| {
            p.loaded && p.discovering().is_none() && !p.reading_burst() && !p.in_flight()
        });
        if done || Instant::now() > deadline {
            return start.elapsed().as_secs_f64();
        }
    }
}

fn calls_by_operation(sim: &SimHandle) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for r in sim.requests() {
        *out.entry(r.operation).or_insert(0) += 1;
    }
    out
}

fn total(calls: &HashMap<String, usize>) -> usize {
    calls.values().sum()
}

/// The fewest calls any strategy needs: ListBuilds has no status filter and
/// returns IDs only, so every build started within the age limit is listed
/// (100 a page) and fetched (100 a call); plus one filtered batch list and
/// the first page of batches. The window is counted with the SDK.
async fn minimum_calls(sim: &SimHandle) -> usize {
    let client = sdk::client(sim);
    let limit = sim.now() - chrono::Duration::hours(cbdash::app::discovery::MAX_LIFETIME_HOURS);
    let ids = sdk::all_build_ids(&client, None).await;
    let in_window = sdk::get_builds(&client, &ids)
        .await
        .iter()
        .filter(|b| {
            b.start_time()
                .is_some_and(|t| t.secs() >= limit.timestamp())
        })
        .count();
    // The batches a start-up must fetch: the first page and every running one.
    let first = client
        .list_build_batches()
        .send()
        .await
        .expect("ListBuildBatches");
    let mut batches: std::collections::HashSet<String> = first.ids().iter().cloned().collect();
    let running = client
        .list_build_batches()
        .filter(
            aws_sdk_codebuild::types::BuildBatchFilter::builder()
                .status(aws_sdk_codebuild::types::StatusType::InProgress)
                .build(),
        )
        .send()
        .await
        .expect("ListBuildBatches");
    batches.extend(running.ids().iter().cloned());
    sim.clear_requests();
    2 * in_window.div_ceil(100).max(1) + 2 + batches.len().div_ceil(100)
}

async fn scale_sim(builds: usize, running: usize) -> SimHandle {
    let sim = SimHandle::start(SimConfig {
        speed: 1.0,
        scenario: Scenario::Quiet,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let window = 36.0 * 3600.0;
    let every = builds / running.max(1);
    let projects = ["api-service", "web-frontend", "mobile-app", "docs-site"];
    for i in 0..builds {
        let ago = window * (1.0 - i as f64 / builds as f64);
        let runs = i % every == 0 && i / every < running;
        let spec = if runs {
            BuildSpec {
                project: "data-pipeline".into(),
                started_secs_ago: ago,
                timeout_minutes: Some(36 * 60),
                phase_secs: Some(vec![("BUILD".into(), ago + 7200.0)]),
                ..BuildSpec::default()
            }
        } else {
            BuildSpec {
                project: projects[i % projects.len()].into(),
                started_secs_ago: ago + 3600.0,
                phase_secs: Some(vec![("BUILD".into(), 60.0)]),
                ..BuildSpec::default()
            }
        };
        sim.add_build(spec);
    }
    sim.clear_requests();
    sim
}

async fn startup_row(name: &str, sim: SimHandle) {
    let minimum = minimum_calls(&sim).await;
    let mut seconds = Vec::new();
    let mut calls = HashMap::new();
    // Medians of three runs against the same account.
    for _ in 0..3 {
        sim.clear_requests();
        seconds.push(discover_live(std::slice::from_ref(&sim)).await);
        calls = calls_by_operation(&sim);
    }
    seconds.sort_by(f64::total_cmp);
    println!(
        "| start-up discovery, {name} | {} calls ({} ListBuilds, {} BatchGetBuilds) | minimum {minimum} ({:.2}x) | {:.2} s |",
        total(&calls),
        calls.get("ListBuilds").copied().unwrap_or(0),
        calls.get("BatchGetBuilds").copied().unwrap_or(0),
        total(&calls) as f64 / minimum as f64,
        seconds[1],
    );
}

/// Calls per minute per context over ten simulated minutes, after start-up,
/// with `n` contexts each on a simulator of `scenario`.
async fn steady_row(n: usize, scenario: Scenario) -> f64 {
    let mut sims = Vec::new();
    for i in 0..n {
        sims.push(
            SimHandle::start(SimConfig {
                seed: 100 + i as u64,
                speed: 0.0,
                scenario,
                ..SimConfig::default()
            })
            .await
            .expect("simulator"),
        );
    }
    let apis: Vec<_> = {
        let mut apis = Vec::new();
        for sim in &sims {
            let options = ConnectOptions {
                max_attempts: 1,
                ..ConnectOptions::for_simulator(sim.endpoint_url())
            };
            apis.push(cbdash::aws::connect(&options).await);
        }
        apis
    };
    let settings = Settings {
        context_names: if n > 1 {
            (0..n).map(|i| format!("ctx{i}")).collect()
        } else {
            Vec::new()
        },
        ..Settings::default()
    };
    let mut state = State::new(settings, sims[0].now());
    // Start-up, then ten simulated minutes in steps of one second.
    for second in 0..(60 + 600) {
        if second == 60 {
            for sim in &sims {
                sim.clear_requests();
            }
        }
        for sim in &sims {
            sim.advance(1.0);
        }
        let now = sims[0].now();
        state.now = now;
        let effects = update(&mut state, Msg::Tick(now));
        settle(&mut state, &apis, None, effects).await;
    }
    let calls: usize = sims.iter().map(|s| s.requests().len()).sum();
    calls as f64 / n as f64 / 10.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!("| what | calls | baseline | time (median of 3) |");
    println!("| --- | --- | --- | --- |");
    let demo = SimHandle::start(SimConfig::default())
        .await
        .expect("simulator");
    startup_row("demo", demo).await;
    let busy = SimHandle::start(SimConfig {
        scenario: Scenario::Busy,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    startup_row("busy scenario", busy).await;
    startup_row(
        "20,000 builds in 36 h, 150 running",
        scale_sim(20_000, 150).await,
    )
    .await;

    println!();
    println!("| contexts | idle: calls / min / context | running (demo): calls / min / context | baseline: one context, same run |");
    println!("| --- | --- | --- | --- |");
    let base_idle = steady_row(1, Scenario::Quiet).await;
    let base_busy = steady_row(1, Scenario::Demo).await;
    for n in [1, 10, 100] {
        let idle = steady_row(n, Scenario::Quiet).await;
        let busy = steady_row(n, Scenario::Demo).await;
        println!("| {n} | {idle:.2} | {busy:.2} | {base_idle:.2} idle, {base_busy:.2} running |");
    }
}
