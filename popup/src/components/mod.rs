//! The popup's views, one per file. Only the root is a Dioxus component: the others are plain
//! functions returning `Element` from the one `State` (each `#[component]` adds its own props,
//! memoization and hot-reload wrapper to the download, and nothing here needs them).

pub mod app;
pub mod dialog;
pub mod job_list;
pub mod job_row;
pub mod phase_badge;
pub mod settings_view;
pub mod sites_view;
pub mod toasts;
