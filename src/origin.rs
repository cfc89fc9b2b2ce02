//! Web origins as the settings take them from a user: `https://jobs.example.com:8443/api` →
//! scheme, host, port; the browser match pattern that grants it (`https://jobs.example.com/*`:
//! match patterns carry no port in Firefox, and Chrome's match any port without one); and the
//! rule that a token goes only to URLs under its own API base.

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
                && !host.contains("..")
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

/// Whether a bearer token configured for `api_base` may be attached to a request for `url`: only
/// when `url` lies under `api_base` itself (`{api_base}`, `{api_base}/…` or `{api_base}?…`, ASCII
/// case of the scheme and host aside). Stricter than "same origin", and deliberately light: it
/// runs in the content script, which is size-budgeted (a full origin parse here cost 4 KB gz).
pub fn token_may_go_to(api_base: &str, url: &str) -> bool {
    let base = api_base.as_bytes();
    let target = url.as_bytes();
    let absolute = url
        .get(..7)
        .is_some_and(|head| head.eq_ignore_ascii_case("http://"))
        || url
            .get(..8)
            .is_some_and(|head| head.eq_ignore_ascii_case("https://"));
    !base.is_empty()
        && absolute
        && target.len() >= base.len()
        && target[..base.len()].eq_ignore_ascii_case(base)
        && matches!(target.get(base.len()), None | Some(b'/' | b'?'))
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

    #[test]
    fn a_token_goes_only_to_its_own_origin() {
        let api = "https://jobs.example.com/api";
        assert!(token_may_go_to(api, "https://jobs.example.com/api/jobs"));
        assert!(token_may_go_to(api, "HTTPS://Jobs.Example.com/api/jobs"));
        assert!(token_may_go_to(
            api,
            "https://jobs.example.com/api?limit=20"
        ));
        assert!(!token_may_go_to(api, "https://jobs.example.com/apix/jobs"));
        assert!(!token_may_go_to(api, "https://jobs.example.com/other"));
        assert!(!token_may_go_to(
            api,
            "https://jobs.example.com:443/api/jobs"
        ));
        assert!(!token_may_go_to(api, "http://jobs.example.com/api/jobs"));
        assert!(!token_may_go_to(
            api,
            "https://jobs.example.com:8443/api/jobs"
        ));
        assert!(!token_may_go_to(api, "https://evil.example.com/api/jobs"));
        assert!(!token_may_go_to(
            api,
            "https://jobs.example.com.evil.test/api"
        ));
        assert!(!token_may_go_to(
            api,
            "https://jobs.example.com@evil.test/api"
        ));
        assert!(!token_may_go_to(api, "/api/jobs"));
        assert!(!token_may_go_to("/api", "/api/jobs"));
        assert!(!token_may_go_to("", "https://x"));
    }
}
