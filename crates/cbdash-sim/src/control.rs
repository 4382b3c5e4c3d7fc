//! `/__sim/*` endpoints for scripts that cannot use the Rust API.

use std::time::Duration;

use serde_json::{json, Value};

use super::catalog::Place;
use super::clock::epoch;
use super::server::{lock, Shared};
use super::state::SimState;
use super::{Fault, FaultScope};

/// Answers a control request with (status, JSON body). It acts on the
/// world its body names with "account" and "region", else on the one its
/// Authorization header is signed for, else on the default world.
pub(crate) fn handle(
    shared: &Shared,
    signed: Option<Place>,
    path: &str,
    body: &[u8],
) -> (u16, Value) {
    let parsed = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => Value::Object(map),
            _ => return bad_request("request body must be a JSON object"),
        }
    };
    let mut place = signed.unwrap_or_default();
    for (key, field) in [
        ("account", &mut place.account),
        ("region", &mut place.region),
    ] {
        match parsed.get(key) {
            None => {}
            Some(Value::String(value)) if !value.is_empty() => *field = value.clone(),
            Some(_) => return bad_request(&format!("\"{key}\" must be a non-empty string")),
        }
    }
    let world = shared.world(&place);
    let state = &mut lock(&world);
    match path {
        "/__sim/fault" => fault(state, &parsed),
        "/__sim/advance" => match parsed.get("secs").and_then(Value::as_f64) {
            Some(secs) if secs.is_finite() && secs >= 0.0 => {
                state.advance(secs);
                (200, json!({"ok": true, "now": epoch(state.now())}))
            }
            _ => bad_request("\"secs\" must be a non-negative number"),
        },
        _ => (
            404,
            json!({"message": format!("unknown control endpoint {path}; use /__sim/fault or /__sim/advance")}),
        ),
    }
}

fn bad_request(message: &str) -> (u16, Value) {
    (400, json!({ "message": message }))
}

/// An optional string member of the fault request.
fn scope_member(body: &Value, key: &str) -> Result<Option<String>, (u16, Value)> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(bad_request(&format!(
            "\"{key}\" must be a non-empty string"
        ))),
    }
}

fn fault(state: &mut SimState, body: &Value) -> (u16, Value) {
    let persistent = match body.get("persistent") {
        None => false,
        Some(v) => match v.as_bool() {
            Some(b) => b,
            None => return bad_request("\"persistent\" must be true or false"),
        },
    };
    let count = match body.get("count") {
        _ if persistent => u32::MAX,
        None => 1,
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => n,
            None => return bad_request("\"count\" must be a non-negative integer"),
        },
    };
    let scope = match (
        scope_member(body, "operation"),
        scope_member(body, "project"),
    ) {
        (Ok(operation), Ok(project)) => FaultScope { operation, project },
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let name = body
        .get("fault")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let fault = match name {
        "throttle" => Fault::Throttle,
        "server_error" => Fault::ServerError,
        "access_denied" => Fault::AccessDenied,
        "expired_token" => Fault::ExpiredToken,
        "reset" => Fault::Reset,
        "malformed" => Fault::Malformed,
        "endless_body" => Fault::EndlessBody,
        "delay_ms" => match body.get("delay_ms").and_then(Value::as_u64) {
            Some(ms) => Fault::Delay(Duration::from_millis(ms)),
            None => return bad_request("\"delay_ms\" must be a non-negative integer"),
        },
        "clear" => {
            state.clear_faults();
            return (200, json!({"ok": true}));
        }
        _ => {
            return bad_request(
                "\"fault\" must be one of throttle, server_error, access_denied, \
                 expired_token, reset, malformed, endless_body, delay_ms, clear",
            )
        }
    };
    state.inject(fault, scope, count);
    (200, json!({"ok": true}))
}
