//! A build's resource use, one raw sample a minute: a pure function of its
//! plan, its timeline and the minute, shaped by the phase it is in.

use super::super::build::Build;
use super::super::clock::MINUTE;
use super::super::compute::Capacity;
use super::super::logs::hash;
use super::super::phase::{Phase, Status};
use super::super::plan_gen::KILLED;
use super::super::rng::Rng;
use super::super::timeline::{Ending, Span, Timeline};

/// One minute of a build's container, as its agent reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Sample {
    /// Epoch milliseconds of the minute's start.
    pub at: i64,
    /// Percent of the compute type's vCPUs.
    pub cpu_percent: f64,
    pub memory_mb: f64,
    /// Bytes per second.
    pub read_bps: f64,
    pub write_bps: f64,
}

/// Everything a build's samples derive from.
pub(crate) struct Series<'a> {
    build: &'a Build,
    timeline: Timeline,
    capacity: Capacity,
    seed: u64,
    /// Its peak working set on this run.
    peak_mb: f64,
    /// Whether BUILD ends with the command killed for lack of memory.
    killed: bool,
}

/// The first and last minute (epoch milliseconds of their start) of the
/// build's container; None when it never had one (it ended before
/// DOWNLOAD_SOURCE).
pub(crate) fn container_minutes(timeline: &Timeline) -> Option<(i64, i64)> {
    let start = timeline
        .spans
        .iter()
        .find(|s| s.phase == Phase::DownloadSource)?
        .start;
    let end = timeline.completed_at.max(start);
    Some((floor_minute(start), floor_minute((end - 1).max(start))))
}

pub(crate) fn floor_minute(t: i64) -> i64 {
    t.div_euclid(MINUTE) * MINUTE
}

impl<'a> Series<'a> {
    pub fn new(build: &'a Build) -> Series<'a> {
        let seed = hash(&build.uuid);
        let capacity = build.settings.capacity();
        let killed = matches!(
            &build.plan.ending,
            Ending::Breaks { phase: Phase::Build, context, .. }
                if context.message.ends_with(&format!("exit status {KILLED}"))
        );
        let scale = Rng::new(seed).range(0.85, 1.05);
        Series {
            build,
            timeline: build.timeline(),
            capacity,
            seed,
            peak_mb: build.profile.resources.peak_mb * scale,
            killed,
        }
    }

    pub fn capacity(&self) -> Capacity {
        self.capacity
    }

    /// The first and last minute with a sample at `now`: a minute's sample
    /// is published once the minute is over, or the container with it.
    pub fn minutes(&self, now: i64) -> Option<(i64, i64)> {
        let (first, last) = container_minutes(&self.timeline)?;
        let published = if now >= self.timeline.completed_at {
            last
        } else {
            floor_minute(now) - MINUTE
        };
        let last = last.min(published);
        (first <= last).then_some((first, last))
    }

    /// The sample of the minute starting at `minute`, which must lie in
    /// [`Series::minutes`]: the container as it is in the middle of the
    /// part of that minute it lives through.
    pub fn sample(&self, minute: i64) -> Sample {
        let (lo, hi) = match container_minutes(&self.timeline) {
            Some(_) => self.container_span(),
            None => (minute, minute + 1),
        };
        let from = minute.max(lo);
        let to = (minute + MINUTE).min(hi).max(from + 1);
        let mut t = from + (to - from) / 2;
        // The minute of the kill reports the container at the kill.
        if let Some(kill) = self
            .kill_at()
            .filter(|k| (minute..minute + MINUTE).contains(k))
        {
            t = kill - 1;
        }
        let mut noise = Rng::new(self.seed ^ (minute / MINUTE).wrapping_mul(0x9E37) as u64);
        let span = self
            .timeline
            .spans
            .iter()
            .find(|s| s.start <= t && t < s.end)
            .or_else(|| self.timeline.spans.last());
        let (cpu, memory, read_mb, write_mb) = match span {
            Some(span) => self.shape(span, t, &mut noise),
            None => (1.0, 250.0, 0.0, 0.0),
        };
        Sample {
            at: minute,
            cpu_percent: cpu.clamp(0.0, 100.0),
            memory_mb: memory.clamp(0.0, self.capacity.memory_mb),
            read_bps: (read_mb * 1e6).max(0.0),
            write_bps: (write_mb * 1e6).max(0.0),
        }
    }

    /// When the OOM killer ends BUILD, if it does.
    fn kill_at(&self) -> Option<i64> {
        let build = self
            .timeline
            .spans
            .iter()
            .find(|s| s.phase == Phase::Build)?;
        (self.killed && build.status == Status::Failed).then_some(build.end)
    }

    fn container_span(&self) -> (i64, i64) {
        let start = self
            .timeline
            .spans
            .iter()
            .find(|s| s.phase == Phase::DownloadSource)
            .map_or(self.build.start, |s| s.start);
        (start, self.timeline.completed_at.max(start + 1))
    }

    /// (CPU %, memory MB, read MB/s, write MB/s) at `t` inside `span`.
    fn shape(&self, span: &Span, t: i64, noise: &mut Rng) -> (f64, f64, f64, f64) {
        let progress = (t - span.start) as f64 / (span.end - span.start).max(1) as f64;
        let base = 220.0 + noise.range(0.0, 40.0);
        let peak = self.peak_mb;
        match span.phase {
            Phase::DownloadSource => (
                noise.range(20.0, 35.0),
                base + 250.0 * progress,
                noise.range(0.5, 3.0),
                noise.range(30.0, 80.0),
            ),
            Phase::Install => (
                noise.range(55.0, 80.0),
                base + 200.0 + 0.25 * peak * progress,
                noise.range(2.0, 8.0),
                noise.range(20.0, 60.0),
            ),
            Phase::PreBuild => (
                noise.range(30.0, 60.0),
                base + 0.25 * peak + 0.1 * peak * progress,
                noise.range(5.0, 20.0),
                noise.range(5.0, 20.0),
            ),
            Phase::Build => self.building(span, t, progress, noise),
            Phase::PostBuild | Phase::UploadArtifacts => (
                noise.range(5.0, 15.0),
                base + 0.3 * peak * (1.0 - progress),
                noise.range(10.0, 40.0),
                noise.range(0.2, 2.0),
            ),
            _ => (noise.range(0.5, 2.0), base, 0.0, 0.0),
        }
    }

    /// BUILD: the project's CPU band with a slow wave and noise, memory
    /// climbing towards the working set (or the limit, for a build the OOM
    /// killer ends); flat and idle while the build hangs.
    fn building(
        &self,
        span: &Span,
        t: i64,
        progress: f64,
        noise: &mut Rng,
    ) -> (f64, f64, f64, f64) {
        let (lo, hi) = self.build.profile.resources.cpu;
        let limit = self.capacity.memory_mb;
        let start_mb = 260.0 + 0.35 * self.peak_mb;
        let memory_at = |p: f64| {
            let climbed = start_mb + (self.peak_mb - start_mb) * (1.0 - (-4.0 * p).exp()) / 0.982;
            if self.killed {
                // Past the limit the kernel reclaims what it can until it
                // kills the command, right at the end of BUILD.
                let reach = limit * 1.05;
                let wanted = start_mb + (reach - start_mb) * p.powf(0.8);
                wanted.min(limit * 0.995)
            } else {
                climbed.min(limit * 0.97)
            }
        };
        if let Some((after, length)) = self.build.plan.idle {
            let idle_from = span.start + after;
            if (idle_from..idle_from + length).contains(&t) {
                let frozen =
                    (idle_from - span.start) as f64 / (span.end - span.start).max(1) as f64;
                return (noise.range(0.3, 1.5), memory_at(frozen), 0.0, 0.0);
            }
        }
        let wave = ((t / MINUTE) as f64 / 3.0 + (self.seed % 7) as f64).sin() * 0.25 + 0.5;
        let cpu = lo + (hi - lo) * (0.6 * wave + 0.4 * noise.unit());
        let mut memory = memory_at(progress) * noise.range(0.985, 1.0);
        // The last stretch before the kill sits at the limit.
        let last = (span.end - span.start) / 5;
        if self.killed && span.status == Status::Failed && t >= span.end - last.max(90_000) {
            memory = limit * noise.range(0.993, 1.0);
        }
        (cpu, memory, noise.range(2.0, 15.0), noise.range(1.0, 10.0))
    }
}
