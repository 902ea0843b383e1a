//! A page of a tally table: the evidence lists of consecutive subjects and periods in one
//! slab. Their hot records belong to the table, outside the page's lock.

use chrono::{DateTime, Utc};

use crate::evidence::{Entry, Ids, Probe};

use super::hot::{kept, Hot};
use super::slab::Slab;
use super::Counted;

/// The room a list of `len` entries has: doubling from 4, but never past the limit, since
/// most lists fill.
fn room(len: usize, limit: usize) -> usize {
    if len == 0 {
        return 0;
    }
    len.next_power_of_two().max(4).min(limit.max(len))
}

/// The evidence of consecutive slots of a table, with what the keys of its ids need. Methods
/// take the hot records of the page's slots and the table's limit.
#[derive(Debug, Default)]
pub(super) struct Page {
    /// The earliest matches of each slot, [`kept`] of them in a block with [`room`] for
    /// them, in arrival order until full, then sorted by (time, id). The lists of the page
    /// share blocks of 4 KiB, without a list header or an allocation per list.
    slab: Slab,
    /// By room, the blocks let go as their lists grew, for other lists to take.
    free: Vec<(usize, Vec<usize>)>,
    /// Cells of the slab in free blocks.
    free_cells: usize,
    pub(super) ids: Ids,
}

impl Page {
    /// The list of `hot`.
    fn list(&self, hot: &Hot, limit: usize) -> &[Entry] {
        hot.list_start()
            .and_then(|start| self.slab.get(start, kept(hot.count(), limit)))
            .unwrap_or_default()
    }

    /// A block with room for `room` entries, in a page keeping `limit` a list.
    fn alloc(&mut self, room: usize, limit: usize) -> usize {
        if let Some(start) = self
            .free
            .iter_mut()
            .find(|(r, _)| *r == room)
            .and_then(|(_, starts)| starts.pop())
        {
            self.free_cells -= room;
            return start;
        }
        self.slab.alloc(room, limit)
    }

    fn release(&mut self, start: usize, room: usize) {
        match self.free.iter_mut().find(|(r, _)| *r == room) {
            Some((_, starts)) => starts.push(start),
            None => self.free.push((room, vec![start])),
        }
        self.free_cells += room;
    }

    /// Compacts if free blocks take much room. Every list must hold what its count says.
    fn tidy(&mut self, hots: &[Hot], limit: usize) {
        if self.free_cells > (self.slab.len() / 8).max(4 * limit + 64) {
            self.compact(hots, limit);
        }
    }

    /// Moves the lists together, leaving out the blocks let go: most lists grow through the
    /// same sizes at about the same time, so the blocks they leave are seldom taken again.
    fn compact(&mut self, hots: &[Hot], limit: usize) {
        let mut slab = Slab::default();
        for hot in hots {
            let Some(start) = hot.list_start() else {
                continue;
            };
            let cells = room(kept(hot.count(), limit), limit);
            let new = slab.alloc(cells, limit);
            hot.set_list_start(new);
            let (Some(from), Some(to)) = (self.slab.get(start, cells), slab.get_mut(new, cells))
            else {
                continue;
            };
            to.copy_from_slice(from);
        }
        self.slab = slab;
        self.free.clear();
        self.free_cells = 0;
    }

    /// Moves the list of `hot`, of length `len` (at `start` now, if any), where it has room
    /// for `want` entries. Returns where it starts.
    fn move_list(
        &mut self,
        hot: &Hot,
        old: Option<(usize, usize)>,
        (want, limit): (usize, usize),
    ) -> usize {
        let new = self.alloc(want, limit);
        if let Some((start, len)) = old {
            self.slab.copy(start, new, len);
        }
        hot.set_list_start(new);
        if let Some((start, len)) = old {
            self.release(start, room(len, limit));
        }
        new
    }

    /// Keeps the event as evidence of the slot `at` if it is among the earliest `limit`. Its
    /// match is counted already: `before` is the count before it.
    pub(super) fn add(
        &mut self,
        (hots, at): (&[Hot], usize),
        before: u64,
        (time, id): (DateTime<Utc>, &str),
        limit: usize,
    ) {
        let Some(hot) = hots.get(at) else {
            return;
        };
        if hot.turns_away(time, limit) {
            return;
        }
        let len = kept(before, limit);
        let old = hot.list_start().map(|start| (start, len));
        if len < limit {
            // Until the list is full every event is kept: appended, which writes only the
            // end of the list, and sorted once when it fills.
            let start = match old {
                Some((start, len)) if room(len, limit) > len => start,
                _ => self.move_list(hot, old, (room(len + 1, limit), limit)),
            };
            let entry = Entry::new(time, id, &mut self.ids);
            let Page { slab, ids, .. } = self;
            let Some(list) = slab.get_mut(start, len + 1) else {
                return;
            };
            list[len] = entry;
            if len + 1 >= limit {
                list.sort_unstable_by(|a, b| a.cmp_with(b, ids));
                note_full(hot, list, limit, ids);
            }
            self.tidy(hots, limit);
            return;
        }
        // Once the evidence is full most events come after its last entry: one comparison
        // of times (of ids only at equal times) and no allocation.
        let Some((start, len)) = old else {
            return;
        };
        let Page { slab, ids, .. } = self;
        let Some(first) = slab.get_mut(start, len) else {
            return;
        };
        let probe = Probe::new(time, id);
        if first.last().is_none_or(|last| !probe.before(last, ids)) {
            return;
        }
        let place = first.partition_point(|entry| !probe.before(entry, ids));
        if let Some(out) = first.last() {
            out.release(ids);
        }
        first.copy_within(place..len - 1, place + 1);
        first[place] = Entry::new(time, id, ids);
        note_full(hot, first, limit, ids);
    }

    /// What was counted in the slot of `hot`.
    pub(super) fn counted(&self, hot: &Hot, limit: usize) -> Option<Counted> {
        let count = hot.count();
        if count == 0 {
            return None;
        }
        let mut kept: Vec<&Entry> = self.list(hot, limit).iter().collect();
        kept.sort_unstable_by(|a, b| a.cmp_with(b, &self.ids));
        Some(Counted {
            count,
            truncated: count.saturating_sub(kept.len() as u64),
            ids: kept.into_iter().map(|e| e.text(&self.ids)).collect(),
        })
    }

    /// Adds the tallies of the same slots counted elsewhere, with the same limit: `other`,
    /// whose hot records are `theirs`, into this page, whose records are `mine`.
    pub(super) fn merge(&mut self, mine: &[Hot], (other, theirs): (Page, &[Hot]), limit: usize) {
        for (hot, their_hot) in mine.iter().zip(theirs) {
            let their_count = their_hot.count();
            if their_count == 0 {
                continue;
            }
            let old_len = kept(hot.count(), limit);
            hot.add_count(their_count);
            let their_list = other.list(their_hot, limit);
            if their_list.is_empty() {
                continue;
            }
            let old = hot.list_start().map(|start| (start, old_len));
            let mut all: Vec<Entry> = old
                .and_then(|(start, len)| self.slab.get(start, len))
                .unwrap_or_default()
                .to_vec();
            for entry in their_list {
                all.push(entry.moved(&other.ids, &mut self.ids));
            }
            all.sort_unstable_by(|a, b| a.cmp_with(b, &self.ids));
            for out in all.drain(limit.min(all.len())..) {
                out.release(&mut self.ids);
            }
            let len = all.len();
            let start = match old {
                Some((start, old_len)) if room(old_len, limit) == room(len, limit) => start,
                _ => self.move_list(hot, old, (room(len, limit), limit)),
            };
            let Page { slab, ids, .. } = self;
            let Some(list) = slab.get_mut(start, len) else {
                continue;
            };
            list.copy_from_slice(&all);
            note_full(hot, list, limit, ids);
        }
        self.tidy(mine, limit);
    }
}

/// Keeps the `full` of `hot` true to its list, which is sorted when full.
fn note_full(hot: &Hot, list: &[Entry], limit: usize, ids: &Ids) {
    hot.note_full(list.last().map(|e| e.time(ids)), list.len(), limit);
}
