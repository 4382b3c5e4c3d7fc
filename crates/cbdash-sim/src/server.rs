//! The HTTP side: awsJson1.1 and rpcv2Cbor requests in, responses (or
//! faults) out, in the protocol the request came in.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};

use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::catalog::Place;
use super::clock::SimClock;
use super::control;
use super::faults::{self, Reply, Service, JSON_CONTENT_TYPE};
use super::input::ApiError;
use super::logs;
use super::metrics;
use super::ops::{dispatch, OPERATIONS};
use super::rpcv2;
use super::state::{world_seed, SimState};
use super::sts;
use super::wire::Wire;
use super::{Fault, SimConfig};

const TARGET_PREFIX: &str = "CodeBuild_20161006.";
const CONTROL_PREFIX: &str = "/__sim/";
/// Far above any real request; guards memory against a runaway client.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// One world per (account, region), each behind its own lock.
pub(crate) type World = Arc<Mutex<SimState>>;

pub(crate) struct Shared {
    cfg: SimConfig,
    /// Every world's clock.
    clock: Arc<SimClock>,
    worlds: Mutex<HashMap<Place, World>>,
    pub shutdown: watch::Sender<bool>,
}

/// A world's state stays usable even if a panic poisoned its lock.
pub(crate) fn lock(world: &Mutex<SimState>) -> MutexGuard<'_, SimState> {
    world
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    /// The simulator with its default world built.
    pub fn new(cfg: SimConfig, shutdown: watch::Sender<bool>) -> Shared {
        let clock = Arc::new(SimClock::new(cfg.speed));
        let place = Place::default();
        let state = SimState::new(&cfg, place.clone(), cfg.seed, Arc::clone(&clock));
        let worlds = HashMap::from([(place, Arc::new(Mutex::new(state)))]);
        Shared {
            cfg,
            clock,
            worlds: Mutex::new(worlds),
            shutdown,
        }
    }

    /// The world at `place`, built on first use with its own seed.
    pub fn world(&self, place: &Place) -> World {
        let mut worlds = self
            .worlds
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let world = worlds.entry(place.clone()).or_insert_with(|| {
            let seed = world_seed(self.cfg.seed, place);
            let state = SimState::new(&self.cfg, place.clone(), seed, Arc::clone(&self.clock));
            Arc::new(Mutex::new(state))
        });
        Arc::clone(world)
    }

    /// How many worlds have been built so far.
    pub fn world_count(&self) -> usize {
        self.worlds
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }
}

/// Returned by the service to make hyper drop the connection unanswered.
#[derive(Debug)]
struct ConnectionReset;

impl std::fmt::Display for ConnectionReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by fault injection")
    }
}

impl std::error::Error for ConnectionReset {}

pub(crate) type HttpResponse = Response<BoxBody<Bytes, Infallible>>;

pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut shutdown = shared.shutdown.subscribe();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.wait_for(|stop| *stop) => break,
        };
        // Accept errors (e.g. out of file descriptors) are transient.
        let Ok((stream, _)) = accepted else {
            continue;
        };
        let shared = Arc::clone(&shared);
        let mut stop = shared.shutdown.subscribe();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&shared), req));
            let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = stop.wait_for(|stop| *stop) => {}
            }
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<HttpResponse, ConnectionReset> {
    let (parts, body) = req.into_parts();
    let bytes = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let error = ApiError::serialization("Request body is too large or was cut off");
            if rpcv2::claims(parts.uri.path(), &parts.headers) {
                let wire = Wire::Cbor {
                    echo: rpcv2::names_protocol(&parts.headers),
                };
                let body = rpcv2::error_body(&error);
                return Ok(wire.respond(error.status, rpcv2::CBOR_CONTENT_TYPE, body, None));
            }
            return Ok(respond(
                error.status,
                JSON_CONTENT_TYPE,
                error.body().to_string(),
                None,
            ));
        }
    };
    let path = parts.uri.path();
    let signed = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(place_from_authorization);
    if path.starts_with(CONTROL_PREFIX) {
        if parts.method != Method::POST {
            return Ok(respond(
                405,
                "application/json",
                "{\"message\":\"use POST\"}".into(),
                None,
            ));
        }
        let (status, body) = control::handle(&shared, signed, path, &bytes);
        return Ok(respond(status, "application/json", body.to_string(), None));
    }
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let place = signed.unwrap_or_default();
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if rpcv2::claims(path, &parts.headers) {
        let world = shared.world(&place);
        return cbor_call(&world, &parts, &bytes).await;
    }
    if target.is_empty() && sts::is_query(content_type) {
        return Ok(caller_identity(&shared, &place, &bytes));
    }
    let world = shared.world(&place);
    api(&world, route(target), &bytes).await
}

/// An rpcv2Cbor request: a CodeBuild operation, known or not, or a
/// request the protocol refuses before any operation (logged like one).
async fn cbor_call(
    world: &Mutex<SimState>,
    parts: &hyper::http::request::Parts,
    bytes: &[u8],
) -> Result<HttpResponse, ConnectionReset> {
    let wire = Wire::Cbor {
        echo: rpcv2::names_protocol(&parts.headers),
    };
    match rpcv2::route(&parts.method, parts.uri.path(), &parts.headers, bytes) {
        Ok((service, operation)) => {
            let known = match service {
                Service::Metrics => metrics::OPERATIONS.contains(&operation),
                _ => OPERATIONS.contains(&operation),
            };
            let unknown = (!known).then(|| {
                rpcv2::unknown_operation(format!(
                    "The operation {operation:?} is not supported by this service"
                ))
            });
            let call = Call {
                service,
                operation,
                unknown,
                wire,
            };
            api(world, call, bytes).await
        }
        Err((operation, error)) => {
            let mut state = lock(world);
            state.record(operation.to_string(), Value::Null, error.status);
            let request_id = state.request_id();
            let body = rpcv2::error_body(&error);
            let mut response = wire.respond(
                error.status,
                rpcv2::CBOR_CONTENT_TYPE,
                body,
                Some(request_id),
            );
            if rpcv2::names_metrics(parts.uri.path()) {
                cloudwatch(&mut response, wire, Some(error.code), error.status);
            }
            Ok(response)
        }
    }
}

/// STS: the account of the key that signed, recorded like every call.
fn caller_identity(shared: &Shared, place: &Place, bytes: &[u8]) -> HttpResponse {
    let world = shared.world(place);
    let mut state = lock(&world);
    let request_id = state.request_id();
    let (status, operation, body) = sts::answer(place, bytes, &request_id);
    state.record(operation, Value::Null, status);
    respond(status, sts::XML_CONTENT_TYPE, body, Some(request_id))
}

/// The world a SigV4 `Authorization` header is signed for: the region of
/// its credential scope and the account in its access key id (see
/// [`account_from_access_key`]). None when the header does not parse.
pub(crate) fn place_from_authorization(header: &str) -> Option<Place> {
    let rest = header.strip_prefix("AWS4-HMAC-SHA256")?;
    let credential = rest.split(',').find_map(|part| {
        part.trim()
            .strip_prefix("Credential=")
            .map(|c| c.trim().to_string())
    })?;
    // AKID/20261202/eu-west-1/codebuild/aws4_request
    let mut scope = credential.split('/');
    let key = scope.next()?;
    let _date = scope.next()?;
    let region = scope.next()?;
    let valid_region = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if key.is_empty() || !valid_region {
        return None;
    }
    Some(Place {
        account: account_from_access_key(key),
        region: region.to_string(),
    })
}

/// The first run of exactly twelve digits in the key is its account
/// (`AKIA111122223333ABCD` is in 111122223333); a key without one is in
/// the default account.
pub(crate) fn account_from_access_key(key: &str) -> String {
    let bytes = key.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 12 {
            return key[i..i + 12].to_string();
        }
        i += run.max(1);
    }
    Place::default().account
}

/// One request on its way to an operation.
struct Call<'a> {
    service: Service,
    operation: &'a str,
    /// What an operation that is not served answers.
    unknown: Option<ApiError>,
    wire: Wire,
}

/// The awsJson call a target names; an unknown target counts as a
/// CodeBuild request (and is refused as an unknown operation).
fn route(target: &str) -> Call<'_> {
    let (service, operation, known) = if let Some(op) = target.strip_prefix(TARGET_PREFIX) {
        (Service::CodeBuild, op, OPERATIONS.contains(&op))
    } else if let Some(op) = target.strip_prefix(logs::TARGET_PREFIX) {
        (Service::Logs, op, logs::OPERATIONS.contains(&op))
    } else if let Some(op) = target.strip_prefix(metrics::TARGET_PREFIX) {
        (Service::Metrics, op, metrics::OPERATIONS.contains(&op))
    } else {
        (Service::CodeBuild, target, false)
    };
    Call {
        service,
        operation,
        unknown: (!known).then(|| ApiError::unknown_operation(target)),
        wire: Wire::Json,
    }
}

/// A CodeBuild or CloudWatch Logs request: both share the endpoint, the
/// injected faults and the request log, whichever protocol they come in.
async fn api(
    world: &Mutex<SimState>,
    call: Call<'_>,
    bytes: &[u8],
) -> Result<HttpResponse, ConnectionReset> {
    let Call {
        service,
        operation,
        unknown,
        wire,
    } = call;
    let parsed = wire.parse(bytes);
    let recorded = match (&parsed, bytes.is_empty()) {
        (Ok(value), false) => value.clone(),
        _ => Value::Null,
    };

    let (fault, place) = {
        let mut state = lock(world);
        (state.take_fault(operation, &recorded), state.place.clone())
    };
    match &fault {
        Some(Fault::Delay(pause)) => tokio::time::sleep(*pause).await,
        Some(fault) => match faults::reply(&place, fault, service, operation, &recorded) {
            Some(Reply::Reset) => {
                lock(world).record(operation.to_string(), recorded, 0);
                return Err(ConnectionReset);
            }
            Some(Reply::Endless) => {
                let mut state = lock(world);
                state.record(operation.to_string(), recorded, 200);
                let request_id = state.request_id();
                return Ok(wire.endless(request_id));
            }
            Some(Reply::Answer {
                status,
                content_type,
                body,
            }) => {
                let mut state = lock(world);
                state.record(operation.to_string(), recorded, status);
                let request_id = state.request_id();
                let code = fault_code(&body);
                let mut response = wire.fault(status, content_type, body, request_id);
                if service == Service::Metrics {
                    cloudwatch(&mut response, wire, code.as_deref(), status);
                }
                return Ok(response);
            }
            None => {}
        },
        None => {}
    }

    let mut state = lock(world);
    let result = match (unknown, parsed) {
        (Some(error), _) => Err(error),
        (None, Ok(Value::Object(map))) => match service {
            Service::CodeBuild => dispatch(&mut state, operation, &map),
            Service::Logs => logs::dispatch(&mut state, operation, &map),
            Service::Metrics => metrics::dispatch(&mut state, operation, &map),
        },
        (None, Ok(_)) => Err(wire.not_an_object()),
        (None, Err(reason)) => Err(wire.malformed(&reason)),
    };
    let status = match &result {
        Ok(_) => 200,
        Err(error) => error.status,
    };
    state.record(operation.to_string(), recorded, status);
    let request_id = state.request_id();
    drop(state);
    let code = result.as_ref().err().map(|e| e.code.to_string());
    let mut response = wire.answer(result, request_id);
    if service == Service::Metrics {
        cloudwatch(&mut response, wire, code.as_deref(), status);
    }
    Ok(response)
}

/// The `__type` of a fault's JSON body, if it has one.
fn fault_code(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    value.get("__type")?.as_str().map(String::from)
}

/// What CloudWatch's answers carry beyond the shared ones: awsJson 1.0's
/// content type, and on errors the awsQuery code it is compatible with.
fn cloudwatch(response: &mut HttpResponse, wire: Wire, code: Option<&str>, status: u16) {
    let headers = response.headers_mut();
    let is_json = headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v == JSON_CONTENT_TYPE);
    if wire == Wire::Json && is_json {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(metrics::JSON_CONTENT_TYPE),
        );
    }
    if let Some(value) = code
        .filter(|_| status >= 400)
        .and_then(|c| HeaderValue::from_str(&metrics::query_error(c, status)).ok())
    {
        headers.insert("x-amzn-query-error", value);
    }
}

pub(crate) fn respond(
    status: u16,
    content_type: &'static str,
    body: String,
    request_id: Option<String>,
) -> HttpResponse {
    respond_bytes(status, content_type, body.into_bytes(), request_id)
}

pub(crate) fn respond_bytes(
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    request_id: Option<String>,
) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)).boxed());
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    headers(&mut response, content_type, request_id);
    response
}

/// A 200 whose chunks of `{"ids":["…",` never end: what a broken proxy or
/// a hostile endpoint may send.
pub(crate) fn endless(request_id: Option<String>) -> HttpResponse {
    let chunk = Bytes::from(format!("{{\"ids\":[{}", "\"x\",".repeat(16 * 1024)));
    let frames = futures_util::stream::repeat_with(move || Ok(Frame::data(chunk.clone())));
    let mut response = Response::new(StreamBody::new(frames).boxed());
    headers(&mut response, JSON_CONTENT_TYPE, request_id);
    response
}

pub(crate) fn headers(
    response: &mut HttpResponse,
    content_type: &'static str,
    request_id: Option<String>,
) {
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert("x-amzn-requestid", id);
    }
}
