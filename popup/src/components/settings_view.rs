//! The settings view: the app's address, its API base, an optional bearer token, "Test
//! connection" and "Save". Both buttons first ask for the host permission of the origins the
//! settings name (from the click itself: browsers require a user gesture), then act. Invalid
//! input gets a specific message attached to its field; nothing is saved until it is valid.

use crate::browser;
use crate::settings::{Field, Settings};
use crate::state::{Outcome, State};
use dioxus::prelude::*;
use job_actions::api::client::ApiClient;
use job_actions::ListQuery;

/// Which button was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Save,
    Test,
}

pub fn settings_view(mut state: State) -> Element {
    let form = state.read().form.clone();
    let input = move |field: Field,
                      label: &'static str,
                      kind: &'static str,
                      placeholder: String,
                      hint: &'static str,
                      value: String| {
        let id = field_id(field);
        let message = form
            .invalid
            .as_ref()
            .filter(|error| error.field == field)
            .map(|error| error.message.clone());
        let (has_error, message) = (message.is_some(), message.unwrap_or_default());
        rsx! {
            div { class: "field",
                label { r#for: id, "{label}" }
                input {
                    id,
                    r#type: kind,
                    "data-testid": "setting-{id}",
                    autocomplete: "off",
                    spellcheck: "false",
                    placeholder: "{placeholder}",
                    value: "{value}",
                    "aria-invalid": if has_error { "true" } else { "false" },
                    "aria-describedby": "{id}-hint {id}-error",
                    oninput: move |event: FormEvent| {
                        let mut model = state.write();
                        let typed = event.value();
                        match field {
                            Field::AppUrl => model.form.app_url = typed,
                            Field::ApiBase => model.form.api_base = typed,
                            Field::Token => model.form.token = typed,
                        }
                    },
                }
                p { id: "{id}-hint", class: "hint", "{hint}" }
                p { id: "{id}-error", class: "field-error", role: "alert", "data-testid": "{id}-error", hidden: !has_error,
                    "{message}"
                }
            }
        }
    };
    let api_placeholder = format!("{}/api", form.app_url.trim().trim_end_matches('/'));
    let (result_class, result_text) = Outcome::shown(&form.outcome);
    rsx! {
        form {
            class: "settings",
            "data-testid": "settings",
            "aria-label": "Settings",
            onsubmit: move |event: FormEvent| event.prevent_default(),
            {input(Field::AppUrl, "App URL", "url", "https://jobs.example.com".into(), "Where the app's job pages are; \"Open in app\" links there.", form.app_url.clone())}
            {input(Field::ApiBase, "API base URL", "url", api_placeholder, "Leave empty for the app URL + /api.", form.api_base.clone())}
            {input(Field::Token, "Bearer token (optional)", "password", String::new(), "Kept in this browser's extension storage; sent only under the API base, over https (http only to this machine).", form.token.clone())}
            div { class: "buttons",
                button { r#type: "button", "data-testid": "test-connection", onclick: move |_| submit(state, Command::Test), "Test connection" }
                button { r#type: "submit", class: "primary", "data-testid": "save-settings", onclick: move |_| submit(state, Command::Save), "Save" }
            }
            p { class: result_class, role: "status", "aria-live": "polite", "data-testid": "settings-result", "{result_text}" }
        }
    }
}

/// Validates the form, asks for the origins' permission (still inside the click), then saves or
/// tests. Invalid input is shown on its field, which takes focus.
fn submit(mut state: State, command: Command) {
    let form = state.peek().form.clone();
    let settings = match Settings::from_form(&form.app_url, &form.api_base, &form.token) {
        Ok(settings) => settings,
        Err(invalid) => {
            browser::focus_first(&format!("#{}", field_id(invalid.field)));
            let mut model = state.write();
            model.form.invalid = Some(invalid);
            model.form.outcome = None;
            return;
        }
    };
    let permission = browser::request_permission(settings.origin_patterns());
    let working = match command {
        Command::Save => "Saving…",
        Command::Test => "Testing the connection…",
    };
    {
        let mut model = state.write();
        model.form.invalid = None;
        model.form.outcome = Some(Outcome::Working(working));
    }
    spawn(async move {
        let outcome = match permission.await {
            Ok(true) if command == Command::Save => save(state, settings).await,
            Ok(true) => test_connection(&settings).await,
            Ok(false) => Outcome::Failed(format!(
                "Access to {} was not granted, so the popup cannot reach that API. Try again and allow it.",
                settings.origin_patterns().join(" and ")
            )),
            Err(message) => Outcome::Failed(message),
        };
        state.write().form.outcome = Some(outcome);
    });
}

async fn save(mut state: State, settings: Settings) -> Outcome {
    if let Err(message) = settings.save().await {
        return Outcome::Failed(format!("Could not save the settings: {message}"));
    }
    let api = settings.api_base.clone();
    let mut model = state.write();
    model.form.api_base = settings.api_base.clone();
    model.app = crate::apps::with_saved(&mut model.apps, &settings);
    model.show_settings(settings);
    drop(model);
    crate::live::subscribe(state);
    Outcome::Done(format!("Saved. The popup now uses {api}."))
}

/// One list request with the typed settings: what a user needs to know before saving them.
async fn test_connection(settings: &Settings) -> Outcome {
    let config = match settings.client_config() {
        Ok(config) => config,
        Err(message) => return Outcome::Failed(message),
    };
    let started = browser::now();
    let query = ListQuery {
        limit: Some(1),
        phase: None,
    };
    match ApiClient::new(config).list_jobs(&query, None).await {
        Ok(_) => Outcome::Done(format!(
            "Connected: {} answered with its job list in {} ms.",
            settings.api_base,
            browser::now() - started
        )),
        Err(error) => Outcome::Failed(format!(
            "Could not connect to {}: {}",
            settings.api_base,
            error.user_message()
        )),
    }
}

fn field_id(field: Field) -> &'static str {
    match field {
        Field::AppUrl => "app-url",
        Field::ApiBase => "api-base",
        Field::Token => "token",
    }
}
