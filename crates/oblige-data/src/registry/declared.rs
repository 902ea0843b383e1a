//! What the plan declares for a unit's attributes, found once per list of classes and attribute
//! name rather than for every unit: hashing each unit's class and attribute names in the plan's
//! tables was most of the time spent checking a large registry.

use oblige_check::model::{AttrType, Attrs, Plan};
use std::collections::HashMap;
use std::sync::Arc;

/// How many attribute names a list of classes keeps what it declares for.
const NAMES_KEPT: usize = 64;

/// The plan's declarations for each list of classes met so far.
pub(super) struct Declared<'p> {
    plan: &'p Plan,
    lists: Vec<ForClasses<'p>>,
    /// The position in `lists` of each list of classes.
    positions: HashMap<Vec<String>, usize, foldhash::fast::RandomState>,
    /// The list found last: units of one list tend to come together.
    last: usize,
}

/// What the plan declares for the units of one list of classes.
pub(super) struct ForClasses<'p> {
    plan: &'p Plan,
    classes: Vec<String>,
    /// The declarations of those of the classes the plan has, in the list's order.
    decls: Vec<&'p Attrs>,
    /// Whether the list has a class and the plan declares them all.
    pub(super) all_known: bool,
    /// Each attribute name met so far, with what the list declares for it. Units share their
    /// attribute names, so a name is found by pointer nearly always; by text otherwise.
    attrs: Vec<(Arc<str>, Declaration<'p>)>,
    /// Where in `attrs` to look first: after the name found last, as units of a list tend to
    /// have the same attributes in the same order.
    next: usize,
}

/// What a list of classes declares for one attribute name.
#[derive(Clone, Copy, Debug)]
pub(super) struct Declaration<'p> {
    /// Its type as the first class of the list that declares it says; `None`: undeclared.
    pub(super) ty: Option<&'p AttrType>,
    /// The values of its enum, if it is an enum the plan has; empty otherwise.
    pub(super) values: &'p [String],
}

impl<'p> Declared<'p> {
    pub(super) fn new(plan: &'p Plan) -> Self {
        Self {
            plan,
            lists: Vec::new(),
            positions: HashMap::default(),
            last: 0,
        }
    }

    /// The declarations for units of `classes`.
    pub(super) fn of(&mut self, classes: &[String]) -> &mut ForClasses<'p> {
        let same = |list: &ForClasses<'_>| list.classes == classes;
        if !self.lists.get(self.last).is_some_and(same) {
            self.last = match self.positions.get(classes) {
                Some(&found) => found,
                None => {
                    self.positions.insert(classes.to_vec(), self.lists.len());
                    self.lists.push(ForClasses::new(self.plan, classes));
                    self.lists.len() - 1
                }
            };
        }
        &mut self.lists[self.last]
    }
}

impl<'p> ForClasses<'p> {
    fn new(plan: &'p Plan, classes: &[String]) -> Self {
        Self {
            plan,
            classes: classes.to_vec(),
            decls: classes.iter().filter_map(|c| plan.classes.get(c)).collect(),
            all_known: !classes.is_empty() && classes.iter().all(|c| plan.classes.contains_key(c)),
            attrs: Vec::new(),
            next: 0,
        }
    }

    /// What the list declares for the attribute `name`.
    pub(super) fn attr(&mut self, name: &Arc<str>) -> Declaration<'p> {
        let next = self.next;
        let hinted = (self.attrs.get(next))
            .filter(|(n, _)| Arc::ptr_eq(n, name))
            .map(|_| next);
        let known = hinted
            .or_else(|| self.attrs.iter().position(|(n, _)| Arc::ptr_eq(n, name)))
            .or_else(|| self.attrs.iter().position(|(n, _)| n == name));
        if let Some((_, declaration)) = known.and_then(|i| self.attrs.get(i)) {
            self.next = known.map_or(0, |i| i + 1);
            return *declaration;
        }
        let ty = self.decls.iter().find_map(|a| a.get(&**name));
        let values = match ty {
            Some(AttrType::Enum(e)) => self.plan.enums.get(e).map_or(&[][..], Vec::as_slice),
            _ => &[],
        };
        let declaration = Declaration { ty, values };
        // Names beyond the columns a registry plausibly has are not kept: units that each bring
        // names of their own would make every look-up a longer scan.
        if self.attrs.len() < NAMES_KEPT {
            self.attrs.push((Arc::clone(name), declaration));
            self.next = self.attrs.len();
        }
        declaration
    }
}
