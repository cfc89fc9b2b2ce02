//! Web origins and API bases as users, imported profiles and messages give them.
//!
//! - [`Origin`]: `https://jobs.example.com:8443/api` → scheme, host, port, and the browser match
//!   pattern that grants it (`https://jobs.example.com/*`: match patterns carry no port in
//!   Firefox, and Chrome's match any port without one).
//! - [`check_api_base`] and its two siblings: **the one rule for every API base** — the profile
//!   editor, an imported profile, the permission request, the popup's settings and the client
//!   itself all apply it. A URL parser forgives what this refuses (a TAB or newline inside the
//!   host, a backslash read as `/`, user-info, `..`), and each forgiveness has sent requests —
//!   job ids, typed reasons, a token — to a host the user never named (issue #20).
//! - [`token_may_go_to`]: a bearer token goes only over https (http only to this machine), and
//!   only to URLs under its own API base, compared by parsed origin and path segments.
//!
//! Everything here is compiled into the content script, which is size-budgeted: no regex, no URL
//! crate, byte-level checks.

/// The scheme, host and port of an `http`/`https` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scheme: &'static str,
    /// Lower-case host name, IPv4 address, or `[IPv6]`.
    pub host: String,
    pub port: Option<u16>,
}

impl Origin {
    /// Reads the origin of `url` (whatever path follows). Specific messages say what is wrong.
    pub fn parse(url: &str) -> Result<Origin, String> {
        let url = url.trim();
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
            ("https", rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            ("http", rest)
        } else {
            return Err(format!("`{url}` must start with http:// or https://."));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(format!(
                "`{url}` must not contain a user name or password; use the token field."
            ));
        }
        let (host, port) = split_port(authority).map_err(|why| format!("`{url}`: {why}"))?;
        if host.is_empty() {
            return Err(format!("`{url}` has no host name."));
        }
        let valid_host = if host.starts_with('[') {
            host.ends_with(']')
                && host[1..host.len() - 1]
                    .bytes()
                    .all(|byte| byte.is_ascii_hexdigit() || byte == b':' || byte == b'.')
        } else {
            host.bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.')
                && !host.starts_with('.')
                && super::scan::find(host, "..").is_none()
        };
        if !valid_host {
            return Err(format!("`{url}`: `{host}` is not a valid host name."));
        }
        Ok(Origin {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// `scheme://host[:port]`, as `location.origin` writes it.
    pub fn serialize(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// The host permission that covers this origin (any port, as match patterns allow).
    pub fn match_pattern(&self) -> String {
        format!("{}://{}/*", self.scheme, self.host)
    }
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    let colon = if authority.starts_with('[') {
        authority
            .find(']')
            .and_then(|end| authority[end..].find(':').map(|at| end + at))
    } else {
        authority.rfind(':')
    };
    let Some(colon) = colon else {
        return Ok((authority, None));
    };
    let digits = &authority[colon + 1..];
    match digits.parse::<u16>() {
        Ok(port) if port > 0 && digits.bytes().all(|byte| byte.is_ascii_digit()) => {
            Ok((&authority[..colon], Some(port)))
        }
        _ => Err(format!("`{digits}` is not a port number (1–65535).")),
    }
}

/// Checks an API base against the one rule, naming the value and what is wrong. Accepted: an
/// absolute `http(s)://host[:port][/path]`, or a path on the pages' own origin (`/api`, which
/// [`resolve_api_base`] joins to an origin). Refused anywhere in it, ends included: whitespace
/// (only plain spaces a user typed at either end are trimmed), control characters, backslashes,
/// `?`/`#`, non-ASCII; and user-info, a protocol-relative `//host`, empty (`//`) or `.`/`..`
/// path segments. Returns the base without those end spaces and without a trailing `/`.
pub fn check_api_base(base: &str) -> Result<String, String> {
    check_address("API base", base, true)
}

/// An API base the client may call: [`check_api_base`], and absolute (a path has to be resolved
/// against the page's origin first: [`resolve_api_base`]).
pub fn absolute_api_base(base: &str) -> Result<String, String> {
    check_address("API base", base, false)
}

/// The API base for pages of `page_origin` (`scheme://host[:port]`, as `location.origin` gives
/// it — never the document's base URL, which `<base href>` on the page sets): a path is joined
/// to that origin, an absolute base stays as it is; the result passes [`absolute_api_base`].
pub fn resolve_api_base(base: &str, page_origin: &str) -> Result<String, String> {
    let base = check_api_base(base)?;
    if !base.starts_with('/') {
        return Ok(base);
    }
    let origin = Origin::parse(page_origin).map_err(|why| format!("Page origin {why}"))?;
    absolute_api_base(&format!("{}{base}", origin.serialize()))
}

/// The rule behind [`check_api_base`] for any address a user gives (`label` names the field in
/// messages: "API base", "App URL"); `path_allowed`: whether a same-origin path is accepted.
pub fn check_address(label: &str, address: &str, path_allowed: bool) -> Result<String, String> {
    let address = address.trim_matches(' ');
    let wrong = |what: &str| Err(format!("{label} `{}` {what}", shown(address)));
    if address.is_empty() {
        return Err(format!("{label} is empty."));
    }
    for c in address.chars() {
        return wrong(match c {
            ' ' => "must not contain spaces.",
            '\t' => "must not contain a tab.",
            '\n' | '\r' => "must not contain a line break.",
            '\\' => "must not contain a backslash.",
            '?' | '#' => "must not contain `?` or `#`.",
            c if c.is_ascii_control() => "must not contain control characters.",
            c if !c.is_ascii() => {
                "must be ASCII only: write an international host name in its xn-- form and \
                 percent-encode the path."
            }
            _ => continue,
        });
    }
    let trimmed = address.trim_end_matches('/');
    let normalized = if trimmed.is_empty() { "/" } else { trimmed };
    let path = if let Some(rest) = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"))
    {
        Origin::parse(address).map_err(|why| format!("{label} {why}"))?;
        rest.find('/').map_or("", |at| &rest[at..])
    } else if address.starts_with("//") {
        return wrong(
            "must not start with // (another host, on the page's scheme); write https://… in \
             full.",
        );
    } else if path_allowed && address.starts_with('/') {
        address
    } else if path_allowed {
        return wrong("must start with http://, https:// or / (same origin).");
    } else if address.starts_with('/') {
        return wrong(
            "must be a full address (http:// or https://); a path is resolved against the page's \
             origin first.",
        );
    } else {
        return wrong("must start with http:// or https://.");
    };
    let path = path.trim_end_matches('/');
    if path.split('/').skip(1).any(str::is_empty) {
        return wrong("must not contain an empty path segment (//).");
    }
    if path.split('/').any(is_dot_segment) {
        return wrong("must not contain `.` or `..` path segments.");
    }
    Ok(normalized.to_string())
}

/// A value as a message shows it: line breaks and tabs escaped, other invisible or
/// direction-changing characters replaced, so the message says what is there.
fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || is_invisible_format(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Zero-width and bidirectional-override characters: they hide or reorder what a message shows.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Whether a URL parser reads this path segment as `.` or `..` (it decodes `%2e` for them).
fn is_dot_segment(segment: &str) -> bool {
    [".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"]
        .iter()
        .any(|dot| segment.eq_ignore_ascii_case(dot))
}

/// Whether `host` is this machine: `localhost`, an IPv4 address in 127.0.0.0/8, or `[::1]`.
/// Plain http is allowed to carry a token only there, where nothing crosses a network.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|rest| {
            // Three more parts of 1–3 digits each: `0.0.1`.
            let mut parts = 0;
            rest.split('.').all(|part| {
                parts += 1;
                (1..=3).contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit())
            }) && parts == 3
        })
}

/// Whether a bearer token may be sent to `api_base` at all: it is https, or http to this
/// machine ([`is_loopback`]). An API base that does not pass [`absolute_api_base`] may not.
pub fn may_carry_token(api_base: &str) -> bool {
    UrlParts::split(api_base).is_some_and(|base| base.https || is_loopback(base.host))
}

/// Why a bearer token may not go to `api_base` (already checked by [`absolute_api_base`]), for
/// the profile editor and the popup's settings; `None` when it may.
pub fn token_channel_problem(api_base: &str) -> Option<String> {
    (!may_carry_token(api_base)).then(|| {
        format!(
            "A bearer token is sent only over https: API base `{}` must use https (http only for \
             127.0.0.1, localhost or [::1]).",
            shown(api_base)
        )
    })
}

/// Whether a bearer token configured for `api_base` may be attached to a request for `url`: the
/// base may carry a token at all ([`may_carry_token`]), `url` has the same scheme, host and
/// port (the default port written or not), and its path is the base's path or goes on below it
/// at a `/` (`/api` covers `/api/jobs`, never `/apiX`). Either URL with whitespace, control
/// characters, non-ASCII, a backslash, user-info or a `.`/`..` segment gets no token: a URL
/// parser would read it otherwise than this check does. Deliberately light (no allocation, no
/// formatting): it runs in the content script, which is size-budgeted.
pub fn token_may_go_to(api_base: &str, url: &str) -> bool {
    let (Some(base), Some(target)) = (UrlParts::split(api_base), UrlParts::split(url)) else {
        return false;
    };
    let base_path = base.path.trim_end_matches('/');
    (base.https || is_loopback(base.host))
        && base.https == target.https
        && base.host.eq_ignore_ascii_case(target.host)
        && base.port == target.port
        && (target.path == base_path
            || target
                .path
                .strip_prefix(base_path)
                .is_some_and(|below| below.starts_with('/')))
}

/// The value of a non-empty run of ASCII digits (`u64::MAX` past it), or `None` for anything
/// else — no sign, no space. Smaller than `str::parse` in the content script, which uses it.
pub fn decimal(digits: &str) -> Option<u64> {
    (!digits.is_empty()).then_some(())?;
    digits.bytes().try_fold(0u64, |value, byte| {
        byte.is_ascii_digit().then(|| {
            value
                .saturating_mul(10)
                .saturating_add(u64::from(byte - b'0'))
        })
    })
}

/// An absolute http(s) URL, split as a URL parser would split it — or `None` for anything it
/// might read differently.
struct UrlParts<'a> {
    https: bool,
    host: &'a str,
    /// `None` for the scheme's default port, written or not.
    port: Option<u16>,
    /// Up to `?` or `#`; empty for none.
    path: &'a str,
}

impl<'a> UrlParts<'a> {
    fn split(url: &'a str) -> Option<UrlParts<'a>> {
        if !url
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && byte != b'\\')
        {
            return None;
        }
        let scheme = |prefix: &str| {
            url.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
                .then(|| &url[prefix.len()..])
        };
        let (https, rest) = match (scheme("https://"), scheme("http://")) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (false, rest),
            (None, None) => return None,
        };
        let (authority, tail) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        let path = &tail[..tail.find(['?', '#']).unwrap_or(tail.len())];
        let (host, port) = match authority.bytes().rposition(|byte| byte == b':') {
            Some(colon) if !authority.as_bytes()[colon..].contains(&b']') => {
                let port = decimal(&authority[colon + 1..]).filter(|&port| port <= 0xFFFF)?;
                (&authority[..colon], Some(port as u16))
            }
            _ => (authority, None),
        };
        let default_port = if https { 443 } else { 80 };
        let valid_host = !host.is_empty()
            && host.bytes().all(|byte| {
                byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'[' | b']' | b':')
            });
        (valid_host && port != Some(0) && !path.split('/').any(is_dot_segment)).then_some(
            UrlParts {
                https,
                host,
                port: port.filter(|&port| port != default_port),
                path,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_origins() {
        let origin = Origin::parse(" https://Jobs.Example.com:8443/api/ ").unwrap();
        assert_eq!(origin.scheme, "https");
        assert_eq!(origin.host, "jobs.example.com");
        assert_eq!(origin.port, Some(8443));
        assert_eq!(origin.match_pattern(), "https://jobs.example.com/*");
        let local = Origin::parse("http://127.0.0.1:8700").unwrap();
        assert_eq!((local.host.as_str(), local.port), ("127.0.0.1", Some(8700)));
        assert_eq!(local.match_pattern(), "http://127.0.0.1/*");
        assert_eq!(
            Origin::parse("http://[::1]:8700/api")
                .unwrap()
                .match_pattern(),
            "http://[::1]/*"
        );
    }

    #[test]
    fn says_what_is_wrong() {
        let cases = [
            ("jobs.example.com", "`jobs.example.com` must start with http:// or https://."),
            ("ftp://x", "`ftp://x` must start with http:// or https://."),
            ("http://", "`http://` has no host name."),
            ("http://:80", "`http://:80` has no host name."),
            ("http://a b", "`http://a b`: `a b` is not a valid host name."),
            ("http://x:99999", "`http://x:99999`: `99999` is not a port number (1–65535)."),
            ("http://x:0", "`http://x:0`: `0` is not a port number (1–65535)."),
            ("http://x:+1", "`http://x:+1`: `+1` is not a port number (1–65535)."),
            (
                "https://user:pw@x",
                "`https://user:pw@x` must not contain a user name or password; use the token field.",
            ),
            ("http://a..b", "`http://a..b`: `a..b` is not a valid host name."),
        ];
        for (input, message) in cases {
            assert_eq!(Origin::parse(input), Err(message.to_string()), "{input}");
        }
    }

    #[track_caller]
    fn check_base(input: &str, expected: Result<&str, &str>) {
        assert_eq!(
            check_api_base(input).as_deref().map_err(String::as_str),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn api_bases_follow_one_rule() {
        check_base(
            "https://jobs.example.com/api",
            Ok("https://jobs.example.com/api"),
        );
        check_base(
            "  https://jobs.example.com/api/  ",
            Ok("https://jobs.example.com/api"),
        );
        check_base("http://127.0.0.1:8700/api", Ok("http://127.0.0.1:8700/api"));
        check_base("https://api.example.com", Ok("https://api.example.com"));
        check_base("https://api.example.com/", Ok("https://api.example.com"));
        check_base("http://[::1]:8700/v1/api", Ok("http://[::1]:8700/v1/api"));
        check_base("/api", Ok("/api"));
        check_base("/v2/api/", Ok("/v2/api"));
        check_base("/", Ok("/"));
        check_base("/api/@scope", Ok("/api/@scope"));
        check_base("https://x/...", Ok("https://x/..."));
        let refused = [
            // Issue #20's three imports: each parses to another host.
            ("/\\evil.test/api", "API base `/\\evil.test/api` must not contain a backslash."),
            ("https://ev\til.test/api", "API base `https://ev\\til.test/api` must not contain a tab."),
            ("https://ok.test/a\npi", "API base `https://ok.test/a\\npi` must not contain a line break."),
            ("https://ok.test/api\t", "API base `https://ok.test/api\\t` must not contain a tab."),
            ("\nhttps://ok.test/api", "API base `\\nhttps://ok.test/api` must not contain a line break."),
            ("https://ok.test/api\r", "API base `https://ok.test/api\\r` must not contain a line break."),
            ("https://ok.test/a pi", "API base `https://ok.test/a pi` must not contain spaces."),
            ("https://ok.test/a\u{0}pi", "API base `https://ok.test/a\u{FFFD}pi` must not contain control characters."),
            ("https://ok.test\\@evil.test/api", "API base `https://ok.test\\@evil.test/api` must not contain a backslash."),
            ("https://ok.test/api?x=1", "API base `https://ok.test/api?x=1` must not contain `?` or `#`."),
            ("https://ok.test/api#top", "API base `https://ok.test/api#top` must not contain `?` or `#`."),
            (
                "https://ok.test@evil.test/api",
                "API base `https://ok.test@evil.test/api` must not contain a user name or password; use the token field.",
            ),
            (
                "//evil.test/api",
                "API base `//evil.test/api` must not start with // (another host, on the page's scheme); write https://… in full.",
            ),
            ("https://ok.test/api/../admin", "API base `https://ok.test/api/../admin` must not contain `.` or `..` path segments."),
            ("/api/%2E%2e/admin", "API base `/api/%2E%2e/admin` must not contain `.` or `..` path segments."),
            ("/./api", "API base `/./api` must not contain `.` or `..` path segments."),
            ("https://ok.test//evil.test/api", "API base `https://ok.test//evil.test/api` must not contain an empty path segment (//)."),
            (
                "https://jöbs.example/api",
                "API base `https://jöbs.example/api` must be ASCII only: write an international host name in its xn-- form and percent-encode the path.",
            ),
            (
                "https://ok.test/\u{202E}ipa",
                "API base `https://ok.test/\u{FFFD}ipa` must be ASCII only: write an international host name in its xn-- form and percent-encode the path.",
            ),
            ("ftp://a/api", "API base `ftp://a/api` must start with http://, https:// or / (same origin)."),
            ("HTTPS://ok.test/api", "API base `HTTPS://ok.test/api` must start with http://, https:// or / (same origin)."),
            ("api", "API base `api` must start with http://, https:// or / (same origin)."),
            ("https://", "API base `https://` has no host name."),
            ("https://ok.test:99999/api", "API base `https://ok.test:99999/api`: `99999` is not a port number (1–65535)."),
            ("   ", "API base is empty."),
        ];
        for (input, message) in refused {
            check_base(input, Err(message));
        }
    }

    #[test]
    fn the_client_takes_absolute_bases_only_and_paths_resolve_against_the_pages_origin() {
        assert_eq!(
            absolute_api_base("/api"),
            Err("API base `/api` must be a full address (http:// or https://); a path is resolved against the page's origin first.".into())
        );
        assert_eq!(
            absolute_api_base("https://a.test/api/").as_deref(),
            Ok("https://a.test/api")
        );
        let resolve = |base: &str, origin: &str| resolve_api_base(base, origin);
        assert_eq!(
            resolve("/api", "https://app.test").as_deref(),
            Ok("https://app.test/api")
        );
        assert_eq!(
            resolve("/v2/api/", "http://localhost:8700").as_deref(),
            Ok("http://localhost:8700/v2/api")
        );
        // The origin only, whatever else the caller's string carries.
        assert_eq!(
            resolve("/api", "https://App.test:8443/jobs/1").as_deref(),
            Ok("https://app.test:8443/api")
        );
        assert_eq!(
            resolve("/", "https://app.test").as_deref(),
            Ok("https://app.test")
        );
        // An absolute base does not depend on the page.
        assert_eq!(
            resolve("https://api.test/v1", "https://app.test").as_deref(),
            Ok("https://api.test/v1")
        );
        assert_eq!(
            resolve("/\\evil.test/api", "https://app.test"),
            Err("API base `/\\evil.test/api` must not contain a backslash.".into())
        );
        assert_eq!(
            resolve("/api", "null"),
            Err("Page origin `null` must start with http:// or https://.".into())
        );
    }

    #[test]
    fn other_addresses_follow_the_same_rule_under_their_own_name() {
        assert_eq!(
            check_address("App URL", "https://jobs.example/app/", false).as_deref(),
            Ok("https://jobs.example/app")
        );
        assert_eq!(
            check_address("App URL", "https://jobs.example/a\\b", false),
            Err("App URL `https://jobs.example/a\\b` must not contain a backslash.".into())
        );
        assert_eq!(
            check_address("App URL", "jobs.example", false),
            Err("App URL `jobs.example` must start with http:// or https://.".into())
        );
    }

    #[test]
    fn decimals_are_digits_only() {
        assert_eq!(decimal("0"), Some(0));
        assert_eq!(decimal("8700"), Some(8700));
        assert_eq!(decimal("99999999999999999999999"), Some(u64::MAX));
        for not in ["", "+1", "-1", " 1", "1 ", "0x10", "1.5"] {
            assert_eq!(decimal(not), None, "{not:?}");
        }
    }

    #[test]
    fn loopback_is_this_machine_only() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "LocalHost", "[::1]"] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "128.0.0.1",
            "127.0.0",
            "127.0.0.1.evil.test",
            "127.0.0.x",
            "localhost.evil.test",
            "evil-localhost",
            "[::2]",
            "0.0.0.0",
            "10.0.0.1",
            "1270.0.0.1",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn a_token_needs_https_except_on_this_machine() {
        for base in [
            "https://api.example/v1",
            "http://127.0.0.1:8700/api",
            "http://localhost:5173/api",
            "http://[::1]:8700/api",
        ] {
            assert!(may_carry_token(base), "{base}");
            assert_eq!(token_channel_problem(base), None, "{base}");
        }
        for base in [
            "http://api.example/v1",
            "http://192.168.1.5/api",
            "/api",
            "",
            "https://ev\til.test",
        ] {
            assert!(!may_carry_token(base), "{base:?}");
        }
        assert_eq!(
            token_channel_problem("http://api.example/v1").as_deref(),
            Some("A bearer token is sent only over https: API base `http://api.example/v1` must use https (http only for 127.0.0.1, localhost or [::1]).")
        );
    }

    #[test]
    fn a_token_goes_only_to_its_own_origin_and_path() {
        let api = "https://jobs.example.com/api";
        for url in [
            "https://jobs.example.com/api",
            "https://jobs.example.com/api/jobs",
            "https://jobs.example.com/api/jobs/a%2Fb/cancel",
            "HTTPS://Jobs.Example.com/api/jobs",
            "https://jobs.example.com/api?limit=20",
            "https://jobs.example.com/api/jobs?limit=20&phase=cancelled",
            // The same origin, its default port written out.
            "https://jobs.example.com:443/api/jobs",
        ] {
            assert!(token_may_go_to(api, url), "{url}");
        }
        assert!(token_may_go_to(
            "https://jobs.example.com/api/",
            "https://jobs.example.com/api/jobs"
        ));
        assert!(token_may_go_to(
            "https://jobs.example.com",
            "https://jobs.example.com/jobs"
        ));
        assert!(token_may_go_to(
            "http://127.0.0.1:8700/api",
            "http://127.0.0.1:8700/api/jobs"
        ));
        for url in [
            // Another path: a sibling that shares the prefix, or outside the base.
            "https://jobs.example.com/apix/jobs",
            "https://jobs.example.com/apiX",
            "https://jobs.example.com/other",
            "https://jobs.example.com/",
            "https://jobs.example.com/API/jobs",
            "https://jobs.example.com/api/../admin",
            "https://jobs.example.com/api/%2e%2E/admin",
            "https://jobs.example.com/api/./jobs",
            // Another scheme, port or host; look-alikes.
            "http://jobs.example.com/api/jobs",
            "https://jobs.example.com:8443/api/jobs",
            "https://jobs.example.com:0/api/jobs",
            "https://jobs.example.com:/api/jobs",
            "https://evil.example.com/api/jobs",
            "https://jobs.example.com.evil.test/api",
            "https://jobs.example.co/api",
            "https://xjobs.example.com/api",
            // What a URL parser reads otherwise: user-info, whitespace, backslashes.
            "https://jobs.example.com@evil.test/api",
            "https://user:pw@jobs.example.com/api/jobs",
            "https://jobs.example.com\\@evil.test/api",
            "https://jobs.example.com/api\\..\\..\\admin",
            "https://jobs.ex\tample.com/api/jobs",
            "https://jobs.example.com/a\npi/jobs",
            "https://jobs.example.com/api/jobs ",
            " https://jobs.example.com/api/jobs",
            "https://jobs.example.com/api/j\u{0}obs",
            "https://jobs.example.com/api/jöbs",
            "https://jobs.example.com%2eevil.test/api",
            // Not absolute.
            "/api/jobs",
            "//jobs.example.com/api/jobs",
            "/\\jobs.example.com/api/jobs",
            "",
        ] {
            assert!(!token_may_go_to(api, url), "{url:?}");
        }
        // A base that could not carry a token carries none, even to itself.
        assert!(!token_may_go_to(
            "http://jobs.example.com/api",
            "http://jobs.example.com/api/jobs"
        ));
        assert!(!token_may_go_to("/api", "/api/jobs"));
        assert!(!token_may_go_to("", "https://x"));
        assert!(!token_may_go_to(
            "https://ev\til.test/api",
            "https://ev\til.test/api/jobs"
        ));
        assert!(!token_may_go_to(
            "https://ok.test@evil.test/api",
            "https://ok.test@evil.test/api/jobs"
        ));
    }
}
