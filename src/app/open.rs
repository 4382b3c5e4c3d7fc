//! Which links may go to the system's opener: a link comes from the
//! service's answer (deepLink, s3DeepLink) or from a project's source
//! location, so from whoever controls them.

/// Hosts of the AWS consoles, in every partition the links point to.
const CONSOLE_HOSTS: &[&str] = &["aws.amazon.com", "amazonaws.com", "amazonaws.cn"];

/// Source hosts whose commit pages open, when the path is plain (the
/// comparison's commit links).
const SOURCE_HOSTS: &[&str] = &["github.com", "bitbucket.org"];

/// Ok for an https link to an AWS console host, or to a commit page of a
/// source host with a path of plain characters; else why it is refused.
pub fn openable(url: &str) -> Result<(), &'static str> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("only https links open in the browser");
    };
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !plain {
        return Err("the link's host is not a plain host name");
    }
    let aws = CONSOLE_HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")));
    let path = &rest[host.len()..];
    let source = SOURCE_HOSTS.contains(&host.as_str())
        && path
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-_./".contains(&c));
    if !aws && !source {
        return Err("only links to the AWS console or to a commit open in the browser");
    }
    // Nothing the opener could read as an option or a second argument.
    if url.chars().any(char::is_whitespace) || crate::text::inert(url) != url {
        return Err("the link holds spaces or characters that do not show");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::openable;

    #[test]
    fn console_links_open_and_nothing_else_does() {
        assert!(openable(
            "https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups"
        )
        .is_ok());
        assert!(openable("https://s3.console.aws.amazon.com/s3/object/bucket?prefix=x").is_ok());
        assert!(openable("https://console.amazonaws.cn/codesuite").is_ok());
        assert!(openable("https://github.com/org/app/commit/4f2a9c1d").is_ok());
        assert!(openable("https://bitbucket.org/org/app/commits/4f2a9c1d").is_ok());
        for bad in [
            "file:///etc/passwd",
            "--help",
            "http://console.aws.amazon.com/",
            "https://evil.example/console.aws.amazon.com",
            "https://console.aws.amazon.com.evil.example/",
            "https://user@console.aws.amazon.com/",
            "https://console.aws.amazon.com/ --new-window",
            "https://console.aws.amazon.com/\u{1b}]0;x\u{7}",
            "https://console.aws.amazon.com/\u{202e}lmth.exe",
            "javascript:alert(1)",
            "https://github.com/org/app?tab=x",
            "https://github.com.evil.example/org/app",
            "https://gist.github.com/org/app",
            "https://github.com/org/app/commit/%0d%0a",
        ] {
            assert!(openable(bad).is_err(), "{bad}");
        }
    }
}
