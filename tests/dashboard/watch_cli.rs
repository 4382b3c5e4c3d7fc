//! `cbdash watch` and `cbdash ls` as scripts use them, and the dashboard
//! in a terminal: the real binary against the simulator, judged by its
//! output, the terminal it leaves and its exit code.

use std::process::{Command, Output};

use cbdash_sim::{BuildSpec, Outcome, Scenario, SimConfig, SimHandle};

/// A simulator whose clock runs 240 times faster than real time.
async fn fast_sim() -> SimHandle {
    SimHandle::start(SimConfig {
        speed: 240.0,
        scenario: Scenario::Quiet,
        ..SimConfig::default()
    })
    .await
    .expect("simulator")
}

/// The binary pointed at `sim`, with `args`, test credentials in the
/// environment and no profile or config file of the machine's.
fn command(sim: &SimHandle, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cbdash"));
    command
        .args([
            "--region",
            "us-east-1",
            "--endpoint-url",
            &sim.endpoint_url(),
            "--poll",
            "1",
        ])
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/cbdash-test/config")
        .env_remove("AWS_PROFILE");
    command
}

pub async fn cbdash(sim: &SimHandle, args: &[&str]) -> Output {
    let mut command = command(sim, args);
    tokio::task::spawn_blocking(move || bounded(&mut command))
        .await
        .expect("joined")
}

/// Runs `command` to its end, killing it (and failing) after two minutes so
/// a watch that never ends cannot hang the suite.
fn bounded(command: &mut Command) -> Output {
    bounded_with(command, None)
}

/// Like `bounded`; with `read_lines`, its stdout is closed after that many
/// lines are read (`| head -n`), the pipe holding no more than a page, so
/// that whatever it writes after that meets the closed pipe. The lines
/// read are the output's stdout.
fn bounded_with(command: &mut Command, read_lines: Option<usize>) -> Output {
    use std::io::Read;
    use std::os::fd::AsRawFd;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cbdash runs");
    let mut head = Vec::new();
    if let Some(lines) = read_lines {
        let mut stdout = child.stdout.take().expect("piped");
        unsafe { libc::fcntl(stdout.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
        let mut byte = [0u8];
        while head.iter().filter(|b| **b == b'\n').count() < lines {
            match stdout.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => break,
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().expect("wait").is_some() {
            let mut out = child.wait_with_output().expect("output");
            if read_lines.is_some() {
                out.stdout = head;
            }
            return out;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("cbdash did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn quick(outcome: Outcome) -> BuildSpec {
    BuildSpec {
        project: "api-service".into(),
        outcome,
        phase_secs: Some(vec![
            ("BUILD".into(), 60.0),
            ("QUEUED".into(), 5.0),
            ("PROVISIONING".into(), 20.0),
        ]),
        ..BuildSpec::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_prints_each_phase_and_exits_0_on_success() {
    let sim = fast_sim().await;
    let id = sim.add_build(quick(Outcome::Succeed));
    let out = cbdash(&sim, &["watch", &id]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let phases: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(3))
        .collect();
    let expected = [
        "SUBMITTED",
        "QUEUED",
        "PROVISIONING",
        "DOWNLOAD_SOURCE",
        "INSTALL",
        "PRE_BUILD",
        "BUILD",
        "POST_BUILD",
        "UPLOAD_ARTIFACTS",
        "FINALIZING",
        "COMPLETED",
    ];
    assert_eq!(&phases[..expected.len()], expected, "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l.contains("SUCCEEDED")),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_exits_1_with_the_failing_context_on_stderr() {
    let sim = fast_sim().await;
    let id = sim.add_build(quick(Outcome::FailIn {
        phase: "BUILD".into(),
        command: "cargo test --locked".into(),
    }));
    let out = cbdash(&sim, &["watch", &id]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("BUILD FAILED"), "{stderr}");
    assert!(
        stderr.contains("COMMAND_EXECUTION_ERROR: Error while executing command: cargo test --locked. Reason: exit status 1"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED"));
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_exits_2_for_a_build_that_does_not_exist() {
    let sim = fast_sim().await;
    let out = cbdash(
        &sim,
        &["watch", "api-service:00000000-0000-4000-8000-000000000000"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no build"));
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_prints_the_builds_as_lines_or_json() {
    let sim = fast_sim().await;
    let id = sim.add_build(quick(Outcome::Succeed));
    let out = cbdash(&sim, &["ls"]).await;
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("IN_PROGRESS") && l.ends_with(&id)),
        "{text}"
    );

    let out = cbdash(&sim, &["ls", "--json"]).await;
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let first = &items[0];
    assert_eq!(first["id"], serde_json::json!(id));
    assert_eq!(first["kind"], "build");
    assert_eq!(first["project"], "api-service");
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_without_credentials_explains_and_exits_2() {
    let sim = fast_sim().await;
    let out = tokio::task::spawn_blocking({
        let endpoint = sim.endpoint_url();
        move || {
            bounded(
                Command::new(env!("CARGO_BIN_EXE_cbdash"))
                    .args(["--region", "us-east-1", "--endpoint-url", &endpoint, "ls"])
                    .env_remove("AWS_ACCESS_KEY_ID")
                    .env_remove("AWS_SECRET_ACCESS_KEY")
                    .env_remove("AWS_PROFILE")
                    .env("AWS_EC2_METADATA_DISABLED", "true")
                    .env("AWS_CONFIG_FILE", "/nonexistent/cbdash-test/config")
                    .env(
                        "AWS_SHARED_CREDENTIALS_FILE",
                        "/nonexistent/cbdash-test/credentials",
                    ),
            )
        }
    })
    .await
    .expect("joined");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("credentials") && stderr.contains("aws sso login"),
        "{stderr}"
    );
}

/// Lets the first `pass` requests through, then answers the next one with
/// this status and body.
fn answer_after(sim: &SimHandle, pass: u32, status: u16, body: &str) {
    use cbdash_sim::Fault;
    sim.inject(Fault::Delay(std::time::Duration::ZERO), pass);
    sim.inject(
        Fault::RawBody {
            status,
            body: body.to_string(),
        },
        1,
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_exits_3_and_says_what_is_missing_when_batch_get_builds_answers_an_empty_body() {
    let sim = fast_sim().await;
    sim.add_build(quick(Outcome::Succeed));
    // ListBuilds and the two batch lists answer; BatchGetBuilds gets "".
    answer_after(&sim, 3, 200, "");
    let out = cbdash(&sim, &["ls"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("BatchGetBuilds answered for 0 of the 1 builds asked for"),
        "{stderr}"
    );
    assert!(stderr.contains("partial"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_exits_3_when_builds_come_back_without_ids() {
    let sim = fast_sim().await;
    sim.add_build(quick(Outcome::Succeed));
    answer_after(
        &sim,
        3,
        200,
        r#"{"builds":[{"projectName":"api-service","buildStatus":"SUCCEEDED"}],"buildsNotFound":[]}"#,
    );
    let out = cbdash(&sim, &["ls"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("without saying the others do not exist"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_exits_3_naming_an_unknown_project_and_lists_the_good_one() {
    let sim = fast_sim().await;
    let id = sim.add_build(quick(Outcome::Succeed));
    let out = cbdash(
        &sim,
        &[
            "--project",
            "api-service",
            "--project",
            "nosuchproject",
            "ls",
        ],
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("project nosuchproject not found"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&id));
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_exits_0_after_reading_back_every_page_that_can_hold_a_running_build() {
    let sim = fast_sim().await;
    let old = sim.add_build(BuildSpec {
        project: "data-pipeline".into(),
        started_secs_ago: 6.0 * 3600.0,
        timeout_minutes: Some(36 * 60),
        phase_secs: Some(vec![("BUILD".into(), 12.0 * 3600.0)]),
        ..BuildSpec::default()
    });
    for i in 0..230 {
        sim.add_build(BuildSpec {
            started_secs_ago: 5.0 * 3600.0 - f64::from(i) * 60.0,
            ..quick(Outcome::Succeed)
        });
    }
    let out = cbdash(&sim, &["ls"]).await;
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 231);
    assert!(
        text.lines()
            .any(|l| l.starts_with("IN_PROGRESS") && l.ends_with(&old)),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_exits_2_when_the_answer_is_an_empty_body() {
    let sim = fast_sim().await;
    let id = sim.add_build(quick(Outcome::Succeed));
    answer_after(&sim, 0, 200, "");
    let out = cbdash(&sim, &["watch", &id]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("BatchGetBuilds answered for 0 of the 1"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_fetches_only_the_build_it_watches() {
    let sim = fast_sim().await;
    for i in 0..300 {
        sim.add_build(BuildSpec {
            started_secs_ago: 3.0 * 3600.0 - f64::from(i) * 30.0,
            ..quick(Outcome::Succeed)
        });
    }
    let id = sim.add_build(quick(Outcome::Succeed));
    sim.clear_requests();
    let out = cbdash(&sim, &["watch", &id]).await;
    assert_eq!(out.status.code(), Some(0));
    let ops: std::collections::HashSet<String> =
        sim.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(
        ops.into_iter().collect::<Vec<_>>(),
        ["BatchGetBuilds"],
        "no list of the account is read"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ls_and_watch_print_hostile_strings_inert() {
    use crate::common::visible::{assert_visible, HOSTILE};
    let sim = fast_sim().await;
    let id = sim.add_build(BuildSpec {
        source_version: Some(HOSTILE.into()),
        initiator: Some(HOSTILE.into()),
        ..quick(Outcome::FailIn {
            phase: "BUILD".into(),
            command: HOSTILE.into(),
        })
    });
    let out = cbdash(&sim, &["ls"]).await;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert!(stdout.contains(&id), "{stdout}");
    assert!(
        stdout.contains("main�]0;PWNED�"),
        "shown, made visible: {stdout}"
    );
    assert_visible("ls stdout", &stdout);
    assert_visible("ls stderr", &stderr);
    let out = cbdash(&sim, &["watch", &id]).await;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("COMMAND_EXECUTION_ERROR"), "{stderr}");
    assert!(
        stderr.contains("\u{1f468}\u{200d}\u{1f4bb}"),
        "an emoji stays: {stderr}"
    );
    assert_visible("watch stdout", &stdout);
    assert_visible("watch stderr", &stderr);
}

/// Runs cbdash with its stdout closed after `lines` lines: `| head -n`.
async fn with_stdout_closed(sim: &SimHandle, args: &[&str], lines: usize) -> Output {
    let mut command = command(sim, args);
    tokio::task::spawn_blocking(move || bounded_with(&mut command, Some(lines)))
        .await
        .expect("joined")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pipe_ends_ls_and_watch_quietly() {
    let sim = fast_sim().await;
    for _ in 0..100 {
        sim.add_build(quick(Outcome::Succeed));
    }
    let id = sim.add_build(BuildSpec {
        phase_secs: Some(vec![("BUILD".into(), 3600.0)]),
        ..quick(Outcome::Succeed)
    });
    // More than the pipe holds: the list goes on writing after `head` left.
    let full = cbdash(&sim, &["ls"]).await;
    assert!(full.stdout.len() > 8 * 1024, "{}", full.stdout.len());
    for lines in [0, 1] {
        for args in [vec!["ls"], vec!["watch", id.as_str()]] {
            let out = with_stdout_closed(&sim, &args, lines).await;
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{args:?} | head -{lines}: {stderr}"
            );
            assert_eq!(stderr, "", "{args:?} | head -{lines}");
            assert_eq!(out.stdout.iter().filter(|b| **b == b'\n').count(), lines);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_prints_local_times_with_their_offset() {
    let sim = fast_sim().await;
    let id = sim.add_build(quick(Outcome::Succeed));
    let out = cbdash(&sim, &["watch", &id]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().next());
    let at = first.unwrap_or_default();
    // HH:MM:SS+HH:MM
    assert_eq!(at.len(), 14, "{stdout}");
    assert!(matches!(at.as_bytes()[8], b'+' | b'-'), "{stdout}");
}

#[test]
fn the_dashboard_without_a_terminal_says_what_to_use_instead() {
    let out = bounded(
        Command::new(env!("CARGO_BIN_EXE_cbdash"))
            .arg("--demo")
            .env("AWS_CONFIG_FILE", "/nonexistent/cbdash-test/config")
            .stdin(std::process::Stdio::null()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("cbdash needs a terminal; use `cbdash ls` or `cbdash watch` in scripts"));
}

/// Runs cbdash with `envs` and `args` against `sim`, for the account tests.
async fn cbdash_with(sim: &SimHandle, envs: Vec<(&'static str, String)>, args: &[&str]) -> Output {
    let mut command = command(sim, args);
    command.envs(envs);
    tokio::task::spawn_blocking(move || bounded(&mut command))
        .await
        .expect("joined")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_explicit_profile_wins_over_credentials_in_the_environment() {
    let sim = fast_sim().await;
    // The environment's key is account 111111111111; the profile's is 222222222222.
    let env_build = sim
        .world("111111111111", "us-east-1")
        .add_build(quick(Outcome::Succeed));
    let prod_build = sim
        .world("222222222222", "us-east-1")
        .add_build(quick(Outcome::Succeed));
    let dir = std::env::temp_dir().join(format!("cbdash-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[profile prod]\naws_access_key_id = AKIA222222222222PROD\naws_secret_access_key = s\nregion = us-east-1\n",
    )
    .expect("config");
    let envs = vec![
        ("AWS_ACCESS_KEY_ID", "AKIA111111111111ENVK".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "s".to_string()),
        ("AWS_CONFIG_FILE", config.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("none").display().to_string(),
        ),
    ];
    let out = cbdash_with(&sim, envs.clone(), &["--profile", "prod", "ls"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&prod_build),
        "the profile's account answered: {stdout}"
    );
    assert!(
        !stdout.contains(&env_build),
        "not the environment's: {stdout}"
    );

    let out = cbdash_with(&sim, envs, &["--profile", "nope", "ls"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("no profile \"nope\" in") && stderr.contains(&config.display().to_string()),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_follows_a_batch_given_its_id() {
    use cbdash_sim::{BatchSpec, GroupSpec};
    let sim = fast_sim().await;
    let group = |name: &str, after: &[&str]| GroupSpec {
        identifier: name.into(),
        depends_on: after.iter().map(|s| s.to_string()).collect(),
        phase_secs: Some(vec![("BUILD".into(), 20.0), ("PROVISIONING".into(), 5.0)]),
        ..GroupSpec::default()
    };
    let id = sim.add_batch(BatchSpec {
        groups: vec![group("lint", &[]), group("test", &["lint"])],
        ..BatchSpec::default()
    });
    let out = cbdash(&sim, &["watch", &id]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("batch #"), "{stdout}");
    assert!(stdout.contains("DOWNLOAD_BATCHSPEC"), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|l| l.contains("SUCCEEDED (2/2 groups)")),
        "{stdout}"
    );
}

/// A home of its own for a run of the dashboard: no crash report, preset
/// or config file of the machine's is read or written.
fn scratch_home(name: &str) -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("cbdash-pty-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).expect("temp home");
    home
}

/// The crash reports written under `dir`.
fn crash_logs(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(crash_logs(&path));
        } else if path.file_name().is_some_and(|n| n == "crash.log") {
            found.push(path);
        }
    }
    found
}

/// `cbdash --demo` in an 80x24 pseudo-terminal, once it has drawn its
/// first frame; its stderr is a pipe, to read.
fn dashboard_in_a_pty(home: &std::path::Path) -> crate::common::pty::Pty {
    dashboard_on(crate::common::pty::Pty::spawn, home)
}

/// `cbdash --demo` started by `spawn` in an 80x24 pseudo-terminal, once it
/// has drawn its first frame.
fn dashboard_on(
    spawn: fn(Command, u16, u16) -> crate::common::pty::Pty,
    home: &std::path::Path,
) -> crate::common::pty::Pty {
    dashboard_with(spawn, home, &[])
}

/// Like `dashboard_on`, with `env` added to the dashboard's environment.
fn dashboard_with(
    spawn: fn(Command, u16, u16) -> crate::common::pty::Pty,
    home: &std::path::Path,
    env: &[(&str, &str)],
) -> crate::common::pty::Pty {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cbdash"));
    // NO_COLOR only where a test asks for it.
    command.env_remove("NO_COLOR").envs(env.iter().copied());
    command
        .arg("--demo")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("TMPDIR", home)
        .env("TERM", "xterm-256color")
        .env("AWS_CONFIG_FILE", "/nonexistent/cbdash-test/config")
        .env_remove("AWS_PROFILE");
    let pty = spawn(command, 80, 24);
    pty.wait_for(
        &[b"\x1b[?1049h", b"simulator"],
        std::time::Duration::from_secs(60),
    );
    pty
}

/// The dashboard ended with `code`, promptly, leaving every terminal mode
/// it set given back, no crash report and no panic message.
fn assert_clean_end(home: &std::path::Path, ended: &crate::common::pty::Ended, code: i32) {
    use crate::common::pty::{modes_left_on, modes_set, MODES};
    let shown = String::from_utf8_lossy(&ended.output);
    assert_eq!(ended.status.code(), Some(code), "{}", ended.stderr);
    assert!(
        ended.took < std::time::Duration::from_secs(5),
        "took {:?}",
        ended.took
    );
    assert_eq!(modes_set(&ended.output).len(), MODES.len(), "{shown:?}");
    assert_eq!(
        modes_left_on(&ended.output),
        Vec::<&str>::new(),
        "{shown:?}"
    );
    assert!(!ended.stderr.contains("panicked"), "{}", ended.stderr);
    assert!(!ended.stderr.contains("crashed"), "{}", ended.stderr);
    assert_eq!(crash_logs(home), Vec::<std::path::PathBuf>::new());
}

/// Sends `signal` to the dashboard once it has drawn, then judges its end:
/// the terminal cooked again, with every mode given back.
fn ends_cleanly_on(name: &str, signal: libc::c_int, code: i32) {
    let home = scratch_home(name);
    let pty = dashboard_in_a_pty(&home);
    let raw = pty.termios_now();
    assert!(
        !crate::common::pty::cooked(&raw),
        "the dashboard runs in raw mode"
    );
    pty.signal(signal);
    let ended = pty.wait(std::time::Duration::from_secs(20));
    assert_clean_end(&home, &ended, code);
    let termios = ended.termios.expect("the terminal is still open");
    assert!(
        crate::common::pty::cooked(&termios),
        "{name}: line editing and echo back on"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn sigint_restores_the_terminal_and_exits_130() {
    ends_cleanly_on("int", libc::SIGINT, 130);
}

#[test]
fn sigquit_restores_the_terminal_and_exits_131() {
    ends_cleanly_on("quit", libc::SIGQUIT, 131);
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    ends_cleanly_on("term", libc::SIGTERM, 143);
}

#[test]
fn sighup_restores_the_terminal_and_exits_129() {
    ends_cleanly_on("hup", libc::SIGHUP, 129);
}

#[test]
fn q_restores_the_terminal_and_exits_0() {
    let home = scratch_home("q");
    let pty = dashboard_in_a_pty(&home);
    pty.type_in(b"q");
    let ended = pty.wait(std::time::Duration::from_secs(20));
    assert_clean_end(&home, &ended, 0);
    assert!(ended
        .termios
        .is_some_and(|t| crate::common::pty::cooked(&t)));
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_closed_terminal_ends_the_dashboard_quietly_with_129_and_no_crash_report() {
    let home = scratch_home("closed");
    let mut pty = dashboard_in_a_pty(&home);
    pty.close();
    let ended = pty.wait(std::time::Duration::from_secs(20));
    assert_eq!(ended.status.code(), Some(129), "{}", ended.stderr);
    assert!(ended.stderr.is_empty(), "{}", ended.stderr);
    assert_eq!(crash_logs(&home), Vec::<std::path::PathBuf>::new());
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_closed_terminal_that_was_stderr_too_is_no_crash_either() {
    let home = scratch_home("closed-all");
    let mut pty = dashboard_on(crate::common::pty::Pty::spawn_all_on_pty, &home);
    // Frames still to draw while the terminal closes.
    pty.type_in(b"????");
    pty.close();
    let ended = pty.wait(std::time::Duration::from_secs(20));
    assert_eq!(ended.status.code(), Some(129));
    assert_eq!(crash_logs(&home), Vec::<std::path::PathBuf>::new());
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn sigterm_ends_the_dashboard_even_while_it_is_stuck_writing_to_a_stalled_terminal() {
    let home = scratch_home("stalled");
    let mut pty = dashboard_in_a_pty(&home);
    pty.stall();
    // Each key opens or closes the help: a frame to draw, until the
    // terminal's buffer is full and the dashboard waits in a write.
    for _ in 0..300 {
        pty.type_in(b"?");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    pty.signal(libc::SIGTERM);
    let ended = pty.wait(std::time::Duration::from_secs(20));
    assert_eq!(ended.status.code(), Some(143), "{}", ended.stderr);
    assert!(
        ended.took < std::time::Duration::from_secs(5),
        "took {:?}",
        ended.took
    );
    assert!(ended
        .termios
        .is_some_and(|t| crate::common::pty::cooked(&t)));
    assert!(!ended.stderr.contains("panicked"), "{}", ended.stderr);
    assert_eq!(crash_logs(&home), Vec::<std::path::PathBuf>::new());
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn ls_with_demo_reads_the_built_in_simulator_without_credentials() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cbdash"));
    command
        .args(["--demo", "--speed", "0", "ls"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    let out = bounded(&mut command);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.lines().count() > 50 && stdout.contains("web-frontend"),
        "the demo's history: {stdout}"
    );
}

#[test]
fn with_no_color_set_the_terminal_receives_no_colour() {
    let home = scratch_home("no-color");
    let pty = dashboard_with(crate::common::pty::Pty::spawn, &home, &[("NO_COLOR", "1")]);
    // A few frames: the first, then a move and the help screen.
    pty.type_in(b"j");
    pty.type_in(b"?");
    pty.wait_for(&[b"Keys"], std::time::Duration::from_secs(20));
    pty.type_in(b"q");
    let ended = pty.wait(std::time::Duration::from_secs(20));
    assert_clean_end(&home, &ended, 0);
    let colours = colour_sequences(&ended.output);
    assert!(colours.is_empty(), "colour sent: {colours:?}");
    // The same run without NO_COLOR does colour the screen.
    let pty = dashboard_in_a_pty(&home);
    pty.type_in(b"q");
    let ended = pty.wait(std::time::Duration::from_secs(20));
    assert!(!colour_sequences(&ended.output).is_empty());
    let _ = std::fs::remove_dir_all(&home);
}

/// The SGR sequences in `output` that set a colour (30-38, 40-48, 90-97,
/// 100-107; 39 and 49, the terminal's own colours, are not colour).
fn colour_sequences(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut found = Vec::new();
    for chunk in text.split("\x1b[").skip(1) {
        let Some(end) = chunk.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':')) else {
            continue;
        };
        if !chunk[end..].starts_with('m') {
            continue;
        }
        let params = &chunk[..end];
        let colour = params.split([';', ':']).any(|p| {
            matches!(
                p.parse::<u16>(),
                Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
            )
        });
        if colour {
            found.push(params.to_string());
        }
    }
    found
}
