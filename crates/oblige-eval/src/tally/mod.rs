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
//! readers count into the same tallies ([`Tallies::add_shared`]); the hot records stay outside
//! the locks, so that a reader counts an event that cannot enter the evidence (most, once the
//! lists are full) with one atomic addition.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use chrono::{DateTime, Utc};
use fixedbitset::FixedBitSet;

mod hot;
mod page;
mod slab;
#[cfg(test)]
mod tests;

use hot::Hot;
use page::Page;

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

/// Tallies by (rule, subject, period), with the ids their evidence keeps. Only the rules
/// some event matched have a table.
#[derive(Debug, Default)]
pub struct Tallies {
    tables: OnceLock<Box<[OnceLock<Table>]>>,
}

/// One rule's tallies.
#[derive(Debug)]
struct Table {
    shape: Arc<Shape>,
    /// How many matches the evidence of a slot keeps at most.
    limit: usize,
    /// By slot.
    hot: Box<[Hot]>,
    /// By [`PAGE`] slots.
    pages: Box<[Mutex<Page>]>,
}

impl Table {
    fn new(shape: &Arc<Shape>, limit: usize) -> Self {
        let slots = shape.slots();
        Table {
            shape: Arc::clone(shape),
            limit,
            hot: (0..slots).map(|_| Hot::default()).collect(),
            pages: (0..slots.div_ceil(PAGE))
                .map(|_| Mutex::default())
                .collect(),
        }
    }

    /// The hot records of page `page`.
    fn page_hot(&self, page: usize) -> &[Hot] {
        page_hot(&self.hot, page)
    }

    /// The same table, its records and pages taken and left empty.
    fn take(&self) -> Table {
        Table {
            shape: Arc::clone(&self.shape),
            limit: self.limit,
            hot: self.hot.iter().map(Hot::take).collect(),
            pages: self
                .pages
                .iter()
                .map(|p| Mutex::new(std::mem::take(&mut *lock(p))))
                .collect(),
        }
    }
}

/// Of a table's hot records `hot`, those of page `page`.
fn page_hot(hot: &[Hot], page: usize) -> &[Hot] {
    let start = page * PAGE;
    hot.get(start..(start + PAGE).min(hot.len()))
        .unwrap_or_default()
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
        self.tables_of(shape.rules)
    }

    /// The tables of a plan of `rules` rules, places made empty if there were none.
    fn tables_of(&self, rules: usize) -> &[OnceLock<Table>] {
        self.tables
            .get_or_init(|| (0..rules).map(|_| OnceLock::new()).collect())
    }

    /// The table of `rule`, made for `limit` if there was none.
    fn table(&self, shape: &Arc<Shape>, rule: usize, limit: usize) -> Option<&Table> {
        let table = self.tables(shape).get(rule)?;
        Some(table.get_or_init(|| Table::new(shape, limit)))
    }

    fn table_mut(&mut self, shape: &Arc<Shape>, rule: usize, limit: usize) -> Option<&mut Table> {
        self.tables(shape);
        let table = self.tables.get_mut()?.get_mut(rule)?;
        if table.get().is_none() {
            let _ = table.set(Table::new(shape, limit));
        }
        table.get_mut()
    }

    /// Counts one more event for `key`, keeping it as evidence if it is among the earliest
    /// `limit` (the limit of the rule's first count). `shape` is that of the key's rule.
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
        let Some(Table {
            hot, pages, limit, ..
        }) = self.table_mut(shape, rule, limit)
        else {
            return;
        };
        let (Some(before), Some(page)) = (
            hot.get_mut(slot).map(Hot::count_own),
            pages.get_mut(slot / PAGE),
        ) else {
            return;
        };
        let at = (page_hot(hot, slot / PAGE), slot % PAGE);
        page_mut(page).add(at, before, (time, id), *limit);
    }

    /// [`Tallies::add`] through a shared reference: the count is one atomic addition, and the
    /// page's lock is taken only for an event that may enter the evidence.
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
        let Some(table) = self.table(shape, rule, limit) else {
            return;
        };
        let (Some(hot), Some(page)) = (table.hot.get(slot), table.pages.get(slot / PAGE)) else {
            return;
        };
        if hot.turns_away(time, table.limit) {
            hot.count_shared();
            return;
        }
        let mut page = lock(page);
        let before = hot.count_shared();
        let at = (table.page_hot(slot / PAGE), slot % PAGE);
        page.add(at, before, (time, id), table.limit);
    }

    /// What was counted for `key`, if an event matched it.
    pub fn counted(&self, &(rule, subject, period): &Key) -> Option<Counted> {
        let table = self.tables.get()?.get(rule)?.get()?;
        let slot = table.shape.slot(subject, period)?;
        let (hot, page) = (table.hot.get(slot)?, table.pages.get(slot / PAGE)?);
        lock(page).counted(hot, table.limit)
    }

    /// Adds the tallies of another evaluator of the same plan.
    pub fn merge(&self, other: Tallies) {
        let Some(theirs) = other.tables.into_inner() else {
            return;
        };
        let mine = self.tables_of(theirs.len());
        for (mine, theirs) in mine.iter().zip(theirs) {
            let Some(theirs) = theirs.into_inner() else {
                continue;
            };
            let Some(mine) = mine.get() else {
                // Taken whole, unless another merge got there first.
                if let Err(theirs) = mine.set(theirs) {
                    if let Some(mine) = mine.get() {
                        merge_tables(mine, theirs);
                    }
                }
                continue;
            };
            merge_tables(mine, theirs);
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

fn merge_tables(mine: &Table, theirs: Table) {
    for (page, (mine_page, their_page)) in mine.pages.iter().zip(theirs.pages).enumerate() {
        let their_page = their_page
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let their_hot = page_hot(&theirs.hot, page);
        lock(mine_page).merge(mine.page_hot(page), (their_page, their_hot), mine.limit);
    }
}
