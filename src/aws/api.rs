use aws_sdk_codebuild::types::SortOrderType;
use aws_sdk_codebuild::Client;

use super::convert::{batch_from_sdk, build_from_sdk};
use super::error::{from_sdk, missing_region};
use crate::domain::{ApiError, Build, BuildBatch};

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
    region: Option<String>,
}

/// One page of build IDs, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPage {
    pub ids: Vec<String>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetched {
    pub builds: Vec<Build>,
    pub not_found: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FetchedBatches {
    pub batches: Vec<BuildBatch>,
    pub not_found: Vec<String>,
}

impl CodeBuild {
    pub fn new(client: Client, region: Option<String>) -> CodeBuild {
        CodeBuild { client, region }
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    fn check_region(&self) -> Result<(), ApiError> {
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

    /// ListBuildBatches, or ListBuildBatchesForProject when a project is named.
    pub async fn list_batches(
        &self,
        project: Option<&str>,
        next_token: Option<String>,
    ) -> Result<ListPage, ApiError> {
        self.check_region()?;
        match project {
            None => page!(self.client.list_build_batches(), next_token),
            Some(name) => page!(
                self.client
                    .list_build_batches_for_project()
                    .project_name(name),
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
            .set_ids(Some(ids))
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(FetchedBatches {
            batches: out
                .build_batches()
                .iter()
                .filter_map(batch_from_sdk)
                .collect(),
            not_found: out.build_batches_not_found().to_vec(),
        })
    }

    /// BatchGetBuilds for at most 100 IDs (the API's limit; callers chunk).
    pub async fn batch_get_builds(&self, ids: Vec<String>) -> Result<Fetched, ApiError> {
        self.check_region()?;
        let out = self
            .client
            .batch_get_builds()
            .set_ids(Some(ids))
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(Fetched {
            builds: out.builds().iter().filter_map(build_from_sdk).collect(),
            not_found: out.builds_not_found().to_vec(),
        })
    }
}
