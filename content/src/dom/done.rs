//! Which host-page elements each feature has already decorated, and for what: a pass skips an
//! element whose record matches in a few calls instead of rebuilding it, and redraws one from the
//! host and parts its record keeps instead of looking them up again. The page-wide build hands
//! the records to the actions build so its first pass skips the same work.
//!
//! A record is `[signature]` or `[signature, host, part…]` in a `WeakMap` of this content script's
//! world, keyed by the host-page element: the page can neither read nor forge it. The signature
//! is a number (`signature`): comparing it crosses no string between wasm and the page.

use super::elements::Write;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

thread_local! {
    /// Per feature: what each host-page element was last decorated for.
    static DONE: super::elements::FeatureMaps = const { std::cell::RefCell::new(Vec::new()) };
}

fn done_map(feature: &'static str) -> js_sys::WeakMap {
    DONE.with(|maps| super::elements::feature_map(maps, feature))
}

/// A summary of what a decoration should show, as a number: FNV-1a (64-bit) of `parts`, each
/// followed by a 0xff byte (no text holds one, so `["ab", "c"]` and `["a", "bc"]` differ), cut to
/// the 53 bits a JavaScript number holds exactly. Two different states share one with a chance
/// of about 1 in 2^53, and then only that element keeps its old decoration until its state
/// changes again.
pub fn signature(parts: &[&str]) -> f64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    (hash >> 11) as f64
}

/// A yes/no part of a signature.
pub fn flag(on: bool) -> &'static str {
    if on {
        "1"
    } else {
        "0"
    }
}

/// What a feature last drew for an element with a host: the host, still inside the element, and
/// the parts of its shadow content the feature named when it drew them.
pub struct Drawn(js_sys::Array);

impl Drawn {
    pub fn host(&self) -> Element {
        self.0.get(1).unchecked_into()
    }

    /// Part `index` as recorded by `mark_drawn`; none if it had none there, or the page took it
    /// out of the host's shadow root `shadow` since (the host may still wait to go onto the page).
    /// The state aspect `index` (numbered after the parts) was last written for.
    fn aspect(&self, index: u32) -> Option<f64> {
        self.0.get(index + 2).as_f64()
    }

    fn part(&self, index: u32, shadow: &web_sys::ShadowRoot) -> Option<Element> {
        let part = self.0.get(index + 2);
        if part.is_undefined() {
            return None;
        }
        let part: Element = part.unchecked_into();
        shadow.contains(Some(&part)).then_some(part)
    }
}

/// Part `index` of a host's shadow content: from `drawn` when the pass has a record, else found
/// by `selector` in a host drawn before it (one just `created` has none yet).
pub fn part_of(
    drawn: Option<&Drawn>,
    shadow: &web_sys::ShadowRoot,
    created: bool,
    index: u32,
    selector: &str,
) -> Result<Option<Element>, JsValue> {
    match drawn {
        Some(drawn) => Ok(drawn.part(index, shadow)),
        None if created => Ok(None),
        None => shadow.query_selector(selector),
    }
}

/// How to write aspect `index` (numbered after the parts; `sub` summarises its state, as
/// `signature` does) of a part just made (`fresh`) or already there, over `drawn`.
pub fn write_mode(drawn: Option<&Drawn>, fresh: bool, index: u32, sub: f64) -> Write {
    match drawn {
        _ if fresh => Write::Blind,
        Some(drawn) if drawn.aspect(index) == Some(sub) => Write::Skip,
        Some(_) => Write::Blind,
        None => Write::Compare,
    }
}

/// What a pass does with a host-page element for a feature.
pub enum Check {
    /// Already decorated for this signature (and its host, if any, is still inside it).
    Done,
    /// To draw: over what was drawn before, when its host is still inside the element.
    Draw(Option<Drawn>),
}

/// Whether `element` was already decorated by `feature` for exactly `signature`: then a pass
/// skips it. A record whose host the page removed (a host re-render) is not drawn over.
pub fn check(element: &Element, feature: &'static str, signature: f64) -> Check {
    check_with(element, feature, signature, None)
}

/// One aspect of a drawing that is a single attribute of the host or of one part (where a
/// badge's data came from, whether a button is busy): when it is all that changed, `check`
/// writes it itself. The aspects must cover everything the signature does: a signature that
/// changed while every other aspect stayed the same is taken to need that attribute alone.
pub struct OneAttribute<'a> {
    /// How many parts the record keeps, and the aspects' new values (numbered after the parts,
    /// as `write_mode` takes them).
    pub parts: u32,
    pub aspects: &'a [f64],
    /// Which of `aspects` this is, the part it is on (none: the host) and the attribute: its
    /// value, or none to remove it.
    pub aspect: u32,
    pub part: Option<u32>,
    pub name: &'static str,
    pub value: Option<&'static str>,
}

/// `check`, and when the only aspect that changed is `one`, that attribute written and the
/// record brought up to date in the same call: a list's data arriving changes one attribute of
/// a thousand rows' badges (and buttons), which was a whole redraw each.
pub fn check_with(
    element: &Element,
    feature: &'static str,
    signature: f64,
    one: Option<&OneAttribute>,
) -> Check {
    let found = super::batch::with_waiting(|waiting| match one {
        None => check_record(&done_map(feature), element, signature, waiting),
        Some(one) => {
            let aspect = |index| nth_aspect(one.aspects, index);
            debug_assert!(one.aspects.len() <= 3);
            check_record_writing(
                &done_map(feature),
                element,
                signature,
                waiting,
                one.parts,
                one.aspects.len().min(3),
                aspect(0),
                aspect(1),
                aspect(2),
                one.aspect,
                one.part.map_or(-1, |part| part as i32),
                &super::names::fixed(one.name),
                one.value.map(super::names::fixed).as_ref(),
            )
        }
    });
    if found.is_undefined() {
        Check::Draw(None)
    } else if found.as_bool() == Some(true) {
        Check::Done
    } else {
        Check::Draw(Some(Drawn(found.unchecked_into())))
    }
}

// `check` and `mark_drawn` each in one call, where a record's parts would be one import each
// (a 1,000-row list's pass checks and marks two thousand records). A record is
// `[signature, host?, part…, aspect…]`; marking one again writes over it, so a pass that redraws
// a thousand rows leaves no thousand arrays to collect.
#[wasm_bindgen::prelude::wasm_bindgen(
    inline_js = "export function check_record(map, element, signature, waiting) {
  const record = map.get(element);
  if (!Array.isArray(record)) return undefined;
  const same = record[0] === signature;
  if (record.length < 2) return same ? true : undefined;
  const host = record[1];
  if (!element.contains(host) && !waiting.has(host)) return undefined;
  return same ? true : record;
}
export function check_record_writing(map, element, signature, waiting, parts, count, a, b, c, aspect, part, name, value) {
  const record = check_record(map, element, signature, waiting);
  if (!Array.isArray(record)) return record;
  const base = 2 + parts;
  const wanted = [a, b, c];
  if (record.length !== base + count) return record;
  for (let index = 0; index < count; index++) {
    if (index !== aspect && record[base + index] !== wanted[index]) return record;
  }
  if (record[base + aspect] !== wanted[aspect]) {
    const host = record[1];
    const target = part < 0 ? host : record[2 + part];
    if (target === undefined || (part >= 0 && !(host.shadowRoot && host.shadowRoot.contains(target)))) return record;
    if (value === undefined) target.removeAttribute(name);
    else target.setAttribute(name, value);
  }
  record[0] = signature;
  record[base + aspect] = wanted[aspect];
  return true;
}
export function mark_record(map, element, signature, host, count, first, second, third, aspects, a, b, c) {
  const found = map.get(element);
  const record = Array.isArray(found) ? found : [];
  record.length = 2 + count + aspects;
  record[0] = signature;
  record[1] = host;
  const values = [first, second, third].slice(0, count).concat([a, b, c].slice(0, aspects));
  for (let index = 0; index < values.length; index++) record[2 + index] = values[index] ?? undefined;
  if (record !== found) map.set(element, record);
}"
)]
extern "C" {
    fn check_record(
        map: &js_sys::WeakMap,
        element: &Element,
        signature: f64,
        waiting: &js_sys::WeakSet,
    ) -> JsValue;
    #[allow(clippy::too_many_arguments)]
    fn check_record_writing(
        map: &js_sys::WeakMap,
        element: &Element,
        signature: f64,
        waiting: &js_sys::WeakSet,
        parts: u32,
        count: usize,
        a: f64,
        b: f64,
        c: f64,
        aspect: u32,
        part: i32,
        name: &JsValue,
        value: Option<&JsValue>,
    ) -> JsValue;
    #[allow(clippy::too_many_arguments)]
    fn mark_record(
        map: &js_sys::WeakMap,
        element: &Element,
        signature: f64,
        host: &Element,
        count: usize,
        first: Option<&Element>,
        second: Option<&Element>,
        third: Option<&Element>,
        aspects: usize,
        a: f64,
        b: f64,
        c: f64,
    );
}

/// Aspect `index` of `aspects`, as the one-call helpers take them (NaN, never equal to a
/// recorded one, past the end).
fn nth_aspect(aspects: &[f64], index: usize) -> f64 {
    aspects.get(index).copied().unwrap_or(f64::NAN)
}

/// Whether `feature` has a record for `element`, whatever it was drawn for.
pub fn recorded(element: &Element, feature: &'static str) -> bool {
    done_map(feature).has(element)
}

/// Records that `element` is decorated by `feature` for `signature`, with no host of its own.
pub fn mark_done(element: &Element, feature: &'static str, signature: f64) {
    let record = js_sys::Array::of1(&JsValue::from_f64(signature));
    done_map(feature).set(element, &record);
}

/// Records that `element` is decorated by `feature` for `signature`, in `host`, with the parts a
/// later redraw changes (`Drawn::part` gives them back by index) and what each aspect was
/// written for (`write_mode` reads them, numbered after the parts).
pub fn mark_drawn(
    element: &Element,
    feature: &'static str,
    signature: f64,
    host: &Element,
    parts: &[Option<&Element>],
    aspects: &[f64],
) {
    let part = |index: usize| parts.get(index).copied().flatten();
    let aspect = |index| nth_aspect(aspects, index);
    // Three parts and three aspects at most (the row menu's checkbox, button and step).
    debug_assert!(parts.len() <= 3 && aspects.len() <= 3);
    mark_record(
        &done_map(feature),
        element,
        signature,
        host,
        parts.len().min(3),
        part(0),
        part(1),
        part(2),
        aspects.len().min(3),
        aspect(0),
        aspect(1),
        aspect(2),
    );
}

/// The per-feature records `check` reads, as `[[feature id, WeakMap], …]`: the page-wide build
/// hands them to the actions build, whose first pass then skips what is already done.
#[cfg(not(feature = "actions"))]
pub fn done_records() -> JsValue {
    let records = js_sys::Array::new();
    DONE.with(|maps| {
        for (feature, map) in maps.borrow().iter() {
            records.push(&js_sys::Array::of2(&JsValue::from_str(feature), map));
        }
    });
    records.into()
}

/// Takes over records from `done_records` (of `features`, the ids of this build's features;
/// anything else is ignored, and the feature's next pass checks every element again).
#[cfg(feature = "actions")]
pub fn adopt_done_records(records: &JsValue, features: &[&'static str]) {
    let Some(records) = records.dyn_ref::<js_sys::Array>() else {
        return;
    };
    for record in records.iter() {
        let record: js_sys::Array = record.unchecked_into();
        let name = record.get(0).as_string().unwrap_or_default();
        let (Some(&feature), Ok(map)) = (
            features.iter().find(|&&feature| feature == name),
            record.get(1).dyn_into::<js_sys::WeakMap>(),
        ) else {
            continue;
        };
        DONE.with(|maps| {
            let mut maps = maps.borrow_mut();
            maps.retain(|(id, _)| *id != feature);
            maps.push((feature, map));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn a_signature_is_the_same_for_the_same_parts_in_every_build() {
        assert_eq!(
            signature(&["api", "matching"]),
            signature(&["api", "matching"])
        );
        // FNV-1a of "matching" and its 0xff, pinned: the page-wide build's records are read by
        // the actions build, so both must agree.
        assert_eq!(signature(&["matching"]), 615_294_606_877_043.0);
    }

    #[test]
    fn a_signature_tells_apart_what_a_joined_string_would_not() {
        assert_ne!(signature(&["ab", "c"]), signature(&["a", "bc"]));
        assert_ne!(
            signature(&["api", "matching"]),
            signature(&["page", "matching"])
        );
        assert_ne!(signature(&["1", "0"]), signature(&["0", "1"]));
        assert_ne!(signature(&[]), signature(&[""]));
    }

    #[test]
    fn a_signature_is_a_whole_number_a_javascript_number_holds_exactly() {
        for part in ["", "a", "row-menu|7|Actions for Nightly import"] {
            let value = signature(&[part]);
            assert_eq!(value.fract(), 0.0);
            assert!(value < 2f64.powi(53));
        }
    }
}
