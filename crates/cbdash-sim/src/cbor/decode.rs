//! One CBOR data item to a JSON value.

use serde_json::{Map, Number, Value};

use super::{MAX_DEPTH, MAX_ITEMS};

/// Why a body is not one well-formed, supported CBOR item, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DecodeError {
    /// Byte offset of the item that failed.
    pub offset: usize,
    pub reason: String,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.offset)
    }
}

/// The single item `bytes` holds; anything after it is an error.
pub(crate) fn decode(bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut reader = Reader {
        bytes,
        pos: 0,
        items: 0,
    };
    let value = reader.item(0)?;
    if reader.pos != bytes.len() {
        return Err(reader.fail(reader.pos, "unexpected bytes after the CBOR item"));
    }
    Ok(value)
}

const BREAK: u8 = 0xff;
const RESERVE_LIMIT: usize = 1024;
const INDEFINITE: u8 = 31;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    items: usize,
}

impl Reader<'_> {
    fn fail(&self, offset: usize, reason: impl Into<String>) -> DecodeError {
        DecodeError {
            offset,
            reason: reason.into(),
        }
    }

    fn left(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.fail(self.pos, "the body ends inside a CBOR item"))?;
        self.pos += 1;
        Ok(b)
    }

    fn peek(&self) -> Result<u8, DecodeError> {
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.fail(self.pos, "the body ends inside a CBOR item"))
    }

    fn take(&mut self, len: u64, at: usize) -> Result<&[u8], DecodeError> {
        match usize::try_from(len) {
            Ok(len) if len <= self.left() => {
                let slice = &self.bytes[self.pos..self.pos + len];
                self.pos += len;
                Ok(slice)
            }
            _ => Err(self.fail(
                at,
                format!("a length of {len} runs past the end of the body"),
            )),
        }
    }

    /// The argument of a head whose additional information is `info`;
    /// None for an indefinite length.
    fn argument(&mut self, info: u8, at: usize) -> Result<Option<u64>, DecodeError> {
        let width = match info {
            0..=23 => return Ok(Some(u64::from(info))),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            INDEFINITE => return Ok(None),
            _ => return Err(self.fail(at, format!("reserved additional information {info}"))),
        };
        let raw = self.take(width, at)?;
        Ok(Some(raw.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b))))
    }

    fn definite(&mut self, info: u8, at: usize, what: &str) -> Result<u64, DecodeError> {
        self.argument(info, at)?
            .ok_or_else(|| self.fail(at, format!("{what} cannot have an indefinite length")))
    }

    /// A count of items that each take at least `min_bytes`: never more
    /// than the body can hold, so it is safe to reserve.
    fn count(&self, n: u64, min_bytes: usize, at: usize) -> Result<usize, DecodeError> {
        match usize::try_from(n) {
            Ok(n) if n <= self.left() / min_bytes => Ok(n),
            _ => Err(self.fail(at, format!("{n} items cannot fit in the rest of the body"))),
        }
    }

    fn item(&mut self, depth: usize) -> Result<Value, DecodeError> {
        let at = self.pos;
        if depth > MAX_DEPTH {
            return Err(self.fail(at, format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(self.fail(at, format!("more than {MAX_ITEMS} items")));
        }
        let head = self.byte()?;
        let info = head & 0x1f;
        match head >> 5 {
            0 => Ok(Value::from(self.definite(info, at, "an integer")?)),
            1 => {
                let n = self.definite(info, at, "an integer")?;
                i64::try_from(n)
                    .map(|n| Value::from(-1 - n))
                    .map_err(|_| self.fail(at, "a negative integer below -2^63"))
            }
            2 => self.string(2, info, at).map(|b| Value::String(base64(&b))),
            3 => {
                let bytes = self.string(3, info, at)?;
                String::from_utf8(bytes)
                    .map(Value::String)
                    .map_err(|_| self.fail(at, "a text string that is not UTF-8"))
            }
            4 => self.array(info, at, depth),
            5 => self.map(info, at, depth),
            6 => self.tagged(info, at, depth),
            _ => self.simple(info, at),
        }
    }

    /// A byte (major 2) or text (major 3) string, joining the chunks of an
    /// indefinite one; each chunk must be a definite string of the same type.
    fn string(&mut self, major: u8, info: u8, at: usize) -> Result<Vec<u8>, DecodeError> {
        if let Some(len) = self.argument(info, at)? {
            return self.take(len, at).map(<[u8]>::to_vec);
        }
        let mut joined = Vec::new();
        loop {
            let chunk_at = self.pos;
            let head = self.byte()?;
            if head == BREAK {
                return Ok(joined);
            }
            if head >> 5 != major || head & 0x1f == INDEFINITE {
                return Err(self.fail(
                    chunk_at,
                    "a chunk of an indefinite string must be a definite string of its type",
                ));
            }
            let len = self.definite(head & 0x1f, chunk_at, "a chunk")?;
            let chunk = self.take(len, chunk_at)?;
            if major == 3 && std::str::from_utf8(chunk).is_err() {
                return Err(self.fail(chunk_at, "a text string that is not UTF-8"));
            }
            joined.extend_from_slice(chunk);
        }
    }

    fn at_break(&mut self) -> Result<bool, DecodeError> {
        if self.peek()? == BREAK {
            self.pos += 1;
            return Ok(true);
        }
        Ok(false)
    }

    fn array(&mut self, info: u8, at: usize, depth: usize) -> Result<Value, DecodeError> {
        let mut items = Vec::new();
        match self.argument(info, at)? {
            Some(n) => {
                let n = self.count(n, 1, at)?;
                // What the count promises is only reserved up to a point:
                // the items themselves must be there to grow it further.
                items.reserve(n.min(RESERVE_LIMIT));
                for _ in 0..n {
                    items.push(self.item(depth + 1)?);
                }
            }
            None => {
                while !self.at_break()? {
                    items.push(self.item(depth + 1)?);
                }
            }
        }
        Ok(Value::Array(items))
    }

    fn map(&mut self, info: u8, at: usize, depth: usize) -> Result<Value, DecodeError> {
        let mut map = Map::new();
        match self.argument(info, at)? {
            Some(n) => {
                for _ in 0..self.count(n, 2, at)? {
                    self.entry(&mut map, depth)?;
                }
            }
            None => {
                while !self.at_break()? {
                    self.entry(&mut map, depth)?;
                }
            }
        }
        Ok(Value::Object(map))
    }

    /// One member: structures and maps have text keys only.
    fn entry(&mut self, map: &mut Map<String, Value>, depth: usize) -> Result<(), DecodeError> {
        let key_at = self.pos;
        if self.peek()? >> 5 != 3 {
            return Err(self.fail(key_at, "a map key that is not a text string"));
        }
        let Value::String(key) = self.item(depth + 1)? else {
            return Err(self.fail(key_at, "a map key that is not a text string"));
        };
        let value = self.item(depth + 1)?;
        map.insert(key, value);
        Ok(())
    }

    /// Tag 1 (epoch-based date/time) only: a timestamp is its number of
    /// seconds, as awsJson sends it. Bignums and decimals (tags 2 to 4) are
    /// in no CodeBuild shape, so the protocol says to refuse them.
    fn tagged(&mut self, info: u8, at: usize, depth: usize) -> Result<Value, DecodeError> {
        let tag = self.definite(info, at, "a tag")?;
        if tag != 1 {
            return Err(self.fail(at, format!("unsupported CBOR tag {tag}")));
        }
        match self.item(depth + 1)? {
            Value::Number(n) => Ok(Value::Number(n)),
            _ => Err(self.fail(at, "a timestamp (tag 1) that is not a finite number")),
        }
    }

    fn simple(&mut self, info: u8, at: usize) -> Result<Value, DecodeError> {
        let float = match info {
            20 => return Ok(Value::Bool(false)),
            21 => return Ok(Value::Bool(true)),
            // undefined reads as null, as the protocol requires.
            22 | 23 => return Ok(Value::Null),
            25 => half(u16::from_be_bytes(self.fixed(at)?)),
            26 => f64::from(f32::from_be_bytes(self.fixed(at)?)),
            27 => f64::from_be_bytes(self.fixed(at)?),
            INDEFINITE => return Err(self.fail(at, "a break outside an indefinite item")),
            _ => return Err(self.fail(at, format!("unsupported simple value {info}"))),
        };
        Ok(float_value(float))
    }

    fn fixed<const N: usize>(&mut self, at: usize) -> Result<[u8; N], DecodeError> {
        let raw = self.take(N as u64, at)?;
        let mut out = [0u8; N];
        out.copy_from_slice(raw);
        Ok(out)
    }
}

/// awsJson has no number for NaN and the infinities: it sends them as
/// these strings.
fn float_value(f: f64) -> Value {
    match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => Value::from("NaN"),
        None if f > 0.0 => Value::from("Infinity"),
        None => Value::from("-Infinity"),
    }
}

/// IEEE 754 half precision (RFC 8949, Appendix D).
fn half(bits: u16) -> f64 {
    let exponent = i32::from((bits >> 10) & 0x1f);
    let mantissa = f64::from(bits & 0x3ff);
    let magnitude = match exponent {
        0 => mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (mantissa + 1024.0) * 2f64.powi(exponent - 25),
    };
    if bits & 0x8000 != 0 {
        -magnitude
    } else {
        magnitude
    }
}

/// A blob as awsJson carries it: standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 0x3f]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
