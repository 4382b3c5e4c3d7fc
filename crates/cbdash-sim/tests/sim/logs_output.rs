//! Lines a test feeds through `BuildSpec::output`, the demo project that
//! writes hostile terminal output, and the same logs for the same seed.

use crate::sdk::{
    all_build_ids, client, demo, log_target, logs_client, quiet, raw_post, read_from_head,
    timed_phases,
};
use cbdash_sim::{BuildSpec, Outcome, SimHandle};
use serde_json::json;

fn hostile_lines() -> Vec<String> {
    vec![
        "\x1b[1;31mFAIL\x1b[0m src/app.test.ts".to_string(),
        "\x1b]52;c;ZXZpbA==\x07".to_string(),
        "\x1b]0;owned\x07title".to_string(),
        "\x1b[2J\x1b[H\x1b[5;10Hmoved".to_string(),
        "\r 10%\r 20%\r 30%".to_string(),
        "col1\tcol2\tcol3".to_string(),
        "ünïcödé ✓ 日本語".to_string(),
        "m".repeat(20_000),
    ]
}

#[tokio::test]
async fn output_lines_arrive_verbatim_in_order_within_build() {
    let sim = quiet().await;
    let fed = hostile_lines();
    let id = sim.add_build(BuildSpec {
        phase_secs: timed_phases(80.0),
        output: Some(fed.clone()),
        outcome: Outcome::FailIn {
            phase: "BUILD".into(),
            command: "npm test".into(),
        },
        ..BuildSpec::default()
    });
    let target = log_target(&client(&sim), &id).await;
    sim.advance(21.0 + 40.0);
    let lines = sim.log_lines(&id);
    let start = lines
        .iter()
        .position(|l| l.ends_with("Running command npm test"))
        .expect("command");
    // Spread over the phase: half way through, about half are out.
    let out_now = lines.len() - start - 1;
    assert!((2..fed.len()).contains(&out_now), "{out_now}");

    sim.advance(60.0);
    let read = read_from_head(&logs_client(&sim), &target, 10_000).await;
    assert_eq!(read[start + 1..start + 1 + fed.len()], fed[..]);
    assert!(read[start + 1 + fed.len()]
        .ends_with("Command did not exit successfully npm test exit status 1"));

    // JSON escapes control characters the way the service does.
    let body = json!({"logGroupName": target.0, "logStreamName": target.1, "startFromHead": true});
    let (status, _, raw) = raw_post(
        &sim,
        "/",
        Some("Logs_20140328.GetLogEvents"),
        &body.to_string(),
    )
    .await;
    assert_eq!(status, 200);
    for escaped in [
        r#""\u001b]52;c;ZXZpbA==\u0007""#,
        r#""\u001b[2J\u001b[H\u001b[5;10Hmoved""#,
        r#""\r 10%\r 20%\r 30%""#,
        r#""col1\tcol2\tcol3""#,
    ] {
        assert!(raw.contains(escaped), "{escaped} not in the body");
    }
}

#[tokio::test]
async fn a_blank_line_arrives_as_a_newline_never_as_an_empty_message() {
    let sim = quiet().await;
    let fed: Vec<String> = ["before", "", "after"].map(String::from).to_vec();
    let id = sim.add_build(BuildSpec {
        phase_secs: timed_phases(80.0),
        output: Some(fed),
        ..BuildSpec::default()
    });
    let target = log_target(&client(&sim), &id).await;
    sim.advance(600.0);
    let read = read_from_head(&logs_client(&sim), &target, 10_000).await;
    let at = read.iter().position(|l| l == "before").expect("fed lines");
    assert_eq!(read[at..at + 3], ["before", "\n", "after"]);
    assert!(read.iter().all(|l| !l.is_empty()), "no empty message");
}

#[tokio::test]
async fn the_hostile_project_writes_escape_sequences_and_a_huge_line() {
    let sim = quiet().await;
    let id = sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        started_secs_ago: 3.0 * 3600.0,
        ..BuildSpec::default()
    });
    let lines = sim.log_lines(&id);
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(has("\x1b]52;c;ZXZpbA==\x07"), "OSC 52 clipboard write");
    assert!(has("\x1b]0;"), "OSC 0 title");
    assert!(has("\x1b[2J"), "clear screen");
    assert!(has("\x1b[1A"), "cursor up");
    assert!(has("\x1b[32m"), "SGR colour");
    assert!(has("\t"), "tabs");
    assert!(
        lines.iter().any(|l| l.matches('\r').count() >= 5),
        "CR progress"
    );
    assert!(
        lines.iter().any(|l| l.chars().count() == 20_000),
        "long line"
    );

    let calm = sim.add_build(BuildSpec {
        project: "api-service".into(),
        started_secs_ago: 3.0 * 3600.0,
        ..BuildSpec::default()
    });
    let calm = sim.log_lines(&calm);
    assert!(calm
        .iter()
        .all(|l| !l.contains('\x1b') && !l.contains('\r')));
    assert!(calm.iter().all(|l| l.len() < 1000));
}

/// Every demo build's log, by id.
async fn demo_logs(sim: &SimHandle) -> Vec<(String, Vec<String>)> {
    let ids = all_build_ids(&client(sim), None).await;
    ids.into_iter()
        .map(|id| {
            let lines = sim.log_lines(&id);
            (id, lines)
        })
        .collect()
}

#[tokio::test]
async fn the_same_seed_writes_the_same_logs() {
    let (a, b, c) = (demo(11).await, demo(11).await, demo(12).await);
    let logs_a = demo_logs(&a).await;
    assert_eq!(logs_a, demo_logs(&b).await);
    assert_ne!(logs_a, demo_logs(&c).await);
    let with_logs = logs_a.iter().filter(|(_, l)| !l.is_empty()).count();
    assert!(
        with_logs * 10 > logs_a.len() * 7,
        "most builds have a stream: {with_logs}"
    );
    let running = logs_a
        .iter()
        .filter(|(id, l)| !l.is_empty() && id.starts_with("monorepo-ci:"))
        .count();
    assert!(running > 0, "batch group builds log too");
    let lines = logs_a.iter().flat_map(|(_, l)| l);
    assert!(
        lines.clone().any(|l| l == "\n"),
        "the demo prints blank lines"
    );
    assert!(
        lines.clone().all(|l| !l.is_empty()),
        "never as empty messages"
    );

    // And the wire answers are byte for byte the same, tokens included.
    let (id, _) = logs_a
        .iter()
        .rev()
        .find(|(_, l)| l.len() > 50)
        .expect("a long log");
    for sim in [&a, &b] {
        sim.advance(90.0);
    }
    let target = log_target(&client(&a), id).await;
    let body =
        json!({"logGroupName": target.0, "logStreamName": target.1, "limit": 25}).to_string();
    let target_op = Some("Logs_20140328.GetLogEvents");
    let (_, _, from_a) = raw_post(&a, "/", target_op, &body).await;
    let (_, _, from_b) = raw_post(&b, "/", target_op, &body).await;
    assert_eq!(from_a, from_b);
}
