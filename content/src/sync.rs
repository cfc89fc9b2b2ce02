//! Live status through the background (issue #9): the route's overlay connects a runtime port,
//! says what it shows (the list, or one job) and whether the tab is visible, and applies what the
//! background sends — the one poll stream for every tab of this API, and the actions other tabs
//! took. It publishes its own actions' answers the same way. A hidden tab makes the background
//! poll nothing for it. If the background goes away (Chrome stops an idle service worker), the
//! port disconnects and the overlay connects again, which starts it anew.

use crate::overlay::{self, Overlay};
use crate::route::Route;
use crate::{browser, log};
use job_actions::jobs::announce::{self, Change};
use job_actions::jobs::flow::{Toast, ToastKind};
use job_actions::live::port::Port;
use job_actions::live::subscriptions::{Subscription, Watch};
use job_actions::live::sync::{FromHub, ToHub, PORT_NAME, RECONNECT_MS};
use job_actions::{jobs::copy, Job, Phase};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let watchingVisibility = false;
export function on_visibility_change(callback) {
  if (watchingVisibility) return;
  watchingVisibility = true;
  document.addEventListener('visibilitychange', () => callback());
}
"#)]
extern "C" {
    fn on_visibility_change(callback: &Closure<dyn FnMut()>);
}

/// The longest wait before connecting again.
const MAX_RECONNECT_MS: u32 = 30_000;

thread_local! {
    /// Ports in a row that disconnected without a message from the background.
    static QUIET_DROPS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Connects the overlay's route to the background and says what it shows.
pub fn connect_overlay(overlay: &Rc<Overlay>) {
    let watch = match &overlay.route {
        Route::List => Watch::List,
        Route::Detail { job_id } => Watch::Job(job_id.clone()),
        Route::Other => return,
    };
    watch_visibility();
    let weak = Rc::downgrade(overlay);
    let on_message = {
        let weak = Weak::clone(&weak);
        move |text: String| {
            QUIET_DROPS.with(|drops| drops.set(0));
            if let Some(overlay) = weak.upgrade().filter(|o| o.is_current()) {
                received(&overlay, &text);
            }
        }
    };
    let on_disconnect = move || {
        let weak = Weak::clone(&weak);
        // A port dropped before it heard anything — the background refused this tab (no profile
        // covers it any more), or keeps failing — is tried again ever more slowly, not 4× a second.
        let drops = QUIET_DROPS.with(|drops| {
            drops.set(drops.get().saturating_add(1));
            drops.get()
        });
        let delay = (RECONNECT_MS << (drops - 1).min(7)).min(MAX_RECONNECT_MS);
        browser::after(delay, move || {
            if let Some(overlay) = weak.upgrade().filter(|o| o.is_current()) {
                connect_overlay(&overlay);
            }
        });
    };
    let port = match Port::connect(
        &browser::extension_api(),
        PORT_NAME,
        on_message,
        on_disconnect,
    ) {
        Ok(port) => port,
        Err(error) => {
            log::feature_error("live status", &error);
            return;
        }
    };
    let subscription = Subscription {
        api_base: overlay.client.config().api_base.clone(),
        watch,
        visible: !browser::is_hidden(),
    };
    // A site profile with a bearer token: the background's polls for this API base need it too.
    port.subscribe(subscription, overlay.client.config().bearer_token.clone());
    // Replacing a link that went away drops it (its port is already disconnected).
    *overlay.link.borrow_mut() = Some(port);
}

/// Tells the background something (an action's answer, a deletion, "poll fast now").
pub fn send(overlay: &Overlay, message: &ToHub) {
    if let Some(port) = overlay.link.borrow().as_ref() {
        port.post(&message.encode());
    }
}

/// How long a bulk run's deletions gather before they are told together: one message per job
/// cost the page, the browser and the background more than the run's requests (measured: 0.5 s
/// of CPU in a 500-job run), and every list that hears them draws once per message.
#[cfg(feature = "actions")]
const DELETED_EVERY_MS: u32 = 250;

#[cfg(feature = "actions")]
thread_local! {
    /// Deletions waiting to be told, and the latest one's time.
    static DELETED: std::cell::RefCell<(Vec<String>, u64)> =
        const { std::cell::RefCell::new((Vec::new(), 0)) };
    static DELETED_SCHEDULED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(feature = "actions")]
/// Tells the background of deletions: at once, or with the others of a bulk run under way.
pub fn tell_deleted(overlay: &Rc<Overlay>, job_ids: &[String], as_of: u64) {
    DELETED.with(|waiting| {
        let mut waiting = waiting.borrow_mut();
        waiting.0.extend_from_slice(job_ids);
        waiting.1 = waiting.1.max(as_of);
    });
    if !overlay.bulk_running() {
        return send_deleted(overlay);
    }
    let overlay = Rc::clone(overlay);
    browser::after_unless_waiting(&DELETED_SCHEDULED, DELETED_EVERY_MS, move || {
        send_deleted(&overlay)
    });
}

#[cfg(feature = "actions")]
/// Tells the waiting deletions now (a run finished or was left).
pub fn send_deleted(overlay: &Overlay) {
    let (job_ids, as_of) = DELETED.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
    for batch in job_ids.chunks(job_actions::live::sync::MAX_IDS) {
        let job_ids = batch.to_vec();
        send(overlay, &ToHub::Deleted { job_ids, as_of });
    }
}

fn watch_visibility() {
    let callback = Closure::<dyn FnMut()>::new(|| {
        if let Some(overlay) = overlay::current() {
            send(&overlay, &ToHub::Visible(!browser::is_hidden()));
        }
    });
    on_visibility_change(&callback);
    // Listens for the page's lifetime (installed once).
    callback.forget();
}

fn received(overlay: &Overlay, text: &str) {
    match FromHub::decode(text) {
        Ok(FromHub::Jobs { jobs, as_of } | FromHub::List { jobs, as_of }) => {
            apply_jobs(overlay, jobs, as_of)
        }
        // The page shows no poll status of its own.
        Ok(FromHub::Polled { .. }) => {}
        Ok(FromHub::Gone { job_ids, as_of }) => apply_gone(overlay, &job_ids, as_of),
        Ok(FromHub::Unreadable { job_id, why }) => apply_unreadable(overlay, &job_id, &why),
        Err(why) => log::warn(&format!("ignored a message from the background: {why}")),
    }
}

/// What hears that jobs changed besides the page.
#[cfg(feature = "actions")]
type JobsChanged = fn(&std::rc::Rc<Overlay>);

#[cfg(feature = "actions")]
thread_local! {
    /// `lifecycle` installs `actions::jobs_changed`: a Cancel & Delete waiting for its job's
    /// workers hears the job's phase.
    static ON_JOBS_CHANGED: std::cell::Cell<Option<JobsChanged>> =
        const { std::cell::Cell::new(None) };
}

/// Installs what hears that jobs changed (`ON_JOBS_CHANGED`).
#[cfg(feature = "actions")]
pub fn on_jobs_changed(hook: JobsChanged) {
    ON_JOBS_CHANGED.set(Some(hook));
}

/// Jobs as they are as of `as_of` (from the background, or this tab's own re-read), through the
/// store's merge rule; the page is decorated again if anything it shows changed.
pub fn apply_jobs(overlay: &Overlay, jobs: Vec<Job>, as_of: u64) {
    warn_unknown_phases(&overlay.route, &jobs);
    let (changed, changes) = {
        let mut store = overlay.store.borrow_mut();
        store.observe(as_of);
        // The jobs whose phase differs from the known one (usually none: no copies otherwise).
        let mut moved: Vec<Job> = Vec::new();
        for job in &jobs {
            if store
                .get(&job.id)
                .is_some_and(|known| known.phase != job.phase)
            {
                moved.push(job.clone());
            }
        }
        let changed = store.offer_all(jobs, as_of);
        // Those the merge took are said once (`jobs::announce`).
        let mut changes = Vec::new();
        for job in moved {
            if store.get(&job.id).is_some_and(|now| now.phase == job.phase) {
                changes.push(Change {
                    title: job.shown_title().to_string(),
                    phase: Some(job.phase),
                });
            }
        }
        (changed, changes)
    };
    announce(&changes);
    if changed > 0 {
        overlay.decorate();
        #[cfg(feature = "actions")]
        if let (Some(hook), Some(current)) = (ON_JOBS_CHANGED.get(), crate::overlay::current()) {
            hook(&current);
        }
    }
}

fn announce(changes: &[Change]) {
    if let Some(sentence) = announce::sentence(changes) {
        if let Err(error) = crate::ui::announcer::say(&sentence) {
            log::feature_error("announcer", &error);
        }
    }
}

/// One console line when jobs arrive (first load, the background, a re-read) in a phase this
/// build does not know: they get a neutral badge and no actions.
pub fn warn_unknown_phases(route: &Route, jobs: &[Job]) {
    let unknown: Vec<&Job> = jobs
        .iter()
        .filter(|job| matches!(job.phase, Phase::Unknown(_)))
        .collect();
    match (route, unknown.as_slice()) {
        (_, []) => {}
        (Route::Detail { .. }, [job, ..]) => log::warn(&format!(
            "job `{}` has a phase this extension does not know (`{}`): no actions",
            job.id,
            job.phase.as_wire()
        )),
        (_, many) => log::warn(&format!(
            "{} job(s) have a phase this extension does not know: no actions for them",
            many.len()
        )),
    }
}

/// The jobs no longer exist (deleted in another tab — a bulk run's arrive together — or the API
/// says 404): one pass and one announcement for them all.
pub fn apply_gone(overlay: &Overlay, job_ids: &[String], as_of: u64) {
    let mut store = overlay.store.borrow_mut();
    store.observe(as_of);
    let mut rows_gone = Vec::new();
    let mut this_page = false;
    for job_id in job_ids {
        if store.is_deleted(job_id) {
            continue;
        }
        let title = store.get(job_id).map(|job| job.shown_title().to_string());
        store.remove(job_id, as_of);
        if overlay.job_id() == Some(job_id.as_str()) {
            this_page = true;
        } else if let Some(title) = title {
            // A row that left because the job was deleted elsewhere.
            rows_gone.push(Change { title, phase: None });
        }
    }
    drop(store);
    if !this_page && rows_gone.is_empty() {
        return;
    }
    overlay.decorate();
    announce(&rows_gone);
    if this_page {
        // This page's job: say so once, and offer no actions on a job that is gone.
        let toast = Toast {
            kind: ToastKind::Info,
            text: copy::TOAST_NOT_FOUND.into(),
            details: None,
            receipt: None,
        };
        if let Err(error) = crate::ui::toast::show(&toast) {
            log::feature_error("toasts", &error);
        }
    }
}

/// An answer that cannot be read says nothing about the job: show it as unknown, with no
/// actions, rather than as what it was.
pub fn apply_unreadable(overlay: &Overlay, job_id: &str, why: &str) {
    log::warn(&format!(
        "the API's answer for job `{job_id}` is unreadable: {why}"
    ));
    let as_of = overlay.tick();
    overlay.store.borrow_mut().update(job_id, as_of, |job| {
        job.phase = Phase::Unknown(String::new())
    });
    overlay.decorate();
}
