//! A JSON value to CBOR, the smallest encoding of each item, with definite
//! lengths.

use serde_json::{Number, Value};

/// `value` as CBOR; a member `is_timestamp` names is sent as a tag-1
/// epoch-seconds timestamp when it is a number.
pub(crate) fn encode_with(value: &Value, is_timestamp: &dyn Fn(&str) -> bool) -> Vec<u8> {
    let mut out = Vec::new();
    item(&mut out, value, is_timestamp);
    out
}

/// `value` as CBOR, no member taken for a timestamp.
pub(crate) fn encode(value: &Value) -> Vec<u8> {
    encode_with(value, &|_| false)
}

const TIMESTAMP_TAG: u8 = 0xc1;

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let major = major << 5;
    // Each arm's cast is lossless: the guard bounds n.
    match n {
        0..=23 => out.push(major | n as u8),
        24..=0xff => out.extend([major | 24, n as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend((n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend((n as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend(n.to_be_bytes());
        }
    }
}

fn number(out: &mut Vec<u8>, n: &Number) {
    if let Some(u) = n.as_u64() {
        head(out, 0, u);
    } else if let Some(i) = n.as_i64() {
        // Negative: major type 1 carries -1 - i.
        head(out, 1, (-1 - i) as u64);
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        let single = f as f32;
        // Single precision when it is exact; never half (the protocol
        // advises against it).
        if f64::from(single) == f {
            out.push(0xfa);
            out.extend(single.to_be_bytes());
        } else {
            out.push(0xfb);
            out.extend(f.to_be_bytes());
        }
    }
}

fn timestamp(out: &mut Vec<u8>, n: &Number) {
    out.push(TIMESTAMP_TAG);
    number(out, n);
}

fn item(out: &mut Vec<u8>, value: &Value, is_timestamp: &dyn Fn(&str) -> bool) {
    match value {
        Value::Null => out.push(0xf6),
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Number(n) => number(out, n),
        Value::String(s) => {
            head(out, 3, s.len() as u64);
            out.extend(s.as_bytes());
        }
        Value::Array(items) => {
            head(out, 4, items.len() as u64);
            for v in items {
                item(out, v, is_timestamp);
            }
        }
        Value::Object(map) => {
            // Null members are left out, as the protocol requires.
            let members = || map.iter().filter(|(_, v)| !v.is_null());
            head(out, 5, members().count() as u64);
            for (key, v) in members() {
                head(out, 3, key.len() as u64);
                out.extend(key.as_bytes());
                match (is_timestamp(key), v) {
                    (true, Value::Number(n)) => timestamp(out, n),
                    (true, Value::Array(items)) if items.iter().all(Value::is_number) => {
                        head(out, 4, items.len() as u64);
                        for n in items.iter().filter_map(Value::as_number) {
                            timestamp(out, n);
                        }
                    }
                    _ => item(out, v, is_timestamp),
                }
            }
        }
    }
}
