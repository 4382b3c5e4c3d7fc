//! The decoder against RFC 8949's own examples (Appendix A) and the
//! malformed and hostile bodies it must refuse.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};

use super::{decode, encode, encode_with, MAX_DEPTH, MAX_ITEMS};

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

fn ok(text: &str) -> Value {
    decode(&hex(text)).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn refused(bytes: &[u8]) -> String {
    match decode(bytes) {
        Ok(v) => panic!("{bytes:02x?} decoded to {v}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn integers_of_every_width() {
    assert_eq!(ok("00"), json!(0));
    assert_eq!(ok("17"), json!(23));
    assert_eq!(ok("1818"), json!(24));
    assert_eq!(ok("1903e8"), json!(1000));
    assert_eq!(ok("1a000f4240"), json!(1_000_000));
    assert_eq!(ok("1b000000e8d4a51000"), json!(1_000_000_000_000u64));
    assert_eq!(ok("1bffffffffffffffff"), json!(u64::MAX));
    assert_eq!(ok("20"), json!(-1));
    assert_eq!(ok("3863"), json!(-100));
    assert_eq!(ok("3903e7"), json!(-1000));
    assert_eq!(ok("3b7fffffffffffffff"), json!(i64::MIN));
    assert!(refused(&hex("3bffffffffffffffff")).contains("below -2^63"));
}

#[test]
fn floats_half_single_and_double() {
    assert_eq!(ok("f90000"), json!(0.0));
    assert_eq!(ok("f93c00"), json!(1.0));
    assert_eq!(ok("f93e00"), json!(1.5));
    assert_eq!(ok("f97bff"), json!(65504.0));
    assert_eq!(ok("f9c400"), json!(-4.0));
    assert_eq!(ok("f90001"), json!(5.960_464_477_539_063e-8));
    assert_eq!(ok("f90400"), json!(0.000_061_035_156_25));
    assert_eq!(ok("fa47c35000"), json!(100_000.0));
    assert_eq!(ok("fa7f7fffff"), json!(3.402_823_466_385_288_6e38));
    assert_eq!(ok("fb3ff199999999999a"), json!(1.1));
    assert_eq!(ok("fbc010666666666666"), json!(-4.1));
    // awsJson's spelling of the values JSON has no number for.
    assert_eq!(ok("f97c00"), json!("Infinity"));
    assert_eq!(ok("f9fc00"), json!("-Infinity"));
    assert_eq!(ok("f97e00"), json!("NaN"));
    assert_eq!(ok("fa7fc00000"), json!("NaN"));
    assert_eq!(ok("fbfff0000000000000"), json!("-Infinity"));
}

#[test]
fn simple_values() {
    assert_eq!(ok("f4"), json!(false));
    assert_eq!(ok("f5"), json!(true));
    assert_eq!(ok("f6"), Value::Null);
    // undefined reads as null.
    assert_eq!(ok("f7"), Value::Null);
    assert!(refused(&hex("f0")).contains("unsupported simple value 16"));
    assert!(refused(&hex("f818")).contains("unsupported simple value 24"));
}

#[test]
fn strings_definite_and_chunked() {
    assert_eq!(ok("60"), json!(""));
    assert_eq!(ok("6161"), json!("a"));
    assert_eq!(ok("62c3bc"), json!("ü"));
    assert_eq!(ok("64f0908591"), json!("\u{10151}"));
    assert_eq!(ok("7f657374726561646d696e67ff"), json!("streaming"));
    assert_eq!(ok("7fff"), json!(""));
    // Blobs come out as awsJson's base64.
    assert_eq!(ok("40"), json!(""));
    assert_eq!(ok("4401020304"), json!("AQIDBA=="));
    assert_eq!(ok("5f42010243030405ff"), json!("AQIDBAU="));
    assert_eq!(ok("43666f6f"), json!("Zm9v"));
}

#[test]
fn arrays_and_maps_definite_and_indefinite() {
    assert_eq!(ok("80"), json!([]));
    assert_eq!(ok("83010203"), json!([1, 2, 3]));
    assert_eq!(ok("8301820203820405"), json!([1, [2, 3], [4, 5]]));
    assert_eq!(ok("9fff"), json!([]));
    assert_eq!(ok("9f018202039f0405ffff"), json!([1, [2, 3], [4, 5]]));
    assert_eq!(ok("83018202039f0405ff"), json!([1, [2, 3], [4, 5]]));
    assert_eq!(ok("a0"), json!({}));
    assert_eq!(ok("a26161016162820203"), json!({"a": 1, "b": [2, 3]}));
    assert_eq!(ok("bf61610161629f0203ffff"), json!({"a": 1, "b": [2, 3]}));
    assert_eq!(
        ok("bf6346756ef563416d7421ff"),
        json!({"Fun": true, "Amt": -2})
    );
    // A repeated key keeps its last value, as the JSON reader does.
    assert_eq!(ok("a2616101616102"), json!({"a": 2}));
}

#[test]
fn timestamps_are_their_epoch_seconds() {
    assert_eq!(ok("c11a514b67b0"), json!(1_363_896_240));
    assert_eq!(ok("c1fb41d452d9ec200000"), json!(1_363_896_240.5));
    assert!(refused(&hex("c16161")).contains("not a finite number"));
    assert!(refused(&hex("c1f97e00")).contains("not a finite number"));
    // Tag 0 (a date string) and the bignums are in no CodeBuild shape.
    assert!(
        refused(&hex("c074323031332d30332d32315432303a30343a30305a"))
            .contains("unsupported CBOR tag 0")
    );
    assert!(refused(&hex("c249010000000000000000")).contains("unsupported CBOR tag 2"));
}

#[test]
fn malformed_bodies_are_refused_with_where() {
    let cases: &[(&str, &str)] = &[
        ("", "ends inside"),
        ("1903", "runs past the end"),
        ("6261", "runs past the end"),
        ("830102", "3 items cannot fit"),
        ("9f01", "ends inside"),
        ("a16161", "ends inside"),
        ("0102", "unexpected bytes after"),
        ("1c", "reserved additional information 28"),
        ("ff", "a break outside"),
        ("1f", "an integer cannot have an indefinite length"),
        ("c1ff", "a break outside"),
        ("62c328", "not UTF-8"),
        ("7f4161ff", "must be a definite string of its type"),
        ("5f5f4100ffff", "must be a definite string of its type"),
        ("7f62c3ff", "not UTF-8"),
        ("a10102", "map key that is not a text string"),
        ("a1810002", "map key that is not a text string"),
        ("5bffffffffffffffff", "runs past the end"),
        ("9b0000000100000000", "cannot fit in the rest"),
        ("bb00000000ffffffff", "cannot fit in the rest"),
    ];
    for (body, reason) in cases {
        let message = refused(&hex(body));
        assert!(message.contains(reason), "{body}: {message}");
    }
    assert_eq!(
        refused(&hex("9f0102")),
        "the body ends inside a CBOR item at byte 3"
    );
}

#[test]
fn nesting_is_bounded() {
    let nested = |levels: usize| {
        let mut body = vec![0x81; levels];
        body.push(0x00);
        body
    };
    assert!(decode(&nested(MAX_DEPTH)).is_ok());
    assert!(refused(&nested(MAX_DEPTH + 1)).contains("nested deeper than 128 levels"));
    // Far deeper, indefinite arrays and maps alike, without exhausting the stack.
    assert!(refused(&vec![0x9f; 1_000_000]).contains("nested deeper"));
    let maps: Vec<u8> = std::iter::repeat_n([0xbf, 0x61, 0x61], 100_000)
        .flatten()
        .collect();
    assert!(refused(&maps).contains("nested deeper"));
}

#[test]
fn item_count_is_bounded() {
    let array = |items: usize| {
        let mut body = vec![0x9a];
        body.extend((items as u32).to_be_bytes());
        body.resize(body.len() + items, 0x00);
        body
    };
    // The array itself counts as one item.
    assert!(decode(&array(MAX_ITEMS - 1)).is_ok());
    assert!(refused(&array(MAX_ITEMS)).contains("more than"));
}

#[test]
fn encoding_picks_the_smallest_head_and_tags_timestamps() {
    assert_eq!(encode(&json!(0)), hex("00"));
    assert_eq!(encode(&json!(24)), hex("1818"));
    assert_eq!(encode(&json!(1000)), hex("1903e8"));
    assert_eq!(encode(&json!(-1000)), hex("3903e7"));
    assert_eq!(encode(&json!(i64::MIN)), hex("3b7fffffffffffffff"));
    assert_eq!(encode(&json!(1.5)), hex("fa3fc00000"));
    assert_eq!(encode(&json!(1.1)), hex("fb3ff199999999999a"));
    assert_eq!(encode(&json!("ü")), hex("62c3bc"));
    // Null members are left out.
    assert_eq!(encode(&json!({"a": null, "b": [null]})), hex("a1616281f6"));
    let ts = |key: &str| key == "startTime";
    assert_eq!(
        encode_with(&json!({"startTime": 1_363_896_240.5, "name": 1}), &ts),
        hex("a2 646e616d65 01 69737461727454696d65 c1fb41d452d9ec200000")
    );
    // Only numbers are tagged.
    assert_eq!(
        encode_with(&json!({"startTime": "x"}), &ts),
        hex("a1 69737461727454696d65 6178")
    );
}

#[test]
fn what_is_encoded_decodes_to_the_same_value() {
    let value = json!({
        "ids": ["a:1", "b:2"],
        "n": -7,
        "big": u64::MAX,
        "f": 0.1,
        "nested": {"list": [true, false, {"x": 1.25}]},
    });
    assert_eq!(decode(&encode(&value)).unwrap(), value);
}
