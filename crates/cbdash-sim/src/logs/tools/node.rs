//! npm, ESLint, Jest and Vite. In the project with hostile output they
//! colour their output and misbehave the way terminal programs can.

use super::{assemble, lines, minutes, Run};
use crate::logs::hostile::{self, HOSTILE_PROJECT};
use crate::rng::Rng;

const COMPONENTS: [&str; 10] = [
    "Cart",
    "Checkout",
    "ProductCard",
    "SearchBar",
    "OrderHistory",
    "LoginForm",
    "Price",
    "Header",
    "Wishlist",
    "AddressForm",
];
const BEHAVIOURS: [&str; 8] = [
    "renders without crashing",
    "shows an empty state",
    "formats prices in the shopper's currency",
    "disables submit while loading",
    "keeps focus after closing the dialog",
    "debounces typing",
    "retries a failed request",
    "matches the snapshot",
];

/// SGR colouring, only in the project that writes escape sequences.
struct Paint(bool);

impl Paint {
    fn new(run: &Run) -> Self {
        Paint(run.project == HOSTILE_PROJECT)
    }

    fn sgr(&self, codes: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{codes}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn npm_head(run: &Run, script: &str, command: &str) -> Vec<String> {
    vec![
        String::new(),
        format!("> {}@1.0.0 {script}", run.project),
        format!("> {command}"),
        String::new(),
    ]
}

fn npm_failed(script: &str, command: &str) -> Vec<String> {
    vec![
        format!("npm error Lifecycle script `{script}` failed with error:"),
        "npm error code 1".to_string(),
        format!("npm error command sh -c {command}"),
    ]
}

pub(super) fn npm_ci(run: &Run, rng: &mut Rng) -> Vec<String> {
    const DEPRECATED: [&str; 5] = [
        "inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.",
        "glob@7.2.3: Glob versions prior to v9 are no longer supported",
        "rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported",
        "abab@2.0.6: Use your platform's native atob() and btoa() methods instead",
        "domexception@4.0.0: Use your platform's native DOMException instead",
    ];
    let paint = Paint::new(run);
    let head = if paint.0 {
        vec![hostile::progress_bar("reify:fsevents")]
    } else {
        Vec::new()
    };
    let packages = 900 + rng.below(600);
    let secs = 20.0 + rng.range(0.0, 40.0);
    let tail = if run.fails {
        lines(&[
            "npm error code ECONNRESET",
            "npm error network aborted",
            "npm error network This is a problem related to network connectivity.",
            "npm error network In most cases you are behind a proxy or have bad network settings.",
            "npm error A complete log of this run can be found in: /root/.npm/_logs/2024-11-23T12_00_41_512Z-debug-0.log",
        ])
    } else {
        vec![
            String::new(),
            format!(
                "added {packages} packages, and audited {} packages in {}",
                packages + 1,
                minutes(secs)
            ),
            String::new(),
            format!("{} packages are looking for funding", packages / 6),
            "  run `npm fund` for details".to_string(),
            String::new(),
            format!("found {} vulnerabilities", paint.sgr("1;32", "0")),
        ]
    };
    let warn = paint.sgr("33", "warn");
    assemble(
        run,
        rng,
        head,
        |_, i| format!("npm {warn} deprecated {}", DEPRECATED[i % DEPRECATED.len()]),
        tail,
    )
}

pub(super) fn eslint(run: &Run, rng: &mut Rng) -> Vec<String> {
    let paint = Paint::new(run);
    let mut out = npm_head(run, "lint", "eslint . --max-warnings 0");
    if run.fails {
        let file = rng.pick(&COMPONENTS);
        out.extend([
            format!("{}/src/components/{file}.tsx", run.src_dir),
            format!(
                "  {}:{}  {}  'event' is defined but never used  @typescript-eslint/no-unused-vars",
                10 + rng.below(200),
                5 + rng.below(30),
                paint.sgr("31", "error")
            ),
            String::new(),
            paint.sgr("31;1", "✖ 1 problem (1 error, 0 warnings)"),
            String::new(),
        ]);
        out.extend(npm_failed("lint", "eslint . --max-warnings 0"));
    }
    out
}

pub(super) fn jest(run: &Run, rng: &mut Rng) -> Vec<String> {
    let paint = Paint::new(run);
    let mut head = npm_head(run, "test", "jest --ci --coverage");
    if paint.0 {
        head.extend(hostile::preamble(run.src_dir));
    }
    let mut suites = 0;
    let mut tests = 0;
    let pass = paint.sgr("7;1;32", " PASS ");
    let body = |rng: &mut Rng, i: usize| {
        let component = COMPONENTS[(i / 6) % COMPONENTS.len()];
        if i % 6 == 0 {
            suites += 1;
            let secs = rng.range(0.4, 9.0);
            format!("{pass} src/components/{component}.test.tsx ({secs:.3} s)")
        } else {
            tests += 1;
            let ms = 2 + rng.below(120);
            let tick = paint.sgr("32", "✓");
            let took = paint.sgr("2", &format!("({ms} ms)"));
            format!("    {tick} {} {took}", rng.pick(&BEHAVIOURS))
        }
    };
    let mut out = assemble(run, rng, head, body, Vec::new());
    let (suites, tests) = (suites.max(1), tests.max(1));
    let time = format!("Time:        {:.3} s", rng.range(20.0, 180.0));
    if run.fails {
        for failure in run.failures {
            out.extend([
                format!("{} {}", paint.sgr("7;1;31", " FAIL "), failure.suite),
                paint.sgr("1;31", &format!("  ● {}", failure.name)),
                String::new(),
                format!("    {}", failure.message),
                String::new(),
            ]);
            out.extend(failure.details.iter().map(|d| format!("    {d}")));
            out.extend([
                String::new(),
                format!("\t{}", failure.location),
                String::new(),
            ]);
        }
        let (tests, failed) = run.totals.unwrap_or((tests, run.failures.len().max(1)));
        out.extend([
            format!(
                "Test Suites: {}, {suites} passed, {} total",
                paint.sgr("1;31", &format!("{failed} failed")),
                suites + failed
            ),
            format!(
                "Tests:       {}, {tests} passed, {} total",
                paint.sgr("1;31", &format!("{failed} failed")),
                tests + failed
            ),
            time,
            "Ran all test suites.".to_string(),
        ]);
        out.extend(npm_failed("test", "jest --ci --coverage"));
    } else {
        let tests = run.totals.map_or(tests, |(passed, _)| passed);
        out.extend([
            "----------|---------|----------|---------|---------|".to_string(),
            format!(
                "All files |   {:.2} |    {:.2} |   {:.2} |   {:.2} |",
                rng.range(80.0, 95.0),
                rng.range(70.0, 90.0),
                rng.range(75.0, 95.0),
                rng.range(80.0, 95.0)
            ),
            "----------|---------|----------|---------|---------|".to_string(),
            format!(
                "Test Suites: {}, {suites} total",
                paint.sgr("1;32", &format!("{suites} passed"))
            ),
            format!(
                "Tests:       {}, {tests} total",
                paint.sgr("1;32", &format!("{tests} passed"))
            ),
            time,
            "Ran all test suites.".to_string(),
        ]);
    }
    out
}

pub(super) fn bundle(run: &Run, rng: &mut Rng) -> Vec<String> {
    let mut head = npm_head(run, "build", "vite build");
    head.extend(lines(&[
        "vite v5.4.11 building for production...",
        "transforming...",
    ]));
    head.push(format!("✓ {} modules transformed.", 800 + rng.below(900)));
    let tail = if run.fails {
        let mut tail = lines(&[
            "error during build:",
            "[vite:esbuild] Transform failed with 1 error:",
            "src/pages/Checkout.tsx:88:14: ERROR: Expected \")\" but found \"{\"",
        ]);
        tail.extend(npm_failed("build", "vite build"));
        tail
    } else {
        vec![format!("✓ built in {:.2}s", rng.range(8.0, 60.0))]
    };
    let body = |rng: &mut Rng, i: usize| {
        let name = COMPONENTS[i % COMPONENTS.len()];
        let kb = rng.range(0.5, 480.0);
        format!(
            "dist/assets/{name}-{}.js  {kb:>8.2} kB │ gzip: {:>7.2} kB",
            rng.hex(8),
            kb * 0.31
        )
    };
    assemble(run, rng, head, body, tail)
}

/// Any other npm script, e.g. `npm run report`.
pub(super) fn script(run: &Run, rng: &mut Rng) -> Vec<String> {
    let name = run.command.rsplit(' ').next().unwrap_or("script");
    let command = format!("node scripts/{name}.js");
    let tail = if run.fails {
        npm_failed(name, &command)
    } else {
        vec![format!("{name}: wrote reports/{name}.html")]
    };
    let head = npm_head(run, name, &command);
    let body = |rng: &mut Rng, i: usize| {
        format!(
            "{name}: merged packages/{} ({} files)",
            COMPONENTS[i % 10].to_lowercase(),
            3 + rng.below(90)
        )
    };
    assemble(run, rng, head, body, tail)
}
