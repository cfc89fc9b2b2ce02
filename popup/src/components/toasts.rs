//! Toasts (PRD §5.7): a polite live region for successes and information, an assertive one for
//! errors, each toast gone after 5 s or when dismissed. The error toast of a failed request has
//! "Copy details" (issue #23), which the dialog's error has too (`copy_details`); the toast after
//! a delete has "Copy receipt", its Activity entry's receipt line.

use crate::browser;
use crate::state::State;
use dioxus::prelude::*;
use job_actions::jobs::flow::ToastKind;
pub use job_actions::jobs::report::{CopyButton, DETAILS, RECEIPT};
use job_actions::jobs::report::{COPIED, COPIED_MS, COPY_FAILED};
use std::cell::RefCell;

pub fn toasts(mut state: State) -> Element {
    let toasts = state.read().toasts.clone();
    let region = move |errors: bool| {
        let shown: Vec<_> = toasts
            .iter()
            .filter(|shown| (shown.toast.kind == ToastKind::Error) == errors)
            .cloned()
            .collect();
        rsx! {
            div {
                class: "toasts",
                role: if errors { "alert" } else { "status" },
                "aria-live": if errors { "assertive" } else { "polite" },
                for shown in shown {
                    div {
                        key: "{shown.id}",
                        class: "toast",
                        "data-testid": "toast",
                        "data-kind": match shown.toast.kind {
                            ToastKind::Success => "success",
                            ToastKind::Info => "info",
                            ToastKind::Error => "error",
                        },
                        div { class: "toast-text",
                            "{shown.toast.text}"
                            if let Some(details) = shown.toast.details.clone() {
                                {copy_details(state, shown.id, details)}
                            }
                            if let Some(entry) = shown.toast.receipt.as_ref() {
                                {copy_button(state, shown.id, RECEIPT, entry.receipt())}
                            }
                        }
                        button {
                            r#type: "button",
                            class: "toast-close",
                            "aria-label": "Dismiss notification",
                            "data-testid": "toast-dismiss",
                            onclick: move |_| state.write().toasts.retain(|other| other.id != shown.id),
                            "×"
                        }
                    }
                }
            }
        }
    };
    rsx! {
        div { class: "toast-stack",
            {region(false)}
            {region(true)}
        }
    }
}

/// Where the dialog's "Copy details" is, among the toasts' (numbered from 1).
pub const IN_DIALOG: u32 = 0;

thread_local! {
    /// The "Copy details" pressed last — where (`IN_DIALOG` or a toast's id), what it copied —
    /// and whether the clipboard took it. Beside the model rather than in it: a label that
    /// changes for 2 s, which a write to the model's signal shows (`copy`).
    static PRESSED: RefCell<Option<(u32, String, bool)>> = const { RefCell::new(None) };
}

/// "Copy details" for the failed request whose console line is `details`, at `place`.
pub fn copy_details(state: State, place: u32, details: String) -> Element {
    copy_button(state, place, DETAILS, details)
}

/// A `copy` button for `details` at `place`. After a press it says "Copied" for 2 s; when the
/// clipboard refuses the text, it says so and shows the text, selected, to be copied by hand.
pub fn copy_button(state: State, place: u32, copy_as: CopyButton, details: String) -> Element {
    let outcome = PRESSED.with(|pressed| match &*pressed.borrow() {
        Some((at, text, copied)) if *at == place && *text == details => Some(*copied),
        _ => None,
    });
    let label = match outcome {
        None => copy_as.label,
        Some(true) => COPIED,
        Some(false) => COPY_FAILED,
    };
    let copied_text = details.clone();
    rsx! {
        div { class: "copy",
            // A live button: what became of the copy is announced as its label changes.
            button {
                r#type: "button",
                class: "copy-button",
                "aria-live": "polite",
                "data-testid": copy_as.id,
                onclick: move |_| {
                    let copying = browser::copy_text(&copied_text);
                    spawn(copy(state, place, copy_as, copied_text.clone(), copying));
                },
                "{label}"
            }
            if outcome == Some(false) {
                pre { class: "details", "data-testid": "{copy_as.id}-text", "{details}" }
            }
        }
    }
}

/// Shows what became of a copy; "Copied" goes after 2 s, a refusal stays with its text.
async fn copy(
    mut state: State,
    place: u32,
    copy_as: CopyButton,
    details: String,
    copying: impl std::future::Future<Output = bool>,
) {
    let copied = copying.await;
    let pressed = (place, details, copied);
    PRESSED.with(|slot| *slot.borrow_mut() = Some(pressed.clone()));
    // Nothing in the model changed: the write only re-renders.
    drop(state.write());
    if !copied {
        browser::select_contents(&format!("[data-testid={}-text]", copy_as.id));
        return;
    }
    browser::sleep(COPIED_MS).await;
    let unchanged = PRESSED.with(|slot| slot.borrow().as_ref() == Some(&pressed));
    if unchanged {
        PRESSED.with(|slot| slot.borrow_mut().take());
        drop(state.write());
    }
}
