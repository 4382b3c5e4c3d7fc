//! Builds and states as the service would describe them, for pure tests.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};

use cbdash::app::{apply, update, Msg, Settings, State};
use cbdash::aws::Fetched;
use cbdash::domain::{Build, LogLinks, Phase, PhaseContext, Status};

pub use cbdash::domain::PHASE_TYPES as SEQUENCE;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .expect("valid date")
}

/// A build of `project` number `n` that started `mins_ago` minutes before t0.
/// Running builds are in BUILD; finished ones took 5 minutes.
pub fn build(project: &str, n: i64, mins_ago: i64, status: Status) -> Build {
    let id = format!("{project}:{n:08x}-0000-4000-8000-00000000{n:04x}");
    let mut b = Build::new(&id);
    b.number = Some(n);
    b.arn = Some(format!(
        "arn:aws:codebuild:us-east-1:123456789012:build/{id}"
    ));
    b.start = Some(t0() - Duration::minutes(mins_ago));
    b.source_version = Some("refs/heads/main".into());
    b.resolved_source_version = Some("4f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39".into());
    b.initiator = Some("alice".into());
    b.timeout_minutes = Some(60);
    b.logs = LogLinks {
        group: Some(format!("/aws/codebuild/{project}")),
        stream: Some(id.split(':').nth(1).unwrap_or_default().to_string()),
        deep_link: Some(format!("https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Fcodebuild$252F{project}")),
        s3_deep_link: None,
        cloudwatch_arn: Some(format!("arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/{project}")),
        s3_arn: None,
    };
    let start = b.start.unwrap_or_else(t0);
    let running = status == Status::InProgress;
    let last = if running { 6 } else { 10 };
    let mut at = start;
    for (i, name) in SEQUENCE.iter().enumerate().take(last + 1) {
        let secs = if i == 6 { 150 } else { 15 };
        let is_current = running && i == last;
        let is_marker = i == 10;
        let phase_status = if is_current || is_marker {
            None
        } else if i == 6 && status != Status::Succeeded {
            Some(status.clone())
        } else {
            Some(Status::Succeeded)
        };
        let contexts = match &phase_status {
            Some(Status::Failed) => vec![PhaseContext {
                status_code: "COMMAND_EXECUTION_ERROR".into(),
                message: "Error while executing command: npm test. Reason: exit status 1".into(),
            }],
            _ => Vec::new(),
        };
        let done = !(is_current || is_marker);
        b.phases.push(Phase {
            phase_type: cbdash::domain::phase_type(name),
            status: phase_status,
            start: Some(at),
            end: done.then(|| at + Duration::seconds(secs)),
            duration_secs: done.then_some(secs),
            contexts,
        });
        if done {
            at += Duration::seconds(secs);
        }
    }
    b.current_phase = Some(SEQUENCE[last].to_string());
    b.complete = !running;
    b.status = status;
    if !running {
        b.end = Some(at);
    }
    b
}

/// A state at 160x45 holding `builds`, as after a first poll.
pub fn state_with(builds: Vec<Build>) -> State {
    state_with_history(builds, None)
}

/// Like `state_with`, where the first discovery page ended at `next_token`.
pub fn state_with_history(builds: Vec<Build>, next_token: Option<&str>) -> State {
    let mut state = State::new(
        Settings {
            context: "demo".into(),
            ..Settings::default()
        },
        t0(),
    );
    update(
        &mut state,
        Msg::Resize {
            width: 160,
            height: 45,
        },
    );
    loaded(&mut state, next_token);
    apply(
        &mut state,
        Fetched {
            builds,
            not_found: Vec::new(),
        },
    );
    state
}

/// Marks the first discovery as answered, as after a first poll.
pub fn loaded(state: &mut State, next_token: Option<&str>) {
    use cbdash::app::{ListRequest, Purpose};
    use cbdash::aws::ListPage;
    update(state, Msg::Tick(state.now));
    update(state, no_batches(None));
    update(
        state,
        Msg::Listed {
            request: ListRequest {
                resource: cbdash::app::Resource::Builds,
                project: None,
                next_token: None,
                purpose: Purpose::Poll,
            },
            result: Ok(ListPage {
                ids: Vec::new(),
                next_token: next_token.map(str::to_string),
            }),
        },
    );
}

/// A realistic mix: running, failed, succeeded, timed out, stopped.
pub fn mixed() -> Vec<Build> {
    vec![
        build("web-frontend", 412, 2, Status::InProgress),
        build("api-service", 1088, 7, Status::Failed),
        build("data-pipeline", 97, 52, Status::InProgress),
        build("mobile-app", 230, 95, Status::Succeeded),
        build("infra-terraform", 61, 180, Status::TimedOut),
        build("docs-site", 808, 600, Status::Stopped),
    ]
}

pub fn key(c: char) -> Msg {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(code: crossterm::event::KeyCode) -> Msg {
    use crossterm::event::{KeyEvent, KeyModifiers};
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn selected_id(state: &State) -> String {
    state
        .list
        .selected()
        .map(|s| s.id().to_string())
        .unwrap_or_default()
}

/// An empty batch discovery page: the scope has no batches.
pub fn no_batches(project: Option<&str>) -> Msg {
    use cbdash::app::{ListRequest, Purpose, Resource};
    use cbdash::aws::ListPage;
    Msg::Listed {
        request: ListRequest {
            resource: Resource::Batches,
            project: project.map(str::to_string),
            next_token: None,
            purpose: Purpose::Poll,
        },
        result: Ok(ListPage::default()),
    }
}
