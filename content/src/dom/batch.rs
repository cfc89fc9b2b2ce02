//! Hosts a decoration pass created but has not put on the page yet. A list of a thousand rows
//! needs two thousand hosts, created over several passes so that no task is long; each insertion
//! into a table makes the browser lay the whole table out again (30–100 ms for a thousand rows),
//! so the hosts wait here and go onto the page together when the pass that creates the last of
//! them ends: the table is laid out once, not once per pass.

use std::cell::RefCell;
use wasm_bindgen::JsValue;
use web_sys::Element;

/// Where a decoration goes relative to its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The anchor's last child.
    Append,
    /// The anchor's next sibling.
    After,
    /// The anchor's previous sibling (a control that heads a list).
    Before,
}

struct Waiting {
    anchor: Element,
    host: Element,
    placement: Placement,
    feature: &'static str,
}

thread_local! {
    static WAITING: RefCell<Vec<Waiting>> = const { RefCell::new(Vec::new()) };
    /// The waiting hosts, for `with_waiting` (a record may name a host that is not on the page yet).
    static WAITING_SET: js_sys::WeakSet = js_sys::WeakSet::new();
    /// Per feature: the host waiting to go next to each anchor, so that a later pass finds it
    /// there (`waiting_at`) as it would find one on the page, instead of creating a second.
    static WAITING_AT: super::elements::FeatureMaps = const { RefCell::new(Vec::new()) };
}

fn waiting_at_map(feature: &'static str) -> js_sys::WeakMap {
    WAITING_AT.with(|maps| super::elements::feature_map(maps, feature))
}

/// Keeps `feature`'s `host` until `insert_waiting` puts it next to `anchor`.
pub fn wait(anchor: &Element, host: &Element, placement: Placement, feature: &'static str) {
    WAITING_SET.with(|set| set.add(host));
    waiting_at_map(feature).set(anchor, host);
    WAITING.with(|waiting| {
        waiting.borrow_mut().push(Waiting {
            anchor: anchor.clone(),
            host: host.clone(),
            placement,
            feature,
        })
    });
}

/// `feature`'s host waiting to go next to `anchor`, if one does.
pub fn waiting_at(anchor: &Element, feature: &'static str) -> Option<Element> {
    let host = waiting_at_map(feature).get(anchor);
    (!host.is_undefined()).then(|| wasm_bindgen::JsCast::unchecked_into(host))
}

/// Forgets that `host` waits (it goes onto the page, or its route is gone).
fn forget(anchor: &Element, host: &Element, feature: &'static str) {
    WAITING_SET.with(|set| set.delete(host));
    waiting_at_map(feature).delete(anchor);
}

/// Runs `read` with the set of the hosts created that wait to go onto the page.
pub fn with_waiting<T>(read: impl FnOnce(&js_sys::WeakSet) -> T) -> T {
    WAITING_SET.with(read)
}

/// Puts every waiting host where it goes, in the order they were created.
pub fn insert_waiting() -> Result<(), JsValue> {
    let waiting = WAITING.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
    let mut result = Ok(());
    for Waiting {
        anchor,
        host,
        placement,
        feature,
    } in waiting
    {
        forget(&anchor, &host, feature);
        if let Err(error) = insert(&anchor, &host, placement) {
            result = Err(error);
        }
    }
    result
}

/// Forgets every waiting host (the route they were created for is gone).
pub fn drop_waiting() {
    let waiting = WAITING.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
    for Waiting {
        anchor,
        host,
        feature,
        ..
    } in waiting
    {
        forget(&anchor, &host, feature);
    }
}

/// Puts `host` next to `anchor` as `placement` says.
pub fn insert(anchor: &Element, host: &Element, placement: Placement) -> Result<(), JsValue> {
    match placement {
        Placement::Append => anchor.append_child(host).map(drop),
        Placement::After => anchor.after_with_node_1(host),
        Placement::Before => anchor.before_with_node_1(host),
    }
}
