//! Whether two parsed files say the same thing: equal trees once spans, comments and the keyword
//! set are ignored.

use oblige_syntax::ast::SourceUnit;
use serde_json::Value;

/// Whether `a` and `b` have the same tree, ignoring spans, comments and keyword set.
///
/// Both are serialized to JSON; every `comments` field and the top-level `lang` are dropped and
/// every span object (exactly the keys `file`, `start`, `end`) becomes `null`, wherever it sits:
/// a struct field or an element of a tuple variant such as `Meta::Severity(Severity, Span)`.
pub fn same_meaning(a: &SourceUnit, b: &SourceUnit) -> bool {
    match (normalized(a), normalized(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The normalized JSON of a unit, `None` if it cannot be serialized.
pub(crate) fn normalized(unit: &SourceUnit) -> Option<Value> {
    let mut value = serde_json::to_value(unit).ok()?;
    if let Value::Object(map) = &mut value {
        map.remove("lang");
    }
    scrub(&mut value);
    Some(value)
}

fn scrub(value: &mut Value) {
    if is_span(value) {
        *value = Value::Null;
        return;
    }
    match value {
        Value::Object(map) => {
            map.remove("comments");
            map.values_mut().for_each(scrub);
        }
        Value::Array(items) => items.iter_mut().for_each(scrub),
        _ => {}
    }
}

fn is_span(value: &Value) -> bool {
    match value {
        Value::Object(map) => {
            map.len() == 3
                && ["file", "start", "end"]
                    .iter()
                    .all(|k| map.contains_key(*k))
        }
        _ => false,
    }
}
