//! Toasts (PRD §5.7): a polite live region for successes and information, an assertive one for
//! errors, each toast gone after 5 s or when dismissed.

use crate::state::State;
use dioxus::prelude::*;
use job_actions::jobs::flow::ToastKind;

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
                        span { "{shown.toast.text}" }
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
