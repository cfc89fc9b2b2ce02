//! Finding a short text in a short text (a URL's `://`, a host name's `..`) with a plain byte
//! scan. `str::find(&str)` and its kin link the standard library's two-way searcher, about 1.5 KB
//! of WebAssembly in every build that reads a page's URLs: worth it for long texts, never for
//! ours.

/// Where `needle` first occurs in `haystack`, as a byte index (`Some(0)` for an empty needle).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `haystack` around the first `needle`: what is before it and what is after it.
pub fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    // A match of a valid UTF-8 needle starts and ends on character boundaries.
    find(haystack, needle).map(|at| (&haystack[..at], &haystack[at + needle.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_str_find_finds() {
        let texts = [
            "",
            "a",
            "..",
            "a..b",
            "https://x/y",
            "é://ü",
            "::///",
            "a:/b://c",
            "ab",
        ];
        let needles = ["", ".", "..", "://", "/", "ü", "abc"];
        for text in texts {
            for needle in needles {
                assert_eq!(find(text, needle), text.find(needle), "{text:?} {needle:?}");
                assert_eq!(
                    split_once(text, needle),
                    text.split_once(needle),
                    "{text:?} {needle:?}"
                );
            }
        }
    }
}
