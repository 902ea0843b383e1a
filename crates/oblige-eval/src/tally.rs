//! Bounded tallies: how many events matched, and the first few of them by (time, id).
//!
//! Keeping the smallest ids by (time, id) rather than the first pushed makes the evidence the
//! same whatever order events arrive in, and bounds memory by the evidence limit.
//!
//! A rule's tallies are a dense table, allocated at its first event, indexed by the subject's
//! rank among the units the rule may concern and the period: counting an event reads one
//! 16-byte record (the count, and the time past which the evidence is full), found without a
//! hash, and the evidence lists, kept apart, are read only for the events that may enter them.
//! The table is cut into pages of consecutive subjects, each behind its own lock when several
//! readers count into the same tallies ([`Tallies::add_shared`]).

use std::cmp::Ordering;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use chrono::{DateTime, Utc};
use fixedbitset::FixedBitSet;

use crate::evidence::{Entry, IdKey, LongIds};

/// What a tally is kept under: (rule, subject, period), as positions.
pub type Key = (usize, usize, usize);

/// What was counted for a rule, subject and period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// All matches.
    pub count: u64,
    /// The earliest matches' ids, in order.
    pub ids: Vec<String>,
    /// Matches not listed.
    pub truncated: u64,
}

/// The shape of one rule's table: the rule count of the plan, the rule's periods, and the
/// subjects it may tally, ranked.
#[derive(Debug)]
pub struct Shape {
    rules: usize,
    periods: usize,
    ranks: Ranks,
}

impl Shape {
    /// A table for one of `rules` rules with `periods` periods, over the registry positions in
    /// `subjects`.
    pub fn new(rules: usize, periods: usize, subjects: Option<&FixedBitSet>) -> Self {
        Shape {
            rules,
            periods,
            ranks: subjects.map(Ranks::new).unwrap_or_default(),
        }
    }

    /// The index of (subject, period) in the table.
    fn slot(&self, subject: usize, period: usize) -> Option<usize> {
        if period >= self.periods {
            return None;
        }
        Some(self.ranks.rank(subject)? * self.periods + period)
    }

    fn slots(&self) -> usize {
        self.ranks.len * self.periods
    }
}

/// Ranks of the members of a set of positions: per 64 positions, the bits and how many
/// members come before them.
#[derive(Debug, Default)]
struct Ranks {
    words: Vec<(u64, u32)>,
    len: usize,
}

impl Ranks {
    fn new(set: &FixedBitSet) -> Self {
        let mut words = vec![(0_u64, 0_u32); set.len().div_ceil(64)];
        for p in set.ones() {
            if let Some((word, _)) = words.get_mut(p / 64) {
                *word |= 1 << (p % 64);
            }
        }
        let mut before = 0_u32;
        for (word, count) in &mut words {
            *count = before;
            before += word.count_ones();
        }
        Ranks {
            words,
            len: before as usize,
        }
    }

    /// The rank of `position`, if it is a member.
    fn rank(&self, position: usize) -> Option<usize> {
        let &(word, before) = self.words.get(position / 64)?;
        let bit = 1_u64 << (position % 64);
        if word & bit == 0 {
            return None;
        }
        Some(before as usize + (word & (bit - 1)).count_ones() as usize)
    }
}

/// Slots of a page: consecutive subjects, all periods of each.
const PAGE: usize = 256;

/// Tallies by (rule, subject, period), with the long ids their evidence keeps. Only the rules
/// some event matched have a table.
#[derive(Debug, Default)]
pub struct Tallies {
    tables: OnceLock<Box<[OnceLock<Table>]>>,
}

/// One rule's tallies.
#[derive(Debug)]
struct Table {
    shape: Arc<Shape>,
    pages: Box<[Mutex<Page>]>,
}

impl Table {
    fn new(shape: &Arc<Shape>) -> Self {
        Table {
            shape: Arc::clone(shape),
            pages: (0..shape.slots().div_ceil(PAGE))
                .map(|_| Mutex::default())
                .collect(),
        }
    }

    /// The page of `slot` and the slot's place in it.
    fn page(&self, slot: usize) -> Option<(&Mutex<Page>, usize)> {
        Some((self.pages.get(slot / PAGE)?, slot % PAGE))
    }

    /// The same table, its pages taken and left empty.
    fn take(&self) -> Table {
        Table {
            shape: Arc::clone(&self.shape),
            pages: self
                .pages
                .iter()
                .map(|p| Mutex::new(std::mem::take(&mut *lock(p))))
                .collect(),
        }
    }
}

/// A page, locked.
fn lock(page: &Mutex<Page>) -> MutexGuard<'_, Page> {
    // A reader that panicked mid-count leaves a page that is still well formed.
    page.lock().unwrap_or_else(PoisonError::into_inner)
}

fn page_mut(page: &mut Mutex<Page>) -> &mut Page {
    page.get_mut().unwrap_or_else(PoisonError::into_inner)
}

impl Tallies {
    /// The tables, one place per rule.
    fn tables(&self, shape: &Shape) -> &[OnceLock<Table>] {
        self.tables
            .get_or_init(|| (0..shape.rules).map(|_| OnceLock::new()).collect())
    }

    fn table(&self, shape: &Arc<Shape>, rule: usize) -> Option<&Table> {
        let table = self.tables(shape).get(rule)?;
        Some(table.get_or_init(|| Table::new(shape)))
    }

    fn table_mut(&mut self, shape: &Arc<Shape>, rule: usize) -> Option<&mut Table> {
        self.tables(shape);
        let table = self.tables.get_mut()?.get_mut(rule)?;
        if table.get().is_none() {
            let _ = table.set(Table::new(shape));
        }
        table.get_mut()
    }

    /// Counts one more event for `key`, keeping it as evidence if it is among the earliest
    /// `limit`. `shape` is that of the key's rule.
    pub fn add(
        &mut self,
        shape: &Arc<Shape>,
        (rule, subject, period): Key,
        time: DateTime<Utc>,
        id: &str,
        limit: usize,
    ) {
        let Some(slot) = shape.slot(subject, period) else {
            return;
        };
        let Some(table) = self.table_mut(shape, rule) else {
            return;
        };
        if let Some(page) = table.pages.get_mut(slot / PAGE) {
            page_mut(page).add(slot % PAGE, time, id, limit);
        }
    }

    /// [`Tallies::add`] through a shared reference, taking the page's lock.
    pub fn add_shared(
        &self,
        shape: &Arc<Shape>,
        (rule, subject, period): Key,
        time: DateTime<Utc>,
        id: &str,
        limit: usize,
    ) {
        let Some(slot) = shape.slot(subject, period) else {
            return;
        };
        let Some((page, at)) = self.table(shape, rule).and_then(|t| t.page(slot)) else {
            return;
        };
        lock(page).add(at, time, id, limit);
    }

    /// What was counted for `key`, if an event matched it.
    pub fn counted(&self, &(rule, subject, period): &Key) -> Option<Counted> {
        let table = self.tables.get()?.get(rule)?.get()?;
        let slot = table.shape.slot(subject, period)?;
        let (page, at) = table.page(slot)?;
        lock(page).counted(at)
    }

    /// Adds the tallies of another evaluator of the same plan.
    pub fn merge(&self, other: Tallies, limit: usize) {
        let Some(theirs) = other.tables.into_inner() else {
            return;
        };
        let rules = theirs.len();
        let mine = self
            .tables
            .get_or_init(|| (0..rules).map(|_| OnceLock::new()).collect());
        for (mine, theirs) in mine.iter().zip(theirs) {
            let Some(theirs) = theirs.into_inner() else {
                continue;
            };
            let Some(mine) = mine.get() else {
                // Taken whole, unless another merge got there first.
                if let Err(theirs) = mine.set(theirs) {
                    if let Some(mine) = mine.get() {
                        merge_tables(mine, theirs, limit);
                    }
                }
                continue;
            };
            merge_tables(mine, theirs, limit);
        }
    }

    /// These tallies, taken: they are left empty.
    pub fn take(&self) -> Tallies {
        let Some(tables) = self.tables.get() else {
            return Tallies::default();
        };
        let taken: Box<[OnceLock<Table>]> = tables
            .iter()
            .map(|t| {
                let cell = OnceLock::new();
                if let Some(t) = t.get() {
                    let _ = cell.set(t.take());
                }
                cell
            })
            .collect();
        let tallies = Tallies::default();
        let _ = tallies.tables.set(taken);
        tallies
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.tables
            .get()
            .is_none_or(|t| t.iter().all(|t| t.get().is_none()))
    }
}

fn merge_tables(mine: &Table, theirs: Table, limit: usize) {
    for (mine, theirs) in mine.pages.iter().zip(theirs.pages) {
        let theirs = theirs.into_inner().unwrap_or_else(PoisonError::into_inner);
        lock(mine).merge(theirs, limit);
    }
}

/// A count, where the evidence is full, and where the evidence is: 16 bytes.
#[derive(Clone, Copy, Debug, Default)]
struct Hot {
    /// All matches.
    count: u64,
    /// 0 while the evidence is not full; then the [`time_key`] of its last entry: an event of
    /// a greater key is turned away without reading the list, which lives elsewhere in memory.
    full: u32,
    /// 0 without evidence, else the evidence's place in [`Page::lists`], plus one.
    list: u32,
}

/// A time's whole seconds since 1970, clamped to `1..u32::MAX`: never greater for an earlier
/// time, so an event whose key is greater than the last entry's comes after it.
fn time_key(time: DateTime<Utc>) -> u32 {
    let secs = time.timestamp().clamp(0, i64::from(u32::MAX) - 2);
    u32::try_from(secs).map_or(u32::MAX, |s| s + 1)
}

/// The tallies of consecutive slots of a table, with the long ids their evidence keeps.
#[derive(Debug, Default)]
struct Page {
    /// By slot, once any is counted.
    hot: Vec<Hot>,
    /// The earliest matches of a slot, at most `limit` long: in arrival order until full,
    /// then sorted by (time, id).
    lists: Vec<Vec<Entry>>,
    long: LongIds,
}

impl Page {
    fn hot(&mut self, at: usize) -> Option<&mut Hot> {
        if self.hot.is_empty() {
            self.hot = vec![Hot::default(); PAGE];
        }
        self.hot.get_mut(at)
    }

    /// Counts one more event, keeping it as evidence if it is among the earliest `limit`.
    fn add(&mut self, at: usize, time: DateTime<Utc>, id: &str, limit: usize) {
        let Some(hot) = self.hot(at) else {
            return;
        };
        hot.count += 1;
        if (hot.full != 0 && time_key(time) > hot.full) || limit == 0 {
            return;
        }
        let hot = *hot;
        let index = match hot.list.checked_sub(1) {
            Some(index) => index as usize,
            None => {
                self.lists.push(Vec::new());
                let index = self.lists.len() - 1;
                if let Some(hot) = self.hot.get_mut(at) {
                    hot.list = u32::try_from(index + 1).unwrap_or(0);
                }
                index
            }
        };
        let Page { hot, lists, long } = self;
        let (Some(first), Some(hot)) = (lists.get_mut(index), hot.get_mut(at)) else {
            return;
        };
        add_to(first, &mut hot.full, (time, id, limit), long);
    }

    /// What was counted in the slot `at`.
    fn counted(&self, at: usize) -> Option<Counted> {
        let hot = self.hot.get(at).filter(|h| h.count > 0)?;
        let first = self.list(hot);
        let mut kept: Vec<&Entry> = first.iter().collect();
        kept.sort_unstable_by(|a, b| a.cmp_with(b, &self.long));
        Some(Counted {
            count: hot.count,
            ids: kept.into_iter().map(|e| e.id.text(&self.long)).collect(),
            truncated: hot.count.saturating_sub(first.len() as u64),
        })
    }

    fn list(&self, hot: &Hot) -> &[Entry] {
        hot.list
            .checked_sub(1)
            .and_then(|i| self.lists.get(i as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// Adds the tallies of the same slots counted elsewhere.
    fn merge(&mut self, mut other: Page, limit: usize) {
        if self.hot.is_empty() {
            *self = other;
            return;
        }
        for (at, theirs) in other.hot.iter().enumerate() {
            if theirs.count == 0 {
                continue;
            }
            let theirs_list = theirs
                .list
                .checked_sub(1)
                .and_then(|i| other.lists.get_mut(i as usize))
                .map(std::mem::take)
                .unwrap_or_default();
            let Some(hot) = self.hot(at) else {
                continue;
            };
            hot.count += theirs.count;
            if theirs_list.is_empty() {
                continue;
            }
            let index = match hot.list.checked_sub(1) {
                Some(index) => index as usize,
                None => {
                    let index = self.lists.len();
                    self.lists.push(Vec::new());
                    if let Some(hot) = self.hot.get_mut(at) {
                        hot.list = u32::try_from(index + 1).unwrap_or(0);
                    }
                    index
                }
            };
            let Page { hot, lists, long } = self;
            let (Some(first), Some(hot)) = (lists.get_mut(index), hot.get_mut(at)) else {
                continue;
            };
            for mut entry in theirs_list {
                entry.id = entry.id.moved(&other.long, long);
                first.push(entry);
            }
            first.sort_unstable_by(|a, b| a.cmp_with(b, long));
            for out in first.drain(limit.min(first.len())..) {
                out.id.release(long);
            }
            first.shrink_to_fit();
            note_full(first, &mut hot.full, limit);
        }
    }
}

/// Keeps one more event in `first` if it is among the earliest `limit`, keeping `full` true to
/// the list.
fn add_to(
    first: &mut Vec<Entry>,
    full: &mut u32,
    (time, id, limit): (DateTime<Utc>, &str, usize),
    long: &mut LongIds,
) {
    if first.len() < limit {
        // Until the list is full every event is kept: appended, which touches only the end
        // of the list, and sorted once when it fills.
        grow(first, limit);
        first.push(Entry {
            time,
            id: IdKey::new(id, long),
        });
        if first.len() >= limit {
            first.sort_unstable_by(|a, b| a.cmp_with(b, long));
            note_full(first, full, limit);
        }
        return;
    }
    // Once the evidence is full most events come after its last entry: one comparison
    // of times (of ids only at equal times) and no allocation.
    let probe = Probe {
        time,
        id,
        inline: IdKey::inline(id),
    };
    if first.last().is_none_or(|last| !probe.before(last, long)) {
        return;
    }
    let at = first.partition_point(|entry| !probe.before(entry, long));
    if let Some(out) = first.pop() {
        out.id.release(long);
    }
    let id = IdKey::new(id, long);
    first.insert(at, Entry { time, id });
    note_full(first, full, limit);
}

/// Makes room for one more entry, doubling but never past the limit: a full list of 20
/// would otherwise take room for 32, and there is one list per rule, subject and period.
fn grow(first: &mut Vec<Entry>, limit: usize) {
    if first.len() == first.capacity() {
        let want = (first.len() * 2).max(4).min(limit);
        first.reserve_exact(want.saturating_sub(first.len()).max(1));
    }
}

/// Keeps `full` true to the list, which is sorted when full.
fn note_full(first: &[Entry], full: &mut u32, limit: usize) {
    *full = match first.last() {
        Some(last) if first.len() >= limit => time_key(last.time),
        _ => 0,
    };
}

/// An event being tallied, compared with the kept evidence.
struct Probe<'a> {
    time: DateTime<Utc>,
    id: &'a str,
    /// The id as an inline key, if short enough.
    inline: Option<IdKey>,
}

impl Probe<'_> {
    /// Whether the event sorts strictly before `entry`, by (time, id).
    fn before(&self, entry: &Entry, long: &LongIds) -> bool {
        match self.time.cmp(&entry.time) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => match self.inline {
                Some(mine) => mine.cmp_with(entry.id, long) == Ordering::Less,
                None => entry.id.cmp_str(self.id, long) == Ordering::Greater,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: (usize, usize, usize) = (0, 0, 0);

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// The shape of a plan of one rule with one period and one subject.
    fn one() -> Arc<Shape> {
        let mut set = FixedBitSet::with_capacity(1);
        set.insert(0);
        Arc::new(Shape::new(1, 1, Some(&set)))
    }

    fn ids(tallies: &Tallies) -> Vec<String> {
        tallies.counted(&K).map(|c| c.ids).unwrap_or_default()
    }

    fn long_len(tallies: &Tallies) -> usize {
        tallies
            .tables
            .get()
            .and_then(|t| t.first()?.get())
            .map_or(0, |t| t.pages.iter().map(|p| lock(p).long.len()).sum())
    }

    #[test]
    fn ranks_count_the_members_before() {
        let mut set = FixedBitSet::with_capacity(300);
        for p in [3, 64, 65, 200, 299] {
            set.insert(p);
        }
        let ranks = Ranks::new(&set);
        let got: Vec<Option<usize>> = [0, 3, 64, 65, 66, 200, 299, 300, 5000]
            .iter()
            .map(|&p| ranks.rank(p))
            .collect();
        assert_eq!(
            got,
            [None, Some(0), Some(1), Some(2), None, Some(3), Some(4), None, None]
        );
        assert_eq!(ranks.len, 5);
        let shape = Shape::new(1, 3, Some(&set));
        assert_eq!(
            (shape.slot(64, 2), shape.slot(64, 3), shape.slots()),
            (Some(5), None, 15)
        );
    }

    #[test]
    fn keeps_the_earliest_whatever_the_order() {
        let shape = one();
        let mut a = Tallies::default();
        a.add(&shape, K, t("2023-01-03T00:00:00Z"), "c", 2);
        a.add(&shape, K, t("2023-01-01T00:00:00Z"), "b", 2);
        a.add(&shape, K, t("2023-01-01T00:00:00Z"), "a", 2);
        assert_eq!(ids(&a), ["a", "b"]);
        let counted = a.counted(&K).unwrap();
        assert_eq!((counted.count, counted.truncated), (3, 1));
        let mut b = Tallies::default();
        b.add(&shape, K, t("2023-01-01T00:00:00Z"), "a", 2);
        let mut c = Tallies::default();
        c.add(&shape, K, t("2023-01-03T00:00:00Z"), "c", 2);
        c.add(&shape, K, t("2023-01-01T00:00:00Z"), "b", 2);
        b.merge(c, 2);
        assert_eq!(a.counted(&K), b.counted(&K));
    }

    #[test]
    fn small_limits_keep_the_earliest() {
        let shape = one();
        for limit in 1..6 {
            let mut a = Tallies::default();
            for i in (0..9).rev() {
                a.add(&shape, K, t("2023-01-01T00:00:00Z"), &format!("e{i}"), limit);
            }
            let expected: Vec<String> = (0..limit).map(|i| format!("e{i}")).collect();
            assert_eq!(ids(&a), expected);
            let table = a.tables.get().unwrap()[0].get().unwrap();
            let page = lock(&table.pages[0]);
            assert!(page.lists[0].capacity() <= limit.max(4));
        }
    }

    proptest::proptest! {
        /// Against a reference: sort every event by (time, id) and keep the first `limit`,
        /// whether the events come in one tally or split between two merged ones, with ids
        /// short (inline) and long. Long ids no longer kept are let go.
        #[test]
        fn keeps_what_sorting_everything_keeps(
            events in proptest::collection::vec((0_i64..20, 0_u32..40, proptest::bool::ANY), 0..80),
            limit in 0_usize..8,
            split in 0_usize..80,
        ) {
            let shape = one();
            let at = |minute: i64| DateTime::from_timestamp(minute * 60, 0).unwrap();
            let id = |n: u32, long: bool| if long { format!("e{n:02}-with-a-long-id") } else { format!("e{n:02}") };
            let ids_in: Vec<(DateTime<Utc>, String)> = events
                .iter()
                .map(|&(m, n, long)| (at(m), id(n, long)))
                .collect();
            let mut expected = ids_in.clone();
            expected.sort();
            let expected: Vec<String> = expected.into_iter().take(limit).map(|(_, id)| id).collect();
            let mut one = Tallies::default();
            for (t, id) in &ids_in {
                one.add(&shape, K, *t, id, limit);
            }
            proptest::prop_assert_eq!(ids(&one), expected.clone());
            proptest::prop_assert!(long_len(&one) <= limit);
            let (left, right) = ids_in.split_at(split.min(ids_in.len()));
            let mut a = Tallies::default();
            let mut b = Tallies::default();
            for (t, id) in left {
                a.add(&shape, K, *t, id, limit);
            }
            for (t, id) in right {
                b.add(&shape, K, *t, id, limit);
            }
            a.merge(b, limit);
            proptest::prop_assert_eq!(ids(&a), expected);
            proptest::prop_assert!(long_len(&a) <= limit);
            for (t, id) in &ids_in {
                one.add(&shape, K, *t, id, limit);
                a.add_shared(&shape, K, *t, id, limit);
            }
            proptest::prop_assert_eq!(one.counted(&K), a.counted(&K));
        }
    }

    #[test]
    fn zero_limit_keeps_only_the_count() {
        let shape = one();
        let mut a = Tallies::default();
        a.add(&shape, K, t("2023-01-03T00:00:00Z"), "c", 0);
        let counted = a.counted(&K).unwrap();
        assert_eq!(
            (counted.count, counted.ids.len(), counted.truncated),
            (1, 0, 1)
        );
    }
}
