//! Holding a report to its published JSON Schema, `docs/report.schema.json` (feature `schema`).

use crate::render::json::SCHEMA;

/// Checks `value` against the report schema, formats (`date`, `date-time`) included: one
/// message per problem, naming the JSON path of the offending value; empty when it conforms.
pub fn problems(value: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value = match serde_json::from_str(SCHEMA) {
        Ok(schema) => schema,
        Err(e) => return vec![format!("the report schema is not JSON: {e}")],
    };
    let validator = match jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
    {
        Ok(validator) => validator,
        Err(e) => return vec![format!("the report schema is not a valid schema: {e}")],
    };
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}
