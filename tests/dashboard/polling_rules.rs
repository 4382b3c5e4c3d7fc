//! The polling engine's schedule and call plan, through the pure update.

use chrono::Duration;

use crate::common::fixtures::{answer_lists, build, state_with, t0};
use cbdash::app::{update, Effect, ListRequest, Msg, Purpose, Resource, Settings, State};
use cbdash::domain::{ApiError, Build, ErrorKind, Status};
use cbdash::domain::{Fetched, ListPage};

fn request(resource: Resource, project: Option<&str>, token: Option<&str>) -> ListRequest {
    ListRequest {
        resource,
        project: project.map(str::to_string),
        next_token: token.map(str::to_string),
        purpose: Purpose::Poll,
        running_only: false,
    }
}

fn page(request: ListRequest, ids: &[&str], next: Option<&str>) -> Msg {
    Msg::Listed {
        request,
        result: Ok(ListPage {
            ids: ids.iter().map(|s| s.to_string()).collect(),
            next_token: next.map(str::to_string),
        }),
    }
}

/// Answers every list of `tick` empty but the builds head, which it
/// returns (whether or not the tick asked for it).
fn all_but_head(state: &mut State, tick: Vec<Effect>) -> ListRequest {
    let head = request(Resource::Builds, None, None);
    answer_lists(
        state,
        tick.into_iter()
            .filter(|e| !matches!(e, Effect::List(r) if *r == head))
            .collect(),
    );
    head
}

/// The builds page of a cycle, with every other list answered empty.
fn discover(state: &mut State, tick: Vec<Effect>, ids: &[&str]) -> Vec<Effect> {
    answer_builds_page(state, tick, ids, None)
}

fn fetched(purpose: Purpose, builds: Vec<Build>) -> Msg {
    Msg::Fetched {
        purpose,
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

fn lists(effects: &[Effect]) -> Vec<ListRequest> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::List(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn ids(prefix: &str, range: std::ops::Range<i64>) -> Vec<String> {
    range.map(|n| format!("{prefix}:{n:04}")).collect()
}

fn refs(ids: &[String]) -> Vec<&str> {
    ids.iter().map(String::as_str).collect()
}

#[test]
fn a_steady_cycle_reads_down_to_the_newest_build_seen_and_fetches_new_and_running_only() {
    let running = build("web-frontend", 1, 3, Status::InProgress);
    let done = build("web-frontend", 2, 9, Status::Succeeded);
    let mut state = state_with(vec![running.clone(), done.clone()]);
    // The first reading saw `running` at the top of the list.
    let now = t0() + Duration::seconds(60);
    state.now = now;
    let tick = update(&mut state, Msg::Tick(now));
    let effects = discover(&mut state, tick, &[&running.id, &done.id]);
    assert!(fetch_ids(&effects)
        .iter()
        .flatten()
        .all(|id| *id != *done.id));
    answer_fetches(&mut state, effects);

    let later = now + Duration::seconds(3);
    state.now = later;
    let tick = update(&mut state, Msg::Tick(later));
    assert_eq!(
        lists(&tick),
        vec![request(Resource::Builds, None, None)],
        "only the builds list is due; batches are read every two minutes"
    );
    let effects = discover(
        &mut state,
        tick,
        &["new:2", "new:1", &running.id, "older:unknown"],
    );
    assert_eq!(
        fetch_ids(&effects),
        vec![vec!["new:2".to_string(), "new:1".into()]],
        "the page's new builds, and nothing past the newest seen"
    );
    let effects = update(
        &mut state,
        fetched(
            Purpose::Discover(0),
            vec![with_id("new:2", Status::Succeeded)],
        ),
    );
    assert_eq!(
        fetch_ids(&effects),
        vec![vec![running.id.to_string()]],
        "then the running builds, never the complete ones"
    );
}

fn with_id(id: &str, status: Status) -> Build {
    let mut b = build("new", 1, 0, status);
    b.id = id.into();
    b
}

/// Answers fetches with the builds of the state (as if unchanged).
fn answer_fetches(state: &mut State, effects: Vec<Effect>) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        let msg = match effect {
            Effect::Fetch { purpose, ids } => fetched(
                purpose,
                ids.iter()
                    .filter_map(|id| state.store.get(id).cloned())
                    .collect(),
            ),
            Effect::FetchBatches { purpose, .. } => Msg::BatchesFetched {
                purpose,
                result: Ok(Default::default()),
            },
            Effect::List(request) => Msg::Listed {
                request,
                result: Ok(ListPage::default()),
            },
            _ => continue,
        };
        queue.extend(update(state, msg));
    }
}

#[test]
fn start_up_reads_back_until_the_builds_are_too_old_to_run() {
    let mut state = State::new(Settings::default(), t0());
    let tick = update(&mut state, Msg::Tick(t0()));
    assert!(lists(&tick).contains(&request(Resource::Builds, None, None)));
    let builds = all_but_head(&mut state, tick);
    assert!(state.poller.discovering().is_some(), "discovering");
    // Page k holds builds started k*10 hours ago: page 5 is past 45 h.
    let mut req = builds;
    for k in 0..6i64 {
        let page_ids = ids(&format!("p{k}"), 0..100);
        let next = format!("t{}", k + 1);
        let effects = update(&mut state, page(req.clone(), &refs(&page_ids), Some(&next)));
        let asked = fetch_ids(&effects);
        assert_eq!(asked, vec![page_ids.clone()], "page {k} fetched whole");
        let answer: Vec<Build> = page_ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let mut b = build("p", i as i64, k * 600 + i as i64, Status::Succeeded);
                b.id = id.as_str().into();
                b
            })
            .collect();
        let effects = update(&mut state, fetched(Purpose::Discover(0), answer));
        let next_lists = lists(&effects);
        // Page 4 reaches back 41.7 h, page 5 starts at 50 h: the last read.
        if k < 5 {
            assert_eq!(
                next_lists,
                vec![request(Resource::Builds, None, Some(&next))],
                "page {k} is young enough: read on"
            );
            req = next_lists[0].clone();
        } else {
            assert!(next_lists.is_empty(), "stops after page {k}");
        }
    }
    assert_eq!(state.poller.discovering(), None, "discovery is complete");
    assert_eq!(state.store.len(), 600);
}

#[test]
fn a_page_with_no_known_build_leads_to_the_next_page_in_the_same_cycle() {
    let seen = build("api-service", 1, 30, Status::Succeeded);
    let mut state = state_with(vec![seen.clone()]);
    let now = t0() + Duration::seconds(60);
    state.now = now;
    let tick = update(&mut state, Msg::Tick(now));
    let effects = discover(&mut state, tick, &[&seen.id]);
    answer_fetches(&mut state, effects);

    // 150 builds started since: the first page holds none seen before.
    let later = now + Duration::seconds(40);
    state.now = later;
    let burst = ids("burst", 0..150);
    let tick = update(&mut state, Msg::Tick(later));
    let head = lists(&tick)[0].clone();
    let effects = update(&mut state, page(head, &refs(&burst[..100]), Some("t2")));
    let fresh: Vec<Build> = burst[..100]
        .iter()
        .map(|id| with_id(id, Status::InProgress))
        .collect();
    assert_eq!(fetch_ids(&effects)[0].len(), 100);
    let effects = update(&mut state, fetched(Purpose::Discover(0), fresh));
    assert_eq!(
        lists(&effects),
        vec![request(Resource::Builds, None, Some("t2"))],
        "the next page, in the same cycle"
    );
    let mut second: Vec<&str> = refs(&burst[100..]);
    second.push(&seen.id);
    let effects = update(
        &mut state,
        page(
            request(Resource::Builds, None, Some("t2")),
            &second,
            Some("t3"),
        ),
    );
    assert_eq!(
        fetch_ids(&effects),
        vec![burst[100..].to_vec()],
        "down to the build seen before, and no further"
    );
}

#[test]
fn running_builds_are_fetched_in_chunks_of_at_most_100() {
    let builds = (0..250)
        .map(|n| build("api-service", n, n, Status::InProgress))
        .collect();
    let mut state = state_with(builds);
    let now = t0() + Duration::seconds(60);
    let tick = update(&mut state, Msg::Tick(now));
    let effects = discover(&mut state, tick, &[]);
    let chunks = fetch_ids(&effects);
    assert_eq!(
        chunks.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
}

#[test]
fn each_watched_project_is_a_scope_of_its_own() {
    let settings = Settings {
        projects: vec!["a".into(), "b".into()],
        ..Settings::default()
    };
    let mut state = State::new(settings, t0());
    let effects = update(&mut state, Msg::Tick(t0()));
    let listed = lists(&effects);
    assert_eq!(
        listed.len(),
        6,
        "builds, batches and running batches of each"
    );
    assert!(listed
        .iter()
        .any(|r| r.running_only && r.project.as_deref() == Some("b")));
}

#[test]
fn an_unknown_project_fails_alone_says_so_once_and_is_not_retried_every_cycle() {
    let settings = Settings {
        projects: vec!["good".into(), "nosuchproject".into()],
        ..Settings::default()
    };
    let mut state = State::new(settings, t0());
    let tick = update(&mut state, Msg::Tick(t0()));
    let not_found = ApiError::new(
        ErrorKind::NotFound,
        "Project cannot be found: arn:aws:codebuild:us-east-1:123456789012:project/nosuchproject",
    );
    let mut queue: std::collections::VecDeque<Effect> = tick.into();
    while let Some(effect) = queue.pop_front() {
        let Effect::List(request) = effect else {
            continue;
        };
        let result = if request.project.as_deref() == Some("nosuchproject") {
            Err(not_found.clone())
        } else {
            Ok(ListPage::default())
        };
        queue.extend(update(&mut state, Msg::Listed { request, result }));
    }
    assert!(
        !state.poller.is_stale(),
        "the good project's data is not stale"
    );
    assert_eq!(
        state.poller.failing_scopes(),
        vec!["project nosuchproject not found".to_string()]
    );
    assert_eq!(
        state.notice.as_ref().map(|n| n.text.as_str()),
        Some("project nosuchproject not found")
    );
    // The next cycles read the good project only.
    for secs in [40, 80, 120] {
        let now = t0() + Duration::seconds(secs);
        state.now = now;
        let effects = update(&mut state, Msg::Tick(now));
        assert!(
            lists(&effects)
                .iter()
                .all(|r| r.project.as_deref() == Some("good")),
            "at {secs}s: {effects:?}"
        );
        answer_lists(&mut state, effects);
    }
}

#[test]
fn denied_batch_listing_says_why_and_polling_goes_on_with_builds() {
    let mut state = State::new(Settings::default(), t0());
    let tick = update(&mut state, Msg::Tick(t0()));
    let mut queue: std::collections::VecDeque<Effect> = tick.into();
    while let Some(effect) = queue.pop_front() {
        let Effect::List(request) = effect else {
            continue;
        };
        let result = match request.resource {
            Resource::Batches => Err(ApiError::new(
                ErrorKind::AccessDenied,
                "User: arn:aws:sts::123456789012:assumed-role/dev/alice is not authorized to perform: codebuild:ListBuildBatches",
            )),
            Resource::Builds => Ok(ListPage::default()),
        };
        queue.extend(update(&mut state, Msg::Listed { request, result }));
    }
    assert_eq!(
        state.poller.batches_off(),
        Some("batches: not authorized for codebuild:ListBuildBatches")
    );
    assert!(!state.poller.is_stale());
    let now = t0() + Duration::seconds(40);
    state.now = now;
    let effects = update(&mut state, Msg::Tick(now));
    assert_eq!(lists(&effects), vec![request(Resource::Builds, None, None)]);
}

#[test]
fn polls_at_the_interval_while_builds_run_and_slower_when_idle() {
    let running = build("web-frontend", 1, 3, Status::InProgress);
    let mut state = state_with(vec![running.clone()]);
    let now = t0() + Duration::seconds(60);
    state.now = now;
    let tick = update(&mut state, Msg::Tick(now));
    let effects = discover(&mut state, tick, &[]);
    update(&mut state, fetched(Purpose::Poll, vec![running.clone()]));
    assert!(fetch_ids(&effects).len() == 1);
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
    let tick = update(&mut state, Msg::Tick(later));
    discover(&mut state, tick, &[]);
    update(&mut state, fetched(Purpose::Poll, vec![finished]));
    assert_eq!(state.store.running_count(), 0);
    assert_eq!(
        state.poller.next_at,
        Some(later + Duration::seconds(40)),
        "idle: the builds list every 40 s"
    );
}

#[test]
fn throttling_backs_the_account_off_exponentially_with_jitter_up_to_a_minute_then_recovers() {
    let mut state = state_with(vec![build("web-frontend", 1, 3, Status::Succeeded)]);
    let mut now = t0() + Duration::seconds(60);
    let mut delays = Vec::new();
    for _ in 0..8 {
        state.now = now;
        let tick = update(&mut state, Msg::Tick(now));
        assert!(
            lists(&tick).contains(&request(Resource::Builds, None, None)),
            "the builds list is retried"
        );
        let builds = all_but_head(&mut state, tick);
        update(
            &mut state,
            Msg::Listed {
                request: builds,
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

    state.now = now;
    let tick = update(&mut state, Msg::Tick(now));
    discover(&mut state, tick, &[]);
    assert!(
        !state.poller.is_stale(),
        "one good cycle clears the failure"
    );
    assert_eq!(state.poller.failures, 0);
}

#[test]
fn refresh_while_a_cycle_runs_queues_one_more_cycle_instead_of_stacking() {
    let mut state = state_with(vec![build("web-frontend", 1, 3, Status::InProgress)]);
    let now = t0() + Duration::seconds(60);
    state.now = now;
    let tick = update(&mut state, Msg::Tick(now));
    assert_eq!(lists(&tick).len(), 1);
    assert!(update(&mut state, crate::common::fixtures::key('r')).is_empty());
    assert!(update(&mut state, crate::common::fixtures::key('r')).is_empty());
    discover(&mut state, tick, &[]);
    update(&mut state, fetched(Purpose::Poll, vec![]));
    assert_eq!(
        state.poller.next_at,
        Some(now),
        "the next cycle is due at once"
    );
    assert_eq!(
        lists(&update(&mut state, Msg::Tick(now))).len(),
        2,
        "every list, batches included"
    );
}

#[test]
fn a_build_the_service_no_longer_knows_is_dropped() {
    let gone = build("web-frontend", 1, 3, Status::InProgress);
    let mut state = state_with(vec![gone.clone()]);
    let tick = update(&mut state, Msg::Tick(t0() + Duration::seconds(60)));
    discover(&mut state, tick, &[]);
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

fn err(kind: ErrorKind) -> ApiError {
    ApiError::new(kind, "failed")
}

fn fetch_failed(purpose: Purpose) -> Msg {
    Msg::Fetched {
        purpose,
        result: Err(err(ErrorKind::Server)),
    }
}

/// A fresh dashboard whose first cycle answered every list but the builds
/// head, which it returns.
fn first_cycle_head(state: &mut State) -> ListRequest {
    let now = state.now;
    let tick = update(state, Msg::Tick(now));
    all_but_head(state, tick)
}

/// Builds `ids` started `mins_ago`, complete or not.
fn builds_of(ids: &[String], mins_ago: i64, status: Status) -> Vec<Build> {
    ids.iter()
        .map(|id| {
            let mut b = build("p", 1, mins_ago, status.clone());
            b.id = id.as_str().into();
            b
        })
        .collect()
}

/// Moves the clock to the next poll and ticks.
fn next_tick(state: &mut State) -> Vec<Effect> {
    let at = state.poller.next_at.expect("a next poll").max(state.now);
    state.now = at;
    update(state, Msg::Tick(at))
}

#[test]
fn transient_failures_on_the_start_up_reading_never_drop_it() {
    let mut state = State::new(Settings::default(), t0());
    let head = first_cycle_head(&mut state);
    let young = ids("young", 0..100);
    let old = ids("old", 0..100);
    // Cycle 1: the first page is listed, but its fetch fails.
    update(&mut state, page(head.clone(), &refs(&young), Some("t1")));
    update(&mut state, fetch_failed(Purpose::Discover(0)));
    // Cycle 2: the first page and its fetch work; the second page fails.
    let tick = next_tick(&mut state);
    assert_eq!(lists(&tick), vec![head.clone()], "one head, not two");
    update(&mut state, page(head.clone(), &refs(&young), Some("t1")));
    let effects = update(
        &mut state,
        fetched(
            Purpose::Discover(0),
            builds_of(&young, 5, Status::InProgress),
        ),
    );
    let t1 = request(Resource::Builds, None, Some("t1"));
    assert_eq!(lists(&effects), vec![t1.clone()]);
    let effects = update(
        &mut state,
        Msg::Listed {
            request: t1.clone(),
            result: Err(err(ErrorKind::Network)),
        },
    );
    answer_fetches(&mut state, effects);
    assert!(state.poller.discovering().is_some());
    // Cycle 3 (the running builds found so far are refreshed until the
    // failing list is due again): the top, then the page that failed, down
    // to the age limit.
    let mut tick = next_tick(&mut state);
    for _ in 0..10 {
        if lists(&tick).contains(&head) {
            break;
        }
        assert!(
            !fetch_ids(&tick).is_empty(),
            "running builds refreshed meanwhile"
        );
        answer_fetches(&mut state, tick);
        tick = next_tick(&mut state);
    }
    let effects = answer_builds_page(&mut state, tick, &refs(&young), Some("t1"));
    assert_eq!(
        lists(&effects),
        vec![t1.clone()],
        "the failed page is read again"
    );
    update(&mut state, page(t1, &refs(&old), Some("t2")));
    let effects = update(
        &mut state,
        fetched(
            Purpose::Discover(0),
            builds_of(&old, 50 * 60, Status::InProgress),
        ),
    );
    assert!(lists(&effects).is_empty(), "past the age limit: done");
    assert_eq!(state.poller.discovering(), None);
    assert_eq!(state.store.running_count(), 200);
}

/// Answers the builds head of `tick` (and every other list empty).
fn answer_builds_page(
    state: &mut State,
    tick: Vec<Effect>,
    ids: &[&str],
    next: Option<&str>,
) -> Vec<Effect> {
    let head = all_but_head(state, tick);
    update(state, page(head, ids, next))
}

#[test]
fn a_project_named_twice_is_one_scope_and_its_cycle_ends() {
    let settings = Settings {
        projects: vec!["a".into(), "a".into()],
        ..Settings::default()
    };
    let mut state = State::new(settings, t0());
    let tick = update(&mut state, Msg::Tick(t0()));
    assert_eq!(
        lists(&tick).len(),
        3,
        "builds, batches and running batches of a"
    );
    answer_lists(&mut state, tick);
    assert!(!state.poller.in_flight(), "the cycle finished");
}

#[test]
fn a_page_of_more_than_100_ids_waits_for_every_fetch_before_reading_on() {
    let mut state = State::new(Settings::default(), t0());
    let head = first_cycle_head(&mut state);
    let many = ids("many", 0..150);
    let effects = update(&mut state, page(head, &refs(&many), Some("t1")));
    assert_eq!(fetch_ids(&effects).len(), 2);
    let effects = update(
        &mut state,
        fetched(
            Purpose::Discover(0),
            builds_of(&many[..100], 5, Status::Succeeded),
        ),
    );
    assert!(lists(&effects).is_empty(), "waits for the second fetch");
    let effects = update(
        &mut state,
        fetched(
            Purpose::Discover(0),
            builds_of(&many[100..], 5, Status::Succeeded),
        ),
    );
    assert_eq!(
        lists(&effects),
        vec![request(Resource::Builds, None, Some("t1"))]
    );
}

#[test]
fn a_listed_build_the_service_did_not_find_yet_is_asked_for_again() {
    let mut state = State::new(Settings::default(), t0());
    let head = first_cycle_head(&mut state);
    let x = "p:lagging".to_string();
    let p = ids("p", 0..1);
    update(&mut state, page(head.clone(), &[&x, &p[0]], None));
    update(
        &mut state,
        Msg::Fetched {
            purpose: Purpose::Discover(0),
            result: Ok(Fetched {
                builds: builds_of(&p, 5, Status::Succeeded),
                not_found: vec![x.clone()],
            }),
        },
    );
    let tick = next_tick(&mut state);
    let effects = answer_builds_page(&mut state, tick, &[&x, &p[0]], None);
    assert_eq!(
        fetch_ids(&effects),
        vec![vec![x]],
        "the stop is the build found"
    );
}

#[test]
fn a_list_refused_mid_reading_keeps_its_place_for_when_it_works_again() {
    let mut state = State::new(Settings::default(), t0());
    let head = first_cycle_head(&mut state);
    let young = ids("young", 0..100);
    update(&mut state, page(head, &refs(&young), Some("t1")));
    update(
        &mut state,
        fetched(
            Purpose::Discover(0),
            builds_of(&young, 5, Status::Succeeded),
        ),
    );
    let t1 = request(Resource::Builds, None, Some("t1"));
    update(
        &mut state,
        Msg::Listed {
            request: t1.clone(),
            result: Err(err(ErrorKind::AccessDenied)),
        },
    );
    assert_eq!(
        state.poller.failing_scopes(),
        vec!["builds: not authorized for codebuild:ListBuilds".to_string()]
    );
    // Ten minutes later it is tried again, from the top and where it stopped.
    let now = t0() + Duration::seconds(601);
    state.now = now;
    let tick = update(&mut state, Msg::Tick(now));
    let effects = answer_builds_page(&mut state, tick, &refs(&young), Some("t1"));
    assert_eq!(lists(&effects), vec![t1]);
}

#[test]
fn known_running_batches_are_refreshed_while_the_batch_lists_are_refused() {
    let (batch, builds) = crate::common::fixtures::batch(
        "monorepo-ci",
        1,
        5,
        &[("lint", &[], false, Some(Status::InProgress))],
    );
    let mut state = crate::common::fixtures::state_with_batch(batch.clone(), builds);
    let now = t0() + Duration::seconds(121);
    state.now = now;
    let tick = update(&mut state, Msg::Tick(now));
    let mut queue: std::collections::VecDeque<Effect> = tick.into();
    let mut batch_fetches = Vec::new();
    while let Some(effect) = queue.pop_front() {
        match effect {
            Effect::List(request) => {
                let result = match request.resource {
                    Resource::Batches => Err(err(ErrorKind::AccessDenied)),
                    Resource::Builds => Ok(ListPage::default()),
                };
                queue.extend(update(&mut state, Msg::Listed { request, result }));
            }
            Effect::FetchBatches { ids, .. } => batch_fetches.push(ids),
            _ => {}
        }
    }
    assert!(state.poller.batches_off().is_some());
    assert_eq!(batch_fetches, vec![vec![batch.id.to_string()]]);
}

#[test]
fn rows_placed_as_builds_arrive_are_the_rows_a_rebuild_makes() {
    use cbdash::app::apply;
    let (batch, group_builds) = crate::common::fixtures::batch(
        "monorepo-ci",
        1,
        45,
        &[("lint", &[], false, Some(Status::Succeeded))],
    );
    let mut state = crate::common::fixtures::state_with_batch(batch, group_builds);
    update(&mut state, crate::common::fixtures::key('j'));
    // Builds arrive out of order, one answer at a time, around the batch
    // and the selection.
    let mut n = 0;
    for mins in [3, 90, 44, 46, 1, 200, 45, 0, 60, 2] {
        n += 1;
        apply(
            &mut state,
            Fetched {
                builds: vec![build("api-service", n, mins, Status::Succeeded)],
                not_found: vec![],
            },
        );
        let placed = state.list.rows().to_vec();
        let selected = state.list.selected().cloned();
        let cursor = state.list.cursor();
        state.refresh_list();
        assert_eq!(
            state.list.rows(),
            placed.as_slice(),
            "after a build {mins} min old"
        );
        assert_eq!(state.list.selected().cloned(), selected);
        assert_eq!(state.list.cursor(), cursor);
    }
}

#[test]
fn a_page_of_a_million_ids_is_fetched_a_bounded_number_of_times() {
    let mut state = State::new(Settings::default(), t0());
    let head = first_cycle_head(&mut state);
    let flood = ids("flood", 0..1_000_000);
    let effects = update(&mut state, page(head, &refs(&flood), None));
    assert_eq!(fetch_ids(&effects).len(), 10, "at most 1,000 IDs of a page");
}

/// A state whose first cycle asked GetCallerIdentity (as `state_with`'s
/// did), answered by a failure of `kind`.
fn identity_failed(kind: ErrorKind) -> State {
    let mut state = state_with(vec![]);
    let failure = ApiError {
        kind,
        message: "no answer".into(),
    };
    update(&mut state, Msg::Identified(Err(failure)));
    state
}

#[test]
fn the_account_is_asked_again_after_a_network_failure_a_few_times_and_never_after_a_refusal() {
    // The first cycle asked once; passing failures get two more asks.
    for (kind, again) in [
        (ErrorKind::Network, 2),
        (ErrorKind::Throttled, 2),
        (ErrorKind::Server, 2),
        (ErrorKind::AccessDenied, 0),
    ] {
        let mut state = identity_failed(kind);
        let mut asked = 0;
        for minute in 1..8 {
            let now = t0() + Duration::minutes(minute);
            state.now = now;
            let tick = update(&mut state, Msg::Tick(now));
            if tick.iter().any(|e| matches!(e, Effect::Identify)) {
                asked += 1;
                let failure = ApiError {
                    kind,
                    message: "no answer".into(),
                };
                update(&mut state, Msg::Identified(Err(failure)));
            }
            answer_lists(&mut state, tick);
        }
        assert_eq!(asked, again, "{kind:?}");
        assert_eq!(state.poller.account(), None);
    }
    // Asked again, it answers: the header can name the account.
    let mut state = identity_failed(ErrorKind::Network);
    let later = t0() + Duration::minutes(1);
    state.now = later;
    let tick = update(&mut state, Msg::Tick(later));
    assert!(tick.iter().any(|e| matches!(e, Effect::Identify)));
    update(&mut state, Msg::Identified(Ok("210987654321".into())));
    assert_eq!(state.poller.account(), Some("210987654321"));
}
