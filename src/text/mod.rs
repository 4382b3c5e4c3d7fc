//! Text as every output shows it: inert (the one sanitiser) and values
//! formatted as people read them. Pure, shared by drawing, the headless
//! commands and the app.

mod inert;
mod json;

pub use inert::inert;
pub use json::json_line;

use chrono::{DateTime, FixedOffset, Utc};

/// "45s", "3m05s", "1h02m", "2d03h".
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d{:02}h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// "just now", "12s ago", "3m ago", "2h ago", "3d ago".
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - t).num_seconds();
    match s {
        i64::MIN..=4 => "just now".into(),
        5..=59 => format!("{s}s ago"),
        60..=3599 => format!("{}m ago", s / 60),
        3600..=86_399 => format!("{}h ago", s / 3600),
        _ => format!("{}d ago", s / 86_400),
    }
}

/// Wall-clock time in the user's zone; the date is added when not today.
pub fn clock(t: DateTime<Utc>, now: DateTime<Utc>, tz: &FixedOffset) -> String {
    let local = t.with_timezone(tz);
    if local.date_naive() == now.with_timezone(tz).date_naive() {
        local.format("%H:%M:%S").to_string()
    } else {
        local.format("%b %d %H:%M:%S").to_string()
    }
}

/// A source version as people say it: branch names without `refs/heads/`,
/// commit hashes to 8 characters.
pub fn short_version(v: &str) -> String {
    let v = v
        .strip_prefix("refs/heads/")
        .or_else(|| v.strip_prefix("refs/tags/"))
        .unwrap_or(v);
    if v.len() >= 20 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
        return v[..8].to_string();
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_person_reads() {
        assert_eq!(duration(5), "5s");
        assert_eq!(duration(185), "3m05s");
        assert_eq!(duration(3720), "1h02m");
        assert_eq!(duration(-3), "0s");
        assert_eq!(short_version("refs/heads/main"), "main");
        assert_eq!(
            short_version("0123456789abcdef0123456789abcdef01234567"),
            "01234567"
        );
        assert_eq!(short_version("pr/42"), "pr/42");
    }
}
