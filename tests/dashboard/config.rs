use std::path::{Path, PathBuf};

use cbdash::config::{self, Column, Config, ConfigError, ContextConfig, KeySpec, Runaway, ACTIONS};
use crossterm::event::{KeyCode, KeyModifiers};

const PATH: &str = "/home/a/.config/cbdash/config.toml";

fn parse(text: &str) -> Result<Config, ConfigError> {
    config::parse(text, Path::new(PATH))
}

fn err(text: &str) -> ConfigError {
    match parse(text) {
        Ok(c) => panic!("expected an error for {text:?}, got {c:?}"),
        Err(e) => e,
    }
}

/// (line, column, key) of the error for `text`.
fn at(text: &str) -> (Option<usize>, Option<usize>, Option<String>) {
    let e = err(text);
    (e.line, e.column, e.key)
}

fn spec(code: KeyCode, modifiers: KeyModifiers) -> KeySpec {
    KeySpec { code, modifiers }
}

/// A fresh directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("cbdash-config-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_example_file_parses_to_its_documented_values() {
    let text = include_str!("../../assets/config.example.toml");
    let config = parse(text).unwrap();
    let expected = Config {
        poll_secs: Some(3),
        read_only: false,
        mask_plaintext: false,
        projects: vec!["web-frontend".into()],
        log_lines: Some(50_000),
        max_response_mb: Some(64),
        ascii: false,
        columns: Some(Column::ALL.to_vec()),
        notify_projects: vec!["deploy".into()],
        runaway: Runaway::default(),
        contexts: vec![ContextConfig {
            name: "prod-us".into(),
            profile: Some("prod".into()),
            region: Some("us-east-1".into()),
            endpoint_url: Some("http://127.0.0.1:4510".into()),
        }],
        keys: vec![(
            "stop".into(),
            spec(KeyCode::Char('x'), KeyModifiers::CONTROL),
        )],
    };
    assert_eq!(config, expected);
    // The example's thresholds are the documented defaults.
    assert_eq!(
        Runaway::default(),
        Runaway {
            p90_factor: 1.5,
            timeout_fraction: 0.8,
            phase_factor: 3.0,
            min_history: 5,
            idle_cpu_percent: 2.0,
            idle_minutes: 15,
        }
    );
}

#[test]
fn a_missing_or_empty_file_is_all_defaults() {
    let dir = TempDir::new("missing");
    let missing = dir.file("config.toml");
    assert_eq!(config::load(&missing).unwrap(), Config::default());
    assert_eq!(parse("").unwrap(), Config::default());
    assert_eq!(parse("# only a comment\n\n").unwrap(), Config::default());
}

#[test]
fn load_reads_the_file_and_names_it_in_errors() {
    let dir = TempDir::new("load");
    let path = dir.file("config.toml");
    std::fs::write(&path, "poll_secs = 10\nascii = true\n").unwrap();
    let config = config::load(&path).unwrap();
    assert_eq!(config.poll_secs, Some(10));
    assert!(config.ascii);

    std::fs::write(&path, "ascii = true\npoll_secs = 0\n").unwrap();
    let e = config::load(&path).unwrap_err();
    assert_eq!(e.path, path);
    assert_eq!(
        e.to_string(),
        format!(
            "{}:2:13: poll_secs: must be between 1 and 3600 (got 0)",
            path.display()
        )
    );
}

#[test]
fn a_file_that_cannot_be_read_is_an_error_not_defaults() {
    let tmp = TempDir::new("unreadable");
    let path = tmp.file("config.toml");
    std::fs::write(&path, b"ascii = true\nprojects = [\"\xff\"]\n").unwrap();
    let e = config::load(&path).unwrap_err();
    assert_eq!((e.line, e.column), (Some(2), Some(14)));
    assert!(e.message.contains("UTF-8"), "{e}");

    // A directory where the file should be.
    let dir = tmp.file("dir.toml");
    std::fs::create_dir_all(&dir).unwrap();
    let e = config::load(&dir).unwrap_err();
    assert_eq!((e.line, e.column, e.key.as_deref()), (None, None, None));
    assert!(
        e.to_string().starts_with(&format!("{}: ", dir.display())),
        "{e}"
    );
}

#[test]
fn a_syntax_error_points_at_the_line_and_column() {
    let e = err("ascii = true\npoll_secs = = 3\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(2), Some(13), None)
    );
    assert!(e.to_string().starts_with(&format!("{PATH}:2:13: ")), "{e}");

    // Keys may not be set twice.
    let e = err("ascii = true\n[runaway]\nmin_history = 3\nmin_history = 4\n");
    assert_eq!((e.line, e.column), (Some(4), Some(1)));
    assert_eq!(e.key.as_deref(), Some("min_history"));
}

#[test]
fn an_unknown_key_suggests_the_close_one() {
    let e = err("ascii = true\npol_secs = 3\n");
    assert_eq!((e.line, e.column), (Some(2), Some(1)));
    assert_eq!(e.key.as_deref(), Some("pol_secs"));
    assert_eq!(
        e.to_string(),
        format!("{PATH}:2:1: pol_secs: unknown key, did you mean `poll_secs`?")
    );

    let e = err("[runaway]\n  p90_facter = 2.0\n");
    assert_eq!((e.line, e.column), (Some(2), Some(3)));
    assert_eq!(e.key.as_deref(), Some("runaway.p90_facter"));
    assert!(e.message.contains("`p90_factor`"), "{e}");

    let e = err("[runway]\np90_factor = 2.0\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(1), Some(2), Some("runway"))
    );
    assert!(e.message.contains("`runaway`"), "{e}");
}

#[test]
fn an_unknown_key_with_nothing_close_lists_the_known_ones() {
    let e = err("\n\ncolour = \"red\"\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(3), Some(1), Some("colour"))
    );
    assert!(!e.message.contains("did you mean"), "{e}");
    for known in [
        "poll_secs",
        "read_only",
        "columns",
        "runaway",
        "contexts",
        "keys",
    ] {
        assert!(e.message.contains(known), "{e}");
    }
}

#[test]
fn a_wrong_type_names_the_key_and_what_was_expected() {
    let e = err("poll_secs = \"3\"\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(1), Some(13), Some("poll_secs"))
    );
    assert_eq!(e.message, "expected an integer, found a string");

    assert_eq!(
        err("read_only = 1").to_string(),
        format!("{PATH}:1:13: read_only: expected true or false, found an integer")
    );
    assert_eq!(
        at("projects = \"web\""),
        (Some(1), Some(12), Some("projects".into()))
    );
    assert_eq!(
        at("projects = [\"a\", 3]"),
        (Some(1), Some(18), Some("projects".into()))
    );
    assert_eq!(
        at("runaway = 2"),
        (Some(1), Some(11), Some("runaway".into()))
    );
    assert_eq!(
        at("[runaway]\nmin_history = 2.5\n"),
        (Some(2), Some(15), Some("runaway.min_history".into()))
    );
    assert_eq!(
        at("[runaway]\np90_factor = \"2\"\n"),
        (Some(2), Some(14), Some("runaway.p90_factor".into()))
    );
    assert_eq!(
        at("keys = [\"x\"]"),
        (Some(1), Some(8), Some("keys".into()))
    );
    assert_eq!(
        at("[keys]\nstop = 5\n"),
        (Some(2), Some(8), Some("keys.stop".into()))
    );
    assert_eq!(
        at("contexts = \"prod\""),
        (Some(1), Some(12), Some("contexts".into()))
    );
    assert_eq!(
        at("[[contexts]]\nprofile = true\n"),
        (Some(2), Some(11), Some("contexts[0].profile".into()))
    );
    assert_eq!(
        at("poll_secs = 1979-05-27"),
        (Some(1), Some(13), Some("poll_secs".into()))
    );
}

#[test]
fn an_out_of_range_value_names_the_key_and_the_allowed_range() {
    let text = "# cbdash\npoll_secs = 3\n\nascii = false\n\n[runaway]\np90_factor = 0.5\n";
    let e = err(text);
    assert_eq!(
        e.to_string(),
        "/home/a/.config/cbdash/config.toml:7:14: runaway.p90_factor: must be greater than 1.0 (got 0.5)"
    );

    let cases = [
        (
            "poll_secs = 0",
            "poll_secs",
            "must be between 1 and 3600 (got 0)",
        ),
        (
            "poll_secs = 3601",
            "poll_secs",
            "must be between 1 and 3600 (got 3601)",
        ),
        (
            "poll_secs = -5",
            "poll_secs",
            "must be between 1 and 3600 (got -5)",
        ),
        (
            "log_lines = 99",
            "log_lines",
            "must be between 100 and 10000000 (got 99)",
        ),
        (
            "log_lines = 10_000_001",
            "log_lines",
            "must be between 100 and 10000000 (got 10_000_001)",
        ),
        (
            "runaway.p90_factor = 1",
            "runaway.p90_factor",
            "must be greater than 1.0 (got 1)",
        ),
        (
            "runaway.phase_factor = nan",
            "runaway.phase_factor",
            "must be greater than 1.0 (got nan)",
        ),
        (
            "runaway.p90_factor = inf",
            "runaway.p90_factor",
            "must be greater than 1.0 (got inf)",
        ),
        (
            "runaway.timeout_fraction = 0.0",
            "runaway.timeout_fraction",
            "must be greater than 0 and at most 1.0 (got 0.0)",
        ),
        (
            "runaway.timeout_fraction = 1.01",
            "runaway.timeout_fraction",
            "must be greater than 0 and at most 1.0 (got 1.01)",
        ),
        (
            "runaway.min_history = 0",
            "runaway.min_history",
            "must be between 1 and 1000 (got 0)",
        ),
    ];
    for (text, key, message) in cases {
        let e = err(text);
        assert_eq!(e.key.as_deref(), Some(key), "{text}");
        assert_eq!(e.message, message, "{text}");
        assert_eq!(e.line, Some(1), "{text}");
        assert_eq!(e.column, Some(text.find('=').unwrap() + 3), "{text}");
    }
}

#[test]
fn values_at_the_edges_of_their_ranges_are_accepted() {
    let config = parse(
        "poll_secs = 3600\nlog_lines = 100\n[runaway]\np90_factor = 2\ntimeout_fraction = 1.0\n\
         phase_factor = 1.01\nmin_history = 1\nidle_cpu_percent = 0.5\nidle_minutes = 1440\n",
    )
    .unwrap();
    assert_eq!(config.poll_secs, Some(3600));
    assert_eq!(config.log_lines, Some(100));
    assert_eq!(
        config.runaway,
        Runaway {
            p90_factor: 2.0,
            timeout_fraction: 1.0,
            phase_factor: 1.01,
            min_history: 1,
            idle_cpu_percent: 0.5,
            idle_minutes: 1440,
        }
    );
    assert_eq!(parse("poll_secs = 0x10").unwrap().poll_secs, Some(16));
}

#[test]
fn columns_are_checked_against_the_fixed_set() {
    let config = parse("columns = [\"duration\", \"status\"]").unwrap();
    assert_eq!(config.columns, Some(vec![Column::Duration, Column::Status]));

    let e = err("ascii = true\ncolumns = [\"status\", \"stats\"]\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(2), Some(22), Some("columns"))
    );
    assert!(e.message.contains("\"stats\""), "{e}");
    assert!(e.message.contains("did you mean `status`?"), "{e}");
    for c in Column::ALL {
        assert!(e.message.contains(c.name()), "{e}");
    }

    let e = err("columns = [\"status\", \"status\"]");
    assert_eq!((e.column, e.key.as_deref()), (Some(22), Some("columns")));
    assert!(e.message.contains("twice"), "{e}");

    let e = err("columns = []");
    assert_eq!(e.key.as_deref(), Some("columns"));
    assert!(e.message.contains("at least one"), "{e}");
}

#[test]
fn key_overrides_are_checked_against_the_actions() {
    let e = err("[keys]\nstpo = \"x\"\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(2), Some(1), Some("keys.stpo"))
    );
    assert!(e.message.contains("did you mean `stop`?"), "{e}");
    for action in ACTIONS {
        assert!(e.message.contains(action), "{e}");
    }

    let e = err("[keys]\nstop = \"ctrl-\"\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(2), Some(8), Some("keys.stop"))
    );
    assert!(e.message.contains("\"ctrl-\" is not a key"), "{e}");
    for allowed in ["f1..f24", "enter", "esc", "tab", "ctrl-", "alt-", "shift-"] {
        assert!(e.message.contains(allowed), "{e}");
    }
    // Written as TOML string contents.
    for bad in ["", "xx", "hyper-x", "f0", "f25", "ctrl-foo", "\\u0007"] {
        let e = err(&format!("keys.quit = \"{bad}\""));
        assert_eq!(e.key.as_deref(), Some("keys.quit"), "{bad:?}");
    }
}

#[test]
fn key_specs_parse_as_a_terminal_reports_them() {
    let config =
        parse("[keys]\nstop = \"ctrl-x\"\nrefresh = \"F5\"\nretry = \"R\"\ndetails = \"enter\"\n")
            .unwrap();
    assert_eq!(
        config.keys,
        vec![
            (
                "stop".into(),
                spec(KeyCode::Char('x'), KeyModifiers::CONTROL)
            ),
            ("refresh".into(), spec(KeyCode::F(5), KeyModifiers::NONE)),
            (
                "retry".into(),
                spec(KeyCode::Char('R'), KeyModifiers::SHIFT)
            ),
            ("details".into(), spec(KeyCode::Enter, KeyModifiers::NONE)),
        ],
        "in file order"
    );

    let cases = [
        (
            "Ctrl-S",
            spec(
                KeyCode::Char('S'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT,
            ),
        ),
        ("shift-r", spec(KeyCode::Char('R'), KeyModifiers::SHIFT)),
        ("alt-enter", spec(KeyCode::Enter, KeyModifiers::ALT)),
        ("shift-tab", spec(KeyCode::BackTab, KeyModifiers::SHIFT)),
        ("backtab", spec(KeyCode::BackTab, KeyModifiers::SHIFT)),
        ("esc", spec(KeyCode::Esc, KeyModifiers::NONE)),
        ("tab", spec(KeyCode::Tab, KeyModifiers::NONE)),
        ("up", spec(KeyCode::Up, KeyModifiers::NONE)),
        ("page_down", spec(KeyCode::PageDown, KeyModifiers::NONE)),
        ("PgUp", spec(KeyCode::PageUp, KeyModifiers::NONE)),
        ("f12", spec(KeyCode::F(12), KeyModifiers::NONE)),
        ("space", spec(KeyCode::Char(' '), KeyModifiers::NONE)),
        ("-", spec(KeyCode::Char('-'), KeyModifiers::NONE)),
        ("ctrl--", spec(KeyCode::Char('-'), KeyModifiers::CONTROL)),
        ("/", spec(KeyCode::Char('/'), KeyModifiers::NONE)),
        ("é", spec(KeyCode::Char('é'), KeyModifiers::NONE)),
    ];
    for (text, expected) in cases {
        assert_eq!(KeySpec::parse(text), Some(expected), "{text}");
    }
}

#[test]
fn contexts_default_their_name_from_profile_and_region() {
    let config = parse(
        "[[contexts]]\nprofile = \"prod\"\nregion = \"us-east-1\"\n\
         [[contexts]]\nprofile = \"dev\"\n\
         [[contexts]]\nregion = \"eu-west-1\"\nendpoint_url = \"http://localhost:4510\"\n\
         [[contexts]]\nname = \"mine\"\nprofile = \"prod\"\nregion = \"us-east-1\"\n",
    )
    .unwrap();
    let names: Vec<&str> = config.contexts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["prod/us-east-1", "dev", "default/eu-west-1", "mine"]
    );
    assert_eq!(
        config.contexts[2],
        ContextConfig {
            name: "default/eu-west-1".into(),
            profile: None,
            region: Some("eu-west-1".into()),
            endpoint_url: Some("http://localhost:4510".into()),
        }
    );
    assert_eq!(parse("contexts = []").unwrap().contexts, []);
    let inline = parse("contexts = [{ profile = \"a\", region = \"b\" }]").unwrap();
    assert_eq!(inline.contexts[0].name, "a/b");
}

#[test]
fn context_mistakes_point_at_the_context() {
    let e = err("[[contexts]]\nprofile = \"a\"\n[[contexts]]\nprofile = \"b\"\nregoin = \"x\"\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(5), Some(1), Some("contexts[1].regoin"))
    );
    assert!(e.message.contains("did you mean `region`?"), "{e}");

    let e = err("[[contexts]]\nprofile = \"a\"\n\n[[contexts]]\nprofile = \"a\"\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(4), Some(1), Some("contexts[1]"))
    );
    assert!(e.message.contains("contexts[0]"), "{e}");

    let e = err("[[contexts]]\nname = \"x\"\n[[contexts]]\nname = \"x\"\n");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(4), Some(8), Some("contexts[1].name"))
    );

    let e = err("[[contexts]]\nendpoint_url = \"localhost:4510\"\n");
    assert_eq!(e.key.as_deref(), Some("contexts[0].endpoint_url"));
    assert!(e.message.contains("http://"), "{e}");

    let e = err("[[contexts]]\nprofile = \"\"\n");
    assert_eq!(e.key.as_deref(), Some("contexts[0].profile"));
    assert_eq!(e.message, "must not be empty");

    assert_eq!(
        at("[contexts]\nprofile = \"a\"\n").2.as_deref(),
        Some("contexts")
    );
}

#[test]
fn the_display_shape_leaves_out_unknown_parts() {
    let e = ConfigError {
        path: PathBuf::from("/c.toml"),
        line: None,
        column: None,
        key: Some("k".into()),
        message: "bad".into(),
    };
    assert_eq!(e.to_string(), "/c.toml: k: bad");
    let e = ConfigError {
        line: Some(3),
        key: None,
        ..e
    };
    assert_eq!(e.to_string(), "/c.toml:3: bad");
}

#[test]
fn columns_count_characters_not_bytes() {
    let e = err("projects = [\"éé\", \"\"]");
    assert_eq!(
        (e.line, e.column, e.key.as_deref()),
        (Some(1), Some(19), Some("projects"))
    );
}

#[test]
fn odd_content_is_an_error_never_a_crash() {
    let texts = [
        "\u{0}",
        "[[",
        "=",
        "\"",
        "a.b.c.d = 1",
        "keys = { stop = { x = 1 } }",
        "columns = [[\"status\"]]",
        "poll_secs = 99999999999999999999999999",
        "runaway.min_history = 99999999999999999999",
        "runaway.p90_factor = 1e999",
        "[[runaway]]",
        "[keys]\n\"\\u001b[2J\" = \"x\"",
        "\"\\u001b[2J\" = 1",
        "projects = [\"a\"]\n\"\\u001b\" = 1",
        "projects = [\"\"]",
        "\u{feff}poll_secs = \"\u{1b}\"",
    ];
    let deep = format!("projects = {}", "[".repeat(100_000));
    for text in texts.iter().copied().chain([deep.as_str()]) {
        let e = err(text);
        assert!(e.line.is_some(), "{text:?}: {e}");
        assert!(!e.to_string().contains('\u{1b}'), "{text:?}: {e}");
    }
}

#[test]
fn the_default_path_is_config_toml_in_a_cbdash_dir() {
    if let Some(path) = config::default_path() {
        assert!(path.ends_with("config.toml"), "{}", path.display());
        assert!(
            path.to_string_lossy().contains("cbdash"),
            "{}",
            path.display()
        );
    }
}
