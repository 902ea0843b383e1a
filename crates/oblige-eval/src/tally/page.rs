//! A page of a tally table: the hot records of consecutive subjects and periods, and their
//! evidence lists in one slab.

use chrono::{DateTime, Utc};

use crate::evidence::{Entry, LongIds, Probe};

use super::Counted;

/// A count, where the evidence is full, and where the evidence is: 16 bytes.
#[derive(Clone, Copy, Debug, Default)]
struct Hot {
    /// All matches.
    count: u64,
    /// 0 while the evidence is not full; then the [`time_key`] of its last entry: an event of
    /// a greater key is turned away without reading the list, which lives elsewhere in memory.
    full: u32,
    /// 0 without evidence, else where its list starts in [`Page::slab`], plus one. The list
    /// holds the earliest [`kept`] of `count` matches.
    list: u32,
}

/// How many of `count` matches a list keeps: the earliest, up to `limit`. Known from the hot
/// record alone, so that counting an event need not read the list.
fn kept(count: u64, limit: usize) -> usize {
    usize::try_from(count).map_or(limit, |count| count.min(limit))
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
pub(super) struct Page {
    /// By slot, once any is counted.
    hot: Vec<Hot>,
    /// How many matches a slot's evidence keeps at most, set with `hot`.
    limit: usize,
    /// The earliest matches of each slot, [`kept`] of them in a block with [`room`] for
    /// them, in arrival order until full, then sorted by (time, id). One allocation for the
    /// lists of the page, without a list header or an allocation per list.
    slab: Vec<Entry>,
    /// By room, the blocks let go as their lists grew, for other lists to take.
    free: Vec<(usize, Vec<usize>)>,
    /// Cells of the slab in free blocks.
    free_cells: usize,
    pub(super) long: LongIds,
}

impl Page {
    /// The hot record of the slot `at`, the page's records made if none was (`slots` of them:
    /// a rule of few subjects has a small page), keeping at most `limit` matches each; and
    /// the limit the page keeps to, `limit` unless the page had one.
    fn hot(&mut self, at: usize, slots: usize, limit: usize) -> Option<(&mut Hot, usize)> {
        if self.hot.is_empty() {
            self.hot = vec![Hot::default(); slots.max(at + 1)];
            self.limit = limit;
        }
        let limit = self.limit;
        Some((self.hot.get_mut(at)?, limit))
    }

    /// Where the list of `hot` starts, and its length.
    fn list_at(&self, hot: Hot) -> Option<(usize, usize)> {
        let start = (hot.list as usize).checked_sub(1)?;
        Some((start, kept(hot.count, self.limit)))
    }

    fn list(&self, hot: Hot) -> &[Entry] {
        self.list_at(hot)
            .and_then(|(start, len)| self.slab.get(start..start + len))
            .unwrap_or_default()
    }

    /// A block with room for `room` entries.
    fn alloc(&mut self, room: usize) -> usize {
        if let Some(start) = self
            .free
            .iter_mut()
            .find(|(r, _)| *r == room)
            .and_then(|(_, starts)| starts.pop())
        {
            self.free_cells -= room;
            return start;
        }
        let start = self.slab.len();
        if self.slab.capacity() - start < room {
            // An eighth more at a time: the slab is most of a page's memory.
            self.slab.reserve_exact(room.max(start / 8 + 32));
        }
        self.slab.resize(start + room, Entry::BLANK);
        start
    }

    fn release(&mut self, start: usize, room: usize) {
        match self.free.iter_mut().find(|(r, _)| *r == room) {
            Some((_, starts)) => starts.push(start),
            None => self.free.push((room, vec![start])),
        }
        self.free_cells += room;
    }

    /// Compacts if free blocks take much room. Every list must hold what its count says.
    fn tidy(&mut self) {
        if self.free_cells > (self.slab.len() / 8).max(4 * self.limit + 64) {
            self.compact();
        }
    }

    /// Moves the lists together, leaving out the blocks let go: most lists grow through the
    /// same sizes at about the same time, so the blocks they leave are seldom taken again.
    fn compact(&mut self) {
        let live = self.slab.len() - self.free_cells;
        let mut slab = Vec::with_capacity(live + live / 16);
        for hot in &mut self.hot {
            let Some(start) = (hot.list as usize).checked_sub(1) else {
                continue;
            };
            let cells = room(kept(hot.count, self.limit), self.limit);
            hot.list = u32::try_from(slab.len() + 1).unwrap_or(0);
            slab.extend_from_slice(self.slab.get(start..start + cells).unwrap_or_default());
        }
        self.slab = slab;
        self.free.clear();
        self.free_cells = 0;
    }

    /// Moves the list of the slot `at`, of length `len`, where it has room for `want` entries
    /// (at `start` now, if any). Returns where it starts.
    fn move_list(&mut self, at: usize, old: Option<(usize, usize)>, want: usize) -> usize {
        let new = self.alloc(want);
        if let Some((start, len)) = old {
            self.slab.copy_within(start..start + len, new);
        }
        if let Some(hot) = self.hot.get_mut(at) {
            hot.list = u32::try_from(new + 1).unwrap_or(0);
        }
        if let Some((start, len)) = old {
            self.release(start, room(len, self.limit));
        }
        new
    }

    /// Counts one more event, keeping it as evidence if it is among the earliest `limit`.
    pub(super) fn add(
        &mut self,
        (at, slots): (usize, usize),
        time: DateTime<Utc>,
        id: &str,
        limit: usize,
    ) {
        let Some((hot, limit)) = self.hot(at, slots, limit) else {
            return;
        };
        let len = kept(hot.count, limit);
        hot.count += 1;
        if (hot.full != 0 && time_key(time) > hot.full) || limit == 0 {
            return;
        }
        let old = (hot.list as usize).checked_sub(1).map(|start| (start, len));
        if len < limit {
            // Until the list is full every event is kept: appended, which writes only the
            // end of the list, and sorted once when it fills.
            let start = match old {
                Some((start, len)) if room(len, limit) > len => start,
                _ => self.move_list(at, old, room(len + 1, limit)),
            };
            let entry = Entry::new(time, id, &mut self.long);
            let Page {
                hot, slab, long, ..
            } = self;
            let (Some(list), Some(hot)) = (slab.get_mut(start..=start + len), hot.get_mut(at))
            else {
                return;
            };
            list[len] = entry;
            if len + 1 >= limit {
                list.sort_unstable_by(|a, b| a.cmp_with(b, long));
                note_full(list, &mut hot.full, limit, long);
            }
            self.tidy();
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
        let (Some(first), Some(hot)) = (slab.get_mut(start..start + len), hot.get_mut(at)) else {
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
    pub(super) fn counted(&self, at: usize) -> Option<Counted> {
        let hot = *self.hot.get(at).filter(|h| h.count > 0)?;
        let mut kept: Vec<&Entry> = self.list(hot).iter().collect();
        kept.sort_unstable_by(|a, b| a.cmp_with(b, &self.long));
        Some(Counted {
            count: hot.count,
            truncated: hot.count.saturating_sub(kept.len() as u64),
            ids: kept.into_iter().map(|e| e.id.text(&self.long)).collect(),
        })
    }

    /// Adds the tallies of the same slots counted elsewhere, with the same limit.
    pub(super) fn merge(&mut self, other: Page) {
        if self.hot.is_empty() {
            *self = other;
            return;
        }
        let limit = self.limit;
        for (at, &theirs) in other.hot.iter().enumerate() {
            if theirs.count == 0 {
                continue;
            }
            let Some(hot) = self.hot.get_mut(at) else {
                continue;
            };
            let old_len = kept(hot.count, limit);
            hot.count += theirs.count;
            let old = (hot.list as usize)
                .checked_sub(1)
                .map(|start| (start, old_len));
            let their_list = other.list(theirs);
            if their_list.is_empty() {
                continue;
            }
            let mut all: Vec<Entry> = old
                .and_then(|(start, len)| self.slab.get(start..start + len))
                .unwrap_or_default()
                .to_vec();
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
                _ => self.move_list(at, old, room(len, limit)),
            };
            let Page {
                hot, slab, long, ..
            } = self;
            let (Some(list), Some(hot)) = (slab.get_mut(start..start + len), hot.get_mut(at))
            else {
                continue;
            };
            list.copy_from_slice(&all);
            note_full(list, &mut hot.full, limit, long);
        }
        self.tidy();
    }
}

/// Keeps `full` true to the list, which is sorted when full.
fn note_full(first: &[Entry], full: &mut u32, limit: usize, long: &LongIds) {
    *full = match first.last() {
        Some(last) if first.len() >= limit => time_key(last.time(long)),
        _ => 0,
    };
}
