//! The site-profiles page's state (issue #8): one `Sites` in one Dioxus signal, handed down by
//! context, as the popup's `Model` is. The page is the extension's options page
//! (`options.rs`), so none of this is in the popup's download.

use crate::profile_form::ProfileForm;
use crate::state::Outcome;
use dioxus::prelude::*;
use job_actions::sites::profiles::StoredProfile;

pub type SitesState = Signal<Sites>;

/// Which profile a button concerns: the organisation's `n`th, the built-in one, or the user's
/// `n`th.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Managed(usize),
    BuiltIn,
    User(usize),
}

/// The profile editor: a new profile (`index: None`) or the user's `index`th, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    pub index: Option<usize>,
    pub form: ProfileForm,
    /// Every problem the last Save found (shown until the next Save).
    pub problems: Vec<String>,
}

/// The site-profiles page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sites {
    /// The user's profiles; `None` until storage answered.
    pub book: Option<Vec<StoredProfile>>,
    /// The organisation's profiles (`managed::MANAGED_KEY`): shown first, not editable here.
    pub managed: Vec<StoredProfile>,
    pub editor: Option<Editor>,
    /// The profile whose deletion waits for a confirming click.
    pub confirm_delete: Option<usize>,
    /// A profile's export: its name and JSON.
    pub export: Option<(String, String)>,
    /// The import panel is open, with what was pasted or read from a file.
    pub import: Option<String>,
    pub import_problems: Vec<String>,
    /// What the last Save, Delete or Import did.
    pub outcome: Option<Outcome>,
    /// What "Test on this tab" found.
    pub probe: Option<Outcome>,
}
