//! The real SDK client switched to rpcv2Cbor reads the same world as the
//! awsJson1.1 client: what an SDK update that changes protocol will see.

use aws_sdk_codebuild::error::ProvideErrorMetadata;
use aws_sdk_codebuild::primitives::DateTime;
use aws_sdk_codebuild::types::{Build, ProjectSortByType, SortOrderType};
use cbdash_sim::Fault;

use super::cbor_client::cbor_client;
use super::sdk::{all_build_ids, client, demo, get_builds, phases, quiet, secs};

/// Both decoders read the same epoch seconds; the CBOR one keeps whole
/// milliseconds of the double it gets, so it may land one below.
fn same_instant(json: Option<&DateTime>, cbor: Option<&DateTime>) -> bool {
    match (json, cbor) {
        (None, None) => true,
        (Some(a), Some(b)) => (secs(a) - secs(b)).abs() < 0.0015,
        _ => false,
    }
}

fn assert_same_build(json: &Build, cbor: &Build) {
    let id = json.id();
    assert_eq!(json.id(), cbor.id());
    assert_eq!(json.arn(), cbor.arn());
    assert_eq!(json.build_number(), cbor.build_number());
    assert_eq!(json.build_status(), cbor.build_status(), "{id:?}");
    assert_eq!(json.current_phase(), cbor.current_phase());
    assert_eq!(json.source_version(), cbor.source_version());
    assert_eq!(json.initiator(), cbor.initiator());
    assert_eq!(json.build_complete(), cbor.build_complete());
    assert_eq!(json.logs(), cbor.logs());
    assert_eq!(json.environment(), cbor.environment());
    assert_eq!(phases(json), phases(cbor), "{id:?}");
    assert!(same_instant(json.start_time(), cbor.start_time()), "{id:?}");
    assert!(same_instant(json.end_time(), cbor.end_time()), "{id:?}");
    for (a, b) in json.phases().iter().zip(cbor.phases()) {
        assert_eq!(a.contexts(), b.contexts());
        assert!(same_instant(a.start_time(), b.start_time()));
        assert!(same_instant(a.end_time(), b.end_time()));
    }
}

#[tokio::test]
async fn the_sdk_over_cbor_lists_and_reads_what_json_does() {
    let sim = demo(11).await;
    let (json, cbor) = (client(&sim), cbor_client(&sim));

    let projects = |c: &aws_sdk_codebuild::Client| {
        c.list_projects()
            .sort_by(ProjectSortByType::Name)
            .sort_order(SortOrderType::Ascending)
            .send()
    };
    let names = projects(&json).await.unwrap().projects().to_vec();
    assert_eq!(projects(&cbor).await.unwrap().projects(), names);

    let by_json = json.batch_get_projects().set_names(Some(names.clone()));
    let by_cbor = cbor.batch_get_projects().set_names(Some(names.clone()));
    let (a, b) = (by_json.send().await.unwrap(), by_cbor.send().await.unwrap());
    assert_eq!(a.projects().len(), names.len());
    for (p, q) in a.projects().iter().zip(b.projects()) {
        assert_eq!(p.name(), q.name());
        assert_eq!(p.environment(), q.environment());
        assert_eq!(p.source(), q.source());
        assert!(same_instant(p.created(), q.created()));
        assert!(same_instant(p.last_modified(), q.last_modified()));
    }

    // Every page of ListBuilds, nextToken and all.
    let ids = all_build_ids(&json, None).await;
    assert!(ids.len() > 300, "{}", ids.len());
    assert_eq!(all_build_ids(&cbor, None).await, ids);

    let (a, b) = (get_builds(&json, &ids).await, get_builds(&cbor, &ids).await);
    assert_eq!(a.len(), ids.len());
    assert_eq!(b.len(), ids.len());
    for (x, y) in a.iter().zip(&b) {
        assert_same_build(x, y);
    }
}

#[tokio::test]
async fn the_sdk_over_cbor_starts_and_stops_a_build() {
    let sim = quiet().await;
    let (json, cbor) = (client(&sim), cbor_client(&sim));
    let started = cbor
        .start_build()
        .project_name("api-service")
        .source_version("refs/heads/cbor")
        .send()
        .await
        .unwrap();
    let build = started.build_value().unwrap();
    let id = build.id().unwrap();
    let read = json.batch_get_builds().ids(id).send().await.unwrap();
    assert_same_build(&read.builds()[0], build);

    sim.advance(30.0);
    let stopped = cbor.stop_build().id(id).send().await.unwrap();
    let stopped = stopped.build_value().unwrap();
    assert_eq!(stopped.build_status().unwrap().as_str(), "STOPPED");
    let read = json.batch_get_builds().ids(id).send().await.unwrap();
    assert_same_build(&read.builds()[0], stopped);
}

#[tokio::test]
async fn the_sdk_over_cbor_gets_typed_errors() {
    let sim = quiet().await;
    let cbor = cbor_client(&sim);
    let err = cbor.batch_get_builds().send().await.unwrap_err();
    let err = err.into_service_error();
    assert!(err.is_invalid_input_exception(), "{err:?}");
    assert!(err.message().unwrap_or_default().contains("ids"));

    let err = cbor
        .start_build()
        .project_name("no-such-project")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");

    sim.inject(Fault::Throttle, 1);
    let err = cbor.list_projects().send().await.unwrap_err();
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(err.message(), Some("Rate exceeded"));
}
