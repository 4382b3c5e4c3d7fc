//! Maven, Gradle and the Android SDK manager.

use super::{assemble, lines, minutes, Run};
use crate::rng::Rng;

const CLASSES: [&str; 8] = [
    "RefundServiceTest",
    "LedgerRepositoryIT",
    "CurrencyConverterTest",
    "PaymentControllerTest",
    "IdempotencyFilterTest",
    "WebhookSignatureTest",
    "SettlementJobIT",
    "FraudRulesTest",
];
const TASKS: [&str; 8] = [
    "compileDebugKotlin",
    "mergeDebugResources",
    "processDebugManifest",
    "compileReleaseKotlin",
    "lintAnalyzeDebug",
    "testDebugUnitTest",
    "bundleReleaseResources",
    "packageReleaseBundle",
];

pub(super) fn maven(run: &Run, rng: &mut Rng) -> Vec<String> {
    let goal = run.command.split_whitespace().nth(2).unwrap_or("verify");
    let project = run.project;
    let head = vec![
        "[INFO] Scanning for projects...".to_string(),
        format!("[INFO] -------------------< com.example:{project} >-------------------"),
        format!("[INFO] Building {project} 2.14.0-SNAPSHOT"),
        "[INFO] --------------------------------[ jar ]---------------------------------".into(),
    ];
    let time = format!("[INFO] Total time:  {}", minutes(rng.range(40.0, 400.0)));
    let mut tail = if run.fails {
        vec!["[INFO] BUILD FAILURE".to_string(), time]
    } else {
        vec!["[INFO] BUILD SUCCESS".to_string(), time]
    };
    if run.fails {
        let (lines_before, error) = maven_failure(goal, project, run);
        tail.splice(0..0, lines_before);
        tail.push(error);
    }
    let body = |rng: &mut Rng, i: usize| {
        match goal {
        "dependency:go-offline" => format!(
            "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/springframework/spring-core/6.1.{i}/spring-core-6.1.{i}.jar ({} kB at {:.1} MB/s)",
            200 + rng.below(1800),
            rng.range(2.0, 40.0)
        ),
        "checkstyle:check" => format!("[INFO] Checking src/main/java/com/example/payments/{}.java", CLASSES[i % CLASSES.len()].trim_end_matches("Test").trim_end_matches("IT")),
        "deploy" => format!(
            "[INFO] Uploaded to releases: https://maven.example.com/releases/com/example/{project}/2.14.0/{project}-2.14.0-part{i}.jar ({} kB at {:.1} MB/s)",
            10 + rng.below(900),
            rng.range(1.0, 20.0)
        ),
        _ => format!(
            "[INFO] Tests run: {}, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: {:.3} s -- in com.example.payments.{}",
            1 + rng.below(30),
            rng.range(0.05, 8.0),
            rng.pick(&CLASSES)
        ),
    }
    };
    assemble(run, rng, head, body, tail)
}

/// What Maven prints before its summary when `goal` fails, and its last
/// error line.
fn maven_failure(goal: &str, project: &str, run: &Run) -> (Vec<String>, String) {
    match goal {
        "dependency:go-offline" => (Vec::new(), format!(
            "[ERROR] Failed to execute goal on project {project}: Could not resolve dependencies for project com.example:{project}:jar:2.14.0-SNAPSHOT: Connection reset"
        )),
        "checkstyle:check" => (
            lines(&["[ERROR] src/main/java/com/example/payments/RefundService.java:[42,5] (sizes) LineLength: Line is longer than 120 characters (found 131)."]),
            format!("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-checkstyle-plugin:3.6.0:check (default-cli) on project {project}: You have 1 Checkstyle violation."),
        ),
        "deploy" => (Vec::new(), format!(
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:3.1.2:deploy (default-deploy) on project {project}: status code: 401, reason phrase: Unauthorized (401)"
        )),
        _ => (
            run.failures
                .iter()
                .flat_map(|f| {
                    [
                        format!("[ERROR] Tests run: 14, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 2.318 s <<< FAILURE! -- in {}", f.suite),
                        format!("[ERROR] {}.{} -- Time elapsed: 0.041 s <<< FAILURE!", f.suite, f.name),
                        f.message.to_string(),
                        format!("\tat {}", f.location),
                    ]
                })
                .collect(),
            format!("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project {project}: There are test failures."),
        ),
    }
}

pub(super) fn gradle(run: &Run, rng: &mut Rng) -> Vec<String> {
    let head = lines(&[
        "Downloading https://services.gradle.org/distributions/gradle-8.10.2-bin.zip",
        "Welcome to Gradle 8.10.2!",
        "Starting a Gradle Daemon (subsequent builds will be faster)",
    ]);
    let took = minutes(rng.range(60.0, 500.0));
    let tail = if run.fails {
        let mut tail = vec!["> Task :app:testDebugUnitTest FAILED".to_string()];
        for f in run.failures {
            tail.push(format!("{} > {} FAILED", f.suite, f.name));
            tail.push(format!("    {} at {}", f.message, f.location));
        }
        tail.extend([
            "FAILURE: Build failed with an exception.".to_string(),
            "* What went wrong:".to_string(),
            "Execution failed for task ':app:testDebugUnitTest'.".to_string(),
            format!("BUILD FAILED in {took}"),
        ]);
        tail
    } else {
        vec![
            format!("BUILD SUCCESSFUL in {took}"),
            format!("{0} actionable tasks: {0} executed", 40 + rng.below(80)),
        ]
    };
    let body = |rng: &mut Rng, _| format!("> Task :app:{}", rng.pick(&TASKS));
    assemble(run, rng, head, body, tail)
}

pub(super) fn sdk_licenses(run: &Run, _rng: &mut Rng) -> Vec<String> {
    let mut out = lines(&[
        "7 of 7 SDK package licenses not accepted.",
        "Review licenses that have not been accepted (y/N)? ",
    ]);
    out.push(if run.fails {
        "Error: Failed to read or create install properties file.".into()
    } else {
        "All SDK package licenses accepted.".into()
    });
    out
}
