//! Small DOM helpers for building the overlay: every injected piece lives in an open shadow root
//! under a host element marked `data-job-actions="<feature>"`, so host CSS cannot restyle it, test
//! suites can still reach it, and teardown can find all of it. Text is only ever set with
//! `textContent`, never parsed as HTML.
//!
//! The one path the rest of the crate uses (`dom::child`, `dom::ensure_host`…), over three rooms
//! that import downwards only: `elements` (building shadow content, setters that skip unchanged
//! values), `done` (which elements each feature already decorated and with what, handed between
//! the builds) and `hosts` (the hosts, their shared stylesheets and a pass's creation budget),
//! with `batch` below both (the hosts a pass created, waiting to go onto the page together).

mod batch;
mod done;
mod elements;
mod hosts;
mod names;

#[cfg(feature = "actions")]
pub use done::adopt_done_records;
#[cfg(not(feature = "actions"))]
pub use done::done_records;
pub use done::{
    check, check_with, flag, mark_done, mark_drawn, part_of, recorded, signature, write_mode,
    Check, Drawn, OneAttribute,
};
#[cfg(feature = "actions")]
pub use elements::element;
pub use elements::{
    child, cloned, document, element_with, icon, rebuild_if_changed, root_element, root_element_of,
    set_attribute_if_changed, set_flag, set_text_if_changed, write_attribute,
    write_fixed_attribute, write_flag, write_text, Write,
};
#[cfg(feature = "actions")]
pub use hosts::host_shadows;
pub use hosts::HOST_ATTRIBUTE;
pub use hosts::{
    begin_pass, end_pass, ensure_host, host_over, out_of_time, page_host, remove_all_hosts,
    remove_host, remove_page_host, with_hosts_made, Placement,
};
pub use names::fixed;

#[cfg(feature = "actions")]
pub use job_actions::sites::selector::attribute_selector;
