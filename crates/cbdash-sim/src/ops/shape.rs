//! Declarative request shapes: member types, required members, enums and
//! ranges, checked the way the service's validation layer does.

use serde_json::{Map, Value};

use crate::input::{shown_list, ApiError, Input, Violations};

#[derive(Clone, Copy)]
pub(crate) enum Ty {
    Str {
        min_len: usize,
    },
    /// A string with both length bounds, optionally a pattern.
    Text {
        min_len: usize,
        max_len: usize,
        pattern: Option<Pattern>,
    },
    StrList,
    /// At most `max` strings of at least `min_len` characters each.
    StrListUpTo {
        min_len: usize,
        max: usize,
    },
    Int {
        min: i64,
        max: Option<i64>,
    },
    Bool,
    Enum(&'static [&'static str]),
    EnumList(&'static [&'static str]),
    Struct(&'static [Field]),
    StructList(&'static [Field]),
    /// At most this many structures.
    StructListUpTo(&'static [Field], usize),
}

/// The model's string patterns the simulator checks.
#[derive(Clone, Copy)]
pub(crate) enum Pattern {
    /// ProjectName: a letter or digit, then letters, digits, '-' and '_'.
    ProjectName,
    /// Tag keys and values: letters, digits, spaces and `_.:/=@+-`.
    TagText,
}

impl Pattern {
    /// As the service's message shows it.
    fn shown(self) -> &'static str {
        match self {
            Pattern::ProjectName => r"[A-Za-z0-9][A-Za-z0-9\-_]{1,254}",
            Pattern::TagText => r"^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$",
        }
    }

    fn matches(self, text: &str) -> bool {
        match self {
            Pattern::ProjectName => {
                let mut chars = text.chars();
                let first = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
                let rest = chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                first && rest && (2..=255).contains(&text.len())
            }
            Pattern::TagText => text.chars().all(|c| {
                c.is_alphabetic()
                    || c.is_numeric()
                    || is_space_separator(c)
                    || "_.:/=@+-".contains(c)
            }),
        }
    }
}

/// Unicode's Z category: space, line and paragraph separators.
fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
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
        Ty::Text {
            min_len,
            max_len,
            pattern,
        } => input.string(name)?.map(|s| {
            let len = s.chars().count();
            v.min_length(path, s, len, *min_len);
            v.max_length(path, s, len, *max_len);
            if let Some(p) = pattern.filter(|p| !p.matches(s)) {
                v.pattern(path, s, p.shown());
            }
            Value::from(s)
        }),
        Ty::StrList => input.strings(name)?.map(Value::from),
        Ty::StrListUpTo { min_len, max } => input.strings(name)?.map(|items| {
            let shown = shown_list(&items);
            v.max_length(path, &shown, items.len(), *max);
            for (i, s) in items.iter().enumerate() {
                let item = format!("{path}.{}.member", i + 1);
                v.min_length(&item, s, s.chars().count(), *min_len);
            }
            Value::from(items)
        }),
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
        Ty::StructList(fields) => struct_list(input, name, fields, None, v)?,
        Ty::StructListUpTo(fields, max) => struct_list(input, name, fields, Some(*max), v)?,
    })
}

fn struct_list(
    input: &Input,
    name: &str,
    fields: &[Field],
    max: Option<usize>,
    v: &mut Violations,
) -> Result<Option<Value>, ApiError> {
    let Some(items) = input.objects(name)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        out.push(Value::Object(check_struct(item, fields, v)?));
    }
    if let Some(max) = max {
        let shown = Value::Array(out.clone()).to_string();
        v.max_length(&input.path(name), &shown, out.len(), max);
    }
    Ok(Some(Value::Array(out)))
}
