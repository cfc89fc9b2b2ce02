//! CSRF tokens for cookie-session APIs (issue #19): many apps refuse a POST or DELETE that does
//! not echo a token the page holds. Where that token is, and which header carries it back, is a
//! table of conventions (or the profile's own choice, `Csrf`). Pure: the content script
//! hands in the page's meta tags and `document.cookie`, and sends the header only to an API on the
//! page's own origin — the token belongs to that app.

use crate::api::endpoint::decode_path_segment;

/// Where a cookie-session API wants its CSRF token on writes (POST, DELETE), and where the page
/// keeps it. Sent only to an API on the page's own origin: the token is that app's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Csrf {
    /// The conventional places, first found wins (`csrf::CONVENTIONS`).
    Conventional,
    /// None sent.
    Off,
    /// `<meta name="{name}" content="…">`, sent as `header`.
    Meta { name: String, header: String },
    /// The cookie `name` (percent-decoded), sent as `header`.
    Cookie { name: String, header: String },
}

/// Where a page keeps its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// `<meta name="…" content="TOKEN">`.
    Meta(&'a str),
    /// A cookie readable by the page's scripts (not HttpOnly, by design).
    Cookie(&'a str),
}

/// The conventional places, tried in order: (place, header, who uses it).
pub const CONVENTIONS: &[(Place<'static>, &str, &str)] = &[
    (
        Place::Meta("csrf-token"),
        "X-CSRF-Token",
        "Rails, Laravel and most server-rendered apps",
    ),
    (
        Place::Cookie("XSRF-TOKEN"),
        "X-XSRF-TOKEN",
        "Angular, axios and Laravel's cookie",
    ),
    (Place::Cookie("csrftoken"), "X-CSRFToken", "Django"),
];

/// The header to send with a write, as `(name, value)`: from the profile's place, or the first
/// conventional place the page has a token in. `meta` reads a meta tag's content by name;
/// `cookies` is `document.cookie`. A value that could not be a header value is not sent.
pub fn header_for(
    csrf: &Csrf,
    meta: impl Fn(&str) -> Option<String>,
    cookies: &str,
) -> Option<(String, String)> {
    let read = |place: Place| -> Option<String> {
        let value = match place {
            Place::Meta(name) => meta(name)?,
            Place::Cookie(name) => cookie(cookies, name)?,
        };
        let value = value.trim().to_string();
        is_header_value(&value).then_some(value)
    };
    match csrf {
        Csrf::Off => None,
        Csrf::Meta { name, header } => Some((header.clone(), read(Place::Meta(name))?)),
        Csrf::Cookie { name, header } => Some((header.clone(), read(Place::Cookie(name))?)),
        Csrf::Conventional => CONVENTIONS
            .iter()
            .find_map(|(place, header, _)| Some((header.to_string(), read(*place)?))),
    }
}

/// Where a profile looks, for messages: "the meta tag csrf-token, the cookie XSRF-TOKEN or …".
pub fn places(csrf: &Csrf) -> String {
    let describe = |place: &Place| match place {
        Place::Meta(name) => format!("<meta name=\"{name}\">"),
        Place::Cookie(name) => format!("the cookie {name}"),
    };
    match csrf {
        Csrf::Off => "nowhere (CSRF is off in this profile)".into(),
        Csrf::Meta { name, .. } => describe(&Place::Meta(name)),
        Csrf::Cookie { name, .. } => describe(&Place::Cookie(name)),
        Csrf::Conventional => {
            let all: Vec<String> = CONVENTIONS
                .iter()
                .map(|(place, ..)| describe(place))
                .collect();
            all.join(", ")
        }
    }
}

/// A cookie's value from `document.cookie` (`a=1; b=2`), percent-decoded as apps encode it.
pub fn cookie(cookies: &str, name: &str) -> Option<String> {
    cookies.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| {
            let value = value.trim().trim_matches('"');
            decode_path_segment(value).unwrap_or_else(|| value.to_string())
        })
    })
}

/// An HTTP header name (RFC 9110 token characters).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte))
}

/// A non-empty header value of visible ASCII (tokens are; anything else is not a token).
fn is_header_value(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|byte| (0x21..0x7f).contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    fn pair(name: &str, value: &str) -> Option<(String, String)> {
        Some((name.into(), value.into()))
    }

    #[test]
    fn conventional_places_are_tried_in_order() {
        let none = meta_of(&[]);
        let conventional = Csrf::Conventional;
        assert_eq!(
            header_for(
                &conventional,
                meta_of(&[("csrf-token", " m3ta ")]),
                "XSRF-TOKEN=c00k"
            ),
            pair("X-CSRF-Token", "m3ta")
        );
        assert_eq!(
            header_for(&conventional, &none, "a=1; XSRF-TOKEN=ab%3D%3D; b=2"),
            pair("X-XSRF-TOKEN", "ab==")
        );
        assert_eq!(
            header_for(&conventional, &none, "csrftoken=dj4ngo"),
            pair("X-CSRFToken", "dj4ngo")
        );
        assert_eq!(header_for(&conventional, &none, "session=x"), None);
        // Not a header value: skipped, the next place is tried.
        assert_eq!(
            header_for(
                &conventional,
                meta_of(&[("csrf-token", "two words")]),
                "csrftoken=ok"
            ),
            pair("X-CSRFToken", "ok")
        );
    }

    #[test]
    fn a_profile_names_its_own_place_or_none() {
        let meta = meta_of(&[("_token", "t"), ("csrf-token", "conventional")]);
        let own = Csrf::Meta {
            name: "_token".into(),
            header: "X-Token".into(),
        };
        assert_eq!(header_for(&own, &meta, ""), pair("X-Token", "t"));
        let cookie = Csrf::Cookie {
            name: "my_csrf".into(),
            header: "X-My".into(),
        };
        assert_eq!(
            header_for(&cookie, &meta, "my_csrf=\"q\""),
            pair("X-My", "q")
        );
        assert_eq!(header_for(&cookie, &meta, ""), None);
        assert_eq!(header_for(&Csrf::Off, &meta, "csrftoken=x"), None);
        assert_eq!(
            places(&Csrf::Conventional),
            "<meta name=\"csrf-token\">, the cookie XSRF-TOKEN, the cookie csrftoken"
        );
    }

    #[test]
    fn cookies_and_header_names_are_read_strictly() {
        assert_eq!(
            cookie("XSRF-TOKEN2=a; XSRF-TOKEN=b", "XSRF-TOKEN").as_deref(),
            Some("b")
        );
        assert_eq!(cookie("x=%ZZ", "x").as_deref(), Some("%ZZ"));
        assert_eq!(cookie("", "x"), None);
        assert!(is_header_name("X-CSRF-Token"));
        assert!(!is_header_name("X CSRF"));
        assert!(!is_header_name(""));
        assert!(!is_header_name("X:Y"));
    }
}
