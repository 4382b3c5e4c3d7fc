//! Terraform, Docker, the AWS CLI and make.

use super::{assemble, lines, Run};
use crate::rng::Rng;

const RESOURCES: [&str; 10] = [
    "aws_s3_bucket.assets",
    "aws_ecs_service.api",
    "aws_iam_role.codebuild",
    "aws_cloudfront_distribution.web",
    "aws_rds_cluster.main",
    "aws_security_group.api",
    "aws_lb_listener.https",
    "aws_route53_record.api",
    "module.vpc.aws_subnet.private[0]",
    "module.vpc.aws_nat_gateway.this[0]",
];

fn resource(rng: &mut Rng) -> &'static str {
    RESOURCES[rng.below(RESOURCES.len())]
}

/// Terraform's boxed error, as it prints one without a TTY.
fn terraform_error(summary: &str, detail: &str) -> Vec<String> {
    vec![
        "╷".to_string(),
        format!("│ Error: {summary}"),
        "│".to_string(),
        format!("│ {detail}"),
        "╵".to_string(),
    ]
}

pub(super) fn tfenv(run: &Run, _rng: &mut Rng) -> Vec<String> {
    let mut out = lines(&[
        "Installing Terraform v1.9.8",
        "Downloading release tarball from https://releases.hashicorp.com/terraform/1.9.8/terraform_1.9.8_linux_amd64.zip",
        "Downloading SHA hash file from https://releases.hashicorp.com/terraform/1.9.8/terraform_1.9.8_SHA256SUMS",
    ]);
    out.push(if run.fails {
        "tfenv: [ERROR] SHA256 hash does not match!".into()
    } else {
        "Installation of terraform v1.9.8 successful. To make this your default version, run 'tfenv use 1.9.8'".into()
    });
    out
}

pub(super) fn terraform_init(run: &Run, _rng: &mut Rng) -> Vec<String> {
    let mut out = lines(&[
        "Initializing the backend...",
        "Successfully configured the backend \"s3\"! Terraform will automatically",
        "use this backend unless the backend configuration changes.",
        "Initializing provider plugins...",
        "- Finding hashicorp/aws versions matching \"~> 5.0\"...",
        "- Installing hashicorp/aws v5.76.0...",
        "- Installed hashicorp/aws v5.76.0 (signed by HashiCorp)",
    ]);
    if run.fails {
        out.extend(terraform_error(
            "Failed to get existing workspaces: AccessDenied: Access Denied",
            "status code: 403, request id: 7QK4T1M0ZB2X9D3A",
        ));
    } else {
        out.push("Terraform has been successfully initialized!".into());
    }
    out
}

pub(super) fn terraform_validate(run: &Run, _rng: &mut Rng) -> Vec<String> {
    if run.fails {
        return terraform_error(
            "Reference to undeclared input variable",
            "on main.tf line 42, in module \"vpc\": An input variable with the name \"cidr\" has not been declared.",
        );
    }
    lines(&["Success! The configuration is valid."])
}

pub(super) fn terraform_plan(run: &Run, rng: &mut Rng) -> Vec<String> {
    let tail = if run.fails {
        terraform_error(
            "creating EC2 Subnet: InvalidSubnet.Conflict",
            "The CIDR '10.0.32.0/20' conflicts with another subnet",
        )
    } else {
        let (add, change) = (rng.below(4), 1 + rng.below(5));
        vec![
            String::new(),
            format!("Plan: {add} to add, {change} to change, 0 to destroy."),
            String::new(),
            "Saved the plan to: tfplan".to_string(),
        ]
    };
    let body = |rng: &mut Rng, _| {
        let id = rng.hex(8);
        format!("{}: Refreshing state... [id={id}]", resource(rng))
    };
    assemble(run, rng, Vec::new(), body, tail)
}

pub(super) fn terraform_apply(run: &Run, rng: &mut Rng) -> Vec<String> {
    let tail = if run.fails {
        terraform_error(
            "Saved plan is stale",
            "The given plan file can no longer be applied because the state was changed by another operation after the plan was created.",
        )
    } else {
        vec![format!(
            "Apply complete! Resources: {} added, {} changed, 0 destroyed.",
            rng.below(4),
            1 + rng.below(5)
        )]
    };
    let body = |rng: &mut Rng, i: usize| {
        let name = resource(rng);
        if i % 2 == 0 {
            format!("{name}: Modifying... [id={}]", rng.hex(8))
        } else {
            format!(
                "{name}: Still modifying... [{}s elapsed]",
                10 * (1 + rng.below(9))
            )
        }
    };
    assemble(run, rng, Vec::new(), body, tail)
}

pub(super) fn docker_push(run: &Run, rng: &mut Rng) -> Vec<String> {
    let head = vec![
        "The push refers to repository [123456789012.dkr.ecr.us-east-1.amazonaws.com/api-service]"
            .to_string(),
    ];
    let tail = if run.fails {
        lines(&["denied: Your authorization token has expired. Reauthenticate and try again."])
    } else {
        vec![format!(
            "{}: digest: sha256:{} size: 2417",
            rng.hex(40),
            rng.hex(64)
        )]
    };
    let body = |rng: &mut Rng, _| {
        let verdict = if rng.chance(0.5) {
            "Pushed"
        } else {
            "Layer already exists"
        };
        format!("{}: {verdict}", rng.hex(12))
    };
    assemble(run, rng, head, body, tail)
}

pub(super) fn s3_sync(run: &Run, rng: &mut Rng) -> Vec<String> {
    let (dir, bucket) = {
        let mut words = run.command.split_whitespace().skip(3);
        (
            words.next().unwrap_or("dist/"),
            words.next().unwrap_or("s3://bucket"),
        )
    };
    let tail = if run.fails {
        vec![format!("upload failed: {dir}index.html to {bucket}/index.html An error occurred (AccessDenied) when calling the PutObject operation: Access Denied")]
    } else {
        Vec::new()
    };
    let body = |rng: &mut Rng, i: usize| {
        let file = format!("assets/chunk-{i}-{}.js", rng.hex(8));
        format!("upload: {dir}{file} to {bucket}/{file}")
    };
    assemble(run, rng, Vec::new(), body, tail)
}

pub(super) fn make(run: &Run, rng: &mut Rng) -> Vec<String> {
    let target = run.command.split_whitespace().nth(1).unwrap_or("all");
    let lint = target == "lint";
    let ext = if run.project.contains("terraform") {
        "tf"
    } else {
        "md"
    };
    let head = vec![format!("make[1]: Entering directory '{}'", run.src_dir)];
    let mut tail = match (run.fails, lint) {
        (false, _) => vec![format!("make[1]: Leaving directory '{}'", run.src_dir)],
        (true, true) => vec![format!(
            "modules/network/main.{ext}:14:1: error: declared but never used"
        )],
        (true, false) => vec![
            format!(
                "--- FAIL: TestRoundTrip/{target} (0.{:02}s)",
                rng.below(100)
            ),
            "    client_test.go:57: unexpected status 503".to_string(),
            "FAIL".to_string(),
        ],
    };
    if run.fails {
        tail.push(format!("make: *** [Makefile:12: {target}] Error 1"));
    }
    let body = |rng: &mut Rng, i: usize| {
        if lint {
            format!("checked modules/part{i}/main.{ext}: 0 issues")
        } else {
            format!("ok  \texample.com/sdk/pkg{i}\t{:.3}s", rng.range(0.01, 4.0))
        }
    };
    assemble(run, rng, head, body, tail)
}
