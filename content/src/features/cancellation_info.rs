//! `cancellation-info`: on a job's page, the cancellation metadata whenever the job has it
//! (Status, Cancelled at in the user's local time, Reason, Notes) and, for cancelled jobs, the
//! banner "This job was cancelled. You can delete it to free up storage." (PRD §5.4).

use super::Feature;
use crate::dom::{self, Placement};
use crate::overlay::Overlay;
use crate::route::Route;
use crate::{local_time, selectors};
use job_actions::jobs::copy;
use job_actions::Phase;
use wasm_bindgen::JsValue;

pub const FEATURE: Feature = Feature {
    id: "cancellation-info",
    decorate,
};

const STYLE: &str = "
:host { display: block; margin: 0 0 16px; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2328; }
.banner { padding: 10px 12px; margin-bottom: 8px; border-radius: 6px; background: #eaeef2; border: 1px solid #afb8c1; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; padding: 10px 12px;
  border: 1px solid #d0d7de; border-radius: 6px; background: #fff; }
dt { color: #57606a; }
dd { margin: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
";

fn decorate(overlay: &Overlay) -> Result<(), JsValue> {
    let Route::Detail { job_id } = &overlay.route else {
        return Ok(());
    };
    let root = dom::root_element()?;
    let Some(anchor) = selectors::detail_header(&root)? else {
        return Ok(());
    };
    let Some(job) = overlay.store.borrow().get(job_id).cloned() else {
        return Ok(());
    };
    let cancelled = job.phase == Phase::Cancelled;
    if !cancelled && !job.has_cancellation() {
        // A cancel may follow: its time is then shown in the answer's frame.
        #[cfg(feature = "actions")]
        if job.phase.is_active() {
            local_time::prepare();
        }
        return dom::remove_host(&anchor, Placement::After, FEATURE.id);
    }
    let Some((_, shadow, created)) =
        dom::ensure_host(&anchor, Placement::After, FEATURE.id, &[STYLE])?
    else {
        return Ok(());
    };
    let container = dom::root_element_of(
        &shadow,
        created,
        "section",
        "info",
        &[("aria-label", "Cancellation")],
    )?;
    let rows = [
        ("Status", Some(job.phase.label().to_string())),
        (
            "Cancelled at",
            job.cancelled_at.as_deref().map(local_time::local_time),
        ),
        ("Reason", job.cancellation_reason.clone()),
        ("Notes", job.cancellation_notes.clone()),
    ];
    let mut signature = String::from(if cancelled { "cancelled" } else { "" });
    for (label, value) in &rows {
        signature.push_str(&format!(
            "|{label}={}",
            value.as_deref().unwrap_or_default()
        ));
    }
    dom::rebuild_if_changed(&container, &signature, |container| {
        if cancelled {
            dom::child(
                container,
                "div",
                "banner",
                &[("role", "note"), ("data-testid", "cancelled-banner")],
                copy::CANCELLED_BANNER,
            )?;
        }
        let list = dom::child(
            container,
            "dl",
            "",
            &[("data-testid", "cancellation-info")],
            "",
        )?;
        for (label, value) in &rows {
            if let Some(value) = value {
                dom::child(&list, "dt", "", &[], label)?;
                dom::child(&list, "dd", "", &[("data-field", label)], value)?;
            }
        }
        Ok(())
    })?;
    Ok(())
}
