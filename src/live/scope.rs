//! What each sender may ask of the background (issue #20, "the background trusts any content
//! script"). A content script runs inside pages the extension does not control; a compromised
//! renderer can send the background anything our own content script could. So every port and
//! every reason message is bound to its sender's page: a tab reaches only the API base of the
//! site profile that covers its own URL — its jobs, its feed, its saved reasons — and only the
//! extension's own pages (the popup, the site-profiles page), which the user's own settings
//! drive, may name any API base.
//!
//! Pure and natively tested. `background/main.js` passes the sender's URL as the browser reports
//! it (`sender.url`: the frame's own URL, which the page cannot forge) with the stored book; the
//! background crate keeps each port's scope and checks every message against it.

use crate::jobs::activity::{self, Entry};
use crate::jobs::flow::{delete_key_prefix, reason_key_prefix};
use crate::live::sync::ToHub;
use crate::sites::origin::{self, Origin};
use crate::sites::profiles::{self, StoredProfile};

/// Where a port or message comes from, and so what it may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One of the extension's own pages (the popup, the site-profiles page): any API base.
    Extension,
    /// A content script on a page of `page_origin` (`scheme://host[:port]`): only `api_base`,
    /// that page's API base under the site profile that covers it.
    Tab {
        page_origin: String,
        api_base: String,
    },
}

/// Why a tab gets no scope when no profile covers its page (nor could: not an http(s) page).
pub const NOT_COVERED: &str = "no site profile covers it";

/// The API base a page of `page_origin` uses under `stored`, exactly as the content script
/// derives it there (the profile's base, or `{page origin}/api`; a same-origin path joined to
/// the page's origin; no trailing `/`). The tab's scope is this string, and the content script's
/// `Watch`, `Token` and reason keys carry it, so both sides must derive it here.
pub fn api_base_of(stored: &StoredProfile, page_origin: &str) -> Result<String, String> {
    origin::resolve_api_base(&stored.profile.api_base_for(page_origin), page_origin)
}

impl Scope {
    /// The scope of a sender at `sender_url` (the browser's `sender.url`), given the stored book
    /// (its JSON text) and `extension_base`, the extension's own root URL
    /// (`runtime.getURL('')`: `chrome-extension://<id>/`, `moz-extension://<uuid>/`). Only the
    /// extension's own pages have URLs there: content scripts never run in them, and none of
    /// them is web-accessible, so no web page can frame one. `Err`: why the sender gets nothing.
    pub fn of_sender(book: &str, sender_url: &str, extension_base: &str) -> Result<Scope, String> {
        if is_extension_page(sender_url, extension_base) {
            return Ok(Scope::Extension);
        }
        // As the content script does: an unreadable book is no book (the built-in profile stays).
        let book = profiles::parse_book(book).unwrap_or_default();
        Scope::of_tab(&book, sender_url)
    }

    /// The scope of a content script on a page at `url`: the API base of the profile that covers
    /// it (`profiles::active_for`, the content script's own choice).
    pub fn of_tab(book: &[StoredProfile], url: &str) -> Result<Scope, String> {
        let page = Origin::parse(url).map_err(|_| NOT_COVERED.to_string())?;
        let stored = profiles::active_for(book, url).ok_or_else(|| NOT_COVERED.to_string())?;
        let page_origin = origin_text(&page);
        let api_base = api_base_of(&stored, &page_origin).map_err(|why| {
            format!(
                "its site profile \"{}\" has no usable API base ({why})",
                shown(&stored.profile.name)
            )
        })?;
        Ok(Scope::Tab {
            page_origin,
            api_base,
        })
    }

    /// Whether this sender may send `message`; `subscribed`: the API base its port watches, if
    /// it watches one. `Watch` and `Token` name their API base: a tab may name only its own.
    /// `Acted`, `Deleted` and `Hurry` go to the feed the port watches (which its `Watch` already
    /// bound), so they need a subscription. `Visible` concerns the port's own subscription only.
    /// `Err`: the refusal, a sentence for the console (after "refused ").
    pub fn may_send(&self, message: &ToHub, subscribed: Option<&str>) -> Result<(), String> {
        let target = match message {
            ToHub::Watch(subscription) => Some(subscription.api_base.as_str()),
            ToHub::Token { api_base, .. } => Some(api_base.as_str()),
            ToHub::Visible(_) => return Ok(()),
            ToHub::Acted { .. } | ToHub::Deleted { .. } | ToHub::Hurry => subscribed,
        };
        match target {
            Some(api_base) if self.reaches(api_base) => Ok(()),
            Some(_) => Err(self.refusal(message_label(message, subscribed))),
            None => Err(format!(
                "{} from {}: it watches nothing",
                message_label(message, None),
                self.who()
            )),
        }
    }

    /// Whether this sender may read or write the typed reason under `key` (session storage).
    pub fn may_use_reason_key(&self, key: &str) -> Result<(), String> {
        self.may_use_reason("key", key)
    }

    /// Whether this sender may list the typed reasons whose keys start with `prefix`.
    pub fn may_use_reason_prefix(&self, prefix: &str) -> Result<(), String> {
        self.may_use_reason("prefix", prefix)
    }

    /// A key or prefix must start with the sender's whole reason prefix, which ends with the
    /// `#` after the API base (`flow::reason_key_prefix`; no API base contains `#`):
    /// `reason:http://a/api#` is not a prefix of `reason:http://a/api2#7`, nor
    /// `reason:https://a#` of `reason:https://a:8443/v1#7`, and a shorter prefix
    /// (`reason:http://a/`) that would list other bases' reasons is refused. Extension pages: any
    /// `reason:` key, never the rest of session storage.
    fn may_use_reason(&self, what: &str, key: &str) -> Result<(), String> {
        let prefixes = self.session_prefixes();
        if prefixes
            .iter()
            .any(|prefix| key.starts_with(prefix.as_str()))
        {
            Ok(())
        } else {
            Err(format!(
                "the reason {what} `{}` from {}: its reasons are under `{}`",
                shown(key),
                self.who(),
                shown(&prefixes[0])
            ))
        }
    }

    /// The sender's session-storage prefixes: its typed reasons, and its Cancel & Deletes that
    /// wait for the workers (`flow::delete_key_prefix`), each ending with the `#` after the base.
    fn session_prefixes(&self) -> [String; 2] {
        match self {
            Scope::Extension => [REASON_KEYS.to_string(), DELETE_KEYS.to_string()],
            Scope::Tab { api_base, .. } => {
                [reason_key_prefix(api_base), delete_key_prefix(api_base)]
            }
        }
    }

    /// Whether this sender may reach `api_base`: its own one, compared exactly (the content
    /// script sends the string `api_base_of` gives; a look-alike — another port, a longer path,
    /// a trailing `/`, other letter case — is another feed, and refused).
    fn reaches(&self, api_base: &str) -> bool {
        match self {
            Scope::Extension => true,
            Scope::Tab { api_base: own, .. } => own == api_base,
        }
    }

    fn refusal(&self, what: String) -> String {
        match self {
            Scope::Extension => format!("{what} from {}", self.who()),
            Scope::Tab { api_base, .. } => format!(
                "{what} from {}: its site profile's API base is {}",
                self.who(),
                shown(api_base)
            ),
        }
    }

    /// The sender, for messages: "a tab of http://127.0.0.1:8700", "an extension page".
    fn who(&self) -> String {
        match self {
            Scope::Extension => "an extension page".into(),
            Scope::Tab { page_origin, .. } => format!("a tab of {page_origin}"),
        }
    }
}

/// Every typed reason's key starts with this (`flow::reason_key_prefix`).
const REASON_KEYS: &str = "reason:";
const DELETE_KEYS: &str = "delete-when-stopped:";

/// The whole check of a `job-actions:reasons` (`is_prefix`) or `job-actions:reason` message: its
/// sender's scope ([`Scope::of_sender`], same arguments), then the key or prefix against it.
/// `Err`: the refusal, a sentence for the console and the message's answer (after "refused ").
pub fn check_reason_message(
    book: &str,
    sender_url: &str,
    extension_base: &str,
    key: &str,
    is_prefix: bool,
) -> Result<(), String> {
    let what = if is_prefix { "prefix" } else { "key" };
    match Scope::of_sender(book, sender_url, extension_base) {
        Ok(scope) => scope.may_use_reason(what, key),
        Err(why) => Err(format!(
            "the reason {what} `{}` from {}: {why}",
            shown(key),
            sender_label(sender_url)
        )),
    }
}

/// The check of a `job-actions:claim` message (issue #24: a bulk run claims each job before its
/// request, so the popup and a tab acting on the same job send it once): a tab claims jobs of its
/// own API base only; the extension's pages, any. `Err`: the refusal (after "refused ").
pub fn check_claim_message(
    book: &str,
    sender_url: &str,
    extension_base: &str,
    api_base: &str,
) -> Result<(), String> {
    match Scope::of_sender(book, sender_url, extension_base) {
        Ok(scope) if scope.reaches(api_base) => Ok(()),
        Ok(scope) => Err(scope.refusal(format!("a claim on a job of {}", shown(api_base)))),
        Err(why) => Err(format!("a claim from {}: {why}", sender_label(sender_url))),
    }
}

/// The whole check of a `job-actions:activity` message (issue #23): its sender's scope
/// ([`Scope::of_sender`], same arguments), then each entry's API base against it — a tab keeps
/// entries of its own API base only, so a compromised page cannot write another app's history.
/// `Ok`: the entries, read. `Err`: the refusal of the first one refused, a sentence for the
/// console (after "refused "); a message with one refused entry is refused whole.
pub fn check_activity_message(
    book: &str,
    sender_url: &str,
    extension_base: &str,
    entries: &[String],
) -> Result<Vec<Entry>, String> {
    let scope = Scope::of_sender(book, sender_url, extension_base)
        .map_err(|why| format!("an Activity entry from {}: {why}", sender_label(sender_url)));
    let mut read = Vec::with_capacity(entries.len());
    for text in entries {
        let entry = activity::entry_from_text(text).ok_or_else(|| {
            format!(
                "an unreadable Activity entry from {}",
                sender_label(sender_url)
            )
        })?;
        match &scope {
            Ok(scope) if scope.reaches(&entry.api_base) => read.push(entry),
            Ok(scope) => {
                return Err(
                    scope.refusal(format!("an Activity entry for {}", shown(&entry.api_base)))
                )
            }
            Err(why) => return Err(why.clone()),
        }
    }
    Ok(read)
}

/// `url` is on the extension's own origin. `extension_base` must look like one
/// (`<something>-extension://<id>/`), so an empty or odd value never makes every URL match, and
/// ends with `/`, so `chrome-extension://<id>x/` is not `chrome-extension://<id>/`.
fn is_extension_page(url: &str, extension_base: &str) -> bool {
    let well_formed =
        crate::sites::scan::split_once(extension_base, "://").is_some_and(|(scheme, rest)| {
            scheme.ends_with("-extension") && rest.len() > 1 && rest.ends_with('/')
        });
    well_formed && url.starts_with(extension_base)
}

/// A message for the console: "a Watch for http://x/api", "an Acted", "a Hurry for …" (the API
/// base it names or, for those that name none, the one its port watches).
pub fn message_label(message: &ToHub, subscribed: Option<&str>) -> String {
    let (label, named) = match message {
        ToHub::Watch(subscription) => ("a Watch", Some(subscription.api_base.as_str())),
        ToHub::Token { api_base, .. } => ("a Token", Some(api_base.as_str())),
        ToHub::Visible(_) => ("a Visible", None),
        ToHub::Acted { .. } => ("an Acted", subscribed),
        ToHub::Deleted { .. } => ("a Deleted", subscribed),
        ToHub::Hurry => ("a Hurry", subscribed),
    };
    match named {
        Some(api_base) => format!("{label} for {}", shown(api_base)),
        None => label.to_string(),
    }
}

/// The sender's origin for the console (`http://127.0.0.1:8700`); the URL's path and query are
/// left out (they may carry what the user would not log). A URL that is not http(s) is shown
/// up to its path.
pub fn sender_label(url: &str) -> String {
    match Origin::parse(url) {
        Ok(origin) => origin_text(&origin),
        Err(_) if url.is_empty() => "a sender without a URL".into(),
        Err(_) => shown(url.split(['?', '#']).next().unwrap_or_default()),
    }
}

/// `scheme://host[:port]` as `location.origin` writes it (the scheme's default port left out).
fn origin_text(origin: &Origin) -> String {
    let default_port = if origin.scheme == "https" { 443 } else { 80 };
    match origin.port.filter(|&port| port != default_port) {
        Some(port) => format!("{}://{}:{port}", origin.scheme, origin.host),
        None => format!("{}://{}", origin.scheme, origin.host),
    }
}

/// At most this many characters of a value a sender chose are shown in a message.
const SHOWN_CHARS: usize = 200;

/// A value a sender chose, as a console line may show it: control and direction-changing
/// characters replaced (a key with a line break cannot forge a second console line), and cut
/// after [`SHOWN_CHARS`] characters.
fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(SHOWN_CHARS)
        .map(|c| {
            let invisible = c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if invisible {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    if text.chars().nth(SHOWN_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Job;
    use crate::live::subscriptions::{Subscription, Watch};
    use crate::sites::profile::AuthMode;

    const EXTENSION: &str = "chrome-extension://lmfecbighjgnhlcodmakoicgpfmfdkfb/";
    const EMULATOR_PAGE: &str = "http://127.0.0.1:1234/jobs/7";
    const EMULATOR_API: &str = "http://127.0.0.1:1234/api";

    fn profile(name: &str, origin: &str, api_base: Option<&str>) -> StoredProfile {
        let mut profile = crate::sites::profile::sample();
        profile.name = name.into();
        profile.origins = vec![origin.into()];
        profile.api_base = api_base.map(str::to_string);
        if api_base.is_some() {
            profile.auth = AuthMode::BearerToken;
        }
        StoredProfile {
            profile,
            token: api_base.map(|_| "t0k".to_string()),
        }
    }

    /// Two user profiles: a cross-origin API with a token, and a same-origin one.
    fn book() -> String {
        profiles::write_book(&[
            profile(
                "Runs via API",
                "http://localhost:8080",
                Some("https://api.example/v1/"),
            ),
            profile("Other app", "https://b.example", None),
        ])
    }

    fn tab(page_origin: &str, api_base: &str) -> Scope {
        Scope::Tab {
            page_origin: page_origin.into(),
            api_base: api_base.into(),
        }
    }

    #[track_caller]
    fn check_sender(sender_url: &str, expected: Result<Scope, &str>) {
        assert_eq!(
            Scope::of_sender(&book(), sender_url, EXTENSION),
            expected.map_err(str::to_string),
            "{sender_url:?}"
        );
    }

    #[test]
    fn a_tab_writes_activity_for_its_own_api_base_only() {
        use crate::jobs::activity::{entry_json, Entry, Place};
        use crate::jobs::flow::Request;
        let entry = |api_base: &str| {
            let place = Place {
                app: "Ops".into(),
                api_base: api_base.into(),
                title: "Nightly".into(),
            };
            entry_json(&Entry::requested(place, "7", Request::Cancel, 1_000))
        };
        let check = |sender: &str, api_base: &str| {
            check_activity_message(&book(), sender, EXTENSION, &[entry(api_base)])
                .map(|read| read[0].job_id.clone())
        };
        assert_eq!(check(EMULATOR_PAGE, EMULATOR_API), Ok("7".into()));
        assert_eq!(
            check(EMULATOR_PAGE, "https://api.example/v1/"),
            Err("an Activity entry for https://api.example/v1/ from a tab of http://127.0.0.1:1234: \
                 its site profile's API base is http://127.0.0.1:1234/api"
                .into())
        );
        // The extension's own pages (the popup) write for any app.
        let popup = format!("{EXTENSION}popup/popup.html");
        assert_eq!(check(&popup, "https://api.example/v1/"), Ok("7".into()));
        // A page no profile covers writes nothing; nor does an unreadable entry.
        assert!(check("https://elsewhere.example/", EMULATOR_API).is_err());
        assert!(
            check_activity_message(&book(), EMULATOR_PAGE, EXTENSION, &["{\"id\":1}".into()])
                .unwrap_err()
                .contains("unreadable Activity entry")
        );
        // A claim on a job (issue #24): the same rule.
        assert_eq!(
            check_claim_message(&book(), EMULATOR_PAGE, EXTENSION, EMULATOR_API),
            Ok(())
        );
        assert!(
            check_claim_message(&book(), EMULATOR_PAGE, EXTENSION, "https://api.example/v1/")
                .is_err()
        );
        assert_eq!(
            check_claim_message(&book(), &popup, EXTENSION, "https://api.example/v1/"),
            Ok(())
        );
        // A batch (a bulk run's) with one entry of another API base is refused whole.
        let batch = [entry(EMULATOR_API), entry("https://api.example/v1/")];
        assert!(check_activity_message(&book(), EMULATOR_PAGE, EXTENSION, &batch).is_err());
        let own = [entry(EMULATOR_API), entry(EMULATOR_API)];
        assert_eq!(
            check_activity_message(&book(), EMULATOR_PAGE, EXTENSION, &own).map(|read| read.len()),
            Ok(2)
        );
    }

    #[test]
    fn a_tab_gets_the_api_base_of_the_profile_that_covers_its_page() {
        // The built-in profile covers the emulator on any port: `{page origin}/api`.
        check_sender(
            EMULATOR_PAGE,
            Ok(tab("http://127.0.0.1:1234", EMULATOR_API)),
        );
        check_sender(
            "http://127.0.0.1:41234/jobs?x=http://evil.test/api#y",
            Ok(tab("http://127.0.0.1:41234", "http://127.0.0.1:41234/api")),
        );
        // A profile with a cross-origin API: that API, as the content script writes it.
        check_sender(
            "http://localhost:8080/spa/runs/1/overview",
            Ok(tab("http://localhost:8080", "https://api.example/v1")),
        );
        check_sender(
            "https://b.example/jobs",
            Ok(tab("https://b.example", "https://b.example/api")),
        );
        // The scheme's default port, had a sender URL carried it, is the same origin.
        check_sender(
            "https://b.example:443/jobs",
            Ok(tab("https://b.example", "https://b.example/api")),
        );
    }

    #[test]
    fn a_page_no_profile_covers_gets_nothing() {
        for url in [
            "https://evil.test/jobs",
            "http://localhost:9090/spa/runs",
            "https://127.0.0.1:1234/jobs",
            "http://127.0.0.1.evil.test/jobs",
            "https://b.example.evil.test/jobs",
            "about:blank",
            "file:///home/me/jobs.html",
            "",
        ] {
            check_sender(url, Err(NOT_COVERED));
        }
    }

    #[test]
    fn only_the_extensions_own_pages_have_full_access() {
        for url in [
            "chrome-extension://lmfecbighjgnhlcodmakoicgpfmfdkfb/popup/popup.html",
            "chrome-extension://lmfecbighjgnhlcodmakoicgpfmfdkfb/options/options.html",
        ] {
            check_sender(url, Ok(Scope::Extension));
        }
        assert_eq!(
            Scope::of_sender(
                "[]",
                "moz-extension://0a1b-2c/popup/popup.html",
                "moz-extension://0a1b-2c/"
            ),
            Ok(Scope::Extension)
        );
        // Another extension whose id starts with ours, and a page that names ours in its URL.
        check_sender(
            "chrome-extension://lmfecbighjgnhlcodmakoicgpfmfdkfbx/popup/popup.html",
            Err(NOT_COVERED),
        );
        check_sender(
            "https://evil.test/?chrome-extension://lmfecbighjgnhlcodmakoicgpfmfdkfb/",
            Err(NOT_COVERED),
        );
        // An empty or odd extension base never makes a page an extension page.
        for base in [
            "",
            "/",
            "http://127.0.0.1:1234/",
            "chrome-extension://",
            "chrome-extension://x",
        ] {
            assert_eq!(
                Scope::of_sender("[]", EMULATOR_PAGE, base),
                Ok(tab("http://127.0.0.1:1234", EMULATOR_API)),
                "{base:?}"
            );
        }
    }

    #[test]
    fn an_unreadable_book_leaves_the_built_in_profile_as_the_content_script_does() {
        for book in ["not json", "{}", "[{\"name\":1}]", ""] {
            assert_eq!(
                Scope::of_sender(book, EMULATOR_PAGE, EXTENSION),
                Ok(tab("http://127.0.0.1:1234", EMULATOR_API)),
                "{book:?}"
            );
            assert_eq!(
                Scope::of_sender(book, "http://localhost:8080/spa/runs", EXTENSION),
                Err(NOT_COVERED.into())
            );
        }
    }

    #[test]
    fn a_same_origin_path_base_is_joined_to_the_pages_origin() {
        let stored = profile("Path", "https://c.example", Some("/v2/api/"));
        assert_eq!(
            Scope::of_tab(std::slice::from_ref(&stored), "https://c.example:8443/runs"),
            Ok(tab(
                "https://c.example:8443",
                "https://c.example:8443/v2/api"
            ))
        );
        // Two apps with the same path base get two scopes, not one shared `/v2/api`.
        assert_eq!(
            Scope::of_tab(
                &[profile("Path", "https://d.example", Some("/v2/api"))],
                "https://d.example/runs"
            ),
            Ok(tab("https://d.example", "https://d.example/v2/api"))
        );
        let mut broken = stored;
        broken.profile.api_base = Some("/\\evil.test/api".into());
        let refused = Scope::of_tab(&[broken], "https://c.example/runs").unwrap_err();
        assert!(
            refused.starts_with(
                "its site profile \"Path\" has no usable API base (API base `/\\evil.test/api`"
            ),
            "{refused}"
        );
    }

    fn watch(api_base: &str) -> ToHub {
        ToHub::Watch(Subscription {
            api_base: api_base.into(),
            watch: Watch::List,
            visible: true,
        })
    }

    fn token(api_base: &str) -> ToHub {
        ToHub::Token {
            api_base: api_base.into(),
            token: "t".into(),
        }
    }

    #[track_caller]
    fn check_send(
        scope: &Scope,
        message: ToHub,
        subscribed: Option<&str>,
        expected: Result<(), &str>,
    ) {
        assert_eq!(
            scope.may_send(&message, subscribed),
            expected.map_err(str::to_string),
            "{message:?}"
        );
    }

    #[test]
    fn a_tab_may_watch_and_give_a_token_for_its_own_api_base_only() {
        let scope = tab("http://127.0.0.1:1234", EMULATOR_API);
        check_send(&scope, watch(EMULATOR_API), None, Ok(()));
        check_send(&scope, token(EMULATOR_API), None, Ok(()));
        check_send(
            &scope,
            watch("http://other/api"),
            None,
            Err("a Watch for http://other/api from a tab of http://127.0.0.1:1234: its site profile's API base is http://127.0.0.1:1234/api"),
        );
        check_send(
            &scope,
            token("https://api.example/v1"),
            Some(EMULATOR_API),
            Err("a Token for https://api.example/v1 from a tab of http://127.0.0.1:1234: its site profile's API base is http://127.0.0.1:1234/api"),
        );
        // Look-alikes of its own base are other feeds: refused.
        for look_alike in [
            "http://127.0.0.1:1234/api2",
            "http://127.0.0.1:1234/api/",
            "http://127.0.0.1:1234/api/jobs",
            "http://127.0.0.1:1234/ap",
            "http://127.0.0.1:12345/api",
            "http://127.0.0.1:123/api",
            "HTTP://127.0.0.1:1234/api",
            "https://127.0.0.1:1234/api",
            "http://127.0.0.1:1234/api\n",
            "",
        ] {
            assert!(
                scope.may_send(&watch(look_alike), None).is_err(),
                "{look_alike:?}"
            );
            assert!(
                scope.may_send(&token(look_alike), None).is_err(),
                "{look_alike:?}"
            );
        }
    }

    #[test]
    fn a_tab_acts_and_publishes_only_on_the_feed_it_watches() {
        let scope = tab("http://localhost:8080", "https://api.example/v1");
        let acts = [
            ToHub::Acted {
                job: Job::bare("7", "cancelled"),
                as_of: 1,
            },
            ToHub::Deleted {
                job_ids: vec!["7".into()],
                as_of: 1,
            },
            ToHub::Hurry,
        ];
        for message in acts.clone() {
            check_send(&scope, message, Some("https://api.example/v1"), Ok(()));
        }
        check_send(
            &scope,
            acts[0].clone(),
            None,
            Err("an Acted from a tab of http://localhost:8080: it watches nothing"),
        );
        check_send(
            &scope,
            acts[1].clone(),
            Some("https://b.example/api"),
            Err("a Deleted for https://b.example/api from a tab of http://localhost:8080: its site profile's API base is https://api.example/v1"),
        );
        check_send(
            &scope,
            ToHub::Hurry,
            None,
            Err("a Hurry from a tab of http://localhost:8080: it watches nothing"),
        );
        // Visibility concerns its own subscription only.
        check_send(&scope, ToHub::Visible(false), None, Ok(()));
    }

    #[test]
    fn an_extension_page_may_name_any_api_base() {
        let scope = Scope::Extension;
        for api_base in [
            EMULATOR_API,
            "https://api.example/v1",
            "https://b.example/api",
        ] {
            check_send(&scope, watch(api_base), None, Ok(()));
            check_send(&scope, token(api_base), Some(EMULATOR_API), Ok(()));
            check_send(&scope, ToHub::Hurry, Some(api_base), Ok(()));
        }
        check_send(
            &scope,
            ToHub::Hurry,
            None,
            Err("a Hurry from an extension page: it watches nothing"),
        );
    }

    #[track_caller]
    fn check_key(scope: &Scope, key: &str, expected: Result<(), &str>) {
        let expected = expected.map_err(str::to_string);
        assert_eq!(scope.may_use_reason_key(key), expected, "{key:?}");
        assert_eq!(
            scope.may_use_reason_prefix(key).is_ok(),
            expected.is_ok(),
            "prefix {key:?}"
        );
    }

    #[test]
    fn a_tab_reads_and_writes_only_its_own_api_bases_reasons() {
        let scope = tab("http://a", "http://a/api");
        let own = reason_key_prefix("http://a/api");
        assert_eq!(own, "reason:http://a/api#");
        check_key(&scope, &own, Ok(()));
        check_key(&scope, &format!("{own}7"), Ok(()));
        check_key(&scope, &format!("{own}a:b/c"), Ok(()));
        check_key(
            &scope,
            "reason:http://a/api2#7",
            Err("the reason key `reason:http://a/api2#7` from a tab of http://a: its reasons are under `reason:http://a/api#`"),
        );
        for other in [
            // Look-alikes of its own prefix, and shorter prefixes that would list other bases'.
            "reason:http://a/api2#",
            "reason:http://a/api/:7",
            "reason:http://a/api",
            "reason:http://a/ap",
            "reason:http://a/",
            "reason:http://a",
            "reason:",
            "reason",
            "REASON:http://a/api:7",
            "reason:https://a/api#7",
            "reason:http://a.evil/api#7",
            // Another profile's reasons, and the rest of session storage.
            "reason:https://api.example/v1#7",
            "reason:https://b.example/api#7",
            "settings",
            "",
        ] {
            assert!(scope.may_use_reason_key(other).is_err(), "{other:?}");
            assert!(scope.may_use_reason_prefix(other).is_err(), "{other:?}");
        }
        assert_eq!(
            scope.may_use_reason_prefix("reason:http://a/"),
            Err("the reason prefix `reason:http://a/` from a tab of http://a: its reasons are under `reason:http://a/api#`".into())
        );
    }

    #[test]
    fn a_tab_keeps_its_waiting_cancel_and_deletes_under_its_own_api_base_only() {
        let scope = tab("http://a", "http://a/api");
        let own = delete_key_prefix("http://a/api");
        assert_eq!(own, "delete-when-stopped:http://a/api#");
        check_key(&scope, &format!("{own}7"), Ok(()));
        for other in [
            "delete-when-stopped:http://a/api2#7",
            "delete-when-stopped:http://a/",
            "delete-when-stopped:",
            "delete-when-stopped:https://b.example/api#7",
        ] {
            assert!(scope.may_use_reason_key(other).is_err(), "{other:?}");
            assert!(scope.may_use_reason_prefix(other).is_err(), "{other:?}");
        }
    }

    #[test]
    fn a_base_without_a_path_does_not_reach_another_ports_reasons() {
        let scope = tab("https://a", "https://a");
        check_key(&scope, "reason:https://a#7", Ok(()));
        assert!(scope
            .may_use_reason_key("reason:https://a:8443/v1#7")
            .is_err());
        assert!(scope.may_use_reason_prefix("reason:https://a:").is_err());
    }

    #[test]
    fn an_extension_page_reaches_every_reason_but_nothing_else() {
        let scope = Scope::Extension;
        check_key(&scope, "reason:https://api.example/v1#7", Ok(()));
        check_key(&scope, "reason:", Ok(()));
        check_key(
            &scope,
            "settings",
            Err(
                "the reason key `settings` from an extension page: its reasons are under `reason:`",
            ),
        );
    }

    #[test]
    fn a_reason_message_is_checked_against_its_senders_page() {
        let check = |url: &str, key: &str, is_prefix: bool| {
            check_reason_message(&book(), url, EXTENSION, key, is_prefix)
        };
        assert_eq!(
            check(EMULATOR_PAGE, "reason:http://127.0.0.1:1234/api#7", false),
            Ok(())
        );
        assert_eq!(
            check(EMULATOR_PAGE, "reason:http://127.0.0.1:1234/api#", true),
            Ok(())
        );
        assert_eq!(
            check(
                "http://localhost:8080/spa/runs",
                "reason:https://api.example/v1#",
                true
            ),
            Ok(())
        );
        assert_eq!(
            check(EMULATOR_PAGE, "reason:https://api.example/v1#", true),
            Err("the reason prefix `reason:https://api.example/v1#` from a tab of http://127.0.0.1:1234: its reasons are under `reason:http://127.0.0.1:1234/api#`".into())
        );
        assert_eq!(
            check("https://evil.test/x?y", "reason:https://evil.test/api#7", false),
            Err("the reason key `reason:https://evil.test/api#7` from https://evil.test: no site profile covers it".into())
        );
        assert_eq!(
            check(
                &format!("{EXTENSION}options/options.html"),
                "reason:https://b.example/api#7",
                false
            ),
            Ok(())
        );
    }

    #[test]
    fn refusals_show_what_was_sent_without_forging_console_lines() {
        let scope = tab("http://a", "http://a/api");
        let forged = "reason:x\n[job-actions] all is well\u{202E}";
        assert_eq!(
            scope.may_use_reason_key(forged),
            Err("the reason key `reason:x\u{FFFD}[job-actions] all is well\u{FFFD}` from a tab of http://a: its reasons are under `reason:http://a/api#`".into())
        );
        let long = format!("reason:{}", "k".repeat(1_000));
        let refused = scope.may_use_reason_key(&long).unwrap_err();
        assert!(
            refused.contains(&format!("`reason:{}…`", "k".repeat(SHOWN_CHARS - 7))),
            "{refused}"
        );
        assert!(refused.len() < 400);
    }

    #[test]
    fn senders_are_named_by_their_origin() {
        assert_eq!(
            sender_label("http://127.0.0.1:1234/jobs/7?token=x"),
            "http://127.0.0.1:1234"
        );
        assert_eq!(sender_label("https://Evil.test:443/a"), "https://evil.test");
        assert_eq!(sender_label("about:blank"), "about:blank");
        assert_eq!(
            sender_label("file:///home/me/x.html?secret"),
            "file:///home/me/x.html"
        );
        assert_eq!(sender_label(""), "a sender without a URL");
        assert_eq!(
            message_label(&watch("http://x/api"), Some("ignored")),
            "a Watch for http://x/api"
        );
        assert_eq!(
            message_label(&ToHub::Hurry, Some("http://x/api")),
            "a Hurry for http://x/api"
        );
        assert_eq!(message_label(&ToHub::Visible(true), None), "a Visible");
    }
}
