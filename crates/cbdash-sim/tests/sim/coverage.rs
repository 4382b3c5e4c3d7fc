//! DescribeCodeCoverages: per-file coverages that add up to the report's
//! summary, both sort keys in both orders, the min/max filters, paging and
//! validation.

use aws_sdk_codebuild::types::{
    CodeCoverage, ReportCodeCoverageSortByType, ReportType, SortOrderType,
};
use aws_sdk_codebuild::Client;
use cbdash_sim::Outcome;
use serde_json::json;

use crate::reports::{finished, reports_of};
use crate::sdk::{call, client, quiet};

async fn coverage_arn(client: &Client, id: &str) -> (String, aws_sdk_codebuild::types::Report) {
    let report = reports_of(client, id)
        .await
        .into_iter()
        .find(|r| r.r#type() == Some(&ReportType::CodeCoverage))
        .expect("a coverage report");
    (report.arn().unwrap().to_string(), report)
}

async fn files(
    client: &Client,
    arn: &str,
    by: Option<ReportCodeCoverageSortByType>,
    order: Option<SortOrderType>,
    range: (Option<f64>, Option<f64>),
) -> Vec<CodeCoverage> {
    let (mut out, mut token) = (Vec::new(), None);
    loop {
        let page = client
            .describe_code_coverages()
            .report_arn(arn)
            .set_sort_by(by.clone())
            .set_sort_order(order.clone())
            .set_min_line_coverage_percentage(range.0)
            .set_max_line_coverage_percentage(range.1)
            .max_results(3)
            .set_next_token(token)
            .send()
            .await
            .expect("DescribeCodeCoverages");
        assert!(page.code_coverages().len() <= 3);
        out.extend(page.code_coverages().iter().cloned());
        token = page.next_token().map(String::from);
        if token.is_none() {
            return out;
        }
    }
}

fn pct(c: &CodeCoverage) -> f64 {
    c.line_coverage_percentage().unwrap()
}

#[tokio::test]
async fn file_coverages_add_up_to_the_summary() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "data-pipeline", Outcome::Succeed);
    let (arn, report) = coverage_arn(&client, &id).await;
    let all = files(&client, &arn, None, None, (None, None)).await;
    assert!(all.len() > 3, "more than one page");
    let summary = report.code_coverage_summary().unwrap();
    let covered: i32 = all.iter().map(|c| c.lines_covered().unwrap()).sum();
    let missed: i32 = all.iter().map(|c| c.lines_missed().unwrap()).sum();
    let branches: i32 = all.iter().map(|c| c.branches_covered().unwrap()).sum();
    assert_eq!(summary.lines_covered(), Some(covered));
    assert_eq!(summary.lines_missed(), Some(missed));
    assert_eq!(summary.branches_covered(), Some(branches));
    for c in &all {
        assert_eq!(c.report_arn(), Some(arn.as_str()));
        assert!(c.file_path().unwrap().starts_with("src/pipeline/"));
        let total = c.lines_covered().unwrap() + c.lines_missed().unwrap();
        let expected = 100.0 * c.lines_covered().unwrap() as f64 / total as f64;
        assert!((pct(c) - expected).abs() < 0.01);
        assert!(c.expired().is_some());
    }
}

#[tokio::test]
async fn coverages_sort_by_percentage_or_path_in_either_order() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "payments-api", Outcome::Succeed);
    let (arn, _) = coverage_arn(&client, &id).await;
    let by_pct = ReportCodeCoverageSortByType::LineCoveragePercentage;
    let by_path = ReportCodeCoverageSortByType::FilePath;
    let asc = files(&client, &arn, Some(by_pct.clone()), None, (None, None)).await;
    assert!(asc.windows(2).all(|w| pct(&w[0]) <= pct(&w[1])));
    assert!(pct(&asc[0]) < pct(&asc[asc.len() - 1]));
    let default = files(&client, &arn, None, None, (None, None)).await;
    assert_eq!(default, asc, "lowest coverage first by default");
    let desc = files(
        &client,
        &arn,
        Some(by_pct),
        Some(SortOrderType::Descending),
        (None, None),
    )
    .await;
    assert!(desc.windows(2).all(|w| pct(&w[0]) >= pct(&w[1])));
    let paths = |v: &[CodeCoverage]| -> Vec<String> {
        v.iter()
            .map(|c| c.file_path().unwrap().to_string())
            .collect()
    };
    let up = paths(
        &files(
            &client,
            &arn,
            Some(by_path.clone()),
            Some(SortOrderType::Ascending),
            (None, None),
        )
        .await,
    );
    let mut sorted = up.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    let mut down = paths(
        &files(
            &client,
            &arn,
            Some(by_path),
            Some(SortOrderType::Descending),
            (None, None),
        )
        .await,
    );
    down.reverse();
    assert_eq!(up, down);
}

#[tokio::test]
async fn min_and_max_keep_the_files_in_range() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "web-frontend", Outcome::Succeed);
    let (arn, _) = coverage_arn(&client, &id).await;
    let all = files(&client, &arn, None, None, (None, None)).await;
    let mid = pct(&all[all.len() / 2]);
    let low = files(&client, &arn, None, None, (None, Some(mid))).await;
    let high = files(&client, &arn, None, None, (Some(mid), None)).await;
    assert!(low.iter().all(|c| pct(c) <= mid) && high.iter().all(|c| pct(c) >= mid));
    assert_eq!(
        low.len() + high.len(),
        all.len() + 1,
        "the file at {mid} is in both"
    );
    let band = files(&client, &arn, None, None, (Some(mid), Some(mid))).await;
    assert_eq!(band.len(), 1);
    let none = files(&client, &arn, None, None, (Some(90.0), Some(10.0))).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn bad_requests_get_the_service_errors() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = finished(&sim, "web-frontend", Outcome::Succeed);
    let (arn, _) = coverage_arn(&client, &id).await;
    let (status, body) = call(
        &sim,
        "DescribeCodeCoverages",
        &json!({"reportArn": arn, "minLineCoveragePercentage": 101.5, "sortBy": "NAME"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["message"],
        "2 validation errors detected: Value 'NAME' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [LINE_COVERAGE_PERCENTAGE, FILE_PATH]; Value '101.5' at 'minLineCoveragePercentage' failed to satisfy constraint: Member must have value less than or equal to 100"
    );
    let (status, body) = call(&sim, "DescribeCodeCoverages", &json!({"reportArn": ""})).await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Member must have length greater than or equal to 1"));
    // A TEST report has no file coverages to describe.
    let test_arn = crate::reports::test_report(&client, &id)
        .await
        .arn()
        .unwrap()
        .to_string();
    let (status, body) = call(
        &sim,
        "DescribeCodeCoverages",
        &json!({"reportArn": test_arn}),
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ResourceNotFoundException"))
    );
}
