//! The profiles named in the AWS config and credentials files, for
//! `--profile 'prod-*'` and `--all-profiles`.

use std::path::PathBuf;

/// Every profile name in the AWS config file and the shared credentials
/// file (where AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE say, else
/// under ~/.aws), sorted, each once.
pub fn known_profiles() -> Vec<String> {
    let mut names = Vec::new();
    if let Some(text) = read(config_file()) {
        names.extend(sections(&text, true));
    }
    if let Some(text) = read(credentials_file()) {
        names.extend(sections(&text, false));
    }
    names.sort();
    names.dedup();
    names
}

/// The two files profiles are read from, for messages.
pub fn files_looked_in() -> String {
    let name = |p: Option<PathBuf>| {
        p.map_or_else(|| "(no home directory)".into(), |p| p.display().to_string())
    };
    format!("{} or {}", name(config_file()), name(credentials_file()))
}

fn read(path: Option<PathBuf>) -> Option<String> {
    std::fs::read_to_string(path?).ok()
}

fn home_file(name: &str) -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.home_dir().join(".aws").join(name))
}

fn config_file() -> Option<PathBuf> {
    std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home_file("config"))
}

fn credentials_file() -> Option<PathBuf> {
    std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home_file("credentials"))
}

/// Profile names of an INI file: `[profile x]` and `[default]` in the
/// config file, `[x]` in the credentials file; other sections
/// (`[sso-session x]`, `[services x]`) are not profiles.
fn sections(text: &str, config: bool) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let inner = line.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
            if !config {
                return Some(inner.to_string());
            }
            if inner == "default" {
                return Some(inner.to_string());
            }
            let (kind, name) = inner.split_once(char::is_whitespace)?;
            (kind == "profile").then(|| name.trim().to_string())
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// True when `pattern` has glob characters (`*`, `?`).
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Shell-style matching of `*` (any run) and `?` (one character), linear
/// in the lengths of both.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(c) if *c == '?' || *c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The profiles `patterns` name: exact names as given, globs expanded over
/// `known`. A glob that matches nothing is an error naming it.
pub fn expand(patterns: &[String], known: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for pattern in patterns {
        if !is_glob(pattern) {
            if !out.contains(pattern) {
                out.push(pattern.clone());
            }
            continue;
        }
        let matched: Vec<&String> = known.iter().filter(|k| glob_match(pattern, k)).collect();
        if matched.is_empty() {
            return Err(format!(
                "no profile matches {pattern:?} in the AWS config or credentials file"
            ));
        }
        for name in matched {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_in_a_shell() {
        assert!(glob_match("prod-*", "prod-eu"));
        assert!(glob_match("prod-*", "prod-"));
        assert!(!glob_match("prod-*", "staging-prod-eu"));
        assert!(glob_match("*-eu", "staging-prod-eu"));
        assert!(glob_match("p?od", "prod"));
        assert!(!glob_match("p?od", "pod"));
        assert!(glob_match("*a*b*c*", "xxaxxbxxcxx"));
        assert!(!glob_match("*a*b*c*", "xxaxxcxxbxx"));
        // Hostile shapes stay linear-ish: no exponential backtracking.
        let long = "a".repeat(5000);
        assert!(!glob_match(&format!("{}b", "*a".repeat(50)), &long));
    }

    #[test]
    fn profile_sections_of_both_files() {
        let config = "[default]\nregion = us-east-1\n[profile prod-eu]\n[sso-session corp]\n[profile  prod-us ]\n[services x]\n";
        assert_eq!(sections(config, true), ["default", "prod-eu", "prod-us"]);
        assert_eq!(sections("[ci]\n[default]\n", false), ["ci", "default"]);
    }

    #[test]
    fn expand_keeps_exact_names_and_refuses_a_glob_that_matches_nothing() {
        let known: Vec<String> = ["default", "prod-eu", "prod-us", "staging"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let got = expand(&["prod-*".into(), "nope".into()], &known);
        assert_eq!(
            got,
            Ok(vec!["prod-eu".into(), "prod-us".into(), "nope".into()])
        );
        assert!(expand(&["qa-*".into()], &known).is_err_and(|e| e.contains("\"qa-*\"")));
    }
}
