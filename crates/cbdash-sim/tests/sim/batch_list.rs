//! ListBuildBatches, ListBuildBatchesForProject and BatchGetBuildBatches:
//! paging, sort order, the status filter and the service's limits.

use crate::sdk::{client, node, quiet};
use aws_sdk_codebuild::error::ProvideErrorMetadata;
use aws_sdk_codebuild::types::{BuildBatchFilter, SortOrderType, StatusType};
use aws_sdk_codebuild::Client;
use cbdash_sim::{BatchSpec, SimHandle};

/// Five batches a minute apart, oldest first; the last two still running.
fn five_batches(sim: &SimHandle) -> Vec<String> {
    (0..5)
        .map(|i| {
            let project = if i % 2 == 0 {
                "monorepo-ci"
            } else {
                "e2e-suites"
            };
            sim.add_batch(BatchSpec {
                project: project.into(),
                started_secs_ago: f64::from(300 - 60 * i),
                groups: vec![node("only", &[], 120.0)],
            })
        })
        .collect()
}

fn running() -> BuildBatchFilter {
    BuildBatchFilter::builder()
        .status(StatusType::InProgress)
        .build()
}

/// Every id ListBuildBatches returns, `page` at a time.
async fn all_pages(
    client: &Client,
    page: i32,
    order: Option<SortOrderType>,
    status: Option<StatusType>,
) -> Vec<String> {
    let filter = status.map(|s| BuildBatchFilter::builder().status(s).build());
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .list_build_batches()
            .max_results(page)
            .set_sort_order(order.clone())
            .set_filter(filter.clone())
            .set_next_token(token.clone())
            .send()
            .await
            .expect("list");
        assert!(out.ids().len() <= page as usize);
        ids.extend(out.ids().iter().cloned());
        match out.next_token() {
            Some(next) => token = Some(next.to_string()),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn list_build_batches_pages_sorts_and_filters() {
    let sim = quiet().await;
    let client = client(&sim);
    let ids = five_batches(&sim);
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();

    let first = client
        .list_build_batches()
        .max_results(2)
        .send()
        .await
        .expect("first page");
    assert_eq!(first.ids(), &newest_first[..2]);
    assert!(first.next_token().is_some());
    assert_eq!(all_pages(&client, 2, None, None).await, newest_first);
    let ascending = all_pages(&client, 3, Some(SortOrderType::Ascending), None).await;
    assert_eq!(ascending, ids);

    let running = all_pages(&client, 1, None, Some(StatusType::InProgress)).await;
    assert_eq!(running, &newest_first[..2], "started 60 and 120 s ago");
    let done = all_pages(&client, 100, None, Some(StatusType::Succeeded)).await;
    assert_eq!(done, &newest_first[2..]);

    let unpaged = client.list_build_batches().send().await.expect("default");
    assert_eq!(unpaged.ids(), newest_first);
    assert!(unpaged.next_token().is_none());

    for bad in [0, 101] {
        let err = client
            .list_build_batches()
            .max_results(bad)
            .send()
            .await
            .expect_err("out of range");
        let message = err.message().unwrap_or_default().to_string();
        assert!(message.contains("'maxResults'"), "{message}");
    }
    let err = client
        .list_build_batches()
        .filter(BuildBatchFilter::builder().status("DONE".into()).build())
        .send()
        .await
        .expect_err("bad status");
    assert!(err.into_service_error().is_invalid_input_exception());
    let err = client
        .list_build_batches()
        .next_token("garbage")
        .send()
        .await
        .expect_err("bad token");
    assert!(err.into_service_error().is_invalid_input_exception());
}

#[tokio::test]
async fn a_token_survives_its_batch_leaving_the_filter() {
    let sim = quiet().await;
    let client = client(&sim);
    let ids = five_batches(&sim);
    let first = client
        .list_build_batches()
        .max_results(1)
        .filter(running())
        .send()
        .await
        .expect("page");
    assert_eq!(first.ids(), [ids[4].clone()]);
    // The newest batch finishes; the token still anchors on it.
    sim.advance(200.0);
    let next = client
        .list_build_batches()
        .max_results(1)
        .filter(running())
        .set_next_token(first.next_token().map(String::from))
        .send()
        .await
        .expect("next page");
    assert!(next.ids().is_empty(), "everything has finished");
}

#[tokio::test]
async fn list_build_batches_for_project_lists_only_that_project() {
    let sim = quiet().await;
    let client = client(&sim);
    let ids = five_batches(&sim);
    let out = client
        .list_build_batches_for_project()
        .project_name("e2e-suites")
        .sort_order(SortOrderType::Ascending)
        .send()
        .await
        .expect("list");
    assert_eq!(out.ids(), [ids[1].clone(), ids[3].clone()]);
    let err = client
        .list_build_batches_for_project()
        .project_name("nope")
        .send()
        .await
        .expect_err("unknown project");
    let message = err.message().unwrap_or_default().to_string();
    assert!(err.into_service_error().is_resource_not_found_exception());
    assert!(message.contains("project/nope"), "{message}");
}

#[tokio::test]
async fn batch_get_build_batches_keeps_request_order_and_names_the_missing() {
    let sim = quiet().await;
    let client = client(&sim);
    let ids = five_batches(&sim);
    let arn = format!(
        "arn:aws:codebuild:us-east-1:123456789012:build-batch/{}",
        ids[0]
    );
    let got = client
        .batch_get_build_batches()
        .ids(&ids[3])
        .ids("monorepo-ci:missing")
        .ids(&arn)
        .send()
        .await
        .expect("get");
    let found: Vec<&str> = got.build_batches().iter().filter_map(|b| b.id()).collect();
    assert_eq!(found, [ids[3].as_str(), ids[0].as_str()]);
    assert_eq!(got.build_batches_not_found(), ["monorepo-ci:missing"]);
    assert_eq!(got.build_batches()[0].build_batch_number(), Some(2));

    let none = client
        .batch_get_build_batches()
        .set_ids(Some(Vec::new()))
        .send()
        .await
        .expect("the model allows an empty list");
    assert!(none.build_batches().is_empty());
    assert!(none.build_batches_not_found().is_empty());
    let many: Vec<String> = (0..101).map(|i| format!("monorepo-ci:{i}")).collect();
    let err = client
        .batch_get_build_batches()
        .set_ids(Some(many))
        .send()
        .await
        .expect_err("too many ids");
    let message = err.message().unwrap_or_default().to_string();
    assert!(
        message.contains("length less than or equal to 100"),
        "{message}"
    );
}
