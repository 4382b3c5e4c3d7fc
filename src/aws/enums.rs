//! The domain's tables of enum values are the SDK's: checked here, the one
//! place that may name the SDK's types.

#[cfg(test)]
mod tests {
    use aws_sdk_codebuild::types::{
        BatchReportModeType, CacheType, ComputeType, EnvironmentType, EnvironmentVariableType,
        ImagePullCredentialsType, RetryBuildBatchType, SourceType,
    };

    use crate::domain::choices;

    fn same(table: &[&str], sdk: &[&str], what: &str) {
        let mut table = table.to_vec();
        let mut sdk = sdk.to_vec();
        table.sort_unstable();
        sdk.sort_unstable();
        assert_eq!(table, sdk, "{what}: the domain's table is the SDK's list");
    }

    #[test]
    fn every_table_is_the_sdks_list() {
        same(
            choices::COMPUTE_TYPES,
            ComputeType::values(),
            "compute types",
        );
        same(
            choices::ENVIRONMENT_TYPES,
            EnvironmentType::values(),
            "environment types",
        );
        same(
            choices::IMAGE_PULL_CREDENTIALS_TYPES,
            ImagePullCredentialsType::values(),
            "image pull credentials",
        );
        same(
            choices::ENV_VAR_TYPES,
            EnvironmentVariableType::values(),
            "variable types",
        );
        same(choices::SOURCE_TYPES, SourceType::values(), "source types");
        same(choices::CACHE_TYPES, CacheType::values(), "cache types");
        same(
            choices::BATCH_REPORT_MODES,
            BatchReportModeType::values(),
            "report modes",
        );
        same(
            choices::BATCH_RETRY_TYPES,
            RetryBuildBatchType::values(),
            "retry types",
        );
    }
}
