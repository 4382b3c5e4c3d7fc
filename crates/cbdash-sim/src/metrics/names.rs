//! The metrics CodeBuild publishes per build, and the dimensions that
//! name one build's metric.

use super::super::build::Build;
use super::super::catalog::Place;
use super::series::Sample;

pub(crate) const NAMESPACE: &str = "AWS/CodeBuild";

/// What a metric measures, and its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Metric {
    CpuUtilized,
    CpuUtilizedPercent,
    MemoryUtilized,
    MemoryUtilizedPercent,
    StorageReadBytes,
    StorageWriteBytes,
}

pub(crate) const METRICS: [Metric; 6] = [
    Metric::CpuUtilized,
    Metric::CpuUtilizedPercent,
    Metric::MemoryUtilized,
    Metric::MemoryUtilizedPercent,
    Metric::StorageReadBytes,
    Metric::StorageWriteBytes,
];

/// The dimension names, all three on every metric, in the order
/// ListMetrics lists them.
pub(crate) const DIMENSIONS: [&str; 3] = ["BuildId", "BuildNumber", "ProjectName"];

/// CPU units per vCPU.
const CPU_UNITS: f64 = 1024.0;

impl Metric {
    pub fn name(self) -> &'static str {
        match self {
            Metric::CpuUtilized => "CPUUtilized",
            Metric::CpuUtilizedPercent => "CPUUtilizedPercent",
            Metric::MemoryUtilized => "MemoryUtilized",
            Metric::MemoryUtilizedPercent => "MemoryUtilizedPercent",
            Metric::StorageReadBytes => "StorageReadBytes",
            Metric::StorageWriteBytes => "StorageWriteBytes",
        }
    }

    pub fn parse(name: &str) -> Option<Metric> {
        METRICS.into_iter().find(|m| m.name() == name)
    }

    /// Its unit as CloudWatch names it (StandardUnit).
    pub fn unit(self) -> &'static str {
        match self {
            Metric::CpuUtilized => "None",
            Metric::CpuUtilizedPercent | Metric::MemoryUtilizedPercent => "Percent",
            Metric::MemoryUtilized => "Megabytes",
            Metric::StorageReadBytes | Metric::StorageWriteBytes => "Bytes/Second",
        }
    }

    /// This metric's value in `sample`, on a container of `vcpus` and
    /// `memory_mb`.
    pub fn value(self, sample: &Sample, vcpus: f64, memory_mb: f64) -> f64 {
        match self {
            Metric::CpuUtilized => sample.cpu_percent / 100.0 * vcpus * CPU_UNITS,
            Metric::CpuUtilizedPercent => sample.cpu_percent,
            Metric::MemoryUtilized => sample.memory_mb,
            Metric::MemoryUtilizedPercent => sample.memory_mb / memory_mb * 100.0,
            Metric::StorageReadBytes => sample.read_bps,
            Metric::StorageWriteBytes => sample.write_bps,
        }
    }
}

/// (name, value) of the build's three dimensions, in [`DIMENSIONS`] order.
pub(crate) fn dimensions(place: &Place, build: &Build) -> [(&'static str, String); 3] {
    [
        ("BuildId", build.arn(place)),
        ("BuildNumber", build.number.to_string()),
        ("ProjectName", build.project.clone()),
    ]
}
