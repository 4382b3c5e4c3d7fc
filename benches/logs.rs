//! Log view render time, ingest time and memory of a full log buffer.
//! Run: `cargo bench --bench logs`. Prints medians; every figure is
//! measured next to a smaller baseline in the same run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;

use cbdash::logs::{matches, LogBuffer, Match, DEFAULT_CAP};
use cbdash::ui::log_text::{draw, LogTextParams};
use cbdash::ui::theme::Theme;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// Line `n` of a realistic mix: CodeBuild's own lines, coloured test
/// output, stack traces, progress bars, and now and then a long line.
fn line(n: usize, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    let _ = match n % 10 {
        0 => write!(out, "[Container] 2024/05/01 10:{:02}:{:02}.{n:06} Running command npm run test:shard -- --shard={}", n / 60 % 60, n % 60, n % 8),
        1 | 2 => write!(out, "\x1b[32m  ✓\x1b[0m renders the dashboard for case {n} \x1b[2m({} ms)\x1b[0m", n % 97),
        3 => write!(out, "    at Object.<anonymous> (/codebuild/output/src{n}/src/app/test/unit/{}.spec.ts:42:17)", n % 311),
        4 => write!(out, "\rDownloading layer {n:x}  10%\rDownloading layer {n:x}  64%\rDownloading layer {n:x} 100%"),
        5 => write!(out, "\x1b[1;31merror\x1b[0m TS2345: Argument of type 'string' is not assignable (file {n})"),
        6 => write!(out, "npm WARN deprecated package-{n}@1.0.0:\tthis version is no longer supported"),
        7 if n % 70 == 7 => write!(out, "{}", "minified-bundle-chunk ".repeat(40)),
        _ => write!(out, "Step {n}: RUN make -j4 build TARGET=linux/amd64 VERSION=1.{}.{}", n % 13, n % 7),
    };
}

/// A buffer that has been fed `count` lines, one event each.
fn filled(count: usize) -> LogBuffer {
    let mut buffer = LogBuffer::new(DEFAULT_CAP);
    let mut s = String::new();
    for n in 0..count {
        line(n, &mut s);
        buffer.push_event(n as i64 * 10, &s);
    }
    buffer
}

struct View {
    offset: usize,
    wrap: bool,
    follow: bool,
    search: bool,
}

fn render_median(buffer: &LogBuffer, view: &View, iterations: usize) -> Duration {
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let found: Vec<Match> = if view.search {
        matches(buffer, "error")
    } else {
        Vec::new()
    };
    let current = found.iter().position(|m| m.line >= view.offset);
    let p = LogTextParams {
        title: "Log · web-frontend #1234",
        status: "live",
        offset: view.offset,
        h_scroll: 0,
        wrap: view.wrap,
        query: view.search.then_some("error"),
        matches: &found,
        current,
        follow: view.follow,
    };
    let area = Rect::new(0, 0, 200, 50);
    let mut frame = || {
        let t = Instant::now();
        terminal
            .draw(|f| draw(f, area, black_box(buffer), &p, Theme::default()))
            .expect("draw");
        t.elapsed()
    };
    for _ in 0..20 {
        frame();
    }
    median((0..iterations).map(|_| frame()).collect())
}

/// Time to push 10,000 lines into a fresh buffer, or into a full one that
/// drops a line for each line pushed.
fn ingest_median(full: bool, iterations: usize) -> Duration {
    let mut s = String::new();
    let samples = (0..iterations)
        .map(|_| {
            let mut buffer = if full {
                filled(DEFAULT_CAP)
            } else {
                LogBuffer::default()
            };
            let t = Instant::now();
            for n in 0..10_000 {
                line(n, &mut s);
                buffer.push_event(n as i64, black_box(&s));
            }
            let elapsed = t.elapsed();
            black_box(&buffer);
            elapsed
        })
        .collect();
    median(samples)
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn main() {
    // `cargo test --benches` runs this once with --bench absent: keep it quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let iterations = if quick { 5 } else { 300 };
    let ingest_iterations = if quick { 2 } else { 15 };
    let total = if quick { 5_000 } else { DEFAULT_CAP + 10_000 };

    // Memory first, before other measurements leave freed pages resident.
    let before = resident_bytes();
    let buffer = filled(total);
    let after = resident_bytes();
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "resident memory: {:.1} MB for {} lines kept ({} dropped); buffer.bytes() says {:.1} MB",
            after.saturating_sub(before) as f64 / 1e6,
            buffer.len(),
            buffer.dropped(),
            buffer.bytes() as f64 / 1e6
        );
    }

    println!("frame render at 200x50 (median of {iterations})");
    let small = filled(1_000);
    let cases = [
        ("following", 0, false, true, false),
        ("paused in the middle", usize::MAX, false, false, false),
        ("wrapped, following", 0, true, true, false),
        ("searching \"error\"", usize::MAX, false, false, true),
    ];
    for (name, offset, wrap, follow, search) in cases {
        let figures: Vec<String> = [&small, &buffer]
            .iter()
            .map(|b| {
                let view = View {
                    offset: offset.min(b.len() / 2),
                    wrap,
                    follow,
                    search,
                };
                format!(
                    "{:>6} lines {}",
                    b.len(),
                    micros(render_median(b, &view, iterations))
                )
            })
            .collect();
        println!("  {name:<22} {}", figures.join(" · "));
    }
    drop(buffer);

    println!("ingest 10,000 lines (median of {ingest_iterations})");
    println!(
        "  into an empty buffer {} · into a full one {}",
        micros(ingest_median(false, ingest_iterations)),
        micros(ingest_median(true, ingest_iterations)),
    );
    let huge = format!("\x1b[31m{}\x1b[0m", "0123456789abcdef".repeat(65_536));
    let samples = (0..ingest_iterations * 2)
        .map(|_| {
            let mut b = LogBuffer::default();
            let t = Instant::now();
            b.push_event(0, black_box(&huge));
            t.elapsed()
        })
        .collect();
    println!("  one 1 MB line: {}", micros(median(samples)));
}
