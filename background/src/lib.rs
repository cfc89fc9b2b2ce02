//! The extension's background (issue #9): one source of job state per API base, shared by every
//! job tab. Each tab's content script connects a runtime port, says what it shows (`sync::ToHub`)
//! and receives what changes (`sync::FromHub`); the background polls each API base with **one**
//! request stream however many tabs are open, only while some subscriber is visible, and passes
//! an action's answer from the tab that acted to every other tab showing that job at once.
//!
//! `main.js` owns the ports (it must register listeners synchronously when the service worker
//! starts) and calls the exports here with port ids and message text. Chrome may stop the service
//! worker whenever it is idle: all of this state is then gone, the ports disconnect, the tabs
//! reconnect (waking the worker) and re-send what they watch, and the first poll rebuilds the
//! state. Nothing here needs to outlive the worker.
//!
//! Each port is bound to its sender before any of its messages (issue #20, `job_actions::live::scope`):
//! a compromised renderer can send whatever our content script could, so a tab may watch, act on
//! and publish for only the API base of the site profile that covers its own page, and read and
//! write only that base's typed reasons; the extension's own pages may use any.
//!
//! It also keeps the Activity log (`activity_refusal`, `record_activities`): every view sends it its entries, and
//! `main.js` folds them in one at a time.

mod feed;
mod handed_over;
mod js;

use feed::Feed;
use job_actions::api::json;
use job_actions::jobs::activity;
use job_actions::live::scope::{self, Scope};
use job_actions::live::subscriptions::{SubscriberId, Subscriptions, Watch};
use job_actions::live::sync::{FromHub, ToHub};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[derive(Default)]
struct Hub {
    subscriptions: Subscriptions,
    feeds: job_actions::jobs::idmap::IdMap<Rc<Feed>>,
    /// Who is at the other end of each port, and so what it may ask: set when the port connects,
    /// before any of its messages; a port without one is refused everything.
    scopes: job_actions::jobs::idmap::SortedMap<SubscriberId, Scope>,
}

thread_local! {
    static HUB: RefCell<Hub> = RefCell::new(Hub::default());
}

fn with_hub<T>(f: impl FnOnce(&mut Hub) -> T) -> T {
    HUB.with(|hub| f(&mut hub.borrow_mut()))
}

/// Makes the package's baked-in profile (`built-in-profile.json`, empty in other packages) the
/// built-in one, before any sender is bound. Returns why it was refused, or nothing.
#[wasm_bindgen]
pub fn set_built_in(text: &str) -> Option<String> {
    job_actions::sites::profiles::set_built_in(text)
        .err()
        .map(|problems| problems.join(" "))
}

/// The organisation's profiles from managed storage (the JSON text of its `profiles` value, empty
/// when no policy sets any): the valid ones as the book `storage.local` keeps under
/// `managed::MANAGED_KEY` (empty text: none), each refused one said on the console.
#[wasm_bindgen]
pub fn managed_book(policy: &str) -> String {
    let (book, refused) = job_actions::sites::managed::from_policy(policy);
    for why in refused {
        js::warn(&format!("[job-actions] {why}"));
    }
    if book.is_empty() {
        String::new()
    } else {
        job_actions::sites::profiles::write_book(&book)
    }
}

/// The organisation's profiles, then the user's: the book every sender is bound with and the
/// registrations follow. An unreadable user book is left out, with why on the console.
#[wasm_bindgen]
pub fn join_books(managed: &str, user: &str) -> String {
    let (book, why) = job_actions::sites::managed::join(Some(managed), Some(user));
    if let Some(why) = why {
        js::warn(&format!(
            "[job-actions] your site profiles are ignored: {why}"
        ));
    }
    job_actions::sites::profiles::write_book(&book)
}

/// A port connected: binds it to its sender before any of its messages (`main.js` runs them after
/// this). `book`: the stored site profiles (JSON text); `sender_url`: the browser's
/// `port.sender.url` (the frame's own URL); `extension_base`: `runtime.getURL('')`. Returns
/// whether the port may stay; when not, this says why on the console and `main.js` disconnects it.
#[wasm_bindgen]
pub fn connected(id: SubscriberId, book: &str, sender_url: &str, extension_base: &str) -> bool {
    match Scope::of_sender(book, sender_url, extension_base) {
        Ok(scope) => {
            with_hub(|hub| hub.scopes.insert(id, scope));
            true
        }
        Err(why) => {
            js::warn(&format!(
                "[job-actions] refused a port from {}: {why}",
                scope::sender_label(sender_url)
            ));
            false
        }
    }
}

/// A port's message.
#[wasm_bindgen]
pub fn received(id: SubscriberId, text: &str) {
    match ToHub::decode(text) {
        Ok(message) => handle(id, message),
        Err(why) => js::warn(&format!(
            "[job-actions] ignored a message from a tab: {why}"
        )),
    }
}

/// A port disconnected: the tab closed or left the page.
#[wasm_bindgen]
pub fn disconnected(id: SubscriberId) {
    with_hub(|hub| {
        hub.subscriptions.remove(id);
        hub.scopes.remove(&id);
    });
}

/// Whether a content script's `job-actions:reasons` (`is_prefix`) or `job-actions:reason` message
/// may use `key` (the same arguments as [`connected`] name the sender). `None`: it may; otherwise
/// the refusal, already on the console, for `main.js` to answer with.
#[wasm_bindgen]
pub fn reason_refusal(
    book: &str,
    sender_url: &str,
    extension_base: &str,
    key: &str,
    is_prefix: bool,
) -> Option<String> {
    refused(scope::check_reason_message(
        book,
        sender_url,
        extension_base,
        key,
        is_prefix,
    ))
}

/// A message check's refusal ("refused …"), put on the console; none when it passed.
fn refused<T>(verdict: Result<T, String>) -> Option<String> {
    let why = verdict.err()?;
    let refusal = format!("refused {why}");
    js::warn(&format!("[job-actions] {refusal}"));
    Some(refusal)
}

/// Whether a view may claim a job of `api_base` (issue #24; the same arguments as [`connected`]
/// name the sender): a tab, its own API base's jobs only. `Some`: the refusal, already on the
/// console.
#[wasm_bindgen]
pub fn claim_refusal(
    book: &str,
    sender_url: &str,
    extension_base: &str,
    api_base: &str,
) -> Option<String> {
    refused(scope::check_claim_message(
        book,
        sender_url,
        extension_base,
        api_base,
    ))
}

/// Whether a view may write its Activity `entries` (each its JSON; issue #23; the same arguments
/// as [`connected`] name the sender): a tab, entries of its own API base only; a message with
/// one it may not write is refused whole. `Some`: the refusal, already on the console.
#[wasm_bindgen]
pub fn activity_refusal(
    book: &str,
    sender_url: &str,
    extension_base: &str,
    entries: Vec<String>,
) -> Option<String> {
    refused(scope::check_activity_message(
        book,
        sender_url,
        extension_base,
        &entries,
    ))
}

/// The Activity log (`stored`, the text kept under `activity::STORAGE_KEY`, empty when none) with
/// `entries` folded in, in order, each already allowed (`activity_refusal`). `main.js` gathers
/// the entries that arrive while it writes and writes them at once, one write at a time: two
/// tabs acting together lose nothing, and a bulk run of 500 jobs is not 1,000 rewrites of the
/// whole log.
#[wasm_bindgen]
pub fn record_activities(stored: &str, entries: Vec<String>) -> String {
    activity::record_all(
        Some(stored),
        entries
            .iter()
            .filter_map(|entry| activity::entry_from_text(entry)),
    )
}

fn handle(id: SubscriberId, message: ToHub) {
    let verdict = with_hub(|hub| {
        let subscribed = hub.subscriptions.get(id).map(|s| s.api_base.as_str());
        match hub.scopes.get(&id) {
            Some(scope) => scope.may_send(&message, subscribed),
            None => Err(format!(
                "{} from a port the background has not bound to a sender",
                scope::message_label(&message, subscribed)
            )),
        }
    });
    if let Err(why) = verdict {
        js::warn(&format!("[job-actions] refused {why}"));
        return;
    }
    match message {
        ToHub::Watch(subscription) => {
            // The tab read its own state when it loaded; from now on it hears every change. (A
            // tab that reconnects after the worker restarted is brought up to date by the new
            // feed's first poll.)
            let feed = feed_for(&subscription.api_base);
            let list = subscription.watch == Watch::List;
            with_hub(|hub| hub.subscriptions.watch(id, subscription));
            if list {
                feed.welcome_list_watcher(id);
            }
            feed.new_view();
            feed.wake_if_idle();
        }
        ToHub::Token { api_base, token } => {
            feed_for(&api_base).set_token(token);
        }
        ToHub::Visible(visible) => {
            let api_base = with_hub(|hub| {
                hub.subscriptions.set_visible(id, visible);
                hub.subscriptions.get(id).map(|s| s.api_base.clone())
            });
            if let (true, Some(api_base)) = (visible, api_base) {
                // A tab that comes back shows the present, not what it saw when it left.
                feed_for(&api_base).wake();
            }
        }
        ToHub::Acted { job, as_of } => {
            if let Some(feed) = feed_of(id) {
                feed.acted(id, job, as_of);
            }
        }
        ToHub::Deleted { job_ids, as_of } => {
            if let Some(feed) = feed_of(id) {
                feed.deleted(id, &job_ids, as_of);
            }
        }
        ToHub::Hurry => {
            if let Some(feed) = feed_of(id) {
                feed.hurry();
            }
        }
    }
}

/// The feed of the API base a subscriber watches.
fn feed_of(id: SubscriberId) -> Option<Rc<Feed>> {
    with_hub(|hub| {
        let api_base = &hub.subscriptions.get(id)?.api_base;
        hub.feeds.get(api_base).cloned()
    })
}

/// The client of the API base's feed, if it has one (it carries the tabs' token).
fn feed_client(api_base: &str) -> Option<job_actions::api::client::ApiClient> {
    with_hub(|hub| hub.feeds.get(api_base).cloned())?.client()
}

/// The API base's feed, started if it is new.
fn feed_for(api_base: &str) -> Rc<Feed> {
    if let Some(feed) = with_hub(|hub| hub.feeds.get(api_base).cloned()) {
        return feed;
    }
    let feed = Rc::new(Feed::new(api_base));
    with_hub(|hub| hub.feeds.insert(api_base.to_string(), Rc::clone(&feed)));
    wasm_bindgen_futures::spawn_local(Rc::clone(&feed).run());
    feed
}

/// Sends a message to some subscribers (never to `except`, the tab the news came from).
fn broadcast(to: &[SubscriberId], except: Option<SubscriberId>, message: &FromHub) {
    let text = message.encode();
    for &id in to.iter().filter(|&&id| Some(id) != except) {
        js::post(id, &text);
    }
}

/// Talc instead of std's dlmalloc, as in the other crates.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Which content-script registrations to add and remove so that they match the user's site
/// profiles (`job_actions::sites::profiles::reconcile`), as JSON
/// `{"register":[{"id","pattern"}…],"unregister":[id…]}`
/// for `main.js`, which makes the calls. An unreadable book needs nothing registered.
#[wasm_bindgen]
pub fn registration_plan(
    book: &str,
    registered: Vec<String>,
    granted: Vec<String>,
    manifest: Vec<String>,
) -> String {
    let book = job_actions::sites::profiles::parse_book(book).unwrap_or_else(|why| {
        js::warn(&format!("[job-actions] site profiles ignored: {why}"));
        Vec::new()
    });
    let plan = job_actions::sites::profiles::reconcile(&book, &registered, &granted, &manifest);
    let register = json::write_array(&plan.register, |out, pattern| {
        let id = job_actions::sites::profiles::registration_id(pattern);
        out.push_str(&json::write_string_object(&[
            ("id", Some(&id)),
            ("pattern", Some(pattern)),
        ]));
    });
    let unregister = json::write_array(&plan.unregister, |out, id| json::write_string(out, id));
    json::write_object(&[], &[("register", &register), ("unregister", &unregister)])
}
