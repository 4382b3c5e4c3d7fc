//! No credentials anywhere: the dashboard says so with a hint, and keeps running.
//! Its own test binary, since it changes the process environment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cbdash::aws::{connect, ConnectOptions};
use cbdash::domain::ErrorKind;
use cbdash_sim::{Scenario, SimConfig, SimHandle};

#[tokio::test]
async fn missing_credentials_get_a_hint() {
    // Nothing in the chain may find credentials, and instance metadata must
    // not be asked (it is not on this machine's loopback).
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        std::env::remove_var(var);
    }
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/cbdash-test/config");
    std::env::set_var(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/cbdash-test/credentials",
    );

    let sim = SimHandle::start(SimConfig {
        speed: 0.0,
        scenario: Scenario::Quiet,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let options = ConnectOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(sim.endpoint_url()),
        max_attempts: 1,
        ..ConnectOptions::default()
    };
    let api = connect(&options).await;
    let error = api
        .list_builds(None, None)
        .await
        .expect_err("no credentials");
    assert_eq!(error.kind, ErrorKind::Credentials, "{error}");
    assert!(error.hint().is_some_and(|h| h.contains("aws sso login")));
    assert!(sim.requests().is_empty(), "nothing unsigned was sent");
}
