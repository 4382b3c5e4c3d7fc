//! A batch's groups as its batchspec declares them, and the checks the
//! service makes while it downloads the batchspec.

use std::sync::Arc;

use serde_json::json;

use super::Recipe;
use crate::batch_projects::{GroupDef, Shape};
use crate::build::Settings;
use crate::catalog::ProjectDef;
use crate::ops::merge_env_vars;

/// A group before the batch that holds it exists.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GroupDraft {
    pub identifier: String,
    pub depends_on: Vec<String>,
    pub ignore_failure: bool,
    pub settings: Arc<Settings>,
    pub recipe: Recipe,
}

fn random(build_secs: (f64, f64), fail_chance: f64, command: &str) -> Recipe {
    Recipe::Random {
        build_secs,
        fail_chance,
        command: command.to_string(),
        first_fails: None,
    }
}

fn listed(groups: &[GroupDef], settings: &Arc<Settings>) -> Vec<GroupDraft> {
    groups
        .iter()
        .map(|g| GroupDraft {
            identifier: g.identifier.to_string(),
            depends_on: g.depends_on.iter().map(|d| d.to_string()).collect(),
            ignore_failure: g.ignore_failure,
            settings: Arc::clone(settings),
            recipe: random(g.build_secs, g.fail_chance, g.command),
        })
        .collect()
}

fn sanitized(part: &str) -> String {
    part.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A matrix group is named after its cell, since the batchspec names none:
/// the image's repository and tag, then each variable's value, with every
/// character but letters and digits turned into '_'. The image
/// `aws/codebuild/standard:7.0` with `SDK_RUNTIME=python3.12` gives
/// `standard_7_0_python3_12`; cells run images first, then variables in
/// declaration order, the last one changing fastest.
pub(crate) fn cell_identifier(image: &str, values: &[&str]) -> String {
    let repository = image.rsplit('/').next().unwrap_or(image);
    let parts: Vec<String> = std::iter::once(repository)
        .chain(values.iter().copied())
        .map(sanitized)
        .collect();
    parts.join("_")
}

fn matrix(
    def: &ProjectDef,
    images: &[&str],
    variables: &[(&str, &[&str])],
    fail_chance: f64,
    settings: &Arc<Settings>,
) -> Vec<GroupDraft> {
    let mut cells: Vec<Vec<(&str, &str)>> = vec![Vec::new()];
    for (name, values) in variables {
        cells = cells
            .iter()
            .flat_map(|cell| {
                values.iter().map(move |value| {
                    let mut cell = cell.clone();
                    cell.push((*name, *value));
                    cell
                })
            })
            .collect();
    }
    let command = def.build_cmds.first().copied().unwrap_or("make test");
    let mut drafts = Vec::new();
    for image in images {
        for cell in &cells {
            let mut settings = Settings::clone(settings);
            settings.environment.insert("image".into(), json!(image));
            let vars: Vec<_> = cell
                .iter()
                .map(|(name, value)| json!({"name": name, "value": value, "type": "PLAINTEXT"}))
                .collect();
            merge_env_vars(&mut settings.environment, &vars);
            let values: Vec<&str> = cell.iter().map(|(_, value)| *value).collect();
            drafts.push(GroupDraft {
                identifier: cell_identifier(image, &values),
                depends_on: Vec::new(),
                ignore_failure: false,
                settings: Arc::new(settings),
                recipe: random(def.build_secs, fail_chance, command),
            });
        }
    }
    drafts
}

/// The groups of a batch project, each starting from the batch's settings.
pub(crate) fn drafts_for(def: &ProjectDef, settings: &Arc<Settings>) -> Vec<GroupDraft> {
    match def.batch.map(|b| &b.shape) {
        Some(Shape::Graph(groups) | Shape::List(groups)) => listed(groups, settings),
        Some(Shape::Matrix {
            images,
            variables,
            fail_chance,
        }) => matrix(def, images, variables, *fail_chance, settings),
        // The simulator does not read buildspecs: a user-made project's
        // batch runs one group.
        None => vec![GroupDraft {
            identifier: "build1".to_string(),
            depends_on: Vec::new(),
            ignore_failure: false,
            settings: Arc::clone(settings),
            recipe: random(
                def.build_secs,
                0.06,
                def.build_cmds.first().copied().unwrap_or("make test"),
            ),
        }],
    }
}

/// Group indices with every dependency before its dependents (declaration
/// order otherwise), or what makes that impossible.
pub(crate) fn topo_order(groups: &[(&str, &[String])]) -> Result<Vec<usize>, String> {
    for (identifier, deps) in groups {
        if let Some(dep) = deps.iter().find(|d| !groups.iter().any(|g| g.0 == *d)) {
            return Err(format!(
                "build group {identifier} depends on {dep}, which is not a build group of the batch"
            ));
        }
    }
    let mut placed: Vec<usize> = Vec::with_capacity(groups.len());
    let is_placed = |placed: &[usize], dep: &str| placed.iter().any(|&i| groups[i].0 == dep);
    while placed.len() < groups.len() {
        let ready = (0..groups.len())
            .find(|i| !placed.contains(i) && groups[*i].1.iter().all(|d| is_placed(&placed, d)));
        match ready {
            Some(i) => placed.push(i),
            None => return Err(cycle(groups, &placed)),
        }
    }
    Ok(placed)
}

/// Every unplaced group waits on another unplaced one, so following those
/// waits from any of them must come back round: that loop is the cycle.
fn cycle(groups: &[(&str, &[String])], placed: &[usize]) -> String {
    let waiting = |i: usize| !placed.contains(&i);
    let mut path: Vec<usize> = Vec::new();
    let mut at = (0..groups.len()).find(|&i| waiting(i)).unwrap_or(0);
    while !path.contains(&at) {
        path.push(at);
        let deps = groups[at].1;
        at = (0..groups.len())
            .find(|&j| waiting(j) && deps.iter().any(|d| d == groups[j].0))
            .unwrap_or(at);
    }
    let from = path.iter().position(|&i| i == at).unwrap_or(0);
    let mut names: Vec<&str> = path[from..].iter().map(|&i| groups[i].0).collect();
    names.push(groups[at].0);
    format!("build graph has a dependency cycle: {}", names.join(" -> "))
}

/// Why the service would reject the batchspec, checked in the order it
/// reads it: identifiers, dependencies, then the batch's restrictions.
pub(crate) fn problem(
    groups: &[GroupDraft],
    max_builds: Option<i64>,
    compute_types: Option<&[&str]>,
) -> Option<String> {
    for (i, g) in groups.iter().enumerate() {
        if g.identifier.is_empty() {
            return Some(format!("build group {} has no identifier", i + 1));
        }
        if groups[..i].iter().any(|o| o.identifier == g.identifier) {
            return Some(format!(
                "build group identifier {} is used more than once",
                g.identifier
            ));
        }
    }
    let nodes: Vec<(&str, &[String])> = groups
        .iter()
        .map(|g| (g.identifier.as_str(), g.depends_on.as_slice()))
        .collect();
    if let Err(problem) = topo_order(&nodes) {
        return Some(problem);
    }
    if let Some(max) = max_builds.filter(|max| groups.len() as i64 > *max) {
        return Some(format!(
            "the batchspec defines {} builds, more than the {max} builds maximumBuildsAllowed allows",
            groups.len()
        ));
    }
    let allowed = compute_types?;
    groups.iter().find_map(|g| {
        let compute = g.settings.environment.get("computeType")?.as_str()?;
        (!allowed.contains(&compute)).then(|| {
            format!(
                "build group {} uses compute type {compute}, which computeTypesAllowed does not allow",
                g.identifier
            )
        })
    })
}
