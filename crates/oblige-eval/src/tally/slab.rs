//! The cells of a page's evidence lists, in blocks of a fixed size: the lists grow without the
//! cells already given out ever moving, and what the allocator holds stays close to what is
//! used (a slab that grew by reallocation copied itself each time and left its old copies
//! behind for the allocator to keep).

use crate::evidence::Entry;

/// Cells of a block, unless a list needs more: 4 KiB.
const BLOCK: usize = 256;

/// Cells given out at increasing indices, a list never across two blocks.
#[derive(Debug, Default)]
pub(super) struct Slab {
    blocks: Vec<Box<[Entry]>>,
    /// Cells of each block, set by the first block.
    block: usize,
    /// Cells given out of the last block.
    used: usize,
}

impl Slab {
    /// Cells given out, with those left at the ends of blocks.
    pub(super) fn len(&self) -> usize {
        self.blocks.len().saturating_sub(1) * self.block + self.used
    }

    /// `cells` new cells: where they start. `largest` is the most cells ever asked for at once,
    /// the same at every call: it sets the size of the blocks.
    pub(super) fn alloc(&mut self, cells: usize, largest: usize) -> usize {
        if self.blocks.is_empty() {
            self.block = BLOCK.max(largest).max(cells);
        }
        if self.blocks.is_empty() || self.used + cells > self.block {
            self.blocks
                .push(vec![Entry::BLANK; self.block].into_boxed_slice());
            self.used = 0;
        }
        let start = (self.blocks.len() - 1) * self.block + self.used;
        self.used += cells;
        start
    }

    /// The `len` cells from `start`.
    pub(super) fn get(&self, start: usize, len: usize) -> Option<&[Entry]> {
        let (block, at) = self.place(start)?;
        self.blocks.get(block)?.get(at..at + len)
    }

    pub(super) fn get_mut(&mut self, start: usize, len: usize) -> Option<&mut [Entry]> {
        let (block, at) = self.place(start)?;
        self.blocks.get_mut(block)?.get_mut(at..at + len)
    }

    /// Copies the `len` cells from `from` to `to`.
    pub(super) fn copy(&mut self, from: usize, to: usize, len: usize) {
        let (Some((a, at_a)), Some((b, at_b))) = (self.place(from), self.place(to)) else {
            return;
        };
        let (source, target) = match a.cmp(&b) {
            std::cmp::Ordering::Equal => {
                if let Some(block) = self.blocks.get_mut(a) {
                    block.copy_within(at_a..at_a + len, at_b);
                }
                return;
            }
            std::cmp::Ordering::Less => {
                let (low, high) = self.blocks.split_at_mut(b);
                (low.get(a), high.first_mut())
            }
            std::cmp::Ordering::Greater => {
                let (low, high) = self.blocks.split_at_mut(a);
                (high.first(), low.get_mut(b))
            }
        };
        let source = source.and_then(|s| s.get(at_a..at_a + len));
        let target = target.and_then(|t| t.get_mut(at_b..at_b + len));
        if let (Some(source), Some(target)) = (source, target) {
            target.copy_from_slice(source);
        }
    }

    /// The block of cell `index` and its place there.
    fn place(&self, index: usize) -> Option<(usize, usize)> {
        let block = self.block.max(1);
        (index < self.len()).then_some((index / block, index % block))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Ids;
    use chrono::DateTime;

    fn entry(n: i64, ids: &mut Ids) -> Entry {
        Entry::new(DateTime::from_timestamp(n, 0).unwrap(), "e", ids)
    }

    /// Lists of every size up to a block, copied within and across blocks, keep their cells.
    #[test]
    fn cells_stay_where_they_were_given_out() {
        let mut ids = Ids::default();
        let mut slab = Slab::default();
        let mut lists = Vec::new();
        for n in 1..=80_usize {
            let cells = n % 20 + 1;
            let start = slab.alloc(cells, 20);
            let list = slab.get_mut(start, cells).unwrap();
            for (i, cell) in list.iter_mut().enumerate() {
                *cell = entry((n * 100 + i) as i64, &mut ids);
            }
            lists.push((start, cells, list.to_vec()));
        }
        assert!(slab.blocks.len() > 2, "the lists take several blocks");
        for (start, cells, kept) in &lists {
            assert_eq!(slab.get(*start, *cells).unwrap(), kept.as_slice());
        }
        let (first, last) = (&lists[0], &lists[lists.len() - 1]);
        let to = slab.alloc(last.1, 20);
        slab.copy(last.0, to, last.1);
        assert_eq!(slab.get(to, last.1).unwrap(), last.2.as_slice());
        let to = slab.alloc(first.1, 20);
        slab.copy(first.0, to, first.1);
        assert_eq!(slab.get(to, first.1).unwrap(), first.2.as_slice());
        assert_eq!(slab.get(slab.len(), 1), None);
    }
}
