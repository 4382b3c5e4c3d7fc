//! Several accounts and regions in one view: polled side by side, each
//! build acted on where it lives, a failing one shown failing while the
//! others go on.

use serde_json::json;

use crate::common::fixtures::key;
use crate::common::wire::Wire;
use cbdash::app::Row;
use cbdash_sim::{BuildSpec, Fault};

fn long_build(project: &str) -> BuildSpec {
    BuildSpec {
        project: project.into(),
        phase_secs: Some(vec![("BUILD".into(), 900.0)]),
        ..BuildSpec::default()
    }
}

#[tokio::test]
async fn two_regions_show_side_by_side_with_a_context_column() {
    let mut w = Wire::regions(&["us-east-1", "eu-west-1"]).await;
    let east = w.sim.add_build(long_build("api-service"));
    let west = w.others[0].0.add_build(long_build("web-frontend"));
    w.cycle().await;
    let (a, b) = (
        w.state.store.get(&east).cloned(),
        w.state.store.get(&west).cloned(),
    );
    assert_eq!(a.map(|b| b.context), Some(0));
    assert_eq!(
        b.map(|b| b.context),
        Some(1),
        "eu-west-1's build is tagged with its region"
    );
    // Each simulator was asked only for its own builds.
    let asked_west: Vec<String> = w.others[0]
        .0
        .requests()
        .iter()
        .filter(|r| r.operation == "BatchGetBuilds")
        .flat_map(|r| r.body["ids"].as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert!(asked_west.contains(&west) && !asked_west.contains(&east));
    let frame = crate::common::render::screen(&w.state, 200, 50);
    assert!(
        frame.contains("CONTEXT") && frame.contains("eu-west-1") && frame.contains("us-east-1"),
        "{frame}"
    );
}

#[tokio::test]
async fn a_stop_goes_to_the_region_the_build_lives_in() {
    let mut w = Wire::regions(&["us-east-1", "eu-west-1"]).await;
    let west = w.others[0].0.add_build(long_build("web-frontend"));
    w.cycle().await;
    w.select(Row::Build(west.as_str().into()));
    w.send(key('x')).await;
    w.send(key('y')).await;
    let stops: Vec<_> = w.others[0]
        .0
        .requests()
        .into_iter()
        .filter(|r| r.operation == "StopBuild")
        .collect();
    assert_eq!(stops.len(), 1);
    assert_eq!(stops[0].body, json!({ "id": west }));
    assert!(
        w.sim.requests().iter().all(|r| r.operation != "StopBuild"),
        "not to the other region"
    );
}

#[tokio::test]
async fn a_failing_region_is_shown_failing_while_the_other_goes_on() {
    let mut w = Wire::regions(&["us-east-1", "eu-west-1"]).await;
    let east = w.sim.add_build(long_build("api-service"));
    w.cycle().await;
    // eu-west-1's credentials expire: every call there fails from now on.
    w.others[0].0.inject(Fault::ExpiredToken, 1000);
    w.advance(30).await;
    w.advance(30).await;
    let failing = &w.state.contexts[0].poller;
    assert!(failing.is_stale(), "eu-west-1 is failing");
    assert!(!w.state.poller.is_stale(), "us-east-1 goes on");
    let before = w.state.store.get(&east).map(|b| b.phases.len());
    w.advance(120).await;
    assert!(
        w.state.store.get(&east).map(|b| b.phases.len()) >= before,
        "still refreshed"
    );
    assert!(w
        .state
        .poller
        .last_ok
        .is_some_and(|t| t >= w.sim.now() - chrono::Duration::seconds(30)));
    let frame = crate::common::render::screen(&w.state, 200, 50);
    assert!(
        frame.contains("eu-west-1 123456789012 ⚠ credentials"),
        "{frame}"
    );
    assert!(frame.contains("us-east-1 123456789012 ✔"), "{frame}");
}

#[tokio::test]
async fn the_filter_matches_a_regions_name() {
    let mut w = Wire::regions(&["us-east-1", "eu-west-1"]).await;
    w.cycle().await;
    w.send(key('/')).await;
    for c in "eu-west".chars() {
        w.send(key(c)).await;
    }
    let rows = w.state.list.rows().to_vec();
    assert!(!rows.is_empty());
    for row in rows {
        let context = match &row {
            Row::Batch(id) => w.state.store.batches.get(id).map(|b| b.context),
            row => w.state.store.get(row.id()).map(|b| b.context),
        };
        assert_eq!(context, Some(1), "{row:?}");
    }
}

#[tokio::test]
async fn each_context_shows_the_account_that_answered_and_actions_name_it() {
    let mut w = Wire::accounts(&["111111111111", "222222222222"]).await;
    let first = w
        .sim
        .world("111111111111", "us-east-1")
        .add_build(long_build("api-service"));
    let second = w
        .sim
        .world("222222222222", "us-east-1")
        .add_build(long_build("web-frontend"));
    w.cycle().await;
    // STS answered for each context's own key, once.
    let accounts: Vec<Option<String>> = w
        .state
        .pollers()
        .map(|(_, p)| p.account().map(str::to_string))
        .collect();
    assert_eq!(
        accounts,
        vec![Some("111111111111".into()), Some("222222222222".into())]
    );
    for account in ["111111111111", "222222222222"] {
        let asked = w
            .sim
            .world(account, "us-east-1")
            .requests()
            .iter()
            .filter(|r| r.operation == "GetCallerIdentity")
            .count();
        assert_eq!(asked, 1, "account {account} was asked who it is once");
    }
    w.cycle().await;
    let asked_again = w
        .sim
        .world("111111111111", "us-east-1")
        .requests()
        .iter()
        .filter(|r| r.operation == "GetCallerIdentity")
        .count();
    assert_eq!(asked_again, 1, "not on every cycle");
    let frame = crate::common::render::screen(&w.state, 200, 50);
    assert!(
        frame.contains("acct-111111111111 111111111111") && frame.contains("222222222222 ✔"),
        "the header names each context's account:\n{frame}"
    );

    // The question names the account and region the stop goes to.
    w.select(Row::Build(second.as_str().into()));
    w.send(key('x')).await;
    let frame = crate::common::render::screen(&w.state, 200, 50);
    assert!(
        frame.contains("account 222222222222 · us-east-1 · acct-222222222222"),
        "{frame}"
    );
    w.send(key('y')).await;
    let stopped_in = |account: &str| {
        w.sim
            .world(account, "us-east-1")
            .requests()
            .iter()
            .filter(|r| r.operation == "StopBuild")
            .map(|r| r.body["id"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(stopped_in("222222222222"), vec![second]);
    assert!(stopped_in("111111111111").is_empty(), "{first} untouched");
}
