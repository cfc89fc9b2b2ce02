//! A small JSON reader and writer for the API's bodies, used instead of serde_json in the browser.
//!
//! Why not serde: the content script loads on every job page and has a 40 KB (gzip) budget.
//! serde's derived deserializers pull in float formatting (for "invalid type: floating point …"
//! messages) and serde_json's number machinery, about 25 KB gzipped, for bodies that hold only
//! strings. This reader keeps numbers as their source text and never formats a float. serde
//! stays for the emulator, which runs natively.

use std::fmt;

/// A parsed JSON value. Numbers are kept as their text: the API's bodies never need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// What was wrong with a JSON text, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    /// Byte offset into the text.
    pub offset: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

/// How deep arrays and objects may nest before the text is refused (no stack exhaustion).
pub const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.at != parser.bytes.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> JsonError {
        JsonError {
            message: message.to_string(),
            offset: self.at,
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn expect_word(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.skip_whitespace();
        match self.bytes.get(self.at) {
            None => Err(self.error("unexpected end of text")),
            Some(b'n') => self.expect_word("null", Json::Null),
            Some(b't') => self.expect_word("true", Json::Bool(true)),
            Some(b'f') => self.expect_word("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        let digits = |parser: &mut Self| {
            let from = parser.at;
            while let Some(b'0'..=b'9') = parser.bytes.get(parser.at) {
                parser.at += 1;
            }
            parser.at > from
        };
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        if self.bytes.get(self.at) == Some(&b'0') {
            // JSON allows no leading zeros: "0" and "0.5", never "01".
            self.at += 1;
        } else if !digits(self) {
            return Err(self.error("expected digits"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        Ok(Json::Number(self.slice(start, self.at).to_string()))
    }

    /// The text between two byte offsets. Callers only cut before or after ASCII bytes, which
    /// are always character boundaries, so this never comes back empty by mistake.
    fn slice(&self, from: usize, to: usize) -> &str {
        self.text.get(from..to).unwrap_or_default()
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let hex = self
            .text
            .get(self.at..self.at + 4)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        self.at += 4;
        Ok(hex)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1; // the opening quote
        let mut text = String::new();
        loop {
            let run_start = self.at;
            while let Some(&byte) = self.bytes.get(self.at) {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            text.push_str(self.slice(run_start, self.at));
            match self.bytes.get(self.at) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(text);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = *self
                        .bytes
                        .get(self.at)
                        .ok_or_else(|| self.error("unterminated string"))?;
                    self.at += 1;
                    match escape {
                        b'"' => text.push('"'),
                        b'\\' => text.push('\\'),
                        b'/' => text.push('/'),
                        b'b' => text.push('\u{8}'),
                        b'f' => text.push('\u{c}'),
                        b'n' => text.push('\n'),
                        b'r' => text.push('\r'),
                        b't' => text.push('\t'),
                        b'u' => text.push(self.unicode_escape()?),
                        _ => return Err(self.error("unknown escape")),
                    }
                }
                Some(_) => return Err(self.error("control character in a string")),
            }
        }
    }

    /// After `\u`: one code unit, or a surrogate pair; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u") {
            let rewind = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.at = rewind;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(self.error("expected a member name"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.bytes.get(self.at) != Some(&b':') {
                return Err(self.error("expected `:`"));
            }
            self.at += 1;
            members.push((name, self.value(depth + 1)?));
            self.skip_whitespace();
            match self.bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

impl Json {
    /// The first member named by any of `names`, if this is an object (aliases in order).
    pub fn member(&self, names: &[&str]) -> Option<&Json> {
        let Json::Object(members) = self else {
            return None;
        };
        names.iter().find_map(|name| {
            members
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value)
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// A required string member, or a message naming it.
    pub fn required_str(&self, names: &[&str]) -> Result<String, String> {
        match self.member(names) {
            Some(Json::String(text)) => Ok(text.clone()),
            Some(_) => Err(format!("`{}` is not a string", names[0])),
            None => Err(format!("missing `{}`", names[0])),
        }
    }

    /// An optional string member: absent and `null` are `None`; another type is an error.
    pub fn optional_str(&self, names: &[&str]) -> Result<Option<String>, String> {
        match self.member(names) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(format!("`{}` is not a string", names[0])),
        }
    }
}

/// Types read from a parsed JSON value.
pub trait FromJson: Sized {
    fn from_json(value: &Json) -> Result<Self, String>;
}

/// Parses and reads a `T`, with one message for either failure.
pub fn decode<T: FromJson>(text: &str) -> Result<T, String> {
    let value = parse(text).map_err(|e| e.to_string())?;
    T::from_json(&value)
}

/// Writes `text` as a JSON string literal.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xF] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes an array whose items `write_item` appends, in order, with commas between: `[a,b]`.
pub fn write_array<T>(
    items: impl IntoIterator<Item = T>,
    mut write_item: impl FnMut(&mut String, T),
) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_item(&mut out, item);
    }
    out.push(']');
    out
}

/// Writes an object of the present string members, in order: `{"a":"x"}`.
pub fn write_string_object(members: &[(&str, Option<&str>)]) -> String {
    write_object(members, &[])
}

/// Writes an object of the present string members, then the `raw` members (already JSON: an
/// array, an object, `true`), each in order: `{"a":"x","list":[1]}`.
pub fn write_object(strings: &[(&str, Option<&str>)], raw: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    let name_of_next = |out: &mut String, name: &str| {
        if out.len() > 1 {
            out.push(',');
        }
        write_string(out, name);
        out.push(':');
    };
    for (name, value) in strings {
        let Some(value) = value else { continue };
        name_of_next(&mut out, name);
        write_string(&mut out, value);
    }
    for (name, value) in raw {
        name_of_next(&mut out, name);
        out.push_str(value);
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: Json) {
        assert_eq!(parse(text), Ok(expected), "{text}");
        // Whatever this reader accepts, serde_json accepts too.
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_ok(),
            "{text}"
        );
    }

    #[track_caller]
    fn check_error(text: &str, message: &str, offset: usize) {
        assert_eq!(
            parse(text),
            Err(JsonError {
                message: message.into(),
                offset
            }),
            "{text}"
        );
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err(),
            "serde_json agrees: {text}"
        );
    }

    fn s(text: &str) -> Json {
        Json::String(text.into())
    }

    #[test]
    fn values_parse() {
        check("null", Json::Null);
        check(" true ", Json::Bool(true));
        check("false", Json::Bool(false));
        check("-12.5e+3", Json::Number("-12.5e+3".into()));
        check("0", Json::Number("0".into()));
        check(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#, s("a\"b\\c/d\né😀"));
        check("\"ü — 日本\"", s("ü — 日本"));
        check("[]", Json::Array(vec![]));
        check(
            "[1, [\"x\"], {}]",
            Json::Array(vec![
                Json::Number("1".into()),
                Json::Array(vec![s("x")]),
                Json::Object(vec![]),
            ]),
        );
        check(
            r#"{"a": {"b": null}, "c": "d"}"#,
            Json::Object(vec![
                ("a".into(), Json::Object(vec![("b".into(), Json::Null)])),
                ("c".into(), s("d")),
            ]),
        );
    }

    #[test]
    fn a_lone_surrogate_becomes_the_replacement_character() {
        assert_eq!(parse(r#""\ud800x""#), Ok(s("\u{FFFD}x")));
        assert_eq!(parse(r#""\ud800\u0041""#), Ok(s("\u{FFFD}A")));
    }

    #[test]
    fn malformed_text_is_refused_with_its_position() {
        check_error("", "unexpected end of text", 0);
        check_error("{not json", "expected a member name", 1);
        check_error("[1,]", "expected a value", 3);
        check_error("[1 2]", "expected `,` or `]`", 3);
        check_error(r#"{"a" 1}"#, "expected `:`", 5);
        check_error(r#"{"a":1,}"#, "expected a member name", 7);
        check_error("\"abc", "unterminated string", 4);
        check_error("\"a\u{1}\"", "control character in a string", 2);
        check_error(r#""\x""#, "unknown escape", 3);
        check_error(r#""\u12""#, "expected four hex digits after \\u", 3);
        check_error("01", "unexpected text after the value", 1);
        check_error("-", "expected digits", 1);
        check_error("1.", "expected digits after the decimal point", 2);
        check_error("1e", "expected digits in the exponent", 2);
        check_error("nul", "expected a value", 0);
        check_error("<html>", "expected a value", 0);
        check_error("{} {}", "unexpected text after the value", 3);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(parse(&deep).unwrap_err().message, "nested too deeply");
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn members_are_found_by_any_alias() {
        let value = parse(r#"{"job_id":"a","name":"N","n":1,"gone":null}"#).unwrap();
        assert_eq!(value.required_str(&["id", "job_id"]), Ok("a".into()));
        assert_eq!(value.required_str(&["title", "name"]), Ok("N".into()));
        assert_eq!(
            value.required_str(&["phase"]),
            Err("missing `phase`".into())
        );
        assert_eq!(
            value.required_str(&["n"]),
            Err("`n` is not a string".into())
        );
        assert_eq!(value.optional_str(&["gone"]), Ok(None));
        assert_eq!(value.optional_str(&["absent"]), Ok(None));
        assert_eq!(
            value.optional_str(&["n"]),
            Err("`n` is not a string".into())
        );
    }

    #[test]
    fn writing_round_trips_through_serde_json() {
        for text in [
            "plain",
            "quote \" backslash \\ slash /",
            "line\nbreak\ttab\r",
            "\u{1}\u{1f}",
            "é😀 \u{202E}rtl",
        ] {
            let object = write_string_object(&[("notes", Some(text)), ("skipped", None)]);
            let back: serde_json::Value = serde_json::from_str(&object).unwrap();
            assert_eq!(back, serde_json::json!({ "notes": text }), "{object}");
        }
        assert_eq!(write_string_object(&[("a", None)]), "{}");
        assert_eq!(
            write_string_object(&[("a", Some("x")), ("b", Some("y"))]),
            r#"{"a":"x","b":"y"}"#
        );
    }

    #[test]
    fn objects_take_string_members_then_raw_ones() {
        assert_eq!(
            write_object(
                &[("a", Some("x")), ("gone", None)],
                &[("list", "[1]"), ("on", "true")]
            ),
            r#"{"a":"x","list":[1],"on":true}"#
        );
        assert_eq!(write_object(&[("a", None)], &[("b", "{}")]), r#"{"b":{}}"#);
        assert_eq!(write_object(&[], &[]), "{}");
    }

    #[test]
    fn arrays_are_written_with_commas_between_items() {
        let strings = |items: &[&str]| write_array(items, |out, item| write_string(out, item));
        assert_eq!(strings(&[]), "[]");
        assert_eq!(strings(&["a"]), r#"["a"]"#);
        assert_eq!(strings(&["a", "b\"c"]), r#"["a","b\"c"]"#);
        assert_eq!(
            write_array([1, 2, 3], |out, n| out.push_str(&n.to_string())),
            "[1,2,3]"
        );
    }
}
