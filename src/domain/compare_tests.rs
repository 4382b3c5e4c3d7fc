use std::sync::Arc;

use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::{phase_type, Overrides, Phase};

fn var(name: &str, value: &str, kind: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value: value.into(),
        kind: kind.into(),
    }
}

fn build(n: i64, status: Status, source: &str, ran_with: Overrides) -> Build {
    let mut b = Build::new(&format!("app:{n:04}"));
    b.number = Some(n);
    b.status = status;
    b.complete = true;
    b.source_version = Some(source.into());
    b.start = Utc.timestamp_opt(1_700_000_000 + n * 600, 0).single();
    b.ran_with = Arc::new(ran_with);
    b
}

fn phase(name: &str, secs: i64) -> Phase {
    Phase {
        phase_type: phase_type(name),
        status: Some(Status::Succeeded),
        start: None,
        end: None,
        duration_secs: Some(secs),
        contexts: Vec::new(),
    }
}

fn labels(c: &Comparison) -> Vec<&str> {
    c.settings.iter().map(|r| r.label.as_str()).collect()
}

fn find<'a>(c: &'a Comparison, label: &str) -> &'a Row {
    c.settings
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("no row {label} in {:?}", labels(c)))
}

#[test]
fn identical_builds_differ_in_nothing_but_their_phases() {
    let a = build(2, Status::Failed, "main", Overrides::default());
    let b = build(1, Status::Succeeded, "main", Overrides::default());
    let c = compare(&a, &b, false);
    assert!(c.same_settings(), "{:?}", c.settings);
    assert!(plain_lines(&c).iter().any(|l| l == "settings: the same"));
}

#[test]
fn each_setting_that_differs_is_listed_with_both_values() {
    let mut a = build(
        2,
        Status::Failed,
        "feature",
        Overrides {
            image: Some("aws/codebuild/standard:7.0".into()),
            compute_type: Some("BUILD_GENERAL1_LARGE".into()),
            buildspec: Some("version: 0.2\nphases:\n  build: {}".into()),
            queued_timeout_minutes: Some(30),
            ..Overrides::default()
        },
    );
    a.timeout_minutes = Some(90);
    a.initiator = Some("alice".into());
    a.resolved_source_version = Some("a".repeat(40));
    let mut b = build(
        1,
        Status::Succeeded,
        "main",
        Overrides {
            image: Some("aws/codebuild/standard:6.0".into()),
            compute_type: Some("BUILD_GENERAL1_SMALL".into()),
            queued_timeout_minutes: Some(480),
            ..Overrides::default()
        },
    );
    b.timeout_minutes = Some(60);
    b.initiator = Some("bob".into());
    b.resolved_source_version = Some("b".repeat(40));
    let c = compare(&a, &b, false);
    assert_eq!(
        labels(&c),
        [
            "source version",
            "commit",
            "image",
            "compute type",
            "buildspec",
            "timeout",
            "queued timeout",
            "initiator"
        ]
    );
    let image = find(&c, "image");
    assert_eq!(
        (image.this.as_str(), image.other.as_str()),
        ("aws/codebuild/standard:7.0", "aws/codebuild/standard:6.0")
    );
    let spec = find(&c, "buildspec");
    assert_eq!(spec.this, "version: 0.2 (3 lines)");
    assert_eq!(spec.other, "the project's");
    assert_eq!(find(&c, "timeout").this, "90 min");
    assert_eq!(find(&c, "queued timeout").other, "480 min");
    assert_eq!(find(&c, "initiator").other, "bob");
}

#[test]
fn variables_added_removed_and_changed() {
    let a = build(
        2,
        Status::Failed,
        "main",
        Overrides {
            env_vars: vec![
                var("SAME", "1", "PLAINTEXT"),
                var("NEW", "x", "PLAINTEXT"),
                var("CHANGED", "after", "PLAINTEXT"),
            ],
            ..Overrides::default()
        },
    );
    let b = build(
        1,
        Status::Succeeded,
        "main",
        Overrides {
            env_vars: vec![
                var("SAME", "1", "PLAINTEXT"),
                var("GONE", "y", "PLAINTEXT"),
                var("CHANGED", "before", "PLAINTEXT"),
            ],
            ..Overrides::default()
        },
    );
    let c = compare(&a, &b, false);
    assert_eq!(labels(&c), ["env CHANGED", "env NEW", "env GONE"]);
    let changed = find(&c, "env CHANGED");
    assert_eq!(
        (changed.this.as_str(), changed.other.as_str()),
        ("after", "before")
    );
    assert_eq!(find(&c, "env NEW").note, "added");
    assert_eq!(find(&c, "env GONE").note, "removed");
    assert_eq!(find(&c, "env GONE").other, "y");
}

#[test]
fn masking_hides_plaintext_values_but_still_says_they_changed() {
    let with = |v: &str| Overrides {
        env_vars: vec![var("TOKEN", v, "PLAINTEXT")],
        ..Overrides::default()
    };
    let a = build(2, Status::Failed, "main", with("hunter2"));
    let b = build(1, Status::Succeeded, "main", with("letmein"));
    let c = compare(&a, &b, true);
    let row = find(&c, "env TOKEN");
    assert_eq!(row.note, "value changed");
    let text = plain_lines(&c).join("\n");
    assert!(
        !text.contains("hunter2") && !text.contains("letmein"),
        "{text}"
    );
}

#[test]
fn references_are_shown_by_name_even_when_masking() {
    let a = build(
        2,
        Status::Failed,
        "main",
        Overrides {
            env_vars: vec![
                var("DB", "/prod/db-password", "PARAMETER_STORE"),
                var(
                    "KEY",
                    "arn:aws:secretsmanager:eu-west-1:1:secret:k",
                    "SECRETS_MANAGER",
                ),
            ],
            ..Overrides::default()
        },
    );
    let b = build(
        1,
        Status::Succeeded,
        "main",
        Overrides {
            env_vars: vec![var("DB", "plain", "PLAINTEXT")],
            ..Overrides::default()
        },
    );
    let c = compare(&a, &b, true);
    let db = find(&c, "env DB");
    assert_eq!(db.this, "parameter ref /prod/db-password");
    assert_eq!(db.other, "••••••");
    assert_eq!(db.note, "PLAINTEXT → PARAMETER_STORE");
    assert_eq!(
        find(&c, "env KEY").this,
        "secret ref arn:aws:secretsmanager:eu-west-1:1:secret:k"
    );
}

#[test]
fn huge_variable_lists_and_long_values_are_capped() {
    let many = |prefix: &str| Overrides {
        env_vars: (0..20_000)
            .map(|i| var(&format!("{prefix}{i:05}"), &"v".repeat(300), "PLAINTEXT"))
            .collect(),
        ..Overrides::default()
    };
    let a = build(2, Status::Failed, "main", many("A"));
    let b = build(1, Status::Succeeded, "main", many("B"));
    let c = compare(&a, &b, false);
    assert_eq!(c.settings.len(), ENV_LIMIT + 1);
    let last = c.settings.last().map(|r| r.label.clone());
    assert_eq!(last.as_deref(), Some("… 9960 more"));
    assert!(c.settings[0].this.chars().count() <= VALUE_LIMIT + 1);
    assert!(c.settings[0].this.ends_with('…'));
    assert!(c.notes.iter().any(|n| n.contains("only the first 5000")));
}

#[test]
fn phases_carry_both_durations_and_the_delta() {
    let mut a = build(2, Status::Failed, "main", Overrides::default());
    a.phases = vec![
        phase("INSTALL", 30),
        phase("BUILD", 125),
        phase("NEW_PHASE", 1),
    ];
    let mut b = build(1, Status::Succeeded, "main", Overrides::default());
    b.phases = vec![
        phase("INSTALL", 30),
        phase("BUILD", 60),
        phase("POST_BUILD", 5),
    ];
    let c = compare(&a, &b, false);
    let rows: Vec<(&str, &str, &str, &str)> = c
        .phases
        .iter()
        .map(|r| (&*r.label, &*r.this, &*r.other, &*r.note))
        .collect();
    assert_eq!(
        rows,
        [
            ("INSTALL", "30s", "30s", "="),
            ("BUILD", "2m05s", "1m00s", "+1m05s"),
            ("POST_BUILD", "—", "5s", ""),
            ("NEW_PHASE", "1s", "—", ""),
        ]
    );
}

#[test]
fn commit_links_for_known_hosts_only() {
    let with = |kind: &str, location: &str| {
        let mut b = build(
            1,
            Status::Succeeded,
            "main",
            Overrides {
                source_type: Some(kind.into()),
                source_location: Some(location.into()),
                ..Overrides::default()
            },
        );
        b.resolved_source_version = Some("0123456789abcdef0123456789abcdef01234567".into());
        commit_link(&b)
    };
    let sha = "0123456789abcdef0123456789abcdef01234567";
    assert_eq!(
        with("GITHUB", "https://github.com/example/app.git"),
        Some(format!("https://github.com/example/app/commit/{sha}"))
    );
    assert_eq!(
        with("BITBUCKET", "https://bitbucket.org/team/app"),
        Some(format!("https://bitbucket.org/team/app/commits/{sha}"))
    );
    assert_eq!(
        with("CODECOMMIT", "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/app"),
        Some(format!("https://eu-west-1.console.aws.amazon.com/codesuite/codecommit/repositories/app/commit/{sha}?region=eu-west-1"))
    );
    assert_eq!(with("S3", "bucket/key.zip"), None);
    assert_eq!(with("GITHUB", "https://github.com/a/b\u{1b}]8;;x"), None);
    assert_eq!(with("GITHUB", "https://evil.example/a/b"), None);
    // A "region" holding a host and a path moves no link off the console.
    assert_eq!(
        with(
            "CODECOMMIT",
            "https://git-codecommit.evil.example/x.amazonaws.com/v1/repos/app"
        ),
        None
    );
}

#[test]
fn the_baseline_is_the_newest_earlier_success_on_the_same_source() {
    let target = build(10, Status::Failed, "main", Overrides::default());
    let later = build(11, Status::Succeeded, "main", Overrides::default());
    let other_branch = build(9, Status::Succeeded, "feature", Overrides::default());
    let same = build(7, Status::Succeeded, "main", Overrides::default());
    let older = build(3, Status::Succeeded, "main", Overrides::default());
    let failed = build(8, Status::Failed, "main", Overrides::default());
    let mut other_project = build(9, Status::Succeeded, "main", Overrides::default());
    other_project.project = "else".into();
    let all = [
        &later,
        &other_branch,
        &failed,
        &older,
        &same,
        &other_project,
    ];
    let found = baseline(&target, all);
    assert_eq!(found.same_source.map(|b| b.number), Some(Some(7)));
    assert_eq!(found.any.map(|b| b.number), Some(Some(9)));
    assert!(found.settled(&target));
    let only_other = baseline(&target, [&other_branch, &later]);
    assert_eq!(only_other.best().map(|b| b.number), Some(Some(9)));
    assert!(
        !only_other.settled(&target),
        "a same-source success may be further back"
    );
    assert!(baseline(&target, [&later, &failed]).best().is_none());
}
