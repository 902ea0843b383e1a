//! Finding the `.rule` files named on the command line.

use std::path::{Path, PathBuf};

/// The `.rule` files at `paths`: files as given, folders searched recursively; sorted, unique.
pub fn rule_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        } else if path.exists() {
            found.push(path.clone());
        } else {
            return Err(format!("no such file or folder: `{}`", path.display()));
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "rule") {
            found.push(path);
        }
    }
    Ok(())
}
