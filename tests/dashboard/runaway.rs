//! Typical durations and runaway rules on simulated histories, and the
//! runaway filter as a user drives it.

use chrono::Duration;

use crate::common::fixtures::{build, key, state_with, t0};
use crate::common::wire::Wire;
use cbdash::app::runaway::{assess, eta, learn, Durations, Reason, Thresholds};
use cbdash::app::{apply, update, Msg, Row};
use cbdash::domain::Fetched;
use cbdash::domain::{Build, Status};
use cbdash_sim::Scenario;

/// A finished build of `project` that took `secs`, with its BUILD phase
/// taking all but 60 s of it.
fn finished(project: &str, n: i64, secs: i64) -> Build {
    let mut b = build(project, n, 100 + n, Status::Succeeded);
    let start = b.start.unwrap_or_else(t0);
    b.end = Some(start + Duration::seconds(secs));
    if let Some(p) = b.phases.iter_mut().find(|p| p.phase_type == "BUILD") {
        p.duration_secs = Some(secs - 60);
    }
    b
}

/// A running build that started `mins` minutes before t0, now in `phase`
/// since `in_phase_secs`.
fn running(project: &str, n: i64, mins: i64, timeout_minutes: i32) -> Build {
    let mut b = build(project, n, mins, Status::InProgress);
    b.timeout_minutes = Some(timeout_minutes);
    b
}

fn history(project: &str, secs: &[i64]) -> Vec<Build> {
    secs.iter()
        .enumerate()
        .map(|(i, s)| finished(project, i as i64 + 1, *s))
        .collect()
}

#[test]
fn median_and_p90_by_nearest_rank() {
    let d = Durations::of((1..=10).map(|i| i * 60).collect()).expect("some");
    assert_eq!((d.median, d.p90, d.count), (300, 540, 10));
    assert_eq!(Durations::of(vec![]), None);
    let one = Durations::of(vec![42]).expect("one");
    assert_eq!((one.median, one.p90), (42, 42));
}

#[test]
fn learns_each_projects_typical_durations_from_successful_builds() {
    let mut builds = history("api", &[600, 620, 640, 660, 680, 700, 720, 740, 760, 900]);
    let mut failed = finished("api", 99, 5000);
    failed.status = Status::Failed;
    builds.push(failed);
    let state = state_with(builds);
    let stats = learn(&state.store);
    let api = stats.get("api").expect("api learnt");
    let total = api.total.expect("total");
    assert_eq!(total.count, 10, "failures do not teach what is normal");
    assert_eq!(total.median, 680);
    assert_eq!(total.p90, 760);
    assert_eq!(api.phases.get("BUILD").map(|d| d.median), Some(620));
}

#[test]
fn the_rules_flag_past_p90_near_timeout_and_stuck_phases() {
    let t = Thresholds::default();
    let state = state_with(history("api", &[600; 8]));
    let stats = learn(&state.store);
    let api = stats.get("api");

    // 1.5 x p90 (600 s) = 900 s: 14 minutes is fine, 16 is not.
    assert_eq!(assess(&running("api", 50, 14, 120), api, &t, t0()), None);
    assert!(matches!(
        assess(&running("api", 51, 16, 120), api, &t, t0()),
        Some(Reason::PastTypical { p90: 600, .. })
    ));
    // 80 % of a 10-minute timeout comes first, even for a project without history.
    assert!(matches!(
        assess(&running("new-project", 1, 9, 10), None, &t, t0()),
        Some(Reason::NearTimeout { timeout: 600, .. })
    ));
    // Stuck: the fixture's running build is in BUILD (usually 540 s); 3 x that
    // is 1620 s. Raise the total rule out of the way to see the phase rule.
    let loose = Thresholds {
        p90_factor: 100.0,
        ..t
    };
    let stuck = running("api", 52, 40, 600);
    assert!(matches!(
        assess(&stuck, api, &loose, t0()),
        Some(Reason::StuckInPhase { ref phase, usual: 540, .. }) if phase == "BUILD"
    ));
    // Too little history: durations are not trusted.
    let few = state_with(history("api", &[600; 3]));
    let few_stats = learn(&few.store);
    assert_eq!(
        assess(&running("api", 53, 30, 600), few_stats.get("api"), &t, t0()),
        None
    );
    // A finished build is never a runaway.
    assert_eq!(assess(&finished("api", 54, 99_999), api, &t, t0()), None);
}

#[test]
fn eta_against_the_median() {
    let t = Thresholds::default();
    let state = state_with(history("api", &[600; 8]));
    let stats = learn(&state.store);
    let (progress, left) =
        eta(&running("api", 60, 5, 60), stats.get("api"), &t, t0()).expect("eta");
    assert!((progress - 0.5).abs() < 0.01);
    assert_eq!(left, 300);
}

#[test]
fn the_runaway_filter_lists_them_and_stop_is_one_key_away() {
    let mut builds = history("api", &[600; 8]);
    let slow = running("api", 70, 30, 120);
    let fine = running("api", 71, 2, 120);
    builds.push(slow.clone());
    builds.push(fine);
    let mut state = state_with(builds);
    update(&mut state, Msg::Tick(t0()));
    assert_eq!(state.runaways.len(), 1);
    let frame = crate::common::render::screen(&state, 160, 45);
    assert!(frame.contains("⚠ 1 runaway"), "the header counts them");
    update(&mut state, key('!'));
    assert_eq!(state.list.rows(), [Row::Build(slow.id.clone())]);
    update(&mut state, key('x'));
    let confirm = state.overlay.confirm().cloned().expect("the stop question");
    assert!(confirm.lines.join(" ").contains(&*slow.id));
    // A build that finishes leaves the filter on the next tick.
    let mut done = slow;
    done.complete = true;
    done.status = Status::Succeeded;
    apply(
        &mut state,
        Fetched {
            builds: vec![done],
            not_found: vec![],
        },
    );
    update(&mut state, Msg::Tick(t0() + Duration::seconds(1)));
    assert!(state.list.rows().is_empty());
}

#[tokio::test]
async fn the_demos_long_build_is_flagged_before_its_timeout() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    w.send(Msg::Tick(w.sim.now())).await;
    let flagged: Vec<&Build> = w
        .state
        .runaways
        .keys()
        .filter_map(|id| w.state.store.get(id))
        .collect();
    let long = flagged
        .iter()
        .find(|b| b.project == "data-pipeline")
        .expect("the long data-pipeline build is flagged");
    assert!(!long.complete, "before its timeout");
    assert!(matches!(
        w.state.runaways.get(&long.id),
        Some(Reason::NearTimeout { .. })
    ));
}

#[tokio::test]
async fn the_demos_hung_build_is_running_and_no_runaway_at_start() {
    let mut w = Wire::start(Scenario::Demo, &[]).await;
    w.cycle().await;
    w.send(Msg::Tick(w.sim.now())).await;
    let hung = w
        .state
        .store
        .running_ids()
        .iter()
        .filter_map(|id| w.state.store.get(id))
        .find(|b| b.initiator.as_deref() == Some("codepipeline/hourly-ingest"))
        .expect("the demo's hung data-pipeline build is listed")
        .clone();
    assert!(!hung.complete);
    assert!(
        !w.state.runaways.contains_key(&hung.id),
        "only its idle CPU gives it away: {:?}",
        w.state.runaways.get(&hung.id)
    );
}
