//! The site profiles a user keeps (issue #8), as stored in extension storage under
//! [`STORAGE_KEY`]: which one applies to a page, which origins the content script must be
//! registered for, and what a "Test on this tab" probe found. Pure and natively tested; the
//! popup edits the book, the background registers content scripts from it, and the content
//! script reads it to choose its profile.

use crate::api::json::{self, FromJson, Json};
use crate::sites::origin::Origin;
use crate::sites::profile::{tried, RowId, RowRule, SiteProfile};

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

/// What a "Test on this tab" probe read from the page (the raw facts; [`report`] judges them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeFacts {
    /// The tab's URL.
    pub url: String,
    /// For each of the profile's row rules, in order.
    pub rows: Vec<RuleFacts>,
    /// For each detail anchor alternative, in order: whether it matches here, or the browser's
    /// refusal of the selector.
    pub anchors: Vec<Result<bool, String>>,
}

/// What one row rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFacts {
    /// How many rows matched, or the browser's refusal of the selector.
    pub rows: Result<u32, String>,
    /// Each of the first rows' raw id source (the attribute, every link's href joined by
    /// spaces, or the cell's text), `None` where the row has none.
    pub row_ids: Vec<Option<String>>,
}

/// A probe's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// Whether the overlay would decorate this page with this profile.
    pub works: bool,
    pub summary: String,
    /// The first job id it found (a list row's, or the detail page's).
    pub job_id: Option<String>,
}

/// Judges a probe: how many rows and which job id the profile finds on the tab, or why nothing.
pub fn report(profile: &SiteProfile, facts: &ProbeFacts) -> ProbeReport {
    let fail = |summary: String| ProbeReport {
        works: false,
        summary,
        job_id: None,
    };
    if !profile.covers(&facts.url) {
        return fail(format!(
            "This tab ({}) is not on the profile's origins ({}).",
            origin_of(&facts.url),
            profile.origins.join(", ")
        ));
    }
    let path = path_of(&facts.url);
    if let Some(Some(job_id)) = profile.detail_page.capture(&path) {
        let works = |summary: String| ProbeReport {
            works: true,
            summary,
            job_id: Some(job_id.clone()),
        };
        for (choice, found) in profile.detail_anchor.iter().zip(&facts.anchors) {
            match found {
                Ok(true) => {
                    return works(format!(
                        "Job page of {job_id}: the buttons go after `{}`.",
                        choice.selector
                    ))
                }
                Ok(false) => {}
                Err(why) => {
                    return fail(format!(
                        "The detail anchor `{}` is refused by the browser: {why}",
                        choice.selector
                    ))
                }
            }
        }
        return works(format!(
            "Job page of {job_id}: {}; the actions show in the action bar at the bottom of the \
             page.",
            anchor_diagnosis(profile)
        ));
    }
    if !profile.list_page.matches(&path) {
        return fail(format!(
            "The path {path} matches neither the list pattern `{}` nor the detail pattern `{}`.",
            profile.list_page.as_str(),
            profile.detail_page.as_str()
        ));
    }
    let mut misses = Vec::new();
    for (rule, found) in profile.rows.iter().zip(&facts.rows) {
        let rows = match &found.rows {
            Ok(0) => {
                misses.push(format!("`{}` matches nothing", rule.row));
                continue;
            }
            Ok(rows) => *rows,
            Err(why) => {
                return fail(format!(
                    "The row selector `{}` is refused by the browser: {why}",
                    rule.row
                ))
            }
        };
        let ids: Vec<String> = found
            .row_ids
            .iter()
            .flatten()
            .filter_map(|raw| raw_row_id(&rule.id, raw))
            .collect();
        let plural = if rows == 1 { "row" } else { "rows" };
        match ids.first() {
            Some(first) => {
                let by = if profile.rows.len() > 1 {
                    format!(" by `{}`", rule.row)
                } else {
                    String::new()
                };
                return ProbeReport {
                    works: true,
                    summary: format!("{rows} {plural} found{by}; the first is job {first}."),
                    job_id: Some(first.clone()),
                };
            }
            None if profile.rows.len() == 1 => {
                return fail(format!(
                    "{rows} {plural} found, but none has a job id: {}.",
                    missing_id(rule)
                ))
            }
            None => misses.push(format!(
                "{rows} {plural} `{}` found, but none has a job id: {}",
                rule.row,
                missing_id(rule)
            )),
        }
    }
    fail(match misses.as_slice() {
        [only] => format!("The row selector {only} on this page."),
        _ => format!("No row with a job id: {}.", misses.join("; ")),
    })
}

/// Why a job page has no anchored buttons: the alternatives tried (the content script's console
/// line and the probe say the same).
pub fn anchor_diagnosis(profile: &SiteProfile) -> String {
    format!(
        "no element matches the detail anchor (tried {})",
        tried(&profile.detail_anchor)
    )
}

fn missing_id(rule: &RowRule) -> String {
    match &rule.id {
        RowId::Attribute(name) => format!("no row has the attribute `{name}`"),
        RowId::Link { selector, pattern } => format!(
            "no row has a link `{selector}` whose path matches `{}`",
            pattern.as_str()
        ),
        RowId::Text(selector) => format!("no row has a non-empty cell `{selector}`"),
    }
}

/// A probe's raw id source: for links, every link's href in the row, space-separated (the first
/// that matches the pattern counts, as in the content script).
pub fn raw_row_id(row_id: &RowId, raw: &str) -> Option<String> {
    match row_id {
        RowId::Link { .. } => raw
            .split_whitespace()
            .find_map(|href| row_id_from(row_id, href)),
        _ => row_id_from(row_id, raw),
    }
}

/// A row's job id from its raw source (see [`ProbeFacts::row_ids`]); the content script applies
/// the same rule to live rows.
pub fn row_id_from(row_id: &RowId, raw: &str) -> Option<String> {
    match row_id {
        RowId::Attribute(_) | RowId::Text(_) => {
            let id = raw.trim();
            (!id.is_empty()).then(|| id.to_string())
        }
        RowId::Link { pattern, .. } => pattern.capture(&path_of(raw)).flatten(),
    }
}

/// The path of a URL (or the path itself).
/// A URL's path, without its query and fragment (`/` when it has none).
pub fn path_of(url: &str) -> String {
    let rest = url
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map_or("/", |at| &rest[at..]))
        .unwrap_or(url);
    rest.split(['?', '#']).next().unwrap_or("/").to_string()
}

fn origin_of(url: &str) -> String {
    Origin::parse(url)
        .map(|origin| match origin.port {
            Some(port) => format!("{}://{}:{port}", origin.scheme, origin.host),
            None => format!("{}://{}", origin.scheme, origin.host),
        })
        .unwrap_or_else(|_| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::profile::{AuthMode, Choice, Csrf, PathPattern};

    fn spa(origin: &str) -> SiteProfile {
        SiteProfile {
            name: "Runs".into(),
            origins: vec![origin.into()],
            list_page: PathPattern::parse("/spa/runs").unwrap(),
            detail_page: PathPattern::parse("/spa/runs/:id/overview").unwrap(),
            rows: vec![RowRule::new(
                "article.card",
                RowId::Link {
                    selector: "a.card-link".into(),
                    pattern: PathPattern::parse("/spa/runs/:id/overview").unwrap(),
                },
                "",
            )],
            detail_anchor: vec![Choice::plain(".run-head .run-name")],
            phase_element: Vec::new(),
            api_base: None,
            auth: AuthMode::Cookies,
            csrf: Csrf::Conventional,
        }
    }

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

    fn facts(
        url: &str,
        rows: Result<u32, String>,
        ids: &[Option<&str>],
        anchor: bool,
    ) -> ProbeFacts {
        ProbeFacts {
            url: url.into(),
            rows: vec![RuleFacts {
                rows,
                row_ids: ids.iter().map(|id| id.map(str::to_string)).collect(),
            }],
            anchors: vec![Ok(anchor)],
        }
    }

    #[test]
    fn probes_say_what_they_found_or_why_not() {
        let profile = spa("http://localhost:8080");
        let list = "http://localhost:8080/spa/runs";
        let found = report(
            &profile,
            &facts(
                list,
                Ok(12),
                &[
                    Some("/spa/runs/r%2F1/overview"),
                    Some("/spa/runs/r2/overview"),
                ],
                false,
            ),
        );
        assert_eq!(found.summary, "12 rows found; the first is job r/1.");
        assert!(found.works);
        assert_eq!(found.job_id.as_deref(), Some("r/1"));
        let absolute = report(
            &profile,
            &facts(
                list,
                Ok(1),
                &[Some("http://localhost:8080/spa/runs/r9/overview?tab=1")],
                false,
            ),
        );
        assert_eq!(absolute.summary, "1 row found; the first is job r9.");
        let cases = [
            (facts(list, Ok(0), &[], false), "The row selector `article.card` matches nothing on this page."),
            (
                facts(list, Ok(3), &[None, Some("/elsewhere/r1")], false),
                "3 rows found, but none has a job id: no row has a link `a.card-link` whose path matches `/spa/runs/:id/overview`.",
            ),
            (
                facts(list, Err("'tr[' is not a valid selector.".into()), &[], false),
                "The row selector `article.card` is refused by the browser: 'tr[' is not a valid selector.",
            ),
            (
                facts("http://localhost:9999/spa/runs", Ok(1), &[], false),
                "This tab (http://localhost:9999) is not on the profile's origins (http://localhost:8080).",
            ),
            (
                facts("http://localhost:8080/settings", Ok(1), &[], false),
                "The path /settings matches neither the list pattern `/spa/runs` nor the detail pattern `/spa/runs/:id/overview`.",
            ),
        ];
        for (facts, expected) in cases {
            let verdict = report(&profile, &facts);
            assert!(!verdict.works, "{expected}");
            assert_eq!(verdict.summary, expected);
        }
        let detail = report(
            &profile,
            &facts(
                "http://localhost:8080/spa/runs/%E2%98%83/overview",
                Ok(0),
                &[],
                true,
            ),
        );
        assert_eq!(
            detail.summary,
            "Job page of ☃: the buttons go after `.run-head .run-name`."
        );
        assert!(detail.works);
        // Issue #19: no anchor is no silence — the action bar takes the buttons.
        let bar = report(
            &profile,
            &facts(
                "http://localhost:8080/spa/runs/r1/overview",
                Ok(0),
                &[],
                false,
            ),
        );
        assert_eq!(
            bar.summary,
            "Job page of r1: no element matches the detail anchor (tried `.run-head .run-name`); \
             the actions show in the action bar at the bottom of the page."
        );
        assert!(bar.works);
    }

    #[test]
    fn the_built_in_rules_are_tried_in_order_and_each_miss_is_named() {
        let mut profile = crate::sites::conventions::profile();
        profile.origins = vec!["http://localhost:3000".into()];
        let rule = |rows: u32, ids: &[Option<&str>]| RuleFacts {
            rows: Ok(rows),
            row_ids: ids.iter().map(|id| id.map(str::to_string)).collect(),
        };
        let list = |rows: Vec<RuleFacts>| ProbeFacts {
            url: "http://localhost:3000/ops/jobs".into(),
            rows,
            anchors: Vec::new(),
        };
        let found = report(
            &profile,
            &list(vec![
                rule(0, &[]),
                rule(2, &[None, None]),
                rule(5, &[Some("/help /ops/jobs/j%201"), Some("/ops/jobs/j2")]),
            ]),
        );
        assert_eq!(
            found.summary,
            "5 rows found by `tr, li, article, [role=row]`; the first is job j 1."
        );
        let none = report(
            &profile,
            &list(vec![rule(0, &[]), rule(1, &[None]), rule(0, &[])]),
        );
        assert_eq!(
            none.summary,
            "No row with a job id: `[data-job-id]` matches nothing; 1 row \
             `tr[data-id], li[data-id], article[data-id], [role=row][data-id]` found, but none has \
             a job id: no row has the attribute `data-id`; `tr, li, article, [role=row]` matches \
             nothing."
        );
        let detail = ProbeFacts {
            url: "http://localhost:3000/ops/jobs/9".into(),
            rows: Vec::new(),
            anchors: vec![Ok(false), Ok(false), Ok(true), Ok(true), Ok(true)],
        };
        assert_eq!(
            report(&profile, &detail).summary,
            "Job page of 9: the buttons go after `header h1`."
        );
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

    #[test]
    fn row_ids_come_from_attributes_links_and_cells() {
        assert_eq!(
            row_id_from(&RowId::Attribute("data-id".into()), " 42 ").as_deref(),
            Some("42")
        );
        assert_eq!(row_id_from(&RowId::Text("td".into()), "  "), None);
        let link = RowId::Link {
            selector: "a".into(),
            pattern: PathPattern::parse("/runs/:id").unwrap(),
        };
        assert_eq!(row_id_from(&link, "/runs/a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(
            row_id_from(&link, "https://x.example/runs/7#top").as_deref(),
            Some("7")
        );
        assert_eq!(row_id_from(&link, "/runs/%2E%2E"), None);
        assert_eq!(row_id_from(&link, "/other/7"), None);
    }
}
