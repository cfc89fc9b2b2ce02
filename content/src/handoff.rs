//! What the content script's page-wide build hands to its actions build when a user first uses
//! one of its controls (the actions build is loaded only then, PRD §10): the page it was set up
//! for, whether that page's first load is done, and every job state it knows, with their times.
//! The actions build takes the page over from there, as if it had been running all along.

use job_actions::api::json::{self, FromJson, Json};
use job_actions::jobs::store::JobStore;

#[derive(Debug)]
pub struct Handoff {
    /// The URL the page-wide build's route was set up for.
    pub href: String,
    /// Its first load is done (and its port to the background was asked for).
    pub loaded: bool,
    pub store: JobStore,
}

impl Handoff {
    /// The page-wide build's side of the hand-over.
    #[cfg_attr(feature = "actions", allow(dead_code))]
    pub fn encode(&self) -> String {
        json::write_object(
            &[("href", Some(&self.href))],
            &[
                ("loaded", if self.loaded { "true" } else { "false" }),
                ("store", &self.store.to_json()),
            ],
        )
    }

    /// The state for the page now at `href`: the handed-over one if it is the same page, else a
    /// fresh one (the URL changed while the actions build loaded: nothing of the old page
    /// applies to the new one).
    pub fn for_page(self, href: &str) -> Handoff {
        if self.href == href {
            self
        } else {
            Handoff {
                href: href.to_string(),
                loaded: false,
                store: JobStore::default(),
            }
        }
    }
}

impl FromJson for Handoff {
    fn from_json(value: &Json) -> Result<Handoff, String> {
        let Some(&Json::Bool(loaded)) = value.member(&["loaded"]) else {
            return Err("`loaded` is not true or false".into());
        };
        Ok(Handoff {
            href: value.required_str(&["href"])?,
            loaded,
            store: JobStore::from_json(value.member(&["store"]).ok_or("missing `store`")?)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use job_actions::api::model::Job;

    fn handoff() -> Handoff {
        let mut store = JobStore::default();
        let at = store.tick_at(1_000);
        store.offer(Job::bare("a", "matching"), at);
        Handoff {
            href: "http://127.0.0.1:8700/jobs/a".into(),
            loaded: true,
            store,
        }
    }

    #[test]
    fn a_handoff_reads_back_as_written() {
        let text = handoff().encode();
        let back = json::decode::<Handoff>(&text).unwrap();
        assert_eq!(back.href, "http://127.0.0.1:8700/jobs/a");
        assert!(back.loaded);
        assert_eq!(
            back.store.get("a").map(|job| job.phase.as_wire()),
            Some("matching")
        );
        assert_eq!(back.encode(), text);
    }

    #[test]
    fn a_handoff_for_another_page_carries_nothing_over() {
        let same = handoff().for_page("http://127.0.0.1:8700/jobs/a");
        assert!(same.loaded && same.store.get("a").is_some());
        let other = handoff().for_page("http://127.0.0.1:8700/jobs");
        assert_eq!(other.href, "http://127.0.0.1:8700/jobs");
        assert!(!other.loaded);
        assert!(other.store.get("a").is_none());
    }

    #[test]
    fn a_handoff_text_that_is_not_one_says_what_is_wrong() {
        let text = handoff().encode().replace("true", "\"yes\"");
        assert_eq!(
            json::decode::<Handoff>(&text).unwrap_err(),
            "`loaded` is not true or false"
        );
        assert_eq!(
            json::decode::<Handoff>(r#"{"href":"x","loaded":false}"#).unwrap_err(),
            "missing `store`"
        );
    }
}
