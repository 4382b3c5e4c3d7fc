//! CBOR (RFC 8949) to and from the JSON values the operations read and
//! write, for the rpcv2Cbor protocol. Hand-written: it needs no more than
//! this, and a CBOR crate would be a new dependency of the dashboard.
//!
//! Decoding takes every well-formed item of the major types 0 to 7, in
//! definite and indefinite lengths, as awsJson would carry it: a tag-1
//! timestamp becomes its epoch-seconds number, a byte string its base64
//! text, a non-finite float the string awsJson sends for it. Hostile input
//! is bounded: nesting depth, the number of items, and every declared length
//! against the bytes actually left.

mod decode;
mod encode;

#[cfg(test)]
mod decode_tests;

pub(crate) use decode::decode;
pub(crate) use encode::{encode, encode_with};

/// Deeper than any CodeBuild shape, and serde_json's own recursion limit.
pub(crate) const MAX_DEPTH: usize = 128;

/// Items in one body: far above a real request (BatchGetBuilds takes 100
/// ids), so that a body of tiny items cannot cost unbounded memory.
pub(crate) const MAX_ITEMS: usize = 1 << 20;
