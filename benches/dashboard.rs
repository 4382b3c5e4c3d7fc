//! Frame render time, response apply time and memory of the dashboard state.
//! Run: `cargo bench --bench dashboard`. Prints medians; every figure is
//! measured next to a smaller baseline in the same run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/dashboard/common/fixtures.rs"]
mod fixtures;

use std::hint::black_box;
use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::Terminal;

use cbdash::app::{apply, update, Msg, State};
use cbdash::domain::Fetched;
use cbdash::domain::{Build, Status};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// Build `n` of a realistic mix: one in ten running, the rest finished.
fn nth_build(n: i64) -> Build {
    let projects = [
        "web-frontend",
        "api-service",
        "data-pipeline",
        "mobile-app",
        "infra-terraform",
        "docs-site",
    ];
    let project = projects[(n % projects.len() as i64) as usize];
    let status = match n % 10 {
        0 => Status::InProgress,
        1 => Status::Failed,
        2 => Status::TimedOut,
        _ => Status::Succeeded,
    };
    fixtures::build(project, n, n, status)
}

/// A state of `count` builds, loaded 100 at a time as polling does.
fn loaded_state(count: i64) -> State {
    let mut state = fixtures::state_with(Vec::new());
    update(
        &mut state,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    let mut n = 0;
    while n < count {
        let builds = (n..(n + 100).min(count)).map(nth_build).collect();
        apply(
            &mut state,
            Fetched {
                builds,
                not_found: Vec::new(),
            },
        );
        n += 100;
    }
    state
}

fn render_median(state: &State, iterations: usize) -> Duration {
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    for _ in 0..20 {
        terminal.draw(|f| cbdash::ui::draw(f, state)).expect("draw");
    }
    let samples = (0..iterations)
        .map(|_| {
            let t = Instant::now();
            terminal
                .draw(|f| cbdash::ui::draw(f, black_box(state)))
                .expect("draw");
            t.elapsed()
        })
        .collect();
    median(samples)
}

/// Applies a response of 100 running builds that moved on a phase (the
/// steady-state poll) and, separately, of 100 new builds.
fn apply_median(count: i64, new_builds: bool, iterations: usize) -> Duration {
    let samples = (0..iterations)
        .map(|_| {
            let mut state = loaded_state(count);
            let builds: Vec<Build> = if new_builds {
                (count..count + 100).map(nth_build).collect()
            } else {
                (0..count)
                    .step_by(10)
                    .take(100)
                    .map(|n| {
                        let mut b = nth_build(n);
                        b.current_phase = Some("POST_BUILD".into());
                        b
                    })
                    .collect()
            };
            let fetched = Fetched {
                builds,
                not_found: Vec::new(),
            };
            let t = Instant::now();
            apply(&mut state, black_box(fetched));
            let elapsed = t.elapsed();
            black_box(&state);
            elapsed
        })
        .collect();
    median(samples)
}

/// A batch of `groups` groups in a binary fan-out (each depends on its
/// parent, some on a second group too), half done, selected with its tree
/// focused.
fn batch_state(groups: usize) -> State {
    let names: Vec<String> = (0..groups).map(|i| format!("shard-{i:03}")).collect();
    let deps: Vec<Vec<&str>> = (0..groups)
        .map(|i| match i {
            0 => vec![],
            _ if i % 7 == 0 && i > 2 => vec![names[(i - 1) / 2].as_str(), names[i - 2].as_str()],
            _ => vec![names[(i - 1) / 2].as_str()],
        })
        .collect();
    let fixtures: Vec<fixtures::GroupFixture> = (0..groups)
        .map(|i| {
            let status = match i % 4 {
                0 | 1 => Some(Status::Succeeded),
                2 => Some(Status::InProgress),
                _ => None,
            };
            (names[i].as_str(), deps[i].as_slice(), i % 11 == 0, status)
        })
        .collect();
    let (batch, builds) = fixtures::batch("monorepo-ci", 1, 40, &fixtures);
    tree_focused(fixtures::state_with_batch(batch, builds))
}

/// The batch selected, its tree focused, at 200x50.
fn tree_focused(mut state: State) -> State {
    update(
        &mut state,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    update(
        &mut state,
        Msg::Key(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Enter,
        )),
    );
    state
}

/// A chain of `groups` groups, selected with its tree focused at 200x50.
fn chain_state(groups: usize) -> State {
    let (batch, builds) = fixtures::chain(groups);
    tree_focused(fixtures::state_with_batch(batch, builds))
}

/// One flattening of the tree and one frame, as the dashboard does them.
fn flatten_and_draw(state: &State, terminal: &mut Terminal<TestBackend>) -> usize {
    let lines = black_box(state.tree_nodes()).len();
    terminal
        .draw(|f| cbdash::ui::draw(f, black_box(state)))
        .expect("draw");
    lines
}

/// Environment variable that makes this bench a child measuring one chain.
const CHAIN_CHILD: &str = "CBDASH_BENCH_CHAIN";

/// In a child process: loads a chain of the given groups (0: nothing),
/// then flattens and draws it once; prints the peak resident memory after
/// each step, in kB.
fn chain_child(groups: usize) {
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let state = (groups > 0).then(|| chain_state(groups));
    let loaded = peak_resident_kb().unwrap_or(0);
    if let Some(state) = &state {
        assert_eq!(flatten_and_draw(state, &mut terminal), groups);
    }
    println!("{loaded} {}", peak_resident_kb().unwrap_or(0));
}

/// Peak resident memory of a child measuring a chain of `groups`, in MB:
/// once the state is loaded, and after the tree is flattened and drawn.
fn chain_peak_mb(groups: usize) -> Option<(f64, f64)> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .env(CHAIN_CHILD, groups.to_string())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut kb = text.split_whitespace().map(|n| n.parse::<f64>().ok());
    Some((kb.next()?? / 1e3, kb.next()?? / 1e3))
}

fn peak_resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn chain_figures(quick: bool) {
    let sizes = if quick {
        vec![1_000]
    } else {
        vec![1_000, 20_000, 100_000]
    };
    let base = chain_peak_mb(0).map(|(_, peak)| peak);
    println!(
        "a chain of groups: flatten, and flatten + one 200x50 frame with the tree pane; peak memory of a child process that loads, flattens and draws it (baseline {:.1} MB)",
        base.unwrap_or(f64::NAN)
    );
    for groups in sizes {
        let iterations = if groups >= 100_000 { 7 } else { 21 };
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
        let state = chain_state(groups);
        let mut frames = Vec::new();
        let mut flattens = Vec::new();
        for _ in 0..iterations {
            let t = Instant::now();
            black_box(state.tree_nodes());
            flattens.push(t.elapsed());
            let t = Instant::now();
            flatten_and_draw(&state, &mut terminal);
            frames.push(t.elapsed());
        }
        let (loaded, peak) = chain_peak_mb(groups).unwrap_or((f64::NAN, f64::NAN));
        println!(
            "  {groups:>7} groups: flatten {} · flatten + frame {} (medians of {iterations}) · peak {peak:.1} MB ({:+.1} MB over the baseline; {:+.1} MB of it for flattening and drawing)",
            micros(median(flattens)),
            micros(median(frames)),
            peak - base.unwrap_or(f64::NAN),
            peak - loaded,
        );
    }
}

/// `update(Msg::Paste)` of `size` characters into the relaunch form, plus
/// the frame that shows it: into a new variable's value (taken whole) or
/// into the source version (cut at its limit).
fn paste_median(size: usize, into_value: bool, iterations: usize) -> Duration {
    use crossterm::event::{KeyCode, KeyEvent};
    let text: String = (0..size)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let samples = (0..iterations)
        .map(|_| {
            let mut state = loaded_state(100);
            update(&mut state, Msg::Key(KeyEvent::from(KeyCode::Char('s'))));
            if into_value {
                for code in [KeyCode::Tab, KeyCode::Char('+'), KeyCode::Tab] {
                    update(&mut state, Msg::Key(KeyEvent::from(code)));
                }
            }
            let pasted = Msg::Paste(text.clone());
            let t = Instant::now();
            update(&mut state, black_box(pasted));
            terminal
                .draw(|f| cbdash::ui::draw(f, black_box(&state)))
                .expect("draw");
            t.elapsed()
        })
        .collect();
    median(samples)
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// `projects` projects with 50 ended builds each (one in five failed),
/// loaded as polling and back-fill load them.
fn board_state(projects: i64) -> State {
    let mut state = fixtures::state_with(Vec::new());
    update(
        &mut state,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    for p in 0..projects {
        let builds = (0..50)
            .map(|i| {
                let status = if (p + i) % 5 == 0 {
                    Status::Failed
                } else {
                    Status::Succeeded
                };
                fixtures::build(&format!("project-{p:03}"), 1000 - i, 30 + i * 60, status)
            })
            .collect();
        apply(
            &mut state,
            Fetched {
                builds,
                not_found: Vec::new(),
            },
        );
    }
    state
}

/// The projects board: its figures computed from every loaded build, and
/// its frame drawn, for 50 and 500 projects of 50 builds.
fn board_figures(iterations: usize) {
    println!("projects board, 50 builds a project (median of {iterations})");
    for projects in [50, 500] {
        let mut state = board_state(projects);
        let samples = (0..iterations)
            .map(|_| {
                let t = Instant::now();
                let rows = cbdash::app::board::compute(black_box(&state.store), &[], state.now);
                let elapsed = t.elapsed();
                black_box(rows);
                elapsed
            })
            .collect();
        let compute = median(samples);
        let effects = cbdash::app::open_board(&mut state);
        black_box(effects);
        println!(
            "  {projects:>4} projects ({} builds): compute {} · render {}",
            state.store.len(),
            micros(compute),
            micros(render_median(&state, iterations)),
        );
    }
}

fn main() {
    if let Some(groups) = std::env::var(CHAIN_CHILD).ok().and_then(|v| v.parse().ok()) {
        chain_child(groups);
        return;
    }
    // `cargo test --benches` runs this once with --bench absent: keep it quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let iterations = if quick { 5 } else { 200 };
    let apply_iterations = if quick { 3 } else { 40 };

    // Memory first, before other measurements leave freed pages resident.
    let before = resident_bytes();
    let state = loaded_state(10_000);
    let after = resident_bytes();
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "resident memory: {:.1} MB in all, {:.1} MB for 10,000 builds ({} stored)",
            after as f64 / 1e6,
            after.saturating_sub(before) as f64 / 1e6,
            state.store.len()
        );
    }
    drop(state);

    println!("frame render at 200x50 (median of {iterations})");
    for count in [100, 1_000, 10_000] {
        let state = loaded_state(count);
        println!(
            "  {count:>6} builds: {}",
            micros(render_median(&state, iterations))
        );
    }

    println!("frame render at 200x50 with a batch's tree pane (median of {iterations})");
    for groups in [20, 200] {
        let state = batch_state(groups);
        assert_eq!(state.tree_nodes().len(), groups);
        println!(
            "  {groups:>6} groups: {}",
            micros(render_median(&state, iterations))
        );
    }

    chain_figures(quick);

    board_figures(if quick { 3 } else { 100 });

    println!("apply a 100-build BatchGetBuilds response (median of {apply_iterations})");
    for count in [1_000, 10_000] {
        println!(
            "  {count:>6} builds: updates {} · new builds {}",
            micros(apply_median(count, false, apply_iterations)),
            micros(apply_median(count, true, apply_iterations)),
        );
    }

    println!("paste into the relaunch form and draw it (median of {apply_iterations})");
    for size in [1_024, 102_400] {
        println!(
            "  {:>4} KB: into a variable's value {} · into the source version {}",
            size / 1024,
            micros(paste_median(size, true, apply_iterations)),
            micros(paste_median(size, false, apply_iterations)),
        );
    }
}
