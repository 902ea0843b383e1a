//! Loading a plan: a `.rule` file or a folder of them, following `include`s.
//!
//! Files are read through a [`SourceLoader`] so that embedders can load plans from memory. Every
//! file is loaded once; a file's includes are loaded right after it, depth first. A path that
//! cannot be read at all (the root) gets an empty entry in the [`SourceMap`] so that its
//! diagnostic has a file to point at (line 1, column 1).

use crate::ast::{Item, SourceUnit, Str};
use crate::codes;
use oblige_diagnostics::{sort_diagnostics, Diagnostic, FileId, SourceMap, Span};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Where the text of a plan comes from.
pub trait SourceLoader {
    /// The text of the file at `path`.
    fn read(&self, path: &Path) -> io::Result<String>;

    /// The `*.rule` files under `dir`, recursively, if `dir` is a folder; `Ok(None)` if it is not
    /// one (then it is read as a file).
    fn rule_files(&self, dir: &Path) -> io::Result<Option<Vec<PathBuf>>> {
        let _ = dir;
        Ok(None)
    }
}

/// Reads plans from the file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct FsLoader;

impl SourceLoader for FsLoader {
    fn read(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn rule_files(&self, dir: &Path) -> io::Result<Option<Vec<PathBuf>>> {
        let probe = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if !probe.is_dir() {
            return Ok(None);
        }
        let mut out = Vec::new();
        walk(dir, &mut out)?;
        Ok(Some(out))
    }
}

/// Collects `*.rule` files under `dir`. Symbolic links to folders are not followed, so a link
/// cycle cannot make this loop.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let probe = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    for entry in std::fs::read_dir(probe)? {
        let entry = entry?;
        let path = dir.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rule") {
            out.push(path);
        }
    }
    Ok(())
}

/// Plans held in memory: file paths and their text.
#[derive(Clone, Debug, Default)]
pub struct MapLoader {
    files: BTreeMap<PathBuf, String>,
}

impl MapLoader {
    /// An empty set of files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(normalize(&path.into()), text.into());
    }
}

impl<P: Into<PathBuf>, T: Into<String>> FromIterator<(P, T)> for MapLoader {
    fn from_iter<I: IntoIterator<Item = (P, T)>>(iter: I) -> Self {
        let mut loader = Self::new();
        for (p, t) in iter {
            loader.insert(p, t);
        }
        loader
    }
}

impl SourceLoader for MapLoader {
    fn read(&self, path: &Path) -> io::Result<String> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn rule_files(&self, dir: &Path) -> io::Result<Option<Vec<PathBuf>>> {
        let dir = normalize(dir);
        if self.files.contains_key(&dir) {
            return Ok(None);
        }
        let files: Vec<PathBuf> = self
            .files
            .keys()
            .filter(|p| p.starts_with(&dir) && p.extension().is_some_and(|e| e == "rule"))
            .cloned()
            .collect();
        Ok((!files.is_empty()).then_some(files))
    }
}

/// A loaded plan.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every file read, named by its path as the user would write it from the current folder.
    pub sources: SourceMap,
    /// The parsed files, in load order.
    pub units: Vec<(FileId, SourceUnit)>,
    /// Syntax and loading diagnostics of all files, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the plan at `root` (a `.rule` file or a folder) from the file system.
pub fn load(root: &Path) -> Loaded {
    load_with(&FsLoader, root)
}

/// Loads the plan at `root` through `loader`. A folder's `*.rule` files are loaded in path order,
/// each followed by the files it includes.
pub fn load_with(loader: &dyn SourceLoader, root: &Path) -> Loaded {
    let root = normalize(root);
    let mut l = Loader {
        loader,
        folder: root.clone(),
        out: Loaded::default(),
        loaded: HashMap::new(),
        stack: Vec::new(),
    };
    match loader.rule_files(&root) {
        Ok(Some(mut files)) => {
            files.sort();
            for f in files {
                l.file(&normalize(&f), None);
            }
        }
        Ok(None) => {
            l.folder = root.parent().map(Path::to_path_buf).unwrap_or_default();
            l.file(&root, None);
        }
        Err(e) => l.unreadable_root(&root, &e),
    }
    sort_diagnostics(&mut l.out.diagnostics);
    l.out
}

struct Loader<'a> {
    loader: &'a dyn SourceLoader,
    /// The plan's folder; includes must stay inside it.
    folder: PathBuf,
    out: Loaded,
    loaded: HashMap<PathBuf, FileId>,
    /// Files whose includes are being loaded, outermost first.
    stack: Vec<PathBuf>,
}

impl Loader<'_> {
    /// Loads `path` unless it is loaded already; `from` is the include string that named it.
    fn file(&mut self, path: &Path, from: Option<&Str>) {
        if self.loaded.contains_key(path) {
            if let (Some(from), Some(i)) = (from, self.stack.iter().position(|p| p == path)) {
                self.cycle(from, i, path);
            }
            return;
        }
        let text = match self.loader.read(path) {
            Ok(text) => text,
            Err(e) => {
                match from {
                    Some(from) => self.unreadable_include(from, path, &e),
                    None => self.unreadable_root(path, &e),
                }
                return;
            }
        };
        let id = self.out.sources.add(display(path), text.as_str());
        self.loaded.insert(path.to_path_buf(), id);
        let parsed = crate::parse(id, &text);
        self.out.diagnostics.extend(parsed.diagnostics);
        let includes: Vec<Str> = parsed
            .unit
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Include(inc) => Some(inc.path.clone()),
                _ => None,
            })
            .collect();
        self.out.units.push((id, parsed.unit));
        self.stack.push(path.to_path_buf());
        for inc in includes {
            match self.resolve(path, &inc) {
                Ok(target) => self.file(&target, Some(&inc)),
                Err(d) => self.out.diagnostics.push(*d),
            }
        }
        self.stack.pop();
    }

    /// The file an include names, if it stays inside the plan's folder.
    fn resolve(&self, including: &Path, inc: &Str) -> Result<PathBuf, Box<Diagnostic>> {
        let written = Path::new(&inc.value);
        if written.has_root() || written.is_absolute() {
            return Err(Box::new(
                Diagnostic::error(
                    codes::INCLUDE_OUTSIDE_PLAN,
                    inc.span,
                    format!("include path `{}` is absolute", inc.value),
                )
                .with_label("absolute path")
                .with_help("write the path relative to the including file"),
            ));
        }
        let base = including.parent().unwrap_or(Path::new(""));
        let target = normalize(&base.join(written));
        let inside = target
            .strip_prefix(&self.folder)
            .is_ok_and(|rest| !rest.components().any(|c| c == Component::ParentDir));
        if !inside {
            return Err(Box::new(
                Diagnostic::error(
                    codes::INCLUDE_OUTSIDE_PLAN,
                    inc.span,
                    format!(
                        "include path `{}` leaves the plan's folder `{}`",
                        inc.value,
                        folder_name(&self.folder)
                    ),
                )
                .with_label("outside the plan")
                .with_help("a plan may only include files inside its own folder"),
            ));
        }
        Ok(target)
    }

    fn cycle(&mut self, from: &Str, i: usize, path: &Path) {
        let chain: Vec<String> = self
            .stack
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .chain(std::iter::once(&path.to_path_buf()))
            .map(|p| format!("`{}`", display(p)))
            .collect();
        self.out.diagnostics.push(
            Diagnostic::error(
                codes::INCLUDE_CYCLE,
                from.span,
                format!("include cycle: {}", chain.join(" → ")),
            )
            .with_label("this include leads back to a file that is still being loaded")
            .with_help("remove one of the includes; each file needs to be included only once"),
        );
    }

    fn unreadable_include(&mut self, from: &Str, path: &Path, e: &io::Error) {
        let d = if e.kind() == io::ErrorKind::NotFound {
            Diagnostic::error(
                codes::INCLUDE_NOT_FOUND,
                from.span,
                format!("cannot find included file `{}`", display(path)),
            )
            .with_label("no such file")
            .with_help("include paths are relative to the file that includes them")
        } else {
            Diagnostic::error(
                codes::UNREADABLE_FILE,
                from.span,
                format!(
                    "cannot read included file `{}`: {}",
                    display(path),
                    io_text(e)
                ),
            )
        };
        self.out.diagnostics.push(d);
    }

    fn unreadable_root(&mut self, path: &Path, e: &io::Error) {
        let id = self.out.sources.add(display(path), "");
        self.out.diagnostics.push(Diagnostic::error(
            codes::UNREADABLE_FILE,
            Span::new(id, 0, 0),
            format!("cannot read `{}`: {}", display(path), io_text(e)),
        ));
    }
}

/// An I/O error in the lowercase style of every other message.
fn io_text(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::InvalidData => "the file is not valid UTF-8 text".to_owned(),
        _ => {
            let text = e.to_string();
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// `path` with `.` removed and `a/..` folded, without touching the file system: how the loader
/// names the files of a plan.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn folder_name(folder: &Path) -> String {
    if folder.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        display(folder)
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::Path;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("./a/b/../c.rule")),
            Path::new("a/c.rule")
        );
        assert_eq!(normalize(Path::new("../a/./b")), Path::new("../a/b"));
        assert_eq!(normalize(Path::new("a/../../b")), Path::new("../b"));
        assert_eq!(normalize(Path::new("/../a")), Path::new("/a"));
    }
}
