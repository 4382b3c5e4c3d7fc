//! Builds' reports through BatchGetReports: which builds have them, their
//! status while the build runs and after, totals that follow the build,
//! and FAILED cases that are the tests the build's log prints as failing.

use aws_sdk_codebuild::types::{ReportStatusType, ReportType};
use aws_sdk_codebuild::Client;
use cbdash_sim::{BuildSpec, Outcome, SimHandle};
use serde_json::json;

use crate::sdk::{call, client, get, quiet};

/// A build of `project` that finished an hour ago.
pub fn finished(sim: &SimHandle, project: &str, outcome: Outcome) -> String {
    sim.add_build(BuildSpec {
        project: project.into(),
        started_secs_ago: 3600.0,
        outcome,
        ..BuildSpec::default()
    })
}

pub fn tests_fail(command: &str) -> Outcome {
    Outcome::FailIn {
        phase: "BUILD".into(),
        command: command.into(),
    }
}

/// The build's reports, by type.
pub async fn reports_of(client: &Client, id: &str) -> Vec<aws_sdk_codebuild::types::Report> {
    let arns = get(client, id).await.report_arns().to_vec();
    if arns.is_empty() {
        return Vec::new();
    }
    let out = client
        .batch_get_reports()
        .set_report_arns(Some(arns))
        .send()
        .await
        .expect("BatchGetReports");
    assert!(out.reports_not_found().is_empty());
    out.reports().to_vec()
}

pub async fn test_report(client: &Client, id: &str) -> aws_sdk_codebuild::types::Report {
    reports_of(client, id)
        .await
        .into_iter()
        .find(|r| r.r#type() == Some(&ReportType::Test))
        .expect("a TEST report")
}

#[tokio::test]
async fn a_passing_build_has_an_all_pass_test_report_and_a_coverage_report() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "web-frontend", Outcome::Succeed);
    let build = get(&client, &id).await;
    let reports = reports_of(&client, &id).await;
    assert_eq!(reports.len(), 2);
    for r in &reports {
        let arn = r.arn().unwrap();
        assert!(
            arn.starts_with("arn:aws:codebuild:us-east-1:123456789012:report/web-frontend-"),
            "{arn}"
        );
        assert_eq!(r.execution_id(), build.arn());
        assert_eq!(r.status(), Some(&ReportStatusType::Succeeded));
        let created = r.created().unwrap().secs();
        assert_eq!(r.expired().unwrap().secs() - created, 30 * 86_400);
    }
    let test = reports
        .iter()
        .find(|r| r.r#type() == Some(&ReportType::Test))
        .unwrap();
    assert_eq!(test.name(), Some("web-frontend-jest"));
    assert_eq!(
        test.report_group_arn(),
        Some("arn:aws:codebuild:us-east-1:123456789012:report-group/web-frontend-jest")
    );
    let summary = test.test_summary().unwrap();
    let counts = summary.status_counts();
    assert!(summary.total() > 20);
    assert_eq!(counts.get("FAILED"), None);
    let passed = counts.get("SUCCEEDED").copied().unwrap_or(0);
    let skipped = counts.get("SKIPPED").copied().unwrap_or(0);
    assert_eq!(passed + skipped, summary.total());
    let coverage = reports
        .iter()
        .find(|r| r.r#type() == Some(&ReportType::CodeCoverage))
        .unwrap();
    let cov = coverage.code_coverage_summary().unwrap();
    assert!(cov.lines_covered().unwrap() > 0 && cov.lines_missed().unwrap() > 0);
    let pct = cov.line_coverage_percentage().unwrap();
    let expected = 100.0 * cov.lines_covered().unwrap() as f64
        / (cov.lines_covered().unwrap() + cov.lines_missed().unwrap()) as f64;
    assert!((pct - expected).abs() < 0.01, "{pct} vs {expected}");
}

#[tokio::test]
async fn a_build_whose_tests_fail_has_a_failed_report() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "api-service", tests_fail("cargo test --locked"));
    let reports = reports_of(&client, &id).await;
    assert_eq!(reports.len(), 1, "api-service measures no coverage");
    let report = &reports[0];
    assert_eq!(report.status(), Some(&ReportStatusType::Failed));
    let summary = report.test_summary().unwrap();
    assert_eq!(summary.status_counts().get("FAILED"), Some(&1));
    assert!(summary.duration_in_nano_seconds() > 0);
}

#[tokio::test]
async fn builds_that_never_finish_their_tests_have_no_reports() {
    let sim = quiet().await;
    let client = client(&sim);
    let install = Outcome::FailIn {
        phase: "INSTALL".into(),
        command: "npm ci".into(),
    };
    for (project, outcome) in [
        ("web-frontend", install),
        ("web-frontend", Outcome::TimeOut),
        ("web-frontend", Outcome::Fault),
        ("infra-terraform", Outcome::Succeed),
        ("docs-site", Outcome::Succeed),
    ] {
        let id = sim.add_build(BuildSpec {
            project: project.into(),
            started_secs_ago: 3.0 * 3600.0,
            outcome: outcome.clone(),
            ..BuildSpec::default()
        });
        let build = get(&client, &id).await;
        assert!(build.report_arns().is_empty(), "{project} {outcome:?}");
    }
}

#[tokio::test]
async fn a_report_appears_while_the_build_uploads_and_is_final_once_it_completes() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        project: "payments-api".into(),
        outcome: tests_fail("mvn -B verify"),
        phase_secs: Some(vec![
            ("BUILD".into(), 100.0),
            ("POST_BUILD".into(), 10.0),
            ("UPLOAD_ARTIFACTS".into(), 20.0),
            ("FINALIZING".into(), 5.0),
        ]),
        ..BuildSpec::default()
    });
    assert!(get(&client, &id).await.report_arns().is_empty());
    let mut seen = None;
    for _ in 0..400 {
        sim.advance(1.0);
        let build = get(&client, &id).await;
        if let Some(arn) = build.report_arns().first() {
            assert_eq!(build.current_phase(), Some("UPLOAD_ARTIFACTS"));
            seen = Some(arn.clone());
            break;
        }
    }
    let arn = seen.expect("a report while uploading");
    let (_, body) = call(&sim, "BatchGetReports", &json!({"reportArns": [arn]})).await;
    assert_eq!(body["reports"][0]["status"], "GENERATING");
    sim.advance(60.0);
    assert!(get(&client, &id).await.build_complete());
    let (_, body) = call(&sim, "BatchGetReports", &json!({"reportArns": [arn]})).await;
    let statuses: Vec<&str> = body["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["FAILED"]);
}

#[tokio::test]
async fn unknown_reports_are_listed_as_not_found_and_the_list_is_limited() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "data-pipeline", Outcome::Succeed);
    let real = get(&client, &id).await.report_arns().to_vec();
    let unknown = "arn:aws:codebuild:us-east-1:123456789012:report/data-pipeline-pytest:0000";
    let out = client
        .batch_get_reports()
        .report_arns(&real[0])
        .report_arns(unknown)
        .report_arns("garbage")
        .send()
        .await
        .unwrap();
    assert_eq!(out.reports().len(), 1);
    assert_eq!(out.reports_not_found(), [unknown, "garbage"]);

    let (status, body) = call(&sim, "BatchGetReports", &json!({"reportArns": []})).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "InvalidInputException");
    assert_eq!(
        body["message"],
        "1 validation error detected: Value '[]' at 'reportArns' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
    let many: Vec<String> = (0..101).map(|i| format!("r{i}")).collect();
    let (status, body) = call(&sim, "BatchGetReports", &json!({"reportArns": many})).await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Member must have length less than or equal to 100"));
    let (status, body) = call(&sim, "BatchGetReports", &json!({})).await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("'reportArns' failed to satisfy constraint: Member must not be null"));
}

#[tokio::test]
async fn the_cbor_client_reads_the_same_reports_cases_and_coverages() {
    let sim = quiet().await;
    let json_client = client(&sim);
    let cbor = crate::cbor_client::cbor_client(&sim);
    let id = finished(&sim, "web-frontend", tests_fail("npm test"));
    let arns = get(&cbor, &id).await.report_arns().to_vec();
    assert_eq!(arns, get(&json_client, &id).await.report_arns());
    let by_json = reports_of(&json_client, &id).await;
    let by_cbor = cbor
        .batch_get_reports()
        .set_report_arns(Some(arns))
        .send()
        .await
        .unwrap()
        .reports()
        .to_vec();
    assert_eq!(by_json.len(), by_cbor.len());
    for (a, b) in by_json.iter().zip(&by_cbor) {
        assert_eq!(a.arn(), b.arn());
        assert_eq!(a.status(), b.status());
        assert_eq!(a.test_summary(), b.test_summary());
        assert_eq!(a.code_coverage_summary(), b.code_coverage_summary());
        let (ca, cb) = (a.created().unwrap(), b.created().unwrap());
        assert!((ca.as_secs_f64() - cb.as_secs_f64()).abs() < 0.0015);
    }
    let test = test_report(&json_client, &id).await;
    let cases = |c: &Client| {
        c.describe_test_cases()
            .report_arn(test.arn().unwrap())
            .send()
    };
    let (a, b) = (
        cases(&json_client).await.unwrap(),
        cases(&cbor).await.unwrap(),
    );
    assert_eq!(a.test_cases().len(), b.test_cases().len());
    for (x, y) in a.test_cases().iter().zip(b.test_cases()) {
        assert_eq!(
            (x.name(), x.status(), x.message()),
            (y.name(), y.status(), y.message())
        );
        assert_eq!(x.duration_in_nano_seconds(), y.duration_in_nano_seconds());
    }
    let coverage = by_json
        .iter()
        .find(|r| r.r#type() == Some(&ReportType::CodeCoverage))
        .unwrap();
    let files = |c: &Client| {
        c.describe_code_coverages()
            .report_arn(coverage.arn().unwrap())
            .send()
    };
    let (a, b) = (
        files(&json_client).await.unwrap(),
        files(&cbor).await.unwrap(),
    );
    let strip = |v: &[aws_sdk_codebuild::types::CodeCoverage]| -> Vec<(Option<String>, Option<f64>, Option<i32>)> {
        v.iter()
            .map(|c| (c.file_path().map(String::from), c.line_coverage_percentage(), c.lines_covered()))
            .collect()
    };
    assert_eq!(strip(a.code_coverages()), strip(b.code_coverages()));
}

#[tokio::test]
async fn an_expired_report_is_still_listed_but_its_cases_are_gone() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "data-pipeline", tests_fail("pytest -q"));
    let report = test_report(&client, &id).await;
    let arn = report.arn().unwrap().to_string();
    let cases = |c: &Client| c.describe_test_cases().report_arn(&arn).send();
    assert!(!cases(&client).await.unwrap().test_cases().is_empty());
    sim.advance(29.0 * 86_400.0);
    assert!(
        !cases(&client).await.unwrap().test_cases().is_empty(),
        "kept 30 days"
    );
    sim.advance(86_400.0);
    assert!(cases(&client).await.unwrap().test_cases().is_empty());
    let again = test_report(&client, &id).await;
    assert_eq!(again.arn(), Some(arn.as_str()));
    assert_eq!(again.expired(), report.expired());
    assert!(again.expired().unwrap().secs() <= sim.now().timestamp());
}

#[tokio::test]
async fn a_build_stopped_while_uploading_keeps_its_reports_as_incomplete() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(BuildSpec {
        project: "web-frontend".into(),
        phase_secs: Some(vec![
            ("BUILD".into(), 100.0),
            ("UPLOAD_ARTIFACTS".into(), 120.0),
        ]),
        ..BuildSpec::default()
    });
    let mut arns = Vec::new();
    for _ in 0..400 {
        sim.advance(2.0);
        arns = get(&client, &id).await.report_arns().to_vec();
        if !arns.is_empty() {
            break;
        }
    }
    assert_eq!(arns.len(), 2, "test and coverage reports while uploading");
    client.stop_build().id(&id).send().await.unwrap();
    let build = get(&client, &id).await;
    assert_eq!(build.report_arns(), arns, "what was seen stays");
    let statuses: Vec<ReportStatusType> = reports_of(&client, &id)
        .await
        .iter()
        .map(|r| r.status().unwrap().clone())
        .collect();
    assert_eq!(
        statuses,
        [ReportStatusType::Incomplete, ReportStatusType::Incomplete]
    );
}
