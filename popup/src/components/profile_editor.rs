//! The site-profile editor (issue #8): every field of a new profile or of the user's own, as
//! typed (the form itself, pure and tested, is `profile_form.rs`), which parts the overlay adds
//! (issue #23), what a Save found wrong, and Test on this tab, Cancel and Save. Shown by
//! `sites_view.rs`.

use crate::profile_form::{ProfileField, ProfileForm};
use crate::sites;
use crate::sites_state::SitesState;
use dioxus::prelude::*;
use job_actions::sites::profile::Switches;

/// The profile editor: a new profile or the user's own, as typed, with what a Save found wrong.
pub fn editor(state: SitesState) -> Element {
    let Some(editor) = state.read().editor.clone() else {
        return rsx! {};
    };
    let form = editor.form;
    let title = if editor.index.is_some() {
        "Edit profile"
    } else {
        "New profile"
    };
    rsx! {
        form { class: "profile-editor", "data-testid": "profile-editor", "aria-label": "{title}",
            onsubmit: move |event: FormEvent| event.prevent_default(),
            h2 { "{title}" }
            {field(state, ProfileField::Name, "Name", "Shown in this list.", &form.name)}
            {field(state, ProfileField::Origins, "Origins", "One per line, e.g. https://jobs.example.com; without a port, every port.", &form.origins)}
            {field(state, ProfileField::ListPage, "List page", "The job list's path, e.g. /jobs.", &form.list_page)}
            {field(state, ProfileField::DetailPage, "Job page", "A job's path with :id where the id is, e.g. /runs/:id/overview.", &form.detail_page)}
            {row_fields(state, &form)}
            {field(state, ProfileField::DetailAnchor, "Job page anchor", "The element the buttons follow, e.g. the title: main h1. One per line, tried in order; when none matches, the buttons show in a bar at the bottom of the page.", &form.detail_anchor)}
            {field(state, ProfileField::PhaseElement, "Job page phase (optional)", "The app's own phase element, read until the API answers. One per line, tried in order.", &form.phase_element)}
            {api_fields(state, &form)}
            {switch_fields(state, &form)}
            {problem_list(&editor.problems, "profile-problems")}
            {editor_buttons(state)}
        }
    }
}

/// One text field of the editor (a text area for the fields that take one entry per line).
fn field(
    state: SitesState,
    field: ProfileField,
    label: &'static str,
    hint: &'static str,
    value: &str,
) -> Element {
    let id = field.id();
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            if field.is_list() {
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
}

/// The list's rows: how to find them and their ids, the rules tried after them, and inside a row
/// its title, phase and where the menu button goes.
fn row_fields(state: SitesState, form: &ProfileForm) -> Element {
    let value_label = match form.row_id_kind.as_str() {
        "link" => "Link selector",
        "text" => "Cell selector",
        _ => "Attribute name",
    };
    rsx! {
        {field(state, ProfileField::Row, "List rows", "A CSS selector for each job's row or card.", &form.row)}
        {choice(state, Choice::RowIdKind, "A row's job id is in", &form.row_id_kind,
            &[("attribute", "an attribute of the row"), ("link", "a link's address"), ("text", "the text of a cell")])}
        {field(state, ProfileField::RowIdValue, value_label, "E.g. data-job-id, a.card-link, or td.id.", &form.row_id_value)}
        if form.row_id_kind == "link" {
            {field(state, ProfileField::RowIdPattern, "Link pattern", "The link's path with :id, e.g. /runs/:id/overview.", &form.row_id_pattern)}
        }
        if !form.more_rows.is_empty() {
            {more_rows(state, form)}
        }
        {field(state, ProfileField::RowTitle, "Row title", "Inside a row: the job's title; its phase badge goes after it. One per line, tried in order.", &form.row_title)}
        {field(state, ProfileField::RowPhase, "Row phase (optional)", "Inside a row: the app's own phase text, read until the API answers. One per line, tried in order.", &form.row_phase)}
        {field(state, ProfileField::RowMenuAnchor, "Row menu anchor (optional)", "Inside a row: the element the actions button is added to, e.g. td:last-child. One per line, tried in order; when none matches, the button goes at the end of the row.", &form.row_menu_anchor)}
    }
}

/// The row rules after the first (a copy of the built-in profile's), kept or dropped as a whole.
fn more_rows(mut state: SitesState, form: &ProfileForm) -> Element {
    rsx! {
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
}

/// The API: its base, how it authenticates, and the CSRF token or the bearer token that takes.
fn api_fields(state: SitesState, form: &ProfileForm) -> Element {
    let csrf_name_label = if form.csrf == "meta" {
        "Meta tag name"
    } else {
        "Cookie name"
    };
    rsx! {
        {field(state, ProfileField::ApiBase, "API base (optional)", "Empty: the pages' origin + /api.", &form.api_base)}
        {choice(state, Choice::Auth, "The API authenticates with", &form.auth,
            &[("cookies", "the page's cookies"), ("bearer_token", "a bearer token")])}
        if form.auth == "cookies" {
            {choice(state, Choice::Csrf, "CSRF token for Cancel and Delete", &form.csrf,
                &[("conventional", "found where apps usually keep it"), ("meta", "a meta tag I name"), ("cookie", "a cookie I name"), ("off", "none")])}
            if form.csrf == "meta" || form.csrf == "cookie" {
                {field(state, ProfileField::CsrfName, csrf_name_label, "E.g. csrf-token, or XSRF-TOKEN.", &form.csrf_name)}
                {field(state, ProfileField::CsrfHeader, "Sent as header", "E.g. X-CSRF-Token.", &form.csrf_header)}
            }
        }
        if form.auth == "bearer_token" {
            {field(state, ProfileField::Token, "Bearer token", "Kept in this browser only; sent only to this profile's API base, which a token needs written in full (https://…).", &form.token)}
        }
    }
}

/// What the overlay adds on this app (issue #23): one checkbox per switch, all ticked for a new
/// profile; an unticked one is left out on the app's pages, its list and the popup.
fn switch_fields(mut state: SitesState, form: &ProfileForm) -> Element {
    rsx! {
        fieldset { class: "switches", "data-testid": "profile-switches", "aria-describedby": "profile-switches-hint",
            legend { "What the overlay adds" }
            for (name, text) in Switches::NAMES {
                label { key: "{name}",
                    input { r#type: "checkbox", "data-testid": "profile-switch-{name}", checked: form.switches.is_on(name),
                        onchange: move |event: FormEvent| {
                            if let Some(editor) = state.write().editor.as_mut() {
                                if let Some(on) = editor.form.switches.by_name(name) {
                                    *on = event.checked();
                                }
                                revalidate(editor);
                            }
                        }
                    }
                    " {text} "
                }
            }
            p { id: "profile-switches-hint", class: "hint", "Untick a part to leave it out on this app, e.g. for a staged rollout. Cancel & Delete needs both Cancel and Delete." }
        }
    }
}

/// Test on this tab, Cancel and Save.
fn editor_buttons(mut state: SitesState) -> Element {
    rsx! {
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
        ProfileField::RowTitle => &mut form.row_title,
        ProfileField::RowPhase => &mut form.row_phase,
        ProfileField::RowMenuAnchor => &mut form.row_menu_anchor,
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

/// Every problem found, as a list the screen reader announces.
pub fn problem_list(problems: &[String], testid: &'static str) -> Element {
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
