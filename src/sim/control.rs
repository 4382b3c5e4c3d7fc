//! `/__sim/*` endpoints for scripts that cannot use the Rust API.

use std::time::Duration;

use serde_json::{json, Value};

use super::clock::epoch;
use super::state::SimState;
use super::Fault;

/// Answers a control request with (status, JSON body).
pub(crate) fn handle(state: &mut SimState, path: &str, body: &[u8]) -> (u16, Value) {
    let parsed = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => Value::Object(map),
            _ => return bad_request("request body must be a JSON object"),
        }
    };
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

fn fault(state: &mut SimState, body: &Value) -> (u16, Value) {
    let count = match body.get("count") {
        None => 1,
        Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => n,
            None => return bad_request("\"count\" must be a non-negative integer"),
        },
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
                 expired_token, reset, malformed, delay_ms, clear",
            )
        }
    };
    state.inject(fault, count);
    (200, json!({"ok": true}))
}
