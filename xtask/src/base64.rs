//! Standard base64 (RFC 4648, `=` padding optional, no whitespace), decoded for the two places
//! xtask meets it: the manifest's `key` (`extension_id`) and wasm2js's data segments
//! (`wasm_edit`).

use crate::Result;

/// The bytes of `text`; `what` names it in the errors ("the manifest's base64 key").
pub fn decode(text: &str, what: &str) -> Result<Vec<u8>> {
    let value = |c: u8| -> Result<u32> {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("`{}` in {what}", c as char)),
        };
        Ok(value.into())
    };
    let text = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.chunks(4) {
        let mut bits = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            bits |= value(c)? << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        match chunk.len() {
            4 => out.extend_from_slice(&bytes[1..4]),
            3 => out.extend_from_slice(&bytes[1..3]),
            2 => out.push(bytes[1]),
            _ => return Err(format!("{what} has an impossible length")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_with_and_without_padding_and_names_what_is_wrong() {
        assert_eq!(decode("aGk=", "x").unwrap(), b"hi");
        assert_eq!(decode("aGk", "x").unwrap(), b"hi");
        assert_eq!(decode("aGVsbG8h", "x").unwrap(), b"hello!");
        assert_eq!(decode("a!", "the key").unwrap_err(), "`!` in the key");
        assert_eq!(
            decode("aGVsb", "the key").unwrap_err(),
            "the key has an impossible length"
        );
        assert_eq!(decode("TWFu", "x").unwrap(), b"Man");
        assert_eq!(decode("TWE=", "x").unwrap(), b"Ma");
        assert_eq!(decode("TQ==", "x").unwrap(), b"M");
        assert!(decode("T", "x").is_err());
        assert!(decode("TW u", "x").is_err());
    }
}
