//! rustup and cargo.

use super::{assemble, lines, minutes, Run};
use crate::rng::Rng;

const CRATES: [(&str, &str); 12] = [
    ("proc-macro2", "1.0.92"),
    ("serde", "1.0.215"),
    ("tokio", "1.41.1"),
    ("hyper", "1.5.1"),
    ("sqlx-core", "0.8.2"),
    ("tracing", "0.1.41"),
    ("axum", "0.7.9"),
    ("rustls", "0.23.19"),
    ("serde_json", "1.0.133"),
    ("uuid", "1.11.0"),
    ("chrono", "0.4.38"),
    ("tower-http", "0.6.2"),
];
const MODULES: [&str; 6] = [
    "orders",
    "payments",
    "auth",
    "inventory",
    "webhooks",
    "health",
];
const CASES: [&str; 6] = [
    "rejects_a_missing_token",
    "creates_an_order",
    "refund_rounds_to_cents",
    "pagination_is_stable",
    "retries_on_conflict",
    "returns_404_for_unknown_ids",
];

fn crate_line(verb: &str, rng: &mut Rng) -> String {
    let (name, version) = rng.pick(&CRATES);
    format!("{verb:>12} {name} v{version}")
}

pub(super) fn rustup(run: &Run, rng: &mut Rng) -> Vec<String> {
    let mut out = lines(&[
        "info: downloading component 'clippy'",
        "info: installing component 'clippy'",
    ]);
    if run.fails {
        out.push("error: could not download file from 'https://static.rust-lang.org/dist/2024-11-28/clippy-1.83.0-x86_64-unknown-linux-gnu.tar.xz': failed to make network request".into());
    } else {
        out.push(format!(
            " {:.1} MiB / {:.1} MiB (100 %) {:.1} MiB/s in  1s",
            2.6,
            2.6,
            rng.range(2.0, 9.0)
        ));
    }
    out
}

pub(super) fn clippy(run: &Run, rng: &mut Rng) -> Vec<String> {
    let tail = if run.fails {
        lines(&[
            "error: this `if` has identical blocks",
            "  --> src/handlers/orders.rs:118:21",
            "    |",
            "118 |                       } else {",
            "    |  _____________________^",
            "    = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#if_same_then_else",
            "    = note: `-D clippy::if-same-then-else` implied by `-D warnings`",
            "error: could not compile `api-service` (lib) due to 1 previous error",
        ])
    } else {
        vec![format!(
            "    Finished `dev` profile [unoptimized + debuginfo] target(s) in {}",
            minutes(rng.range(20.0, 200.0))
        )]
    };
    assemble(
        run,
        rng,
        Vec::new(),
        |rng, _| crate_line("Checking", rng),
        tail,
    )
}

pub(super) fn test(run: &Run, rng: &mut Rng) -> Vec<String> {
    let compiled = run.lines / 3;
    let mut out: Vec<String> = (0..compiled)
        .map(|_| crate_line("Compiling", rng))
        .collect();
    out.push(format!(
        "    Finished `test` profile [unoptimized + debuginfo] target(s) in {}",
        minutes(rng.range(60.0, 240.0))
    ));
    out.push(format!(
        "     Running unittests src/lib.rs (target/debug/deps/api_service-{})",
        rng.hex(16)
    ));
    let failed = run.failures.len();
    let cases = run.lines.saturating_sub(compiled + 6).max(failed + 1);
    out.push(String::new());
    out.push(format!("running {cases} tests"));
    for i in 0..cases - failed {
        let module = MODULES[i % MODULES.len()];
        let verdict = "ok";
        let case = CASES[(i / MODULES.len()) % CASES.len()];
        let round = i / (MODULES.len() * CASES.len());
        let case = if round == 0 {
            case.to_string()
        } else {
            format!("{case}_{round}")
        };
        out.push(format!(
            "test handlers::{module}::tests::{case} ... {verdict}"
        ));
    }
    out.push(String::new());
    let secs = rng.range(1.0, 30.0);
    if run.fails {
        for f in run.failures {
            out.push(format!("test {}::{} ... FAILED", f.suite, f.name));
        }
        out.extend(lines(&["failures:", ""]));
        for f in run.failures {
            let path = format!("{}::{}", f.suite, f.name);
            out.push(format!("---- {path} stdout ----"));
            out.push(format!("thread '{path}' panicked at {}:", f.location));
            out.push(f.message.to_string());
            out.extend(f.details.iter().map(|d| (*d).to_string()));
        }
        out.extend(lines(&[
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            "",
            "failures:",
        ]));
        out.extend(
            run.failures
                .iter()
                .map(|f| format!("    {}::{}", f.suite, f.name)),
        );
        out.push(String::new());
        out.push(format!(
            "test result: FAILED. {} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out; finished in {secs:.2}s",
            cases - failed
        ));
        out.push("error: test failed, to rerun pass `--lib`".into());
    } else {
        out.push(format!(
            "test result: ok. {cases} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in {secs:.2}s"
        ));
    }
    out
}

pub(super) fn build(run: &Run, rng: &mut Rng) -> Vec<String> {
    let tail = if run.fails {
        lines(&[
            "error: linking with `cc` failed: exit status: 1",
            "  = note: collect2: fatal error: ld terminated with signal 9 [Killed]",
            "error: could not compile `api-service` (bin \"api-service\") due to 1 previous error",
        ])
    } else {
        vec![format!(
            "    Finished `release` profile [optimized] target(s) in {}",
            minutes(rng.range(90.0, 400.0))
        )]
    };
    assemble(
        run,
        rng,
        Vec::new(),
        |rng, _| crate_line("Compiling", rng),
        tail,
    )
}
