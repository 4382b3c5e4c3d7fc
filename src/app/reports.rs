//! The test and coverage reports of the builds the user looks at: asked
//! for when such a build is selected (or completes while watched), never
//! for the whole list, and never again once final.

use super::msg::{CaseRequest, Effect, BATCH_LIMIT, INLINE_CASES};
use super::report_cache::Asked;
use super::state::State;
use crate::domain::{ApiError, CasePage, Report, ReportKind};

/// Of those, shown in the details.
pub const DETAIL_CASES: usize = 5;

/// Report ARNs `ls --json` reads the totals of at most: 100 calls.
pub const LISTED_LIMIT: usize = 10_000;

/// The calls that read the reports of every listed build, newest first,
/// 100 ARNs a call, up to `LISTED_LIMIT` ARNs: for `ls --json`'s totals.
pub fn listed(state: &mut State) -> Vec<Effect> {
    let mut by_context: Vec<(u16, Vec<String>)> = Vec::new();
    let mut taken = 0;
    for row in state.list.rows() {
        let Some(build) = row.build_id().and_then(|id| state.store.get(id)) else {
            continue;
        };
        for arn in &build.report_arns {
            if taken == LISTED_LIMIT || !state.reports.wanted(arn, build.complete) {
                continue;
            }
            taken += 1;
            state.reports.asked.insert(
                arn.clone(),
                Asked::Pending {
                    complete: build.complete,
                },
            );
            match by_context.iter_mut().find(|(c, _)| *c == build.context) {
                Some((_, arns)) => arns.push(arn.clone()),
                None => by_context.push((build.context, vec![arn.clone()])),
            }
        }
    }
    by_context
        .into_iter()
        .flat_map(|(context, arns)| {
            arns.chunks(BATCH_LIMIT)
                .map(|chunk| {
                    Effect::FetchReports {
                        arns: chunk.to_vec(),
                    }
                    .at(context)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Report calls for the selected build and the followed ones, for what is
/// not known yet. Called after every message: cheap when nothing is due.
pub fn due(state: &mut State) -> Vec<Effect> {
    let mut ids: Vec<String> = state.reports.followed.clone();
    if let Some(b) = state.selected_build().filter(|_| !state.reports.headless) {
        ids.push(b.id.to_string());
    }
    let mut effects = Vec::new();
    for id in ids {
        let Some(build) = state.store.get(&id) else {
            continue;
        };
        if build.report_arns.is_empty() {
            continue;
        }
        let (complete, context) = (build.complete, build.context);
        let arns: Vec<String> = build
            .report_arns
            .iter()
            .filter(|a| state.reports.wanted(a, complete))
            .cloned()
            .collect();
        let failed_build = build.status.is_failure();
        let inline: Vec<String> = if failed_build {
            build
                .report_arns
                .iter()
                .filter(|a| !state.reports.failed_asked.contains(*a))
                .filter(|a| {
                    state.reports.by_arn.get(*a).is_some_and(|r| {
                        r.kind == ReportKind::Test
                            && r.failed_cases() > 0
                            && !r.is_expired(state.now)
                    })
                })
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        for arn in &arns {
            state
                .reports
                .asked
                .insert(arn.clone(), Asked::Pending { complete });
        }
        for chunk in arns.chunks(BATCH_LIMIT) {
            effects.push(
                Effect::FetchReports {
                    arns: chunk.to_vec(),
                }
                .at(context),
            );
        }
        let settled = arns.is_empty()
            && inline.is_empty()
            && build.complete
            && build.report_arns.iter().all(|a| {
                !state.reports.pending(a)
                    && state.reports.by_arn.get(a).is_none_or(Report::is_final)
            });
        for arn in inline {
            state.reports.failed_asked.insert(arn.clone());
            effects.push(Effect::DescribeCases(CaseRequest::inline(&arn)).at(context));
        }
        // A followed build whose reports are all read needs no more looks.
        if settled {
            state.reports.followed.retain(|b| *b != id);
        }
    }
    effects
}

/// BatchGetReports answered.
pub fn on_reports(state: &mut State, arns: &[String], result: Result<Vec<Report>, ApiError>) {
    for arn in arns {
        if let Some(Asked::Pending { complete }) = state.reports.asked.get(arn).copied() {
            state
                .reports
                .asked
                .insert(arn.clone(), Asked::Answered { complete });
        }
    }
    match result {
        Ok(reports) => {
            for r in reports {
                state.reports.by_arn.insert(r.arn.clone(), r);
            }
        }
        Err(e) => state.warn(format!("could not read the test reports: {e}")),
    }
}

/// DescribeTestCases answered for the details' inline failures.
pub fn on_inline_cases(state: &mut State, report: &str, result: Result<CasePage, ApiError>) {
    match result {
        Ok(mut page) => {
            // No more than asked for, whatever the answer holds.
            page.cases.truncate(INLINE_CASES as usize);
            state.reports.failed.insert(report.to_string(), page.cases);
        }
        Err(e) => state.warn(format!("could not read the failed tests: {e}")),
    }
}
