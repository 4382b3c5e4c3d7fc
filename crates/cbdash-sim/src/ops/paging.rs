//! nextToken handling. A token names the last item returned (not an offset),
//! so it stays valid while new builds arrive at the head of the list.

use serde_json::{json, Map, Value};

use crate::input::ApiError;

pub(crate) const PAGE_SIZE: usize = 100;

const SEPARATOR: char = '\u{1f}';

fn encode(fields: &[&str]) -> String {
    fields
        .join(&SEPARATOR.to_string())
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode(token: &str) -> Option<Vec<String>> {
    if token.len() % 2 != 0 || !token.is_ascii() {
        return None;
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&token[i..i + 2], 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let text = String::from_utf8(bytes).ok()?;
    Some(text.split(SEPARATOR).map(String::from).collect())
}

pub(crate) fn invalid(token: &str) -> ApiError {
    ApiError::invalid_input(format!("Invalid nextToken: {token}"))
}

/// The item a token names, once its scope checks out; None without a
/// token (or with an empty one).
pub(crate) fn anchor(token: Option<&str>, scope: &[&str]) -> Result<Option<String>, ApiError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let mut fields = decode(token).ok_or_else(|| invalid(token))?;
    let anchor = fields.pop().ok_or_else(|| invalid(token))?;
    if fields != scope {
        return Err(invalid(token));
    }
    Ok(Some(anchor))
}

/// The token of a page of the `scope` listing that ended with `last`.
pub(crate) fn next_token(scope: &[&str], last: &str) -> String {
    let mut fields = scope.to_vec();
    fields.push(last);
    encode(&fields)
}

/// One page of `items`. `scope` identifies the listing (operation, sort
/// order, filters); a token from another listing is rejected.
pub(crate) fn paginate(
    items: &[String],
    token: Option<&str>,
    scope: &[&str],
) -> Result<(Vec<String>, Option<String>), ApiError> {
    paginate_filtered(items, token, scope, PAGE_SIZE, |_| true)
}

/// Up to `size` of the `items` that `keep` accepts. The token anchors in
/// the unfiltered list, so it stays valid when its item stops matching
/// (a batch that was running has finished).
pub(crate) fn paginate_filtered(
    items: &[String],
    token: Option<&str>,
    scope: &[&str],
    size: usize,
    keep: impl Fn(&str) -> bool,
) -> Result<(Vec<String>, Option<String>), ApiError> {
    let start = match anchor(token, scope)? {
        None => 0,
        Some(anchor) => {
            items
                .iter()
                .position(|item| *item == anchor)
                .ok_or_else(|| invalid(token.unwrap_or_default()))?
                + 1
        }
    };
    let mut rest = items[start..].iter().filter(|item| keep(item));
    let page: Vec<String> = rest.by_ref().take(size).cloned().collect();
    let next = match page.last() {
        Some(last) if rest.next().is_some() => Some(next_token(scope, last)),
        _ => None,
    };
    Ok((page, next))
}

/// Ids stored oldest first, in the requested order (DESCENDING by default).
pub(crate) fn in_order(mut ids: Vec<String>, sort_order: &str) -> Vec<String> {
    if sort_order == "DESCENDING" {
        ids.reverse();
    }
    ids
}

/// `{key: page}`, plus nextToken while more pages follow.
pub(crate) fn page_json(key: &str, page: Vec<String>, next: Option<String>) -> Value {
    let mut out = Map::new();
    out.insert(key.into(), json!(page));
    if let Some(next) = next {
        out.insert("nextToken".into(), json!(next));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("b{i}")).collect()
    }

    #[test]
    fn token_anchors_on_the_last_item() {
        let all = items(150);
        let (first, token) = paginate(&all, None, &["ListBuilds"]).expect("first page");
        assert_eq!(first.len(), 100);
        let token = token.expect("more pages");
        let mut grown = vec!["new".to_string()];
        grown.extend(all);
        let (second, done) = paginate(&grown, Some(&token), &["ListBuilds"]).expect("second");
        assert_eq!(second.first().map(String::as_str), Some("b100"));
        assert_eq!(second.len(), 50);
        assert!(done.is_none());
    }

    #[test]
    fn foreign_or_garbled_tokens_are_rejected() {
        let all = items(150);
        let (_, token) = paginate(&all, None, &["ListBuilds", "DESCENDING"]).expect("page");
        let token = token.expect("token");
        assert!(paginate(&all, Some(&token), &["ListBuilds", "ASCENDING"]).is_err());
        assert!(paginate(&all, Some("zz"), &["ListBuilds"]).is_err());
    }
}
