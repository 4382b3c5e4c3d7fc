//! The statistics GetMetricData aggregates raw samples with.

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Stat {
    Average,
    Maximum,
    Minimum,
    Sum,
    SampleCount,
    /// pNN: the percentile, 0 to 100.
    Percentile(f64),
}

impl Stat {
    pub fn parse(name: &str) -> Option<Stat> {
        Some(match name {
            "Average" => Stat::Average,
            "Maximum" => Stat::Maximum,
            "Minimum" => Stat::Minimum,
            "Sum" => Stat::Sum,
            "SampleCount" => Stat::SampleCount,
            other => {
                let p: f64 = other.strip_prefix('p')?.parse().ok()?;
                if !(0.0..=100.0).contains(&p) {
                    return None;
                }
                Stat::Percentile(p)
            }
        })
    }

    /// The statistic of `values`, which is never empty.
    pub fn of(self, values: &mut [f64]) -> f64 {
        let n = values.len() as f64;
        match self {
            Stat::Average => values.iter().sum::<f64>() / n,
            Stat::Maximum => values.iter().copied().fold(f64::MIN, f64::max),
            Stat::Minimum => values.iter().copied().fold(f64::MAX, f64::min),
            Stat::Sum => values.iter().sum(),
            Stat::SampleCount => n,
            Stat::Percentile(p) => {
                values.sort_by(f64::total_cmp);
                let rank = ((p / 100.0) * n).ceil() as usize;
                values[rank.clamp(1, values.len()) - 1]
            }
        }
    }
}
