//! The plan's event kinds as a reader types attributes by them: each kind's declaration with
//! its enums looked up once, and the attribute map last filled for the kind, lent to the next
//! event of that kind so that its keys and text buffers are reused rather than allocated again.

use super::fields::Attr;
use crate::error::{At, Cite, DataError};
use crate::time::Zone;
use crate::value::{check_enum, coerce_into, set_string, suggest, Scalar};
use indexmap::IndexMap;
use oblige_check::model::{AttrType, Attrs, Lit, Plan};
use std::collections::HashMap;

/// An event's attributes, typed.
pub(crate) type AttrMap = IndexMap<String, Lit>;

/// Per-kind state of one reader.
pub(crate) struct Kinds<'p> {
    plan: &'p Plan,
    /// One per kind of `plan.events`, in its order, then one for all undeclared kinds.
    kinds: Vec<Kind<'p>>,
    /// The index of each declared kind in `plan.events`, hashed faster than by its own map.
    index: HashMap<&'p str, usize, foldhash::fast::RandomState>,
    /// The kind whose map the event filled last holds, if it was filled by this reader.
    lent: Option<usize>,
    /// The target of an event before one without a target, for the next event with one.
    target: String,
    /// The plan's time zone, in which local event times are read.
    zone: Zone,
}

struct Kind<'p> {
    decl: Option<&'p Attrs>,
    /// The values of each declared attribute that is an enum, by declaration index.
    enums: Vec<Option<&'p [String]>>,
    /// The declaration index of each attribute of the kind's last line, in line order: lines of
    /// a kind mostly name the same attributes, and comparing a name costs less than hashing it.
    last: Vec<usize>,
    /// The map of the kind's last event, while another kind's event holds the lent one.
    spare: AttrMap,
}

impl<'p> Kinds<'p> {
    pub(crate) fn new(plan: &'p Plan) -> Self {
        let declared = plan.events.values().map(|decl| Kind {
            decl: Some(decl),
            enums: decl
                .values()
                .map(|ty| match ty {
                    AttrType::Enum(name) => plan.enums.get(name).map(Vec::as_slice),
                    _ => None,
                })
                .collect(),
            last: Vec::new(),
            spare: AttrMap::new(),
        });
        let undeclared = Kind {
            decl: None,
            enums: Vec::new(),
            last: Vec::new(),
            spare: AttrMap::new(),
        };
        Self {
            plan,
            kinds: declared.chain([undeclared]).collect(),
            index: plan
                .events
                .keys()
                .enumerate()
                .map(|(i, kind)| (kind.as_str(), i))
                .collect(),
            lent: None,
            target: String::new(),
            zone: Zone::new(plan.header.timezone),
        }
    }

    /// The plan's time zone, in which local event times are read.
    pub(crate) fn zone(&mut self) -> &mut Zone {
        &mut self.zone
    }

    /// The buffer of `target`, given the one kept by [`Kinds::keep_target`] if it has none.
    pub(crate) fn target_buffer<'t>(&mut self, target: &'t mut Option<String>) -> &'t mut String {
        target.get_or_insert_with(|| std::mem::take(&mut self.target))
    }

    /// Empties `target`, keeping its buffer for the next event with a target.
    pub(crate) fn keep_target(&mut self, target: &mut Option<String>) {
        if let Some(buf) = target.take() {
            self.target = buf;
        }
    }

    /// Types the attributes of an event of `kind` into `map`, which ends up with exactly the
    /// present ones, in line order. A kind the plan does not declare keeps its attributes as
    /// text, because the evaluator reports such events rather than this reader.
    pub(crate) fn fill(
        &mut self,
        kind: &str,
        attrs: &[Attr<'_>],
        at: At<'_>,
        map: &mut AttrMap,
    ) -> Result<(), DataError> {
        // A line without attributes into a map left empty: nothing to type and nothing to
        // lend. Logs written by scripts are mostly such lines (id, time, kind, actor), where
        // finding the kind and swapping maps cost some 150 instructions a line.
        if attrs.is_empty() && map.is_empty() {
            return Ok(());
        }
        let undeclared = self.plan.events.len();
        let index = self.index.get(kind).copied().unwrap_or(undeclared);
        self.lend(index, map);
        let plan = self.plan;
        let Some(this) = self.kinds.get_mut(index) else {
            return Ok(());
        };
        // Entries `..filled` of `map` hold this line's attributes; past them are the last
        // line's, overwritten in place while the names repeat in the same order.
        let mut filled = 0;
        let present = attrs.iter().filter(|(_, v)| !v.is_absent());
        for (position, (name, value)) in present.enumerate() {
            let name: &str = name;
            let typing = Typing {
                plan,
                kind,
                position,
                name,
                at: at.field(name),
            };
            match map
                .get_index_mut(filled)
                .filter(|(key, _)| key.as_str() == name)
            {
                Some((_, lit)) => {
                    this.type_into(&typing, value, lit)?;
                    filled += 1;
                }
                None => {
                    map.truncate(filled);
                    let mut lit = Lit::Bool(false);
                    this.type_into(&typing, value, &mut lit)?;
                    // A name repeated within the line keeps its first place and its last value.
                    map.insert(name.to_owned(), lit);
                    filled = map.len();
                }
            }
        }
        map.truncate(filled);
        Ok(())
    }

    /// Puts the spare map of kind `index` into `map`, keeping the map `map` held as the spare
    /// of the kind it was filled for.
    fn lend(&mut self, index: usize, map: &mut AttrMap) {
        if self.lent == Some(index) {
            return;
        }
        // Swapped rather than taken: a map taken leaves a new one behind, which seeds a hasher
        // (a thread-local read) and is dropped later, at nearly every line of a mixed log.
        if let Some(last) = self.lent.and_then(|i| self.kinds.get_mut(i)) {
            std::mem::swap(&mut last.spare, map);
        }
        if let Some(kind) = self.kinds.get_mut(index) {
            std::mem::swap(&mut kind.spare, map);
        }
        self.lent = Some(index);
    }
}

/// One attribute being typed, and what its errors cite.
struct Typing<'a> {
    plan: &'a Plan,
    kind: &'a str,
    /// Its place among the line's present attributes.
    position: usize,
    name: &'a str,
    at: At<'a>,
}

impl Kind<'_> {
    fn type_into(
        &mut self,
        t: &Typing<'_>,
        value: &Scalar<'_>,
        lit: &mut Lit,
    ) -> Result<(), DataError> {
        let Some(decl) = self.decl else {
            set_string(lit, &value.text(), Lit::Text);
            return Ok(());
        };
        let hinted = self.last.get(t.position).and_then(|&i| {
            decl.get_index(i)
                .filter(|(key, _)| key.as_str() == t.name)
                .map(|(_, ty)| (i, ty))
        });
        let found = hinted.or_else(|| decl.get_full(t.name).map(|(i, _, ty)| (i, ty)));
        let Some((index, ty)) = found else {
            return Err(DataError::UndeclaredEventAttr {
                at: t.at.location(),
                attr: t.name.to_owned(),
                kind: t.kind.to_owned(),
                suggestion: suggest(t.name, decl.keys().map(String::as_str)),
            });
        };
        match self.last.get_mut(t.position) {
            Some(last) => *last = index,
            None => self.last.push(index),
        }
        coerce_into(value, ty, &t.at, lit)?;
        if let (AttrType::Enum(name), Lit::Enum(v)) = (ty, &*lit) {
            let values = self.enums.get(index).copied().flatten();
            if !values.is_none_or(|values| values.iter().any(|known| known == v)) {
                if let Some(err) = check_enum(t.plan, name, v, &t.at) {
                    return Err(err);
                }
            }
        }
        Ok(())
    }
}
