//! CloudWatch: the exact names of a build's resource metrics (ListMetrics)
//! and their values (GetMetricData), in domain types.

use aws_sdk_cloudwatch::primitives::DateTime as SdkTime;
use aws_sdk_cloudwatch::types::{
    Dimension, DimensionFilter, Metric, MetricDataQuery, MetricStat, RecentlyActive, ScanBy,
};

use super::api::CodeBuild;
use super::error::from_sdk;
use crate::domain::metrics::{
    MetricFilter, MetricName, MetricQuery, QueryResult, Series, NAMESPACE, QUERIES_PER_CALL,
};
use crate::domain::ApiError;

/// Pages of ListMetrics read at most: 500 metrics a page.
const LIST_PAGES: usize = 10;
/// Pages of GetMetricData read at most, whatever the service answers.
const DATA_PAGES: usize = 20;
/// Values kept per query at most: a day a minute is 1,440, three hours
/// 180; an answer with more is cut, not held whole.
const MAX_VALUES: usize = 10_000;

impl CodeBuild {
    /// ListMetrics in AWS/CodeBuild, every page up to a bound.
    pub async fn list_metrics(&self, filter: &MetricFilter) -> Result<Vec<MetricName>, ApiError> {
        self.check_region()?;
        let filters: Vec<DimensionFilter> = filter
            .dimensions
            .iter()
            .map(|(name, value)| DimensionFilter::builder().name(name).value(value).build())
            .collect();
        let mut names = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..LIST_PAGES {
            let mut request = self
                .metrics
                .list_metrics()
                .namespace(NAMESPACE)
                .set_metric_name(filter.metric_name.clone())
                .set_dimensions(Some(filters.clone()))
                .set_next_token(token.clone());
            if filter.recently_active {
                request = request.recently_active(RecentlyActive::Pt3H);
            }
            let out = request.send().await.map_err(from_sdk)?;
            names.extend(out.metrics().iter().filter_map(|m| {
                Some(MetricName {
                    name: m.metric_name()?.to_string(),
                    dimensions: m
                        .dimensions()
                        .iter()
                        .filter_map(|d| Some((d.name()?.to_string(), d.value()?.to_string())))
                        .collect(),
                })
            }));
            match next_page(out.next_token(), &token) {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        Ok(names)
    }

    /// GetMetricData for at most 500 queries between `start` and `end`
    /// (epoch seconds), every page up to a bound, oldest value first.
    pub async fn metric_data(
        &self,
        queries: &[MetricQuery],
        start: i64,
        end: i64,
    ) -> Result<Vec<QueryResult>, ApiError> {
        self.check_region()?;
        let sdk_queries: Vec<MetricDataQuery> = queries
            .iter()
            .take(QUERIES_PER_CALL)
            .map(sdk_query)
            .collect();
        let mut points: Vec<(String, Vec<(i64, f64)>)> = queries
            .iter()
            .take(QUERIES_PER_CALL)
            .map(|q| (q.id.clone(), Vec::new()))
            .collect();
        let mut token: Option<String> = None;
        for _ in 0..DATA_PAGES {
            let out = self
                .metrics
                .get_metric_data()
                .set_metric_data_queries(Some(sdk_queries.clone()))
                .start_time(SdkTime::from_secs(start))
                .end_time(SdkTime::from_secs(end))
                .scan_by(ScanBy::TimestampAscending)
                .set_next_token(token.clone())
                .send()
                .await
                .map_err(from_sdk)?;
            for r in out.metric_data_results() {
                let Some(slot) = points
                    .iter_mut()
                    .find(|(id, _)| Some(id.as_str()) == r.id())
                else {
                    continue;
                };
                let room = MAX_VALUES.saturating_sub(slot.1.len());
                slot.1.extend(
                    r.timestamps()
                        .iter()
                        .zip(r.values())
                        .map(|(t, v)| (t.secs(), *v))
                        .take(room),
                );
            }
            match next_page(out.next_token(), &token) {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        Ok(points
            .into_iter()
            .map(|(id, points)| QueryResult {
                id,
                series: Series::from_points(points),
            })
            .collect())
    }
}

/// The token of the next page; none at the end, or when the answer hands
/// back the token it was asked with (that would page forever).
fn next_page(answered: Option<&str>, asked: &Option<String>) -> Option<String> {
    answered
        .filter(|t| !t.is_empty() && Some(*t) != asked.as_deref())
        .map(str::to_string)
}

fn sdk_query(q: &MetricQuery) -> MetricDataQuery {
    let dimensions: Vec<Dimension> = q
        .metric
        .dimensions
        .iter()
        .map(|(name, value)| Dimension::builder().name(name).value(value).build())
        .collect();
    let metric = Metric::builder()
        .namespace(NAMESPACE)
        .metric_name(&q.metric.name)
        .set_dimensions(Some(dimensions))
        .build();
    let stat = MetricStat::builder()
        .metric(metric)
        .period(q.period_secs)
        .stat(q.stat)
        .build();
    MetricDataQuery::builder()
        .id(&q.id)
        .metric_stat(stat)
        .return_data(true)
        .build()
}
