//! The site-profiles page's root (the extension's options page, opened in a tab from the popup's
//! "Sites" button or the browser's extension settings): provides its state, loads the stored
//! profiles, and shows the site-profiles view.

use crate::components::sites_view;
use crate::sites_state::{Sites, SitesState};
use dioxus::prelude::*;

#[component]
pub fn SiteProfiles() -> Element {
    let state: SitesState = use_context_provider(|| Signal::new(Sites::default()));
    use_hook(move || spawn(crate::sites::load(state)));
    rsx! {
        header { class: "header",
            h1 { "Job Actions: site profiles" }
        }
        main { class: "content", {sites_view::sites_view(state)} }
    }
}
