//! The loading screen over the page while a delete is in flight (PRD §5.2 step 3): it blocks
//! every interaction and says what is happening.

use crate::dom;
use wasm_bindgen::JsValue;

pub const FEATURE: &str = "busy";

const STYLE: &str = "
:host { all: initial; }
.screen { position: fixed; inset: 0; z-index: 2147483645; display: flex; align-items: center; justify-content: center;
  background: rgba(255,255,255,.7); font: 600 15px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; }
.box { display: flex; align-items: center; gap: 10px; padding: 12px 18px; border-radius: 8px; background: #fff;
  border: 1px solid #d0d7de; box-shadow: 0 8px 24px rgba(31,35,40,.16); }
.spinner { width: 16px; height: 16px; border: 2px solid currentColor; border-right-color: transparent;
  border-radius: 50%; animation: spin .8s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
";

/// Shows the screen with `text` (or removes it with `None`).
pub fn render(text: Option<&str>) -> Result<(), JsValue> {
    let Some(text) = text else {
        return dom::remove_page_host(FEATURE);
    };
    let (_, shadow, created) = dom::page_host(FEATURE, &[STYLE])?;
    if created {
        let screen = dom::element("div", "screen")?;
        screen.set_attribute("data-testid", "busy-overlay")?;
        screen.set_attribute("aria-busy", "true")?;
        let boxed = dom::child(&screen, "div", "box", &[("role", "status")], "")?;
        dom::child(&boxed, "span", "spinner", &[("aria-hidden", "true")], "")?;
        dom::child(&boxed, "span", "text", &[], text)?;
        shadow.append_child(&screen)?;
    }
    Ok(())
}
