//! A build's resource metrics as CodeBuild publishes them to CloudWatch
//! (namespace AWS/CodeBuild), in the program's own types.

/// The API's limit on queries per GetMetricData call.
pub const QUERIES_PER_CALL: usize = 500;

/// The namespace CodeBuild publishes its metrics in.
pub const NAMESPACE: &str = "AWS/CodeBuild";

/// The regions CodeBuild documents publishing resource metrics in. Used
/// only to explain an empty answer: the program asks everywhere.
pub const PUBLISHED_REGIONS: [&str; 15] = [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

pub fn is_published_in(region: &str) -> bool {
    PUBLISHED_REGIONS.contains(&region)
}

/// The per-build metrics the program reads, each with the statistic it
/// reads it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// CPUUtilizedPercent, Average over each period.
    CpuAverage,
    /// CPUUtilizedPercent, Maximum over each period.
    CpuPeak,
    /// MemoryUtilizedPercent, Maximum.
    MemoryPercent,
    /// MemoryUtilized (megabytes), Maximum.
    MemoryMb,
    /// StorageReadBytes (bytes a second), Average.
    ReadBytes,
    /// StorageWriteBytes (bytes a second), Average.
    WriteBytes,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::CpuAverage,
        Metric::CpuPeak,
        Metric::MemoryPercent,
        Metric::MemoryMb,
        Metric::ReadBytes,
        Metric::WriteBytes,
    ];

    /// The metric's name in CloudWatch.
    pub fn name(self) -> &'static str {
        match self {
            Metric::CpuAverage | Metric::CpuPeak => "CPUUtilizedPercent",
            Metric::MemoryPercent => "MemoryUtilizedPercent",
            Metric::MemoryMb => "MemoryUtilized",
            Metric::ReadBytes => "StorageReadBytes",
            Metric::WriteBytes => "StorageWriteBytes",
        }
    }

    /// The statistic asked for.
    pub fn stat(self) -> &'static str {
        match self {
            Metric::CpuAverage | Metric::ReadBytes | Metric::WriteBytes => "Average",
            Metric::CpuPeak | Metric::MemoryPercent | Metric::MemoryMb => "Maximum",
        }
    }

    /// A query ID the API accepts (a lowercase letter, then letters, digits
    /// and underscores), unique per metric.
    pub fn query_id(self) -> &'static str {
        match self {
            Metric::CpuAverage => "cpu_avg",
            Metric::CpuPeak => "cpu_max",
            Metric::MemoryPercent => "mem_pct",
            Metric::MemoryMb => "mem_mb",
            Metric::ReadBytes => "read",
            Metric::WriteBytes => "write",
        }
    }
}

/// One metric exactly as ListMetrics named it: its name and every
/// dimension, so that GetMetricData asks for that metric and no other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricName {
    pub name: String,
    pub dimensions: Vec<(String, String)>,
}

impl MetricName {
    /// The value of dimension `name`, if the metric has it.
    pub fn dimension(&self, name: &str) -> Option<&str> {
        self.dimensions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether this is the metric of build `number` of `project`.
    pub fn is_of_build(&self, project: &str, number: i64) -> bool {
        self.dimension("ProjectName") == Some(project)
            && self
                .dimension("BuildNumber")
                .and_then(|n| n.trim().parse::<i64>().ok())
                == Some(number)
    }
}

/// What ListMetrics is asked for, in AWS/CodeBuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricFilter {
    pub metric_name: Option<String>,
    /// (name, value) dimension filters; at most 10.
    pub dimensions: Vec<(String, String)>,
    /// Only metrics with a datapoint in the last three hours.
    pub recently_active: bool,
}

/// One GetMetricData query: a metric, a statistic, a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricQuery {
    /// Unique in the call.
    pub id: String,
    pub metric: MetricName,
    pub stat: &'static str,
    pub period_secs: i32,
}

/// Values of one query over time: (epoch seconds, value), oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub points: Vec<(i64, f64)>,
}

impl Series {
    /// From points in any order: sorted, one value per timestamp, finite
    /// and not negative.
    pub fn from_points(mut points: Vec<(i64, f64)>) -> Series {
        // Every metric read is a percentage, megabytes or bytes a second:
        // nothing below zero is a value.
        points.retain(|(_, v)| v.is_finite() && *v >= 0.0);
        points.sort_by_key(|(t, _)| *t);
        points.dedup_by_key(|(t, _)| *t);
        Series { points }
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn max(&self) -> Option<f64> {
        self.points.iter().map(|(_, v)| *v).reduce(f64::max)
    }

    pub fn mean(&self) -> Option<f64> {
        let n = self.points.len();
        (n > 0).then(|| self.points.iter().map(|(_, v)| *v).sum::<f64>() / n as f64)
    }

    pub fn last(&self) -> Option<(i64, f64)> {
        self.points.last().copied()
    }
}

/// What GetMetricData answered for one query ID.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    pub id: String,
    pub series: Series,
}

/// A build's resources over its life, one series per metric read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildResources {
    pub series: Vec<(Metric, Series)>,
}

impl BuildResources {
    pub fn get(&self, metric: Metric) -> Option<&Series> {
        self.series
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, s)| s)
    }

    /// Whether any metric has a value.
    pub fn has_data(&self) -> bool {
        self.series.iter().any(|(_, s)| !s.is_empty())
    }

    pub fn peak(&self, metric: Metric) -> Option<f64> {
        self.get(metric).and_then(Series::max)
    }
}

/// What a compute type offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    pub vcpus: u32,
    pub memory_mb: u32,
}

/// The general-purpose Linux compute types, smallest first: the ladder a
/// relaunch climbs one rung at a time.
pub const GENERAL_LADDER: [(&str, Capacity); 5] = [
    (
        "BUILD_GENERAL1_SMALL",
        Capacity {
            vcpus: 2,
            memory_mb: 3 * 1024,
        },
    ),
    (
        "BUILD_GENERAL1_MEDIUM",
        Capacity {
            vcpus: 4,
            memory_mb: 7 * 1024,
        },
    ),
    (
        "BUILD_GENERAL1_LARGE",
        Capacity {
            vcpus: 8,
            memory_mb: 15 * 1024,
        },
    ),
    (
        "BUILD_GENERAL1_XLARGE",
        Capacity {
            vcpus: 36,
            memory_mb: 72 * 1024,
        },
    ),
    (
        "BUILD_GENERAL1_2XLARGE",
        Capacity {
            vcpus: 72,
            memory_mb: 145 * 1024,
        },
    ),
];

/// What `compute_type` offers on Linux, when it is a general-purpose type.
pub fn capacity(compute_type: &str) -> Option<Capacity> {
    GENERAL_LADDER
        .iter()
        .find(|(name, _)| *name == compute_type)
        .map(|(_, c)| *c)
}

/// The compute type one rung up, if there is one.
pub fn next_size_up(compute_type: &str) -> Option<&'static str> {
    let at = GENERAL_LADDER
        .iter()
        .position(|(name, _)| *name == compute_type)?;
    GENERAL_LADDER.get(at + 1).map(|(name, _)| *name)
}

/// A compute type's short name: SMALL for BUILD_GENERAL1_SMALL.
pub fn short_size(compute_type: &str) -> &str {
    compute_type
        .strip_prefix("BUILD_GENERAL1_")
        .unwrap_or(compute_type)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_climbs_one_rung_and_stops_at_the_top() {
        assert_eq!(
            next_size_up("BUILD_GENERAL1_SMALL"),
            Some("BUILD_GENERAL1_MEDIUM")
        );
        assert_eq!(next_size_up("BUILD_GENERAL1_2XLARGE"), None);
        assert_eq!(next_size_up("BUILD_LAMBDA_1GB"), None);
        assert_eq!(
            capacity("BUILD_GENERAL1_SMALL").map(|c| c.memory_mb),
            Some(3072)
        );
    }

    #[test]
    fn a_metric_is_matched_to_its_build_by_project_and_number() {
        let m = MetricName {
            name: "CPUUtilizedPercent".into(),
            dimensions: vec![
                ("BuildId".into(), "anything".into()),
                ("BuildNumber".into(), "42".into()),
                ("ProjectName".into(), "api".into()),
            ],
        };
        assert!(m.is_of_build("api", 42));
        assert!(!m.is_of_build("api", 4));
        assert!(!m.is_of_build("web", 42));
    }

    #[test]
    fn series_are_sorted_deduplicated_and_finite() {
        let s = Series::from_points(vec![(120, 3.0), (60, f64::NAN), (0, 1.0), (120, 9.0)]);
        assert_eq!(s.points, vec![(0, 1.0), (120, 3.0)]);
        assert_eq!(s.max(), Some(3.0));
    }
}
