//! pip, mypy, pytest, the data pipeline's own jobs and MkDocs.

use super::{assemble, lines, Run};
use crate::rng::Rng;

const PACKAGES: [(&str, &str); 10] = [
    ("pandas", "2.2.3"),
    ("numpy", "2.1.3"),
    ("pyarrow", "18.1.0"),
    ("boto3", "1.35.68"),
    ("sqlalchemy", "2.0.36"),
    ("pydantic", "2.10.1"),
    ("great-expectations", "1.2.4"),
    ("mkdocs-material", "9.5.46"),
    ("requests", "2.32.3"),
    ("python-dateutil", "2.9.0.post0"),
];
const TABLES: [&str; 6] = [
    "orders",
    "customers",
    "payments",
    "shipments",
    "refunds",
    "inventory",
];

pub(super) fn pip(run: &Run, rng: &mut Rng) -> Vec<String> {
    let tail = if run.fails {
        lines(&[
            "ERROR: Could not find a version that satisfies the requirement pyarrow==18.2.0 (from versions: 17.0.0, 18.0.0, 18.1.0)",
            "ERROR: No matching distribution found for pyarrow==18.2.0",
        ])
    } else {
        let names: Vec<String> = PACKAGES.iter().map(|(n, v)| format!("{n}-{v}")).collect();
        vec![format!("Successfully installed {}", names.join(" "))]
    };
    let body = |rng: &mut Rng, i: usize| {
        let (name, version) = PACKAGES[(i / 2) % PACKAGES.len()];
        if i % 2 == 0 {
            format!("Collecting {name}=={version}")
        } else {
            format!(
                "  Downloading {}-{version}-py3-none-any.whl ({:.1} MB)",
                name.replace('-', "_"),
                rng.range(0.1, 40.0)
            )
        }
    };
    assemble(run, rng, Vec::new(), body, tail)
}

pub(super) fn mypy(run: &Run, rng: &mut Rng) -> Vec<String> {
    let files = 60 + rng.below(60);
    if run.fails {
        return vec![
            "src/pipeline/load.py:42: error: Argument 1 to \"write_table\" has incompatible type \"DataFrame | None\"; expected \"DataFrame\"  [arg-type]".into(),
            format!("Found 1 error in 1 file (checked {files} source files)"),
        ];
    }
    vec![format!("Success: no issues found in {files} source files")]
}

pub(super) fn pytest(run: &Run, rng: &mut Rng) -> Vec<String> {
    let mut passed = 0;
    let body = |rng: &mut Rng, i: usize| {
        let dots = 20 + rng.below(40);
        passed += dots;
        let table = TABLES[i % TABLES.len()];
        format!("{}  tests/test_{table}.py", ".".repeat(dots))
    };
    let mut out = assemble(run, rng, Vec::new(), body, Vec::new());
    let secs = rng.range(30.0, 600.0);
    if run.fails {
        out.push(
            "=================================== FAILURES ==================================="
                .into(),
        );
        for f in run.failures {
            out.push(format!(
                "_____________________________ {} ______________________________",
                f.name
            ));
            out.extend(f.details.iter().map(|d| (*d).to_string()));
            out.push(format!("E       {}", f.message));
            out.push(format!("{}: AssertionError", f.location));
        }
        out.push(
            "=========================== short test summary info ============================"
                .into(),
        );
        for f in run.failures {
            out.push(format!("FAILED {}::{} - {}", f.suite, f.name, f.message));
        }
        let (passed, failed) = run.totals.unwrap_or((passed, run.failures.len().max(1)));
        out.push(format!("{failed} failed, {passed} passed in {secs:.2}s"));
    } else {
        let passed = run.totals.map_or(passed, |(passed, _)| passed);
        out.push(format!("{passed} passed in {secs:.2}s"));
    }
    out
}

/// `python -m pipeline.<job>`: the jobs log through `logging`.
pub(super) fn pipeline(run: &Run, rng: &mut Rng) -> Vec<String> {
    let job = run
        .command
        .split_whitespace()
        .nth(2)
        .unwrap_or("pipeline.run");
    let stamp = |rng: &mut Rng| {
        format!(
            "2024-11-23 12:{:02}:{:02},{:03}",
            rng.below(60),
            rng.below(60),
            rng.below(1000)
        )
    };
    let tail = if run.fails {
        vec![
            format!(
                "{} ERROR {job}: check failed: orders.amount has 3 negative values",
                stamp(rng)
            ),
            "Traceback (most recent call last):".to_string(),
            "  File \"/usr/local/lib/python3.11/runpy.py\", line 198, in _run_module_as_main"
                .to_string(),
            "pipeline.checks.CheckFailed: 1 of 48 checks failed".to_string(),
        ]
    } else {
        vec![format!("{} INFO {job}: all checks passed", stamp(rng))]
    };
    let body = |rng: &mut Rng, i: usize| {
        let table = TABLES[i % TABLES.len()];
        let rows = 10_000 + rng.below(2_000_000);
        format!("{} INFO {job}: {table}: {rows} rows checked", stamp(rng))
    };
    assemble(run, rng, Vec::new(), body, tail)
}

pub(super) fn mkdocs(run: &Run, rng: &mut Rng) -> Vec<String> {
    let head = vec![
        "INFO    -  Cleaning site directory".to_string(),
        format!(
            "INFO    -  Building documentation to directory: {}/site",
            run.src_dir
        ),
    ];
    let tail = if run.fails {
        lines(&[
            "WARNING -  Doc file 'guide/setup.md' contains a link 'install.md', but the target is not found among documentation files.",
            "",
            "Aborted with 1 warnings in strict mode!",
        ])
    } else {
        vec![format!(
            "INFO    -  Documentation built in {:.2} seconds",
            rng.range(5.0, 60.0)
        )]
    };
    let body = |_: &mut Rng, i: usize| format!("DEBUG   -  Reading: guide/page-{i}.md");
    assemble(run, rng, head, body, tail)
}
