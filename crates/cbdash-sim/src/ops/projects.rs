//! ListProjects and BatchGetProjects, over the catalog's projects and the
//! user-made ones.

use serde_json::{json, Value};

use super::paging::{page_json, paginate};
use crate::batch_projects::batch_config_json;
use crate::build::Settings;
use crate::catalog::{Place, ProjectDef};
use crate::clock::{epoch, DAY};
use crate::input::{shown_list, ApiError, Input, Violations};
use crate::rng::Rng;
use crate::state::SimState;

const SORT_BY: &[&str] = &["NAME", "CREATED_TIME", "LAST_MODIFIED_TIME"];
pub(crate) const SORT_ORDER: &[&str] = &["ASCENDING", "DESCENDING"];

/// A stable per-project value, e.g. for badge and webhook ids.
fn project_rng(def: &ProjectDef) -> Rng {
    let hash = def.name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    Rng::new(hash)
}

pub(crate) fn project_json(place: &Place, def: &ProjectDef, sim_start: i64) -> Value {
    let s = Settings::for_project(def, place);
    let region = &place.region;
    let mut rng = project_rng(def);
    let mut project = json!({
        "name": def.name,
        "arn": place.project_arn(def.name),
        "description": def.description,
        "source": s.source,
        "secondarySources": [],
        "sourceVersion": "refs/heads/main",
        "secondarySourceVersions": [],
        "artifacts": s.artifacts,
        "secondaryArtifacts": [],
        "cache": s.cache,
        "environment": s.environment,
        "serviceRole": s.service_role,
        "timeoutInMinutes": s.timeout_minutes,
        "queuedTimeoutInMinutes": s.queued_timeout_minutes,
        "encryptionKey": s.encryption_key,
        "tags": [{"key": "team", "value": "platform"}, {"key": "managed-by", "value": "terraform"}],
        "created": epoch(sim_start - def.created_days_ago * DAY),
        "lastModified": epoch(sim_start - def.modified_days_ago * DAY),
        "webhook": {
            "url": format!("https://api.github.com/repos/example/{}/hooks/{}", def.name, 400_000_000 + rng.below(99_999_999)),
            "payloadUrl": format!("https://codebuild.{region}.amazonaws.com/webhooks?t={}&v=1", rng.hex(40)),
            "filterGroups": [[
                {"type": "EVENT", "pattern": "PUSH, PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED", "excludeMatchedPattern": false}
            ]],
            "buildType": "BUILD"
        },
        "badge": {
            "badgeEnabled": true,
            "badgeRequestUrl": format!("https://codebuild.{region}.amazonaws.com/badges?uuid={}&branch=main", rng.hex(64))
        },
        "logsConfig": s.logs_config,
        "projectVisibility": "PRIVATE"
    });
    if let Some(map) = project.as_object_mut() {
        if let Some(limit) = def.concurrent_build_limit {
            map.insert("concurrentBuildLimit".into(), json!(limit));
        }
        if let Some(batch) = def.batch {
            map.insert(
                "buildBatchConfig".into(),
                batch_config_json(place, def.name, batch),
            );
        }
    }
    project
}

pub(crate) fn list_projects(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let sort_by = input.string("sortBy")?;
    let sort_order = input.string("sortOrder")?;
    let token = input.string("nextToken")?;
    let mut v = Violations::default();
    v.one_of("sortBy", sort_by, SORT_BY);
    v.one_of("sortOrder", sort_order, SORT_ORDER);
    v.finish()?;
    let sort_by = sort_by.unwrap_or("NAME");
    let sort_order = sort_order.unwrap_or("ASCENDING");

    let mut entries = listed_projects(state);
    match sort_by {
        "CREATED_TIME" => entries.sort_by_key(|e| (e.created, e.order)),
        "LAST_MODIFIED_TIME" => entries.sort_by_key(|e| (e.modified, e.order)),
        _ => entries.sort_by_key(|e| e.name),
    }
    if sort_order == "DESCENDING" {
        entries.reverse();
    }
    let names: Vec<String> = entries.iter().map(|e| e.name.to_string()).collect();
    let (page, next) = paginate(&names, token, &["ListProjects", sort_by, sort_order])?;
    Ok(page_json("projects", page, next))
}

/// A project as ListProjects sorts it.
struct Listed<'a> {
    name: &'a str,
    created: i64,
    modified: i64,
    /// Catalog order, then creation order: what breaks ties.
    order: u64,
}

/// The catalog's projects, then the user-made ones.
fn listed_projects(state: &SimState) -> Vec<Listed<'_>> {
    let catalog = state.catalog.projects();
    let start = state.started_at;
    let mut entries: Vec<Listed> = catalog
        .iter()
        .enumerate()
        .map(|(i, p)| Listed {
            name: p.name,
            created: start - p.created_days_ago * DAY,
            modified: start - p.modified_days_ago * DAY,
            order: i as u64,
        })
        .collect();
    entries.extend(state.projects.iter().map(|p| Listed {
        name: &p.name,
        created: p.created,
        modified: p.last_modified,
        order: catalog.len() as u64 + p.seq,
    }));
    entries
}

pub(crate) fn batch_get_projects(state: &SimState, input: &Input) -> Result<Value, ApiError> {
    let names = input.strings("names")?;
    let mut v = Violations::default();
    if let Some(names) = v.require(names.as_ref(), "names") {
        let shown = shown_list(names);
        v.min_length("names", &shown, names.len(), 1);
        v.max_length("names", &shown, names.len(), 100);
    }
    v.finish()?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in names.unwrap_or_default() {
        if let Some(def) = state.catalog.find(name) {
            found.push(project_json(&state.place, def, state.started_at));
        } else if let Some(project) = state.projects.get(name) {
            found.push(project.json(&state.place));
        } else {
            missing.push(name);
        }
    }
    Ok(json!({"projects": found, "projectsNotFound": missing}))
}
