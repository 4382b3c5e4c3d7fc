//! The protocol a request came in, and so its answer goes out in: how each
//! reads a body and writes an answer, an error or a fault.

use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Bytes, Frame};
use hyper::header::HeaderValue;
use hyper::Response;
use serde_json::{Map, Value};

use super::faults::JSON_CONTENT_TYPE;
use super::input::ApiError;
use super::rpcv2;
use super::server::{endless, headers, respond, respond_bytes, HttpResponse};

/// The protocol a request came in, and so its answer goes out in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Wire {
    Json,
    /// `echo`: the request named the protocol, so the answer names it too.
    Cbor {
        echo: bool,
    },
}

impl Wire {
    /// The request body; an empty one is read as `{}` (the SDKs always
    /// send one).
    pub(crate) fn parse(self, bytes: &[u8]) -> Result<Value, String> {
        match self {
            Wire::Json if bytes.is_empty() => Ok(Value::Object(Map::new())),
            Wire::Json => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
            Wire::Cbor { .. } => rpcv2::parse(bytes),
        }
    }

    pub(crate) fn malformed(self, reason: &str) -> ApiError {
        match self {
            Wire::Json => {
                ApiError::serialization(format!("Request body is not valid JSON: {reason}"))
            }
            Wire::Cbor { .. } => {
                ApiError::serialization(format!("Request body is not valid CBOR: {reason}"))
            }
        }
    }

    pub(crate) fn not_an_object(self) -> ApiError {
        match self {
            Wire::Json => ApiError::serialization("Request body must be a JSON object"),
            Wire::Cbor { .. } => ApiError::serialization("Request body must be a CBOR map"),
        }
    }

    /// An operation's output or error, encoded.
    pub(crate) fn answer(
        self,
        result: Result<Value, ApiError>,
        request_id: String,
    ) -> HttpResponse {
        let (status, body) = match (self, result) {
            (Wire::Json, Ok(value)) => (200, value.to_string().into_bytes()),
            (Wire::Json, Err(error)) => (error.status, error.body().to_string().into_bytes()),
            (Wire::Cbor { .. }, Ok(value)) => (200, rpcv2::output(&value)),
            (Wire::Cbor { .. }, Err(error)) => (error.status, rpcv2::error_body(&error)),
        };
        let content_type = match self {
            Wire::Json => JSON_CONTENT_TYPE,
            Wire::Cbor { .. } => rpcv2::CBOR_CONTENT_TYPE,
        };
        self.respond(status, content_type, body, Some(request_id))
    }

    /// A fault's answer, transcoded for CBOR requests.
    pub(crate) fn fault(
        self,
        status: u16,
        content_type: &'static str,
        body: String,
        request_id: String,
    ) -> HttpResponse {
        match self {
            Wire::Json => respond(status, content_type, body, Some(request_id)),
            Wire::Cbor { .. } => {
                let (content_type, bytes) = rpcv2::fault_body(content_type, body);
                self.respond(status, content_type, bytes, Some(request_id))
            }
        }
    }

    pub(crate) fn respond(
        self,
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
        request_id: Option<String>,
    ) -> HttpResponse {
        let mut response = respond_bytes(status, content_type, body, request_id);
        self.mark(&mut response, content_type);
        response
    }

    /// CBOR answers say their protocol when the request named it; a
    /// gateway's page does not.
    fn mark(self, response: &mut HttpResponse, content_type: &str) {
        if self == (Wire::Cbor { echo: true }) && content_type == rpcv2::CBOR_CONTENT_TYPE {
            response
                .headers_mut()
                .insert(rpcv2::HEADER, HeaderValue::from_static(rpcv2::PROTOCOL));
        }
    }

    pub(crate) fn endless(self, request_id: String) -> HttpResponse {
        match self {
            Wire::Json => endless(Some(request_id)),
            Wire::Cbor { .. } => {
                let mut response = endless_cbor(Some(request_id));
                self.mark(&mut response, rpcv2::CBOR_CONTENT_TYPE);
                response
            }
        }
    }
}

/// The same in CBOR: a map and an array of indefinite length that never
/// break.
fn endless_cbor(request_id: Option<String>) -> HttpResponse {
    let head = Bytes::from(rpcv2::endless_head());
    let chunk = Bytes::from(rpcv2::endless_repeat());
    let chunks = std::iter::once(head).chain(std::iter::repeat(chunk));
    let frames = futures_util::stream::iter(chunks.map(|b| Ok(Frame::data(b))));
    let mut response = Response::new(StreamBody::new(frames).boxed());
    headers(&mut response, rpcv2::CBOR_CONTENT_TYPE, request_id);
    response
}
