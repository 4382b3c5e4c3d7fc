//! What the resource metrics show of how builds end: memory at the limit
//! when the OOM killer ends one, CPU flat at nothing while one hangs, and
//! datapoints arriving minute by minute while one runs.

use aws_sdk_codebuild::types::ComputeType;
use cbdash_sim::{BuildSpec, Outcome};

use crate::sdk::container_phases;
use crate::sdk::{build_dimensions, client, get, metric_points, metrics_client, quiet};

fn phase_secs(build: f64) -> Option<Vec<(String, f64)>> {
    container_phases().map(|phases| {
        phases
            .into_iter()
            .map(|(p, s)| if p == "BUILD" { (p, build) } else { (p, s) })
            .collect()
    })
}

/// (start, end) in epoch seconds of the build's `phase`.
async fn span_of(client: &aws_sdk_codebuild::Client, id: &str, phase: &str) -> (i64, i64) {
    let build = get(client, id).await;
    let p = build
        .phases()
        .iter()
        .find(|p| p.phase_type().map(|t| t.as_str()) == Some(phase))
        .expect("phase ran");
    (p.start_time().unwrap().secs(), p.end_time().unwrap().secs())
}

fn within(points: &[(i64, f64)], from: i64, to: i64) -> Vec<f64> {
    points
        .iter()
        .filter(|(t, _)| *t >= from && t + 60 <= to)
        .map(|p| p.1)
        .collect()
}

#[tokio::test]
async fn an_out_of_memory_build_climbs_to_the_limit_and_dies_with_exit_status_137() {
    let sim = quiet().await;
    let codebuild = client(&sim);
    let id = sim.add_build(BuildSpec {
        project: "media-transcoder".into(),
        started_secs_ago: 1800.0,
        outcome: Outcome::OutOfMemory {
            command: "make transcode".into(),
        },
        phase_secs: phase_secs(720.0),
        ..BuildSpec::default()
    });
    let build = get(&codebuild, &id).await;
    assert_eq!(build.build_status().unwrap().as_str(), "FAILED");
    let phase = build
        .phases()
        .iter()
        .find(|p| p.phase_type().unwrap().as_str() == "BUILD")
        .unwrap();
    assert_eq!(phase.phase_status().unwrap().as_str(), "FAILED");
    let context = phase.contexts()[0].message().unwrap();
    assert_eq!(
        context,
        "Error while executing command: make transcode. Reason: exit status 137"
    );
    let log = sim.log_lines(&id);
    let killed = log
        .iter()
        .position(|l| l == "Killed")
        .expect("the kill is logged");
    assert!(log[killed + 1]
        .contains("Command did not exit successfully make transcode exit status 137"));

    let dims = build_dimensions(&codebuild, &id).await;
    let cw = metrics_client(&sim);
    let memory = metric_points(&sim, &cw, &dims, "MemoryUtilizedPercent", "Maximum").await;
    let (start, end) = span_of(&codebuild, &id, "BUILD").await;
    // Every minute of BUILD, the last the one it is killed in.
    let during: Vec<f64> = memory
        .iter()
        .filter(|(t, _)| *t + 60 > start && *t < end)
        .map(|p| p.1)
        .collect();
    let last = *during.last().unwrap();
    assert!(last >= 99.0, "at the limit when killed: {during:?}");
    assert!(during[0] < 80.0, "it climbs: {during:?}");
    assert!(during.iter().all(|v| *v <= 100.0));
}

/// Builds of media-transcoder started through StartBuild on `compute`,
/// left to finish: (ids, the highest memory % each reached).
async fn transcodes(compute: Option<ComputeType>, count: usize) -> Vec<(String, String, f64)> {
    let sim = quiet().await;
    let codebuild = client(&sim);
    let mut ids = Vec::new();
    for _ in 0..count {
        let out = codebuild
            .start_build()
            .project_name("media-transcoder")
            .set_compute_type_override(compute.clone())
            .send()
            .await
            .expect("StartBuild");
        ids.push(out.build_value().unwrap().id().unwrap().to_string());
    }
    sim.advance(3.0 * 3600.0);
    let cw = metrics_client(&sim);
    let mut out = Vec::new();
    for id in ids {
        let build = get(&codebuild, &id).await;
        let status = build.build_status().unwrap().as_str().to_string();
        let context = build
            .phases()
            .iter()
            .flat_map(|p| p.contexts())
            .filter_map(|c| c.message())
            .collect::<Vec<_>>()
            .join(" ");
        let dims = build_dimensions(&codebuild, &id).await;
        let memory = metric_points(&sim, &cw, &dims, "MemoryUtilizedPercent", "Maximum").await;
        let peak = memory.iter().map(|p| p.1).fold(0.0, f64::max);
        out.push((status, context, peak));
    }
    out
}

#[tokio::test]
async fn media_transcoder_dies_on_small_and_succeeds_on_medium_with_a_lower_peak() {
    let small = transcodes(None, 10).await;
    let killed = small
        .iter()
        .filter(|b| b.1.contains("exit status 137"))
        .count();
    assert!(killed > small.len() / 2, "most die on SMALL: {small:?}");
    for (_, context, peak) in small.iter().filter(|b| b.1.contains("exit status 137")) {
        assert!(*peak >= 99.0, "{context}: {peak}");
    }

    let medium = transcodes(Some(ComputeType::BuildGeneral1Medium), 10).await;
    assert!(
        medium.iter().all(|b| !b.1.contains("exit status 137")),
        "{medium:?}"
    );
    let succeeded: Vec<f64> = medium
        .iter()
        .filter(|b| b.0 == "SUCCEEDED")
        .map(|b| b.2)
        .collect();
    assert!(succeeded.len() >= 5, "{medium:?}");
    assert!(
        succeeded.iter().all(|p| (45.0..75.0).contains(p)),
        "about 60 % of 7 GB: {succeeded:?}"
    );
}

#[tokio::test]
async fn a_build_that_times_out_sits_idle_in_build_until_the_deadline() {
    let sim = quiet().await;
    let codebuild = client(&sim);
    let id = sim.add_build(BuildSpec {
        started_secs_ago: 40.0 * 60.0,
        outcome: Outcome::TimeOut,
        timeout_minutes: Some(25),
        ..BuildSpec::default()
    });
    assert_eq!(
        get(&codebuild, &id).await.build_status().unwrap().as_str(),
        "TIMED_OUT"
    );
    let dims = build_dimensions(&codebuild, &id).await;
    let cw = metrics_client(&sim);
    let (start, end) = span_of(&codebuild, &id, "BUILD").await;
    // It hangs at most six minutes into BUILD.
    let hung_from = start + 7 * 60;
    let cpu = metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Maximum").await;
    let idle = within(&cpu, hung_from, end);
    assert!(idle.len() >= 10, "{idle:?}");
    assert!(idle.iter().all(|v| *v < 2.0), "{idle:?}");
    let memory = metric_points(&sim, &cw, &dims, "MemoryUtilized", "Average").await;
    let flat = within(&memory, hung_from, end);
    let spread = flat.iter().copied().fold(f64::MIN, f64::max)
        - flat.iter().copied().fold(f64::MAX, f64::min);
    assert!(spread < 1.0, "flat memory: {flat:?}");
    let writes = metric_points(&sim, &cw, &dims, "StorageWriteBytes", "Maximum").await;
    assert!(within(&writes, hung_from, end).iter().all(|v| *v == 0.0));
    let busy = within(&cpu, start, start + 60);
    assert!(
        busy.iter().all(|v| *v > 20.0),
        "busy before it hangs: {busy:?} {cpu:?}"
    );
}

#[tokio::test]
async fn an_idle_spell_ends_and_the_cpu_returns_to_its_band() {
    let sim = quiet().await;
    let codebuild = client(&sim);
    let id = sim.add_build(BuildSpec {
        started_secs_ago: 40.0 * 60.0,
        phase_secs: phase_secs(1200.0),
        idle: Some((180.0, 480.0)),
        ..BuildSpec::default()
    });
    assert_eq!(
        get(&codebuild, &id).await.build_status().unwrap().as_str(),
        "SUCCEEDED"
    );
    let dims = build_dimensions(&codebuild, &id).await;
    let cw = metrics_client(&sim);
    let (start, end) = span_of(&codebuild, &id, "BUILD").await;
    let cpu = metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Average").await;
    let before = within(&cpu, start + 60, start + 180);
    let idle = within(&cpu, start + 240, start + 600);
    let after = within(&cpu, start + 720, end);
    assert!(idle.len() >= 5 && idle.iter().all(|v| *v < 2.0), "{idle:?}");
    assert!(
        before.iter().chain(&after).all(|v| *v > 40.0),
        "{before:?} {after:?}"
    );
    assert!(after.len() >= 7);
}

#[tokio::test]
async fn a_running_build_has_no_datapoints_after_now_and_gains_one_a_minute() {
    let sim = quiet().await;
    let codebuild = client(&sim);
    let id = sim.add_build(BuildSpec {
        started_secs_ago: 300.0,
        phase_secs: phase_secs(1800.0),
        ..BuildSpec::default()
    });
    let dims = build_dimensions(&codebuild, &id).await;
    let cw = metrics_client(&sim);
    let before = metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Average").await;
    let now = sim.now().timestamp();
    assert!(!before.is_empty());
    assert!(before.iter().all(|p| p.0 <= now), "nothing in the future");
    sim.advance(300.0);
    let after = metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Average").await;
    assert_eq!(after.len(), before.len() + 5, "one more a minute");
    assert_eq!(after[..before.len()], before[..], "what was read stays");
    assert!(after.iter().all(|p| p.0 <= sim.now().timestamp()));
}

#[tokio::test]
async fn the_demo_starts_with_transcodes_killed_for_memory_and_a_hung_build() {
    let sim = crate::sdk::demo(42).await;
    let codebuild = client(&sim);
    let cw = metrics_client(&sim);
    let newest = codebuild.list_builds().send().await.expect("ListBuilds");
    let top = crate::sdk::get_builds(&codebuild, &newest.ids()[..20]).await;
    let transcode = top
        .iter()
        .find(|b| b.project_name() == Some("media-transcoder") && b.build_complete())
        .expect("a recent media-transcoder build near the top");
    assert_eq!(transcode.build_status().unwrap().as_str(), "FAILED");
    let context: Vec<&str> = transcode
        .phases()
        .iter()
        .flat_map(|p| p.contexts())
        .filter_map(|c| c.message())
        .collect();
    assert!(
        context.iter().any(|m| m.ends_with("exit status 137")),
        "{context:?}"
    );
    let dims = build_dimensions(&codebuild, transcode.id().unwrap()).await;
    let memory = metric_points(&sim, &cw, &dims, "MemoryUtilizedPercent", "Maximum").await;
    assert!(memory.iter().any(|p| p.1 >= 99.0), "{memory:?}");

    let all = crate::sdk::all_build_ids(&codebuild, None).await;
    let builds = crate::sdk::get_builds(&codebuild, &all).await;
    let failed_transcodes = builds
        .iter()
        .filter(|b| b.project_name() == Some("media-transcoder"))
        .filter(|b| b.build_status().map(|s| s.as_str()) == Some("FAILED"))
        .count();
    assert!(failed_transcodes >= 4, "several: {failed_transcodes}");

    // One running build idles in BUILD, far from its timeout.
    let now = sim.now().timestamp();
    let mut hung = Vec::new();
    for build in builds.iter().filter(|b| !b.build_complete()) {
        let dims = build_dimensions(&codebuild, build.id().unwrap()).await;
        let cpu = metric_points(&sim, &cw, &dims, "CPUUtilizedPercent", "Average").await;
        let last_20: Vec<f64> = cpu
            .iter()
            .filter(|p| p.0 >= now - 20 * 60)
            .map(|p| p.1)
            .collect();
        if last_20.len() >= 19 && last_20.iter().all(|v| *v < 2.0) {
            hung.push((build.clone(), cpu));
        }
    }
    assert_eq!(hung.len(), 1, "exactly one hung build");
    let (build, cpu) = &hung[0];
    assert_eq!(build.current_phase(), Some("BUILD"));
    let elapsed = now - build.start_time().unwrap().secs();
    let timeout = i64::from(build.timeout_in_minutes().unwrap()) * 60;
    assert!(elapsed < timeout * 7 / 10, "{elapsed} s of {timeout} s");
    let idle_minutes = cpu.iter().rev().take_while(|p| p.1 < 2.0).count();
    assert!(
        (22..=28).contains(&idle_minutes),
        "idle ~25 min: {idle_minutes}"
    );
}
