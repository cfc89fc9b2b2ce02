//! The popup's last known list (issue #22): on screen in the popup's first frame, read-only and
//! marked as such until the live list replaces it. It is kept in `storage.session` — in memory,
//! gone when the browser closes, never on disk (job titles are the user's data, and a deleted
//! job's title should not outlive the session), readable by the extension's own pages. `main.js`
//! reads it while the wasm compiles and hands it over (`browser::last_list`); the live list writes
//! it again whenever the background's answer changed what the popup shows (`remember`; the
//! popup's own actions reach it with the next answer, within a second). It is shown only where
//! the popup would show the same app (`Context`): opened over a page of the same origin, with the
//! same settings and site profiles. Anywhere else its first frame shows no list rather than the
//! wrong one; and should the popup still pick another app (its tab is found another way,
//! `browser::web_tab`), `components::app::load` drops the list on seeing the other API base.

use crate::recent::JobFilter;
use crate::state::Model;
use job_actions::api::json::{self, FromJson, Json};
use job_actions::live::sync::job_json;
use job_actions::Job;
use std::cell::RefCell;

/// Its `storage.session` key (`main.js` reads the same).
pub const KEY: &str = "popup-last-list";

/// What decides which app a popup shows, as `main.js` read it before the app started: the
/// origin of the web page it opened over, the user's settings and the site profiles (the raw
/// stored texts), kept as a hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Context(String);

impl Context {
    pub fn of(raw: &str) -> Context {
        // FNV-1a: a fingerprint, not a secret.
        let hash = raw.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        Context(format!("{hash:016x}"))
    }
}

/// The list the popup last showed, for which API, in which `Context`.
#[derive(Debug, PartialEq)]
pub struct LastList {
    pub context: Context,
    pub api_base: String,
    pub jobs: Vec<Job>,
}

impl LastList {
    pub fn encode(context: &Context, api_base: &str, jobs: &[&Job]) -> String {
        let jobs = json::write_array(jobs.iter(), |out, job| out.push_str(&job_json(job)));
        json::write_object(
            &[("context", Some(&context.0)), ("api_base", Some(api_base))],
            &[("jobs", &jobs)],
        )
    }
}

impl FromJson for LastList {
    fn from_json(value: &Json) -> Result<LastList, String> {
        let Some(Json::Array(jobs)) = value.member(&["jobs"]) else {
            return Err("`jobs` is not a list".into());
        };
        Ok(LastList {
            context: Context(value.required_str(&["context"])?),
            api_base: value.required_str(&["api_base"])?,
            jobs: jobs.iter().map(Job::from_json).collect::<Result<_, _>>()?,
        })
    }
}

/// A new popup's model shows `kept` (what `main.js` read), if it reads back and was kept in the
/// same `context`: the first frame has rows, read-only until the live list arrives
/// (`Model::last_known`). `remember` keeps the popup's lists in this context.
pub fn show(model: &mut Model, kept: Option<String>, context: &Context) {
    CONTEXT.with(|kept| kept.replace(Some(context.clone())));
    let Some(last) = kept
        .and_then(|text| json::decode::<LastList>(&text).ok())
        .filter(|last| last.context == *context)
    else {
        return;
    };
    // Older than any answer: the first live list replaces it whole.
    model.recent.apply_list(last.jobs, 0);
    model.last_known = Some(last.api_base);
}

thread_local! {
    /// The text last written, so an unchanged list (a 304's answer) writes nothing.
    static WRITTEN: RefCell<String> = const { RefCell::new(String::new()) };
    /// The context the popup started in (`show`).
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
}

/// Keeps the list the popup shows, in the context it started in, when it is live and differs
/// from what was kept.
pub fn remember(model: &Model) {
    let (Some(settings), None, true, Some(context)) = (
        &model.settings,
        &model.last_known,
        model.recent.is_loaded(),
        CONTEXT.with(|context| context.borrow().clone()),
    ) else {
        return;
    };
    let text = LastList::encode(
        &context,
        &settings.api_base,
        &model.recent.shown(JobFilter::All),
    );
    if WRITTEN.with(|written| *written.borrow() == text) {
        return;
    }
    WRITTEN.with(|written| written.replace(text.clone()));
    wasm_bindgen_futures::spawn_local(async move {
        let _ = crate::storage::session_set(KEY, &text).await;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str =
        r#"["https://app.example","{\"api_base\":\"https://app.example/api\"}",null,null]"#;

    #[test]
    fn the_last_list_reads_back_as_written_in_its_order() {
        let mut first = Job::bare("b", "matching");
        first.title = "Nightly \"import\"".into();
        let second = Job::bare("a", "cancelled");
        let context = Context::of(RAW);
        let text = LastList::encode(&context, "https://app.example/api", &[&first, &second]);
        assert_eq!(
            json::decode::<LastList>(&text).unwrap(),
            LastList {
                context,
                api_base: "https://app.example/api".into(),
                jobs: vec![first, second],
            }
        );
    }

    #[test]
    fn a_kept_list_is_shown_read_only_in_the_same_context_only_and_anything_unreadable_is_not() {
        let jobs = [&Job::bare("a", "matching")];
        let text = LastList::encode(&Context::of(RAW), "https://app.example/api", &jobs);
        let mut model = Model::new(0);
        show(&mut model, Some(text.clone()), &Context::of(RAW));
        assert_eq!(model.last_known.as_deref(), Some("https://app.example/api"));
        assert_eq!(model.recent.shown(JobFilter::All).len(), 1);
        // Over another site's page, or with other settings, the popup may show another app: no
        // list rather than the wrong one.
        for other in [
            r#"["https://other.example","{\"api_base\":\"https://app.example/api\"}",null,null]"#,
            r#"["https://app.example","{\"api_base\":\"https://elsewhere.example/api\"}",null,null]"#,
        ] {
            let mut model = Model::new(0);
            show(&mut model, Some(text.clone()), &Context::of(other));
            assert!(model.last_known.is_none() && !model.recent.is_loaded());
        }
        let mut model = Model::new(0);
        show(&mut model, Some("{\"jobs\": 3}".into()), &Context::of(RAW));
        assert!(model.last_known.is_none() && !model.recent.is_loaded());
        show(&mut model, None, &Context::of(RAW));
        assert!(model.last_known.is_none());
    }
}
