//! The resources part of the details: CPU, memory and disk over the
//! build's time as sparklines with its phases marked below, or figures
//! alone when the pane is narrow. Decided here; the ui only styles.

use chrono::{DateTime, Utc};

use super::resource_cache::{Unavailable, View};
use super::resources::container_start;
use super::state::State;
use super::trends::sparkline;
use crate::domain::metrics::{capacity, short_size, BuildResources, Metric, Series};
use crate::domain::sizing::Verdict;
use crate::domain::Build;

/// Columns of the label before each sparkline.
const LABEL: usize = 6;
/// Fewer sparkline columns than this: figures alone.
const MIN_BARS: usize = 12;

#[derive(Debug, Clone, PartialEq)]
pub enum ResourceLine {
    /// "Resources · SMALL: 2 vCPU, 3072 MB".
    Header(String),
    /// A metric's label, its sparkline and its figures.
    Spark {
        label: &'static str,
        bars: String,
        figures: String,
    },
    /// Under the sparklines: each phase's initial where it began.
    Ruler(String),
    /// Figures without a sparkline, in a narrow pane.
    Figures(String),
    /// The header with why nothing is shown (loading, no data yet, not
    /// allowed).
    Note(String),
    /// A sizing hint from the peaks.
    Hint(Verdict),
}

/// The lines for `b`, at `width` columns inside the pane.
pub fn lines(state: &State, b: &Build, width: usize) -> Vec<ResourceLine> {
    let mut out = Vec::new();
    let compute = b.ran_with.compute_type.as_deref().unwrap_or_default();
    let mut header = String::from("Resources");
    if !compute.is_empty() {
        header.push_str(&format!(" · {}", short_size(compute)));
        if let Some(c) = capacity(compute) {
            header.push_str(&format!(": {} vCPU, {} MB", c.vcpus, c.memory_mb));
        }
    }
    let Some(from) = container_start(b) else {
        if !b.complete {
            out.push(ResourceLine::Note(format!(
                "{header} · no figures before the build's container starts"
            )));
        }
        return out;
    };
    let sampled = match state.resources.view(&b.id, b.context) {
        View::Shown(s) => s,
        other => {
            out.push(ResourceLine::Note(format!("{header} · {}", note(other, b))));
            return out;
        }
    };
    header.push_str(&format!(
        " · {}",
        if sampled.complete {
            "whole build".to_string()
        } else {
            format!(
                "live, read {}",
                crate::text::relative(sampled.at, state.now)
            )
        }
    ));
    out.push(ResourceLine::Header(header));
    let r = &sampled.resources;
    let until = b.end.unwrap_or(state.now);
    let figures = figures(r, compute);
    let widest = [&figures.0, &figures.1, &figures.2, &figures.3]
        .iter()
        .map(|f| f.chars().count())
        .max()
        .unwrap_or(0);
    let bars = width.saturating_sub(LABEL + 1 + widest);
    if bars < MIN_BARS {
        let (cpu, mem, read, write) = figures;
        out.push(ResourceLine::Figures(format!("cpu {cpu} · mem {mem}")));
        out.push(ResourceLine::Figures(format!(
            "disk read {read} · write {write}"
        )));
    } else {
        let ascii = state.settings.ascii;
        let disk_top = [Metric::ReadBytes, Metric::WriteBytes]
            .iter()
            .filter_map(|m| r.peak(*m))
            .fold(0.0, f64::max);
        let (cpu, mem, read, write) = figures;
        for (label, metric, figures, ceiling) in [
            ("cpu", Metric::CpuAverage, cpu, Some(100.0)),
            ("mem", Metric::MemoryPercent, mem, Some(100.0)),
            ("read", Metric::ReadBytes, read, Some(disk_top)),
            ("write", Metric::WriteBytes, write, Some(disk_top)),
        ] {
            let Some(series) = r.get(metric) else {
                continue;
            };
            let columns = resample(series, from, until, bars);
            out.push(ResourceLine::Spark {
                label,
                bars: sparkline(&columns, ceiling, ascii),
                figures,
            });
        }
        out.push(ResourceLine::Ruler(ruler(b, from, until, bars)));
    }
    if let Some(hint) = crate::domain::sizing::verdict(b, Some(r), false)
        .filter(|v| !matches!(v, Verdict::OutOfMemory { .. }))
    {
        out.push(ResourceLine::Hint(hint));
    }
    out
}

fn note(view: View<'_>, b: &Build) -> String {
    match view {
        View::Loading => "reading CloudWatch…".to_string(),
        View::NoData if b.complete => {
            "CloudWatch has no resource figures for this build".to_string()
        }
        View::NoData => "no figures yet: CloudWatch has a value a minute".to_string(),
        View::Unavailable(Unavailable::Denied(text)) => text.clone(),
        View::Unavailable(Unavailable::NotInRegion(region)) => {
            format!("CodeBuild publishes no resource metrics in {region}")
        }
        View::Unavailable(Unavailable::Failed { message, .. }) => {
            format!("could not read the metrics: {message} (tried again in 5 min)")
        }
        View::Shown(_) => String::new(),
    }
}

/// (cpu, mem, read, write) figures.
fn figures(r: &BuildResources, compute: &str) -> (String, String, String, String) {
    let pct = |v: Option<f64>| v.map_or_else(|| "?".to_string(), |v| format!("{v:.0} %"));
    let cpu = format!(
        "avg {} · peak {}",
        pct(r.get(Metric::CpuAverage).and_then(Series::mean)),
        pct(r.peak(Metric::CpuPeak))
    );
    let mut mem = format!("peak {}", pct(r.peak(Metric::MemoryPercent)));
    if let Some(mb) = r.peak(Metric::MemoryMb) {
        match capacity(compute) {
            Some(c) => mem.push_str(&format!(" · {mb:.0} of {} MB", c.memory_mb)),
            None => mem.push_str(&format!(" · {mb:.0} MB")),
        }
    }
    let rate = |m: Metric| {
        let s = r.get(m);
        format!(
            "avg {} · peak {}",
            bytes_rate(s.and_then(Series::mean)),
            bytes_rate(s.and_then(Series::max))
        )
    };
    (cpu, mem, rate(Metric::ReadBytes), rate(Metric::WriteBytes))
}

/// Bytes a second, in the unit that keeps it short.
pub fn bytes_rate(v: Option<f64>) -> String {
    let Some(v) = v.filter(|v| v.is_finite()) else {
        return "?".to_string();
    };
    let v = v.max(0.0);
    if v >= 1024.0 * 1024.0 {
        format!("{:.1} MB/s", v / 1024.0 / 1024.0)
    } else if v >= 1024.0 {
        format!("{:.0} KB/s", v / 1024.0)
    } else {
        format!("{v:.0} B/s")
    }
}

/// `series` over [from, until] in `columns` columns: the largest value in
/// each column's time, the last one before it when it has none.
pub fn resample(
    series: &Series,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    columns: usize,
) -> Vec<f64> {
    let (t0, t1) = (
        from.timestamp(),
        until.timestamp().max(from.timestamp() + 1),
    );
    let span = (t1 - t0) as f64;
    let mut out = vec![0.0; columns];
    let mut held: Option<f64> = None;
    let mut points = series.points.iter().peekable();
    for (c, slot) in out.iter_mut().enumerate() {
        let end = t0 as f64 + span * (c + 1) as f64 / columns as f64;
        let mut best: Option<f64> = None;
        while let Some((t, v)) = points.peek() {
            if (*t as f64) >= end {
                break;
            }
            best = Some(best.map_or(*v, |b: f64| b.max(*v)));
            points.next();
        }
        if best.is_some() {
            held = best;
        }
        *slot = best.or(held).unwrap_or(0.0);
    }
    out
}

/// Each phase's initial under the column where it began.
fn ruler(b: &Build, from: DateTime<Utc>, until: DateTime<Utc>, columns: usize) -> String {
    let (t0, t1) = (
        from.timestamp(),
        until.timestamp().max(from.timestamp() + 1),
    );
    let mut cells = vec![' '; columns];
    for p in &b.phases {
        let Some(start) = p.start.map(|s| s.timestamp()) else {
            continue;
        };
        let Some(mark) = initial(&p.phase_type) else {
            continue;
        };
        if start < t0 || start > t1 {
            continue;
        }
        let at = ((start - t0) as f64 / (t1 - t0) as f64 * columns as f64) as usize;
        let at = at.min(columns.saturating_sub(1));
        // A phase too short to have a column of its own is not marked.
        if let Some(cell) = cells.get_mut(at).filter(|c| **c == ' ') {
            *cell = mark;
        }
    }
    cells.into_iter().collect()
}

fn initial(phase: &str) -> Option<char> {
    Some(match phase {
        "DOWNLOAD_SOURCE" => 'D',
        "INSTALL" => 'I',
        "PRE_BUILD" => 'P',
        "BUILD" => 'B',
        "POST_BUILD" => 'O',
        "UPLOAD_ARTIFACTS" => 'U',
        "FINALIZING" => 'F',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_keeps_peaks_and_holds_between_values() {
        let t = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or_default();
        let s = Series::from_points(vec![(0, 10.0), (60, 90.0), (120, 20.0)]);
        // Two columns over three minutes: the first holds the 90 peak.
        assert_eq!(resample(&s, t(0), t(180), 2), vec![90.0, 20.0]);
        // Six columns: each value held until the next.
        assert_eq!(
            resample(&s, t(0), t(180), 6),
            vec![10.0, 10.0, 90.0, 90.0, 20.0, 20.0]
        );
    }

    #[test]
    fn rates_are_short() {
        assert_eq!(bytes_rate(Some(3.5 * 1024.0 * 1024.0)), "3.5 MB/s");
        assert_eq!(bytes_rate(Some(2048.0)), "2 KB/s");
        assert_eq!(bytes_rate(None), "?");
    }
}
