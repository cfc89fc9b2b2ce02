//! The popup's live job list, from the background (issue #9): while the popup is open it
//! subscribes to the list of its API base on a runtime port, like every job tab, and shows what
//! the background sends — the list in the API's order, the jobs other tabs acted on, and whether
//! the last poll failed. The background makes one request stream for the popup and every tab of
//! that API; the popup makes none of its own (only its actions and their deletion checks). Pause,
//! or a hidden popup, tells the background it need not poll for the popup; Retry, Resume and an
//! action ask it to poll now.

use crate::browser;
use crate::state::State;
use dioxus::core::{Runtime, ScopeId};
use dioxus::prelude::*;
use job_actions::live::port::Port;
use job_actions::live::subscriptions::{Subscription, Watch};
use job_actions::live::sync::{FromHub, ToHub, PORT_NAME, RECONNECT_MS};
use std::cell::RefCell;
use std::rc::Rc;

/// How many recent jobs the popup lists (the newest of the list answer).
pub const RECENT_JOBS: usize = 20;

thread_local! {
    static PORT: RefCell<Option<Port>> = const { RefCell::new(None) };
}

/// What hears that the list changed besides the view (`start`'s `on_jobs_changed`), with the
/// Dioxus runtime and scope it runs in: the port's messages arrive outside Dioxus, and what the
/// hook does (dispatching an event, spawning its request) needs them.
type JobsChanged = (fn(State), Rc<Runtime>, ScopeId);

thread_local! {
    static ON_JOBS_CHANGED: RefCell<Option<JobsChanged>> = const { RefCell::new(None) };
}

/// Subscribes for the popup's lifetime, and starts the one-second clock; `on_jobs_changed` hears
/// every list or job update after it is applied (a Cancel & Delete waiting for its job's workers).
pub fn start(mut state: State, on_jobs_changed: fn(State)) {
    if let Some(runtime) = Runtime::try_current() {
        let scope = runtime.try_current_scope_id().unwrap_or(ScopeId::ROOT);
        ON_JOBS_CHANGED.with(|hook| *hook.borrow_mut() = Some((on_jobs_changed, runtime, scope)));
    }
    subscribe(state);
    browser::on_visibility_change(move || set_visible(state));
    spawn(async move {
        browser::after_paint().await;
        browser::when_idle().await;
        state.write().local_times = true;
    });
    spawn(async move {
        loop {
            browser::sleep(1_000).await;
            state.write().now = browser::now();
        }
    });
}

/// (Re)connects with the current settings: at start, after new settings, after the background
/// restarted.
pub fn subscribe(mut state: State) {
    PORT.with(|port| port.borrow_mut().take());
    let settings = state.peek().settings();
    if let Err(message) = settings.client_config() {
        state.write().poll.error = Some(message);
        return;
    }
    let on_message = move |text: String| received(state, &text);
    let on_disconnect = move || {
        let subscribed = settings_api_base(state);
        spawn(async move {
            browser::sleep(RECONNECT_MS).await;
            // Settings saved meanwhile have connected anew already.
            if settings_api_base(state) == subscribed {
                subscribe(state);
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
            state.write().poll.error = Some(format!(
                "The extension's background is not running: {}",
                crate::browser::describe(error)
            ));
            return;
        }
    };
    let token = settings.token.clone();
    let subscription = Subscription {
        api_base: settings.api_base,
        watch: Watch::List,
        visible: wants_polling(state),
    };
    port.subscribe(subscription, token);
    PORT.with(|slot| *slot.borrow_mut() = Some(port));
}

fn settings_api_base(state: State) -> String {
    state.peek().settings().api_base
}

/// Tells the background something (an action's answer, a deletion).
pub fn send(message: &ToHub) {
    PORT.with(|port| {
        if let Some(port) = port.borrow().as_ref() {
            port.post(&message.encode());
        }
    });
}

/// Asks the background to poll now, and fast for a while (Retry, Resume, after an action).
pub fn hurry() {
    send(&ToHub::Hurry);
}

/// Pause/Resume or the popup's visibility changed.
pub fn set_visible(state: State) {
    send(&ToHub::Visible(wants_polling(state)));
}

fn wants_polling(state: State) -> bool {
    !state.peek().poll.paused && !browser::is_hidden()
}

fn received(mut state: State, text: &str) {
    let message = match FromHub::decode(text) {
        Ok(message) => message,
        Err(why) => {
            browser::warn(&format!(
                "[job-actions] ignored a message from the background: {why}"
            ));
            return;
        }
    };
    let mut model = state.write();
    match message {
        FromHub::List { mut jobs, as_of } => {
            jobs.truncate(RECENT_JOBS);
            model.recent.apply_list(jobs, as_of);
            model.last_known = None;
        }
        FromHub::Jobs { jobs, as_of } => {
            model.recent.apply_jobs(jobs, as_of);
        }
        FromHub::Gone { job_ids, as_of } => {
            for job_id in job_ids {
                model.recent.remove(&job_id, as_of);
            }
        }
        // Only job pages ask for single jobs; the popup lists.
        FromHub::Unreadable { .. } => return,
        FromHub::Polled { error } => {
            if error.is_none() {
                model.poll.updated_at = Some(browser::now());
            }
            model.poll.error = error;
            return;
        }
    }
    let active = model.recent.active_count();
    drop(model);
    crate::last_list::remember(&state.peek());
    let hook = ON_JOBS_CHANGED.with(|hook| hook.borrow().clone());
    if let Some((hook, runtime, scope)) = hook {
        runtime.in_scope(scope, || hook(state));
    }
    browser::set_badge(&if active == 0 {
        String::new()
    } else {
        active.to_string()
    });
}

/// Shows the `index`th app of the switcher (`apps::apps`): its list, token and links.
pub fn show_app(mut state: State, index: usize) {
    let mut model = state.write();
    let Some(app) = model.apps.get(index).cloned() else {
        return;
    };
    model.app = index;
    model.show_settings(app.settings);
    drop(model);
    subscribe(state);
}
