//! The simulator on the wire: the real SDK client lists, pages and fetches
//! builds and projects, protocol errors look like the service's and unknown
//! members are ignored.

use std::collections::HashSet;

use crate::sdk::{all_build_ids, batch_of, client, frozen, log_target, node, raw_post};
use aws_sdk_codebuild::types::{ProjectSortByType, SortOrderType};
use cbdash_sim::Scenario;
use serde_json::json;

#[tokio::test]
async fn list_builds_pages_through_every_build_newest_first() {
    let sim = frozen(Scenario::Demo).await;
    let client = client(&sim);
    let desc = all_build_ids(&client, Some(SortOrderType::Descending)).await;
    assert!(
        desc.len() >= 300,
        "demo has a week of history, got {}",
        desc.len()
    );
    let unique: HashSet<&String> = desc.iter().collect();
    assert_eq!(unique.len(), desc.len(), "no id is listed twice");

    let mut asc = all_build_ids(&client, Some(SortOrderType::Ascending)).await;
    asc.reverse();
    assert_eq!(asc, desc, "ASCENDING is DESCENDING reversed");

    let default = client.list_builds().send().await.expect("list");
    assert_eq!(default.ids(), &desc[..100], "DESCENDING is the default");

    let first_last = vec![desc[0].clone(), desc[desc.len() - 1].clone()];
    let got = client
        .batch_get_builds()
        .set_ids(Some(first_last))
        .send()
        .await
        .expect("get");
    let newest = got.builds()[0].start_time().expect("start").secs();
    let oldest = got.builds()[1].start_time().expect("start").secs();
    assert!(
        newest > oldest + 6 * 24 * 3600,
        "history spans about a week"
    );
}

#[tokio::test]
async fn next_token_stays_valid_while_new_builds_arrive() {
    let sim = frozen(Scenario::Demo).await;
    let client = client(&sim);
    let before = all_build_ids(&client, Some(SortOrderType::Descending)).await;
    let first = client.list_builds().send().await.expect("page 1");
    let token = first.next_token().expect("more pages").to_string();

    sim.advance(3600.0);
    let after = all_build_ids(&client, Some(SortOrderType::Descending)).await;
    assert!(after.len() > before.len(), "new builds arrived at the head");

    let second = client
        .list_builds()
        .next_token(token)
        .send()
        .await
        .expect("page 2");
    assert_eq!(
        second.ids(),
        &before[100..200],
        "page 2 continues where page 1 ended"
    );
}

#[tokio::test]
async fn a_garbled_next_token_is_invalid_input() {
    let sim = frozen(Scenario::Demo).await;
    let err = client(&sim)
        .list_builds()
        .next_token("not-a-token")
        .send()
        .await
        .expect_err("bad token");
    assert!(err.into_service_error().is_invalid_input_exception());
}

#[tokio::test]
async fn list_builds_for_project_only_lists_that_project() {
    let sim = frozen(Scenario::Demo).await;
    let client = client(&sim);
    let page = client
        .list_builds_for_project()
        .project_name("api-service")
        .send()
        .await
        .expect("list");
    assert!(!page.ids().is_empty());
    assert!(page.ids().iter().all(|id| id.starts_with("api-service:")));

    let err = client
        .list_builds_for_project()
        .project_name("no-such-project")
        .send()
        .await
        .expect_err("unknown project");
    let err = err.into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
}

#[tokio::test]
async fn projects_are_listed_and_described() {
    let sim = frozen(Scenario::Quiet).await;
    let client = client(&sim);
    let names = client.list_projects().send().await.expect("list").projects;
    let names = names.unwrap_or_default();
    assert!(names.len() >= 5);
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "NAME ascending by default");
    let by_age = client
        .list_projects()
        .sort_by(ProjectSortByType::CreatedTime)
        .sort_order(SortOrderType::Ascending)
        .send()
        .await
        .expect("by creation");
    assert_eq!(
        by_age.projects().first().map(String::as_str),
        Some("infra-terraform"),
        "the oldest project comes first"
    );

    let got = client
        .batch_get_projects()
        .names("infra-terraform")
        .names("missing")
        .send()
        .await
        .expect("get");
    assert_eq!(got.projects_not_found(), ["missing"]);
    let project = &got.projects()[0];
    assert_eq!(
        project.arn(),
        Some("arn:aws:codebuild:us-east-1:123456789012:project/infra-terraform")
    );
    assert_eq!(project.concurrent_build_limit(), Some(1));
    let env = project.environment().expect("environment");
    assert_eq!(env.image(), "aws/codebuild/standard:7.0");
    assert!(project.created().is_some() && project.last_modified().is_some());
    assert!(project
        .source()
        .expect("source")
        .buildspec()
        .unwrap_or_default()
        .contains("terraform validate"));
}

#[tokio::test]
async fn batch_get_builds_enforces_one_to_one_hundred_ids() {
    let sim = frozen(Scenario::Demo).await;
    let client = client(&sim);
    let none = client.batch_get_builds().set_ids(Some(vec![])).send().await;
    let err = none.expect_err("0 ids").into_service_error();
    assert!(err.is_invalid_input_exception());
    assert!(
        err.to_string()
            .contains("Member must have length greater than or equal to 1"),
        "{err}"
    );

    let ids: Vec<String> = (0..101).map(|i| format!("web-frontend:{i}")).collect();
    let err = client
        .batch_get_builds()
        .set_ids(Some(ids))
        .send()
        .await
        .expect_err("101 ids");
    assert!(err.into_service_error().is_invalid_input_exception());
}

#[tokio::test]
async fn batch_get_builds_keeps_request_order_and_reports_unknown_ids() {
    let sim = frozen(Scenario::Demo).await;
    let client = client(&sim);
    let ids = client.list_builds().send().await.expect("list").ids;
    let ids = ids.unwrap_or_default();
    let wanted = vec![
        ids[5].clone(),
        "web-frontend:nope".to_string(),
        ids[0].clone(),
    ];
    let got = client
        .batch_get_builds()
        .set_ids(Some(wanted))
        .send()
        .await
        .expect("get");
    let got_ids: Vec<&str> = got.builds().iter().filter_map(|b| b.id()).collect();
    assert_eq!(got_ids, [ids[5].as_str(), ids[0].as_str()]);
    assert_eq!(got.builds_not_found(), ["web-frontend:nope"]);
}

#[tokio::test]
async fn protocol_errors_match_the_service() {
    let sim = frozen(Scenario::Quiet).await;
    let (status, _, body) =
        raw_post(&sim, "/", Some("CodeBuild_20161006.DeleteEverything"), "{}").await;
    assert_eq!(status, 400);
    assert!(body.contains("UnknownOperationException"), "{body}");

    let (status, _, body) = raw_post(
        &sim,
        "/",
        Some("CodeBuild_20161006.ListBuilds"),
        "{not json",
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("SerializationException"), "{body}");
    assert!(
        sim.requests()[1].body.is_null(),
        "a body that is not JSON is recorded as null"
    );

    let (status, _, body) =
        raw_post(&sim, "/", Some("CodeBuild_20161006.BatchGetBuilds"), "{}").await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Value null at 'ids' failed to satisfy constraint: Member must not be null"),
        "{body}"
    );

    let (status, _, body) = raw_post(
        &sim,
        "/",
        Some("CodeBuild_20161006.ListBuilds"),
        r#"{"sortOrder":42}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("SerializationException"), "{body}");
}

#[tokio::test]
async fn responses_carry_json_content_type_request_id_and_epoch_timestamps() {
    let sim = frozen(Scenario::Quiet).await;
    let id = sim.add_build(Default::default());
    let body = format!(r#"{{"ids":["{id}"]}}"#);
    let (status, head, body) =
        raw_post(&sim, "/", Some("CodeBuild_20161006.BatchGetBuilds"), &body).await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/x-amz-json-1.1"));
    assert!(head.contains("x-amzn-requestid: "));
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    let start = &json["builds"][0]["startTime"];
    assert!(start.is_f64(), "epoch seconds with a fraction: {start}");
}

#[tokio::test]
async fn control_endpoints_drive_the_sim_and_are_not_recorded() {
    let sim = frozen(Scenario::Quiet).await;
    let before = sim.now();
    let (status, _, _) = raw_post(&sim, "/__sim/advance", None, r#"{"secs":90}"#).await;
    assert_eq!(status, 200);
    assert_eq!((sim.now() - before).num_seconds(), 90);

    let (status, _, _) = raw_post(
        &sim,
        "/__sim/fault",
        None,
        r#"{"fault":"throttle","count":1}"#,
    )
    .await;
    assert_eq!(status, 200);
    let err = client(&sim)
        .list_builds()
        .send()
        .await
        .expect_err("throttled");
    assert_eq!(
        aws_sdk_codebuild::error::ProvideErrorMetadata::code(&err),
        Some("ThrottlingException")
    );
    client(&sim)
        .list_builds()
        .send()
        .await
        .expect("only one throttled");

    let (status, _, body) = raw_post(&sim, "/__sim/fault", None, r#"{"fault":"gremlins"}"#).await;
    assert_eq!(status, 400, "{body}");
    let delay = r#"{"fault":"delay_ms","delay_ms":120,"count":1}"#;
    let (status, _, _) = raw_post(&sim, "/__sim/fault", None, delay).await;
    assert_eq!(status, 200);
    let started = std::time::Instant::now();
    client(&sim).list_builds().send().await.expect("delayed");
    assert!(started.elapsed() >= std::time::Duration::from_millis(120));

    let ops: Vec<String> = sim.requests().into_iter().map(|r| r.operation).collect();
    assert_eq!(ops, ["ListBuilds", "ListBuilds", "ListBuilds"]);
}

#[tokio::test]
async fn every_request_is_recorded_with_body_status_and_sim_time() {
    let sim = frozen(Scenario::Quiet).await;
    let client = client(&sim);
    client.list_builds().send().await.expect("list");
    sim.advance(5.0);
    let _ = client.batch_get_builds().set_ids(Some(vec![])).send().await;
    let log = sim.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].operation, "ListBuilds");
    assert_eq!(log[0].status, 200);
    assert_eq!(log[1].operation, "BatchGetBuilds");
    assert_eq!(log[1].status, 400);
    assert_eq!(log[1].body["ids"], serde_json::json!([]));
    assert_eq!((log[1].at - log[0].at).num_seconds(), 5);
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn unknown_members_are_ignored_as_the_service_ignores_them() {
    let (sim, client, batch) = batch_of(vec![node("lint", &[], 300.0)]).await;
    let build = sim.add_build(cbdash_sim::BuildSpec::default());
    sim.advance(60.0);
    let (group, stream) = log_target(&client, &build).await;
    let extra = json!({"nested": [1, {"deeper": true}]});
    let env = json!([{"name": "A", "value": "b", "futureMember": 1}]);
    let requests = [
        ("ListProjects", json!({})),
        ("BatchGetProjects", json!({"names": ["api-service"]})),
        ("ListBuilds", json!({})),
        (
            "ListBuildsForProject",
            json!({"projectName": "web-frontend"}),
        ),
        ("BatchGetBuilds", json!({"ids": [build]})),
        (
            "StartBuild",
            json!({"projectName": "api-service", "environmentVariablesOverride": env}),
        ),
        ("StopBuild", json!({"id": build})),
        ("RetryBuild", json!({"id": build})),
        ("StartBuildBatch", json!({"projectName": "monorepo-ci"})),
        ("StopBuildBatch", json!({"id": batch})),
        ("RetryBuildBatch", json!({"id": batch})),
        ("ListBuildBatches", json!({})),
        (
            "ListBuildBatchesForProject",
            json!({"projectName": "monorepo-ci"}),
        ),
        ("BatchGetBuildBatches", json!({"ids": [batch]})),
    ];
    for (operation, mut body) in requests {
        body["futureMember"] = extra.clone();
        let target = format!("CodeBuild_20161006.{operation}");
        let (status, _, answer) = raw_post(&sim, "/", Some(&target), &body.to_string()).await;
        assert_eq!(status, 200, "{operation}: {answer}");
    }

    // An idempotency token compares only the members the model knows.
    let mut ids = Vec::new();
    for body in [
        json!({"projectName": "api-service", "idempotencyToken": "t-1"}),
        json!({"projectName": "api-service", "idempotencyToken": "t-1", "futureMember": 2}),
    ] {
        let target = Some("CodeBuild_20161006.StartBuild");
        let (status, _, answer) = raw_post(&sim, "/", target, &body.to_string()).await;
        assert_eq!(status, 200, "{answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).expect("json");
        ids.push(answer["build"]["id"].as_str().map(String::from));
    }
    assert!(ids[0].is_some());
    assert_eq!(ids[0], ids[1], "the second call replays the first");

    let body = json!({"logGroupName": group, "logStreamName": stream, "futureMember": extra});
    let target = Some("Logs_20140328.GetLogEvents");
    let (status, _, answer) = raw_post(&sim, "/", target, &body.to_string()).await;
    assert_eq!(status, 200, "GetLogEvents: {answer}");
}
