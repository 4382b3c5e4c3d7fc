//! rpcv2Cbor answers what awsJson1.1 answers: the same members and values
//! for the same world, timestamps as tag 1, whatever encoding the request
//! uses.

use serde_json::{json, Value};

use super::cbor_client::{decode, post, post_bytes, post_json, timestamp_paths, CBOR};
use super::sdk::{demo, quiet};

/// JSON members that are null are left out of CBOR.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn list_projects_answers_as_json_does() {
    let sim = demo(7).await;
    let input = json!({"sortBy": "NAME", "sortOrder": "DESCENDING"});
    let answer = post(&sim, "ListProjects", &input).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some(CBOR));
    assert_eq!(answer.header("smithy-protocol"), Some("rpc-v2-cbor"));
    let (status, json) = post_json(&sim, "ListProjects", &input).await;
    assert_eq!(status, 200);
    let names = json["projects"].as_array().unwrap();
    assert!(names.len() >= 7, "{json}");
    assert_eq!(answer.decoded().value, without_nulls(&json));
}

#[tokio::test]
async fn batch_get_builds_answers_as_json_does_with_tagged_timestamps() {
    let sim = demo(7).await;
    let (_, page) = post_json(&sim, "ListBuilds", &json!({})).await;
    let mut ids: Vec<Value> = page["ids"].as_array().unwrap().clone();
    assert_eq!(ids.len(), 100);
    ids.truncate(99);
    ids.push(json!("web-frontend:00000000-0000-0000-0000-000000000000"));
    let input = json!({ "ids": ids });

    let answer = post(&sim, "BatchGetBuilds", &input).await;
    assert_eq!(answer.status, 200);
    let (_, json) = post_json(&sim, "BatchGetBuilds", &input).await;
    assert_eq!(json["builds"].as_array().unwrap().len(), 99);
    assert_eq!(json["buildsNotFound"].as_array().unwrap().len(), 1);

    let decoded = answer.decoded();
    assert_eq!(decoded.value, without_nulls(&json));
    // Every startTime and endTime, the builds' and their phases', is a
    // tag-1 timestamp, and nothing else is.
    assert_eq!(decoded.timestamps, timestamp_paths(&json));
    assert!(decoded.timestamps.contains("/builds/0/startTime"));
    assert!(decoded.timestamps.contains("/builds/0/phases/0/startTime"));
    assert!(decoded.timestamps.contains("/builds/98/endTime"));
    assert!(!decoded.timestamps.contains("/builds/0/buildNumber"));
}

#[tokio::test]
async fn batch_get_projects_tags_created_and_last_modified() {
    let sim = demo(7).await;
    let input = json!({"names": ["web-frontend", "api-service", "nope"]});
    let answer = post(&sim, "BatchGetProjects", &input).await;
    assert_eq!(answer.status, 200);
    let (_, json) = post_json(&sim, "BatchGetProjects", &input).await;
    let decoded = answer.decoded();
    assert_eq!(decoded.value, without_nulls(&json));
    assert_eq!(decoded.timestamps, timestamp_paths(&json));
    assert!(decoded.timestamps.contains("/projects/0/created"));
    assert!(decoded.timestamps.contains("/projects/1/lastModified"));
    assert_eq!(json["projectsNotFound"], json!(["nope"]));
}

#[tokio::test]
async fn start_build_over_cbor_is_the_build_json_then_reads() {
    let sim = quiet().await;
    let input = json!({
        "projectName": "web-frontend",
        "sourceVersion": "feature/cbor",
        "environmentVariablesOverride": [
            {"name": "STAGE", "value": "test", "type": "PLAINTEXT"}
        ],
        "timeoutInMinutesOverride": 30,
    });
    let answer = post(&sim, "StartBuild", &input).await;
    assert_eq!(answer.status, 200);
    let started = answer.decoded();
    let build = &started.value["build"];
    let id = build["id"].as_str().unwrap();
    assert!(id.starts_with("web-frontend:"), "{id}");
    assert_eq!(build["sourceVersion"], "feature/cbor");
    assert_eq!(build["timeoutInMinutes"], 30);
    assert!(started.timestamps.contains("/build/startTime"));

    // The clock is frozen: JSON reads the very build CBOR started.
    let (_, json) = post_json(&sim, "BatchGetBuilds", &json!({"ids": [id]})).await;
    assert_eq!(build, &without_nulls(&json["builds"][0]));
    assert_eq!(
        started.timestamps,
        timestamp_paths(&json!({"build": json["builds"][0]}))
    );
}

#[tokio::test]
async fn indefinite_lengths_chunks_and_half_floats_read_as_definite_ones() {
    let sim = demo(7).await;
    let (_, page) = post_json(&sim, "ListBuilds", &json!({})).await;
    let ids: Vec<&str> = page["ids"].as_array().unwrap()[..3]
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // {_ "ids": [_ (_ "<id>" in two chunks), ...], "unknownMember": 1.5 (half)}
    let mut body = vec![0xbf, 0x63];
    body.extend(b"ids");
    body.push(0x9f);
    for id in &ids {
        let (a, b) = id.split_at(5);
        body.push(0x7f);
        for chunk in [a, b] {
            body.push(0x78);
            body.push(chunk.len() as u8);
            body.extend(chunk.as_bytes());
        }
        body.push(0xff);
    }
    body.push(0xff);
    body.push(0x6d);
    body.extend(b"unknownMember");
    body.extend([0xf9, 0x3e, 0x00]);
    body.push(0xff);

    let answer = post_bytes(&sim, "BatchGetBuilds", &body).await;
    assert_eq!(answer.status, 200, "{:?}", answer.error());
    let definite = post(&sim, "BatchGetBuilds", &json!({ "ids": ids })).await;
    let value = answer.decoded().value;
    assert_eq!(value, definite.decoded().value);
    let found: Vec<&str> = value["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(found, ids);
}

#[tokio::test]
async fn tag_one_request_values_read_as_epoch_seconds() {
    let sim = quiet().await;
    // {"projectName": "web-frontend", "notBefore": 1(1700000000.5)}: an
    // unknown member the service ignores; the request log shows how it read.
    let mut body = vec![0xa2, 0x6b];
    body.extend(b"projectName");
    body.push(0x6c);
    body.extend(b"web-frontend");
    body.push(0x69);
    body.extend(b"notBefore");
    body.push(0xc1);
    body.push(0xfb);
    body.extend(1_700_000_000.5f64.to_be_bytes());
    let answer = post_bytes(&sim, "StartBuild", &body).await;
    assert_eq!(answer.status, 200, "{:?}", answer.error());
    let logged = sim.requests().pop().unwrap();
    assert_eq!(logged.operation, "StartBuild");
    assert_eq!(
        logged.body,
        json!({"projectName": "web-frontend", "notBefore": 1_700_000_000.5})
    );
    // An integer under tag 1 is as good.
    let mut body = vec![0xa2, 0x6b];
    body.extend(b"projectName");
    body.push(0x6c);
    body.extend(b"web-frontend");
    body.push(0x69);
    body.extend(b"notBefore");
    body.extend([0xc1, 0x1a, 0x65, 0x53, 0xf1, 0x00]);
    assert_eq!(post_bytes(&sim, "StartBuild", &body).await.status, 200);
    let logged = sim.requests().pop().unwrap();
    assert_eq!(logged.body["notBefore"], json!(1_700_000_000));
    assert_eq!(
        decode(&answer.body).value["build"]["projectName"],
        "web-frontend"
    );
}
