//! The page's one polite live region (PRD §5.7, issue #23): what changed without the user acting
//! here — a poll found a job finished, another tab cancelled or deleted one — is said once to
//! screen readers (`jobs::announce`). Visually hidden; toasts speak for the user's own actions.

use crate::dom;
use wasm_bindgen::JsValue;

/// Its page-wide host (`data-job-actions="announcer"`).
const HOST: &str = "announcer";

/// Says `text` politely; the same sentence twice in a row is said twice.
pub fn say(text: &str) -> Result<(), JsValue> {
    let (_, shadow, created) = dom::page_host(HOST, &[super::VISUALLY_HIDDEN])?;
    let region = dom::root_element_of(
        &shadow,
        created,
        "div",
        "said",
        &[
            ("role", "status"),
            ("aria-live", "polite"),
            ("data-testid", "announcer"),
        ],
    )?;
    // A region whose text does not change says nothing: empty it first.
    region.set_text_content(None);
    region.set_text_content(Some(text));
    Ok(())
}
