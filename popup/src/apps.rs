//! Which app the popup shows (issue #19): the apps its site profiles describe, and the user's own
//! settings. The app of the web tab the popup opened over comes first and is shown unless the
//! user saved settings of their own (then those, with the tab's app one choice away). Each app's
//! job list, token and "Open in app" come from its profile: its API base on the tab's origin, its
//! token only where `profiles::token_for` allows, its job page pattern, and which actions its
//! switches leave on (issue #23; the user's own settings have them all). Pure, tested natively.

use crate::settings::{JobPage, Settings};
use job_actions::sites::origin::Origin;
use job_actions::sites::profile::{SiteProfile, Switches};
use job_actions::sites::profiles::{self, StoredProfile};

/// An app the popup can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// What the switcher says: "Ops console — https://ops.example".
    pub label: String,
    pub settings: Settings,
    /// The user's own settings (the Settings view edits them).
    pub own: bool,
    /// What the app's profile lets the popup offer (all on for the user's own settings).
    pub switches: Switches,
}

/// After the user saved settings: they are the app shown, in the place of the old ones.
pub fn with_saved(apps: &mut Vec<App>, saved: &Settings) -> usize {
    let own = App {
        label: format!("Your settings — {}", saved.app_url),
        settings: saved.clone(),
        own: true,
        switches: Switches::ALL_ON,
    };
    match apps.iter().position(|app| app.own) {
        Some(at) => {
            apps[at] = own;
            at
        }
        None => {
            apps.push(own);
            apps.len() - 1
        }
    }
}

/// The apps, in order, and the one to show. `tab_url`: the web tab the popup opened over;
/// `saved`: the settings the user saved, if any.
pub fn apps(
    book: &[StoredProfile],
    tab_url: Option<&str>,
    saved: Option<&Settings>,
) -> (Vec<App>, usize) {
    let mut apps: Vec<App> = Vec::new();
    let push = |app: App, apps: &mut Vec<App>| {
        let same = |known: &App| {
            known.settings.api_base == app.settings.api_base
                && known.settings.app_url == app.settings.app_url
        };
        if !apps.iter().any(same) {
            apps.push(app);
        }
    };
    let tab = tab_url.and_then(|url| {
        let stored = profiles::active_for(book, url)?;
        let origin = Origin::parse(url).ok()?.serialize();
        Some(app_of(&stored, &origin, &profiles::path_of(url)))
    });
    let tab_first = tab.is_some();
    if let Some(app) = tab {
        push(app, &mut apps);
    }
    let own = App {
        label: format!(
            "Your settings — {}",
            saved.map_or(crate::settings::DEFAULT_APP_URL, |settings| &settings
                .app_url)
        ),
        settings: saved.cloned().unwrap_or_default(),
        own: true,
        switches: Switches::ALL_ON,
    };
    // The user's profiles, at each of their origins (the built-in one's is the manifest's host
    // on every port: it is offered only through a tab of it).
    let mut others = Vec::new();
    for stored in book {
        for origin in &stored.profile.origins {
            if let Ok(parsed) = Origin::parse(origin) {
                others.push(app_of(stored, &parsed.serialize(), "/"));
            }
        }
    }
    // The user's settings are their own entry, even when a profile's app has the same API.
    apps.push(own);
    let selected_own = |apps: &Vec<App>| apps.iter().position(|app| app.own).unwrap_or(0);
    for app in others {
        push(app, &mut apps);
    }
    let selected = if saved.is_some() || !tab_first {
        selected_own(&apps)
    } else {
        0
    };
    (apps, selected)
}

/// The app a profile describes on `origin`, seen from a page at `path`.
fn app_of(stored: &StoredProfile, origin: &str, path: &str) -> App {
    let profile: &SiteProfile = &stored.profile;
    let api_base = profile.api_base_for(origin);
    let token = profiles::token_for(stored, origin, &api_base).map(str::to_string);
    App {
        label: format!("{} — {origin}", profile.name),
        settings: Settings {
            app_url: origin.to_string(),
            api_base,
            token,
            job_page: Some(JobPage {
                pattern: profile.detail_page.clone(),
                wildcards: profile.wildcards_of(path),
            }),
        },
        own: false,
        switches: profile.features,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use job_actions::sites::profile::{AuthMode, PathPattern};

    fn ops() -> StoredProfile {
        let mut profile = job_actions::sites::conventions::profile();
        profile.name = "Ops".into();
        profile.origins = vec!["https://ops.example".into()];
        profile.api_base = Some("https://api.ops.example/v1".into());
        profile.auth = AuthMode::BearerToken;
        profile.detail_page = PathPattern::parse("/t/*/runs/:id").unwrap();
        profile.list_page = PathPattern::parse("/t/*/runs").unwrap();
        StoredProfile {
            profile,
            token: Some("s3cret".into()),
        }
    }

    #[test]
    fn the_tabs_app_comes_first_and_is_shown_unless_settings_were_saved() {
        let book = [ops()];
        let (shown_apps, selected) = apps(&book, Some("https://ops.example/t/acme/runs?x=1"), None);
        assert_eq!(selected, 0);
        let shown = &shown_apps[0].settings;
        assert_eq!(shown_apps[0].label, "Ops — https://ops.example");
        assert_eq!(shown.api_base, "https://api.ops.example/v1");
        assert_eq!(shown.token.as_deref(), Some("s3cret"));
        assert_eq!(
            shown.job_url("a/b").as_deref(),
            Some("https://ops.example/t/acme/runs/a%2Fb")
        );
        assert_eq!(shown_apps[1].label, "Your settings — http://127.0.0.1:8700");
        let saved = Settings::default();
        let (with_saved, selected) =
            apps(&book, Some("https://ops.example/t/acme/runs"), Some(&saved));
        assert_eq!(with_saved[selected].settings, saved);
        assert_eq!(with_saved[0].label, "Ops — https://ops.example");
    }

    /// Issue #23: an app shows what its profile's switches leave on; the user's own settings have
    /// every switch on.
    #[test]
    fn each_app_carries_its_profiles_switches() {
        let mut staged = ops();
        staged.profile.features.cancel = false;
        let (shown, _) = apps(&[staged], Some("https://ops.example/t/acme/runs"), None);
        assert_eq!(
            shown
                .iter()
                .map(|app| (app.own, app.switches.cancel))
                .collect::<Vec<_>>(),
            [(false, false), (true, true)]
        );
    }

    #[test]
    fn without_a_covered_tab_the_settings_are_shown_and_profiles_offered() {
        let (offered, selected) = apps(&[ops()], Some("https://elsewhere.example/"), None);
        assert_eq!(
            offered[selected].label,
            "Your settings — http://127.0.0.1:8700"
        );
        // A profile seen from no page of its own: links need its wildcards, so none is made.
        let ops_app = offered
            .iter()
            .find(|app| app.label.starts_with("Ops"))
            .unwrap();
        assert_eq!(ops_app.settings.job_url("1"), None);
        // The built-in profile is offered through a tab of it only.
        assert_eq!(offered.len(), 2);
        let mut offered = offered;
        let mine = Settings {
            app_url: "https://mine.example".into(),
            ..Settings::default()
        };
        let at = with_saved(&mut offered, &mine);
        assert_eq!(
            (offered[at].label.as_str(), offered.len()),
            ("Your settings — https://mine.example", 2)
        );
        let (local, selected) = apps(&[], Some("http://127.0.0.1:8700/ops/jobs/3"), None);
        assert_eq!(
            local[selected].settings.job_url("7").as_deref(),
            Some("http://127.0.0.1:8700/ops/jobs/7")
        );
    }
}
