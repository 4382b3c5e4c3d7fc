//! The compare key through the wire: a failed build against the last
//! success of its project, found among the loaded builds or read back
//! with ListBuildsForProject and BatchGetBuilds, and `cbdash diff`.

use aws_sdk_codebuild::types::ProjectEnvironment;
use aws_sdk_codebuild::types::{ComputeType, EnvironmentType, EnvironmentVariableType as Kind};

use crate::common::fixtures::{code, key};
use crate::common::sdk;
use crate::common::wire::Wire;
use cbdash::app::overlay::CompareStatus;
use cbdash::app::{Effect, Purpose, Row, Settings};
use cbdash_sim::{BuildSpec, Outcome, Scenario};

fn failing() -> Outcome {
    Outcome::FailIn {
        phase: "BUILD".into(),
        command: "npm test".into(),
    }
}

fn spec(secs_ago: f64, outcome: Outcome, branch: &str) -> BuildSpec {
    BuildSpec {
        project: "app".into(),
        started_secs_ago: secs_ago,
        outcome,
        source_version: Some(branch.into()),
        initiator: Some("alice".into()),
        ..BuildSpec::default()
    }
}

/// The project `app` with a success on main, then new settings (image,
/// compute type, privileged mode, variables of each kind, buildspec,
/// timeout), then a failure on main by another initiator: (success,
/// failure).
async fn regressed(w: &Wire) -> (String, String) {
    let client = sdk::client(&w.sim);
    sdk::new_project(&client, "app")
        .environment(
            ProjectEnvironment::builder()
                .r#type(EnvironmentType::LinuxContainer)
                .image("aws/codebuild/standard:7.0")
                .compute_type(ComputeType::BuildGeneral1Small)
                .environment_variables(sdk::var("STAGE", "prod", Kind::Plaintext))
                .environment_variables(sdk::var("OLD_FLAG", "1", Kind::Plaintext))
                .build()
                .expect("environment"),
        )
        .send()
        .await
        .expect("CreateProject");
    let success = w.sim.add_build(spec(7200.0, Outcome::Succeed, "main"));
    client
        .update_project()
        .name("app")
        .environment(
            ProjectEnvironment::builder()
                .r#type(EnvironmentType::LinuxContainer)
                .image("aws/codebuild/standard:8.0")
                .compute_type(ComputeType::BuildGeneral1Medium)
                .environment_variables(sdk::var("STAGE", "staging", Kind::Plaintext))
                .environment_variables(sdk::var("DB", "/app/db-password", Kind::ParameterStore))
                .environment_variables(sdk::var("TOKEN", "ci/token", Kind::SecretsManager))
                .privileged_mode(true)
                .build()
                .expect("environment"),
        )
        .source(
            aws_sdk_codebuild::types::ProjectSource::builder()
                .r#type(aws_sdk_codebuild::types::SourceType::Github)
                .location("https://github.com/example/app.git")
                .buildspec("version: 0.2\nphases:\n  build:\n    commands:\n      - make ci\n")
                .build()
                .expect("source"),
        )
        .timeout_in_minutes(90)
        .send()
        .await
        .expect("UpdateProject");
    let mut failing_spec = spec(600.0, failing(), "main");
    failing_spec.initiator = Some("bob".into());
    let failure = w.sim.add_build(failing_spec);
    (success, failure)
}

/// Only build `id` loaded (as `watch` loads it), and selected.
async fn load_only(w: &mut Wire, id: &str) {
    w.run(vec![Effect::Fetch {
        purpose: Purpose::Detail,
        ids: vec![id.to_string()],
    }])
    .await;
    w.state.refresh_list();
    w.select(Row::Build(id.into()));
}

fn comparison_text(w: &Wire) -> String {
    crate::common::render::screen(&w.state, 200, 50)
}

#[tokio::test]
async fn the_compare_key_reads_back_the_last_success_and_shows_what_changed() {
    let mut w = Wire::start(Scenario::Empty, &[]).await;
    let (success, failure) = regressed(&w).await;
    load_only(&mut w, &failure).await;
    assert!(
        w.state.store.get(&success).is_none(),
        "the success is not loaded"
    );
    w.take_calls();
    w.send(key('c')).await;
    let calls = w.take_calls();
    assert_eq!(
        calls,
        ["ListBuildsForProject", "BatchGetBuilds"],
        "one page read back"
    );
    let view = w.state.overlay.compare().expect("the comparison is open");
    let c = match &view.status {
        CompareStatus::Ready(c) => c,
        other => panic!("not ready: {other:?}"),
    };
    assert_eq!(c.other.id, success);
    let rows: Vec<(&str, &str, &str, &str)> = c
        .settings
        .iter()
        .map(|r| (&*r.label, &*r.this, &*r.other, &*r.note))
        .collect();
    let (commit, rows) = rows.split_first().expect("rows");
    assert_eq!(commit.0, "commit", "each build resolved its own commit");
    let link = format!("https://github.com/example/app/commit/{}", commit.1);
    assert!(c.links.iter().any(|(_, url)| *url == link), "{:?}", c.links);
    assert_eq!(
        rows,
        [
            (
                "image",
                "aws/codebuild/standard:8.0",
                "aws/codebuild/standard:7.0",
                ""
            ),
            (
                "compute type",
                "BUILD_GENERAL1_MEDIUM",
                "BUILD_GENERAL1_SMALL",
                ""
            ),
            ("privileged mode", "true", "false", ""),
            ("env DB", "parameter ref /app/db-password", "—", "added"),
            ("env STAGE", "staging", "prod", "changed"),
            ("env TOKEN", "secret ref ci/token", "—", "added"),
            ("env OLD_FLAG", "—", "1", "removed"),
            ("buildspec", "version: 0.2 (5 lines)", "the project's", ""),
            ("timeout", "90 min", "60 min", ""),
            ("initiator", "bob", "alice", ""),
        ]
    );
    assert!(
        c.phases.iter().any(|p| p.label == "BUILD"),
        "{:?}",
        c.phases
    );
    let screen = comparison_text(&w);
    assert!(screen.contains("last success #1 SUCCEEDED"), "{screen}");
    assert!(
        screen.contains("compared with the last success on main"),
        "{screen}"
    );
    // Esc goes back to the builds.
    w.send(code(crossterm::event::KeyCode::Esc)).await;
    assert!(w.state.overlay.compare().is_none());
}

#[tokio::test]
async fn a_loaded_success_is_compared_without_a_call_and_masked_values_stay_hidden() {
    let settings = Settings {
        context: "test".into(),
        mask_plaintext: true,
        ..Settings::default()
    };
    let mut w = Wire::start_with(Scenario::Empty, settings).await;
    let (_, failure) = regressed(&w).await;
    w.cycle().await;
    w.select(Row::Build(failure.as_str().into()));
    w.take_calls();
    w.send(key('c')).await;
    assert!(w.take_calls().is_empty(), "both builds were loaded");
    let screen = comparison_text(&w);
    assert!(screen.contains("env STAGE"), "{screen}");
    assert!(
        !screen.contains("staging") && !screen.contains("prod "),
        "{screen}"
    );
    assert!(
        screen.contains("parameter ref /app/db-password"),
        "{screen}"
    );
}

#[tokio::test]
async fn without_an_earlier_success_it_reads_three_pages_at_most_and_says_so() {
    let mut w = Wire::start(Scenario::Empty, &[]).await;
    let client = sdk::client(&w.sim);
    sdk::create_project(&client, "app").await;
    w.sim.add_build(spec(90_000.0, Outcome::Succeed, "main"));
    for i in 0..320 {
        w.sim
            .add_build(spec(80_000.0 - f64::from(i) * 60.0, failing(), "main"));
    }
    let target = w.sim.add_build(spec(60.0, failing(), "main"));
    load_only(&mut w, &target).await;
    w.take_calls();
    w.send(key('c')).await;
    let lists = w
        .take_calls()
        .iter()
        .filter(|c| *c == "ListBuildsForProject")
        .count();
    assert_eq!(lists, 3);
    let screen = comparison_text(&w);
    assert!(
        screen.contains("no earlier successful build of app among its 300 latest builds"),
        "{screen}"
    );
}

#[tokio::test]
async fn on_another_branch_it_falls_back_to_the_projects_last_success() {
    let mut w = Wire::start(Scenario::Empty, &[]).await;
    let client = sdk::client(&w.sim);
    sdk::create_project(&client, "app").await;
    let main = w.sim.add_build(spec(3600.0, Outcome::Succeed, "main"));
    let target = w.sim.add_build(spec(60.0, failing(), "feature/x"));
    load_only(&mut w, &target).await;
    w.send(key('c')).await;
    let c = w
        .state
        .overlay
        .compare()
        .and_then(|v| v.comparison())
        .expect("compared");
    assert_eq!(c.other.id, main);
    assert_eq!(
        c.notes.first().map(String::as_str),
        Some("no earlier success on feature/x: compared with the project's last success")
    );
    let source = c.settings.iter().find(|r| r.label == "source version");
    assert_eq!(
        source.map(|r| (&*r.this, &*r.other)),
        Some(("feature/x", "main"))
    );
}

#[tokio::test]
async fn while_it_reads_back_it_says_so_and_a_failed_read_is_shown() {
    let mut w = Wire::start(Scenario::Empty, &[]).await;
    let (_, failure) = regressed(&w).await;
    load_only(&mut w, &failure).await;
    let effects = cbdash::app::update(&mut w.state, key('c'));
    let screen = comparison_text(&w);
    assert!(
        screen.contains("looking for the last successful build of app…"),
        "{screen}"
    );
    w.sim.inject(cbdash_sim::Fault::AccessDenied, 1);
    w.run(effects).await;
    let screen = comparison_text(&w);
    assert!(
        screen.contains("could not read the older builds"),
        "{screen}"
    );
    assert!(screen.contains("ListBuildsForProject"), "{screen}");
}

mod diff_cli {
    use super::*;
    use crate::watch_cli::cbdash;

    async fn sim_with_regression() -> (Wire, String, String) {
        let w = Wire::start(Scenario::Empty, &[]).await;
        let (success, failure) = regressed(&w).await;
        (w, success, failure)
    }

    #[tokio::test]
    async fn diff_prints_what_changed_since_the_last_success_and_exits_0() {
        let (w, success, failure) = sim_with_regression().await;
        let out = cbdash(&w.sim, &["diff", &failure]).await;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout} {:?}", out.stderr);
        assert!(
            stdout.lines().next().is_some_and(|l| l.contains(&success)),
            "{stdout}"
        );
        for line in [
            "  image: aws/codebuild/standard:8.0 (was aws/codebuild/standard:7.0)",
            "  compute type: BUILD_GENERAL1_MEDIUM (was BUILD_GENERAL1_SMALL)",
            "  env DB: parameter ref /app/db-password (was —)  (added)",
            "  env STAGE: staging (was prod)  (changed)",
            "  env OLD_FLAG: — (was 1)  (removed)",
        ] {
            assert!(
                stdout.lines().any(|l| l == line),
                "no {line:?} in\n{stdout}"
            );
        }
        let masked = cbdash(&w.sim, &["diff", &failure, "--mask-values"]).await;
        let masked = String::from_utf8_lossy(&masked.stdout);
        assert!(
            masked.contains("env STAGE: •••••• (was ••••••)  (value changed)"),
            "{masked}"
        );
    }

    #[tokio::test]
    async fn diff_with_two_ids_compares_those_two() {
        let (w, success, failure) = sim_with_regression().await;
        let out = cbdash(&w.sim, &["diff", &success, &failure]).await;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0));
        assert!(
            stdout.contains("  image: aws/codebuild/standard:7.0 (was aws/codebuild/standard:8.0)"),
            "{stdout}"
        );
    }

    #[tokio::test]
    async fn diff_exits_1_when_it_cannot_compare_and_2_on_bad_usage() {
        let (w, success, _) = sim_with_regression().await;
        let out = cbdash(&w.sim, &["diff", &success]).await;
        assert_eq!(
            out.status.code(),
            Some(1),
            "the first success has none before it"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("no earlier successful build of app"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
        let missing = cbdash(
            &w.sim,
            &["diff", "app:00000000-0000-0000-0000-000000000000"],
        )
        .await;
        assert_eq!(missing.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&missing.stderr).contains("no build app:0000"));
        let usage = cbdash(&w.sim, &["diff"]).await;
        assert_eq!(usage.status.code(), Some(2));
    }
}
