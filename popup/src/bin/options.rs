//! The site-profiles page: the extension's options page (`lib.rs` says why it is its own program).

fn main() {
    dioxus::launch(popup::components::options::SiteProfiles);
}
