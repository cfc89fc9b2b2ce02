//! The phase badge, with the same variants (and grey cancelled) as the content script's.

use dioxus::prelude::*;
use job_actions::Phase;

pub fn phase_badge(phase: &Phase) -> Element {
    let variant = phase.badge_variant().as_str();
    let wire = phase.as_wire().to_string();
    let label = phase.label().to_string();
    rsx! {
        span { class: "badge", "data-testid": "phase-badge", "data-variant": variant, "data-phase": "{wire}", title: "{label}",
            "{label}"
        }
    }
}
