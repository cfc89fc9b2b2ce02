//! The list page's bulk bar (issue #24), fixed at the bottom while something is selected: "N
//! selected · Cancel N · Delete N · Clear", each count only the selected jobs that action applies
//! to (disabled with why when none); during a run its progress ("Deleting 37 / 120") and Stop;
//! after it, the summary (said politely), the failures with why, "Retry N" for just those, and
//! Close. Drawn again when its controls change, with focus kept on the same control; its text
//! alone changes in place.

use super::BUTTON_STYLE;
use crate::overlay::Overlay;
use crate::{controls, dom};
use job_actions::jobs::bulk::{BulkKind, Outcome, Run};
use job_actions::jobs::bulk_offer::{jobs, Offer};
use job_actions::jobs::bulk_stage::Stage;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

pub const FEATURE: &str = "bulk-bar";

const STYLE: &str = "
:host { all: initial; }
.bar { position: fixed; left: 50%; bottom: 16px; transform: translateX(-50%); z-index: 2147483645;
  display: flex; flex-wrap: wrap; align-items: center; gap: 8px; box-sizing: border-box;
  max-width: min(720px, calc(100vw - 32px)); padding: 8px 12px; border-radius: 10px;
  background: #fff; color: #1f2328; border: 1px solid #d0d7de; box-shadow: 0 8px 24px rgba(31,35,40,.2);
  font: 14px/20px system-ui, -apple-system, 'Segoe UI', sans-serif; }
.count, .progress, .summary { font-weight: 600; margin: 0 4px 0 0; }
.why { font-size: 12px; color: #57606a; }
.failures { flex-basis: 100%; margin: 0; padding-left: 20px; max-height: 160px; overflow: auto; overflow-wrap: anywhere; }
";

thread_local! {
    /// What the bar says now (drawn again only when it changes), and the last summary said.
    static SHOWN: std::cell::RefCell<(String, String)> = const { std::cell::RefCell::new((String::new(), String::new())) };
}

/// One control of the bar: its action, test id, label, style and why it is disabled.
struct Button {
    action: &'static str,
    test_id: &'static str,
    label: String,
    class: &'static str,
    disabled: Option<&'static str>,
}

/// What the bar shows: its text (with its class and whether it is the summary), the controls and
/// the failures (title, why).
struct Bar {
    text: (&'static str, String),
    buttons: Vec<Button>,
    failures: Vec<(String, String)>,
}

fn button(action: &'static str, test_id: &'static str, label: String) -> Button {
    Button {
        action,
        test_id,
        label,
        class: "",
        disabled: None,
    }
}

/// The bar for the overlay's selection and bulk action, or none.
fn bar(overlay: &Overlay) -> Option<Bar> {
    if let Some(Stage::Running { run, .. }) = &*overlay.bulk.borrow() {
        return Some(if run.is_finished() {
            summary(overlay, run)
        } else {
            let mut buttons = Vec::new();
            if !run.is_stopped() {
                buttons.push(button("bulk-stop", "bulk-stop", "Stop".into()));
            }
            Bar {
                text: ("progress", run.progress()),
                buttons,
                failures: Vec::new(),
            }
        });
    }
    let selected = overlay.selected_jobs();
    if selected.is_empty() {
        return None;
    }
    let offer = Offer::of(selected.iter().map(|(_, phase)| phase));
    let switches = crate::route::active().profile.features;
    let mut buttons = Vec::new();
    for (kind, on, action, class) in [
        (BulkKind::Cancel, switches.cancel, "bulk-cancel", "warning"),
        (
            BulkKind::Delete { force: false },
            switches.delete,
            "bulk-delete",
            "destructive",
        ),
    ] {
        if on {
            let (label, disabled) = offer.button(kind);
            buttons.push(Button {
                class,
                disabled,
                ..button(action, action, label)
            });
        }
    }
    buttons.push(button("bulk-clear", "bulk-clear", "Clear".into()));
    Some(Bar {
        text: ("count", offer.selected_text()),
        buttons,
        failures: Vec::new(),
    })
}

fn summary(overlay: &Overlay, run: &Run) -> Bar {
    let failures: Vec<(String, String)> = run
        .failures()
        .into_iter()
        .map(|(id, why)| (overlay.shown_title(&id), why))
        .collect();
    let mut text = run.summary();
    let not_started = run.outcome_count(|outcome| *outcome == Outcome::NotStarted);
    if not_started > 0 {
        text.push_str(&format!(" (stopped: {} not sent)", jobs(not_started)));
    }
    let mut buttons = Vec::new();
    if !failures.is_empty() {
        buttons.push(button(
            "bulk-retry",
            "bulk-retry",
            format!("Retry {}", jobs(failures.len())),
        ));
    }
    buttons.push(button("bulk-close", "bulk-done", "Close".into()));
    Bar {
        text: ("summary", text),
        buttons,
        failures,
    }
}

/// Makes the page's bar match the state.
pub fn render(overlay: &Overlay) -> Result<(), JsValue> {
    let Some(bar) = bar(overlay) else {
        SHOWN.with(|shown| shown.borrow_mut().0.clear());
        return dom::remove_page_host(FEATURE);
    };
    let signature = signature(&bar);
    let (_, shadow, created) = dom::page_host(FEATURE, &[BUTTON_STYLE, STYLE])?;
    let same = SHOWN.with(|shown| shown.borrow().0 == signature);
    let drawn = shadow.query_selector(".bar p")?;
    if let Some(text) = drawn.filter(|_| same && !created) {
        // The same controls: only the texts change ("Deleting 37 / 120", "Cancel 3"), in place —
        // a run's answers come every few milliseconds, and a checkbox click wants its frame:
        // drawing the bar again costs a style pass, and focus stays where it is.
        dom::set_text_if_changed(&text, &bar.text.1);
        let drawn = shadow.query_selector_all(".bar button")?;
        for (index, spec) in bar.buttons.iter().enumerate() {
            if let Some(button) = drawn.item(index as u32) {
                dom::set_text_if_changed(button.unchecked_ref(), &spec.label);
            }
        }
        return Ok(());
    }
    let focused = shadow
        .active_element()
        .and_then(|element| element.get_attribute("data-testid"));
    if let Some(old) = shadow.query_selector(".bar")? {
        old.remove();
    }
    draw(&shadow, &bar)?;
    if let Some(test_id) = focused {
        if let Some(again) = shadow.query_selector(&format!("[data-testid=\"{test_id}\"]"))? {
            let _ = again.unchecked_ref::<HtmlElement>().focus();
        }
    }
    // The summary is said once, politely (the bar is no live region: progress would chatter).
    let (class, text) = &bar.text;
    let new_summary = *class == "summary" && SHOWN.with(|shown| shown.borrow().1 != *text);
    SHOWN.with(|shown| {
        let mut shown = shown.borrow_mut();
        shown.0 = signature;
        if *class == "summary" {
            shown.1 = text.clone();
        } else {
            shown.1.clear();
        }
    });
    if new_summary {
        super::announcer::say(text)?;
    }
    Ok(())
}

/// What the bar is drawn for: its kind of text and its controls, each with why it is disabled
/// (their texts, counts included, change in place), and the failures.
fn signature(bar: &Bar) -> String {
    let mut signature = bar.text.0.to_string();
    for button in &bar.buttons {
        let why = button.disabled.unwrap_or_default();
        signature.push_str(&format!("|{}:{why}", button.action));
    }
    for (title, why) in &bar.failures {
        signature.push_str(&format!("|{title}:{why}"));
    }
    signature
}

fn draw(shadow: &ShadowRoot, bar: &Bar) -> Result<(), JsValue> {
    let root = dom::element_with(
        "div",
        "bar",
        &[
            ("role", "region"),
            ("aria-label", "Bulk actions"),
            ("data-testid", "bulk-bar"),
        ],
    )?;
    let (class, text) = &bar.text;
    let test_id = match *class {
        "count" => "bulk-count",
        "progress" => "bulk-progress",
        _ => "bulk-summary",
    };
    dom::child(&root, "p", class, &[("data-testid", test_id)], text)?;
    if !bar.failures.is_empty() {
        let list = dom::child(
            &root,
            "ul",
            "failures",
            &[("data-testid", "bulk-failures")],
            "",
        )?;
        for (title, why) in &bar.failures {
            let item = dom::child(&list, "li", "", &[], "")?;
            dom::child(&item, "strong", "", &[], title)?;
            item.append_with_str_1(&format!(" — {why}"))?;
        }
    }
    for (index, spec) in bar.buttons.iter().enumerate() {
        let why_id = format!("ja-bulk-why-{index}");
        let element = dom::child(
            &root,
            "button",
            spec.class,
            &[("type", "button"), ("data-testid", spec.test_id)],
            &spec.label,
        )?;
        controls::register(&element, spec.action, None, None)?;
        if let Some(why) = spec.disabled {
            element.set_attribute("disabled", "")?;
            element.set_attribute("aria-describedby", &why_id)?;
            element.set_attribute("title", why)?;
            why_text(&root, &why_id, why)?;
        }
    }
    shadow.append_child(&root)?;
    Ok(())
}

/// Why a control is disabled, beside the bar's controls (a disabled button's `title` is not read
/// by every screen reader).
fn why_text(root: &Element, id: &str, why: &str) -> Result<(), JsValue> {
    dom::child(root, "span", "why", &[("id", id)], why).map(drop)
}
