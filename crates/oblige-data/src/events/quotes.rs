//! Searches of a line for the end of a JSON string or of a CSV cell, eight bytes at a time.
//!
//! A compact JSON line holds a dozen strings of a few to a few dozen bytes, a CSV line cells as
//! short. `memchr`'s set-up for each search cost more than its scan; a word-at-a-time search
//! finds most ends in its first or second word.

/// Each byte's lowest bit.
const LOW: u64 = 0x0101_0101_0101_0101;
/// Each byte's highest bit.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The position of the first `"` at or after `at`; with `BACKSLASH`, of the first `"` or `\`.
pub(super) fn string_end<const BACKSLASH: bool>(b: &[u8], at: usize) -> Option<usize> {
    first_of::<b'"'>(b, at, BACKSLASH.then_some(b'\\'))
}

/// The position of the first `,` at or after `at`.
pub(super) fn next_comma(b: &[u8], at: usize) -> Option<usize> {
    first_of::<b','>(b, at, None)
}

/// The position of the first `BYTE`, or `other` if given, at or after `at`.
fn first_of<const BYTE: u8>(b: &[u8], mut at: usize, other: Option<u8>) -> Option<usize> {
    while let Some(eight) = b.get(at..at + 8) {
        let word = u64::from_le_bytes(eight.try_into().ok()?);
        let mut found = zero_bytes(word ^ (LOW * u64::from(BYTE)));
        if let Some(other) = other {
            found |= zero_bytes(word ^ (LOW * u64::from(other)));
        }
        if found != 0 {
            // Bytes are numbered from the low end; the lowest flag is exact.
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = b.get(at..)?;
    let end = rest.iter().position(|&c| c == BYTE || Some(c) == other)?;
    Some(at + end)
}

/// The high bit of each byte of `x` set if that byte is zero. Bytes above the lowest zero byte
/// may be flagged wrongly (a borrow crosses into them), never bytes below it.
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LOW) & !x & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Bytes near the searched ones in value and bits, so that a wrong flag would show.
    fn line() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            Just(b'"'),
            Just(b'\\'),
            Just(b','),
            Just(b',' ^ 0x80),
            Just(b'"' ^ 0x80),
            Just(b'"' - 1),
            Just(b'"' + 1),
            Just(0u8),
            Just(1u8),
            any::<u8>()
        ];
        proptest::collection::vec(byte, 0..80)
    }

    proptest! {
        #[test]
        fn finds_the_first_end_a_byte_search_finds(line in line()) {
            for at in 0..=line.len() + 1 {
                let rest = line.get(at..).unwrap_or(&[]);
                let quote = rest.iter().position(|&c| c == b'"').map(|p| p + at);
                let either = rest.iter().position(|&c| c == b'"' || c == b'\\').map(|p| p + at);
                let comma = rest.iter().position(|&c| c == b',').map(|p| p + at);
                prop_assert_eq!(string_end::<false>(&line, at), quote, "from {}", at);
                prop_assert_eq!(string_end::<true>(&line, at), either, "from {}", at);
                prop_assert_eq!(next_comma(&line, at), comma, "from {}", at);
            }
        }
    }
}
