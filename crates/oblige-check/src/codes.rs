//! The stable codes of checker diagnostics, each documented in `docs/diagnostics.md`.
//!
//! Codes are never reused or renumbered: tools and users match on them.

use oblige_diagnostics::Code;

/// No `plan` header in any file.
pub const MISSING_PLAN: Code = Code("E0101");
/// More than one `plan` header.
pub const DUPLICATE_PLAN: Code = Code("E0102");
/// A header field written twice.
pub const DUPLICATE_PLAN_FIELD: Code = Code("E0103");
/// A header without `effective`.
pub const MISSING_EFFECTIVE: Code = Code("E0104");
/// A date range whose end is before its start.
pub const REVERSED_RANGE: Code = Code("E0105");
/// A time zone that is not in the IANA database.
pub const UNKNOWN_TIMEZONE: Code = Code("E0106");
/// A date that does not exist, such as `2023-02-30`.
pub const INVALID_DATE: Code = Code("E0107");
/// A day of the year that does not exist, such as `yearly 02-30`.
pub const INVALID_MONTH_DAY: Code = Code("E0108");

/// Two declarations with the same name in one namespace.
pub const DUPLICATE_NAME: Code = Code("E0110");
/// An attribute declared twice in one class or event kind.
pub const DUPLICATE_ATTRIBUTE: Code = Code("E0111");
/// An enum value listed twice.
pub const DUPLICATE_ENUM_VALUE: Code = Code("E0112");
/// An attribute named like a built-in attribute.
pub const BUILTIN_ATTRIBUTE: Code = Code("E0113");
/// Windows that refer to each other in a cycle.
pub const WINDOW_CYCLE: Code = Code("E0114");
/// More than one `calendar`.
pub const DUPLICATE_CALENDAR: Code = Code("E0115");
/// A `valid … from … to …` state whose attributes are not dates of the event kind.
pub const STATE_NOT_DATE: Code = Code("E0116");

/// A class name that is not declared.
pub const UNKNOWN_CLASS: Code = Code("E0120");
/// An event kind that is not declared.
pub const UNKNOWN_EVENT: Code = Code("E0121");
/// An attribute the class or event kind does not have.
pub const UNKNOWN_ATTRIBUTE: Code = Code("E0122");
/// An attribute type that is neither built in nor a declared enum.
pub const UNKNOWN_TYPE: Code = Code("E0123");
/// A value that is not one of its enum's values.
pub const UNKNOWN_ENUM_VALUE: Code = Code("E0124");
/// A window that is not declared.
pub const UNKNOWN_WINDOW: Code = Code("E0125");
/// A parameter that is not declared.
pub const UNKNOWN_PARAM: Code = Code("E0126");
/// A finding that is not declared.
pub const UNKNOWN_FINDING: Code = Code("E0127");
/// A state that is not declared.
pub const UNKNOWN_STATE: Code = Code("E0128");
/// A rule id (in `violated`) that is not declared.
pub const UNKNOWN_RULE: Code = Code("E0129");
/// An unqualified name in a predicate that is no attribute, enum value or parameter.
pub const UNKNOWN_NAME: Code = Code("E0130");

/// Two sides of a comparison or membership test with different types.
pub const TYPE_MISMATCH: Code = Code("E0140");
/// `<`, `<=`, `>`, `>=` on a type without an order.
pub const UNORDERED_COMPARISON: Code = Code("E0141");
/// A bare value used as a condition that is not a `bool`.
pub const NOT_A_CONDITION: Code = Code("E0142");
/// A qualifier or period bound that means nothing where it is written.
pub const QUALIFIER_NOT_AVAILABLE: Code = Code("E0143");
/// A parameter of the wrong kind: a duration used as a count, or the other way round.
pub const WRONG_PARAM_KIND: Code = Code("E0144");

/// A filter whose constraints on one attribute can never all hold.
pub const CONTRADICTORY_FILTER: Code = Code("E0150");
/// A response deadline of zero.
pub const ZERO_DEADLINE: Code = Code("E0151");
/// `working days` without a `calendar`.
pub const NO_CALENDAR: Code = Code("E0152");
/// A rule that gives a finding on its own violation, directly or through other rules.
pub const VIOLATION_CYCLE: Code = Code("E0153");
/// `per W` where the window `W` has no day inside the effective range.
pub const EMPTY_PERIOD_WINDOW: Code = Code("E0154");
/// `hold … on` a date outside the effective range.
pub const DATE_OUTSIDE_PLAN: Code = Code("E0155");
/// `severity`, `weight` or `quote` written twice in one rule.
pub const DUPLICATE_META: Code = Code("E0156");

/// A plan issued after its effective range ends.
pub const ISSUED_AFTER_END: Code = Code("W0101");
/// A window or exemption time with no day inside the effective range.
pub const WINDOW_OUTSIDE_PLAN: Code = Code("W0102");
/// `at most 0` or `exactly 0`, which `forbid` says more plainly.
pub const USE_FORBID: Code = Code("W0103");
/// A finding tested by `has finding` that no rule gives.
pub const FINDING_NEVER_GIVEN: Code = Code("W0104");
/// A rule that cites neither an `article` nor a `quote` of its source.
pub const NO_CITATION: Code = Code("W0105");
/// A declaration that nothing refers to.
pub const UNUSED: Code = Code("W0106");
/// `at least 0`, which every subject meets without doing anything.
pub const ALWAYS_MET: Code = Code("W0107");
/// An exemption with neither `where` nor `during`: it exempts every subject in every period.
pub const EXEMPTS_EVERYTHING: Code = Code("W0108");

/// Every code of this crate, in order; the documentation test walks it.
pub const ALL: &[Code] = &[
    MISSING_PLAN,
    DUPLICATE_PLAN,
    DUPLICATE_PLAN_FIELD,
    MISSING_EFFECTIVE,
    REVERSED_RANGE,
    UNKNOWN_TIMEZONE,
    INVALID_DATE,
    INVALID_MONTH_DAY,
    DUPLICATE_NAME,
    DUPLICATE_ATTRIBUTE,
    DUPLICATE_ENUM_VALUE,
    BUILTIN_ATTRIBUTE,
    WINDOW_CYCLE,
    DUPLICATE_CALENDAR,
    STATE_NOT_DATE,
    UNKNOWN_CLASS,
    UNKNOWN_EVENT,
    UNKNOWN_ATTRIBUTE,
    UNKNOWN_TYPE,
    UNKNOWN_ENUM_VALUE,
    UNKNOWN_WINDOW,
    UNKNOWN_PARAM,
    UNKNOWN_FINDING,
    UNKNOWN_STATE,
    UNKNOWN_RULE,
    UNKNOWN_NAME,
    TYPE_MISMATCH,
    UNORDERED_COMPARISON,
    NOT_A_CONDITION,
    QUALIFIER_NOT_AVAILABLE,
    WRONG_PARAM_KIND,
    CONTRADICTORY_FILTER,
    ZERO_DEADLINE,
    NO_CALENDAR,
    VIOLATION_CYCLE,
    EMPTY_PERIOD_WINDOW,
    DATE_OUTSIDE_PLAN,
    DUPLICATE_META,
    ISSUED_AFTER_END,
    WINDOW_OUTSIDE_PLAN,
    USE_FORBID,
    FINDING_NEVER_GIVEN,
    NO_CITATION,
    UNUSED,
    ALWAYS_MET,
    EXEMPTS_EVERYTHING,
];
