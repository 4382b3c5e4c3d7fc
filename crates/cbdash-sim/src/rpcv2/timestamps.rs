//! Which members of CodeBuild's and CloudWatch's outputs are timestamps,
//! so that CBOR sends them as tag 1 (each item, for a list of them). Keyed by member name: in CodeBuild's model every member
//! of these names, in every shape, is a timestamp, and no member of another
//! name is one (aws-sdk-codebuild 1.145's schemas; the map keys CodeBuild
//! returns, such as report status counts, are none of these names).

/// CloudWatch's members are PascalCase, so they never meet CodeBuild's:
/// `Timestamps` is GetMetricData's list of timestamps.
const TIMESTAMP_MEMBERS: &[&str] = &[
    "Timestamps",
    "created",
    "endTime",
    "expired",
    "lastModified",
    "lastModifiedSecret",
    "requestTime",
    "requestedOn",
    "startTime",
    "submitTime",
];

pub(crate) fn is_timestamp(member: &str) -> bool {
    TIMESTAMP_MEMBERS.contains(&member)
}
