//! The simulated accounts' projects and their configuration.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::batch_projects::{batchspec, BatchDef, E2E_SUITES, MONOREPO_CI, SDK_MATRIX};
use super::Scenario;

/// The world requests without credentials reach.
pub(crate) const DEFAULT_ACCOUNT: &str = "123456789012";
pub(crate) const DEFAULT_REGION: &str = "us-east-1";

/// Where a project sends its build logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LogsDest {
    CloudWatch,
    CloudWatchAndS3,
    /// CloudWatch disabled: the build has no log stream, only an S3 object.
    S3Only,
    /// Both disabled: nothing to read.
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct ProjectDef {
    pub name: &'static str,
    pub description: &'static str,
    pub image: &'static str,
    pub compute_type: &'static str,
    pub timeout_minutes: u32,
    pub queued_timeout_minutes: u32,
    /// Range of the BUILD phase in seconds.
    pub build_secs: (f64, f64),
    pub install_cmd: &'static str,
    pub pre_build_cmd: &'static str,
    pub build_cmds: &'static [&'static str],
    pub post_build_cmd: &'static str,
    /// Relative share of builds.
    pub weight: f64,
    pub concurrent_build_limit: Option<u32>,
    pub logs: LogsDest,
    pub privileged: bool,
    pub uploads_artifacts: bool,
    /// "LOCAL", "S3" or "NO_CACHE".
    pub cache: &'static str,
    /// (name, value, type)
    pub env_vars: &'static [(&'static str, &'static str, &'static str)],
    pub created_days_ago: i64,
    pub modified_days_ago: i64,
    /// Set for projects with batch builds enabled.
    pub batch: Option<&'static BatchDef>,
    /// How hard its builds work the container (the CloudWatch metrics).
    pub resources: Resources,
}

/// A project's typical resource use while BUILD runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Resources {
    /// Usual CPU band in percent of the compute type's vCPUs.
    pub cpu: (f64, f64),
    /// Peak working set in megabytes, whatever the compute type.
    pub peak_mb: f64,
}

impl Resources {
    pub const TYPICAL: Resources = Resources {
        cpu: (45.0, 75.0),
        peak_mb: 1400.0,
    };
}

pub(crate) const PROJECTS: &[ProjectDef] = &[
    ProjectDef {
        // Its builds write hostile terminal output to their logs.
        name: "web-frontend",
        description: "Storefront single-page app: lint, unit tests and production bundle",
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_SMALL",
        timeout_minutes: 30,
        queued_timeout_minutes: 480,
        build_secs: (60.0, 360.0),
        install_cmd: "npm ci",
        pre_build_cmd: "npm run lint",
        build_cmds: &["npm test", "npm run build"],
        post_build_cmd: "aws s3 sync dist/ s3://example-web-frontend-assets --delete",
        weight: 3.0,
        concurrent_build_limit: None,
        logs: LogsDest::CloudWatch,
        privileged: false,
        uploads_artifacts: true,
        cache: "LOCAL",
        env_vars: &[
            ("NODE_ENV", "production", "PLAINTEXT"),
            (
                "SENTRY_AUTH_TOKEN",
                "/ci/web-frontend/sentry-token",
                "PARAMETER_STORE",
            ),
        ],
        created_days_ago: 412,
        modified_days_ago: 9,
        batch: None,
        // Jest and webpack fill the small container almost to the brim.
        resources: Resources {
            cpu: (55.0, 85.0),
            peak_mb: 2950.0,
        },
    },
    ProjectDef {
        name: "api-service",
        description: "Rust HTTP API: clippy, tests and container image",
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_MEDIUM",
        timeout_minutes: 45,
        queued_timeout_minutes: 480,
        build_secs: (180.0, 600.0),
        install_cmd: "rustup component add clippy",
        pre_build_cmd: "cargo clippy --locked -- -D warnings",
        build_cmds: &["cargo test --locked", "cargo build --release --locked"],
        post_build_cmd: "docker push $ECR_REPO:$CODEBUILD_RESOLVED_SOURCE_VERSION",
        weight: 2.5,
        concurrent_build_limit: None,
        logs: LogsDest::CloudWatch,
        privileged: true,
        uploads_artifacts: false,
        cache: "S3",
        env_vars: &[
            (
                "ECR_REPO",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/api-service",
                "PLAINTEXT",
            ),
            (
                "DATABASE_URL",
                "ci/api-service/database-url",
                "SECRETS_MANAGER",
            ),
        ],
        created_days_ago: 380,
        modified_days_ago: 3,
        batch: None,
        resources: Resources {
            cpu: (70.0, 95.0),
            peak_mb: 4300.0,
        },
    },
    ProjectDef {
        name: "data-pipeline",
        description: "ETL jobs with data quality checks against the staging warehouse",
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_LARGE",
        timeout_minutes: 60,
        queued_timeout_minutes: 480,
        build_secs: (480.0, 1800.0),
        install_cmd: "pip install -r requirements.txt",
        pre_build_cmd: "python -m mypy src",
        build_cmds: &["pytest -q", "python -m pipeline.validate --all"],
        post_build_cmd: "python -m pipeline.publish --env staging",
        weight: 1.0,
        concurrent_build_limit: None,
        logs: LogsDest::CloudWatchAndS3,
        privileged: false,
        uploads_artifacts: true,
        cache: "NO_CACHE",
        env_vars: &[("PIPELINE_ENV", "ci", "PLAINTEXT")],
        created_days_ago: 265,
        // When it moved to standard:7.0, whose Python breaks its tests: the
        // demo's regression (scenario/regression.rs).
        modified_days_ago: 2,
        batch: None,
        // Waits on the warehouse: LARGE is far more than it needs.
        resources: Resources {
            cpu: (9.0, 15.0),
            peak_mb: 2100.0,
        },
    },
    ProjectDef {
        name: "mobile-app",
        description: "Android app: unit tests and signed release bundle",
        image: "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
        compute_type: "BUILD_GENERAL1_LARGE",
        timeout_minutes: 60,
        queued_timeout_minutes: 480,
        build_secs: (240.0, 600.0),
        install_cmd: "yes | sdkmanager --licenses",
        pre_build_cmd: "./gradlew lint",
        build_cmds: &["./gradlew test", "./gradlew bundleRelease"],
        post_build_cmd: "./gradlew publishBundle",
        weight: 1.5,
        concurrent_build_limit: None,
        logs: LogsDest::CloudWatch,
        privileged: false,
        uploads_artifacts: true,
        cache: "S3",
        env_vars: &[
            ("GRADLE_OPTS", "-Dorg.gradle.daemon=false", "PLAINTEXT"),
            (
                "KEYSTORE_PASSWORD",
                "ci/mobile-app/keystore",
                "SECRETS_MANAGER",
            ),
        ],
        created_days_ago: 198,
        modified_days_ago: 14,
        batch: None,
        resources: Resources {
            cpu: (60.0, 90.0),
            peak_mb: 7800.0,
        },
    },
    ProjectDef {
        name: "infra-terraform",
        description: "Terraform plan and apply for shared infrastructure",
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_SMALL",
        timeout_minutes: 30,
        queued_timeout_minutes: 60,
        build_secs: (60.0, 300.0),
        install_cmd: "tfenv install",
        pre_build_cmd: "terraform init -input=false",
        build_cmds: &[
            "make lint",
            "terraform validate",
            "terraform plan -input=false -out=tfplan",
        ],
        post_build_cmd: "terraform apply -input=false tfplan",
        weight: 1.0,
        // Applies must not overlap.
        concurrent_build_limit: Some(1),
        logs: LogsDest::CloudWatch,
        privileged: false,
        uploads_artifacts: false,
        cache: "NO_CACHE",
        env_vars: &[("TF_IN_AUTOMATION", "true", "PLAINTEXT")],
        created_days_ago: 530,
        modified_days_ago: 45,
        batch: None,
        resources: Resources {
            cpu: (15.0, 35.0),
            peak_mb: 700.0,
        },
    },
    ProjectDef {
        name: "docs-site",
        description: "Documentation site built with MkDocs",
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_SMALL",
        timeout_minutes: 20,
        queued_timeout_minutes: 480,
        build_secs: (45.0, 180.0),
        install_cmd: "pip install mkdocs-material",
        pre_build_cmd: "make lint",
        build_cmds: &["mkdocs build --strict"],
        post_build_cmd: "aws s3 sync site/ s3://example-docs-site --delete",
        weight: 1.2,
        concurrent_build_limit: None,
        // The one project whose builds have no CloudWatch stream.
        logs: LogsDest::S3Only,
        privileged: false,
        uploads_artifacts: false,
        cache: "NO_CACHE",
        env_vars: &[],
        created_days_ago: 120,
        modified_days_ago: 60,
        batch: None,
        resources: Resources {
            cpu: (30.0, 55.0),
            peak_mb: 600.0,
        },
    },
    ProjectDef {
        name: "payments-api",
        description: "Payments service: Maven verify with integration tests",
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_MEDIUM",
        timeout_minutes: 45,
        queued_timeout_minutes: 480,
        build_secs: (180.0, 540.0),
        install_cmd: "mvn -B dependency:go-offline",
        pre_build_cmd: "mvn -B checkstyle:check",
        build_cmds: &["mvn -B verify"],
        post_build_cmd: "mvn -B deploy -DskipTests",
        weight: 1.8,
        concurrent_build_limit: None,
        logs: LogsDest::CloudWatch,
        privileged: false,
        uploads_artifacts: true,
        cache: "S3",
        env_vars: &[("MAVEN_OPTS", "-Xmx2g", "PLAINTEXT")],
        created_days_ago: 301,
        modified_days_ago: 6,
        batch: None,
        resources: Resources {
            cpu: (50.0, 80.0),
            peak_mb: 3600.0,
        },
    },
    ProjectDef {
        // Needs about 4.5 GB: on SMALL (3 GB) most of its builds are killed
        // for lack of memory; MEDIUM or larger runs it comfortably.
        name: "media-transcoder",
        description:
            "Transcodes the media library's test fixtures with FFmpeg and checks the renditions",
        image: "aws/codebuild/standard:7.0",
        compute_type: "BUILD_GENERAL1_SMALL",
        timeout_minutes: 60,
        queued_timeout_minutes: 480,
        build_secs: (480.0, 1200.0),
        install_cmd: "apt-get install -y ffmpeg",
        pre_build_cmd: "make fixtures",
        build_cmds: &["make transcode", "make verify"],
        post_build_cmd: "aws s3 sync renditions/ s3://example-media-renditions",
        weight: 0.8,
        concurrent_build_limit: None,
        logs: LogsDest::CloudWatch,
        privileged: false,
        uploads_artifacts: false,
        cache: "LOCAL",
        env_vars: &[("FFMPEG_THREADS", "0", "PLAINTEXT")],
        created_days_ago: 90,
        modified_days_ago: 5,
        batch: None,
        resources: Resources {
            cpu: (80.0, 97.0),
            peak_mb: 4600.0,
        },
    },
    MONOREPO_CI,
    SDK_MATRIX,
    E2E_SUITES,
];

/// The account and region a world answers as; every ARN it hands out
/// names them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Place {
    pub account: String,
    pub region: String,
}

impl Default for Place {
    fn default() -> Self {
        Place {
            account: DEFAULT_ACCOUNT.to_string(),
            region: DEFAULT_REGION.to_string(),
        }
    }
}

impl Place {
    /// `arn:aws:<service>:<region>:<account>:<resource>`.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:aws:{service}:{}:{}:{resource}",
            self.region, self.account
        )
    }

    pub fn project_arn(&self, name: &str) -> String {
        self.arn("codebuild", &format!("project/{name}"))
    }
}

/// The part after `<kind>` of a CodeBuild ARN of any account and region,
/// e.g. the build id of a build ARN; anything else is returned unchanged.
/// Ids are unique across worlds, so another world's ARN simply finds
/// nothing.
pub(crate) fn strip_arn<'a>(id_or_arn: &'a str, kind: &str) -> &'a str {
    let Some(rest) = id_or_arn.strip_prefix("arn:aws:codebuild:") else {
        return id_or_arn;
    };
    let mut parts = rest.splitn(3, ':');
    let (Some(_region), Some(_account), Some(resource)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return id_or_arn;
    };
    resource.strip_prefix(kind).unwrap_or(id_or_arn)
}

/// The projects of one world. Catalogs are built once per process and
/// shared by every world of the same scenario.
pub(crate) struct Catalog {
    projects: Vec<ProjectDef>,
    by_name: HashMap<&'static str, usize>,
}

/// How many projects the busy account has: the demo's plus derived ones.
pub(crate) const BUSY_PROJECTS: usize = 300;

/// Templates of the busy account's derived projects, with the suffix of
/// their names.
const DERIVED_FROM: &[(&str, &str)] = &[
    ("web-frontend", "web"),
    ("api-service", "api"),
    ("data-pipeline", "etl"),
    ("mobile-app", "mobile"),
    ("infra-terraform", "infra"),
    ("docs-site", "docs"),
    ("payments-api", "payments"),
];

impl Catalog {
    fn new(projects: Vec<ProjectDef>) -> Catalog {
        let by_name = projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name, i))
            .collect();
        Catalog { projects, by_name }
    }

    /// The demo's eleven projects.
    pub fn demo() -> &'static Catalog {
        static DEMO: OnceLock<Catalog> = OnceLock::new();
        DEMO.get_or_init(|| Catalog::new(PROJECTS.to_vec()))
    }

    /// No projects at all.
    pub fn empty() -> &'static Catalog {
        static EMPTY: OnceLock<Catalog> = OnceLock::new();
        EMPTY.get_or_init(|| Catalog::new(Vec::new()))
    }

    /// The demo's projects followed by `svc-001-web`, `svc-002-api`, ...
    /// made from the single-build templates in turn.
    pub fn busy() -> &'static Catalog {
        static NAMES: OnceLock<Vec<String>> = OnceLock::new();
        static BUSY: OnceLock<Catalog> = OnceLock::new();
        BUSY.get_or_init(|| {
            let derived = BUSY_PROJECTS - PROJECTS.len();
            let names = NAMES.get_or_init(|| {
                (0..derived)
                    .map(|i| {
                        let (_, suffix) = DERIVED_FROM[i % DERIVED_FROM.len()];
                        format!("svc-{:03}-{suffix}", i + 1)
                    })
                    .collect()
            });
            let mut projects = PROJECTS.to_vec();
            for (i, name) in names.iter().enumerate() {
                let (template, _) = DERIVED_FROM[i % DERIVED_FROM.len()];
                if let Some(def) = PROJECTS.iter().find(|p| p.name == template) {
                    projects.push(ProjectDef {
                        name: name.as_str(),
                        // Spread creation dates so sorting by them means something.
                        created_days_ago: def.created_days_ago + (i as i64 * 7) % 300,
                        modified_days_ago: def.modified_days_ago + (i as i64 * 3) % 40,
                        ..*def
                    });
                }
            }
            Catalog::new(projects)
        })
    }

    pub fn for_scenario(scenario: Scenario) -> &'static Catalog {
        match scenario {
            Scenario::Demo | Scenario::Quiet => Catalog::demo(),
            Scenario::Empty => Catalog::empty(),
            Scenario::Busy | Scenario::Scale { .. } => Catalog::busy(),
        }
    }

    pub fn projects(&'static self) -> &'static [ProjectDef] {
        &self.projects
    }

    /// Where the project sits in [`Catalog::projects`].
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// A project by name or by ARN (of any account and region).
    pub fn find(&'static self, name_or_arn: &str) -> Option<&'static ProjectDef> {
        let name = strip_arn(name_or_arn, "project/");
        self.by_name.get(name).map(|&i| &self.projects[i])
    }
}

impl ProjectDef {
    /// The inline buildspec, consistent with the commands failure contexts name.
    pub fn buildspec(&self) -> String {
        let mut spec = String::from("version: 0.2\n\nphases:\n");
        let mut section = |name: &str, cmds: &[&str]| {
            spec.push_str(&format!("  {name}:\n    commands:\n"));
            for cmd in cmds {
                spec.push_str(&format!("      - {cmd}\n"));
            }
        };
        section("install", &[self.install_cmd]);
        section("pre_build", &[self.pre_build_cmd]);
        section("build", self.build_cmds);
        section("post_build", &[self.post_build_cmd]);
        if self.uploads_artifacts {
            spec.push_str("\nartifacts:\n  files:\n    - '**/*'\n  base-directory: dist\n");
        }
        if let Some(batch) = self.batch {
            spec.push_str(&batchspec(batch));
        }
        spec
    }
}
