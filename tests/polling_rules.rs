//! The polling engine's schedule and call plan, through the pure update.

mod common;

use chrono::Duration;

use cbdash::app::{update, Effect, ListRequest, Msg, Purpose, Settings, State};
use cbdash::aws::{Fetched, ListPage};
use cbdash::domain::{ApiError, ErrorKind, Status};
use common::fixtures::{build, no_batches, state_with, t0};

/// Answers a cycle's discovery: no batches, then this page of builds.
fn discover(state: &mut State, project: Option<&str>, ids: &[&str]) -> Vec<Effect> {
    update(state, no_batches(project));
    update(state, listed(project, ids))
}

fn listed(project: Option<&str>, ids: &[&str]) -> Msg {
    Msg::Listed {
        request: ListRequest {
            resource: cbdash::app::Resource::Builds,
            project: project.map(str::to_string),
            next_token: None,
            purpose: Purpose::Poll,
        },
        result: Ok(ListPage {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            next_token: None,
        }),
    }
}

fn fetched(builds: Vec<cbdash::domain::Build>) -> Msg {
    Msg::Fetched {
        purpose: Purpose::Poll,
        result: Ok(Fetched {
            builds,
            not_found: vec![],
        }),
    }
}

fn fetch_ids(effects: &[Effect]) -> Vec<Vec<String>> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { ids, .. } => Some(ids.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_cycle_lists_once_then_fetches_new_and_running_builds_only() {
    let running = build("web-frontend", 1, 3, Status::InProgress);
    let done = build("web-frontend", 2, 9, Status::Succeeded);
    let mut state = state_with(vec![running.clone(), done.clone()]);
    let effects = update(&mut state, Msg::Tick(t0() + Duration::seconds(60)));
    assert_eq!(
        effects,
        vec![
            Effect::List(ListRequest {
                resource: cbdash::app::Resource::Builds,
                project: None,
                next_token: None,
                purpose: Purpose::Poll
            }),
            Effect::List(ListRequest {
                resource: cbdash::app::Resource::Batches,
                project: None,
                next_token: None,
                purpose: Purpose::Poll
            })
        ]
    );
    // Newest first: reading stops at the first known ID, even if unknown ones follow.
    let effects = discover(
        &mut state,
        None,
        &["new:2", "new:1", &running.id, "older:unknown"],
    );
    assert_eq!(
        fetch_ids(&effects),
        vec![vec![
            "new:2".to_string(),
            "new:1".into(),
            running.id.to_string()
        ]]
    );
    assert!(
        !fetch_ids(&effects)[0].contains(&done.id.to_string()),
        "complete builds are not refetched"
    );
}

#[test]
fn running_builds_are_fetched_in_chunks_of_at_most_100() {
    let builds = (0..250)
        .map(|n| build("api-service", n, n, Status::InProgress))
        .collect();
    let mut state = state_with(builds);
    update(&mut state, Msg::Tick(t0() + Duration::seconds(60)));
    let effects = discover(&mut state, None, &[]);
    let chunks = fetch_ids(&effects);
    assert_eq!(
        chunks.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
}

#[test]
fn one_discovery_page_per_watched_project() {
    let settings = Settings {
        projects: vec!["a".into(), "b".into()],
        ..Settings::default()
    };
    let mut state = State::new(settings, t0());
    let effects = update(&mut state, Msg::Tick(t0()));
    assert_eq!(effects.len(), 4, "builds and batches, of each project");
    assert!(
        discover(&mut state, Some("a"), &["a:1"]).is_empty(),
        "waits for every project"
    );
    let effects = discover(&mut state, Some("b"), &["b:1"]);
    assert_eq!(
        fetch_ids(&effects),
        vec![vec!["a:1".to_string(), "b:1".into()]]
    );
}

#[test]
fn polls_at_the_interval_while_builds_run_and_slower_when_idle() {
    let running = build("web-frontend", 1, 3, Status::InProgress);
    let mut state = state_with(vec![running.clone()]);
    // The fixture's first (empty) cycle left the idle interval: wait it out.
    let now = t0() + Duration::seconds(60);
    update(&mut state, Msg::Tick(now));
    discover(&mut state, None, &[]);
    update(&mut state, fetched(vec![running.clone()]));
    assert_eq!(state.poller.next_at, Some(now + Duration::seconds(3)));
    assert!(
        update(&mut state, Msg::Tick(now + Duration::seconds(2))).is_empty(),
        "not due yet"
    );

    let mut finished = running;
    finished.status = Status::Succeeded;
    finished.complete = true;
    let later = now + Duration::seconds(3);
    state.now = later;
    update(&mut state, Msg::Tick(later));
    discover(&mut state, None, &[]);
    update(&mut state, fetched(vec![finished]));
    assert_eq!(state.store.running_count(), 0);
    assert_eq!(
        state.poller.next_at,
        Some(later + Duration::seconds(12)),
        "idle: 4x the interval"
    );
}

#[test]
fn failures_back_off_exponentially_with_jitter_up_to_a_minute_then_recover() {
    let mut state = state_with(vec![build("web-frontend", 1, 3, Status::Succeeded)]);
    let mut now = t0() + Duration::seconds(30);
    let mut delays = Vec::new();
    for _ in 0..8 {
        state.now = now;
        update(&mut state, Msg::Tick(now));
        update(&mut state, no_batches(None));
        update(
            &mut state,
            Msg::Listed {
                request: ListRequest {
                    resource: cbdash::app::Resource::Builds,
                    project: None,
                    next_token: None,
                    purpose: Purpose::Poll,
                },
                result: Err(ApiError::new(ErrorKind::Throttled, "Rate exceeded")),
            },
        );
        let next = state.poller.next_at.expect("a retry is scheduled");
        delays.push((next - now).num_milliseconds() as f64 / 1000.0);
        now = next;
    }
    assert!(state.poller.is_stale());
    assert_eq!(state.store.len(), 1, "the last good data stays");
    for (i, d) in delays.iter().enumerate() {
        let full = (3.0 * 2f64.powi(i as i32 + 1)).min(60.0);
        assert!(
            *d >= full * 0.5 && *d <= full,
            "retry {i}: {d}s not within jittered {full}s"
        );
    }
    assert!(delays.iter().all(|d| *d <= 60.0));

    state.now = now;
    update(&mut state, Msg::Tick(now));
    discover(&mut state, None, &[]);
    assert!(
        !state.poller.is_stale(),
        "one good cycle clears the failure"
    );
    assert_eq!(state.poller.failures, 0);
}

#[test]
fn refresh_while_a_cycle_runs_queues_one_more_cycle_instead_of_stacking() {
    let mut state = state_with(vec![build("web-frontend", 1, 3, Status::InProgress)]);
    let now = t0() + Duration::seconds(30);
    state.now = now;
    assert_eq!(update(&mut state, Msg::Tick(now)).len(), 2);
    assert!(update(&mut state, common::fixtures::key('r')).is_empty());
    assert!(update(&mut state, common::fixtures::key('r')).is_empty());
    discover(&mut state, None, &[]);
    update(&mut state, fetched(vec![]));
    assert_eq!(
        state.poller.next_at,
        Some(now),
        "the next cycle is due at once"
    );
    assert_eq!(update(&mut state, Msg::Tick(now)).len(), 2);
}

#[test]
fn a_build_the_service_no_longer_knows_is_dropped() {
    let gone = build("web-frontend", 1, 3, Status::InProgress);
    let mut state = state_with(vec![gone.clone()]);
    update(&mut state, Msg::Tick(t0() + Duration::seconds(60)));
    discover(&mut state, None, &[]);
    update(
        &mut state,
        Msg::Fetched {
            purpose: Purpose::Poll,
            result: Ok(Fetched {
                builds: vec![],
                not_found: vec![gone.id.to_string()],
            }),
        },
    );
    assert!(state.store.is_empty());
    assert!(state.list.selected().is_none());
}
