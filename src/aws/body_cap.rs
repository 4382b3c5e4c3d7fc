//! Every response body read through a length limit: an endless or huge
//! answer ends the attempt with a clear error instead of filling memory.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// Bytes of one response body read at most, unless configured otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// The error a response body past its limit ends with.
#[derive(Debug, Clone, Copy)]
pub struct ResponseTooLarge {
    pub service: &'static str,
    pub limit: u64,
}

impl std::fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "response from {} larger than {}: stopped reading",
            self.service,
            size(self.limit)
        )
    }
}

impl std::error::Error for ResponseTooLarge {}

fn size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes % MB == 0 {
        format!("{} MB", bytes / MB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Limits every response body of a client to `limit` bytes: the body is
/// wrapped before the SDK reads it, so reading stops at the limit.
#[derive(Debug)]
pub struct BodyCap {
    pub service: &'static str,
    pub limit: u64,
}

impl Intercept for BodyCap {
    fn name(&self) -> &'static str {
        "BodyCap"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let too_large = ResponseTooLarge {
            service: self.service,
            limit: self.limit,
        };
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let response = context.response_mut();
        let body = response.take_body();
        let limited = Limited::new(body, limit).map_err(move |e| {
            if e.is::<LengthLimitError>() {
                Box::new(too_large) as BoxError
            } else {
                e
            }
        });
        *response.body_mut() = SdkBody::from_body_1_x(limited);
        Ok(())
    }
}
