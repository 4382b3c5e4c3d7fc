use super::commands;
use super::describe::refresh_confirm;
use super::keys::on_key;
use super::log_view;
use super::merge::{apply, apply_batches};
use super::mouse::on_mouse;
use super::msg::{Effect, ListRequest, Msg, Purpose, Resource};
use super::preset_menu;
use super::projects;
use super::state::State;
use crate::domain::ApiError;
use crate::domain::{Fetched, FetchedBatches, ListPage};

/// The program's only state transition: pure, so every key and every API
/// answer can be tested without a terminal or a network.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = step(state, msg);
    effects.extend(super::reports::due(state));
    effects.extend(super::trends::due(state));
    effects.extend(super::resources::due(state));
    effects.extend(super::idle::due(state));
    effects
}

fn step(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::From { context, msg } => {
            let outer = std::mem::replace(&mut state.answer_context, context);
            let effects = step(state, *msg);
            state.answer_context = outer;
            effects
        }
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(mouse) => on_mouse(state, mouse),
        Msg::Paste(text) => super::keys::on_paste(state, &text),
        Msg::Resize { width, height } => {
            state.width = width;
            state.height = height;
            let rows = state.visible_rows();
            state.list.scroll_into_view(rows);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            state.assess_runaways();
            super::board_view::on_tick(state);
            refresh_confirm(state);
            pace_pollers(state);
            let mut effects = due_polls(state, now);
            effects.extend(log_view::on_tick(state));
            effects
        }
        Msg::PollDue(now) => {
            state.now = now;
            due_polls(state, now)
        }
        Msg::LogPage { build, result } => {
            let killed = result.as_ref().is_ok_and(|page| {
                page.events
                    .iter()
                    .any(|e| crate::domain::sizing::killed_in_line(&e.message))
            });
            if killed {
                if let Some(b) = state.store.get(&build) {
                    let id = b.id.clone();
                    state.resources.touch(&id);
                    state.resources.killed.insert(id);
                }
            }
            log_view::on_page(state, &build, result)
        }
        Msg::Listed { request, result } => on_listed(state, request, result),
        Msg::Fetched { purpose, result } => {
            let finished = newly_finished(state, &result);
            let mut effects = on_fetched(state, purpose, result);
            effects.extend(finished);
            effects
        }
        Msg::BatchesFetched { purpose, result } => on_batches_fetched(state, purpose, result),
        Msg::Projects(result) => {
            let effects = super::board_view::on_projects(state, &result);
            projects::on_listed(state, result);
            effects
        }
        Msg::Backfilled { project, result } => {
            super::board_view::on_backfilled(state, &project, result);
            Vec::new()
        }
        Msg::Identified(result) => {
            let ctx = state.answer_context;
            let (poller, _, _) = state.split(ctx);
            poller.on_identified(result);
            Vec::new()
        }
        Msg::Sent(sent) => commands::on_sent(state, sent.command, sent.result),
        Msg::PresetsLoaded(result) => {
            preset_menu::on_loaded(state, result);
            Vec::new()
        }
        Msg::PresetsDone(result) => {
            match result {
                Ok(text) if text.is_empty() => {}
                Ok(text) => state.notify(text),
                Err(text) => state.warn(text),
            }
            Vec::new()
        }
        Msg::Candidates { request, result } => {
            super::compare::on_candidates(state, request, result)
        }
        Msg::Reports { arns, result } => {
            super::reports::on_reports(state, &arns, result);
            Vec::new()
        }
        Msg::Cases { request, result } => match request.purpose {
            super::msg::CasePurpose::Inline => {
                super::reports::on_inline_cases(state, &request.report_arn, result);
                Vec::new()
            }
            super::msg::CasePurpose::View => super::tests_view::on_page(state, &request, result),
        },
        Msg::Coverages { request, result } => {
            super::coverage_view::on_page(state, &request, result)
        }
        Msg::Trend { request, result } => {
            super::trends::on_trend(state, &request, result);
            Vec::new()
        }
        Msg::MetricsListed { request, result } => match request.purpose {
            super::msg::MetricsPurpose::Build(id) => {
                super::resources::on_listed(state, &id, result);
                Vec::new()
            }
            super::msg::MetricsPurpose::Idle(_) => super::idle::on_listed(state, result),
        },
        Msg::MetricData { request, result } => {
            // Values outside the time asked for are not the build's.
            let (start, end) = (request.start, request.end);
            let result = result.map(|rs| {
                rs.into_iter()
                    .map(|mut r| {
                        r.series.points.retain(|(t, _)| (start..=end).contains(t));
                        r
                    })
                    .collect()
            });
            match request.purpose {
                super::msg::MetricsPurpose::Build(id) => {
                    super::resources::on_data(state, &id, result)
                }
                super::msg::MetricsPurpose::Idle(builds) => {
                    super::idle::on_data(state, &builds, result)
                }
            }
            Vec::new()
        }
        Msg::OpenFailed { url, error } => {
            state.warn(format!(
                "could not open a browser ({error}); press y to copy {url}"
            ));
            Vec::new()
        }
    }
}

fn on_listed(
    state: &mut State,
    request: ListRequest,
    result: Result<ListPage, ApiError>,
) -> Vec<Effect> {
    match request.purpose {
        Purpose::Poll | Purpose::Discover(_) => {
            let (ctx, now) = (state.answer_context, state.now);
            let (poller, _, store) = state.split(ctx);
            let result = result.map(|page| (page.ids, page.next_token));
            let effects = poller.on_listed(&request, result, store, now);
            take_poller_news(state, ctx);
            effects
        }
        Purpose::History | Purpose::Detail => {
            let result = result.map(|page| (page.ids, page.next_token));
            if let Err(e) = &result {
                let text = format!("older builds: {e}");
                state.warn(text);
            }
            let ctx = state.answer_context;
            let (_, history, store) = state.split(ctx);
            let listed = history.on_listed(&request, &result, |id| match request.resource {
                Resource::Builds => store.builds.contains(id),
                Resource::Batches => store.batches.contains(id),
            });
            let exhausted = !history.loading() && !history.has_more();
            if listed.stuck {
                state.warn(format!(
                    "older builds: {}",
                    super::discovery::stuck_warning(request.resource)
                ));
            } else if result.is_ok() && exhausted {
                state.notify("no older builds");
            }
            listed.effects.into_iter().map(|e| e.at(ctx)).collect()
        }
    }
}

fn on_fetched(
    state: &mut State,
    purpose: Purpose,
    result: Result<Fetched, ApiError>,
) -> Vec<Effect> {
    let error = applied(state, result, apply);
    after_fetch(
        state,
        purpose,
        error,
        "builds",
        |poller, store, error, now| {
            poller.on_fetched(error, store, now);
            Vec::new()
        },
    )
}

fn on_batches_fetched(
    state: &mut State,
    purpose: Purpose,
    result: Result<FetchedBatches, ApiError>,
) -> Vec<Effect> {
    let error = applied(state, result, apply_batches);
    after_fetch(
        state,
        purpose,
        error,
        "batches",
        |poller, store, error, now| poller.on_batches_fetched(error, store, now),
    )
}

/// Merges what was fetched; the error, if the call failed, for the poller.
fn applied<T>(
    state: &mut State,
    result: Result<T, ApiError>,
    apply: fn(&mut State, T),
) -> Option<ApiError> {
    result.map(|fetched| apply(state, fetched)).err()
}

/// What a fetch's answer means for whoever asked: the poll cycle moves on,
/// history paging counts it, an on-demand fetch reports its failure.
fn after_fetch(
    state: &mut State,
    purpose: Purpose,
    error: Option<ApiError>,
    what: &str,
    poll: impl FnOnce(
        &mut super::poll::Poller,
        &super::store::BuildStore,
        Option<ApiError>,
        chrono::DateTime<chrono::Utc>,
    ) -> Vec<Effect>,
) -> Vec<Effect> {
    let (ctx, now) = (state.answer_context, state.now);
    match purpose {
        Purpose::Poll => {
            let (poller, _, store) = state.split(ctx);
            poll(poller, store, error, now)
        }
        Purpose::Discover(scope) => {
            let (poller, _, store) = state.split(ctx);
            let effects = poller.on_page_fetched(scope, error, store, now);
            take_poller_news(state, ctx);
            effects
        }
        Purpose::History => {
            state.split(ctx).1.on_fetched();
            if let Some(e) = error {
                state.warn(format!("older {what}: {e}"));
            }
            Vec::new()
        }
        Purpose::Detail => {
            if let Some(e) = error {
                state.warn(format!("could not load the {what}: {e}"));
            }
            Vec::new()
        }
    }
}

/// The cycles of every context whose poll is due.
fn due_polls(state: &mut State, now: chrono::DateTime<chrono::Utc>) -> Vec<Effect> {
    let mut effects = state.poller.on_tick(&state.store, now);
    for extra in &mut state.contexts {
        effects.extend(extra.poller.on_tick(&state.store, now));
    }
    effects
}

/// Tells every poller how many contexts run builds now.
fn pace_pollers(state: &mut State) {
    let busy = state
        .pollers()
        .filter(|(c, _)| state.store.busy_in(*c))
        .count();
    state.poller.set_busy_contexts(busy);
    for extra in &mut state.contexts {
        extra.poller.set_busy_contexts(busy);
    }
}

/// What a context's poller has to say once, and where history paging
/// starts now that its start-up reading ended.
fn take_poller_news(state: &mut State, ctx: u16) {
    let (poller, history, _) = state.split(ctx);
    let news = std::mem::take(&mut poller.news);
    for (resource, project, token) in std::mem::take(&mut poller.history_starts) {
        history.start_at(resource, &project, token);
    }
    let name = state.context_name(ctx).to_string();
    for text in news {
        let text = if name.is_empty() {
            text
        } else {
            format!("{name}: {text}")
        };
        state.warn(text);
    }
}

/// Notifications for watched builds (and builds of notified projects) that
/// this answer shows finished.
fn newly_finished(state: &mut State, result: &Result<Fetched, ApiError>) -> Vec<Effect> {
    let Ok(fetched) = result else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    for b in &fetched.builds {
        let was_running = state.store.get(&b.id).is_some_and(|old| !old.complete);
        let wanted =
            state.watched.contains(&b.id) || state.settings.notify_projects.contains(&b.project);
        if b.complete && was_running && wanted {
            state.watched.remove(&b.id);
            if !b.report_arns.is_empty() {
                state.reports.follow(&b.id);
            }
            let title = format!(
                "{} #{} {}",
                b.project,
                b.number.unwrap_or_default(),
                b.status
            );
            let took = b
                .elapsed_secs(state.now)
                .map(crate::text::duration)
                .unwrap_or_default();
            let body = match b.failed_phase() {
                Some(p) if b.status.is_failure() => {
                    format!("failed in {} after {took}", p.phase_type)
                }
                _ => format!("finished after {took}"),
            };
            state.notify(format!("{title}: {body}"));
            effects.push(Effect::Notify { title, body });
        }
    }
    effects
}
