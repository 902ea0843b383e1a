//! Every way input data can be wrong, each naming the file, line and field it is about.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// Where a data error is: file, 1-based line, and the column name or JSON key if there is one.
///
/// Strings are boxed slices so that a [`DataError`] stays small: it travels in the `Result` of
/// every event line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// File name as given.
    pub file: Box<str>,
    /// 1-based line (for CSV: the line the record starts on).
    pub line: u64,
    /// Column name (CSV) or key (JSON) the error is about.
    pub field: Option<Box<str>>,
}

impl Location {
    /// A location without a field.
    pub fn new(file: impl Into<Box<str>>, line: u64) -> Self {
        Self {
            file: file.into(),
            line,
            field: None,
        }
    }

    /// The same location, about `field`.
    #[must_use]
    pub fn field(&self, field: impl Into<Box<str>>) -> Self {
        Self {
            field: Some(field.into()),
            ..self.clone()
        }
    }
}

/// Something an error can cite: a [`Location`], or an [`At`] that builds one only when an error
/// is made.
pub(crate) trait Cite {
    /// The location to put in an error.
    fn location(&self) -> Location;
}

impl Cite for Location {
    fn location(&self) -> Location {
        self.clone()
    }
}

/// A line, or a field of it, borrowed: the event reader checks several fields of every line and
/// an owned [`Location`] for each would cost allocations on lines that have no error.
#[derive(Clone, Copy, Debug)]
pub(crate) struct At<'a> {
    file: &'a str,
    line: u64,
    field: Option<&'a str>,
}

impl<'a> At<'a> {
    /// A line without a field.
    pub(crate) fn new(file: &'a str, line: u64) -> Self {
        Self {
            file,
            line,
            field: None,
        }
    }

    /// The same line, about `field`.
    pub(crate) fn field(self, field: &'a str) -> Self {
        Self {
            field: Some(field),
            ..self
        }
    }
}

impl Cite for At<'_> {
    fn location(&self) -> Location {
        Location {
            file: self.file.into(),
            line: self.line,
            field: self.field.map(Into::into),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        match &self.field {
            Some(field) => write!(f, ": field `{field}`"),
            None => Ok(()),
        }
    }
}

/// An error in a registry or an event log.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("cannot read `{file}`: {source}")]
    Io {
        /// File name.
        file: String,
        /// The cause.
        #[source]
        source: Arc<std::io::Error>,
    },
    /// The file name has no extension that says its format.
    #[error("`{file}` has no known data format: use `.csv`, `.jsonl` or `.ndjson`")]
    UnknownFormat {
        /// File name.
        file: String,
    },
    /// A CSV record that cannot be read.
    #[error("{at}: malformed csv: {message}")]
    MalformedCsv {
        /// Where.
        at: Location,
        /// What the CSV parser said.
        message: String,
    },
    /// A JSON line that cannot be read.
    #[error("{at}: malformed json: {message}")]
    MalformedJson {
        /// Where.
        at: Location,
        /// What the JSON parser said.
        message: String,
    },
    /// A required field is absent or empty.
    #[error("{at}: required value is missing")]
    MissingField {
        /// Where; the field is the missing one.
        at: Location,
    },
    /// A CSV header names the same column twice.
    #[error("{at}: column `{column}` appears twice")]
    DuplicateColumn {
        /// Where.
        at: Location,
        /// The column.
        column: String,
    },
    /// A column (or JSON key) that is neither built in nor an attribute of any class.
    #[error("{at}: unknown column `{column}`: not a built-in field nor an attribute of any class{}", hint(.suggestion))]
    UnknownColumn {
        /// Where.
        at: Location,
        /// The column.
        column: String,
        /// A close known column.
        suggestion: Option<String>,
    },
    /// A unit class the plan does not declare.
    #[error("{at}: unknown class `{name}`{}", hint(.suggestion))]
    UnknownClass {
        /// Where.
        at: Location,
        /// The class as written.
        name: String,
        /// A close declared class.
        suggestion: Option<String>,
    },
    /// Two units with one id.
    #[error("{at}: duplicate unit id `{id}` (first on line {first_line})")]
    DuplicateUnit {
        /// Where the second one is.
        at: Location,
        /// The id.
        id: String,
        /// Line of the first one.
        first_line: u64,
    },
    /// A parent id that is not in the registry.
    #[error("{at}: parent `{parent}` is not in the registry")]
    MissingParent {
        /// Where.
        at: Location,
        /// The parent id.
        parent: String,
    },
    /// Units that are their own ancestors.
    #[error("{at}: parent cycle: {}", cycle_text(.cycle))]
    ParentCycle {
        /// Where the first unit of the cycle (in file order) is.
        at: Location,
        /// The ids in the cycle, starting and ending with the same one.
        cycle: Vec<String>,
    },
    /// A value that does not have the declared type.
    #[error("{at}: expected {expected}, found `{value}`")]
    WrongType {
        /// Where.
        at: Location,
        /// The value as written.
        value: String,
        /// The expected type, in words.
        expected: String,
    },
    /// An enum attribute whose value is not one of the enum's.
    #[error("{at}: `{value}` is not a value of enum `{enum_name}`{}", hint(.suggestion))]
    NotInEnum {
        /// Where.
        at: Location,
        /// The value as written.
        value: String,
        /// The enum.
        enum_name: String,
        /// A close value.
        suggestion: Option<String>,
    },
    /// A `ref` attribute naming a unit that is not in the registry.
    #[error("{at}: `{id}` is not in the registry (expected a unit of class `{class}`)")]
    MissingRef {
        /// Where.
        at: Location,
        /// The id.
        id: String,
        /// The class the attribute refers to.
        class: String,
    },
    /// A `ref` attribute naming a unit of another class.
    #[error("{at}: `{id}` is a unit of class {}, not `{class}`", names(.actual))]
    RefWrongClass {
        /// Where.
        at: Location,
        /// The id.
        id: String,
        /// The class the attribute refers to.
        class: String,
        /// The classes the unit has.
        actual: Vec<String>,
    },
    /// A unit attribute that none of the unit's classes declares.
    #[error("{at}: attribute `{attr}` is not declared by class {}", names(.classes))]
    UndeclaredUnitAttr {
        /// Where.
        at: Location,
        /// The attribute.
        attr: String,
        /// The unit's classes.
        classes: Vec<String>,
    },
    /// An event attribute that its (declared) kind does not declare.
    #[error("{at}: attribute `{attr}` is not declared by event `{kind}`{}", hint(.suggestion))]
    UndeclaredEventAttr {
        /// Where.
        at: Location,
        /// The attribute.
        attr: String,
        /// The event kind.
        kind: String,
        /// A close declared attribute.
        suggestion: Option<String>,
    },
    /// `active_to` before `active_from`.
    #[error("{at}: `active_to` {to} is before `active_from` {from}")]
    InvalidActiveRange {
        /// Where.
        at: Location,
        /// First day.
        from: chrono::NaiveDate,
        /// Last day.
        to: chrono::NaiveDate,
    },
    /// A time in none of the accepted formats.
    #[error("{at}: expected a time (`2023-05-04T09:30:00+08:00`, `2023-05-04 09:30` or `2023-05-04`), found `{value}`")]
    BadTime {
        /// Where.
        at: Location,
        /// The value as written.
        value: String,
    },
    /// A local time that happens twice in the plan's time zone.
    #[error("{at}: local time `{value}` is ambiguous in `{tz}` (clocks go back); give an offset")]
    AmbiguousTime {
        /// Where.
        at: Location,
        /// The value as written.
        value: String,
        /// The plan's time zone.
        tz: String,
    },
    /// A local time that never happens in the plan's time zone.
    #[error(
        "{at}: local time `{value}` does not exist in `{tz}` (clocks go forward); give an offset"
    )]
    NonexistentTime {
        /// Where.
        at: Location,
        /// The value as written.
        value: String,
        /// The plan's time zone.
        tz: String,
    },
    /// Two events with one id.
    #[error("{at}: duplicate event id `{id}` (first at {first})")]
    DuplicateEvent {
        /// Where the second one is.
        at: Location,
        /// The id.
        id: String,
        /// `file:line` of the first one.
        first: String,
    },
}

impl DataError {
    /// Where the error is, if it is about a line.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Self::Io { .. } | Self::UnknownFormat { .. } => None,
            Self::MalformedCsv { at, .. }
            | Self::MalformedJson { at, .. }
            | Self::MissingField { at }
            | Self::DuplicateColumn { at, .. }
            | Self::UnknownColumn { at, .. }
            | Self::UnknownClass { at, .. }
            | Self::DuplicateUnit { at, .. }
            | Self::MissingParent { at, .. }
            | Self::ParentCycle { at, .. }
            | Self::WrongType { at, .. }
            | Self::NotInEnum { at, .. }
            | Self::MissingRef { at, .. }
            | Self::RefWrongClass { at, .. }
            | Self::UndeclaredUnitAttr { at, .. }
            | Self::UndeclaredEventAttr { at, .. }
            | Self::InvalidActiveRange { at, .. }
            | Self::BadTime { at, .. }
            | Self::AmbiguousTime { at, .. }
            | Self::NonexistentTime { at, .. }
            | Self::DuplicateEvent { at, .. } => Some(at),
        }
    }

    /// A short stable name of the kind of error, used to count skipped lines by reason.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Io { .. } => "io",
            Self::UnknownFormat { .. } => "unknown format",
            Self::MalformedCsv { .. } => "malformed csv",
            Self::MalformedJson { .. } => "malformed json",
            Self::MissingField { .. } => "missing field",
            Self::DuplicateColumn { .. } => "duplicate column",
            Self::UnknownColumn { .. } => "unknown column",
            Self::UnknownClass { .. } => "unknown class",
            Self::DuplicateUnit { .. } => "duplicate unit",
            Self::MissingParent { .. } => "missing parent",
            Self::ParentCycle { .. } => "parent cycle",
            Self::WrongType { .. } => "wrong type",
            Self::NotInEnum { .. } => "not in enum",
            Self::MissingRef { .. } => "missing ref",
            Self::RefWrongClass { .. } => "ref of wrong class",
            Self::UndeclaredUnitAttr { .. } | Self::UndeclaredEventAttr { .. } => {
                "undeclared attribute"
            }
            Self::InvalidActiveRange { .. } => "invalid active range",
            Self::BadTime { .. } => "bad time",
            Self::AmbiguousTime { .. } => "ambiguous time",
            Self::NonexistentTime { .. } => "nonexistent time",
            Self::DuplicateEvent { .. } => "duplicate event",
        }
    }

    /// Whether the error concerns one line only, so that reading can go on after it.
    pub fn is_line_error(&self) -> bool {
        self.location().is_some()
    }

    pub(crate) fn io(file: &str, source: std::io::Error) -> Self {
        Self::Io {
            file: file.to_owned(),
            source: Arc::new(source),
        }
    }
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(", did you mean `{s}`?"),
        None => String::new(),
    }
}

fn names(list: &[String]) -> String {
    let quoted: Vec<String> = list.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

fn cycle_text(cycle: &[String]) -> String {
    let quoted: Vec<String> = cycle.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(" → ")
}
