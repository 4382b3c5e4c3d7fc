//! Reading request members the way the service does: wrong JSON types are
//! SerializationExceptions, constraint violations are collected into one
//! validation message.

use serde_json::{json, Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        ApiError::new(400, "InvalidInputException", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(400, "ResourceNotFoundException", message)
    }

    pub fn already_exists(message: impl Into<String>) -> Self {
        ApiError::new(400, "ResourceAlreadyExistsException", message)
    }

    pub fn account_limit(message: impl Into<String>) -> Self {
        ApiError::new(400, "AccountLimitExceededException", message)
    }

    pub fn serialization(message: impl Into<String>) -> Self {
        ApiError::new(400, "SerializationException", message)
    }

    pub fn unknown_operation(target: &str) -> Self {
        ApiError::new(
            400,
            "UnknownOperationException",
            format!("The operation {target:?} is not supported by this service"),
        )
    }

    pub fn body(&self) -> Value {
        json!({"__type": self.code, "message": self.message})
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "STRING_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::Bool(_) => "BOOLEAN_VALUE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
        Value::Null => "NULL_VALUE",
    }
}

fn mismatch(value: &Value, expected: &str, path: &str) -> ApiError {
    ApiError::serialization(format!(
        "{} can not be converted to {expected} (member {path})",
        json_kind(value)
    ))
}

/// A request object (or a nested structure) with its member path, e.g.
/// `environmentVariablesOverride.1.member`.
#[derive(Clone, Debug)]
pub(crate) struct Input<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Input<'a> {
    pub fn root(map: &'a Map<String, Value>) -> Self {
        Input {
            map,
            path: String::new(),
        }
    }

    pub fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// Null counts as absent, as in the service.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn string(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(mismatch(other, "a String", &self.path(key))),
        }
    }

    pub fn integer(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| mismatch(v, "an Integer", &self.path(key))),
            Some(other) => Err(mismatch(other, "an Integer", &self.path(key))),
        }
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| mismatch(v, "a Double", &self.path(key))),
            Some(other) => Err(mismatch(other, "a Double", &self.path(key))),
        }
    }

    pub fn boolean(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(mismatch(other, "a Boolean", &self.path(key))),
        }
    }

    pub fn list(&self, key: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(mismatch(other, "a List", &self.path(key))),
        }
    }

    pub fn strings(&self, key: &str) -> Result<Option<Vec<&'a str>>, ApiError> {
        let Some(items) = self.list(key)? else {
            return Ok(None);
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str().ok_or_else(|| {
                    mismatch(v, "a String", &format!("{}.{}", self.path(key), i + 1))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    pub fn object(&self, key: &str) -> Result<Option<Input<'a>>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Input {
                map,
                path: self.path(key),
            })),
            Some(other) => Err(mismatch(other, "a Structure", &self.path(key))),
        }
    }

    /// A list of structures; item paths follow the service: `key.1.member`.
    pub fn objects(&self, key: &str) -> Result<Option<Vec<Input<'a>>>, ApiError> {
        let Some(items) = self.list(key)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}.{}.member", self.path(key), i + 1);
            match item {
                Value::Object(map) => out.push(Input { map, path }),
                other => return Err(mismatch(other, "a Structure", &path)),
            }
        }
        Ok(Some(out))
    }
}

/// Constraint violations, reported together like the service does.
#[derive(Debug, Default)]
pub(crate) struct Violations(Vec<String>);

impl Violations {
    fn push(&mut self, shown: &str, path: &str, constraint: &str) {
        self.0.push(format!(
            "Value {shown} at '{path}' failed to satisfy constraint: Member must {constraint}"
        ));
    }

    pub fn null(&mut self, path: &str) {
        self.push("null", path, "not be null");
    }

    /// Records a null violation when the member is absent.
    pub fn require<T>(&mut self, value: Option<T>, path: &str) -> Option<T> {
        if value.is_none() {
            self.null(path);
        }
        value
    }

    pub fn min_length(&mut self, path: &str, shown: &str, len: usize, min: usize) {
        if len < min {
            let rule = format!("have length greater than or equal to {min}");
            self.push(&format!("'{shown}'"), path, &rule);
        }
    }

    pub fn max_length(&mut self, path: &str, shown: &str, len: usize, max: usize) {
        if len > max {
            let rule = format!("have length less than or equal to {max}");
            self.push(&format!("'{shown}'"), path, &rule);
        }
    }

    pub fn range(&mut self, path: &str, value: i64, min: i64, max: Option<i64>) {
        if value < min {
            let rule = format!("have value greater than or equal to {min}");
            self.push(&format!("'{value}'"), path, &rule);
        } else if let Some(max) = max.filter(|m| value > *m) {
            let rule = format!("have value less than or equal to {max}");
            self.push(&format!("'{value}'"), path, &rule);
        }
    }

    /// A Double member's range, shown the way the service prints doubles.
    pub fn range_f64(&mut self, path: &str, value: f64, min: f64, max: f64) {
        if value < min {
            let rule = format!("have value greater than or equal to {min}");
            self.push(&format!("'{value:?}'"), path, &rule);
        } else if value > max {
            let rule = format!("have value less than or equal to {max}");
            self.push(&format!("'{value:?}'"), path, &rule);
        }
    }

    pub fn pattern(&mut self, path: &str, value: &str, pattern: &str) {
        let rule = format!("satisfy regular expression pattern: {pattern}");
        self.push(&format!("'{value}'"), path, &rule);
    }

    pub fn one_of(&mut self, path: &str, value: Option<&str>, allowed: &[&str]) {
        if let Some(v) = value.filter(|v| !allowed.contains(v)) {
            let rule = format!("satisfy enum value set: [{}]", allowed.join(", "));
            self.push(&format!("'{v}'"), path, &rule);
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(ApiError::invalid_input(format!(
                "1 validation error detected: {}",
                self.0[0]
            ))),
            n => Err(ApiError::invalid_input(format!(
                "{n} validation errors detected: {}",
                self.0.join("; ")
            ))),
        }
    }
}

/// How the service shows a list inside a validation message.
pub(crate) fn shown_list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}
