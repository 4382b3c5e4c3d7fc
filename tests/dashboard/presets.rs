//! Saved launch-form presets and the last-used overrides, against a real file.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};

use cbdash::domain::{BatchConfig, EnvVar, Overrides};
use cbdash::presets::{NameProblem, Preset, PresetError, PresetStore};

/// A directory of its own per test, removed afterwards.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("cbdash-presets-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        TempDir(dir)
    }

    /// Nested, so saving has to create the directories.
    fn store(&self) -> PresetStore {
        PresetStore::at(self.0.join("data").join("presets.json"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, second)
        .single()
        .expect("valid time")
}

fn preset(name: &str) -> Preset {
    Preset {
        name: name.to_owned(),
        overrides: Overrides {
            source_version: Some(format!("refs/heads/{name}")),
            ..Overrides::default()
        },
        batch: None,
        saved_at: at(0),
        withheld: Vec::new(),
    }
}

fn names(presets: &[Preset]) -> Vec<&str> {
    presets.iter().map(|p| p.name.as_str()).collect()
}

fn every_field() -> Preset {
    Preset {
        name: "release".to_owned(),
        overrides: Overrides {
            source_version: Some("v1.2.3".to_owned()),
            env_vars: vec![
                EnvVar {
                    name: "API_TOKEN".to_owned(),
                    value: "s3cr\"et\nvalue".to_owned(),
                    kind: "PLAINTEXT".to_owned(),
                },
                EnvVar {
                    name: "DB_PASSWORD".to_owned(),
                    value: "/prod/db/password".to_owned(),
                    kind: "PARAMETER_STORE".to_owned(),
                },
            ],
            buildspec: Some("version: 0.2\nphases:\n  build:\n    commands: [make]\n".to_owned()),
            compute_type: Some("BUILD_GENERAL1_LARGE".to_owned()),
            environment_type: Some("ARM_CONTAINER".to_owned()),
            image: Some("aws/codebuild/amazonlinux2-aarch64-standard:3.0".to_owned()),
            image_pull_credentials_type: Some("SERVICE_ROLE".to_owned()),
            privileged_mode: Some(true),
            timeout_minutes: Some(90),
            queued_timeout_minutes: Some(480),
            git_clone_depth: Some(0),
            git_submodules: Some(false),
            debug_session: Some(true),
            report_build_status: Some(false),
            source_type: Some("GITHUB".to_owned()),
            source_location: Some("https://github.com/example/app.git".to_owned()),
            insecure_ssl: Some(false),
            service_role: Some("arn:aws:iam::123456789012:role/build".to_owned()),
            encryption_key: Some("alias/aws/s3".to_owned()),
            certificate: Some("my-bucket/cert.pem".to_owned()),
            cache_type: Some("S3".to_owned()),
            cache_location: Some("my-bucket/cache".to_owned()),
            auto_retry_limit: Some(2),
        },
        batch: Some(BatchConfig {
            combine_artifacts: Some(true),
            maximum_builds_allowed: Some(25),
            compute_types_allowed: vec![
                "BUILD_GENERAL1_SMALL".to_owned(),
                "BUILD_GENERAL1_MEDIUM".to_owned(),
            ],
            timeout_minutes: Some(240),
            batch_report_mode: Some("REPORT_AGGREGATED_BATCH".to_owned()),
        }),
        saved_at: Utc
            .with_ymd_and_hms(2025, 3, 14, 9, 26, 53)
            .single()
            .expect("valid time")
            + chrono::Duration::nanoseconds(589_793_238),
        withheld: Vec::new(),
    }
}

fn assert_corrupt(err: PresetError, path: &Path, want_line: usize) {
    match &err {
        PresetError::Corrupt { path: p, line, .. } => {
            assert_eq!(p, path);
            assert_eq!(*line, want_line, "{err}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains(&format!("line {want_line}")), "{text}");
    assert!(text.contains("left untouched"), "{text}");
}

#[test]
fn every_field_survives_a_save_and_load() {
    let dir = TempDir::new("round-trip");
    let store = dir.store();
    let saved = every_field();
    store.save("api-service", saved.clone()).expect("save");

    // A fresh handle reads what is on disk, not anything cached.
    let loaded = PresetStore::at(store.path())
        .presets("api-service")
        .expect("load");
    assert_eq!(loaded, vec![saved]);
}

#[test]
fn presets_belong_to_one_project_and_list_by_name() {
    let dir = TempDir::new("per-project");
    let store = dir.store();
    for name in ["nightly", "Canary", "arm64"] {
        store.save("web-frontend", preset(name)).expect("save");
    }
    store.save("api-service", preset("hotfix")).expect("save");

    let web = store.presets("web-frontend").expect("load");
    assert_eq!(names(&web), ["arm64", "Canary", "nightly"]);
    assert_eq!(
        names(&store.presets("api-service").expect("load")),
        ["hotfix"]
    );
    assert!(store.presets("data-pipeline").expect("load").is_empty());
}

#[test]
fn saving_under_an_existing_name_replaces_that_preset() {
    let dir = TempDir::new("replace");
    let store = dir.store();
    store.save("api-service", preset("nightly")).expect("save");
    store.save("api-service", preset("canary")).expect("save");

    let mut newer = preset("  nightly ");
    newer.overrides.compute_type = Some("BUILD_GENERAL1_2XLARGE".to_owned());
    newer.saved_at = at(30);
    store.save("api-service", newer).expect("save");

    let presets = store.presets("api-service").expect("load");
    assert_eq!(names(&presets), ["canary", "nightly"]);
    let nightly = &presets[1];
    assert_eq!(
        nightly.overrides.compute_type.as_deref(),
        Some("BUILD_GENERAL1_2XLARGE")
    );
    assert_eq!(nightly.saved_at, at(30));
}

#[test]
fn deleting_removes_only_that_preset() {
    let dir = TempDir::new("delete");
    let store = dir.store();
    store.save("api-service", preset("nightly")).expect("save");
    store.save("api-service", preset("canary")).expect("save");
    store.save("web-frontend", preset("nightly")).expect("save");

    assert!(store.delete("api-service", "nightly").expect("delete"));
    assert!(!store
        .delete("api-service", "nightly")
        .expect("delete again"));
    assert!(!store.delete("no-such-project", "canary").expect("delete"));

    assert_eq!(
        names(&store.presets("api-service").expect("load")),
        ["canary"]
    );
    assert_eq!(
        names(&store.presets("web-frontend").expect("load")),
        ["nightly"]
    );
}

#[test]
fn the_last_overrides_used_are_remembered_per_project() {
    let dir = TempDir::new("last-used");
    let store = dir.store();
    assert_eq!(store.last_used("api-service").expect("load"), None);

    store
        .remember_last("api-service", preset("first"))
        .expect("remember");
    let second = every_field();
    store
        .remember_last("api-service", second.clone())
        .expect("remember");

    assert_eq!(store.last_used("api-service").expect("load"), Some(second));
    assert_eq!(store.last_used("web-frontend").expect("load"), None);
    // The last-used form is not one of the named presets.
    assert!(store.presets("api-service").expect("load").is_empty());
}

#[test]
fn a_missing_file_means_no_presets_and_is_not_created_by_reading() {
    let dir = TempDir::new("missing");
    let store = dir.store();
    assert!(store.presets("api-service").expect("load").is_empty());
    assert_eq!(store.last_used("api-service").expect("load"), None);
    assert!(!store.delete("api-service", "nightly").expect("delete"));
    assert!(!store.path().exists());
}

#[test]
fn a_file_that_is_not_json_is_reported_and_never_overwritten() {
    let dir = TempDir::new("garbage");
    let store = dir.store();
    store.save("api-service", preset("nightly")).expect("save");
    let garbage = b"{\"version\": 1,\n  \"projects\": {\n oops\n".to_vec();
    fs::write(store.path(), &garbage).expect("write garbage");

    assert_corrupt(store.presets("api-service").unwrap_err(), store.path(), 3);
    assert_corrupt(
        store.save("api-service", preset("canary")).unwrap_err(),
        store.path(),
        3,
    );
    assert_corrupt(
        store.delete("api-service", "nightly").unwrap_err(),
        store.path(),
        3,
    );
    assert_corrupt(
        store.remember_last("api-service", preset("x")).unwrap_err(),
        store.path(),
        3,
    );
    assert_eq!(fs::read(store.path()).expect("read"), garbage);
}

#[test]
fn json_of_the_wrong_shape_is_reported_and_never_overwritten() {
    let dir = TempDir::new("wrong-shape");
    let store = dir.store();
    let cases: [&[u8]; 3] = [
        b"{\n  \"version\": 1,\n  \"projects\": [\"api-service\"]\n}\n",
        b"[1]\n",
        b"{\"presets\": []}",
    ];
    for (bytes, line) in cases.into_iter().zip([3, 1, 1]) {
        fs::create_dir_all(dir.0.join("data")).expect("mkdir");
        fs::write(store.path(), bytes).expect("write");
        let err = store.save("api-service", preset("nightly")).unwrap_err();
        assert_corrupt(err, store.path(), line);
        assert_eq!(fs::read(store.path()).expect("read"), bytes);
    }
}

#[test]
fn a_damaged_value_is_reported_without_echoing_it() {
    let dir = TempDir::new("no-echo");
    let store = dir.store();
    fs::create_dir_all(dir.0.join("data")).expect("mkdir");
    let bytes = br#"{"version":1,"projects":{"p":{"presets":[{"name":"n","overrides":{"timeout_minutes":"hunter2"},"saved_at":"2025-03-14T09:26:53Z"}]}}}"#;
    fs::write(store.path(), bytes).expect("write");

    let err = store.presets("p").unwrap_err();
    assert!(
        matches!(err, PresetError::Corrupt { line: 1, .. }),
        "{err:?}"
    );
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_kept() {
    let dir = TempDir::new("newer");
    let store = dir.store();
    fs::create_dir_all(dir.0.join("data")).expect("mkdir");
    let bytes = br#"{"version":2,"profiles":{}}"#;
    fs::write(store.path(), bytes).expect("write");

    let err = store.save("api-service", preset("nightly")).unwrap_err();
    assert!(
        matches!(err, PresetError::UnsupportedVersion { found: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(fs::read(store.path()).expect("read"), bytes);
}

#[cfg(unix)]
#[test]
fn only_the_owner_can_read_the_file() {
    use std::os::unix::fs::PermissionsExt;

    let dir = TempDir::new("mode");
    let store = dir.store();
    store.save("api-service", every_field()).expect("save");
    let mode = |p: &Path| fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(store.path()), 0o600);

    // A file someone loosened is tightened again by the next write.
    fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).expect("chmod");
    store
        .remember_last("api-service", preset("x"))
        .expect("remember");
    assert_eq!(mode(store.path()), 0o600);
    // No temp files are left next to it.
    let entries = fs::read_dir(dir.0.join("data")).expect("ls").count();
    assert_eq!(entries, 1);
}

#[test]
fn invalid_names_are_refused_with_a_clear_reason() {
    let dir = TempDir::new("names");
    let store = dir.store();
    let refused = |name: &str| match store.save("api-service", preset(name)) {
        Err(PresetError::InvalidName(problem)) => problem,
        other => panic!("{name:?} was not refused: {other:?}"),
    };
    assert_eq!(refused("   "), NameProblem::Empty);
    assert_eq!(refused(&"x".repeat(65)), NameProblem::TooLong { chars: 65 });
    assert_eq!(refused("two\nlines"), NameProblem::ControlCharacter);
    let message = PresetError::InvalidName(NameProblem::TooLong { chars: 65 }).to_string();
    assert!(message.contains("64"), "{message}");
    assert!(!store.path().exists());

    // 64 characters, not bytes, are allowed; surrounding blanks are dropped.
    let longest = "é".repeat(64);
    store
        .save("api-service", preset(&format!(" {longest}\t")))
        .expect("save");
    assert_eq!(
        names(&store.presets("api-service").expect("load")),
        [longest.as_str()]
    );
}

#[test]
fn the_default_location_is_a_presets_file_for_cbdash() {
    if let Some(store) = PresetStore::default_location() {
        assert_eq!(
            store.path().file_name().and_then(|n| n.to_str()),
            Some("presets.json")
        );
        assert!(store.path().to_string_lossy().contains("cbdash"));
    }
}
