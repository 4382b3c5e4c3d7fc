//! DescribeTestCases: paging, the status and keyword filters, validation,
//! and FAILED cases that are the tests the build's log prints as failing.

use aws_sdk_codebuild::types::{TestCase, TestCaseFilter};
use aws_sdk_codebuild::Client;
use cbdash_sim::Outcome;
use serde_json::json;

use crate::reports::{finished, test_report, tests_fail};
use crate::sdk::{call, client, quiet};

/// Every case of `arn`, `page` at a time, with the filter.
async fn all_cases(
    client: &Client,
    arn: &str,
    page: i32,
    filter: Option<TestCaseFilter>,
) -> (Vec<TestCase>, usize) {
    let (mut cases, mut pages, mut token) = (Vec::new(), 0, None);
    loop {
        let out = client
            .describe_test_cases()
            .report_arn(arn)
            .max_results(page)
            .set_filter(filter.clone())
            .set_next_token(token)
            .send()
            .await
            .expect("DescribeTestCases");
        assert!(out.test_cases().len() <= page as usize);
        cases.extend(out.test_cases().iter().cloned());
        pages += 1;
        token = out.next_token().map(String::from);
        if token.is_none() {
            return (cases, pages);
        }
    }
}

#[tokio::test]
async fn the_failed_cases_are_the_tests_the_log_prints_as_failing() {
    let sim = quiet().await;
    let client = client(&sim);
    for (project, command) in [
        ("web-frontend", "npm test"),
        ("api-service", "cargo test --locked"),
        ("data-pipeline", "pytest -q"),
        ("mobile-app", "./gradlew test"),
        ("payments-api", "mvn -B verify"),
    ] {
        let id = finished(&sim, project, tests_fail(command));
        let report = test_report(&client, &id).await;
        let filter = TestCaseFilter::builder().status("FAILED").build();
        let (failed, _) = all_cases(&client, report.arn().unwrap(), 100, Some(filter)).await;
        assert!(!failed.is_empty(), "{project}");
        let counts = report.test_summary().unwrap().status_counts();
        assert_eq!(
            counts.get("FAILED"),
            Some(&(failed.len() as i32)),
            "{project}"
        );
        let log = sim.log_lines(&id).join("\n");
        for case in &failed {
            let name = case.name().unwrap();
            let line = log
                .lines()
                .find(|l| {
                    l.contains(name)
                        && (l.contains("FAIL") || l.contains('●') || l.contains("____"))
                })
                .unwrap_or_else(|| panic!("{project}: the log names {name} as failing"));
            assert!(!line.is_empty());
            let message = case.message().unwrap();
            let first = message.lines().next().unwrap();
            assert!(log.contains(first), "{project}: log says {first:?}");
            let location = message.lines().last().unwrap();
            assert!(
                location.contains(':'),
                "{project}: a stack line, {location:?}"
            );
            assert!(log.contains(location), "{project}: log has {location:?}");
            assert!(case.duration_in_nano_seconds().unwrap() > 0);
            assert_eq!(case.report_arn(), report.arn());
        }
    }
}

#[tokio::test]
async fn cases_page_through_the_whole_report_once() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "payments-api", tests_fail("mvn -B verify"));
    let report = test_report(&client, &id).await;
    let arn = report.arn().unwrap();
    let total = report.test_summary().unwrap().total() as usize;
    let (one_page, pages) = all_cases(&client, arn, 100, None).await;
    assert_eq!((one_page.len(), pages), (total, 1));
    let (paged, pages) = all_cases(&client, arn, 7, None).await;
    assert_eq!(pages, total.div_ceil(7));
    let key = |c: &TestCase| format!("{:?}/{:?}", c.prefix(), c.name());
    let a: Vec<String> = one_page.iter().map(key).collect();
    let b: Vec<String> = paged.iter().map(key).collect();
    assert_eq!(a, b);
    // A token of one listing does not page another.
    let out = client
        .describe_test_cases()
        .report_arn(arn)
        .max_results(7)
        .send()
        .await
        .unwrap();
    let err = client
        .describe_test_cases()
        .report_arn(arn)
        .filter(TestCaseFilter::builder().status("SUCCEEDED").build())
        .next_token(out.next_token().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_invalid_input_exception());
}

#[tokio::test]
async fn status_and_keyword_filter_the_cases() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "web-frontend", tests_fail("npm test"));
    let report = test_report(&client, &id).await;
    let arn = report.arn().unwrap();
    let (all, _) = all_cases(&client, arn, 100, None).await;
    let filter = TestCaseFilter::builder().status("SUCCEEDED").build();
    let (passed, _) = all_cases(&client, arn, 10, Some(filter)).await;
    assert!(passed.iter().all(|c| c.status() == Some("SUCCEEDED")));
    let counts = report.test_summary().unwrap().status_counts();
    assert_eq!(counts.get("SUCCEEDED"), Some(&(passed.len() as i32)));

    let filter = TestCaseFilter::builder().keyword("Cart").build();
    let (cart, _) = all_cases(&client, arn, 100, Some(filter)).await;
    let expected = all
        .iter()
        .filter(|c| c.name().unwrap().contains("Cart") || c.prefix().unwrap().contains("Cart"))
        .count();
    assert!(expected > 0);
    assert_eq!(cart.len(), expected);
    assert!(cart.len() < all.len());

    let filter = TestCaseFilter::builder()
        .status("FAILED")
        .keyword("saved card")
        .build();
    let (found, _) = all_cases(&client, arn, 100, Some(filter)).await;
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].name(),
        Some("Payment › confirms the order with a saved card")
    );
}

#[tokio::test]
async fn a_passing_build_has_no_failed_case() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "api-service", Outcome::Succeed);
    let report = test_report(&client, &id).await;
    let (all, _) = all_cases(&client, report.arn().unwrap(), 100, None).await;
    assert!(!all.is_empty());
    assert!(all
        .iter()
        .all(|c| matches!(c.status(), Some("SUCCEEDED" | "SKIPPED"))));
    assert!(all.iter().all(|c| c.message().is_none()));
}

#[tokio::test]
async fn bad_requests_get_the_service_errors() {
    let sim = quiet().await;
    let (status, body) = call(&sim, "DescribeTestCases", &json!({})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidInputException"))
    );
    assert_eq!(
        body["message"],
        "1 validation error detected: Value null at 'reportArn' failed to satisfy constraint: Member must not be null"
    );
    let arn = "arn:aws:codebuild:us-east-1:123456789012:report/web-frontend-jest:1234";
    let (status, body) = call(
        &sim,
        "DescribeTestCases",
        &json!({"reportArn": arn, "maxResults": 101}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains(
        "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
    ));
    let (status, body) = call(&sim, "DescribeTestCases", &json!({"reportArn": arn})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ResourceNotFoundException"))
    );
    let (status, body) = call(
        &sim,
        "DescribeTestCases",
        &json!({"reportArn": arn, "filter": {"status": "BROKEN"}}),
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidInputException"))
    );
    let (status, body) = call(&sim, "DescribeTestCases", &json!({"reportArn": 5})).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("SerializationException"))
    );
}
