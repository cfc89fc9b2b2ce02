//! Every host-page selector, in one place, as alternatives tried in order, each with the reason
//! it exists. When the host app's markup changes, this is the only file to touch.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::Element;

/// Selectors tried in order; the first that matches wins.
pub type Alternatives = &'static [(&'static str, &'static str)];

/// Rows of the job list.
pub const JOB_ROW: Alternatives = &[(
    "[data-job-id]",
    "job-list rows carry their id in data-job-id",
)];
/// The attribute of a row that holds its job id.
pub const ROW_JOB_ID_ATTRIBUTE: &str = "data-job-id";
/// Inside a row: where the title is (the badge goes after it).
pub const ROW_TITLE: Alternatives = &[
    (".job-title", "the emulator's title cell"),
    ("td:first-child", "tables whose first cell is the title"),
];
/// Inside a row: the host's own phase text, read until the API answers.
pub const ROW_PHASE: Alternatives = &[(".job-phase", "the emulator's phase cell")];
/// Inside a row: the link to the job's page ("View Details" clicks it).
pub const ROW_LINK: Alternatives = &[("a[href]", "the row's own link to the job")];
/// Inside a row: where the three-dot menu button goes (appended).
pub const ROW_MENU_ANCHOR: Alternatives = &[("td:last-child", "the last cell of a table row")];
/// On a job's page: its title (the badge goes right after it).
pub const DETAIL_TITLE: Alternatives = &[
    (".job-header .job-title", "the emulator's page header"),
    ("main h1", "apps whose job title is the page heading"),
];
/// On a job's page: the header holding the title; the action buttons are appended to it and the
/// cancellation details go right after it.
pub const DETAIL_HEADER: Alternatives = &[
    (".job-header", "the emulator's page header"),
    ("main header", "apps with a header element in main"),
];
/// On a job's page: the host's own phase text.
pub const DETAIL_PHASE: Alternatives = &[(".job-header .job-phase", "the emulator's header phase")];

/// The first element under `root` matching any alternative, in order.
pub fn first(root: &Element, alternatives: Alternatives) -> Result<Option<Element>, JsValue> {
    for (selector, _reason) in alternatives {
        if let Some(element) = root.query_selector(selector)? {
            return Ok(Some(element));
        }
    }
    Ok(None)
}

/// All elements under `root` matching the first alternative that matches anything.
pub fn all(root: &Element, alternatives: Alternatives) -> Result<Vec<Element>, JsValue> {
    for (selector, _reason) in alternatives {
        let list = root.query_selector_all(selector)?;
        if list.length() > 0 {
            return Ok((0..list.length())
                .filter_map(|index| list.item(index))
                .filter_map(|node| node.dyn_into::<Element>().ok())
                .collect());
        }
    }
    Ok(Vec::new())
}

/// The list row of a job, by the id the host put on it.
pub fn row_of(job_id: &str) -> Option<Element> {
    let root = crate::dom::root_element().ok()?;
    root.query_selector(&crate::dom::attribute_selector(
        ROW_JOB_ID_ATTRIBUTE,
        job_id,
    ))
    .ok()
    .flatten()
}
