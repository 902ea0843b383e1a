//! A unit's attributes: a few named values, the names shared by the units that have the same
//! columns, and the values by the units that have the same values.

use oblige_check::model::Lit;
use serde::{Serialize, Serializer};
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// One attribute: its name and its value.
type Entry = (Arc<str>, Lit);

/// Attribute names in order, shared by every unit that has them.
type Names = Arc<[Arc<str>]>;

/// Values in the order of their names, shared by every unit that has them.
type Values = Arc<[Lit]>;

/// A unit's attributes by name, in the order they were first inserted.
///
/// A registry holds hundreds of thousands of units with about ten attributes each, so there is
/// no hash index: scanning ten names costs about what hashing one does. The names are one list
/// shared by the units read from the same columns, and most name comparisons end at the
/// pointer. The values are shared too by the units a registry reader reads with the same
/// values: most attributes are categories (a sector, a county, a risk level), so a registry of
/// 20 000 units may hold a few hundred different lists of values.
#[derive(Clone, Eq)]
pub struct UnitAttrs {
    names: Names,
    /// By the position of their name.
    values: Values,
}

impl Default for UnitAttrs {
    fn default() -> Self {
        Self {
            names: Arc::from([]),
            values: Arc::from([]),
        }
    }
}

impl UnitAttrs {
    /// No attributes.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many attributes there are.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value of the attribute `name`.
    pub fn get(&self, name: &str) -> Option<&Lit> {
        self.get_full(name).map(|(_, _, value)| value)
    }

    /// The shared name and the value of the attribute `name`.
    pub fn get_key_value(&self, name: &str) -> Option<(&Arc<str>, &Lit)> {
        self.get_full(name).map(|(_, key, value)| (key, value))
    }

    /// The position, shared name and value of the attribute `name`.
    pub fn get_full(&self, name: &str) -> Option<(usize, &Arc<str>, &Lit)> {
        let position = position(&self.names, name)?;
        let (key, value) = self.get_index(position)?;
        Some((position, key, value))
    }

    /// The name and value of the attribute at `position` in insertion order.
    pub fn get_index(&self, position: usize) -> Option<(&Arc<str>, &Lit)> {
        Some((self.names.get(position)?, self.values.get(position)?))
    }

    /// Whether there is an attribute `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        position(&self.names, name).is_some()
    }

    /// Sets the attribute `name`, returning its former value. A name already present keeps its
    /// place; a new one goes last, in a list of names of this unit's own.
    pub fn insert(&mut self, name: Arc<str>, value: Lit) -> Option<Lit> {
        // A copy of the values, as other units may share them; units are built once.
        let mut values = self.values.to_vec();
        if let Some(at) = self.names.iter().position(|key| same(key, &name)) {
            let old = values.get_mut(at).map(|old| std::mem::replace(old, value));
            self.values = values.into();
            return old;
        }
        let mut names = self.names.to_vec();
        names.push(name);
        self.names = names.into();
        values.push(value);
        self.values = values.into();
        None
    }

    /// The names and values in insertion order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.names.iter().zip(self.values.iter()))
    }

    /// These attributes, their lists of names and values replaced by those `shared` holds
    /// if they are the same, else kept there for the next units.
    pub(crate) fn sharing(mut self, shared: &mut Shared) -> Self {
        match &shared.names {
            Some(names) if same_names(names, &self.names) => self.names = Arc::clone(names),
            _ => shared.names = Some(Arc::clone(&self.names)),
        }
        match shared.values.get(&*self.values) {
            Some(values) => self.values = Arc::clone(values),
            None if shared.values.len() < MAX_SHARED_VALUES => {
                shared.values.insert(Arc::clone(&self.values));
            }
            None => {}
        }
        self
    }
}

/// The most different lists of values a [`Shared`] keeps: a registry whose lists seldom repeat
/// (a date or a code of each unit among them) would otherwise keep a set as large as itself
/// while it is read, for little sharing.
const MAX_SHARED_VALUES: usize = 4096;

/// What the units read from one source may share: the last unit's list of names (units read
/// from the same columns have the same), and lists of values seen.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    names: Option<Names>,
    /// Looked up once for every unit read, so hashed by foldhash: under a third of SipHash's
    /// instructions on a registry row's list. Never walked, so its seed reaches no output.
    values: HashSet<Values, foldhash::fast::RandomState>,
}

/// Whether two lists hold the very same names, in the same order.
fn same_names(a: &[Arc<str>], b: &[Arc<str>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| Arc::ptr_eq(a, b))
}

/// Where `name` is among `names`.
fn position(names: &[Arc<str>], name: &str) -> Option<usize> {
    names.iter().position(|key| same(key, name))
}

/// Whether `key` is `name`: the same allocation when `name` was borrowed from a shared name,
/// else the same text.
fn same(key: &Arc<str>, name: &str) -> bool {
    std::ptr::eq(&**key, name) || **key == *name
}

/// Entries whose names repeat keep the first place and the last value, as [`UnitAttrs::insert`]
/// would.
impl From<Vec<Entry>> for UnitAttrs {
    fn from(entries: Vec<Entry>) -> Self {
        let unique = if has_repeats(&entries) {
            without_repeats(entries)
        } else {
            entries
        };
        let (names, values): (Vec<Arc<str>>, Vec<Lit>) = unique.into_iter().unzip();
        Self {
            names: names.into(),
            values: values.into(),
        }
    }
}

/// Whether some name of `entries` occurs twice.
fn has_repeats(entries: &[Entry]) -> bool {
    let mut rest = entries;
    while let Some(((name, _), tail)) = rest.split_first() {
        if tail.iter().any(|(key, _)| same(key, name)) {
            return true;
        }
        rest = tail;
    }
    false
}

/// `entries` with each name once, at its first place, with its last value.
fn without_repeats(entries: Vec<Entry>) -> Vec<Entry> {
    let mut unique: Vec<Entry> = Vec::with_capacity(entries.len());
    for (name, value) in entries {
        match unique.iter_mut().find(|(key, _)| same(key, &name)) {
            Some((_, old)) => *old = value,
            None => unique.push((name, value)),
        }
    }
    unique
}

impl FromIterator<Entry> for UnitAttrs {
    fn from_iter<I: IntoIterator<Item = Entry>>(entries: I) -> Self {
        Self::from(entries.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a UnitAttrs {
    type Item = (&'a Arc<str>, &'a Lit);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The names and values of a unit's attributes in insertion order; see [`UnitAttrs::iter`].
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::iter::Zip<std::slice::Iter<'a, Arc<str>>, std::slice::Iter<'a, Lit>>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Arc<str>, &'a Lit);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back()
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Equal when they hold the same names with the same values, in whatever order, as maps are.
impl PartialEq for UnitAttrs {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(name, value)| other.get(name) == Some(value))
    }
}

/// Printed as a map, names in insertion order.
impl fmt::Debug for UnitAttrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Serialized as a map, names in insertion order.
impl Serialize for UnitAttrs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;
    use proptest::prelude::*;

    fn text(value: &str) -> Lit {
        Lit::Text(value.into())
    }

    fn names(attrs: &UnitAttrs) -> Vec<&str> {
        attrs.iter().map(|(name, _)| &**name).collect()
    }

    #[test]
    fn insert_replaces_a_value_in_its_place() {
        let mut attrs = UnitAttrs::new();
        assert_eq!(attrs.insert("甲".into(), Lit::Int(1)), None);
        assert_eq!(attrs.insert("乙".into(), Lit::Int(2)), None);
        assert_eq!(attrs.insert("甲".into(), Lit::Int(3)), Some(Lit::Int(1)));
        assert_eq!(names(&attrs), ["甲", "乙"]);
        assert_eq!(attrs.get("甲"), Some(&Lit::Int(3)));
        assert_eq!(attrs.get_index(0), attrs.get_key_value("甲"));
        assert_eq!(attrs.len(), 2);
    }

    #[test]
    fn names_keep_their_insertion_order() {
        let attrs: UnitAttrs = ["丙", "甲", "乙"]
            .into_iter()
            .map(|name| (Arc::from(name), text(name)))
            .collect();
        assert_eq!(names(&attrs), ["丙", "甲", "乙"]);
        let backwards: Vec<&str> = attrs.iter().rev().map(|(name, _)| &**name).collect();
        assert_eq!(backwards, ["乙", "甲", "丙"]);
        assert_eq!(attrs.get_full("乙").map(|(at, _, _)| at), Some(2));
    }

    #[test]
    fn a_name_is_found_through_another_allocation_of_its_text() {
        let mut attrs = UnitAttrs::new();
        attrs.insert(Arc::from("等级"), text("高"));
        let other: Arc<str> = Arc::from("等级");
        assert_eq!(attrs.get(&other), Some(&text("高")));
        assert!(attrs.contains_key(&String::from("等级")));
        assert!(!attrs.contains_key("等"));
        attrs.insert(other, text("低"));
        assert_eq!(attrs.len(), 1);
        assert_eq!(attrs.get("等级"), Some(&text("低")));
    }

    #[test]
    fn the_shared_name_is_the_one_first_inserted() {
        let first: Arc<str> = Arc::from("重点");
        let mut attrs = UnitAttrs::new();
        attrs.insert(Arc::clone(&first), Lit::Bool(true));
        attrs.insert(Arc::from("重点"), Lit::Bool(false));
        let (name, value) = attrs.get_key_value("重点").unwrap();
        assert!(Arc::ptr_eq(name, &first));
        assert_eq!(value, &Lit::Bool(false));
    }

    #[test]
    fn repeated_names_collected_keep_the_first_place_and_the_last_value() {
        let attrs = UnitAttrs::from(vec![
            (Arc::from("a"), Lit::Int(1)),
            (Arc::from("b"), Lit::Int(2)),
            (Arc::from("a"), Lit::Int(3)),
        ]);
        assert_eq!(names(&attrs), ["a", "b"]);
        assert_eq!(attrs.get("a"), Some(&Lit::Int(3)));
    }

    /// Units read from the same columns hold one list of names; a unit with other names, or
    /// the same text in other allocations, holds its own. Units with the same values hold one
    /// list of values, which a change to one of them leaves to the others.
    #[test]
    fn units_with_the_same_names_or_values_share_them() {
        let (a, b): (Arc<str>, Arc<str>) = ("a".into(), "b".into());
        let unit = |names: [&Arc<str>; 2], second: i64| {
            UnitAttrs::from(vec![
                (Arc::clone(names[0]), Lit::Int(1)),
                (Arc::clone(names[1]), Lit::Int(second)),
            ])
        };
        let mut shared = Shared::default();
        let first = unit([&a, &b], 2).sharing(&mut shared);
        let second = unit([&a, &b], 2).sharing(&mut shared);
        assert!(Arc::ptr_eq(&first.names, &second.names));
        assert!(Arc::ptr_eq(&first.values, &second.values));
        let other_values = unit([&a, &b], 3).sharing(&mut shared);
        assert!(Arc::ptr_eq(&first.names, &other_values.names));
        assert!(!Arc::ptr_eq(&first.values, &other_values.values));
        let swapped = unit([&b, &a], 2).sharing(&mut shared);
        assert!(!Arc::ptr_eq(&first.names, &swapped.names));
        assert!(Arc::ptr_eq(&first.values, &swapped.values));
        assert_eq!(swapped.get("a"), Some(&Lit::Int(2)));
        let copies = unit([&"b".into(), &"a".into()], 2).sharing(&mut shared);
        assert!(!Arc::ptr_eq(&swapped.names, &copies.names));
        let mut grown = second.clone();
        grown.insert("c".into(), Lit::Int(3));
        let mut changed = second.clone();
        changed.insert("a".into(), Lit::Int(9));
        assert_eq!(
            names(&second),
            ["a", "b"],
            "a shared list is not changed by one unit"
        );
        assert_eq!(second.get("a"), Some(&Lit::Int(1)));
        assert_eq!(first.get("a"), Some(&Lit::Int(1)));
        assert_eq!(names(&grown), ["a", "b", "c"]);
        assert_eq!(changed.get("a"), Some(&Lit::Int(9)));
    }

    #[test]
    fn equality_ignores_order_as_a_map_does() {
        let ab = UnitAttrs::from(vec![("a".into(), Lit::Int(1)), ("b".into(), Lit::Int(2))]);
        let ba = UnitAttrs::from(vec![("b".into(), Lit::Int(2)), ("a".into(), Lit::Int(1))]);
        let other = UnitAttrs::from(vec![("a".into(), Lit::Int(1)), ("b".into(), Lit::Int(9))]);
        assert_eq!(ab, ba);
        assert_ne!(ab, other);
        assert_ne!(ab, UnitAttrs::new());
    }

    #[test]
    fn it_prints_and_serializes_as_a_map_in_order() {
        let attrs = UnitAttrs::from(vec![("b".into(), Lit::Int(2)), ("a".into(), text("x"))]);
        let mut model: IndexMap<Arc<str>, Lit> = IndexMap::new();
        model.insert("b".into(), Lit::Int(2));
        model.insert("a".into(), text("x"));
        assert_eq!(format!("{attrs:?}"), format!("{model:?}"));
        assert_eq!(
            serde_json::to_string(&attrs).unwrap(),
            serde_json::to_string(&model).unwrap()
        );
    }

    proptest! {
        /// Inserts and lookups give what an insertion-ordered map gives, built one by one or at
        /// once.
        #[test]
        fn it_behaves_as_an_ordered_map(
            inserts in prop::collection::vec(("[a-e]{1,2}", any::<i64>()), 0..24),
            lookups in prop::collection::vec("[a-e]{1,2}", 0..8),
        ) {
            let mut model: IndexMap<String, Lit> = IndexMap::new();
            let mut attrs = UnitAttrs::new();
            for (name, value) in &inserts {
                let old = attrs.insert(Arc::from(name.as_str()), Lit::Int(*value));
                prop_assert_eq!(old, model.insert(name.clone(), Lit::Int(*value)));
            }
            let collected: UnitAttrs = inserts
                .iter()
                .map(|(name, value)| (Arc::from(name.as_str()), Lit::Int(*value)))
                .collect();
            let expected: Vec<(&str, &Lit)> = model.iter().map(|(k, v)| (k.as_str(), v)).collect();
            for built in [&attrs, &collected] {
                let entries: Vec<(&str, &Lit)> = built.iter().map(|(k, v)| (&**k, v)).collect();
                prop_assert_eq!(&entries, &expected);
                prop_assert_eq!(built.len(), model.len());
                for name in &lookups {
                    let found = built.get_full(name).map(|(at, k, v)| (at, &**k, v));
                    let wanted = model.get_full(name).map(|(at, k, v)| (at, k.as_str(), v));
                    prop_assert_eq!(found, wanted);
                    prop_assert_eq!(built.contains_key(name), model.contains_key(name));
                }
            }
        }
    }
}
