//! The per-file coverages of a CODE_COVERAGE report: each file keeps its
//! size and roughly its coverage from build to build.

use serde_json::{json, Value};

use super::failures::Runner;
use super::{project_unit, unit};
use crate::build::Build;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FileCoverage {
    pub file_path: String,
    pub lines_covered: i64,
    pub lines_missed: i64,
    pub branches_covered: i64,
    pub branches_missed: i64,
}

impl FileCoverage {
    pub fn line_percentage(&self) -> f64 {
        percentage(self.lines_covered, self.lines_missed)
    }

    pub fn branch_percentage(&self) -> f64 {
        percentage(self.branches_covered, self.branches_missed)
    }
}

/// covered / (covered + missed) in percent, two decimals; 0 of nothing.
pub(crate) fn percentage(covered: i64, missed: i64) -> f64 {
    let total = covered + missed;
    if total == 0 {
        return 0.0;
    }
    (covered as f64 * 10_000.0 / total as f64).round() / 100.0
}

fn files(runner: Runner) -> &'static [&'static str] {
    match runner {
        Runner::Jest => &[
            "src/components/Cart.tsx",
            "src/components/Checkout.tsx",
            "src/components/ProductCard.tsx",
            "src/components/SearchBar.tsx",
            "src/components/OrderHistory.tsx",
            "src/components/LoginForm.tsx",
            "src/checkout/Payment.tsx",
            "src/api/client.ts",
            "src/api/retry.ts",
            "src/i18n/currency.ts",
            "src/state/cart.ts",
            "src/state/session.ts",
        ],
        Runner::Pytest => &[
            "src/pipeline/__init__.py",
            "src/pipeline/extract.py",
            "src/pipeline/transform.py",
            "src/pipeline/load.py",
            "src/pipeline/checks.py",
            "src/pipeline/schedule.py",
            "src/pipeline/publish.py",
            "src/pipeline/validate.py",
        ],
        Runner::Surefire => &[
            "src/main/java/com/example/payments/RefundService.java",
            "src/main/java/com/example/payments/LedgerRepository.java",
            "src/main/java/com/example/payments/CurrencyConverter.java",
            "src/main/java/com/example/payments/PaymentController.java",
            "src/main/java/com/example/payments/IdempotencyFilter.java",
            "src/main/java/com/example/payments/WebhookSignature.java",
            "src/main/java/com/example/payments/SettlementJob.java",
            "src/main/java/com/example/payments/FraudRules.java",
            "src/main/java/com/example/payments/Money.java",
        ],
        Runner::CargoTest | Runner::Gradle => &[],
    }
}

/// The file coverages of `build`'s CODE_COVERAGE report, by file path.
pub(crate) fn file_coverages(build: &Build, runner: Runner) -> Vec<FileCoverage> {
    let project = &build.project;
    let mut out: Vec<FileCoverage> = files(runner)
        .iter()
        .map(|path| {
            let lines = 20 + (project_unit(project, path) * 480.0) as i64;
            let branches = lines / 6;
            // A file's coverage drifts a few points between builds.
            let base = 0.35 + 0.6 * project_unit(project, &format!("{path}/cov"));
            let line_share = (base + 0.04 * (unit(build, path) - 0.5)).clamp(0.0, 1.0);
            let branch_share = (line_share - 0.1).clamp(0.0, 1.0);
            let lines_covered = (lines as f64 * line_share).round() as i64;
            let branches_covered = (branches as f64 * branch_share).round() as i64;
            FileCoverage {
                file_path: (*path).to_string(),
                lines_covered,
                lines_missed: lines - lines_covered,
                branches_covered,
                branches_missed: branches - branches_covered,
            }
        })
        .collect();
    out.sort_by(|a, b| a.file_path.cmp(&b.file_path));
    out
}

/// The CodeCoverageReportSummary of `files`.
pub(crate) fn coverage_summary(files: &[FileCoverage]) -> Value {
    let sum = |f: fn(&FileCoverage) -> i64| files.iter().map(f).sum::<i64>();
    let (lc, lm) = (sum(|f| f.lines_covered), sum(|f| f.lines_missed));
    let (bc, bm) = (sum(|f| f.branches_covered), sum(|f| f.branches_missed));
    json!({
        "lineCoveragePercentage": percentage(lc, lm),
        "linesCovered": lc,
        "linesMissed": lm,
        "branchCoveragePercentage": percentage(bc, bm),
        "branchesCovered": bc,
        "branchesMissed": bm,
    })
}
