//! The stable codes of syntax and loading diagnostics, documented in `docs/diagnostics.md`.

use oblige_diagnostics::Code;

/// A token the grammar does not allow at this place; the message lists what would be allowed.
pub const UNEXPECTED_TOKEN: Code = Code("E0001");
/// A string whose closing quote is missing before the end of the line.
pub const UNTERMINATED_STRING: Code = Code("E0002");
/// A `/*` comment without its `*/`.
pub const UNTERMINATED_COMMENT: Code = Code("E0003");
/// A date or day of the year not written as `YYYY-MM-DD` or `MM-DD`.
pub const INVALID_DATE: Code = Code("E0004");
/// A number that is not a whole number in range (`1.5`, `-3`, 99999999999999999999).
pub const INVALID_NUMBER: Code = Code("E0005");
/// A keyword written where a name is expected; keywords are reserved.
pub const KEYWORD_AS_NAME: Code = Code("E0006");
/// A name that swallowed a keyword because no space separates them (`一且一`).
pub const GLUED_KEYWORD: Code = Code("E0007");
/// A word that is not a keyword but looks like a misspelled one.
pub const MISSPELLED_KEYWORD: Code = Code("E0008");
/// A character the language does not use, such as a full-width form it does not accept.
pub const UNEXPECTED_CHARACTER: Code = Code("E0009");
/// A bracket without its partner: an unclosed `{`, a stray `)`, a `(` closed by `]`.
pub const UNBALANCED_BRACKET: Code = Code("E0010");
/// A backslash escape in a string other than `\"`, `\\`, `\n`.
pub const INVALID_ESCAPE: Code = Code("E0011");
/// Brackets nested deeper than the parser accepts.
pub const TOO_DEEP: Code = Code("E0012");
/// A window named `month`, `quarter` or `year`: `per month` always means the calendar period.
pub const WINDOW_NAMED_LIKE_A_PERIOD: Code = Code("E0013");
/// A file or folder of the plan that cannot be read.
pub const UNREADABLE_FILE: Code = Code("E0020");
/// An `include` path that is absolute or leaves the plan's folder.
pub const INCLUDE_OUTSIDE_PLAN: Code = Code("E0021");
/// Files that include each other in a cycle.
pub const INCLUDE_CYCLE: Code = Code("E0022");
/// An `include` of a file that does not exist.
pub const INCLUDE_NOT_FOUND: Code = Code("E0023");

/// Every code of this crate, in order; the documentation test walks it.
pub const ALL: &[Code] = &[
    UNEXPECTED_TOKEN,
    UNTERMINATED_STRING,
    UNTERMINATED_COMMENT,
    INVALID_DATE,
    INVALID_NUMBER,
    KEYWORD_AS_NAME,
    GLUED_KEYWORD,
    MISSPELLED_KEYWORD,
    UNEXPECTED_CHARACTER,
    UNBALANCED_BRACKET,
    INVALID_ESCAPE,
    TOO_DEEP,
    WINDOW_NAMED_LIKE_A_PERIOD,
    UNREADABLE_FILE,
    INCLUDE_OUTSIDE_PLAN,
    INCLUDE_CYCLE,
    INCLUDE_NOT_FOUND,
];
