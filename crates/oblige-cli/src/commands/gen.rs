//! `oblige gen`: a deterministic synthetic event log, for benchmarks, in a plan's vocabulary.
//!
//! The log is drawn from a template log (by default the Xianning seed's): each event copies a
//! random template event with a new id, and its actor, when it is a leaf unit of the registry
//! (one no other unit refers to), is moved to a random copy of that unit. The registry is the
//! template registry plus such copies up to the requested number of units, so every event and
//! unit is valid for the template's plan. The same arguments always give the same bytes.

use crate::args::GenArgs;
use crate::output::{self, Status};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes the registry and the log; bad templates or unwritable outputs exit with 2.
pub fn run(args: &GenArgs) -> Status {
    match generate(args) {
        Ok(()) => Status::Ok,
        Err(e) => {
            output::error(e);
            Status::BadInput
        }
    }
}

/// The template registry: its header, rows, and which rows are leaves.
struct Units {
    header: String,
    rows: Vec<Vec<String>>,
    leaves: Vec<usize>,
}

fn generate(args: &GenArgs) -> Result<(), String> {
    let units = read_units(&args.template_units)?;
    let templates = read_templates(&args.template_events, &args.exclude_kinds)?;
    let copies = args.units.saturating_sub(units.rows.len() as u64);
    write_units(&units, copies, &args.units_out)?;
    let leaf_of: HashMap<&str, usize> = units
        .leaves
        .iter()
        .enumerate()
        .filter_map(|(j, &row)| units.rows[row].first().map(|id| (id.as_str(), j)))
        .collect();
    let mut rng = SplitMix(args.seed);
    let columns = csv_columns(&templates);
    let file = std::fs::File::create(&args.events_out).map_err(|e| cannot(&args.events_out, &e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let csv = is_csv(&args.events_out);
    if csv {
        writeln!(out, "{}", columns.join(",")).map_err(|e| cannot(&args.events_out, &e))?;
    }
    let leaves = units.leaves.len() as u64;
    for n in 0..args.events {
        let template = &templates[rng.below(templates.len() as u64) as usize];
        let mut event = template.clone();
        event.insert("id".to_owned(), Value::String(format!("g{n:09}")));
        let actor = event
            .get("actor")
            .and_then(Value::as_str)
            .and_then(|a| leaf_of.get(a));
        if let Some(&j) = actor {
            let j = j as u64;
            // Copies of leaf j are the copies numbered j, j + leaves, j + 2 × leaves…
            let count = copies / leaves + u64::from(copies % leaves > j);
            let pick = rng.below(count + 1);
            if pick > 0 {
                let id = copy_id(
                    &units.rows[units.leaves[j as usize]][0],
                    j + (pick - 1) * leaves,
                );
                event.insert("actor".to_owned(), Value::String(id));
            }
        }
        let line = if csv {
            csv_line(&event, &columns)
        } else {
            Value::Object(event).to_string()
        };
        writeln!(out, "{line}").map_err(|e| cannot(&args.events_out, &e))?;
    }
    out.flush().map_err(|e| cannot(&args.events_out, &e))
}

fn cannot(path: &Path, e: &dyn std::fmt::Display) -> String {
    format!("cannot use `{}`: {e}", path.display())
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

fn copy_id(id: &str, k: u64) -> String {
    format!("{id}-g{k}")
}

/// Reads a CSV registry without quoted cells (a row with a quote is kept but never copied).
fn read_units(path: &Path) -> Result<Units, String> {
    let text = std::fs::read_to_string(path).map_err(|e| cannot(path, &e))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines
        .next()
        .ok_or_else(|| cannot(path, &"empty registry"))?
        .to_owned();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    // A unit named in any cell but its own id and name is a parent or a ref target: copying it
    // would leave its children pointing at the original only, so only leaves are copied.
    let referenced: HashSet<&str> = rows
        .iter()
        .flat_map(|r| r.iter().skip(2))
        .map(String::as_str)
        .collect();
    let leaves = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.iter().any(|c| c.contains('"')))
        .filter(|(_, r)| {
            r.first()
                .is_some_and(|id| !referenced.contains(id.as_str()))
        })
        .map(|(i, _)| i)
        .collect();
    Ok(Units {
        header,
        rows,
        leaves,
    })
}

fn write_units(units: &Units, copies: u64, path: &Path) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| cannot(path, &e))?;
    let mut out = BufWriter::new(file);
    let mut write = |line: &str| writeln!(out, "{line}").map_err(|e| cannot(path, &e));
    write(&units.header)?;
    for row in &units.rows {
        write(&row.join(","))?;
    }
    if units.leaves.is_empty() && copies > 0 {
        return Err(cannot(
            path,
            &"the template registry has no unit that can be copied",
        ));
    }
    let leaves = units.leaves.len() as u64;
    for k in 0..copies {
        let mut row = units.rows[units.leaves[(k % leaves) as usize]].clone();
        row[0] = copy_id(&row[0], k);
        if let Some(name) = row.get_mut(1) {
            name.push_str(&format!(" {k}"));
        }
        write(&row.join(","))?;
    }
    out.flush().map_err(|e| cannot(path, &e))
}

fn read_templates(path: &Path, exclude: &[String]) -> Result<Vec<Map<String, Value>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| cannot(path, &e))?;
    let all: Vec<Map<String, Value>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| cannot(path, &e)))
        .collect::<Result<_, _>>()?;
    let excluded = |t: &Map<String, Value>| {
        let kind = t.get("kind").and_then(Value::as_str).unwrap_or("");
        exclude.iter().any(|k| k == kind)
    };
    let templates: Vec<_> = all.into_iter().filter(|t| !excluded(t)).collect();
    if templates.is_empty() {
        return Err(cannot(path, &"no template event"));
    }
    Ok(templates)
}

/// The built-in fields first, then every attribute of any template, sorted.
fn csv_columns(templates: &[Map<String, Value>]) -> Vec<String> {
    let builtin = ["id", "time", "kind", "actor", "target", "recorded_at"];
    let attrs: BTreeSet<&str> = templates
        .iter()
        .flat_map(|t| t.keys().map(String::as_str))
        .filter(|k| !builtin.contains(k))
        .collect();
    builtin
        .iter()
        .copied()
        .chain(attrs)
        .map(str::to_owned)
        .collect()
}

fn csv_line(event: &Map<String, Value>, columns: &[String]) -> String {
    let cells: Vec<String> = columns
        .iter()
        .map(|c| match event.get(c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => quote(s),
            Some(other) => quote(&other.to_string()),
        })
        .collect();
    cells.join(",")
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) || cell.trim() != cell {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// SplitMix64: tiny, fast and the same everywhere, which is all a benchmark log needs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` ≥ 1; the modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
