//! GetLogEvents, paged with forward and backward tokens as the service
//! does. A token holds a position in the stream's events, which only ever
//! grow at the end, and a check value that ties it to its stream, so a
//! token for another stream, or a made-up one, is refused.

use serde_json::{json, Map, Value};

use super::script::hash;
use super::{events_at, find_stream, Event, Missing};
use crate::input::{ApiError, Input, Violations};
use crate::state::SimState;

const MAX_LIMIT: i64 = 10_000;
/// A page stops at 1 MB, counting each message in UTF-8 plus 26 bytes.
const MAX_BYTES: usize = 1_048_576;
const EVENT_OVERHEAD: usize = 26;
const MAX_NAME: usize = 512;

fn invalid_parameter(message: impl Into<String>) -> ApiError {
    ApiError {
        status: 400,
        code: "InvalidParameterException",
        message: message.into(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Forward,
    Backward,
}

fn check(group: &str, stream: &str, pos: usize) -> u64 {
    hash(&format!("{group}\n{stream}\n{pos}"))
}

fn token(direction: Direction, group: &str, stream: &str, pos: usize) -> String {
    let prefix = match direction {
        Direction::Forward => 'f',
        Direction::Backward => 'b',
    };
    format!("{prefix}/{:020}{pos:016}/s", check(group, stream, pos))
}

fn parse_token(token: &str, group: &str, stream: &str) -> Option<(Direction, usize)> {
    let (direction, rest) = match token.split_once('/')? {
        ("f", rest) => (Direction::Forward, rest),
        ("b", rest) => (Direction::Backward, rest),
        _ => return None,
    };
    let digits = rest.strip_suffix("/s")?;
    if digits.len() != 36 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (sum, pos) = digits.split_at(20);
    let pos: usize = pos.parse().ok()?;
    (sum.parse::<u64>().ok()? == check(group, stream, pos)).then_some((direction, pos))
}

/// A group named by name or by ARN (with or without the trailing `:*`).
fn group_from_identifier(id: &str) -> &str {
    match id.split_once(":log-group:") {
        Some((_, name)) if id.starts_with("arn:") => name.strip_suffix(":*").unwrap_or(name),
        _ => id,
    }
}

/// Which events a page holds: indices into the stream, oldest first.
fn page(
    events: &[Event],
    direction: Direction,
    pos: usize,
    limit: usize,
    keep: impl Fn(&Event) -> bool,
) -> Vec<usize> {
    let candidates: Box<dyn Iterator<Item = usize>> = match direction {
        Direction::Forward => Box::new(pos..events.len()),
        Direction::Backward => Box::new((0..pos).rev()),
    };
    let mut bytes = 0;
    let mut picked = Vec::new();
    for i in candidates.filter(|&i| keep(&events[i])) {
        let size = events[i].message.len() + EVENT_OVERHEAD;
        if picked.len() == limit || bytes + size > MAX_BYTES {
            break;
        }
        bytes += size;
        picked.push(i);
    }
    if direction == Direction::Backward {
        picked.reverse();
    }
    picked
}

/// Answers GetLogEvents.
pub(crate) fn get_log_events(
    state: &mut SimState,
    body: &Map<String, Value>,
) -> Result<Value, ApiError> {
    state.catch_up();
    let input = Input::root(body);
    let group_name = input.string("logGroupName")?;
    let group_id = input.string("logGroupIdentifier")?;
    let stream = input.string("logStreamName")?;
    let start_time = input.integer("startTime")?;
    let end_time = input.integer("endTime")?;
    let next_token = input.string("nextToken")?;
    let limit = input.integer("limit")?;
    let from_head = input.boolean("startFromHead")?.unwrap_or(false);
    input.boolean("unmask")?;

    let mut v = Violations::default();
    let stream = v.require(stream, "logStreamName");
    let names = [
        ("logStreamName", stream, MAX_NAME),
        ("logGroupName", group_name, MAX_NAME),
        ("logGroupIdentifier", group_id, 2048),
    ];
    for (key, name, max) in names {
        if let Some(name) = name {
            v.min_length(key, name, name.len(), 1);
            v.max_length(key, name, name.len(), max);
        }
    }
    if let Some(limit) = limit {
        v.range("limit", limit, 1, Some(MAX_LIMIT));
    }
    for (key, time) in [("startTime", start_time), ("endTime", end_time)] {
        if let Some(time) = time {
            v.range(key, time, 0, None);
        }
    }
    if let Some(token) = next_token {
        v.min_length("nextToken", token, token.len(), 1);
    }
    v.finish().map_err(|e| invalid_parameter(e.message))?;
    let stream = stream.unwrap_or_default();
    let group = match (group_name, group_id) {
        (Some(name), None) => name,
        (None, Some(id)) => group_from_identifier(id),
        (Some(_), Some(_)) => {
            return Err(invalid_parameter(
                "LogGroup name and LogGroup ARN are mutually exclusive parameters.",
            ))
        }
        (None, None) => {
            return Err(invalid_parameter(
                "Either logGroupName or logGroupIdentifier must be provided.",
            ))
        }
    };

    let now = state.now();
    let build = find_stream(state, group, stream, now).map_err(|missing| {
        ApiError::not_found(match missing {
            Missing::Group => "The specified log group does not exist.",
            Missing::Stream => "The specified log stream does not exist.",
        })
    })?;
    let events = events_at(build, now);
    let (direction, pos) = match next_token {
        Some(t) => parse_token(t, group, stream)
            .filter(|(_, pos)| *pos <= events.len())
            .ok_or_else(|| invalid_parameter("The specified nextToken is invalid."))?,
        None if from_head => (Direction::Forward, 0),
        None => (Direction::Backward, events.len()),
    };
    let keep = |e: &Event| {
        start_time.is_none_or(|t| e.timestamp >= t) && end_time.is_none_or(|t| e.timestamp < t)
    };
    let limit = limit.unwrap_or(MAX_LIMIT).clamp(1, MAX_LIMIT) as usize;
    let picked = page(&events, direction, pos, limit, keep);
    // With nothing new, the tokens stay where they were: that is how a
    // reader following the stream knows it has caught up.
    let first = picked.first().copied().unwrap_or(pos);
    let after = picked.last().map_or(pos, |last| last + 1);
    let out: Vec<Value> = picked
        .iter()
        .map(|&i| {
            let e = &events[i];
            json!({"timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion})
        })
        .collect();
    Ok(json!({
        "events": out,
        "nextForwardToken": token(Direction::Forward, group, stream, after),
        "nextBackwardToken": token(Direction::Backward, group, stream, first),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_only_for_their_stream() {
        let t = token(Direction::Forward, "/g", "s", 42);
        assert!(t.starts_with("f/") && t.ends_with("/s"));
        assert_eq!(parse_token(&t, "/g", "s"), Some((Direction::Forward, 42)));
        assert_eq!(parse_token(&t, "/g", "other"), None);
        let b = token(Direction::Backward, "/g", "s", 0);
        assert_eq!(parse_token(&b, "/g", "s"), Some((Direction::Backward, 0)));
        assert_eq!(parse_token("f/123/s", "/g", "s"), None);
        assert_eq!(parse_token("garbage", "/g", "s"), None);
    }

    #[test]
    fn groups_are_named_by_name_or_arn() {
        let arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/x:*";
        assert_eq!(group_from_identifier(arn), "/aws/codebuild/x");
        assert_eq!(
            group_from_identifier("/aws/codebuild/x"),
            "/aws/codebuild/x"
        );
    }
}
