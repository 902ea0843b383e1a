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

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use chrono::{DateTime, Utc};
use fixedbitset::FixedBitSet;

use crate::evidence::{Entry, LongIds, Probe};

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

    /// How many slots the page of `slot` has.
    fn page_slots(&self, slot: usize) -> usize {
        let start = slot - slot % PAGE;
        self.shape.slots().saturating_sub(start).min(PAGE)
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
        let slots = table.page_slots(slot);
        if let Some(page) = table.pages.get_mut(slot / PAGE) {
            page_mut(page).add((slot % PAGE, slots), time, id, limit);
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
        let Some(table) = self.table(shape, rule) else {
            return;
        };
        let Some((page, at)) = table.page(slot) else {
            return;
        };
        lock(page).add((at, table.page_slots(slot)), time, id, limit);
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
    /// 0 without evidence, else where its list starts in [`Page::slab`], plus one.
    list: u32,
}

/// A time's whole seconds since 1970, clamped to `1..u32::MAX`: never greater for an earlier
/// time, so an event whose key is greater than the last entry's comes after it.
fn time_key(time: DateTime<Utc>) -> u32 {
    let secs = time.timestamp().clamp(0, i64::from(u32::MAX) - 2);
    u32::try_from(secs).map_or(u32::MAX, |s| s + 1)
}

/// The room a list of `len` entries has: doubling from 4, but never past the limit, since
/// most lists fill.
fn room(len: usize, limit: usize) -> usize {
    if len == 0 {
        return 0;
    }
    len.next_power_of_two().max(4).min(limit.max(len))
}

/// The tallies of consecutive slots of a table, with the long ids their evidence keeps.
#[derive(Debug, Default)]
struct Page {
    /// By slot, once any is counted.
    hot: Vec<Hot>,
    /// The earliest matches of each slot, at most `limit`: a header holding how many, then
    /// [`room`] for them, in arrival order until full, then sorted by (time, id). One
    /// allocation for the lists of the page, without a list header or an allocation per list.
    slab: Vec<Entry>,
    /// By room, the blocks let go as their lists grew, for other lists to take.
    free: Vec<(usize, Vec<usize>)>,
    /// Cells of the slab in free blocks.
    free_cells: usize,
    long: LongIds,
}

impl Page {
    /// The hot record of the slot `at`, the page's records made if none was (`slots` of them:
    /// a rule of few subjects has a small page).
    fn hot(&mut self, at: usize, slots: usize) -> Option<&mut Hot> {
        if self.hot.is_empty() {
            self.hot = vec![Hot::default(); slots.max(at + 1)];
        }
        self.hot.get_mut(at)
    }

    /// Where the list of `hot` starts (its header), and its length.
    fn list_at(&self, hot: Hot) -> Option<(usize, usize)> {
        let start = (hot.list as usize).checked_sub(1)?;
        Some((start, self.slab.get(start)?.len() as usize))
    }

    fn list(&self, hot: Hot) -> &[Entry] {
        self.list_at(hot)
            .and_then(|(start, len)| self.slab.get(start + 1..start + 1 + len))
            .unwrap_or_default()
    }

    /// A block with room for `room` entries after its header.
    fn alloc(&mut self, room: usize) -> usize {
        if let Some(start) = self
            .free
            .iter_mut()
            .find(|(r, _)| *r == room)
            .and_then(|(_, starts)| starts.pop())
        {
            self.free_cells -= room + 1;
            return start;
        }
        let start = self.slab.len();
        let cells = room + 1;
        if self.slab.capacity() - start < cells {
            // An eighth more at a time: the slab is most of a page's memory.
            self.slab.reserve_exact(cells.max(start / 8 + 32));
        }
        self.slab.resize(start + cells, Entry::header(0));
        start
    }

    fn release(&mut self, start: usize, room: usize) {
        match self.free.iter_mut().find(|(r, _)| *r == room) {
            Some((_, starts)) => starts.push(start),
            None => self.free.push((room, vec![start])),
        }
        self.free_cells += room + 1;
    }

    /// Compacts if free blocks take much room. Every list's header must be true to it.
    fn tidy(&mut self, limit: usize) {
        if self.free_cells > (self.slab.len() / 8).max(4 * limit + 64) {
            self.compact(limit);
        }
    }

    /// Moves the lists together, leaving out the blocks let go: most lists grow through the
    /// same sizes at about the same time, so the blocks they leave are seldom taken again.
    fn compact(&mut self, limit: usize) {
        let live = self.slab.len() - self.free_cells;
        let mut slab = Vec::with_capacity(live + live / 16);
        for hot in &mut self.hot {
            let Some(start) = (hot.list as usize).checked_sub(1) else {
                continue;
            };
            let len = self.slab.get(start).map_or(0, |h| h.len() as usize);
            let cells = 1 + room(len, limit);
            hot.list = u32::try_from(slab.len() + 1).unwrap_or(0);
            slab.extend_from_slice(self.slab.get(start..start + cells).unwrap_or_default());
        }
        self.slab = slab;
        self.free.clear();
        self.free_cells = 0;
    }

    /// Moves the list of the slot `at`, of length `len`, where it has room for `want` entries
    /// (at `start` now, if any). Returns where it starts.
    fn move_list(
        &mut self,
        at: usize,
        old: Option<(usize, usize)>,
        want: usize,
        limit: usize,
    ) -> usize {
        let new = self.alloc(want);
        if let Some((start, len)) = old {
            self.slab.copy_within(start..start + 1 + len, new);
        }
        if let Some(hot) = self.hot.get_mut(at) {
            hot.list = u32::try_from(new + 1).unwrap_or(0);
        }
        if let Some((start, len)) = old {
            self.release(start, room(len, limit));
        }
        new
    }

    /// Counts one more event, keeping it as evidence if it is among the earliest `limit`.
    fn add(&mut self, (at, slots): (usize, usize), time: DateTime<Utc>, id: &str, limit: usize) {
        let Some(hot) = self.hot(at, slots) else {
            return;
        };
        hot.count += 1;
        if (hot.full != 0 && time_key(time) > hot.full) || limit == 0 {
            return;
        }
        let hot = *hot;
        let old = self.list_at(hot);
        let len = old.map_or(0, |(_, len)| len);
        if len < limit {
            // Until the list is full every event is kept: appended, which touches only the
            // end of the list, and sorted once when it fills.
            let start = match old {
                Some((start, len)) if room(len, limit) > len => start,
                _ => self.move_list(at, old, room(len + 1, limit), limit),
            };
            let entry = Entry::new(time, id, &mut self.long);
            let Page {
                hot, slab, long, ..
            } = self;
            let (Some(list), Some(hot)) = (slab.get_mut(start..=start + 1 + len), hot.get_mut(at))
            else {
                return;
            };
            list[0] = Entry::header(u32::try_from(len + 1).unwrap_or(u32::MAX));
            list[1 + len] = entry;
            if len + 1 >= limit {
                let first = &mut list[1..];
                first.sort_unstable_by(|a, b| a.cmp_with(b, long));
                note_full(first, &mut hot.full, limit, long);
            }
            self.tidy(limit);
            return;
        }
        // Once the evidence is full most events come after its last entry: one comparison
        // of times (of ids only at equal times) and no allocation.
        let Some((start, len)) = old else {
            return;
        };
        let Page {
            hot, slab, long, ..
        } = self;
        let (Some(first), Some(hot)) = (slab.get_mut(start + 1..start + 1 + len), hot.get_mut(at))
        else {
            return;
        };
        let probe = Probe::new(time, id);
        if first.last().is_none_or(|last| !probe.before(last, long)) {
            return;
        }
        let place = first.partition_point(|entry| !probe.before(entry, long));
        if let Some(out) = first.last() {
            out.id.release(long);
        }
        first.copy_within(place..len - 1, place + 1);
        first[place] = Entry::new(time, id, long);
        note_full(first, &mut hot.full, limit, long);
    }

    /// What was counted in the slot `at`.
    fn counted(&self, at: usize) -> Option<Counted> {
        let hot = *self.hot.get(at).filter(|h| h.count > 0)?;
        let mut kept: Vec<&Entry> = self.list(hot).iter().collect();
        kept.sort_unstable_by(|a, b| a.cmp_with(b, &self.long));
        Some(Counted {
            count: hot.count,
            truncated: hot.count.saturating_sub(kept.len() as u64),
            ids: kept.into_iter().map(|e| e.id.text(&self.long)).collect(),
        })
    }

    /// Adds the tallies of the same slots counted elsewhere.
    fn merge(&mut self, other: Page, limit: usize) {
        if self.hot.is_empty() {
            *self = other;
            return;
        }
        for (at, &theirs) in other.hot.iter().enumerate() {
            if theirs.count == 0 {
                continue;
            }
            let Some(hot) = self.hot(at, PAGE) else {
                continue;
            };
            hot.count += theirs.count;
            let hot = *hot;
            let their_list = other.list(theirs);
            if their_list.is_empty() {
                continue;
            }
            let old = self.list_at(hot);
            let mut all: Vec<Entry> = self.list(hot).to_vec();
            for entry in their_list {
                let mut entry = *entry;
                entry.id = entry.id.moved(&other.long, &mut self.long);
                all.push(entry);
            }
            all.sort_unstable_by(|a, b| a.cmp_with(b, &self.long));
            for out in all.drain(limit.min(all.len())..) {
                out.id.release(&mut self.long);
            }
            let len = all.len();
            let start = match old {
                Some((start, old_len)) if room(old_len, limit) == room(len, limit) => start,
                _ => self.move_list(at, old, room(len, limit), limit),
            };
            let Page {
                hot, slab, long, ..
            } = self;
            let (Some(list), Some(hot)) = (slab.get_mut(start..=start + len), hot.get_mut(at))
            else {
                continue;
            };
            list[0] = Entry::header(u32::try_from(len).unwrap_or(u32::MAX));
            list[1..].copy_from_slice(&all);
            note_full(&list[1..], &mut hot.full, limit, long);
        }
        self.tidy(limit);
    }
}

/// Keeps `full` true to the list, which is sorted when full.
fn note_full(first: &[Entry], full: &mut u32, limit: usize, long: &LongIds) {
    *full = match first.last() {
        Some(last) if first.len() >= limit => time_key(last.time(long)),
        _ => 0,
    };
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
            [
                None,
                Some(0),
                Some(1),
                Some(2),
                None,
                Some(3),
                Some(4),
                None,
                None
            ]
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
                a.add(
                    &shape,
                    K,
                    t("2023-01-01T00:00:00Z"),
                    &format!("e{i}"),
                    limit,
                );
            }
            let expected: Vec<String> = (0..limit).map(|i| format!("e{i}")).collect();
            assert_eq!(ids(&a), expected);
        }
    }

    proptest::proptest! {
        /// Against a reference: sort every event by (time, id) and keep the first `limit`,
        /// whether the events come in one tally or split between two merged ones, with ids
        /// short (inline) and long. Long ids no longer kept are let go.
        #[test]
        fn keeps_what_sorting_everything_keeps(
            events in proptest::collection::vec(
                (0_i64..20, 0_u32..40, proptest::bool::ANY, 0_u8..8),
                0..80,
            ),
            limit in 0_usize..8,
            split in 0_usize..80,
        ) {
            let shape = one();
            // Mostly whole seconds after 1970, as logs have them; also times kept apart
            // (with a fraction of a second, before 1970, after 2106), mixed in the same minutes.
            let at = |minute: i64, odd: u8| {
                let secs = minute * 60 + 1_700_000_000;
                match odd {
                    4 => DateTime::from_timestamp(secs, 500_000_000),
                    5 => DateTime::from_timestamp(secs - 1, 999_999_999),
                    6 => DateTime::from_timestamp(minute * 60 - 600, 0),
                    7 => DateTime::from_timestamp(minute * 60 + (1 << 32) - 600, 0),
                    _ => DateTime::from_timestamp(secs, 0),
                }
                .unwrap()
            };
            let id = |n: u32, long: bool| if long { format!("e{n:02}-with-a-long-id") } else { format!("e{n:02}") };
            let ids_in: Vec<(DateTime<Utc>, String)> = events
                .iter()
                .map(|&(m, n, long, odd)| (at(m, odd), id(n, long)))
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

    proptest::proptest! {
        /// Many tallies in one page, their lists growing, moving and compacted in one slab
        /// (and several pages): each keeps what sorting its own events keeps, merged or not.
        #[test]
        fn tallies_of_a_page_keep_their_own(
            events in proptest::collection::vec((0_usize..300, 0_i64..30, 0_u32..2000), 0..1500),
            limit in 1_usize..24,
            split in 0_usize..1500,
            spread in 1_usize..300,
        ) {
            let mut set = FixedBitSet::with_capacity(600);
            for p in (0..600).step_by(2) {
                set.insert(p);
            }
            let shape = Arc::new(Shape::new(2, 2, Some(&set)));
            let key = |s: usize, m: i64| (1, 2 * (s % spread), usize::from(m % 2 == 0));
            let at = |m: i64| DateTime::from_timestamp(1_700_000_000 + m * 60, 0).unwrap();
            let mut expected: std::collections::BTreeMap<Key, Vec<(DateTime<Utc>, String)>> =
                std::collections::BTreeMap::new();
            let (mut one, mut a, mut b) = (Tallies::default(), Tallies::default(), Tallies::default());
            for (i, &(s, m, n)) in events.iter().enumerate() {
                let id = format!("e{n}");
                expected.entry(key(s, m)).or_default().push((at(m), id.clone()));
                one.add(&shape, key(s, m), at(m), &id, limit);
                let half = if i < split { &mut a } else { &mut b };
                half.add(&shape, key(s, m), at(m), &id, limit);
            }
            a.merge(b, limit);
            for (k, mut events) in expected {
                let count = events.len() as u64;
                events.sort();
                let ids: Vec<String> = events.into_iter().take(limit).map(|(_, id)| id).collect();
                let want = Counted { count, truncated: count - ids.len() as u64, ids };
                proptest::prop_assert_eq!(one.counted(&k), Some(want.clone()));
                proptest::prop_assert_eq!(a.counted(&k), Some(want));
            }
            proptest::prop_assert_eq!(one.counted(&(1, 1, 0)), None);
            proptest::prop_assert_eq!(one.counted(&(0, 0, 0)), None);
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
