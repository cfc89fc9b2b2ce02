//! The site profiles a user keeps (issue #8), as stored in extension storage under
//! [`STORAGE_KEY`]: which one applies to a page, which origins the content script must be
//! registered for. Pure and natively tested; the popup edits the book, the background registers
//! content scripts from it, and the content script reads it to choose its profile. The "Test on
//! this tab" verdict (`probe`) and the reading of a row's id (`alternatives`) are re-exported
//! here, where callers have always found them.

use crate::api::json::{self, FromJson, Json};
pub use crate::sites::alternatives::{id_sources, raw_row_id, row_id_from};
use crate::sites::origin::Origin;
pub use crate::sites::path_pattern::path_of;
pub use crate::sites::probe::{anchor_diagnosis, report, ProbeFacts, ProbeReport, RuleFacts};
use crate::sites::profile::SiteProfile;

/// The `storage.local` key of the user's profiles (a JSON array).
pub const STORAGE_KEY: &str = "profiles";
/// Every content-script registration this extension makes has an id starting with this.
pub const REGISTRATION_PREFIX: &str = "profile-origin:";

/// A profile as the user keeps it: the shareable part, and a bearer token that never leaves this
/// browser (not exported, sent only under the profile's API base).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    pub profile: SiteProfile,
    pub token: Option<String>,
}

/// The `storage.local` key where the background keeps a package's baked-in profile (`cargo
/// xtask dist --profile FILE`), for the content script and the popup; absent in other packages.
pub const BUILT_IN_KEY: &str = "built_in_profile";

/// The package file of a baked-in profile.
pub const BUILT_IN_FILE: &str = "built-in-profile.json";

thread_local! {
    static BAKED: std::cell::RefCell<Option<SiteProfile>> = const { std::cell::RefCell::new(None) };
}

/// The built-in profile, first in every list; it cannot be edited or deleted, only duplicated:
/// the package's baked-in one, else the conventions of job apps.
pub fn built_in() -> SiteProfile {
    BAKED
        .with(|baked| baked.borrow().clone())
        .unwrap_or_else(crate::sites::conventions::profile)
}

/// Makes `text` (a package's baked-in profile, as exported) the built-in profile of this
/// context; empty text keeps the conventions. The background calls it once at start: an invalid
/// file is refused with every problem (the build checked it already), and only a valid one is
/// kept in storage for the other contexts, which take it with [`use_built_in`].
pub fn set_built_in(text: &str) -> Result<(), Vec<String>> {
    if !text.trim().is_empty() {
        SiteProfile::import(text)?;
    }
    use_built_in(text).map_err(|why| vec![why])
}

/// [`set_built_in`] for a text the background validated already (what it keeps in storage): read,
/// not checked again — the content script and the pages need not carry the checks.
pub fn use_built_in(text: &str) -> Result<(), String> {
    let baked = match text.trim() {
        "" => None,
        text => Some(json::decode::<SiteProfile>(text)?),
    };
    BAKED.with(|slot| *slot.borrow_mut() = baked);
    Ok(())
}

/// Reads the stored book. A stored entry that no longer validates is reported, not dropped
/// silently: the caller shows why.
pub fn parse_book(text: &str) -> Result<Vec<StoredProfile>, String> {
    let value = json::parse(text).map_err(|e| format!("The stored profiles are not JSON: {e}."))?;
    let Json::Array(items) = value else {
        return Err("The stored profiles are not a list.".into());
    };
    items
        .iter()
        .map(|item| {
            let profile = SiteProfile::from_json(item)?;
            let token = item.optional_str(&["token"])?;
            Ok(StoredProfile { profile, token })
        })
        .collect()
}

/// The book as stored: each profile's export JSON plus its token.
pub fn write_book(book: &[StoredProfile]) -> String {
    json::write_array(book, |out, stored| {
        let mut entry = stored.profile.to_json();
        if let Some(token) = &stored.token {
            entry.pop();
            entry.push_str(",\"token\":");
            json::write_string(&mut entry, token);
            entry.push('}');
        }
        out.push_str(&entry);
    })
}

/// The profile for a page at `url`: the first of the user's that covers it, else the built-in
/// one if it does. `None`: the overlay leaves the page alone.
pub fn active_for(book: &[StoredProfile], url: &str) -> Option<StoredProfile> {
    book.iter()
        .find(|stored| stored.profile.covers(url))
        .cloned()
        .or_else(|| {
            let profile = built_in();
            profile.covers(url).then_some(StoredProfile {
                profile,
                token: None,
            })
        })
}

/// The bearer token to send to `api_base` for this profile on a page of `page_origin`: only with
/// the bearer-token auth mode, only on a page the profile covers, and only when `api_base` is the
/// profile's explicit API base and that may carry a token (`SiteProfile::token_base`: absolute,
/// https or http to this machine). A profile without an explicit API base sends no token at all:
/// `{page origin}/api` would be every origin and port the profile covers.
pub fn token_for<'a>(
    stored: &'a StoredProfile,
    page_origin: &str,
    api_base: &str,
) -> Option<&'a str> {
    use crate::sites::profile::AuthMode;
    (stored.profile.auth == AuthMode::BearerToken
        && stored.profile.covers(page_origin)
        && stored.profile.token_base().as_deref() == Some(api_base))
    .then_some(stored.token.as_deref())
    .flatten()
    .filter(|token| !token.trim().is_empty())
}

/// The host permission patterns a profile needs: its pages' origins (any port, as match patterns
/// are) and its API's origin — always. An API base that breaks the URL rule
/// (`origin::check_api_base`) is an error here, never silently left out of the request; it is a
/// problem in `SiteProfile::problems` too, so such a profile is never saved.
pub fn patterns_of(profile: &SiteProfile) -> Result<Vec<String>, String> {
    let mut urls = profile.origins.clone();
    if let Some(api_base) = &profile.api_base {
        let api_base = crate::sites::origin::check_api_base(api_base)?;
        // A path is on the pages' own origins, which are in the request already.
        if !api_base.starts_with('/') {
            urls.push(api_base);
        }
    }
    Ok(match_patterns(urls.iter()))
}

/// Every pattern of the profile that parses: what it may hold a grant for, to give back.
fn held_patterns_of(profile: &SiteProfile) -> Vec<String> {
    match_patterns(profile.origins.iter().chain(profile.api_base.iter()))
}

/// The page origins' patterns, where the content script must run.
pub fn page_patterns_of(profile: &SiteProfile) -> Vec<String> {
    match_patterns(profile.origins.iter())
}

fn match_patterns<'a>(urls: impl Iterator<Item = &'a String>) -> Vec<String> {
    unique(
        urls.filter_map(|url| Origin::parse(url).ok())
            .map(|origin| origin.match_pattern()),
    )
}

/// The items in first-seen order, each once. (Not `sort` + `dedup`: a profile has a handful of
/// origins, and the sort would add ~9 KB of code to the background and the popup.)
fn unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// What to change so the registered content scripts are exactly the ones the book needs: one per
/// page pattern of a user profile whose host permission is granted, none for patterns the
/// manifest already covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Match patterns to register a content script for (its id: [`registration_id`]).
    pub register: Vec<String>,
    /// Registration ids to remove.
    pub unregister: Vec<String>,
}

pub fn registration_id(pattern: &str) -> String {
    format!("{REGISTRATION_PREFIX}{pattern}")
}

/// `registered`: the ids registered now (any, ours have the prefix); `granted`: the host
/// permission patterns granted now; `manifest`: the patterns the manifest's content script has.
pub fn reconcile(
    book: &[StoredProfile],
    registered: &[String],
    granted: &[String],
    manifest: &[String],
) -> Plan {
    let needed = unique(
        book.iter()
            .flat_map(|stored| page_patterns_of(&stored.profile))
            .filter(|pattern| granted.contains(pattern) && !manifest.contains(pattern)),
    );
    let register = needed
        .iter()
        .filter(|pattern| !registered.contains(&registration_id(pattern)))
        .cloned()
        .collect();
    let unregister = registered
        .iter()
        .filter(|id| id.starts_with(REGISTRATION_PREFIX))
        .filter(|id| {
            !needed
                .iter()
                .any(|pattern| &registration_id(pattern) == *id)
        })
        .cloned()
        .collect();
    Plan {
        register,
        unregister,
    }
}

/// The host permissions no profile needs any more once `removed` is gone (to remove them): the
/// removed profile's patterns that no remaining profile, and not the manifest, needs.
pub fn patterns_to_release(
    removed: &SiteProfile,
    remaining: &[StoredProfile],
    manifest: &[String],
) -> Vec<String> {
    held_patterns_of(removed)
        .into_iter()
        .filter(|pattern| !manifest.contains(pattern))
        .filter(|pattern| {
            !remaining
                .iter()
                .any(|stored| held_patterns_of(&stored.profile).contains(pattern))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::profile::{spa, AuthMode};

    fn stored(profile: SiteProfile, token: Option<&str>) -> StoredProfile {
        StoredProfile {
            profile,
            token: token.map(str::to_string),
        }
    }

    #[test]
    fn the_book_round_trips_with_tokens_kept_out_of_exports() {
        let mut api = spa("http://localhost:8080");
        api.api_base = Some("https://api.example.com/v1".into());
        api.auth = AuthMode::BearerToken;
        let book = vec![
            stored(api.clone(), Some("s3cr\"et")),
            stored(spa("https://a.example"), None),
        ];
        let text = write_book(&book);
        assert_eq!(parse_book(&text).unwrap(), book);
        assert!(
            !api.to_json().contains("s3cr"),
            "an export never carries the token"
        );
        assert_eq!(parse_book("[]").unwrap(), vec![]);
        assert!(parse_book("{}").unwrap_err().contains("not a list"));
        assert!(parse_book("[{\"name\":1}]").is_err());
    }

    #[test]
    fn the_first_covering_profile_applies_then_the_built_in_one() {
        let book = vec![
            stored(spa("http://localhost:8080"), None),
            stored(spa("http://localhost"), Some("t")),
        ];
        let active =
            |url: &str| active_for(&book, url).map(|stored| stored.profile.origins[0].clone());
        assert_eq!(
            active("http://localhost:8080/spa/runs").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            active("http://localhost:9000/spa/runs").as_deref(),
            Some("http://localhost")
        );
        assert_eq!(
            active("http://127.0.0.1:4000/jobs").as_deref(),
            Some("http://127.0.0.1")
        );
        assert_eq!(active("https://localhost/spa/runs"), None);
        assert_eq!(active("http://localhost.evil.example/spa/runs"), None);
        // A user profile for the built-in origin wins over the built-in one.
        let own = vec![stored(spa("http://127.0.0.1"), None)];
        assert_eq!(
            active_for(&own, "http://127.0.0.1:4000/jobs")
                .unwrap()
                .profile
                .name,
            "Runs"
        );
    }

    #[test]
    fn a_token_goes_only_to_its_own_profiles_api_base() {
        let mut profile = spa("https://app.example");
        profile.api_base = Some("https://api.example/v1".into());
        profile.auth = AuthMode::BearerToken;
        let with_token = stored(profile.clone(), Some("t0k"));
        assert_eq!(
            token_for(&with_token, "https://app.example", "https://api.example/v1"),
            Some("t0k")
        );
        // Another API base (another profile's, or the page's own /api): no token.
        assert_eq!(
            token_for(
                &with_token,
                "https://app.example",
                "https://app.example/api"
            ),
            None
        );
        assert_eq!(
            token_for(&with_token, "https://app.example", "https://api.example/v2"),
            None
        );
        assert_eq!(
            token_for(
                &with_token,
                "https://app.example",
                "https://api.example/v1x"
            ),
            None
        );
        // A page the profile does not cover: no token.
        assert_eq!(
            token_for(
                &with_token,
                "https://evil.example",
                "https://api.example/v1"
            ),
            None
        );
        assert_eq!(
            token_for(&with_token, "http://app.example", "https://api.example/v1"),
            None
        );
        // Cookie auth never sends a token, even if one is stored.
        profile.auth = AuthMode::Cookies;
        assert_eq!(
            token_for(
                &stored(profile, Some("t0k")),
                "https://app.example",
                "https://api.example/v1"
            ),
            None
        );
        assert_eq!(
            token_for(
                &stored(with_token.profile.clone(), Some("  ")),
                "https://app.example",
                "https://api.example/v1"
            ),
            None
        );
    }

    /// Issue #20: a bearer-token profile without an explicit API base sent its token to
    /// `{page origin}/api` on every origin and port it covers, over http too.
    #[test]
    fn no_token_without_an_explicit_https_api_base() {
        let mut same = spa("https://app.example");
        same.auth = AuthMode::BearerToken;
        let same = stored(same, Some("x"));
        assert_eq!(
            token_for(&same, "https://app.example", "https://app.example/api"),
            None
        );
        let mut path = same.clone();
        path.profile.api_base = Some("/api".into());
        assert_eq!(
            token_for(&path, "https://app.example", "https://app.example/api"),
            None
        );
        let mut plain = same.clone();
        plain.profile.api_base = Some("http://api.example/v1".into());
        plain.profile.origins = vec!["http://app.example".into()];
        assert_eq!(
            token_for(&plain, "http://app.example", "http://api.example/v1"),
            None
        );
        // Over http to this machine (the emulator, a dev server) it goes.
        let mut local = same.clone();
        local.profile.origins = vec!["http://localhost".into()];
        local.profile.api_base = Some("http://127.0.0.1:8700/api/".into());
        assert_eq!(
            token_for(&local, "http://localhost:5173", "http://127.0.0.1:8700/api"),
            Some("x")
        );
    }

    #[test]
    fn the_api_origin_is_always_in_the_permission_request() {
        let mut profile = spa("http://localhost:8080");
        assert_eq!(
            patterns_of(&profile),
            Ok(vec!["http://localhost/*".to_string()])
        );
        profile.api_base = Some("https://API.example:8443/v1".into());
        assert_eq!(
            patterns_of(&profile),
            Ok(vec![
                "http://localhost/*".to_string(),
                "https://api.example/*".into()
            ])
        );
        profile.api_base = Some("/v2/api".into());
        assert_eq!(
            patterns_of(&profile),
            Ok(vec!["http://localhost/*".to_string()])
        );
        // Issue #20: these were left out of the request without a word, and saved.
        for broken in [
            "/\\evil.test/api",
            "https://ev\til.test/api",
            "https://ok.test/a\npi",
        ] {
            profile.api_base = Some(broken.into());
            let why = patterns_of(&profile).unwrap_err();
            assert!(why.starts_with("API base `"), "{why}");
            assert!(profile.problems().contains(&why), "{broken:?}");
        }
    }

    #[test]
    fn registrations_follow_the_book_and_the_granted_origins() {
        let manifest = vec!["http://127.0.0.1/*".to_string()];
        let book = vec![
            stored(spa("http://localhost:8080"), None),
            stored(spa("http://localhost:9090"), None),
            stored(spa("https://jobs.example"), None),
            stored(spa("http://127.0.0.1:5000"), None),
        ];
        let granted = vec![
            "http://localhost/*".to_string(),
            "http://127.0.0.1/*".into(),
        ];
        let plan = reconcile(&book, &[], &granted, &manifest);
        // One registration per pattern (two localhost ports share it); none for an origin not
        // granted (yet) or one the manifest already covers.
        assert_eq!(plan.register, vec!["http://localhost/*".to_string()]);
        assert!(plan.unregister.is_empty());
        let registered = vec![
            registration_id("http://localhost/*"),
            registration_id("https://old.example/*"),
            "someone-else".into(),
        ];
        let plan = reconcile(&book, &registered, &granted, &manifest);
        assert!(plan.register.is_empty());
        assert_eq!(
            plan.unregister,
            vec![registration_id("https://old.example/*")]
        );
        // The book emptied: every one of ours goes.
        let plan = reconcile(&[], &registered, &granted, &manifest);
        assert_eq!(plan.unregister.len(), 2);
    }

    #[test]
    fn a_removed_profile_releases_only_what_nobody_else_needs() {
        let manifest = vec!["http://127.0.0.1/*".to_string()];
        let mut gone = spa("http://localhost:8080");
        gone.api_base = Some("https://api.example/v1".into());
        let keep = vec![stored(spa("http://localhost:9090"), None)];
        assert_eq!(
            patterns_to_release(&gone, &keep, &manifest),
            vec!["https://api.example/*".to_string()]
        );
        assert_eq!(
            patterns_to_release(&gone, &[], &manifest),
            vec![
                "http://localhost/*".to_string(),
                "https://api.example/*".into()
            ]
        );
        assert!(patterns_to_release(&spa("http://127.0.0.1:1"), &[], &manifest).is_empty());
    }

    #[test]
    fn a_baked_profile_replaces_the_conventions_until_unset() {
        let baked = spa("https://runs.example");
        set_built_in(&baked.to_json()).unwrap();
        assert_eq!(built_in(), baked);
        let page = "https://runs.example/spa/runs";
        assert_eq!(
            active_for(&[], page).map(|stored| stored.profile),
            Some(baked)
        );
        assert_eq!(active_for(&[], "http://127.0.0.1:8700/jobs"), None);
        assert_eq!(
            set_built_in("{}").unwrap_err(),
            ["`origins` must be a list of strings."]
        );
        set_built_in("").unwrap();
        assert_eq!(built_in(), crate::sites::conventions::profile());
    }
}
