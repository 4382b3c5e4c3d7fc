//! Report groups and report listings: ListReportGroups,
//! BatchGetReportGroups, ListReports, ListReportsForReportGroup and
//! GetReportGroupTrend over a few finished builds.

use aws_sdk_codebuild::types::{
    ReportFilter, ReportGroupSortByType, ReportGroupTrendFieldType, ReportStatusType, ReportType,
    SortOrderType,
};
use aws_sdk_codebuild::Client;
use cbdash_sim::{BuildSpec, Outcome};
use serde_json::json;

use crate::reports::{reports_of, test_report, tests_fail};
use crate::sdk::{call, client, get, quiet};

const GROUP: &str = "arn:aws:codebuild:us-east-1:123456789012:report-group/web-frontend-jest";

async fn group_arns(
    client: &Client,
    by: ReportGroupSortByType,
    order: SortOrderType,
) -> Vec<String> {
    let (mut out, mut token) = (Vec::new(), None);
    loop {
        let page = client
            .list_report_groups()
            .sort_by(by.clone())
            .sort_order(order.clone())
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        out.extend(page.report_groups().iter().cloned());
        token = page.next_token().map(String::from);
        if token.is_none() {
            return out;
        }
    }
}

#[tokio::test]
async fn report_groups_are_listed_sorted_and_described() {
    let sim = quiet().await;
    let client = client(&sim);
    let by_name = group_arns(
        &client,
        ReportGroupSortByType::Name,
        SortOrderType::Ascending,
    )
    .await;
    let names: Vec<&str> = by_name
        .iter()
        .map(|a| a.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "api-service-unit-tests",
            "data-pipeline-coverage",
            "data-pipeline-pytest",
            "e2e-suites-coverage",
            "e2e-suites-jest",
            "mobile-app-unit-tests",
            "monorepo-ci-coverage",
            "monorepo-ci-jest",
            "payments-api-jacoco",
            "payments-api-surefire",
            "web-frontend-coverage",
            "web-frontend-jest",
        ]
    );
    let newest = group_arns(
        &client,
        ReportGroupSortByType::CreatedTime,
        SortOrderType::Descending,
    )
    .await;
    let out = client
        .batch_get_report_groups()
        .set_report_group_arns(Some(newest.clone()))
        .report_group_arns("arn:aws:codebuild:us-east-1:123456789012:report-group/nope")
        .send()
        .await
        .unwrap();
    let groups = out.report_groups();
    assert_eq!(groups.len(), 12);
    assert!(groups.windows(2).all(|w| w[0].created() >= w[1].created()));
    assert_eq!(out.report_groups_not_found().len(), 1);
    let jest = groups.iter().find(|g| g.arn() == Some(GROUP)).unwrap();
    assert_eq!(jest.name(), Some("web-frontend-jest"));
    assert_eq!(jest.r#type(), Some(&ReportType::Test));
    let cov = groups
        .iter()
        .find(|g| g.name() == Some("web-frontend-coverage"))
        .unwrap();
    assert_eq!(cov.r#type(), Some(&ReportType::CodeCoverage));

    let (status, body) = call(
        &sim,
        "BatchGetReportGroups",
        &json!({"reportGroupArns": []}),
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidInputException"))
    );
    let (status, body) = call(
        &sim,
        "ListReportGroups",
        &json!({"sortBy": "SIZE", "maxResults": 0}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("2 validation errors detected"));
}

/// Builds of web-frontend: three passing, one whose tests fail.
fn history(sim: &cbdash_sim::SimHandle) -> Vec<String> {
    [
        (4.0, Outcome::Succeed),
        (3.0, tests_fail("npm test")),
        (2.0, Outcome::Succeed),
        (1.0, Outcome::Succeed),
    ]
    .into_iter()
    .map(|(hours, outcome)| {
        sim.add_build(BuildSpec {
            project: "web-frontend".into(),
            started_secs_ago: hours * 3600.0,
            outcome,
            ..BuildSpec::default()
        })
    })
    .collect()
}

#[tokio::test]
async fn reports_are_listed_newest_first_by_group_and_by_status() {
    let sim = quiet().await;
    let client = client(&sim);
    let ids = history(&sim);
    sim.add_build(BuildSpec {
        project: "api-service".into(),
        started_secs_ago: 3600.0,
        ..BuildSpec::default()
    });
    let mut tests = Vec::new();
    for id in &ids {
        tests.push(test_report(&client, id).await.arn().unwrap().to_string());
    }
    let listed = client
        .list_reports_for_report_group()
        .report_group_arn(GROUP)
        .send()
        .await
        .unwrap();
    let mut newest_first = tests.clone();
    newest_first.reverse();
    assert_eq!(listed.reports(), newest_first);

    let mut all = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .list_reports()
            .sort_order(SortOrderType::Ascending)
            .max_results(3)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        all.extend(page.reports().iter().cloned());
        token = page.next_token().map(String::from);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(
        all.len(),
        4 * 2 + 1,
        "test and coverage reports, and api-service's"
    );
    assert!(tests.iter().all(|t| all.contains(t)));

    let failed = client
        .list_reports()
        .filter(
            ReportFilter::builder()
                .status(ReportStatusType::Failed)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(failed.reports(), [tests[1].clone()]);

    let (status, body) = call(
        &sim,
        "ListReportsForReportGroup",
        &json!({"reportGroupArn": "arn:aws:codebuild:us-east-1:123456789012:report-group/nope"}),
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ResourceNotFoundException"))
    );
    let (status, body) = call(&sim, "ListReports", &json!({"filter": {"status": "DONE"}})).await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("at 'filter.status'"));
}

#[tokio::test]
async fn the_trend_gives_each_reports_value_and_their_stats() {
    let sim = quiet().await;
    let client = client(&sim);
    let ids = history(&sim);
    let out = client
        .get_report_group_trend()
        .report_group_arn(GROUP)
        .trend_field(ReportGroupTrendFieldType::PassRate)
        .send()
        .await
        .unwrap();
    let raw = out.raw_data();
    assert_eq!(raw.len(), 4);
    let values: Vec<f64> = raw
        .iter()
        .map(|r| r.data().unwrap().parse().unwrap())
        .collect();
    // Newest first: the failed build is the third.
    assert_eq!(
        raw[2].report_arn(),
        test_report(&client, &ids[1]).await.arn()
    );
    assert!(
        values[2] < 100.0
            && values
                .iter()
                .enumerate()
                .all(|(i, v)| i == 2 || *v <= 100.0)
    );
    let stats = out.stats().unwrap();
    let num = |s: Option<&str>| s.unwrap().parse::<f64>().unwrap();
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let avg = values.iter().sum::<f64>() / 4.0;
    assert_eq!(num(stats.min()), min);
    assert_eq!(num(stats.max()), max);
    assert!((num(stats.average()) - avg).abs() < 0.01);

    let two = client
        .get_report_group_trend()
        .report_group_arn(GROUP)
        .trend_field(ReportGroupTrendFieldType::Total)
        .num_of_reports(2)
        .send()
        .await
        .unwrap();
    assert_eq!(two.raw_data().len(), 2);
    let newest = test_report(&client, &ids[3]).await;
    assert_eq!(
        two.raw_data()[0].data(),
        Some(newest.test_summary().unwrap().total().to_string().as_str())
    );

    let coverage = "arn:aws:codebuild:us-east-1:123456789012:report-group/web-frontend-coverage";
    let lines = client
        .get_report_group_trend()
        .report_group_arn(coverage)
        .trend_field(ReportGroupTrendFieldType::LineCoverage)
        .send()
        .await
        .unwrap();
    let reports = reports_of(&client, &ids[3]).await;
    let cov = reports
        .iter()
        .find(|r| r.r#type() == Some(&ReportType::CodeCoverage))
        .unwrap();
    let pct = cov
        .code_coverage_summary()
        .unwrap()
        .line_coverage_percentage()
        .unwrap();
    let first: f64 = lines.raw_data()[0].data().unwrap().parse().unwrap();
    assert!((first - pct).abs() < 0.001);

    for (body, wording) in [
        (
            json!({"reportGroupArn": GROUP, "trendField": "LINE_COVERAGE"}),
            "not valid for a report group of type TEST",
        ),
        (
            json!({"reportGroupArn": GROUP, "trendField": "PASS_RATE", "numOfReports": 101}),
            "Member must have value less than or equal to 100",
        ),
        (
            json!({"reportGroupArn": GROUP}),
            "'trendField' failed to satisfy constraint: Member must not be null",
        ),
        (
            json!({"reportGroupArn": GROUP, "trendField": "SPEED"}),
            "Member must satisfy enum value set",
        ),
    ] {
        let (status, out) = call(&sim, "GetReportGroupTrend", &body).await;
        assert_eq!(
            (status, out["__type"].as_str()),
            (400, Some("InvalidInputException")),
            "{body}"
        );
        assert!(out["message"].as_str().unwrap().contains(wording), "{out}");
    }
    let _ = get(&client, &ids[0]).await;
}
