//! Ids of up to 21 characters of the URL-safe alphabet (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`:
//! nanoids, hex, long numbers) kept as a number in 16 bytes instead of as text.
//!
//! Each character is a digit in base 65, one more than its rank in the alphabet (which is in
//! byte order), and an id shorter than 21 characters is padded with zeros: the padding sorts
//! before every character, so the numbers sort as the texts do. 65²¹ is below 2¹²⁸.

/// The most characters of an id kept so.
pub const MAX: usize = 21;

const BASE: u128 = 65;

/// The digit of a character of the alphabet, from 1.
fn digit(c: u8) -> Option<u128> {
    let rank = match c {
        b'-' => 0,
        b'0'..=b'9' => 1 + c - b'0',
        b'A'..=b'Z' => 11 + c - b'A',
        b'_' => 37,
        b'a'..=b'z' => 38 + c - b'a',
        _ => return None,
    };
    Some(u128::from(rank) + 1)
}

/// The character of a digit.
fn character(digit: u128) -> Option<u8> {
    let rank = u8::try_from(digit.checked_sub(1)?).ok()?;
    Some(match rank {
        0 => b'-',
        1..=10 => b'0' + rank - 1,
        11..=36 => b'A' + rank - 11,
        37 => b'_',
        38..=63 => b'a' + rank - 38,
        _ => return None,
    })
}

/// The number of `id`, if it is kept so.
pub fn parse(id: &str) -> Option<u128> {
    let text = id.as_bytes();
    if text.len() > MAX {
        return None;
    }
    let mut number = 0;
    for at in 0..MAX {
        let d = match text.get(at) {
            Some(&c) => digit(c)?,
            None => 0,
        };
        number = number * BASE + d;
    }
    Some(number)
}

/// Writes the text of `number` into `text`; its length.
pub fn write(mut number: u128, text: &mut [u8; MAX]) -> usize {
    let mut len = 0;
    for at in (0..MAX).rev() {
        let c = character(number % BASE);
        number /= BASE;
        if let (Some(c), Some(slot)) = (c, text.get_mut(at)) {
            *slot = c;
            len = len.max(at + 1);
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(number: u128) -> String {
        let mut buffer = [0; MAX];
        let len = write(number, &mut buffer);
        String::from_utf8(buffer[..len].to_vec()).unwrap()
    }

    #[test]
    fn ids_of_the_alphabet_round_trip_and_sort_as_text() {
        let mut ids = vec![
            "",
            "-",
            "0",
            "00",
            "0-",
            "9",
            "A",
            "Z",
            "_",
            "a",
            "z",
            "zzzzzzzzzzzzzzzzzzzzz",
            "V1StGXR8_Z5jdHi6B-myT",
            "1234567890123456789",
            "e05-not-numbered",
            "ff",
            "f_",
        ];
        for id in &ids {
            assert_eq!(text(parse(id).unwrap()), *id);
        }
        let mut by_number = ids.clone();
        by_number.sort_by_key(|id| parse(id));
        ids.sort();
        assert_eq!(by_number, ids);
    }

    #[test]
    fn other_ids_are_not_kept_so() {
        for id in ["a.b", "事故", "a b", "a:1", "zzzzzzzzzzzzzzzzzzzzzz", "+"] {
            assert_eq!(parse(id), None, "{id}");
        }
    }
}
