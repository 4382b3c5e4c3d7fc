//! The projects that run batch builds, with the batch configuration and
//! batchspec each declares.
//!
//! The simulator cannot parse YAML, so a batch's shape (graph, list or
//! matrix) always comes from here; a buildspecOverride is accepted and
//! shown in the batch but does not change its groups.

use serde_json::{json, Value};

use super::catalog::{LogsDest, Place, ProjectDef, Resources};

/// One group of a build graph or build list.
#[derive(Debug, PartialEq)]
pub(crate) struct GroupDef {
    pub identifier: &'static str,
    pub depends_on: &'static [&'static str],
    pub ignore_failure: bool,
    /// Range of the group's BUILD phase in seconds.
    pub build_secs: (f64, f64),
    /// Chance that a run fails in BUILD, running `command`.
    pub fail_chance: f64,
    pub command: &'static str,
}

#[derive(Debug, PartialEq)]
pub(crate) enum Shape {
    /// `batch: build-graph`: groups start once their dependencies allow.
    Graph(&'static [GroupDef]),
    /// `batch: build-list`: every group starts at once.
    List(&'static [GroupDef]),
    /// `batch: build-matrix`: one group per combination of images and
    /// variable values; every group runs the project's commands.
    Matrix {
        images: &'static [&'static str],
        variables: &'static [(&'static str, &'static [&'static str])],
        fail_chance: f64,
    },
}

/// A project's ProjectBuildBatchConfig plus the shape of its batchspec.
#[derive(Debug, PartialEq)]
pub(crate) struct BatchDef {
    pub shape: Shape,
    pub combine_artifacts: bool,
    pub max_builds: u32,
    /// None: every compute type is allowed.
    pub compute_types: Option<&'static [&'static str]>,
    pub timeout_minutes: u32,
    pub report_mode: &'static str,
    /// Relative share of the demo's batches.
    pub weight: f64,
}

const fn group(
    identifier: &'static str,
    depends_on: &'static [&'static str],
    build_secs: (f64, f64),
    command: &'static str,
) -> GroupDef {
    GroupDef {
        identifier,
        depends_on,
        ignore_failure: false,
        build_secs,
        fail_chance: 0.06,
        command,
    }
}

/// Two paths from lint meet again at integration (a diamond); flaky-e2e
/// fails often, which the graph tolerates.
const MONOREPO_GROUPS: &[GroupDef] = &[
    group("lint", &[], (30.0, 90.0), "npm run lint"),
    group("unit-tests", &[], (90.0, 240.0), "npm test"),
    group(
        "build-api",
        &["lint"],
        (150.0, 300.0),
        "npm run build -w api",
    ),
    group(
        "build-web",
        &["lint"],
        (120.0, 260.0),
        "npm run build -w web",
    ),
    group(
        "integration",
        &["build-api", "build-web"],
        (180.0, 360.0),
        "npm run test:integration",
    ),
    GroupDef {
        ignore_failure: true,
        fail_chance: 0.5,
        ..group(
            "flaky-e2e",
            &["build-web"],
            (120.0, 240.0),
            "npx playwright test",
        )
    },
    group(
        "deploy-preview",
        &["integration", "unit-tests", "flaky-e2e"],
        (45.0, 120.0),
        "npx cdk deploy PreviewStack",
    ),
];

const E2E_GROUPS: &[GroupDef] = &[
    group(
        "checkout-flow",
        &[],
        (180.0, 420.0),
        "npx playwright test checkout",
    ),
    group(
        "search-flow",
        &[],
        (120.0, 300.0),
        "npx playwright test search",
    ),
    group(
        "account-flow",
        &[],
        (150.0, 360.0),
        "npx playwright test account",
    ),
    GroupDef {
        ignore_failure: true,
        fail_chance: 0.3,
        ..group(
            "admin-flow",
            &[],
            (90.0, 240.0),
            "npx playwright test admin",
        )
    },
];

const GENERAL_COMPUTE: &[&str] = &[
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
];

const MONOREPO_BATCH: BatchDef = BatchDef {
    shape: Shape::Graph(MONOREPO_GROUPS),
    combine_artifacts: false,
    max_builds: 10,
    compute_types: Some(GENERAL_COMPUTE),
    timeout_minutes: 90,
    report_mode: "REPORT_INDIVIDUAL_BUILDS",
    weight: 3.0,
};

const SDK_BATCH: BatchDef = BatchDef {
    shape: Shape::Matrix {
        images: &[
            "aws/codebuild/standard:7.0",
            "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        ],
        variables: &[("SDK_RUNTIME", &["python3.12", "nodejs20"])],
        fail_chance: 0.08,
    },
    combine_artifacts: true,
    max_builds: 8,
    compute_types: None,
    timeout_minutes: 60,
    report_mode: "REPORT_AGGREGATED_BATCH",
    weight: 1.5,
};

const E2E_BATCH: BatchDef = BatchDef {
    shape: Shape::List(E2E_GROUPS),
    combine_artifacts: false,
    max_builds: 6,
    compute_types: None,
    timeout_minutes: 45,
    report_mode: "REPORT_AGGREGATED_BATCH",
    weight: 1.5,
};

/// A batch project's settings; weight 0 keeps single builds from arriving
/// on their own, so the demo's batch projects only run batches.
const fn batch_project(
    name: &'static str,
    description: &'static str,
    batch: &'static BatchDef,
) -> ProjectDef {
    ProjectDef {
        name,
        description,
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_MEDIUM",
        timeout_minutes: 30,
        queued_timeout_minutes: 480,
        build_secs: (90.0, 240.0),
        install_cmd: "npm ci",
        pre_build_cmd: "npm run lint",
        build_cmds: &["npm test"],
        post_build_cmd: "npm run report",
        weight: 0.0,
        concurrent_build_limit: None,
        logs: LogsDest::CloudWatch,
        privileged: false,
        uploads_artifacts: false,
        cache: "LOCAL",
        env_vars: &[("CI", "true", "PLAINTEXT")],
        created_days_ago: 150,
        modified_days_ago: 4,
        batch: Some(batch),
        resources: Resources::TYPICAL,
    }
}

pub(crate) const MONOREPO_CI: ProjectDef = batch_project(
    "monorepo-ci",
    "Monorepo CI as a batch build graph: lint, tests, API and web builds, integration, preview",
    &MONOREPO_BATCH,
);

pub(crate) const SDK_MATRIX: ProjectDef = ProjectDef {
    compute_type: "BUILD_GENERAL1_SMALL",
    build_cmds: &["make test", "make package"],
    uploads_artifacts: true,
    cache: "S3",
    ..batch_project(
        "sdk-matrix",
        "Client SDKs tested on every image and runtime as a build matrix",
        &SDK_BATCH,
    )
};

/// Logging is off: the suites keep their own reports and videos.
pub(crate) const E2E_SUITES: ProjectDef = ProjectDef {
    logs: LogsDest::Off,
    ..batch_project(
        "e2e-suites",
        "End-to-end browser suites run side by side as a build list",
        &E2E_BATCH,
    )
};

/// The project's buildBatchConfig as BatchGetProjects returns it.
pub(crate) fn batch_config_json(place: &Place, project: &str, batch: &BatchDef) -> Value {
    let mut restrictions = json!({ "maximumBuildsAllowed": batch.max_builds });
    if let (Some(types), Some(map)) = (batch.compute_types, restrictions.as_object_mut()) {
        map.insert("computeTypesAllowed".into(), json!(types));
    }
    json!({
        "serviceRole": format!("arn:aws:iam::{}:role/service-role/codebuild-{project}-batch-role", place.account),
        "combineArtifacts": batch.combine_artifacts,
        "restrictions": restrictions,
        "timeoutInMins": batch.timeout_minutes,
        "batchReportMode": batch.report_mode
    })
}

/// The `batch:` section of the project's buildspec, matching its shape.
pub(crate) fn batchspec(batch: &BatchDef) -> String {
    let mut out = String::from("\nbatch:\n  fast-fail: false\n");
    let groups = |out: &mut String, key: &str, groups: &[GroupDef]| {
        out.push_str(&format!("  {key}:\n"));
        for g in groups {
            out.push_str(&format!("    - identifier: {}\n", g.identifier));
            if !g.depends_on.is_empty() {
                out.push_str("      depend-on:\n");
                for dep in g.depends_on {
                    out.push_str(&format!("        - {dep}\n"));
                }
            }
            if g.ignore_failure {
                out.push_str("      ignore-failure: true\n");
            }
        }
    };
    match &batch.shape {
        Shape::Graph(list) => groups(&mut out, "build-graph", list),
        Shape::List(list) => groups(&mut out, "build-list", list),
        Shape::Matrix {
            images, variables, ..
        } => {
            out.push_str("  build-matrix:\n    dynamic:\n      env:\n        image:\n");
            for image in *images {
                out.push_str(&format!("          - {image}\n"));
            }
            out.push_str("        variables:\n");
            for (name, values) in *variables {
                out.push_str(&format!("          {name}:\n"));
                for value in *values {
                    out.push_str(&format!("            - {value}\n"));
                }
            }
        }
    }
    out
}
