//! StartBuild, StopBuild and RetryBuild through the SDK: overrides show up
//! in the build, bad input is rejected like the service does, tokens make
//! starts idempotent.

use crate::sdk::{client, get, quiet, var};
use aws_sdk_codebuild::error::ProvideErrorMetadata;
use aws_sdk_codebuild::types::{
    ArtifactsType, CacheType, CloudWatchLogsConfig, ComputeType, EnvironmentVariableType,
    GitSubmodulesConfig, ImagePullCredentialsType, LogsConfig, LogsConfigStatusType,
    ProjectArtifacts, ProjectCache, ProjectFleet, ProjectSource, RegistryCredential, SourceType,
    StatusType,
};

#[tokio::test]
async fn start_build_reflects_every_override_in_later_batch_get_builds() {
    let sim = quiet().await;
    let client = client(&sim);
    let started = client
        .start_build()
        .project_name("web-frontend")
        .source_version("pr/42")
        .compute_type_override(ComputeType::BuildGeneral1Large)
        .image_override("aws/codebuild/standard:6.0")
        .privileged_mode_override(true)
        .image_pull_credentials_type_override(ImagePullCredentialsType::ServiceRole)
        .registry_credential_override(
            RegistryCredential::builder()
                .credential("arn:aws:secretsmanager:us-east-1:123456789012:secret:hub")
                .credential_provider("SECRETS_MANAGER".into())
                .build()
                .expect("credential"),
        )
        .fleet_override(
            ProjectFleet::builder()
                .fleet_arn("arn:aws:codebuild:us-east-1:123456789012:fleet/linux")
                .build(),
        )
        .environment_variables_override(var("NODE_ENV", "test", EnvironmentVariableType::Plaintext))
        .environment_variables_override(var(
            "API_KEY",
            "/ci/key",
            EnvironmentVariableType::ParameterStore,
        ))
        .buildspec_override("version: 0.2\nphases:\n  build:\n    commands:\n      - make ci\n")
        .git_clone_depth_override(0)
        .git_submodules_config_override(
            GitSubmodulesConfig::builder()
                .fetch_submodules(true)
                .build()
                .expect("submodules"),
        )
        .insecure_ssl_override(true)
        .report_build_status_override(false)
        .source_type_override(SourceType::Bitbucket)
        .source_location_override("https://bitbucket.org/example/web-frontend.git")
        .secondary_sources_override(
            ProjectSource::builder()
                .r#type(SourceType::S3)
                .location("example-bucket/fixtures.zip")
                .source_identifier("fixtures")
                .build()
                .expect("source"),
        )
        .artifacts_override(
            ProjectArtifacts::builder()
                .r#type(ArtifactsType::NoArtifacts)
                .build()
                .expect("artifacts"),
        )
        .cache_override(
            ProjectCache::builder()
                .r#type(CacheType::NoCache)
                .build()
                .expect("cache"),
        )
        .logs_config_override(
            LogsConfig::builder()
                .cloud_watch_logs(
                    CloudWatchLogsConfig::builder()
                        .status(LogsConfigStatusType::Enabled)
                        .group_name("/ci/web")
                        .build()
                        .expect("cw"),
                )
                .build(),
        )
        .service_role_override("arn:aws:iam::123456789012:role/ci-override")
        .encryption_key_override("alias/ci")
        .timeout_in_minutes_override(15)
        .queued_timeout_in_minutes_override(30)
        .debug_session_enabled(true)
        .auto_retry_limit_override(2)
        .send()
        .await
        .expect("started");
    let fresh = started.build_value().expect("build");
    assert_eq!(fresh.current_phase(), Some("SUBMITTED"));
    assert_eq!(fresh.build_status(), Some(&StatusType::InProgress));
    let id = fresh.id().expect("id").to_string();
    assert!(id.starts_with("web-frontend:"));

    let build = get(&client, &id).await;
    let env = build.environment().expect("environment");
    assert_eq!(env.compute_type(), &ComputeType::BuildGeneral1Large);
    assert_eq!(env.image(), "aws/codebuild/standard:6.0");
    assert_eq!(env.privileged_mode(), Some(true));
    assert_eq!(
        env.image_pull_credentials_type(),
        Some(&ImagePullCredentialsType::ServiceRole)
    );
    assert!(env.registry_credential().is_some() && env.fleet().is_some());
    let vars: Vec<(&str, &str)> = env
        .environment_variables()
        .iter()
        .map(|v| (v.name(), v.value()))
        .collect();
    assert!(
        vars.contains(&("NODE_ENV", "test")),
        "override replaces the project value: {vars:?}"
    );
    assert!(vars.contains(&("API_KEY", "/ci/key")));
    assert!(
        vars.contains(&("SENTRY_AUTH_TOKEN", "/ci/web-frontend/sentry-token")),
        "project variables stay"
    );

    let source = build.source().expect("source");
    assert!(source.buildspec().unwrap_or_default().contains("make ci"));
    assert_eq!(source.git_clone_depth(), Some(0));
    assert_eq!(source.insecure_ssl(), Some(true));
    assert_eq!(source.report_build_status(), Some(false));
    assert_eq!(source.r#type(), &SourceType::Bitbucket);
    assert_eq!(
        source.git_submodules_config().map(|g| g.fetch_submodules()),
        Some(true)
    );
    assert_eq!(
        build.secondary_sources()[0].source_identifier(),
        Some("fixtures")
    );
    assert_eq!(build.source_version(), Some("pr/42"));
    assert_eq!(build.artifacts().and_then(|a| a.location()), Some(""));
    assert_eq!(build.cache().map(|c| c.r#type()), Some(&CacheType::NoCache));
    assert_eq!(build.logs().and_then(|l| l.group_name()), Some("/ci/web"));
    assert_eq!(
        build.service_role(),
        Some("arn:aws:iam::123456789012:role/ci-override")
    );
    assert_eq!(build.encryption_key(), Some("alias/ci"));
    assert_eq!(build.timeout_in_minutes(), Some(15));
    assert_eq!(build.queued_timeout_in_minutes(), Some(30));
    assert_eq!(
        build.debug_session().map(|d| d.session_enabled()),
        Some(Some(true))
    );
    assert_eq!(
        build.auto_retry_config().and_then(|a| a.auto_retry_limit()),
        Some(2)
    );
}

async fn start_error(
    builder: aws_sdk_codebuild::operation::start_build::builders::StartBuildFluentBuilder,
) -> (String, String) {
    let err = builder.send().await.expect_err("rejected");
    (
        err.code().unwrap_or_default().to_string(),
        err.message().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn start_build_rejects_bad_input_like_the_service() {
    let sim = quiet().await;
    let client = client(&sim);
    let (code, message) = start_error(client.start_build().project_name("nope")).await;
    assert_eq!(code, "ResourceNotFoundException");
    assert_eq!(
        message,
        "Project cannot be found: arn:aws:codebuild:us-east-1:123456789012:project/nope"
    );

    let cases = [
        (
            client
                .start_build()
                .project_name("web-frontend")
                .timeout_in_minutes_override(4),
            "timeoutInMinutesOverride",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .timeout_in_minutes_override(2161),
            "less than or equal to 2160",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .queued_timeout_in_minutes_override(481),
            "queuedTimeoutInMinutesOverride",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .git_clone_depth_override(-1),
            "gitCloneDepthOverride",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .compute_type_override("BUILD_HUGE".into()),
            "Member must satisfy enum value set",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .environment_type_override("MAINFRAME".into()),
            "environmentTypeOverride",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .image_pull_credentials_type_override("ANYONE".into()),
            "imagePullCredentialsTypeOverride",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .environment_variables_override(var("", "x", EnvironmentVariableType::Plaintext)),
            "environmentVariablesOverride.1.member.name",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .environment_variables_override(var("A", "x", "VAULT".into())),
            "environmentVariablesOverride.1.member.type",
        ),
        (
            client
                .start_build()
                .project_name("web-frontend")
                .source_type_override("SVN".into()),
            "sourceTypeOverride",
        ),
    ];
    for (builder, expected) in cases {
        let (code, message) = start_error(builder).await;
        assert_eq!(code, "InvalidInputException", "{message}");
        assert!(
            message.starts_with("1 validation error detected: "),
            "{message}"
        );
        assert!(
            message.contains(expected),
            "{message} should mention {expected}"
        );
    }
    let (_, message) = start_error(
        client
            .start_build()
            .project_name("web-frontend")
            .timeout_in_minutes_override(1)
            .git_clone_depth_override(-2),
    )
    .await;
    assert!(
        message.starts_with("2 validation errors detected: "),
        "{message}"
    );
    assert!(sim.requests().iter().all(|r| r.status == 400));
    let listed = client.list_builds().send().await.expect("list");
    assert!(listed.ids().is_empty(), "nothing was started");
}

#[tokio::test]
async fn the_same_idempotency_token_starts_one_build() {
    let sim = quiet().await;
    let client = client(&sim);
    let start = || {
        client
            .start_build()
            .project_name("docs-site")
            .source_version("main")
            .idempotency_token("tok-1")
    };
    let first = start().send().await.expect("first");
    sim.advance(30.0);
    let again = start().send().await.expect("replayed");
    let first_id = first.build_value().and_then(|b| b.id()).expect("id");
    assert_eq!(again.build_value().and_then(|b| b.id()), Some(first_id));
    assert_eq!(
        client.list_builds().send().await.expect("list").ids().len(),
        1
    );

    let (code, message) = start_error(start().source_version("develop")).await;
    assert_eq!(code, "InvalidInputException");
    assert!(message.contains("tok-1"), "{message}");

    sim.advance(5.0 * 60.0);
    let later = start().send().await.expect("token expired");
    assert_ne!(later.build_value().and_then(|b| b.id()), Some(first_id));
}

#[tokio::test]
async fn a_project_concurrent_build_limit_is_enforced() {
    let sim = quiet().await;
    let client = client(&sim);
    client
        .start_build()
        .project_name("infra-terraform")
        .send()
        .await
        .expect("first");
    let (code, _) = start_error(client.start_build().project_name("infra-terraform")).await;
    assert_eq!(code, "AccountLimitExceededException");
    client
        .start_build()
        .project_name("web-frontend")
        .send()
        .await
        .expect("other projects are free");
    sim.advance(2.0 * 3600.0);
    client
        .start_build()
        .project_name("infra-terraform")
        .send()
        .await
        .expect("room again");
}
