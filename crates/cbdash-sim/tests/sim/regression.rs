//! The demo's regression: data-pipeline passed on standard:6.0, and since
//! the project moved to standard:7.0 its tests fail, the same tests named
//! in every failing build's log and TEST report.

use aws_sdk_codebuild::types::{Build, StatusType, TestCaseFilter};

use crate::reports::test_report;
use crate::sdk::{client, demo, get_builds};

const OLD: &str = "aws/codebuild/standard:6.0";
const NEW: &str = "aws/codebuild/standard:7.0";

fn image(b: &Build) -> &str {
    b.environment().map_or("", |e| e.image())
}

#[tokio::test]
async fn data_pipeline_started_failing_when_its_image_changed() {
    let sim = demo(42).await;
    let client = client(&sim);
    let ids = client
        .list_builds_for_project()
        .project_name("data-pipeline")
        .send()
        .await
        .unwrap()
        .ids()
        .to_vec();
    let mut builds = get_builds(&client, &ids).await;
    builds.sort_by_key(|b| b.start_time().unwrap().secs());
    let first_new = builds
        .iter()
        .position(|b| image(b) == NEW)
        .expect("builds on the new image");
    assert!(first_new > 0, "builds on the old image first");
    assert!(builds[..first_new].iter().all(|b| image(b) == OLD));
    assert!(builds[first_new..].iter().all(|b| image(b) == NEW));
    assert_eq!(
        builds[first_new - 1].build_status(),
        Some(&StatusType::Succeeded),
        "it last passed on the old image"
    );

    let project = client
        .batch_get_projects()
        .names("data-pipeline")
        .send()
        .await
        .unwrap()
        .projects()[0]
        .clone();
    assert_eq!(project.environment().unwrap().image(), NEW);
    let modified = project.last_modified().unwrap().secs();
    assert!(builds[first_new - 1].start_time().unwrap().secs() < modified);
    assert!(modified <= builds[first_new].start_time().unwrap().secs());

    let mut failing_with_tests = 0;
    for b in &builds[first_new..] {
        if b.report_arns().is_empty() || !b.build_complete() {
            continue;
        }
        failing_with_tests += 1;
        assert_eq!(b.build_status(), Some(&StatusType::Failed), "{:?}", b.id());
        let report = test_report(&client, b.id().unwrap()).await;
        let failed = client
            .describe_test_cases()
            .report_arn(report.arn().unwrap())
            .filter(TestCaseFilter::builder().status("FAILED").build())
            .send()
            .await
            .unwrap();
        let names: Vec<&str> = failed
            .test_cases()
            .iter()
            .map(|c| c.name().unwrap())
            .collect();
        assert_eq!(
            names,
            ["test_partition_dates_are_utc", "test_backfill_window"]
        );
        let log = sim.log_lines(b.id().unwrap());
        for name in names {
            assert!(
                log.iter()
                    .any(|l| l.starts_with("FAILED ") && l.contains(name)),
                "the log names {name}"
            );
        }
        // The totals pytest prints are the report's.
        let totals = report.test_summary().unwrap().status_counts();
        let summary = format!(
            "{} failed, {} passed in ",
            totals["FAILED"], totals["SUCCEEDED"]
        );
        assert!(
            log.iter().any(|l| l.starts_with(&summary)),
            "the log says {summary:?}: {:?}",
            log.iter().find(|l| l.contains(" passed in "))
        );
    }
    assert!(
        failing_with_tests >= 3,
        "{failing_with_tests} failing builds since the change"
    );
}

/// The message of the BUILD phase's context, when BUILD failed.
fn build_failure(b: &Build) -> Option<&str> {
    let phase = b
        .phases()
        .iter()
        .find(|p| p.phase_type().map(|t| t.as_str()) == Some("BUILD"))?;
    if phase.phase_status() != Some(&StatusType::Failed) {
        return None;
    }
    phase.contexts().first().and_then(|c| c.message())
}

#[tokio::test]
async fn across_the_demo_reports_fail_exactly_when_the_tests_do() {
    let sim = demo(42).await;
    let client = client(&sim);
    let ids = crate::sdk::all_build_ids(&client, None).await;
    let builds = get_builds(&client, &ids).await;
    let (mut passed, mut failed, mut without) = (0, 0, 0);
    for b in builds.iter().filter(|b| b.build_complete()) {
        let id = b.id().unwrap();
        if b.report_arns().is_empty() {
            without += 1;
            continue;
        }
        let report = test_report(&client, id).await;
        let counts = report.test_summary().unwrap().status_counts();
        let test_command = [
            "npm test",
            "cargo test",
            "pytest",
            "./gradlew test",
            "mvn -B verify",
        ];
        let tests_failed = build_failure(b).is_some_and(|m| {
            test_command
                .iter()
                .any(|c| m.contains(&format!("command: {c}")))
        });
        if !tests_failed {
            assert_eq!(counts.get("FAILED"), None, "{id}: tests passed");
            passed += 1;
            continue;
        }
        failed += 1;
        assert_eq!(b.build_status(), Some(&StatusType::Failed), "{id}");
        let cases = client
            .describe_test_cases()
            .report_arn(report.arn().unwrap())
            .filter(TestCaseFilter::builder().status("FAILED").build())
            .send()
            .await
            .unwrap();
        assert!(!cases.test_cases().is_empty(), "{id}");
        let log = sim.log_lines(id).join("\n");
        for case in cases.test_cases() {
            assert!(
                log.contains(case.name().unwrap()),
                "{id}: log names {:?}",
                case.name()
            );
        }
    }
    assert!(
        passed > 50 && failed > 5 && without > 20,
        "{passed} {failed} {without}"
    );
}
