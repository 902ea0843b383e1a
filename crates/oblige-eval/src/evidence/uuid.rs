//! Ids written as UUIDs (`ae79991f-2915-1772-baed-3253c8570bf3`, lowercase as most systems
//! write them) kept as their 16 bytes instead of 36 characters: many logs identify events so.

/// Characters of a UUID's text.
pub const TEXT: usize = 36;

/// Where the dashes of a UUID's text are.
const DASHES: [usize; 4] = [8, 13, 18, 23];

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The bytes of `id` if it is a UUID in lowercase, so that its text is told by them alone.
pub fn parse(id: &str) -> Option<[u8; 16]> {
    let text = id.as_bytes();
    if text.len() != TEXT || DASHES.iter().any(|&at| text.get(at) != Some(&b'-')) {
        return None;
    }
    // The hex digits are the text but for its dashes: 32 of them, fewer if a dash is out of
    // place, which then leaves a byte without its digits.
    let mut nibbles = (text.iter()).filter(|&&c| c != b'-').map(|&c| nibble(c));
    let mut bytes = [0_u8; 16];
    for byte in &mut bytes {
        let (high, low) = (nibbles.next()??, nibbles.next()??);
        *byte = (high << 4) | low;
    }
    Some(bytes)
}

/// The value of a lowercase hex digit.
fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// The text of a UUID's bytes, lowercase.
pub fn write(bytes: &[u8; 16], text: &mut [u8; TEXT]) {
    let mut nibbles = bytes.iter().flat_map(|b| [b >> 4, b & 0xF]);
    for (at, c) in text.iter_mut().enumerate() {
        *c = if DASHES.contains(&at) {
            b'-'
        } else {
            nibbles
                .next()
                .and_then(|n| HEX.get(usize::from(n)))
                .copied()
                .unwrap_or(b'0')
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_uuids_round_trip_others_are_not_read() {
        for id in [
            "ae79991f-2915-1772-baed-3253c8570bf3",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ] {
            let bytes = parse(id).unwrap();
            let mut text = [0; TEXT];
            write(&bytes, &mut text);
            assert_eq!(std::str::from_utf8(&text).unwrap(), id);
        }
        for id in [
            "AE79991F-2915-1772-BAED-3253C8570BF3",
            "ae79991f-2915-1772-baed-3253c8570bf",
            "ae79991f-2915-1772-baed-3253c8570bf33",
            "ae79991f12915-1772-baed-3253c8570bf3",
            "ge79991f-2915-1772-baed-3253c8570bf3",
            "ae79991f-2915-1772-baed-3253c8570b-3",
        ] {
            assert_eq!(parse(id), None, "{id}");
        }
    }
}
