use aws_sdk_codebuild::types::{
    BuildBatchFilter, ProjectSortByType, RetryBuildBatchType, SortOrderType, StatusType,
};
use aws_sdk_codebuild::Client;

use super::convert::{
    batch_from_sdk, build_from_sdk, file_coverage_from_sdk, report_from_sdk, test_case_from_sdk,
};
use super::error::{from_sdk, missing_region};
use super::settings::{self, common_overrides};
use crate::domain::{
    ApiError, Build, BuildBatch, CasePage, CoveragePage, ErrorKind, Fetched, FetchedBatches,
    ListPage, LogEvent, LogPage, Report, StartRequest, Started, TrendField,
};

/// One page of a List* call, newest first. The four list operations have
/// builders of different types with the same methods, hence a macro.
macro_rules! page {
    ($request:expr, $token:expr) => {{
        let out = $request
            .sort_order(SortOrderType::Descending)
            .set_next_token($token)
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(ListPage {
            ids: out.ids().to_vec(),
            next_token: out.next_token().map(str::to_string),
        })
    }};
}

/// The CodeBuild calls the program makes, in domain types.
#[derive(Clone)]
pub struct CodeBuild {
    client: Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    sts: aws_sdk_sts::Client,
    pub(super) metrics: aws_sdk_cloudwatch::Client,
    region: Option<String>,
}

fn incomplete(operation: &str) -> ApiError {
    ApiError::new(
        ErrorKind::Malformed,
        format!("{operation} answered without the build"),
    )
}

/// A BatchGet answer must account for every ID asked for: returned, or
/// listed as not found. Anything else (an empty body, items without IDs)
/// is an answer that cannot be trusted.
fn account_for<'a>(
    operation: &str,
    what: &str,
    asked: &'a [String],
    answered: impl Iterator<Item = &'a str>,
    not_found: &'a [String],
) -> Result<(), ApiError> {
    let mut seen: std::collections::HashSet<&str> = answered.collect();
    seen.extend(not_found.iter().map(String::as_str));
    // The service may answer with an ARN where an ID was asked, or back.
    fn tail(s: &str) -> &str {
        s.rsplit_once('/').map_or(s, |(_, t)| t)
    }
    let seen_tails: std::collections::HashSet<&str> = seen.iter().map(|s| tail(s)).collect();
    let missing = asked
        .iter()
        .filter(|id| !seen.contains(id.as_str()) && !seen_tails.contains(tail(id)))
        .count();
    if missing == 0 {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorKind::Malformed,
        format!(
            "{operation} answered for {} of the {} {what} asked for, without saying the others do not exist",
            asked.len() - missing,
            asked.len()
        ),
    ))
}

impl CodeBuild {
    pub fn new(
        client: Client,
        logs: aws_sdk_cloudwatchlogs::Client,
        sts: aws_sdk_sts::Client,
        metrics: aws_sdk_cloudwatch::Client,
        region: Option<String>,
    ) -> CodeBuild {
        CodeBuild {
            client,
            logs,
            sts,
            metrics,
            region,
        }
    }

    /// STS GetCallerIdentity: the account the credentials belong to (it
    /// needs no permission, so it answers whenever the credentials work).
    pub async fn caller_account(&self) -> Result<String, ApiError> {
        self.check_region()?;
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(from_sdk)?;
        match out.account() {
            Some(account) if !account.is_empty() => Ok(account.to_string()),
            _ => Err(ApiError::new(
                ErrorKind::Malformed,
                "GetCallerIdentity answered without an account",
            )),
        }
    }

    /// GetLogEvents from the head of a stream, or onward from `next_token`
    /// (the previous page's nextForwardToken).
    pub async fn log_events(
        &self,
        group: &str,
        stream: &str,
        next_token: Option<String>,
    ) -> Result<LogPage, ApiError> {
        self.check_region()?;
        let out = self
            .logs
            .get_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .start_from_head(true)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(LogPage {
            events: out
                .events()
                .iter()
                .map(|e| LogEvent {
                    timestamp: e.timestamp().unwrap_or_default(),
                    message: e.message().unwrap_or_default().to_string(),
                })
                .collect(),
            next_token: out.next_forward_token().map(str::to_string),
        })
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub(super) fn check_region(&self) -> Result<(), ApiError> {
        match self.region {
            Some(_) => Ok(()),
            None => Err(missing_region()),
        }
    }

    /// ListBuilds, or ListBuildsForProject when a project is named.
    pub async fn list_builds(
        &self,
        project: Option<&str>,
        next_token: Option<String>,
    ) -> Result<ListPage, ApiError> {
        self.check_region()?;
        match project {
            None => page!(self.client.list_builds(), next_token),
            Some(name) => page!(
                self.client.list_builds_for_project().project_name(name),
                next_token
            ),
        }
    }

    /// ListBuildBatches, or ListBuildBatchesForProject when a project is
    /// named; only the running ones with `running_only`.
    pub async fn list_batches(
        &self,
        project: Option<&str>,
        next_token: Option<String>,
        running_only: bool,
    ) -> Result<ListPage, ApiError> {
        self.check_region()?;
        let filter = running_only.then(|| {
            BuildBatchFilter::builder()
                .status(StatusType::InProgress)
                .build()
        });
        match project {
            None => page!(
                self.client.list_build_batches().set_filter(filter),
                next_token
            ),
            Some(name) => page!(
                self.client
                    .list_build_batches_for_project()
                    .project_name(name)
                    .set_filter(filter),
                next_token
            ),
        }
    }

    /// BatchGetBuildBatches for at most 100 IDs.
    pub async fn batch_get_batches(&self, ids: Vec<String>) -> Result<FetchedBatches, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .batch_get_build_batches()
            .set_ids(Some(ids.clone()))
            .send()
            .await
            .map_err(from_sdk)?;
        let fetched = FetchedBatches {
            batches: out
                .build_batches()
                .iter()
                .filter_map(batch_from_sdk)
                .collect(),
            not_found: out.build_batches_not_found().to_vec(),
        };
        let answered = fetched.batches.iter().map(|b| &*b.id);
        account_for(
            "BatchGetBuildBatches",
            "batches",
            &ids,
            answered,
            &fetched.not_found,
        )?;
        Ok(fetched)
    }

    /// Every project's name, sorted (ListProjects, all pages, bounded).
    pub async fn list_projects(&self) -> Result<Vec<String>, ApiError> {
        self.check_region()?;
        let mut names = Vec::new();
        let mut token = None;
        // 20 pages of 100: far more projects than a picker can show.
        for _ in 0..20 {
            let out = self
                .client
                .list_projects()
                .sort_by(ProjectSortByType::Name)
                .sort_order(SortOrderType::Ascending)
                .set_next_token(token)
                .send()
                .await
                .map_err(from_sdk)?;
            names.extend(out.projects().iter().cloned());
            token = out.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        Ok(names)
    }

    /// StartBuild, or StartBuildBatch when the request carries a batch config.
    pub async fn start(&self, r: &StartRequest) -> Result<Started, ApiError> {
        self.check_region()?;
        let o = &r.overrides;
        match &r.batch {
            None => {
                let request = self
                    .client
                    .start_build()
                    .project_name(&r.project)
                    .idempotency_token(&r.idempotency_token);
                let out = common_overrides!(request, o)
                    .set_timeout_in_minutes_override(o.timeout_minutes)
                    .set_report_build_status_override(o.report_build_status)
                    .set_auto_retry_limit_override(o.auto_retry_limit)
                    .send()
                    .await
                    .map_err(from_sdk)?;
                out.build_value()
                    .and_then(build_from_sdk)
                    .map(Started::build)
                    .ok_or_else(|| incomplete("StartBuild"))
            }
            Some(config) => {
                let request = self
                    .client
                    .start_build_batch()
                    .project_name(&r.project)
                    .idempotency_token(&r.idempotency_token);
                let out = common_overrides!(request, o)
                    .set_build_timeout_in_minutes_override(o.timeout_minutes)
                    .set_report_build_batch_status_override(o.report_build_status)
                    .build_batch_config_override(settings::batch_config_override(config))
                    .send()
                    .await
                    .map_err(from_sdk)?;
                out.build_batch()
                    .and_then(batch_from_sdk)
                    .map(Started::batch)
                    .ok_or_else(|| incomplete("StartBuildBatch"))
            }
        }
    }

    pub async fn stop_build(&self, id: &str) -> Result<Build, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .stop_build()
            .id(id)
            .send()
            .await
            .map_err(from_sdk)?;
        out.build_value()
            .and_then(build_from_sdk)
            .ok_or_else(|| incomplete("StopBuild"))
    }

    pub async fn stop_batch(&self, id: &str) -> Result<BuildBatch, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .stop_build_batch()
            .id(id)
            .send()
            .await
            .map_err(from_sdk)?;
        out.build_batch()
            .and_then(batch_from_sdk)
            .ok_or_else(|| incomplete("StopBuildBatch"))
    }

    pub async fn retry_build(&self, id: &str, token: &str) -> Result<Build, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .retry_build()
            .id(id)
            .idempotency_token(token)
            .send()
            .await
            .map_err(from_sdk)?;
        out.build_value()
            .and_then(build_from_sdk)
            .ok_or_else(|| incomplete("RetryBuild"))
    }

    /// RetryBuildBatch; `retry_type` is RETRY_FAILED_BUILDS or RETRY_ALL_BUILDS.
    pub async fn retry_batch(
        &self,
        id: &str,
        token: &str,
        retry_type: &str,
    ) -> Result<BuildBatch, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .retry_build_batch()
            .id(id)
            .idempotency_token(token)
            .retry_type(RetryBuildBatchType::from(retry_type))
            .send()
            .await
            .map_err(from_sdk)?;
        out.build_batch()
            .and_then(batch_from_sdk)
            .ok_or_else(|| incomplete("RetryBuildBatch"))
    }

    /// BatchGetBuilds for at most 100 IDs (the API's limit; callers chunk).
    pub async fn batch_get_builds(&self, ids: Vec<String>) -> Result<Fetched, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .batch_get_builds()
            .set_ids(Some(ids.clone()))
            .send()
            .await
            .map_err(from_sdk)?;
        let fetched = Fetched {
            builds: out.builds().iter().filter_map(build_from_sdk).collect(),
            not_found: out.builds_not_found().to_vec(),
        };
        let answered = fetched.builds.iter().map(|b| &*b.id);
        account_for(
            "BatchGetBuilds",
            "builds",
            &ids,
            answered,
            &fetched.not_found,
        )?;
        Ok(fetched)
    }

    /// BatchGetReports for at most 100 ARNs (the API's limit; callers chunk).
    /// Reports not found are left out: they expired or were deleted.
    pub async fn batch_get_reports(&self, arns: Vec<String>) -> Result<Vec<Report>, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .batch_get_reports()
            .set_report_arns(Some(arns.clone()))
            .send()
            .await
            .map_err(from_sdk)?;
        let reports: Vec<Report> = out.reports().iter().filter_map(report_from_sdk).collect();
        let answered = reports.iter().map(|r| r.arn.as_str());
        account_for(
            "BatchGetReports",
            "reports",
            &arns,
            answered,
            out.reports_not_found(),
        )?;
        Ok(reports)
    }

    /// One page of DescribeTestCases of a report, filtered by status and
    /// keyword when given.
    pub async fn describe_test_cases(
        &self,
        report_arn: &str,
        status: Option<&str>,
        keyword: Option<&str>,
        max_results: i32,
        next_token: Option<String>,
    ) -> Result<CasePage, ApiError> {
        self.check_region()?;
        let filter = (status.is_some() || keyword.is_some()).then(|| {
            aws_sdk_codebuild::types::TestCaseFilter::builder()
                .set_status(status.map(str::to_string))
                .set_keyword(keyword.map(str::to_string))
                .build()
        });
        let out = self
            .client
            .describe_test_cases()
            .report_arn(report_arn)
            .set_filter(filter)
            .max_results(max_results)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(CasePage {
            cases: out.test_cases().iter().map(test_case_from_sdk).collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    /// One page of DescribeCodeCoverages of a report, sorted by the service.
    pub async fn describe_code_coverages(
        &self,
        report_arn: &str,
        by_path: bool,
        descending: bool,
        max_results: i32,
        next_token: Option<String>,
    ) -> Result<CoveragePage, ApiError> {
        use aws_sdk_codebuild::types::{ReportCodeCoverageSortByType, SortOrderType};
        self.check_region()?;
        let sort_by = if by_path {
            ReportCodeCoverageSortByType::FilePath
        } else {
            ReportCodeCoverageSortByType::LineCoveragePercentage
        };
        let order = if descending {
            SortOrderType::Descending
        } else {
            SortOrderType::Ascending
        };
        let out = self
            .client
            .describe_code_coverages()
            .report_arn(report_arn)
            .sort_by(sort_by)
            .sort_order(order)
            .max_results(max_results)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(CoveragePage {
            files: out
                .code_coverages()
                .iter()
                .map(file_coverage_from_sdk)
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }

    /// GetReportGroupTrend: one field over a group's last reports, newest
    /// first. Values that are not numbers are left out.
    pub async fn report_group_trend(
        &self,
        group_arn: &str,
        field: TrendField,
        reports: i32,
    ) -> Result<Vec<f64>, ApiError> {
        use aws_sdk_codebuild::types::ReportGroupTrendFieldType;
        self.check_region()?;
        let out = self
            .client
            .get_report_group_trend()
            .report_group_arn(group_arn)
            .num_of_reports(reports)
            .trend_field(ReportGroupTrendFieldType::from(field.as_str()))
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(out
            .raw_data()
            .iter()
            .filter_map(|r| r.data()?.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .collect())
    }
}
