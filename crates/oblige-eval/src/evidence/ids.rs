//! An evidence entry's id in 4 bytes. Most logs number their events one way (`g000000123`,
//! `ev-000001`, `48213`): such an id is kept as its number, its prefix and the way its digits
//! are written being one of the two a page's [`Ids`] remembers. A UUID is kept in the [`Ids`]
//! as its 16 bytes, a short id of the URL-safe alphabet as a 16-byte number (`packed`), any
//! other id as its text; the key holds its place there.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::packed;
use super::take_place;
use super::texts::Texts;
use super::uuid;

/// Set on the key of an id kept in [`Ids`]; clear on a numbered one.
const KEPT: u32 = 1 << 31;
/// On a numbered key: the id is numbered the second way.
const SECOND: u32 = 1 << 30;
/// The largest number a key holds.
const LOW: u32 = SECOND - 1;
/// On a key kept in [`Ids`], how: these bits are [`TEXT`], [`BOXED`], [`UUID`] or [`PACKED`].
const FORM: u32 = 0b11 << 29;
/// An id kept as text among the others.
const TEXT: u32 = 0;
/// An id kept as a text of its own, with the time of its event when that is not whole seconds
/// from 1970 that 32 bits hold.
const BOXED: u32 = 1 << 29;
/// A UUID kept as its bytes.
const UUID: u32 = 2 << 29;
/// A short id of the URL-safe alphabet kept as a number.
const PACKED: u32 = 3 << 29;
/// The largest place in [`Ids`].
const PLACE: u32 = (1 << 29) - 1;
/// The most digits of a numbered id (`1073741823`, [`LOW`], has ten).
const MAX_DIGITS: usize = 10;
/// Room for the text of a numbered id's digits or of a UUID.
const WRITTEN: usize = uuid::TEXT;

/// An event id, as its number or as its place in [`Ids`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdKey(u32);

impl IdKey {
    /// What fills a block's room before entries take it.
    pub const BLANK: IdKey = IdKey(0);

    /// Where in [`Ids`] the id is, if it is kept there as `form`.
    fn place(self, form: u32) -> Option<usize> {
        (self.0 & KEPT != 0 && self.0 & FORM == form).then_some((self.0 & PLACE) as usize)
    }

    /// Whether the time of the event may be kept with the id.
    pub fn has_time(self) -> bool {
        self.place(BOXED).is_some()
    }

    /// The numbering and number of a numbered id.
    fn numbered(self) -> Option<(usize, u32)> {
        (self.0 & KEPT == 0).then_some((usize::from(self.0 & SECOND != 0), self.0 & LOW))
    }

    fn kept(form: u32, place: usize) -> IdKey {
        // A page keeps at most its slots times the evidence limit, far below 2^29.
        let place = u32::try_from(place).map_or(PLACE, |place| place.min(PLACE));
        IdKey(KEPT | form | place)
    }
}

/// One way of numbering ids: a prefix, then digits, either zero-padded to a width or written
/// as the number is (no leading zero).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Numbering {
    prefix: Box<str>,
    width: Option<u8>,
}

impl Numbering {
    fn of(prefix: &str, digits: &str) -> Numbering {
        Numbering {
            prefix: prefix.into(),
            width: padded(digits).then_some(digits.len() as u8),
        }
    }

    fn fits(&self, prefix: &str, digits: &str) -> bool {
        *self.prefix == *prefix
            && match self.width {
                Some(width) => usize::from(width) == digits.len(),
                None => !padded(digits),
            }
    }

    /// The digits of `number` as this numbering writes them.
    fn digits(&self, number: u32, buffer: &mut [u8; WRITTEN]) -> usize {
        let width = usize::from(self.width.unwrap_or(1));
        let (mut rest, mut len) = (number, 0);
        while let Some(slot) = buffer.get_mut(len).filter(|_| len < MAX_DIGITS) {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
            len += 1;
            if rest == 0 && len >= width {
                break;
            }
        }
        buffer[..len].reverse();
        len
    }
}

/// How two numbers written without leading zeros compare as text. Evidence at the same instant
/// is ordered by id, and logs numbered by a script (`1`, `2`, … `10`) are compared so for every
/// such tie, where writing out both numbers' digits cost some hundred instructions.
///
/// The shorter number's digits, followed by zeros to the other's length, compare as their
/// first digits do; if they are equal the shorter number is a prefix of the other's text.
fn unpadded_cmp(a: u32, b: u32) -> Ordering {
    let (len_a, len_b) = (decimal_len(a), decimal_len(b));
    let longest = len_a.max(len_b);
    let widened = |n: u32, len: u32| u64::from(n) * 10_u64.pow(longest - len);
    widened(a, len_a)
        .cmp(&widened(b, len_b))
        .then(len_a.cmp(&len_b))
}

/// The number of decimal digits of `n` (one for zero).
fn decimal_len(n: u32) -> u32 {
    n.checked_ilog10().map_or(1, |log| log + 1)
}

/// Whether digits start with a zero that writing their number would leave out.
fn padded(digits: &str) -> bool {
    digits.len() > 1 && digits.starts_with('0')
}

/// An id's prefix, its trailing digits and their number, if the number fits in a key.
fn split(id: &str) -> Option<(&str, &str, u32)> {
    let start = id
        .bytes()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |last| last + 1);
    let (prefix, digits) = id.split_at_checked(start)?;
    if digits.is_empty() || digits.len() > MAX_DIGITS {
        return None;
    }
    let number = digits.parse::<u32>().ok().filter(|n| *n <= LOW)?;
    Some((prefix, digits, number))
}

/// An incoming id as the kept forms it can be compared with read it: read once for all the
/// comparisons of one event with the entries of a list, which are many when their times tie.
#[derive(Clone, Copy, Debug)]
pub enum ReadId {
    /// A UUID, as its bytes.
    Uuid([u8; 16]),
    /// A short id of the URL-safe alphabet, as its number.
    Packed(u128),
    /// Any other id, compared as text.
    Text,
}

impl ReadId {
    /// How `id` reads.
    pub fn of(id: &str) -> ReadId {
        if let Some(bytes) = uuid::parse(id) {
            return ReadId::Uuid(bytes);
        }
        packed::parse(id).map_or(ReadId::Text, ReadId::Packed)
    }
}

/// What the keys of a page's entries need: the two ways its numbered ids are written, the
/// UUIDs, and the other ids' texts, with the time of their event when that is not plain. Places
/// of ids no longer kept are reused, so this grows with the evidence kept, not with the events
/// seen.
#[derive(Clone, Debug, Default)]
pub struct Ids {
    numberings: Vec<Numbering>,
    texts: Texts,
    boxed: Vec<(Box<str>, Option<DateTime<Utc>>)>,
    free: Vec<usize>,
    uuids: Vec<[u8; 16]>,
    free_uuids: Vec<usize>,
    packed: Vec<u128>,
    free_packed: Vec<usize>,
}

impl Ids {
    /// The key of `id`.
    pub fn key(&mut self, id: &str) -> IdKey {
        // A UUID first: one ending in digits would take a numbering of its own.
        if let Some(bytes) = uuid::parse(id) {
            return self.uuid_key(bytes);
        }
        if let Some(key) = self.numbered_key(id) {
            return key;
        }
        match packed::parse(id) {
            Some(number) => self.packed_key(number),
            None => self.text_key(id),
        }
    }

    /// The key of `id` kept whole with the time of its event.
    pub fn key_with_time(&mut self, id: &str, time: DateTime<Utc>) -> IdKey {
        self.boxed_key(id, Some(time))
    }

    fn numbered_key(&mut self, id: &str) -> Option<IdKey> {
        let (prefix, digits, number) = split(id)?;
        let way = match self.numberings.iter().position(|n| n.fits(prefix, digits)) {
            Some(way) => way,
            None if self.numberings.len() < 2 => {
                self.numberings.push(Numbering::of(prefix, digits));
                self.numberings.len() - 1
            }
            None => return None,
        };
        Some(IdKey(if way == 0 { number } else { number | SECOND }))
    }

    fn text_key(&mut self, id: &str) -> IdKey {
        match self.texts.add(id) {
            Some(place) => IdKey::kept(TEXT, place),
            None => self.boxed_key(id, None),
        }
    }

    fn boxed_key(&mut self, id: &str, time: Option<DateTime<Utc>>) -> IdKey {
        let place = take_place(&mut self.boxed, &mut self.free, (id.into(), time));
        IdKey::kept(BOXED, place)
    }

    fn uuid_key(&mut self, bytes: [u8; 16]) -> IdKey {
        IdKey::kept(
            UUID,
            take_place(&mut self.uuids, &mut self.free_uuids, bytes),
        )
    }

    fn packed_key(&mut self, number: u128) -> IdKey {
        IdKey::kept(
            PACKED,
            take_place(&mut self.packed, &mut self.free_packed, number),
        )
    }

    /// The time kept with the id of `key`, if there is one.
    pub fn time(&self, key: IdKey) -> Option<DateTime<Utc>> {
        self.boxed
            .get(key.place(BOXED)?)
            .and_then(|(_, time)| *time)
    }

    fn uuid(&self, key: IdKey) -> Option<&[u8; 16]> {
        self.uuids.get(key.place(UUID)?)
    }

    fn packed(&self, key: IdKey) -> Option<u128> {
        self.packed.get(key.place(PACKED)?).copied()
    }

    /// The text of `key` in two pieces (a prefix and digits, or the whole id and nothing),
    /// what is not kept as text written into `buffer`.
    fn pieces<'a>(&'a self, key: IdKey, buffer: &'a mut [u8; WRITTEN]) -> (&'a [u8], &'a [u8]) {
        if let Some(place) = key.place(TEXT) {
            return (self.texts.get(place), &[]);
        }
        if let Some(place) = key.place(BOXED) {
            let text = self.boxed.get(place).map_or("", |(text, _)| text);
            return (text.as_bytes(), &[]);
        }
        if let Some(bytes) = self.uuid(key) {
            uuid::write(bytes, buffer);
            return (buffer, &[]);
        }
        if let Some(number) = self.packed(key) {
            let Some(text) = buffer.first_chunk_mut::<{ packed::MAX }>() else {
                return (&[], &[]);
            };
            let len = packed::write(number, text);
            return (&buffer[..len], &[]);
        }
        let Some((way, number)) = key.numbered() else {
            return (&[], &[]);
        };
        let Some(numbering) = self.numberings.get(way) else {
            return (&[], &[]);
        };
        let len = numbering.digits(number, buffer);
        (numbering.prefix.as_bytes(), &buffer[..len])
    }

    /// Compares the ids of two keys as text.
    pub fn cmp(&self, a: IdKey, b: IdKey) -> Ordering {
        if let (Some((way_a, number_a)), Some((way_b, number_b))) = (a.numbered(), b.numbered()) {
            match self.numberings.get(way_a).map(|n| n.width) {
                Some(Some(_)) if way_a == way_b => return number_a.cmp(&number_b),
                Some(None) if way_a == way_b => return unpadded_cmp(number_a, number_b),
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (self.uuid(a), self.uuid(b)) {
            // Lowercase hex digits sort as the nibbles they write.
            return a.cmp(b);
        }
        if let (Some(a), Some(b)) = (self.packed(a), self.packed(b)) {
            return a.cmp(&b);
        }
        let (mut buffer_a, mut buffer_b) = ([0; WRITTEN], [0; WRITTEN]);
        let (prefix_a, digits_a) = self.pieces(a, &mut buffer_a);
        let (prefix_b, digits_b) = self.pieces(b, &mut buffer_b);
        prefix_a
            .iter()
            .chain(digits_a)
            .cmp(prefix_b.iter().chain(digits_b))
    }

    /// Compares the id of `key` with `id` as text; `read` is [`ReadId::of`] `id`.
    pub fn cmp_str(&self, key: IdKey, id: &str, read: ReadId) -> Ordering {
        match read {
            ReadId::Uuid(b) => {
                if let Some(a) = self.uuid(key) {
                    return a.cmp(&b);
                }
            }
            ReadId::Packed(b) => {
                if let Some(a) = self.packed(key) {
                    return a.cmp(&b);
                }
            }
            ReadId::Text => {}
        }
        let mut buffer = [0; WRITTEN];
        let (prefix, digits) = self.pieces(key, &mut buffer);
        prefix.iter().chain(digits).cmp(id.as_bytes().iter())
    }

    /// The id of `key`.
    pub fn text(&self, key: IdKey) -> String {
        let mut buffer = [0; WRITTEN];
        let (prefix, digits) = self.pieces(key, &mut buffer);
        let mut bytes = Vec::with_capacity(prefix.len() + digits.len());
        bytes.extend_from_slice(prefix);
        bytes.extend_from_slice(digits);
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Forgets the id of `key` if it is kept here: its entry left the evidence.
    pub fn release(&mut self, key: IdKey) {
        if let Some(place) = key.place(TEXT) {
            self.texts.remove(place);
        } else if let Some(place) = key.place(BOXED) {
            if let Some(slot) = self.boxed.get_mut(place) {
                *slot = (Box::default(), None);
                self.free.push(place);
            }
        } else if let Some(place) = key.place(UUID).filter(|&place| place < self.uuids.len()) {
            self.free_uuids.push(place);
        } else if let Some(place) = (key.place(PACKED)).filter(|&place| place < self.packed.len()) {
            self.free_packed.push(place);
        }
    }

    /// Ids kept here now.
    #[cfg(test)]
    pub fn kept_len(&self) -> usize {
        self.texts.len() + self.boxed.len() - self.free.len() + self.uuids.len()
            - self.free_uuids.len()
            + self.packed.len()
            - self.free_packed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_order_as_text_numbered_or_whole() {
        let ids = [
            "",
            "0",
            "007",
            "1",
            "10",
            "1073741823",
            "1073741824",
            "12345678901",
            "9",
            "a",
            "a\0",
            "a1",
            "g000000001",
            "g000000010",
            "g00000001",
            "g123",
            "事故-1",
            "z",
            "a-much-longer-id-than-eleven",
            "00000000-0000-0000-0000-000000000001",
            "ae79991f-2915-1772-baed-3253c8570bf3",
            "ae79991f-2915-1772-baed-3253c8570bf4",
            "ae79991f-2915-1772-baed-3253c8570bf",
            "AE79991F-2915-1772-BAED-3253C8570BF3",
            "V1StGXR8_Z5jdHi6B-myT",
            "V1StGXR8_Z5jdHi6B-myU",
            "V1StGXR8_Z5jdHi6B-my",
            "-",
            "_",
            "zz",
        ];
        // Every order of arrival gives the page other numberings, and other ids whole.
        for first in 0..ids.len() {
            let mut table = Ids::default();
            let order = ids.iter().cycle().skip(first).take(ids.len());
            let keys: Vec<(&str, IdKey)> = order.map(|id| (*id, table.key(id))).collect();
            for (x, kx) in &keys {
                assert_eq!(table.text(*kx), *x);
                for (y, ky) in &keys {
                    assert_eq!(table.cmp(*kx, *ky), x.cmp(y), "{x:?} {y:?}");
                    let read = ReadId::of(y);
                    assert_eq!(table.cmp_str(*kx, y, read), x.cmp(y), "{x:?} {y:?}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Numbers of every length, and numbers that are prefixes of each other (`12`, `120`,
        /// `1200`), which the widened comparison has to break by length.
        #[test]
        fn unpadded_numbers_compare_as_their_text(
            a in 0..=LOW,
            b in 0..=LOW,
            digits in 1_u32..10,
            zeros in 0_u32..4,
        ) {
            let short = a % 10_u32.pow(digits);
            let long = u32::try_from(u64::from(short) * 10_u64.pow(zeros)).unwrap_or(LOW).min(LOW);
            for (x, y) in [(a, b), (short, long), (long, short), (a, a), (short, b)] {
                proptest::prop_assert_eq!(
                    unpadded_cmp(x, y),
                    x.to_string().cmp(&y.to_string()),
                    "{} {}", x, y
                );
            }
        }
    }

    #[test]
    fn numbered_ids_are_not_kept_and_uuids_as_bytes() {
        let mut table = Ids::default();
        for n in [0, 7, 123, 999_999_999] {
            table.key(&format!("g{n:09}"));
            table.key(&n.to_string());
        }
        assert_eq!(table.kept_len(), 0);
        table.key("ev-000001");
        assert_eq!(table.kept_len(), 1, "a third numbering is kept whole");
        let uuid = table.key("ae79991f-2915-1772-baed-3253c8570003");
        assert_eq!((table.kept_len(), table.uuids.len()), (2, 1));
        assert_eq!(table.text(uuid), "ae79991f-2915-1772-baed-3253c8570003");
        table.release(uuid);
        assert_eq!(table.kept_len(), 1);
    }

    #[test]
    fn short_ids_of_the_url_alphabet_are_kept_as_numbers() {
        let mut table = Ids::default();
        table.key("g000000001");
        table.key("48213");
        let nanoid = table.key("V1StGXR8_Z5jdHi6B-myT");
        let long_number = table.key("1234567890123456789");
        assert_eq!((table.packed.len(), table.texts.len()), (2, 0));
        assert_eq!(table.text(nanoid), "V1StGXR8_Z5jdHi6B-myT");
        assert_eq!(table.text(long_number), "1234567890123456789");
        table.release(nanoid);
        let again = table.key("V1StGXR8_Z5jdHi6B-myU");
        assert_eq!(
            (table.kept_len(), table.packed.len()),
            (2, 2),
            "the place is reused"
        );
        assert_eq!(table.text(again), "V1StGXR8_Z5jdHi6B-myU");
    }

    #[test]
    fn released_places_are_reused() {
        let mut table = Ids::default();
        let a = table.key("a.long.id.number.one");
        table.release(a);
        let b = table.key("a.long.id.number.two");
        assert_eq!((table.kept_len(), table.texts.len()), (1, 1));
        assert_eq!(table.text(b), "a.long.id.number.two");
    }
}
