//! CreateProject, UpdateProject, DeleteProject, BatchGetProjects and
//! ListProjects on user-made projects, through the SDK and raw JSON.

use crate::sdk::{call, client, client_as, create_project, frozen, new_project, quiet, secs, ROLE};
use aws_sdk_codebuild::error::ProvideErrorMetadata;
use aws_sdk_codebuild::types::{
    CacheType, ComputeType, EnvironmentType, ImagePullCredentialsType, LogsConfigStatusType,
    ProjectEnvironment, ProjectSortByType, SortOrderType,
};
use aws_sdk_codebuild::Client;
use cbdash_sim::Scenario;
use serde_json::{json, Value};

const ARN: &str = "arn:aws:codebuild:us-east-1:123456789012:project/app";

/// Every project name ListProjects lists, page after page.
async fn list_all(
    client: &Client,
    sort_by: ProjectSortByType,
    order: SortOrderType,
) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut pages = 0;
    let mut token: Option<String> = None;
    loop {
        let page = client
            .list_projects()
            .sort_by(sort_by.clone())
            .sort_order(order.clone())
            .set_next_token(token.clone())
            .send()
            .await
            .expect("ListProjects");
        pages += 1;
        names.extend(page.projects().iter().cloned());
        match page.next_token() {
            Some(next) => token = Some(next.to_string()),
            None => return (names, pages),
        }
    }
}

#[tokio::test]
async fn an_empty_world_has_no_projects_and_no_builds() {
    let sim = frozen(Scenario::Empty).await;
    let client = client(&sim);
    sim.advance(3600.0);
    let projects = client.list_projects().send().await.expect("projects");
    assert!(projects.projects().is_empty());
    let builds = client.list_builds().send().await.expect("builds");
    assert!(builds.ids().is_empty());
    let batches = client.list_build_batches().send().await.expect("batches");
    assert!(batches.ids().is_empty());
    let err = client
        .start_build()
        .project_name("web-frontend")
        .send()
        .await
        .expect_err("no demo projects");
    assert!(err.into_service_error().is_resource_not_found_exception());
}

#[tokio::test]
async fn create_project_returns_the_project_with_the_services_defaults() {
    let sim = frozen(Scenario::Empty).await;
    let client = client(&sim);
    let project = create_project(&client, "app").await;
    let now = sim.now().timestamp_millis() as f64 / 1000.0;
    assert_eq!(project.name(), Some("app"));
    assert_eq!(project.arn(), Some(ARN));
    assert_eq!(project.created().map(secs), Some(now));
    assert_eq!(project.last_modified().map(secs), Some(now));
    assert_eq!(project.service_role(), Some(ROLE));
    assert_eq!(project.timeout_in_minutes(), Some(60));
    assert_eq!(project.queued_timeout_in_minutes(), Some(480));
    assert_eq!(
        project.encryption_key(),
        Some("arn:aws:kms:us-east-1:123456789012:alias/aws/s3")
    );
    assert_eq!(project.badge().map(|b| b.badge_enabled()), Some(false));
    assert_eq!(
        project.cache().map(|c| c.r#type()),
        Some(&CacheType::NoCache)
    );
    let env = project.environment().expect("environment");
    assert!(env.environment_variables().is_empty());
    assert_eq!(env.privileged_mode(), Some(false));
    assert_eq!(
        env.image_pull_credentials_type(),
        Some(&ImagePullCredentialsType::Codebuild)
    );
    let logs = project.logs_config().expect("logsConfig");
    assert_eq!(
        logs.cloud_watch_logs().map(|c| c.status()),
        Some(&LogsConfigStatusType::Enabled)
    );
    assert_eq!(
        logs.s3_logs().map(|c| c.status()),
        Some(&LogsConfigStatusType::Disabled)
    );
    assert!(project.secondary_sources().is_empty());
    assert!(project.tags().is_empty());
    assert_eq!(project.concurrent_build_limit(), None);
    assert_eq!(project.build_batch_config(), None);

    let got = client
        .batch_get_projects()
        .names("app")
        .send()
        .await
        .expect("BatchGetProjects");
    assert_eq!(got.projects(), [project]);
    assert!(got.projects_not_found().is_empty());
    let listed = client.list_projects().send().await.expect("ListProjects");
    assert_eq!(listed.projects(), ["app"]);
}

/// A CreateProject body with every member the model has.
fn full_project() -> Value {
    json!({
        "name": "full-app",
        "description": "Everything a project can have",
        "source": {
            "type": "GITHUB",
            "location": "https://github.com/example/full-app.git",
            "gitCloneDepth": 1,
            "gitSubmodulesConfig": {"fetchSubmodules": true},
            "buildspec": "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n",
            "auth": {"type": "CODECONNECTIONS", "resource": "arn:aws:codeconnections:us-east-1:123456789012:connection/x"},
            "reportBuildStatus": true,
            "buildStatusConfig": {"context": "ci", "targetUrl": "https://ci.example.com"},
            "insecureSsl": false
        },
        "secondarySources": [{"type": "S3", "location": "bucket/extra.zip", "sourceIdentifier": "extra"}],
        "sourceVersion": "refs/heads/develop",
        "secondarySourceVersions": [{"sourceIdentifier": "extra", "sourceVersion": "v3"}],
        "artifacts": {"type": "S3", "location": "artifact-bucket", "packaging": "ZIP", "name": "out.zip"},
        "secondaryArtifacts": [{"type": "S3", "location": "artifact-bucket", "artifactIdentifier": "reports"}],
        "cache": {"type": "LOCAL", "modes": ["LOCAL_DOCKER_LAYER_CACHE"]},
        "environment": {
            "type": "ARM_CONTAINER",
            "image": "aws/codebuild/amazonlinux-aarch64-standard:3.0",
            "computeType": "BUILD_GENERAL1_LARGE",
            "environmentVariables": [
                {"name": "STAGE", "value": "ci", "type": "PLAINTEXT"},
                {"name": "TOKEN", "value": "/ci/token", "type": "PARAMETER_STORE"},
                {"name": "PLAIN", "value": "no type given"}
            ],
            "privilegedMode": true,
            "certificate": "bucket/cert.pem",
            "registryCredential": {"credential": "arn:aws:secretsmanager:us-east-1:123456789012:secret:reg", "credentialProvider": "SECRETS_MANAGER"},
            "imagePullCredentialsType": "SERVICE_ROLE"
        },
        "serviceRole": ROLE,
        "timeoutInMinutes": 90,
        "queuedTimeoutInMinutes": 120,
        "encryptionKey": "arn:aws:kms:us-east-1:123456789012:key/abc",
        "tags": [{"key": "team", "value": "platform"}],
        "vpcConfig": {"vpcId": "vpc-1", "subnets": ["subnet-1", "subnet-2"], "securityGroupIds": ["sg-1"]},
        "badgeEnabled": true,
        "logsConfig": {"cloudWatchLogs": {"status": "ENABLED", "groupName": "ci-logs", "streamName": "full"}},
        "fileSystemLocations": [{"type": "EFS", "location": "fs-1.efs.us-east-1.amazonaws.com:/", "mountPoint": "/mnt/efs", "identifier": "cache"}],
        "buildBatchConfig": {"serviceRole": ROLE, "combineArtifacts": false, "restrictions": {"maximumBuildsAllowed": 4}, "timeoutInMins": 60},
        "concurrentBuildLimit": 2,
        "autoRetryLimit": 1,
        "notAMember": "ignored, as the service ignores it"
    })
}

#[tokio::test]
async fn every_member_given_is_stored_and_returned_and_unknown_ones_are_ignored() {
    let sim = frozen(Scenario::Empty).await;
    let body = full_project();
    let (status, created) = call(&sim, "CreateProject", &body).await;
    assert_eq!(status, 200, "{created}");
    let project = &created["project"];
    for member in [
        "description",
        "secondarySources",
        "sourceVersion",
        "secondarySourceVersions",
        "artifacts",
        "secondaryArtifacts",
        "cache",
        "serviceRole",
        "timeoutInMinutes",
        "queuedTimeoutInMinutes",
        "encryptionKey",
        "tags",
        "vpcConfig",
        "fileSystemLocations",
        "buildBatchConfig",
        "concurrentBuildLimit",
        "autoRetryLimit",
    ] {
        assert_eq!(project[member], body[member], "{member}");
    }
    assert_eq!(project["source"], body["source"]);
    assert_eq!(
        project["environment"]["image"],
        body["environment"]["image"]
    );
    assert_eq!(project["environment"]["privilegedMode"], true);
    let vars = &project["environment"]["environmentVariables"];
    assert_eq!(vars[1], body["environment"]["environmentVariables"][1]);
    assert_eq!(vars[2]["type"], "PLAINTEXT", "a variable's type defaults");
    assert_eq!(
        project["logsConfig"]["cloudWatchLogs"],
        body["logsConfig"]["cloudWatchLogs"]
    );
    assert_eq!(project["logsConfig"]["s3Logs"]["status"], "DISABLED");
    assert_eq!(project["badge"]["badgeEnabled"], true);
    assert!(project["badge"]["badgeRequestUrl"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://codebuild.us-east-1.amazonaws.com/badges?uuid=")));
    assert!(project.get("notAMember").is_none());
    assert!(project.get("badgeEnabled").is_none(), "shown as badge");

    // The SDK reads every member back.
    let client = client(&sim);
    let got = client
        .batch_get_projects()
        .names("full-app")
        .send()
        .await
        .expect("BatchGetProjects");
    let project = &got.projects()[0];
    let vpc = project.vpc_config().expect("vpcConfig");
    assert_eq!(vpc.subnets(), ["subnet-1", "subnet-2"]);
    assert_eq!(project.file_system_locations().len(), 1);
    assert_eq!(project.concurrent_build_limit(), Some(2));
    assert_eq!(project.auto_retry_limit(), Some(1));
    let batch = project.build_batch_config().expect("buildBatchConfig");
    assert_eq!(batch.timeout_in_mins(), Some(60));
    let env = project.environment().expect("environment");
    assert_eq!(env.r#type(), &EnvironmentType::ArmContainer);
    assert_eq!(env.compute_type(), &ComputeType::BuildGeneral1Large);
}

#[tokio::test]
async fn a_name_in_use_is_refused_with_resource_already_exists() {
    let sim = quiet().await;
    let client = client(&sim);
    create_project(&client, "app").await;
    for (name, arn) in [
        ("app", ARN.to_string()),
        (
            "web-frontend",
            "arn:aws:codebuild:us-east-1:123456789012:project/web-frontend".to_string(),
        ),
    ] {
        let err = new_project(&client, name)
            .send()
            .await
            .expect_err("name in use");
        assert_eq!(err.code(), Some("ResourceAlreadyExistsException"));
        let message = err.message().unwrap_or_default().to_string();
        assert_eq!(message, format!("Project already exists: {arn}"));
        assert!(err
            .into_service_error()
            .is_resource_already_exists_exception());
    }
}

#[tokio::test]
async fn projects_belong_to_the_account_and_region_that_made_them() {
    let sim = frozen(Scenario::Empty).await;
    create_project(&client(&sim), "app").await;
    for other in [
        client_as(&sim, "AKIA111122223333TEST", "us-east-1"),
        client_as(&sim, "AKIDTEST", "eu-west-1"),
    ] {
        let listed = other.list_projects().send().await.expect("ListProjects");
        assert!(listed.projects().is_empty());
        let got = other
            .batch_get_projects()
            .names("app")
            .send()
            .await
            .expect("BatchGetProjects");
        assert_eq!(got.projects_not_found(), ["app"]);
        // The same name is free there.
        create_project(&other, "app").await;
    }
    let west = client_as(&sim, "AKIA111122223333TEST", "eu-west-1");
    let made = create_project(&west, "app").await;
    assert_eq!(
        made.arn(),
        Some("arn:aws:codebuild:eu-west-1:111122223333:project/app")
    );
}

#[tokio::test]
async fn update_project_replaces_the_members_given_and_moves_last_modified() {
    let sim = frozen(Scenario::Empty).await;
    let client = client(&sim);
    let created = create_project(&client, "app").await;
    sim.advance(90.0);
    let environment = ProjectEnvironment::builder()
        .r#type(EnvironmentType::LinuxContainer)
        .image("aws/codebuild/standard:6.0")
        .compute_type(ComputeType::BuildGeneral1Medium)
        .build()
        .expect("environment");
    let updated = client
        .update_project()
        .name("app")
        .description("now described")
        .timeout_in_minutes(90)
        .environment(environment)
        .concurrent_build_limit(3)
        .send()
        .await
        .expect("UpdateProject");
    let project = updated.project().expect("project");
    assert_eq!(project.created(), created.created(), "created stays");
    let now = sim.now().timestamp_millis() as f64 / 1000.0;
    assert_eq!(project.last_modified().map(secs), Some(now));
    assert_eq!(project.description(), Some("now described"));
    assert_eq!(project.timeout_in_minutes(), Some(90));
    assert_eq!(project.concurrent_build_limit(), Some(3));
    let env = project.environment().expect("environment");
    assert_eq!(env.image(), "aws/codebuild/standard:6.0");
    assert_eq!(env.compute_type(), &ComputeType::BuildGeneral1Medium);
    assert_eq!(env.privileged_mode(), Some(false), "defaults filled again");
    assert_eq!(project.service_role(), Some(ROLE), "members not given stay");
    assert_eq!(project.source(), created.source());

    // -1 removes the limit, as the API reference says.
    let unlimited = client
        .update_project()
        .name("app")
        .concurrent_build_limit(-1)
        .send()
        .await
        .expect("UpdateProject");
    let project = unlimited.project().expect("project");
    assert_eq!(project.concurrent_build_limit(), None);
    let got = client
        .batch_get_projects()
        .names("app")
        .send()
        .await
        .expect("BatchGetProjects");
    assert_eq!(got.projects(), std::slice::from_ref(project));
}

#[tokio::test]
async fn update_of_a_missing_project_is_resource_not_found() {
    let sim = frozen(Scenario::Empty).await;
    let err = client(&sim)
        .update_project()
        .name("nope")
        .description("x")
        .send()
        .await
        .expect_err("missing");
    assert_eq!(
        err.message(),
        Some("Project cannot be found: arn:aws:codebuild:us-east-1:123456789012:project/nope")
    );
    assert!(err.into_service_error().is_resource_not_found_exception());
}

#[tokio::test]
async fn the_scenarios_own_projects_cannot_be_updated_or_deleted() {
    let sim = quiet().await;
    let client = client(&sim);
    let err = client
        .update_project()
        .name("web-frontend")
        .description("x")
        .send()
        .await
        .expect_err("a fixture");
    let message = err.message().unwrap_or_default().to_string();
    assert!(err.into_service_error().is_invalid_input_exception());
    assert!(message.contains("web-frontend"), "{message}");
    let err = client
        .delete_project()
        .name("web-frontend")
        .send()
        .await
        .expect_err("a fixture");
    assert!(err.into_service_error().is_invalid_input_exception());
    let listed = client.list_projects().send().await.expect("ListProjects");
    assert!(listed.projects().iter().any(|p| p == "web-frontend"));
}

#[tokio::test]
async fn delete_project_removes_it_and_deleting_a_missing_one_succeeds() {
    let sim = frozen(Scenario::Empty).await;
    let client = client(&sim);
    create_project(&client, "app").await;
    create_project(&client, "other").await;
    client
        .delete_project()
        .name("app")
        .send()
        .await
        .expect("DeleteProject");
    let got = client
        .batch_get_projects()
        .names("app")
        .names("other")
        .send()
        .await
        .expect("BatchGetProjects");
    assert_eq!(got.projects_not_found(), ["app"]);
    assert_eq!(got.projects().len(), 1);
    // The model gives DeleteProject no ResourceNotFoundException.
    client
        .delete_project()
        .name("app")
        .send()
        .await
        .expect("deleting again succeeds");
    client
        .delete_project()
        .name("arn:aws:codebuild:us-east-1:123456789012:project/other")
        .send()
        .await
        .expect("by ARN");
    let listed = client.list_projects().send().await.expect("ListProjects");
    assert!(listed.projects().is_empty());
    // The name is free again.
    create_project(&client, "app").await;
}

#[tokio::test]
async fn batch_get_projects_takes_names_or_arns_and_reports_the_rest() {
    let sim = quiet().await;
    let client = client(&sim);
    create_project(&client, "app").await;
    let got = client
        .batch_get_projects()
        .names("app")
        .names(ARN)
        .names("web-frontend")
        .names("nope")
        .send()
        .await
        .expect("BatchGetProjects");
    let names: Vec<_> = got.projects().iter().filter_map(|p| p.name()).collect();
    assert_eq!(names, ["app", "app", "web-frontend"]);
    assert_eq!(got.projects_not_found(), ["nope"]);

    let (status, body) = call(&sim, "BatchGetProjects", &json!({"names": []})).await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "InvalidInputException");
    let many: Vec<String> = (0..101).map(|i| format!("p{i}")).collect();
    let (status, body) = call(&sim, "BatchGetProjects", &json!({ "names": many })).await;
    assert_eq!(status, 400);
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.ends_with("Member must have length less than or equal to 100")));
}

#[tokio::test]
async fn list_projects_sorts_and_pages_user_made_projects_with_the_catalogs() {
    let sim = quiet().await;
    let client = client(&sim);
    let made: Vec<String> = (0..95).map(|i| format!("p-{i:03}")).collect();
    for name in &made {
        create_project(&client, name).await;
        sim.advance(1.0);
    }
    client
        .update_project()
        .name("p-000")
        .description("changed last")
        .send()
        .await
        .expect("UpdateProject");
    let (by_name, pages) =
        list_all(&client, ProjectSortByType::Name, SortOrderType::Ascending).await;
    assert_eq!(pages, 2, "100 names a page");
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted);
    assert_eq!(by_name.len(), 106, "the catalog's eleven and the 95 made");

    let (oldest_first, _) = list_all(
        &client,
        ProjectSortByType::CreatedTime,
        SortOrderType::Ascending,
    )
    .await;
    assert_eq!(
        oldest_first[11..],
        made[..],
        "made after the catalog's, in order"
    );
    let (newest_first, _) = list_all(
        &client,
        ProjectSortByType::CreatedTime,
        SortOrderType::Descending,
    )
    .await;
    let mut reversed = oldest_first.clone();
    reversed.reverse();
    assert_eq!(newest_first, reversed);
    let (recent, _) = list_all(
        &client,
        ProjectSortByType::LastModifiedTime,
        SortOrderType::Descending,
    )
    .await;
    assert_eq!(recent[..2], ["p-000", "p-094"]);
}
