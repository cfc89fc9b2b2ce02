//! The site-profiles view (issue #8): the organisation's profiles (issue #19: first, shown as set
//! by the organisation, not editable), the built-in profile and the user's, each with Edit,
//! Duplicate, Export, "Test on this tab" and Delete (after a confirming click); Add and Import;
//! and the editor (`profile_editor.rs`). What the buttons do is in `sites.rs`.

use crate::components::profile_editor::{editor, problem_list};
use crate::profile_form::ProfileForm;
use crate::sites;
use crate::sites_state::{SitesState, Which};
use crate::state::Outcome;
use dioxus::prelude::*;

pub fn sites_view(mut state: SitesState) -> Element {
    let sites_model = state.read().clone();
    let built_in = job_actions::sites::profiles::built_in();
    let book = sites_model.book.clone().unwrap_or_default();
    let confirm_delete = sites_model.confirm_delete;
    let item = move |which: Which, profile: &job_actions::sites::profile::SiteProfile| {
        let confirming = matches!(which, Which::User(index) if confirm_delete == Some(index));
        profile_item(
            state,
            which,
            profile.name.clone(),
            profile.origins.join(", "),
            confirming,
        )
    };
    rsx! {
        section { class: "sites", "data-testid": "sites", "aria-label": "Site profiles",
            p { class: "hint", "A site profile tells the overlay where your app's job pages are and how to read them. The first profile that covers a page applies." }
            if sites_model.book.is_none() {
                p { class: "status", role: "status", "Loading profiles…" }
            }
            ul { class: "profiles",
                for (index, stored) in sites_model.managed.iter().enumerate() {
                    {item(Which::Managed(index), &stored.profile)}
                }
                {item(Which::BuiltIn, &built_in)}
                for (index, stored) in book.iter().enumerate() {
                    {item(Which::User(index), &stored.profile)}
                }
            }
            div { class: "buttons",
                button { r#type: "button", "data-testid": "profile-import-open",
                    onclick: move |_| {
                        let mut model = state.write();
                        model.import = Some(String::new());
                        model.import_problems.clear();
                        model.editor = None;
                    },
                    "Import…"
                }
                button { r#type: "button", class: "primary", "data-testid": "profile-add",
                    onclick: move |_| sites::open_editor(state, None, ProfileForm::blank()), "Add profile" }
            }
            {outcome_line(&sites_model.outcome, "sites-result")}
            {outcome_line(&sites_model.probe, "probe-result")}
            if let Some(text) = sites_model.import.clone() {
                {import_panel(state, text, &sites_model.import_problems)}
            }
            if let Some((name, json)) = sites_model.export.clone() {
                {export_panel(state, name, json)}
            }
            if sites_model.editor.is_some() {
                {editor(state)}
            }
        }
    }
}

/// One profile of the list, with its buttons (Edit and Delete only for the user's own) and, after
/// a Delete, the question whether to.
fn profile_item(
    mut state: SitesState,
    which: Which,
    name: String,
    origins: String,
    confirming: bool,
) -> Element {
    let label = name.clone();
    rsx! {
        li { class: "profile", "data-testid": "profile", "data-profile-name": "{name}",
            div { class: "profile-head",
                strong { "{name}" }
                if which == Which::BuiltIn { span { class: "built-in", " (built in)" } }
                if matches!(which, Which::Managed(_)) { span { class: "built-in", "data-testid": "profile-managed", " (set by your organisation)" } }
                span { class: "origins", "{origins}" }
            }
            div { class: "profile-actions",
                if let Which::User(index) = which {
                    button { r#type: "button", class: "action", "data-testid": "profile-edit", "aria-label": "Edit {label}",
                        onclick: move |_| {
                            if let Some(stored) = sites::profile_of(state, which) {
                                sites::open_editor(state, Some(index), ProfileForm::from_stored(&stored));
                            }
                        },
                        "Edit"
                    }
                }
                button { r#type: "button", class: "action", "data-testid": "profile-duplicate", "aria-label": "Duplicate {label}",
                    onclick: move |_| sites::duplicate(state, which), "Duplicate" }
                button { r#type: "button", class: "action", "data-testid": "profile-export", "aria-label": "Export {label}",
                    onclick: move |_| sites::export(state, which), "Export" }
                button { r#type: "button", class: "action", "data-testid": "profile-test", "aria-label": "Test {label} on this tab",
                    onclick: move |_| {
                        let profile = sites::profile_of(state, which).map(|stored| stored.profile).ok_or_else(Vec::new);
                        sites::probe(state, profile);
                    },
                    "Test on this tab"
                }
                if let Which::User(index) = which {
                    button { r#type: "button", class: "action destructive", "data-testid": "profile-delete", "aria-label": "Delete {label}",
                        onclick: move |_| state.write().confirm_delete = Some(index), "Delete" }
                }
            }
            if let (true, Which::User(index)) = (confirming, which) {
                {delete_question(state, index, &label)}
            }
        }
    }
}

/// "Delete "Runs"?" with Keep it and Delete profile.
fn delete_question(mut state: SitesState, index: usize, label: &str) -> Element {
    rsx! {
        div { class: "confirm", role: "alertdialog", "aria-label": "Delete {label}?", "data-testid": "profile-delete-confirm",
            p { "Delete \"{label}\"? The overlay stops on its pages from their next load, and access to origins no other profile needs is given back." }
            div { class: "buttons",
                button { r#type: "button", "data-testid": "profile-delete-keep", onclick: move |_| state.write().confirm_delete = None, "Keep it" }
                button { r#type: "button", class: "destructive", "data-testid": "profile-delete-confirmed", onclick: move |_| sites::delete(state, index), "Delete profile" }
            }
        }
    }
}

/// What the last Save, Delete, Import or probe did, read out politely.
fn outcome_line(outcome: &Option<Outcome>, testid: &'static str) -> Element {
    let (class, text) = Outcome::shown(outcome);
    rsx! { p { class, role: "status", "aria-live": "polite", "data-testid": testid, hidden: text.is_empty(), "{text}" } }
}

/// The import panel: paste a profile's JSON or choose its file, then Import.
fn import_panel(mut state: SitesState, text: String, problems: &[String]) -> Element {
    rsx! {
        div { class: "panel", "data-testid": "profile-import-panel",
            label { r#for: "import-text", "Profile JSON" }
            textarea { id: "import-text", "data-testid": "import-text", spellcheck: "false", value: "{text}",
                placeholder: "Paste a profile exported from Job Actions",
                oninput: move |event: FormEvent| state.write().import = Some(event.value()) }
            label { r#for: "import-file", "…or choose its file" }
            input { id: "import-file", r#type: "file", accept: ".json,application/json", "data-testid": "import-file",
                onchange: move |_| sites::read_chosen_file(state, "import-file") }
            {problem_list(problems, "import-problems")}
            div { class: "buttons",
                button { r#type: "button", onclick: move |_| state.write().import = None, "Close" }
                button { r#type: "button", class: "primary", "data-testid": "profile-import", onclick: move |_| sites::import(state), "Import" }
            }
        }
    }
}

/// A profile's export: its JSON to copy, and a Download link.
fn export_panel(mut state: SitesState, name: String, json: String) -> Element {
    rsx! {
        div { class: "panel", "data-testid": "profile-export-panel",
            label { r#for: "export-text", "\"{name}\" as JSON (no token: it stays in this browser)" }
            textarea { id: "export-text", "data-testid": "export-text", readonly: true, value: "{json}" }
            div { class: "buttons",
                button { r#type: "button", onclick: move |_| state.write().export = None, "Close" }
                a { class: "button primary", "data-testid": "export-download",
                    href: "data:application/json;charset=utf-8,{js_sys::encode_uri_component(&json)}",
                    download: "{file_name(&name)}", "Download" }
            }
        }
    }
}

fn file_name(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{}.job-actions-profile.json", slug.trim_matches('-'))
}
