//! Site profiles (issue #8): what the overlay needs to know about one jobs app — where its pages
//! are, how to read a job id from them, where to anchor the buttons, and where its API is — as
//! data a user writes, imports or exports as JSON, never as code. The emulator's profile is built
//! in and is the default. Pure: validation, URL patterns and id capture are tested natively; the
//! content script applies a profile through its selector module. Its switches (`features`) say
//! which parts of the overlay it adds: a staged rollout turns parts off per app (issue #23).
//!
//! The profile's parts live by concern and are re-exported here, so every crate names them as
//! `sites::profile::…`: path patterns (`path_pattern`), the selector alternatives and row rules
//! (`alternatives`). Validation (`validation`: `problems`) and JSON (`profile_json`: `to_json`,
//! `import`) are methods of [`SiteProfile`] written in modules of their own.

pub use crate::jobs::rules::Switches;
pub use crate::sites::alternatives::{tried, Choice, RowId, RowRule};
/// Where a cookie-session API wants its CSRF token (the type lives with the rule that reads it).
pub use crate::sites::csrf::Csrf;
use crate::sites::origin::{self, Origin};
pub use crate::sites::path_pattern::PathPattern;

/// How the API authenticates the overlay's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// The page's own cookies: a same-origin API, called as the app calls it.
    Cookies,
    /// A bearer token kept in extension storage, sent only to URLs under the API base — which must
    /// then be explicit and absolute, and https (http only to this machine).
    BearerToken,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteProfile {
    pub name: String,
    /// The app's origins. One written without a port matches every port of its host, as
    /// browser match patterns do.
    pub origins: Vec<String>,
    pub list_page: PathPattern,
    pub detail_page: PathPattern,
    /// How to find the list's rows and their ids, tried in order; at least one.
    pub rows: Vec<RowRule>,
    /// Inside a list row: its title, alternatives tried in order; at least one. The badge goes
    /// after it, a cancelled job's is struck through, and the row menu is named by it until the
    /// API answers.
    pub row_title: Vec<Choice>,
    /// Inside a list row: the app's own phase text, read until the API answers; may be none.
    pub row_phase: Vec<Choice>,
    /// Inside a list row: where the three-dot menu button is appended; may be none. When none
    /// matches, the button goes at the end of the row.
    pub row_menu_anchor: Vec<Choice>,
    /// On a job's page: the element the buttons follow (e.g. the title), alternatives tried in
    /// order. When none matches, the actions show in a fixed action bar instead.
    pub detail_anchor: Vec<Choice>,
    /// The app's own phase element on a job's page, to badge; alternatives in order, may be none.
    pub phase_element: Vec<Choice>,
    /// `None`: the pages' own origin + `/api`. A path (`/v2/api`) is on the pages' own origin
    /// too; an absolute base names another. Checked by `origin::check_api_base`.
    pub api_base: Option<String>,
    pub auth: AuthMode,
    pub csrf: Csrf,
    /// What the overlay adds on this app's pages, its list and the popup: badges, Cancel, Delete,
    /// Force Delete, the row menu. All on unless the profile turns some off (`switched_off`).
    pub features: Switches,
}

impl SiteProfile {
    /// Where the job list is, seen from the page at `path` (a job's page, after a delete): the
    /// list pattern with the wildcards the page's path gave the detail pattern (`/ops/jobs/7` →
    /// `/ops/jobs`), or the list pattern itself when it is a plain path.
    pub fn list_path_from(&self, path: &str) -> Option<String> {
        self.list_page
            .fill(&self.wildcards_of(path))
            .or_else(|| self.list_page.fill(&[]))
    }

    /// The wildcards a page at `path` (a job page or the list) gives this profile's patterns, so
    /// links to other job pages keep the page's prefix (`/t/acme/jobs/…`); none when it is
    /// neither.
    pub fn wildcards_of(&self, path: &str) -> Vec<String> {
        self.detail_page
            .wildcards(path)
            .or_else(|| self.list_page.wildcards(path))
            .unwrap_or_default()
    }

    /// Whether a page at `url` belongs to this profile's app.
    pub fn covers(&self, url: &str) -> bool {
        let Ok(page) = Origin::parse(url) else {
            return false;
        };
        self.origins.iter().any(|origin| {
            Origin::parse(origin).is_ok_and(|origin| {
                origin.scheme == page.scheme
                    && origin.host == page.host
                    && (origin.port.is_none() || origin.port == page.port)
            })
        })
    }

    /// The API base for pages of `page_origin` (`https://host[:port]`, `location.origin`): the
    /// profile's absolute base, or its path (`/api` when it names none) resolved against that
    /// origin — never against the document's `<base href>`, which the page sets. A base that
    /// breaks the URL rule comes back as written, and the client refuses it with the rule's
    /// message.
    pub fn api_base_for(&self, page_origin: &str) -> String {
        let base = self.api_base.as_deref().unwrap_or("/api");
        origin::resolve_api_base(base, page_origin).unwrap_or_else(|_| base.to_string())
    }

    /// The one API base a bearer token of this profile may go to: its explicit, absolute API
    /// base, when that may carry a token (https, or http to this machine). `None` otherwise —
    /// without an explicit base the token would go to `/api` on every origin and port the
    /// profile covers.
    pub fn token_base(&self) -> Option<String> {
        let base = origin::absolute_api_base(self.api_base.as_deref()?).ok()?;
        origin::may_carry_token(&base).then_some(base)
    }
}

/// A profile of one app's own markup: one row rule and plain selectors (tests of the flat form).
#[cfg(test)]
pub(crate) fn sample() -> SiteProfile {
    SiteProfile {
        name: "Emulator".into(),
        origins: vec!["http://127.0.0.1".into()],
        list_page: PathPattern::parse("/jobs").expect("a valid pattern"),
        detail_page: PathPattern::parse("/jobs/:id").expect("a valid pattern"),
        rows: vec![RowRule::new(
            "[data-job-id]",
            RowId::Attribute("data-job-id".into()),
            "",
        )],
        row_title: vec![Choice::plain(".job-title")],
        row_phase: vec![Choice::plain(".job-phase")],
        row_menu_anchor: vec![Choice::plain("td:last-child")],
        detail_anchor: vec![Choice::plain(".job-header .job-title")],
        phase_element: vec![Choice::plain(".job-header .job-phase")],
        api_base: None,
        auth: AuthMode::Cookies,
        csrf: Csrf::Conventional,
        features: Switches::ALL_ON,
    }
}

/// The card app's profile (the emulator's `/spa` host, ids in the rows' links) on `origin`.
#[cfg(test)]
pub(crate) fn spa(origin: &str) -> SiteProfile {
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
        row_title: vec![Choice::plain("a.card-link h3")],
        row_phase: Vec::new(),
        row_menu_anchor: Vec::new(),
        detail_anchor: vec![Choice::plain(".run-head .run-name")],
        phase_element: Vec::new(),
        api_base: None,
        auth: AuthMode::Cookies,
        csrf: Csrf::Conventional,
        features: Switches::ALL_ON,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> PathPattern {
        PathPattern::parse(text).unwrap()
    }

    #[test]
    fn the_list_is_found_from_a_job_page() {
        let built_in = crate::sites::conventions::profile();
        for (page, list) in [
            ("/jobs/7", Some("/jobs")),
            ("/ops/jobs/7", Some("/ops/jobs")),
            ("/t/acme/jobs/x%2Fy/", Some("/t/acme/jobs")),
            ("/elsewhere", None),
        ] {
            assert_eq!(built_in.list_path_from(page).as_deref(), list, "{page}");
        }
        let mut tenant = sample();
        tenant.list_page = pattern("/t/*/runs");
        tenant.detail_page = pattern("/t/*/runs/:id/overview");
        assert_eq!(
            tenant.list_path_from("/t/acme/runs/1/overview").as_deref(),
            Some("/t/acme/runs")
        );
        assert_eq!(
            sample().list_path_from("/anything").as_deref(),
            Some("/jobs")
        );
    }

    #[test]
    fn the_emulator_profile_is_valid_and_covers_every_port_of_its_host() {
        let profile = sample();
        assert_eq!(profile.problems(), Vec::<String>::new());
        assert!(profile.covers("http://127.0.0.1:8700/jobs"));
        assert!(profile.covers("http://127.0.0.1:41234/jobs/x"));
        assert!(!profile.covers("http://localhost:8700/jobs"));
        assert!(!profile.covers("https://127.0.0.1/jobs"));
        assert_eq!(
            profile.api_base_for("http://127.0.0.1:8700"),
            "http://127.0.0.1:8700/api"
        );
    }

    #[test]
    fn an_origin_with_a_port_covers_that_port_only() {
        let mut profile = sample();
        profile.origins = vec!["https://jobs.example.com:8443".into()];
        assert!(profile.covers("https://jobs.example.com:8443/runs/1"));
        assert!(!profile.covers("https://jobs.example.com/runs/1"));
        assert!(!profile.covers("https://jobs.example.com.evil.test:8443/"));
    }

    #[test]
    fn api_bases_resolve_against_the_pages_origin_never_the_document() {
        let mut profile = sample();
        let page = "http://127.0.0.1:8700";
        assert_eq!(profile.api_base_for(page), "http://127.0.0.1:8700/api");
        profile.api_base = Some("/v2/api/".into());
        assert_eq!(profile.api_base_for(page), "http://127.0.0.1:8700/v2/api");
        profile.api_base = Some("https://api.example/v1/".into());
        assert_eq!(profile.api_base_for(page), "https://api.example/v1");
        // A base that breaks the rule comes back as written: the client refuses it.
        for broken in [
            "/\\evil.test/api",
            "https://ev\til.test/api",
            "//evil.test/api",
        ] {
            profile.api_base = Some(broken.into());
            assert_eq!(profile.api_base_for(page), broken);
            assert!(crate::ClientConfig::new(&profile.api_base_for(page)).is_err());
        }
    }
}
