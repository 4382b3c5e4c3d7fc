//! Build-group dependency trees: structure, waiting, malformed graphs, the
//! critical path, and the keys that move through them.

use crossterm::event::KeyCode;

use crate::common::fixtures::{batch, code, diamond, key, state_with_batch, t0};
use cbdash::app::tree::flatten;
use cbdash::app::{update, Effect, Pane, Purpose, Row};
use cbdash::domain::Status;

fn names(state: &cbdash::app::State) -> Vec<String> {
    let batch = state.selected_batch().expect("a batch is selected");
    state
        .tree_nodes()
        .iter()
        .map(|n| {
            format!(
                "{}{}",
                "  ".repeat(n.depth),
                batch.groups[n.group].name(n.group)
            )
        })
        .collect()
}

#[test]
fn a_diamond_shows_each_group_once_with_its_other_dependencies_named() {
    let (b, builds) = diamond();
    let state = state_with_batch(b, builds);
    assert_eq!(
        names(&state),
        [
            "lint",
            "  build-api",
            "    integration",
            "      deploy-preview",
            "  build-web",
            "  flaky-e2e",
        ]
    );
    let nodes = state.tree_nodes();
    let integration = &nodes[2];
    assert_eq!(integration.also_after, ["build-web"]);
    assert_eq!(
        integration.waiting_for,
        ["build-web"],
        "build-api already succeeded"
    );
    assert_eq!(nodes[3].waiting_for, ["integration"]);
}

#[test]
fn the_critical_path_runs_through_what_ends_last() {
    let (b, builds) = diamond();
    let state = state_with_batch(b, builds);
    let batch = state.selected_batch().expect("batch");
    let critical: Vec<String> = state
        .tree_nodes()
        .iter()
        .filter(|n| n.critical)
        .map(|n| batch.groups[n.group].name(n.group))
        .collect();
    // deploy-preview has not started, so it ends last; back through
    // integration to its dependency still running (build-web), then lint.
    let mut sorted = critical.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["build-web", "deploy-preview", "integration", "lint"]
    );
}

#[test]
fn cycles_and_unknown_dependencies_render_with_warnings_and_every_group_once() {
    let (b, builds) = batch(
        "broken",
        3,
        5,
        &[
            ("a", &["c"], false, None),
            ("b", &["a"], false, None),
            ("c", &["b"], false, None),
            ("d", &["nowhere"], false, None),
            ("e", &["e"], false, None),
            ("root", &[], false, Some(Status::InProgress)),
        ],
    );
    let state = state_with_batch(b, builds);
    let nodes = state.tree_nodes();
    let mut groups: Vec<usize> = nodes.iter().map(|n| n.group).collect();
    groups.sort_unstable();
    assert_eq!(groups, [0, 1, 2, 3, 4, 5], "each group exactly once");
    let warning = |g: usize| {
        nodes
            .iter()
            .find(|n| n.group == g)
            .and_then(|n| n.warning.clone())
    };
    assert!(
        warning(0).is_some_and(|w| w.contains("cycle")),
        "{:?}",
        warning(0)
    );
    assert!(warning(3).is_some_and(|w| w.contains("unknown group 'nowhere'")));
    assert!(warning(4).is_some_and(|w| w.contains("itself")));
    let frame = crate::common::render::screen(&state, 160, 45);
    assert!(frame.contains("⚠ dependency cycle"));
}

#[test]
fn two_hundred_groups_flatten_and_scroll() {
    let names: Vec<String> = (0..200).map(|i| format!("shard-{i:03}")).collect();
    let deps: Vec<Vec<&str>> = (0..200)
        .map(|i| {
            if i == 0 {
                vec![]
            } else {
                vec![names[(i - 1) / 2].as_str()]
            }
        })
        .collect();
    let groups: Vec<crate::common::fixtures::GroupFixture> = (0..200)
        .map(|i| {
            (
                names[i].as_str(),
                deps[i].as_slice(),
                false,
                Some(Status::Succeeded),
            )
        })
        .collect();
    let (b, builds) = batch("fanout", 1, 30, &groups);
    let mut state = state_with_batch(b, builds);
    assert_eq!(state.tree_nodes().len(), 200);
    update(&mut state, code(KeyCode::Enter));
    assert_eq!(state.focus, Pane::Tree);
    update(&mut state, key('G'));
    assert_eq!(state.tree_cursor, Some(199));
    assert!(state.tree_offset > 0, "the tree scrolled");
    let frame = crate::common::render::screen(&state, 160, 45);
    let last = state
        .selected_batch()
        .map(|b| b.groups[state.tree_nodes()[199].group].name(0))
        .unwrap_or_default();
    assert!(
        frame.contains(&last),
        "the chosen group is on screen: {last}"
    );
}

#[test]
fn the_tree_drives_the_details_and_enter_jumps_to_the_groups_build() {
    let (b, builds) = diamond();
    let web_build = builds[2].id.to_string();
    let mut state = state_with_batch(b, builds);
    assert!(matches!(state.list.selected(), Some(Row::Batch(_))));
    assert!(
        state.selected_build().is_none(),
        "the batch's own phases first"
    );

    update(&mut state, code(KeyCode::Enter));
    assert_eq!((state.focus, state.tree_cursor), (Pane::Tree, Some(0)));
    for _ in 0..4 {
        update(&mut state, key('j'));
    }
    // Line 4 is build-web (lint, build-api, integration, deploy-preview, build-web).
    assert_eq!(
        state.selected_build().map(|b| b.id.to_string()),
        Some(web_build.clone())
    );

    update(&mut state, code(KeyCode::Enter));
    assert_eq!(state.focus, Pane::Builds);
    assert_eq!(
        state
            .list
            .selected()
            .and_then(|r| r.build_id())
            .map(|id| id.to_string()),
        Some(web_build)
    );
    assert!(matches!(state.list.selected(), Some(Row::Group { .. })));
}

#[test]
fn a_group_whose_build_is_not_loaded_is_fetched_once() {
    let (b, _builds) = diamond();
    let mut state = state_with_batch(b, Vec::new());
    update(&mut state, code(KeyCode::Enter));
    let id = state.selected_group_build_id().expect("lint has a build");
    assert_eq!(state.tree_cursor, Some(0));
    // Entering the tree chose line 0 and asked for its build.
    let mut again = update(&mut state, key('k'));
    again.retain(|e| matches!(e, Effect::Fetch { .. }));
    assert!(again.is_empty(), "asked once: {again:?}");
    assert_eq!(state.detail_requested, Some(id));
}

#[test]
fn arrows_expand_and_collapse_a_batch_in_the_list() {
    let (b, builds) = diamond();
    let mut state = state_with_batch(b, builds);
    let before = state.list.len();
    update(&mut state, code(KeyCode::Right));
    assert_eq!(state.list.len(), before + 4, "the four started groups");
    update(&mut state, key('j'));
    assert!(matches!(state.list.selected(), Some(Row::Group { .. })));
    update(&mut state, code(KeyCode::Left));
    assert_eq!(state.list.len(), before);
    assert!(
        matches!(state.list.selected(), Some(Row::Batch(_))),
        "back on the batch"
    );
}

#[test]
fn flatten_is_bounded_on_a_self_referencing_chain() {
    let (b, builds) = batch(
        "loop",
        1,
        1,
        &[("x", &["y"], false, None), ("y", &["x"], false, None)],
    );
    let state = state_with_batch(b.clone(), builds);
    let nodes = flatten(&b, &state.store, t0());
    assert_eq!(nodes.len(), 2);
    let _ = Purpose::Detail;
}

/// A batch of `n` groups in one chain, listed deepest first, each
/// depending on the next; and a cycle of `cycle` groups beside it.
fn hostile_chain(n: usize, cycle: usize) -> cbdash::domain::BuildBatch {
    use cbdash::domain::{BuildBatch, BuildGroup};
    let mut batch = BuildBatch::new("monorepo-ci:c0000000-0000-4000-8000-000000000001");
    batch.groups = (0..n)
        .map(|i| BuildGroup {
            identifier: Some(format!("g{i}")),
            depends_on: if i + 1 < n {
                vec![format!("g{}", i + 1)]
            } else {
                Vec::new()
            },
            ..BuildGroup::default()
        })
        .chain((0..cycle).map(|i| BuildGroup {
            identifier: Some(format!("c{i}")),
            depends_on: vec![format!("c{}", (i + 1) % cycle)],
            ..BuildGroup::default()
        }))
        .collect();
    batch
}

#[test]
fn a_long_hostile_chain_flattens_in_bounded_memory_and_draws_its_depth() {
    let batch = hostile_chain(20_000, 5_000);
    let nodes = flatten(&batch, &Default::default(), t0());
    assert_eq!(nodes.len(), 25_000, "every group once");
    let guides: usize = nodes.iter().map(|n| n.guides.len()).sum();
    assert!(
        guides <= 25_000 * cbdash::app::tree::MAX_GUIDES,
        "{guides} guides"
    );
    let deepest = nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    assert_eq!(deepest, 19_999);
    let warning = nodes
        .iter()
        .find_map(|n| n.warning.clone())
        .expect("the cycle is warned about");
    assert!(
        warning.starts_with("dependency cycle of 5000 groups"),
        "{warning}"
    );
    assert!(warning.len() < 200, "named by its first groups: {warning}");
}

#[test]
fn a_chain_of_100000_groups_draws_its_last_line_with_the_depth_beyond_the_guides() {
    let (b, builds) = crate::common::fixtures::chain(100_000);
    let mut state = state_with_batch(b, builds);
    update(
        &mut state,
        cbdash::app::Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    update(&mut state, code(KeyCode::Enter));
    update(&mut state, key('G'));
    assert_eq!(state.tree_cursor, Some(99_999));
    let frame = crate::common::render::screen(&state, 200, 50);
    let deepest = 99_999 - cbdash::app::tree::MAX_GUIDES;
    let line = frame
        .lines()
        .find(|l| l.contains("step-099999"))
        .expect("the last group is on screen");
    assert!(
        line.contains(&format!("… {deepest} deeper")),
        "the depth past the guides is said: {line}"
    );
    assert!(
        frame.contains(&format!("… {} deeper", deepest - 1)),
        "and its parent's, one less"
    );
    let indent = line.chars().take_while(|&c| c != '…').count();
    assert!(
        indent <= 1 + 2 * cbdash::app::tree::MAX_GUIDES,
        "indented by the drawn levels only: {indent} columns"
    );
}
