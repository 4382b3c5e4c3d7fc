//! Report group trends (GetReportGroupTrend) for the selected build's
//! reports: asked for once per group and field when its details show the
//! reports, then kept for the session.

use super::msg::{Effect, TrendRequest};
use super::report_cache::Trend;
use super::state::State;
use crate::domain::{ApiError, TrendField};

/// Reports a trend covers.
pub const TREND_REPORTS: i32 = 30;
/// Groups and fields kept at most; beyond, no more are asked for.
const TREND_LIMIT: usize = 1_000;

/// Trend calls for the groups of the selected build's known reports that
/// were never asked for. Not for a headless run: nothing draws them.
pub fn due(state: &mut State) -> Vec<Effect> {
    if state.reports.headless {
        return Vec::new();
    }
    let Some(build) = state.selected_build() else {
        return Vec::new();
    };
    let context = build.context;
    let mut wanted = Vec::new();
    for r in state.reports.of(build) {
        let Some(group) = &r.group_arn else {
            continue;
        };
        for field in TrendField::for_kind(&r.kind) {
            let key = (group.clone(), *field);
            if !state.trends.by_group.contains_key(&key) && !wanted.contains(&key) {
                wanted.push(key);
            }
        }
    }
    let mut effects = Vec::new();
    for key in wanted {
        if state.trends.by_group.len() >= TREND_LIMIT {
            break;
        }
        effects.push(
            Effect::Trend(TrendRequest {
                group_arn: key.0.clone(),
                field: key.1,
                reports: TREND_REPORTS,
            })
            .at(context),
        );
        state.trends.by_group.insert(key, Trend::Pending);
    }
    effects
}

/// GetReportGroupTrend answered, newest first.
pub fn on_trend(state: &mut State, request: &TrendRequest, result: Result<Vec<f64>, ApiError>) {
    let key = (request.group_arn.clone(), request.field);
    let trend = match result {
        Ok(mut values) => {
            values.truncate(TREND_REPORTS.max(1) as usize);
            values.reverse();
            Trend::Known(values)
        }
        // Not retried: the figures stand without it.
        Err(_) => Trend::Failed,
    };
    state.trends.by_group.insert(key, trend);
}

/// Levels of a sparkline, lowest first.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII_BARS: [char; 5] = ['_', '.', '-', '=', '#'];

/// `values` as a sparkline from 0 to `ceiling` (percentages) or to their
/// largest value; one character a report.
pub fn sparkline(values: &[f64], ceiling: Option<f64>, ascii: bool) -> String {
    let levels: &[char] = if ascii { &ASCII_BARS } else { &BARS };
    let top = levels.len() - 1;
    let max = ceiling.unwrap_or_else(|| values.iter().copied().fold(0.0, f64::max));
    values
        .iter()
        .map(|v| {
            let at = if max > 0.0 {
                ((v.max(0.0) / max) * top as f64).round() as usize
            } else {
                0
            };
            levels[at.min(top)]
        })
        .collect()
}
