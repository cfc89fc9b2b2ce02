//! The site-profiles view (issue #8): the organisation's profiles (issue #19: first, shown as set
//! by the organisation, not editable), the built-in profile and the user's, each with Edit,
//! Duplicate, Export, "Test on this tab" and Delete (after a confirming click); Add and Import;
//! and the editor. What the buttons do is in `sites.rs`.

use crate::profile_form::{ProfileField, ProfileForm};
use crate::sites;
use crate::sites_state::{SitesState, Which};
use crate::state::Outcome;
use dioxus::prelude::*;

pub fn sites_view(mut state: SitesState) -> Element {
    let sites_model = state.read().clone();
    let built_in = job_actions::sites::profiles::built_in();
    let book = sites_model.book.clone().unwrap_or_default();
    let row = move |which: Which, name: String, origins: String| {
        let label = name.clone();
        let confirming =
            matches!(which, Which::User(index) if sites_model.confirm_delete == Some(index));
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
                if confirming {
                    if let Which::User(index) = which {
                        div { class: "confirm", role: "alertdialog", "aria-label": "Delete {label}?", "data-testid": "profile-delete-confirm",
                            p { "Delete \"{label}\"? The overlay stops on its pages from their next load, and access to origins no other profile needs is given back." }
                            div { class: "buttons",
                                button { r#type: "button", "data-testid": "profile-delete-keep", onclick: move |_| state.write().confirm_delete = None, "Keep it" }
                                button { r#type: "button", class: "destructive", "data-testid": "profile-delete-confirmed", onclick: move |_| sites::delete(state, index), "Delete profile" }
                            }
                        }
                    }
                }
            }
        }
    };
    let outcome = |outcome: &Option<Outcome>, testid: &'static str| {
        let (class, text) = Outcome::shown(outcome);
        rsx! { p { class, role: "status", "aria-live": "polite", "data-testid": testid, hidden: text.is_empty(), "{text}" } }
    };
    rsx! {
        section { class: "sites", "data-testid": "sites", "aria-label": "Site profiles",
            p { class: "hint", "A site profile tells the overlay where your app's job pages are and how to read them. The first profile that covers a page applies." }
            if sites_model.book.is_none() {
                p { class: "status", role: "status", "Loading profiles…" }
            }
            ul { class: "profiles",
                for (index, stored) in sites_model.managed.iter().enumerate() {
                    {row(Which::Managed(index), stored.profile.name.clone(), stored.profile.origins.join(", "))}
                }
                {row(Which::BuiltIn, built_in.name.clone(), built_in.origins.join(", "))}
                for (index, stored) in book.iter().enumerate() {
                    {row(Which::User(index), stored.profile.name.clone(), stored.profile.origins.join(", "))}
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
            {outcome(&sites_model.outcome, "sites-result")}
            {outcome(&sites_model.probe, "probe-result")}
            if let Some(text) = sites_model.import.clone() {
                div { class: "panel", "data-testid": "profile-import-panel",
                    label { r#for: "import-text", "Profile JSON" }
                    textarea { id: "import-text", "data-testid": "import-text", spellcheck: "false", value: "{text}",
                        placeholder: "Paste a profile exported from Job Actions",
                        oninput: move |event: FormEvent| state.write().import = Some(event.value()) }
                    label { r#for: "import-file", "…or choose its file" }
                    input { id: "import-file", r#type: "file", accept: ".json,application/json", "data-testid": "import-file",
                        onchange: move |_| sites::read_chosen_file(state, "import-file") }
                    {problem_list(&sites_model.import_problems, "import-problems")}
                    div { class: "buttons",
                        button { r#type: "button", onclick: move |_| state.write().import = None, "Close" }
                        button { r#type: "button", class: "primary", "data-testid": "profile-import", onclick: move |_| sites::import(state), "Import" }
                    }
                }
            }
            if let Some((name, json)) = sites_model.export.clone() {
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
            if sites_model.editor.is_some() {
                {editor(state)}
            }
        }
    }
}

fn problem_list(problems: &[String], testid: &'static str) -> Element {
    rsx! {
        div { class: "field-error problems", role: "alert", tabindex: "-1", "data-testid": testid, hidden: problems.is_empty(),
            ul {
                for problem in problems.iter() {
                    li { "{problem}" }
                }
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

fn editor(mut state: SitesState) -> Element {
    let Some(editor) = state.read().editor.clone() else {
        return rsx! {};
    };
    let form = editor.form.clone();
    let field = move |field: ProfileField,
                      label: &'static str,
                      hint: &'static str,
                      value: String| {
        let id = field.id();
        rsx! {
            div { class: "field",
                label { r#for: id, "{label}" }
                if matches!(field, ProfileField::Origins | ProfileField::DetailAnchor | ProfileField::PhaseElement) {
                    textarea { id, "data-testid": id, spellcheck: "false", value: "{value}", rows: "2", "aria-describedby": "{id}-hint",
                        oninput: move |event: FormEvent| set_field(state, field, event.value()) }
                } else {
                    input { id, "data-testid": id, r#type: if field == ProfileField::Token { "password" } else { "text" },
                        autocomplete: "off", spellcheck: "false", value: "{value}", "aria-describedby": "{id}-hint",
                        oninput: move |event: FormEvent| set_field(state, field, event.value()) }
                }
                p { id: "{id}-hint", class: "hint", "{hint}" }
            }
        }
    };
    let title = if editor.index.is_some() {
        "Edit profile"
    } else {
        "New profile"
    };
    rsx! {
        form { class: "profile-editor", "data-testid": "profile-editor", "aria-label": "{title}",
            onsubmit: move |event: FormEvent| event.prevent_default(),
            h2 { "{title}" }
            {field(ProfileField::Name, "Name", "Shown in this list.", form.name.clone())}
            {field(ProfileField::Origins, "Origins", "One per line, e.g. https://jobs.example.com; without a port, every port.", form.origins.clone())}
            {field(ProfileField::ListPage, "List page", "The job list's path, e.g. /jobs.", form.list_page.clone())}
            {field(ProfileField::DetailPage, "Job page", "A job's path with :id where the id is, e.g. /runs/:id/overview.", form.detail_page.clone())}
            {field(ProfileField::Row, "List rows", "A CSS selector for each job's row or card.", form.row.clone())}
            {choice(state, Choice::RowIdKind, "A row's job id is in", &form.row_id_kind,
                &[("attribute", "an attribute of the row"), ("link", "a link's address"), ("text", "the text of a cell")])}
            {field(ProfileField::RowIdValue, match form.row_id_kind.as_str() { "link" => "Link selector", "text" => "Cell selector", _ => "Attribute name" },
                "E.g. data-job-id, a.card-link, or td.id.", form.row_id_value.clone())}
            if form.row_id_kind == "link" {
                {field(ProfileField::RowIdPattern, "Link pattern", "The link's path with :id, e.g. /runs/:id/overview.", form.row_id_pattern.clone())}
            }
            if !form.more_rows.is_empty() {
                div { class: "field", "data-testid": "profile-more-rows",
                    p { class: "hint", "When these rows find no job, also tried in order:" }
                    ul {
                        for rule in form.more_rows.iter() {
                            li { code { "{rule.row}" } if !rule.reason.is_empty() { " — {rule.reason}" } }
                        }
                    }
                    button { r#type: "button", "data-testid": "profile-more-rows-remove",
                        onclick: move |_| {
                            if let Some(editor) = state.write().editor.as_mut() {
                                editor.form.more_rows.clear();
                                revalidate(editor);
                            }
                        },
                        "Use only the rows above"
                    }
                }
            }
            {field(ProfileField::DetailAnchor, "Job page anchor", "The element the buttons follow, e.g. the title: main h1. One per line, tried in order; when none matches, the buttons show in a bar at the bottom of the page.", form.detail_anchor.clone())}
            {field(ProfileField::PhaseElement, "Job page phase (optional)", "The app's own phase element, read until the API answers. One per line, tried in order.", form.phase_element.clone())}
            {field(ProfileField::ApiBase, "API base (optional)", "Empty: the pages' origin + /api.", form.api_base.clone())}
            {choice(state, Choice::Auth, "The API authenticates with", &form.auth,
                &[("cookies", "the page's cookies"), ("bearer_token", "a bearer token")])}
            if form.auth == "cookies" {
                {choice(state, Choice::Csrf, "CSRF token for Cancel and Delete", &form.csrf,
                    &[("conventional", "found where apps usually keep it"), ("meta", "a meta tag I name"), ("cookie", "a cookie I name"), ("off", "none")])}
                if form.csrf == "meta" || form.csrf == "cookie" {
                    {field(ProfileField::CsrfName, if form.csrf == "meta" { "Meta tag name" } else { "Cookie name" }, "E.g. csrf-token, or XSRF-TOKEN.", form.csrf_name.clone())}
                    {field(ProfileField::CsrfHeader, "Sent as header", "E.g. X-CSRF-Token.", form.csrf_header.clone())}
                }
            }
            if form.auth == "bearer_token" {
                {field(ProfileField::Token, "Bearer token", "Kept in this browser only; sent only to this profile's API base, which a token needs written in full (https://…).", form.token.clone())}
            }
            {problem_list(&editor.problems, "profile-problems")}
            div { class: "buttons",
                button { r#type: "button", "data-testid": "profile-editor-test",
                    onclick: move |_| {
                        let form = state.peek().editor.as_ref().map(|editor| editor.form.clone()).unwrap_or_default();
                        sites::probe(state, form.to_stored().map(|stored| stored.profile));
                    },
                    "Test on this tab"
                }
                button { r#type: "button", "data-testid": "profile-editor-close", onclick: move |_| state.write().editor = None, "Cancel" }
                button { r#type: "submit", class: "primary", "data-testid": "profile-save", onclick: move |_| sites::save(state), "Save profile" }
            }
        }
    }
}

/// The editor's drop-downs.
#[derive(Clone, Copy)]
enum Choice {
    RowIdKind,
    Auth,
    Csrf,
}

fn choice(
    mut state: SitesState,
    which: Choice,
    label: &'static str,
    current: &str,
    options: &[(&'static str, &'static str)],
) -> Element {
    let id = match which {
        Choice::RowIdKind => "profile-row-id-kind",
        Choice::Auth => "profile-auth",
        Choice::Csrf => "profile-csrf",
    };
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            select { id, "data-testid": id, value: "{current}",
                onchange: move |event: FormEvent| {
                    if let Some(editor) = state.write().editor.as_mut() {
                        match which {
                            Choice::RowIdKind => editor.form.row_id_kind = event.value(),
                            Choice::Auth => editor.form.auth = event.value(),
                            Choice::Csrf => editor.form.csrf = event.value(),
                        }
                        revalidate(editor);
                    }
                },
                for (value, text) in options.iter().copied() {
                    option { value, selected: current == value, "{text}" }
                }
            }
        }
    }
}

fn set_field(mut state: SitesState, field: ProfileField, value: String) {
    let mut model = state.write();
    let Some(editor) = model.editor.as_mut() else {
        return;
    };
    let form = &mut editor.form;
    let slot = match field {
        ProfileField::Name => &mut form.name,
        ProfileField::Origins => &mut form.origins,
        ProfileField::ListPage => &mut form.list_page,
        ProfileField::DetailPage => &mut form.detail_page,
        ProfileField::Row => &mut form.row,
        ProfileField::RowIdValue => &mut form.row_id_value,
        ProfileField::RowIdPattern => &mut form.row_id_pattern,
        ProfileField::DetailAnchor => &mut form.detail_anchor,
        ProfileField::PhaseElement => &mut form.phase_element,
        ProfileField::ApiBase => &mut form.api_base,
        ProfileField::Token => &mut form.token,
        ProfileField::CsrfName => &mut form.csrf_name,
        ProfileField::CsrfHeader => &mut form.csrf_header,
    };
    *slot = value;
    revalidate(editor);
}

/// After a Save found problems, the list follows the typing: fixed ones go, new ones show.
fn revalidate(editor: &mut crate::sites_state::Editor) {
    if !editor.problems.is_empty() {
        editor.problems = editor.form.to_stored().err().unwrap_or_default();
    }
}
