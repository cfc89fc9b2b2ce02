//! The popup's state: one `Model` in one Dioxus signal, handed down by context. The settings in
//! force, the recent jobs (through the shared merge rule), each job's cancel/delete flow, the poll
//! status, the toasts and the settings form. Views read it; `live.rs`, `actions.rs` and event
//! handlers write it.
//!
//! One signal rather than one per field: every distinct `Signal<T>` costs its own generic code in
//! the download, and re-rendering the whole popup (20 rows) on any change costs nothing to see.

use crate::recent::{JobFilter, RecentJobs};
use crate::settings::{Invalid, Settings};
use dioxus::prelude::*;
use job_actions::jobs::flow::{Flow, Toast};
use job_actions::jobs::idmap::IdMap;
use job_actions::jobs::rules::Switches;

/// How long a toast stays (PRD §5.7: "auto-dismiss after 5s").
pub const TOAST_MS: u32 = 5_000;

pub type State = Signal<Model>;

/// A bulk action: its confirmation, then its run (`jobs::bulk_stage`).
pub type Bulk = job_actions::jobs::bulk_stage::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Jobs,
    Activity,
    Settings,
}

/// How polling is going, for the status line and the error banner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollStatus {
    /// When the last list answer (fresh or 304) arrived.
    pub updated_at: Option<i64>,
    /// The last poll's failure, shown above the list it keeps.
    pub error: Option<String>,
    pub paused: bool,
}

/// A toast with an id, so each one can be dismissed by its own timer.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownToast {
    pub id: u32,
    pub toast: Toast,
}

/// What "Save" or "Test connection" is doing or did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Working(&'static str),
    Done(String),
    Failed(String),
}

impl Outcome {
    /// A result line's class (`result`, `result done`, `result failed`) and text; none: empty.
    pub fn shown(outcome: &Option<Outcome>) -> (&'static str, String) {
        match outcome {
            Some(Outcome::Working(text)) => ("result", text.to_string()),
            Some(Outcome::Done(text)) => ("result done", text.clone()),
            Some(Outcome::Failed(text)) => ("result failed", text.clone()),
            None => ("result", String::new()),
        }
    }
}

/// The settings form as typed, and what its buttons found.
#[derive(Debug, Clone, Default)]
pub struct SettingsForm {
    pub app_url: String,
    pub api_base: String,
    pub token: String,
    pub invalid: Option<Invalid>,
    pub outcome: Option<Outcome>,
}

impl SettingsForm {
    pub fn from_settings(settings: &Settings) -> SettingsForm {
        SettingsForm {
            app_url: settings.app_url.clone(),
            api_base: settings.api_base.clone(),
            token: settings.token.clone().unwrap_or_default(),
            invalid: None,
            outcome: None,
        }
    }
}

#[derive(Debug)]
pub struct Model {
    /// `None` until storage has answered.
    pub settings: Option<Settings>,
    pub form: SettingsForm,
    pub view: View,
    /// Activity (issue #23): the log as last read, once the view was first shown (`None`
    /// before), and whether Clear waits for its confirmation.
    pub activity: Option<Vec<job_actions::jobs::activity::Entry>>,
    pub clearing_activity: bool,
    /// Bulk actions (issue #24): the selected jobs, and the bulk action being confirmed or run.
    pub selection: job_actions::jobs::selection::Selection,
    pub bulk: Option<Bulk>,
    pub recent: RecentJobs,
    pub filter: JobFilter,
    pub poll: PollStatus,
    pub flows: IdMap<Flow>,
    /// The job whose dialog is open.
    pub dialog_job: Option<String>,
    /// What opened the dialog, to give focus back (a CSS selector).
    pub trigger: Option<String>,
    pub toasts: Vec<ShownToast>,
    pub next_toast: u32,
    /// Deleted jobs whose disappearance is still being confirmed with the server (PRD §7.4).
    pub confirming: Vec<String>,
    /// Ticks every second: relative times and "updated N s ago" re-render from it.
    pub now: i64,
    /// Whether the rows' tooltips show their local times yet: only once the popup is idle after
    /// its first frame (`live::start`), as a renderer's first formatting of a time loads V8's
    /// locale data (25–49 ms in a fresh browser), which the first rows should not wait for.
    pub local_times: bool,
    /// The API refused this user an action (403): destructive controls are disabled with this
    /// sentence as their description (PRD §11), until the settings change.
    pub refused: Option<String>,
    /// The apps the popup can show (`apps::apps`), and the one it shows (its settings are
    /// `settings`).
    pub apps: Vec<crate::apps::App>,
    pub app: usize,
    /// The web tab the popup opened over, when no profile covers it ("Enable on this site").
    pub site: Option<String>,
    /// What "Enable on this site" is doing or did.
    pub enable: Option<Outcome>,
    /// The organisation's profiles whose origins this browser has not granted yet.
    pub ungranted: Vec<job_actions::sites::profiles::StoredProfile>,
    /// What "Allow access" for them did.
    pub grant: Option<Outcome>,
    /// The list shown is the last known one (`last_list`), of this API base, until the live list
    /// arrives: its rows are read-only meanwhile.
    pub last_known: Option<String>,
}

impl Model {
    pub fn new(now: i64) -> Model {
        Model {
            settings: None,
            form: SettingsForm::default(),
            view: View::Jobs,
            activity: None,
            clearing_activity: false,
            selection: Default::default(),
            bulk: None,
            recent: RecentJobs::default(),
            filter: JobFilter::All,
            poll: PollStatus::default(),
            flows: IdMap::new(),
            dialog_job: None,
            trigger: None,
            toasts: Vec::new(),
            next_toast: 1,
            confirming: Vec::new(),
            now,
            local_times: false,
            refused: None,
            apps: Vec::new(),
            app: 0,
            site: None,
            enable: None,
            ungranted: Vec::new(),
            grant: None,
            last_known: None,
        }
    }

    /// A job's title as the list shows it (its id when it has none).
    pub fn job_title(&self, job_id: &str) -> String {
        self.recent
            .get(job_id)
            .map_or_else(|| job_id.to_string(), |job| job.shown_title().to_string())
    }

    pub fn settings(&self) -> Settings {
        self.settings.clone().unwrap_or_default()
    }

    /// What the shown app's profile lets the popup offer (issue #23); all on before the apps are
    /// known and for the user's own settings.
    pub fn switches(&self) -> Switches {
        self.apps
            .get(self.app)
            .map_or(Switches::ALL_ON, |app| app.switches)
    }

    /// Shows the jobs of `settings` (saved, or another app's): another API's list starts afresh,
    /// and what the old one refused is no longer assumed. The caller subscribes anew.
    pub fn show_settings(&mut self, settings: Settings) {
        if self.settings.as_ref().map(|old| &old.api_base) != Some(&settings.api_base) {
            self.recent = RecentJobs::default();
            self.poll.error = None;
            self.poll.updated_at = None;
        }
        // Other settings (another token, another API) may be allowed what these were refused.
        self.refused = None;
        self.settings = Some(settings);
    }
}

/// Shows a toast for `TOAST_MS`; three at most, the oldest leave first.
pub fn show_toast(mut state: State, toast: Toast) {
    let mut model = state.write();
    let id = model.next_toast;
    model.next_toast += 1;
    model.toasts.push(ShownToast { id, toast });
    if model.toasts.len() > 3 {
        model.toasts.remove(0);
    }
    drop(model);
    spawn(async move {
        crate::browser::sleep(TOAST_MS).await;
        state.write().toasts.retain(|shown| shown.id != id);
    });
}
