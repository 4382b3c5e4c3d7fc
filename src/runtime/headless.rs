//! `cbdash watch` and `cbdash ls`: the same polling engine and API calls as
//! the dashboard, printing plain lines instead of drawing.

use std::io::Write;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::execute::settle;
use crate::app::{compare, update, Effect, Msg, Purpose, Row, Settings, State};
use crate::aws::{connect, ConnectOptions};
use crate::domain::{Build, Run, Status};
use crate::text::{duration, inert, short_version};

/// Exit codes of `watch`: the build succeeded, it did not, or it could not
/// be watched at all. `ls` exits 0 when what it printed is complete.
pub const SUCCEEDED: u8 = 0;
pub const NOT_SUCCEEDED: u8 = 1;
pub const TROUBLE: u8 = 2;
/// What was printed is partial or unverified: a call failed, or answered
/// what cannot be trusted (an empty body, builds without IDs).
pub const PARTIAL: u8 = 3;
/// Cycles `ls` runs at most to finish discovery (each reads 20 pages a list).
const LS_MAX_CYCLES: usize = 100;
/// Tries of a failing list before `ls` reports it.
const LS_RETRIES: u32 = 3;

/// Follows one build until it completes, printing each phase as it starts;
/// the failing phase's context goes to stderr. Only the build itself is
/// fetched: watching one build never reads the account's lists.
pub async fn watch(settings: Settings, options: ConnectOptions, id: &str) -> u8 {
    let api = connect(&options).await;
    let poll = Duration::from_secs(settings.poll_secs.max(1));
    let mut state = headless_state(settings);
    let fetch = || {
        vec![Effect::Fetch {
            purpose: Purpose::Detail,
            ids: vec![id.to_string()],
        }]
    };
    let apis = std::slice::from_ref(&api);
    settle(&mut state, apis, None, fetch()).await;
    // Batch IDs look like build IDs: one the builds do not know may be a batch.
    if state.store.get(id).is_none() && state.store.is_gone(id) {
        let batch = vec![Effect::FetchBatches {
            purpose: Purpose::Detail,
            ids: vec![id.to_string()],
        }];
        state.notice = None;
        settle(&mut state, apis, None, batch).await;
        if state.store.batches.get(id).is_some() {
            return watch_batch(state, apis, id, poll).await;
        }
    }
    let mut printed_phases = 0;
    let mut failures = 0u32;
    let mut warned = None;
    loop {
        let Some(build) = state.store.get(id).cloned() else {
            let reason = match &state.notice {
                Some(n) if n.error => n.text.clone(),
                _ => format!("no build {id}"),
            };
            err(&format!("cbdash: {reason}"));
            return TROUBLE;
        };
        let Some(printed) = print_phases(&build, printed_phases, &state.settings.tz) else {
            // Nobody reads any more (`| head`): stop, quietly.
            return SUCCEEDED;
        };
        printed_phases = printed;
        if build.complete {
            let code = finish(&build);
            if build.status.is_failure() && !build.report_arns.is_empty() {
                // Reports once, for the build that failed: which tests.
                state.reports.follow(id);
                let effects = crate::app::reports::due(&mut state);
                settle(&mut state, apis, None, effects).await;
                print_failed_tests(&state, &build);
            }
            return code;
        }
        // A failing fetch is said once, then retried with backoff.
        match state.notice.take() {
            Some(n) if n.error => {
                failures += 1;
                if warned.as_ref() != Some(&n.text) {
                    err(&format!("cbdash: {} (retrying)", n.text));
                    warned = Some(n.text);
                }
            }
            _ => failures = 0,
        }
        let backoff = poll.saturating_mul(1 << failures.min(6));
        tokio::time::sleep(backoff.min(Duration::from_secs(60))).await;
        state.now = Utc::now();
        settle(&mut state, apis, None, fetch()).await;
    }
}

/// Follows a batch build as `watch` follows a build: its phases as they
/// start, then its outcome, with the groups that did not succeed on stderr.
async fn watch_batch(
    mut state: State,
    apis: &[crate::aws::CodeBuild],
    id: &str,
    poll: Duration,
) -> u8 {
    let mut printed = 0;
    loop {
        let Some(batch) = state.store.batches.get(id).cloned() else {
            err(&format!("cbdash: no batch {id}"));
            return TROUBLE;
        };
        let number = batch
            .number
            .map_or_else(|| "?".to_string(), |n| n.to_string());
        for p in batch.phases.iter().skip(printed) {
            let at = p.start.map_or_else(String::new, |t| {
                t.with_timezone(&state.settings.tz)
                    .format("%H:%M:%S%:z")
                    .to_string()
            });
            if !out(&format!(
                "{at}  {} batch #{number}  {}",
                batch.project, p.phase_type
            )) {
                return SUCCEEDED;
            }
        }
        printed = batch.phases.len();
        if batch.complete {
            let (done, total) = batch.progress();
            out(&format!(
                "{} batch #{number}  {} ({done}/{total} groups)",
                batch.project, batch.status
            ));
            if batch.status == Status::Succeeded {
                return SUCCEEDED;
            }
            for (i, g) in batch.groups.iter().enumerate() {
                if let Some(status) = g.status().filter(|s| **s != Status::Succeeded) {
                    err(&format!("group {} {}", g.name(i), status));
                }
            }
            return NOT_SUCCEEDED;
        }
        tokio::time::sleep(poll).await;
        state.now = Utc::now();
        let again = vec![Effect::FetchBatches {
            purpose: Purpose::Detail,
            ids: vec![id.to_string()],
        }];
        settle(&mut state, apis, None, again).await;
    }
}

/// The state of a run without a screen: no selection's reports are read,
/// and no account is asked for, since no header shows it.
fn headless_state(settings: Settings) -> State {
    let mut state = State::new(settings, Utc::now());
    state.reports.headless = true;
    state.resources.headless = true;
    state.poller.identity = crate::app::poll::Identity::Skipped;
    state
}

/// One line on stdout, made inert (everything in it may come from whoever
/// can push a commit); false once nobody reads it (a closed pipe).
fn out(line: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", inert(line))
        .and_then(|()| stdout.flush())
        .is_ok()
}

/// One line on stderr, made inert; a closed stderr is nobody's problem.
fn err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", inert(line));
}

/// Prints the phases started since the last call; returns how many are
/// printed, or None once stdout is closed.
fn print_phases(b: &Build, already: usize, tz: &chrono::FixedOffset) -> Option<usize> {
    for p in b.phases.iter().skip(already) {
        // Local time, with its offset: a log read later says when.
        let at = p.start.map_or_else(String::new, |t| {
            t.with_timezone(tz).format("%H:%M:%S%:z").to_string()
        });
        let number = b.number.map_or_else(|| "?".to_string(), |n| n.to_string());
        if !out(&format!("{at}  {} #{number}  {}", b.project, p.phase_type)) {
            return None;
        }
    }
    Some(b.phases.len())
}

fn finish(b: &Build) -> u8 {
    let took = b.elapsed_secs(Utc::now()).map(duration).unwrap_or_default();
    let number = b.number.map_or_else(|| "?".to_string(), |n| n.to_string());
    // The result decides the code, whether or not anyone still reads.
    out(&format!("{} #{number}  {} in {took}", b.project, b.status));
    if b.status == Status::Succeeded {
        return SUCCEEDED;
    }
    if let Some(phase) = b.failed_phase() {
        let status = phase.status.as_ref().map_or("?", |s| s.as_str());
        err(&format!("{} {}", phase.phase_type, status));
        for c in phase.meaningful_contexts() {
            err(&format!("{}: {}", c.status_code, c.message));
        }
    }
    NOT_SUCCEEDED
}

/// Failed test cases shown by `watch`, then how many more.
const FAILED_SHOWN: usize = 10;

/// The failed tests of the build's reports on stderr, up to a limit.
fn print_failed_tests(state: &State, b: &Build) {
    let reports = &state.reports;
    for r in reports.of(b).filter(|r| r.failed_cases() > 0) {
        err(&format!(
            "{} {}: {}",
            r.name,
            r.status,
            r.totals.as_ref().map(|t| t.describe()).unwrap_or_default()
        ));
        let cases = reports.failed.get(&r.arn).map_or(&[][..], Vec::as_slice);
        for c in cases.iter().take(FAILED_SHOWN) {
            let suite = if c.suite.is_empty() {
                String::new()
            } else {
                format!("{} > ", c.suite)
            };
            err(&format!(
                "  {} {suite}{}: {}",
                c.status,
                c.name,
                c.first_line()
            ));
        }
        let more = r.failed_cases() - cases.len().min(FAILED_SHOWN) as i64;
        if cases.is_empty() && r.is_expired(state.now) {
            err("  (its test cases expired)");
        } else if more > 0 {
            err(&format!("  … {more} more"));
        }
    }
}

/// Prints what changed between build `id` and `other` (default: the last
/// success before it); 0 when it could compare, 1 when it could not.
pub async fn diff(
    settings: Settings,
    options: ConnectOptions,
    id: &str,
    other: Option<&str>,
) -> u8 {
    let api = connect(&options).await;
    let mut state = headless_state(settings);
    let apis = std::slice::from_ref(&api);
    let mut ids = vec![id.to_string()];
    ids.extend(other.map(str::to_string));
    settle(
        &mut state,
        apis,
        None,
        vec![Effect::Fetch {
            purpose: Purpose::Detail,
            ids,
        }],
    )
    .await;
    for wanted in std::iter::once(id).chain(other) {
        if state.store.get(wanted).is_none() {
            let reason = match &state.notice {
                Some(n) if n.error => n.text.clone(),
                _ => format!("no build {wanted}"),
            };
            err(&format!("cbdash: {reason}"));
            return NOT_SUCCEEDED;
        }
    }
    match other {
        Some(other) => compare::between(&mut state, id, other),
        None => {
            let effects = compare::start(&mut state, id);
            settle(&mut state, apis, None, effects).await;
        }
    }
    match compare::outcome(&state) {
        Some(Ok(c)) => {
            for line in crate::domain::compare::plain_lines(c) {
                if !out(&line) {
                    // Nobody reads any more (`| head`): stop, quietly.
                    break;
                }
            }
            SUCCEEDED
        }
        Some(Err(why)) => {
            err(&format!("cbdash: {why}"));
            NOT_SUCCEEDED
        }
        None => {
            err("cbdash: the comparison did not finish");
            NOT_SUCCEEDED
        }
    }
}

/// Discovery to the end, then the builds (and batches) it found, newest first.
pub async fn ls(settings: Settings, options: ConnectOptions, as_json: bool) -> u8 {
    let api = connect(&options).await;
    let mut state = headless_state(settings);
    let apis = std::slice::from_ref(&api);
    discover(&mut state, apis).await;
    let problems = ls_problems(&state);
    for problem in &problems {
        err(&format!("cbdash: {problem}"));
    }
    if let Some(hint) = state.poller.first_error().and_then(|(e, _)| e.hint()) {
        err(&format!("hint: {hint}"));
    }
    let code = match () {
        _ if problems.is_empty() => SUCCEEDED,
        _ if state.store.is_empty() && !state.poller.loaded => return TROUBLE,
        _ => {
            err("cbdash: the list below is partial");
            PARTIAL
        }
    };
    if as_json {
        // The listed builds' report totals: one call per 100 reports.
        let effects = crate::app::reports::listed(&mut state);
        settle(&mut state, apis, None, effects).await;
        if let Some(n) = state.notice.take().filter(|n| n.error) {
            err(&format!("cbdash: report totals: {}", n.text));
        }
    }
    // A closed stdout (`| head`) ends the list quietly, with the same code.
    print_list(&state, as_json);
    code
}

/// Polls until every build that can still be running is found, as `ls`
/// reads back, retrying a failing list a few times.
async fn discover(state: &mut State, apis: &[crate::aws::CodeBuild]) {
    for _ in 0..LS_MAX_CYCLES {
        let now = Utc::now();
        state.now = now;
        let effects = update(state, Msg::Tick(now));
        settle(state, apis, None, effects).await;
        let p = &state.poller;
        let more = p.discovering().is_some() || p.reading_burst();
        // A list that keeps failing is retried as the dashboard would, a
        // few times, then reported.
        let given_up = p
            .scopes
            .iter()
            .any(|s| s.health.dead.is_none() && s.health.failures >= LS_RETRIES);
        if p.last_error.is_some() || !more || given_up {
            break;
        }
        if let Some(wait) = p.next_at.and_then(|at| (at - Utc::now()).to_std().ok()) {
            tokio::time::sleep(wait.min(Duration::from_secs(60))).await;
        }
    }
}

/// What keeps `ls` from vouching for its list: failures of the account and
/// of each list, and a discovery that did not finish.
fn ls_problems(state: &State) -> Vec<String> {
    let p = &state.poller;
    let mut problems = Vec::new();
    if let Some((e, _)) = &p.last_error {
        problems.push(e.to_string());
    }
    problems.extend(p.failing_scopes());
    if p.last_error.is_none() && (p.discovering().is_some() || p.reading_burst()) {
        problems.push("discovery did not finish: older builds may be missing".to_string());
    }
    problems
}

fn print_list(state: &State, as_json: bool) {
    let now = state.now;
    let rows: Vec<&Row> = state.list.rows().iter().collect();
    if as_json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .filter_map(|row| match row {
                Row::Batch(id) => state.store.batches.get(id).map(|b| {
                    let mut item = run_json("batch", b.run(), now);
                    item["groups"] = json!(b.groups.len());
                    item
                }),
                row => row.build_id().and_then(|id| state.store.get(id)).map(|b| {
                    let mut item = run_json("build", b.run(), now);
                    // Read before printing, 100 reports a call.
                    let known: Vec<serde_json::Value> =
                        state.reports.of(b).map(report_json).collect();
                    if !known.is_empty() {
                        item["reports"] = json!(known);
                    }
                    item
                }),
            })
            .collect();
        // Exact and inert: what the sanitiser would change is \u-escaped.
        let mut stdout = std::io::stdout().lock();
        let line = crate::text::json_line(&serde_json::Value::Array(items));
        let _ = writeln!(stdout, "{line}");
        return;
    }
    for row in rows {
        let line = match row {
            Row::Batch(id) => state.store.batches.get(id).map(|b| {
                let (done, total) = b.progress();
                run_line(b.run(), &format!("batch {done}/{total}"), now)
            }),
            row => row
                .build_id()
                .and_then(|id| state.store.get(id))
                .map(|b| run_line(b.run(), b.current_phase.as_deref().unwrap_or_default(), now)),
        };
        if line.is_some_and(|line| !out(&line)) {
            return;
        }
    }
}

/// A report's totals, as `ls --json` gives them.
fn report_json(r: &crate::domain::Report) -> serde_json::Value {
    let totals = r.totals.as_ref().map(|t| {
        json!({
            "succeeded": t.succeeded, "failed": t.failed, "error": t.error,
            "skipped": t.skipped, "unknown": t.unknown, "other": t.other, "total": t.total,
        })
    });
    json!({ "arn": r.arn, "name": r.name, "status": r.status, "totals": totals,
        "duration_ns": r.duration_ns })
}

/// A build or batch as one JSON object of `ls --json`.
fn run_json(kind: &str, run: Run<'_>, now: DateTime<Utc>) -> serde_json::Value {
    json!({
        "kind": kind, "id": &**run.id, "project": run.project, "number": run.number,
        "status": run.status.as_str(), "phase": run.current_phase, "complete": run.complete,
        "source_version": run.source_version, "initiator": run.initiator,
        "start": run.start.map(|t| t.to_rfc3339()), "end": run.end.map(|t| t.to_rfc3339()),
        "duration_secs": run.elapsed_secs(now),
    })
}

/// A build or batch as one line of `ls`, `phase` being what it is doing.
fn run_line(run: Run<'_>, phase: &str, now: DateTime<Utc>) -> String {
    format!(
        "{:<11} {:<24} #{:<6} {:<18} {:<24} {:>9}  {}",
        run.status.as_str(),
        run.project,
        run.number
            .map_or_else(|| "?".to_string(), |n| n.to_string()),
        phase,
        run.source_version.map(short_version).unwrap_or_default(),
        run.elapsed_secs(now).map(duration).unwrap_or_default(),
        run.id
    )
}

/// `ls --projects`: the board's figures, once every project's newest
/// builds are read (one ListBuildsForProject and one BatchGetBuilds each).
pub async fn ls_projects(settings: Settings, options: ConnectOptions, as_json: bool) -> u8 {
    let api = connect(&options).await;
    let mut state = headless_state(settings);
    let apis = std::slice::from_ref(&api);
    discover(&mut state, apis).await;
    if !state.poller.loaded && state.store.is_empty() {
        if let Some((e, _)) = state.poller.first_error() {
            err(&format!("cbdash: {e}"));
        }
        return TROUBLE;
    }
    let effects = crate::app::open_board(&mut state);
    settle(&mut state, apis, None, effects).await;
    state.now = Utc::now();
    crate::app::recompute_board(&mut state);
    let code = match &state.board.last_error {
        Some(e) => {
            err(&format!(
                "cbdash: {} project(s) not read: {e}",
                state.board.failed.max(1)
            ));
            PARTIAL
        }
        None => SUCCEEDED,
    };
    print_board(&state, as_json);
    code
}

fn print_board(state: &State, as_json: bool) {
    use crate::app::board::ProjectHealth;
    let rate = |r: crate::app::board::Rate| json!({"succeeded": r.succeeded, "total": r.total, "percent": r.percent()});
    let line = |r: &ProjectHealth| -> String {
        if as_json {
            let item = json!({
                "project": r.project,
                "attention": r.attention.as_str(),
                "latest": r.latest.as_ref().map(|(s, _)| s.as_str()),
                "since": r.since.map(|t| t.to_rfc3339()),
                "last_20": rate(r.last_n),
                "last_24h": rate(r.day),
                "last_7d": rate(r.week),
                "p50_secs": r.durations.map(|d| d.median),
                "p90_secs": r.durations.map(|d| d.p90),
                "queue_p50_secs": r.queue_p50,
                "builds_per_day": (r.per_day * 10.0).round() / 10.0,
                "running": r.running,
                "flaky_commit": r.flaky_commit,
                "slowing": r.slowing.map(|s| (s * 100.0).round() / 100.0),
                "builds_read": r.builds,
                "source": "builds",
            });
            crate::text::json_line(&item)
        } else {
            let pct = |r: crate::app::board::Rate| {
                r.percent()
                    .map_or_else(|| "-".to_string(), |p| format!("{p:.0}%"))
            };
            let secs = |s: Option<i64>| s.map(crate::text::duration).unwrap_or_else(|| "-".into());
            crate::text::inert(&format!(
                "{:<9} {}  last20 {}  24h {}  7d {}  p50 {}  p90 {}  queue {}  {:.1}/day  running {}",
                r.attention.as_str(),
                r.project,
                pct(r.last_n),
                pct(r.day),
                pct(r.week),
                secs(r.durations.map(|d| d.median)),
                secs(r.durations.map(|d| d.p90)),
                secs(r.queue_p50),
                r.per_day,
                r.running,
            ))
            .into_owned()
        }
    };
    for r in &state.board.rows {
        // A closed stdout (`| head`) ends the list quietly.
        if !out(&line(r)) {
            return;
        }
    }
}
