//! The messages between a page (or the popup) and the background's job state (issue #9), as JSON
//! text over a runtime port. Pure: encoding and decoding are tested natively, and both sides use
//! these same functions, so they cannot disagree about the wire format.
//!
//! Times (`as_of`) are the milliseconds since the epoch at which a state was current — when the
//! poll that read it *started*, or when an action's answer arrived. Every context of one browser
//! shares the clock, so the store's merge rule works across tabs: a poll that started before a
//! cancel's answer arrived anywhere cannot show the job running again.

use crate::api::json::{self, Json};
use crate::api::model::Job;
use crate::live::subscriptions::{Subscription, Watch};

/// The runtime port's name.
pub const PORT_NAME: &str = "job-actions:jobs";

/// How long a page or the popup waits before connecting again after the background went away
/// (Chrome stopped its service worker): connecting starts it anew.
pub const RECONNECT_MS: u32 = 250;

/// How many jobs a list view asks for at once.
pub const LIST_LIMIT: u32 = 1_000;

/// The one list request a list view makes (the page's first load, and the background's polls).
pub fn list_query() -> crate::ListQuery {
    crate::ListQuery {
        limit: Some(LIST_LIMIT),
        phase: None,
    }
}

/// A page's messages to the background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToHub {
    /// What this port shows (sent on connect and whenever it changes).
    Watch(Subscription),
    /// The popup's bearer token for its API base (kept in extension storage; the background's
    /// client sends it only to URLs under that base, as every client does).
    Token { api_base: String, token: String },
    /// The tab was hidden or shown again.
    Visible(bool),
    /// An action's answer, applied here: the job as it now is, current as of `as_of`.
    Acted { job: Job, as_of: u64 },
    /// The server confirmed these deletions (one, or a bulk run's since its last message).
    Deleted { job_ids: Vec<String>, as_of: u64 },
    /// The user just acted: poll quickly for a while.
    Hurry,
}

/// The background's messages to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromHub {
    /// A list answer that changed something: every listed job in the API's order (newest
    /// first), each as the background knows it, current as of `as_of`.
    List { jobs: Vec<Job>, as_of: u64 },
    /// A list poll finished: whether it failed, and how (a message for the user).
    Polled { error: Option<String> },
    /// Jobs as they are, current as of `as_of` (for a list: every listed job, in list order).
    Jobs { jobs: Vec<Job>, as_of: u64 },
    /// The jobs no longer exist (404, or deleted in another tab: a bulk run's, together).
    Gone { job_ids: Vec<String>, as_of: u64 },
    /// The API's answer for the job could not be read.
    Unreadable { job_id: String, why: String },
}

/// Writes a job as the API would send it.
pub fn job_json(job: &Job) -> String {
    json::write_string_object(&[
        ("id", Some(&job.id)),
        ("title", Some(&job.title)),
        ("phase", Some(job.phase.as_wire())),
        ("created_at", job.created_at.as_deref()),
        ("updated_at", job.updated_at.as_deref()),
        ("cancelled_at", job.cancelled_at.as_deref()),
        ("cancellation_reason", job.cancellation_reason.as_deref()),
        ("cancellation_notes", job.cancellation_notes.as_deref()),
    ])
}

/// `{"type":…, <string members>…, <raw members>…}`: raw members are already JSON.
fn message(kind: &str, strings: &[(&str, Option<&str>)], raw: &[(&str, &str)]) -> String {
    let mut members = vec![("type", Some(kind))];
    members.extend_from_slice(strings);
    json::write_object(&members, raw)
}

impl ToHub {
    pub fn encode(&self) -> String {
        match self {
            ToHub::Watch(subscription) => {
                let job = match &subscription.watch {
                    Watch::List => None,
                    Watch::Job(id) => Some(id.as_str()),
                };
                message(
                    "watch",
                    &[("api_base", Some(&subscription.api_base)), ("job", job)],
                    &[("visible", bool_text(subscription.visible))],
                )
            }
            ToHub::Token { api_base, token } => message(
                "token",
                &[("api_base", Some(api_base)), ("token", Some(token))],
                &[],
            ),
            ToHub::Visible(visible) => message("visible", &[], &[("visible", bool_text(*visible))]),
            ToHub::Acted { job, as_of } => message(
                "acted",
                &[("as_of", Some(&as_of.to_string()))],
                &[("job", &job_json(job))],
            ),
            ToHub::Deleted { job_ids, as_of } => message(
                "deleted",
                &[("as_of", Some(&as_of.to_string()))],
                &[("job_ids", &ids_json(job_ids))],
            ),
            ToHub::Hurry => message("hurry", &[], &[]),
        }
    }

    pub fn decode(text: &str) -> Result<ToHub, String> {
        let value = json::parse(text).map_err(|e| e.to_string())?;
        match value.required_str(&["type"])?.as_str() {
            "watch" => Ok(ToHub::Watch(Subscription {
                api_base: value.required_str(&["api_base"])?,
                watch: match value.optional_str(&["job"])? {
                    Some(id) => Watch::Job(id),
                    None => Watch::List,
                },
                visible: required_bool(&value, "visible")?,
            })),
            "token" => Ok(ToHub::Token {
                api_base: value.required_str(&["api_base"])?,
                token: value.required_str(&["token"])?,
            }),
            "visible" => Ok(ToHub::Visible(required_bool(&value, "visible")?)),
            "acted" => Ok(ToHub::Acted {
                job: json::FromJson::from_json(value.member(&["job"]).ok_or("missing `job`")?)?,
                as_of: required_time(&value)?,
            }),
            "deleted" => Ok(ToHub::Deleted {
                job_ids: required_ids(&value)?,
                as_of: required_time(&value)?,
            }),
            "hurry" => Ok(ToHub::Hurry),
            other => Err(format!("unknown message type `{other}`")),
        }
    }
}

impl FromHub {
    pub fn encode(&self) -> String {
        match self {
            FromHub::List { jobs, as_of } => message(
                "list",
                &[("as_of", Some(&as_of.to_string()))],
                &[("jobs", &jobs_json(jobs))],
            ),
            FromHub::Polled { error } => message("polled", &[("error", error.as_deref())], &[]),
            FromHub::Jobs { jobs, as_of } => message(
                "jobs",
                &[("as_of", Some(&as_of.to_string()))],
                &[("jobs", &jobs_json(jobs))],
            ),
            FromHub::Gone { job_ids, as_of } => message(
                "gone",
                &[("as_of", Some(&as_of.to_string()))],
                &[("job_ids", &ids_json(job_ids))],
            ),
            FromHub::Unreadable { job_id, why } => message(
                "unreadable",
                &[("job_id", Some(job_id)), ("why", Some(why))],
                &[],
            ),
        }
    }

    pub fn decode(text: &str) -> Result<FromHub, String> {
        let value = json::parse(text).map_err(|e| e.to_string())?;
        match value.required_str(&["type"])?.as_str() {
            "list" => Ok(FromHub::List {
                jobs: required_jobs(&value)?,
                as_of: required_time(&value)?,
            }),
            "polled" => Ok(FromHub::Polled {
                error: value.optional_str(&["error"])?,
            }),
            "jobs" => Ok(FromHub::Jobs {
                jobs: required_jobs(&value)?,
                as_of: required_time(&value)?,
            }),
            "gone" => Ok(FromHub::Gone {
                job_ids: required_ids(&value)?,
                as_of: required_time(&value)?,
            }),
            "unreadable" => Ok(FromHub::Unreadable {
                job_id: value.required_str(&["job_id"])?,
                why: value.required_str(&["why"])?,
            }),
            other => Err(format!("unknown message type `{other}`")),
        }
    }
}

/// The most job ids one `Deleted` or `Gone` names (a bulk run's batch is far fewer).
pub const MAX_IDS: usize = 1_000;

fn ids_json(ids: &[String]) -> String {
    json::write_array(ids, |out, id| json::write_string(out, id))
}

/// `job_ids`: 1 to `MAX_IDS` strings.
fn required_ids(value: &Json) -> Result<Vec<String>, String> {
    let Some(Json::Array(items)) = value.member(&["job_ids"]) else {
        return Err("`job_ids` is not a list".into());
    };
    if items.is_empty() || items.len() > MAX_IDS {
        return Err(format!(
            "`job_ids` names {} jobs (1 to {MAX_IDS})",
            items.len()
        ));
    }
    let mut ids = Vec::with_capacity(items.len());
    for item in items {
        let Json::String(id) = item else {
            return Err("`job_ids` holds something other than a job id".into());
        };
        ids.push(id.clone());
    }
    Ok(ids)
}

fn jobs_json(jobs: &[Job]) -> String {
    json::write_array(jobs, |out, job| out.push_str(&job_json(job)))
}

fn required_jobs(value: &Json) -> Result<Vec<Job>, String> {
    let list = value.member(&["jobs"]).ok_or("missing `jobs`")?;
    let crate::api::model::JobListBody(jobs) = json::FromJson::from_json(list)?;
    Ok(jobs)
}

fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

fn required_bool(value: &Json, name: &str) -> Result<bool, String> {
    match value.member(&[name]) {
        Some(Json::Bool(flag)) => Ok(*flag),
        _ => Err(format!("`{name}` must be true or false")),
    }
}

/// `as_of` travels as a string of digits (the reader keeps no numbers; no float in between).
fn required_time(value: &Json) -> Result<u64, String> {
    value
        .required_str(&["as_of"])?
        .parse()
        .map_err(|_| "`as_of` is not a whole number of milliseconds".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::phase::Phase;

    fn job() -> Job {
        let mut job = Job::bare("a/b \"quoted\" ☃", "cancelled");
        job.title = "<b>title</b>\n".into();
        job.cancelled_at = Some("2026-11-26T19:00:00Z".into());
        job.cancellation_notes = Some("why\u{202e}".into());
        job
    }

    #[test]
    fn every_page_message_survives_the_wire() {
        let messages = [
            ToHub::Watch(Subscription {
                api_base: "http://127.0.0.1:9/api".into(),
                watch: Watch::List,
                visible: true,
            }),
            ToHub::Watch(Subscription {
                api_base: "http://127.0.0.1:9/api".into(),
                watch: Watch::Job("j 1".into()),
                visible: false,
            }),
            ToHub::Visible(false),
            ToHub::Token {
                api_base: "https://api.example/v1".into(),
                token: "t\"ok".into(),
            },
            ToHub::Acted {
                job: job(),
                as_of: 1_790_000_000_123,
            },
            ToHub::Deleted {
                job_ids: vec!["x".into()],
                as_of: 5,
            },
            ToHub::Deleted {
                job_ids: vec!["a".into(), "b\"c".into()],
                as_of: 6,
            },
            ToHub::Hurry,
        ];
        for message in messages {
            assert_eq!(ToHub::decode(&message.encode()), Ok(message.clone()));
        }
    }

    #[test]
    fn every_background_message_survives_the_wire() {
        let mut running = Job::bare("r", "matching");
        running.phase = Phase::Unknown("archiving".into());
        let messages = [
            FromHub::List {
                jobs: vec![running.clone(), job()],
                as_of: 41,
            },
            FromHub::Polled { error: None },
            FromHub::Polled {
                error: Some("Could not reach the server.".into()),
            },
            FromHub::Jobs {
                jobs: vec![job(), running],
                as_of: 42,
            },
            FromHub::Jobs {
                jobs: vec![],
                as_of: 0,
            },
            FromHub::Gone {
                job_ids: vec!["g".into(), "h".into()],
                as_of: 7,
            },
            FromHub::Unreadable {
                job_id: "u".into(),
                why: "expected `,` at byte 3".into(),
            },
        ];
        for message in messages {
            assert_eq!(FromHub::decode(&message.encode()), Ok(message.clone()));
        }
    }

    #[test]
    fn bad_messages_say_what_is_wrong() {
        assert_eq!(
            ToHub::decode(r#"{"type":"launch"}"#),
            Err("unknown message type `launch`".into())
        );
        assert_eq!(
            ToHub::decode(r#"{"type":"visible","visible":"yes"}"#),
            Err("`visible` must be true or false".into())
        );
        assert_eq!(
            ToHub::decode(r#"{"type":"deleted","job_ids":["x"],"as_of":"soon"}"#),
            Err("`as_of` is not a whole number of milliseconds".into())
        );
        assert_eq!(
            ToHub::decode(r#"{"type":"deleted","job_id":"x","as_of":"1"}"#),
            Err("`job_ids` is not a list".into())
        );
        assert_eq!(
            ToHub::decode(r#"{"type":"deleted","job_ids":[],"as_of":"1"}"#),
            Err("`job_ids` names 0 jobs (1 to 1000)".into())
        );
        assert_eq!(
            FromHub::decode(r#"{"type":"gone","job_ids":["x",7],"as_of":"1"}"#),
            Err("`job_ids` holds something other than a job id".into())
        );
        assert!(FromHub::decode("not json").is_err());
        assert_eq!(
            ToHub::decode(r#"{"type":"acted","as_of":"1","job":{"phase":"matching"}}"#),
            Err("missing `id`".into())
        );
    }
}
