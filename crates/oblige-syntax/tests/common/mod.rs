//! A compact, readable dump of a syntax tree for snapshots: spans print as `@start..end`, a node
//! with one field besides its span prints as that field, and short nodes stay on one line.

use oblige_syntax::ast::SourceUnit;
use serde_json::{Map, Value};

/// The dump of `unit`.
pub fn dump(unit: &SourceUnit) -> String {
    let value = serde_json::to_value(unit).unwrap_or_default();
    let mut out = String::new();
    block(&value, 0, &mut out);
    out
}

const WIDTH: usize = 96;

fn span_text(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    if o.len() == 3 && o.contains_key("file") {
        Some(format!("@{}..{}", o.get("start")?, o.get("end")?))
    } else {
        None
    }
}

/// Fields worth printing: nulls and empty lists are left out.
fn fields(o: &Map<String, Value>) -> Vec<(&String, &Value)> {
    o.iter()
        .filter(|(k, v)| *k != "span" && !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
        .collect()
}

/// One-line form, or `None` if it does not fit.
fn inline(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => "none".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(a) => {
            let parts: Option<Vec<String>> = a.iter().map(inline).collect();
            format!("[{}]", parts?.join(", "))
        }
        Value::Object(o) => {
            if let Some(s) = span_text(v) {
                return Some(s);
            }
            let span = o.get("span").and_then(span_text);
            let fs = fields(o);
            let body = match fs.as_slice() {
                [(k, inner)] if o.len() == 1 && inner.is_object() || inner_is_variant(o) => {
                    format!("{k} {}", inline(inner)?)
                }
                [(_, inner)] if span.is_some() => inline(inner)?,
                _ => {
                    let parts: Option<Vec<String>> = fs
                        .iter()
                        .map(|(k, v)| inline(v).map(|s| format!("{k}: {s}")))
                        .collect();
                    format!("{{{}}}", parts?.join(", "))
                }
            };
            match span {
                // A node wrapping a name prints the span once.
                Some(s) if !body.ends_with(&s) => format!("{body} {s}"),
                _ => body,
            }
        }
    };
    (s.len() <= WIDTH && !s.contains('\n')).then_some(s)
}

/// An externally tagged enum value: one key starting with an upper-case letter.
fn inner_is_variant(o: &Map<String, Value>) -> bool {
    o.len() == 1
        && o.keys()
            .all(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
}

fn block(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    if let Some(s) = inline(v) {
        out.push_str(&pad);
        out.push_str(&s);
        out.push('\n');
        return;
    }
    match v {
        Value::Array(a) => {
            for item in a {
                match inline(item) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}-\n"));
                        block(item, indent + 1, out);
                    }
                }
            }
        }
        Value::Object(o) => {
            if let Some(s) = o.get("span").and_then(span_text) {
                out.push_str(&format!("{pad}{s}\n"));
            }
            for (k, val) in fields(o) {
                match inline(val) {
                    Some(s) => out.push_str(&format!("{pad}{k}: {s}\n")),
                    None => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        block(val, indent + 1, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// One line per item: its kind, its name, and how many doc lines it has.
pub fn summary(unit: &SourceUnit) -> String {
    use oblige_syntax::ast::Item;
    let mut out = String::new();
    for item in &unit.items {
        let (kind, name, docs) = match item {
            Item::Plan(p) => ("plan", p.title.value.as_str(), p.docs.len()),
            Item::Include(i) => ("include", i.path.value.as_str(), 0),
            Item::Enum(d) => ("enum", d.name.name.as_str(), d.docs.len()),
            Item::Class(d) => ("class", d.name.name.as_str(), d.docs.len()),
            Item::Event(d) => ("event", d.name.name.as_str(), d.docs.len()),
            Item::Window(d) => ("window", d.name.name.as_str(), d.docs.len()),
            Item::Calendar(d) => ("calendar", d.name.name.as_str(), d.docs.len()),
            Item::Param(d) => ("param", d.name.name.as_str(), d.docs.len()),
            Item::Finding(d) => ("finding", d.name.name.as_str(), d.docs.len()),
            Item::State(d) => ("state", d.name.name.as_str(), d.docs.len()),
            Item::Rule(r) => ("rule", r.id.name.as_str(), r.docs.len()),
        };
        out.push_str(&format!("  {kind} `{name}`"));
        if docs > 0 {
            out.push_str(&format!(" ({docs} doc lines)"));
        }
        out.push('\n');
    }
    out
}
