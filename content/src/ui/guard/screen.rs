//! Whether the dialog is on screen as far as styles and hit tests can tell (issue #20): nothing
//! on its confirm button's way up to `<html>` dims, hides, filters, clips or masks it, its confirm
//! button, its panel's corners and its title are inside the window and on top, and neither is
//! shrunk. What a hit test cannot see (a cover that lets clicks through) is the browser's to say:
//! `guard.rs` asks IntersectionObserver v2. Every check answers with a sentence for the console.

use crate::dom;
use wasm_bindgen::JsCast;
use web_sys::{Document, DomRect, Element, ShadowRoot};

/// Whether the dialog drawn in `shadow` under `host` is fully visible now, or what hides it.
pub fn on_screen(shadow: &ShadowRoot, host: &Element) -> Result<(), String> {
    let panel = find(shadow, ".dialog", "its panel is gone")?;
    let confirm = find(
        shadow,
        ".dialog .buttons .destructive",
        "its confirm button is gone",
    )?;
    opaque_up_from(&dimmed_from(&confirm)?)?;
    let window = Window::now(host)?;
    window.confirm_on_top(&confirm)?;
    window.corners_on_top(&panel)?;
    window.title_on_top(shadow)
}

/// The first element of `shadow` that matches `selector`, or `missing`.
fn find(shadow: &ShadowRoot, selector: &str, missing: &str) -> Result<Element, String> {
    Ok(shadow
        .query_selector(selector)
        .ok()
        .flatten()
        .ok_or(missing)?)
}

/// Where the opacity check starts. The confirm button itself is dimmed while disabled (not armed
/// yet, or busy): its own opacity counts once it is enabled; everything around it always counts.
fn dimmed_from(confirm: &Element) -> Result<Element, String> {
    Ok(if confirm.has_attribute("disabled") {
        confirm
            .parent_element()
            .ok_or("its confirm button is loose")?
    } else {
        confirm.clone()
    })
}

/// The window as the hit tests see it: its size and what is drawn on top where.
struct Window<'a> {
    width: f64,
    height: f64,
    document: Document,
    /// The dialog's host, which is what a hit test finds on top of the dialog's own parts.
    host: &'a Element,
}

impl<'a> Window<'a> {
    fn now(host: &'a Element) -> Result<Self, String> {
        let window = web_sys::window().ok_or("no window")?;
        let width = window
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0);
        let height = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        Ok(Window {
            width,
            height,
            document: dom::document(),
            host,
        })
    }

    /// Whether the dialog is what is drawn at `(x, y)` (its part `name`), inside the window.
    fn on_top(&self, name: &str, x: f64, y: f64) -> Result<(), String> {
        if x < 0.0 || y < 0.0 || x > self.width || y > self.height {
            return Err(format!("its {name} is outside the window"));
        }
        match self.document.element_from_point(x as f32, y as f32) {
            Some(top) if top == *self.host => Ok(()),
            Some(top) => Err(format!("covered by {} at its {name}", describe(&top))),
            None => Err(format!("nothing is drawn at its {name}")),
        }
    }

    /// The confirm button has a size and its middle is on top.
    fn confirm_on_top(&self, confirm: &Element) -> Result<(), String> {
        let button = confirm.get_bounding_client_rect();
        if button.width() < 8.0 || button.height() < 8.0 {
            return Err("its confirm button has no size".into());
        }
        self.middle_on_top("confirm button", &button)
    }

    /// The panel is not shrunk and each of its corners (16 px in) is on top.
    fn corners_on_top(&self, panel: &Element) -> Result<(), String> {
        let rect = panel.get_bounding_client_rect();
        if rect.width() < 120.0 || rect.height() < 80.0 {
            return Err("its panel is shrunk".into());
        }
        let inset = 16.0;
        for (name, x, y) in [
            ("top left corner", rect.left() + inset, rect.top() + inset),
            ("top right corner", rect.right() - inset, rect.top() + inset),
            (
                "bottom left corner",
                rect.left() + inset,
                rect.bottom() - inset,
            ),
            (
                "bottom right corner",
                rect.right() - inset,
                rect.bottom() - inset,
            ),
        ] {
            self.on_top(name, x, y)?;
        }
        Ok(())
    }

    /// The title's middle is on top (when the dialog has its title).
    fn title_on_top(&self, shadow: &ShadowRoot) -> Result<(), String> {
        if let Ok(Some(title)) = shadow.query_selector("h2") {
            self.middle_on_top("title", &title.get_bounding_client_rect())?;
        }
        Ok(())
    }

    fn middle_on_top(&self, name: &str, rect: &DomRect) -> Result<(), String> {
        self.on_top(
            name,
            rect.x() + rect.width() / 2.0,
            rect.y() + rect.height() / 2.0,
        )
    }
}

/// Checks `element` and every ancestor up to `<html>` (through shadow hosts) for what hides it
/// while leaving it in place: opacity below 1, `visibility`, filters, clipping and masks.
fn opaque_up_from(element: &Element) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let mut current = Some(element.clone());
    while let Some(element) = current {
        let style = window
            .get_computed_style(&element)
            .ok()
            .flatten()
            .ok_or("no computed style")?;
        let value = |name: &str| style.get_property_value(name).unwrap_or_default();
        // A computed opacity is a number serialised as `1` when fully opaque; compared as text,
        // since parsing floats would link Rust's float parser into the content script.
        let opacity = value("opacity");
        if !opacity.is_empty() && opacity != "1" {
            return Err(format!("opacity {opacity} on {}", describe(&element)));
        }
        if value("visibility") != "visible" {
            return Err(format!(
                "visibility {} on {}",
                value("visibility"),
                describe(&element)
            ));
        }
        for property in ["filter", "clip-path", "mask-image"] {
            let set = value(property);
            if !set.is_empty() && set != "none" {
                return Err(format!("{property}: {set} on {}", describe(&element)));
            }
        }
        current = element.parent_element().or_else(|| {
            element
                .get_root_node()
                .dyn_into::<ShadowRoot>()
                .ok()
                .map(|root| root.host())
        });
    }
    Ok(())
}

/// `<tag id=… class=…>` for a console line.
fn describe(element: &Element) -> String {
    let mut out = format!("<{}", element.local_name());
    for name in ["id", "class", dom::HOST_ATTRIBUTE] {
        if let Some(value) = element
            .get_attribute(name)
            .filter(|value| !value.is_empty())
        {
            let value: String = value.chars().take(40).collect();
            out.push_str(&format!(" {name}=\"{value}\""));
        }
    }
    out.push('>');
    out
}
