//! The test cases of a TEST report: a stable set of passing tests for the
//! project (a few more as the week goes on, a skipped one now and then) and
//! the failing tests of [`super::failing_tests`].

use super::failures::{failing_tests, Runner};
use super::{project_unit, unit};
use crate::build::Build;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TestCase {
    /// The suite (file, module or class) the test belongs to.
    pub suite: String,
    pub name: String,
    /// SUCCEEDED, FAILED or SKIPPED.
    pub status: &'static str,
    pub duration_ns: i64,
    /// The failure's message and stack lines; empty for passing tests.
    pub message: String,
}

/// (suites, tests) a runner's passing cases are named from.
fn names(runner: Runner) -> (&'static [&'static str], &'static [&'static str]) {
    match runner {
        Runner::Jest => (
            &[
                "src/components/Cart.test.tsx",
                "src/components/Checkout.test.tsx",
                "src/components/ProductCard.test.tsx",
                "src/components/SearchBar.test.tsx",
                "src/components/OrderHistory.test.tsx",
                "src/components/LoginForm.test.tsx",
            ],
            &[
                "renders without crashing",
                "shows an empty state",
                "formats prices in the shopper's currency",
                "disables submit while loading",
                "keeps focus after closing the dialog",
                "debounces typing",
                "retries a failed request",
            ],
        ),
        Runner::CargoTest => (
            &[
                "handlers::orders::tests",
                "handlers::payments::tests",
                "handlers::auth::tests",
                "handlers::inventory::tests",
                "handlers::webhooks::tests",
            ],
            &[
                "rejects_a_missing_token",
                "creates_an_order",
                "pagination_is_stable",
                "retries_on_conflict",
                "returns_404_for_unknown_ids",
            ],
        ),
        Runner::Pytest => (
            &[
                "tests/test_extract.py",
                "tests/test_transform.py",
                "tests/test_checks.py",
                "tests/test_publish.py",
            ],
            &[
                "test_reads_orders",
                "test_drops_null_keys",
                "test_casts_amounts",
                "test_joins_customers",
                "test_writes_parquet",
                "test_idempotent_rerun",
            ],
        ),
        Runner::Gradle => (
            &[
                "CartViewModelTest",
                "CheckoutRepositoryTest",
                "ProductMapperTest",
                "LoginUseCaseTest",
            ],
            &[
                "emitsLoadingFirst",
                "mapsApiErrors",
                "cachesTheLastResult",
                "clearsOnLogout",
                "restoresState",
            ],
        ),
        Runner::Surefire => (
            &[
                "com.example.payments.RefundServiceTest",
                "com.example.payments.LedgerRepositoryIT",
                "com.example.payments.CurrencyConverterTest",
                "com.example.payments.PaymentControllerTest",
                "com.example.payments.WebhookSignatureTest",
            ],
            &[
                "rejectsUnknownCurrency",
                "roundsHalfEven",
                "persistsEntries",
                "returns404ForUnknownPayment",
                "verifiesSignature",
                "isIdempotent",
            ],
        ),
    }
}

/// The cases of `build`'s TEST report, passing ones first by suite, then
/// the failing ones.
pub(crate) fn test_cases(build: &Build, runner: Runner) -> Vec<TestCase> {
    let (suites, tests) = names(runner);
    let base = suites.len() * tests.len();
    // Most of the project's tests run in every build; a few are new.
    let count = (base as f64 * (0.7 + 0.2 * project_unit(&build.project, "tests"))) as usize
        + (unit(build, "extra") * 4.0) as usize;
    let count = count.min(base);
    let skipped = (unit(build, "skipped") * 3.0) as usize;
    let failing = failing_tests(build);
    let mut out = Vec::with_capacity(count + failing.len());
    for i in 0..count {
        let suite = suites[i % suites.len()];
        let name = tests[(i / suites.len()) % tests.len()];
        let what = format!("{suite}/{name}");
        let status = if i >= count.saturating_sub(skipped) {
            "SKIPPED"
        } else {
            "SUCCEEDED"
        };
        let duration_ns = if status == "SKIPPED" {
            0
        } else {
            (1_000_000.0 + unit(build, &what) * 900_000_000.0) as i64
        };
        out.push(TestCase {
            suite: suite.to_string(),
            name: name.to_string(),
            status,
            duration_ns,
            message: String::new(),
        });
    }
    out.sort_by(|a, b| a.suite.cmp(&b.suite));
    for f in failing {
        let mut message = f.message.to_string();
        for line in f.details {
            message.push('\n');
            message.push_str(line.trim_end());
        }
        message.push('\n');
        message.push_str(f.location);
        out.push(TestCase {
            suite: f.suite.to_string(),
            name: f.name.to_string(),
            status: "FAILED",
            duration_ns: (5_000_000.0 + unit(build, f.name) * 400_000_000.0) as i64,
            message,
        });
    }
    out
}
