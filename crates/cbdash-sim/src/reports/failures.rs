//! The tests that fail in a build whose test command fails. The build's log
//! prints them and its TEST report lists them, both from here, so the two
//! always name the same tests.

use crate::build::Build;
use crate::plan_gen::KILLED;
use crate::timeline::Ending;

/// The test runners of the catalog, by the command that runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Runner {
    Jest,
    CargoTest,
    Pytest,
    Gradle,
    Surefire,
}

impl Runner {
    /// The runner `command` starts, if it runs tests.
    pub fn of(command: &str) -> Option<Runner> {
        const PREFIXES: [(&str, Runner); 5] = [
            ("npm test", Runner::Jest),
            ("cargo test", Runner::CargoTest),
            ("pytest", Runner::Pytest),
            ("./gradlew test", Runner::Gradle),
            ("mvn -B verify", Runner::Surefire),
        ];
        PREFIXES
            .iter()
            .find(|(prefix, _)| command.starts_with(prefix))
            .map(|(_, runner)| *runner)
    }
}

/// One failing test as its runner names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FailingTest {
    /// The file, module or class holding the test.
    pub suite: &'static str,
    pub name: &'static str,
    /// The assertion's first line.
    pub message: &'static str,
    /// Lines the runner prints between the message and the location.
    pub details: &'static [&'static str],
    /// Where it failed, as the runner prints it.
    pub location: &'static str,
}

const JEST: &[FailingTest] = &[FailingTest {
    suite: "src/checkout/Payment.test.tsx",
    name: "Payment › confirms the order with a saved card",
    message: "expect(received).toBe(expected) // Object.is equality",
    details: &["Expected: \"confirmed\"", "Received: \"pending\""],
    location: "at Object.toBe (src/checkout/Payment.test.tsx:41:26)",
}];

const CARGO: &[FailingTest] = &[FailingTest {
    suite: "handlers::payments::tests",
    name: "refund_rounds_to_cents",
    message: "assertion `left == right` failed",
    details: &["  left: 1999", " right: 2000"],
    location: "src/handlers/payments.rs:88:9",
}];

const PYTEST: &[FailingTest] = &[FailingTest {
    suite: "tests/test_transform.py",
    name: "test_dedupe_orders",
    message: "assert 1205 == 1204",
    details: &[
        "    def test_dedupe_orders(orders_frame):",
        ">       assert dedupe(orders_frame).shape[0] == 1204",
    ],
    location: "tests/test_transform.py:88",
}];

/// What Python 3.12 (the standard:7.0 image) breaks in the data pipeline's
/// tests: the demo's regression.
pub(crate) const PYTHON_312: &[FailingTest] = &[
    FailingTest {
        suite: "tests/test_load.py",
        name: "test_partition_dates_are_utc",
        message: "DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version. Use timezone-aware objects to represent datetimes in UTC: datetime.datetime.now(datetime.UTC).",
        details: &[
            "    def test_partition_dates_are_utc(loader):",
            ">       assert loader.partition_for(ORDER).tzinfo is None",
        ],
        location: "src/pipeline/load.py:57",
    },
    FailingTest {
        suite: "tests/test_schedule.py",
        name: "test_backfill_window",
        message: "AttributeError: module 'distutils' has no attribute 'util'",
        details: &[
            "    def test_backfill_window():",
            ">       window = backfill_window(\"2024-11-01\", days=7)",
        ],
        location: "src/pipeline/schedule.py:14",
    },
];

const GRADLE: &[FailingTest] = &[FailingTest {
    suite: "CartViewModelTest",
    name: "totalIncludesTax",
    message: "java.lang.AssertionError",
    details: &[],
    location: "CartViewModelTest.kt:42",
}];

const SUREFIRE: &[FailingTest] = &[FailingTest {
    suite: "com.example.payments.RefundServiceTest",
    name: "refundsPartialAmount",
    message: "org.opentest4j.AssertionFailedError: expected: <19.99> but was: <20.00>",
    details: &[],
    location:
        "com.example.payments.RefundServiceTest.refundsPartialAmount(RefundServiceTest.java:88)",
}];

/// The image whose Python breaks the data pipeline's tests.
pub(crate) const REGRESSED_IMAGE: &str = "aws/codebuild/standard:7.0";
pub(crate) const REGRESSED_PROJECT: &str = "data-pipeline";

/// The tests `runner` reports failing in `build` when its command fails.
pub(crate) fn failing_for(build: &Build, runner: Runner) -> &'static [FailingTest] {
    match runner {
        Runner::Jest => JEST,
        Runner::CargoTest => CARGO,
        Runner::Pytest
            if build.project == REGRESSED_PROJECT && build.settings.image() == REGRESSED_IMAGE =>
        {
            PYTHON_312
        }
        Runner::Pytest => PYTEST,
        Runner::Gradle => GRADLE,
        Runner::Surefire => SUREFIRE,
    }
}

/// The command whose failure ends the build, when it is a test command.
pub(crate) fn failed_test_command(build: &Build) -> Option<(&str, Runner)> {
    let Ending::Breaks { context, .. } = &build.plan.ending else {
        return None;
    };
    let (command, status) = context
        .message
        .strip_prefix("Error while executing command: ")?
        .rsplit_once(". Reason: exit status ")?;
    // A runner the OOM killer ends fails no test: it never reports.
    if status == KILLED.to_string() {
        return None;
    }
    Runner::of(command).map(|runner| (command, runner))
}

/// The tests failing in `build`; empty when its tests pass (or never ran).
pub(crate) fn failing_tests(build: &Build) -> &'static [FailingTest] {
    match failed_test_command(build) {
        Some((_, runner)) => failing_for(build, runner),
        None => &[],
    }
}
