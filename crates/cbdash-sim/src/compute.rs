//! What a compute type gives a build: memory and vCPUs (Linux
//! containers, general purpose). Anything else counts as SMALL.

use super::build::Settings;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Capacity {
    pub memory_mb: f64,
    pub vcpus: f64,
}

const SMALL: Capacity = Capacity {
    memory_mb: 3072.0,
    vcpus: 2.0,
};

pub(crate) fn capacity(compute_type: &str) -> Capacity {
    let (memory_mb, vcpus) = match compute_type {
        "BUILD_GENERAL1_MEDIUM" => (7168.0, 4.0),
        "BUILD_GENERAL1_LARGE" => (15360.0, 8.0),
        "BUILD_GENERAL1_XLARGE" => (73728.0, 36.0),
        "BUILD_GENERAL1_2XLARGE" => (148_480.0, 72.0),
        _ => return SMALL,
    };
    Capacity { memory_mb, vcpus }
}

impl Settings {
    /// The capacity of the compute type the build runs on (StartBuild's
    /// computeTypeOverride included).
    pub fn capacity(&self) -> Capacity {
        let kind = self
            .environment
            .get("computeType")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        capacity(kind)
    }
}
