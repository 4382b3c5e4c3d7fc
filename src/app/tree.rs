//! A batch's build groups as a dependency tree, flattened into the lines the
//! tree pane draws. Pure and bounded: malformed graphs (unknown names,
//! cycles, duplicates) become warnings, never loops.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::store::BuildStore;
use crate::domain::{BuildBatch, Status};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeNode {
    /// Index into the batch's groups.
    pub group: usize,
    pub depth: usize,
    /// For each ancestor level, whether more siblings follow below (draws `│`).
    pub guides: Vec<bool>,
    /// Whether this node is the last of its siblings (draws `└` rather than `├`).
    pub last: bool,
    /// Dependencies other than the parent it is drawn under.
    pub also_after: Vec<String>,
    /// For a group not started: the dependencies it still waits for.
    pub waiting_for: Vec<String>,
    pub warning: Option<String>,
    /// On the chain of dependencies that decides when the batch ends.
    pub critical: bool,
}

/// Levels of a tree drawn with their guides; deeper lines say how much
/// deeper they are instead.
pub const MAX_GUIDES: usize = 24;

/// The tree lines of a batch, with the critical path marked.
pub fn flatten(batch: &BuildBatch, store: &BuildStore, now: DateTime<Utc>) -> Vec<TreeNode> {
    let (mut nodes, deps) = lines(batch);
    let critical = critical_path(batch, store, &deps, now);
    for node in &mut nodes {
        node.critical = critical[node.group];
    }
    nodes
}

/// The group drawn on tree line `index`: the tree's shape alone, without the
/// critical path (which needs every group's build).
pub fn group_at(batch: &BuildBatch, index: usize) -> Option<usize> {
    lines(batch).0.get(index).map(|n| n.group)
}

/// The tree's lines (critical path not marked) and each group's known
/// dependencies.
fn lines(batch: &BuildBatch) -> (Vec<TreeNode>, Vec<Vec<usize>>) {
    let groups = &batch.groups;
    let names: Vec<String> = groups.iter().enumerate().map(|(i, g)| g.name(i)).collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut warnings: Vec<Option<String>> = vec![None; groups.len()];
    for (i, name) in names.iter().enumerate() {
        if index.contains_key(name.as_str()) {
            warnings[i] = Some(format!("duplicate group name '{name}'"));
        } else {
            index.insert(name, i);
        }
    }
    // Known dependencies of each group, in the order the batchspec gives them.
    let deps: Vec<Vec<usize>> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut known = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for d in &g.depends_on {
                match index.get(d.as_str()) {
                    Some(&j) if j != i => {
                        if seen.insert(j) {
                            known.push(j);
                        }
                    }
                    Some(_) => warnings[i] = Some("depends on itself".into()),
                    None => warnings[i] = Some(format!("depends on unknown group '{d}'")),
                }
            }
            known
        })
        .collect();
    // Each group is drawn once, under its first dependency.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (i, d) in deps.iter().enumerate() {
        if let Some(&parent) = d.first() {
            children[parent].push(i);
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    let mut visited = vec![false; groups.len()];
    let roots: Vec<usize> = (0..groups.len()).filter(|&i| deps[i].is_empty()).collect();
    walk(&roots, &children, &mut visited, &mut out);
    // What no root reaches hangs off a cycle: shown at the top level, warned.
    for i in 0..groups.len() {
        if !visited[i] {
            warnings[i] = Some(cycle_text(i, &deps, &names));
            walk(&[i], &children, &mut visited, &mut out);
        }
    }
    for node in &mut out {
        let i = node.group;
        node.also_after = deps[i].iter().skip(1).map(|&j| names[j].clone()).collect();
        if groups[i].current.is_none() && !batch.complete {
            node.waiting_for = deps[i]
                .iter()
                .filter(|&&j| groups[j].status() != Some(&Status::Succeeded))
                .map(|&j| names[j].clone())
                .collect();
        }
        node.warning = warnings[i].take();
    }
    (out, deps)
}

/// Depth-first, children in batchspec order; iterative so deep graphs cannot
/// overflow the stack.
fn walk(roots: &[usize], children: &[Vec<usize>], visited: &mut [bool], out: &mut Vec<TreeNode>) {
    let mut stack: Vec<(usize, usize, Vec<bool>, bool)> = roots
        .iter()
        .enumerate()
        .rev()
        .map(|(k, &r)| (r, 0, Vec::new(), k + 1 == roots.len()))
        .collect();
    while let Some((i, depth, guides, last)) = stack.pop() {
        if visited[i] {
            continue;
        }
        visited[i] = true;
        let kids: Vec<usize> = children[i]
            .iter()
            .copied()
            .filter(|&c| !visited[c])
            .collect();
        // Guides are kept for the first levels only: a chain of 100,000
        // groups would otherwise hold 100,000 guides on each of its lines.
        let mut child_guides = guides.clone();
        if child_guides.len() < MAX_GUIDES {
            child_guides.push(!last);
        }
        for (k, &c) in kids.iter().enumerate().rev() {
            stack.push((c, depth + 1, child_guides.clone(), k + 1 == kids.len()));
        }
        out.push(TreeNode {
            group: i,
            depth,
            guides,
            last,
            also_after: Vec::new(),
            waiting_for: Vec::new(),
            warning: None,
            critical: false,
        });
    }
}

fn cycle_text(start: usize, deps: &[Vec<usize>], names: &[String]) -> String {
    // Linear in the path; a long cycle is named by its first groups only.
    let mut path = vec![start];
    let mut at_step = std::collections::HashMap::from([(start, 0usize)]);
    let mut at = start;
    while let Some(&next) = deps[at].first() {
        if let Some(&pos) = at_step.get(&next) {
            let cycle = &path[pos..];
            let mut shown: Vec<&str> = cycle
                .iter()
                .take(CYCLE_NAMES)
                .map(|&i| names[i].as_str())
                .collect();
            if cycle.len() > CYCLE_NAMES {
                return format!(
                    "dependency cycle of {} groups: {} → …",
                    cycle.len(),
                    shown.join(" → ")
                );
            }
            shown.push(names[next].as_str());
            return format!("dependency cycle: {}", shown.join(" → "));
        }
        at_step.insert(next, path.len());
        path.push(next);
        at = next;
    }
    "unreachable from any root group".into()
}

/// Groups of a cycle named in its warning.
const CYCLE_NAMES: usize = 6;

/// Marks the chain that decides when the batch ends: from the group that
/// ends last, back through the dependency that ended last, and so on.
fn critical_path(
    batch: &BuildBatch,
    store: &BuildStore,
    deps: &[Vec<usize>],
    now: DateTime<Utc>,
) -> Vec<bool> {
    let ends: Vec<Option<i64>> = batch
        .groups
        .iter()
        .map(|g| match &g.current {
            // Not started: it will end after everything running, unless the
            // batch is over and it never will.
            None if batch.complete => None,
            None => Some(i64::MAX),
            Some(summary) => {
                let build = summary.build_id().and_then(|id| store.get(id));
                let end = match build {
                    Some(b) if b.complete => b.end,
                    Some(_) => Some(now),
                    None => summary.requested_on,
                };
                end.map(|t| t.timestamp_millis())
            }
        })
        .collect();
    let levels = levels(deps);
    let mut marked = vec![false; batch.groups.len()];
    // Ties (groups not started) go to the one furthest down the graph.
    let latest = |candidates: &mut dyn Iterator<Item = usize>| {
        candidates
            .filter_map(|i| ends[i].map(|e| (e, i)))
            .max_by_key(|&(e, i)| (e, levels[i], std::cmp::Reverse(i)))
            .map(|(_, i)| i)
    };
    let mut at = latest(&mut (0..batch.groups.len()));
    while let Some(i) = at {
        if marked[i] {
            break;
        }
        marked[i] = true;
        at = latest(&mut deps[i].iter().copied());
    }
    marked
}

/// Length of the longest dependency chain leading to each group, bounded
/// by the number of groups so cycles cannot make it grow forever.
fn levels(deps: &[Vec<usize>]) -> Vec<usize> {
    // In dependency order (Kahn's), so the work is linear in groups and
    // edges whatever order the batchspec lists them in; groups on a cycle
    // keep the level they reached.
    let n = deps.len();
    let mut level = vec![0usize; n];
    let mut pending: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            dependents[j].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| pending[i] == 0).collect();
    while let Some(j) = ready.pop() {
        for &i in &dependents[j] {
            level[i] = level[i].max(level[j] + 1);
            pending[i] -= 1;
            if pending[i] == 0 {
                ready.push(i);
            }
        }
    }
    level
}
