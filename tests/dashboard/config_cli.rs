//! The config file as the program reads it at start-up.

use std::process::Command;

fn temp_config(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cbdash-config-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn a_bad_config_stops_the_program_with_file_line_and_key() {
    let path = temp_config("bad", "poll_secs = 3\n\n[runaway]\np90_factor = 0.5\n");
    let out = Command::new(env!("CARGO_BIN_EXE_cbdash"))
        .args(["--config"])
        .arg(&path)
        .args(["ls"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!("{}:4:", path.display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(stderr.contains("runaway.p90_factor"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing ran");
}

#[test]
fn config_path_names_the_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_cbdash"))
        .args(["config", "path"])
        .env("XDG_CONFIG_HOME", "/tmp/cbdash-xdg-test")
        .env("HOME", "/tmp/cbdash-home-test")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.trim_end().ends_with("cbdash/config.toml"), "{text}");
    assert!(text.starts_with("/tmp/cbdash-xdg-test"), "{text}");
}

#[test]
fn the_example_config_is_accepted() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/config.example.toml");
    let parsed = cbdash::config::load(std::path::Path::new(example)).expect("the example is valid");
    assert_eq!(parsed.runaway.p90_factor, 1.5);
}

fn cbdash_prints(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cbdash"))
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn bash_completion_completes_the_subcommands_and_is_valid_bash() {
    let script = cbdash_prints(&["completions", "bash"]);
    for word in [
        "watch",
        "ls",
        "sim",
        "config",
        "completions",
        "man",
        "--demo",
    ] {
        assert!(script.contains(word), "{word} completes: {script}");
    }
    assert!(script.contains("complete -F"), "{script}");
    // `bash -n` checks the syntax without running it, where bash is installed.
    if let Ok(mut bash) = Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        let mut stdin = bash.stdin.take().expect("piped");
        stdin.write_all(script.as_bytes()).expect("write");
        drop(stdin);
        let out = bash.wait_with_output().expect("bash ends");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_shell_gets_a_completion_script_and_an_unknown_one_is_refused() {
    for shell in ["zsh", "fish", "powershell"] {
        assert!(
            cbdash_prints(&["completions", shell]).contains("watch"),
            "{shell}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cbdash"))
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bash"),
        "the shells are named"
    );
}

#[test]
fn man_prints_a_roff_page_with_the_options() {
    let page = cbdash_prints(&["man"]);
    assert!(page.contains(".TH cbdash 1"), "{page}");
    for option in [
        "\\-\\-demo",
        "\\-\\-profile",
        "\\-\\-read\\-only",
        "\\-\\-region",
    ] {
        assert!(page.contains(option), "{option} in {page}");
    }
    assert!(page.contains("watch"), "subcommands are listed");
}
