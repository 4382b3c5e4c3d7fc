//! A CBOR client for the simulator's rpcv2Cbor side, built on minicbor so
//! that it shares nothing with the codec under test: raw requests, bodies
//! to and from JSON values, and the real SDK switched to the protocol.

use std::collections::BTreeSet;

use aws_sdk_codebuild::config::retry::RetryConfig;
use aws_sdk_codebuild::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_codebuild::Client;
use aws_smithy_cbor::protocol::RpcV2CborProtocol;
use cbdash_sim::SimHandle;
use minicbor::data::{Tag, Type};
use minicbor::{Decoder, Encoder};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::sdk::raw_post;

pub const CBOR: &str = "application/cbor";

/// The real CodeBuild client, one attempt per call, speaking rpcv2Cbor
/// instead of awsJson1.1.
pub fn cbor_client(sim: &SimHandle) -> Client {
    let conf = aws_sdk_codebuild::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url(sim.endpoint_url())
        .retry_config(RetryConfig::disabled())
        .protocol(RpcV2CborProtocol::new())
        .build();
    Client::from_conf(conf)
}

/// An HTTP answer: status, lower-cased head, body.
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head
            .lines()
            .find_map(|line| line.strip_prefix(&prefix).map(str::trim))
    }

    /// The body decoded, which must be CBOR.
    pub fn decoded(&self) -> Decoded {
        decode(&self.body)
    }

    /// `__type` and `message` of a CBOR error body.
    pub fn error(&self) -> (String, String) {
        let value = self.decoded().value;
        let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
        (text("__type"), text("message"))
    }
}

/// One raw HTTP/1.1 request with exactly these headers (besides Host,
/// Content-Length and Connection).
pub async fn raw(
    sim: &SimHandle,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(sim.addr())
        .await
        .expect("connect");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        head,
        body: response[split + 4..].to_vec(),
    }
}

/// A well-formed rpcv2Cbor call of `operation` with `body` as it is.
pub async fn post_bytes(sim: &SimHandle, operation: &str, body: &[u8]) -> Answer {
    let path = format!("/service/CodeBuild_20161006/operation/{operation}");
    let headers = [
        ("smithy-protocol", "rpc-v2-cbor"),
        ("Content-Type", CBOR),
        ("Accept", CBOR),
    ];
    raw(sim, "POST", &path, &headers, body).await
}

/// A well-formed rpcv2Cbor call of `operation` with `input` in CBOR.
pub async fn post(sim: &SimHandle, operation: &str, input: &Value) -> Answer {
    post_bytes(sim, operation, &encode(input)).await
}

/// The same call over awsJson1.1: (status, body).
pub async fn post_json(sim: &SimHandle, operation: &str, input: &Value) -> (u16, Value) {
    let target = format!("CodeBuild_20161006.{operation}");
    let (status, _, body) = raw_post(sim, "/", Some(&target), &input.to_string()).await;
    (status, serde_json::from_str(&body).expect("a JSON body"))
}

/// `value` in CBOR, definite lengths, no timestamps.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    write(&mut e, value);
    e.into_writer()
}

fn write(e: &mut Encoder<Vec<u8>>, value: &Value) {
    match value {
        Value::Null => e.null().map(|_| ()),
        Value::Bool(b) => e.bool(*b).map(|_| ()),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => e.u64(u).map(|_| ()),
            (_, Some(i)) => e.i64(i).map(|_| ()),
            _ => e.f64(n.as_f64().unwrap()).map(|_| ()),
        },
        Value::String(s) => e.str(s).map(|_| ()),
        Value::Array(items) => {
            e.array(items.len() as u64).unwrap();
            items.iter().for_each(|v| write(e, v));
            Ok(())
        }
        Value::Object(map) => {
            e.map(map.len() as u64).unwrap();
            for (k, v) in map {
                e.str(k).unwrap();
                write(e, v);
            }
            Ok(())
        }
    }
    .unwrap();
}

/// A CBOR body as JSON, and the paths (`/builds/0/startTime`) of every
/// tag-1 timestamp in it, each read as its epoch seconds.
#[derive(Debug)]
pub struct Decoded {
    pub value: Value,
    pub timestamps: BTreeSet<String>,
}

pub fn decode(bytes: &[u8]) -> Decoded {
    let mut d = Decoder::new(bytes);
    let mut timestamps = BTreeSet::new();
    let value = read(&mut d, "", &mut timestamps);
    assert_eq!(d.position(), bytes.len(), "one item fills the body");
    Decoded { value, timestamps }
}

fn read(d: &mut Decoder<'_>, path: &str, timestamps: &mut BTreeSet<String>) -> Value {
    match d.datatype().expect("an item") {
        Type::Null | Type::Undefined => {
            d.skip().unwrap();
            Value::Null
        }
        Type::Bool => Value::Bool(d.bool().unwrap()),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Value::from(d.u64().unwrap()),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 => Value::from(d.i64().unwrap()),
        Type::F16 | Type::F32 | Type::F64 => Value::from(d.f64().unwrap()),
        Type::String => Value::from(d.str().unwrap()),
        Type::Array => {
            let n = d.array().unwrap().expect("definite");
            (0..n)
                .map(|i| read(d, &format!("{path}/{i}"), timestamps))
                .collect()
        }
        Type::Map => {
            let n = d.map().unwrap().expect("definite");
            let mut map = serde_json::Map::new();
            for _ in 0..n {
                let key = d.str().expect("text keys").to_string();
                let value = read(d, &format!("{path}/{key}"), timestamps);
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Type::Tag => {
            assert_eq!(d.tag().unwrap(), Tag::new(1), "only timestamps are tagged");
            timestamps.insert(path.to_string());
            match d.datatype().unwrap() {
                Type::F16 | Type::F32 | Type::F64 => Value::from(d.f64().unwrap()),
                _ => Value::from(d.i64().unwrap()),
            }
        }
        other => panic!("the simulator sends no {other} at {path}"),
    }
}

/// Every path in a JSON answer whose member is a timestamp in CodeBuild's
/// model, as far as these tests' answers go.
pub fn timestamp_paths(value: &Value) -> BTreeSet<String> {
    const NAMES: &[&str] = &["startTime", "endTime", "created", "lastModified"];
    let mut paths = BTreeSet::new();
    walk(value, "", &mut |path, key, v| {
        if NAMES.contains(&key) && v.is_number() {
            paths.insert(path.to_string());
        }
    });
    paths
}

fn walk(value: &Value, path: &str, visit: &mut dyn FnMut(&str, &str, &Value)) {
    match value {
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{path}/{i}"), visit);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{path}/{k}");
                visit(&here, k, v);
                walk(v, &here, visit);
            }
        }
        _ => {}
    }
}
