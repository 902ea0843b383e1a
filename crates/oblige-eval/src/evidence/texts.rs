//! Ids kept whole, back to back in one buffer: an id costs its bytes and 8 bytes of place,
//! where a boxed string cost an allocation of its own and a 16-byte pointer.

use super::take_place;

/// The length of a place whose text was let go.
const FREE: u32 = u32::MAX;

/// Bytes of texts let go that a buffer keeps before it is compacted, at least.
const MIN_DEAD: usize = 4096;

/// Texts by place. Places let go are reused; the bytes of texts let go stay until they are a
/// quarter of the buffer, which is then compacted.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    bytes: Vec<u8>,
    /// By place: where its text starts in `bytes`, and its length ([`FREE`] once let go).
    spans: Vec<(u32, u32)>,
    free: Vec<usize>,
    /// Bytes of texts let go, still in `bytes`.
    dead: usize,
}

impl Texts {
    /// Keeps `text`; where it is kept, or `None` if the buffer cannot hold it (4 GiB).
    pub fn add(&mut self, text: &str) -> Option<usize> {
        if self.dead > MIN_DEAD && self.dead * 4 > self.bytes.len() {
            self.compact();
        }
        let start = u32::try_from(self.bytes.len()).ok()?;
        let len = u32::try_from(text.len()).ok().filter(|&len| len != FREE)?;
        start.checked_add(len)?;
        self.bytes.extend_from_slice(text.as_bytes());
        Some(take_place(&mut self.spans, &mut self.free, (start, len)))
    }

    /// The text at `place`.
    pub fn get(&self, place: usize) -> &[u8] {
        self.spans
            .get(place)
            .filter(|(_, len)| *len != FREE)
            .and_then(|&(start, len)| {
                let start = start as usize;
                self.bytes.get(start..start + len as usize)
            })
            .unwrap_or_default()
    }

    /// Lets go of the text at `place`.
    pub fn remove(&mut self, place: usize) {
        if let Some((_, len)) = self.spans.get_mut(place).filter(|(_, len)| *len != FREE) {
            self.dead += *len as usize;
            *len = FREE;
            self.free.push(place);
        }
    }

    /// Texts kept now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.spans.len() - self.free.len()
    }

    /// Moves the texts kept together, leaving out those let go; places do not change.
    fn compact(&mut self) {
        let mut bytes = Vec::with_capacity(self.bytes.len() - self.dead);
        for (start, len) in &mut self.spans {
            if *len == FREE {
                continue;
            }
            let from = *start as usize;
            let text = self
                .bytes
                .get(from..from + *len as usize)
                .unwrap_or_default();
            // The kept texts are fewer bytes than before, so their starts still fit.
            *start = u32::try_from(bytes.len()).unwrap_or(0);
            bytes.extend_from_slice(text);
        }
        self.bytes = bytes;
        self.dead = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts added and let go in turn keep their places and bytes through compactions, and the
    /// buffer stays within a few times what is kept.
    #[test]
    fn texts_survive_compaction_and_the_buffer_stays_small() {
        let mut texts = Texts::default();
        let mut kept: Vec<(usize, String)> = Vec::new();
        for n in 0..20_000_u32 {
            let text = format!("event-{n:x}-{}", "x".repeat((n % 13) as usize));
            let place = texts.add(&text).unwrap();
            kept.push((place, text));
            if n % 3 != 0 {
                let (place, _) = kept.remove((n as usize * 7919) % kept.len());
                texts.remove(place);
            }
        }
        for (place, text) in &kept {
            assert_eq!(texts.get(*place), text.as_bytes());
        }
        assert_eq!(texts.len(), kept.len());
        let live: usize = kept.iter().map(|(_, t)| t.len()).sum();
        assert!(
            texts.bytes.len() <= live * 4 / 3 + MIN_DEAD + 64,
            "{}",
            texts.bytes.len()
        );
        texts.remove(kept[0].0);
        texts.remove(kept[0].0);
        assert_eq!(
            texts.len(),
            kept.len() - 1,
            "a place let go twice counts once"
        );
        assert_eq!(texts.get(kept[0].0), b"");
    }
}
