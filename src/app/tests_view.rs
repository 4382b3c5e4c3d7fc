//! The test cases view's handlers: every case of the selected build's TEST
//! reports, read with DescribeTestCases a page of 100 at a time (FAILED
//! first, then the rest), a keyword searched server-side, and Enter to the
//! first log line that names the test.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

use super::msg::{CasePurpose, CaseRequest, Effect};
use super::overlay::{
    append_capped, LogView, Overlay, Pass, TestsView, CASE_LIMIT, CASE_PAGE, KEYWORD_LIMIT,
};
use super::state::State;
use crate::domain::{ApiError, CasePage, ReportKind};
use crate::text::inert;

/// Rows of one message shown at most.
const MESSAGE_ROWS: usize = 500;

/// `t`: the test cases of the selected build.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(build) = state.selected_build() else {
        state.warn("select a build to see its test cases");
        return Vec::new();
    };
    if build.report_arns.is_empty() {
        state.warn("this build has no test reports");
        return Vec::new();
    }
    let mut view = TestsView::new(build);
    view.page = state.settings.case_page.clamp(1, CASE_PAGE);
    for arn in &build.report_arns {
        match state.reports.by_arn.get(arn) {
            Some(r) if r.kind != ReportKind::Test => {}
            Some(r) if r.is_expired(state.now) => view.expired.push(r.name.clone()),
            Some(r) if r.status == "GENERATING" => view.generating.push(r.name.clone()),
            // Reports not read yet are tried: an answer says what they hold.
            _ => view.passes.extend([
                Pass {
                    report_arn: arn.clone(),
                    status: Some("FAILED".to_string()),
                },
                Pass {
                    report_arn: arn.clone(),
                    status: None,
                },
            ]),
        }
    }
    let effects = next_page(&view, None);
    state.overlay = Overlay::Tests(Box::new(view));
    effects
}

/// The current pass's page after `token`, or nothing when all are read.
fn next_page(view: &TestsView, next_token: Option<String>) -> Vec<Effect> {
    let Some(pass) = view.passes.first() else {
        return Vec::new();
    };
    vec![Effect::DescribeCases(CaseRequest {
        report_arn: pass.report_arn.clone(),
        status: pass.status.clone(),
        keyword: view.keyword.clone(),
        max_results: view.page,
        next_token,
        purpose: CasePurpose::View,
        generation: view.generation,
    })
    .at(view.context)]
}

/// A page arrived for the view, if it is still the one asked for.
pub fn on_page(
    state: &mut State,
    request: &CaseRequest,
    result: Result<CasePage, ApiError>,
) -> Vec<Effect> {
    let Some(view) = state.overlay.tests_mut() else {
        return Vec::new();
    };
    let current = view.passes.first();
    let same =
        current.is_some_and(|p| p.report_arn == request.report_arn && p.status == request.status);
    if !same || view.generation != request.generation {
        return Vec::new();
    }
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            // Said, and the other reports' cases are still read.
            view.error = Some(format!("could not read the test cases: {e}"));
            view.passes.remove(0);
            return next_page(view, None);
        }
    };
    // The unfiltered pass skips the failures the first pass read (and
    // only those: if that pass failed, the failures come now).
    let rest = request.status.is_none();
    let read: std::collections::HashSet<(String, String)> = view
        .cases
        .iter()
        .filter(|c| rest && c.status == "FAILED")
        .map(|c| (c.suite.clone(), c.name.clone()))
        .collect();
    let new = page.cases.into_iter().filter(|c| {
        !(rest && c.status == "FAILED" && read.contains(&(c.suite.clone(), c.name.clone())))
    });
    if append_capped(&mut view.cases, new, CASE_LIMIT) {
        view.cut = true;
        view.passes.clear();
        return Vec::new();
    }
    // A token handed back again would page forever: that pass is over.
    match page
        .next_token
        .filter(|t| Some(t) != request.next_token.as_ref())
    {
        Some(token) => next_page(view, Some(token)),
        None => {
            view.passes.remove(0);
            next_page(view, None)
        }
    }
}

/// One line of the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestLine {
    /// The case numbered here.
    Case(usize),
    /// A row of a message, under its case.
    Message(String),
}

/// The cases, each with its message: the selected one whole, a failed one
/// by its first line.
pub fn lines(view: &TestsView, width: usize) -> Vec<TestLine> {
    let width = width.saturating_sub(6).max(8);
    let mut out = Vec::new();
    for (i, case) in view.cases.iter().enumerate() {
        out.push(TestLine::Case(i));
        if i == view.cursor {
            // Line by line: inert makes a line break a space.
            let mut left = MESSAGE_ROWS;
            for line in case.message.lines() {
                // No more of a line than fits: inert reads all it is given.
                let head: String = line.chars().take(width.saturating_mul(left)).collect();
                let rows = wrap(&inert(&head), width, left);
                left -= rows.len();
                out.extend(rows.into_iter().map(TestLine::Message));
                if left == 0 {
                    break;
                }
            }
        } else if case.status != "SUCCEEDED" && !case.first_line().is_empty() {
            let head: String = case.first_line().chars().take(width).collect();
            out.extend(
                wrap(&inert(&head), width, 1)
                    .into_iter()
                    .map(TestLine::Message),
            );
        }
    }
    out
}

/// `text` cut into rows of at most `width` columns, `max` rows at most:
/// a message of megabytes is not laid out whole.
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut rows = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthStr::width(c.encode_utf8(&mut [0u8; 4]) as &str);
        if used + w > width {
            if rows.len() >= max {
                break;
            }
            rows.push(String::new());
            used = 0;
        }
        used += w;
        if let Some(row) = rows.last_mut() {
            row.push(c);
        }
    }
    rows.truncate(max.max(1));
    rows
}

/// Rows of cases that fit in the view.
pub fn rows(state: &State) -> usize {
    (state.height as usize).saturating_sub(6).max(1)
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let (rows, width) = (rows(state), state.width as usize);
    let Some(view) = state.overlay.tests_mut() else {
        return Vec::new();
    };
    if let Some(text) = &mut view.editing {
        match key.code {
            KeyCode::Enter => {
                let keyword = std::mem::take(text);
                view.editing = None;
                return search(state, keyword);
            }
            KeyCode::Esc => view.editing = None,
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL)
                    && text.chars().count() < KEYWORD_LIMIT =>
            {
                text.push(c)
            }
            _ => {}
        }
        return Vec::new();
    }
    let last = view.cases.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc | KeyCode::Char('t') => {
            state.overlay = Overlay::None;
            return Vec::new();
        }
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Char('/') => view.editing = Some(view.keyword.clone().unwrap_or_default()),
        KeyCode::Enter => return to_log(state),
        KeyCode::Down | KeyCode::Char('j') => view.cursor = (view.cursor + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => view.cursor = view.cursor.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => view.cursor = (view.cursor + rows).min(last),
        KeyCode::PageUp => view.cursor = view.cursor.saturating_sub(rows),
        KeyCode::Home | KeyCode::Char('g') => view.cursor = 0,
        KeyCode::End | KeyCode::Char('G') => view.cursor = last,
        _ => {}
    }
    keep_in_view(view, rows, width);
    Vec::new()
}

/// Scrolls so the cursor's case and its message are on screen.
fn keep_in_view(view: &mut TestsView, rows: usize, width: usize) {
    let lines = lines(view, width);
    let Some(at) = lines.iter().position(|l| *l == TestLine::Case(view.cursor)) else {
        return;
    };
    let end = lines[at + 1..]
        .iter()
        .position(|l| matches!(l, TestLine::Case(_)))
        .map_or(lines.len(), |n| at + 1 + n);
    if at < view.scroll {
        view.scroll = at;
    } else if end > view.scroll + rows {
        view.scroll = end.saturating_sub(rows).min(at);
    }
}

/// Reads the cases again with `keyword` as filter.keyword (empty: none).
fn search(state: &mut State, keyword: String) -> Vec<Effect> {
    let Some(build) = state.overlay.tests().map(|v| v.build.clone()) else {
        return Vec::new();
    };
    let generation = state.overlay.tests().map_or(0, |v| v.generation);
    let effects = open(state);
    let Some(view) = state.overlay.tests_mut().filter(|v| v.build == build) else {
        return effects;
    };
    view.generation = generation.wrapping_add(1);
    view.keyword = Some(keyword).filter(|k| !k.trim().is_empty());
    next_page(view, None)
}

/// Enter: the build's log, at the first line that names the test.
fn to_log(state: &mut State) -> Vec<Effect> {
    let Some((build, name)) = state
        .overlay
        .tests()
        .and_then(|v| v.selected().map(|c| (v.build.clone(), c.name.clone())))
    else {
        return Vec::new();
    };
    let Some(build) = state.store.get(&build) else {
        state.warn("the build is no longer loaded");
        return Vec::new();
    };
    let mut view = LogView::new(build, state.settings.log_lines);
    view.query = name.chars().take(super::overlay::SEARCH_LIMIT).collect();
    view.seek_first = true;
    let effects = view.read();
    if let Overlay::Tests(tests) = std::mem::take(&mut state.overlay) {
        view.back = Some(tests);
    }
    state.overlay = Overlay::new_log_view(view);
    effects
}

/// Pasted text goes into the keyword being typed, its first line only.
pub fn paste(state: &mut State, text: &str) -> super::paste::Pasted {
    use super::paste::{fit, outcome, Pasted};
    let Some(keyword) = state.overlay.tests_mut().and_then(|v| v.editing.as_mut()) else {
        return Pasted::Refused;
    };
    let first = text
        .split(['\n', '\r'])
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let room = KEYWORD_LIMIT.saturating_sub(keyword.chars().count());
    let (kept, dropped) = fit(first, room, false);
    keyword.push_str(&kept);
    outcome("the keyword", KEYWORD_LIMIT, kept.chars().count(), dropped)
}
