//! Every host-page selector, in one place. What differs from app to app — the rows, where a row's
//! job id is, a row's title, phase and menu anchor, the job page's anchor and phase element —
//! comes from the active site profile (`job_actions::sites::profile`, alternatives with reasons);
//! the one left here, a row's link, is the same in every app. When the host app's markup changes,
//! its profile or this file is the only thing to touch.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use web_sys::Element;

use crate::route::active;
use job_actions::sites::profile::{Choice, RowId, RowRule};
use job_actions::sites::profiles;

/// Selectors tried in order; the first that matches wins.
pub type Alternatives = &'static [(&'static str, &'static str)];

/// Inside a row: the link to the job's page ("View Details" clicks it). Not in the profile: it
/// is no app's own markup, as any row that links to its job does so with an `a[href]`.
pub const ROW_LINK: Alternatives = &[("a[href]", "the row's own link to the job")];

/// The first element under `root` matching any alternative, in order.
pub fn first(root: &Element, alternatives: Alternatives) -> Result<Option<Element>, JsValue> {
    for (selector, _reason) in alternatives {
        if let Some(element) = root.query_selector(selector)? {
            return Ok(Some(element));
        }
    }
    Ok(None)
}

/// A list's rows, each with its job id, in page order.
pub type Rows = Vec<(Element, String)>;

/// The list's rows with their job ids, read as the site profile says: its row rules are tried in
/// order, and the first that finds a row with an id is this page's (rows without an id are not
/// the overlay's business). A row inside another row of the same job (a card in a list item) is
/// the same row.
pub fn rows(root: &Element) -> Result<Rows, JsValue> {
    let stored = active();
    for rule in &stored.profile.rows {
        let rows = rows_of(root, rule)?;
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    Ok(Vec::new())
}

fn rows_of(root: &Element, rule: &RowRule) -> Result<Rows, JsValue> {
    let mut rows: Rows = Vec::new();
    let mut push = |row: Element, job_id: String| {
        // In document order an outer row comes just before the rows inside it.
        let nested = rows
            .last()
            .is_some_and(|(outer, id)| *id == job_id && outer.contains(Some(&row)));
        if !nested {
            rows.push((row, job_id));
        }
    };
    if let RowId::Attribute(name) = &rule.id {
        let found = rows_by_attribute(root, &rule.row, name)?;
        let list: js_sys::Array = found.get(0).unchecked_into();
        if list.length() > 0 {
            let raw = found.get(1).as_string().unwrap_or_default();
            for (index, raw) in (0..list.length()).zip(raw.split('\0')) {
                if let Some(job_id) = profiles::row_id_from(&rule.id, raw) {
                    push(list.get(index).unchecked_into(), job_id);
                }
            }
        }
        return Ok(rows);
    }
    let list = root.query_selector_all(&rule.row)?;
    for index in 0..list.length() {
        let Some(row) = list
            .item(index)
            .and_then(|node| node.dyn_into::<Element>().ok())
        else {
            continue;
        };
        if let Some(job_id) = row_id(&rule.id, &row)? {
            push(row, job_id);
        }
    }
    Ok(rows)
}

// The rows a selector finds that carry the attribute, and its values joined by NUL, in one call:
// a 1,000-row list's rows and ids were two thousand imports, each value copied on its own. A
// value holding a NUL is no id (no row is taken for it).
#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function rows_by_attribute(root, selector, name) {
  const list = root.querySelectorAll(selector);
  const rows = [];
  const values = [];
  for (let index = 0; index < list.length; index++) {
    const value = list[index].getAttribute(name);
    if (value === null || value.includes('\\0')) continue;
    rows.push(list[index]);
    values.push(value);
  }
  return [rows, values.join('\\0')];
}"
)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn rows_by_attribute(
        root: &Element,
        selector: &str,
        name: &str,
    ) -> Result<js_sys::Array, JsValue>;
}

/// A row's job id: its attribute, the first of its links whose path matches the pattern, or a
/// cell's text.
fn row_id(row_id: &RowId, row: &Element) -> Result<Option<String>, JsValue> {
    let raw = match row_id {
        RowId::Attribute(name) => row.get_attribute(name),
        RowId::Link { selector, .. } => {
            let links = row.query_selector_all(selector)?;
            for index in 0..links.length() {
                let href = links
                    .item(index)
                    .and_then(|node| node.dyn_into::<Element>().ok())
                    .and_then(|link| link.get_attribute("href"));
                if let Some(id) = href.and_then(|href| profiles::row_id_from(row_id, &href)) {
                    return Ok(Some(id));
                }
            }
            return Ok(None);
        }
        RowId::Text(selector) => row
            .query_selector(selector)?
            .and_then(|cell| cell.text_content()),
    };
    Ok(raw.and_then(|raw| profiles::row_id_from(row_id, &raw)))
}

/// The list row of a job, among `rows`.
pub fn row_of(rows: &Rows, job_id: &str) -> Option<Element> {
    rows.iter()
        .find(|(_, id)| id == job_id)
        .map(|(row, _)| row.clone())
}

/// The first element under `root` matching one of `choices`, tried in order.
fn first_of(root: &Element, choices: &[Choice]) -> Result<Option<Element>, JsValue> {
    for choice in choices {
        if let Some(element) = root.query_selector(&choice.selector)? {
            return Ok(Some(element));
        }
    }
    Ok(None)
}

/// Inside a list row: its title, as the profile says; the badge goes after it.
pub fn row_title(row: &Element) -> Result<Option<Element>, JsValue> {
    first_of(row, &active().profile.row_title)
}

/// Inside a list row: the app's own phase text, when the profile names one that matches.
pub fn row_phase(row: &Element) -> Result<Option<Element>, JsValue> {
    first_of(row, &active().profile.row_phase)
}

/// Inside a list row: where the three-dot menu button is appended, when the profile names one
/// that matches (else the row itself).
pub fn row_menu_anchor(row: &Element) -> Result<Option<Element>, JsValue> {
    first_of(row, &active().profile.row_menu_anchor)
}

/// On a job's page: the profile's anchor (the title); the badge goes right after it. `None`:
/// the action bar takes the buttons (`features::detail_actions`).
pub fn detail_title(root: &Element) -> Result<Option<Element>, JsValue> {
    first_of(root, &active().profile.detail_anchor)
}

/// On a job's page: the anchor's parent (the header); the action buttons are appended to it and
/// the cancellation details go right after it.
pub fn detail_header(root: &Element) -> Result<Option<Element>, JsValue> {
    Ok(detail_title(root)?.and_then(|title| title.parent_element()))
}

/// On a job's page: the host's own phase element, when the profile names one that matches.
pub fn detail_phase(root: &Element) -> Result<Option<Element>, JsValue> {
    first_of(root, &active().profile.phase_element)
}
