//! Report groups and the TEST and CODE_COVERAGE reports of builds.
//!
//! Like a build's JSON and its log, a build's reports are a pure function of
//! the build: which groups its project reports to follows from its test
//! command, the cases and coverages follow from its plan and uuid, and a
//! report appears when the build starts uploading (UPLOAD_ARTIFACTS), stays
//! GENERATING until the build completes and is final after. A report's uuid
//! is its build's uuid shifted by its group's hash, so its ARN leads back to
//! its build without an index.

mod cases;
mod coverage;
mod failures;

pub(crate) use cases::test_cases;
pub(crate) use coverage::{coverage_summary, file_coverages};
pub(crate) use failures::{failing_for, failing_tests, FailingTest, Runner};
pub(crate) use failures::{REGRESSED_IMAGE, REGRESSED_PROJECT};

use crate::build::Build;
use crate::catalog::{Place, ProjectDef};
use crate::clock::DAY;
use crate::logs::hash;
use crate::phase::{Phase, Status};

/// Reports expire this long after they are created.
pub(crate) const RETENTION: i64 = 30 * DAY;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Test,
    Coverage,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Test => "TEST",
            Kind::Coverage => "CODE_COVERAGE",
        }
    }
}

/// A report group of a catalog project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Group {
    pub name: String,
    pub project: &'static str,
    pub kind: Kind,
    pub runner: Runner,
}

impl Group {
    pub fn arn(&self, place: &Place) -> String {
        place.arn("codebuild", &format!("report-group/{}", self.name))
    }
}

/// The report groups `def`'s buildspec writes to: one TEST group for its
/// test runner, and a CODE_COVERAGE group for the runners that measure it.
pub(crate) fn groups_of(def: &'static ProjectDef) -> Vec<Group> {
    let Some(runner) = def.build_cmds.iter().find_map(|c| Runner::of(c)) else {
        return Vec::new();
    };
    let (test, coverage) = match runner {
        Runner::Jest => ("jest", Some("coverage")),
        Runner::CargoTest => ("unit-tests", None),
        Runner::Pytest => ("pytest", Some("coverage")),
        Runner::Gradle => ("unit-tests", None),
        Runner::Surefire => ("surefire", Some("jacoco")),
    };
    let group = |suffix: &str, kind| Group {
        name: format!("{}-{suffix}", def.name),
        project: def.name,
        kind,
        runner,
    };
    let mut out = vec![group(test, Kind::Test)];
    out.extend(coverage.map(|c| group(c, Kind::Coverage)));
    out
}

/// Every report group of the catalog, in catalog order.
pub(crate) fn all_groups(projects: &'static [ProjectDef]) -> Vec<Group> {
    projects.iter().flat_map(groups_of).collect()
}

/// One report of one build.
#[derive(Clone, Debug)]
pub(crate) struct Report<'a> {
    pub build: &'a Build,
    pub group: Group,
    pub created: i64,
}

/// A report's status: GENERATING until its build completes, INCOMPLETE
/// when a stop or the timeout cut the upload short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReportStatus {
    Generating,
    Succeeded,
    Failed,
    Incomplete,
}

impl ReportStatus {
    pub fn name(self) -> &'static str {
        match self {
            ReportStatus::Generating => "GENERATING",
            ReportStatus::Succeeded => "SUCCEEDED",
            ReportStatus::Failed => "FAILED",
            ReportStatus::Incomplete => "INCOMPLETE",
        }
    }
}

impl Report<'_> {
    pub fn uuid(&self) -> String {
        shift(&self.build.uuid, &self.group.name, 1)
    }

    pub fn arn(&self, place: &Place) -> String {
        place.arn(
            "codebuild",
            &format!("report/{}:{}", self.group.name, self.uuid()),
        )
    }

    pub fn expired(&self) -> i64 {
        self.created + RETENTION
    }

    /// Whether the report's data is complete at `now`.
    pub fn is_final_at(&self, now: i64) -> bool {
        self.build.is_complete_at(now)
    }

    pub fn status_at(&self, now: i64) -> ReportStatus {
        if !self.is_final_at(now) {
            ReportStatus::Generating
        } else if matches!(
            self.build.timeline().status,
            Status::Stopped | Status::TimedOut
        ) {
            ReportStatus::Incomplete
        } else if self.group.kind == Kind::Test && !failing_tests(self.build).is_empty() {
            ReportStatus::Failed
        } else {
            ReportStatus::Succeeded
        }
    }
}

/// Every report `build` ever has (visible once sim now reaches `created`):
/// none for builds whose tests never ran to the end of BUILD.
pub(crate) fn reports_of(build: &Build) -> Vec<Report<'_>> {
    if build.profile.name != build.project {
        return Vec::new();
    }
    let tl = build.timeline();
    // A report seen while uploading stays, whatever ends the build.
    let Some(upload) = tl.spans.iter().find(|s| s.phase == Phase::UploadArtifacts) else {
        return Vec::new();
    };
    let build_ran = tl
        .spans
        .iter()
        .any(|s| s.phase == Phase::Build && matches!(s.status, Status::Succeeded | Status::Failed));
    if !build_ran {
        return Vec::new();
    }
    groups_of(build.profile)
        .into_iter()
        .map(|group| Report {
            build,
            group,
            created: upload.start,
        })
        .collect()
}

/// The reports of `build` that exist at `now`.
pub(crate) fn reports_at(build: &Build, now: i64) -> Vec<Report<'_>> {
    let mut reports = reports_of(build);
    reports.retain(|r| r.created <= now);
    reports
}

/// The build uuid a report uuid of `group` came from.
pub(crate) fn build_uuid_of(report_uuid: &str, group: &str) -> String {
    shift(report_uuid, group, 15)
}

/// Shifts each hex digit of `uuid` by `times` the matching nibble of the
/// group's hash (mod 16); shifting by 1 and then by 15 gives it back.
fn shift(uuid: &str, group: &str, times: u64) -> String {
    let key = hash(group);
    uuid.chars()
        .enumerate()
        .map(|(i, c)| match c.to_digit(16) {
            Some(d) => {
                let k = (key >> ((i % 16) * 4)) & 0xf;
                let v = (u64::from(d) + k * times) % 16;
                char::from_digit(v as u32, 16).unwrap_or(c)
            }
            None => c,
        })
        .collect()
}

/// (group name, report uuid) of a report ARN of any account and region.
pub(crate) fn parse_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:codebuild:")?;
    let mut parts = rest.splitn(3, ':');
    let (_region, _account, resource) = (parts.next()?, parts.next()?, parts.next()?);
    resource.strip_prefix("report/")?.rsplit_once(':')
}

/// A per-build pseudo-random number in [0, 1) for `what`.
pub(crate) fn unit(build: &Build, what: &str) -> f64 {
    let h = hash(&format!("{}/{what}", build.uuid));
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// A per-project pseudo-random number in [0, 1) for `what`, the same in
/// every build of the project.
pub(crate) fn project_unit(project: &str, what: &str) -> f64 {
    let h = hash(&format!("{project}/{what}"));
    (h >> 11) as f64 / (1u64 << 53) as f64
}
