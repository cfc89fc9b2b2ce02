//! Runs a job's cancel/delete flow: feeds events to `flow::Flow`, re-renders, and carries out
//! the effects it asks for (requests, toasts, leaving the page or removing the row, focus).

use crate::overlay::Overlay;
use crate::route::{list_path, Route};
use crate::ui::toast;
use crate::{browser, dom, log, reread, sync};
use job_actions::jobs::flow::{Effect, Event, Request, Toast};
use job_actions::jobs::report;
use job_actions::live::sync::ToHub;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use job_actions::jobs::deletion::{self, Deletion};

/// Handles one event of a job's flow and everything that follows from it.
pub fn dispatch(overlay: &Rc<Overlay>, job_id: &str, event: Event) {
    let effects = overlay.handle(job_id, event);
    overlay.decorate();
    run_all(overlay, job_id, effects);
}

/// Carries out effects of an event whose view the caller updates itself (typing a reason: the
/// dialog is updated in place, so the caret stays).
pub fn run_all(overlay: &Rc<Overlay>, job_id: &str, effects: Vec<Effect>) {
    for effect in effects {
        run(overlay, job_id, effect);
    }
}

fn run(overlay: &Rc<Overlay>, job_id: &str, effect: Effect) {
    let job_id = job_id.to_string();
    match effect {
        Effect::SendCancel(body) => {
            let overlay = Rc::clone(overlay);
            wasm_bindgen_futures::spawn_local(async move {
                let started = browser::now_ms();
                let result = overlay.client.cancel_job(&job_id, &body).await;
                log_failure(&overlay, &job_id, Request::Cancel, &result, started);
                if overlay.is_current() {
                    dispatch(
                        &overlay,
                        &job_id,
                        result.map_or_else(Event::Failed, Event::CancelDone),
                    );
                }
            });
        }
        Effect::SendDelete { force } => {
            let overlay = Rc::clone(overlay);
            wasm_bindgen_futures::spawn_local(async move {
                let started = browser::now_ms();
                let result = overlay.client.delete_job(&job_id, force).await;
                log_failure(
                    &overlay,
                    &job_id,
                    Request::Delete { force },
                    &result,
                    started,
                );
                if overlay.is_current() {
                    dispatch(
                        &overlay,
                        &job_id,
                        result.map_or_else(Event::Failed, |_| Event::DeleteDone),
                    );
                }
            });
        }
        Effect::ApplyCancel(response) => {
            let as_of = overlay.tick();
            let mut store = overlay.store.borrow_mut();
            store.update(&job_id, as_of, |job| job.apply_cancel(&response));
            let job = store.get(&job_id).cloned();
            drop(store);
            overlay.decorate();
            // Every other tab showing the job shows the cancel now, not at its next poll.
            if let Some(job) = job {
                sync::send(overlay, &ToHub::Acted { job, as_of });
            }
        }
        Effect::Refetch => {
            sync::send(overlay, &ToHub::Hurry);
            wasm_bindgen_futures::spawn_local(reread::reread(Rc::clone(overlay)));
        }
        Effect::Toast(toast) => show(&toast),
        Effect::JobGone(toast) => gone(overlay, job_id, toast),
        Effect::RestoreFocus => restore_focus(overlay),
        Effect::Forbidden(message) => {
            crate::refusal::refuse(message);
            overlay.decorate();
        }
        Effect::KeepReason(reason) => {
            // Kept in session storage until the cancel succeeds (issue #10: nothing is lost).
            let key = format!("{}{job_id}", overlay.reason_key_prefix());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = browser::session_set(&key, &reason).await;
            });
        }
    }
}

/// A failed request leaves one console line for whoever debugs it (`jobs::report`).
fn log_failure<T>(
    overlay: &Overlay,
    job_id: &str,
    request: Request,
    result: &Result<T, job_actions::ApiError>,
    started: u64,
) {
    if let Err(error) = result {
        let elapsed = browser::now_ms().saturating_sub(started);
        if let Some(line) =
            report::failure_line(overlay.client.config(), job_id, request, error, elapsed)
        {
            log::warn(&line);
        }
    }
}

fn show(toast: &Toast) {
    if let Err(error) = toast::show(toast) {
        log::feature_error("toasts", &error);
    }
}

/// On a job's page: carry the toast over and go to the list. On the list: hide the row at once,
/// then confirm with the server that the job is gone (PRD §7.4).
fn gone(overlay: &Rc<Overlay>, job_id: String, toast: Toast) {
    let as_of = overlay.tick();
    // Every other tab showing the job hears it is gone now.
    sync::send(
        overlay,
        &ToHub::Deleted {
            job_id: job_id.clone(),
            as_of,
        },
    );
    if matches!(overlay.route, Route::Detail { .. }) {
        let origin = overlay.origin.clone();
        let path = crate::dom::document()
            .location()
            .and_then(|location| location.pathname().ok())
            .unwrap_or_default();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = toast::carry_over(&toast, &origin).await {
                log::feature_error("toasts", &error);
            }
            browser::navigate(&list_path(&path));
        });
        return;
    }
    overlay.store.borrow_mut().remove(&job_id, as_of);
    overlay.dialog_job.borrow_mut().take();
    overlay.decorate();
    show(&toast);
    wasm_bindgen_futures::spawn_local(confirm_deletion(Rc::clone(overlay), job_id));
}

async fn confirm_deletion(overlay: Rc<Overlay>, job_id: String) {
    let outcome = deletion::confirm(
        || {
            let as_of = overlay.tick();
            let client = overlay.client.clone();
            let job_id = job_id.clone();
            async move { (client.get_job(&job_id, None).await, as_of) }
        },
        browser::sleep,
        || overlay.is_current(),
    )
    .await;
    let Deletion::NotConfirmed(last) = outcome else {
        return;
    };
    // The row comes back, marked, as the server last described the job.
    let mut store = overlay.store.borrow_mut();
    store.forget_deletion(&job_id);
    if let Some((job, as_of)) = last {
        store.offer(job, as_of);
    }
    drop(store);
    overlay.unconfirmed_deletions.borrow_mut().push(job_id);
    overlay.decorate();
    show(&Toast {
        kind: job_actions::jobs::flow::ToastKind::Info,
        text: job_actions::jobs::copy::DELETION_SLOW.into(),
    });
}

/// Gives focus back to the control that opened the dialog, or to another enabled action of the
/// same place when that one is gone or disabled now (a cancelled job's "Cancelled").
fn restore_focus(overlay: &Overlay) {
    let Some(wanted) = overlay.trigger.borrow().clone() else {
        return;
    };
    let Ok(root) = dom::root_element() else {
        return;
    };
    let Ok(hosts) = root.query_selector_all(&format!("[{}]", dom::HOST_ATTRIBUTE)) else {
        return;
    };
    let mut fallback = None;
    for index in 0..hosts.length() {
        let Some(shadow) = hosts
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
            .and_then(|host| host.shadow_root())
        else {
            continue;
        };
        if let Ok(Some(target)) = shadow.query_selector(&format!("{wanted}:not([disabled])")) {
            let _ = target.unchecked_ref::<HtmlElement>().focus();
            return;
        }
        if fallback.is_none() && shadow.query_selector(&wanted).ok().flatten().is_some() {
            fallback = shadow
                .query_selector("button:not([disabled])")
                .ok()
                .flatten();
        }
    }
    if let Some(target) = fallback {
        let _ = target.unchecked_ref::<HtmlElement>().focus();
    }
}
