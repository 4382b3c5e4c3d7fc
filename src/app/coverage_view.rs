//! The coverage view's handlers: every file of the selected build's
//! CODE_COVERAGE reports, read with DescribeCodeCoverages a page at a time,
//! sorted by the service (lowest line coverage first; `s` for the next order).

use crossterm::event::{KeyCode, KeyEvent};

use super::msg::{CoverageRequest, Effect};
use super::overlay::{
    append_capped, CoverageOrder, CoverageView, Overlay, COVERAGE_PAGE, FILE_LIMIT,
};
use super::state::State;
use crate::domain::{ApiError, CoveragePage, ReportKind};

/// `v`: the coverage of the selected build's files.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(build) = state.selected_build() else {
        state.warn("select a build to see its code coverage");
        return Vec::new();
    };
    let reports: Vec<(String, String)> = state
        .reports
        .of(build)
        .filter(|r| r.kind == ReportKind::CodeCoverage)
        .map(|r| (r.arn.clone(), r.name.clone()))
        .collect();
    if reports.is_empty() {
        let known = build
            .report_arns
            .iter()
            .all(|a| state.reports.by_arn.contains_key(a));
        state.warn(if build.report_arns.is_empty() || known {
            "this build has no code coverage report"
        } else {
            "its reports are still being read: try again in a moment"
        });
        return Vec::new();
    }
    let mut view = CoverageView::new(build);
    view.page = state.settings.coverage_page.clamp(1, COVERAGE_PAGE);
    view.reports = reports;
    let effects = restart(&mut view);
    state.overlay = Overlay::Coverage(Box::new(view));
    effects
}

/// Reads every report again from its first page, in the view's order.
fn restart(view: &mut CoverageView) -> Vec<Effect> {
    view.generation = view.generation.wrapping_add(1);
    view.pending = view.reports.iter().map(|(arn, _)| arn.clone()).collect();
    view.files.clear();
    view.error = None;
    view.cut = false;
    view.cursor = 0;
    view.scroll = 0;
    next_page(view, None)
}

fn next_page(view: &CoverageView, next_token: Option<String>) -> Vec<Effect> {
    let Some(arn) = view.pending.first() else {
        return Vec::new();
    };
    vec![Effect::DescribeCoverages(CoverageRequest {
        report_arn: arn.clone(),
        by_path: view.order == CoverageOrder::ByPath,
        descending: view.order == CoverageOrder::HighestFirst,
        max_results: view.page,
        next_token,
        generation: view.generation,
    })
    .at(view.context)]
}

/// A page arrived, if it is still the one asked for.
pub fn on_page(
    state: &mut State,
    request: &CoverageRequest,
    result: Result<CoveragePage, ApiError>,
) -> Vec<Effect> {
    let Some(view) = state.overlay.coverage_mut() else {
        return Vec::new();
    };
    let same = view.pending.first() == Some(&request.report_arn);
    if !same || view.generation != request.generation {
        return Vec::new();
    }
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            view.error = Some(format!("could not read the code coverage: {e}"));
            return Vec::new();
        }
    };
    if append_capped(&mut view.files, page.files, FILE_LIMIT) {
        view.cut = true;
        view.pending.clear();
        return Vec::new();
    }
    // A token handed back again would page forever: that pass is over.
    match page
        .next_token
        .filter(|t| Some(t) != request.next_token.as_ref())
    {
        Some(token) => next_page(view, Some(token)),
        None => {
            view.pending.remove(0);
            next_page(view, None)
        }
    }
}

/// Rows of files that fit in the view.
pub fn rows(state: &State) -> usize {
    (state.height as usize).saturating_sub(7).max(1)
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let rows = rows(state);
    let Some(view) = state.overlay.coverage_mut() else {
        return Vec::new();
    };
    let last = view.files.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc | KeyCode::Char('v') => {
            state.overlay = Overlay::None;
            return Vec::new();
        }
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Char('s') => {
            view.order = view.order.next();
            return restart(view);
        }
        KeyCode::Down | KeyCode::Char('j') => view.cursor = (view.cursor + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => view.cursor = view.cursor.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => view.cursor = (view.cursor + rows).min(last),
        KeyCode::PageUp => view.cursor = view.cursor.saturating_sub(rows),
        KeyCode::Home | KeyCode::Char('g') => view.cursor = 0,
        KeyCode::End | KeyCode::Char('G') => view.cursor = last,
        _ => {}
    }
    if view.cursor < view.scroll {
        view.scroll = view.cursor;
    } else if view.cursor >= view.scroll + rows {
        view.scroll = view.cursor + 1 - rows;
    }
    Vec::new()
}
