//! Each precedence rule, from flags, a config file and an environment made
//! up for the test.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;

use chrono::FixedOffset;
use clap::Parser;

use super::Sources;
use crate::aws::{ConnectOptions, DEFAULT_MAX_RESPONSE_BYTES};
use crate::cli::Cli;
use crate::config::{parse, Config};

const MIB: u64 = 1024 * 1024;

/// The inputs of one decision.
struct Case {
    cli: Cli,
    file: Config,
    env: HashMap<&'static str, &'static str>,
    known: Vec<String>,
}

impl Case {
    /// `args` after the program's name; `file` as config.toml would say it.
    fn new(args: &[&str], file: &str) -> Case {
        let mut cli = Cli::try_parse_from(std::iter::once("cbdash").chain(args.iter().copied()))
            .expect("valid flags");
        // clap reads AWS_ENDPOINT_URL from this process: only flags count here.
        if !args.contains(&"--endpoint-url") {
            cli.endpoint_url = None;
        }
        Case {
            cli,
            file: parse(file, Path::new("config.toml")).expect("valid file"),
            env: HashMap::new(),
            known: Vec::new(),
        }
    }

    fn env(mut self, name: &'static str, value: &'static str) -> Case {
        self.env.insert(name, value);
        self
    }

    /// Profiles the AWS files name.
    fn known(mut self, names: &[&str]) -> Case {
        self.known = names.iter().map(|n| n.to_string()).collect();
        self
    }

    fn decide<T>(&self, f: impl FnOnce(&Sources) -> T) -> T {
        let env = |name: &str| self.env.get(name).map(OsString::from);
        f(&Sources {
            cli: &self.cli,
            file: &self.file,
            env: &env,
            known_profiles: &self.known,
            profile_files: "~/.aws/config or ~/.aws/credentials",
        })
    }

    fn contexts(&self) -> Vec<(String, ConnectOptions)> {
        self.decide(|s| s.connect_options()).expect("contexts")
    }

    fn names(&self) -> Vec<String> {
        self.contexts().into_iter().map(|(name, _)| name).collect()
    }
}

const TWO_CONTEXTS: &str = r#"
[[contexts]]
name = "prod-us"
profile = "prod"
region = "us-east-1"
endpoint_url = "http://127.0.0.1:4510"

[[contexts]]
name = "dev-eu"
profile = "dev"
region = "eu-west-1"
"#;

#[test]
fn poll_seconds_come_from_the_flag_then_the_file_then_the_default() {
    let poll = |args: &[&str], file| Case::new(args, file).decide(|s| s.settings().poll_secs);
    assert_eq!(poll(&["--poll", "7"], "poll_secs = 5"), 7);
    assert_eq!(poll(&[], "poll_secs = 5"), 5);
    assert_eq!(poll(&[], ""), 3);
}

#[test]
fn log_lines_come_from_the_flag_then_the_file_then_the_default() {
    let lines = |args: &[&str], file| Case::new(args, file).decide(|s| s.settings().log_lines);
    assert_eq!(lines(&["--log-lines", "1000"], "log_lines = 2000"), 1000);
    assert_eq!(lines(&[], "log_lines = 2000"), 2000);
    assert_eq!(lines(&[], ""), 50_000);
}

#[test]
fn projects_on_the_command_line_replace_the_files() {
    let projects = |args: &[&str]| {
        Case::new(args, r#"projects = ["from-file"]"#).decide(|s| s.settings().projects)
    };
    assert_eq!(projects(&["--project", "a", "--project", "b"]), ["a", "b"]);
    assert_eq!(projects(&[]), ["from-file"]);
}

#[test]
fn a_switch_is_on_when_the_flag_or_the_file_turns_it_on() {
    for (flag, key) in [
        ("--read-only", "read_only"),
        ("--mask-values", "mask_plaintext"),
        ("--ascii", "ascii"),
    ] {
        let on = |args: &[&str], file: &str| {
            Case::new(args, file).decide(|s| {
                let settings = s.settings();
                match key {
                    "read_only" => settings.read_only,
                    "mask_plaintext" => settings.mask_plaintext,
                    _ => settings.ascii,
                }
            })
        };
        let in_file = format!("{key} = true");
        assert!(on(&[flag], ""), "{flag}");
        assert!(on(&[], &in_file), "{in_file}");
        assert!(
            on(&[flag], &format!("{key} = false")),
            "{flag} over the file"
        );
        assert!(!on(&[], ""), "{key} is off by default");
    }
}

#[test]
fn max_response_size_comes_from_the_flag_then_the_file_then_64_mb() {
    let max = |args: &[&str], file| Case::new(args, file).decide(|s| s.max_response_bytes());
    assert_eq!(
        max(&["--max-response-mb", "8"], "max_response_mb = 16"),
        8 * MIB
    );
    assert_eq!(max(&[], "max_response_mb = 16"), 16 * MIB);
    assert_eq!(max(&[], ""), DEFAULT_MAX_RESPONSE_BYTES);
    assert_eq!(DEFAULT_MAX_RESPONSE_BYTES, 64 * MIB);
    // Every context is limited alike, from the file's contexts too.
    let case = Case::new(&["--max-response-mb", "8"], TWO_CONTEXTS);
    assert!(case
        .contexts()
        .iter()
        .all(|(_, o)| o.max_response_bytes == 8 * MIB));
}

#[test]
fn no_color_asks_for_no_colour_only_when_set_and_not_empty() {
    let no_color = |case: Case| case.decide(|s| s.settings().no_color);
    assert!(!no_color(Case::new(&[], "")), "unset");
    assert!(!no_color(Case::new(&[], "").env("NO_COLOR", "")), "empty");
    assert!(no_color(Case::new(&[], "").env("NO_COLOR", "1")), "set");
}

#[test]
fn the_header_names_the_profile_from_the_flag_then_aws_profile_then_default() {
    let label = |case: Case| case.decide(|s| s.context_label());
    let flag = Case::new(&["--profile", "work"], "").env("AWS_PROFILE", "home");
    assert_eq!(label(flag), "profile work");
    let env = Case::new(&[], "").env("AWS_PROFILE", "home");
    assert_eq!(label(env), "profile home");
    assert_eq!(label(Case::new(&[], "")), "profile default");
}

#[test]
fn the_header_names_the_region_from_the_flag_then_aws_region_then_aws_default_region() {
    let label = |case: Case| case.decide(|s| s.context_label());
    let both = |case: Case| {
        case.env("AWS_REGION", "us-east-2")
            .env("AWS_DEFAULT_REGION", "ap-south-1")
    };
    assert_eq!(
        label(both(Case::new(&["--region", "eu-west-1"], ""))),
        "profile default · eu-west-1"
    );
    assert_eq!(
        label(both(Case::new(&[], ""))),
        "profile default · us-east-2"
    );
    let fallback = Case::new(&[], "").env("AWS_DEFAULT_REGION", "ap-south-1");
    assert_eq!(label(fallback), "profile default · ap-south-1");
}

#[test]
fn the_files_contexts_are_watched_unless_a_flag_names_profiles_or_regions() {
    let file = Case::new(&[], TWO_CONTEXTS);
    assert_eq!(file.names(), ["prod-us", "dev-eu"]);
    let prod = &file.contexts()[0].1;
    assert_eq!(prod.profile.as_deref(), Some("prod"));
    assert_eq!(prod.region.as_deref(), Some("us-east-1"));

    let region = Case::new(&["--region", "sa-east-1"], TWO_CONTEXTS);
    assert_eq!(region.names(), ["default/sa-east-1"]);
    let profile = Case::new(&["--profile", "work"], TWO_CONTEXTS).known(&["work"]);
    assert_eq!(profile.names(), ["work/default"]);
    let all = Case::new(&["--all-profiles"], TWO_CONTEXTS).known(&["a", "b"]);
    assert_eq!(all.names(), ["a/default", "b/default"]);
}

#[test]
fn without_flags_or_contexts_the_default_chain_decides() {
    let contexts = Case::new(&[], "").contexts();
    assert_eq!(contexts.len(), 1);
    let (name, options) = &contexts[0];
    assert_eq!(name, "default/default");
    assert_eq!((&options.profile, &options.region), (&None, &None));
}

#[test]
fn the_endpoint_flag_wins_over_a_contexts_endpoint() {
    let endpoint = |args: &[&str]| {
        Case::new(args, TWO_CONTEXTS)
            .contexts()
            .into_iter()
            .map(|(_, o)| o.endpoint_url)
            .collect::<Vec<_>>()
    };
    let given = Some("http://127.0.0.1:9999".to_string());
    assert_eq!(
        endpoint(&["--endpoint-url", "http://127.0.0.1:9999"]),
        [given.clone(), given]
    );
    assert_eq!(
        endpoint(&[]),
        [Some("http://127.0.0.1:4510".to_string()), None]
    );
}

#[test]
fn each_profile_is_watched_in_each_region() {
    let case = Case::new(
        &["--profile", "a", "--profile", "b", "--region", "r1,r2"],
        "",
    )
    .known(&["a", "b"]);
    assert_eq!(case.names(), ["a/r1", "a/r2", "b/r1", "b/r2"]);
}

#[test]
fn profiles_are_checked_against_the_aws_files_and_globs_expanded() {
    let missing = Case::new(&["--profile", "nope"], "").known(&["work"]);
    let err = missing
        .decide(|s| s.connect_options())
        .expect_err("unknown");
    assert!(
        err.contains("\"nope\"") && err.contains("~/.aws/config"),
        "{err}"
    );

    let glob = Case::new(&["--profile", "prod-*"], "").known(&["dev", "prod-a", "prod-b"]);
    assert_eq!(glob.names(), ["prod-a/default", "prod-b/default"]);
    let none = Case::new(&["--profile", "qa-*"], "").known(&["dev"]);
    assert!(none.decide(|s| s.connect_options()).is_err());

    let empty = Case::new(&["--all-profiles"], "");
    let err = empty
        .decide(|s| s.connect_options())
        .expect_err("no profiles");
    assert!(err.contains("--all-profiles"), "{err}");
}

#[test]
fn scripts_are_read_only_in_the_first_context_and_local_time() {
    let tz = FixedOffset::east_opt(2 * 3600).expect("offset");
    let case = Case::new(&[], TWO_CONTEXTS);
    let (settings, options) = case.decide(|s| s.headless(tz)).expect("headless");
    assert!(settings.read_only, "ls and watch never change anything");
    assert_eq!(settings.tz, tz);
    assert_eq!(options.profile.as_deref(), Some("prod"));
}

#[test]
fn the_dashboard_names_several_contexts_and_labels_one() {
    let (settings, options) = Case::new(&[], TWO_CONTEXTS)
        .decide(|s| s.dashboard())
        .expect("dashboard");
    assert_eq!(settings.context, "2 accounts and regions");
    assert_eq!(settings.context_names, ["prod-us", "dev-eu"]);
    assert_eq!(options.len(), 2);

    let one = Case::new(&["--region", "eu-west-1", "--project", "api"], "");
    let (settings, options) = one.decide(|s| s.dashboard()).expect("dashboard");
    assert_eq!(
        settings.context,
        "profile default · eu-west-1 · projects: api"
    );
    assert!(
        settings.context_names.is_empty(),
        "one context needs no names"
    );
    assert_eq!(options.len(), 1);
}
