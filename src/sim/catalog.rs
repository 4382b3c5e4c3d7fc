//! The simulated account's projects and their configuration.

use super::batch_projects::{batchspec, BatchDef, E2E_SUITES, MONOREPO_CI, SDK_MATRIX};

pub(crate) const ACCOUNT: &str = "123456789012";
pub(crate) const REGION: &str = "us-east-1";

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
        modified_days_ago: 21,
        batch: None,
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
    },
    MONOREPO_CI,
    SDK_MATRIX,
    E2E_SUITES,
];

pub(crate) fn find(name_or_arn: &str) -> Option<&'static ProjectDef> {
    let name = name_or_arn
        .strip_prefix(&format!("arn:aws:codebuild:{REGION}:{ACCOUNT}:project/"))
        .unwrap_or(name_or_arn);
    PROJECTS.iter().find(|p| p.name == name)
}

pub(crate) fn project_arn(name: &str) -> String {
    format!("arn:aws:codebuild:{REGION}:{ACCOUNT}:project/{name}")
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
