//! The popup's root: provides the state, loads the settings, subscribes to the live job list, and
//! shows the jobs view, Activity or the settings view. "Sites" opens the site-profiles page in a tab.

use crate::components::{activity_view, job_list, settings_view, toasts};
use crate::settings::Settings;
use crate::state::Outcome;
use crate::state::{Model, SettingsForm, State, View};
use crate::{actions, apps, browser, enable, last_list, live};
use dioxus::prelude::*;

#[component]
pub fn App() -> Element {
    let state: State = use_context_provider(|| {
        let mut model = Model::new(browser::now());
        let context = last_list::Context::of(&browser::popup_context());
        last_list::show(&mut model, browser::last_list(), &context);
        Signal::new(model)
    });
    use_hook(move || {
        spawn(load(state));
    });
    let model = state.read();
    let view = model.view;
    // The last known list shows at once, before the settings are read.
    let loading = model.settings.is_none() && model.last_known.is_none();
    let site = model.site.as_deref().and_then(|url| {
        job_actions::sites::origin::Origin::parse(url)
            .ok()
            .map(|origin| origin.serialize())
    });
    let enabling = model.enable.clone();
    let switch: Vec<(usize, String)> = model
        .apps
        .iter()
        .map(|app| app.label.clone())
        .enumerate()
        .collect();
    let shown = model.app;
    let ungranted = ungranted(&model);
    let granting = model.grant.clone();
    drop(model);
    rsx! {
        {header(state, view)}
        if !ungranted.is_empty() || granting.is_some() {
            {managed_offer(state, &ungranted, &granting)}
        }
        if site.is_some() || enabling.is_some() {
            {site_offer(state, site.clone(), &enabling)}
        }
        if switch.len() > 1 {
            {app_switch(state, switch, shown)}
        }
        main { class: "content",
            if loading {
                p { class: "status", role: "status", "data-testid": "loading", "Loading…" }
            } else if view == View::Jobs {
                {job_list::job_list(state)}
            } else if view == View::Activity {
                {activity_view::activity_view(state)}
            } else {
                {settings_view::settings_view(state)}
            }
        }
        {toasts::toasts(state)}
    }
}

/// The popup's first load: settings, profiles and the tab, which app to show, then the live list
/// and what "Enable on this site" and the organisation's sites offer.
async fn load(mut state: State) {
    let saved = Settings::saved().await;
    crate::storage::load_built_in().await;
    let managed = crate::storage::managed_profiles().await;
    let book = enable::book(&managed).await;
    let tab = browser::web_tab().await;
    let (apps, shown) = apps::apps(&book, tab.as_deref(), saved.as_ref());
    let mut model = state.write();
    model.form = SettingsForm::from_settings(&saved.unwrap_or_default());
    model.settings = Some(apps[shown].settings.clone());
    // The last known list was another app's (the popup opened over another site's tab).
    if model
        .last_known
        .as_ref()
        .is_some_and(|api_base| *api_base != apps[shown].settings.api_base)
    {
        model.recent = Default::default();
        model.last_known = None;
    }
    model.apps = apps;
    model.app = shown;
    drop(model);
    actions::restore_reasons(state).await;
    live::start(state, actions::jobs_changed);
    enable::offer(state, &book, tab).await;
    enable::offer_grants(state, managed).await;
    // A policy the browser loads after the popup opened (or changes) arrives later.
    browser::on_local_change(job_actions::sites::managed::MANAGED_KEY, move || {
        wasm_bindgen_futures::spawn_local(async move {
            let managed = crate::storage::managed_profiles().await;
            enable::offer_grants(state, managed).await;
        });
    });
}

/// The organisation's profiles not granted yet, each as "name (origins)".
fn ungranted(model: &Model) -> Vec<String> {
    model
        .ungranted
        .iter()
        .map(|stored| {
            format!(
                "{} ({})",
                stored.profile.name,
                stored.profile.origins.join(", ")
            )
        })
        .collect()
}

/// The title and the view tabs; "Sites" opens the site-profiles page in a tab.
fn header(mut state: State, view: View) -> Element {
    let tab = move |target: View, label: &'static str, testid: &'static str| {
        rsx! {
            button {
                r#type: "button",
                class: "tab",
                "data-testid": testid,
                "aria-pressed": if view == target { "true" } else { "false" },
                onclick: move |_| {
                    if target == View::Activity {
                        activity_view::watch(state);
                    }
                    state.write().view = target;
                },
                "{label}"
            }
        }
    };
    rsx! {
        header { class: "header",
            h1 { "Job Actions" }
            nav { class: "tabs", "aria-label": "Popup views",
                {tab(View::Jobs, "Jobs", "view-jobs")}
                {tab(View::Activity, "Activity", "view-activity")}
                button {
                    r#type: "button",
                    class: "tab",
                    "data-testid": "view-sites",
                    "aria-label": "Sites (opens in a tab)",
                    title: "Site profiles open in a tab",
                    onclick: move |_| browser::open_site_profiles(),
                    "Sites"
                }
                {tab(View::Settings, "Settings", "view-settings")}
            }
        }
    }
}

/// The organisation's sites this browser has not granted yet, and what granting them did.
fn managed_offer(state: State, ungranted: &[String], granting: &Option<Outcome>) -> Element {
    let (grant_class, grant_text) = Outcome::shown(granting);
    rsx! {
        section { class: "site", "aria-label": "Your organisation's sites", "data-testid": "managed-offer",
            if !ungranted.is_empty() {
                p { "Your organisation set up Job Actions for {ungranted.join(\", \")}." }
                button { r#type: "button", class: "primary", "data-testid": "managed-grant",
                    onclick: move |_| enable::grant(state), "Allow access" }
            }
            p { class: "{grant_class}", role: "status", "data-testid": "managed-grant-result", "{grant_text}" }
        }
    }
}

/// "Enable on this site" for the tab's origin, and what enabling did.
fn site_offer(state: State, site: Option<String>, enabling: &Option<Outcome>) -> Element {
    let (enable_class, enable_text) = Outcome::shown(enabling);
    let busy = matches!(enabling, Some(Outcome::Working(_)));
    rsx! {
        section { class: "site", "aria-label": "This site", "data-testid": "site-offer",
            if let Some(origin) = site {
                p { "Job Actions is not set up on {origin}." }
                button { r#type: "button", class: "primary", "data-testid": "enable-site", disabled: busy,
                    onclick: move |_| enable::enable(state), "Enable on this site" }
            }
            p { class: "{enable_class}", role: "status", "data-testid": "enable-result", "{enable_text}" }
        }
    }
}

/// The app picker, when the popup can show more than one app.
fn app_switch(state: State, switch: Vec<(usize, String)>, shown: usize) -> Element {
    rsx! {
        div { class: "app-switch",
            label { r#for: "app-switch", "App" }
            select { id: "app-switch", "data-testid": "app-switch",
                onchange: move |event: FormEvent| {
                    if let Ok(index) = event.value().parse::<usize>() {
                        live::show_app(state, index);
                    }
                },
                for (index, label) in switch.into_iter() {
                    option { value: "{index}", selected: index == shown, "{label}" }
                }
            }
        }
    }
}
