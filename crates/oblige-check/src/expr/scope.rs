//! What a predicate may refer to where it is written.

use crate::model::Who;
use crate::symbols::{Symbols, TypeSym, EVENT_BUILTINS, UNIT_BUILTINS};
use crate::ty::Ty;

/// The place a predicate is written: which qualifiers it may use, and what an unqualified name
/// means there.
#[derive(Clone, Debug)]
pub(crate) struct Scope<'s> {
    /// How the place is called in messages ("a subject filter").
    pub(crate) place: &'static str,
    /// Whose attribute an unqualified name is; `None` where names must be qualified.
    pub(crate) default: Option<Who>,
    /// Who may be named.
    pub(crate) allowed: &'s [Who],
    /// Whether `period.start` / `period.end` mean something here.
    pub(crate) period: bool,
    /// The subject's class (`None` when it is unknown, already reported).
    pub(crate) subject: Option<&'s str>,
    /// The kind of the event being matched.
    pub(crate) event: Option<&'s str>,
    /// The kind of the trigger of a response.
    pub(crate) trigger: Option<&'s str>,
}

/// Where an attribute lookup failed: the names that would have been found.
pub(crate) struct Missing {
    /// "class `企业`", "event kind `会议`", "any class".
    pub(crate) owner: String,
    pub(crate) candidates: Vec<String>,
}

impl Scope<'_> {
    /// Whether `who` may be named here.
    pub(crate) fn allows(&self, who: Who) -> bool {
        self.allowed.contains(&who)
    }

    /// The attribute names of `who`, built-ins first; empty when its class or kind is unknown.
    pub(crate) fn attr_names(&self, syms: &Symbols<'_>, who: Who) -> Vec<String> {
        // No attribute is named "": the lookup fails and lists what would have been found.
        match self.attr(syms, who, "") {
            Err(missing) => missing.candidates,
            Ok(_) => Vec::new(),
        }
    }

    /// The type of `who`'s attribute `name`. `Ok(Unknown)` when the owner itself is unknown.
    pub(crate) fn attr(&self, syms: &Symbols<'_>, who: Who, name: &str) -> Result<Ty, Missing> {
        match who {
            Who::Subject => typed(
                syms.classes.get_opt(self.subject),
                self.subject,
                "class",
                UNIT_BUILTINS,
                name,
            ),
            Who::Event => typed(
                syms.events.get_opt(self.event),
                self.event,
                "event kind",
                EVENT_BUILTINS,
                name,
            ),
            Who::Trigger => typed(
                syms.events.get_opt(self.trigger),
                self.trigger,
                "event kind",
                EVENT_BUILTINS,
                name,
            ),
            Who::Actor | Who::Target => any_class(syms, name),
        }
    }
}

/// `IndexMap::get` for an optional key.
trait GetOpt {
    fn get_opt(&self, key: Option<&str>) -> Option<&TypeSym>;
}

impl GetOpt for indexmap::IndexMap<String, TypeSym> {
    fn get_opt(&self, key: Option<&str>) -> Option<&TypeSym> {
        key.and_then(|k| self.get(k))
    }
}

fn typed(
    sym: Option<&TypeSym>,
    owner: Option<&str>,
    noun: &str,
    builtins: &[(&str, Ty)],
    name: &str,
) -> Result<Ty, Missing> {
    if let Some((_, ty)) = builtins.iter().find(|(b, _)| *b == name) {
        return Ok(ty.clone());
    }
    let Some(sym) = sym else {
        return Ok(Ty::Unknown);
    };
    if let Some(a) = sym.attrs.get(name) {
        return Ok(a.ty.clone());
    }
    Err(Missing {
        owner: format!("{noun} `{}`", owner.unwrap_or_default()),
        candidates: builtins
            .iter()
            .map(|(b, _)| (*b).to_owned())
            .chain(sym.attrs.keys().cloned())
            .collect(),
    })
}

/// An actor or target may be a unit of any class: the attribute is looked up in all of them.
fn any_class(syms: &Symbols<'_>, name: &str) -> Result<Ty, Missing> {
    if let Some((_, ty)) = UNIT_BUILTINS.iter().find(|(b, _)| *b == name) {
        return Ok(ty.clone());
    }
    let mut types = syms.classes.values().filter_map(|c| c.attrs.get(name));
    if let Some(first) = types.next() {
        // Classes that disagree on the type leave it open: the unit's class decides at run time.
        let agreed = types.all(|a| a.ty == first.ty);
        return Ok(if agreed {
            first.ty.clone()
        } else {
            Ty::Unknown
        });
    }
    Err(Missing {
        owner: "any class".to_owned(),
        candidates: UNIT_BUILTINS
            .iter()
            .map(|(b, _)| (*b).to_owned())
            .chain(syms.classes.values().flat_map(|c| c.attrs.keys().cloned()))
            .collect(),
    })
}

/// How a qualifier is written, for messages.
pub(crate) fn who_word(who: Who) -> &'static str {
    match who {
        Who::Subject => "subject",
        Who::Actor => "actor",
        Who::Target => "target",
        Who::Trigger => "trigger",
        Who::Event => "event",
    }
}
