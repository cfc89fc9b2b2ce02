//! An Activity entry — one request on one job, from its asking to its confirmation — its receipt
//! line, and how a write is folded into the log.

use crate::api::error::ApiError;
use crate::jobs::dialog::Request;
use crate::jobs::time::iso_utc;

/// The `storage.local` key of the log (a JSON list, newest first).
pub const STORAGE_KEY: &str = "activity";
/// How many entries the log keeps; the oldest go first.
pub const KEEP: usize = 500;
/// The label of the button that copies an entry's receipt (Activity, and the toast after a
/// delete).
pub const COPY_RECEIPT: &str = "Copy receipt";

/// What was asked of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Cancel,
    Delete,
    ForceDelete,
}

impl Action {
    pub fn of(request: Request) -> Action {
        match request {
            Request::Cancel => Action::Cancel,
            Request::Delete { force: false } => Action::Delete,
            Request::Delete { force: true } => Action::ForceDelete,
        }
    }

    /// The name exports carry.
    pub fn as_wire(self) -> &'static str {
        match self {
            Action::Cancel => "cancel",
            Action::Delete => "delete",
            Action::ForceDelete => "force-delete",
        }
    }

    pub(crate) fn from_wire(text: &str) -> Option<Action> {
        [Action::Cancel, Action::Delete, Action::ForceDelete]
            .into_iter()
            .find(|action| action.as_wire() == text)
    }

    /// How a person names it: "Cancel", "Delete", "Force delete".
    pub fn label(self) -> &'static str {
        match self {
            Action::Cancel => "Cancel",
            Action::Delete => "Delete",
            Action::ForceDelete => "Force delete",
        }
    }
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Nothing yet: the request is on its way, or its view closed before the answer came.
    Waiting,
    /// A 2xx; `said`: what it said, in words ("cancelled", "deleted").
    Accepted { at_ms: u64, said: String },
    /// Anything else; `error`: the message the user saw.
    Failed {
        at_ms: u64,
        status: Option<u16>,
        error: String,
    },
}

/// When and how an action's result was confirmed: a cancel by its accepted answer, a delete by
/// the 404 of a read after it (or the lack of one, said).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub at_ms: u64,
    pub how: String,
}

/// One action on one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `{requested_ms}-{action}-{job_id}`: the same for every write about one request.
    pub id: String,
    /// The app: the site profile's name, or the popup's API base.
    pub app: String,
    pub api_base: String,
    pub job_id: String,
    pub title: String,
    pub action: Action,
    pub reason: Option<String>,
    pub notes: Option<String>,
    pub requested_ms: u64,
    pub answer: Answer,
    pub confirmed: Option<Confirmation>,
}

/// Where an action was asked: the app and the API base, and the job as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub app: String,
    pub api_base: String,
    pub title: String,
}

/// How a delete's confirmation is worded.
pub const GONE_404: &str = "a read of the job answered 404";
pub const NOT_GONE: &str = "the server still had the job after 60 s";

impl Entry {
    /// A request leaving now (`now_ms`), not answered yet.
    pub fn requested(place: Place, job_id: &str, request: Request, now_ms: u64) -> Entry {
        let action = Action::of(request);
        Entry {
            id: format!("{now_ms}-{}-{job_id}", action.as_wire()),
            app: place.app,
            api_base: place.api_base,
            job_id: job_id.to_string(),
            title: place.title,
            action,
            reason: None,
            notes: None,
            requested_ms: now_ms,
            answer: Answer::Waiting,
            confirmed: None,
        }
    }

    /// The entry with the server's answer at `at_ms`: what it said, or the error. An accepted
    /// cancel is confirmed by its answer; a delete waits for the 404 (`confirm`).
    pub fn answered(mut self, result: Result<String, &ApiError>, at_ms: u64) -> Entry {
        self.answer = match result {
            Ok(said) => {
                if self.action == Action::Cancel {
                    self.confirmed = Some(Confirmation {
                        at_ms,
                        how: format!("the server accepted the cancel ({said})"),
                    });
                }
                Answer::Accepted { at_ms, said }
            }
            Err(error) => Answer::Failed {
                at_ms,
                status: error.status(),
                error: error.user_message(),
            },
        };
        self
    }

    /// The entry with its confirmation.
    pub fn confirm(mut self, at_ms: u64, how: &str) -> Entry {
        self.confirmed = Some(Confirmation {
            at_ms,
            how: how.to_string(),
        });
        self
    }

    /// One plain-text line for a ticket: what, which job, where, when, what the server said.
    pub fn receipt(&self) -> String {
        let mut line = format!(
            "{} job \"{}\" (id {}) in {} ({}) · requested {}",
            self.action.label(),
            one_line(&self.title),
            self.job_id,
            one_line(&self.app),
            self.api_base,
            iso_utc(self.requested_ms)
        );
        match &self.answer {
            Answer::Waiting => line.push_str(" · no answer yet"),
            Answer::Accepted { at_ms, said } => {
                line.push_str(&format!(" · accepted {} ({said})", iso_utc(*at_ms)));
            }
            Answer::Failed { at_ms, error, .. } => {
                line.push_str(&format!(" · failed {}: {error}", iso_utc(*at_ms)));
            }
        }
        if let Some(confirmed) = &self.confirmed {
            line.push_str(&confirmed_part(&iso_utc(confirmed.at_ms), &confirmed.how));
        }
        for (name, value) in [("reason", &self.reason), ("notes", &self.notes)] {
            if let Some(value) = value.as_deref().filter(|value| !value.is_empty()) {
                line.push_str(&format!(" · {name}: \"{}\"", one_line(value)));
            }
        }
        line
    }

    /// Its outcome in one word: `waiting`, `accepted`, `failed`.
    pub fn outcome(&self) -> &'static str {
        match self.answer {
            Answer::Waiting => "waiting",
            Answer::Accepted { .. } => "accepted",
            Answer::Failed { .. } => "failed",
        }
    }

    /// The answer's time and text, for the views and exports.
    pub fn answer_parts(&self) -> (Option<u64>, Option<u16>, &str) {
        match &self.answer {
            Answer::Waiting => (None, None, ""),
            Answer::Accepted { at_ms, said } => (Some(*at_ms), None, said),
            Answer::Failed {
                at_ms,
                status,
                error,
            } => (Some(*at_ms), *status, error),
        }
    }
}

/// A receipt's confirmation (`Entry::receipt`), its time as RFC 3339: a delete's receipt ends
/// with it (a delete has no reason or notes), so a receipt carried before its deletion check was
/// done gains it at its end (issue #22).
pub fn confirmed_part(at: &str, how: &str) -> String {
    format!(" · confirmed {at}: {how}")
}

/// A reason or note on one line (a receipt is one line).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds `change` into `log` (newest first): an entry with its id is replaced where it stands,
/// keeping what the change does not know (an answer, a confirmation written earlier); a new one
/// goes where its request time puts it. The log keeps the newest `KEEP`.
pub fn merge(log: &mut Vec<Entry>, change: Entry) {
    if let Some(kept) = log.iter_mut().find(|kept| kept.id == change.id) {
        let earlier = std::mem::replace(kept, change);
        if kept.answer == Answer::Waiting {
            kept.answer = earlier.answer;
        }
        if kept.confirmed.is_none() {
            kept.confirmed = earlier.confirmed;
        }
        return;
    }
    let at = log
        .iter()
        .position(|kept| kept.requested_ms < change.requested_ms)
        .unwrap_or(log.len());
    log.insert(at, change);
    log.truncate(KEEP);
}
