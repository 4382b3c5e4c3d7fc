//! Declarative request shapes: member types, required members, enums and
//! ranges, checked the way the service's validation layer does.

use serde_json::{Map, Value};

use crate::input::{ApiError, Input, Violations};

#[derive(Clone, Copy)]
pub(crate) enum Ty {
    Str { min_len: usize },
    StrList,
    Int { min: i64, max: Option<i64> },
    Bool,
    Enum(&'static [&'static str]),
    EnumList(&'static [&'static str]),
    Struct(&'static [Field]),
    StructList(&'static [Field]),
}

#[derive(Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
}

pub(crate) const fn opt(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: false,
    }
}

pub(crate) const fn req(name: &'static str, ty: Ty) -> Field {
    Field {
        name,
        ty,
        required: true,
    }
}

pub(crate) const STR: Ty = Ty::Str { min_len: 0 };
pub(crate) const NON_EMPTY: Ty = Ty::Str { min_len: 1 };

/// Checks `input` against `fields` and returns only the known members.
/// Wrong JSON types fail at once; constraint violations are collected.
pub(crate) fn check_struct(
    input: &Input,
    fields: &[Field],
    v: &mut Violations,
) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for field in fields {
        let path = input.path(field.name);
        let value = check_member(input, field, &path, v)?;
        match value {
            Some(value) => {
                out.insert(field.name.to_string(), value);
            }
            None if field.required => v.null(&path),
            None => {}
        }
    }
    Ok(out)
}

fn check_member(
    input: &Input,
    field: &Field,
    path: &str,
    v: &mut Violations,
) -> Result<Option<Value>, ApiError> {
    let name = field.name;
    Ok(match &field.ty {
        Ty::Str { min_len } => input.string(name)?.map(|s| {
            v.min_length(path, s, s.chars().count(), *min_len);
            Value::from(s)
        }),
        Ty::StrList => input.strings(name)?.map(Value::from),
        Ty::Int { min, max } => input.integer(name)?.map(|n| {
            v.range(path, n, *min, *max);
            Value::from(n)
        }),
        Ty::Bool => input.boolean(name)?.map(Value::from),
        Ty::Enum(allowed) => input.string(name)?.map(|s| {
            v.one_of(path, Some(s), allowed);
            Value::from(s)
        }),
        Ty::EnumList(allowed) => input.strings(name)?.map(|items| {
            for (i, s) in items.iter().enumerate() {
                v.one_of(&format!("{path}.{}.member", i + 1), Some(s), allowed);
            }
            Value::from(items)
        }),
        Ty::Struct(fields) => match input.object(name)? {
            Some(inner) => Some(Value::Object(check_struct(&inner, fields, v)?)),
            None => None,
        },
        Ty::StructList(fields) => match input.objects(name)? {
            Some(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in &items {
                    out.push(Value::Object(check_struct(item, fields, v)?));
                }
                Some(Value::Array(out))
            }
            None => None,
        },
    })
}
