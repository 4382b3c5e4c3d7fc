use crate::app::{Command, Effect, Msg, Resource, Sent};
use crate::aws::CodeBuild;
use crate::domain::Started;
use crate::presets::PresetStore;

/// Carries out one effect that talks to AWS or the preset file and returns
/// the message with its answer; None for effects that need the terminal
/// (the event loop handles those). The dashboard runs this in a task per
/// effect; `cbdash watch`, `cbdash ls` and the tests run it in sequence.
pub async fn execute(
    apis: &[CodeBuild],
    presets: Option<&PresetStore>,
    effect: Effect,
) -> Option<Msg> {
    let (context, effect) = split(effect);
    let api = apis.get(usize::from(context))?;
    let msg = execute_one(api, presets, effect).await?;
    Some(from(context, msg))
}

/// An effect's context and the effect itself.
pub fn split(effect: Effect) -> (u16, Effect) {
    match effect {
        Effect::At { context, effect } => (context, *effect),
        effect => (0, effect),
    }
}

/// An answer marked with the context it came from.
pub fn from(context: u16, msg: Msg) -> Msg {
    if context == 0 {
        msg
    } else {
        Msg::From {
            context,
            msg: Box::new(msg),
        }
    }
}

/// Carries out an effect against one account and region.
pub async fn execute_one(
    api: &CodeBuild,
    presets: Option<&PresetStore>,
    effect: Effect,
) -> Option<Msg> {
    let msg = match effect {
        Effect::List(request) => {
            let (project, token) = (request.project.as_deref(), request.next_token.clone());
            let result = match request.resource {
                Resource::Builds => api.list_builds(project, token).await,
                Resource::Batches => api.list_batches(project, token, request.running_only).await,
            };
            Msg::Listed { request, result }
        }
        Effect::Fetch { purpose, ids } => Msg::Fetched {
            purpose,
            result: api.batch_get_builds(ids).await,
        },
        Effect::FetchBatches { purpose, ids } => Msg::BatchesFetched {
            purpose,
            result: api.batch_get_batches(ids).await,
        },
        Effect::ReadLog {
            build,
            group,
            stream,
            next_token,
        } => Msg::LogPage {
            build,
            result: api.log_events(&group, &stream, next_token).await,
        },
        Effect::FindSuccess(request) => {
            let result = find_page(api, &request).await;
            Msg::Candidates { request, result }
        }
        Effect::FetchReports { arns } => {
            let result = api.batch_get_reports(arns.clone()).await;
            Msg::Reports { arns, result }
        }
        Effect::DescribeCases(request) => {
            let result = api
                .describe_test_cases(
                    &request.report_arn,
                    request.status.as_deref(),
                    request.keyword.as_deref(),
                    request.max_results,
                    request.next_token.clone(),
                )
                .await;
            Msg::Cases { request, result }
        }
        Effect::DescribeCoverages(request) => {
            let result = api
                .describe_code_coverages(
                    &request.report_arn,
                    request.by_path,
                    request.descending,
                    request.max_results,
                    request.next_token.clone(),
                )
                .await;
            Msg::Coverages { request, result }
        }
        Effect::Trend(request) => {
            let result = api
                .report_group_trend(&request.group_arn, request.field, request.reports)
                .await;
            Msg::Trend { request, result }
        }
        Effect::ListMetrics(request) => {
            let result = api.list_metrics(&request.filter).await;
            Msg::MetricsListed { request, result }
        }
        Effect::MetricData(request) => {
            let result = api
                .metric_data(&request.queries, request.start, request.end)
                .await;
            Msg::MetricData { request, result }
        }
        Effect::ListProjects => Msg::Projects(api.list_projects().await),
        Effect::Backfill { project, limit } => {
            let result = backfill(api, &project, limit).await;
            Msg::Backfilled { project, result }
        }
        Effect::Identify => Msg::Identified(api.caller_account().await),
        Effect::Send(command) => {
            let result = send(api, &command).await;
            Msg::Sent(Box::new(Sent { command, result }))
        }
        // File I/O: blocking, but small and local.
        Effect::Presets(op) => super::presets_io::execute(presets, *op),
        Effect::OpenUrl(_)
        | Effect::Copy(_)
        | Effect::Notify { .. }
        | Effect::Quit
        | Effect::At { .. } => return None,
    };
    Some(msg)
}

/// A page of the project's builds, newest first, with their details.
async fn find_page(
    api: &CodeBuild,
    request: &crate::app::FindRequest,
) -> Result<(crate::domain::Fetched, Option<String>), crate::domain::ApiError> {
    let page = api
        .list_builds(Some(&request.project), request.next_token.clone())
        .await?;
    let mut fetched = crate::domain::Fetched::default();
    for ids in page.ids.chunks(crate::app::BATCH_LIMIT) {
        let more = api.batch_get_builds(ids.to_vec()).await?;
        fetched.builds.extend(more.builds);
        fetched.not_found.extend(more.not_found);
    }
    Ok((fetched, page.next_token))
}

/// A project's newest `limit` builds: one ListBuildsForProject page, one
/// BatchGetBuilds.
async fn backfill(
    api: &CodeBuild,
    project: &str,
    limit: usize,
) -> Result<crate::domain::Fetched, crate::domain::ApiError> {
    let page = api.list_builds(Some(project), None).await?;
    let ids: Vec<String> = page
        .ids
        .into_iter()
        .take(limit.min(crate::app::BATCH_LIMIT))
        .collect();
    if ids.is_empty() {
        return Ok(crate::domain::Fetched::default());
    }
    api.batch_get_builds(ids).await
}

async fn send(api: &CodeBuild, command: &Command) -> Result<Started, crate::domain::ApiError> {
    match command {
        Command::StopBuild { id } => api.stop_build(id).await.map(Started::build),
        Command::StopBatch { id } => api.stop_batch(id).await.map(Started::batch),
        Command::RetryBuild { id, token } => api.retry_build(id, token).await.map(Started::build),
        Command::RetryBatch {
            id,
            token,
            retry_type,
        } => api
            .retry_batch(id, token, retry_type)
            .await
            .map(Started::batch),
        Command::Start(request) => api.start(request).await,
    }
}

/// Runs `effects` and every effect their answers lead to, one at a time,
/// until none are left.
pub async fn settle(
    state: &mut crate::app::State,
    apis: &[CodeBuild],
    presets: Option<&PresetStore>,
    effects: Vec<Effect>,
) {
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        if let Some(msg) = execute(apis, presets, effect).await {
            queue.extend(crate::app::update(state, msg));
        }
    }
}
