//! The sim clock, kept in epoch milliseconds.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

/// A frozen clock starts at a fixed instant (2024-11-23T12:00:00Z) so that
/// two runs with the same seed produce byte-identical responses.
const FROZEN_EPOCH_MS: i64 = 1_732_363_200_000;

/// One clock for every world of a simulator, so they all share sim now.
#[derive(Debug)]
pub(crate) struct SimClock {
    anchor_ms: i64,
    offset_ms: AtomicI64,
    speed: f64,
    started: Instant,
}

impl SimClock {
    pub fn new(speed: f64) -> Self {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            0.0
        };
        let anchor_ms = if speed == 0.0 {
            FROZEN_EPOCH_MS
        } else {
            Utc::now().timestamp_millis()
        };
        SimClock {
            anchor_ms,
            offset_ms: AtomicI64::new(0),
            speed,
            started: Instant::now(),
        }
    }

    pub fn now_ms(&self) -> i64 {
        let running = self.started.elapsed().as_secs_f64() * 1000.0 * self.speed;
        self.anchor_ms + self.offset_ms.load(Ordering::Relaxed) + running as i64
    }

    /// Time only moves forward; negative or non-finite steps are ignored.
    pub fn advance(&self, secs: f64) {
        if secs.is_finite() && secs > 0.0 {
            let step = (secs * 1000.0).round() as i64;
            self.offset_ms.fetch_add(step, Ordering::Relaxed);
        }
    }
}

pub(crate) fn to_datetime(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// awsJson timestamps: epoch seconds as a number with a fractional part.
pub(crate) fn epoch(ms: i64) -> Value {
    Value::from(ms as f64 / 1000.0)
}

pub(crate) const SECOND: i64 = 1000;
pub(crate) const MINUTE: i64 = 60 * SECOND;
pub(crate) const HOUR: i64 = 60 * MINUTE;
pub(crate) const DAY: i64 = 24 * HOUR;
