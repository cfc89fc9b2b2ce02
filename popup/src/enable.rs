//! "Enable on this site" (issue #19): one click in the popup over a web tab no profile covers —
//! ask for the tab's origin (from the click: browsers require a user gesture), read the page with
//! the probe, try the API bases it suggests (`detect::api_candidates`), and save the profile
//! `detect::detect` builds; the overlay starts in the tab at once. Where detection is unsure, the
//! site-profiles editor opens on the draft instead, saying what it could not find.

use crate::browser;
use crate::profile_form::plan_for;
use crate::state::{Outcome, State};
use dioxus::prelude::*;
use job_actions::api::client::ApiClient;
use job_actions::api::json::{self, Json};
use job_actions::sites::detect::{self, ApiFound, PageFacts};
use job_actions::sites::origin::Origin;
use job_actions::sites::profiles::{self, StoredProfile};
use job_actions::{ClientConfig, Fetched, ListQuery};

/// The `storage.local` key of a detected profile the editor is to open on (then removes).
pub const DRAFT_KEY: &str = "profile_draft";

/// The stored site profiles: the organisation's (`managed`, read by the caller), then the
/// user's (an unreadable book is none: the site-profiles page says why).
pub async fn book(managed: &[StoredProfile]) -> Vec<StoredProfile> {
    let user = crate::storage::get(profiles::STORAGE_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|text| profiles::parse_book(&text).ok())
        .unwrap_or_default();
    managed.iter().cloned().chain(user).collect()
}

/// On the popup's start: offers "Enable on this site" when the web tab it opened over is on no
/// profile's origins.
pub async fn offer(mut state: State, book: &[StoredProfile], tab: Option<String>) {
    let Some(url) = tab else {
        return;
    };
    if profiles::active_for(book, &url).is_none() && Origin::parse(&url).is_ok() {
        state.write().site = Some(url);
    }
}

/// The organisation's profiles this browser has not granted the origins of yet: the popup offers
/// the one click that grants them (browsers ask the user, from a click, even for a policy's).
pub async fn offer_grants(mut state: State, managed: Vec<StoredProfile>) {
    let mut ungranted = Vec::new();
    for stored in managed {
        let Ok(patterns) = profiles::patterns_of(&stored.profile) else {
            continue;
        };
        if !browser::granted(patterns).await {
            ungranted.push(stored);
        }
    }
    state.write().ungranted = ungranted;
}

/// "Allow access" for the organisation's profiles.
pub fn grant(mut state: State) {
    let ungranted = state.peek().ungranted.clone();
    let mut patterns: Vec<String> = Vec::new();
    for stored in &ungranted {
        for pattern in profiles::patterns_of(&stored.profile).unwrap_or_default() {
            if !patterns.contains(&pattern) {
                patterns.push(pattern);
            }
        }
    }
    let permission = browser::request_permission(patterns.clone());
    state.write().grant = Some(Outcome::Working("Asking for access…"));
    spawn(async move {
        let outcome = match permission.await {
            Ok(true) => {
                state.write().ungranted.clear();
                Outcome::Done(format!(
                    "Access allowed: the actions run on {} from the next page load.",
                    patterns.join(", ")
                ))
            }
            Ok(false) => Outcome::Failed(format!(
                "Access to {} was not granted; your organisation's profiles stay off there.",
                patterns.join(", ")
            )),
            Err(message) => Outcome::Failed(format!("Access was not granted: {message}")),
        };
        state.write().grant = Some(outcome);
    });
}

/// The click.
pub fn enable(mut state: State) {
    let Some(url) = state.peek().site.clone() else {
        return;
    };
    let Ok(origin) = Origin::parse(&url) else {
        return;
    };
    let pattern = origin.match_pattern();
    let permission = browser::request_permission(vec![pattern.clone()]);
    state.write().enable = Some(Outcome::Working("Asking for access to this site…"));
    spawn(async move {
        let outcome = match permission.await {
            Ok(true) => set_up(state).await,
            Ok(false) => Outcome::Failed(format!(
                "Access to {pattern} was not granted, so nothing was set up."
            )),
            Err(message) => Outcome::Failed(format!("Nothing was set up: {message}")),
        };
        state.write().enable = Some(outcome);
    });
}

async fn set_up(mut state: State) -> Outcome {
    state.write().enable = Some(Outcome::Working("Looking at the page…"));
    // The rows `detect` judges, in its order: its facts are matched to them by position.
    let plan = plan_for(&detect::row_candidates(), &[]);
    let facts = match browser::probe_tab(&plan)
        .await
        .and_then(|text| page_facts(&text))
    {
        Ok(facts) => facts,
        Err(message) => return Outcome::Failed(format!("Could not read the page: {message}")),
    };
    state.write().enable = Some(Outcome::Working("Asking the API…"));
    let tried = detect::api_candidates(&facts);
    let mut api = None;
    for base in &tried {
        let Ok(config) = ClientConfig::new(base) else {
            continue;
        };
        if let Ok(Fetched::Fresh { value, .. }) = ApiClient::new(config)
            .list_jobs(&ListQuery::default(), None)
            .await
        {
            api = Some(ApiFound {
                base: base.clone(),
                job_ids: value.into_iter().map(|job| job.id).collect(),
            });
            break;
        }
    }
    let mut detection = detect::detect(&facts, api.as_ref(), &tried);
    let mut book = match crate::storage::get(profiles::STORAGE_KEY).await {
        Ok(Some(text)) => match profiles::parse_book(&text) {
            Ok(book) => book,
            Err(message) => {
                return Outcome::Failed(format!(
                    "Your site profiles could not be read, so nothing was saved: {message}"
                ))
            }
        },
        Ok(None) => Vec::new(),
        Err(message) => return Outcome::Failed(format!("Nothing was saved: {message}")),
    };
    let taken: Vec<String> = book
        .iter()
        .map(|stored| stored.profile.name.clone())
        .chain([profiles::built_in().name])
        .collect();
    let base = detection.profile.name.clone();
    detection.profile.name = (1..)
        .map(|n| match n {
            1 => base.clone(),
            n => format!("{base} ({n})"),
        })
        .find(|name| !taken.contains(name))
        .unwrap_or(base);
    let summary = detection.summary();
    let problems = detection.profile.problems();
    if !detection.missing.is_empty() || !problems.is_empty() {
        let draft = detection.profile.to_json();
        if let Err(message) = crate::storage::set(DRAFT_KEY, &draft).await {
            return Outcome::Failed(format!("{summary} The draft could not be kept: {message}"));
        }
        browser::open_site_profiles();
        return Outcome::Failed(format!(
            "{summary} The profile editor is open on what was found."
        ));
    }
    let name = detection.profile.name.clone();
    book.push(StoredProfile {
        profile: detection.profile,
        token: None,
    });
    if let Err(message) =
        crate::storage::set(profiles::STORAGE_KEY, &profiles::write_book(&book)).await
    {
        return Outcome::Failed(format!("Could not save the profile: {message}"));
    }
    state.write().site = None;
    match browser::inject_overlay().await {
        Ok(()) => Outcome::Done(format!(
            "{summary} Saved as \"{name}\"; the actions are on the page now."
        )),
        Err(message) => Outcome::Done(format!(
            "{summary} Saved as \"{name}\"; reload the page to see the actions ({message})."
        )),
    }
}

/// What the probe read, for `detect` (the rows of the conventions' candidates, in order).
pub fn page_facts(text: &str) -> Result<PageFacts, String> {
    let value = json::parse(text).map_err(|e| format!("the tab's answer is unreadable: {e}"))?;
    let strings = |name: &str| match value.member(&[name]) {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    Ok(PageFacts {
        url: value.required_str(&["url"])?,
        links: strings("links"),
        requests: strings("requests"),
        rows: crate::profile_form::probe_facts(text)?.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_answer_becomes_page_facts() {
        let facts = page_facts(
            r#"{"url":"http://localhost:1/ops/jobs","links":["/ops/jobs/a",7],"requests":["http://localhost:1/api/jobs"],"rules":[{"rows":0,"ids":[]},{"rows":1,"ids":["a"]}],"anchors":[]}"#,
        )
        .unwrap();
        assert_eq!(facts.links, ["/ops/jobs/a"]);
        assert_eq!(facts.requests, ["http://localhost:1/api/jobs"]);
        assert_eq!(facts.rows[1].row_ids, [Some("a".to_string())]);
        assert!(page_facts("{}").is_err());
    }
}
