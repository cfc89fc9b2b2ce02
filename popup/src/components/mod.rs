//! The views of the popup and of the site-profiles page, one per file. Only each page's root
//! (`app`, `options`) is a Dioxus component: the others are plain functions returning `Element`
//! from their page's one state signal (each `#[component]` adds its own props,
//! memoization and hot-reload wrapper to the download, and nothing here needs them).

pub mod activity_view;
pub mod app;
pub mod bulk_bar;
pub mod dialog;
pub mod job_list;
pub mod job_row;
pub mod options;
pub mod phase_badge;
pub mod profile_editor;
pub mod settings_view;
pub mod sites_view;
pub mod toasts;
