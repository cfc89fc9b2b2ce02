//! Runs the cancel/delete flow on a job's page: feeds events to `flow::Flow`, re-renders, and
//! carries out the effects it asks for (requests, toasts, leaving for the list, focus).

use crate::overlay::Overlay;
use crate::route::LIST_PATH;
use crate::ui::{dialog, toast};
use crate::{browser, dom, log, poller};
use job_actions::flow::{Effect, Event};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Handles one event of the flow and everything that follows from it.
pub fn dispatch(overlay: &Rc<Overlay>, event: Event) {
    let effects = overlay.flow.borrow_mut().handle(event);
    overlay.decorate();
    for effect in effects {
        run(overlay, effect);
    }
}

fn run(overlay: &Rc<Overlay>, effect: Effect) {
    let Some(job_id) = overlay.job_id().map(str::to_string) else {
        return;
    };
    match effect {
        Effect::SendCancel(body) => {
            let overlay = Rc::clone(overlay);
            wasm_bindgen_futures::spawn_local(async move {
                let result = overlay
                    .client
                    .cancel_job(&job_id, body.reason.as_deref(), body.notes.as_deref())
                    .await;
                if overlay.is_current() {
                    dispatch(
                        &overlay,
                        result.map_or_else(Event::Failed, Event::CancelDone),
                    );
                }
            });
        }
        Effect::SendDelete { force } => {
            let overlay = Rc::clone(overlay);
            wasm_bindgen_futures::spawn_local(async move {
                let result = overlay.client.delete_job(&job_id, force).await;
                if overlay.is_current() {
                    dispatch(
                        &overlay,
                        result.map_or_else(Event::Failed, |_| Event::DeleteDone),
                    );
                }
            });
        }
        Effect::ApplyCancel(response) => {
            let mut store = overlay.store.borrow_mut();
            let as_of = store.tick();
            store.update(&job_id, as_of, |job| job.apply_cancel(&response));
            drop(store);
            overlay.decorate();
        }
        Effect::Refetch => {
            overlay.cadence.borrow_mut().on_action();
            wasm_bindgen_futures::spawn_local(poller::refresh_once(Rc::clone(overlay)));
        }
        Effect::Toast(toast) => {
            if let Err(error) = toast::show(&toast) {
                log::feature_error("toasts", &error);
            }
        }
        Effect::LeaveForList(toast) => {
            let origin = overlay.origin.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(error) = toast::carry_over(&toast, &origin).await {
                    log::feature_error("toasts", &error);
                }
                browser::navigate(LIST_PATH);
            });
        }
        Effect::RestoreFocus => restore_focus(overlay),
    }
}

/// Gives focus back to the control that opened the dialog, or to the other action when that one
/// is gone or disabled now (a cancelled job's "Cancelled").
fn restore_focus(overlay: &Overlay) {
    let wanted = overlay.trigger.borrow().clone();
    let Ok(root) = dom::root_element() else {
        return;
    };
    let hosts = ["detail-actions"];
    for host_feature in hosts {
        let Ok(Some(host)) =
            root.query_selector(&format!("[{}=\"{host_feature}\"]", dom::HOST_ATTRIBUTE))
        else {
            continue;
        };
        let Some(shadow) = host.shadow_root() else {
            continue;
        };
        let preferred = wanted.as_deref().and_then(|action| {
            shadow
                .query_selector(&format!("[data-ja-action=\"{action}\"]:not([disabled])"))
                .ok()
                .flatten()
        });
        let fallback = || {
            shadow
                .query_selector("button:not([disabled])")
                .ok()
                .flatten()
        };
        if let Some(target) = preferred.or_else(fallback) {
            let _ = target.unchecked_ref::<HtmlElement>().focus();
            return;
        }
    }
    // Nothing to focus on the page: at least keep focus out of a removed dialog.
    let _ = dialog::shadow();
}
