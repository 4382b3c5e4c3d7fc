//! BatchDeleteBuilds: finished builds go, running ones stay, and deleted
//! builds vanish from ListBuilds, ListBuildsForProject and BatchGetBuilds.

use crate::sdk::{all_build_ids, call, client, log_target, logs_client, quiet, read_from_head};
use aws_sdk_codebuild::types::SortOrderType;
use aws_sdk_codebuild::Client;
use cbdash_sim::BuildSpec;
use serde_json::json;

fn arn(id: &str) -> String {
    format!("arn:aws:codebuild:us-east-1:123456789012:build/{id}")
}

/// A build of `project` that started `secs_ago` and ran for about ten
/// minutes at most.
fn finished(project: &str, secs_ago: f64) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        started_secs_ago: secs_ago,
        ..BuildSpec::default()
    }
}

async fn for_project(client: &Client, project: &str) -> Vec<String> {
    let page = client
        .list_builds_for_project()
        .project_name(project)
        .send()
        .await
        .expect("ListBuildsForProject");
    page.ids().to_vec()
}

#[tokio::test]
async fn finished_builds_are_deleted_and_vanish_from_every_listing() {
    let sim = quiet().await;
    let client = client(&sim);
    let a = sim.add_build(finished("web-frontend", 7200.0));
    let b = sim.add_build(finished("web-frontend", 3600.0));
    let running = sim.add_build(BuildSpec {
        phase_secs: Some(vec![("BUILD".into(), 600.0)]),
        ..BuildSpec::default()
    });
    let out = client
        .batch_delete_builds()
        .ids(&a)
        .ids(arn(&b))
        .ids(&running)
        .ids("web-frontend:nope")
        .ids(&a)
        .send()
        .await
        .expect("BatchDeleteBuilds");
    assert_eq!(out.builds_deleted(), [arn(&a), arn(&b)]);
    let not_deleted: Vec<(Option<&str>, Option<&str>)> = out
        .builds_not_deleted()
        .iter()
        .map(|n| (n.id(), n.status_code()))
        .collect();
    assert_eq!(
        not_deleted,
        [
            (Some(arn(&running).as_str()), Some("BUILD_IN_PROGRESS")),
            (Some("web-frontend:nope"), Some("BUILD_NOT_FOUND")),
        ]
    );

    assert_eq!(
        all_build_ids(&client, None).await,
        std::slice::from_ref(&running)
    );
    assert_eq!(
        for_project(&client, "web-frontend").await,
        std::slice::from_ref(&running)
    );
    let got = client
        .batch_get_builds()
        .ids(&a)
        .ids(&b)
        .ids(&running)
        .send()
        .await
        .expect("BatchGetBuilds");
    assert_eq!(got.builds().len(), 1);
    assert_eq!(got.builds_not_found(), [a.clone(), b]);
    let err = client.retry_build().id(&a).send().await.expect_err("gone");
    assert!(err.into_service_error().is_resource_not_found_exception());

    // Once it has finished, the running build can go too.
    sim.advance(3600.0);
    let out = client
        .batch_delete_builds()
        .ids(&running)
        .send()
        .await
        .expect("BatchDeleteBuilds");
    assert_eq!(out.builds_deleted(), [arn(&running)]);
    assert!(out.builds_not_deleted().is_empty());
    assert!(all_build_ids(&client, None).await.is_empty());
    // The next build keeps counting: numbers are never reused.
    let next = sim.add_build(finished("web-frontend", 0.0));
    let got = client
        .batch_get_builds()
        .ids(&next)
        .send()
        .await
        .expect("get");
    assert_eq!(got.builds()[0].build_number(), Some(4));
}

#[tokio::test]
async fn ids_must_number_one_to_a_hundred() {
    let sim = quiet().await;
    for (body, rule) in [
        (json!({}), "Member must not be null"),
        (
            json!({"ids": []}),
            "Member must have length greater than or equal to 1",
        ),
        (
            json!({"ids": [""]}),
            "Member must have length greater than or equal to 1",
        ),
    ] {
        let (status, answer) = call(&sim, "BatchDeleteBuilds", &body).await;
        assert_eq!(status, 400);
        assert_eq!(answer["__type"], "InvalidInputException");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.ends_with(rule), "{body}: {message}");
    }
    let ids: Vec<String> = (0..101).map(|i| format!("web-frontend:{i}")).collect();
    let (status, answer) = call(&sim, "BatchDeleteBuilds", &json!({ "ids": ids })).await;
    assert_eq!(status, 400);
    assert!(answer["message"]
        .as_str()
        .is_some_and(|m| m.ends_with("Member must have length less than or equal to 100")));
    let ids: Vec<String> = (0..100).map(|i| format!("web-frontend:{i}")).collect();
    let (status, answer) = call(&sim, "BatchDeleteBuilds", &json!({ "ids": ids })).await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["buildsNotDeleted"].as_array().map(Vec::len),
        Some(100)
    );
}

/// One page of ListBuilds, or of ListBuildsForProject for `project`.
async fn page(
    client: &Client,
    project: Option<&str>,
    order: &SortOrderType,
    token: Option<String>,
) -> (Vec<String>, Option<String>) {
    match project {
        None => {
            let out = client
                .list_builds()
                .sort_order(order.clone())
                .set_next_token(token)
                .send()
                .await
                .expect("ListBuilds");
            (out.ids().to_vec(), out.next_token().map(String::from))
        }
        Some(project) => {
            let out = client
                .list_builds_for_project()
                .project_name(project)
                .sort_order(order.clone())
                .set_next_token(token)
                .send()
                .await
                .expect("ListBuildsForProject");
            (out.ids().to_vec(), out.next_token().map(String::from))
        }
    }
}

#[tokio::test]
async fn a_page_token_naming_a_deleted_build_goes_on_from_where_it_was() {
    let sim = quiet().await;
    let client = client(&sim);
    for i in 0..150 {
        sim.add_build(finished("api-service", 36_000.0 - f64::from(i) * 60.0));
    }
    let listings = [
        (None, SortOrderType::Descending),
        (None, SortOrderType::Ascending),
        (Some("api-service"), SortOrderType::Descending),
        (Some("api-service"), SortOrderType::Ascending),
    ];
    for (project, order) in listings {
        let everything = all_build_ids(&client, Some(order.clone())).await;
        let (first, token) = page(&client, project, &order, None).await;
        assert_eq!(first[..], everything[..100]);
        // The build the token names, and one on the page after it.
        let later = everything[110].clone();
        client
            .batch_delete_builds()
            .ids(&first[99])
            .ids(&later)
            .send()
            .await
            .expect("BatchDeleteBuilds");
        let (second, _) = page(&client, project, &order, token).await;
        let mut rest = everything[100..].to_vec();
        rest.retain(|id| *id != later);
        assert_eq!(second, rest, "{project:?} {order:?}");
    }
}

#[tokio::test]
async fn a_deleted_builds_log_stream_stays_readable() {
    let sim = quiet().await;
    let client = client(&sim);
    let id = sim.add_build(finished("web-frontend", 3600.0));
    let target = log_target(&client, &id).await;
    let logs = logs_client(&sim);
    let before = read_from_head(&logs, &target, 500).await;
    client
        .batch_delete_builds()
        .ids(&id)
        .send()
        .await
        .expect("BatchDeleteBuilds");
    // CloudWatch Logs keeps a stream whatever becomes of its build.
    assert_eq!(read_from_head(&logs, &target, 500).await, before);
    assert!(!before.is_empty());
}

#[tokio::test]
async fn an_idempotency_token_whose_build_was_deleted_starts_a_new_build() {
    let sim = quiet().await;
    let client = client(&sim);
    let start = || {
        client
            .start_build()
            .project_name("web-frontend")
            .idempotency_token("tok-1")
            .send()
    };
    let first = start().await.expect("StartBuild");
    let id = first
        .build_value()
        .and_then(|b| b.id())
        .expect("id")
        .to_string();
    client.stop_build().id(&id).send().await.expect("StopBuild");
    client
        .batch_delete_builds()
        .ids(&id)
        .send()
        .await
        .expect("BatchDeleteBuilds");
    let again = start().await.expect("StartBuild");
    let build = again.build_value().expect("a build, not an empty answer");
    assert_ne!(build.id(), Some(id.as_str()));
}
