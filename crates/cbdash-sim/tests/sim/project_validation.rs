//! How CreateProject, UpdateProject and DeleteProject refuse bad input:
//! the service's error codes and validation messages, sent as raw JSON
//! so that the SDK's own checks do not get in the way.

use crate::sdk::{call, frozen, ROLE};
use cbdash_sim::{Scenario, SimHandle};
use serde_json::{json, Value};

/// A valid CreateProject body for `name`.
fn minimal(name: &str) -> Value {
    json!({
        "name": name,
        "source": {"type": "NO_SOURCE", "buildspec": "version: 0.2"},
        "artifacts": {"type": "NO_ARTIFACTS"},
        "environment": {
            "type": "LINUX_CONTAINER",
            "image": "aws/codebuild/standard:7.0",
            "computeType": "BUILD_GENERAL1_SMALL"
        },
        "serviceRole": ROLE
    })
}

/// `minimal("app")` with `member` set to `value`.
fn with(member: &str, value: Value) -> Value {
    let mut body = minimal("app");
    body[member] = value;
    body
}

/// The error a refused call answers: (__type, message).
async fn refused(sim: &SimHandle, operation: &str, body: &Value) -> (String, String) {
    let (status, answer) = call(sim, operation, body).await;
    assert_eq!(status, 400, "{operation} {body}: {answer}");
    let text = |key: &str| answer[key].as_str().unwrap_or_default().to_string();
    (text("__type"), text("message"))
}

/// The single validation message CreateProject answers `body` with.
async fn violation(sim: &SimHandle, body: &Value) -> String {
    let (kind, message) = refused(sim, "CreateProject", body).await;
    assert_eq!(kind, "InvalidInputException", "{message}");
    message
        .strip_prefix("1 validation error detected: ")
        .unwrap_or_else(|| panic!("one violation: {message}"))
        .to_string()
}

#[tokio::test]
async fn create_project_names_every_missing_required_member() {
    let sim = frozen(Scenario::Empty).await;
    let (kind, message) = refused(&sim, "CreateProject", &json!({})).await;
    assert_eq!(kind, "InvalidInputException");
    let expected: Vec<String> = ["name", "source", "artifacts", "environment", "serviceRole"]
        .iter()
        .map(|m| {
            format!("Value null at '{m}' failed to satisfy constraint: Member must not be null")
        })
        .collect();
    assert_eq!(
        message,
        format!("5 validation errors detected: {}", expected.join("; "))
    );

    let mut body = minimal("app");
    body["environment"] = json!({"type": "LINUX_CONTAINER"});
    body["source"] = json!({"location": "x"});
    let (_, message) = refused(&sim, "CreateProject", &body).await;
    assert!(
        message.starts_with("3 validation errors detected"),
        "{message}"
    );
    for path in [
        "source.type",
        "environment.image",
        "environment.computeType",
    ] {
        assert!(
            message.contains(&format!("Value null at '{path}'")),
            "{message}"
        );
    }
}

#[tokio::test]
async fn project_names_follow_the_models_pattern_and_length() {
    let sim = frozen(Scenario::Empty).await;
    let pattern =
        r"Member must satisfy regular expression pattern: [A-Za-z0-9][A-Za-z0-9\-_]{1,254}";
    for name in ["my app", "-app", "app.v2", "ápp"] {
        let message = violation(&sim, &minimal(name)).await;
        assert_eq!(
            message,
            format!("Value '{name}' at 'name' failed to satisfy constraint: {pattern}")
        );
    }
    let (_, message) = refused(&sim, "CreateProject", &minimal("a")).await;
    assert!(
        message.starts_with("2 validation errors detected"),
        "{message}"
    );
    assert!(message.contains("Member must have length greater than or equal to 2"));
    let long = "a".repeat(151);
    let message = violation(&sim, &minimal(&long)).await;
    assert!(
        message.ends_with("Member must have length less than or equal to 150"),
        "{message}"
    );
    // The longest and shortest names the model allows.
    for name in ["a".repeat(150), "A1".to_string(), "x_-9".to_string()] {
        let (status, answer) = call(&sim, "CreateProject", &minimal(&name)).await;
        assert_eq!(status, 200, "{name}: {answer}");
    }
    assert_eq!(
        listed(&sim).await,
        ["A1".to_string(), "a".repeat(150), "x_-9".to_string()]
    );
}

#[tokio::test]
async fn enums_ranges_and_list_sizes_are_checked_at_their_member_paths() {
    let sim = frozen(Scenario::Empty).await;
    let mut environment = minimal("app")["environment"].clone();
    environment["computeType"] = json!("BUILD_HUGE");
    let message = violation(&sim, &with("environment", environment)).await;
    assert!(
        message.starts_with("Value 'BUILD_HUGE' at 'environment.computeType' failed to satisfy constraint: Member must satisfy enum value set: [BUILD_GENERAL1_SMALL,"),
        "{message}"
    );
    let message = violation(&sim, &with("source", json!({"type": "SVN"}))).await;
    assert!(
        message.starts_with("Value 'SVN' at 'source.type'"),
        "{message}"
    );

    for (member, value, rule) in [
        (
            "timeoutInMinutes",
            4,
            "have value greater than or equal to 5",
        ),
        (
            "timeoutInMinutes",
            2161,
            "have value less than or equal to 2160",
        ),
        (
            "queuedTimeoutInMinutes",
            4,
            "have value greater than or equal to 5",
        ),
        (
            "queuedTimeoutInMinutes",
            481,
            "have value less than or equal to 480",
        ),
    ] {
        let message = violation(&sim, &with(member, json!(value))).await;
        assert_eq!(
            message,
            format!(
                "Value '{value}' at '{member}' failed to satisfy constraint: Member must {rule}"
            )
        );
    }
    for (member, value) in [("timeoutInMinutes", 2160), ("queuedTimeoutInMinutes", 5)] {
        let mut body = with(member, json!(value));
        body["name"] = json!(format!("edge-{member}"));
        let (status, answer) = call(&sim, "CreateProject", &body).await;
        assert_eq!(status, 200, "{answer}");
    }

    let message = violation(&sim, &with("description", json!("d".repeat(256)))).await;
    assert!(message.ends_with("Member must have length less than or equal to 255"));
    let sources: Vec<Value> = (0..13)
        .map(|i| json!({"type": "S3", "location": format!("b/{i}.zip"), "sourceIdentifier": format!("s{i}")}))
        .collect();
    let message = violation(&sim, &with("secondarySources", json!(sources))).await;
    assert!(message.contains("at 'secondarySources'"), "{message}");
    assert!(message.ends_with("Member must have length less than or equal to 12"));
    let groups: Vec<String> = (0..6).map(|i| format!("sg-{i}")).collect();
    let vpc = json!({"vpcId": "vpc-1", "subnets": ["subnet-1"], "securityGroupIds": groups});
    let message = violation(&sim, &with("vpcConfig", vpc)).await;
    assert!(
        message.contains("at 'vpcConfig.securityGroupIds'"),
        "{message}"
    );
    let tags = json!([{"key": "cost#center", "value": "ok"}]);
    let message = violation(&sim, &with("tags", tags)).await;
    assert!(
        message.starts_with("Value 'cost#center' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern"),
        "{message}"
    );
    let tags: Vec<Value> = (0..51)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    let message = violation(&sim, &with("tags", json!(tags))).await;
    assert!(message.ends_with("Member must have length less than or equal to 50"));
    let vars = json!([{"name": "", "value": "x"}]);
    let mut environment = minimal("app")["environment"].clone();
    environment["environmentVariables"] = vars;
    let message = violation(&sim, &with("environment", environment)).await;
    assert!(
        message.contains("at 'environment.environmentVariables.1.member.name'"),
        "{message}"
    );
    assert_eq!(
        listed(&sim).await,
        ["edge-queuedTimeoutInMinutes", "edge-timeoutInMinutes"],
        "a refused request makes nothing"
    );
}

/// The names ListProjects lists, first page.
async fn listed(sim: &SimHandle) -> Vec<String> {
    let (_, page) = call(sim, "ListProjects", &json!({})).await;
    page["projects"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_concurrent_build_limit_must_allow_a_build_and_minus_one_lifts_it() {
    let sim = frozen(Scenario::Empty).await;
    for limit in [0, -1] {
        let (kind, message) = refused(
            &sim,
            "CreateProject",
            &with("concurrentBuildLimit", json!(limit)),
        )
        .await;
        assert_eq!(kind, "InvalidInputException");
        assert!(message.contains("concurrent build limit"), "{message}");
    }
    let (status, _) = call(
        &sim,
        "CreateProject",
        &with("concurrentBuildLimit", json!(1)),
    )
    .await;
    assert_eq!(status, 200);
    let update = |limit: i64| json!({"name": "app", "concurrentBuildLimit": limit});
    let (kind, _) = refused(&sim, "UpdateProject", &update(0)).await;
    assert_eq!(kind, "InvalidInputException");
    let (status, answer) = call(&sim, "UpdateProject", &update(-1)).await;
    assert_eq!(status, 200);
    assert!(answer["project"].get("concurrentBuildLimit").is_none());
}

#[tokio::test]
async fn a_member_of_the_wrong_json_type_is_a_serialization_exception() {
    let sim = frozen(Scenario::Empty).await;
    let (kind, message) = refused(
        &sim,
        "CreateProject",
        &with("timeoutInMinutes", json!("sixty")),
    )
    .await;
    assert_eq!(kind, "SerializationException");
    assert!(message.contains("timeoutInMinutes"), "{message}");
    let (kind, _) = refused(&sim, "CreateProject", &with("tags", json!({"team": "x"}))).await;
    assert_eq!(kind, "SerializationException");
    assert!(listed(&sim).await.is_empty());
}

#[tokio::test]
async fn update_and_delete_validate_their_members_too() {
    let sim = frozen(Scenario::Empty).await;
    let (status, _) = call(&sim, "CreateProject", &minimal("app")).await;
    assert_eq!(status, 200);
    let (kind, message) = refused(&sim, "UpdateProject", &json!({"description": "x"})).await;
    assert_eq!(kind, "InvalidInputException");
    assert_eq!(
        message,
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    );
    let (_, message) = refused(&sim, "UpdateProject", &json!({"name": ""})).await;
    assert!(message.ends_with("Member must have length greater than or equal to 1"));
    let body = json!({"name": "app", "timeoutInMinutes": 2161, "environment": {"type": "LINUX_CONTAINER"}});
    let (kind, message) = refused(&sim, "UpdateProject", &body).await;
    assert_eq!(kind, "InvalidInputException");
    assert!(
        message.starts_with("3 validation errors detected"),
        "{message}"
    );
    // A refused update changes nothing.
    let (_, got) = call(&sim, "BatchGetProjects", &json!({"names": ["app"]})).await;
    assert_eq!(got["projects"][0]["timeoutInMinutes"], 60);

    let (kind, message) = refused(&sim, "DeleteProject", &json!({})).await;
    assert_eq!(kind, "InvalidInputException");
    assert!(message.contains("Value null at 'name'"), "{message}");
    let (kind, _) = refused(&sim, "DeleteProject", &json!({"name": 7})).await;
    assert_eq!(kind, "SerializationException");
    assert_eq!(listed(&sim).await, ["app"]);
}
