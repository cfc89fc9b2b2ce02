//! The confirmation dialog (PRD §5.5) with the same words and rules as the job pages': a modal
//! `alertdialog` labelled by its title, the optional reason with a live counter for cancel, the
//! error of a failed attempt inside it (the typed reason stays), "Cancel" left, the destructive
//! action right and disabled while its one request is in flight. Esc and the backdrop close it
//! unless a request is in flight; Esc and Tab are handled in `browser.rs`
//! (Dioxus's typed keyboard events cost 10 KB of key-name tables for one key). The error of a
//! failed request has "Copy details" (`toasts::copy_details`).

use super::toasts::{copy_details, IN_DIALOG};
use crate::actions;
use crate::state::State;
use dioxus::prelude::*;
use job_actions::api::model::MAX_REASON_CHARS;
use job_actions::jobs::copy::{self, DialogCopy};
use job_actions::jobs::flow::Event;

pub fn confirm_dialog(state: State) -> Element {
    let model = state.read();
    let Some(job_id) = model.dialog_job.clone() else {
        return rsx! {};
    };
    let Some(flow) = model.flows.get(&job_id) else {
        return rsx! {};
    };
    let Some((dialog, busy)) = flow.dialog() else {
        return rsx! {};
    };
    let reason = flow.reason.clone();
    let error = flow.dialog_error().map(str::to_string);
    let sign_in = flow.failure().is_some_and(|failure| failure.sign_in);
    let details = flow.failure().and_then(|failure| failure.details.clone());
    let confirm_label = flow.confirm_label();
    let app_url = model
        .settings
        .as_ref()
        .map(|settings| format!("{}/", settings.app_url))
        .unwrap_or_default();
    let title = model.job_title(&job_id);
    drop(model);
    let text = dialog.copy();
    let send = {
        let job_id = job_id.clone();
        move |event: Event| actions::dispatch(state, &job_id, event)
    };
    let dismiss = {
        let send = send.clone();
        move |_| {
            if !busy {
                send(Event::Dismiss)
            }
        }
    };
    rsx! {
        div { class: "backdrop", "data-testid": "dialog-backdrop", onclick: dismiss }
        div {
            class: "dialog",
            role: "alertdialog",
            "aria-modal": "true",
            "aria-labelledby": "dialog-title",
            "aria-describedby": "{described_by(text)}",
            "data-testid": "confirm-dialog",
            "data-dialog": dialog.name(),
            {header(text, &title)}
            if text.asks_reason {
                {reason_field(&reason, busy, send.clone())}
            }
            {error_block(error, sign_in, &app_url)}
            if let Some(details) = details {
                {copy_details(state, IN_DIALOG, details)}
            }
            {buttons(text, busy, confirm_label, dismiss.clone(), send)}
        }
    }
}

/// The ids of what describes the dialog: its message, and its running note and warning when it
/// has them.
fn described_by(text: &DialogCopy) -> String {
    let mut described_by = String::from("dialog-message");
    if text.running_note.is_some() {
        described_by.push_str(" dialog-running");
    }
    if text.warning.is_some() {
        described_by.push_str(" dialog-warning");
    }
    described_by
}

/// The title, the job, the message with its bullets, the running note and the warning.
fn header(text: &'static DialogCopy, title: &str) -> Element {
    rsx! {
        h2 { id: "dialog-title", "{text.title}" }
        p { class: "subject", "Job: ", strong { "data-testid": "dialog-job-title", "{title}" } }
        p { id: "dialog-message", "{text.message}" }
        if !text.bullets.is_empty() {
            ul {
                for bullet in text.bullets.iter() {
                    li { "{bullet}" }
                }
            }
        }
        if let Some(note) = text.running_note {
            p { id: "dialog-running", class: "running", "{note}" }
        }
        if let Some(warning) = text.warning {
            p { id: "dialog-warning", class: "warning", "{warning}" }
        }
    }
}

/// The reason's label, its textarea (read-only while a request is in flight) and its counter.
fn reason_field(reason: &str, busy: bool, send: impl Fn(Event) + 'static) -> Element {
    let n_chars = reason.chars().count();
    let over = n_chars > MAX_REASON_CHARS;
    rsx! {
        label { r#for: "reason", "{copy::REASON_LABEL}" }
        textarea {
            id: "reason",
            name: "reason",
            rows: "3",
            "data-testid": "cancel-reason",
            "aria-describedby": "reason-count dialog-error",
            "aria-invalid": if over { "true" } else { "false" },
            readonly: busy,
            value: "{reason}",
            oninput: move |event: FormEvent| send(Event::ReasonEdited(event.value())),
        }
        div {
            id: "reason-count",
            class: "count",
            "data-testid": "reason-count",
            "data-over": if over { "true" } else { "false" },
            "{copy::reason_counter(n_chars)}"
        }
    }
}

/// The error of a failed attempt (hidden while there is none) and, after a 401, where to sign in.
fn error_block(error: Option<String>, sign_in: bool, app_url: &str) -> Element {
    let no_error = error.is_none();
    rsx! {
        p {
            id: "dialog-error",
            class: "dialog-error",
            role: "alert",
            "data-testid": "dialog-error",
            hidden: no_error,
            {error.unwrap_or_default()}
        }
        if sign_in {
            a {
                class: "sign-in",
                href: "{app_url}",
                target: "_blank",
                rel: "noopener noreferrer",
                "data-testid": "dialog-sign-in",
                "{copy::SIGN_IN}"
            }
        }
    }
}

/// "Cancel" left, the destructive action right; both disabled while a request is in flight.
fn buttons(
    text: &DialogCopy,
    busy: bool,
    confirm_label: &str,
    dismiss: impl FnMut(MouseEvent) + 'static,
    send: impl Fn(Event) + 'static,
) -> Element {
    rsx! {
        div { class: "buttons",
            button {
                r#type: "button",
                "data-testid": "dialog-cancel",
                disabled: busy,
                onclick: dismiss,
                "{text.dismiss}"
            }
            button {
                r#type: "button",
                class: "destructive",
                "data-testid": "dialog-confirm",
                disabled: busy,
                "aria-busy": if busy { "true" } else { "false" },
                onclick: move |_| send(Event::Confirm),
                if busy { span { class: "spinner", "aria-hidden": "true" } }
                "{confirm_label}"
            }
        }
    }
}
